#pragma once
/// \file config/cash_flows.hpp
/// Contributions and withdrawals: `"cash_flows"` of a scenario, applied to every position and
/// portfolio on the same days (strategies/flow_account.hpp walks them).
///
///   {"contribution": a, "every_days": n, "growth": g}
///       a W_0 (1 + g)^(t dt) paid in at the close of days t = n, 2n, ... (g annual, default 0);
///   {"withdrawal": w, "kind": "fixed_real", "every_days": n, "inflation": i}
///       w W_0 (1 + i)^(t dt) taken out at the close of days t = n, 2n, ...;
///   {"withdrawal": w, "kind": "percent_of_wealth", "every_days": n}
///       w times the wealth at that close taken out.
/// `"cash_flows"` is one such object or an array of them (at most 8). Amounts are per event, in
/// units of the initial wealth W_0 = 1 (a 4 % yearly withdrawal: 0.04 every 252 days).

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace letf {

enum class FlowKind { contribution, fixed_real, percent_of_wealth };

struct CashFlow {
    FlowKind kind = FlowKind::contribution;
    double amount = 0.0;  ///< a or w, >= 0
    int every_days = 21;  ///< >= 1
    double growth = 0.0;  ///< contribution growth or inflation, annual (0 for percent_of_wealth)

    bool operator==(const CashFlow&) const = default;
};

struct CashFlows {
    std::vector<CashFlow> flows;
    bool as_list = false; ///< given as an array (written back as one)

    bool empty() const { return flows.empty(); }
    bool operator==(const CashFlows& o) const { return flows == o.flows; }
};

/// The per-day schedule of a horizon of `days` days (index t = 1..days, [0] unused): the
/// contributions paid in, the fixed withdrawals asked and the share of wealth asked at the close
/// of day t, and whether any flow falls on t.
struct FlowSchedule {
    std::vector<double> add, take, share;
    std::vector<unsigned char> any;
    /// The days with a flow, ascending.
    std::vector<int> days;
};
FlowSchedule flow_schedule(const CashFlows& flows, int days, double dt);

/// Reads `cash_flows` at pointer `at` of `file`. Throws InputError naming the field.
CashFlows parse_cash_flows(const nlohmann::json& j, const std::string& file, const std::string& at,
                           int days);
nlohmann::ordered_json to_json(const CashFlows& flows);

/// The money-weighted annual return of one path: the y with
///   sum_k F_k (1 + y)^(-t_k dt) = 0
/// over the investor's flows F_k on days t_k (the initial -W_0 on day 0, -contributions,
/// +withdrawals, +W_T on the last day), by a safeguarded Newton iteration in ln(1 + y) on
/// [-20, 20]. -1 when nothing came back (every F_k after day 0 is 0 and W_T = 0); NaN when the
/// flows have no root in that range (mixed signs without a sign change of the value).
/// `flow_days` ascending (day 0 and the last day included once each).
double money_weighted_return(const std::vector<int>& flow_days, const double* flows,
                             std::size_t n, double dt);

} // namespace letf
