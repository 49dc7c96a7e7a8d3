#include "letf/models/choppy.hpp"

#include <nlohmann/json.hpp>

#include "letf/io/object_reader.hpp"
#include "models/kernel.hpp"

namespace letf {

ChoppyModel ChoppyModel::parse(const ObjectReader& r) {
    ChoppyModel m;
    m.amplitude_daily = r.number("amplitude_daily", Range::closed(0, 1));
    m.trend_daily = r.number("trend_daily", Range::open(-1, 1), 0.0);
    m.noise_sigma_daily = r.number("noise_sigma_daily", Range::closed(0, 1), 0.0);
    m.start_up = r.choice("start", {"up", "down"}, "start", "up") == "up";
    return m;
}

void ChoppyModel::write(nlohmann::ordered_json& j) const {
    j["amplitude_daily"] = amplitude_daily;
    j["trend_daily"] = trend_daily;
    j["noise_sigma_daily"] = noise_sigma_daily;
    j["start"] = start_up ? "up" : "down";
}

double ChoppyModel::base_return(int day) const {
    // +1 on days 1, 3, 5, ... when the model starts up, -1 on the others (and the reverse).
    const bool odd_day = (day % 2) == 1;
    const double sign = odd_day == start_up ? 1.0 : -1.0;
    return trend_daily + sign * amplitude_daily;
}

ModelFacts ChoppyModel::facts(const ModelContext& c) const {
    ModelFacts f;
    f.deterministic = noise_sigma_daily == 0.0;
    f.one_outcome = f.deterministic;
    f.daily_log_sd = noise_sigma_daily;
    for (int t = 1; t <= c.days; ++t)
        f.mean_return.push_back(base_return(t));
    return f;
}

void ChoppyModel::fill(const ModelContext&, const StripFill& f, Strip&) const {
    using namespace simd;
    const bool noisy = noise_sigma_daily > 0.0;
    if (noisy)
        strip_normals(*f.rng, f.days, f.out);
    const VD lo = models::floor_lo(), hi = models::cap_hi();
    for (int d = 0; d < f.days; ++d) {
        const double base = base_return(f.first_day + d);
        double* row = f.out + d * kStripPaths;
        for (int i = 0; i < kStripPaths; i += kLanes) {
            const VD e = noisy ? load(row + i) : splat(0.0);
            store(row + i, vmin(vmax(base + noise_sigma_daily * e, lo), hi));
        }
    }
}

} // namespace letf
