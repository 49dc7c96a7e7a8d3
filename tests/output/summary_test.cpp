// summary_columns() reproduces the study's schema-1 summary, value for value.

#include <gtest/gtest.h>

#include "letf/engine/engine.hpp"
#include "letf/output/summary.hpp"
#include "letf/study/sweep.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

/// The study.csv columns of schema 1, in order: a contract with users' scripts.
const std::vector<std::string> kSchema1 = {
    "mean",           "median",           "p05",
    "p95",            "prob_loss",        "prob_underperform_target",
    "prob_wipeout",   "log_decay_mean",   "log_decay_analytic",
    "max_drawdown_mean", "mean_std_error", "mean_analytic",
    "std",            "log_return_mean",  "log_decay_median",
    "log_decay_std_error", "max_drawdown_median"};

/// The row's cells against the result they summarise, column by column meaning.
void expect_row(const SummaryRow& row, const PositionResult& r, bool underlying) {
    const auto cell = [&](const std::string& name) { return row.metric(name); };
    EXPECT_EQ(cell("mean"), r[metric::terminal].moments.mean_value());
    EXPECT_EQ(cell("median"), r[metric::terminal].median());
    EXPECT_EQ(cell("p05"), r[metric::terminal].quantile(0.05));
    EXPECT_EQ(cell("p95"), r[metric::terminal].quantile(0.95));
    EXPECT_EQ(cell("prob_loss"),
              static_cast<double>(r.loss) / static_cast<double>(r.paths));
    EXPECT_EQ(cell("std"), r[metric::terminal].moments.std_dev());
    EXPECT_EQ(cell("mean_std_error"), r[metric::terminal].moments.std_error());
    EXPECT_EQ(cell("mean_analytic"), r.analytic.mean_terminal);
    EXPECT_EQ(cell("max_drawdown_median"), r[metric::max_drawdown].median());
    if (underlying) {
        EXPECT_FALSE(cell("log_decay_mean").has_value());
        EXPECT_FALSE(cell("prob_underperform_target").has_value());
    } else {
        EXPECT_EQ(cell("log_decay_mean"), r[metric::log_decay].moments.mean_value());
        EXPECT_EQ(cell("log_decay_analytic"), r.analytic.log_decay_mean);
    }
}

TEST(Summary, FirstColumnsAreTheStudySchemaWithItsValues) {
    const std::vector<SummaryColumn>& columns = summary_columns();
    ASSERT_GE(columns.size(), kSchema1.size());
    for (std::size_t k = 0; k < kSchema1.size(); ++k) {
        EXPECT_EQ(columns[k].name, kSchema1[k]);
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
    // with quantiles, <name>_median; then the investor's columns (CAGR percentiles, shares and
    // the survival curves at the horizon).
    const std::vector<std::string> investor = {
        "cagr_p10",         "cagr_p90",        "prob_beat_index",  "prob_end_under_water",
        "prob_wiped_out",   "prob_lost_50pct", "prob_lost_80pct", "prob_lost_90pct"};
    std::size_t expected = kSchema1.size();
    for (std::size_t m = 6; m < kMetricCount; ++m)
        expected += kMetrics[m].quantiles ? 2u : 1u;
    ASSERT_EQ(summary_columns().size(), expected + investor.size());
    for (std::size_t k = 0; k < investor.size(); ++k)
        EXPECT_EQ(summary_columns()[expected + k].name, investor[k]);
    std::size_t k = kSchema1.size();
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

namespace letf {
namespace {

TEST(Summary, ARowHasACellForEveryColumnFromTheStart) {
    // A row built field by field (as the study fuzz harness does) is written by iterating the
    // columns: it must never be shorter than they are.
    const SummaryRow row{.strategy = "daily_reset", .multiple = 2.0};
    EXPECT_EQ(row.metrics.size(), summary_columns().size());
    EXPECT_FALSE(row.metric("mean").has_value());
}

} // namespace
} // namespace letf
