#pragma once
/// \file config/costs.hpp
/// The costs of a scenario and the one place their formulas live: the carry c(L) of a
/// daily-reset fund, the rate of the unrebalanced position's cash account, and the daily-reset
/// day factor. Strategies, theory and backtest all call these.

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "letf/market/market_data.hpp"

namespace letf {

/// How the base rate r_t accrues over a day (the rate term only; the expense ratio, spreads and
/// fees accrue on calendar days, ACT/365, in backtest and per trading day, dt, in run):
///   act_365       r_t d_t / 365   (d_t calendar days since the previous close)
///   act_360       r_t d_t / 360   (the money-market convention of T-bills and swaps)
///   trading_days  r_t / 252       (one 252nd a trading day, weekends and holidays free)
/// In backtest the day's rate term is written r_t s_t d_t / 365 with s_t = 1, 365/360 or
/// 365 / (252 d_t): rate_accrual_scale.
enum class DayCount { act_365, act_360, trading_days };

/// "ACT/365", "ACT/360", "trading_days".
const char* day_count_name(DayCount day_count);
/// The multiplier s_t of r_t for a day of `calendar_days` (see DayCount); exactly 1 for act_365.
double rate_accrual_scale(DayCount day_count, int calendar_days);

/// A dated expense ratio: from the close of `from` on (inclusive), until the next step.
struct ExpenseStep {
    Date from{};
    double expense_ratio = 0.0;
};

/// The cost model of a fund, annual; every key defaults to the value that reproduces the model
/// before these keys existed (0, or absent). A daily-reset fund of multiple L pays, as a fraction
/// of NAV per year (charged c(L) dt per day), with base rate r, markup b, markdown m:
///   c(L) = ER + (L - 1) ((1 + b) r + s_long)                   if L > 1 (borrowed L - 1)
///   c(L) = ER - (1 - L) (1 - m) r + |L| s_short [L < 0]        if L <= 1 (cash 1 - L)
/// ER = expense_ratio (or the expense_schedule step in force), s_long = financing_spread,
/// s_short = short_fee, b = financing_markup, m = cash_credit_markdown. Borrowed notional pays
/// the base rate marked up in proportion plus a spread; cash earns the base rate marked down in
/// proportion; a short pays the fee on its notional |L|. On top of the carry, a fund that trades
/// its daily rebalance pays
///   k |L (L - 1) R_t|     per day, k = rebalance_cost (the trade is L (L - 1) R_t of NAV).
/// The unrebalanced position grows its loan or cash at unrebalanced_rate(L).
/// `financing_rate` may instead be a rate series (a CSV of annual percent by date, only with the
/// historical and bootstrap models and in backtest): then `financing_rate` is 0 and each day t
/// uses the series' rate r_t in its place; the carry is linear in the rate,
///   c_t(L) = c(L)|_{rate 0} + rate_slope(L) r_t.
/// day_count, rebalance_cost and expense_schedule are applied by backtest and calibrate (they need
/// dated days); run accepts them only at their defaults (scenario.cpp says so in its errors),
/// and financing_markup and cash_credit_markdown only with daily_reset and unrebalanced.
struct Costs {
    double expense_ratio = 0.0;    ///< annual, on NAV, daily-reset funds only; >= 0
    double financing_rate = 0.0;   ///< annual; in [-0.5, 1]; 0 when financing_rate_series is set
    double financing_spread = 0.0; ///< s_long, annual, on borrowed notional (L > 1)
    double short_fee = 0.0;        ///< s_short, annual, on short notional |L| (L < 0)
    std::optional<RateSeriesSpec> financing_rate_series; ///< csv resolved from the scenario file
    double financing_markup = 0.0;             ///< b, in [-1, 10]: borrowed notional pays (1 + b) r
    double cash_credit_markdown = 0.0;         ///< m, in [-1, 1]: cash earns (1 - m) r
    double rebalance_cost = 0.0;               ///< k, in [0, 1], per unit of |L (L - 1) R_t| traded
    std::optional<DayCount> day_count;         ///< absent: ACT/365 in backtest, trading days in run
    std::vector<ExpenseStep> expense_schedule; ///< dated ER, `from` strictly increasing
};

/// Reads `costs` at JSON pointer `at` of `file` (every key optional, default 0). A rate series
/// ({"csv": ...}, resolved from the file's folder) needs a model whose days have dates
/// (`dated_model`: historical or bootstrap). `{"file": PATH}` alone reads the costs from that
/// JSON file instead (a calibrate -o calibration.json), paths resolved from its folder. Throws
/// InputError.
Costs parse_costs(const nlohmann::json& costs, const std::string& file, const std::string& at,
                  bool dated_model);
/// A cost-model file (`backtest --cost-model`, calibrate's calibration.json): the costs object of
/// the file at `path`, its paths resolved from its folder, a rate series allowed.
Costs load_cost_model(const std::string& path);
/// The costs as parse_costs reads them back: the four original keys always, each newer key only
/// when it is not at its default (so reports of configs without them do not change).
nlohmann::ordered_json to_json(const Costs& costs);
/// True when any key that only backtest and calibrate apply is away from its default.
bool uses_dated_cost_terms(const Costs& costs);
/// True when the markup or markdown is not 0 (only daily_reset and unrebalanced apply them).
bool uses_rate_markups(const Costs& costs);

/// Annual carry c(L) of a daily-reset fund (see Costs). The one carry formula: the backtest's
/// c_t (backtest.hpp) is fund_carry of the cost model with financing_rate = r_t s_t.
double fund_carry(const Costs& costs, double multiple);
/// d c(L) / d r: (L - 1)(1 + b) if L > 1, (L - 1)(1 - m) otherwise; (L - 1) at the defaults.
double rate_slope(const Costs& costs, double multiple);
/// The day's rebalancing cost as a fraction of NAV: k |L (L - 1) R| (0 when k = 0).
inline double rebalance_cost_daily(const Costs& costs, double multiple, double index_return) {
    return costs.rebalance_cost == 0.0
               ? 0.0
               : costs.rebalance_cost * std::abs(multiple * (multiple - 1.0) * index_return);
}

/// Annual rate r of the unrebalanced position's cash account, equity_t = L S_t/S_0 - (L-1)(1+r
/// dt)^t:
///   r = (1 + b) financing_rate + financing_spread            if L > 1 (a loan of L-1)
///   r = (1 - m) financing_rate                               if 0 <= L <= 1 (cash 1-L)
///   r = (1 - m) financing_rate - short_fee |L| / (1 - L)     if L < 0 (cash 1-L, fee on |L|)
double unrebalanced_rate(const Costs& costs, double multiple);
/// d unrebalanced_rate(L) / d financing_rate: 1 + b if L > 1, 1 - m otherwise (1 at defaults).
double unrebalanced_rate_slope(const Costs& costs, double multiple);

/// One day of a daily-reset fund of multiple L: V_t = V_{t-1} f with
///   f = max(0, 1 + L R - c dt)
/// for the day's index return R and carry c dt (`carry_dt`, the day's share of the annual carry;
/// the backtest passes c_t d_t / 365). Floored at +0: a fund that reaches 0 stays at 0.
/// Evaluated as (1 + L R) - c dt; every scalar walk with a per-day carry uses this one.
inline double daily_reset_factor(double multiple, double index_return, double carry_dt) {
    return std::max(1.0 + multiple * index_return - carry_dt, 0.0);
}

/// The same factor with the constant part folded once per position, base = 1 - c dt:
///   f = max(0, base + L R).
/// The constant-rate SIMD kernel (daily_reset.cpp) evaluates this form, and its scalar redo must
/// match it bit for bit, so both call (or mirror) this one; it can differ from
/// daily_reset_factor in the last bit.
inline double daily_reset_factor_folded(double base, double multiple, double index_return) {
    return std::max(base + multiple * index_return, 0.0);
}

/// The same factor with the day's net return summed first: f = max(0, 1 + (L R - c dt)), the
/// backtest's order (backtest.cpp). Kept apart so that each result stays bit-identical to what
/// it was; moving a caller to another of these three orders changes its last bits only.
inline double daily_reset_factor_net(double multiple, double index_return, double carry_dt) {
    return std::max(0.0, 1.0 + (multiple * index_return - carry_dt));
}

} // namespace letf
