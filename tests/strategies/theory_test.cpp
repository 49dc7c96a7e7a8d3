// Each strategy's theory through analytic_position: exact means against hand values and
// against a deterministic simulation; no closed form for the investor strategies.

#include <cmath>

#include <gtest/gtest.h>

#include "letf/engine/engine.hpp"
#include "letf/theory/analytic.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

double simulated(const ScenarioConfig& c, const Strategy& s, double L) {
    for (const PositionResult& p : simulate(c, {.threads = 1}).positions)
        if (p.position.strategy == s && p.position.multiple == L)
            return p[metric::terminal].moments.mean;
    ADD_FAILURE() << "no position " << label(s) << " L = " << L;
    return 0.0;
}

const Position& position(const std::vector<Position>& ps, const Strategy& s, double L) {
    for (const Position& p : ps)
        if (p.strategy == s && p.multiple == L)
            return p;
    ADD_FAILURE() << "no position " << label(s);
    return ps.front();
}

TEST(StrategyTheory, DailyResetMeanIsTheProductOfDailyFactors) {
    ScenarioConfig c = test::pattern_scenario({0.05, -0.05}, {2.0, -1.0}, 10);
    c.costs.expense_ratio = 0.01;
    c.strategies = {DailyReset{}};
    const std::vector<Position> ps = make_positions(c);
    for (const double L : {2.0, -1.0}) {
        const double cdt = fund_carry(c.costs, L) * c.dt();
        const double hand =
            std::pow((1.0 - cdt + L * 0.05) * (1.0 - cdt - L * 0.05), 5); // 5 up/down pairs
        const Analytic a = analytic_position(c, position(ps, DailyReset{}, L));
        ASSERT_TRUE(a.mean_terminal);
        EXPECT_NEAR(*a.mean_terminal, hand, 1e-12) << "L = " << L;
        EXPECT_NEAR(*a.mean_terminal, simulated(c, DailyReset{}, L), 1e-12) << "L = " << L;
        EXPECT_FALSE(a.mean_ignores_wipeout);
    }
}

TEST(StrategyTheory, UnrebalancedMeanIsLTimesTheIndexMinusTheLoan) {
    ScenarioConfig c = test::pattern_scenario({0.01}, {3.0}, 20);
    c.costs.financing_rate = 0.05;
    c.strategies = {Unrebalanced{}};
    const std::vector<Position> ps = make_positions(c);
    const double hand = 3.0 * std::pow(1.01, 20) - 2.0 * std::pow(1.0 + 0.05 * c.dt(), 20);
    const Analytic a = analytic_position(c, position(ps, Unrebalanced{}, 3.0));
    ASSERT_TRUE(a.mean_terminal);
    EXPECT_NEAR(*a.mean_terminal, hand, 1e-12);
    EXPECT_NEAR(*a.mean_terminal, simulated(c, Unrebalanced{}, 3.0), 1e-12);
    EXPECT_TRUE(a.mean_ignores_wipeout);
}

TEST(StrategyTheory, GbmDailyResetHasTheContinuousTimeMedianAndDecay) {
    ScenarioConfig c = test::gbm_scenario(0.07, 0.2, {2.0}, 100, 252);
    c.strategies = {DailyReset{}};
    const Analytic a = analytic_position(c, make_positions(c).front());
    ASSERT_TRUE(a.median_terminal && a.log_decay_mean);
    EXPECT_NEAR(*a.median_terminal, std::exp(2.0 * 0.07 - 0.5 * 4.0 * 0.04), 1e-12);
    EXPECT_NEAR(*a.log_decay_mean, 0.5 * 2.0 * 0.04, 1e-12);
    EXPECT_FALSE(a.median_exact);
}

TEST(StrategyTheory, InvestorStrategiesHaveNoClosedForm) {
    ScenarioConfig c = test::gbm_scenario(0.07, 0.2, {2.0}, 100, 252);
    c.strategies = {CalendarRebalance{.every_days = 21}, BandRebalance{.band = 0.1},
                    TargetLeverage{.every_days = 21}};
    for (const Position& p : make_positions(c)) {
        const Analytic a = analytic_position(c, p);
        EXPECT_FALSE(a.mean_terminal) << label(p.strategy);
        EXPECT_FALSE(a.median_terminal) << label(p.strategy);
        EXPECT_FALSE(a.log_decay_mean) << label(p.strategy);
    }
}

} // namespace
} // namespace letf
