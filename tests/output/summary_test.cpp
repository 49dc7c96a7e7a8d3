// summary_columns() reproduces the study's schema-1 summary, value for value.

#include <gtest/gtest.h>

#include "letf/engine/engine.hpp"
#include "letf/output/summary.hpp"
#include "letf/study/sweep.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

void expect_row(const SummaryRow& row, const PositionResult& r, bool underlying) {
    const std::vector<SummaryColumn>& columns = summary_columns();
    for (std::size_t k = 0; k < kSummaryMetrics.size(); ++k) {
        const std::optional<double> v = columns[k].value(r, underlying);
        ASSERT_EQ(v.has_value(), row.metrics[k].has_value()) << columns[k].name;
        if (v) {
            EXPECT_EQ(*v, *row.metrics[k]) << columns[k].name;
        }
    }
}

TEST(Summary, FirstColumnsAreTheStudySchemaWithItsValues) {
    const std::vector<SummaryColumn>& columns = summary_columns();
    ASSERT_GE(columns.size(), kSummaryMetrics.size());
    for (std::size_t k = 0; k < kSummaryMetrics.size(); ++k) {
        EXPECT_EQ(columns[k].name, kSummaryMetrics[k]);
        EXPECT_FALSE(columns[k].description.empty()) << columns[k].name;
    }
    const ScenarioConfig c = test::gbm_scenario(0.05, 0.4, {-2.0, 3.0}, 3000, 100);
    const SimulationResult r = simulate(c, {.threads = 2});
    const PointSummary s = summarize(c, r);
    expect_row(s.underlying, r.underlying, true);
    ASSERT_EQ(s.rows.size(), r.positions.size());
    for (std::size_t j = 0; j < r.positions.size(); ++j)
        expect_row(s.rows[j], r.positions[j], false);
}

TEST(Summary, RowsBeyondSchemaOneAddTheirOwnColumns) {
    // The six rows of schema 1 feed the first 17 columns; every later row adds <name>_mean and,
    // with quantiles, <name>_median.
    std::size_t expected = kSummaryMetrics.size();
    for (std::size_t m = 6; m < kMetricCount; ++m)
        expected += kMetrics[m].quantiles ? 2u : 1u;
    ASSERT_EQ(summary_columns().size(), expected);
    std::size_t k = kSummaryMetrics.size();
    for (std::size_t m = 6; m < kMetricCount; ++m) {
        EXPECT_EQ(summary_columns()[k++].name, std::string(kMetrics[m].name) + "_mean");
        if (kMetrics[m].quantiles) {
            EXPECT_EQ(summary_columns()[k++].name, std::string(kMetrics[m].name) + "_median");
        }
    }
    EXPECT_EQ(kMetrics[5].name, "wipeout_day"); // the last row of schema 1
}

} // namespace
} // namespace letf
