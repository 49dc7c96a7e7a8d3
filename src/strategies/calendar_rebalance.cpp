#include "letf/strategies/calendar_rebalance.hpp"

#include "letf/io/object_reader.hpp"

namespace letf {

CalendarRebalance CalendarRebalance::parse(const nlohmann::json& object,
                                           const StrategyContext& ctx) {
    const ObjectReader r(object, ctx.file, ctx.at, {"type", "every_days", "transaction_cost_bps"});
    r.require("every_days");
    CalendarRebalance s;
    s.every_days = static_cast<int>(r.integer("every_days", 1, kMaxEveryDays, 1));
    s.transaction_cost_bps =
        r.number("transaction_cost_bps", Range::closed(0, kMaxTransactionCostBps), 0.0);
    return s;
}

void CalendarRebalance::write(nlohmann::ordered_json& o) const {
    o["every_days"] = every_days;
    o["transaction_cost_bps"] = transaction_cost_bps;
}

std::string CalendarRebalance::label() const {
    std::vector<LabelParam> params{{"every_days", std::to_string(every_days)}};
    if (transaction_cost_bps != 0.0)
        params.emplace_back("transaction_cost_bps", number_text(transaction_cost_bps));
    return make_label(kName, params);
}

double CalendarRebalance::carry(const Costs& costs, double multiple) const {
    return fund_carry(costs, multiple);
}

StrategyTheory CalendarRebalance::theory(const TheoryInputs&, double) const {
    return {};
}

} // namespace letf
