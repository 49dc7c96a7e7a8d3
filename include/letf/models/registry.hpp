#pragma once
/// \file models/registry.hpp
/// The closed list of path models. Adding a model is one new file models/<name>.hpp (+ .cpp) with
/// the members model.hpp lists, and one entry in PathModel below: parsing, naming, writing, the
/// facts and the strip fill fold over the variant, so a member the new type lacks is a compile
/// error, never a silent fallback.

#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json_fwd.hpp>

#include "letf/models/bootstrap.hpp"
#include "letf/models/choppy.hpp"
#include "letf/models/garch.hpp"
#include "letf/models/gbm.hpp"
#include "letf/models/heston.hpp"
#include "letf/models/historical.hpp"
#include "letf/models/merton.hpp"
#include "letf/models/model.hpp"
#include "letf/models/pattern.hpp"
#include "letf/models/regime.hpp"
#include "letf/models/trend_noise.hpp"

namespace letf {

/// A scenario's model (`model.type` is the alternative's kName).
using PathModel = std::variant<GbmModel, TrendNoiseModel, ChoppyModel, PatternModel,
                               HistoricalModel, BootstrapModel, HestonModel, RegimeModel,
                               GarchModel, MertonModel>;

/// The per-strip state of each model, in the order of PathModel (StripSource::State).
template <class Variant> struct StripStateOf;
template <class... Models> struct StripStateOf<std::variant<Models...>> {
    using type = std::variant<typename Models::Strip...>;
};
using StripState = StripStateOf<PathModel>::type;

/// Parses the object `j` at JSON pointer `at` of `file`: "type" picks the model (InputError
/// "unknown model type; expected one of gbm, ..." otherwise), whose kKeys and parse check the
/// rest. A data model's csv is resolved from the folder of `file`.
PathModel parse_model(const nlohmann::json& j, const std::string& file,
                      const std::string& at = "/model");

/// The model's kName.
std::string_view model_type_name(const PathModel& model);
/// Every kName in registry order, comma separated: "gbm, trend_noise, ...".
std::string model_type_names();

/// {"type": kName, then the model's fields (write)}; parse_model of it gives back the model.
nlohmann::ordered_json model_to_json(const PathModel& model);

/// True for the models that read their days from a price file (PriceFileSpec: historical,
/// bootstrap): their days have dates, so a rate series can be aligned to them.
bool reads_price_file(const PathModel& model);

/// The model's facts in `context` (model.hpp).
ModelFacts model_facts(const PathModel& model, const ModelContext& context);

struct ScenarioConfig;
/// The facts of the scenario's model: dt, days and market data from `config`.
ModelFacts model_facts(const ScenarioConfig& config);

} // namespace letf
