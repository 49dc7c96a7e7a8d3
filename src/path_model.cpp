#include "letf/path_model.hpp"

#include <cmath>

#include <Eigen/Core>

namespace letf {
namespace {

using ArrayMap = Eigen::Map<Eigen::ArrayXd>;

/// +1 on days 1, 3, 5, ... when the choppy model starts up, -1 on the others (and the reverse).
double choppy_sign(const ChoppyModel& m, int day) {
    const bool odd_day = (day % 2) == 1;
    return odd_day == m.start_up ? 1.0 : -1.0;
}

} // namespace

PathModel::PathModel(const ModelSpec& spec, double dt) : spec_(spec), dt_(dt) {}

bool PathModel::deterministic() const {
    if (std::holds_alternative<PatternModel>(spec_))
        return true;
    if (const auto* c = std::get_if<ChoppyModel>(&spec_))
        return c->noise_sigma_daily == 0.0;
    return false;
}

double PathModel::mean_return(int day) const {
    return std::visit(
        [&](const auto& m) -> double {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, GbmModel>) {
                return std::expm1(m.mu * dt_);
            } else if constexpr (std::is_same_v<T, TrendNoiseModel>) {
                return m.mu * dt_;
            } else if constexpr (std::is_same_v<T, ChoppyModel>) {
                return m.trend_daily + choppy_sign(m, day) * m.amplitude_daily;
            } else {
                const auto n = m.returns_daily.size();
                return m.returns_daily[static_cast<std::size_t>(day - 1) % n];
            }
        },
        spec_);
}

void PathModel::fill_day(int day, std::span<PathRng> rngs, std::span<double> returns) const {
    const std::size_t n = returns.size();
    ArrayMap r(returns.data(), static_cast<Eigen::Index>(n));
    std::visit(
        [&](const auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, GbmModel>) {
                for (std::size_t i = 0; i < n; ++i)
                    returns[i] = standard_normal(rngs[i]);
                const double drift = (m.mu - 0.5 * m.sigma * m.sigma) * dt_;
                const double scale = m.sigma * std::sqrt(dt_);
                r = ((drift + scale * r).exp() - 1.0).min(kMaxDailyReturn);
            } else if constexpr (std::is_same_v<T, TrendNoiseModel>) {
                if (m.noise == Noise::normal) {
                    for (std::size_t i = 0; i < n; ++i)
                        returns[i] = standard_normal(rngs[i]);
                } else {
                    // t = Z / sqrt(chi2_df / df), chi2_df = 2 Gamma(df/2); unit variance after
                    // scaling by sqrt((df-2)/df): eps = Z sqrt((df-2) / (2 G)).
                    const double df = *m.df;
                    const double half = 0.5 * df;
                    for (std::size_t i = 0; i < n; ++i) {
                        const double z = standard_normal(rngs[i]);
                        const double g = standard_gamma(rngs[i], half);
                        returns[i] = z * std::sqrt((df - 2.0) / (2.0 * g));
                    }
                }
                r = (m.mu * dt_ + m.sigma * std::sqrt(dt_) * r).max(-1.0).min(kMaxDailyReturn);
            } else if constexpr (std::is_same_v<T, ChoppyModel>) {
                const double base = m.trend_daily + choppy_sign(m, day) * m.amplitude_daily;
                if (m.noise_sigma_daily > 0.0) {
                    for (std::size_t i = 0; i < n; ++i)
                        returns[i] = standard_normal(rngs[i]);
                    r = (base + m.noise_sigma_daily * r).max(-1.0).min(kMaxDailyReturn);
                } else {
                    r.setConstant(base < -1.0 ? -1.0 : base);
                }
            } else {
                r.setConstant(mean_return(day));
            }
        },
        spec_);
}

} // namespace letf
