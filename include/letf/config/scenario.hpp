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

#include "letf/market/market_data.hpp"
#include "letf/models/registry.hpp"

namespace letf {

/// The fund strategies (daily_reset, unrebalanced) and the investor-side rebalancing strategies
/// (calendar_rebalance, band_rebalance, target_leverage; see investor.hpp for their semantics).
enum class StrategyKind {
    daily_reset,
    unrebalanced,
    calendar_rebalance,
    band_rebalance,
    target_leverage
};

std::string_view to_string(StrategyKind kind);
/// True for the investor-side strategies (they report trades, turnover, cash and costs).
bool is_investor(StrategyKind kind);

/// One entry of `strategies`: a kind and, for the investor strategies, its parameters
/// (investor.hpp). Parameters a kind does not take are nullopt (and errors in the file).
///   calendar_rebalance: every_days (required, >= 1)
///   band_rebalance:     band (required, > 0, relative), every_days (how often the band is
///                       checked, default 1: every close)
///   target_leverage:    every_days and/or band (at least one; band on the leverage),
///                       maintenance_margin (optional, in (0, 1), below 1/|L| for every multiple)
///   all three:          transaction_cost_bps in [0, 10000], default 0 (bps of |trade|)
struct StrategySpec {
    StrategyKind kind = StrategyKind::daily_reset;
    std::optional<int> every_days;
    std::optional<double> band;
    std::optional<double> maintenance_margin;
    double transaction_cost_bps = 0.0;

    StrategySpec() = default;
    StrategySpec(StrategyKind k) : kind(k) {} // NOLINT: implicit, a kind without parameters
    bool operator==(const StrategySpec&) const = default;
};

/// A short label for tables: the kind, with the defining parameter for investor strategies
/// (`calendar_rebalance/21`, `band_rebalance/0.1`, `target_leverage/21`).
std::string strategy_label(const StrategySpec& spec);

/// Annual costs; all default to 0. Daily-reset fund of multiple L pays, as a fraction of NAV per
/// year (charged c(L) dt per day):
///   c(L) = expense_ratio + (L - 1) (financing_rate + financing_spread)       if L > 1
///   c(L) = expense_ratio - (1 - L) financing_rate + |L| short_fee [L < 0]     if L <= 1
/// (borrowed notional L-1 pays rate + spread; cash 1-L earns the rate; a short pays the fee on
/// its notional |L|). The unrebalanced position grows its loan or cash at unrebalanced_rate(L).
/// `financing_rate` may instead be a rate series (a CSV of annual percent by date, only with the
/// historical and bootstrap models): then `financing_rate` is 0 and each day t uses the series'
/// rate r_t in its place (the carry is linear in the rate: c_t(L) = c(L)|_{rate 0} + (L - 1) r_t).
struct Costs {
    double expense_ratio = 0.0;    ///< annual, on NAV, daily-reset funds only; >= 0
    double financing_rate = 0.0;   ///< annual; in [-0.5, 1]; 0 when financing_rate_series is set
    double financing_spread = 0.0; ///< annual, on borrowed notional (L > 1); >= 0
    double short_fee = 0.0;        ///< annual, on short notional |L| (L < 0); >= 0
    std::optional<RateSeriesSpec> financing_rate_series; ///< csv resolved from the scenario file
};

/// Annual carry c(L) of a daily-reset fund (see Costs).
double fund_carry(const Costs& costs, double multiple);

/// Annual rate r of the unrebalanced position's cash account, equity_t = L S_t/S_0 - (L-1)(1+r
/// dt)^t:
///   r = financing_rate + financing_spread                    if L > 1 (a loan of L-1)
///   r = financing_rate                                       if 0 <= L <= 1 (cash 1-L)
///   r = financing_rate - short_fee |L| / (1 - L)             if L < 0 (cash 1-L, fee on |L|)
double unrebalanced_rate(const Costs& costs, double multiple);

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
    std::vector<StrategySpec> strategies{StrategyKind::daily_reset, StrategyKind::unrebalanced};
    Costs costs;
    std::vector<double> quantiles{0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};
    std::string description;                ///< free text, echoed in the report
    std::optional<BandsSpec> bands;         ///< off unless given
    std::optional<HistogramSpec> histogram; ///< off unless given
    /// The days of a historical or bootstrap model (with the rates when financing_rate is a
    /// series), loaded by parse_scenario (load_market_data); null for the other models.
    std::shared_ptr<const MarketData> market_data;

    /// True when the financing rate varies by day (a rate series).
    bool has_rate_series() const { return costs.financing_rate_series.has_value(); }

    double dt() const { return 1.0 / trading_days_per_year; }
};

/// Reads the CSV files of a historical or bootstrap model (and of a rate series) named in
/// `config` (paths already resolved) into config.market_data; sliced to start/end, rates aligned
/// to the previous close (make_market_data). Does nothing for the other models. Throws
/// InputError naming the CSV file.
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
