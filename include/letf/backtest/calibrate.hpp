#pragma once
/// \file backtest/calibrate.hpp
/// One cost model fitted to many real funds on training windows and judged on test windows
/// (`letfsim calibrate`, config/calibration.hpp).
///
/// Windows: for each fund, its common dates with its index (N of them) are split at the training
/// end T_i: the spec's train_end, or the fund's own date number floor(split (N - 1)). The
/// training window is [first, T_i], the test window [T_i, last] (the test's first return is the
/// day after T_i). Each needs at least 2 dates (one daily return). The fit reads no price and no
/// rate after T_i (make_backtest_window with end = T_i).
///
/// Fit: the chosen parameters theta (FitParam) of the cost model are shared by every fund (pooled,
/// never per fund); each fund keeps its own expense ratio (and schedule). The training gap of fund
/// i is g_i(theta) = simulated CAGR - real CAGR on its training window (backtest.hpp), and the
/// objective pools them (CalibrationObjective): sum |g_i|, sum g_i^2 or max |g_i|. With
/// CalibrationGaps::calendar_year each training window is cut into calendar-year pieces (each from
/// the previous piece's last close; the last ends at T_i), g_i runs over all pieces of all funds,
/// and the sums weight each piece by its length in years w_i: sum w_i |g_i|, sum w_i g_i^2 (max
/// |g_i| unweighted). The rate's changes from year to year inside a window then tell a markup on
/// the rate from a constant spread. NLopt minimises
/// it within the bounds below, from the spec's values: BOBYQA for least squares (smooth), Sbplx
/// (a Nelder-Mead on subspaces, no derivatives) for the other two, each run twice (the second from
/// the first's optimum), to relative parameter tolerance 1e-10. Bounds: b in [-1, 3], spreads in
/// [-0.05, 0.05], markdown in [-1, 1], rebalance_cost in [0, 0.01].
///
/// Evaluation: every fund is backtested (run_backtest) under the fitted model on its training and
/// its test window: real and simulated CAGR, gap per year, tracking error and correlation.

#include <cstddef>
#include <string>
#include <vector>

#include "letf/backtest/backtest.hpp"
#include "letf/config/calibration.hpp"

namespace letf {

/// A fund's price files, read.
struct CalibrationFundData {
    PriceSeries index, fund;
};

/// A fund on one window under the fitted model (backtest.hpp defines each statistic).
struct WindowResult {
    Date start{}, end{};
    std::size_t days = 0;
    double years = 0.0, real_cagr = 0.0, simulated_cagr = 0.0, gap_per_year = 0.0,
           log_gap_per_year = 0.0, tracking_error = 0.0, correlation = 0.0;
};

struct FundCalibration {
    std::string name;
    double multiple = 1.0;
    WindowResult train, test;
};

struct CalibrationResult {
    Costs costs;                  ///< the fitted model; expense_ratio as the spec's (per fund)
    std::vector<double> values;   ///< the fitted parameters, in spec.fit order
    double objective_value = 0.0; ///< at the optimum (annual fractions, or their squares)
    int evaluations = 0;
    std::vector<FundCalibration> funds; ///< in spec order
    double worst_train_gap = 0.0;       ///< max |gap per year| over the training windows
    double worst_test_gap = 0.0;        ///< max |gap per year| over the test windows
};

/// Fits and evaluates (see the file comment). `data[i]` holds spec.funds[i]'s files; `rate` is
/// the spec's rate series read (null for a constant rate). Throws InputError naming spec.file and
/// /funds/i when a window has fewer than 2 dates or train_end is outside a fund's dates.
CalibrationResult calibrate(const CalibrationSpec& spec,
                            const std::vector<CalibrationFundData>& data, const RateSeries* rate);

/// `costs` with parameter `p` set to `value`.
Costs with_param(Costs costs, FitParam p, double value);
/// The value of parameter `p` in `costs`.
double param_value(const Costs& costs, FitParam p);

} // namespace letf
