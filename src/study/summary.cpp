#include "letf/study/summary.hpp"

#include <cmath>

#include "letf/stats/metrics.hpp"

namespace letf {

std::optional<double> SummaryRow::metric(std::string_view name) const {
    const std::vector<SummaryColumn>& columns = summary_columns();
    for (std::size_t k = 0; k < columns.size() && k < metrics.size(); ++k)
        if (columns[k].name == name)
            return metrics[k];
    return std::nullopt;
}

namespace {

SummaryRow summary_row(std::string strategy, std::string label, double multiple,
                       const PositionResult& r, bool underlying,
                       const std::vector<double>& levels) {
    SummaryRow row;
    row.strategy = std::move(strategy);
    row.label = std::move(label);
    row.multiple = multiple;
    const std::vector<SummaryColumn>& columns = summary_columns();
    for (std::size_t k = 0; k < columns.size(); ++k) {
        const std::optional<double> x = columns[k].value(r, underlying);
        row.metrics[k] = x && std::isfinite(*x) ? x : std::nullopt;
    }
    for (const double q : levels) {
        const std::optional<double> x = r[metric::terminal].quantile(q);
        row.quantiles.push_back(x && std::isfinite(*x) ? x : std::nullopt);
    }
    return row;
}

} // namespace

PointSummary summarize(const ScenarioConfig& config, const SimulationResult& result) {
    PointSummary s;
    s.paths = config.paths;
    s.days = config.days;
    s.quantile_levels = config.quantiles;
    s.underlying =
        summary_row("underlying", "underlying", 1.0, result.underlying, true, s.quantile_levels);
    for (const PositionResult& p : result.positions)
        s.rows.push_back(summary_row(std::string(to_string(p.position.strategy)),
                                     p.position.label, p.position.multiple, p,
                                     false, s.quantile_levels));
    return s;
}

} // namespace letf
