#include "letf/strategy.hpp"

#include <cmath>

namespace letf {

std::vector<Position> make_positions(const ScenarioConfig& config) {
    std::vector<Position> out;
    const double dt = config.dt();
    for (StrategyKind kind : config.strategies) {
        for (double L : config.multiples) {
            Position p;
            p.kind = kind;
            p.multiple = L;
            p.carry_daily = fund_carry(config.costs, L) * dt;
            p.growth_daily = 1.0 + unrebalanced_rate(config.costs, L) * dt;
            out.push_back(p);
        }
    }
    return out;
}

void BlockState::reset(Eigen::Index paths, std::size_t positions) {
    const auto cols = static_cast<Eigen::Index>(positions);
    underlying.setOnes(paths);
    underlying_rel_peak.setOnes(paths);
    underlying_max_dd.setZero(paths);
    value.setOnes(paths, cols);
    peak.setOnes(paths, cols);
    max_dd.setZero(paths, cols);
    wipeout_day.setZero(paths, cols);
    factor_.resize(paths);
}

void BlockState::step(int day, const std::vector<Position>& positions,
                      const Eigen::ArrayXd& returns) {
    const double d = static_cast<double>(day);
    // The underlying; R >= -1 so the factor is never negative.
    underlying *= 1.0 + returns;
    underlying_rel_peak = (underlying_rel_peak * (1.0 + returns)).min(1.0);
    underlying_max_dd = underlying_max_dd.max(1.0 - underlying_rel_peak);

    for (std::size_t j = 0; j < positions.size(); ++j) {
        const Position& p = positions[j];
        const auto c = static_cast<Eigen::Index>(j);
        auto v = value.col(c);
        auto pk = peak.col(c);
        auto dd = max_dd.col(c);
        auto wd = wipeout_day.col(c);
        if (p.kind == StrategyKind::daily_reset) {
            // Clamping the factor at +0 keeps a wiped-out fund at exactly +0.
            factor_ = (1.0 - p.carry_daily + p.multiple * returns).max(0.0);
            v *= factor_;
            pk = (pk * factor_).min(1.0);
            dd = dd.max(1.0 - pk);
        } else {
            const double loan = (p.multiple - 1.0) * std::pow(p.growth_daily, d);
            const double L = p.multiple;
            v = (v > 0.0).select((L * underlying - loan).max(0.0), 0.0);
            pk = pk.max(v);
            dd = dd.max(1.0 - v / pk);
        }
        wd = (v <= 0.0 && wd == 0.0).select(d, wd);
    }
}

} // namespace letf
