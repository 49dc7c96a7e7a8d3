#include "letf/models/trend_noise.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/io/object_reader.hpp"
#include "models/kernel.hpp"

namespace letf {

TrendNoiseModel TrendNoiseModel::parse(const ObjectReader& r) {
    TrendNoiseModel m;
    m.mu = r.number("mu", Range::closed(-10, 10));
    m.sigma = r.number("sigma", Range::closed(0, 10));
    m.noise = r.choice("noise", {"normal", "student_t"}, "noise", "normal") == "student_t"
                  ? Noise::student_t
                  : Noise::normal;
    if (m.noise == Noise::student_t) {
        m.df = r.number("df", Range::open_closed(2, 1e6));
    } else if (const nlohmann::json* df = r.find("df")) {
        throw InputError(r.file(), r.child("df"), "applies only to noise \"student_t\"",
                         shown_value(*df));
    }
    return m;
}

void TrendNoiseModel::write(nlohmann::ordered_json& j) const {
    j["mu"] = mu;
    j["sigma"] = sigma;
    j["noise"] = noise == Noise::student_t ? "student_t" : "normal";
    if (df)
        j["df"] = *df;
}

ModelFacts TrendNoiseModel::facts(const ModelContext& c) const {
    ModelFacts f;
    f.one_outcome = sigma == 0.0;
    f.identical_days = true;
    // Student t noise has unit variance but reaches further: its extremes are taken as those of
    // a normal sqrt(df / (df - 2)) times as wide.
    f.daily_log_sd = sigma * std::sqrt(c.dt) * (df ? std::sqrt(*df / (*df - 2.0)) : 1.0);
    f.mean_return.assign(static_cast<std::size_t>(c.days), mu * c.dt);
    return f;
}

void TrendNoiseModel::fill(const ModelContext& c, const StripFill& f, Strip&) const {
    if (noise == Noise::normal) {
        strip_normals(*f.rng, f.days, f.out);
    } else {
        // t = Z / sqrt(chi2_df / df), chi2_df = 2 Gamma(df/2); unit variance after scaling by
        // sqrt((df-2)/df): eps = Z sqrt((df-2) / (2 G)). Per lane, day by day: the normal, then
        // the gamma.
        const double nu = *df;
        for (int i = 0; i < kStripPaths; ++i) {
            PathRng lane = f.rng->lane(i);
            for (int d = 0; d < f.days; ++d) {
                const double z = standard_normal(lane);
                const double g = standard_gamma(lane, 0.5 * nu);
                f.out[d * kStripPaths + i] = z * std::sqrt((nu - 2.0) / (2.0 * g));
            }
            f.rng->set_lane(i, lane);
        }
    }
    shocks_to_returns(c, f);
}

void TrendNoiseModel::shocks_to_returns(const ModelContext& c, const StripFill& f) const {
    using namespace simd;
    const double a = mu * c.dt, b = sigma * std::sqrt(c.dt);
    const VD lo = models::floor_lo(), hi = models::cap_hi();
    models::transform_strip(f, [&](VD e) { return vmin(vmax(a + b * e, lo), hi); });
}

} // namespace letf
