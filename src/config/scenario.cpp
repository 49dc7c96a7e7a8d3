#include "letf/config/scenario.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <sstream>

#include <Eigen/Eigenvalues>

#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/base/limits.hpp"
#include "letf/io/json_reader.hpp"
#include "letf/io/object_reader.hpp"
#include "letf/config/market_config.hpp"
#include "letf/models/strip_source.hpp"

namespace letf {

using nlohmann::json;

namespace {

std::vector<double> number_list(const json& j, const std::string& file, const std::string& at,
                                double lo, double hi, bool allow_empty, std::size_t max_size) {
    if (!j.is_array())
        throw InputError(file, at, "must be an array of numbers", shown_value(j));
    if (j.empty() && !allow_empty)
        throw InputError(file, at, "must not be empty", shown_value(j));
    if (j.size() > max_size)
        throw InputError(file, at, "has more than " + std::to_string(max_size) + " entries");
    std::vector<double> out;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string ai = at + "/" + std::to_string(i);
        if (!j[i].is_number())
            throw InputError(file, ai, "must be a number", shown_value(j[i]));
        double x = j[i].get<double>();
        if (!(x >= lo && x <= hi)) {
            throw InputError(file, ai,
                             "must be in [" + json(lo).dump() + ", " + json(hi).dump() + "]",
                             shown_value(j[i]));
        }
        if (std::find(out.begin(), out.end(), x) != out.end())
            throw InputError(file, ai, "duplicate value", shown_value(j[i]));
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

/// A historical model replays one fixed path, as long as its data or shorter: `paths` must be 1
/// (the default), `days` at most the data's length (the default).
void apply_historical_rules(ScenarioConfig& c, const ObjectReader& r, const std::string& file) {
    const auto n = static_cast<std::int64_t>(c.market_data->size());
    if (!r.find("paths"))
        c.paths = 1;
    else if (c.paths != 1)
        throw InputError(file, "/paths",
                         "must be 1 for a historical model (it replays one fixed path)",
                         shown_value(*r.find("paths")));
    if (!r.find("days"))
        c.days = static_cast<int>(std::min<std::int64_t>(n, limits::kMaxDays));
    else if (c.days > n)
        throw InputError(file, "/days",
                         "must not exceed the " + std::to_string(n) +
                             " days of the historical data between start and end",
                         shown_value(*r.find("days")));
}

BandsSpec parse_bands(const json& b, const std::string& file, int days) {
    ObjectReader br(b, file, "/bands", {"every_days", "quantiles"});
    BandsSpec spec;
    spec.every_days = static_cast<int>(
        br.integer("every_days", 1, days, std::min<std::int64_t>(spec.every_days, days)));
    if (const json* q = br.find("quantiles")) {
        spec.quantiles = number_list(*q, file, "/bands/quantiles", 0, 1, true, 100);
        std::sort(spec.quantiles.begin(), spec.quantiles.end());
    }
    return spec;
}

HistogramSpec parse_histogram(const json& h, const std::string& file) {
    ObjectReader hr(h, file, "/histogram", {"bins", "min", "max"});
    HistogramSpec spec;
    spec.bins = static_cast<int>(hr.integer("bins", 1, 10000, spec.bins));
    spec.min = hr.number("min", Range::open_closed(0, 1e300), spec.min);
    spec.max = hr.number("max", Range::open_closed(0, 1e300), spec.max);
    if (!(spec.max > spec.min)) {
        const json* given = hr.find("max");
        throw InputError(file, "/histogram/max", "must be greater than /histogram/min",
                         given ? shown_value(*given) : json(spec.max).dump());
    }
    return spec;
}

/// The cost terms that run does not apply (costs.hpp) are errors away from their defaults, never
/// silently dropped.
void check_run_cost_terms(const ScenarioConfig& c, const std::string& file) {
    const Costs& k = c.costs;
    const auto only_backtest = [&](const char* key, const std::string& value) {
        throw InputError(file, std::string("/costs/") + key,
                         "is applied by backtest and calibrate only (run accrues every cost per "
                         "trading day, dt = 1/trading_days_per_year); leave it out here",
                         value);
    };
    if (k.day_count && *k.day_count != DayCount::trading_days)
        only_backtest("day_count", std::string("\"") + day_count_name(*k.day_count) + "\"");
    if (k.rebalance_cost != 0.0)
        only_backtest("rebalance_cost", json(k.rebalance_cost).dump());
    if (!k.expense_schedule.empty())
        only_backtest("expense_schedule", "a schedule");
    if (!uses_rate_markups(k))
        return;
    for (const Strategy& s : c.strategies) {
        // A portfolio's fund sleeves apply them in their carry (fund_carry, rate_slope).
        if (std::holds_alternative<DailyReset>(s) || std::holds_alternative<Unrebalanced>(s) ||
            std::holds_alternative<Portfolio>(s))
            continue;
        const bool markup = k.financing_markup != 0.0;
        throw InputError(file, markup ? "/costs/financing_markup" : "/costs/cash_credit_markdown",
                         "is applied by the daily_reset and unrebalanced strategies and a "
                         "portfolio's fund sleeves only; "
                         "remove it or those other strategies",
                         json(markup ? k.financing_markup : k.cash_credit_markdown).dump());
    }
}


/// Most assets in one scenario (each has its own strip of returns per chunk).
constexpr std::size_t kMaxAssets = 16;

bool correlatable(const PathModel& m) {
    return StripSource::takes_shocks(m);
}

std::optional<double> student_df(const PathModel& m) {
    const auto* t = std::get_if<TrendNoiseModel>(&m);
    return t && t->noise == Noise::student_t ? t->df : std::nullopt;
}

/// `"assets"`: 1 to kMaxAssets objects {"name", "model"}, names distinct.
void parse_assets(ScenarioConfig& c, const json& list, const std::string& file) {
    if (!list.is_array() || list.empty() || list.size() > kMaxAssets)
        throw InputError(file, "/assets",
                         "must be an array of 1 to " + std::to_string(kMaxAssets) +
                             " assets {\"name\": ..., \"model\": {...}}",
                         shown_value(list));
    c.assets_form = true;
    for (std::size_t k = 0; k < list.size(); ++k) {
        const std::string at = "/assets/" + std::to_string(k);
        const ObjectReader ar(list[k], file, at, {"name", "model"});
        AssetSpec a;
        a.name = ar.string("name", std::nullopt);
        bool ok = !a.name.empty() && a.name.size() <= 40;
        for (char ch : a.name)
            ok = ok && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' ||
                        ch == '.');
        if (!ok || a.name == "cash")
            throw InputError(file, at + "/name",
                             a.name == "cash" ? "\"cash\" names a portfolio's cash sleeve"
                                              : "must be 1-40 characters from A-Z a-z 0-9 . _ -",
                             json(a.name).dump());
        for (std::size_t m = 0; m < k; ++m)
            if (c.asset_name(m) == a.name)
                throw InputError(file, at + "/name", "duplicate asset name", json(a.name).dump());
        a.model = parse_model(ar.require("model"), file, at + "/model");
        if (k == 0) {
            c.first_asset = a.name;
            c.model = std::move(a.model);
        } else {
            c.extra_assets.push_back(std::move(a));
        }
    }
    // A joint data model: every asset reads a price file of the same kind (their days are
    // shared); a bootstrap's block rule is the first asset's.
    const bool data0 = reads_price_file(c.model);
    for (std::size_t k = 1; k < c.asset_count(); ++k) {
        const std::string at = "/assets/" + std::to_string(k) + "/model";
        const PathModel& m = c.asset_model(k);
        if (reads_price_file(m) != data0 || (data0 && m.index() != c.model.index()))
            throw InputError(file, at + "/type",
                             data0 ? "must be " + std::string(model_type_name(c.model)) +
                                         " like the first asset (a joint data model replays the "
                                         "same dates for every asset)"
                                   : "must not read a price file when the first asset does not "
                                     "(historical and bootstrap assets go together)",
                             json(std::string(model_type_name(m))).dump());
        const auto* b0 = std::get_if<BootstrapModel>(&c.model);
        const auto* bk = std::get_if<BootstrapModel>(&m);
        if (b0 && bk && b0->mean_block_length != bk->mean_block_length)
            throw InputError(file, at + "/mean_block_length",
                             "must equal the first asset's (the assets share their blocks)",
                             json(bk->mean_block_length).dump());
    }
}

/// `"correlation"`: K x K, symmetric, unit diagonal, positive semi-definite; a correlated pair
/// of gbm or trend_noise assets (Student t ones with one df).
void parse_correlation(ScenarioConfig& c, const json& j, const std::string& file) {
    const std::size_t K = c.asset_count();
    if (!c.assets_form)
        throw InputError(file, "/correlation", "needs \"assets\" (it links their shocks)");
    if (!j.is_array() || j.size() != K)
        throw InputError(file, "/correlation",
                         "must be a " + std::to_string(K) + " x " + std::to_string(K) +
                             " matrix (one row per asset)",
                         shown_value(j));
    std::vector<std::vector<double>> m(K, std::vector<double>(K));
    for (std::size_t i = 0; i < K; ++i) {
        const std::string ai = "/correlation/" + std::to_string(i);
        if (!j[i].is_array() || j[i].size() != K)
            throw InputError(file, ai, "must be a row of " + std::to_string(K) + " numbers",
                             shown_value(j[i]));
        for (std::size_t k = 0; k < K; ++k) {
            const std::string aik = ai + "/" + std::to_string(k);
            if (!j[i][k].is_number())
                throw InputError(file, aik, "must be a number", shown_value(j[i][k]));
            m[i][k] = j[i][k].get<double>();
            if (!(m[i][k] >= -1.0 && m[i][k] <= 1.0))
                throw InputError(file, aik, "must be in [-1, 1]", shown_value(j[i][k]));
            if (i == k && m[i][k] != 1.0)
                throw InputError(file, aik, "a diagonal entry must be 1", shown_value(j[i][k]));
        }
    }
    for (std::size_t i = 0; i < K; ++i)
        for (std::size_t k = 0; k < i; ++k)
            if (m[i][k] != m[k][i])
                throw InputError(file, "/correlation/" + std::to_string(i) + "/" + std::to_string(k),
                                 "must equal /correlation/" + std::to_string(k) + "/" +
                                     std::to_string(i) + " (the matrix is symmetric)",
                                 json(m[i][k]).dump());
    Eigen::MatrixXd e(K, K);
    for (std::size_t i = 0; i < K; ++i)
        for (std::size_t k = 0; k < K; ++k)
            e(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k)) = m[i][k];
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(e, Eigen::EigenvaluesOnly);
    const double smallest = solver.eigenvalues().minCoeff();
    if (smallest < -1e-10)
        throw InputError(file, "/correlation",
                         "is not positive semi-definite (no joint law has these correlations)",
                         "smallest eigenvalue " + json(smallest).dump());
    std::optional<double> df;
    bool any_t = false, any_normal = false;
    for (std::size_t i = 0; i < K; ++i)
        for (std::size_t k = 0; k < K; ++k) {
            if (i == k || m[i][k] == 0.0)
                continue;
            const PathModel& model = c.asset_model(i);
            const std::string at = "/correlation/" + std::to_string(i) + "/" + std::to_string(k);
            if (reads_price_file(model))
                throw InputError(file, at,
                                 "must be 0: the assets of a joint data model keep the data's own "
                                 "dependence (they share their dates)",
                                 json(m[i][k]).dump());
            if (!correlatable(model))
                throw InputError(file, at,
                                 "links asset \"" + c.asset_name(i) + "\" (model " +
                                     std::string(model_type_name(model)) +
                                     "): correlated shocks are supported between gbm, "
                                     "trend_noise, garch and merton assets; other models are "
                                     "drawn independently (leave their correlations 0)",
                                 json(m[i][k]).dump());
            const std::optional<double> t = student_df(model);
            (t ? any_t : any_normal) = true;
            if (t && df && *t != *df)
                throw InputError(file, at,
                                 "links Student t assets of different df: the t copula shares "
                                 "one gamma variate per day, so correlated t assets need one df",
                                 json(*t).dump());
            if (t)
                df = t;
            if (any_t && any_normal)
                throw InputError(file, at,
                                 "links a Student t asset with a normal one: correlated assets "
                                 "are all normal (Gaussian copula) or all Student t of one df "
                                 "(t copula)",
                                 json(m[i][k]).dump());
        }
    c.correlation = std::move(m);
}

} // namespace

std::vector<std::string> ScenarioConfig::asset_names() const {
    std::vector<std::string> out;
    for (std::size_t k = 0; k < asset_count(); ++k)
        out.push_back(asset_name(k));
    return out;
}

namespace {
} // namespace

ScenarioConfig parse_scenario(const json& doc, const std::string& file) {
    ObjectReader r(doc, file, "",
                   {"name", "seed", "paths", "days", "trading_days_per_year", "model", "multiples",
                    "strategies", "costs", "quantiles", "description", "bands", "histogram",
                    "path_statistics", "block_paths", "$schema", "assets", "correlation",
                    "cash_flows"});
    r.string("$schema", std::string()); // for editors (schemas/); any string, ignored
    ScenarioConfig c;
    c.name = r.string("name", std::nullopt);
    check_name(c.name, file, "/name");
    if (const json* seed = r.find("seed")) {
        if (!seed->is_number_unsigned() &&
            !(seed->is_number_integer() && seed->get<std::int64_t>() >= 0))
            throw InputError(file, "/seed", "must be an integer in [0, 2^64-1]", shown_value(*seed));
        c.seed = seed->get<std::uint64_t>();
    }
    c.paths = r.integer("paths", 1, limits::kMaxPaths, ScenarioConfig::kDefaultPaths);
    c.days = static_cast<int>(r.integer("days", 1, limits::kMaxDays, 252));
    c.trading_days_per_year = r.number("trading_days_per_year", Range::closed(1, 100000), 252.0);
    if (const json* assets = r.find("assets")) {
        if (r.find("model"))
            throw InputError(file, "/assets",
                             "give either \"model\" (one asset) or \"assets\", not both");
        parse_assets(c, *assets, file);
    } else {
        if (!r.find("model"))
            throw InputError(file, "/model", "missing required key (or give \"assets\")");
        c.model = parse_model(r.require("model"), file);
    }
    if (const json* corr = r.find("correlation"))
        parse_correlation(c, *corr, file);
    c.multiples = number_list(r.require("multiples"), file, "/multiples", -100, 100, false, 64);

    const std::vector<std::string> names = c.asset_names();
    if (const json* s = r.find("strategies"))
        c.strategies = parse_strategies(*s, file, "/strategies", c.multiples, &names,
                                        &c.strategy_assets);
    else
        c.strategy_assets.assign(c.strategies.size(), 0);

    if (const json* costs = r.find("costs"))
        c.costs = parse_costs(*costs, file, "/costs",
                              std::holds_alternative<HistoricalModel>(c.model) ||
                                  std::holds_alternative<BootstrapModel>(c.model));

    check_run_cost_terms(c, file);

    if (const json* q = r.find("quantiles")) {
        c.quantiles = number_list(*q, file, "/quantiles", 0, 1, true, 1000);
        std::sort(c.quantiles.begin(), c.quantiles.end());
    }

    load_market_data(c);
    if (c.market_data && std::holds_alternative<HistoricalModel>(c.model))
        apply_historical_rules(c, r, file);
    // After the days are final (a historical model sets them from its data).
    c.description = r.string("description", std::string());
    if (c.description.size() > 10000)
        throw InputError(file, "/description", "must be at most 10,000 characters",
                         std::to_string(c.description.size()) + " characters");
    if (const json* b = r.find("bands"))
        c.bands = parse_bands(*b, file, c.days);
    if (const json* h = r.find("histogram"))
        c.histogram = parse_histogram(*h, file);
    if (const json* p = r.find("path_statistics")) {
        if (!p->is_boolean())
            throw InputError(file, "/path_statistics", "must be true or false", shown_value(*p));
        c.path_statistics = p->get<bool>();
    }
    c.block_paths = r.integer("block_paths", 1, limits::kMaxBlockPaths, 0);
    if (const json* f = r.find("cash_flows"))
        c.cash_flows = parse_cash_flows(*f, file, "/cash_flows", c.days);
    return c;
}

void load_market_data(ScenarioConfig& c) {
    if (c.asset_count() > 1 && reads_price_file(c.model)) {
        // A joint data model: every asset on the dates all of them have.
        std::vector<PriceFileSpec*> specs;
        for (std::size_t k = 0; k < c.asset_count(); ++k) {
            PathModel& m = k == 0 ? c.model : c.extra_assets[k - 1].model;
            std::visit(
                [&specs](auto& x) {
                    if constexpr (std::is_base_of_v<PriceFileSpec, std::decay_t<decltype(x)>>)
                        specs.push_back(&x);
                },
                m);
        }
        const auto& rates = c.costs.financing_rate_series;
        std::vector<MarketData> data = read_joint_market_data(
            std::vector<const PriceFileSpec*>(specs.begin(), specs.end()), rates ? &*rates : nullptr);
        for (std::size_t k = 0; k < specs.size(); ++k) {
            if (!specs[k]->column)
                specs[k]->column = data[k].price_column;
            auto shared = std::make_shared<const MarketData>(std::move(data[k]));
            (k == 0 ? c.market_data : c.extra_assets[k - 1].market_data) = std::move(shared);
        }
        return;
    }
    for (AssetSpec& a : c.extra_assets)
        a.market_data = nullptr;
    // The models that read a price file (PriceFileSpec) load it; the others hold no data.
    c.market_data = std::visit(
        [&c](auto& m) -> std::shared_ptr<const MarketData> {
            if constexpr (std::is_base_of_v<PriceFileSpec, std::decay_t<decltype(m)>>) {
                const auto& rates = c.costs.financing_rate_series;
                auto data = std::make_shared<const MarketData>(
                    read_market_data(m, rates ? &*rates : nullptr));
                if (!m.column) // the report shows the column chosen by default
                    m.column = data->price_column;
                return data;
            } else {
                return nullptr;
            }
        },
        c.model);
}

std::vector<std::string> data_path_pointers(const json& doc) {
    std::vector<std::string> out(kDataPathPointers.begin(), kDataPathPointers.end());
    if (doc.is_object() && doc.contains("assets") && doc["assets"].is_array())
        for (std::size_t k = 0; k < doc["assets"].size(); ++k)
            out.push_back("/assets/" + std::to_string(k) + "/model/csv");
    return out;
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
    if (c.assets_form) {
        j["assets"] = nlohmann::ordered_json::array();
        for (std::size_t k = 0; k < c.asset_count(); ++k)
            j["assets"].push_back({{"name", c.asset_name(k)}, {"model", model_to_json(c.asset_model(k))}});
        if (!c.correlation.empty())
            j["correlation"] = c.correlation;
    } else {
        j["model"] = model_to_json(c.model);
    }
    j["multiples"] = c.multiples;
    j["strategies"] = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < c.strategies.size(); ++i) {
        nlohmann::ordered_json s = letf::to_json(c.strategies[i]);
        if (c.strategy_asset(i) != 0) {
            if (s.is_string())
                s = {{"type", s}};
            s["asset"] = c.asset_name(static_cast<std::size_t>(c.strategy_asset(i)));
        }
        j["strategies"].push_back(s);
    }
    j["costs"] = letf::to_json(c.costs);
    j["quantiles"] = c.quantiles;
    if (!c.description.empty())
        j["description"] = c.description;
    if (c.bands)
        j["bands"] = {{"every_days", c.bands->every_days}, {"quantiles", c.bands->quantiles}};
    if (c.histogram)
        j["histogram"] = {
            {"bins", c.histogram->bins}, {"min", c.histogram->min}, {"max", c.histogram->max}};
    if (!c.path_statistics) // written only when off: the default's reports keep their bytes
        j["path_statistics"] = false;
    if (c.block_paths > 0) // likewise, only when given
        j["block_paths"] = c.block_paths;
    if (!c.cash_flows.empty())
        j["cash_flows"] = to_json(c.cash_flows);
    return j;
}

void apply_overrides(ScenarioConfig& c, const Overrides& o) {
    if (o.seed)
        c.seed = *o.seed;
    if (o.paths) {
        if (*o.paths < 1 || *o.paths > limits::kMaxPaths)
            throw InputError("command line", "--paths",
                             "must be an integer in [1, " + std::to_string(limits::kMaxPaths) + "]",
                             std::to_string(*o.paths));
        if (*o.paths != 1 && std::holds_alternative<HistoricalModel>(c.model))
            throw InputError("command line", "--paths",
                             "must be 1 for a historical model (it replays one fixed path)",
                             std::to_string(*o.paths));
        c.paths = *o.paths;
    }
}

} // namespace letf
