#include "letf/config/costs.hpp"

#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/config/market_config.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/io/object_reader.hpp"

namespace letf {

double fund_carry(const Costs& c, double L) {
    if (L > 1.0)
        return c.expense_ratio + (L - 1.0) * (c.financing_rate + c.financing_spread);
    double carry = c.expense_ratio - (1.0 - L) * c.financing_rate;
    if (L < 0.0)
        carry += -L * c.short_fee;
    return carry;
}

double unrebalanced_rate(const Costs& c, double L) {
    if (L > 1.0)
        return c.financing_rate + c.financing_spread;
    if (L < 0.0)
        return c.financing_rate - c.short_fee * (-L) / (1.0 - L);
    return c.financing_rate;
}

Costs parse_costs(const nlohmann::json& j, const std::string& file, const std::string& at,
                  bool dated_model) {
    const ObjectReader cr(j, file, at,
                          {"expense_ratio", "financing_rate", "financing_spread", "short_fee"});
    Costs c;
    c.expense_ratio = cr.number("expense_ratio", Range::closed(0, 1), 0.0);
    if (const nlohmann::json* rate = cr.find("financing_rate"); rate && rate->is_object()) {
        if (!dated_model)
            throw InputError(file, cr.child("financing_rate"),
                             "a rate series needs a historical or bootstrap model (its days "
                             "have dates); use a number",
                             shown_value(*rate));
        RateSeriesSpec spec = parse_rate_series_spec(*rate, file, cr.child("financing_rate"));
        spec.csv = resolve_data_path(spec.csv, file).lexically_normal().string();
        c.financing_rate_series = spec;
    } else {
        c.financing_rate = cr.number(
            "financing_rate", Range::closed(kMinRatePercent / 100, kMaxRatePercent / 100), 0.0);
    }
    c.financing_spread = cr.number("financing_spread", Range::closed(0, 1), 0.0);
    c.short_fee = cr.number("short_fee", Range::closed(0, 1), 0.0);
    return c;
}

nlohmann::ordered_json to_json(const Costs& c) {
    return {{"expense_ratio", c.expense_ratio},
            {"financing_rate", c.financing_rate_series ? to_json(*c.financing_rate_series)
                                                       : nlohmann::ordered_json(c.financing_rate)},
            {"financing_spread", c.financing_spread},
            {"short_fee", c.short_fee}};
}

} // namespace letf
