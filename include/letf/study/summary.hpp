#pragma once
/// \file study/summary.hpp
/// A point's compact results, as study.json, study.csv and the point files hold them: one row
/// per strategy x multiple (and one for the underlying), each the metrics of kSummaryMetrics.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "letf/config/scenario.hpp"
#include "letf/engine/engine.hpp"
#include "letf/theory/analytic.hpp"

namespace letf {

/// What a summary metric is computed from: one position's result, its theory values, and
/// whether it is the underlying (which has no target and so no decay or underperformance).
struct SummaryInput {
    const PositionResult& result;
    const Analytic& analytic;
    bool underlying = false;
};

/// One column of the summary: its name (the CSV header, the JSON key), what it is (with units,
/// for study.json's `metrics` block and the plots' axis labels) and how it is computed. A value
/// that is undefined or not finite is nullopt (null in JSON, empty in CSV).
struct SummaryMetric {
    std::string_view name;
    std::string_view description;
    std::optional<double> (*value)(const SummaryInput&);
};

namespace summary_metrics {

using In = SummaryInput;
using Value = std::optional<double>;

inline Value share(std::int64_t count, std::int64_t n) {
    if (n <= 0)
        return std::nullopt;
    return static_cast<double>(count) / static_cast<double>(n);
}
/// Metrics of the target gap (decay, underperformance) are undefined for the underlying.
inline Value unless_underlying(const In& in, Value v) {
    return in.underlying ? std::nullopt : v;
}

/// The metrics in column order; x = V_T/V_0 (S_T/S_0 for the underlying). The first ten are the
/// contract of study.csv. Quantiles follow the engine's rule (engine.hpp), std is the N-1 sample
/// standard deviation, std_error = std / sqrt(N).
inline constexpr std::array kTable = std::to_array<SummaryMetric>({
    {"mean", "mean terminal value V_T/V_0",
     [](const In& in) -> Value { return in.result.terminal.moments.mean_value(); }},
    {"median", "median terminal value V_T/V_0",
     [](const In& in) -> Value { return in.result.terminal.median(); }},
    {"p05", "5th percentile of V_T/V_0",
     [](const In& in) -> Value { return in.result.terminal.quantile(0.05); }},
    {"p95", "95th percentile of V_T/V_0",
     [](const In& in) -> Value { return in.result.terminal.quantile(0.95); }},
    {"prob_loss", "P(loss): share of paths with V_T < V_0",
     [](const In& in) -> Value { return share(in.result.loss, in.result.paths); }},
    {"prob_underperform_target", "P(underperform): share of paths below 1 + L (S_T/S_0 - 1)",
     [](const In& in) -> Value {
         return unless_underlying(in, share(in.result.underperform, in.result.paths));
     }},
    {"prob_wipeout", "P(wipe-out): share of paths with V_T = 0",
     [](const In& in) -> Value { return share(in.result.wipeout, in.result.paths); }},
    {"log_decay_mean", "mean log decay L ln(S_T/S_0) - ln(V_T/V_0)",
     [](const In& in) -> Value {
         return unless_underlying(in, in.result.log_decay.moments.mean_value());
     }},
    {"log_decay_analytic", "analytic log decay (L^2 - L) sigma^2 T/2 + cT",
     [](const In& in) -> Value { return in.analytic.log_decay_mean; }},
    {"max_drawdown_mean", "mean maximum drawdown (fraction of the peak)",
     [](const In& in) -> Value { return in.result.max_drawdown.moments.mean_value(); }},
    {"mean_std_error", "standard error of the mean terminal value",
     [](const In& in) -> Value { return in.result.terminal.moments.std_error(); }},
    {"mean_analytic", "exact mean terminal value (unrebalanced: without wipe-out)",
     [](const In& in) -> Value { return in.analytic.mean_terminal; }},
    {"std", "standard deviation of V_T/V_0",
     [](const In& in) -> Value { return in.result.terminal.moments.std_dev(); }},
    {"log_return_mean", "mean log return ln(V_T/V_0)",
     [](const In& in) -> Value { return in.result.log_return.moments.mean_value(); }},
    {"log_decay_median", "median log decay L ln(S_T/S_0) - ln(V_T/V_0)",
     [](const In& in) -> Value { return unless_underlying(in, in.result.log_decay.median()); }},
    {"log_decay_std_error", "standard error of the mean log decay",
     [](const In& in)
         -> Value { return unless_underlying(in, in.result.log_decay.moments.std_error()); }},
    {"max_drawdown_median", "median maximum drawdown (fraction of the peak)",
     [](const In& in) -> Value { return in.result.max_drawdown.median(); }},
});

} // namespace summary_metrics

/// THE list of summary metrics: the CSV columns, the JSON keys of every summary row and the
/// `metrics` block of study.json all iterate it (switch it here to change them all).
inline constexpr const auto& kSummaryMetrics = summary_metrics::kTable;

/// One strategy x multiple of one point, compact.
struct SummaryRow {
    std::string strategy; ///< the kind: "daily_reset", ..., or "underlying"
    double multiple = 1.0;
    std::array<std::optional<double>, kSummaryMetrics.size()> metrics{};
    /// The strategy's identity: strategy_label(spec), the one console, report, CSV and plots
    /// share ("underlying" for the index); two rows of one point differ in it or in `multiple`.
    std::string label;

    std::optional<double> metric(std::string_view name) const;
};

/// A point's compact results: the underlying and one row per position in report order.
struct PointSummary {
    std::int64_t paths = 0;
    int days = 0;
    SummaryRow underlying;
    std::vector<SummaryRow> rows;
};

PointSummary summarize(const ScenarioConfig& config, const SimulationResult& result);

} // namespace letf
