// A strategy's identity in the study files is its label (strategy_label): two strategies of one
// kind (calendar_rebalance every 5 and every 21 days) give two rows that can be told apart, in
// study.csv and in study.json, and study.json lists the metric columns in CSV order.

#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "letf/study/sweep.hpp"
#include "study_test_util.hpp"

namespace letf {
namespace {

using namespace study_test; // NOLINT: the helpers of every study test

/// A study of two calendar_rebalance strategies (every 5 and 21 days) over two sigmas.
Study two_calendar_study() {
    const json doc = json::parse(R"({"name": "two_calendars", "base": {
        "name": "b", "seed": 5, "paths": 300, "days": 42,
        "model": {"type": "gbm", "mu": 0.05, "sigma": 0.2}, "multiples": [2],
        "strategies": [{"type": "calendar_rebalance", "every_days": 5},
                       {"type": "calendar_rebalance", "every_days": 21}]},
        "axes": [{"pointer": "/model/sigma", "values": [0.1, 0.4]}]})");
    return parse_study(doc, "study.json", ".");
}

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> cells;
    std::stringstream in(line);
    for (std::string cell; std::getline(in, cell, ',');)
        cells.push_back(cell);
    return cells;
}

/// The expected label of each strategy of the study, computed as the program does.
std::vector<std::string> expected_labels(const Study& s) {
    std::vector<std::string> out;
    for (const auto& spec : s.points.front().config.strategies) // StrategySpec or Strategy
        out.push_back(strategy_label(spec));
    return out;
}

TEST(StudyLabels, TwoCalendarStrategiesGiveTwoDistinguishableCsvRows) {
    const Study s = two_calendar_study();
    const std::vector<std::string> labels = expected_labels(s);
    ASSERT_EQ(labels.size(), 2u);
    ASSERT_NE(labels[0], labels[1]) << "strategy_label does not tell the two apart";
    test::TempDir dir;
    SweepOptions o = one_thread();
    ASSERT_TRUE(run_study(s, dir.path(), o).complete);

    std::istringstream csv(slurp(dir / "study.csv"));
    std::string line;
    ASSERT_TRUE(std::getline(csv, line));
    const std::vector<std::string> header = split(line);
    ASSERT_GE(header.size(), 4u);
    ASSERT_EQ(header[2], "strategy");
    std::map<std::string, std::set<std::string>> per_point; // point -> strategy cells
    std::size_t rows = 0;
    while (std::getline(csv, line)) {
        const std::vector<std::string> cells = split(line);
        ASSERT_GT(cells.size(), 3u) << line;
        // A label with a comma would be quoted: unquote it for the comparison.
        std::string cell = cells[2];
        if (cell.size() >= 2 && cell.front() == '"')
            cell = cell.substr(1, cell.size() - 2);
        if (cell == "index") // each point's index row
            continue;
        per_point[cells[0]].insert(cell);
        ++rows;
    }
    EXPECT_EQ(rows, 4u); // 2 points x 2 strategies x 1 multiple
    ASSERT_EQ(per_point.size(), 2u);
    for (const auto& [point, cells] : per_point)
        EXPECT_EQ(cells, (std::set<std::string>(labels.begin(), labels.end()))) << point;
}

TEST(StudyLabels, StudyJsonRowsCarryTheLabelAndTheMetricList) {
    const Study s = two_calendar_study();
    const std::vector<std::string> labels = expected_labels(s);
    test::TempDir dir;
    SweepOptions o = one_thread();
    ASSERT_TRUE(run_study(s, dir.path(), o).complete);
    const json sj = json::parse(slurp(dir / "study.json"));
    for (const json& p : sj.at("points")) {
        const json& results = p.at("results");
        ASSERT_EQ(results.size(), 2u);
        EXPECT_EQ(results[0].at("label"), labels[0]);
        EXPECT_EQ(results[1].at("label"), labels[1]);
        EXPECT_EQ(results[0].at("strategy"), "calendar_rebalance");
        EXPECT_EQ(p.at("underlying").at("label"), "underlying");
    }
    // The metrics block: every summary column in CSV order, each with a description.
    const json& metrics = sj.at("metrics");
    ASSERT_EQ(metrics.size(), summary_columns().size());
    const std::vector<std::string> header =
        split(slurp(dir / "study.csv").substr(0, slurp(dir / "study.csv").find('\n')));
    for (std::size_t k = 0; k < metrics.size(); ++k) {
        EXPECT_EQ(metrics[k].at("name"), summary_columns()[k].name);
        EXPECT_FALSE(metrics[k].at("description").get<std::string>().empty());
        EXPECT_EQ(header.at(4 + k), metrics[k].at("name").get<std::string>()); // point,axis,...
    }
}

TEST(StudyLabels, ResumedSummariesKeepTheLabels) {
    const Study s = two_calendar_study();
    test::TempDir dir;
    SweepOptions o = one_thread();
    ASSERT_TRUE(run_study(s, dir.path(), o).complete);
    const std::string csv = slurp(dir / "study.csv");
    o.resume = true;
    const StudyRunInfo info = run_study(s, dir.path(), o);
    EXPECT_EQ(info.points_resumed, 2u);
    EXPECT_EQ(slurp(dir / "study.csv"), csv);
}

TEST(StudyLabels, APointFileWithAnotherLabelRunsAgain) {
    // As a file written when strategy_label spelled the label otherwise: the checksum is right,
    // the label is not today's, so resume runs the point again instead of mixing two spellings.
    const Study s = two_calendar_study();
    test::TempDir dir;
    SweepOptions o = one_thread();
    ASSERT_TRUE(run_study(s, dir.path(), o).complete);
    const fs::path p1 = dir / "points" / point_file_name(1);
    ASSERT_TRUE(read_point_file(p1, s, s.points[1]));
    auto j = nlohmann::ordered_json::parse(slurp(p1));
    j["summary"]["results"][0]["label"] = "calendar_rebalance";
    j.erase("checksum");
    j["checksum"] = fmt::format("fnv1a64:{:016x}", fnv1a64(j.dump()));
    spit(p1, j.dump(2));
    EXPECT_FALSE(read_point_file(p1, s, s.points[1]));
    o.resume = true;
    const StudyRunInfo info = run_study(s, dir.path(), o);
    EXPECT_EQ(info.points_resumed, 1u);
    EXPECT_EQ(info.points_run, 1u);
    EXPECT_TRUE(read_point_file(p1, s, s.points[1]));
}

} // namespace
} // namespace letf
