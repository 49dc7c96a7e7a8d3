// The metric table drives what the engine computes and the report writes.

#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "letf/engine/engine.hpp"
#include "letf/output/report.hpp"
#include "letf/stats/metrics.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

TEST(Metrics, NamesAreDistinctAndListedInTableOrder) {
    const std::vector<MetricInfo> list = metric_list();
    ASSERT_EQ(list.size(), kMetricCount);
    std::set<std::string_view> names;
    for (std::size_t m = 0; m < kMetricCount; ++m) {
        EXPECT_EQ(list[m].name, kMetrics[m].name);
        EXPECT_FALSE(list[m].description.empty()) << list[m].name;
        EXPECT_EQ(list[m].quantiles, kMetrics[m].quantiles);
        names.insert(list[m].name);
    }
    EXPECT_EQ(names.size(), kMetricCount);
    EXPECT_EQ(kMetrics[metric::gap].name, "gap_vs_target");
}

/// Each row appears in the report of every series it applies to, and only there, with
/// quantiles exactly when the row has them.
void expect_rows(const nlohmann::ordered_json& block, const PositionResult& r, bool underlying,
                 std::int64_t paths) {
    for (std::size_t m = 0; m < kMetricCount; ++m) {
        const MetricDef& def = kMetrics[m];
        const std::string name(def.name);
        if (!applies(def, underlying)) {
            EXPECT_FALSE(block.contains(name)) << name;
            continue;
        }
        ASSERT_TRUE(block.contains(name)) << name;
        const QuantityStats& s = r[m];
        EXPECT_EQ(s.values.empty(), !def.quantiles) << name;
        EXPECT_EQ(block[name].contains("median"), def.quantiles) << name;
        if (def.quantiles) {
            EXPECT_EQ(block[name]["median"].get<double>(), *s.median()) << name;
        }
        if (def.population == Population::all_paths)
            EXPECT_EQ(s.moments.count, paths) << name;
        else
            EXPECT_LE(s.moments.count, paths) << name;
    }
}

TEST(Metrics, EveryRowReachesTheReportWithItsQuantilesExactlyWhenItHasThem) {
    // Volatile enough that some 3x paths are wiped out (wipeout_day has paths).
    ScenarioConfig c = test::gbm_scenario(0.0, 1.2, {-3.0, 3.0}, 2000, 252);
    for (std::int64_t budget : {EngineOptions::kExactQuantileBudget, std::int64_t{10}}) {
        const SimulationResult r = simulate(c, {.threads = 2, .exact_quantile_budget = budget});
        const nlohmann::ordered_json j = build_report(c, r);
        expect_rows(j["underlying"], r.underlying, true, c.paths);
        ASSERT_EQ(j["results"].size(), r.positions.size());
        std::int64_t wiped = 0;
        for (std::size_t p = 0; p < r.positions.size(); ++p) {
            expect_rows(j["results"][p], r.positions[p], false, c.paths);
            wiped += r.positions[p][metric::wipeout_day].moments.count;
            EXPECT_EQ(r.positions[p][metric::wipeout_day].moments.count, r.positions[p].wipeout);
        }
        EXPECT_GT(wiped, 0);
    }
}

TEST(Metrics, ExtractorsFollowTheirDefinitions) {
    const PathOutcome o{1.1, 1.25, std::log(1.1), std::log(1.25), 0.2, 3.0, 0.0};
    EXPECT_EQ(kMetrics[metric::terminal].value(o), 1.25);
    EXPECT_EQ(kMetrics[metric::log_return].value(o), std::log(1.25));
    EXPECT_NEAR(kMetrics[metric::gap].value(o), 3.0 * (1.1 - 1.0) - 0.25, 1e-15);
    EXPECT_DOUBLE_EQ(kMetrics[metric::log_decay].value(o), 3.0 * std::log(1.1) - std::log(1.25));
    EXPECT_EQ(kMetrics[metric::max_drawdown].value(o), 0.2);
    const PathOutcome wiped{0.5, 0.0, std::log(0.5), 0.0, 1.0, 3.0, 17.0};
    EXPECT_FALSE(in_population(Population::value_positive, wiped));
    EXPECT_TRUE(in_population(Population::wiped_out, wiped));
    EXPECT_EQ(kMetrics[metric::wipeout_day].value(wiped), 17.0);
    const PathOutcome index_gone{0.0, 0.3, 0.0, std::log(0.3), 1.0, -1.0, 0.0};
    EXPECT_TRUE(in_population(Population::value_positive, index_gone));
    EXPECT_FALSE(in_population(Population::value_and_index_positive, index_gone));
}

} // namespace
} // namespace letf
