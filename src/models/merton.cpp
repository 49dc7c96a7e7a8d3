#include "letf/models/merton.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "letf/io/object_reader.hpp"
#include "letf/models/lognormal_mixture.hpp"
#include "models/kernel.hpp"
#include "models/lane_rng.hpp"

namespace letf {
namespace {

using namespace simd;
using models::kVecs;

/// The smallest n with P(N <= n) >= u for N ~ Poisson(lambda_dt), given u > P(N = 0) = p0.
/// The loop stops once the CDF stops growing (u < 1 - 2^-33 is then always reached well
/// before: the CDF is within rounding of 1).
int poisson_above_zero(double u, double lambda_dt, double p0) {
    double w = p0, cdf = p0;
    int n = 0;
    while (u > cdf) {
        ++n;
        w *= lambda_dt / n;
        const double next = cdf + w;
        if (next == cdf && n > lambda_dt)
            break;
        cdf = next;
    }
    return n;
}

} // namespace

MertonModel::Strip MertonModel::start(std::uint64_t seed, std::uint64_t first_path) const {
    return Strip{StripRng::for_paths(seed, first_path, SubStream::jumps)};
}

MertonModel MertonModel::parse(const ObjectReader& r) {
    MertonModel m;
    m.mu = r.number("mu", Range::closed(-10, 10));
    m.sigma = r.number("sigma", Range::closed(0, 10));
    // At most 500 a year: exp(-lambda dt) stays a normal double for any dt <= 1.
    m.lambda = r.number("lambda", Range::closed(0, 500));
    m.jump_mean = r.number("jump_mean", Range::closed(-5, 5));
    m.jump_sigma = r.number("jump_sigma", Range::closed(0, 5));
    return m;
}

void MertonModel::write(nlohmann::ordered_json& j) const {
    j["mu"] = mu;
    j["sigma"] = sigma;
    j["lambda"] = lambda;
    j["jump_mean"] = jump_mean;
    j["jump_sigma"] = jump_sigma;
}

ModelFacts MertonModel::facts(const ModelContext& c) const {
    ModelFacts f;
    const bool jumps_move = lambda > 0.0 && (jump_mean != 0.0 || jump_sigma != 0.0);
    f.one_outcome = sigma == 0.0 && !jumps_move;
    f.identical_days = true;
    f.conditional_means = true;
    f.daily_log_sd = std::sqrt(sigma * sigma * c.dt +
                               lambda * c.dt * (jump_mean * jump_mean + jump_sigma * jump_sigma));
    f.mean_return.assign(static_cast<std::size_t>(c.days), std::expm1(mu * c.dt));
    const double k = std::expm1(jump_mean + 0.5 * jump_sigma * jump_sigma);
    const LognormalMixture x{.lambda_dt = lambda * c.dt,
                             .m0 = (mu - 0.5 * sigma * sigma - lambda * k) * c.dt,
                             .jump_mean = jump_mean,
                             .var0 = sigma * sigma * c.dt,
                             .jump_var = jump_sigma * jump_sigma};
    // a + b R = (a - b) + b e^X.
    f.day_law = ModelFacts::DayLaw{
        .positive_part = [x](double a, double b) { return mixture_positive_part(x, a - b, b); },
        .prob_nonpositive = [x](double a,
                                double b) { return mixture_prob_nonpositive(x, a - b, b); }};
    return f;
}

void MertonModel::fill(const ModelContext& c, const StripFill& f, Strip& s) const {
    strip_normals(*f.rng, f.days, f.out);
    shocks_to_returns(c, f, s);
}

void MertonModel::shocks_to_returns(const ModelContext& c, const StripFill& f, Strip& s) const {
    // The log jumps of each lane-day, 0 without a jump.
    alignas(64) double jumps[kDayChunk * kStripPaths];
    const int n = f.days * kStripPaths;
    for (int i = 0; i < n; ++i)
        jumps[i] = 0.0;
    const double lambda_dt = lambda * c.dt;
    if (lambda_dt > 0.0) {
        const double p0 = std::exp(-lambda_dt);
        models::LaneRng lanes(s.jumps);
        for (int d = 0; d < f.days; ++d) {
            alignas(64) double u[kStripPaths];
            VI any_jump = VI{};
            for (int k = 0; k < kVecs; ++k) {
                const VD uk = lanes.uniform_open01(k);
                any_jump |= uk > p0;
                store(u + k * kLanes, uk);
            }
            if (!simd::any(any_jump))
                continue;
            // Rare: the lanes with a jump draw their normal, scalar, from their own generator.
            lanes.spill(s.jumps);
            for (int i = 0; i < kStripPaths; ++i) {
                if (!(u[i] > p0))
                    continue;
                const int jn = poisson_above_zero(u[i], lambda_dt, p0);
                PathRng lane = s.jumps.lane(i);
                const double z = standard_normal(lane);
                s.jumps.set_lane(i, lane);
                jumps[d * kStripPaths + i] = jn * jump_mean + jump_sigma * std::sqrt(jn) * z;
            }
            lanes.reload(s.jumps);
        }
        lanes.spill(s.jumps);
    }
    const double k = std::expm1(jump_mean + 0.5 * jump_sigma * jump_sigma);
    // The diffusion part in gbm's arithmetic (gbm.cpp), then the jumps: + 0.0 changes nothing.
    const double drift = (mu - 0.5 * sigma * sigma - lambda * k) * c.dt;
    const double scale = sigma * std::sqrt(c.dt);
    const VD hi = models::cap_hi();
    for (int i = 0; i < n; i += kLanes) {
        const VD z = load(f.out + i);
        store(f.out + i, vmin(simd::exp(drift + scale * z + load(jumps + i)) - 1.0, hi));
    }
}

} // namespace letf
