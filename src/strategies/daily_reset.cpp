#include "letf/strategies/daily_reset.hpp"

#include <cmath>

#include "letf/io/object_reader.hpp"

namespace letf {

DailyReset DailyReset::parse(const nlohmann::json& object, const StrategyContext& ctx) {
    const ObjectReader r(object, ctx.file, ctx.at, {"type"});
    return {};
}

void DailyReset::write(nlohmann::ordered_json& /*parameters: none*/) const {}

std::string DailyReset::label() const {
    return make_label(kName, {});
}

double DailyReset::carry(const Costs& costs, double multiple) const {
    return fund_carry(costs, multiple);
}

StrategyTheory DailyReset::theory(const TheoryInputs& in, double L) const {
    StrategyTheory a;
    // 1 - c dt as make_positions computes it (Position::carry_daily), so the product matches.
    const double carry_daily = fund_carry(in.costs, L) * in.dt;
    a.mean_terminal = in.product_of_means(1.0 - carry_daily, L);
    if (in.gbm) {
        const double T = in.days * in.dt;
        const double c = fund_carry(in.costs, L);
        const double s2 = in.gbm->sigma * in.gbm->sigma;
        a.median_terminal = std::exp((L * in.gbm->mu - c - 0.5 * L * L * s2) * T);
        a.log_decay_mean = 0.5 * (L * L - L) * s2 * T + c * T;
    }
    return a;
}

} // namespace letf
