// The signal strategies on hand-computed deterministic paths, their limits that equal the
// daily-reset fund bit for bit, and their tallies.

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "strategies/signal_util.hpp"

namespace letf {
namespace {

using namespace signal_test;
using test::pattern_scenario;

const std::vector<double> kPattern{0.10, -0.05, -0.02, 0.04, 0.03, -0.10};

ScenarioConfig sma_case(SmaRotation s, int days = 12) {
    ScenarioConfig c = pattern_scenario(kPattern, {2.0}, days);
    c.strategies = {s};
    return c;
}

TEST(SmaRotation, WindowOneBandZeroFollowsTheHandTable) {
    // Window 1: in the fund on day t + 1 iff S_t > S_{t-1} (R_t > 0), out iff R_t < 0; day 1 in
    // the fund. 2x on the fund days, cash (rate 0) on the others. By hand:
    //   day  R      held  V
    //   1   +0.10   fund  1.2
    //   2   -0.05   fund  1.2 * 0.9  = 1.08        close 2: out
    //   3   -0.02   cash  1.08
    //   4   +0.04   cash  1.08                     close 4: in
    //   5   +0.03   fund  1.08 * 1.06 = 1.1448
    //   6   -0.10   fund  1.1448 * 0.8 = 0.91584   close 6: out
    //   7   +0.10   cash  0.91584                  close 7: in
    //   8   -0.05   fund  0.91584 * 0.9 = 0.824256 close 8: out
    //   9   -0.02   cash  0.824256
    //   10  +0.04   cash  0.824256                 close 10: in
    //   11  +0.03   fund  0.824256 * 1.06 = 0.87371136
    //   12  -0.10   fund  0.87371136 * 0.8 = 0.698969088
    const std::vector<double> table{1.2,     1.08,     1.08,     1.08,     1.1448,     0.91584,
                                    0.91584, 0.824256, 0.824256, 0.824256, 0.87371136, 0.698969088};
    const ScenarioConfig c = sma_case({.window_days = 1});
    const std::vector<double> v = values_per_day(c, 0, repeat(kPattern, 12));
    ASSERT_EQ(v.size(), table.size());
    for (std::size_t t = 0; t < table.size(); ++t)
        EXPECT_NEAR(v[t], table[t], 1e-12) << "day " << t + 1;

    // The engine's report: V_12, 7 switches, 7 of 12 days in the fund.
    const SimulationResult r = simulate(c, {.threads = 1});
    const PositionResult& p = r.positions.at(0);
    EXPECT_NEAR(p[metric::terminal].moments.mean, 0.698969088, 1e-12);
    EXPECT_TRUE(p.facts.signal);
    EXPECT_DOUBLE_EQ(p.rebalancing.trades.mean, 7.0 / 12.0); // invested_share
    EXPECT_DOUBLE_EQ(p.rebalancing.turnover.mean, 7.0);      // switches
    EXPECT_DOUBLE_EQ(p.rebalancing.cash_added.mean, 0.0);    // switch_costs
}

TEST(SmaRotation, CostsAndTheCashRateFollowTheTable) {
    // As the table above with k = 10 bps per switch and cash at r = 5 %: the fund days pay
    // c(2) dt = r dt, cash days earn r dt, each switch close multiplies V by 1 - k.
    ScenarioConfig c = sma_case({.window_days = 1, .transaction_cost_bps = 10});
    c.costs.financing_rate = 0.05;
    const double dt = 1.0 / 252.0, k = 1e-3, cash = 1.0 + 0.05 * dt, carry = 0.05 * dt;
    const std::vector<double> R = repeat(kPattern, 12);
    const bool fund[12] = {true,  true, false, false, true, true,
                           false, true, false, false, true, true};
    const bool switch_at[12] = {false, true, false, true, false, true,
                                true,  true, false, true, false, true};
    double v = 1.0, costs = 0.0;
    const std::vector<double> got = values_per_day(c, 0, R);
    for (int t = 0; t < 12; ++t) {
        v *= fund[t] ? (1.0 - carry) + 2.0 * R[static_cast<std::size_t>(t)] : cash;
        if (switch_at[t]) {
            costs += k * v;
            v *= 1.0 - k;
        }
        EXPECT_NEAR(got[static_cast<std::size_t>(t)], v, 1e-12) << "day " << t + 1;
    }
    const SimulationResult r = simulate(c, {.threads = 1});
    EXPECT_NEAR(r.positions[0].rebalancing.cash_added.mean, costs, 1e-15);
}

TEST(SmaRotation, OffIndexHoldsTheIndexOutOfTheFund) {
    const ScenarioConfig c = sma_case({.window_days = 1, .off = SmaOff::index});
    const std::vector<double> R = repeat(kPattern, 12);
    const bool fund[12] = {true,  true, false, false, true, true,
                           false, true, false, false, true, true};
    double v = 1.0;
    const std::vector<double> got = values_per_day(c, 0, R);
    for (std::size_t t = 0; t < 12; ++t) {
        v *= 1.0 + (fund[t] ? 2.0 : 1.0) * R[t];
        EXPECT_NEAR(got[t], v, 1e-12) << "day " << t + 1;
    }
}

TEST(SmaRotation, LongerWindowHoldsTheFundUntilTheWindowIsFull) {
    // Window 3 on a falling index: the first decision is at the close of day 3 (S_3 below the
    // mean of S_0..S_2), so days 1-3 are in the fund and the rest in cash.
    ScenarioConfig c = pattern_scenario({-0.01}, {3.0}, 8);
    c.strategies = {SmaRotation{.window_days = 3}};
    const std::vector<double> v = values_per_day(c, 0, repeat({-0.01}, 8));
    const double in = std::pow(0.97, 3);
    for (std::size_t t = 0; t < 8; ++t)
        EXPECT_NEAR(v[t], t < 3 ? std::pow(0.97, static_cast<double>(t + 1)) : in, 1e-14)
            << "day " << t + 1;
}

/// Every block of the report's position j and of position i are the same bytes, but for the
/// strategy's own keys.
void expect_same_position(const nlohmann::ordered_json& a, const nlohmann::ordered_json& b) {
    nlohmann::ordered_json x = a, y = b;
    for (const char* key : {"strategy", "label", "parameters", "signal"}) {
        x.erase(key);
        y.erase(key);
    }
    EXPECT_EQ(x.dump(), y.dump());
}

TEST(SignalLimits, HugeBandAndFullThresholdAreTheFundBitForBit) {
    // gbm with a daily volatility that wipes 3x funds out now and then, and fund costs.
    ScenarioConfig c = test::gbm_scenario(0.05, 2.0, {-3, 2, 3}, 3000, 150);
    c.costs.expense_ratio = 0.01;
    c.costs.financing_rate = 0.03;
    c.costs.financing_spread = 0.005;
    c.strategies = {DailyReset{}, SmaRotation{.window_days = 10, .band = 1e9},
                    DrawdownDerisk{.threshold = 1.0, .fallback = 0.0}};
    const SimulationResult sim = simulate(c, {.threads = 2});
    const nlohmann::ordered_json r = build_report(c, sim);
    const auto& res = r["results"];
    ASSERT_EQ(res.size(), 9u);
    bool wiped = false;
    for (std::size_t i = 0; i < 3; ++i) {
        SCOPED_TRACE(i);
        expect_same_position(res[i], res[3 + i]);
        expect_same_position(res[i], res[6 + i]);
        EXPECT_EQ(res[3 + i]["signal"]["switches"]["mean"], 0.0);
        EXPECT_EQ(res[3 + i]["signal"]["invested_share"]["mean"], 1.0);
        wiped = wiped || sim.positions[i].wipeout > 0;
    }
    EXPECT_TRUE(wiped) << "the case must reach the wipe-out paths";
}

TEST(SignalLimits, VolTargetWithMinEqualToTheCapIsTheFund) {
    ScenarioConfig c = test::gbm_scenario(0.05, 0.3, {2}, 2000, 100);
    c.costs.expense_ratio = 0.01;
    c.costs.financing_rate = 0.03;
    c.strategies = {DailyReset{}, VolTarget{.target = 0.2, .window_days = 5, .min_leverage = 2}};
    const SimulationResult r = simulate(c, {.threads = 1});
    const QuantityStats &a = r.positions[0][metric::terminal],
                        &b = r.positions[1][metric::terminal];
    // The same fund; the carry is evaluated as (1 + L R) - c dt instead of (1 - c dt) + L R.
    EXPECT_NEAR(b.moments.mean, a.moments.mean, 1e-12);
    EXPECT_DOUBLE_EQ(r.positions[1].rebalancing.trades.mean, 2.0); // mean_multiple
    EXPECT_EQ(r.positions[1].rebalancing.turnover.mean, 0.0);      // switches
    ASSERT_TRUE(r.positions[1].analytic.mean_terminal);
}

TEST(DrawdownDerisk, FollowsTheHandTable) {
    // 2x, threshold 0.3, fallback 1x, recover 0.1 on -10 %, -10 %, then +5 % x 4, repeated:
    //   day 1  L   0.8                P = 1
    //   day 2  L   0.64   <= 0.7 P   out, trough Q = 0.64
    //   day 3  1x  0.672
    //   day 4  1x  0.7056 >= 1.1 Q = 0.704: back, P = 0.7056
    //   day 5  L   0.77616            day 6 L 0.853776 (P)
    //   day 7  L   0.6830208          day 8 L 0.54641664 <= 0.7 P = 0.5976432: out
    //   day 9  1x  0.573737472        day 10 1x 0.6024243456 >= 1.1 Q = 0.601058304: back
    //   day 11 L   0.66266678016      day 12 L 0.728933458176
    const std::vector<double> pattern{-0.1, -0.1, 0.05, 0.05, 0.05, 0.05};
    ScenarioConfig c = pattern_scenario(pattern, {2.0}, 12);
    c.strategies = {DrawdownDerisk{.threshold = 0.3, .fallback = 1.0, .recover = 0.1}};
    const std::vector<double> table{0.8,         0.64,         0.672,         0.7056,
                                    0.77616,     0.853776,     0.6830208,     0.54641664,
                                    0.573737472, 0.6024243456, 0.66266678016, 0.728933458176};
    const std::vector<double> v = values_per_day(c, 0, repeat(pattern, 12));
    for (std::size_t t = 0; t < table.size(); ++t)
        EXPECT_NEAR(v[t], table[t], 1e-12) << "day " << t + 1;
    const SimulationResult r = simulate(c, {.threads = 1});
    EXPECT_DOUBLE_EQ(r.positions[0].rebalancing.trades.mean, 8.0 / 12.0);
    EXPECT_DOUBLE_EQ(r.positions[0].rebalancing.turnover.mean, 4.0);

    // Without "recover" only the old peak brings L back: 1x never regains it here.
    c.strategies = {DrawdownDerisk{.threshold = 0.3, .fallback = 1.0}};
    const std::vector<double> w = values_per_day(c, 0, repeat(pattern, 12));
    EXPECT_NEAR(w[11], 0.64 * std::pow(1.05, 8) * 0.81, 1e-12);
}

TEST(SignalReport, ParametersAndTalliesByName) {
    ScenarioConfig c = test::gbm_scenario(0.05, 0.3, {2}, 500, 60);
    c.strategies = {SmaRotation{.window_days = 10}, VolTarget{.target = 0.3},
                    DrawdownDerisk{.threshold = 0.1}};
    const nlohmann::ordered_json r = report_of(c, 1);
    const auto& res = r["results"];
    EXPECT_EQ(res[0]["label"], "sma_rotation(window_days=10)");
    EXPECT_EQ(res[0]["parameters"]["window_days"], 10);
    EXPECT_TRUE(res[0]["signal"].contains("invested_share"));
    EXPECT_TRUE(res[1]["signal"].contains("mean_multiple"));
    EXPECT_TRUE(res[2]["signal"].contains("switch_costs"));
    EXPECT_FALSE(res[0].contains("rebalancing"));
    const double share = res[0]["signal"]["invested_share"]["mean"].get<double>();
    EXPECT_GT(share, 10.0 / 60.0); // the first 10 days are always in the fund
    EXPECT_LT(share, 1.0);
}

TEST(SignalReport, ByteIdenticalForOneAndTwoThreads) {
    ScenarioConfig c = test::gbm_scenario(0.05, 0.3, {-2, 3}, 5000, 130);
    c.costs.financing_rate = 0.02;
    c.strategies = {SmaRotation{.window_days = 20, .band = 0.01, .transaction_cost_bps = 5},
                    VolTarget{.target = 0.25, .every_days = 5, .transaction_cost_bps = 2},
                    DrawdownDerisk{.threshold = 0.15, .fallback = 0.5, .recover = 0.05}};
    EXPECT_EQ(report_of(c, 1).dump(), report_of(c, 2).dump());
}

TEST(SignalReport, MultiplesSharingASignalGiveTheRunOfEachAlone) {
    // The entry's first multiple computes the shared signal; a multiple run alone computes it
    // itself: the same bytes either way.
    ScenarioConfig c = test::gbm_scenario(0.05, 0.4, {-2, 3}, 600, 150);
    c.costs.financing_rate = 0.02;
    c.strategies = {SmaRotation{.window_days = 15, .band = 0.02},
                    VolTarget{.target = 0.3, .window_days = 10, .every_days = 3}};
    const nlohmann::ordered_json both = report_of(c, 1);
    c.multiples = {3};
    const nlohmann::ordered_json alone = report_of(c, 1);
    ASSERT_EQ(both["results"].size(), 4u);
    EXPECT_EQ(both["results"][1].dump(), alone["results"][0].dump());
    EXPECT_EQ(both["results"][3].dump(), alone["results"][1].dump());
}

TEST(CarryShape, EqualsTheFundCarryAtEveryMultiple) {
    const Costs k{.expense_ratio = 0.009,
                  .financing_rate = 0.04,
                  .financing_spread = 0.006,
                  .short_fee = 0.013};
    const CarryShape s = CarryShape::of(k);
    for (double L : {-3.0, -1.5, -0.25, 0.0, 0.4, 1.0, 1.7, 2.0, 3.0, 5.5})
        EXPECT_NEAR(s.at(L), fund_carry(k, L), 1e-15) << "L = " << L;
}

} // namespace
} // namespace letf
