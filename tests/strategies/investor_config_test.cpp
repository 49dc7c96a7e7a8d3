// The historical and bootstrap models in the engine, rate series, and the config and report
// shapes of the investor strategies.

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

// --- data models ----------------------------------------------------------------------------

TEST(DataModels, HistoricalReplayGivesTheExactProductOfReturns) {
    TempDir dir;
    dir.write("p.csv", price_csv(40));
    const fs::path cfg = dir.write("s.json", R"({"name": "h", "model": {"type": "historical",
        "csv": "p.csv"}, "multiples": [-1, 2], "strategies": ["daily_reset", "unrebalanced"]})");
    const ScenarioConfig c = load_scenario(cfg);
    EXPECT_EQ(c.days, 40);
    EXPECT_EQ(c.paths, 1);
    const SimulationResult r = simulate(c, {.threads = 1});
    // The returns of the closes as read: r_i = close_{i+1} / close_i - 1.
    const PriceSeries prices = read_price_csv(dir.path() / "p.csv");
    double s = 1.0, v2 = 1.0, vm1 = 1.0;
    for (double x : prices.returns()) {
        s *= 1.0 + x;
        v2 *= 1.0 + 2.0 * x;
        vm1 *= 1.0 - x;
    }
    EXPECT_NEAR(r.underlying[metric::terminal].moments.mean, s, 1e-12);
    EXPECT_NEAR(s, prices.closes.back() / prices.closes.front(), 1e-12);
    EXPECT_NEAR(find(r, Strategy(DailyReset{}), 2.0)[metric::terminal].moments.mean, v2, 1e-12);
    EXPECT_NEAR(find(r, Strategy(DailyReset{}), -1.0)[metric::terminal].moments.mean, vm1, 1e-12);
    EXPECT_NEAR(find(r, Strategy(Unrebalanced{}), 2.0)[metric::terminal].moments.mean, 2 * s - 1, 1e-12);
}

TEST(DataModels, BootstrapBlockLengthOneHasTheDataMeanReturn) {
    TempDir dir;
    std::vector<double> returns;
    dir.write("p.csv", price_csv(97, &returns));
    double mean = 0.0;
    for (double x : returns)
        mean += x;
    mean /= static_cast<double>(returns.size());
    const fs::path cfg = dir.write("s.json", R"({"name": "b", "paths": 40000, "days": 1,
        "model": {"type": "bootstrap", "csv": "p.csv"}, "multiples": [2]})");
    const ScenarioConfig c = load_scenario(cfg);
    const SimulationResult r = simulate(c, {.threads = 2});
    const Moments& m = r.underlying[metric::terminal].moments;
    EXPECT_TRUE(within_se(m.mean - 1.0, mean, *m.std_error()));
    // Over 20 i.i.d. days the mean is (1 + m)^20 exactly; the standard error shrinks with paths.
    ScenarioConfig c20 = c;
    c20.days = 20;
    const SimulationResult r20 = simulate(c20, {.threads = 2});
    EXPECT_TRUE(within_se(r20.underlying[metric::terminal].moments.mean, std::pow(1.0 + mean, 20),
                          *r20.underlying[metric::terminal].moments.std_error()));
    c20.paths = 10000;
    const SimulationResult small = simulate(c20, {.threads = 2});
    EXPECT_NEAR(*small.underlying[metric::terminal].moments.std_error() /
                    *r20.underlying[metric::terminal].moments.std_error(),
                2.0, 0.2);
}

TEST(DataModels, BootstrapLanesFollowTheSamplerAcrossChunks) {
    // The engine's strip fill, chunk by chunk, gives path k the days that bootstrap_next draws
    // from path_rng(seed, k) in day order.
    TempDir dir;
    dir.write("p.csv", price_csv(50));
    const fs::path cfg = dir.write("s.json", R"({"name": "b", "days": 150, "model": {"type":
        "bootstrap", "csv": "p.csv", "mean_block_length": 7}, "multiples": [2]})");
    const ScenarioConfig c = load_scenario(cfg);
    const StripSource model(c);
    const std::uint64_t first = 32;
    StripRng rng = StripRng::for_paths(c.seed, first);
    StripSource::State cursor = model.start(c.seed, first);
    std::vector<double> chunk(static_cast<std::size_t>(kDayChunk) * kStripPaths);
    std::vector<std::vector<double>> got(kStripPaths);
    for (int day = 1; day <= c.days; day += kDayChunk) {
        const int days = std::min(kDayChunk, c.days - day + 1);
        model.fill(day, days, rng, cursor, chunk.data());
        for (int d = 0; d < days; ++d)
            for (int i = 0; i < kStripPaths; ++i)
                got[static_cast<std::size_t>(i)].push_back(
                    chunk[static_cast<std::size_t>(d * kStripPaths + i)]);
    }
    const auto n_data = static_cast<std::uint32_t>(c.market_data->size());
    for (int i = 0; i < kStripPaths; ++i) {
        PathRng lane = path_rng(c.seed, first + static_cast<std::uint64_t>(i));
        std::vector<double> expected;
        std::uint32_t idx = 0;
        for (int t = 0; t < c.days; ++t) {
            idx = bootstrap_next(lane, n_data, 7.0, idx, t == 0);
            expected.push_back(c.market_data->returns[idx]);
        }
        EXPECT_EQ(got[static_cast<std::size_t>(i)], expected) << "lane " << i;
    }
}

TEST(DataModels, ConstantRateSeriesEqualsTheSameConstantRate) {
    // A series that is 3 % every day gives the same values as financing_rate 0.03, for every
    // strategy (the per-day-rate walks beside the constant-rate kernels).
    TempDir dir;
    dir.write("p.csv", price_csv(120));
    dir.write("r.csv", rate_csv(400, 3.0, 0.0));
    const std::string common = R"("model": {"type": "historical", "csv": "p.csv"},
        "multiples": [-2, 0.5, 3], "strategies": ["daily_reset", "unrebalanced",
        {"type": "calendar_rebalance", "every_days": 5, "transaction_cost_bps": 3},
        {"type": "band_rebalance", "band": 0.02},
        {"type": "target_leverage", "every_days": 10, "band": 0.1}])";
    const ScenarioConfig series = load_scenario(dir.write(
        "a.json",
        R"({"name": "a", )" + common +
            R"(, "costs": {"expense_ratio": 0.01, "financing_spread": 0.005, "short_fee": 0.01,
        "financing_rate": {"csv": "r.csv"}}})"));
    const ScenarioConfig constant = load_scenario(dir.write(
        "b.json",
        R"({"name": "b", )" + common +
            R"(, "costs": {"expense_ratio": 0.01, "financing_spread": 0.005, "short_fee": 0.01,
        "financing_rate": 0.03}})"));
    ASSERT_TRUE(StripSource(series).facts().has_rates);
    const SimulationResult a = simulate(series, {.threads = 1});
    const SimulationResult b = simulate(constant, {.threads = 1});
    ASSERT_EQ(a.positions.size(), b.positions.size());
    for (std::size_t j = 0; j < a.positions.size(); ++j) {
        const double x = b.positions[j][metric::terminal].moments.mean;
        EXPECT_NEAR(a.positions[j][metric::terminal].moments.mean, x, 1e-12 * std::max(1.0, x))
            << strategy_label(a.positions[j].position.strategy) << " L "
            << a.positions[j].position.multiple;
        EXPECT_NE(x, 1.0);
    }
    // A rate that varies changes the result.
    dir.write("r.csv", rate_csv(400, 3.0, 2.0));
    const SimulationResult v = simulate(load_scenario(dir.path() / "a.json"), {.threads = 1});
    EXPECT_NE(v.positions[0][metric::terminal].moments.mean, a.positions[0][metric::terminal].moments.mean);
}

// --- reports --------------------------------------------------------------------------------

std::string without_run_info(const ScenarioConfig& c, int threads) {
    nlohmann::ordered_json j = build_report(c, simulate(c, {.threads = threads}));
    j.erase("run_info");
    return j.dump();
}

TEST(InvestorReport, ByteIdenticalForAnyThreadCountWithBootstrapAndRates) {
    TempDir dir;
    dir.write("p.csv", price_csv(300));
    dir.write("r.csv", rate_csv(600, 1.0, 0.5));
    const ScenarioConfig c = load_scenario(dir.write("s.json", R"({"name": "t", "paths": 5000,
        "days": 100, "model": {"type": "bootstrap", "csv": "p.csv", "mean_block_length": 10},
        "multiples": [-1, 3], "strategies": ["daily_reset", "unrebalanced",
        {"type": "calendar_rebalance", "every_days": 21, "transaction_cost_bps": 5},
        {"type": "band_rebalance", "band": 0.1},
        {"type": "target_leverage", "every_days": 21, "maintenance_margin": 0.3}],
        "costs": {"financing_rate": {"csv": "r.csv"}, "financing_spread": 0.01}})"));
    const std::string one = without_run_info(c, 1);
    EXPECT_EQ(one, without_run_info(c, 2));
    EXPECT_EQ(one, without_run_info(c, 3));
    EXPECT_EQ(one.find("NaN"), std::string::npos);
    EXPECT_EQ(one.find("Infinity"), std::string::npos);

    const auto j = nlohmann::json::parse(one);
    for (const auto& entry : j.at("results")) {
        const std::string s = entry.at("strategy");
        const bool investor = s != "daily_reset" && s != "unrebalanced";
        EXPECT_EQ(entry.contains("rebalancing"), investor) << s;
        EXPECT_EQ(entry.contains("parameters"), investor) << s;
        EXPECT_TRUE(entry.at("carry_annual").is_null());              // a rate series
        EXPECT_FALSE(entry.at("analytic").contains("mean_terminal")); // block bootstrap
        if (!investor)
            continue;
        for (const char* k :
             {"trades", "turnover", "cash_added", "cash_withdrawn", "transaction_costs"})
            EXPECT_TRUE(entry.at("rebalancing").at(k).at("mean").is_number()) << s << " " << k;
        EXPECT_EQ(entry.at("rebalancing").contains("forced_deleverages"), s == "target_leverage");
    }
    EXPECT_EQ(j.at("config").at("model").at("type"), "bootstrap");
    EXPECT_TRUE(j.at("config").at("costs").at("financing_rate").is_object());
}

TEST(InvestorReport, ConsoleShowsTheRebalancingTable) {
    ScenarioConfig c = test::gbm_scenario(0.05, 0.2, {2.0}, 500, 42);
    c.strategies = {Strategy(DailyReset{}), calendar(21, 5), target(21)};
    const std::string out = console_summary(c, simulate(c, {.threads = 1}));
    EXPECT_NE(out.find("calendar_rebalance(every_days=21,transaction_cost_bps=5)"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("target_leverage(every_days=21)"), std::string::npos) << out;
    EXPECT_NE(out.find("rebalancing"), std::string::npos) << out;
}

// --- config ---------------------------------------------------------------------------------

InputError error_of(const std::string& text, const std::string& file = "x.json") {
    try {
        parse_scenario_text(text, file);
    } catch (const InputError& e) {
        return e;
    }
    ADD_FAILURE() << "accepted: " << text;
    return InputError("", "", "");
}

std::string with_strategies(const std::string& list, const std::string& multiples = "[2]") {
    return R"({"name": "m", "model": {"type": "gbm", "mu": 0, "sigma": 0.2}, "multiples": )" +
           multiples + R"(, "strategies": )" + list + "}";
}

TEST(InvestorConfig, StrategyObjectsParseAndRoundTrip) {
    const std::string text = with_strategies(
        R"(["daily_reset", {"type": "unrebalanced"},
            {"type": "calendar_rebalance", "every_days": 21, "transaction_cost_bps": 5},
            {"type": "calendar_rebalance", "every_days": 63},
            {"type": "band_rebalance", "band": 0.1},
            {"type": "target_leverage", "band": 0.2, "maintenance_margin": 0.25}])",
        "[1.5, 3]");
    const ScenarioConfig c = parse_scenario_text(text, "x.json");
    ASSERT_EQ(c.strategies.size(), 6u);
    EXPECT_EQ(c.strategies[1], Strategy(Unrebalanced{}));
    EXPECT_EQ(c.strategies[2], calendar(21, 5));
    // The band is checked every close by default.
    EXPECT_EQ(std::get<BandRebalance>(c.strategies[4]).every_days, 1);
    EXPECT_EQ(c.strategies[5], target(std::nullopt, 0.2, 0.25));
    const auto j = to_json(c);
    EXPECT_EQ(j["strategies"][0], "daily_reset");
    EXPECT_EQ(j["strategies"][1], "unrebalanced");
    EXPECT_EQ(j["strategies"][2]["every_days"], 21);
    EXPECT_FALSE(j["strategies"][5].contains("every_days"));
    const ScenarioConfig back = parse_scenario(nlohmann::json::parse(j.dump()), "x");
    EXPECT_EQ(to_json(back).dump(), j.dump());
    EXPECT_EQ(back.strategies, c.strategies);
}

TEST(InvestorConfig, DataModelsRoundTripWithResolvedPaths) {
    TempDir dir;
    dir.write("p.csv", price_csv(30));
    dir.write("r.csv", rate_csv(100, 2.0, 0.0));
    const ScenarioConfig c = load_scenario(dir.write("s.json", R"({"name": "d", "days": 10,
        "paths": 7, "model": {"type": "bootstrap", "csv": "p.csv", "mean_block_length": 5},
        "multiples": [2], "costs": {"financing_rate": {"csv": "r.csv", "max_stale_days": 5}}})"));
    ASSERT_TRUE(c.market_data);
    EXPECT_EQ(c.market_data->size(), 30u);
    EXPECT_EQ(c.market_data->rates.size(), 30u);
    const auto j = to_json(c);
    EXPECT_EQ(fs::path(std::string(j["model"]["csv"])), (dir.path() / "p.csv").lexically_normal());
    const ScenarioConfig back = parse_scenario(nlohmann::json::parse(j.dump()), "elsewhere.json");
    EXPECT_EQ(to_json(back).dump(), j.dump());
    EXPECT_EQ(back.market_data->returns, c.market_data->returns);
}

struct BadInvestorCase {
    const char* name;
    std::string text;
    std::string where;
    std::string value;
};

/// Stable test names in `ctest -N` (gtest would print the struct's bytes).
void PrintTo(const BadInvestorCase& c, std::ostream* os) { *os << c.name; }

class InvestorConfigRejects : public ::testing::TestWithParam<BadInvestorCase> {};

TEST_P(InvestorConfigRejects, NamingFieldAndValue) {
    const BadInvestorCase& b = GetParam();
    const InputError e = error_of(b.text);
    EXPECT_EQ(e.where(), b.where) << e.what();
    EXPECT_NE(e.value().find(b.value), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Investor, InvestorConfigRejects,
    ::testing::Values(
        BadInvestorCase{"calendar_as_string", with_strategies(R"(["calendar_rebalance"])"),
                        "/strategies/0", "\"calendar_rebalance\""},
        BadInvestorCase{"calendar_without_every",
                        with_strategies(R"([{"type": "calendar_rebalance"}])"),
                        "/strategies/0/every_days", ""},
        BadInvestorCase{"calendar_every_zero",
                        with_strategies(R"([{"type": "calendar_rebalance", "every_days": 0}])"),
                        "/strategies/0/every_days", "0"},
        BadInvestorCase{"band_zero", with_strategies(R"([{"type": "band_rebalance", "band": 0}])"),
                        "/strategies/0/band", "0"},
        BadInvestorCase{"unknown_parameter",
                        with_strategies(R"([{"type": "band_rebalance", "band": 0.1, "bands": 1}])"),
                        "/strategies/0/bands", "1"},
        BadInvestorCase{"parameter_on_fund",
                        with_strategies(R"([{"type": "daily_reset", "every_days": 5}])"),
                        "/strategies/0/every_days", "5"},
        BadInvestorCase{"cost_negative",
                        with_strategies(R"([{"type": "calendar_rebalance", "every_days": 5,
                            "transaction_cost_bps": -1}])"),
                        "/strategies/0/transaction_cost_bps", "-1"},
        BadInvestorCase{"target_without_trigger",
                        with_strategies(R"([{"type": "target_leverage"}])"), "/strategies/0", ""},
        BadInvestorCase{"margin_above_target",
                        with_strategies(R"([{"type": "target_leverage", "every_days": 5,
                            "maintenance_margin": 0.4}])",
                                        "[1.5, 3]"),
                        "/strategies/0/maintenance_margin", "0.4"},
        BadInvestorCase{"type_unknown", with_strategies(R"([{"type": "weekly"}])"),
                        "/strategies/0/type", "\"weekly\""},
        BadInvestorCase{"duplicate", with_strategies(R"([{"type": "band_rebalance", "band": 0.1},
                            {"type": "band_rebalance", "band": 0.1, "every_days": 1}])"),
                        "/strategies/1", ""},
        BadInvestorCase{"rate_series_with_gbm",
                        R"({"name": "m", "model": {"type": "gbm", "mu": 0, "sigma": 0.2},
                            "multiples": [2], "costs": {"financing_rate": {"csv": "r.csv"}}})",
                        "/costs/financing_rate", "r.csv"},
        BadInvestorCase{"historical_bad_date",
                        R"({"name": "m", "model": {"type": "historical", "csv": "p.csv",
                            "start": "2020-13-01"}, "multiples": [2]})",
                        "/model/start", "2020-13-01"}),
    [](const auto& tp) { return std::string(tp.param.name); });

TEST(InvestorConfig, HistoricalPathsAndDaysRules) {
    TempDir dir;
    dir.write("p.csv", price_csv(30));
    const std::string model =
        R"("model": {"type": "historical", "csv": "p.csv"}, "multiples": [2])";
    const auto bad = [&](const std::string& extra) {
        try {
            load_scenario(dir.write("s.json", R"({"name": "h", )" + model + extra + "}"));
        } catch (const InputError& e) {
            return e;
        }
        ADD_FAILURE() << "accepted " << extra;
        return InputError("", "", "");
    };
    EXPECT_EQ(bad(R"(, "paths": 2)").where(), "/paths");
    const InputError days = bad(R"(, "days": 31)");
    EXPECT_EQ(days.where(), "/days");
    EXPECT_NE(std::string(days.what()).find("30 days"), std::string::npos) << days.what();
    EXPECT_EQ(
        load_scenario(dir.write("s.json", R"({"name": "h", "days": 12, )" + model + "}")).days, 12);
    // A missing CSV file is an input error naming the file.
    const InputError missing = [&] {
        try {
            load_scenario(dir.write(
                "m.json", R"({"name": "h", "model": {"type": "bootstrap", "csv": "none.csv"},
                "multiples": [2]})"));
        } catch (const InputError& e) {
            return e;
        }
        return InputError("", "", "");
    }();
    EXPECT_NE(missing.file().find("none.csv"), std::string::npos) << missing.what();
    // --paths must keep a historical scenario at one path.
    ScenarioConfig c = load_scenario(dir.write("s.json", R"({"name": "h", )" + model + "}"));
    EXPECT_THROW(apply_overrides(c, {.paths = 5}), InputError);
}

TEST(InvestorConfig, ShippedDataConfigsValidateWhenTheDataIsPresent) {
    const fs::path dir = fs::path(LETF_SOURCE_DIR) / "configs" / "data";
    const fs::path spy =
        fs::path(LETF_SOURCE_DIR) / ".." / "shared" / "data" / "market" / "SPY.csv";
    if (!fs::exists(spy))
        GTEST_SKIP() << "no market data at " << spy << ": configs/data/*.json not validated";
    int count = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.path().extension() != ".json")
            continue;
        EXPECT_NO_THROW(load_scenario(e.path())) << e.path();
        ++count;
    }
    EXPECT_GE(count, 2);
}

} // namespace
} // namespace letf
