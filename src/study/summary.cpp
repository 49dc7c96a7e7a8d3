#include "letf/study/summary.hpp"

#include <cmath>

namespace letf {

std::optional<double> SummaryRow::metric(std::string_view name) const {
    for (std::size_t k = 0; k < kSummaryMetrics.size(); ++k)
        if (kSummaryMetrics[k].name == name)
            return metrics[k];
    return std::nullopt;
}

namespace {

SummaryRow summary_row(std::string strategy, std::string label, double multiple,
                       const SummaryInput& in) {
    SummaryRow row;
    row.strategy = std::move(strategy);
    row.label = std::move(label);
    row.multiple = multiple;
    for (std::size_t k = 0; k < kSummaryMetrics.size(); ++k) {
        const std::optional<double> x = kSummaryMetrics[k].value(in);
        row.metrics[k] = x && std::isfinite(*x) ? x : std::nullopt;
    }
    return row;
}

} // namespace

PointSummary summarize(const ScenarioConfig& config, const SimulationResult& result) {
    PointSummary s;
    s.paths = config.paths;
    s.days = config.days;
    const Analytic under = analytic_underlying(config);
    s.underlying = summary_row("underlying", "underlying", 1.0, {result.underlying, under, true});
    for (const PositionResult& p : result.positions) {
        const Analytic a = analytic_position(config, p.position);
        s.rows.push_back(summary_row(std::string(to_string(p.position.kind)),
                                     strategy_label(p.position.strategy), p.position.multiple,
                                     {p, a, false}));
    }
    return s;
}

} // namespace letf
