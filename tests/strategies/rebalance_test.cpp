// The rebalancing calculators on the worked examples.

#include <gtest/gtest.h>

#include "letf/strategies/rebalance.hpp"

namespace letf {
namespace {

TEST(Rebalance, InvestorRuleUsesTheIndexReturnForAnyFund) {
    // Inverse fund example: initial 100, index +5 %, position 90 -> target 105, trade +15.
    const InvestorRebalance r = investor_rebalance(100.0, 0.05, 90.0);
    EXPECT_NEAR(r.target, 105.0, 1e-9);
    EXPECT_NEAR(r.trade, 15.0, 1e-9);
    // A position above its target sells.
    const InvestorRebalance s = investor_rebalance(100.0, -0.10, 95.0);
    EXPECT_NEAR(s.target, 90.0, 1e-9);
    EXPECT_NEAR(s.trade, -5.0, 1e-9);
}

TEST(Rebalance, TargetLeverageBorrowsAfterARiseAndRepaysAfterAFall) {
    // 1.5x on 100,000 equity: assets 150,000, debt 50,000.
    const LeverageRebalance up = leverage_rebalance(115000.0, 165000.0, 1.5); // assets +10 %
    EXPECT_NEAR(up.trade, 7500.0, 1e-6);
    EXPECT_NEAR(up.debt_before, 50000.0, 1e-6);
    EXPECT_NEAR(up.debt_after, 57500.0, 1e-6);
    EXPECT_NEAR(up.leverage_after, 1.5, 1e-12);
    const LeverageRebalance down = leverage_rebalance(85000.0, 135000.0, 1.5); // assets -10 %
    EXPECT_NEAR(down.trade, -7500.0, 1e-6);
    EXPECT_NEAR(down.leverage_before, 135000.0 / 85000.0, 1e-12);

    // Current equity 100,000 and assets 165,000 (leverage 1.65): repay 15,000.
    const LeverageRebalance now = leverage_rebalance(100000.0, 165000.0, 1.5);
    EXPECT_NEAR(now.leverage_before, 1.65, 1e-12);
    EXPECT_NEAR(now.target_assets, 150000.0, 1e-6);
    EXPECT_NEAR(now.trade, -15000.0, 1e-6);
    EXPECT_NEAR(now.debt_after, 50000.0, 1e-6);
}

TEST(Rebalance, OneDayOfADailyResetFund) {
    // 2x, +5 %, NAV 100: exposure 210, NAV 110, leverage 1.91, trade +10.
    const FundRebalance r = fund_rebalance(2.0, 100.0, 0.05);
    EXPECT_NEAR(r.exposure_before, 210.0, 1e-9);
    EXPECT_NEAR(r.nav_after, 110.0, 1e-9);
    EXPECT_NEAR(r.leverage_before, 210.0 / 110.0, 1e-12);
    EXPECT_NEAR(r.target_exposure, 220.0, 1e-9);
    EXPECT_NEAR(r.trade, 10.0, 1e-9);
    EXPECT_NEAR(r.trade, r.target_exposure - r.exposure_before, 1e-9);

    // Inverse: -1x, +5 %, NAV 100: short 105 on NAV 95, cover 10 to get back to -95.
    const FundRebalance inv = fund_rebalance(-1.0, 100.0, 0.05);
    EXPECT_NEAR(inv.exposure_before, -105.0, 1e-9);
    EXPECT_NEAR(inv.nav_after, 95.0, 1e-9);
    EXPECT_NEAR(inv.trade, 10.0, 1e-9);
    EXPECT_NEAR(inv.trade, inv.target_exposure - inv.exposure_before, 1e-9);
    // -3x after a fall of 2 %: sells (adds to the short) 3 x 4 x 0.02 x 100 = 24.
    EXPECT_NEAR(fund_rebalance(-3.0, 100.0, -0.02).trade, -24.0, 1e-9);
    // 1x never trades.
    EXPECT_EQ(fund_rebalance(1.0, 100.0, 0.07).trade, 0.0);
}

} // namespace
} // namespace letf
