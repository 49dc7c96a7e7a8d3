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
