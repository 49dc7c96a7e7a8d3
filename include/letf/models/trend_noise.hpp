#pragma once
/// \file models/trend_noise.hpp
/// Trend plus noise on the simple return.

#include <optional>

#include "letf/models/model.hpp"

namespace letf {

enum class Noise { normal, student_t };

/// Trend plus noise on the simple return: R = mu dt + sigma sqrt(dt) eps, eps of unit variance:
/// standard normal, or Student t with `df` > 2 degrees of freedom scaled by sqrt((df-2)/df).
/// R is floored at -1 (a price cannot go negative). E[R] = mu dt while the floor is not reached.
/// Draws from the primary stream: normal noise one normal per day (strip_normals); Student t
/// per lane, day by day, the normal and then the gamma variate.
struct TrendNoiseModel {
    static constexpr std::string_view kName = "trend_noise";
    static inline const std::initializer_list<std::string_view> kKeys = {"type", "mu", "sigma",
                                                                         "noise", "df"};

    double mu = 0.0;
    double sigma = 0.0; ///< >= 0
    Noise noise = Noise::normal;
    std::optional<double> df; ///< set iff noise == student_t

    struct Strip {};
    static TrendNoiseModel parse(const ObjectReader& r);
    void write(nlohmann::ordered_json& j) const;
    ModelFacts facts(const ModelContext& c) const;
    void fill(const ModelContext& c, const StripFill& f, Strip& s) const;
    /// f.out holds unit-variance shocks eps (correlated ones of a joint model, Student t ones
    /// already scaled): each becomes the day's return, in place.
    void shocks_to_returns(const ModelContext& c, const StripFill& f) const;
};

} // namespace letf
