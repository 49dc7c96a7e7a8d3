#include "letf/models/historical.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "letf/config/market_config.hpp"

namespace letf {

HistoricalModel HistoricalModel::parse(const ObjectReader& r) {
    HistoricalModel m;
    static_cast<PriceFileSpec&>(m) = read_price_file(r);
    return m;
}

void HistoricalModel::write(nlohmann::ordered_json& j) const {
    write_price_file(j, *this);
}

ModelFacts HistoricalModel::facts(const ModelContext& c) const {
    ModelFacts f;
    f.deterministic = true;
    f.one_outcome = true;
    if (c.data) {
        f.has_rates = !c.data->rates.empty();
        const auto days = std::min(static_cast<std::size_t>(c.days), c.data->size());
        f.mean_return.assign(c.data->returns.begin(),
                             c.data->returns.begin() + static_cast<std::ptrdiff_t>(days));
    }
    return f;
}

void HistoricalModel::fill(const ModelContext& c, const StripFill& f, Strip&) const {
    for (int d = 0; d < f.days; ++d) {
        const auto t = static_cast<std::size_t>(f.first_day - 1 + d);
        std::fill_n(f.out + d * kStripPaths, kStripPaths, c.data->returns[t]);
        if (f.day_index)
            std::fill_n(f.day_index + d * kStripPaths, kStripPaths, static_cast<std::uint32_t>(t));
        if (f.rates)
            std::fill_n(f.rates + d * kStripPaths, kStripPaths, c.data->rates[t]);
    }
}

} // namespace letf
