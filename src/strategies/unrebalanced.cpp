#include "letf/strategies/unrebalanced.hpp"

#include <cmath>

#include "letf/io/object_reader.hpp"

namespace letf {

Unrebalanced Unrebalanced::parse(const nlohmann::json& object, const StrategyContext& ctx) {
    const ObjectReader r(object, ctx.file, ctx.at, {"type"});
    return {};
}

void Unrebalanced::write(nlohmann::ordered_json& /*parameters: none*/) const {}

std::string Unrebalanced::label() const {
    return make_label(kName, {});
}

double Unrebalanced::carry(const Costs& costs, double multiple) const {
    return unrebalanced_rate(costs, multiple);
}

StrategyTheory Unrebalanced::theory(const TheoryInputs& in, double L) const {
    StrategyTheory a;
    // 1 + r dt as make_positions computes it (Position::growth_daily).
    const double growth_daily = 1.0 + unrebalanced_rate(in.costs, L) * in.dt;
    a.mean_terminal =
        L * in.product_of_means(1.0, 1.0) - (L - 1.0) * std::pow(growth_daily, in.days);
    a.mean_ignores_wipeout = true;
    return a;
}

} // namespace letf
