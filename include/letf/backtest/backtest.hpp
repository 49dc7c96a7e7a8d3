#pragma once
/// \file backtest/backtest.hpp
/// Validation against a real fund: simulate a daily-reset fund from an index ETF's daily
/// returns and compare it with the fund's adjusted closes.
///
/// Model, on the dates common to both files (within the optional bounds), day t running from
/// close t-1 to close t, d_t calendar days long, under the cost model `costs` (costs.hpp):
///
///     R_t = I_t / I_{t-1} - 1 + index_expense_ratio d_t / 365
///     V_t = max(0, V_{t-1} (1 + (L R_t - (c_t d_t / 365 + k |L (L - 1) R_t|)))),   V_0 = 1
///     c_t = fund_carry(costs at ER_t and rate r_t s_t, L):
///     c_t = ER_t + (L - 1)((1 + b) r_t s_t + s_long)                 L > 1  (borrowed L - 1)
///     c_t = ER_t - (1 - L)(1 - m) r_t s_t + |L| s_short [L < 0]     L <= 1 (cash 1 - L earns
///                                                                     the rate; a short pays
///                                                                     s_short on |L|)
///
/// r_t is the annual rate (fraction) in force at close t-1 (RateSeries::align), the constant
/// costs.financing_rate without a rate series (0 by default); s_t = rate_accrual_scale(day_count,
/// d_t): 1 for ACT/365 (the default), 365/360 for ACT/360, 365/(252 d_t) for trading days. ER_t
/// is the expense_schedule step in force at close t-1, expense_ratio before the first step or
/// without a schedule. Everything else accrues on calendar days (ACT/365; a weekend costs three
/// days), as fund fees and overnight financing do. k = rebalance_cost (0 by default). I is the
/// index ETF's adjusted close: its total return (dividends reinvested), net of the ETF's own
/// expense ratio, which `index_expense_ratio` may add back. `--spread S` sets s_long = s_short = S.
///
/// Statistics: years = calendar days from the first to the last common date / 365.25; a CAGR is
/// G^(1/years) - 1 for growth G (-1 when G = 0); gap_per_year = simulated CAGR - real CAGR;
/// log_gap_per_year = (ln G_sim - ln G_real) / years; tracking_error = sqrt(252) x the sample
/// standard deviation (N - 1) of the daily differences of simple returns, simulated - real;
/// correlation = Pearson correlation of the daily simple returns. The fitted spread is the spread
/// for which the simulated CAGR equals the real one (bisection on [-1, 1] per year to 1e-12), per
/// unit of borrowed (s_long, L - 1, L > 1) or short (s_short, |L|, L < 0) exposure, the other
/// terms as given; none for 0 <= L <= 1, where the spread has no effect, or when no spread in the
/// range reaches the real growth.

#include <cstddef>
#include <optional>
#include <vector>

#include "letf/config/costs.hpp"
#include "letf/market/market_data.hpp"

namespace letf {

struct BacktestOptions {
    double multiple = 1.0;            ///< L, non-zero, in [-100, 100]
    double index_expense_ratio = 0.0; ///< annual, added back to the index ETF's return
    Costs costs;                      ///< the fund's cost model (financing_rate_series unused)
    bool fit_spread = false;          ///< simulate with the fitted spread instead of the given
    std::optional<Date> start, end;   ///< inclusive bounds on the dates used
    int rate_max_stale_days = 10;     ///< see RateSeries::align
};

/// `costs` with s_long = s_short = spread: the one spread of `backtest --spread`.
Costs with_spread(Costs costs, double spread);

/// The inputs of the daily recursion on the common dates, computed once (a calibration
/// simulates each window many times).
struct BacktestWindow {
    std::vector<Date> dates;          ///< common dates, at least 2
    std::vector<double> index, fund;  ///< closes on the common dates
    std::vector<double> index_return; ///< R_t, t = 1..n (index n - 1 here), ER added back
    std::vector<double> rate;         ///< r_t, fraction
    std::vector<int> calendar_days;   ///< d_t
    std::size_t days() const { return index_return.size(); }
};

/// The common dates of `index` and `fund` within the options' bounds, with the rate aligned.
/// Reads no date outside the bounds (the rate series only at the window's closes but the last).
/// Throws InputError when fewer than 2 common dates remain or the rate series does not cover
/// them.
BacktestWindow make_backtest_window(const PriceSeries& index, const PriceSeries& fund,
                                    const RateSeries* rate, const BacktestOptions& options);

/// V_T of the model above on `w` and, when `growth` is non-null, V_t for every t (growth[0] = 1).
double simulate_fund(const BacktestWindow& w, double multiple, const Costs& costs,
                     std::vector<double>* growth = nullptr);

/// Growth of 1 on each common date (the first is 1).
struct BacktestSeries {
    std::vector<Date> dates;
    std::vector<double> real;
    std::vector<double> simulated;          ///< the cost model (spread_used)
    std::vector<double> simulated_no_costs; ///< L R_t only, no costs at all
    std::vector<double> index;
};

struct BacktestResult {
    Date start{}, end{};
    std::size_t days = 0; ///< daily returns compared (common dates - 1)
    double years = 0.0;
    double index_cagr = 0.0;
    double real_cagr = 0.0;
    double simulated_cagr = 0.0;
    double simulated_no_costs_cagr = 0.0;
    double gap_per_year = 0.0;     ///< simulated - real CAGR
    double log_gap_per_year = 0.0; ///< may be +-inf when a series reached 0
    double no_costs_gap_per_year = 0.0;
    double tracking_error = 0.0; ///< NaN with fewer than 2 days
    double correlation = 0.0;    ///< NaN when a series is constant
    double exposure = 0.0;       ///< L - 1, |L| or 0: what the spread is charged on
    double mean_rate = 0.0;      ///< mean of r_t over the days (fraction)
    double spread_used = 0.0;    ///< s_long (L > 1), s_short (L < 0), else s_long as given
    std::optional<double> fitted_spread;
    BacktestSeries series;
};

/// The CAGR of growth G over `years`: G^(1/years) - 1, -1 when G = 0 (the statistics above).
double backtest_cagr(double growth, double years);
/// The years of a window: calendar days from `start` to `end` / 365.25.
inline double backtest_years(Date start, Date end) {
    return days_between(start, end) / 365.25;
}

/// Runs the comparison. Throws InputError when fewer than 2 common dates remain or the rate
/// series does not cover them.
BacktestResult run_backtest(const PriceSeries& index, const PriceSeries& fund,
                            const RateSeries* rate, const BacktestOptions& options);

/// Annual carry c_t of the default model above for one day with rate r (fraction): fund_carry
/// (costs.hpp) with financing_spread = short_fee = spread. The day's step is
/// daily_reset_factor_net(L, R_t, c_t d_t / 365) (costs.hpp).
double backtest_carry(double multiple, double expense_ratio, double rate, double spread);

} // namespace letf
