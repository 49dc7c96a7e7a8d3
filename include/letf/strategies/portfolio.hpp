#pragma once
/// \file strategies/portfolio.hpp
/// A mix of daily-reset funds on the scenario's assets and a cash sleeve, rebalanced to target
/// weights on a calendar, on a band or never: one result row.
///
///   {"type": "portfolio",
///    "holdings": [{"asset": "stocks", "strategy": "daily_reset", "multiple": 3, "weight": 0.55,
///                  "expense_ratio": 0.0091 (optional: the scenario's costs.expense_ratio)},
///                 {"asset": "bonds", "multiple": 3, "weight": 0.45},
///                 {"asset": "cash", "weight": 0}],
///    "rebalance": {"every_days": 63} | {"band": 0.05, "band_kind": "absolute" | "relative",
///                 "every_days": 1 (how often the band is checked)} | "never",
///    "transaction_cost_bps": 5}
///
/// Holding k of weight w_k (weights sum to 1; a negative weight is a short or borrowed sleeve)
/// is worth h_k, with sum_k h_k = V and h_k = w_k at day 0 (V_0 = 1). Each day
///   fund sleeve:  h_k <- h_k max(0, 1 + L_k R_{a_k,t} - c_k(L_k) dt)   (c: fund_carry, costs.hpp)
///   cash sleeve:  h_c <- h_c (1 + r dt)  when h_c >= 0,  h_c (1 + (r + financing_spread) dt) < 0
/// (a fund at 0 is closed and stays at 0). On a rebalancing day t (every_days divides t, or the
/// band is checked and some |h_k / V - w_k| > band (absolute) or |h_k / (w_k V) - 1| > band
/// (relative, holdings with w_k != 0)) every sleeve is traded to w_k V': trades x_k = w_k V - h_k,
/// cost = k sum_{k funds} |x_k| (k = transaction_cost_bps / 10^4, paid from the portfolio),
/// V' = V - cost. V <= 0 is a wipe-out (absorbing, limited liability).
/// Tallies per path: trades (the number of rebalances), turnover (sum |x_k| of the funds), cash
/// added (sum of the funds' buys), cash withdrawn (sum of their sells), transaction costs; and
/// per holding its mean weight h_k / V just before a rebalance (at the horizon on a path that
/// never rebalanced).
///
/// Exact values (theory/analytic.cpp, analytic_portfolio): with a calendar (or never: one
/// period of the whole horizon), no transaction costs, days independent (or with known
/// conditional means) on every asset, E[V_T] = prod over periods of
/// sum_k w_k prod_{t in period} (1 + L_k m_{a_k,t} - c_k dt) + w_c (1 + r dt)^{days}
/// (correlation does not enter), while no sleeve reaches 0.

#include <optional>
#include <string>
#include <vector>

#include "letf/strategies/common.hpp"

namespace letf {

enum class BandKind { absolute, relative };

struct Holding {
    int asset = -1;        ///< index into the scenario's assets; -1 the cash sleeve
    std::string name;      ///< the asset's name ("cash" for the cash sleeve)
    double multiple = 1.0; ///< the daily-reset fund's L (1 for cash)
    double weight = 0.0;
    std::optional<double> expense_ratio; ///< the fund's own; the scenario's when absent

    bool operator==(const Holding&) const = default;
};

struct Portfolio {
    static constexpr std::string_view kName = "portfolio";
    static constexpr bool kInvestor = false;
    using Tallies = TradeTallies;

    std::vector<Holding> holdings; ///< config order; at most one cash sleeve
    /// The calendar (every_days, 0 with a band or never) or how often the band is checked.
    int every_days = 0;
    std::optional<double> band; ///< > 0: band rebalancing
    BandKind band_kind = BandKind::absolute;
    double transaction_cost_bps = 0.0;

    static Portfolio parse(const nlohmann::json& object, const StrategyContext& ctx);
    void write(nlohmann::ordered_json& parameters) const;
    /// portfolio(55% 3x stocks + 45% 3x bonds, every 63 days[, 5 bps]): the holdings and the rule.
    std::string label() const;
    /// The weighted carry sum_k w_k c_k(L_k) of the fund sleeves at their target weights, annual.
    double carry(const Costs& costs, double multiple) const;
    /// Empty: a portfolio's exact values need every asset's facts (analytic_portfolio).
    StrategyTheory theory(const TheoryInputs& in, double multiple) const;

    bool never() const { return every_days == 0 && !band; }
    /// sum_k w_k L_k: the portfolio's exposure at its target (its `multiple` in the report).
    double exposure() const;
    /// The holding's carry c_k(L_k) (its expense ratio when given), annual.
    double holding_carry(const Costs& costs, const Holding& h) const;

    bool operator==(const Portfolio&) const = default;
};

} // namespace letf
