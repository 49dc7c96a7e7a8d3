#include "letf/models/heston.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <nlohmann/json.hpp>

#include "letf/io/object_reader.hpp"
#include "models/kernel.hpp"

namespace letf {
namespace {

using simd::VD;
using simd::VI;
constexpr int kVecs = kStripPaths / simd::kLanes;

/// The constants of one substep of length Delta (heston.hpp).
struct Step {
    double mu_delta;   ///< mu Delta
    double decay;      ///< e^{-kappa Delta}
    double theta;      ///< theta
    double c1, c2;     ///< s^2 = v c1 + c2
    double k1, k2;     ///< K1, K2
    double k34;        ///< K3 = K4
    double a_coef;     ///< A = K2 + K4 / 2
    double b_coef;     ///< K1 + K3 / 2
    double half_delta; ///< Delta / 2 (fallback step)
};

Step make_step(const HestonModel& m, double dt) {
    const double delta = dt / m.substeps;
    const double e = std::exp(-m.kappa * delta);
    // rho is meaningless with a deterministic variance, and rho / xi would divide by 0.
    const double rho = m.xi > 0.0 ? m.rho : 0.0;
    const double rx = m.xi > 0.0 ? rho / m.xi : 0.0;
    Step s{};
    s.mu_delta = m.mu * delta;
    s.decay = e;
    s.theta = m.theta;
    s.c1 = m.xi * m.xi * e * (1.0 - e) / m.kappa;
    s.c2 = m.theta * m.xi * m.xi * (1.0 - e) * (1.0 - e) / (2.0 * m.kappa);
    const double common = 0.5 * delta * (m.kappa * rx - 0.5);
    s.k1 = common - rx;
    s.k2 = common + rx;
    s.k34 = 0.5 * delta * (1.0 - rho * rho);
    s.a_coef = s.k2 + 0.5 * s.k34;
    s.b_coef = s.k1 + 0.5 * s.k34;
    s.half_delta = 0.5 * delta;
    return s;
}

constexpr double kPsiC = 1.5;

/// psi of each lane for the current v (floored so that psi = 0, a deterministic step, stays
/// finite in the quadratic branch: b^2 ~ 4 / psi, a ~ m psi / 4, v' = m to rounding).
inline VD psi_of(const Step& s, VD v, VD& m) {
    using namespace simd;
    m = s.theta + (v - s.theta) * s.decay;
    const VD s2 = v * s.c1 + s.c2;
    return vmax(s2 / vmax(m * m, splat(1e-300)), splat(1e-200));
}

/// One substep of the vectors of lanes [k kLanes, (k+1) kLanes): the variance move from the
/// draws x (normals where psi <= psi_c, uniforms elsewhere) and the log-price increment, added
/// to y. Returns the new variance.
inline VD qe_step(const Step& s, VD v, VD x, VD z, VD& y) {
    using namespace simd;
    VD m;
    const VD psi = psi_of(s, v, m);
    const VI quad = psi <= kPsiC;
    // Quadratic branch.
    const VD ip2 = 2.0 / psi;
    const VD b2 = ip2 - 1.0 + simd::sqrt(ip2) * simd::sqrt(vmax(ip2 - 1.0, splat(0.0)));
    const VD a = m / (1.0 + b2);
    const VD bx = simd::sqrt(b2) + x;
    const VD vq = a * bx * bx;
    const VD t = 1.0 - 2.0 * s.a_coef * a;
    // Exponential branch (x is a uniform in (0, 1) there).
    const VD p = (psi - 1.0) / (psi + 1.0);
    const VD beta = (1.0 - p) / m;
    const VD tail = select(quad, splat(1.0), (1.0 - p) / (1.0 - x));
    const VD ve = select(x <= p, splat(0.0), simd::log(vmax(tail, splat(1.0))) / beta);
    const VD en = p + beta * (1.0 - p) / (beta - s.a_coef);
    // Where the moment generating function of v' at A exists: the correction K0*.
    const VI ok = (quad & (t > 0.0)) | (~quad & (beta > s.a_coef));
    const VD larg = select(quad, t, en);
    const VD lm = simd::log(select(ok, larg, splat(1.0)));
    const VD neg_log_mgf =
        select(quad, 0.5 * lm - s.a_coef * b2 * a / select(ok, t, splat(1.0)), -lm);
    const VD vn = select(quad, vq, ve);
    const VD var_qe = vmax(s.k34 * (v + vn), splat(0.0));
    const VD inc_qe =
        s.mu_delta + neg_log_mgf - s.b_coef * v + s.k1 * v + s.k2 * vn + simd::sqrt(var_qe) * z;
    const VD vsum = v + vn;
    const VD inc_fb = s.mu_delta - 0.5 * s.half_delta * vsum + simd::sqrt(s.half_delta * vsum) * z;
    y += select(ok, inc_qe, inc_fb);
    return vn;
}

/// The variance draws of one substep, per lane from its gammas generator: a normal where the
/// lane's psi <= psi_c, a uniform elsewhere (heston.hpp).
inline void draw_variance(const Step& s, const double* v, PathRng* g, double* x) {
    using namespace simd;
    alignas(64) double psi[kStripPaths];
    for (int k = 0; k < kVecs; ++k) {
        VD m;
        store(psi + k * kLanes, psi_of(s, load(v + k * kLanes), m));
    }
    for (int i = 0; i < kStripPaths; ++i)
        x[i] = psi[i] <= kPsiC ? standard_normal(g[i]) : uniform_open01(g[i]);
}

} // namespace

HestonModel HestonModel::parse(const ObjectReader& r) {
    HestonModel m;
    m.mu = r.number("mu", Range::closed(-10, 10));
    m.v0 = r.number("v0", Range::closed(0, 100));
    m.kappa = r.number("kappa", Range::open_closed(0, 1e4));
    m.theta = r.number("theta", Range::closed(0, 100));
    m.xi = r.number("xi", Range::closed(0, 100));
    m.rho = r.number("rho", Range::closed(-1, 1));
    m.substeps = static_cast<int>(r.integer("substeps", 1, kMaxSubsteps, 1));
    return m;
}

void HestonModel::write(nlohmann::ordered_json& j) const {
    j["mu"] = mu;
    j["v0"] = v0;
    j["kappa"] = kappa;
    j["theta"] = theta;
    j["xi"] = xi;
    j["rho"] = rho;
    j["substeps"] = substeps;
}

ModelFacts HestonModel::facts(const ModelContext& c) const {
    ModelFacts f;
    f.one_outcome = v0 == 0.0 && theta == 0.0; // v stays 0: every day is e^{mu dt}
    f.days_independent = false;
    f.conditional_means = true;
    f.identical_days = true;
    f.daily_log_sd = std::sqrt(std::max(v0, theta) * c.dt);
    f.mean_return.assign(static_cast<std::size_t>(c.days), std::expm1(mu * c.dt));
    const double horizon = c.days * c.dt;
    f.integrated_variance = theta * horizon + (v0 - theta) * -std::expm1(-kappa * horizon) / kappa;
    return f;
}

HestonModel::Strip HestonModel::start(std::uint64_t seed, std::uint64_t first_path) const {
    Strip s;
    s.vol = StripRng::for_paths(seed, first_path, SubStream::gammas);
    std::fill(std::begin(s.v), std::end(s.v), v0);
    return s;
}

void HestonModel::fill(const ModelContext& c, const StripFill& f, Strip& s) const {
    using namespace simd;
    const Step step = make_step(*this, c.dt);
    PathRng g[kStripPaths];
    for (int i = 0; i < kStripPaths; ++i)
        g[i] = s.vol.lane(i);
    std::vector<double> sub; // one day's substep normals (substeps > 1)
    if (substeps == 1)
        strip_normals(*f.rng, f.days, f.out);
    else
        sub.resize(static_cast<std::size_t>(substeps * kStripPaths));
    const VD hi = models::cap_hi();
    alignas(64) double x[kStripPaths];
    for (int d = 0; d < f.days; ++d) {
        double* row = f.out + d * kStripPaths;
        if (substeps > 1)
            strip_normals(*f.rng, substeps, sub.data());
        VD y[kVecs] = {};
        for (int j = 0; j < substeps; ++j) {
            const double* z = substeps == 1 ? row : sub.data() + j * kStripPaths;
            draw_variance(step, s.v, g, x);
            for (int k = 0; k < kVecs; ++k) {
                const VD v = load(s.v + k * kLanes);
                store(s.v + k * kLanes,
                      qe_step(step, v, load(x + k * kLanes), load(z + k * kLanes), y[k]));
            }
        }
        for (int k = 0; k < kVecs; ++k)
            store(row + k * kLanes, vmin(simd::exp(y[k]) - 1.0, hi));
    }
    for (int i = 0; i < kStripPaths; ++i)
        s.vol.set_lane(i, g[i]);
}

} // namespace letf
