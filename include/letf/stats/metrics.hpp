#pragma once
/// \file stats/metrics.hpp
/// The per-path statistics of a run as ONE table. The engine tallies (moments, sketches, exact
/// quantiles), the report writes and the study lists exactly the rows of kMetrics, in order; a
/// new terminal statistic is one new row here (and nothing else).

#include <array>
#include <cmath>
#include <cstddef>
#include <string_view>
#include <vector>

namespace letf {

/// What one path ended with, for one series: the underlying (v = s, multiple 1) or a position.
/// s = S_T/S_0, v = V_T/V_0 (both >= 0), log_s = ln s and log_v = ln v (read only where the
/// row's population makes them positive: the engine computes them with simd_log), drawdown =
/// max_t (1 - X_t / max_{u<=t} X_u) in [0, 1], wipeout_day the first day with V = 0 (0: none).
/// The path statistics (stats/path_stats.hpp): volatility, sharpe (NaN where undefined),
/// sortino (NaN where undefined), under_water_days, recovery_days (-1: not recovered); years =
/// the horizon T dt, for the CAGR.
struct PathOutcome {
    double s = 1.0, v = 1.0, log_s = 0.0, log_v = 0.0, drawdown = 0.0, multiple = 1.0;
    double wipeout_day = 0.0;
    double volatility = 0.0, sharpe = 0.0, sortino = 0.0, under_water_days = 0.0;
    double recovery_days = -1.0, years = 1.0;
};

/// The per-path columns of the exact store and of a block, per series, after the value:
/// what a quantile row may read besides s, v and multiple.
enum class PathColumn { drawdown, volatility, sharpe, sortino, under_water_days, recovery_days };
inline constexpr std::size_t kPathColumns = 6;
/// Stored columns per series: the value and the kPathColumns.
inline constexpr std::size_t kSeriesColumns = 1 + kPathColumns;

/// The paths a row's statistics are taken over.
enum class Population {
    all_paths,                ///< every path
    value_positive,           ///< V_T > 0 (its log is defined)
    value_and_index_positive, ///< V_T > 0 and S_T > 0
    wiped_out,                ///< wipeout_day > 0 (V reached 0)
    has_sharpe,               ///< the daily returns vary (std > 0)
    has_sortino,              ///< some day's excess return is negative
    recovered,                ///< the worst drawdown was recovered by the horizon
};

/// Which series carry a row: the underlying too, or positions only (where the quantity of the
/// underlying is identically 0, such as the gap against itself).
enum class Series { underlying_and_positions, positions_only };

/// Where a row's block goes in a report's position object: among the quantities of the
/// terminal outcome (before the probabilities), or among those of the path (after them).
enum class Section { outcome, path };

/// The report block of a row (keys in order):
///   full     mean, std, std_error, min, max, median, quantiles [{q, value}] (config levels)
///   log      mean, median, std, std_error, quantiles, paths, paths_excluded (paths outside the
///            population)
///   spread   mean, median, std, std_error, quantiles
///   counted  paths, mean, min, max
enum class Shape { full, log, spread, counted };

/// The spread of a row's values, as the memory estimate sizes its sketch (engine/memory.hpp):
/// `like_value` spans like the series' value (lognormal, one store), `signed_near_zero` reaches
/// from its largest |x| down to 1/n of it on both signs (two stores), `near_zero` on one sign.
enum class Spread { like_value, signed_near_zero, near_zero };

/// How exact (stored-value) quantiles are taken. `direct`: type 7 over the row's values.
/// `log_of_terminal`: the values are ln V_T over V_T > 0 and ln is increasing, so the order
/// statistics are ln of V_T's (one selection serves both rows; std::log of each).
enum class ExactRule { direct, log_of_terminal };

/// Whether `value` reads log_v: the exact finish then computes ln V_T for the row (the others
/// are spared the logs of every path).
enum class Reads { columns, log_value };

/// One statistic. `value` maps a path's outcome to the quantity (only over `population`);
/// with `quantiles` the engine keeps enough to give its quantiles (the levels of the config plus
/// 0.05, 0.5 and 0.95): every value of a quantile row must be computable from s, v, drawdown and
/// multiple (what the exact store holds per path).
struct MetricDef {
    std::string_view name;        ///< report key, study name
    std::string_view description; ///< one line, with units
    Population population;
    bool quantiles;
    Series series;
    Section section;
    Shape shape;
    double (*value)(const PathOutcome&);
    Spread spread;
    ExactRule exact_rule = ExactRule::direct;
    Reads reads = Reads::columns;
};

/// Relative tolerance below which the gap vs target counts as a tie (underperform).
inline constexpr double kTieTolerance = 1e-12;

/// Per-path gap vs target: L x the index's simple return minus the position's.
constexpr double gap_vs_target(double L, double s, double v) {
    return L * (s - 1.0) - (v - 1.0);
}

/// Per-path CAGR: exp(ln v / T) - 1 over T years, -1 for a path at 0.
inline double cagr(double v, double log_v, double years) {
    return v > 0.0 ? std::expm1(log_v / years) : -1.0;
}

/// Per-path log decay: L ln s - ln v.
constexpr double log_decay(double L, double log_s, double log_v) {
    return L * log_s - log_v;
}

// clang-format off
inline constexpr std::array kMetrics = {
    MetricDef{"terminal", "terminal value x = V_T/V_0",
              Population::all_paths, true, Series::underlying_and_positions, Section::outcome,
              Shape::full, [](const PathOutcome& o) { return o.v; }, Spread::like_value},
    MetricDef{"log_return", "log return ln x, over paths with V_T > 0",
              Population::value_positive, true, Series::underlying_and_positions,
              Section::outcome, Shape::log, [](const PathOutcome& o) { return o.log_v; },
              Spread::signed_near_zero, ExactRule::log_of_terminal, Reads::log_value},
    MetricDef{"gap_vs_target", "gap vs target L (S_T/S_0 - 1) - (x - 1)",
              Population::all_paths, true, Series::positions_only, Section::outcome,
              Shape::spread,
              [](const PathOutcome& o) { return gap_vs_target(o.multiple, o.s, o.v); },
              Spread::signed_near_zero},
    MetricDef{"log_decay", "log decay L ln(S_T/S_0) - ln x, over paths with V_T > 0, S_T > 0",
              Population::value_and_index_positive, true, Series::positions_only,
              Section::outcome, Shape::log,
              [](const PathOutcome& o) { return log_decay(o.multiple, o.log_s, o.log_v); },
              Spread::signed_near_zero, ExactRule::direct, Reads::log_value},
    MetricDef{"max_drawdown", "maximum drawdown max_t (1 - V_t / max_{u<=t} V_u), in [0, 1]",
              Population::all_paths, true, Series::underlying_and_positions, Section::path,
              Shape::spread, [](const PathOutcome& o) { return o.drawdown; }, Spread::near_zero},
    MetricDef{"wipeout_day", "first day with V = 0, over wiped-out paths",
              Population::wiped_out, false, Series::positions_only, Section::path,
              Shape::counted, [](const PathOutcome& o) { return o.wipeout_day; },
              Spread::near_zero},
    MetricDef{"cagr", "compound annual growth x^(1/T) - 1 (T in years; -1 when wiped out)",
              Population::all_paths, true, Series::underlying_and_positions, Section::outcome,
              Shape::full, [](const PathOutcome& o) { return cagr(o.v, o.log_v, o.years); },
              Spread::signed_near_zero, ExactRule::direct, Reads::log_value},
    MetricDef{"volatility", "annualised volatility of the daily returns sqrt(Y) std(r)",
              Population::all_paths, true, Series::underlying_and_positions, Section::path,
              Shape::spread, [](const PathOutcome& o) { return o.volatility; },
              Spread::near_zero},
    MetricDef{"sharpe", "sqrt(Y) mean(r - rate dt) / std(r), over paths whose returns vary",
              Population::has_sharpe, true, Series::underlying_and_positions, Section::path,
              Shape::log, [](const PathOutcome& o) { return o.sharpe; }, Spread::signed_near_zero},
    MetricDef{"sortino",
              "sqrt(Y) mean(x) / sqrt(mean(min(x, 0)^2)), x = r - rate dt, over paths with a "
              "day x < 0",
              Population::has_sortino, true, Series::underlying_and_positions, Section::path,
              Shape::log, [](const PathOutcome& o) { return o.sortino; },
              Spread::signed_near_zero},
    MetricDef{"under_water_days", "longest run of closes below the running peak, days",
              Population::all_paths, true, Series::underlying_and_positions, Section::path,
              Shape::spread, [](const PathOutcome& o) { return o.under_water_days; },
              Spread::near_zero},
    MetricDef{"recovery_days",
              "days from the peak before the worst drawdown to the close regaining it, over "
              "paths that regained it",
              Population::recovered, true, Series::underlying_and_positions, Section::path,
              Shape::log, [](const PathOutcome& o) { return o.recovery_days; },
              Spread::near_zero},
};
// clang-format on
inline constexpr std::size_t kMetricCount = kMetrics.size();

/// The row of `name`; a name not in the table does not compile where used as a constant.
consteval std::size_t metric_index(std::string_view name) {
    for (std::size_t m = 0; m < kMetricCount; ++m)
        if (kMetrics[m].name == name)
            return m;
    throw "no such metric"; // not a constant expression: a compile error
}

/// Named rows for code that reads one particular statistic (console, tests). A new row needs
/// none of these.
namespace metric {
inline constexpr std::size_t terminal = metric_index("terminal");
inline constexpr std::size_t log_return = metric_index("log_return");
inline constexpr std::size_t gap = metric_index("gap_vs_target");
inline constexpr std::size_t log_decay = metric_index("log_decay");
inline constexpr std::size_t max_drawdown = metric_index("max_drawdown");
inline constexpr std::size_t wipeout_day = metric_index("wipeout_day");
inline constexpr std::size_t cagr = metric_index("cagr");
inline constexpr std::size_t volatility = metric_index("volatility");
inline constexpr std::size_t sharpe = metric_index("sharpe");
inline constexpr std::size_t sortino = metric_index("sortino");
inline constexpr std::size_t under_water_days = metric_index("under_water_days");
inline constexpr std::size_t recovery_days = metric_index("recovery_days");
} // namespace metric

/// Whether path outcome o belongs to population p.
constexpr bool in_population(Population p, const PathOutcome& o) {
    switch (p) {
    case Population::all_paths:
        return true;
    case Population::value_positive:
        return o.v > 0.0;
    case Population::value_and_index_positive:
        return o.v > 0.0 && o.s > 0.0;
    case Population::wiped_out:
        return o.wipeout_day > 0.0;
    case Population::has_sharpe:
        return o.sharpe == o.sharpe; // not NaN
    case Population::has_sortino:
        return o.sortino == o.sortino; // not NaN
    case Population::recovered:
        return o.recovery_days >= 0.0;
    }
    return false;
}

/// Whether a series (underlying or not) carries row m.
constexpr bool applies(const MetricDef& m, bool underlying) {
    return !underlying || m.series == Series::underlying_and_positions;
}

/// The rows with quantiles, in table order, and each row's place among them (or kNoQuantiles):
/// the engine keeps one sketch per (series, quantile row).
inline constexpr std::size_t kNoQuantiles = kMetricCount;
consteval std::size_t count_quantile_metrics() {
    std::size_t n = 0;
    for (const MetricDef& m : kMetrics)
        n += m.quantiles;
    return n;
}
inline constexpr std::size_t kQuantileMetricCount = count_quantile_metrics();
consteval std::array<std::size_t, kMetricCount> quantile_slots() {
    std::array<std::size_t, kMetricCount> slot{};
    std::size_t n = 0;
    for (std::size_t m = 0; m < kMetricCount; ++m)
        slot[m] = kMetrics[m].quantiles ? n++ : kNoQuantiles;
    return slot;
}
inline constexpr std::array<std::size_t, kMetricCount> kQuantileSlot = quantile_slots();

/// Name and description of a statistic: what the study's CSV header and the `metrics` block of
/// study.json list (one entry per table row, in table order).
struct MetricInfo {
    std::string_view name, description;
    bool quantiles;
};
std::vector<MetricInfo> metric_list();

} // namespace letf
