#include "letf/config/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/io/object_reader.hpp"
#include "letf/config/market_config.hpp"

namespace letf {

using nlohmann::json;

std::string_view to_string(StrategyKind kind) {
    switch (kind) {
    case StrategyKind::daily_reset:
        return "daily_reset";
    case StrategyKind::unrebalanced:
        return "unrebalanced";
    case StrategyKind::calendar_rebalance:
        return "calendar_rebalance";
    case StrategyKind::band_rebalance:
        return "band_rebalance";
    case StrategyKind::target_leverage:
        return "target_leverage";
    }
    return "?";
}

bool is_investor(StrategyKind kind) {
    return kind == StrategyKind::calendar_rebalance || kind == StrategyKind::band_rebalance ||
           kind == StrategyKind::target_leverage;
}

std::string strategy_label(const StrategySpec& s) {
    std::string out(to_string(s.kind));
    if (s.kind == StrategyKind::band_rebalance && s.band)
        out.append("/").append(json(*s.band).dump());
    else if (s.every_days && is_investor(s.kind))
        out.append("/").append(std::to_string(*s.every_days));
    else if (s.band && is_investor(s.kind))
        out.append("/").append(json(*s.band).dump());
    return out;
}

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

namespace {

std::string show(const json& v) {
    return shown_value(v);
}

constexpr std::string_view kStrategyNames =
    "daily_reset, unrebalanced, calendar_rebalance, band_rebalance, target_leverage";

std::optional<StrategyKind> strategy_kind(const std::string& name) {
    for (StrategyKind k :
         {StrategyKind::daily_reset, StrategyKind::unrebalanced, StrategyKind::calendar_rebalance,
          StrategyKind::band_rebalance, StrategyKind::target_leverage})
        if (to_string(k) == name)
            return k;
    return std::nullopt;
}

/// One entry of `strategies`: a name, or an object {"type": name, parameters...}.
StrategySpec parse_strategy(const json& v, const std::string& file, const std::string& at,
                            const std::vector<double>& multiples) {
    if (v.is_string()) {
        const auto kind = strategy_kind(v.get<std::string>());
        if (!kind)
            bad_choice(file, at, v, "strategy", kStrategyNames);
        if (is_investor(*kind))
            throw InputError(file, at,
                             "needs parameters: write it as an object, e.g. {\"type\": \"" +
                                 v.get<std::string>() + "\", \"every_days\": 21}",
                             show(v));
        return *kind;
    }
    if (!v.is_object())
        throw InputError(file, at, "must be a strategy name or an object with \"type\"", show(v));
    auto type_it = v.find("type");
    if (type_it == v.end())
        throw InputError(file, at + "/type", "missing required key");
    if (!type_it->is_string())
        throw InputError(file, at + "/type", "must be a string", show(*type_it));
    const auto kind = strategy_kind(type_it->get<std::string>());
    if (!kind)
        bad_choice(file, at + "/type", *type_it, "strategy", kStrategyNames);
    StrategySpec s(*kind);
    constexpr double kMaxBps = 10000;
    constexpr std::int64_t kMaxEvery = 1'000'000;
    switch (*kind) {
    case StrategyKind::daily_reset:
    case StrategyKind::unrebalanced: {
        ObjectReader r(v, file, at, {"type"});
        return s;
    }
    case StrategyKind::calendar_rebalance: {
        ObjectReader r(v, file, at, {"type", "every_days", "transaction_cost_bps"});
        r.require("every_days");
        s.every_days = static_cast<int>(r.integer("every_days", 1, kMaxEvery, 1));
        s.transaction_cost_bps = r.number("transaction_cost_bps", Range::closed(0, kMaxBps), 0.0);
        return s;
    }
    case StrategyKind::band_rebalance: {
        ObjectReader r(v, file, at, {"type", "band", "every_days", "transaction_cost_bps"});
        s.band = r.number("band", Range::open_closed(0, 1e6));
        s.every_days = static_cast<int>(r.integer("every_days", 1, kMaxEvery, 1));
        s.transaction_cost_bps = r.number("transaction_cost_bps", Range::closed(0, kMaxBps), 0.0);
        return s;
    }
    case StrategyKind::target_leverage: {
        ObjectReader r(
            v, file, at,
            {"type", "every_days", "band", "maintenance_margin", "transaction_cost_bps"});
        if (r.find("every_days"))
            s.every_days = static_cast<int>(r.integer("every_days", 1, kMaxEvery, 1));
        if (r.find("band"))
            s.band = r.number("band", Range::open_closed(0, 100));
        if (!s.every_days && !s.band)
            throw InputError(file, at, "needs \"every_days\", \"band\" or both", show(v));
        if (r.find("maintenance_margin")) {
            const double mm = r.number("maintenance_margin", Range::open(0, 1));
            // The target itself must satisfy the margin: equity / |assets| = 1 / |L| > mm.
            for (double L : multiples)
                if (!(mm < 1.0 / std::fabs(L)))
                    throw InputError(file, r.child("maintenance_margin"),
                                     "must be below 1 / |L| = " + json(1.0 / std::fabs(L)).dump() +
                                         " for the multiple " + json(L).dump() +
                                         " (the target leverage would violate it)",
                                     show(*r.find("maintenance_margin")));
            s.maintenance_margin = mm;
        }
        s.transaction_cost_bps = r.number("transaction_cost_bps", Range::closed(0, kMaxBps), 0.0);
        return s;
    }
    }
    return s;
}

std::vector<double> number_list(const json& j, const std::string& file, const std::string& at,
                                double lo, double hi, bool allow_empty, std::size_t max_size) {
    if (!j.is_array())
        throw InputError(file, at, "must be an array of numbers", show(j));
    if (j.empty() && !allow_empty)
        throw InputError(file, at, "must not be empty", show(j));
    if (j.size() > max_size)
        throw InputError(file, at, "has more than " + std::to_string(max_size) + " entries");
    std::vector<double> out;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string ai = at + "/" + std::to_string(i);
        if (!j[i].is_number())
            throw InputError(file, ai, "must be a number", show(j[i]));
        double x = j[i].get<double>();
        if (!(x >= lo && x <= hi)) {
            throw InputError(file, ai,
                             "must be in [" + json(lo).dump() + ", " + json(hi).dump() + "]",
                             show(j[i]));
        }
        if (std::find(out.begin(), out.end(), x) != out.end())
            throw InputError(file, ai, "duplicate value", show(j[i]));
        out.push_back(x);
    }
    return out;
}

void check_name(const std::string& name, const std::string& file, const std::string& at) {
    bool ok = !name.empty() && name.size() <= 100 && name.front() != '.';
    for (char ch : name) {
        bool allowed = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                       (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
        ok = ok && allowed;
    }
    if (!ok) {
        throw InputError(file, at,
                         "must be 1-100 characters from A-Z a-z 0-9 . _ - (it names the report "
                         "file), not starting with '.'",
                         json(name).dump());
    }
}

} // namespace

ScenarioConfig parse_scenario(const json& doc, const std::string& file) {
    ObjectReader r(doc, file, "",
                   {"name", "seed", "paths", "days", "trading_days_per_year", "model", "multiples",
                    "strategies", "costs", "quantiles", "description", "bands", "histogram"});
    ScenarioConfig c;
    c.name = r.string("name", std::nullopt);
    check_name(c.name, file, "/name");
    if (const json* seed = r.find("seed")) {
        if (!seed->is_number_unsigned() &&
            !(seed->is_number_integer() && seed->get<std::int64_t>() >= 0))
            throw InputError(file, "/seed", "must be an integer in [0, 2^64-1]", show(*seed));
        c.seed = seed->get<std::uint64_t>();
    }
    c.paths = r.integer("paths", 1, 1'000'000'000'000, ScenarioConfig::kDefaultPaths);
    c.days = static_cast<int>(r.integer("days", 1, 1'000'000, 252));
    c.trading_days_per_year = r.number("trading_days_per_year", Range::closed(1, 100000), 252.0);
    c.model = parse_model(r.require("model"), file);
    c.multiples = number_list(r.require("multiples"), file, "/multiples", -100, 100, false, 64);

    if (const json* s = r.find("strategies")) {
        if (!s->is_array() || s->empty())
            throw InputError(file, "/strategies", "must be a non-empty array of strategies",
                             show(*s));
        c.strategies.clear();
        for (std::size_t i = 0; i < s->size(); ++i) {
            const std::string at = "/strategies/" + std::to_string(i);
            const StrategySpec spec = parse_strategy((*s)[i], file, at, c.multiples);
            if (std::find(c.strategies.begin(), c.strategies.end(), spec) != c.strategies.end())
                throw InputError(file, at, "duplicate strategy", show((*s)[i]));
            c.strategies.push_back(spec);
        }
    }

    if (const json* costs = r.find("costs")) {
        ObjectReader cr(*costs, file, "/costs",
                        {"expense_ratio", "financing_rate", "financing_spread", "short_fee"});
        c.costs.expense_ratio = cr.number("expense_ratio", Range::closed(0, 1), 0.0);
        if (const json* rate = cr.find("financing_rate"); rate && rate->is_object()) {
            if (!std::holds_alternative<HistoricalModel>(c.model) &&
                !std::holds_alternative<BootstrapModel>(c.model))
                throw InputError(file, cr.child("financing_rate"),
                                 "a rate series needs a historical or bootstrap model (its days "
                                 "have dates); use a number",
                                 show(*rate));
            RateSeriesSpec spec = parse_rate_series_spec(*rate, file, cr.child("financing_rate"));
            spec.csv = resolve_data_path(spec.csv, file).lexically_normal().string();
            c.costs.financing_rate_series = spec;
        } else {
            c.costs.financing_rate = cr.number(
                "financing_rate", Range::closed(kMinRatePercent / 100, kMaxRatePercent / 100), 0.0);
        }
        c.costs.financing_spread = cr.number("financing_spread", Range::closed(0, 1), 0.0);
        c.costs.short_fee = cr.number("short_fee", Range::closed(0, 1), 0.0);
    }

    if (const json* q = r.find("quantiles")) {
        c.quantiles = number_list(*q, file, "/quantiles", 0, 1, true, 1000);
        std::sort(c.quantiles.begin(), c.quantiles.end());
    }

    load_market_data(c);
    if (c.market_data && std::holds_alternative<HistoricalModel>(c.model)) {
        // One fixed path, as long as the data (or shorter).
        const auto n = static_cast<std::int64_t>(c.market_data->size());
        if (!r.find("paths"))
            c.paths = 1;
        else if (c.paths != 1)
            throw InputError(file, "/paths",
                             "must be 1 for a historical model (it replays one fixed path)",
                             show(*r.find("paths")));
        if (!r.find("days"))
            c.days = static_cast<int>(std::min<std::int64_t>(n, 1'000'000));
        else if (c.days > n)
            throw InputError(file, "/days",
                             "must not exceed the " + std::to_string(n) +
                                 " days of the historical data between start and end",
                             show(*r.find("days")));
    }
    // After the days are final (a historical model sets them from its data).
    c.description = r.string("description", std::string());
    if (c.description.size() > 10000)
        throw InputError(file, "/description", "must be at most 10,000 characters",
                         std::to_string(c.description.size()) + " characters");
    if (const json* b = r.find("bands")) {
        ObjectReader br(*b, file, "/bands", {"every_days", "quantiles"});
        BandsSpec spec;
        spec.every_days = static_cast<int>(
            br.integer("every_days", 1, c.days, std::min<std::int64_t>(spec.every_days, c.days)));
        if (const json* q = br.find("quantiles")) {
            spec.quantiles = number_list(*q, file, "/bands/quantiles", 0, 1, true, 100);
            std::sort(spec.quantiles.begin(), spec.quantiles.end());
        }
        c.bands = spec;
    }
    if (const json* h = r.find("histogram")) {
        ObjectReader hr(*h, file, "/histogram", {"bins", "min", "max"});
        HistogramSpec spec;
        spec.bins = static_cast<int>(hr.integer("bins", 1, 10000, spec.bins));
        spec.min = hr.number("min", Range::open_closed(0, 1e300), spec.min);
        spec.max = hr.number("max", Range::open_closed(0, 1e300), spec.max);
        if (!(spec.max > spec.min)) {
            const json* given = hr.find("max");
            throw InputError(file, "/histogram/max", "must be greater than /histogram/min",
                             given ? show(*given) : json(spec.max).dump());
        }
        c.histogram = spec;
    }
    return c;
}

void load_market_data(ScenarioConfig& c) {
    // The models that read a price file (PriceFileSpec) load it; the others hold no data.
    c.market_data = std::visit(
        [&c](const auto& m) -> std::shared_ptr<const MarketData> {
            if constexpr (std::is_base_of_v<PriceFileSpec, std::decay_t<decltype(m)>>) {
                const auto& rates = c.costs.financing_rate_series;
                return std::make_shared<const MarketData>(
                    read_market_data(m, rates ? &*rates : nullptr));
            } else {
                return nullptr;
            }
        },
        c.model);
}

ScenarioConfig parse_scenario_text(std::string_view text, const std::string& file) {
    return parse_scenario(read_json_text(text, file), file);
}

ScenarioConfig load_scenario(const std::filesystem::path& path) {
    return parse_scenario_text(read_input_file(path), path.string());
}

nlohmann::ordered_json to_json(const ScenarioConfig& c) {
    nlohmann::ordered_json j;
    j["name"] = c.name;
    j["seed"] = c.seed;
    j["paths"] = c.paths;
    j["days"] = c.days;
    j["trading_days_per_year"] = c.trading_days_per_year;
    j["model"] = model_to_json(c.model);
    j["multiples"] = c.multiples;
    j["strategies"] = nlohmann::ordered_json::array();
    for (const StrategySpec& s : c.strategies) {
        if (!is_investor(s.kind)) {
            j["strategies"].push_back(to_string(s.kind));
            continue;
        }
        nlohmann::ordered_json o;
        o["type"] = to_string(s.kind);
        if (s.every_days)
            o["every_days"] = *s.every_days;
        if (s.band)
            o["band"] = *s.band;
        if (s.maintenance_margin)
            o["maintenance_margin"] = *s.maintenance_margin;
        o["transaction_cost_bps"] = s.transaction_cost_bps;
        j["strategies"].push_back(o);
    }
    j["costs"] = {{"expense_ratio", c.costs.expense_ratio},
                  {"financing_rate", c.costs.financing_rate_series
                                         ? letf::to_json(*c.costs.financing_rate_series)
                                         : nlohmann::ordered_json(c.costs.financing_rate)},
                  {"financing_spread", c.costs.financing_spread},
                  {"short_fee", c.costs.short_fee}};
    j["quantiles"] = c.quantiles;
    if (!c.description.empty())
        j["description"] = c.description;
    if (c.bands)
        j["bands"] = {{"every_days", c.bands->every_days}, {"quantiles", c.bands->quantiles}};
    if (c.histogram)
        j["histogram"] = {
            {"bins", c.histogram->bins}, {"min", c.histogram->min}, {"max", c.histogram->max}};
    return j;
}

void apply_overrides(ScenarioConfig& c, const Overrides& o) {
    if (o.seed)
        c.seed = *o.seed;
    if (o.paths) {
        if (*o.paths < 1 || *o.paths > 1'000'000'000'000)
            throw InputError("command line", "--paths", "must be an integer in [1, 1000000000000]",
                             std::to_string(*o.paths));
        if (*o.paths != 1 && std::holds_alternative<HistoricalModel>(c.model))
            throw InputError("command line", "--paths",
                             "must be 1 for a historical model (it replays one fixed path)",
                             std::to_string(*o.paths));
        c.paths = *o.paths;
    }
}

} // namespace letf
