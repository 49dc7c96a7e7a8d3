#pragma once
/// \file models/choppy.hpp
/// Alternating up and down days.

#include "letf/models/model.hpp"

namespace letf {

/// Alternating up/down days: R_t = trend_daily + a_t + noise_sigma_daily Z_t, with a_t = +amplitude
/// on days 1, 3, 5, ... when start is up (-amplitude when down) and the opposite sign on days
/// 2, 4, .... R is floored at -1. E[R_t] = trend_daily + a_t while the floor is not reached.
/// Draws: one normal per day from the primary stream, none without noise.
struct ChoppyModel {
    static constexpr std::string_view kName = "choppy";
    static inline const std::initializer_list<std::string_view> kKeys = {
        "type", "amplitude_daily", "trend_daily", "noise_sigma_daily", "start"};

    double amplitude_daily = 0.0;   ///< in [0, 1]
    double trend_daily = 0.0;       ///< in (-1, 1)
    double noise_sigma_daily = 0.0; ///< >= 0; 0 makes the model deterministic
    bool start_up = true;

    struct Strip {};
    static ChoppyModel parse(const ObjectReader& r);
    void write(nlohmann::ordered_json& j) const;
    ModelFacts facts(const ModelContext& c) const;
    void fill(const ModelContext& c, const StripFill& f, Strip& s) const;

    /// trend_daily + a_t: the return of day t without noise.
    double base_return(int day) const;
};

} // namespace letf
