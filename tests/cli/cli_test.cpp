// The command line, run in-process: exit codes, the one-line error format, report files written
// atomically (or not at all), and every shipped config validated.

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/cli_run.hpp"
#include "letf/version.hpp"
#include "test_util.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kConfigs = std::string(LETF_SOURCE_DIR) + "/configs";
const std::string kQuickstart = kConfigs + "/quickstart.json";

using namespace letf::test; // NOLINT: the helpers of every CLI test

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
    // 12 positions, once in the main table and once in the investor's (with the underlying).
    EXPECT_EQ(summary_rows(r.out), 24u) << r.out;
    EXPECT_NE(r.out.find("\nunderlying "), std::string::npos) << r.out;
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

TEST(Cli, UnwritableOutputIsRefusedBeforeTheRun) {
    TempDir dir;
    const fs::path blocker = dir / "plain_file";
    write_file(blocker, "not a folder\n");
    for (const fs::path& target : {blocker / "r.json", blocker / "sub" / "r.json"}) {
        SCOPED_TRACE(target.string());
        const CliResult r =
            run_cli({"run", kQuickstart, "--paths", "20", "--threads", "1", "-o", target});
        EXPECT_EQ(r.code, 2);
        EXPECT_TRUE(one_line(r.err));
        EXPECT_NE(r.err.find("--output"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find(target.string()), std::string::npos) << r.err;
        EXPECT_TRUE(r.out.empty()) << r.out;
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

} // namespace
