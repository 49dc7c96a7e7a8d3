#pragma once
/// \file models/merton.hpp
/// Merton's jump diffusion.

#include "letf/models/model.hpp"

namespace letf {

/// Merton's jump diffusion (1976). Daily log growth
///   ln(1 + R) = (mu - sigma^2/2 - lambda k) dt + sigma sqrt(dt) Z + sum_{j <= N} J_j,
///   N ~ Poisson(lambda dt),  J_j ~ N(jump_mean, jump_sigma^2),  k = E[e^J] - 1
///     = exp(jump_mean + jump_sigma^2/2) - 1,
/// so E[1 + R] = exp(mu dt) exactly (the jump compensator lambda k keeps mu the total drift).
/// mu, sigma annualised, lambda in jumps per year, jump_mean and jump_sigma per jump (log
/// size); dt = 1 / trading_days_per_year. R is capped at kMaxDailyReturn (1 + R > 0 always).
/// Days are i.i.d.; one day's law is a Poisson mixture of lognormals (lognormal_mixture.hpp),
/// given in closed form as the facts' day_law.
///
/// Draws: Z exactly as gbm draws it (strip_normals on the primary stream), so lambda = 0 gives
/// gbm's returns bit for bit at the same seed. The jumps come from the jumps sub-stream, per
/// lane in day order: one uniform U (uniform_open01) per day, N the inverse Poisson CDF at U
/// (N = 0 iff U <= exp(-lambda dt)); only when N > 0 one standard normal Z', and the day's
/// jumps sum to N jump_mean + jump_sigma sqrt(N) Z'.
struct MertonModel {
    static constexpr std::string_view kName = "merton";
    static inline const std::initializer_list<std::string_view> kKeys = {
        "type", "mu", "sigma", "lambda", "jump_mean", "jump_sigma"};

    double mu = 0.0;
    double sigma = 0.0;      ///< >= 0
    double lambda = 0.0;     ///< jumps per year, >= 0
    double jump_mean = 0.0;  ///< mean of a log jump
    double jump_sigma = 0.0; ///< standard deviation of a log jump, >= 0

    /// The jumps sub-stream of the strip's paths.
    struct Strip {
        StripRng jumps;
    };
    Strip start(std::uint64_t seed, std::uint64_t first_path) const;
    static MertonModel parse(const ObjectReader& r);
    void write(nlohmann::ordered_json& j) const;
    ModelFacts facts(const ModelContext& c) const;
    void fill(const ModelContext& c, const StripFill& f, Strip& s) const;
    /// f.out holds standard normal shocks (correlated ones of a joint model): the rest of fill
    /// (fill is strip_normals then this), its other draws from its own sub-streams.
    void shocks_to_returns(const ModelContext& c, const StripFill& f, Strip& s) const;
};

} // namespace letf
