#pragma once
/// \file models/historical.hpp
/// One fixed path: the days of a CSV file in order.

#include "letf/market/market_data.hpp"
#include "letf/models/model.hpp"

namespace letf {

/// `model.type = "historical"`: replays the days of a CSV file (market_data.hpp, loaded once by
/// parse_scenario into ScenarioConfig::market_data) as one fixed path: R_t = returns[t - 1], and
/// with a rate series the rate in force at the previous close of that day. `paths` must be 1 (its
/// default), and `days` defaults to, and must not exceed, the days in the data (after
/// start/end). Draws nothing.
struct HistoricalModel : PriceFileSpec {
    static constexpr std::string_view kName = "historical";
    static inline const std::initializer_list<std::string_view> kKeys = {
        "type", "csv", "column", "start", "end", "max_gap_days"};

    struct Strip {};
    static HistoricalModel parse(const ObjectReader& r);
    void write(nlohmann::ordered_json& j) const;
    ModelFacts facts(const ModelContext& c) const;
    void fill(const ModelContext& c, const StripFill& f, Strip& s) const;
};

} // namespace letf
