#pragma once
/// \file stats/path_stats.hpp
/// The investor's path statistics of one series (the index or a position) on the 16 paths of a
/// strip, folded in day by day from the series' values: daily-return moments (volatility,
/// Sharpe, Sortino), time under water, the recovery of the worst drawdown, the running minimum
/// and the first days below the loss levels of the survival curve. One tracker per series; the
/// strip walker feeds every series through it, whatever its strategy.
///
/// Definitions (values in units of V_0 = 1; day t = 1..T; Y = trading days per year):
///   r_t  = V_t / V_{t-1} - 1, counted on the days with V_{t-1} > 0 (a wiped-out path stops
///          at its wipe-out day, whose return is -1); V_{t-1} is floored at 1e-300 and r_t capped
///          at 1e100 so that the sums stay finite in absurd scenarios (no market reaches them).
///   x_t  = r_t - rate_t dt, the excess over the financing rate of the day.
///   volatility = sqrt(Y) std(r)  (sample std, n - 1; 0 with fewer than 2 return days)
///   sharpe     = sqrt(Y) mean(x) / std(r)                  (paths with std(r) > 0)
///   sortino    = sqrt(Y) mean(x) / sqrt(mean(min(x, 0)^2))  (paths with a day x < 0)
///   peak_t = max(1, V_1, ..., V_t); under water on day t when V_t < peak_t.
///   under_water_days: the longest run of consecutive closes under water (a run still open at
///          the horizon counts its days so far).
///   recovery_days: for the deepest under-water run (depth 1 - min V / peak over the run; the
///          first of equal depths), the days from its peak to the close that regains the peak
///          (the run's length + 1); -1 when that run is still open at the horizon or the path
///          never went under water.
///   ends_under_water: V_T < peak_T.
///   first_below[k]: the first day with V_t < kLossLevels[k] (0: never); first_zero: the first
///          day with V_t <= 0 (0: never; the wipe-out day).
///
/// Counts are kept as doubles (exact below 2^53) so the lane loops vectorise.

#include <array>
#include <cstddef>
#include <string_view>

#include "letf/base/rng.hpp"

namespace letf {

/// The loss levels of the survival curve: P(V_t < x V_0 by day t) for each x.
inline constexpr std::array<double, 3> kLossLevels{0.5, 0.2, 0.1};

/// The survival curves of a series: P(V_t <= 0 by day t), then P(V_t < x by day t) for each
/// loss level x.
inline constexpr std::size_t kSurvivalCurves = 1 + kLossLevels.size();

/// The report name of survival curve k: "wiped_out", then "lost_50pct", "lost_80pct",
/// "lost_90pct" (V_t below 0.5, 0.2, 0.1 of V_0).
constexpr std::string_view survival_curve_name(std::size_t k) {
    constexpr std::array<std::string_view, kSurvivalCurves> kNames{"wiped_out", "lost_50pct",
                                                                   "lost_80pct", "lost_90pct"};
    return kNames[k];
}

/// What one lane's path ended with.
struct PathStats {
    double volatility = 0.0;
    double sharpe = 0.0;      ///< meaningful where has_sharpe
    double sortino = 0.0;     ///< meaningful where has_sortino
    bool has_sharpe = false, has_sortino = false;
    double under_water_days = 0.0;
    double recovery_days = -1.0;
    bool ends_under_water = false;
    std::array<int, kLossLevels.size()> first_below{};
    int first_zero = 0;
};

class PathTracker {
public:
    /// `dt` years per day; `rate` the constant annual financing rate (used where no rate series
    /// is given to advance).
    PathTracker(double dt = 1.0 / 252.0, double rate = 0.0);

    /// Every lane back to day 0 (V = 1, nothing counted).
    void reset();
    /// Folds in days first_day .. first_day + days - 1 with v[d * kStripPaths + i] the value of
    /// lane i at the close of day first_day + d; rates (annual, same index) or null for the
    /// constant rate.
    void advance(int first_day, int days, const double* v, const double* rates);
    /// Lane i's statistics after the days folded in so far.
    PathStats lane(int i) const;

private:
    struct alignas(64) Lanes {
        double x[kStripPaths];
    };
    /// Scans lane i over the chunk for the first days below the loss levels it crossed in it.
    void find_first_days(int i, int first_day, int days, const double* v);

    double dt_, rate_daily_;
    // Return moments: days counted, sum r, sum r^2, sum x, sum min(x, 0)^2, downside days.
    Lanes prev_, n_, sr_, sr2_, sx_, sd2_, nd_;
    // Under water: peak, current run length and its least value, longest run, the deepest run's
    // least value and peak (its depth, cross-multiplied), the deepest run's recovery.
    Lanes peak_, run_, run_min_, longest_, worst_min_, worst_peak_, recovery_;
    Lanes min_v_;
    int first_below_[kLossLevels.size()][kStripPaths];
    int first_zero_[kStripPaths];
};

} // namespace letf
