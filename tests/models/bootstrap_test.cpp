// The bootstrap model: its strip fill (through StripSource, as the engine calls it) against the
// statistics of the i.i.d. and stationary block bootstrap and the reproducibility contract.

#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "../test_util.hpp"
#include "letf/models/bootstrap.hpp"
#include "letf/models/strip_source.hpp"

namespace letf {
namespace {

TEST(Bootstrap, UniformIndexStaysInRange) {
    PathRng rng = path_rng(1, 2);
    for (std::uint32_t n : {1u, 2u, 3u, 7u, 1000u, 4000000000u})
        for (int i = 0; i < 1000; ++i)
            ASSERT_LT(uniform_index(rng, n), n);
}

/// Data with a known mean and standard deviation (population).
std::vector<double> test_returns(std::size_t n) {
    std::vector<double> r(n);
    for (std::size_t i = 0; i < n; ++i)
        r[i] = 0.02 * std::sin(0.7 * static_cast<double>(i)) + 0.001 * static_cast<double>(i % 5);
    return r;
}

MarketData data_of(const std::vector<double>& returns) {
    MarketData m;
    m.returns = returns;
    m.accrual_days.assign(returns.size(), 1);
    for (std::size_t i = 0; i < returns.size(); ++i)
        m.dates.push_back(Date{} + std::chrono::days(static_cast<int>(i)));
    return m;
}

/// The days of the paths first .. first + kStripPaths - 1 of a bootstrap over `data`, from the
/// model's own strip fill (StripSource), one day per chunk so that each day's data index can be
/// read back from the strip state.
struct BootstrapLanes {
    std::vector<std::vector<std::uint32_t>> index; ///< [lane][day - 1]
    std::vector<std::vector<double>> returns, rates;
};
BootstrapLanes bootstrap_lanes(const MarketData& data, double mean_block_length, std::uint64_t seed,
                               std::uint64_t first, int days) {
    BootstrapModel b;
    b.mean_block_length = mean_block_length;
    const StripSource model(PathModel{b}, 1.0 / 252, days, std::make_shared<MarketData>(data));
    StripRng rng = StripRng::for_paths(seed, first);
    StripSource::State state = model.start(seed, first);
    BootstrapLanes out;
    out.index.resize(kStripPaths);
    out.returns.resize(kStripPaths);
    out.rates.resize(kStripPaths);
    std::vector<double> r(kStripPaths), q(kStripPaths);
    for (int day = 1; day <= days; ++day) {
        model.fill(day, 1, rng, state, r.data(), q.data());
        for (std::size_t i = 0; i < kStripPaths; ++i) {
            out.index[i].push_back(std::get<BootstrapModel::Strip>(state).index[i]);
            out.returns[i].push_back(r[i]);
            if (!data.rates.empty())
                out.rates[i].push_back(q[i]);
        }
    }
    return out;
}

TEST(Bootstrap, IidReproducesTheDataMeanWithinFiveStandardErrors) {
    const std::vector<double> data = test_returns(97);
    double mean = 0.0, sq = 0.0;
    for (double x : data)
        mean += x;
    mean /= static_cast<double>(data.size());
    for (double x : data)
        sq += (x - mean) * (x - mean);
    const double sd = std::sqrt(sq / static_cast<double>(data.size())); // of one i.i.d. draw

    const std::size_t paths = 400, days = 500;
    double sum = 0.0;
    for (std::uint64_t k = 0; k < paths; k += kStripPaths)
        for (const auto& path : bootstrap_lanes(data_of(data), 1.0, 2024, k, days).returns)
            for (double x : path)
                sum += x;
    const double n = static_cast<double>(paths * days);
    EXPECT_TRUE(test::within_se(sum / n, mean, sd / std::sqrt(n)));
}

TEST(Bootstrap, StationaryBlocksHaveTheConfiguredMeanLength) {
    // A new block starts with probability p = 1 / mean_block_length each day after the first;
    // it is seen as a break (index != previous + 1 mod n) unless the new start happens to be
    // previous + 1, so P(break) = p (1 - 1/n) exactly, independently across days.
    const std::uint32_t n = 1000;
    for (double mean_length : {5.0, 20.0}) {
        SCOPED_TRACE(mean_length);
        const MarketData data = data_of(test_returns(n));
        const std::size_t paths = 304, days = 1000;
        std::size_t breaks = 0;
        for (std::uint64_t k = 0; k < paths; k += kStripPaths) {
            for (const auto& idx : bootstrap_lanes(data, mean_length, 99, k, days).index) {
                for (std::size_t t = 1; t < days; ++t) {
                    ASSERT_LT(idx[t], n);
                    breaks += idx[t] != (idx[t - 1] + 1) % n;
                }
            }
        }
        const double trials = static_cast<double>(paths * (days - 1));
        const double q = (1.0 / mean_length) * (1.0 - 1.0 / n);
        const double q_hat = static_cast<double>(breaks) / trials;
        // q_hat is a binomial proportion; the observed mean block length is 1 / q_hat.
        EXPECT_TRUE(test::within_se(q_hat, q, std::sqrt(q * (1.0 - q) / trials)));
    }
}

TEST(Bootstrap, BlocksWrapAroundTheEndOfTheData) {
    const std::vector<std::uint32_t> idx =
        bootstrap_lanes(data_of(test_returns(3)), 1e6, 5, 0, 30).index[0];
    // With p = 1e-6 the 30 days are (almost surely) one block: consecutive mod 3.
    for (std::size_t t = 1; t < idx.size(); ++t)
        EXPECT_EQ(idx[t], (idx[t - 1] + 1) % 3) << t;
}

TEST(Bootstrap, PathsArePureFunctionsOfSeedAndPathIndex) {
    const MarketData data = data_of(test_returns(250));
    // Path 42 is lane 10 of the strip from 32 and lane 2 of the strip from 40.
    const auto a = bootstrap_lanes(data, 10.0, 7, 32, 300).index[10];
    const auto b = bootstrap_lanes(data, 10.0, 7, 40, 300).index[2];
    const auto c = bootstrap_lanes(data, 10.0, 7, 32, 300).index[9];
    const auto d = bootstrap_lanes(data, 10.0, 8, 32, 300).index[10];
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    EXPECT_NE(a, d);

    // The contract: path_rng(seed, k) consumed in day order by bootstrap_next.
    PathRng stream = path_rng(7, 42);
    std::uint32_t prev = 0;
    for (std::size_t t = 0; t < 300; ++t) {
        prev = bootstrap_next(stream, 250, 10.0, prev, t == 0);
        ASSERT_EQ(prev, a[t]) << t;
    }
}

TEST(Bootstrap, RatesTravelWithTheirDays) {
    MarketData m = data_of(test_returns(50));
    for (std::size_t i = 0; i < 50; ++i)
        m.rates.push_back(0.001 * static_cast<double>(i));
    const BootstrapLanes lanes = bootstrap_lanes(m, 4.0, 3, 0, 200);
    for (std::size_t i = 0; i < kStripPaths; ++i) {
        for (std::size_t t = 0; t < 200; ++t) {
            EXPECT_EQ(lanes.returns[i][t], m.returns[lanes.index[i][t]]);
            EXPECT_EQ(lanes.rates[i][t], m.rates[lanes.index[i][t]]);
        }
    }
}

} // namespace
} // namespace letf
