#pragma once
/// \file models/gbm.hpp
/// Geometric Brownian motion.

#include "letf/models/model.hpp"

namespace letf {

/// Geometric Brownian motion. Daily simple return
///   R = exp((mu - sigma^2/2) dt + sigma sqrt(dt) Z) - 1,  Z ~ N(0,1),
/// so E[R] = exp(mu dt) - 1 exactly. mu, sigma annualised; dt = 1 / trading_days_per_year.
/// Draws: one normal per day from the primary stream (strip_normals).
struct GbmModel {
    static constexpr std::string_view kName = "gbm";
    static inline const std::initializer_list<std::string_view> kKeys = {"type", "mu", "sigma"};

    double mu = 0.0;
    double sigma = 0.0; ///< >= 0

    struct Strip {};
    static GbmModel parse(const ObjectReader& r);
    void write(nlohmann::ordered_json& j) const;
    ModelFacts facts(const ModelContext& c) const;
    void fill(const ModelContext& c, const StripFill& f, Strip& s) const;
    /// f.out holds standard normal shocks (correlated ones of a joint model): each becomes the
    /// day's return, in place (fill is strip_normals then this).
    void shocks_to_returns(const ModelContext& c, const StripFill& f) const;
};

} // namespace letf
