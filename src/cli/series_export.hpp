#pragma once
/// \file series_export.hpp
/// `letfsim run --series FILE.csv`: every day's value of every series of every path, exact (no
/// sketch), for historical runs (one path, dated) and other small runs. Columns:
///   path, day, date, index, <one per strategy x multiple, in report order>
/// one row per path and day 0..days (day 0 all 1), paths in order; `date` is the close that
/// ends the day for a historical model (empty on day 0 and for other models); values are
/// S_t/S_0 and V_t/V_0 in their shortest round-trip form. Held in memory during the run and
/// written atomically after it: at most kMaxRows rows.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "letf/config/scenario.hpp"
#include "letf/engine/plan.hpp"

namespace letf::cli {

class SeriesExport {
public:
    static constexpr std::int64_t kMaxRows = 10'000'000;
    /// Throws InputError naming --series when the run has more than kMaxRows path-days.
    explicit SeriesExport(const ScenarioConfig& config);
    /// EngineOptions::on_day (worker threads; each strip writes its own rows).
    void add(const DayValues& day);
    /// The CSV text, after the run.
    std::string text() const;

private:
    const ScenarioConfig& config_;
    std::size_t series_ = 0;
    std::vector<std::string> headers_;
    std::vector<double> values_; ///< [((path * (days + 1)) + day) * series + s]
};

} // namespace letf::cli
