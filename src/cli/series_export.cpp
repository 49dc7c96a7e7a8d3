#include "series_export.hpp"

#include <fmt/format.h>

#include "letf/base/error.hpp"
#include "letf/market/market_data.hpp"
#include "letf/models/registry.hpp"
#include "letf/strategies/strategy.hpp"

namespace letf::cli {

SeriesExport::SeriesExport(const ScenarioConfig& config) : config_(config) {
    const std::int64_t rows = config.paths * (static_cast<std::int64_t>(config.days) + 1);
    if (rows > kMaxRows)
        throw InputError("command line", "--series",
                         fmt::format("is for runs of at most {} path-days (paths x (days + 1)); "
                                     "this run has {} (fewer --paths, or bands for quantiles)",
                                     kMaxRows, rows),
                         std::to_string(config.paths) + " paths");
    headers_.push_back("index");
    // Labels may hold commas: quoted; they hold no quotes.
    for (const Position& p : make_positions(config))
        headers_.push_back(fmt::format("\"{} {}x\"", p.label, p.multiple));
    series_ = headers_.size();
    values_.assign(static_cast<std::size_t>(rows) * series_, 1.0); // day 0 stays 1
}

void SeriesExport::add(const DayValues& d) {
    const auto days = static_cast<std::size_t>(config_.days) + 1;
    for (int i = 0; i < d.lanes; ++i) {
        const auto path = static_cast<std::size_t>(d.first_path + i);
        double* row = values_.data() + (path * days + static_cast<std::size_t>(d.day)) * series_;
        for (std::size_t s = 0; s < series_; ++s)
            row[s] = d.values[s * kStripPaths + static_cast<std::size_t>(i)];
    }
}

std::string SeriesExport::text() const {
    std::string out = "path,day,date";
    for (const std::string& h : headers_)
        out += "," + h;
    out += "\n";
    const bool dated = std::holds_alternative<HistoricalModel>(config_.model) && config_.market_data;
    const auto days = static_cast<std::size_t>(config_.days) + 1;
    for (std::size_t path = 0; path < static_cast<std::size_t>(config_.paths); ++path)
        for (std::size_t day = 0; day < days; ++day) {
            fmt::format_to(std::back_inserter(out), "{},{},", path, day);
            if (dated && day > 0)
                out += format_date(config_.market_data->dates[day - 1]);
            const double* row = values_.data() + (path * days + day) * series_;
            for (std::size_t s = 0; s < series_; ++s)
                fmt::format_to(std::back_inserter(out), ",{}", row[s]);
            out += '\n';
        }
    return out;
}

} // namespace letf::cli
