#pragma once
/// \file output/summary.hpp
/// The columns of a study's compact summary (study.csv, the rows of study.json and of each
/// point file, the plots), as one list that writers and readers iterate.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "letf/engine/result.hpp"

namespace letf {

/// One summary column: its name (CSV header, JSON key), a one-line description with units (for
/// study.json's `metrics` block and plot labels), and its value for one series (`underlying`:
/// the index row). Values are finite or nullopt (null in JSON, empty in CSV).
struct SummaryColumn {
    std::string name;
    std::string description;
    std::function<std::optional<double>(const PositionResult& r, bool underlying)> value;
};

/// The columns in order. The first 17 are the study.csv contract of schema 1, x = V_T/V_0
/// (S_T/S_0 for the underlying): mean, median, p05, p95 of x; prob_loss, prob_underperform_target,
/// prob_wipeout; log_decay_mean, log_decay_analytic (theory, null where there is none),
/// max_drawdown_mean, mean_std_error, mean_analytic (exact mean), std of x, log_return_mean,
/// log_decay_median, log_decay_std_error, max_drawdown_median. After them, every row of
/// kMetrics (stats/metrics.hpp) that those do not cover adds `<name>_mean` and, with quantiles,
/// `<name>_median`: a new metric row reaches the study with no edit here.
const std::vector<SummaryColumn>& summary_columns();

} // namespace letf
