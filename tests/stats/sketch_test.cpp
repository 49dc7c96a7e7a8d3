#include "letf/stats/sketch.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace {

using letf::QuantileSketch;

constexpr double kQs[] = {0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0};

/// The rank rule of QuantileSketch::quantile, evaluated the same way.
std::size_t rank_of(double q, std::size_t n) {
    return static_cast<std::size_t>(std::floor(q * static_cast<double>(n - 1)));
}

/// The documented guarantee for one q, with calculated, expected, difference and tolerance.
::testing::AssertionResult within_guarantee(const QuantileSketch& sketch,
                                            const std::vector<double>& sorted, double q) {
    const double expected = sorted[rank_of(q, sorted.size())];
    const double calculated = sketch.quantile(q);
    const double difference = std::fabs(calculated - expected);
    const bool in_zero_bucket = std::fabs(expected) < sketch.min_abs();
    const double tolerance =
        in_zero_bucket ? sketch.min_abs() : sketch.relative_accuracy() * std::fabs(expected);
    const bool ok = in_zero_bucket ? std::fabs(calculated) <= tolerance : difference <= tolerance;
    if (ok)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "q = " << q << ": calculated " << calculated << ", expected " << expected
           << ", difference " << difference << ", tolerance " << tolerance
           << (in_zero_bucket ? " (zero bucket: |calculated| <= min_abs)" : " (alpha |x_(k)|)");
}

/// Feeds `values` to a sketch and checks the guarantee at every q in kQs.
void expect_guarantee(const std::vector<double>& values, double alpha, double min_abs = 1e-12) {
    QuantileSketch sketch(alpha, min_abs);
    sketch.add(values.data(), values.size());
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    ASSERT_EQ(sketch.count(), values.size());
    for (double q : kQs)
        EXPECT_TRUE(within_guarantee(sketch, sorted, q)) << "alpha = " << alpha;
}

/// n draws of `dist` from a generator seeded with `seed`.
template <class Distribution>
std::vector<double> draws(Distribution dist, std::size_t n, std::uint64_t seed) {
    std::mt19937_64 gen(seed);
    std::vector<double> v(n);
    for (double& x : v)
        x = dist(gen);
    return v;
}

std::vector<double> lognormal_values(std::size_t n, std::uint64_t seed, double sigma = 1.0) {
    return draws(std::lognormal_distribution<double>(0.0, sigma), n, seed);
}

std::vector<double> normal_values(std::size_t n, std::uint64_t seed) {
    return draws(std::normal_distribution<double>(0.3, 2.0), n, seed);
}

/// |x| log-uniform on [1e-8, 1e8], random sign.
std::vector<double> wide_values(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> exponent(-8.0, 8.0);
    std::bernoulli_distribution negative(0.4);
    std::vector<double> v(n);
    for (double& x : v)
        x = (negative(gen) ? -1.0 : 1.0) * std::pow(10.0, exponent(gen));
    return v;
}

/// A mix: exact zeros (both signs), values below min_abs = 1e-12, normals, wide-range values.
std::vector<double> mixed_values(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 gen(seed);
    std::uniform_int_distribution<int> kind(0, 9);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> exponent(-15.0, 9.0);
    std::vector<double> v(n);
    for (double& x : v) {
        switch (kind(gen)) {
        case 0:
        case 1:
            x = 0.0;
            break;
        case 2:
            x = -0.0;
            break;
        case 3:
            x = 1e-14 * normal(gen);
            break;
        case 4:
        case 5:
            x = (normal(gen) < 0.0 ? -1.0 : 1.0) * std::pow(10.0, exponent(gen));
            break;
        default:
            x = normal(gen);
        }
    }
    return v;
}

std::uint64_t bits(double x) {
    return std::bit_cast<std::uint64_t>(x);
}

/// 1001 evenly spaced q plus kQs: a bit-for-bit comparison must hold at all of them.
std::vector<double> many_qs() {
    std::vector<double> qs(std::begin(kQs), std::end(kQs));
    for (int j = 0; j <= 1000; ++j)
        qs.push_back(j / 1000.0);
    return qs;
}

void expect_identical(const QuantileSketch& a, const QuantileSketch& b) {
    ASSERT_EQ(a.count(), b.count());
    for (double q : many_qs()) {
        EXPECT_EQ(bits(a.quantile(q)), bits(b.quantile(q)))
            << "q = " << q << ": " << a.quantile(q) << " vs " << b.quantile(q);
    }
}

QuantileSketch sketch_of(const std::vector<double>& values, std::size_t begin, std::size_t end,
                         double alpha = 1e-3) {
    QuantileSketch s(alpha);
    for (std::size_t j = begin; j < end; ++j)
        s.add(values[j]);
    return s;
}

TEST(QuantileSketch, GuaranteeLognormal) {
    const auto values = lognormal_values(200000, 11);
    for (double alpha : {1e-3, 1e-2, 0.1})
        expect_guarantee(values, alpha);
    expect_guarantee(lognormal_values(50000, 12, 4.0), 1e-3);
}

TEST(QuantileSketch, GuaranteeNormalWithNegatives) {
    const auto values = normal_values(200000, 21);
    ASSERT_GT(std::count_if(values.begin(), values.end(), [](double x) { return x < 0.0; }), 50000);
    for (double alpha : {1e-4, 1e-3, 1e-2})
        expect_guarantee(values, alpha);
}

TEST(QuantileSketch, GuaranteeSpanning1e8To1e8) {
    const auto values = wide_values(200000, 31);
    for (double alpha : {1e-3, 1e-2})
        expect_guarantee(values, alpha);
    // Positive only, so every q lands on a different decade.
    std::vector<double> positive = values;
    for (double& x : positive)
        x = std::fabs(x);
    expect_guarantee(positive, 1e-3);
}

TEST(QuantileSketch, GuaranteeConstant) {
    for (double c : {3.7, -2.5, 1e-12, 1e300}) {
        const std::vector<double> values(1000, c);
        expect_guarantee(values, 1e-3);
        QuantileSketch s;
        s.add(values.data(), values.size());
        // Every quantile is the same bucket's representative.
        for (double q : kQs)
            EXPECT_EQ(bits(s.quantile(q)), bits(s.quantile(0.5))) << c;
    }
    // A single value.
    expect_guarantee({42.0}, 1e-3);
}

TEST(QuantileSketch, GuaranteeWithZeros) {
    const auto values = mixed_values(200000, 41);
    for (double alpha : {1e-3, 1e-2})
        expect_guarantee(values, alpha);
    // Values below min_abs answer exactly 0, with the sign of neither store.
    QuantileSketch s;
    for (double x : {0.0, -0.0, 1e-13, -5e-13, 0.0})
        s.add(x);
    for (double q : kQs)
        EXPECT_EQ(bits(s.quantile(q)), bits(0.0)) << q;
    // A larger min_abs moves more values to the zero bucket and still meets the guarantee.
    expect_guarantee(values, 1e-3, 1e-3);
}

TEST(QuantileSketch, RankRuleIsFloorOfQTimesNMinusOne) {
    // Integers 1..1000 are 1e-3 apart relatively at most, so with alpha = 1e-4 every integer has
    // its own bucket and only the rank k = floor(q (n - 1)) meets the guarantee.
    std::vector<double> values(1000);
    for (std::size_t j = 0; j < values.size(); ++j)
        values[j] = static_cast<double>(j + 1);
    std::shuffle(values.begin(), values.end(), std::mt19937_64(51));
    QuantileSketch s(1e-4);
    s.add(values.data(), values.size());
    for (int j = 0; j <= 4000; ++j) {
        const double q = j / 4000.0;
        const double expected = static_cast<double>(rank_of(q, values.size()) + 1);
        EXPECT_NEAR(s.quantile(q), expected, 1e-4 * expected) << "q = " << q;
    }
    // n = 10: q = 0.5 is rank floor(4.5) = 4, the value 5 (not the interpolated 5.5).
    QuantileSketch ten(1e-3);
    for (int j = 10; j >= 1; --j)
        ten.add(static_cast<double>(j));
    EXPECT_NEAR(ten.quantile(0.5), 5.0, 5e-3);
    EXPECT_NEAR(ten.quantile(0.999), 9.0, 9e-3);
    EXPECT_NEAR(ten.quantile(1.0), 10.0, 1e-2);
}

TEST(QuantileSketch, BucketBoundariesKeepGuarantee) {
    // Values at and a few ulps either side of bucket boundaries gamma^i, across the whole double
    // range, each alone in a sketch: the guarantee must hold with no slack.
    for (double alpha : {1e-8, 1e-6, 1e-3, 0.1, 0.49}) {
        QuantileSketch s(alpha, std::numeric_limits<double>::min());
        const double log_gamma = std::log(s.bucket_gamma());
        for (double t = -700.0; t <= 709.0; t += 0.37) {
            const double boundary = std::pow(s.bucket_gamma(), std::round(t / log_gamma));
            double x = boundary;
            for (int step = 0; step < 4; ++step)
                x = std::nextafter(x, 0.0);
            for (int step = 0; step < 9; ++step, x = std::nextafter(x, HUGE_VAL)) {
                if (!std::isfinite(x))
                    continue; // gamma^i above DBL_MAX
                for (double signed_x : {x, -x}) {
                    s.clear();
                    s.add(signed_x);
                    ASSERT_TRUE(within_guarantee(s, {signed_x}, 0.5))
                        << "alpha = " << alpha << ", x = " << signed_x;
                }
            }
        }
    }
}

TEST(QuantileSketch, ExtremeValuesKeepGuarantee) {
    constexpr double kMax = std::numeric_limits<double>::max();
    constexpr double kMin = std::numeric_limits<double>::min();
    for (double alpha : {1e-3, 0.49}) {
        QuantileSketch s(alpha, kMin);
        const std::vector<double> values = {
            kMax, -kMax, kMin, -kMin, std::nextafter(kMax, 0.0), 2.0 * kMin, 0.0};
        for (double x : values) {
            s.clear();
            s.add(x);
            EXPECT_TRUE(within_guarantee(s, {x}, 0.5)) << "alpha = " << alpha << ", x = " << x;
            EXPECT_TRUE(std::isfinite(s.quantile(0.5))) << x;
        }
        std::vector<double> sorted = values;
        std::sort(sorted.begin(), sorted.end());
        s.clear();
        s.add(values.data(), values.size());
        for (double q : kQs)
            EXPECT_TRUE(within_guarantee(s, sorted, q)) << alpha;
    }
    // Exactly min_abs is counted in a bucket, just below it in the zero bucket.
    QuantileSketch s(1e-3, 1e-6);
    s.add(1e-6);
    EXPECT_NEAR(s.quantile(0.5), 1e-6, 1e-9);
    s.clear();
    s.add(std::nextafter(1e-6, 0.0));
    EXPECT_EQ(bits(s.quantile(0.5)), bits(0.0));
}

TEST(QuantileSketch, MergeEqualsSingleSketchBitForBit) {
    const auto values = mixed_values(120000, 61);
    const QuantileSketch all = sketch_of(values, 0, values.size());
    const std::size_t cut1 = 1000;
    const std::size_t cut2 = 70001;
    const QuantileSketch a = sketch_of(values, 0, cut1);
    const QuantileSketch b = sketch_of(values, cut1, cut2);
    const QuantileSketch c = sketch_of(values, cut2, values.size());

    QuantileSketch ab = a;
    ab.merge(b);
    QuantileSketch ab_c = ab;
    ab_c.merge(c);
    QuantileSketch bc = b;
    bc.merge(c);
    QuantileSketch a_bc = a;
    a_bc.merge(bc);
    QuantileSketch c_b_a;
    c_b_a.merge(c);
    c_b_a.merge(b);
    c_b_a.merge(a);
    c_b_a.merge(QuantileSketch()); // merging an empty sketch changes nothing

    expect_identical(ab_c, all);
    expect_identical(a_bc, all);
    expect_identical(c_b_a, all);
    // Two halves: the brief's case.
    QuantileSketch first = sketch_of(values, 0, values.size() / 2);
    first.merge(sketch_of(values, values.size() / 2, values.size()));
    expect_identical(first, all);
}

TEST(QuantileSketch, MergeGrowsStoresInBothDirections) {
    // Other's buckets lie below, above and on both sides of this sketch's range.
    std::vector<double> middle(1000);
    std::vector<double> outer(1000);
    for (std::size_t j = 0; j < middle.size(); ++j) {
        const double u = static_cast<double>(j) / 1000.0;
        middle[j] = 1.0 + u;
        outer[j] = (j % 2 == 0 ? 1e-6 : 1e6) * (1.0 + u) * (j % 3 == 0 ? -1.0 : 1.0);
    }
    std::vector<double> both = middle;
    both.insert(both.end(), outer.begin(), outer.end());
    const QuantileSketch expected = sketch_of(both, 0, both.size());

    QuantileSketch m = sketch_of(middle, 0, middle.size());
    m.merge(sketch_of(outer, 0, outer.size()));
    expect_identical(m, expected);
    QuantileSketch o = sketch_of(outer, 0, outer.size());
    o.merge(sketch_of(middle, 0, middle.size()));
    expect_identical(o, expected);
}

TEST(QuantileSketch, MergeWithSelfDoublesCounts) {
    const auto values = mixed_values(20000, 71);
    QuantileSketch twice = sketch_of(values, 0, values.size());
    twice.add(values.data(), values.size());
    QuantileSketch self = sketch_of(values, 0, values.size());
    self.merge(self);
    expect_identical(self, twice);
}

TEST(QuantileSketch, InsertionOrderDoesNotMatter) {
    for (std::uint64_t seed : {81u, 82u, 83u}) {
        auto values = seed == 81 ? lognormal_values(100000, seed) : mixed_values(100000, seed);
        const QuantileSketch forward = sketch_of(values, 0, values.size());
        std::shuffle(values.begin(), values.end(), std::mt19937_64(seed + 100));
        expect_identical(sketch_of(values, 0, values.size()), forward);
        std::sort(values.begin(), values.end(), std::greater<>());
        expect_identical(sketch_of(values, 0, values.size()), forward);
    }
}

TEST(QuantileSketch, BatchAddEqualsLoop) {
    const auto values = wide_values(50000, 91);
    QuantileSketch batch;
    batch.add(values.data(), values.size());
    batch.add(values.data(), 0);
    expect_identical(batch, sketch_of(values, 0, values.size()));
}

TEST(QuantileSketch, CountTracksEveryValue) {
    QuantileSketch s;
    EXPECT_EQ(s.count(), 0u);
    s.add(1.0);
    s.add(-1.0);
    s.add(0.0);
    s.add(1e-20);
    EXPECT_EQ(s.count(), 4u);
    const auto values = normal_values(12345, 101);
    s.add(values.data(), values.size());
    EXPECT_EQ(s.count(), 4u + 12345u);
    QuantileSketch other;
    other.add(2.0);
    s.merge(other);
    EXPECT_EQ(s.count(), 4u + 12345u + 1u);
    EXPECT_EQ(other.count(), 1u);
}

TEST(QuantileSketch, ClearDropsCountsKeepsParameters) {
    const auto values = mixed_values(30000, 111);
    QuantileSketch s(2e-3, 1e-9);
    EXPECT_EQ(s.memory_bytes(), 0u);
    s.add(values.data(), values.size());
    EXPECT_GT(s.memory_bytes(), 0u);
    s.clear();
    EXPECT_EQ(s.count(), 0u);
    EXPECT_EQ(s.memory_bytes(), 0u);
    EXPECT_EQ(s.relative_accuracy(), 2e-3);
    EXPECT_EQ(s.min_abs(), 1e-9);
    // Refilled, it answers exactly like a fresh sketch.
    s.add(values.data(), 1000);
    QuantileSketch fresh(2e-3, 1e-9);
    fresh.add(values.data(), 1000);
    expect_identical(s, fresh);
}

TEST(QuantileSketch, MemoryStaysModest) {
    const auto values = lognormal_values(1000000, 121);
    QuantileSketch s(1e-3);
    s.add(values.data(), values.size());
    EXPECT_LT(s.memory_bytes(), std::size_t{1} << 20);
    // The documented bound: 8 * max(2 n, 64) bytes, n <= ln(max / min) / L + 2.
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    const double n = std::log(*hi / *lo) / std::log(s.bucket_gamma()) + 2.0;
    EXPECT_LE(static_cast<double>(s.memory_bytes()), 8.0 * std::max(2.0 * n, 64.0)) << "n = " << n;
    // Merging reallocates to the exact occupied range.
    QuantileSketch merged(1e-3);
    merged.merge(s);
    EXPECT_LE(static_cast<double>(merged.memory_bytes()), 8.0 * n) << "n = " << n;
    expect_identical(merged, s);
}

TEST(QuantileSketchDeathTest, NonFiniteValueAssertsInDebugAndStaysDefinedInRelease) {
    // A non-finite value is a caller's bug (a debug assertion). In release builds its bucket
    // index is clamped before the float-to-int conversion: +-infinity in the outermost bucket of
    // its sign, NaN in the innermost one; no undefined behaviour and bounded memory.
    ::testing::FLAGS_gtest_death_test_style = "threadsafe";
    constexpr double kInf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (double x : {kInf, -kInf, nan}) {
        SCOPED_TRACE(x);
        QuantileSketch s(1e-3);
        s.add(2.0);
        EXPECT_DEBUG_DEATH(s.add(x), "isfinite");
#ifdef NDEBUG
        EXPECT_EQ(s.count(), 2u);
        // The widest span the clamp allows: from min_abs = 1e-12 to DBL_MAX, about 3.7e5 buckets.
        EXPECT_LT(s.memory_bytes(), std::size_t{8} << 20);
        for (double q : kQs)
            EXPECT_TRUE(std::isfinite(s.quantile(q))) << q;
        if (std::isinf(x)) {
            EXPECT_GE(std::fabs(s.quantile(x > 0 ? 1.0 : 0.0)),
                      std::numeric_limits<double>::max() / 2);
        }
#endif
    }
}

TEST(QuantileSketch, ExtremeFiniteValuesAreNotMovedByTheClamp) {
    // The clamp bounds are the indices of min_abs and DBL_MAX themselves.
    constexpr double kMax = std::numeric_limits<double>::max();
    for (double alpha : {1e-8, 1e-3, 0.49}) { // below 1e-8 the bound has a documented slack
        for (double min_abs : {1e-12, std::numeric_limits<double>::min()}) {
            QuantileSketch s(alpha, min_abs);
            for (double x : {kMax, -kMax, min_abs, -min_abs}) {
                s.clear();
                s.add(x);
                EXPECT_TRUE(within_guarantee(s, {x}, 0.5)) << "alpha " << alpha << ", x " << x;
            }
        }
    }
}

} // namespace
