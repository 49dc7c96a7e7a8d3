#pragma once
/// \file config/scenario.hpp
/// The scenario: parsed and validated once from JSON into plain typed structs. Nothing downstream
/// of this layer reads JSON.

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "letf/config/cash_flows.hpp"
#include "letf/config/costs.hpp"
#include "letf/market/market_data.hpp"
#include "letf/models/registry.hpp"
#include "letf/strategies/registry.hpp"

namespace letf {

// The strategies of `strategies` (Strategy) are in strategies/registry.hpp; the costs (Costs,
// fund_carry, unrebalanced_rate) in config/costs.hpp.

/// Optional fan-chart data: quantiles of V_t/V_0 (and S_t/S_0) on days 0, k, 2k, ... and the
/// last day, k = every_days, from per-day sketches (relative accuracy as the engine's sketch).
struct BandsSpec {
    int every_days = 21;
    std::vector<double> quantiles{0.05, 0.25, 0.5, 0.75, 0.95};
};

/// Optional histogram of the terminal value V_T/V_0 over `bins` log-spaced bins between min and
/// max (values below min, zero included, and at or above max are counted apart).
struct HistogramSpec {
    int bins = 60;
    double min = 0.01;
    double max = 100.0;
};

/// An underlying of a scenario with several (`"assets"`): its name and model, and the days of a
/// data model (loaded by load_market_data, aligned on the dates every asset has).
struct AssetSpec {
    std::string name;
    PathModel model;
    std::shared_ptr<const MarketData> market_data;
};

/// A validated scenario. Invariants (checked by parse_scenario): paths >= 1, days >= 1,
/// trading_days_per_year in [1, 100000] (so dt <= 1), multiples non-empty, finite and distinct,
/// strategies non-empty and distinct, quantiles in [0, 1], sorted and distinct.
struct ScenarioConfig {
    static constexpr std::uint64_t kDefaultSeed = 20240101;
    static constexpr std::int64_t kDefaultPaths = 10000;

    std::string name; ///< [A-Za-z0-9._-]+, names the default report file
    std::uint64_t seed = kDefaultSeed;
    std::int64_t paths = kDefaultPaths;
    int days = 252;
    double trading_days_per_year = 252.0;
    PathModel model; ///< models/registry.hpp
    std::vector<double> multiples;
    std::vector<Strategy> strategies{DailyReset{}, Unrebalanced{}};
    Costs costs;
    std::vector<double> quantiles{0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};
    std::string description;                ///< free text, echoed in the report
    std::optional<BandsSpec> bands;         ///< off unless given
    std::optional<HistogramSpec> histogram; ///< off unless given
    /// The path statistics (stats/path_stats.hpp: volatility, Sharpe, Sortino, time under water,
    /// recovery, the survival curves, ending under water): on unless `"path_statistics": false`,
    /// which skips their day-by-day tracking (the fastest runs; those report keys are absent).
    bool path_statistics = true;
    /// Paths per block, the unit of work and of the block-order merge (engine.hpp); 0: the
    /// engine's default, 1024. Larger blocks make fewer per-block tallies to fold for runs of
    /// 10^9 paths and more across many processes (README: Running on a cluster). The report
    /// depends on it in the last digits of its moments only; for one value it is the same for
    /// any thread or rank count.
    std::int64_t block_paths = 0;
    /// The days of a historical or bootstrap model (with the rates when financing_rate is a
    /// series), loaded by parse_scenario (load_market_data); null for the other models.
    std::shared_ptr<const MarketData> market_data;

    /// Several underlyings (`"assets": [{"name", "model"}, ...]` instead of `"model"`): the first
    /// is `model` / `market_data` above, named `first_asset`; the others follow here. Their
    /// normal shocks are linked day by day by `correlation` (K x K, symmetric, unit diagonal,
    /// positive semi-definite; empty: independent). Data models (historical, bootstrap) share
    /// their day indices instead: every asset of a joint data model replays or resamples the same
    /// dates (models/joint_source.hpp).
    std::string first_asset = "index";
    std::vector<AssetSpec> extra_assets;
    std::vector<std::vector<double>> correlation;
    bool assets_form = false; ///< given as `"assets"` (written back so)
    /// Per entry of `strategies`: the index of the asset it holds (`"asset"`, default 0).
    std::vector<int> strategy_assets;
    /// Contributions and withdrawals applied to every position (config/cash_flows.hpp).
    CashFlows cash_flows;

    std::size_t asset_count() const { return 1 + extra_assets.size(); }
    const std::string& asset_name(std::size_t k) const {
        return k == 0 ? first_asset : extra_assets[k - 1].name;
    }
    const PathModel& asset_model(std::size_t k) const {
        return k == 0 ? model : extra_assets[k - 1].model;
    }
    const std::shared_ptr<const MarketData>& asset_data(std::size_t k) const {
        return k == 0 ? market_data : extra_assets[k - 1].market_data;
    }
    std::vector<std::string> asset_names() const;
    /// The asset held by strategies entry i (0 when not listed).
    int strategy_asset(std::size_t i) const {
        return i < strategy_assets.size() ? strategy_assets[i] : 0;
    }

    /// True when the financing rate varies by day (a rate series).
    bool has_rate_series() const { return costs.financing_rate_series.has_value(); }

    double dt() const { return 1.0 / trading_days_per_year; }
};

/// Reads the CSV files of a historical or bootstrap model (and of a rate series) named in
/// `config` (paths already resolved) into config.market_data; sliced to start/end, rates aligned
/// to the previous close (make_market_data); a price column left to its default is set to the
/// one read (MarketData::price_column), and MarketData::note says why when there was a choice.
/// Does nothing for the other models. Throws InputError naming the CSV file.
void load_market_data(ScenarioConfig& config);

/// The JSON pointers at which a scenario names data files: the csv of a historical or bootstrap
/// model and of a financing rate series. parse_scenario resolves a relative one from the scenario
/// file's folder (resolve_data_path); a study rewrites those of a base file (see sweep.hpp).
inline constexpr std::array<std::string_view, 2> kDataPathPointers = {"/model/csv",
                                                                      "/costs/financing_rate/csv"};

/// kDataPathPointers plus, for a scenario of several assets, each asset's model csv
/// (`/assets/K/model/csv`), for the scenario document `doc`.
std::vector<std::string> data_path_pointers(const nlohmann::json& doc);

/// Parses and validates a scenario. `file` names the file in error messages, and relative CSV
/// paths are resolved from its folder (the resolved path is stored and written by to_json).
/// Throws InputError naming the JSON pointer and value of the first problem found.
ScenarioConfig parse_scenario(const nlohmann::json& doc, const std::string& file);
ScenarioConfig parse_scenario_text(std::string_view text, const std::string& file);

ScenarioConfig load_scenario(const std::filesystem::path& path);

/// The fully resolved scenario (every default filled in) as JSON; parse_scenario(to_json(c))
/// gives back c.
nlohmann::ordered_json to_json(const ScenarioConfig& config);

/// Command-line overrides (flag > file > default); validated like the file, naming the flag.
struct Overrides {
    std::optional<std::uint64_t> seed;
    std::optional<std::int64_t> paths;
};
void apply_overrides(ScenarioConfig& config, const Overrides& overrides);

} // namespace letf
