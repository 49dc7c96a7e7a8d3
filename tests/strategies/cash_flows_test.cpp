// Contributions and withdrawals (issue 12): exact totals, the money-weighted return, running
// out, reproducibility and bad input.

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "letf/config/cash_flows.hpp"
#include "letf/engine/engine.hpp"
#include "letf/output/report.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

using nlohmann::json;

json report(const std::string& text, int threads = 2) {
    const ScenarioConfig c = parse_scenario_text(text, "f.json");
    EngineOptions o;
    o.threads = threads;
    json r = json::parse(report_json(c, simulate(c, o)));
    r.erase("run_info");
    return r;
}

/// A scenario whose days all return `mu` exactly (gbm without volatility: e^{mu dt} - 1).
std::string flat(double mu, int days, const std::string& flows, int paths = 40) {
    return R"({"name": "flat", "seed": 1, "paths": )" + std::to_string(paths) +
           R"(, "days": )" + std::to_string(days) + R"(, "model": {"type": "gbm", "mu": )" +
           json(mu).dump() + R"(, "sigma": 0}, "multiples": [1, 2],
           "strategies": ["daily_reset", {"type": "portfolio",
              "holdings": [{"asset": "index", "weight": 0.7}, {"asset": "cash", "weight": 0.3}],
              "rebalance": {"every_days": 21}}], "cash_flows": )" + flows + "}";
}

TEST(CashFlows, ContributionsAtZeroReturnAddUp) {
    // 252 days, 1 % every 21 days growing 3 % a year: 12 contributions.
    const json r = report(flat(0.0, 252, R"({"contribution": 0.01, "every_days": 21, "growth": 0.03})"));
    double total = 0.0;
    for (int t = 21; t <= 252; t += 21)
        total += 0.01 * std::pow(1.03, t / 252.0);
    for (const json& p : r["results"]) {
        SCOPED_TRACE(p["label"].get<std::string>());
        EXPECT_NEAR(p["terminal"]["mean"].get<double>(), 1.0 + total, 1e-13);
        EXPECT_NEAR(p["terminal"]["min"].get<double>(), 1.0 + total, 1e-13);
        EXPECT_NEAR(p["cash_flows"]["contributed"]["mean"].get<double>(), total, 1e-15);
        EXPECT_EQ(p["cash_flows"]["withdrawn"]["max"], 0.0);
        EXPECT_EQ(p["cash_flows"]["prob_run_out"], 0.0);
        // Nothing grew: the money-weighted return is 0.
        EXPECT_NEAR(p["cash_flows"]["money_weighted_return"]["mean"].get<double>(), 0.0, 1e-12);
    }
    // The index carries no flows.
    EXPECT_EQ(r["underlying"]["terminal"]["mean"], 1.0);
}

TEST(CashFlows, TheMoneyWeightedReturnOfAConstantRateIsThatRate) {
    // Every day grows by e^{mu dt}: 5 % a year for the 1x fund, whatever the flows.
    const json r = report(flat(std::log(1.05), 1260, R"([{"contribution": 0.2, "every_days": 252},
        {"withdrawal": 0.05, "kind": "percent_of_wealth", "every_days": 63}])"));
    const json& p = r["results"][0];
    EXPECT_NEAR(p["cash_flows"]["money_weighted_return"]["mean"].get<double>(), 0.05, 1e-10);
    EXPECT_GT(p["cash_flows"]["withdrawn"]["mean"].get<double>(), 0.0);
}

TEST(CashFlows, TheMoneyWeightedReturnOfAFlowFreePathIsItsCagr) {
    // Contributions of 0: the money-weighted return is the CAGR, path by path, so their means
    // agree to the root's precision.
    const std::string base = R"({"name": "free", "seed": 3, "paths": 2000, "days": 504,
      "model": {"type": "gbm", "mu": 0.06, "sigma": 0.3}, "multiples": [1, 3],
      "strategies": ["daily_reset", "unrebalanced"])";
    const json r = report(base + R"(, "cash_flows": {"contribution": 0, "every_days": 21}})");
    for (const json& p : r["results"]) {
        SCOPED_TRACE(p["label"].get<std::string>());
        const json& irr = p["cash_flows"]["money_weighted_return"];
        EXPECT_NEAR(irr["mean"].get<double>(), p["cagr"]["mean"].get<double>(), 1e-12);
        EXPECT_NEAR(irr["min"].get<double>(), p["cagr"]["min"].get<double>(), 1e-12);
        EXPECT_NEAR(irr["max"].get<double>(), p["cagr"]["max"].get<double>(), 1e-12);
    }
    // And the terminal values are those of the same scenario without flows.
    const json plain = report(base + "}");
    EXPECT_EQ(r["results"][1]["terminal"].dump(), plain["results"][1]["terminal"].dump());
}

TEST(CashFlows, FixedWithdrawalsRunOutOnTheExpectedDay) {
    // No growth, 4 % of the start every 252 days for 30 years: gone at the 25th withdrawal.
    const json r = report(flat(0.0, 7560, R"({"withdrawal": 0.04, "kind": "fixed_real", "every_days": 252})"));
    for (const json& p : r["results"]) {
        SCOPED_TRACE(p["label"].get<std::string>());
        EXPECT_EQ(p["cash_flows"]["prob_run_out"], 1.0);
        EXPECT_EQ(p["cash_flows"]["run_out_day"]["mean"], 25.0 * 252);
        EXPECT_EQ(p["wipeout_day"]["min"], 25.0 * 252);
        EXPECT_NEAR(p["cash_flows"]["withdrawn"]["mean"].get<double>(), 1.0, 1e-12);
        EXPECT_EQ(p["terminal"]["max"], 0.0);
        // Nothing came back beyond what was paid in: -100 % would be a total loss; here the
        // withdrawals return exactly the start, a money-weighted return of 0.
        EXPECT_NEAR(p["cash_flows"]["money_weighted_return"]["mean"].get<double>(), 0.0, 1e-10);
    }
    // A share of wealth never runs out.
    const json s = report(flat(0.0, 7560, R"({"withdrawal": 0.04, "kind": "percent_of_wealth", "every_days": 252})"));
    EXPECT_EQ(s["results"][0]["cash_flows"]["prob_run_out"], 0.0);
    EXPECT_NEAR(s["results"][0]["terminal"]["mean"].get<double>(), std::pow(0.96, 30), 1e-12);
}

TEST(CashFlows, InflationGrowsTheWithdrawals) {
    const json r = report(flat(0.0, 756, R"({"withdrawal": 0.1, "every_days": 252, "inflation": 0.5})"));
    const double total = 0.1 * (1.5 + 2.25 + 3.375);
    EXPECT_NEAR(r["results"][0]["cash_flows"]["withdrawn"]["mean"].get<double>(), total, 1e-12);
    EXPECT_NEAR(r["results"][0]["terminal"]["mean"].get<double>(), 1.0 - total, 1e-12);
}

TEST(CashFlows, ReportDoesNotDependOnTheThreadCount) {
    const std::string text = R"({"name": "t", "seed": 8, "paths": 3000, "days": 600,
      "model": {"type": "gbm", "mu": 0.05, "sigma": 0.35}, "multiples": [1, 3],
      "strategies": ["daily_reset", "unrebalanced", {"type": "calendar_rebalance", "every_days": 21}],
      "cash_flows": [{"contribution": 0.02, "every_days": 21}, {"withdrawal": 0.05, "every_days": 126}],
      "bands": {"every_days": 100}})";
    EXPECT_EQ(report(text, 1).dump(), report(text, 3).dump());
    const json r = report(text);
    EXPECT_GT(r["results"][3]["cash_flows"]["prob_run_out"].get<double>(), 0.0);
    EXPECT_TRUE(r["results"][3]["cash_flows"]["run_out_day"]["median"].is_number());
}

TEST(CashFlows, PartialsOfBlockRangesMergeToTheWholeRun) {
    // The extras (a portfolio's weights, the flows' totals) travel in partials: split, carried as
    // bytes and merged, they give the bytes of one run.
    const ScenarioConfig c = parse_scenario_text(R"({"name": "t", "seed": 8, "paths": 5000, "days": 300,
      "assets": [{"name": "s", "model": {"type": "gbm", "mu": 0.06, "sigma": 0.3}},
                 {"name": "b", "model": {"type": "gbm", "mu": 0.02, "sigma": 0.1}}],
      "correlation": [[1, -0.3], [-0.3, 1]], "multiples": [2],
      "strategies": ["daily_reset", {"type": "portfolio", "holdings": [{"asset": "s", "multiple": 2, "weight": 0.5},
        {"asset": "b", "multiple": 2, "weight": 0.5}], "rebalance": {"band": 0.05}}],
      "cash_flows": [{"contribution": 0.02, "every_days": 21}, {"withdrawal": 0.03, "every_days": 100}]})",
                                                 "f.json");
    const Plan plan = make_plan(c, {.threads = 2});
    ASSERT_GT(plan.blocks, 2);
    PartialResult left = accumulate(plan, {0, 2}, 1);
    PartialResult right = deserialize(plan, serialize(accumulate(plan, {2, plan.blocks}, 2)));
    merge(left, std::move(right));
    SimulationResult split = finalize(plan, std::move(left));
    SimulationResult whole = finalize(plan, accumulate(plan, {0, plan.blocks}, 2));
    split.threads = whole.threads;
    EXPECT_EQ(report_json(c, split), report_json(c, whole));
    EXPECT_NE(report_json(c, whole).find("\"money_weighted_return\""), std::string::npos);
}

TEST(CashFlows, WithoutFlowsNothingChanges) {
    const std::string text = R"({"name": "t", "seed": 8, "paths": 300, "days": 60,
      "model": {"type": "gbm", "mu": 0.05, "sigma": 0.35}, "multiples": [2]})";
    const json r = report(text);
    EXPECT_FALSE(r["results"][0].contains("cash_flows"));
    EXPECT_FALSE(r["config"].contains("cash_flows"));
}

TEST(CashFlows, MoneyWeightedReturnSolvesTheFlows) {
    // -1 now, +1.21 in two years: 10 %.
    const std::vector<int> t = {0, 504};
    const double f[] = {-1.0, 1.21};
    EXPECT_NEAR(money_weighted_return(t, f, 2, 1.0 / 252), 0.1, 1e-14);
    // -1, -1 after a year, +2.31 after two: 10 % (1.21 + 1.1).
    const std::vector<int> t3 = {0, 252, 504};
    const double f3[] = {-1.0, -1.0, 2.31};
    EXPECT_NEAR(money_weighted_return(t3, f3, 3, 1.0 / 252), 0.1, 1e-13);
    // Nothing back: -100 %.
    const double f0[] = {-1.0, 0.0};
    EXPECT_EQ(money_weighted_return(t, f0, 2, 1.0 / 252), -1.0);
}

void expect_error(const std::string& flows, const std::string& where, const std::string& part) {
    SCOPED_TRACE(flows);
    try {
        parse_scenario_text(R"({"name": "b", "days": 252, "model": {"type": "gbm", "mu": 0, "sigma": 0},
                               "multiples": [1], "cash_flows": )" + flows + "}",
                            "f.json");
        ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where(), where) << e.what();
        EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    }
}

TEST(CashFlows, BadInputNamesTheField) {
    expect_error(R"({"contribution": -0.01})", "/cash_flows/contribution", "must be in");
    expect_error(R"({"contribution": 0.01, "withdrawal": 0.04})", "/cash_flows", "one flow per object");
    expect_error(R"({"withdrawal": 0.04, "kind": "monthly"})", "/cash_flows/kind", "unknown withdrawal kind");
    expect_error(R"({"withdrawal": 0.04, "kind": "percent_of_wealth", "inflation": 0.02})",
                 "/cash_flows/inflation", "fixed_real");
    expect_error(R"({"contribution": 0.01, "every_days": 300})", "/cash_flows/every_days", "must be");
    expect_error(R"([{"contribution": 0.01}, {"every_days": 5}])", "/cash_flows/1", "needs");
    expect_error(R"([])", "/cash_flows", "array of 1 to 8");
    expect_error(R"({"contribution": 0.01, "grow": 0.03})", "/cash_flows/grow", "unknown key");
}

} // namespace
} // namespace letf
