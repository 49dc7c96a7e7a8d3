#include "letf/models/registry.hpp"

#include <filesystem>
#include <optional>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/config/market_config.hpp"
#include "letf/config/scenario.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/io/object_reader.hpp"

namespace letf {
namespace {

/// The alternative whose kName is `type`, parsed; nullopt when none is.
template <std::size_t... I>
std::optional<PathModel> parse_by_name(std::index_sequence<I...>, std::string_view type,
                                       const nlohmann::json& j, const std::string& file,
                                       const std::string& at) {
    std::optional<PathModel> out;
    const auto try_one = [&]<std::size_t K>(std::integral_constant<std::size_t, K>) {
        using M = std::variant_alternative_t<K, PathModel>;
        if (type != M::kName)
            return false;
        const ObjectReader r(j, file, at, M::kKeys);
        out.emplace(std::in_place_index<K>, M::parse(r));
        return true;
    };
    (try_one(std::integral_constant<std::size_t, I>{}) || ...);
    return out;
}

template <std::size_t... I> std::string names(std::index_sequence<I...>) {
    return name_list({std::variant_alternative_t<I, PathModel>::kName...});
}

PathModel parse_model_file(const nlohmann::json& path, const std::string& file,
                           const std::string& at) {
    if (!path.is_string() || path.get_ref<const std::string&>().empty())
        throw InputError(file, at + "/file", "must be a non-empty string (a model file)",
                         shown_value(path));
    const std::filesystem::path p = resolve_data_path(path.get<std::string>(), file);
    const nlohmann::json model = read_json_text(read_input_file(p), p.string());
    if (model.is_object() && model.contains("file"))
        throw InputError(p.string(), "/file", "a model file may not name another model file",
                         shown_value(model.at("file")));
    return parse_model(model, p.string(), "");
}

} // namespace

PathModel parse_model(const nlohmann::json& j, const std::string& file, const std::string& at) {
    if (!j.is_object())
        throw InputError(file, at, "must be an object", shown_value(j));
    // {"file": PATH}: the model object of a JSON file (what `letfsim fit -o` writes), PATH
    // relative to the folder of `file`.
    if (j.size() == 1 && j.contains("file"))
        return parse_model_file(j.at("file"), file, at);
    const auto type_it = j.find("type");
    if (type_it == j.end())
        throw InputError(file, at + "/type", "missing required key");
    if (!type_it->is_string())
        throw InputError(file, at + "/type", "must be a string", shown_value(*type_it));
    constexpr auto kAll = std::make_index_sequence<std::variant_size_v<PathModel>>{};
    if (auto m = parse_by_name(kAll, type_it->get_ref<const std::string&>(), j, file, at))
        return std::move(*m);
    bad_choice(file, at + "/type", *type_it, "model type", model_type_names());
}

std::string_view model_type_name(const PathModel& model) {
    return std::visit([](const auto& m) { return std::decay_t<decltype(m)>::kName; }, model);
}

std::string model_type_names() {
    return names(std::make_index_sequence<std::variant_size_v<PathModel>>{});
}

nlohmann::ordered_json model_to_json(const PathModel& model) {
    nlohmann::ordered_json j;
    j["type"] = model_type_name(model);
    std::visit([&j](const auto& m) { m.write(j); }, model);
    return j;
}

bool reads_price_file(const PathModel& model) {
    return std::visit(
        [](const auto& m) { return std::is_base_of_v<PriceFileSpec, std::decay_t<decltype(m)>>; },
        model);
}

ModelFacts model_facts(const PathModel& model, const ModelContext& context) {
    return std::visit([&context](const auto& m) { return m.facts(context); }, model);
}

ModelFacts model_facts(const ScenarioConfig& config) {
    return model_facts(config.model,
                       {.dt = config.dt(), .days = config.days, .data = config.market_data.get()});
}

} // namespace letf
