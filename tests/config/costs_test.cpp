// The one carry formula (fund_carry), the unrebalanced account's rate, and the daily-reset day
// factor, against hand values.

#include <gtest/gtest.h>

#include "letf/backtest/backtest.hpp"
#include "letf/config/costs.hpp"

namespace letf {
namespace {

const Costs kCosts{
    .expense_ratio = 0.01, .financing_rate = 0.02, .financing_spread = 0.005, .short_fee = 0.003};

TEST(Costs, FundCarryByHand) {
    EXPECT_NEAR(fund_carry(kCosts, 3.0), 0.01 + 2.0 * (0.02 + 0.005), 1e-15); // borrowed 2
    EXPECT_NEAR(fund_carry(kCosts, 1.0), 0.01, 1e-15);
    EXPECT_NEAR(fund_carry(kCosts, 0.5), 0.01 - 0.5 * 0.02, 1e-15); // cash 0.5 earns the rate
    EXPECT_NEAR(fund_carry(kCosts, -2.0), 0.01 - 3.0 * 0.02 + 2.0 * 0.003, 1e-15);
    EXPECT_EQ(fund_carry(Costs{}, 3.0), 0.0);
}

TEST(Costs, UnrebalancedRateByHand) {
    EXPECT_NEAR(unrebalanced_rate(kCosts, 3.0), 0.025, 1e-15);
    EXPECT_NEAR(unrebalanced_rate(kCosts, 0.5), 0.02, 1e-15);
    // Cash 1 - L = 3 earns the rate; the fee on |L| = 2 is spread over it.
    EXPECT_NEAR(unrebalanced_rate(kCosts, -2.0), 0.02 - 0.003 * 2.0 / 3.0, 1e-15);
}

TEST(Costs, BacktestCarryIsTheSameFormulaWithTheSpreadOnShorts) {
    for (const double L : {3.0, 1.0, 0.5, -2.0}) {
        const Costs k{.expense_ratio = 0.0095,
                      .financing_rate = 0.031,
                      .financing_spread = 0.004,
                      .short_fee = 0.004};
        EXPECT_EQ(backtest_carry(L, 0.0095, 0.031, 0.004), fund_carry(k, L)) << "L = " << L;
    }
}

TEST(Costs, DailyResetFactorByHand) {
    EXPECT_NEAR(daily_reset_factor(2.0, 0.05, 0.001), 1.099, 1e-15);
    EXPECT_NEAR(daily_reset_factor_folded(1.0 - 0.001, 2.0, 0.05), 1.099, 1e-15);
    EXPECT_NEAR(daily_reset_factor_net(2.0, 0.05, 0.001), 1.099, 1e-15);
    // A day that would take the fund below zero leaves exactly +0 (absorbing).
    EXPECT_EQ(daily_reset_factor(3.0, -0.5, 0.0), 0.0);
    EXPECT_EQ(daily_reset_factor_folded(1.0, 3.0, -0.5), 0.0);
    EXPECT_EQ(daily_reset_factor_net(3.0, -0.5, 0.0), 0.0);
    // L = 1 without costs is the index.
    EXPECT_EQ(daily_reset_factor(1.0, 0.0123, 0.0), 1.0123);
}

} // namespace
} // namespace letf
