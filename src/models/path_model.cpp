#include "letf/models/path_model.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "base/simd.hpp"

namespace letf {
namespace {

/// +1 on days 1, 3, 5, ... when the choppy model starts up, -1 on the others (and the reverse).
double choppy_sign(const ChoppyModel& m, int day) {
    const bool odd_day = (day % 2) == 1;
    return odd_day == m.start_up ? 1.0 : -1.0;
}

} // namespace

PathModel::PathModel(const ModelSpec& spec, double dt, std::shared_ptr<const MarketData> data)
    : spec_(spec), dt_(dt), data_(std::move(data)) {
    if (data_ && data_->size() > 0) {
        double sum = 0.0;
        for (double r : data_->returns)
            sum += r;
        data_mean_ = sum / static_cast<double>(data_->size());
    }
}

PathModel::PathModel(const ScenarioConfig& config)
    : PathModel(config.model, config.dt(), config.market_data) {}

bool PathModel::days_independent() const {
    if (const auto* b = std::get_if<BootstrapModel>(&spec_))
        return b->mean_block_length <= 1.0;
    return true;
}

bool PathModel::deterministic() const {
    if (std::holds_alternative<PatternModel>(spec_) ||
        std::holds_alternative<HistoricalModel>(spec_))
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
            } else if constexpr (std::is_same_v<T, PatternModel>) {
                const auto n = m.returns_daily.size();
                return m.returns_daily[static_cast<std::size_t>(day - 1) % n];
            } else if constexpr (std::is_same_v<T, HistoricalModel>) {
                return data_->returns[static_cast<std::size_t>(day - 1)];
            } else {
                return data_mean_; // every bootstrap day is uniform on the data
            }
        },
        spec_);
}

void PathModel::fill_strip(int first_day, int days, StripRng& rng, double* out) const {
    StripCursor cursor;
    fill_strip(first_day, days, rng, out, cursor, nullptr);
}

void PathModel::fill_strip(int first_day, int days, StripRng& rng, double* out, StripCursor& cursor,
                           double* rates) const {
    using namespace simd;
    const int n = days * kStripPaths;
    // Applies f to every vector of the buffer, in place.
    auto transform = [&](auto f) {
        for (int i = 0; i < n; i += kLanes)
            store(out + i, f(load(out + i)));
    };
    const VD lo = splat(-1.0), hi = splat(kMaxDailyReturn);
    std::visit(
        [&](const auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, GbmModel>) {
                strip_normals(rng, days, out);
                const double drift = (m.mu - 0.5 * m.sigma * m.sigma) * dt_;
                const double scale = m.sigma * std::sqrt(dt_);
                transform([&](VD z) { return vmin(simd::exp(drift + scale * z) - 1.0, hi); });
            } else if constexpr (std::is_same_v<T, TrendNoiseModel>) {
                const double a = m.mu * dt_, b = m.sigma * std::sqrt(dt_);
                if (m.noise == Noise::normal) {
                    strip_normals(rng, days, out);
                } else {
                    // t = Z / sqrt(chi2_df / df), chi2_df = 2 Gamma(df/2); unit variance after
                    // scaling by sqrt((df-2)/df): eps = Z sqrt((df-2) / (2 G)). Per lane, day
                    // by day: the normal, then the gamma.
                    const double df = *m.df;
                    for (int i = 0; i < kStripPaths; ++i) {
                        PathRng lane = rng.lane(i);
                        for (int d = 0; d < days; ++d) {
                            const double z = standard_normal(lane);
                            const double g = standard_gamma(lane, 0.5 * df);
                            out[d * kStripPaths + i] = z * std::sqrt((df - 2.0) / (2.0 * g));
                        }
                        rng.set_lane(i, lane);
                    }
                }
                transform([&](VD e) { return vmin(vmax(a + b * e, lo), hi); });
            } else if constexpr (std::is_same_v<T, ChoppyModel>) {
                if (m.noise_sigma_daily > 0.0)
                    strip_normals(rng, days, out);
                for (int d = 0; d < days; ++d) {
                    const double base =
                        m.trend_daily + choppy_sign(m, first_day + d) * m.amplitude_daily;
                    double* row = out + d * kStripPaths;
                    for (int i = 0; i < kStripPaths; i += kLanes) {
                        const VD e = m.noise_sigma_daily > 0.0 ? load(row + i) : splat(0.0);
                        store(row + i, vmin(vmax(base + m.noise_sigma_daily * e, lo), hi));
                    }
                }
            } else if constexpr (std::is_same_v<T, PatternModel>) {
                for (int d = 0; d < days; ++d)
                    std::fill_n(out + d * kStripPaths, kStripPaths, mean_return(first_day + d));
            } else if constexpr (std::is_same_v<T, HistoricalModel>) {
                const bool with_rates = rates && has_rates();
                for (int d = 0; d < days; ++d) {
                    const auto t = static_cast<std::size_t>(first_day - 1 + d);
                    std::fill_n(out + d * kStripPaths, kStripPaths, data_->returns[t]);
                    if (with_rates)
                        std::fill_n(rates + d * kStripPaths, kStripPaths, data_->rates[t]);
                }
            } else {
                // Per lane, strictly in day order, from the lane's own generator.
                const bool with_rates = rates && has_rates();
                const auto n_data = static_cast<std::uint32_t>(data_->size());
                for (int i = 0; i < kStripPaths; ++i) {
                    PathRng lane = rng.lane(i);
                    std::uint32_t idx = cursor.index[i];
                    for (int d = 0; d < days; ++d) {
                        idx = bootstrap_next(lane, n_data, m.mean_block_length, idx,
                                             first_day + d == 1);
                        out[d * kStripPaths + i] = data_->returns[idx];
                        if (with_rates)
                            rates[d * kStripPaths + i] = data_->rates[idx];
                    }
                    cursor.index[i] = idx;
                    rng.set_lane(i, lane);
                }
            }
        },
        spec_);
}

} // namespace letf
