#include "letf/models/garch.hpp"

#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/io/object_reader.hpp"
#include "models/kernel.hpp"

namespace letf {
namespace {

using namespace simd;
constexpr int kVecs = kStripPaths / kLanes;

inline VD vsqrt(VD x) {
#if defined(__AVX512F__)
    return reinterpret_cast<VD>(_mm512_sqrt_pd(reinterpret_cast<__m512d>(x)));
#elif defined(__AVX__)
    return reinterpret_cast<VD>(_mm256_sqrt_pd(reinterpret_cast<__m256d>(x)));
#else
    return reinterpret_cast<VD>(_mm_sqrt_pd(reinterpret_cast<__m128d>(x)));
#endif
}

std::string shown(double x) {
    return shown_value(nlohmann::json(x));
}

} // namespace

GarchModel::Strip GarchModel::start(std::uint64_t seed, std::uint64_t first_path) const {
    // h_1 = sigma0^2 dt needs dt: the fill of day 1 sets it.
    return Strip{StripRng::for_paths(seed, first_path, SubStream::gammas), {}};
}

GarchModel GarchModel::parse(const ObjectReader& r) {
    GarchModel m;
    m.mu = r.number("mu", Range::closed(-10, 10));
    m.sigma = r.number("sigma", Range::closed(0, 10));
    m.alpha = r.number("alpha", Range::closed(0, 1));
    m.beta = r.number("beta", Range::closed(0, 1));
    m.gamma = r.number("gamma", Range::closed(-1, 2), 0.0);
    if (m.alpha + m.gamma < 0.0)
        throw InputError(r.file(), r.child("gamma"),
                         "alpha + gamma must be >= 0 (alpha " + shown(m.alpha) + ")",
                         shown(m.gamma));
    const double p = m.persistence();
    if (p >= 1.0)
        throw InputError(r.file(), r.child("beta"),
                         "not stationary: alpha + beta + gamma/2 = " + shown(p) + " must be < 1",
                         shown(m.beta));
    m.innovations =
        r.choice("innovations", {"normal", "student_t"}, "innovations", "normal") == "student_t"
            ? Noise::student_t
            : Noise::normal;
    if (m.innovations == Noise::student_t) {
        m.df = r.number("df", Range::open_closed(2, 1e6));
    } else if (const nlohmann::json* df = r.find("df")) {
        throw InputError(r.file(), r.child("df"), "applies only to innovations \"student_t\"",
                         shown_value(*df));
    }
    m.sigma0 = r.number("sigma0", Range::closed(0, 10), m.sigma);
    return m;
}

void GarchModel::write(nlohmann::ordered_json& j) const {
    j["mu"] = mu;
    j["sigma"] = sigma;
    j["alpha"] = alpha;
    j["beta"] = beta;
    j["gamma"] = gamma;
    j["innovations"] = innovations == Noise::student_t ? "student_t" : "normal";
    if (df)
        j["df"] = *df;
    j["sigma0"] = sigma0;
}

double GarchModel::expected_variance(double dt, int t) const {
    const double v = sigma * sigma * dt;
    return v + std::pow(persistence(), t - 1) * (sigma0 * sigma0 * dt - v);
}

ModelFacts GarchModel::facts(const ModelContext& c) const {
    ModelFacts f;
    f.one_outcome = sigma == 0.0 && sigma0 == 0.0;
    f.days_independent = false;
    f.conditional_means = true;
    f.identical_days = true; // every day's mean is mu dt
    // As trend_noise: Student t innovations count as a normal sqrt(df / (df - 2)) times as wide.
    f.daily_log_sd = sigma * std::sqrt(c.dt) * (df ? std::sqrt(*df / (*df - 2.0)) : 1.0);
    f.mean_return.assign(static_cast<std::size_t>(c.days), mu * c.dt);
    // sum_t E[h_t] = n v + (h_1 - v) (1 - p^n) / (1 - p), v = sigma^2 dt.
    const double p = persistence(), v = sigma * sigma * c.dt;
    f.integrated_variance =
        c.days * v + (sigma0 * sigma0 * c.dt - v) * (1.0 - std::pow(p, c.days)) / (1.0 - p);
    return f;
}

void GarchModel::fill(const ModelContext& c, const StripFill& f, Strip& s) const {
    strip_normals(*f.rng, f.days, f.out);
    if (innovations == Noise::student_t) {
        // z = N sqrt((df - 2) / (2 G)): the gammas per lane in day order, then one vector pass.
        alignas(64) double g[kDayChunk * kStripPaths];
        const double shape = 0.5 * *df;
        for (int i = 0; i < kStripPaths; ++i) {
            PathRng lane = s.gammas.lane(i);
            for (int d = 0; d < f.days; ++d)
                g[d * kStripPaths + i] = standard_gamma(lane, shape);
            s.gammas.set_lane(i, lane);
        }
        const double half_df_minus_2 = 0.5 * (*df - 2.0);
        for (int i = 0; i < f.days * kStripPaths; i += kLanes)
            store(f.out + i, load(f.out + i) * vsqrt(half_df_minus_2 / load(g + i)));
    }
    if (f.first_day == 1)
        for (double& h : s.h)
            h = sigma0 * sigma0 * c.dt;
    const double omega = sigma * sigma * c.dt * (1.0 - persistence());
    const double drift = mu * c.dt;
    const VD lo = models::floor_lo(), hi = models::cap_hi();
    VD h[kVecs];
    for (int k = 0; k < kVecs; ++k)
        h[k] = load(s.h + k * kLanes);
    // Day by day the recursion is sequential; the lanes run side by side.
    for (int d = 0; d < f.days; ++d) {
        for (int k = 0; k < kVecs; ++k) {
            double* p = f.out + d * kStripPaths + k * kLanes;
            const VD e = vsqrt(h[k]) * load(p);
            const VD a = select(e < 0.0, splat(alpha + gamma), splat(alpha));
            h[k] = omega + a * (e * e) + beta * h[k];
            store(p, vmin(vmax(drift + e, lo), hi));
        }
    }
    for (int k = 0; k < kVecs; ++k)
        store(s.h + k * kLanes, h[k]);
}

} // namespace letf
