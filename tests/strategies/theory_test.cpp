// Each strategy's theory through analytic_position: exact means against hand values and
// against a deterministic simulation; no closed form for the investor strategies.

#include <algorithm>
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


TEST(StrategyTheory, DailyResetWithADayLawHasTheLimitedLiabilityMeanAndTheWipeoutOdds) {
    // A two-point day: R = +10 % or -40 % with equal odds; at 3x the bad day wipes the fund
    // out (1 - 1.2 - c dt < 0), so E[max(0, f)] = (1.3 - c dt) / 2 and P(f <= 0) = 1/2.
    TheoryInputs in;
    in.days = 12;
    in.costs.expense_ratio = 0.01;
    in.product_of_means = [&](double a, double b) { return std::pow(a + b * (-0.15), in.days); };
    const auto day = [](double a, double b, double r) { return a + b * r; };
    in.positive_part = [&](double a, double b) {
        return 0.5 * (std::max(0.0, day(a, b, 0.10)) + std::max(0.0, day(a, b, -0.40)));
    };
    in.prob_nonpositive = [&](double a, double b) {
        return 0.5 * (day(a, b, 0.10) <= 0.0) + 0.5 * (day(a, b, -0.40) <= 0.0);
    };
    const double cdt = fund_carry(in.costs, 3.0) * in.dt;
    const StrategyTheory t = DailyReset{}.theory(in, 3.0);
    ASSERT_TRUE(t.mean_terminal_limited && t.prob_wipeout);
    EXPECT_NEAR(*t.mean_terminal_limited, std::pow(0.5 * (1.3 - cdt), 12), 1e-15);
    EXPECT_NEAR(*t.prob_wipeout, 1.0 - std::pow(0.5, 12), 1e-15);
    // Without a day law there is neither.
    in.positive_part = nullptr;
    in.prob_nonpositive = nullptr;
    const StrategyTheory none = DailyReset{}.theory(in, 3.0);
    EXPECT_FALSE(none.mean_terminal_limited || none.prob_wipeout);
}

TEST(StrategyTheory, DailyResetLogDecayFromTheIntegratedVariance) {
    TheoryInputs in;
    in.days = 252;
    in.dt = 1.0 / 252;
    in.costs.financing_rate = 0.02;
    in.product_of_means = [](double a, double b) { return a + b; };
    in.integrated_variance = 0.05;
    const StrategyTheory t = DailyReset{}.theory(in, -2.0);
    ASSERT_TRUE(t.log_decay_mean);
    EXPECT_NEAR(*t.log_decay_mean, 0.5 * 6.0 * 0.05 + fund_carry(in.costs, -2.0) * 1.0, 1e-15);
}

} // namespace
} // namespace letf
