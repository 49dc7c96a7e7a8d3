// The cost model's newer keys (costs.hpp): defaults that keep every bit of the old formula, the
// formulas of the markup, markdown, day counts and rebalancing cost, reading and writing, and
// run's refusal of the terms it does not apply.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "letf/backtest/backtest.hpp"
#include "letf/base/error.hpp"
#include "letf/config/costs.hpp"
#include "letf/config/scenario.hpp"

namespace letf {
namespace {

TEST(CostModel, DefaultsKeepTheOldCarryBitForBit) {
    for (double L : {-3.0, -1.0, 0.0, 0.5, 1.0, 2.0, 3.0}) {
        Costs c;
        c.expense_ratio = 0.0095;
        c.financing_rate = 0.0317;
        c.financing_spread = 0.0041;
        c.short_fee = 0.0013;
        const double old =
            L > 1.0 ? c.expense_ratio + (L - 1.0) * (c.financing_rate + c.financing_spread)
                    : c.expense_ratio - (1.0 - L) * c.financing_rate +
                          (L < 0.0 ? -L * c.short_fee : 0.0);
        EXPECT_EQ(fund_carry(c, L), old) << "L = " << L;
        EXPECT_EQ(rate_slope(c, L), L - 1.0);
        EXPECT_EQ(unrebalanced_rate_slope(c, L), 1.0);
    }
}

TEST(CostModel, MarkupMarkdownAndRebalancingFormulas) {
    Costs c;
    c.expense_ratio = 0.01;
    c.financing_rate = 0.04;
    c.financing_spread = 0.005;
    c.short_fee = 0.002;
    c.financing_markup = 0.25;
    c.cash_credit_markdown = 0.1;
    EXPECT_DOUBLE_EQ(fund_carry(c, 3.0), 0.01 + 2.0 * (1.25 * 0.04 + 0.005));
    EXPECT_DOUBLE_EQ(fund_carry(c, -2.0), 0.01 - 3.0 * 0.9 * 0.04 + 2.0 * 0.002);
    EXPECT_DOUBLE_EQ(rate_slope(c, 3.0), 2.0 * 1.25);
    EXPECT_DOUBLE_EQ(rate_slope(c, -2.0), -3.0 * 0.9);
    EXPECT_DOUBLE_EQ(unrebalanced_rate(c, 3.0), 1.25 * 0.04 + 0.005);
    c.rebalance_cost = 0.001;
    EXPECT_DOUBLE_EQ(rebalance_cost_daily(c, 3.0, -0.02), 0.001 * 3.0 * 2.0 * 0.02);
    EXPECT_DOUBLE_EQ(rebalance_cost_daily(c, -2.0, 0.01), 0.001 * 2.0 * 3.0 * 0.01);
    EXPECT_EQ(rate_accrual_scale(DayCount::act_365, 3), 1.0);
    EXPECT_DOUBLE_EQ(rate_accrual_scale(DayCount::act_360, 3), 365.0 / 360.0);
    EXPECT_DOUBLE_EQ(rate_accrual_scale(DayCount::trading_days, 3), 365.0 / (252.0 * 3.0));
}

TEST(CostModel, NewerKeysReadBackAndWrittenOnlyAwayFromDefaults) {
    EXPECT_EQ(to_json(Costs{}).size(), 4u); // the four original keys: old reports unchanged
    const nlohmann::json j = nlohmann::json::parse(R"({"financing_markup": 0.2,
        "cash_credit_markdown": 0.05, "rebalance_cost": 0.0002, "day_count": "ACT/360",
        "expense_schedule": [{"from": "2010-01-04", "expense_ratio": 0.0095},
                             {"from": "2020-01-02", "expense_ratio": 0.0088}]})");
    const Costs c = parse_costs(j, "c.json", "/costs", true);
    EXPECT_EQ(c.financing_markup, 0.2);
    EXPECT_EQ(*c.day_count, DayCount::act_360);
    ASSERT_EQ(c.expense_schedule.size(), 2u);
    const nlohmann::json back = nlohmann::json::parse(to_json(c).dump());
    EXPECT_EQ(parse_costs(back, "c.json", "/costs", true).expense_schedule[1].expense_ratio,
              0.0088);
    EXPECT_EQ(back["day_count"], "ACT/360");
    try {
        parse_costs(nlohmann::json::parse(R"({"expense_schedule": [{"from": "2020-01-02",
            "expense_ratio": 0.01}, {"from": "2019-01-02", "expense_ratio": 0.01}]})"),
                    "c.json", "/costs", true);
        ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where(), "/costs/expense_schedule/1/from");
    }
}

TEST(CostModel, RunRefusesTheTermsItDoesNotApply) {
    const std::string head =
        R"({"name": "c", "model": {"type": "gbm", "mu": 0.05, "sigma": 0.2}, "multiples": [3],)";
    const auto where = [&](const std::string& rest) {
        try {
            parse_scenario(nlohmann::json::parse(head + rest + "}"), "s.json");
        } catch (const InputError& e) {
            return e.where();
        }
        return std::string("accepted");
    };
    EXPECT_EQ(where(R"("costs": {"rebalance_cost": 0.001})"), "/costs/rebalance_cost");
    EXPECT_EQ(where(R"("costs": {"day_count": "ACT/360"})"), "/costs/day_count");
    EXPECT_EQ(where(R"("costs": {"day_count": "trading_days"})"), "accepted");
    EXPECT_EQ(where(R"("costs": {"financing_markup": 0.2})"), "accepted"); // the default strategies
    EXPECT_EQ(where(R"("costs": {"financing_markup": 0.2},
                       "strategies": ["daily_reset", {"type": "band_rebalance", "band": 0.1}])"),
              "/costs/financing_markup");
}

TEST(CostModel, BacktestDayCountScalesTheRateTermOnly) {
    // One day over a weekend (3 calendar days), rate 3.6 %, ER 1 %, L = 2, R = 0.
    PriceSeries index{"i", {*parse_date("2021-01-01"), *parse_date("2021-01-04")}, {100.0, 100.0}};
    BacktestOptions o;
    o.multiple = 2.0;
    o.costs.expense_ratio = 0.01;
    o.costs.financing_rate = 0.036;
    const BacktestWindow w = make_backtest_window(index, index, nullptr, o);
    const double act365 = simulate_fund(w, 2.0, o.costs);
    EXPECT_DOUBLE_EQ(act365, 1.0 - (0.01 + 0.036) * 3.0 / 365.0);
    o.costs.day_count = DayCount::act_360;
    EXPECT_DOUBLE_EQ(simulate_fund(w, 2.0, o.costs),
                     1.0 - 0.01 * 3.0 / 365.0 - 0.036 * 3.0 / 360.0);
    o.costs.day_count = DayCount::trading_days;
    EXPECT_DOUBLE_EQ(simulate_fund(w, 2.0, o.costs), 1.0 - 0.01 * 3.0 / 365.0 - 0.036 / 252.0);
}

} // namespace
} // namespace letf
