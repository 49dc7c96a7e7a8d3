// Golden values and exact properties of the strategies on deterministic and random paths.

#include <cmath>

#include <gtest/gtest.h>

#include "letf/engine.hpp"
#include "letf/path_model.hpp"
#include "letf/strategy.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

using test::pattern_scenario;

/// V_T/V_0 of the (strategy, multiple) result of a one-path scenario.
double terminal(const SimulationResult& r, StrategyKind kind, double L) {
    for (const auto& p : r.positions)
        if (p.position.kind == kind && p.position.multiple == L)
            return p.terminal.moments.mean;
    ADD_FAILURE() << "no result for L = " << L;
    return 0.0;
}

struct Golden {
    const char* name;
    std::vector<double> returns;
    StrategyKind kind;
    double multiple;
    double expected; // V_10 from V_0 = 100
};

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
        return g.kind == StrategyKind::daily_reset ? v : g.multiple * s - (g.multiple - 1.0);
    }();
    const double got = 100.0 * terminal(r, g.kind, g.multiple);
    EXPECT_NEAR(got, 100.0 * exact, 1e-9);
    EXPECT_NEAR(got, g.expected, 0.005);
}

INSTANTIATE_TEST_SUITE_P(
    Strategy, TextbookTable,
    ::testing::Values(Golden{"trend_2x_reset", {0.05}, StrategyKind::daily_reset, 2, 259.37},
                      Golden{"trend_2x_unreb", {0.05}, StrategyKind::unrebalanced, 2, 225.78},
                      Golden{"trend_m1_reset", {0.05}, StrategyKind::daily_reset, -1, 59.87},
                      Golden{"trend_m1_unreb", {0.05}, StrategyKind::unrebalanced, -1, 37.11},
                      Golden{"chop_2x_reset", {0.05, -0.05}, StrategyKind::daily_reset, 2, 95.10},
                      Golden{"chop_2x_unreb", {0.05, -0.05}, StrategyKind::unrebalanced, 2, 97.51},
                      Golden{"chop_m1_reset", {0.05, -0.05}, StrategyKind::daily_reset, -1, 98.76},
                      Golden{
                          "chop_m1_unreb", {0.05, -0.05}, StrategyKind::unrebalanced, -1, 101.24}),
    [](const auto& tp) { return std::string(tp.param.name); });

TEST(Strategy, GoldenValuesToNineDecimals) {
    // Closed forms: (1.05)^10 etc., written out independently of the engine.
    const SimulationResult trend = simulate(pattern_scenario({0.05}, {-1, 2}, 10), {.threads = 1});
    EXPECT_NEAR(terminal(trend, StrategyKind::daily_reset, 2), std::pow(1.10, 10), 1e-11);
    EXPECT_NEAR(terminal(trend, StrategyKind::unrebalanced, 2), 2 * std::pow(1.05, 10) - 1, 1e-11);
    EXPECT_NEAR(terminal(trend, StrategyKind::daily_reset, -1), std::pow(0.95, 10), 1e-11);
    EXPECT_NEAR(terminal(trend, StrategyKind::unrebalanced, -1), 2 - std::pow(1.05, 10), 1e-11);

    ScenarioConfig choppy = pattern_scenario({0.0}, {-1, 2}, 10);
    choppy.model = ChoppyModel{0.05, 0.0, 0.0, true};
    const SimulationResult chop = simulate(choppy, {.threads = 1});
    const double s10 = std::pow(1.05 * 0.95, 5);
    EXPECT_NEAR(terminal(chop, StrategyKind::daily_reset, 2), std::pow(1.1 * 0.9, 5), 1e-11);
    EXPECT_NEAR(terminal(chop, StrategyKind::unrebalanced, 2), 2 * s10 - 1, 1e-11);
    EXPECT_NEAR(terminal(chop, StrategyKind::daily_reset, -1), std::pow(0.95 * 1.05, 5), 1e-11);
    EXPECT_NEAR(terminal(chop, StrategyKind::unrebalanced, -1), 2 - s10, 1e-11);
}

TEST(Strategy, ChoppyStartDownMirrorsStartUp) {
    ScenarioConfig c = pattern_scenario({0.0}, {3}, 3);
    c.model = ChoppyModel{0.02, 0.001, 0.0, false};
    const SimulationResult r = simulate(c, {.threads = 1});
    const double expected =
        (1 + 3 * (0.001 - 0.02)) * (1 + 3 * (0.001 + 0.02)) * (1 + 3 * (0.001 - 0.02));
    EXPECT_NEAR(terminal(r, StrategyKind::daily_reset, 3), expected, 1e-14);
}

TEST(Strategy, UpDownPairMultipliesByOneMinusLSquaredASquared) {
    for (double a : {0.01, 0.05, 0.2}) {
        for (double L : {-3.0, -1.0, 0.5, 2.0, 3.0}) {
            ScenarioConfig c = pattern_scenario({a, -a}, {L}, 2);
            c.strategies = {StrategyKind::daily_reset};
            const SimulationResult r = simulate(c, {.threads = 1});
            EXPECT_NEAR(terminal(r, StrategyKind::daily_reset, L), 1 - L * L * a * a, 1e-14)
                << "a = " << a << ", L = " << L;
        }
    }
}

TEST(Strategy, ZeroReturnsGiveOne) {
    const SimulationResult r = simulate(pattern_scenario({0.0}, {-3, -1, 0.5, 2, 3}, 50), {});
    for (const auto& p : r.positions) {
        EXPECT_EQ(p.terminal.moments.mean, 1.0);
        EXPECT_EQ(p.max_drawdown.moments.mean, 0.0);
        EXPECT_EQ(p.loss, 0);
    }
}

TEST(Strategy, WipeoutIsAbsorbing) {
    // Day 1: -60 %, then the index recovers +50 % twice (S_3 = 0.9). A 2x fund loses 120 % on
    // day 1 and stays at 0; the unrebalanced 2x equity 2 S - 1 is -0.2 on day 1 and would be
    // 0.8 on day 3 without limited liability, but stays 0.
    const SimulationResult r = simulate(pattern_scenario({-0.6, 0.5, 0.5}, {2}, 3), {});
    for (const auto& p : r.positions) {
        EXPECT_EQ(p.terminal.moments.mean, 0.0) << to_string(p.position.kind);
        EXPECT_EQ(p.wipeout, 1);
        EXPECT_EQ(p.wipeout_day.count, 1);
        EXPECT_EQ(p.wipeout_day.mean, 1.0);
        EXPECT_EQ(p.max_drawdown.moments.mean, 1.0);
        EXPECT_EQ(p.log_return.moments.count, 0);
        EXPECT_FALSE(p.log_return.median().has_value());
    }
}

TEST(Strategy, WipeoutDayIsTheFirstDayAtZero) {
    // S: 1, 0.8, 0.6, 0.4: 3x unrebalanced equity 3 S - 2 = 1, 0.4, -0.2 -> wiped on day 2.
    ScenarioConfig c = pattern_scenario({-0.2, -0.25, -1.0 / 3.0}, {3}, 3);
    c.strategies = {StrategyKind::unrebalanced};
    const SimulationResult r = simulate(c, {});
    EXPECT_EQ(r.positions[0].wipeout_day.mean, 2.0);
}

/// Runs every position of `config` directly on a BlockState over the model's returns and
/// calls check(state) after each day.
template <class Check>
void walk_block(const ScenarioConfig& config, Eigen::Index paths, Check check) {
    const PathModel model(config.model, config.dt());
    const std::vector<Position> positions = make_positions(config);
    std::vector<PathRng> rngs;
    for (Eigen::Index i = 0; i < paths; ++i)
        rngs.push_back(path_rng(config.seed, static_cast<std::uint64_t>(i)));
    Eigen::ArrayXd returns(paths);
    BlockState st;
    st.reset(paths, positions.size());
    for (int day = 1; day <= config.days; ++day) {
        model.fill_day(day, rngs, std::span<double>(returns.data(), rngs.size()));
        st.step(day, positions, returns);
        check(day, positions, st);
    }
}

TEST(Strategy, LeverageOneDailyResetEqualsTheUnderlying) {
    ScenarioConfig c = test::gbm_scenario(0.05, 0.6, {1.0}, 0, 100);
    c.strategies = {StrategyKind::daily_reset};
    walk_block(c, 256, [](int, const auto&, const BlockState& st) {
        for (Eigen::Index i = 0; i < st.underlying.size(); ++i) {
            ASSERT_EQ(st.value(i, 0), st.underlying(i));
            ASSERT_EQ(st.max_dd(i, 0), st.underlying_max_dd(i));
        }
    });
}

TEST(Strategy, UnrebalancedEqualsOnePlusLTimesIndexReturnWithoutCosts) {
    ScenarioConfig c = test::gbm_scenario(0.05, 0.3, {-1.0, 0.5, 1.5, 2.0}, 0, 100);
    c.strategies = {StrategyKind::unrebalanced};
    walk_block(c, 256, [](int, const std::vector<Position>& pos, const BlockState& st) {
        for (std::size_t j = 0; j < pos.size(); ++j) {
            const double L = pos[j].multiple;
            for (Eigen::Index i = 0; i < st.underlying.size(); ++i) {
                const double expected = std::max(0.0, 1.0 + L * (st.underlying(i) - 1.0));
                if (st.wipeout_day(i, static_cast<Eigen::Index>(j)) > 0)
                    continue; // absorbed
                ASSERT_NEAR(st.value(i, static_cast<Eigen::Index>(j)), expected, 1e-13);
            }
        }
    });
}

TEST(Strategy, DrawdownMatchesADirectPeakTracker) {
    ScenarioConfig c = test::gbm_scenario(0.0, 0.5, {-2.0, 3.0}, 0, 60);
    c.costs.financing_rate = 0.03;
    c.costs.expense_ratio = 0.01;
    const Eigen::Index n = 64;
    const std::size_t P = make_positions(c).size();
    std::vector<double> peak(static_cast<std::size_t>(n) * P, 1.0);
    std::vector<double> dd(peak.size(), 0.0);
    walk_block(c, n, [&](int, const std::vector<Position>&, const BlockState& st) {
        for (std::size_t j = 0; j < P; ++j) {
            for (Eigen::Index i = 0; i < n; ++i) {
                const std::size_t k = j * static_cast<std::size_t>(n) + static_cast<std::size_t>(i);
                const double v = st.value(i, static_cast<Eigen::Index>(j));
                peak[k] = std::max(peak[k], v);
                dd[k] = std::max(dd[k], 1.0 - v / peak[k]);
                ASSERT_NEAR(st.max_dd(i, static_cast<Eigen::Index>(j)), dd[k], 1e-12);
            }
        }
    });
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
    EXPECT_NEAR(terminal(r, StrategyKind::daily_reset, 2), std::pow(1 - fund_carry(k, 2) * dt, 252),
                1e-14);
    EXPECT_NEAR(terminal(r, StrategyKind::unrebalanced, 2),
                2 - std::pow(1 + unrebalanced_rate(k, 2) * dt, 252), 1e-14);
    EXPECT_NEAR(terminal(r, StrategyKind::unrebalanced, -1),
                -1 + 2 * std::pow(1 + unrebalanced_rate(k, -1) * dt, 252), 1e-14);
}

} // namespace
} // namespace letf
