#include "letf/models/joint_source.hpp"

#include <cmath>
#include <variant>

namespace letf {

std::uint64_t asset_seed(std::uint64_t seed, std::size_t asset) {
    return asset == 0 ? seed : splitmix64(seed ^ splitmix64(0x6173736574ULL + asset));
}

std::vector<double> correlation_factor(const std::vector<std::vector<double>>& c) {
    const std::size_t K = c.size();
    std::vector<double> f(K * K, 0.0);
    for (std::size_t j = 0; j < K; ++j) {
        double d = c[j][j];
        for (std::size_t p = 0; p < j; ++p)
            d -= f[j * K + p] * f[j * K + p];
        if (d <= 1e-12)
            continue; // a semi-definite direction: the column stays 0
        const double pivot = std::sqrt(d);
        f[j * K + j] = pivot;
        for (std::size_t i = j + 1; i < K; ++i) {
            double x = c[i][j];
            for (std::size_t p = 0; p < j; ++p)
                x -= f[i * K + p] * f[j * K + p];
            f[i * K + j] = x / pivot;
        }
    }
    return f;
}

JointSource::JointSource(const ScenarioConfig& config) {
    const std::size_t K = config.asset_count();
    for (std::size_t k = 0; k < K; ++k) {
        sources_.emplace_back(config.asset_model(k), config.dt(), config.days,
                              config.asset_data(k));
    }
    joint_data_ = K > 1 && reads_price_file(config.model);
    linked_.assign(K, 0);
    if (!config.correlation.empty()) {
        for (std::size_t i = 0; i < K; ++i)
            for (std::size_t k = 0; k < K; ++k)
                if (i != k && config.correlation[i][k] != 0.0)
                    linked_[i] = 1;
        factor_ = correlation_factor(config.correlation);
        for (std::size_t k = 0; k < K; ++k)
            if (linked_[k])
                if (const auto* t = std::get_if<TrendNoiseModel>(&config.asset_model(k)))
                    if (t->noise == Noise::student_t)
                        t_df_ = t->df;
    }
}

JointSource::State JointSource::start(std::uint64_t seed, std::uint64_t first_path) const {
    State s;
    for (std::size_t k = 0; k < sources_.size(); ++k) {
        const std::uint64_t sk = asset_seed(seed, k);
        s.rng.push_back(sources_[k].facts().deterministic ? StripRng{}
                                                          : StripRng::for_paths(sk, first_path));
        s.model.push_back(sources_[k].start(sk, first_path));
    }
    if (t_df_)
        s.copula = StripRng::for_paths(seed, first_path, SubStream::copula);
    return s;
}

void JointSource::fill(int first_day, int days, State& s, double* out, double* rates) const {
    const std::size_t K = sources_.size();
    const int n = days * kStripPaths;
    if (joint_data_) {
        std::uint32_t index[kDayChunk * kStripPaths];
        // Asset 0 draws the days; the others replay them.
        sources_[0].fill(first_day, days, s.rng[0], s.model[0], out, rates, index);
        for (std::size_t k = 1; k < K; ++k) {
            const std::vector<double>& r = sources_[k].data()->returns;
            double* o = out + k * kAssetStride;
            for (int i = 0; i < n; ++i)
                o[i] = r[index[i]];
        }
        return;
    }
    for (std::size_t k = 0; k < K; ++k)
        if (!linked_[k])
            sources_[k].fill(first_day, days, s.rng[k], s.model[k], out + k * kAssetStride,
                             k == 0 ? rates : nullptr);
    if (factor_.empty())
        return;
    // The linked assets: their own normals, mixed by the factor (downwards, in place: row k
    // reads rows m < k, not yet mixed), then each model's transform.
    for (std::size_t k = 0; k < K; ++k)
        if (linked_[k])
            strip_normals(s.rng[k], days, out + k * kAssetStride);
    for (std::size_t k = K; k-- > 1;) {
        if (!linked_[k])
            continue;
        double* zk = out + k * kAssetStride;
        for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
            double x = 0.0;
            for (std::size_t m = 0; m <= k; ++m)
                if (linked_[m])
                    x += factor_[k * K + m] * (m == k ? zk[i] : out[m * kAssetStride + i]);
            zk[i] = x;
        }
    }
    if (t_df_) {
        const double nu = *t_df_;
        double scale[kDayChunk * kStripPaths];
        for (int i = 0; i < kStripPaths; ++i) {
            PathRng lane = s.copula.lane(i);
            for (int d = 0; d < days; ++d)
                scale[d * kStripPaths + i] =
                    std::sqrt((nu - 2.0) / (2.0 * standard_gamma(lane, 0.5 * nu)));
            s.copula.set_lane(i, lane);
        }
        for (std::size_t k = 0; k < K; ++k)
            if (linked_[k])
                for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i)
                    out[k * kAssetStride + i] *= scale[i];
    }
    for (std::size_t k = 0; k < K; ++k)
        if (linked_[k])
            sources_[k].shocks_to_returns(first_day, days, s.model[k], out + k * kAssetStride);
}

void JointSource::statistics(const State& state, int lane, double* out) const {
    sources_[0].statistics(state.model[0], lane, out);
}

} // namespace letf
