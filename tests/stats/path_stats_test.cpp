// The path tracker (stats/path_stats.hpp) against a direct computation on every path's value
// series, path by path; the survival curve against its exact law; CAGR's median against the
// terminal value's.

#include <algorithm>
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "letf/base/rng.hpp"
#include "letf/engine/engine.hpp"
#include "letf/models/strip_source.hpp"
#include "letf/stats/path_stats.hpp"
#include "letf/strategies/strategy.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

/// The statistics of one value series V_1..V_T (V_0 = 1), computed directly from the
/// definitions in path_stats.hpp: a two-pass variance, explicit runs.
PathStats direct(const std::vector<double>& v, double dt, double rate) {
    PathStats s;
    std::vector<double> r;
    double prev = 1.0;
    for (double x : v) {
        if (prev > 0.0)
            r.push_back(std::min(x / std::max(prev, 1e-300) - 1.0, 1e100));
        prev = x;
    }
    const double n = static_cast<double>(r.size());
    double mean = 0.0, mean_x = 0.0, down = 0.0;
    for (double x : r) {
        mean += x / n;
        mean_x += (x - rate * dt) / n;
        down += std::pow(std::min(x - rate * dt, 0.0), 2) / n;
    }
    double ss = 0.0;
    for (double x : r)
        ss += (x - mean) * (x - mean);
    const double sy = std::sqrt(1.0 / dt);
    if (r.size() >= 2) {
        s.volatility = sy * std::sqrt(ss / (n - 1.0));
        s.has_sharpe = ss > 0.0;
        s.sharpe = s.has_sharpe ? sy * mean_x / std::sqrt(ss / (n - 1.0)) : 0.0;
    }
    s.has_sortino = down > 0.0;
    s.sortino = s.has_sortino ? sy * mean_x / std::sqrt(down) : 0.0;
    // Runs under water: [start, end) of closes below the running peak.
    double peak = 1.0, worst_depth = 0.0;
    int run = 0;
    double run_min = 0.0;
    for (std::size_t t = 0; t < v.size(); ++t) {
        const int day = static_cast<int>(t) + 1;
        if (v[t] < peak) {
            run_min = run == 0 ? v[t] : std::min(run_min, v[t]);
            ++run;
        } else {
            if (run > 0 && 1.0 - run_min / peak > worst_depth) {
                worst_depth = 1.0 - run_min / peak;
                s.recovery_days = run + 1;
            }
            run = 0;
            peak = v[t];
        }
        s.under_water_days = std::max(s.under_water_days, static_cast<double>(run));
        for (std::size_t k = 0; k < kLossLevels.size(); ++k)
            if (v[t] < kLossLevels[k] && s.first_below[k] == 0)
                s.first_below[k] = day;
        if (v[t] <= 0.0 && s.first_zero == 0)
            s.first_zero = day;
    }
    if (run > 0 && 1.0 - run_min / peak > worst_depth)
        s.recovery_days = -1.0;
    s.ends_under_water = run > 0;
    return s;
}

/// Relative closeness for sums taken in another order (the tracker: one pass of sums).
void expect_close(double got, double want, const char* what) {
    EXPECT_NEAR(got, want, 1e-9 * std::max(1.0, std::fabs(want))) << what;
}

TEST(PathStats, EveryPathMatchesADirectComputation) {
    // High volatility (drawdowns, recoveries, wipe-outs of the 3x unrebalanced position), a
    // financing rate, a fund, a borrowed position, an investor and the signal strategies;
    // walked in the engine's chunks while a second walker records every day's values.
    ScenarioConfig c = test::gbm_scenario(0.05, 0.7, {-3.0, -1.0, 2.0, 3.0}, 0, 300);
    c.costs.financing_rate = 0.03;
    c.strategies = {Strategy(DailyReset{}),
                    Strategy(Unrebalanced{}),
                    Strategy(CalendarRebalance{.every_days = 21}),
                    Strategy(SmaRotation{.window_days = 20}),
                    Strategy(VolTarget{.target = 0.3, .window_days = 10}),
                    Strategy(DrawdownDerisk{.threshold = 0.3, .fallback = 1.0, .recover = 0.1})};
    const StripSource model(c);
    const std::vector<Position> positions = make_positions(c);
    const std::size_t P = positions.size();
    std::vector<double> returns(static_cast<std::size_t>(kDayChunk) * kStripPaths);
    int wiped = 0, recovered = 0, unrecovered = 0;
    for (int strip = 0; strip < 20; ++strip) {
        const auto first = static_cast<std::uint64_t>(strip) * kStripPaths;
        StripRng rng = StripRng::for_paths(c.seed, first);
        StripSource::State state = model.start(c.seed, first);
        StripWalker chunked(positions, c.days), daily(positions, c.days);
        std::vector<std::vector<double>> series((P + 1) * kStripPaths);
        for (int day = 1; day <= c.days; day += kDayChunk) {
            const int days = std::min(kDayChunk, c.days - day + 1);
            model.fill(day, days, rng, state, returns.data());
            chunked.advance(day, days, returns.data());
            for (int d = 0; d < days; ++d) {
                daily.advance(day + d, 1, returns.data() + d * kStripPaths);
                for (int i = 0; i < kStripPaths; ++i) {
                    series[static_cast<std::size_t>(i)].push_back(daily.underlying(i));
                    for (std::size_t j = 0; j < P; ++j)
                        series[(1 + j) * kStripPaths + static_cast<std::size_t>(i)].push_back(
                            daily.value(j, i));
                }
            }
        }
        for (std::size_t s = 0; s <= P; ++s)
            for (int i = 0; i < kStripPaths; ++i) {
                const PathStats want =
                    direct(series[s * kStripPaths + static_cast<std::size_t>(i)], c.dt(),
                           c.costs.financing_rate);
                const PathStats got = chunked.path_stats(s, i);
                expect_close(got.volatility, want.volatility, "volatility");
                ASSERT_EQ(got.has_sharpe, want.has_sharpe);
                ASSERT_EQ(got.has_sortino, want.has_sortino);
                if (want.has_sharpe)
                    expect_close(got.sharpe, want.sharpe, "sharpe");
                if (want.has_sortino)
                    expect_close(got.sortino, want.sortino, "sortino");
                ASSERT_EQ(got.under_water_days, want.under_water_days) << s << " " << i;
                ASSERT_EQ(got.recovery_days, want.recovery_days) << s << " " << i;
                ASSERT_EQ(got.ends_under_water, want.ends_under_water);
                ASSERT_EQ(got.first_below, want.first_below);
                ASSERT_EQ(got.first_zero, want.first_zero);
                if (s > 0) {
                    ASSERT_EQ(got.first_zero, chunked.wipeout_day(s - 1, i));
                }
                wiped += want.first_zero > 0;
                recovered += want.recovery_days >= 0.0;
                unrecovered += want.recovery_days < 0.0 && want.under_water_days > 0;
            }
    }
    // The cases the check must have seen.
    EXPECT_GT(wiped, 0);
    EXPECT_GT(recovered, 0);
    EXPECT_GT(unrecovered, 0);
}

TEST(PathStats, WipeOutSurvivalCurveFollowsItsExactLaw) {
    // I.i.d. gbm days: a 3x fund is wiped out on a day with probability p (the day law), so
    // P(wiped out by day t) = 1 - (1 - p)^t exactly, within 5 binomial standard errors.
    ScenarioConfig c = test::gbm_scenario(0.0, 2.5, {3.0, -3.0}, 20000, 120);
    c.strategies = {Strategy(DailyReset{})};
    const SimulationResult r = simulate(c, {.threads = 2});
    ASSERT_TRUE(r.facts.day_law);
    ASSERT_FALSE(r.survival_days.empty());
    for (const PositionResult& pr : r.positions) {
        const double base = 1.0 - pr.position.carry_daily;
        const double p = r.facts.day_law->prob_nonpositive(base, pr.position.multiple);
        ASSERT_GT(p, 1e-4);
        for (std::size_t b = 0; b < r.survival_days.size(); ++b) {
            const double exact = -std::expm1(r.survival_days[b] * std::log1p(-p));
            const double n = static_cast<double>(pr.paths);
            const double share = static_cast<double>(pr.survival[0][b]) / n;
            EXPECT_NEAR(share, exact, 5.0 * std::sqrt(exact * (1.0 - exact) / n))
                << "L " << pr.position.multiple << " day " << r.survival_days[b];
        }
        EXPECT_EQ(pr.survival[0].back(), pr.wipeout); // by the horizon: every wiped-out path
        for (std::size_t k = 1; k + 1 < kSurvivalCurves; ++k) // deeper losses are rarer
            for (std::size_t b = 0; b < r.survival_days.size(); ++b)
                EXPECT_LE(pr.survival[k + 1][b], pr.survival[k][b]);
    }
}

TEST(PathStats, MedianCagrIsTheCagrOfTheMedianTerminalValue) {
    // An odd number of paths: the median is one order statistic, and the CAGR is increasing
    // in V_T, so the two medians are one path's.
    ScenarioConfig c = test::gbm_scenario(0.07, 0.3, {-2.0, 3.0}, 2001, 504);
    const SimulationResult r = simulate(c, {.threads = 2});
    const double years = c.days * c.dt();
    for (const PositionResult& pr : r.positions) {
        const double v = *pr[metric::terminal].median();
        EXPECT_NEAR(*pr[metric::cagr].median(), std::expm1(std::log(v) / years), 1e-14);
    }
}

TEST(PathStats, IndexMedianCagrMatchesItsExactValue) {
    // gbm: S_T is lognormal with median m = exp((mu - sigma^2/2) T), so the median CAGR is
    // m^(1/T) - 1 exactly. The sample median's standard error is 1 / (2 f(m) sqrt(n)), f the
    // density at m (m sigma sqrt(2 pi T)), carried to the CAGR by its derivative.
    ScenarioConfig c = test::gbm_scenario(0.08, 0.25, {2.0}, 40001, 504);
    const SimulationResult r = simulate(c, {.threads = 2});
    const double T = c.days * c.dt(), sigma = 0.25;
    const double m = std::exp((0.08 - 0.5 * sigma * sigma) * T);
    const double exact = std::pow(m, 1.0 / T) - 1.0;
    const double se_m = m * sigma * std::sqrt(2.0 * M_PI * T) / (2.0 * std::sqrt(40001.0));
    const double se = se_m * std::pow(m, 1.0 / T - 1.0) / T;
    const QuantityStats& cagr = r.underlying[metric::cagr];
    EXPECT_NEAR(*cagr.median(), exact, 5.0 * se);
    ASSERT_TRUE(r.underlying.analytic.median_terminal);
    EXPECT_NEAR(std::pow(*r.underlying.analytic.median_terminal, 1.0 / T) - 1.0, exact, 1e-14);
}

} // namespace
} // namespace letf
