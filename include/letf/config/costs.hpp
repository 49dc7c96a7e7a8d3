#pragma once
/// \file config/costs.hpp
/// The costs of a scenario and the one place their formulas live: the carry c(L) of a
/// daily-reset fund, the rate of the unrebalanced position's cash account, and the daily-reset
/// day factor. Strategies, theory and backtest all call these.

#include <algorithm>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "letf/market/market_data.hpp"

namespace letf {

/// Annual costs; all default to 0. Daily-reset fund of multiple L pays, as a fraction of NAV per
/// year (charged c(L) dt per day):
///   c(L) = expense_ratio + (L - 1) (financing_rate + financing_spread)       if L > 1
///   c(L) = expense_ratio - (1 - L) financing_rate + |L| short_fee [L < 0]     if L <= 1
/// (borrowed notional L-1 pays rate + spread; cash 1-L earns the rate; a short pays the fee on
/// its notional |L|). The unrebalanced position grows its loan or cash at unrebalanced_rate(L).
/// `financing_rate` may instead be a rate series (a CSV of annual percent by date, only with the
/// historical and bootstrap models): then `financing_rate` is 0 and each day t uses the series'
/// rate r_t in its place (the carry is linear in the rate: c_t(L) = c(L)|_{rate 0} + (L - 1) r_t).
struct Costs {
    double expense_ratio = 0.0;    ///< annual, on NAV, daily-reset funds only; >= 0
    double financing_rate = 0.0;   ///< annual; in [-0.5, 1]; 0 when financing_rate_series is set
    double financing_spread = 0.0; ///< annual, on borrowed notional (L > 1); >= 0
    double short_fee = 0.0;        ///< annual, on short notional |L| (L < 0); >= 0
    std::optional<RateSeriesSpec> financing_rate_series; ///< csv resolved from the scenario file
};

/// Reads `costs` at JSON pointer `at` of `file` (every key optional, default 0). A rate series
/// ({"csv": ...}, resolved from the file's folder) needs a model whose days have dates
/// (`dated_model`: historical or bootstrap). Throws InputError.
Costs parse_costs(const nlohmann::json& costs, const std::string& file, const std::string& at,
                  bool dated_model);
/// The costs as parse_costs reads them back (every key written).
nlohmann::ordered_json to_json(const Costs& costs);

/// Annual carry c(L) of a daily-reset fund (see Costs). The one carry formula: the backtest's
/// c_t (backtest.hpp) is fund_carry of {expense_ratio, r_t, spread, short_fee = spread}.
double fund_carry(const Costs& costs, double multiple);

/// Annual rate r of the unrebalanced position's cash account, equity_t = L S_t/S_0 - (L-1)(1+r
/// dt)^t:
///   r = financing_rate + financing_spread                    if L > 1 (a loan of L-1)
///   r = financing_rate                                       if 0 <= L <= 1 (cash 1-L)
///   r = financing_rate - short_fee |L| / (1 - L)             if L < 0 (cash 1-L, fee on |L|)
double unrebalanced_rate(const Costs& costs, double multiple);

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
