#include "letf/strategies/band_rebalance.hpp"

#include "letf/io/object_reader.hpp"

namespace letf {

BandRebalance BandRebalance::parse(const nlohmann::json& object, const StrategyContext& ctx) {
    const ObjectReader r(object, ctx.file, ctx.at,
                         {"type", "band", "every_days", "transaction_cost_bps"});
    BandRebalance s;
    s.band = r.number("band", Range::open_closed(0, 1e6));
    s.every_days = static_cast<int>(r.integer("every_days", 1, kMaxEveryDays, 1));
    s.transaction_cost_bps =
        r.number("transaction_cost_bps", Range::closed(0, kMaxTransactionCostBps), 0.0);
    return s;
}

void BandRebalance::write(nlohmann::ordered_json& o) const {
    o["every_days"] = every_days;
    o["band"] = band;
    o["transaction_cost_bps"] = transaction_cost_bps;
}

std::string BandRebalance::label() const {
    std::vector<LabelParam> params;
    if (every_days != 1)
        params.emplace_back("every_days", std::to_string(every_days));
    params.emplace_back("band", number_text(band));
    if (transaction_cost_bps != 0.0)
        params.emplace_back("transaction_cost_bps", number_text(transaction_cost_bps));
    return make_label(kName, params);
}

double BandRebalance::carry(const Costs& costs, double multiple) const {
    return fund_carry(costs, multiple);
}

StrategyTheory BandRebalance::theory(const TheoryInputs&, double) const {
    return {};
}

} // namespace letf
