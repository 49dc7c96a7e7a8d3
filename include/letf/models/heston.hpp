#pragma once
/// \file models/heston.hpp
/// Heston stochastic variance, simulated by Andersen's QE scheme.

#include <cstdint>

#include "letf/models/model.hpp"

namespace letf {

/// Heston (1993): dS/S = mu dt + sqrt(v) dW_S, dv = kappa (theta - v) dt + xi sqrt(v) dW_v,
/// d<W_S, W_v> = rho dt; mu, v0, theta annualised (v is an annual variance), kappa per year,
/// xi annual volatility of variance. Each trading day dt = 1 / trading_days_per_year is cut into
/// `substeps` steps of Delta = dt / substeps.
///
/// Variance: Andersen's (2008) quadratic-exponential (QE) scheme with psi_c = 1.5. Given v,
///   m = theta + (v - theta) e^{-kappa Delta},
///   s^2 = v xi^2 e^{-kappa Delta} (1 - e^{-kappa Delta}) / kappa
///         + theta xi^2 (1 - e^{-kappa Delta})^2 / (2 kappa),   psi = s^2 / m^2;
///   psi <= 1.5: v' = a (b + Z_v)^2, b^2 = 2/psi - 1 + sqrt(2/psi) sqrt(2/psi - 1), a = m / (1 +
///   b^2); psi >  1.5: v' = 0 if U <= p, else ln((1 - p) / (1 - U)) / beta,
///               p = (psi - 1) / (psi + 1), beta = (1 - p) / m.
/// Both branches match E[v' | v] = m and Var[v' | v] = s^2 exactly, so E[v_t] = theta +
/// (v0 - theta) e^{-kappa t} holds for the simulated variance.
///
/// Log price (gamma1 = gamma2 = 1/2):
///   ln S' = ln S + mu Delta + K0* + K1 v + K2 v' + sqrt(K3 v + K4 v') Z,
///   K1 = Delta/2 (kappa rho / xi - 1/2) - rho / xi,  K2 = Delta/2 (kappa rho / xi - 1/2) + rho /
///   xi, K3 = K4 = Delta/2 (1 - rho^2),
/// with Andersen's martingale correction K0* = -ln E[e^{A v'} | v] - (K1 + K3/2) v, A = K2 + K4/2,
/// computed under QE's own law of v': quadratic -ln M = -A b^2 a / (1 - 2 A a) + ln(1 - 2 A a) / 2,
/// exponential -ln M = -ln(p + beta (1 - p) / (beta - A)). Hence E[S'/S | v] = e^{mu Delta}
/// exactly, and E[S_t / S_{t-1} | past] = e^{mu dt}.
/// Where the moment generating function does not exist (quadratic: 2 A a >= 1, exponential:
/// A >= beta; large rho / xi and long steps) that substep falls back to the uncorrelated
/// trapezoidal step ln S' = ln S + mu Delta - (v + v') Delta / 4 + sqrt((v + v') Delta / 2) Z,
/// conditionally lognormal given v' and so also exactly a martingale; only the coupling of that
/// one substep to the variance move is lost. The fallback is chosen from v alone, so the
/// martingale property given v holds either way. xi = 0 (deterministic variance) uses rho = 0.
///
/// R_t = S_t / S_{t-1} - 1 over a trading day (>= -1 since S > 0), capped at kMaxDailyReturn.
///
/// Draws. Price normals Z from the primary stream (strip_normals): with substeps = 1 one call for
/// the chunk's days, as gbm; with substeps s > 1 one call of s draws per day, in day order
/// (row j of a day is its substep j). Variance draws from SubStream::gammas, kept in the Strip:
/// per lane, in day order and substep order, one variate per substep, a standard normal
/// (standard_normal) in the quadratic branch and a uniform (uniform_open01) in the exponential
/// branch. The branch depends only on the lane's variance path, so the gammas stream is consumed
/// independently of how the days are cut into chunks.
struct HestonModel {
    static constexpr std::string_view kName = "heston";
    static inline const std::initializer_list<std::string_view> kKeys = {
        "type", "mu", "v0", "kappa", "theta", "xi", "rho", "substeps"};
    static constexpr int kMaxSubsteps = 1000;

    double mu = 0.0;
    double v0 = 0.04;    ///< >= 0, annual variance at the start
    double kappa = 1.0;  ///< > 0, per year
    double theta = 0.04; ///< >= 0, long-run annual variance
    double xi = 0.0;     ///< >= 0
    double rho = 0.0;    ///< in [-1, 1]
    int substeps = 1;    ///< in [1, kMaxSubsteps]

    /// The variance sub-stream and each lane's current variance v.
    struct Strip {
        StripRng vol;
        alignas(64) double v[kStripPaths] = {};
    };
    /// vol = StripRng::for_paths(seed, first_path, SubStream::gammas), v = v0 in every lane.
    Strip start(std::uint64_t seed, std::uint64_t first_path) const;

    static HestonModel parse(const ObjectReader& r);
    void write(nlohmann::ordered_json& j) const;
    ModelFacts facts(const ModelContext& c) const;
    void fill(const ModelContext& c, const StripFill& f, Strip& s) const;
};

} // namespace letf
