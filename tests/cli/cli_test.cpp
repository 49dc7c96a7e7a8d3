// The command line, run in-process: exit codes, the one-line error format, report files written
// atomically (or not at all), and every shipped config validated.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "cli.hpp"
#include "letf/version.hpp"
#include "test_util.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kConfigs = std::string(LETF_SOURCE_DIR) + "/configs";
const std::string kQuickstart = kConfigs + "/quickstart.json";

struct CliResult {
    int code = -1;
    std::string out, err;
};

/// Runs `letfsim args...` in-process.
CliResult run_cli(const std::vector<std::string>& args) {
    std::vector<const char*> argv{"letfsim"};
    for (const std::string& a : args)
        argv.push_back(a.c_str());
    std::ostringstream out, err;
    CliResult r;
    r.code = letf::cli::main(static_cast<int>(argv.size()), argv.data(), out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

std::vector<std::string> folder_entries(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

std::size_t count_lines(const std::string& s) {
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

/// Exactly one line: non-empty, ending in the only newline.
::testing::AssertionResult one_line(const std::string& s) {
    if (!s.empty() && s.back() == '\n' && count_lines(s) == 1 && s.size() > 1)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "expected exactly one line, got " << count_lines(s)
                                         << " newline(s) in \"" << s << "\"";
}

using letf::test::TempDir;

/// Changes the current folder for the lifetime of the object.
class CurrentDir {
public:
    explicit CurrentDir(const fs::path& dir) : saved_(fs::current_path()) { fs::current_path(dir); }
    ~CurrentDir() {
        std::error_code ec;
        fs::current_path(saved_, ec);
    }
    CurrentDir(const CurrentDir&) = delete;
    CurrentDir& operator=(const CurrentDir&) = delete;

private:
    fs::path saved_;
};

std::size_t summary_rows(const std::string& out) {
    static const std::regex row(R"(^(daily_reset|unrebalanced) +-?[0-9.]+ )");
    std::istringstream in(out);
    std::size_t rows = 0;
    for (std::string line; std::getline(in, line);)
        if (std::regex_search(line, row))
            ++rows;
    return rows;
}

TEST(Cli, HelpListsSubcommandsAndExitsZero) {
    const CliResult r = run_cli({"--help"});
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("run"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("validate"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << r.out;
}

TEST(Cli, VersionPrintsNameAndVersion) {
    const CliResult r = run_cli({"--version"});
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(r.out.rfind(std::string("letfsim ") + letf::kVersion, 0), 0u) << r.out;
    EXPECT_TRUE(one_line(r.out));
}

TEST(Cli, NoSubcommandIsAUsageError) {
    const CliResult r = run_cli({});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(one_line(r.err));
    EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(Cli, UnknownFlagIsAUsageErrorOnOneLine) {
    TempDir dir;
    const fs::path report = dir / "r.json";
    const CliResult r = run_cli({"run", kQuickstart, "--paths", "10", "--bogus", "-o", report});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(one_line(r.err));
    EXPECT_NE(r.err.find("--bogus"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(report));

    const CliResult top = run_cli({"--bogus"});
    EXPECT_EQ(top.code, 2);
    EXPECT_TRUE(one_line(top.err));
}

TEST(Cli, BadFlagValueIsAUsageError) {
    TempDir dir;
    const fs::path report = dir / "r.json";
    const CliResult r = run_cli({"run", kQuickstart, "--paths", "many", "-o", report});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(one_line(r.err));
    EXPECT_NE(r.err.find("--paths"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(report));
}

TEST(Cli, TinyRunWritesReportAndSummary) {
    TempDir dir;
    const fs::path report = dir / "x.json";
    const CliResult r =
        run_cli({"run", kQuickstart, "--paths", "500", "--threads", "1", "-o", report});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;
    ASSERT_TRUE(fs::is_regular_file(report));
    const json j = json::parse(read_file(report)); // throws (fails the test) if not JSON
    EXPECT_EQ(j.at("schema_version"), 1);
    EXPECT_EQ(j.at("scenario"), "quickstart");
    EXPECT_EQ(j.at("run_info").at("paths"), 500);
    EXPECT_EQ(j.at("run_info").at("threads"), 1);
    EXPECT_EQ(j.at("results").size(), 12u);
    // quickstart: 2 strategies x 6 multiples.
    EXPECT_EQ(summary_rows(r.out), 12u) << r.out;
    EXPECT_NE(r.out.find(report.string()), std::string::npos) << r.out;
    // Nothing but the report in the folder: no temporary left behind.
    EXPECT_EQ(folder_entries(dir.path()), std::vector<std::string>{"x.json"});
}

TEST(Cli, QuietPrintsNothing) {
    TempDir dir;
    const fs::path report = dir / "q.json";
    const CliResult r =
        run_cli({"run", kQuickstart, "--paths", "50", "--threads", "1", "-q", "-o", report});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "");
    EXPECT_TRUE(fs::is_regular_file(report));

    const CliResult longer =
        run_cli({"run", kQuickstart, "--paths", "50", "--threads", "1", "--quiet", "-o", report});
    ASSERT_EQ(longer.code, 0) << longer.err;
    EXPECT_EQ(longer.out, "");
}

TEST(Cli, SeedAndPathsOverridesReachTheReport) {
    TempDir dir;
    const fs::path report = dir / "o.json";
    const CliResult r = run_cli({"run", kQuickstart, "--seed", "987654321", "--paths", "123",
                                 "--threads", "1", "-q", "-o", report});
    ASSERT_EQ(r.code, 0) << r.err;
    const json j = json::parse(read_file(report));
    EXPECT_EQ(j.at("config").at("seed"), 987654321u);
    EXPECT_EQ(j.at("config").at("paths"), 123);
    EXPECT_EQ(j.at("run_info").at("seed"), 987654321u);
    EXPECT_EQ(j.at("run_info").at("paths"), 123);
    // The file's own values (seed 20240101, 100000 paths) are not what ran.
    EXPECT_NE(j.at("config").at("seed"), 20240101u);

    // A different seed changes the results; the same seed reproduces them.
    const fs::path other = dir / "p.json";
    ASSERT_EQ(run_cli({"run", kQuickstart, "--seed", "1", "--paths", "123", "--threads", "1", "-q",
                       "-o", other})
                  .code,
              0);
    EXPECT_NE(json::parse(read_file(other)).at("results"), j.at("results"));
    ASSERT_EQ(run_cli({"run", kQuickstart, "--seed", "987654321", "--paths", "123", "--threads",
                       "2", "-q", "-o", other})
                  .code,
              0);
    EXPECT_EQ(json::parse(read_file(other)).at("results"), j.at("results"));
}

TEST(Cli, DefaultOutputIsResultsFolderOfCurrentDirectory) {
    TempDir dir;
    const fs::path saved = fs::current_path();
    {
        CurrentDir cd(dir.path());
        const CliResult r = run_cli({"run", kQuickstart, "--paths", "20", "--threads", "1", "-q"});
        ASSERT_EQ(r.code, 0) << r.err;
    }
    EXPECT_EQ(fs::current_path(), saved);
    const fs::path report = dir / "results" / "quickstart.json";
    ASSERT_TRUE(fs::is_regular_file(report));
    EXPECT_EQ(json::parse(read_file(report)).at("scenario"), "quickstart");
    EXPECT_EQ(folder_entries(dir / "results"), std::vector<std::string>{"quickstart.json"});
}

TEST(Cli, ValidateAcceptsEveryShippedConfig) {
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(kConfigs))
        if (e.is_regular_file())
            files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    ASSERT_GE(files.size(), 6u) << "configs/ should hold at least 6 scenarios";
    for (const std::string& f : files) {
        SCOPED_TRACE(f);
        const CliResult r = run_cli({"validate", f});
        EXPECT_EQ(r.code, 0) << r.err;
        EXPECT_EQ(r.err, "");
        EXPECT_TRUE(one_line(r.out));
        EXPECT_EQ(r.out.rfind("ok: " + f, 0), 0u) << r.out;
    }
    std::vector<std::string> all{"validate"};
    all.insert(all.end(), files.begin(), files.end());
    const CliResult r = run_cli(all);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(count_lines(r.out), files.size());
}

TEST(Cli, ValidateReportsEveryBadFileAndExitsTwo) {
    TempDir dir;
    const fs::path bad = dir / "bad.json";
    write_file(bad, R"({"name": "b", "model": {"type": "gbm", "mu": 0, "sigma": -1},
                        "multiples": [2]})");
    const CliResult r = run_cli({"validate", kQuickstart, bad.string(), (dir / "none.json")});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(count_lines(r.err), 2u) << r.err;
    EXPECT_EQ(count_lines(r.out), 1u) << r.out;
}

TEST(Cli, UnwritableOutputIsARuntimeFailure) {
    TempDir dir;
    const fs::path blocker = dir / "plain_file";
    write_file(blocker, "not a folder\n");
    for (const fs::path& target : {blocker / "r.json", blocker / "sub" / "r.json"}) {
        SCOPED_TRACE(target.string());
        const CliResult r =
            run_cli({"run", kQuickstart, "--paths", "20", "--threads", "1", "-o", target});
        EXPECT_EQ(r.code, 1);
        EXPECT_TRUE(one_line(r.err));
        EXPECT_NE(r.err.find(target.string()), std::string::npos) << r.err;
        EXPECT_EQ(folder_entries(dir.path()), std::vector<std::string>{"plain_file"});
        EXPECT_EQ(read_file(blocker), "not a folder\n");
    }
}

TEST(Cli, OutputOntoAFolderIsRefused) {
    TempDir dir;
    const fs::path target = dir / "taken";
    fs::create_directory(target);
    write_file(target / "keep.txt", "keep");
    const CliResult r =
        run_cli({"run", kQuickstart, "--paths", "20", "--threads", "1", "-o", target});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(one_line(r.err));
    EXPECT_EQ(folder_entries(dir.path()), std::vector<std::string>{"taken"});
    EXPECT_EQ(folder_entries(target), std::vector<std::string>{"keep.txt"});
}

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
     scenario(R"("model": {"type": "heston", "mu": 0}, "multiples": [2])"),
     {},
     "/model/type",
     "\"heston\"",
     false},
    {"UnknownStrategy",
     scenario(kGbmModel + R"(, "multiples": [2], "strategies": ["weekly_reset"])"),
     {},
     "/strategies/0",
     "\"weekly_reset\"",
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
