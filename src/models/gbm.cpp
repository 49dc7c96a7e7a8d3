#include "letf/models/gbm.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "letf/io/object_reader.hpp"
#include "letf/models/lognormal_mixture.hpp"
#include "models/kernel.hpp"

namespace letf {

GbmModel GbmModel::parse(const ObjectReader& r) {
    GbmModel m;
    m.mu = r.number("mu", Range::closed(-10, 10));
    m.sigma = r.number("sigma", Range::closed(0, 10));
    return m;
}

void GbmModel::write(nlohmann::ordered_json& j) const {
    j["mu"] = mu;
    j["sigma"] = sigma;
}

ModelFacts GbmModel::facts(const ModelContext& c) const {
    ModelFacts f;
    f.one_outcome = sigma == 0.0;
    f.identical_days = true;
    f.lognormal = Lognormal{mu, sigma};
    f.daily_log_sd = sigma * std::sqrt(c.dt);
    f.mean_return.assign(static_cast<std::size_t>(c.days), std::expm1(mu * c.dt));
    // 1 + R = e^X, X ~ N((mu - sigma^2/2) dt, sigma^2 dt): the day law of a mixture without
    // jumps. a + b R = (a - b) + b e^X.
    const LognormalMixture x{.m0 = (mu - 0.5 * sigma * sigma) * c.dt, .var0 = sigma * sigma * c.dt};
    f.day_law = ModelFacts::DayLaw{
        .positive_part = [x](double a, double b) { return mixture_positive_part(x, a - b, b); },
        .prob_nonpositive = [x](double a, double b) {
            return mixture_prob_nonpositive(x, a - b, b);
        }};
    return f;
}

void GbmModel::fill(const ModelContext& c, const StripFill& f, Strip&) const {
    strip_normals(*f.rng, f.days, f.out);
    shocks_to_returns(c, f);
}

void GbmModel::shocks_to_returns(const ModelContext& c, const StripFill& f) const {
    using namespace simd;
    const double drift = (mu - 0.5 * sigma * sigma) * c.dt;
    const double scale = sigma * std::sqrt(c.dt);
    const VD hi = models::cap_hi();
    models::transform_strip(f, [&](VD z) { return vmin(simd::exp(drift + scale * z) - 1.0, hi); });
}

} // namespace letf
