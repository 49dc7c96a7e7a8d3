#include "letf/config/costs.hpp"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/config/market_config.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/io/object_reader.hpp"

namespace letf {

const char* day_count_name(DayCount d) {
    switch (d) {
    case DayCount::act_365:
        return "ACT/365";
    case DayCount::act_360:
        return "ACT/360";
    case DayCount::trading_days:
        return "trading_days";
    }
    return "ACT/365";
}

double rate_accrual_scale(DayCount d, int calendar_days) {
    switch (d) {
    case DayCount::act_365:
        return 1.0;
    case DayCount::act_360:
        return 365.0 / 360.0;
    case DayCount::trading_days:
        return 365.0 / (252.0 * static_cast<double>(calendar_days));
    }
    return 1.0;
}

double fund_carry(const Costs& c, double L) {
    // (1 + b) r and (1 - m) r are exactly r at b = m = 0: the defaults keep every bit.
    if (L > 1.0)
        return c.expense_ratio +
               (L - 1.0) * ((1.0 + c.financing_markup) * c.financing_rate + c.financing_spread);
    double carry =
        c.expense_ratio - (1.0 - L) * ((1.0 - c.cash_credit_markdown) * c.financing_rate);
    if (L < 0.0)
        carry += -L * c.short_fee;
    return carry;
}

double rate_slope(const Costs& c, double L) {
    return L > 1.0 ? (L - 1.0) * (1.0 + c.financing_markup)
                   : (L - 1.0) * (1.0 - c.cash_credit_markdown);
}

double unrebalanced_rate(const Costs& c, double L) {
    if (L > 1.0)
        return (1.0 + c.financing_markup) * c.financing_rate + c.financing_spread;
    const double cash = (1.0 - c.cash_credit_markdown) * c.financing_rate;
    if (L < 0.0)
        return cash - c.short_fee * (-L) / (1.0 - L);
    return cash;
}

double unrebalanced_rate_slope(const Costs& c, double L) {
    return L > 1.0 ? 1.0 + c.financing_markup : 1.0 - c.cash_credit_markdown;
}

bool uses_dated_cost_terms(const Costs& c) {
    return c.rebalance_cost != 0.0 || !c.expense_schedule.empty() ||
           (c.day_count && *c.day_count != DayCount::trading_days);
}

bool uses_rate_markups(const Costs& c) {
    return c.financing_markup != 0.0 || c.cash_credit_markdown != 0.0;
}

namespace {

std::optional<DayCount> parse_day_count(const ObjectReader& r) {
    if (!r.find("day_count"))
        return std::nullopt;
    const std::string s =
        r.choice("day_count", {"ACT/365", "ACT/360", "trading_days"}, "day count", std::nullopt);
    if (s == "ACT/360")
        return DayCount::act_360;
    if (s == "trading_days")
        return DayCount::trading_days;
    return DayCount::act_365;
}

std::vector<ExpenseStep> parse_schedule(const nlohmann::json& j, const std::string& file,
                                        const std::string& at) {
    if (!j.is_array())
        throw InputError(file, at, "must be an array of {\"from\": DATE, \"expense_ratio\": X}",
                         shown_value(j));
    std::vector<ExpenseStep> out;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string here = at + "/" + std::to_string(i);
        if (!j[i].is_object())
            throw InputError(file, here, "must be an object", shown_value(j[i]));
        const ObjectReader r(j[i], file, here, {"from", "expense_ratio"});
        const std::string from = r.string("from", std::nullopt);
        const std::optional<Date> d = parse_date(from);
        if (!d)
            throw InputError(file, r.child("from"), "must be a date YYYY-MM-DD", from);
        if (!out.empty() && !(*d > out.back().from))
            throw InputError(file, r.child("from"), "dates must be strictly increasing", from);
        out.push_back({*d, r.number("expense_ratio", Range::closed(0, 1), std::nullopt)});
    }
    return out;
}

Costs parse_costs_file(const nlohmann::json& path, const std::string& file, const std::string& at,
                       bool dated_model) {
    if (!path.is_string() || path.get_ref<const std::string&>().empty())
        throw InputError(file, at + "/file", "must be a non-empty string (a cost-model file)",
                         shown_value(path));
    const std::filesystem::path p = resolve_data_path(path.get<std::string>(), file);
    const nlohmann::json costs = read_json_text(read_input_file(p), p.string());
    if (costs.is_object() && costs.contains("file"))
        throw InputError(p.string(), "/file", "a cost-model file may not name another file",
                         shown_value(costs.at("file")));
    return parse_costs(costs, p.string(), "", dated_model);
}

} // namespace

Costs parse_costs(const nlohmann::json& j, const std::string& file, const std::string& at,
                  bool dated_model) {
    if (j.is_object() && j.size() == 1 && j.contains("file"))
        return parse_costs_file(j.at("file"), file, at, dated_model);
    const ObjectReader cr(j, file, at,
                          {"expense_ratio", "financing_rate", "financing_spread", "short_fee",
                           "financing_markup", "cash_credit_markdown", "rebalance_cost",
                           "day_count", "expense_schedule"});
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
    c.financing_spread = cr.number("financing_spread", Range::closed(-1, 1), 0.0);
    c.short_fee = cr.number("short_fee", Range::closed(-1, 1), 0.0);
    c.financing_markup = cr.number("financing_markup", Range::closed(-1, 10), 0.0);
    c.cash_credit_markdown = cr.number("cash_credit_markdown", Range::closed(-1, 1), 0.0);
    c.rebalance_cost = cr.number("rebalance_cost", Range::closed(0, 1), 0.0);
    c.day_count = parse_day_count(cr);
    if (const nlohmann::json* s = cr.find("expense_schedule"))
        c.expense_schedule = parse_schedule(*s, file, cr.child("expense_schedule"));
    return c;
}

Costs load_cost_model(const std::string& path) {
    return parse_costs(read_json_text(read_input_file(path), path), path, "", true);
}

nlohmann::ordered_json to_json(const Costs& c) {
    nlohmann::ordered_json j = {{"expense_ratio", c.expense_ratio},
                                {"financing_rate", c.financing_rate_series
                                                       ? to_json(*c.financing_rate_series)
                                                       : nlohmann::ordered_json(c.financing_rate)},
                                {"financing_spread", c.financing_spread},
                                {"short_fee", c.short_fee}};
    // The newer keys only away from their defaults: reports of older configs keep their bytes.
    if (c.financing_markup != 0.0)
        j["financing_markup"] = c.financing_markup;
    if (c.cash_credit_markdown != 0.0)
        j["cash_credit_markdown"] = c.cash_credit_markdown;
    if (c.rebalance_cost != 0.0)
        j["rebalance_cost"] = c.rebalance_cost;
    if (c.day_count)
        j["day_count"] = day_count_name(*c.day_count);
    if (!c.expense_schedule.empty()) {
        nlohmann::ordered_json s = nlohmann::ordered_json::array();
        for (const ExpenseStep& e : c.expense_schedule)
            s.push_back({{"from", format_date(e.from)}, {"expense_ratio", e.expense_ratio}});
        j["expense_schedule"] = s;
    }
    return j;
}

} // namespace letf
