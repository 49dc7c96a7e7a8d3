// Golden values and exact properties of the strategies on deterministic and random paths.

#include <algorithm>
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "letf/engine/engine.hpp"
#include "letf/models/strip_source.hpp"
#include "letf/base/rng.hpp"
#include "letf/strategies/strategy.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

using test::pattern_scenario;

/// V_T/V_0 of the (strategy, multiple) result of a one-path scenario.
double terminal(const SimulationResult& r, Strategy kind, double L) {
    for (const auto& p : r.positions)
        if (p.position.strategy == kind && p.position.multiple == L)
            return p[metric::terminal].moments.mean;
    ADD_FAILURE() << "no result for L = " << L;
    return 0.0;
}

struct Golden {
    const char* name;
    std::vector<double> returns;
    Strategy kind;
    double multiple;
    double expected; // V_10 from V_0 = 100
};

/// Stable test names in `ctest -N` (gtest would print the struct's bytes).
void PrintTo(const Golden& c, std::ostream* os) { *os << c.name; }

class TextbookTable : public ::testing::TestWithParam<Golden> {};

TEST_P(TextbookTable, TenDaysFrom100) {
    const Golden& g = GetParam();
    ScenarioConfig c = pattern_scenario(g.returns, {g.multiple}, 10);
    c.strategies = {g.kind};
    const SimulationResult r = simulate(c, {.threads = 1});
    // The table gives two decimals; the exact value is the closed form below.
    const double exact = [&] {
        double s = 1.0, v = 1.0;
        for (int t = 0; t < 10; ++t) {
            const double R = g.returns[static_cast<std::size_t>(t) % g.returns.size()];
            s *= 1.0 + R;
            v *= 1.0 + g.multiple * R;
        }
        return g.kind == Strategy(DailyReset{}) ? v : g.multiple * s - (g.multiple - 1.0);
    }();
    const double got = 100.0 * terminal(r, g.kind, g.multiple);
    EXPECT_NEAR(got, 100.0 * exact, 1e-9);
    EXPECT_NEAR(got, g.expected, 0.005);
}

INSTANTIATE_TEST_SUITE_P(
    Strategy, TextbookTable,
    ::testing::Values(Golden{"trend_2x_reset", {0.05}, Strategy(DailyReset{}), 2, 259.37},
                      Golden{"trend_2x_unreb", {0.05}, Strategy(Unrebalanced{}), 2, 225.78},
                      Golden{"trend_m1_reset", {0.05}, Strategy(DailyReset{}), -1, 59.87},
                      Golden{"trend_m1_unreb", {0.05}, Strategy(Unrebalanced{}), -1, 37.11},
                      Golden{"chop_2x_reset", {0.05, -0.05}, Strategy(DailyReset{}), 2, 95.10},
                      Golden{"chop_2x_unreb", {0.05, -0.05}, Strategy(Unrebalanced{}), 2, 97.51},
                      Golden{"chop_m1_reset", {0.05, -0.05}, Strategy(DailyReset{}), -1, 98.76},
                      Golden{"chop_m1_unreb", {0.05, -0.05}, Strategy(Unrebalanced{}), -1, 101.24}),
    [](const auto& tp) { return std::string(tp.param.name); });

TEST(Strategy, GoldenValuesToNineDecimals) {
    // Closed forms: (1.05)^10 etc., written out independently of the engine.
    const SimulationResult trend = simulate(pattern_scenario({0.05}, {-1, 2}, 10), {.threads = 1});
    EXPECT_NEAR(terminal(trend, Strategy(DailyReset{}), 2), std::pow(1.10, 10), 1e-11);
    EXPECT_NEAR(terminal(trend, Strategy(Unrebalanced{}), 2), 2 * std::pow(1.05, 10) - 1, 1e-11);
    EXPECT_NEAR(terminal(trend, Strategy(DailyReset{}), -1), std::pow(0.95, 10), 1e-11);
    EXPECT_NEAR(terminal(trend, Strategy(Unrebalanced{}), -1), 2 - std::pow(1.05, 10), 1e-11);

    ScenarioConfig choppy = pattern_scenario({0.0}, {-1, 2}, 10);
    choppy.model = ChoppyModel{0.05, 0.0, 0.0, true};
    const SimulationResult chop = simulate(choppy, {.threads = 1});
    const double s10 = std::pow(1.05 * 0.95, 5);
    EXPECT_NEAR(terminal(chop, Strategy(DailyReset{}), 2), std::pow(1.1 * 0.9, 5), 1e-11);
    EXPECT_NEAR(terminal(chop, Strategy(Unrebalanced{}), 2), 2 * s10 - 1, 1e-11);
    EXPECT_NEAR(terminal(chop, Strategy(DailyReset{}), -1), std::pow(0.95 * 1.05, 5), 1e-11);
    EXPECT_NEAR(terminal(chop, Strategy(Unrebalanced{}), -1), 2 - s10, 1e-11);
}

TEST(Strategy, ChoppyStartDownMirrorsStartUp) {
    ScenarioConfig c = pattern_scenario({0.0}, {3}, 3);
    c.model = ChoppyModel{0.02, 0.001, 0.0, false};
    const SimulationResult r = simulate(c, {.threads = 1});
    const double expected =
        (1 + 3 * (0.001 - 0.02)) * (1 + 3 * (0.001 + 0.02)) * (1 + 3 * (0.001 - 0.02));
    EXPECT_NEAR(terminal(r, Strategy(DailyReset{}), 3), expected, 1e-14);
}

TEST(Strategy, UpDownPairMultipliesByOneMinusLSquaredASquared) {
    for (double a : {0.01, 0.05, 0.2}) {
        for (double L : {-3.0, -1.0, 0.5, 2.0, 3.0}) {
            ScenarioConfig c = pattern_scenario({a, -a}, {L}, 2);
            c.strategies = {Strategy(DailyReset{})};
            const SimulationResult r = simulate(c, {.threads = 1});
            EXPECT_NEAR(terminal(r, Strategy(DailyReset{}), L), 1 - L * L * a * a, 1e-14)
                << "a = " << a << ", L = " << L;
        }
    }
}

TEST(Strategy, ZeroReturnsGiveOne) {
    const SimulationResult r = simulate(pattern_scenario({0.0}, {-3, -1, 0.5, 2, 3}, 50), {});
    for (const auto& p : r.positions) {
        EXPECT_EQ(p[metric::terminal].moments.mean, 1.0);
        EXPECT_EQ(p[metric::max_drawdown].moments.mean, 0.0);
        EXPECT_EQ(p.loss, 0);
    }
}

TEST(Strategy, WipeoutIsAbsorbing) {
    // Day 1: -60 %, then the index recovers +50 % twice (S_3 = 0.9). A 2x fund loses 120 % on
    // day 1 and stays at 0; the unrebalanced 2x equity 2 S - 1 is -0.2 on day 1 and would be
    // 0.8 on day 3 without limited liability, but stays 0.
    const SimulationResult r = simulate(pattern_scenario({-0.6, 0.5, 0.5}, {2}, 3), {});
    for (const auto& p : r.positions) {
        EXPECT_EQ(p[metric::terminal].moments.mean, 0.0) << to_string(p.position.strategy);
        EXPECT_EQ(p.wipeout, 1);
        EXPECT_EQ(p[metric::wipeout_day].moments.count, 1);
        EXPECT_EQ(p[metric::wipeout_day].moments.mean, 1.0);
        EXPECT_EQ(p[metric::max_drawdown].moments.mean, 1.0);
        EXPECT_EQ(p[metric::log_return].moments.count, 0);
        EXPECT_FALSE(p[metric::log_return].median().has_value());
    }
}

TEST(Strategy, WipeoutDayIsTheFirstDayAtZero) {
    // S: 1, 0.8, 0.6, 0.4: 3x unrebalanced equity 3 S - 2 = 1, 0.4, -0.2 -> wiped on day 2.
    ScenarioConfig c = pattern_scenario({-0.2, -0.25, -1.0 / 3.0}, {3}, 3);
    c.strategies = {Strategy(Unrebalanced{})};
    const SimulationResult r = simulate(c, {});
    EXPECT_EQ(r.positions[0][metric::wipeout_day].moments.mean, 2.0);
}

/// Runs every position of `config` on `strips` strips of paths (paths 0, 1, ...), one day at a
/// time, and calls check(day, positions, walkers) after each day.
template <class Check> void walk_strips(const ScenarioConfig& config, int strips, Check check) {
    const StripSource model(config);
    const std::vector<Position> positions = make_positions(config);
    std::vector<StripRng> rngs;
    std::vector<StripSource::State> states;
    std::vector<StripWalker> walkers;
    for (int s = 0; s < strips; ++s) {
        const auto first = static_cast<std::uint64_t>(s) * kStripPaths;
        rngs.push_back(StripRng::for_paths(config.seed, first));
        states.push_back(model.start(config.seed, first));
        walkers.emplace_back(positions, config.days);
    }
    std::vector<double> r(kStripPaths);
    for (int day = 1; day <= config.days; ++day) {
        for (int s = 0; s < strips; ++s) {
            const auto k = static_cast<std::size_t>(s);
            model.fill(day, 1, rngs[k], states[k], r.data());
            walkers[static_cast<std::size_t>(s)].advance(day, 1, r.data());
        }
        check(day, positions, walkers);
    }
}

TEST(Strategy, LeverageOneDailyResetEqualsTheUnderlying) {
    ScenarioConfig c = test::gbm_scenario(0.05, 0.6, {1.0}, 0, 100);
    c.strategies = {Strategy(DailyReset{})};
    walk_strips(c, 16, [](int, const auto&, const std::vector<StripWalker>& ws) {
        for (const StripWalker& w : ws)
            for (int i = 0; i < kStripPaths; ++i) {
                ASSERT_EQ(w.value(0, i), w.underlying(i));
                ASSERT_EQ(w.max_drawdown(0, i), w.underlying_max_drawdown(i));
            }
    });
}

TEST(Strategy, UnrebalancedEqualsOnePlusLTimesIndexReturnWithoutCosts) {
    ScenarioConfig c = test::gbm_scenario(0.05, 0.3, {-1.0, 0.5, 1.5, 2.0}, 0, 100);
    c.strategies = {Strategy(Unrebalanced{})};
    walk_strips(
        c, 16, [](int, const std::vector<Position>& pos, const std::vector<StripWalker>& ws) {
            for (const StripWalker& w : ws)
                for (std::size_t j = 0; j < pos.size(); ++j) {
                    const double L = pos[j].multiple;
                    for (int i = 0; i < kStripPaths; ++i) {
                        if (w.wipeout_day(j, i) > 0)
                            continue; // absorbed
                        const double expected = std::max(0.0, 1.0 + L * (w.underlying(i) - 1.0));
                        ASSERT_NEAR(w.value(j, i), expected, 1e-13);
                    }
                }
        });
}

TEST(Strategy, DrawdownMatchesADirectPeakTracker) {
    ScenarioConfig c = test::gbm_scenario(0.0, 0.5, {-2.0, 3.0}, 0, 60);
    c.costs.financing_rate = 0.03;
    c.costs.expense_ratio = 0.01;
    const int strips = 4;
    const std::size_t P = make_positions(c).size();
    const std::size_t n = static_cast<std::size_t>(strips) * kStripPaths * P;
    std::vector<double> peak(n, 1.0), dd(n, 0.0);
    walk_strips(c, strips,
                [&](int, const std::vector<Position>&, const std::vector<StripWalker>& ws) {
                    std::size_t k = 0;
                    for (const StripWalker& w : ws)
                        for (std::size_t j = 0; j < P; ++j)
                            for (int i = 0; i < kStripPaths; ++i, ++k) {
                                const double v = w.value(j, i);
                                peak[k] = std::max(peak[k], v);
                                dd[k] = std::max(dd[k], 1.0 - v / peak[k]);
                                ASSERT_NEAR(w.max_drawdown(j, i), dd[k], 1e-12);
                            }
                });
}

/// The plain scalar reference of one strategy on one path: the formulas of strategy.hpp,
/// day by day, with a division for the drawdown and pow for the unrebalanced loan.
struct ReferencePath {
    double value = 1.0, max_dd = 0.0;
    int wipeout_day = 0;
};

ReferencePath reference(const Position& p, const std::vector<double>& returns) {
    ReferencePath out;
    double s = 1.0, v = 1.0, peak = 1.0;
    for (std::size_t t = 1; t <= returns.size(); ++t) {
        const double R = returns[t - 1];
        s = std::min(s * (1.0 + R), kValueCap);
        if (p.strategy == Strategy(DailyReset{})) {
            v = std::min(v * std::max(1.0 + p.multiple * R - p.carry_daily, 0.0), kValueCap);
        } else if (v > 0.0) {
            const double loan =
                (p.multiple - 1.0) * std::pow(p.growth_daily, static_cast<double>(t));
            v = std::min(std::max(p.multiple * s - loan, 0.0), kValueCap);
        }
        peak = std::max(peak, v);
        out.max_dd = std::max(out.max_dd, 1.0 - v / peak);
        if (v <= 0.0 && out.wipeout_day == 0)
            out.wipeout_day = static_cast<int>(t);
    }
    out.value = v;
    return out;
}

TEST(Strategy, OptimisedKernelMatchesTheScalarReferencePathByPath) {
    // Wild volatility and costs so that wipe-outs, deep drawdowns and every code path occur;
    // 300 days cross four chunk boundaries (kDayChunk = 64) and end mid-chunk.
    ScenarioConfig c =
        test::gbm_scenario(0.05, 0.9, {-3.0, -2.0, -1.0, 0.5, 1.0, 2.0, 3.0}, 0, 300);
    c.costs = Costs{0.01, 0.04, 0.005, 0.02};
    const StripSource model(c);
    const std::vector<Position> positions = make_positions(c);
    const int strips = 160; // 2,560 paths
    std::size_t wiped = 0, paths_checked = 0;
    std::vector<double> chunk(static_cast<std::size_t>(kDayChunk) * kStripPaths);
    for (int s = 0; s < strips; ++s) {
        StripRng rng = StripRng::for_paths(c.seed, static_cast<std::uint64_t>(s) * kStripPaths);
        StripSource::State state =
            model.start(c.seed, static_cast<std::uint64_t>(s) * kStripPaths);
        StripWalker w(positions, c.days);
        std::vector<std::vector<double>> returns(kStripPaths);
        for (int day = 1; day <= c.days; day += kDayChunk) {
            const int days = std::min(kDayChunk, c.days - day + 1);
            model.fill(day, days, rng, state, chunk.data());
            w.advance(day, days, chunk.data());
            for (int d = 0; d < days; ++d)
                for (int i = 0; i < kStripPaths; ++i)
                    returns[static_cast<std::size_t>(i)].push_back(
                        chunk[static_cast<std::size_t>(d * kStripPaths + i)]);
        }
        for (int i = 0; i < kStripPaths; ++i, ++paths_checked) {
            const std::vector<double>& r = returns[static_cast<std::size_t>(i)];
            double s_ref = 1.0;
            for (double x : r)
                s_ref = std::min(s_ref * (1.0 + x), kValueCap);
            ASSERT_EQ(w.underlying(i), s_ref);
            for (std::size_t j = 0; j < positions.size(); ++j) {
                const ReferencePath ref = reference(positions[j], r);
                const double v = w.value(j, i);
                ASSERT_NEAR(v, ref.value, 1e-12 * std::max(1.0, ref.value))
                    << "strip " << s << " lane " << i << " position " << j;
                ASSERT_NEAR(w.max_drawdown(j, i), ref.max_dd, 1e-12);
                ASSERT_EQ(w.wipeout_day(j, i), ref.wipeout_day);
                wiped += ref.wipeout_day > 0;
            }
        }
    }
    EXPECT_EQ(paths_checked, 2560u);
    EXPECT_GT(wiped, 100u); // the wipe-out paths were exercised
}

TEST(Strategy, CostsFollowTheDocumentedCarry) {
    Costs k{0.01, 0.04, 0.005, 0.02};
    EXPECT_DOUBLE_EQ(fund_carry(k, 3.0), 0.01 + 2 * (0.04 + 0.005));
    EXPECT_DOUBLE_EQ(fund_carry(k, 1.0), 0.01);
    EXPECT_DOUBLE_EQ(fund_carry(k, 0.5), 0.01 - 0.5 * 0.04);
    EXPECT_DOUBLE_EQ(fund_carry(k, -2.0), 0.01 - 3 * 0.04 + 2 * 0.02);
    EXPECT_DOUBLE_EQ(unrebalanced_rate(k, 3.0), 0.045);
    EXPECT_DOUBLE_EQ(unrebalanced_rate(k, 0.5), 0.04);
    EXPECT_DOUBLE_EQ(unrebalanced_rate(k, -2.0), 0.04 - 0.02 * 2 / 3);

    // 2x daily reset with zero returns over 252 days pays (1 - c dt)^252.
    ScenarioConfig c = pattern_scenario({0.0}, {2.0, -1.0}, 252);
    c.costs = k;
    const SimulationResult r = simulate(c, {});
    const double dt = 1.0 / 252;
    EXPECT_NEAR(terminal(r, Strategy(DailyReset{}), 2), std::pow(1 - fund_carry(k, 2) * dt, 252),
                1e-14);
    EXPECT_NEAR(terminal(r, Strategy(Unrebalanced{}), 2),
                2 - std::pow(1 + unrebalanced_rate(k, 2) * dt, 252), 1e-14);
    EXPECT_NEAR(terminal(r, Strategy(Unrebalanced{}), -1),
                -1 + 2 * std::pow(1 + unrebalanced_rate(k, -1) * dt, 252), 1e-14);
}

} // namespace
} // namespace letf
