#pragma once
/// \file models/garch.hpp
/// GARCH(1,1) with the GJR asymmetry.

#include <optional>

#include "letf/models/model.hpp"
#include "letf/models/trend_noise.hpp"

namespace letf {

/// GJR-GARCH(1,1) (Glosten, Jagannathan and Runkle 1993) on the simple return:
///   R_t = mu dt + e_t,   e_t = sqrt(h_t) z_t,
///   h_{t+1} = omega + (alpha + gamma 1[e_t < 0]) e_t^2 + beta h_t,
///   omega = sigma^2 dt (1 - p),  p = alpha + beta + gamma/2 < 1 (stationary),  h_1 = sigma0^2 dt,
/// z_t i.i.d. of unit variance: standard normal, or Student t with df > 2 scaled to unit
/// variance, z = N sqrt((df - 2) / (2 G)), G ~ Gamma(df/2, 1). mu, sigma (the unconditional
/// volatility: E[h_t] -> sigma^2 dt) and sigma0 annualised; h_t is a daily variance;
/// dt = 1 / trading_days_per_year. The shock e_t is taken before R is floored at -1 and capped
/// at kMaxDailyReturn, so the variance recursion and E[h_t] = sigma^2 dt + p^(t-1) (h_1 -
/// sigma^2 dt) do not depend on the floor. E[R_t | days before t] = mu dt on every path.
///
/// Draws: the normals N from the primary stream (strip_normals, one chunk), the gammas G of
/// Student t innovations from the gammas sub-stream (standard_gamma per lane in day order).
struct GarchModel {
    static constexpr std::string_view kName = "garch";
    static inline const std::initializer_list<std::string_view> kKeys = {
        "type", "mu", "sigma", "alpha", "beta", "gamma", "innovations", "df", "sigma0"};

    double mu = 0.0;
    double sigma = 0.0; ///< unconditional volatility, >= 0
    double alpha = 0.0; ///< >= 0
    double beta = 0.0;  ///< >= 0
    double gamma = 0.0; ///< GJR asymmetry: alpha + gamma >= 0
    Noise innovations = Noise::normal;
    std::optional<double> df; ///< set iff innovations == student_t
    double sigma0 = 0.0;      ///< start volatility, >= 0

    /// The gammas sub-stream of the strip's paths, and each lane's variance h of
    /// its next day (set to h_1 by the fill of day 1).
    struct Strip {
        StripRng gammas;
        alignas(64) double h[kStripPaths];
    };
    Strip start(std::uint64_t seed, std::uint64_t first_path) const;
    static GarchModel parse(const ObjectReader& r);
    void write(nlohmann::ordered_json& j) const;
    ModelFacts facts(const ModelContext& c) const;
    void fill(const ModelContext& c, const StripFill& f, Strip& s) const;
    /// f.out holds standard normal shocks (correlated ones of a joint model): the rest of fill
    /// (fill is strip_normals then this), its other draws from its own sub-streams.
    void shocks_to_returns(const ModelContext& c, const StripFill& f, Strip& s) const;

    /// p = alpha + beta + gamma/2: E[h_{t+1}] - sigma^2 dt = p (E[h_t] - sigma^2 dt).
    double persistence() const { return alpha + beta + 0.5 * gamma; }
    /// E[h_t] for t >= 1.
    double expected_variance(double dt, int t) const;
};

} // namespace letf
