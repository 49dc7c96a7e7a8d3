// The JSON report: its documented layout, no NaN or infinity ever, the resolved config echoed and
// round-tripped, thread-count independence, and atomic file writing.

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "letf/config/scenario.hpp"
#include "letf/engine/engine.hpp"
#include "letf/output/report.hpp"
#include "letf/theory/analytic.hpp"
#include "output/report_run.hpp"
#include "test_util.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

const std::string kConfigs = std::string(LETF_SOURCE_DIR) + "/configs";

using letf::test::has_keys;
using letf::test::kGbm;
using letf::test::parse;
using letf::test::run_report;

std::vector<std::string> keys_of(const ordered_json& j) {
    std::vector<std::string> keys;
    for (const auto& item : j.items())
        keys.push_back(item.key());
    return keys;
}

/// No NaN or infinity as a JSON value token (in any spelling), and every number finite.
::testing::AssertionResult finite_text(const std::string& text) {
    static const std::regex bad(R"([:\[,]\s*-?(nan|inf|infinity)\s*[,\]\}\n])", std::regex::icase);
    std::smatch m;
    if (std::regex_search(text, m, bad))
        return ::testing::AssertionFailure() << "non-finite token: " << m.str();
    return ::testing::AssertionSuccess();
}

bool all_numbers_finite(const json& j) {
    if (j.is_number_float())
        return std::isfinite(j.get<double>());
    if (j.is_structured()) {
        for (const auto& v : j)
            if (!all_numbers_finite(v))
                return false;
    }
    return true;
}

std::string without_run_info(ordered_json report) {
    report.erase("run_info");
    return letf::report_text(report);
}

TEST(Report, NonFiniteCheckCatchesEverySpelling) {
    EXPECT_FALSE(finite_text("{\"a\": NaN,\n"));
    EXPECT_FALSE(finite_text("[1, -Infinity]"));
    EXPECT_FALSE(finite_text("{\"a\": inf}"));
    EXPECT_FALSE(finite_text("[nan\n"));
    EXPECT_TRUE(finite_text("{\"info\": \"infinite nan\", \"x\": null}\n"));
    EXPECT_FALSE(all_numbers_finite(json{1.0, std::nan("")}));
}

TEST(Report, TopLevelAndRunInfoKeysAreExactlyTheDocumentedOnes) {
    const letf::ScenarioConfig c = parse(kGbm);
    const ordered_json r = run_report(c);
    EXPECT_EQ(keys_of(r),
              (std::vector<std::string>{"schema_version", "scenario", "config", "run_info",
                                        "method", "underlying", "results"}));
    EXPECT_EQ(r.at("schema_version"), 1);
    EXPECT_EQ(r.at("scenario"), "report_gbm");
    EXPECT_EQ(keys_of(r.at("run_info")),
              (std::vector<std::string>{"version", "seed", "paths", "days", "threads", "ranks",
                                        "threads_per_rank", "elapsed_seconds",
                                        "path_days_per_second"}));
    const ordered_json& info = r.at("run_info");
    EXPECT_EQ(info.at("ranks"), 1);
    EXPECT_EQ(info.at("threads_per_rank"), ordered_json::array({1}));
    EXPECT_EQ(info.at("seed"), 42u);
    EXPECT_EQ(info.at("paths"), 300);
    EXPECT_EQ(info.at("days"), 20);
    EXPECT_EQ(info.at("threads"), 1);
    EXPECT_TRUE(info.at("version").is_string());
    EXPECT_TRUE(has_keys(r.at("underlying"), {"terminal", "log_return", "max_drawdown"}));
}

TEST(Report, ResultsFollowConfigOrderWithEveryStatistic) {
    const letf::ScenarioConfig c = parse(kGbm);
    const ordered_json r = run_report(c);
    const ordered_json& results = r.at("results");
    ASSERT_EQ(results.size(), c.strategies.size() * c.multiples.size());
    const std::vector<std::string> strategies{"unrebalanced", "daily_reset"};
    const std::vector<double> multiples{3, -1, 2};
    std::size_t i = 0;
    for (const std::string& s : strategies) {
        for (double L : multiples) {
            SCOPED_TRACE(s + " x " + std::to_string(L));
            const ordered_json& e = results.at(i++);
            EXPECT_EQ(e.at("strategy"), s);
            EXPECT_EQ(e.at("multiple").get<double>(), L);
            EXPECT_TRUE(
                has_keys(e, {"strategy", "multiple", "terminal", "log_return", "gap_vs_target",
                             "log_decay", "prob_loss", "prob_underperform_target", "prob_wipeout",
                             "max_drawdown", "analytic"}));
            EXPECT_TRUE(has_keys(e.at("terminal"),
                                 {"mean", "std", "std_error", "min", "max", "quantiles"}));
            EXPECT_TRUE(has_keys(e.at("log_return"), {"mean", "median", "std", "std_error"}));
            EXPECT_TRUE(has_keys(e.at("gap_vs_target"), {"mean", "median", "quantiles"}));
            EXPECT_TRUE(has_keys(e.at("log_decay"), {"mean", "median", "std_error"}));
            EXPECT_TRUE(has_keys(e.at("max_drawdown"), {"mean", "median", "quantiles"}));
            EXPECT_TRUE(e.at("analytic").is_object());
            for (const char* p : {"prob_loss", "prob_underperform_target", "prob_wipeout"}) {
                ASSERT_TRUE(e.at(p).is_number()) << p;
                EXPECT_GE(e.at(p).get<double>(), 0.0) << p;
                EXPECT_LE(e.at(p).get<double>(), 1.0) << p;
            }
            for (const auto& q : e.at("terminal").at("quantiles"))
                EXPECT_TRUE(has_keys(q, {"q", "value"}));
            const ordered_json& t = e.at("terminal");
            EXPECT_LE(t.at("min").get<double>(), t.at("mean").get<double>());
            EXPECT_LE(t.at("mean").get<double>(), t.at("max").get<double>());
        }
    }
}

TEST(Report, QuantileListsHoldExactlyTheConfiguredLevels) {
    const letf::ScenarioConfig c = parse(kGbm);
    const ordered_json r = run_report(c);
    const std::vector<double> expected{0.1, 0.25, 0.5, 0.9};
    auto levels = [](const ordered_json& list) {
        std::vector<double> qs;
        for (const auto& q : list)
            qs.push_back(q.at("q").get<double>());
        return qs;
    };
    EXPECT_EQ(levels(r.at("underlying").at("terminal").at("quantiles")), expected);
    for (const auto& e : r.at("results")) {
        EXPECT_EQ(levels(e.at("terminal").at("quantiles")), expected);
        EXPECT_EQ(levels(e.at("gap_vs_target").at("quantiles")), expected);
        EXPECT_EQ(levels(e.at("max_drawdown").at("quantiles")), expected);
        // Quantiles are non-decreasing in q, and the median is the q = 0.5 entry.
        const auto& list = e.at("terminal").at("quantiles");
        for (std::size_t k = 1; k < list.size(); ++k)
            EXPECT_LE(list[k - 1].at("value").get<double>(), list[k].at("value").get<double>());
        EXPECT_EQ(list[2].at("value"), e.at("terminal").at("median"));
    }

    // Given unsorted, the levels come out sorted; an empty list gives empty quantile lists.
    const letf::ScenarioConfig shuffled = parse(R"({"name": "q", "paths": 20, "days": 3,
        "model": {"type": "gbm", "mu": 0, "sigma": 0.2}, "multiples": [2],
        "quantiles": [0.9, 0.02, 0.5]})");
    const ordered_json rs = run_report(shuffled);
    EXPECT_EQ(levels(rs.at("results").at(0).at("terminal").at("quantiles")),
              (std::vector<double>{0.02, 0.5, 0.9}));
    const letf::ScenarioConfig none = parse(R"({"name": "q", "paths": 20, "days": 3,
        "model": {"type": "gbm", "mu": 0, "sigma": 0.2}, "multiples": [2], "quantiles": []})");
    const ordered_json rn = run_report(none);
    EXPECT_TRUE(rn.at("results").at(0).at("terminal").at("quantiles").empty());
    EXPECT_TRUE(rn.at("results").at(0).at("terminal").at("median").is_number());
}

TEST(Report, OnePathDeterministicScenarioHasNullSpreadsAndNoNan) {
    const letf::ScenarioConfig c = letf::load_scenario(kConfigs + "/textbook_choppy.json");
    ASSERT_EQ(c.paths, 1);
    const std::string text = letf::report_json(c, letf::simulate(c));
    EXPECT_TRUE(finite_text(text));
    const json j = json::parse(text);
    EXPECT_TRUE(all_numbers_finite(j));
    EXPECT_TRUE(j.at("underlying").at("terminal").at("std").is_null());
    for (const auto& e : j.at("results")) {
        SCOPED_TRACE(e.at("strategy").get<std::string>());
        EXPECT_TRUE(e.at("terminal").at("std").is_null());
        EXPECT_TRUE(e.at("terminal").at("std_error").is_null());
        EXPECT_TRUE(e.at("log_return").at("std").is_null());
        EXPECT_TRUE(e.at("terminal").at("mean").is_number());
        // A single path: every quantile is that path's value.
        for (const auto& q : e.at("terminal").at("quantiles"))
            EXPECT_EQ(q.at("value"), e.at("terminal").at("mean"));
    }

    // One stochastic path as well.
    const letf::ScenarioConfig one = parse(R"({"name": "one", "paths": 1, "days": 10,
        "model": {"type": "trend_noise", "mu": 0.1, "sigma": 0.4, "noise": "student_t", "df": 3},
        "multiples": [-2, 3]})");
    const std::string text1 = letf::report_json(one, letf::simulate(one));
    EXPECT_TRUE(finite_text(text1));
    const json j1 = json::parse(text1);
    EXPECT_TRUE(all_numbers_finite(j1));
    EXPECT_TRUE(j1.at("results").at(0).at("terminal").at("std").is_null());
}

TEST(Report, EveryPathWipedOutGivesNullLogStatistics) {
    const letf::ScenarioConfig c = parse(R"({"name": "wipe", "paths": 7, "days": 3,
        "model": {"type": "pattern", "returns_daily": [-0.6]}, "multiples": [2]})");
    const std::string text = letf::report_json(c, letf::simulate(c));
    EXPECT_TRUE(finite_text(text)) << text;
    const json j = json::parse(text);
    EXPECT_TRUE(all_numbers_finite(j));
    ASSERT_EQ(j.at("results").size(), 2u);
    for (const auto& e : j.at("results")) {
        SCOPED_TRACE(e.at("strategy").get<std::string>());
        EXPECT_EQ(e.at("prob_wipeout"), 1.0);
        EXPECT_EQ(e.at("prob_loss"), 1.0);
        EXPECT_EQ(e.at("terminal").at("mean"), 0.0);
        EXPECT_EQ(e.at("terminal").at("max"), 0.0);
        for (const char* block : {"log_return", "log_decay"}) {
            SCOPED_TRACE(block);
            const json& b = e.at(block);
            EXPECT_TRUE(b.at("mean").is_null());
            EXPECT_TRUE(b.at("median").is_null());
            EXPECT_TRUE(b.at("std_error").is_null());
            EXPECT_EQ(b.at("paths_excluded"), 7);
            EXPECT_EQ(b.at("paths"), 0);
        }
        EXPECT_TRUE(e.at("log_return").at("std").is_null());
    }
    // The underlying (0.4^3) is not wiped out: its log return is defined.
    EXPECT_NEAR(j.at("underlying").at("log_return").at("mean").get<double>(), 3.0 * std::log(0.4),
                1e-12);
    EXPECT_EQ(j.at("underlying").at("log_return").at("paths_excluded"), 0);
}

TEST(Report, ConfigRoundTripsThroughToJson) {
    std::vector<letf::ScenarioConfig> configs;
    for (const auto& e : fs::directory_iterator(kConfigs))
        // Regular .json files only: configs/studies/ holds study files, configs/data/ needs the
        // shared market data.
        if (e.is_regular_file() && e.path().extension() == ".json")
            configs.push_back(letf::load_scenario(e.path()));
    ASSERT_GE(configs.size(), 6u);
    configs.push_back(parse(kGbm));
    configs.push_back(parse(R"({"name": "all-fields_1.x", "seed": 18446744073709551615,
        "paths": 5, "days": 7, "trading_days_per_year": 260.5,
        "model": {"type": "choppy", "amplitude_daily": 0.03, "trend_daily": -0.001,
                  "noise_sigma_daily": 0.01, "start": "down"},
        "multiples": [0.5, -3], "strategies": ["daily_reset"],
        "costs": {"expense_ratio": 0.0095, "financing_rate": 0.05, "financing_spread": 0.004,
                  "short_fee": 0.01},
        "quantiles": [0.3]})"));
    configs.push_back(parse(R"({"name": "t", "model": {"type": "trend_noise", "mu": 0.1,
        "sigma": 0.2, "noise": "student_t", "df": 4.5}, "multiples": [2]})"));
    for (const letf::ScenarioConfig& c : configs) {
        SCOPED_TRACE(c.name);
        const ordered_json resolved = letf::to_json(c);
        const letf::ScenarioConfig back =
            letf::parse_scenario(json::parse(resolved.dump()), "round_trip");
        EXPECT_EQ(letf::to_json(back), resolved);
        EXPECT_EQ(letf::to_json(back).dump(), resolved.dump());
        EXPECT_EQ(back.seed, c.seed);
        EXPECT_EQ(back.paths, c.paths);
        EXPECT_EQ(back.multiples, c.multiples);
        EXPECT_EQ(back.quantiles, c.quantiles);
        EXPECT_EQ(back.model.index(), c.model.index());
    }
}

TEST(Report, ConfigBlockIsTheResolvedConfigWithDefaults) {
    const letf::ScenarioConfig c = parse(R"({"name": "defaults", "days": 2,
        "model": {"type": "gbm", "mu": 0.05, "sigma": 0.1}, "multiples": [2]})");
    const ordered_json r = run_report(c, 2);
    const ordered_json& cfg = r.at("config");
    EXPECT_EQ(cfg, letf::to_json(c));
    EXPECT_EQ(cfg.at("seed"), 20240101u);
    EXPECT_EQ(cfg.at("seed"), letf::ScenarioConfig::kDefaultSeed);
    EXPECT_EQ(cfg.at("paths"), 10000);
    EXPECT_EQ(cfg.at("paths"), letf::ScenarioConfig::kDefaultPaths);
    EXPECT_EQ(cfg.at("days"), 2);
    EXPECT_EQ(cfg.at("trading_days_per_year"), 252.0);
    EXPECT_EQ(cfg.at("strategies"), (ordered_json{"daily_reset", "unrebalanced"}));
    EXPECT_EQ(cfg.at("quantiles").get<std::vector<double>>(),
              (std::vector<double>{0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99}));
    EXPECT_EQ(keys_of(cfg.at("costs")),
              (std::vector<std::string>{"expense_ratio", "financing_rate", "financing_spread",
                                        "short_fee"}));
    for (const auto& item : cfg.at("costs").items())
        EXPECT_EQ(item.value(), 0.0) << item.key();
    EXPECT_EQ(cfg.at("model"), (ordered_json{{"type", "gbm"}, {"mu", 0.05}, {"sigma", 0.1}}));
    EXPECT_EQ(r.at("run_info").at("paths"), 10000);
    EXPECT_EQ(r.at("run_info").at("seed"), 20240101u);
}

TEST(Report, IdenticalForAnyThreadCountAndChangesWithSeed) {
    letf::ScenarioConfig c = parse(R"({"name": "threads", "seed": 7, "paths": 2500, "days": 15,
        "model": {"type": "trend_noise", "mu": 0.05, "sigma": 0.5}, "multiples": [-2, 3]})");
    letf::EngineOptions one;
    one.threads = 1;
    one.block_paths = 256; // 10 blocks, so two threads really split the work
    letf::EngineOptions two = one;
    two.threads = 2;
    const ordered_json r1 = letf::build_report(c, letf::simulate(c, one));
    const ordered_json r2 = letf::build_report(c, letf::simulate(c, two));
    EXPECT_EQ(r1.at("run_info").at("threads"), 1);
    EXPECT_EQ(r2.at("run_info").at("threads"), 2);
    const std::string t1 = without_run_info(r1);
    EXPECT_EQ(t1, without_run_info(r2));
    EXPECT_EQ(t1, without_run_info(letf::build_report(c, letf::simulate(c, one))));

    c.seed = 8;
    const ordered_json r3 = letf::build_report(c, letf::simulate(c, one));
    EXPECT_NE(r3.at("results").dump(), r1.at("results").dump());
    EXPECT_NE(r3.at("underlying").dump(), r1.at("underlying").dump());
}

TEST(Report, ReportTextIsIndentedJsonWithFinalNewline) {
    const letf::ScenarioConfig c = parse(kGbm);
    const letf::SimulationResult result = letf::simulate(c);
    const std::string text = letf::report_json(c, result);
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n');
    EXPECT_EQ(text.rfind("{\n  \"schema_version\": 1,\n", 0), 0u);
    EXPECT_EQ(text, letf::report_text(letf::build_report(c, result)));
    EXPECT_TRUE(finite_text(text));
}

} // namespace

namespace letf {
namespace {

// The numbers of a report read as Python's repr writes them (so json.dumps of a report loaded in
// Python gives the CLI's bytes): the shortest round-trip digits, repr's layout.
TEST(ReportText, NumbersAreWrittenAsPythonsReprWritesThem) {
    const std::vector<std::pair<double, std::string>> cases = {
        {252.0, "252.0"},
        {0.0001, "0.0001"},
        {1e-05, "1e-05"},
        {1.5e-07, "1.5e-07"},
        {1e16, "1e+16"},
        {9999999999999998.0, "9999999999999998.0"},
        {0.1 + 0.2, "0.30000000000000004"},
        {-4.3916164087063475e-111, "-4.3916164087063475e-111"},
        {0.02033333333333333, "0.02033333333333333"},
        {123456789012345680.0, "1.2345678901234568e+17"},
        {5e-324, "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
        {-0.0, "-0.0"},
        {0.0, "0.0"},
        {-123.456, "-123.456"},
        {std::nan(""), "null"},
    };
    for (const auto& [x, text] : cases)
        EXPECT_EQ(shortest_number_text(x), text);
    // Every number reads back to the same double.
    for (double x = 1e-300; x < 1e300; x *= 7.77) {
        EXPECT_EQ(std::stod(shortest_number_text(x)), x);
        EXPECT_EQ(std::stod(shortest_number_text(-x / 3)), -x / 3);
    }
    nlohmann::ordered_json j = {{"a", 0.1}, {"b", nlohmann::ordered_json::array()},
                                {"c", {{"d", 1}, {"e", "x\ny"}}}, {"f", {1.5, true, nullptr}}};
    EXPECT_EQ(report_text(j), "{\n  \"a\": 0.1,\n  \"b\": [],\n  \"c\": {\n    \"d\": 1,\n"
                              "    \"e\": \"x\\ny\"\n  },\n  \"f\": [\n    1.5,\n    true,\n"
                              "    null\n  ]\n}\n");
}

} // namespace
} // namespace letf
