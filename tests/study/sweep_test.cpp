// Studies run: per-point results equal to single runs, resume (checksums, study hashes), the
// folder's lock and its foreign files, stopping between points, small points side by side,
// Ctrl-C, the CLI, and the CSV's rows and columns.

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/file.h>
#include <system_error>
#include <unistd.h>

#include "cli/cli_run.hpp"
#include "letf/base/error.hpp"
#include "letf/output/report.hpp"
#include "letf/study/sweep.hpp"
#include "study_test_util.hpp"
#include "sweep_cmd.hpp"

namespace letf {
namespace {

using namespace study_test; // NOLINT: the helpers of every study test
using test::CliResult;
using test::run_cli;

json without_run_info(json report) {
    report.erase("run_info");
    return report;
}

/// A study of two points: sigma 0.1 and 0.2.
Study two_sigmas() {
    return parse(study_doc(R"([{"pointer": "/model/sigma", "values": [0.1, 0.2]}])"));
}

TEST(Sweep, PointReportsEqualSingleRunsForSmallAndLargePoints) {
    ScratchDir dir;
    // Points of 300 paths run side by side on one thread each, points of 3000 on every thread.
    const Study s = parse(study_doc(R"([{"pointer": "/paths", "values": [300, 3000]},
                                        {"pointer": "/model/sigma", "values": [0.1, 0.6]}])"));
    SweepOptions o;
    o.threads = 2;
    o.small_point_paths_per_thread = 1000;
    const StudyRunInfo info = run_study(s, dir.path(), o);
    EXPECT_TRUE(info.complete);
    EXPECT_EQ(info.points_run, 4u);
    std::set<int> threads_used;
    for (const StudyPoint& p : s.points) {
        SCOPED_TRACE(p.index);
        const json file = json::parse(slurp(dir / "points" / point_file_name(p.index)));
        EXPECT_EQ(file.at("point"), p.index);
        EXPECT_EQ(file.at("values").at("/paths"), p.config.paths);
        threads_used.insert(file.at("report").at("run_info").at("threads").get<int>());
        // The same point run alone with `letfsim run`.
        const fs::path cfg = dir / ("point" + std::to_string(p.index) + ".json");
        const fs::path report = dir / ("point" + std::to_string(p.index) + "_report.json");
        spit(cfg, to_json(p.config).dump());
        ASSERT_EQ(
            run_cli({"run", cfg.string(), "-q", "--threads", "2", "-o", report.string()}).code, 0);
        const json single = json::parse(slurp(report));
        EXPECT_EQ(without_run_info(file.at("report")), without_run_info(single));
        EXPECT_EQ(without_run_info(file.at("report")).dump(),
                  without_run_info(build_report(p.config, simulate(p.config))).dump());
        // The compact summary quotes the same numbers as the report.
        const json& row = file.at("summary").at("results").at(1);
        const json& res = single.at("results").at(1);
        EXPECT_EQ(row.at("strategy"), res.at("strategy"));
        EXPECT_EQ(row.at("multiple"), res.at("multiple"));
        EXPECT_EQ(row.at("mean"), res.at("terminal").at("mean"));
        EXPECT_EQ(row.at("median"), res.at("terminal").at("median"));
        EXPECT_EQ(row.at("prob_loss"), res.at("prob_loss"));
        EXPECT_EQ(row.at("log_decay_mean"), res.at("log_decay").at("mean"));
        EXPECT_EQ(row.at("log_decay_analytic"),
                  res.at("analytic").at("log_decay_mean").at("value"));
        EXPECT_EQ(row.at("max_drawdown_mean"), res.at("max_drawdown").at("mean"));
    }
    // Both ways of running points were exercised.
    EXPECT_EQ(threads_used, (std::set<int>{1, 2}));
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

/// Splits one CSV line (RFC 4180 quoting, no newlines inside cells).
std::vector<std::string> csv_cells(const std::string& line) {
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char ch = line[i];
        if (quoted && ch == '"' && i + 1 < line.size() && line[i + 1] == '"')
            cells.back() += line[++i];
        else if (ch == '"')
            quoted = !quoted;
        else if (ch == ',' && !quoted)
            cells.emplace_back();
        else
            cells.back() += ch;
    }
    return cells;
}

TEST(Sweep, CsvHasOneRowPerPointStrategyAndMultipleWithTheContractColumns) {
    ScratchDir dir;
    const Study s = parse(study_doc(R"([{"pointer": "/model", "values": [
            {"type": "gbm", "mu": 0.1, "sigma": 0.3},
            {"type": "choppy", "amplitude_daily": 0.01, "noise_sigma_daily": 0.01}]},
        {"pointer": "/days", "values": [5, 15, 30]}])"));
    SweepOptions o;
    o.threads = 2;
    run_study(s, dir.path(), o);
    const std::vector<std::string> lines = lines_of(slurp(dir / "study.csv"));
    // 6 points x (the index + 2 strategies x 3 multiples), plus the header.
    ASSERT_EQ(lines.size(), 1u + 6 * (1 + 2 * 3));
    const std::vector<std::string> header = csv_cells(lines[0]);
    const std::vector<std::string> contract{"point",
                                            "/model",
                                            "/days",
                                            "strategy",
                                            "multiple",
                                            "mean",
                                            "median",
                                            "p05",
                                            "p95",
                                            "prob_loss",
                                            "prob_underperform_target",
                                            "prob_wipeout",
                                            "log_decay_mean",
                                            "log_decay_analytic",
                                            "max_drawdown_mean"};
    ASSERT_GE(header.size(), contract.size());
    EXPECT_EQ(std::vector<std::string>(header.begin(), header.begin() + 15), contract);
    for (std::size_t i = 1; i < lines.size(); ++i) {
        SCOPED_TRACE(lines[i]);
        const std::vector<std::string> cells = csv_cells(lines[i]);
        ASSERT_EQ(cells.size(), header.size());
        const std::size_t in_point = (i - 1) % 7; // 0: the index, then 3 + 3 positions
        EXPECT_EQ(cells[0], std::to_string((i - 1) / 7));
        // The object value survives quoting as its JSON.
        const json model = json::parse(cells[1]);
        EXPECT_EQ(model.at("type"), (i - 1) / 7 < 3 ? "gbm" : "choppy");
        EXPECT_EQ(cells[3], in_point == 0  ? "index"
                            : in_point < 4 ? "daily_reset"
                                           : "unrebalanced");
        EXPECT_FALSE(cells[4].empty());      // the multiple: always a number
        EXPECT_GT(std::stod(cells[5]), 0.0); // mean
        // The analytic decay exists for gbm daily reset only; empty cells, never "nan".
        EXPECT_EQ(cells[13].empty(), model.at("type") != "gbm" || cells[3] != "daily_reset");
        EXPECT_EQ(lines[i].find("nan"), std::string::npos);
    }
    // study.json holds the same points with their summaries.
    const json sj = json::parse(slurp(dir / "study.json"));
    EXPECT_EQ(sj.at("schema_version"), 1);
    EXPECT_EQ(sj.at("run_info").at("complete"), true);
    ASSERT_EQ(sj.at("points").size(), 6u);
    EXPECT_EQ(sj.at("points").at(4).at("values").at("/days"), 15);
    EXPECT_EQ(sj.at("points").at(4).at("results").size(), 6u);
    EXPECT_EQ(sj.at("study").at("axes").at(1).at("pointer"), "/days");
}

/// The cell of `name` in a row of study.csv.
std::string cell_of(const std::vector<std::string>& header, const std::vector<std::string>& row,
                    const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    EXPECT_NE(it, header.end()) << "no column " << name;
    return it == header.end() ? std::string()
                              : row.at(static_cast<std::size_t>(it - header.begin()));
}

/// A number cell against the report's value: equal to the last bit (shortest round-trip text).
void expect_number(const std::string& cell, const json& value, const std::string& what) {
    if (value.is_null()) {
        EXPECT_EQ(cell, "") << what;
        return;
    }
    ASSERT_FALSE(cell.empty()) << what;
    EXPECT_EQ(std::stod(cell), value.get<double>()) << what;
}

TEST(Sweep, CsvHasIndexRowsPointLabelsAndEveryConfiguredQuantile) {
    ScratchDir dir;
    // Two labelled models x two quantile lists: the columns are the union of the levels.
    const Study s = parse(study_doc(R"([{"pointer": "/model/sigma", "values": [0.1, 0.5],
                                         "labels": ["calm", "wild, really"]},
        {"pointer": "/quantiles", "values": [[0.01, 0.5, 0.995], [0.05, 0.25]]}])"));
    SweepOptions o = one_thread();
    ASSERT_TRUE(run_study(s, dir.path(), o).complete);
    const std::string csv = slurp(dir / "study.csv");
    const std::vector<std::string> lines = lines_of(csv);
    const std::vector<std::string> header = csv_cells(lines.at(0));
    // After paths and days: the point's label, then every configured level but 0.05 (p05 is a
    // summary column), sorted, named as p05 is.
    const std::vector<std::string> tail{"paths", "days", "label", "p01", "p25", "p50", "p99.5"};
    ASSERT_GE(header.size(), tail.size());
    EXPECT_EQ(std::vector<std::string>(header.end() - 7, header.end()), tail);
    EXPECT_EQ(std::count(header.begin(), header.end(), "p05"), 1);
    // 4 points x (the index + 2 strategies x 3 multiples)
    ASSERT_EQ(lines.size(), 1u + 4 * (1 + 2 * 3));
    for (std::size_t i = 1; i < lines.size(); ++i) {
        SCOPED_TRACE(lines[i]);
        const std::vector<std::string> row = csv_cells(lines[i]);
        ASSERT_EQ(row.size(), header.size());
        const std::size_t point = (i - 1) / 7, in_point = (i - 1) % 7;
        const json file = json::parse(slurp(dir / "points" / point_file_name(point)));
        const json& report = file.at("report");
        const json& series =
            in_point == 0 ? report.at("underlying") : report.at("results").at(in_point - 1);
        EXPECT_EQ(cell_of(header, row, "label"), point < 2 ? "calm" : "wild, really");
        EXPECT_EQ(row.at(3), in_point == 0  ? "index"
                             : in_point < 4 ? "daily_reset"
                                            : "unrebalanced");
        EXPECT_EQ(std::stod(row.at(4)), in_point == 0 ? 1.0 : series.at("multiple").get<double>());
        expect_number(cell_of(header, row, "mean"), series.at("terminal").at("mean"), "mean");
        expect_number(cell_of(header, row, "median"), series.at("terminal").at("median"), "median");
        // Each quantile cell is the report's terminal quantile at that level, empty where the
        // point did not configure it.
        const std::vector<std::pair<std::string, double>> levels{
            {"p01", 0.01}, {"p25", 0.25}, {"p50", 0.5}, {"p99.5", 0.995}};
        for (const auto& [name, q] : levels) {
            json value;
            bool configured = false;
            for (const json& e : series.at("terminal").at("quantiles"))
                if (e.at("q").get<double>() == q) {
                    value = e.at("value");
                    configured = true;
                }
            EXPECT_EQ(configured, (point % 2 == 0) == (name != "p25")) << name;
            if (configured) {
                expect_number(cell_of(header, row, name), value, name);
            } else {
                EXPECT_EQ(cell_of(header, row, name), "") << name;
            }
        }
        if (in_point == 0) { // the index has no decay and no target
            EXPECT_EQ(cell_of(header, row, "log_decay_mean"), "");
        }
    }
    // The median is the 0.5 quantile: p50 repeats it where configured.
    const std::vector<std::string> first = csv_cells(lines.at(2));
    EXPECT_EQ(cell_of(header, first, "p50"), cell_of(header, first, "median"));
    // Resumed points read the quantiles back from their reports: the same bytes.
    o.resume = true;
    EXPECT_EQ(run_study(s, dir.path(), o).points_resumed, 4u);
    EXPECT_EQ(slurp(dir / "study.csv"), csv);
    // And the same bytes on two threads (the union of levels does not depend on order).
    ScratchDir other;
    SweepOptions two;
    two.threads = 2;
    ASSERT_TRUE(run_study(s, other.path(), two).complete);
    EXPECT_EQ(slurp(other / "study.csv"), csv);
}

TEST(Sweep, APointFileWhoseReportListsOtherQuantilesRunsAgain) {
    ScratchDir dir;
    const Study s = two_sigmas();
    SweepOptions o = one_thread();
    ASSERT_TRUE(run_study(s, dir.path(), o).complete);
    const fs::path p1 = dir / "points" / "0001.json";
    ASSERT_TRUE(read_point_file(p1, s, s.points[1]));
    // Re-checksummed as it is, the file is still reused (the control); with one quantile of one
    // result's terminal block dropped, the summary can no longer give every configured level,
    // so the point is not reused.
    const auto rewrite = [&p1](nlohmann::ordered_json j) {
        j.erase("checksum");
        j["checksum"] = fmt::format("fnv1a64:{:016x}", fnv1a64(j.dump()));
        spit(p1, j.dump(2));
    };
    auto j = nlohmann::ordered_json::parse(slurp(p1));
    rewrite(j);
    ASSERT_TRUE(read_point_file(p1, s, s.points[1]));
    j["report"]["results"][0]["terminal"]["quantiles"].erase(0);
    rewrite(j);
    EXPECT_FALSE(read_point_file(p1, s, s.points[1]));
}

std::vector<std::string> names_in(const fs::path& d) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(d))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

TEST(Sweep, ResumeRunsOnlyTheMissingOrChangedPoints) {
    ScratchDir dir;
    const json doc = study_doc(R"([{"pointer": "/model/sigma", "values": [0.1, 0.2, 0.3, 0.4]}])");
    const Study s = parse(doc);
    SweepOptions o = one_thread();
    run_study(s, dir.path(), o);
    const std::string csv = slurp(dir / "study.csv");
    const std::string point1 = slurp(dir / "points" / "0001.json");

    fs::remove(dir / "points" / "0002.json");
    std::vector<std::size_t> ran;
    o.resume = true;
    o.progress = [&ran](const SweepProgress& p) { ran.push_back(p.point); };
    StudyRunInfo info = run_study(s, dir.path(), o);
    EXPECT_EQ(ran, std::vector<std::size_t>{2});
    EXPECT_EQ(info.points_resumed, 3u);
    EXPECT_EQ(info.points_run, 1u);
    EXPECT_TRUE(info.complete);
    EXPECT_EQ(slurp(dir / "study.csv"), csv);               // same results as the first run
    EXPECT_EQ(slurp(dir / "points" / "0001.json"), point1); // not rewritten

    // A damaged point file is run again.
    spit(dir / "points" / "0003.json", "{\"schema_version\": 1, \"point\": ");
    ran.clear();
    info = run_study(s, dir.path(), o);
    EXPECT_EQ(ran, std::vector<std::size_t>{3});

    // Without --resume every point runs.
    ran.clear();
    o.resume = false;
    run_study(s, dir.path(), o);
    EXPECT_EQ(ran.size(), 4u);
    EXPECT_EQ(slurp(dir / "study.csv"), csv);

    // Another study (here: another base) is refused, with or without resume; nothing changes.
    json changed = doc;
    changed["base"]["paths"] = 700;
    const Study s2 = parse(changed);
    ASSERT_NE(study_hash(s2), study_hash(s));
    for (const bool resume : {false, true}) {
        o.resume = resume;
        ran.clear();
        try {
            run_study(s2, dir.path(), o);
            ADD_FAILURE() << "another study's folder was not refused";
        } catch (const InputError& e) {
            EXPECT_EQ(e.file(), dir.path().string());
            EXPECT_NE(std::string(e.what()).find("another study"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find(study_hash(s)), std::string::npos) << e.what();
        }
        EXPECT_TRUE(ran.empty());
        EXPECT_EQ(slurp(dir / "study.csv"), csv);
    }
}

TEST(Sweep, ATamperedSummaryIsNotTrustedTheWholePointRunsAgain) {
    ScratchDir dir;
    const Study s = two_sigmas();
    SweepOptions o = one_thread();
    run_study(s, dir.path(), o);
    const std::string csv = slurp(dir / "study.csv");
    const fs::path p1 = dir / "points" / "0001.json";
    ASSERT_TRUE(read_point_file(p1, s, s.points[1]));
    json j = json::parse(slurp(p1));
    EXPECT_EQ(j.at("study_hash"), study_hash(s));
    EXPECT_EQ(j.at("checksum").get<std::string>().rfind("fnv1a64:", 0), 0u);
    // The summary says 123 while the report beside it says otherwise: the file is not trusted.
    j["summary"]["results"][0]["mean"] = 123;
    spit(p1, j.dump(2));
    EXPECT_FALSE(read_point_file(p1, s, s.points[1]));
    // So is a report edited behind an unchanged summary; a file only re-indented is still good.
    auto k = nlohmann::ordered_json::parse(slurp(dir / "points" / "0000.json"));
    spit(dir / "points" / "0000.json", k.dump(4));
    EXPECT_TRUE(read_point_file(dir / "points" / "0000.json", s, s.points[0]));
    k["report"]["name"] = "x";
    spit(dir / "points" / "0000.json", k.dump(2));
    EXPECT_FALSE(read_point_file(dir / "points" / "0000.json", s, s.points[0]));

    std::vector<std::size_t> ran;
    o.resume = true;
    o.progress = [&ran](const SweepProgress& p) { ran.push_back(p.point); };
    const StudyRunInfo info = run_study(s, dir.path(), o);
    EXPECT_EQ(ran, (std::vector<std::size_t>{0, 1}));
    EXPECT_EQ(info.points_resumed, 0u);
    EXPECT_EQ(slurp(dir / "study.csv"), csv);
}

TEST(Sweep, TheFolderIsLockedWhileASweepRuns) {
    ScratchDir dir;
    const Study s = two_sigmas();
    SweepOptions o = one_thread();
    int checked = 0;
    o.progress = [&](const SweepProgress&) {
        if (checked++)
            return;
        // Another process's view of the lock: a new open file description.
        const int fd = ::open((dir / std::string(kSweepLockFile)).c_str(), O_RDWR | O_CLOEXEC);
        ASSERT_GE(fd, 0);
        EXPECT_NE(::flock(fd, LOCK_EX | LOCK_NB), 0);
        EXPECT_EQ(errno, EWOULDBLOCK);
        ::close(fd);
        // A second sweep into the folder is refused as bad input (exit 2), naming the folder.
        try {
            SweepOptions second;
            second.threads = 1;
            run_study(s, dir.path(), second);
            ADD_FAILURE() << "a second sweep ran into a locked folder";
        } catch (const InputError& e) {
            EXPECT_EQ(e.file(), dir.path().string());
            EXPECT_NE(std::string(e.what()).find("another sweep"), std::string::npos) << e.what();
        }
    };
    EXPECT_TRUE(run_study(s, dir.path(), o).complete);
    EXPECT_EQ(checked, 2);
    // Released at the end.
    const int fd = ::open((dir / std::string(kSweepLockFile)).c_str(), O_RDWR | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    EXPECT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
    ::close(fd);
}

TEST(Sweep, OnlyOwnDeadTemporariesAndStalePointsAreRemoved) {
    ScratchDir dir;
    const Study s = two_sigmas();
    fs::create_directories(dir / "points");
    std::string live = ".study.csv.letfsim-tmp."; // a temporary of this (live) process
    live += std::to_string(::getpid());
    live += ".0";
    const std::vector<fs::path> kept = {dir / "notes.tmp.txt", dir / "points" / "a.tmp.json",
                                        dir / "points" / "readme.json", dir / "points" / "12.json",
                                        dir / live};
    for (const fs::path& p : kept)
        spit(p, "mine");
    // A writer that is gone: pid 2^22 + 1 is above Linux's pid_max limit, never alive.
    const fs::path dead = dir / "points" / ".0000.json.letfsim-tmp.4194305.0";
    spit(dead, "x");
    ASSERT_TRUE(is_own_temporary(dead));
    // Points beyond the study's two, without a study hash (an older version's, or copied in).
    spit(dir / "points" / "0002.json", "{}");
    spit(dir / "points" / "0010.json", "{\"schema_version\": 1}");
    SweepOptions o = one_thread();
    const StudyRunInfo info = run_study(s, dir.path(), o);
    EXPECT_EQ(info.stale_points_removed, 2u);
    for (const fs::path& p : kept)
        EXPECT_TRUE(fs::exists(p)) << p;
    EXPECT_FALSE(fs::exists(dead));
    EXPECT_FALSE(fs::exists(dir / "points" / "0002.json"));
    EXPECT_FALSE(fs::exists(dir / "points" / "0010.json"));
}

TEST(Sweep, SmallPointsSideBySideWriteTheSameFilesAsOneThread) {
    // 600-path points are small: with three threads they run side by side on OpenMP threads, one
    // each; the files equal those of a run on one thread, point for point.
    const Study s = parse(study_doc(R"([{"pointer": "/model/sigma", "values": [0.1, 0.2, 0.3]},
                                        {"pointer": "/days", "values": [5, 10]}])"));
    ScratchDir one, three;
    SweepOptions o = one_thread();
    EXPECT_TRUE(run_study(s, one.path(), o).complete);
    o.threads = 3;
    const StudyRunInfo info = run_study(s, three.path(), o);
    EXPECT_TRUE(info.complete);
    EXPECT_EQ(info.points_run, 6u);
    EXPECT_EQ(slurp(one / "study.csv"), slurp(three / "study.csv"));
    for (const StudyPoint& p : s.points) {
        SCOPED_TRACE(p.index);
        const json a = json::parse(slurp(one / "points" / point_file_name(p.index)));
        const json b = json::parse(slurp(three / "points" / point_file_name(p.index)));
        EXPECT_EQ(a.at("summary"), b.at("summary"));
        EXPECT_EQ(without_run_info(a.at("report")), without_run_info(b.at("report")));
    }
}

TEST(Sweep, ASecondCtrlCReachesTheHandlerInstalledBefore) {
    static volatile std::sig_atomic_t previous_calls = 0;
    struct sigaction counting {
    }, saved{};
    counting.sa_handler = [](int) { previous_calls = previous_calls + 1; };
    sigemptyset(&counting.sa_mask);
    ASSERT_EQ(::sigaction(SIGINT, &counting, &saved), 0);
    previous_calls = 0;
    {
        cli::SigintGuard guard;
        EXPECT_FALSE(cli::SigintGuard::interrupted());
        ::raise(SIGINT);
        EXPECT_TRUE(cli::SigintGuard::interrupted()); // first: a graceful stop
        EXPECT_EQ(previous_calls, 0);
        ::raise(SIGINT);
        EXPECT_EQ(previous_calls, 1); // second: the handler in place before (cleanup, exit 130)
    }
    ::raise(SIGINT);
    EXPECT_EQ(previous_calls, 2); // restored after the sweep
    ::sigaction(SIGINT, &saved, nullptr);
}

TEST(Sweep, StopLeavesFinishedPointsAndNoTemporaryAndResumeCompletes) {
    ScratchDir dir;
    const Study s = parse(study_doc(R"([{"pointer": "/model/sigma", "values": [0.1, 0.2, 0.3]},
                                        {"pointer": "/days", "values": [5, 6]}])"));
    int finished = 0;
    SweepOptions o = one_thread();
    o.progress = [&finished](const SweepProgress&) { ++finished; };
    o.stop_requested = [&finished] { return finished >= 2; };
    StudyRunInfo info = run_study(s, dir.path(), o);
    EXPECT_FALSE(info.complete);
    EXPECT_EQ(info.points_done, 2u);
    EXPECT_EQ(names_in(dir / "points"), (std::vector<std::string>{"0000.json", "0001.json"}));
    EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{".letfsim-sweep.lock", "points",
                                                              "study.csv", "study.json"}));
    const json partial = json::parse(slurp(dir / "study.json"));
    EXPECT_EQ(partial.at("run_info").at("complete"), false);
    EXPECT_EQ(partial.at("points").size(), 2u);
    EXPECT_EQ(lines_of(slurp(dir / "study.csv")).size(), 1u + 2 * (1 + 6)); // index + 6 rows

    // A stop request in the middle of a point's blocks drops that point.
    ScratchDir big;
    const Study large = parse(study_doc(R"([{"pointer": "/paths", "values": [40000]}])"));
    SweepOptions ob;
    ob.threads = 1;
    int polls = 0;
    ob.stop_requested = [&polls] { return ++polls > 1; }; // after the first group of blocks
    info = run_study(large, big.path(), ob);
    EXPECT_EQ(info.points_done, 0u);
    EXPECT_TRUE(names_in(big / "points").empty());

    o.stop_requested = nullptr;
    o.resume = true;
    finished = 0;
    info = run_study(s, dir.path(), o);
    EXPECT_TRUE(info.complete);
    EXPECT_EQ(info.points_run, 4u);
    EXPECT_EQ(finished, 4);
    EXPECT_EQ(lines_of(slurp(dir / "study.csv")).size(), 1u + 6 * (1 + 6));
}

TEST(Sweep, CliWritesTheFolderAndRejectsBadInputWithExitTwo) {
    ScratchDir dir;
    const fs::path study = dir / "st.json";
    spit(study, study_doc(R"([{"pointer": "/model/sigma", "values": [0.1, 0.2]}])").dump());
    CliResult r =
        run_cli({"sweep", study.string(), "-o", (dir / "out").string(), "--threads", "2"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("[2/2]"), std::string::npos) << r.err; // progress on stderr
    EXPECT_NE(r.err.find("ETA"), std::string::npos) << r.err;
    EXPECT_EQ(names_in(dir / "out"), (std::vector<std::string>{".letfsim-sweep.lock", "points",
                                                               "study.csv", "study.json"}));
    r = run_cli({"sweep", study.string(), "-o", (dir / "out").string(), "--resume", "-q"});
    ASSERT_EQ(r.code, 0);
    EXPECT_EQ(r.err, "");

    spit(study, study_doc(R"([{"pointer": "/model/sigma", "values": [0.1, 11]}])").dump());
    r = run_cli({"sweep", study.string(), "-o", (dir / "bad").string()});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err,
              study.string() +
                  ": /axes/0/values/1: axis /model/sigma: must be in [0.0, 10.0] (got 11)\n");
    EXPECT_FALSE(fs::exists(dir / "bad")); // validated before anything ran

    r = run_cli({"sweep", study.string(), "--threads", "0"});
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("--threads"), std::string::npos) << r.err;
    r = run_cli({"sweep", (dir / "none.json").string()});
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("cannot open"), std::string::npos) << r.err;
}

} // namespace
} // namespace letf
