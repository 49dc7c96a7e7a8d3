// Moments at the edge of the double range: values up to kValueCap give finite mean, std and
// std_error (the scaled arithmetic of accumulators.hpp), ordinary values keep the plain
// arithmetic, and merging in block order is what the engine does.

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "letf/stats/accumulators.hpp"
#include "letf/strategies/strategy.hpp"

namespace {

using letf::kValueCap;
using letf::Moments;

/// Moments of `values` as the engine builds them: blocks of `block` values, merged in order.
Moments in_blocks(const std::vector<double>& values, std::size_t block = 1024) {
    Moments m;
    for (std::size_t first = 0; first < values.size(); first += block)
        m.merge(Moments::of(values.data() + first, std::min(block, values.size() - first)));
    return m;
}

/// |calculated - expected| <= rel |expected|, printing all four.
::testing::AssertionResult near_rel(std::optional<double> calculated, double expected, double rel) {
    if (!calculated)
        return ::testing::AssertionFailure() << "calculated nullopt, expected " << expected;
    const double difference = std::fabs(*calculated - expected);
    const double tolerance = rel * std::fabs(expected);
    if (std::isfinite(*calculated) && difference <= tolerance)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "calculated " << *calculated << ", expected " << expected << ", difference "
           << difference << ", tolerance " << tolerance;
}

TEST(Moments, IdenticalCappedValuesHaveZeroSpreadAndTheirExactMean) {
    for (const std::size_t n : {std::size_t{2}, std::size_t{1000}, std::size_t{3000}}) {
        SCOPED_TRACE(n);
        const Moments m = in_blocks(std::vector<double>(n, kValueCap));
        ASSERT_TRUE(m.mean_value() && m.std_dev() && m.std_error());
        EXPECT_EQ(*m.mean_value(), kValueCap);
        EXPECT_EQ(*m.std_dev(), 0.0);
        EXPECT_EQ(*m.std_error(), 0.0);
        EXPECT_EQ(*m.min_value(), kValueCap);
        EXPECT_EQ(*m.max_value(), kValueCap);
    }
}

TEST(Moments, ValuesFromZeroToTheCapGiveFiniteStatistics) {
    // Half the paths at 0, half at the cap: mean cap / 2, std = cap / 2 sqrt(n / (n - 1)).
    const std::size_t n = 3000;
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = i % 2 == 0 ? 0.0 : kValueCap;
    const Moments m = in_blocks(v);
    const double nd = static_cast<double>(n);
    const double std_exact = 0.5 * kValueCap * std::sqrt(nd / (nd - 1.0));
    EXPECT_TRUE(near_rel(m.mean_value(), 0.5 * kValueCap, 1e-14));
    EXPECT_TRUE(near_rel(m.std_dev(), std_exact, 1e-14));
    EXPECT_TRUE(near_rel(m.std_error(), std_exact / std::sqrt(nd), 1e-14));
    EXPECT_EQ(*m.min_value(), 0.0);
    EXPECT_EQ(*m.max_value(), kValueCap);
}

TEST(Moments, UniformValuesUpToTheCapMatchTheScaledDownSample) {
    // The same sample divided by 2^900 (exact) has moderate values; the scaled arithmetic must
    // agree with the plain one on it to rounding.
    std::mt19937_64 gen(7);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const std::size_t n = 5000;
    std::vector<double> big(n), small(n);
    for (std::size_t i = 0; i < n; ++i) {
        small[i] = u(gen) * kValueCap * 0x1p-900;
        big[i] = small[i] * 0x1p900;
    }
    const Moments mb = in_blocks(big), ms = in_blocks(small);
    EXPECT_EQ(ms.scale, 0);
    EXPECT_GT(mb.scale, 0);
    EXPECT_TRUE(near_rel(mb.mean_value(), *ms.mean_value() * 0x1p900, 1e-13));
    EXPECT_TRUE(near_rel(mb.std_dev(), *ms.std_dev() * 0x1p900, 1e-13));
    EXPECT_TRUE(near_rel(mb.std_error(), *ms.std_error() * 0x1p900, 1e-13));
}

TEST(Moments, NegativeCappedValuesToo) {
    // Gaps reach -|L| kValueCap; a symmetric sample about 0 with spread 2e302.
    std::vector<double> v;
    for (int i = 0; i < 100; ++i) {
        v.push_back(-100.0 * kValueCap);
        v.push_back(100.0 * kValueCap);
    }
    const Moments m = in_blocks(v, 16);
    EXPECT_TRUE(std::isfinite(*m.mean_value()));
    EXPECT_LE(std::fabs(*m.mean_value()), 1e-13 * 100.0 * kValueCap);
    EXPECT_TRUE(near_rel(m.std_dev(), 100.0 * kValueCap * std::sqrt(200.0 / 199.0), 1e-14));
}

TEST(Moments, MergeOfTwoPlainBlocksThatWouldOverflowIsScaled) {
    // Each block alone is plain (M2 = 0); delta^2 = 1e320 overflows in the plain merge.
    const std::vector<double> zeros(10, 0.0), highs(10, 1e160);
    Moments m = Moments::of(zeros.data(), zeros.size());
    const Moments h = Moments::of(highs.data(), highs.size());
    EXPECT_EQ(m.scale, 0);
    EXPECT_EQ(h.scale, 0);
    m.merge(h);
    EXPECT_GT(m.scale, 0);
    // 20 values, half 0 and half 1e160: std = 1e160 / 2 sqrt(20 / 19).
    EXPECT_TRUE(near_rel(m.mean_value(), 0.5e160, 1e-15));
    EXPECT_TRUE(near_rel(m.std_dev(), 0.5e160 * std::sqrt(20.0 / 19.0), 1e-15));
    EXPECT_TRUE(near_rel(m.std_error(), 0.5e160 * std::sqrt(20.0 / 19.0) / std::sqrt(20.0), 1e-15));
    // variance() itself overflows, as documented; it is never NaN.
    EXPECT_TRUE(std::isinf(*m.variance()));
}

TEST(Moments, ScaledAndPlainBlocksMergeInEitherOrder) {
    const std::vector<double> plain = {1.0, 2.0, 3.0, 4.0};
    const std::vector<double> huge = {0.0, kValueCap};
    const Moments p = Moments::of(plain.data(), plain.size());
    const Moments h = Moments::of(huge.data(), huge.size());
    EXPECT_EQ(p.scale, 0);
    EXPECT_GT(h.scale, 0);
    Moments ph = p, hp = h;
    ph.merge(h);
    hp.merge(p);
    // Six values 1, 2, 3, 4, 0, cap: mean ~ cap / 6, M2 ~ cap^2 (1 - 1/6).
    const double std_exact = kValueCap * std::sqrt((1.0 - 1.0 / 6.0) / 5.0);
    for (const Moments* m : {&ph, &hp}) {
        EXPECT_EQ(m->count, 6);
        EXPECT_TRUE(near_rel(m->mean_value(), kValueCap / 6.0, 1e-15));
        EXPECT_TRUE(near_rel(m->std_dev(), std_exact, 1e-15));
        EXPECT_EQ(*m->min_value(), 0.0);
        EXPECT_EQ(*m->max_value(), kValueCap);
    }
}

TEST(Moments, OrdinaryValuesKeepThePlainArithmetic) {
    // Scale 0, and std_dev / std_error are the plain formulas on M2 bit for bit.
    std::mt19937_64 gen(3);
    std::lognormal_distribution<double> d(0.0, 1.0);
    std::vector<double> v(3000);
    for (double& x : v)
        x = d(gen);
    const Moments m = in_blocks(v);
    EXPECT_EQ(m.scale, 0);
    const double var = m.m2 / static_cast<double>(m.count - 1);
    EXPECT_EQ(*m.variance(), var);
    EXPECT_EQ(*m.std_dev(), std::sqrt(var));
    EXPECT_EQ(*m.std_error(), std::sqrt(var / static_cast<double>(m.count)));
}

TEST(Moments, NonFiniteInputStaysNonFiniteAndUnscaled) {
    // The engine never passes one (values are capped); an infinite value is not rescued.
    const std::vector<double> v = {1.0, std::numeric_limits<double>::infinity()};
    const Moments m = Moments::of(v.data(), v.size());
    EXPECT_EQ(m.scale, 0);
    EXPECT_FALSE(std::isfinite(m.mean));
}

} // namespace
