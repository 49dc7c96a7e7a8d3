#pragma once
/// \file config.hpp
/// The scenario: parsed and validated once from JSON into plain typed structs. Nothing downstream
/// of this layer reads JSON.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace letf {

/// Geometric Brownian motion. Daily simple return
///   R = exp((mu - sigma^2/2) dt + sigma sqrt(dt) Z) - 1,  Z ~ N(0,1),
/// so E[R] = exp(mu dt) - 1 exactly. mu, sigma annualised; dt = 1 / trading_days_per_year.
struct GbmModel {
    double mu = 0.0;
    double sigma = 0.0; ///< >= 0
};

enum class Noise { normal, student_t };

/// Trend plus noise on the simple return: R = mu dt + sigma sqrt(dt) eps, eps of unit variance:
/// standard normal, or Student t with `df` > 2 degrees of freedom scaled by sqrt((df-2)/df).
/// R is floored at -1 (a price cannot go negative). E[R] = mu dt while the floor is not reached.
struct TrendNoiseModel {
    double mu = 0.0;
    double sigma = 0.0; ///< >= 0
    Noise noise = Noise::normal;
    std::optional<double> df; ///< set iff noise == student_t
};

/// Alternating up/down days: R_t = trend_daily + a_t + noise_sigma_daily Z_t, with a_t = +amplitude
/// on days 1, 3, 5, ... when start is up (-amplitude when down) and the opposite sign on days
/// 2, 4, .... R is floored at -1.
struct ChoppyModel {
    double amplitude_daily = 0.0;   ///< in [0, 1]
    double trend_daily = 0.0;       ///< in (-1, 1)
    double noise_sigma_daily = 0.0; ///< >= 0; 0 makes the model deterministic
    bool start_up = true;
};

/// Deterministic returns repeated cyclically: R_t = returns_daily[(t - 1) mod size], each >= -1.
struct PatternModel {
    std::vector<double> returns_daily;
};

using ModelSpec = std::variant<GbmModel, TrendNoiseModel, ChoppyModel, PatternModel>;

enum class StrategyKind { daily_reset, unrebalanced };

std::string_view to_string(StrategyKind kind);
std::string_view model_type_name(const ModelSpec& model);

/// Annual costs; all default to 0. Daily-reset fund of multiple L pays, as a fraction of NAV per
/// year (charged c(L) dt per day):
///   c(L) = expense_ratio + (L - 1) (financing_rate + financing_spread)       if L > 1
///   c(L) = expense_ratio - (1 - L) financing_rate + |L| short_fee [L < 0]     if L <= 1
/// (borrowed notional L-1 pays rate + spread; cash 1-L earns the rate; a short pays the fee on
/// its notional |L|). The unrebalanced position grows its loan or cash at unrebalanced_rate(L).
struct Costs {
    double expense_ratio = 0.0;    ///< annual, on NAV, daily-reset funds only; >= 0
    double financing_rate = 0.0;   ///< annual; > -1
    double financing_spread = 0.0; ///< annual, on borrowed notional (L > 1); >= 0
    double short_fee = 0.0;        ///< annual, on short notional |L| (L < 0); >= 0
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
/// trading_days_per_year > 0, multiples non-empty, finite and distinct, strategies non-empty and
/// distinct, quantiles in [0, 1], sorted and distinct.
struct ScenarioConfig {
    static constexpr std::uint64_t kDefaultSeed = 20240101;
    static constexpr std::int64_t kDefaultPaths = 10000;

    std::string name; ///< [A-Za-z0-9._-]+, names the default report file
    std::uint64_t seed = kDefaultSeed;
    std::int64_t paths = kDefaultPaths;
    int days = 252;
    double trading_days_per_year = 252.0;
    ModelSpec model;
    std::vector<double> multiples;
    std::vector<StrategyKind> strategies{StrategyKind::daily_reset, StrategyKind::unrebalanced};
    Costs costs;
    std::vector<double> quantiles{0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};
    std::string description;              ///< free text, echoed in the report
    std::optional<BandsSpec> bands;       ///< off unless given
    std::optional<HistogramSpec> histogram; ///< off unless given

    double dt() const { return 1.0 / trading_days_per_year; }
};

/// Parses and validates a scenario. `file` is used in error messages only.
/// Throws InputError naming the JSON pointer and value of the first problem found.
ScenarioConfig parse_scenario(const nlohmann::json& doc, const std::string& file);
ScenarioConfig parse_scenario_text(std::string_view text, const std::string& file);

/// Parses JSON text strictly: a syntax error names `line N, column M`, a duplicate key in any
/// object is an error (it would otherwise collapse silently to the last one). Throws InputError
/// naming `file`. Shared by scenario and study files.
nlohmann::json read_json_text(std::string_view text, const std::string& file);
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
