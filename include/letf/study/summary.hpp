#pragma once
/// \file study/summary.hpp
/// A point's compact results, as study.json, study.csv and the point files hold them: one row
/// per strategy x multiple (and one for the underlying), each the columns of summary_columns()
/// (output/summary.hpp).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "letf/config/scenario.hpp"
#include "letf/engine/engine.hpp"
#include "letf/output/summary.hpp"

namespace letf {

/// One strategy x multiple of one point, compact.
struct SummaryRow {
    std::string strategy; ///< the kind: "daily_reset", ..., or "underlying"
    double multiple = 1.0;
    /// metrics[k]: column k of summary_columns() (output/summary.hpp); one entry per column
    /// from the start, so a row is never shorter than the columns that read it.
    std::vector<std::optional<double>> metrics =
        std::vector<std::optional<double>>(summary_columns().size());
    /// The strategy's identity: strategy_label(spec), the one console, report, CSV and plots
    /// share ("underlying" for the index); two rows of one point differ in it or in `multiple`.
    std::string label;
    /// quantiles[i]: the quantile of V_T/V_0 (S_T/S_0 for the index) at level
    /// PointSummary::quantile_levels[i], nullopt where undefined; may be shorter than the levels
    /// (a missing entry reads as undefined).
    std::vector<std::optional<double>> quantiles;

    std::optional<double> metric(std::string_view name) const;
};

/// A point's compact results: the underlying and one row per position in report order.
struct PointSummary {
    std::int64_t paths = 0;
    int days = 0;
    SummaryRow underlying;
    std::vector<SummaryRow> rows;
    /// The point's configured quantile levels (ScenarioConfig::quantiles), sorted and distinct:
    /// the levels of every row's `quantiles`, study.csv's pXX columns.
    std::vector<double> quantile_levels;
};

PointSummary summarize(const ScenarioConfig& config, const SimulationResult& result);

} // namespace letf
