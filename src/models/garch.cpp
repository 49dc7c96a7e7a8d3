#include "letf/models/garch.hpp"

#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/io/object_reader.hpp"
#include "models/kernel.hpp"
#include "models/lane_rng.hpp"

namespace letf {
namespace {

using namespace simd;
using models::kVecs;

/// The lanes of `slow` whose fast ziggurat test failed on word layer/u: their normal from
/// normal_slow_path on their own generator (rng.hpp), the other lanes' x unchanged.
void slow_normals(models::LaneRng& lanes, StripRng& rng, const VI* slow, const VU* layer,
                  const VD* u, VD* x) {
    lanes.spill(rng);
    for (int k = 0; k < kVecs; ++k)
        for (int l = 0; l < kLanes; ++l) {
            if (!slow[k][l])
                continue;
            const int i = k * kLanes + l;
            PathRng lane = rng.lane(i);
            x[k][l] = normal_slow_path(lane, static_cast<int>(layer[k][l]), u[k][l]);
            rng.set_lane(i, lane);
        }
    lanes.reload(rng);
}

/// q[d * kStripPaths + i] = numerator / G for d < days, G ~ Gamma(shape, 1): standard_gamma
/// (rng.cpp, Marsaglia and Tsang) in vector lanes, each lane drawing from its generator of `rng` in
/// day order the same words as standard_gamma on that lane: a try draws a normal x (the ziggurat's
/// fast path in vector, its rare slow path scalar), redraws it while v = 1 + c x <= 0, then one
/// uniform U, and accepts d v^3 on the squeeze U < 1 - 0.0331 x^4 or the log test; a lane that
/// rejects tries again (masked: the others' generators do not move). The log test uses simd::log (2
/// ulp), so a test within rounding of its boundary may decide otherwise than std::log would (never
/// seen: probability about 1e-16 a draw).
void fill_inverse_gammas(StripRng& rng, int days, double shape, double numerator, double* q) {
    const ZigguratTables& t = kZigguratTables;
    const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
    models::LaneRng lanes(rng);
    // All kStripPaths lanes together: one branch per step for the strip, not per vector.
    for (int day = 0; day < days; ++day) {
        VI active[kVecs], accept[kVecs], draw[kVecs], test[kVecs], slow[kVecs];
        VU layer[kVecs];
        VD result[kVecs], u[kVecs], x[kVecs], v[kVecs], un[kVecs], x2[kVecs];
        for (int k = 0; k < kVecs; ++k) {
            active[k] = ~VI{};
            result[k] = VD{};
        }
        VI more;
        do {
            VI any_slow = VI{};
            for (int k = 0; k < kVecs; ++k) {
                const VU w = lanes.next_if(k, active[k]);
                layer[k] = w & 127u;
                u[k] = u52_to_double(w >> 7u) * 0x1p-24 + (0x1p-25 - 1.0);
                const VD ratio = simd::gather(t.ratio, layer[k]);
                x[k] = u[k] * simd::gather(t.x, layer[k]);
                slow[k] = active[k] & ~((u[k] < ratio) & (u[k] > -ratio));
                any_slow |= slow[k];
            }
            if (simd::any(any_slow))
                slow_normals(lanes, rng, slow, layer, u, x);
            VI any_test = VI{};
            for (int k = 0; k < kVecs; ++k) {
                v[k] = 1.0 + c * x[k];
                draw[k] = active[k] & (v[k] > 0.0);
                un[k] = lanes.uniform_open01_if(k, draw[k]);
                v[k] = v[k] * v[k] * v[k];
                x2[k] = x[k] * x[k];
                accept[k] = draw[k] & (un[k] < 1.0 - 0.0331 * x2[k] * x2[k]);
                test[k] = draw[k] & ~accept[k];
                any_test |= test[k];
            }
            more = VI{};
            const bool log_tests = simd::any(any_test); // about 3 strip-days in 4
            for (int k = 0; k < kVecs; ++k) {
                if (log_tests) {
                    const VD vp = select(test[k], v[k], splat(1.0));
                    const VD up = select(test[k], un[k], splat(1.0));
                    accept[k] |=
                        test[k] & (simd::log(up) < 0.5 * x2[k] + d * (1.0 - vp + simd::log(vp)));
                }
                result[k] = select(accept[k], d * v[k], result[k]);
                active[k] &= ~accept[k];
                more |= active[k];
            }
        } while (simd::any(more));
        for (int k = 0; k < kVecs; ++k)
            store(q + day * kStripPaths + k * kLanes, simd::ratio(splat(numerator), result[k]));
    }
    lanes.spill(rng);
}

/// The GJR recursion over one chunk (the day's normals in `out`, replaced by the returns):
/// e = sqrt(h q) N (q = 1 for normal innovations), h' = omega + (alpha + gamma 1[e < 0]) e^2
/// + beta h, R = drift + e floored at -1 and capped. `h` is each lane's variance of its next
/// day, carried in and out. Day by day it is sequential; the lanes run side by side.
struct Recursion {
    double omega, alpha, alpha_gamma, beta, drift;

    template <bool kScaled> void run(int days, double* out, const double* q, double* hs) const {
        const VD lo = models::floor_lo(), hi = models::cap_hi();
        VD h[kVecs];
        for (int k = 0; k < kVecs; ++k)
            h[k] = load(hs + k * kLanes);
        for (int d = 0; d < days; ++d) {
            for (int k = 0; k < kVecs; ++k) {
                const int at = d * kStripPaths + k * kLanes;
                const VD var = kScaled ? h[k] * load(q + at) : h[k];
                const VD e = simd::sqrt(var) * load(out + at);
                const VD a = select(e < 0.0, splat(alpha_gamma), splat(alpha));
                h[k] = omega + a * (e * e) + beta * h[k];
                store(out + at, vmin(vmax(drift + e, lo), hi));
            }
        }
        for (int k = 0; k < kVecs; ++k)
            store(hs + k * kLanes, h[k]);
    }
};

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
    shocks_to_returns(c, f, s);
}

void GarchModel::shocks_to_returns(const ModelContext& c, const StripFill& f, Strip& s) const {
    if (f.first_day == 1)
        for (double& h : s.h)
            h = sigma0 * sigma0 * c.dt;
    const Recursion r{.omega = sigma * sigma * c.dt * (1.0 - persistence()),
                      .alpha = alpha,
                      .alpha_gamma = alpha + gamma,
                      .beta = beta,
                      .drift = mu * c.dt};
    if (innovations == Noise::normal) {
        r.run<false>(f.days, f.out, nullptr, s.h);
        return;
    }
    // z = N sqrt(q), q = (df - 2) / (2 G): the gammas per lane in day order; the recursion
    // takes sqrt(h q) (one square root a day instead of two).
    alignas(64) double q[kDayChunk * kStripPaths];
    fill_inverse_gammas(s.gammas, f.days, 0.5 * *df, 0.5 * (*df - 2.0), q);
    r.run<true>(f.days, f.out, q, s.h);
}

} // namespace letf
