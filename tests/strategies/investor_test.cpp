// Investor-side rebalancing in the walker and the engine: calendar, band and target leverage.

#include "letf/base/error.hpp"
#include "letf/engine/engine.hpp"
#include "letf/market/market_data.hpp"
#include "letf/models/strip_source.hpp"
#include "letf/output/report.hpp"
#include "letf/strategies/strategy.hpp"
#include "strategies/investor_util.hpp"
#include "test_util.hpp"
#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>
#include <unistd.h>
#include <vector>

namespace letf {
namespace {

namespace fs = std::filesystem;
using namespace investor_test;

// --- calendar and band ----------------------------------------------------------------------

TEST(Investor, CalendarEveryDayReplicatesTheUnrebalancedPositionPathByPath) {
    // Without costs and rates: position = S_t and position + cash = 1 + L (S_t - 1) every day.
    ScenarioConfig c = test::gbm_scenario(0.05, 0.4, {-1.0, 2.0, 3.0}, 0, 150);
    c.strategies = {calendar(1)};
    const StripSource model(c);
    const std::vector<Position> positions = make_positions(c);
    std::vector<double> r(static_cast<std::size_t>(kDayChunk) * kStripPaths);
    std::size_t checked = 0;
    for (int s = 0; s < 8; ++s) {
        StripRng rng = StripRng::for_paths(c.seed, static_cast<std::uint64_t>(s) * kStripPaths);
        StripSource::State cursor =
            model.start(c.seed, static_cast<std::uint64_t>(s) * kStripPaths);
        StripWalker w(positions, c.days);
        for (int day = 1; day <= c.days; day += kDayChunk) {
            const int days = std::min(kDayChunk, c.days - day + 1);
            model.fill(day, days, rng, cursor, r.data());
            w.advance(day, days, r.data());
        }
        for (std::size_t j = 0; j < positions.size(); ++j) {
            const double L = positions[j].multiple;
            for (int i = 0; i < kStripPaths; ++i) {
                const double S = w.underlying(i);
                const double expected = 1.0 + L * (S - 1.0);
                if (w.wipeout_day(j, i) > 0) {
                    EXPECT_EQ(w.value(j, i), 0.0);
                    continue;
                }
                const InvestorLane& lane = w.investor(j, i);
                ASSERT_NEAR(lane.a, S, 1e-12 * S);
                ASSERT_NEAR(lane.a + lane.b, expected, 1e-12 * std::max(1.0, S * std::fabs(L)))
                    << "L = " << L << " lane " << i;
                ASSERT_EQ(w.value(j, i), lane.a + lane.b);
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 300u);
}

TEST(Investor, CalendarTradeOfTheIssueExample) {
    // Inverse fund (-2x), index +5 %: position 0.90 -> target 1.05, trade +0.15 from cash.
    for (double bps : {0.0, 5.0}) {
        ScenarioConfig c = pattern_scenario({0.05}, {-2.0}, 1);
        c.strategies = {calendar(1, bps)};
        const SimulationResult r = simulate(c, {.threads = 1});
        const PositionResult& p = r.positions[0];
        const double cost = 0.15 * bps * 1e-4;
        EXPECT_NEAR(p.rebalancing.trades.mean, 1.0, 0);
        EXPECT_NEAR(p.rebalancing.turnover.mean, 0.15, 1e-15);
        EXPECT_NEAR(p.rebalancing.cash_added.mean, 0.15, 1e-15);
        EXPECT_EQ(p.rebalancing.cash_withdrawn.mean, 0.0);
        EXPECT_NEAR(p.rebalancing.transaction_costs.mean, cost, 1e-18);
        // Wealth = 1.05 in the fund + (-0.15 - cost) cash = 1 + L R - cost.
        EXPECT_NEAR(p[metric::terminal].moments.mean, 0.9 - cost, 1e-15);
    }
}

TEST(Investor, CalendarTradesOnlyOnItsDays) {
    ScenarioConfig c = pattern_scenario({0.01, -0.02, 0.03}, {3.0}, 63);
    c.strategies = {calendar(21), calendar(1)};
    const SimulationResult r = simulate(c, {.threads = 1});
    EXPECT_EQ(find(r, calendar(21), 3.0).rebalancing.trades.mean, 3.0);
    EXPECT_EQ(find(r, calendar(1), 3.0).rebalancing.trades.mean, 63.0);
}

TEST(Investor, HugeBandNeverTradesAndEqualsHoldingTheFund) {
    ScenarioConfig c = test::gbm_scenario(0.05, 0.5, {-3.0, 2.0}, 3000, 100);
    c.costs.expense_ratio = 0.01;
    c.costs.financing_rate = 0.03;
    c.strategies = {Strategy(DailyReset{}), band(1e6)};
    const SimulationResult r = simulate(c, {.threads = 2});
    for (double L : {-3.0, 2.0}) {
        const PositionResult& b = find(r, band(1e6), L);
        const PositionResult& f = find(r, Strategy(DailyReset{}), L);
        EXPECT_EQ(b.rebalancing.trades.max, 0.0);
        EXPECT_EQ(b.rebalancing.turnover.max, 0.0);
        ASSERT_EQ(b[metric::terminal].values.size(), f[metric::terminal].values.size());
        for (std::size_t k = 0; k < b[metric::terminal].values.size(); ++k)
            EXPECT_NEAR(b[metric::terminal].values[k], f[metric::terminal].values[k], 1e-12 * f[metric::terminal].values[k]);
        EXPECT_NEAR(b[metric::terminal].moments.mean, f[metric::terminal].moments.mean, 1e-12);
    }
}

TEST(Investor, NarrowBandTradesLessThanDailyCalendarAndMoreThanNone) {
    ScenarioConfig c = test::gbm_scenario(0.0, 0.3, {3.0}, 2000, 252);
    c.strategies = {band(0.05), calendar(1)};
    const SimulationResult r = simulate(c, {.threads = 2});
    const double band_trades = find(r, band(0.05), 3.0).rebalancing.trades.mean;
    EXPECT_GT(band_trades, 1.0);
    EXPECT_LT(band_trades, find(r, calendar(1), 3.0).rebalancing.trades.mean);
}

// --- target leverage ------------------------------------------------------------------------

TEST(Investor, TargetLeverageBorrowsAndRepaysAsInTheIssue) {
    // 1.5x on 1 (100,000): assets +10 % -> borrow 0.075; -10 % -> repay 0.075.
    for (double R : {0.10, -0.10}) {
        ScenarioConfig c = pattern_scenario({R}, {1.5}, 1);
        c.strategies = {target(1)};
        const SimulationResult r = simulate(c, {.threads = 1});
        const PositionResult& p = r.positions[0];
        EXPECT_NEAR(p.rebalancing.turnover.mean, 0.075, 1e-15);
        EXPECT_NEAR(R > 0 ? p.rebalancing.cash_added.mean : p.rebalancing.cash_withdrawn.mean,
                    0.075, 1e-15);
        EXPECT_EQ(R > 0 ? p.rebalancing.cash_withdrawn.mean : p.rebalancing.cash_added.mean, 0.0);
        EXPECT_NEAR(p[metric::terminal].moments.mean, 1.0 + 1.5 * R, 1e-15);
    }
}

TEST(Investor, TargetLeverageReleversToLEveryDayLikeADailyResetFund) {
    // Re-levered every close without costs, the equity compounds 1 + L R_t: a daily-reset fund.
    ScenarioConfig c = test::gbm_scenario(0.05, 0.3, {-1.0, 2.0, 3.0}, 2000, 60);
    c.strategies = {Strategy(DailyReset{}), target(1)};
    const SimulationResult r = simulate(c, {.threads = 2});
    for (double L : {-1.0, 2.0, 3.0}) {
        const PositionResult& t = find(r, target(1), L);
        const PositionResult& f = find(r, Strategy(DailyReset{}), L);
        for (std::size_t k = 0; k < t[metric::terminal].values.size(); ++k)
            EXPECT_NEAR(t[metric::terminal].values[k], f[metric::terminal].values[k], 1e-11 * f[metric::terminal].values[k]);
        EXPECT_EQ(t.rebalancing.trades.mean, 60.0);
    }
}

TEST(Investor, AMarginCallOnAScheduledDayStillCounts) {
    // Re-levered every day at 3x, margin 25 %: day 1 -15 % leaves E / A = 0.55 / 2.55 = 21.6 %,
    // a margin call on a calendar day; day 2 (+5 %) is an ordinary re-levering.
    ScenarioConfig c = pattern_scenario({-0.15, 0.05}, {3.0}, 2);
    c.strategies = {target(1, std::nullopt, 0.25)};
    const SimulationResult r = simulate(c, {.threads = 1});
    const PositionResult& p = find(r, target(1, std::nullopt, 0.25), 3.0);
    EXPECT_EQ(p.rebalancing.forced_deleverages.mean, 1.0);
    EXPECT_EQ(p.rebalancing.trades.mean, 2.0);
}

TEST(Investor, RoundingIsNotATrade) {
    // A 1x fund is the index: rebalancing it to P_b S_t / S_b moves it by rounding only.
    ScenarioConfig c = pattern_scenario({0.013, -0.021, 0.007, 0.031, -0.017}, {1.0}, 60);
    c.strategies = {calendar(2), calendar(3)};
    const SimulationResult r = simulate(c, {.threads = 1});
    for (const Strategy& s : {calendar(2), calendar(3)}) {
        const PositionResult& p = find(r, s, 1.0);
        EXPECT_EQ(p.rebalancing.trades.mean, 0.0);
        EXPECT_LT(p.rebalancing.turnover.mean, 1e-12);
    }
}

TEST(Investor, MaintenanceMarginForcesADeleverage) {
    // 3x, margin 25 %: day 1 -10 % -> A 2.7, E 0.7 (25.9 %, fine); day 2 -5 % -> A 2.565,
    // E 0.565 (22.0 % < 25 %): forced back to A = 3 x 0.565. Day 3 +10 %.
    const double e2 = 0.565;
    ScenarioConfig c = pattern_scenario({-0.10, -0.05, 0.10}, {3.0}, 3);
    c.strategies = {target(100, std::nullopt, 0.25), target(100)};
    const SimulationResult r = simulate(c, {.threads = 1});
    const PositionResult& with = find(r, target(100, std::nullopt, 0.25), 3.0);
    const PositionResult& without = find(r, target(100), 3.0);
    EXPECT_EQ(with.rebalancing.forced_deleverages.mean, 1.0);
    EXPECT_EQ(with.rebalancing.trades.mean, 1.0);
    EXPECT_NEAR(with.rebalancing.cash_withdrawn.mean, 2.565 - 3 * e2, 1e-14);
    EXPECT_NEAR(with[metric::terminal].moments.mean, e2 * (1 + 3 * 0.10), 1e-14);
    EXPECT_EQ(without.rebalancing.trades.mean, 0.0);
    EXPECT_NEAR(without[metric::terminal].moments.mean, 3 * 0.9 * 0.95 * 1.1 - 2, 1e-14);
}

TEST(Investor, WipeOutIsAbsorbing) {
    // 3x: -40 % makes E = 1.8 - 2 < 0 on day 1; the +50 % days after do not revive it. A 3x
    // calendar investor's fund is wiped too (1 - 1.2 < 0): a closed fund is not bought back, and
    // the cash is 0.
    ScenarioConfig c = pattern_scenario({-0.4, 0.5, 0.5}, {3.0}, 3);
    c.strategies = {target(1), calendar(1)};
    const SimulationResult r = simulate(c, {.threads = 1});
    for (const PositionResult& p : r.positions) {
        EXPECT_EQ(p[metric::terminal].moments.mean, 0.0) << to_string(p.position.strategy);
        EXPECT_EQ(p.wipeout, 1);
        EXPECT_EQ(p[metric::wipeout_day].moments.mean, 1.0);
        EXPECT_EQ(p.rebalancing.trades.mean, 0.0);
    }
}

TEST(Investor, TargetLeverageBandTradesOnlyOutsideTheBand) {
    // 2x, band 20 %: +5 % gives leverage 2.1 / 1.1 = 1.909 (inside [1.6, 2.4]); -20 % then gives
    // 1.5276 (outside): one trade.
    ScenarioConfig c = pattern_scenario({0.05, -0.20}, {2.0}, 2);
    c.strategies = {target(std::nullopt, 0.2)};
    const SimulationResult r = simulate(c, {.threads = 1});
    const PositionResult& p = r.positions[0];
    EXPECT_EQ(p.rebalancing.trades.mean, 1.0);
    const double a = 2.0 * 1.05 * 0.8, e = a - 1.0;
    EXPECT_NEAR(p.rebalancing.cash_withdrawn.mean, a - 2.0 * e, 1e-14);
}

} // namespace
} // namespace letf
