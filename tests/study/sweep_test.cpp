// Studies: grid and zip expansion, pointer and value validation, data files named by a base file or
// an axis, per-point results equal to single runs, resume (checksums, study hashes), the folder's
// lock and its foreign files, stopping between points, small points side by side, Ctrl-C, and the
// CSV's rows and columns.

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/file.h>
#include <system_error>
#include <unistd.h>

#include "cli.hpp"
#include "letf/base/error.hpp"
#include "letf/output/report.hpp"
#include "letf/study/sweep.hpp"
#include "sweep_cmd.hpp"
#include "../test_util.hpp"

namespace letf {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using ScratchDir = letf::test::TempDir;

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void spit(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

const char* const kBase = R"({"name": "b", "seed": 5, "paths": 600, "days": 10,
    "model": {"type": "gbm", "mu": 0.05, "sigma": 0.2}, "multiples": [-1, 2, 3]})";

/// A study over kBase with the given axes (JSON text of the array) and combine.
json study_doc(const std::string& axes, const std::string& combine = "grid") {
    return json::parse(R"({"name": "s", "base": )" + std::string(kBase) + R"(, "axes": )" + axes +
                       R"(, "combine": ")" + combine + "\"}");
}

Study parse(const json& doc) {
    return parse_study(doc, "study.json", ".");
}

/// Parses and expects an InputError at `where` whose text holds every string in `parts`.
void expect_error(const json& doc, const std::string& where, std::vector<std::string> parts) {
    try {
        parse(doc);
        ADD_FAILURE() << "no error; expected one at " << where;
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), "study.json");
        EXPECT_EQ(e.where(), where) << e.what();
        for (const std::string& p : parts)
            EXPECT_NE(std::string(e.what()).find(p), std::string::npos)
                << "'" << p << "' not in: " << e.what();
    }
}

const GbmModel& gbm(const StudyPoint& p) {
    return std::get<GbmModel>(p.config.model);
}

TEST(Sweep, GridExpandsEveryCombinationLastAxisFastest) {
    const Study s = parse(study_doc(R"([{"pointer": "/model/sigma", "values": [0.1, 0.3, 0.5]},
                                        {"pointer": "/days", "values": [21, 252]}])"));
    ASSERT_EQ(s.points.size(), 6u);
    const double sigmas[] = {0.1, 0.1, 0.3, 0.3, 0.5, 0.5};
    const int days[] = {21, 252, 21, 252, 21, 252};
    for (std::size_t i = 0; i < 6; ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(s.points[i].index, i);
        EXPECT_EQ(gbm(s.points[i]).sigma, sigmas[i]);
        EXPECT_EQ(s.points[i].config.days, days[i]);
        // Everything not on an axis comes from the base.
        EXPECT_EQ(gbm(s.points[i]).mu, 0.05);
        EXPECT_EQ(s.points[i].config.paths, 600);
        EXPECT_EQ(s.points[i].config.name, "b");
    }
    EXPECT_EQ(s.axes[1].values, (std::vector<std::string>{"21", "252"}));
}

TEST(Sweep, ZipPairsTheIthValuesAndNeedsEqualLengths) {
    const Study s = parse(study_doc(R"([{"pointer": "/model/sigma", "values": [0.1, 0.3, 0.5]},
                                        {"pointer": "/days", "values": [21, 63, 252]}])",
                                    "zip"));
    ASSERT_EQ(s.points.size(), 3u);
    EXPECT_EQ(gbm(s.points[2]).sigma, 0.5);
    EXPECT_EQ(s.points[2].config.days, 252);
    EXPECT_EQ(s.points[1].config.days, 63);

    expect_error(study_doc(R"([{"pointer": "/model/sigma", "values": [0.1, 0.3, 0.5]},
                               {"pointer": "/days", "values": [21, 63]}])",
                           "zip"),
                 "/axes/1/values", {"zip", "3"});
}

TEST(Sweep, ObjectValuesReplaceAWholeModelAndMissingKeysAreCreated) {
    json doc = study_doc(R"([{"pointer": "/model", "values": [
            {"type": "gbm", "mu": 0.3, "sigma": 0.1},
            {"type": "choppy", "amplitude_daily": 0.02}], "labels": ["trend", "chop"]},
        {"pointer": "/costs/financing_rate", "values": [0, 0.05]}])");
    const Study s = parse(doc);
    ASSERT_EQ(s.points.size(), 4u);
    EXPECT_TRUE(std::holds_alternative<GbmModel>(s.points[0].config.model));
    EXPECT_TRUE(std::holds_alternative<ChoppyModel>(s.points[3].config.model));
    EXPECT_EQ(std::get<ChoppyModel>(s.points[3].config.model).amplitude_daily, 0.02);
    EXPECT_EQ(s.points[0].config.costs.financing_rate, 0.0); // "costs" is not in the base
    EXPECT_EQ(s.points[1].config.costs.financing_rate, 0.05);
    EXPECT_EQ(s.axes[0].labels, (std::vector<std::string>{"trend", "chop"}));
    // The study echoed in study.json runs again as the same study.
    const Study again = parse(json::parse(to_json(s).dump()));
    ASSERT_EQ(again.points.size(), s.points.size());
    for (std::size_t i = 0; i < s.points.size(); ++i)
        EXPECT_EQ(to_json(again.points[i].config), to_json(s.points[i].config));
}

TEST(Sweep, ABaseMayLackWhatAnAxisProvides) {
    json doc = study_doc(R"([{"pointer": "/multiples", "values": [[2], [-1, 3]]}])");
    doc["base"].erase("multiples");
    const Study s = parse(doc);
    ASSERT_EQ(s.points.size(), 2u);
    EXPECT_EQ(s.points[1].config.multiples, (std::vector<double>{-1, 3}));
}

TEST(Sweep, BadValueNamesTheAxisPointerAndValue) {
    expect_error(study_doc(R"([{"pointer": "/days", "values": [21]},
                               {"pointer": "/model/sigma", "values": [0.1, 0.2, -0.2]}])"),
                 "/axes/1/values/2", {"axis /model/sigma", "must be in", "(got -0.2)"});
    // Inside an object value: the axis and the field within it.
    expect_error(study_doc(R"([{"pointer": "/model", "values": [{"type": "gbm", "mu": 0}]}])"),
                 "/axes/0/values/0", {"axis /model", "/model/sigma", "missing required key"});
    // A typo in the pointer lands on an unknown key of the scenario.
    expect_error(study_doc(R"([{"pointer": "/model/sgima", "values": [0.1]}])"), "/axes/0/values/0",
                 {"axis /model/sgima", "unknown key", "(got 0.1)"});
    expect_error(study_doc(R"([{"pointer": "/days", "values": [21, 0]}])"), "/axes/0/values/1",
                 {"axis /days", "(got 0)"});
}

TEST(Sweep, PointErrorOutsideEveryAxisNamesTheBaseAndThePoint) {
    json doc = study_doc(R"([{"pointer": "/model/noise", "values": ["student_t", "normal"]}])");
    doc["base"]["model"] = {{"type", "trend_noise"}, {"mu", 0.0}, {"sigma", 0.2}, {"df", 4}};
    expect_error(doc, "/base/model/df", {"at point 1", "/model/noise = \"normal\"", "(got 4)"});
}

TEST(Sweep, PointerValidation) {
    expect_error(study_doc(R"([{"pointer": "model/sigma", "values": [0.1]}])"), "/axes/0/pointer",
                 {"JSON pointer"});
    expect_error(study_doc(R"([{"pointer": "/model/~2", "values": [0.1]}])"), "/axes/0/pointer",
                 {"JSON pointer"});
    expect_error(study_doc(R"([{"pointer": 3, "values": [0.1]}])"), "/axes/0/pointer", {"(got 3)"});
    expect_error(study_doc(R"([{"pointer": "/days/x", "values": [1]}])"), "/axes/0/pointer",
                 {"/days", "number"});
    json no_days = study_doc(R"([{"pointer": "/days/x", "values": [1]}])");
    no_days["base"].erase("days");
    expect_error(no_days, "/axes/0/values/0", {"axis /days/x, at /days", "integer"});
    expect_error(study_doc(R"([{"pointer": "/multiples/3", "values": [1]}])"), "/axes/0/pointer",
                 {"index", "size 3"});
    expect_error(study_doc(R"([{"pointer": "/model", "values": [{"type": "gbm"}]},
                               {"pointer": "/model/sigma", "values": [0.1]}])"),
                 "/axes/1/pointer", {"overlaps axis 0"});
    expect_error(study_doc(R"([{"pointer": "/days", "values": [1]},
                               {"pointer": "/days", "values": [2]}])"),
                 "/axes/1/pointer", {"overlaps"});
    // An existing array index may be replaced.
    const Study s = parse(study_doc(R"([{"pointer": "/multiples/0", "values": [-2, -3]}])"));
    EXPECT_EQ(s.points[1].config.multiples, (std::vector<double>{-3, 2, 3}));
}

TEST(Sweep, StudyFileValidation) {
    expect_error(study_doc(R"([])"), "/axes", {"non-empty"});
    expect_error(study_doc(R"([{"pointer": "/days", "values": []}])"), "/axes/0/values",
                 {"non-empty"});
    expect_error(study_doc(R"([{"pointer": "/days", "values": [5, 6, 5]}])"), "/axes/0/values/2",
                 {"duplicate"});
    expect_error(study_doc(R"([{"pointer": "/days", "values": [5], "step": 1}])"), "/axes/0/step",
                 {"unknown key"});
    expect_error(study_doc(R"([{"pointer": "/days", "values": [5, 6], "labels": ["a"]}])"),
                 "/axes/0/labels", {"2 strings"});
    expect_error(study_doc(R"([{"pointer": "/days", "values": [5]}])", "cross"), "/combine",
                 {"grid", "zip"});
    json doc = study_doc(R"([{"pointer": "/days", "values": [5]}])");
    doc["extra"] = 1;
    expect_error(doc, "/extra", {"unknown key"});
    doc.erase("extra");
    doc["name"] = "a b";
    expect_error(doc, "/name", {"characters"});
    doc.erase("name");
    expect_error(doc, "/name", {"missing"});
    doc["name"] = "s";
    doc["base"] = 7;
    expect_error(doc, "/base", {"scenario"});
    doc["base"] = "no_such_file.json";
    expect_error(doc, "/base", {"cannot open", "no_such_file.json"});
    // Too many points for a grid.
    std::string many = "[";
    for (int a = 0; a < 6; ++a) {
        many += std::string(a ? "," : "") + R"({"pointer": "/costs/)" +
                std::string(a % 2 ? "expense_ratio" : "short_fee") + std::to_string(a) +
                R"(", "values": [0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07]})";
    }
    expect_error(study_doc(many + "]"), "/axes", {"more than 100000 points"});
}

TEST(Sweep, BaseFromAFileIsReadRelativeToTheStudy) {
    ScratchDir dir;
    fs::create_directories(dir / "sub");
    spit(dir / "sub" / "base.json", kBase);
    spit(dir / "sub" / "study.json", R"({"name": "f", "base": "base.json",
        "axes": [{"pointer": "/model/sigma", "values": [0.1, 0.2]}]})");
    const Study s = load_study(dir / "sub" / "study.json");
    ASSERT_EQ(s.points.size(), 2u);
    EXPECT_EQ(s.points[0].config.name, "b");
    EXPECT_EQ(gbm(s.points[1]).sigma, 0.2);
    EXPECT_EQ(json::parse(s.base_json), json::parse(kBase));

    // An error in the base file names the base file.
    spit(dir / "sub" / "base.json", R"({"name": "b", "name": "c"})");
    try {
        load_study(dir / "sub" / "study.json");
        ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), (dir / "sub" / "base.json").string()) << e.what();
        EXPECT_NE(std::string(e.what()).find("duplicate"), std::string::npos) << e.what();
    }
}

TEST(Sweep, DataPathsResolveFromTheFileThatNamesThem) {
    ScratchDir dir;
    fs::create_directories(dir / "base" / "data");
    fs::create_directories(dir / "studies");
    std::string prices = "date,close\n";
    for (int d = 4; d <= 29; ++d)
        prices += "2021-01-" + std::string(d < 10 ? "0" : "") + std::to_string(d) + "," +
                  std::to_string(100 + d % 3) + "\n";
    spit(dir / "base" / "data" / "px.csv", prices);
    spit(dir / "studies" / "own.csv", prices);
    spit(dir / "base" / "base.json", R"({"name": "b", "paths": 1, "multiples": [2],
        "model": {"type": "historical", "csv": "data/px.csv"}})");
    spit(dir / "studies" / "s.json", R"({"name": "s", "base": "../base/base.json",
        "axes": [{"pointer": "/multiples", "values": [[2], [3]]}]})");
    const Study s = load_study(dir / "studies" / "s.json");
    // The same resolved path as `letfsim run` of the base file gives.
    EXPECT_EQ(std::get<HistoricalModel>(s.points[0].config.model).csv,
              (dir / "base" / "data" / "px.csv").lexically_normal().string());
    EXPECT_EQ(to_json(s.points[0].config), to_json(load_scenario(dir / "base" / "base.json")));
    // An axis value's path resolves from the study's folder.
    spit(dir / "studies" / "s2.json", R"({"name": "s", "base": "../base/base.json",
        "axes": [{"pointer": "/model/csv", "values": ["own.csv"]}]})");
    EXPECT_EQ(
        std::get<HistoricalModel>(load_study(dir / "studies" / "s2.json").points[0].config.model)
            .csv,
        (dir / "studies" / "own.csv").lexically_normal().string());
}

TEST(Sweep, AnErrorInADataFileNamesTheFileItsLineAndWhoNamedIt) {
    ScratchDir dir;
    std::string prices = "date,close\n";
    for (int d = 4; d <= 29; ++d)
        prices += "2021-01-" + std::string(d < 10 ? "0" : "") + std::to_string(d) + ",100\n";
    spit(dir / "good.csv", prices);
    spit(dir / "bad.csv", "date,close\n2021-01-04,100\n2021-01-05,abc\n");
    const auto error_of = [&](const std::string& study) {
        spit(dir / "s.json", study);
        try {
            load_study(dir / "s.json");
        } catch (const InputError& e) {
            return std::pair(e, std::string(e.what()));
        }
        ADD_FAILURE() << "no error";
        return std::pair(InputError("", "", ""), std::string());
    };
    const std::string study_file = (dir / "s.json").string();
    auto [e, what] = error_of(R"({"name": "s", "base": {"name": "b", "paths": 1, "multiples": [2],
        "model": {"type": "historical", "csv": "good.csv"}},
        "axes": [{"pointer": "/model/csv", "values": ["good.csv", "bad.csv"]}]})");
    EXPECT_EQ(e.file(), (dir / "bad.csv").string()) << what;
    EXPECT_EQ(e.where(), "line 3") << what;
    EXPECT_NE(what.find("\"abc\""), std::string::npos) << what;
    EXPECT_NE(
        what.find("named by axis /model/csv (" + study_file + ": /axes/0/values/1) at point 1"),
        std::string::npos)
        << what;
    std::tie(e, what) = error_of(R"({"name": "s", "base": {"name": "b", "paths": 1,
        "model": {"type": "historical", "csv": "bad.csv"}},
        "axes": [{"pointer": "/multiples", "values": [[2], [3]]}]})");
    EXPECT_EQ(e.file(), (dir / "bad.csv").string()) << what;
    EXPECT_NE(what.find("named by the base (" + study_file + ": /base/model/csv) at point 0"),
              std::string::npos)
        << what;
    // A file that cannot be opened, named by a base file.
    spit(dir / "base.json", R"({"name": "b", "paths": 1, "model": {"type": "historical",
        "csv": "none.csv"}})");
    std::tie(e, what) = error_of(R"({"name": "s", "base": "base.json",
        "axes": [{"pointer": "/multiples", "values": [[2], [3]]}]})");
    EXPECT_EQ(e.file(), (dir / "none.csv").string()) << what;
    EXPECT_NE(what.find("named by the base scenario (" + (dir / "base.json").string() +
                        ": /model/csv) at point 0"),
              std::string::npos)
        << what;
}

json without_run_info(json report) {
    report.erase("run_info");
    return report;
}

/// Runs the CLI in-process; returns the exit code.
int run_cli(const std::vector<std::string>& args, std::string* err_text = nullptr) {
    std::vector<const char*> argv{"letfsim"};
    for (const std::string& a : args)
        argv.push_back(a.c_str());
    std::ostringstream out, err;
    const int code = cli::main(static_cast<int>(argv.size()), argv.data(), out, err);
    if (err_text)
        *err_text = err.str();
    return code;
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
        ASSERT_EQ(run_cli({"run", cfg.string(), "-q", "--threads", "2", "-o", report.string()}), 0);
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
    // 6 points x 2 strategies x 3 multiples, plus the header.
    ASSERT_EQ(lines.size(), 1u + 6 * 2 * 3);
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
        EXPECT_EQ(cells[0], std::to_string((i - 1) / 6));
        // The object value survives quoting as its JSON.
        const json model = json::parse(cells[1]);
        EXPECT_EQ(model.at("type"), (i - 1) / 6 < 3 ? "gbm" : "choppy");
        EXPECT_EQ(cells[3], (i - 1) % 6 < 3 ? "daily_reset" : "unrebalanced");
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
    SweepOptions o;
    o.threads = 1;
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
    const Study s = parse(study_doc(R"([{"pointer": "/model/sigma", "values": [0.1, 0.2]}])"));
    SweepOptions o;
    o.threads = 1;
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
    const Study s = parse(study_doc(R"([{"pointer": "/model/sigma", "values": [0.1, 0.2]}])"));
    SweepOptions o;
    o.threads = 1;
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
    const Study s = parse(study_doc(R"([{"pointer": "/model/sigma", "values": [0.1, 0.2]}])"));
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
    SweepOptions o;
    o.threads = 1;
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
    SweepOptions o;
    o.threads = 1;
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
    SweepOptions o;
    o.threads = 1;
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
    EXPECT_EQ(lines_of(slurp(dir / "study.csv")).size(), 1u + 2 * 6);

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
    EXPECT_EQ(lines_of(slurp(dir / "study.csv")).size(), 1u + 6 * 6);
}

TEST(Sweep, CliWritesTheFolderAndRejectsBadInputWithExitTwo) {
    ScratchDir dir;
    const fs::path study = dir / "st.json";
    spit(study, study_doc(R"([{"pointer": "/model/sigma", "values": [0.1, 0.2]}])").dump());
    std::string err;
    ASSERT_EQ(
        run_cli({"sweep", study.string(), "-o", (dir / "out").string(), "--threads", "2"}, &err), 0)
        << err;
    EXPECT_NE(err.find("[2/2]"), std::string::npos) << err; // progress on stderr
    EXPECT_NE(err.find("ETA"), std::string::npos) << err;
    EXPECT_EQ(names_in(dir / "out"), (std::vector<std::string>{".letfsim-sweep.lock", "points",
                                                               "study.csv", "study.json"}));
    ASSERT_EQ(
        run_cli({"sweep", study.string(), "-o", (dir / "out").string(), "--resume", "-q"}, &err),
        0);
    EXPECT_EQ(err, "");

    spit(study, study_doc(R"([{"pointer": "/model/sigma", "values": [0.1, 11]}])").dump());
    EXPECT_EQ(run_cli({"sweep", study.string(), "-o", (dir / "bad").string()}, &err), 2);
    EXPECT_EQ(err, study.string() +
                       ": /axes/0/values/1: axis /model/sigma: must be in [0.0, 10.0] (got 11)\n");
    EXPECT_FALSE(fs::exists(dir / "bad")); // validated before anything ran

    EXPECT_EQ(run_cli({"sweep", study.string(), "--threads", "0"}, &err), 2);
    EXPECT_NE(err.find("--threads"), std::string::npos) << err;
    EXPECT_EQ(run_cli({"sweep", (dir / "none.json").string()}, &err), 2);
    EXPECT_NE(err.find("cannot open"), std::string::npos) << err;
}

} // namespace
} // namespace letf
