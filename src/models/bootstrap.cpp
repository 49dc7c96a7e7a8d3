#include "letf/models/bootstrap.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <functional>

#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/config/market_config.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/io/object_reader.hpp"

namespace letf {
namespace {

/// True when all of `values` are equal (an empty list too).
bool all_alike(const std::vector<double>& values) {
    return std::adjacent_find(values.begin(), values.end(), std::not_equal_to<>()) == values.end();
}

/// Standard deviation of ln(1 + r) over the data's days (0 for fewer than 2).
double log_return_sd(const std::vector<double>& R) {
    if (R.size() < 2)
        return 0.0;
    double sum = 0.0, sum2 = 0.0;
    for (double r : R) {
        const double x = std::log1p(std::max(r, -1.0 + 1e-12));
        sum += x;
        sum2 += x * x;
    }
    const double n = static_cast<double>(R.size()), mean = sum / n;
    return std::sqrt(std::max(0.0, sum2 / n - mean * mean));
}

} // namespace

BootstrapModel BootstrapModel::parse(const ObjectReader& r) {
    BootstrapModel m;
    static_cast<PriceFileSpec&>(m) = read_price_file(r);
    if (const nlohmann::json* v = r.find("mean_block_length")) {
        if (!v->is_number() || !(v->get<double>() >= 1.0 && v->get<double>() <= 1e6))
            throw InputError(r.file(), r.child("mean_block_length"),
                             "must be a number in [1.0, 1000000.0]", shown_value(*v));
        m.mean_block_length = v->get<double>();
    }
    return m;
}

void BootstrapModel::write(nlohmann::ordered_json& j) const {
    write_price_file(j, *this);
    j["mean_block_length"] = mean_block_length;
}

ModelFacts BootstrapModel::facts(const ModelContext& c) const {
    ModelFacts f;
    f.days_independent = mean_block_length <= 1.0;
    f.identical_days = true;
    double mean = 0.0; // every bootstrap day is uniform on the data
    if (c.data) {
        f.one_outcome = all_alike(c.data->returns) && all_alike(c.data->rates);
        f.has_rates = !c.data->rates.empty();
        f.daily_log_sd = log_return_sd(c.data->returns);
        if (c.data->size() > 0) {
            double sum = 0.0;
            for (double r : c.data->returns)
                sum += r;
            mean = sum / static_cast<double>(c.data->size());
        }
    }
    f.mean_return.assign(static_cast<std::size_t>(c.days), mean);
    return f;
}

void BootstrapModel::fill(const ModelContext& c, const StripFill& f, Strip& s) const {
    // Per lane, strictly in day order, from the lane's own generator.
    const auto n_data = static_cast<std::uint32_t>(c.data->size());
    for (int i = 0; i < kStripPaths; ++i) {
        PathRng lane = f.rng->lane(i);
        std::uint32_t idx = s.index[i];
        for (int d = 0; d < f.days; ++d) {
            idx = bootstrap_next(lane, n_data, mean_block_length, idx, f.first_day + d == 1);
            f.out[d * kStripPaths + i] = c.data->returns[idx];
            if (f.day_index)
                f.day_index[d * kStripPaths + i] = idx;
            if (f.rates)
                f.rates[d * kStripPaths + i] = c.data->rates[idx];
        }
        s.index[i] = idx;
        f.rng->set_lane(i, lane);
    }
}

std::uint32_t uniform_index(PathRng& rng, std::uint32_t n) noexcept {
    assert(n >= 1);
    const std::uint32_t threshold = (0u - n) % n; // 2^32 mod n
    while (true) {
        const std::uint32_t w = rng();
        if (w >= threshold)
            return w % n;
    }
}

std::uint32_t bootstrap_next(PathRng& rng, std::uint32_t n_data, double mean_block_length,
                             std::uint32_t previous, bool first) noexcept {
    if (first || mean_block_length <= 1.0)
        return uniform_index(rng, n_data);
    if (uniform_open01(rng) < 1.0 / mean_block_length)
        return uniform_index(rng, n_data);
    return previous + 1 == n_data ? 0u : previous + 1;
}

} // namespace letf
