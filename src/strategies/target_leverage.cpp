#include "letf/strategies/target_leverage.hpp"

#include <cmath>

#include "letf/base/error.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/io/object_reader.hpp"

namespace letf {

using nlohmann::json;

TargetLeverage TargetLeverage::parse(const json& object, const StrategyContext& ctx) {
    const ObjectReader r(
        object, ctx.file, ctx.at,
        {"type", "every_days", "band", "maintenance_margin", "transaction_cost_bps"});
    TargetLeverage s;
    if (r.find("every_days"))
        s.every_days = static_cast<int>(r.integer("every_days", 1, kMaxEveryDays, 1));
    if (r.find("band"))
        s.band = r.number("band", Range::open_closed(0, 100));
    if (!s.every_days && !s.band)
        throw InputError(ctx.file, ctx.at, "needs \"every_days\", \"band\" or both",
                         shown_value(object));
    if (r.find("maintenance_margin")) {
        const double mm = r.number("maintenance_margin", Range::open(0, 1));
        // The target itself must satisfy the margin: equity / |assets| = 1 / |L| > mm.
        for (double L : ctx.multiples)
            if (!(mm < 1.0 / std::fabs(L)))
                throw InputError(ctx.file, r.child("maintenance_margin"),
                                 "must be below 1 / |L| = " + json(1.0 / std::fabs(L)).dump() +
                                     " for the multiple " + json(L).dump() +
                                     " (the target leverage would violate it)",
                                 shown_value(*r.find("maintenance_margin")));
        s.maintenance_margin = mm;
    }
    s.transaction_cost_bps =
        r.number("transaction_cost_bps", Range::closed(0, kMaxTransactionCostBps), 0.0);
    return s;
}

void TargetLeverage::write(nlohmann::ordered_json& o) const {
    if (every_days)
        o["every_days"] = *every_days;
    if (band)
        o["band"] = *band;
    if (maintenance_margin)
        o["maintenance_margin"] = *maintenance_margin;
    o["transaction_cost_bps"] = transaction_cost_bps;
}

std::string TargetLeverage::label() const {
    std::vector<LabelParam> params;
    if (every_days)
        params.emplace_back("every_days", std::to_string(*every_days));
    if (band)
        params.emplace_back("band", number_text(*band));
    if (maintenance_margin)
        params.emplace_back("maintenance_margin", number_text(*maintenance_margin));
    if (transaction_cost_bps != 0.0)
        params.emplace_back("transaction_cost_bps", number_text(transaction_cost_bps));
    return make_label(kName, params);
}

double TargetLeverage::carry(const Costs& costs, double multiple) const {
    return unrebalanced_rate(costs, multiple);
}

StrategyTheory TargetLeverage::theory(const TheoryInputs&, double) const {
    return {};
}

} // namespace letf
