#include "letf/strategies/registry.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/io/object_reader.hpp"

namespace letf {

using nlohmann::json;

namespace {

template <class V> struct Table;

/// Per alternative, in variant order: its name, whether a bare name is accepted (a strategy
/// without parameters to write), and its parse.
template <class... S> struct Table<std::variant<S...>> {
    using Parse = Strategy (*)(const json&, const StrategyContext&);
    static constexpr std::array<std::string_view, sizeof...(S)> kNames{S::kName...};
    static constexpr std::array<Parse, sizeof...(S)> kParse{
        [](const json& v, const StrategyContext& ctx) -> Strategy { return S::parse(v, ctx); }...};
    static std::optional<std::size_t> find(std::string_view name) {
        for (std::size_t i = 0; i < kNames.size(); ++i)
            if (kNames[i] == name)
                return i;
        return std::nullopt;
    }
    static Strategy make_default(std::size_t i) {
        static const std::array<Strategy, sizeof...(S)> kDefaults{Strategy(S{})...};
        return kDefaults[i];
    }
};

using Strategies = Table<Strategy>;

} // namespace

std::string strategy_names() {
    std::string out;
    for (std::string_view n : Strategies::kNames)
        out.append(out.empty() ? "" : ", ").append(n);
    return out;
}

std::string_view strategy_name(const Strategy& strategy) {
    return std::visit([](const auto& s) { return s.kName; }, strategy);
}

std::string label(const Strategy& strategy) {
    return std::visit([](const auto& s) { return s.label(); }, strategy);
}

bool is_investor(const Strategy& strategy) {
    return std::visit([](const auto& s) { return s.kInvestor; }, strategy);
}

std::span<const std::string_view> tally_fields(const Strategy& strategy) {
    return std::visit(
        [](const auto& s) {
            using T = typename std::decay_t<decltype(s)>::Tallies;
            return std::span<const std::string_view>(T::kFields);
        },
        strategy);
}

double strategy_carry(const Strategy& strategy, const Costs& costs, double multiple) {
    return std::visit([&](const auto& s) { return s.carry(costs, multiple); }, strategy);
}

nlohmann::ordered_json strategy_parameters(const Strategy& strategy) {
    nlohmann::ordered_json o = nlohmann::ordered_json::object();
    std::visit([&o](const auto& s) { s.write(o); }, strategy);
    return o;
}

nlohmann::ordered_json to_json(const Strategy& strategy) {
    const nlohmann::ordered_json params = strategy_parameters(strategy);
    if (params.empty())
        return strategy_name(strategy);
    nlohmann::ordered_json o;
    o["type"] = strategy_name(strategy);
    for (const auto& item : params.items())
        o[item.key()] = item.value();
    return o;
}

Strategy parse_strategy(const json& v, const StrategyContext& ctx) {
    const std::string& file = ctx.file;
    if (v.is_string()) {
        const auto i = Strategies::find(v.get<std::string>());
        if (!i)
            bad_choice(file, ctx.at, v, "strategy", strategy_names());
        Strategy s = Strategies::make_default(*i);
        if (!strategy_parameters(s).empty())
            throw InputError(file, ctx.at,
                             "needs parameters: write it as an object, e.g. {\"type\": \"" +
                                 v.get<std::string>() + "\", \"every_days\": 21}",
                             shown_value(v));
        return s;
    }
    if (!v.is_object())
        throw InputError(file, ctx.at, "must be a strategy name or an object with \"type\"",
                         shown_value(v));
    auto type_it = v.find("type");
    if (type_it == v.end())
        throw InputError(file, ctx.at + "/type", "missing required key");
    if (!type_it->is_string())
        throw InputError(file, ctx.at + "/type", "must be a string", shown_value(*type_it));
    const auto i = Strategies::find(type_it->get<std::string>());
    if (!i)
        bad_choice(file, ctx.at + "/type", *type_it, "strategy", strategy_names());
    return Strategies::kParse[*i](v, ctx);
}

std::vector<Strategy> parse_strategies(const json& list, const std::string& file,
                                       const std::string& at,
                                       const std::vector<double>& multiples,
                                       const std::vector<std::string>* assets,
                                       std::vector<int>* strategy_assets) {
    if (!list.is_array() || list.empty())
        throw InputError(file, at, "must be a non-empty array of strategies", shown_value(list));
    std::vector<Strategy> out;
    std::vector<int> held;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string ai = at + "/" + std::to_string(i);
        // "asset" names the underlying an entry holds (every kind but a portfolio, whose
        // holdings name theirs); the entry itself is parsed without it.
        int asset = 0;
        json entry = list[i];
        if (entry.is_object() && entry.contains("asset")) {
            const json& a = entry["asset"];
            const std::vector<std::string> one{"index"};
            const std::vector<std::string>& names = assets ? *assets : one;
            const auto it = a.is_string() ? std::find(names.begin(), names.end(), a.get<std::string>())
                                          : names.end();
            if (it == names.end()) {
                std::string expected;
                for (const std::string& n : names)
                    expected += (expected.empty() ? "" : ", ") + n;
                throw InputError(file, ai + "/asset", "unknown asset; expected one of " + expected,
                                 shown_value(a));
            }
            if (entry.value("type", json()) == "portfolio")
                throw InputError(file, ai + "/asset",
                                 "does not apply to a portfolio (its holdings name their assets)",
                                 shown_value(a));
            asset = static_cast<int>(it - names.begin());
            entry.erase("asset");
        }
        const Strategy s = parse_strategy(entry, StrategyContext{file, ai, multiples, assets});
        for (std::size_t k = 0; k < out.size(); ++k)
            if (out[k] == s && held[k] == asset)
                throw InputError(file, ai, "duplicate strategy", shown_value(list[i]));
        out.push_back(s);
        held.push_back(asset);
    }
    if (strategy_assets)
        *strategy_assets = std::move(held);
    return out;
}

} // namespace letf
