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
    const Eigen::Index n = returns.size();
    const double* r = returns.data();
    // The underlying; R >= -1 so the factor is never negative.
    {
        double* s = underlying.data();
        double* u = underlying_rel_peak.data();
        double* dd = underlying_max_dd.data();
        for (Eigen::Index i = 0; i < n; ++i) {
            const double f = 1.0 + r[i];
            s[i] = std::min(s[i] * f, kValueCap);
            u[i] = std::min(u[i] * f, 1.0);
            dd[i] = std::max(dd[i], 1.0 - u[i]);
        }
    }
    const double* s = underlying.data();
    // One fused pass per position: the state of a column stays in cache and registers.
    for (std::size_t j = 0; j < positions.size(); ++j) {
        const Position& p = positions[j];
        const auto c = static_cast<Eigen::Index>(j);
        double* v = value.col(c).data();
        double* pk = peak.col(c).data();
        double* dd = max_dd.col(c).data();
        double* wd = wipeout_day.col(c).data();
        const double L = p.multiple;
        if (p.kind == StrategyKind::daily_reset) {
            const double base = 1.0 - p.carry_daily;
            for (Eigen::Index i = 0; i < n; ++i) {
                // Clamping the factor at +0 keeps a wiped-out fund at exactly +0.
                const double f = std::max(base + L * r[i], 0.0);
                v[i] = std::min(v[i] * f, kValueCap);
                pk[i] = std::min(pk[i] * f, 1.0);
                dd[i] = std::max(dd[i], 1.0 - pk[i]);
                // A blend, not a conditional store (GCC 12 would branch around a masked store).
                wd[i] += (v[i] <= 0.0 && wd[i] == 0.0) ? d : 0.0;
            }
        } else {
            const double loan = (L - 1.0) * std::pow(p.growth_daily, d);
            for (Eigen::Index i = 0; i < n; ++i) {
                const double e = std::min(std::max(L * s[i] - loan, 0.0), kValueCap);
                v[i] = v[i] > 0.0 ? e : 0.0;
                pk[i] = std::max(pk[i], v[i]);
                dd[i] = std::max(dd[i], 1.0 - v[i] / pk[i]);
                // A blend, not a conditional store (GCC 12 would branch around a masked store).
                wd[i] += (v[i] <= 0.0 && wd[i] == 0.0) ? d : 0.0;
            }
        }
    }
}

} // namespace letf
