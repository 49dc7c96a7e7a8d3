// Parsing, defaults, validation and the resolved form of scenario files.

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "letf/config/scenario.hpp"
#include "letf/base/error.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

ScenarioConfig parse(const std::string& text) {
    return parse_scenario_text(text, "x.json");
}

/// The error thrown for `text`, which must fail.
InputError error_of(const std::string& text) {
    try {
        parse(text);
    } catch (const InputError& e) {
        return e;
    }
    ADD_FAILURE() << "accepted: " << text;
    return InputError("", "", "");
}

const std::string kMinimal =
    R"({"name": "m", "model": {"type": "gbm", "mu": 0.05, "sigma": 0.2}, "multiples": [2]})";

TEST(Config, MinimalScenarioGetsDocumentedDefaults) {
    const ScenarioConfig c = parse(kMinimal);
    EXPECT_EQ(c.name, "m");
    EXPECT_EQ(c.seed, ScenarioConfig::kDefaultSeed);
    EXPECT_EQ(c.paths, ScenarioConfig::kDefaultPaths);
    EXPECT_EQ(c.days, 252);
    EXPECT_EQ(c.trading_days_per_year, 252.0);
    EXPECT_EQ(c.strategies, (std::vector<Strategy>{DailyReset{}, Unrebalanced{}}));
    EXPECT_EQ(c.quantiles, (std::vector<double>{0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99}));
    EXPECT_EQ(c.costs.expense_ratio, 0.0);
    EXPECT_EQ(c.costs.financing_rate, 0.0);
    const auto& g = std::get<GbmModel>(c.model);
    EXPECT_EQ(g.mu, 0.05);
    EXPECT_EQ(g.sigma, 0.2);
}

TEST(Config, SchemaKeyIsAcceptedAndIgnored) {
    // "$schema" (schemas/scenario.schema.json, for editors) is any string and is not echoed.
    const std::string with =
        R"({"$schema": "../schemas/scenario.schema.json", )" + kMinimal.substr(1);
    const ScenarioConfig c = parse(with);
    EXPECT_EQ(to_json(c), to_json(parse(kMinimal)));
    EXPECT_FALSE(to_json(c).contains("$schema"));
    const InputError e = error_of(R"({"$schema": 3, )" + kMinimal.substr(1));
    EXPECT_STREQ(e.what(), "x.json: /$schema: must be a string (got 3)");
}

TEST(Config, ResolvedJsonRoundTrips) {
    for (const std::string& text :
         {kMinimal,
          std::string(R"({"name": "t", "seed": 18446744073709551615, "paths": 1e5, "days": 10,
            "model": {"type": "trend_noise", "mu": 0.1, "sigma": 0.3, "noise": "student_t", "df": 3.5},
            "multiples": [-3, 0.5], "strategies": ["unrebalanced"],
            "costs": {"expense_ratio": 0.01, "financing_rate": -0.005, "short_fee": 0.02},
            "quantiles": [0.9, 0.1]})"),
          std::string(
              R"({"name": "c", "days": 5, "model": {"type": "choppy", "amplitude_daily": 0.03,
            "start": "down"}, "multiples": [2]})"),
          std::string(R"({"name": "p", "days": 5, "model": {"type": "pattern",
            "returns_daily": [0.01, -0.02, 0]}, "multiples": [2]})")}) {
        const ScenarioConfig c = parse(text);
        const auto j = to_json(c);
        const ScenarioConfig back = parse_scenario(nlohmann::json::parse(j.dump()), "x");
        EXPECT_EQ(to_json(back).dump(), j.dump());
    }
    const ScenarioConfig t = parse(R"({"name": "t", "seed": 18446744073709551615, "paths": 1e5,
        "model": {"type": "gbm", "mu": 0, "sigma": 0}, "multiples": [1], "quantiles": [0.9, 0.1]})");
    EXPECT_EQ(t.seed, 18446744073709551615ULL);
    EXPECT_EQ(t.paths, 100000);
    EXPECT_EQ(t.quantiles, (std::vector<double>{0.1, 0.9})); // sorted
}

struct BadCase {
    const char* name;
    std::string text;
    std::string where;
    std::string value;
};

/// Stable test names in `ctest -N` (gtest would print the struct's bytes).
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class ConfigRejects : public ::testing::TestWithParam<BadCase> {};

TEST_P(ConfigRejects, NamingFieldAndValue) {
    const BadCase& b = GetParam();
    const InputError e = error_of(b.text);
    EXPECT_EQ(e.file(), "x.json");
    EXPECT_EQ(e.where(), b.where) << e.what();
    EXPECT_NE(std::string(e.value()).find(b.value), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << "one line";
}

std::string with(const std::string& field) {
    return R"({"name": "m", "model": {"type": "gbm", "mu": 0.05, "sigma": 0.2}, "multiples": [2], )" +
           field + "}";
}
std::string model(const std::string& m) {
    return R"({"name": "m", "multiples": [2], "model": )" + m + "}";
}

INSTANTIATE_TEST_SUITE_P(
    Config, ConfigRejects,
    ::testing::Values(
        BadCase{"unknown_top_key", with(R"("sigma": 0.2)"), "/sigma", ""},
        BadCase{"paths_string", with(R"("paths": "many")"), "/paths", "\"many\""},
        BadCase{"paths_zero", with(R"("paths": 0)"), "/paths", "0"},
        BadCase{"paths_fraction", with(R"("paths": 10.5)"), "/paths", "10.5"},
        BadCase{"days_negative", with(R"("days": -5)"), "/days", "-5"},
        BadCase{"seed_negative", with(R"("seed": -1)"), "/seed", "-1"},
        BadCase{"tdpy_zero", with(R"("trading_days_per_year": 0)"), "/trading_days_per_year", "0"},
        BadCase{"multiples_empty",
                R"({"name": "m", "model": {"type": "gbm", "mu": 0, "sigma": 0}, "multiples": []})",
                "/multiples", "[]"},
        BadCase{
            "multiples_duplicate",
            R"({"name": "m", "model": {"type": "gbm", "mu": 0, "sigma": 0}, "multiples": [2, 2]})",
            "/multiples/1", "2"},
        BadCase{
            "multiple_string",
            R"({"name": "m", "model": {"type": "gbm", "mu": 0, "sigma": 0}, "multiples": ["3x"]})",
            "/multiples/0", "\"3x\""},
        BadCase{"sigma_negative", model(R"({"type": "gbm", "mu": 0.05, "sigma": -0.2})"),
                "/model/sigma", "-0.2"},
        BadCase{"sigma_missing", model(R"({"type": "gbm", "mu": 0.05})"), "/model/sigma", ""},
        BadCase{"model_unknown_key",
                model(R"({"type": "gbm", "mu": 0.05, "sigma": 0.2, "vol": 1})"), "/model/vol", ""},
        BadCase{"model_type_unknown", model(R"({"type": "sabr"})"), "/model/type", "\"sabr\""},
        BadCase{"model_not_object", model(R"("gbm")"), "/model", "\"gbm\""},
        BadCase{
            "df_two",
            model(
                R"({"type": "trend_noise", "mu": 0, "sigma": 0.2, "noise": "student_t", "df": 2})"),
            "/model/df", "2"},
        BadCase{"df_with_normal",
                model(R"({"type": "trend_noise", "mu": 0, "sigma": 0.2, "df": 5})"), "/model/df",
                "5"},
        BadCase{"noise_unknown",
                model(R"({"type": "trend_noise", "mu": 0, "sigma": 0.2, "noise": "cauchy"})"),
                "/model/noise", "\"cauchy\""},
        BadCase{"choppy_start",
                model(R"({"type": "choppy", "amplitude_daily": 0.05, "start": "sideways"})"),
                "/model/start", "\"sideways\""},
        BadCase{"pattern_below_minus_one",
                model(R"({"type": "pattern", "returns_daily": [0.1, -1.5]})"),
                "/model/returns_daily/1", "-1.5"},
        BadCase{"strategy_unknown", with(R"("strategies": ["daily_reset", "weekly"])"),
                "/strategies/1", "\"weekly\""},
        BadCase{"quantile_above_one", with(R"("quantiles": [0.5, 1.5])"), "/quantiles/1", "1.5"},
        BadCase{"cost_unknown", with(R"("costs": {"fee": 0.01})"), "/costs/fee", ""},
        BadCase{"cost_negative", with(R"("costs": {"expense_ratio": -0.01})"),
                "/costs/expense_ratio", "-0.01"},
        BadCase{
            "name_with_slash",
            R"({"name": "../x", "model": {"type": "gbm", "mu": 0, "sigma": 0}, "multiples": [1]})",
            "/name", "\"../x\""},
        BadCase{"name_missing",
                R"({"model": {"type": "gbm", "mu": 0, "sigma": 0}, "multiples": [1]})", "/name",
                ""},
        BadCase{"not_an_object", "[1, 2]", "/", "[1,2]"},
        BadCase{"malformed", "{\"name\": \"m\",\n  \"days\": 10,,\n}", "line 2, column 14", ""},
        BadCase{
            "duplicate_key",
            R"({"name": "m", "name": "n", "model": {"type": "gbm", "mu": 0, "sigma": 0}, "multiples": [1]})",
            "/name", "\"name\""}),
    [](const auto& tp) { return std::string(tp.param.name); });

TEST(Config, OverridesAreValidatedAndApplied) {
    ScenarioConfig c = parse(kMinimal);
    apply_overrides(c, {.seed = 99, .paths = 123});
    EXPECT_EQ(c.seed, 99u);
    EXPECT_EQ(c.paths, 123);
    try {
        apply_overrides(c, {.paths = 0});
        FAIL() << "paths 0 accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where(), "--paths");
        EXPECT_EQ(e.value(), "0");
    }
}

TEST(Config, MissingFileNamesTheFile) {
    try {
        load_scenario("/nonexistent/dir/scenario.json");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), "/nonexistent/dir/scenario.json");
        EXPECT_NE(std::string(e.what()).find("cannot open"), std::string::npos);
    }
}

TEST(Config, EveryShippedConfigValidates) {
    int count = 0;
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(std::string(LETF_SOURCE_DIR) + "/configs")) {
        if (entry.path().extension() != ".json")
            continue;
        if (entry.path().parent_path().filename() == "studies")
            continue; // study files, not scenarios
        if (entry.path().parent_path().filename() == "data")
            continue; // need the shared market data: ShippedDataConfigsValidate
        if (entry.path().parent_path().filename() == "calibration")
            continue; // calibrate's funds files: CalibrateCli.ShippedFundsFilesParse
        EXPECT_NO_THROW(load_scenario(entry.path())) << entry.path();
        ++count;
    }
    EXPECT_GE(count, 6);
}


TEST(Config, ModelFromAFileAsFitWritesIt) {
    const test::TempDir dir;
    dir.write("gjr.json", R"({"type": "garch", "mu": 0.1, "sigma": 0.18, "alpha": 0.02,
                              "beta": 0.9, "gamma": 0.1, "innovations": "student_t", "df": 7})");
    const std::string head = R"({"name": "from_file", "multiples": [3], "model": )";
    const std::filesystem::path s = dir.write("s.json", head + R"({"file": "gjr.json"}})");
    const ScenarioConfig c = load_scenario(s);
    ASSERT_TRUE(std::holds_alternative<GarchModel>(c.model));
    EXPECT_EQ(std::get<GarchModel>(c.model).gamma, 0.1);
    // A bad value names the model file and its own pointer.
    dir.write("bad.json", R"({"type": "garch", "mu": 0.1, "sigma": 0.18, "alpha": 0.5,
                              "beta": 0.6})");
    try {
        load_scenario(dir.write("s2.json", head + R"({"file": "bad.json"}})"));
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), (dir / "bad.json").string());
        EXPECT_EQ(e.where(), "/beta");
    }
    // A missing file, a file naming another file, and a non-string name.
    for (const char* model : {R"({"file": "none.json"})", R"({"file": "s.json"})",
                              R"({"file": 3})"}) {
        dir.write("nest.json", R"({"file": "gjr.json"})");
        EXPECT_THROW(load_scenario(dir.write("s3.json", head + model + "}")), InputError)
            << model;
    }
    EXPECT_THROW(load_scenario(dir.write("s4.json", head + R"({"file": "nest.json"}})")),
                 InputError);
}

} // namespace
} // namespace letf
