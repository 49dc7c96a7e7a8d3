// The command line on bad input, run in-process: every class of bad config or flag exits 2 with
// one error line naming the file (or the command line) and the place, and writes no report.

#include <algorithm>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli/cli_run.hpp"
#include "test_util.hpp"

namespace {

namespace fs = std::filesystem;

using namespace letf::test; // NOLINT: the helpers of every CLI test

/// One class of bad input: a config text (nullopt: the file does not exist), extra flags, and what
/// the one error line must name.
struct BadInput {
    const char* name;
    std::optional<std::string> config;
    std::vector<std::string> flags;
    std::string where; ///< JSON pointer, flag or line/column (substring)
    std::string value; ///< expected inside "(got ...)"; empty: not checked
    bool flag = false; ///< the error names the command line, not the file
};

std::ostream& operator<<(std::ostream& os, const BadInput& b) {
    return os << b.name;
}

const std::string kGbmModel = R"("model": {"type": "gbm", "mu": 0.05, "sigma": 0.2})";

std::string scenario(const std::string& fields) {
    return "{\n  \"name\": \"bad\",\n  \"paths\": 10,\n  \"days\": 5,\n  " + fields + "\n}\n";
}

const BadInput kBadInputs[] = {
    {"MalformedJson",
     "{\n  \"name\": \"bad\",\n  \"model\": {\"type\": \"gbm\" \"mu\": 0}\n}\n",
     {},
     "line 3, column",
     "",
     false},
    {"MissingFile", std::nullopt, {}, "cannot open", "", false},
    {"UnknownTopLevelKey",
     scenario(kGbmModel + R"(, "multiples": [2], "pathz": 10)"),
     {},
     "/pathz",
     "",
     false},
    {"UnknownModelKey",
     scenario(R"("model": {"type": "gbm", "mu": 0, "sigma": 0.2, "vol": 0.3}, "multiples": [2])"),
     {},
     "/model/vol",
     "",
     false},
    {"WrongType",
     R"({"name": "bad", "paths": "many", "days": 5,)" + kGbmModel + R"(, "multiples": [2]})",
     {},
     "/paths",
     "\"many\"",
     false},
    {"NegativeSigma",
     scenario(R"("model": {"type": "gbm", "mu": 0, "sigma": -0.2}, "multiples": [2])"),
     {},
     "/model/sigma",
     "-0.2",
     false},
    {"ZeroDays",
     R"({"name": "bad", "paths": 10, "days": 0,)" + kGbmModel + R"(, "multiples": [2]})",
     {},
     "/days",
     "0",
     false},
    {"NegativePaths",
     R"({"name": "bad", "paths": -3, "days": 5,)" + kGbmModel + R"(, "multiples": [2]})",
     {},
     "/paths",
     "-3",
     false},
    {"ZeroPaths",
     R"({"name": "bad", "paths": 0, "days": 5,)" + kGbmModel + R"(, "multiples": [2]})",
     {},
     "/paths",
     "0",
     false},
    {"EmptyMultiples", scenario(kGbmModel + R"(, "multiples": [])"), {}, "/multiples", "[]", false},
    {"StudentTDfTooSmall",
     scenario(R"("model": {"type": "trend_noise", "mu": 0, "sigma": 0.2, "noise": "student_t",)"
              R"( "df": 2}, "multiples": [2])"),
     {},
     "/model/df",
     "2",
     false},
    {"UnknownModelType",
     scenario(R"("model": {"type": "sabr", "mu": 0}, "multiples": [2])"),
     {},
     "/model/type",
     "\"sabr\"",
     false},
    {"UnknownStrategy",
     scenario(kGbmModel + R"(, "multiples": [2], "strategies": ["weekly_reset"])"),
     {},
     "/strategies/0",
     "\"weekly_reset\"",
     false},
    {"SmaRotationWindowZero",
     scenario(kGbmModel + R"(, "multiples": [2], "strategies": [{"type": "sma_rotation",)"
                          R"( "window_days": 0}])"),
     {},
     "/strategies/0/window_days",
     "0",
     false},
    {"VolTargetMaxLeverageNotTheLargestMultiple",
     scenario(kGbmModel + R"(, "multiples": [2, 3], "strategies": [{"type": "vol_target",)"
                          R"( "target": 0.2, "max_leverage": 2}])"),
     {},
     "/strategies/0/max_leverage",
     "2",
     false},
    {"DrawdownDeriskThresholdAboveOne",
     scenario(kGbmModel + R"(, "multiples": [2], "strategies": [{"type": "drawdown_derisk",)"
                          R"( "threshold": 1.5}])"),
     {},
     "/strategies/0/threshold",
     "1.5",
     false},
    {"BandsEveryZeroDays",
     scenario(kGbmModel + R"(, "multiples": [2], "bands": {"every_days": 0})"),
     {},
     "/bands/every_days",
     "0",
     false},
    {"HistogramMaxBelowMin",
     scenario(kGbmModel + R"(, "multiples": [2], "histogram": {"min": 2, "max": 1})"),
     {},
     "/histogram/max",
     "1",
     false},
    {"QuantileAboveOne",
     scenario(kGbmModel + R"(, "multiples": [2], "quantiles": [0.5, 1.5])"),
     {},
     "/quantiles/1",
     "1.5",
     false},
    {"MissingModel", scenario(R"("multiples": [2])"), {}, "/model", "", false},
    {"DuplicateKey",
     scenario(R"("model": {"type": "gbm", "mu": 0, "sigma": 0.2, "sigma": 0.3}, "multiples": [2])"),
     {},
     "",
     "\"sigma\"",
     false},
    {"ZeroPathsFlag",
     scenario(kGbmModel + R"(, "multiples": [2])"),
     {"--paths", "0"},
     "--paths",
     "0",
     true},
    {"ZeroThreadsFlag",
     scenario(kGbmModel + R"(, "multiples": [2])"),
     {"--threads", "0"},
     "--threads",
     "0",
     true},
    // A negative seed must not wrap around to 2^64 - 1.
    {"NegativeSeedFlag",
     scenario(kGbmModel + R"(, "multiples": [2])"),
     {"--seed", "-1"},
     "--seed",
     "-1",
     true},
    {"PortfolioWeights",
     scenario(kGbmModel + R"(, "multiples": [2], "strategies": [{"type": "portfolio",
       "holdings": [{"asset": "index", "multiple": 3, "weight": 0.6}, {"asset": "cash", "weight": 0.3}],
       "rebalance": {"every_days": 21}}])"),
     {},
     "/strategies/0/holdings",
     "sum 0.9",
     false},
    {"PortfolioUnknownAsset",
     scenario(kGbmModel + R"(, "multiples": [2], "strategies": [{"type": "portfolio",
       "holdings": [{"asset": "bonds", "weight": 1}], "rebalance": "never"}])"),
     {},
     "/strategies/0/holdings/0/asset",
     "\"bonds\"",
     false},
    {"CorrelationNotPositiveSemiDefinite",
     scenario(R"("assets": [{"name": "a", "model": {"type": "gbm", "mu": 0, "sigma": 0.2}},
       {"name": "b", "model": {"type": "gbm", "mu": 0, "sigma": 0.2}},
       {"name": "c", "model": {"type": "gbm", "mu": 0, "sigma": 0.2}}],
       "correlation": [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]], "multiples": [1])"),
     {},
     "/correlation",
     "",
     false},
    {"StrategyOnAMissingAsset",
     scenario(R"("assets": [{"name": "a", "model": {"type": "gbm", "mu": 0, "sigma": 0.2}}],
       "multiples": [1], "strategies": [{"type": "daily_reset", "asset": "b"}])"),
     {},
     "/strategies/0/asset",
     "\"b\"",
     false},
    {"CashFlowKind",
     scenario(kGbmModel + R"(, "multiples": [2], "cash_flows": {"withdrawal": 0.04, "kind": "real"})"),
     {},
     "/cash_flows/kind",
     "\"real\"",
     false},
};

class CliBadInput : public ::testing::TestWithParam<BadInput> {
protected:
    /// Writes the config (unless the case is a missing file) and returns its path.
    fs::path make_config() const {
        const fs::path cfg = dir_ / "scenario.json";
        if (GetParam().config)
            write_file(cfg, *GetParam().config);
        return cfg;
    }

    /// Runs `letfsim run cfg flags... -o report` and checks the one error line.
    void expect_rejected(const fs::path& cfg, const fs::path& report) const {
        const BadInput& b = GetParam();
        std::vector<std::string> args{"run", cfg.string()};
        args.insert(args.end(), b.flags.begin(), b.flags.end());
        if (std::find(b.flags.begin(), b.flags.end(), "--threads") == b.flags.end())
            args.insert(args.end(), {"--threads", "1"});
        args.insert(args.end(), {"-q", "-o", report.string()});
        const CliResult r = run_cli(args);
        EXPECT_EQ(r.code, 2) << r.err;
        EXPECT_TRUE(one_line(r.err));
        EXPECT_EQ(r.out, "");
        const std::string file = b.flag ? "command line" : cfg.string();
        EXPECT_EQ(r.err.rfind(file + ": ", 0), 0u) << r.err;
        EXPECT_NE(r.err.find(b.where), std::string::npos) << "where " << b.where << ": " << r.err;
        if (!b.value.empty()) {
            EXPECT_NE(r.err.find("(got " + b.value + ")"), std::string::npos)
                << "value " << b.value << ": " << r.err;
        }
    }

    TempDir dir_;
};

TEST_P(CliBadInput, RunExitsTwoAndWritesNoReport) {
    const fs::path cfg = make_config();
    const fs::path report = dir_ / "out" / "report.json";
    expect_rejected(cfg, report);
    EXPECT_FALSE(fs::exists(report));
    EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_P(CliBadInput, RunLeavesAnExistingReportUntouched) {
    const fs::path cfg = make_config();
    const fs::path report = dir_ / "report.json";
    const std::string old = "{\"old\": true}\n\x01\xff binary tail";
    write_file(report, old);
    const auto before = folder_entries(dir_.path());
    expect_rejected(cfg, report);
    EXPECT_EQ(read_file(report), old);
    EXPECT_EQ(folder_entries(dir_.path()), before);
}

TEST_P(CliBadInput, ValidateExitsTwoOnConfigErrors) {
    const BadInput& b = GetParam();
    const fs::path cfg = make_config();
    const CliResult r = run_cli({"validate", cfg.string()});
    if (b.flag) {
        // The config itself is fine; only the run's flag was wrong.
        EXPECT_EQ(r.code, 0) << r.err;
        return;
    }
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(one_line(r.err));
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.rfind(cfg.string() + ": ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(b.where), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Table, CliBadInput, ::testing::ValuesIn(kBadInputs),
                         [](const ::testing::TestParamInfo<BadInput>& param_info) {
                             return std::string(param_info.param.name);
                         });

} // namespace
