#pragma once
/// \file strategies/registry.hpp
/// The closed set of strategies. Adding one: a new strategies/<name>.hpp (+ .cpp) with the
/// members listed in common.hpp, and one line in `Strategy` below. Every dispatch over a
/// Strategy is an exhaustive std::visit, so a strategy that lacks a member does not compile
/// (StrategyType below says which). An investor strategy (kInvestor, with start() and step())
/// is walked per lane with no other edit; a new fund strategy also needs its strip kernel, and
/// StripWalker's visits (strategy.cpp) fail to compile until it has one.

#include <concepts>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "letf/strategies/band_rebalance.hpp"
#include "letf/strategies/calendar_rebalance.hpp"
#include "letf/strategies/common.hpp"
#include "letf/strategies/daily_reset.hpp"
#include "letf/strategies/drawdown_derisk.hpp"
#include "letf/strategies/investor.hpp"
#include "letf/strategies/portfolio.hpp"
#include "letf/strategies/sma_rotation.hpp"
#include "letf/strategies/target_leverage.hpp"
#include "letf/strategies/unrebalanced.hpp"
#include "letf/strategies/vol_target.hpp"

namespace letf {

/// One entry of a scenario's `strategies`, in config order. The fund strategies (daily_reset,
/// unrebalanced), the investor-side rebalancing strategies (investor.hpp) and the signal
/// strategies (signal.hpp).
using Strategy = std::variant<DailyReset, Unrebalanced, CalendarRebalance, BandRebalance,
                              TargetLeverage, SmaRotation, VolTarget, DrawdownDerisk, Portfolio>;

/// The members every strategy has (common.hpp); an investor strategy also its lane kernel.
template <class S>
concept StrategyType = requires(const S& s, const nlohmann::json& j, const StrategyContext& ctx,
                                nlohmann::ordered_json& o, const Costs& costs,
                                const TheoryInputs& in) {
    { S::kName } -> std::convertible_to<std::string_view>;
    { S::kInvestor } -> std::convertible_to<bool>;
    { S::Tallies::kFields.size() } -> std::convertible_to<std::size_t>;
    { S::parse(j, ctx) } -> std::same_as<S>;
    s.write(o);
    { s.label() } -> std::same_as<std::string>;
    { s.carry(costs, 1.0) } -> std::same_as<double>;
    { s.theory(in, 1.0) } -> std::same_as<StrategyTheory>;
    { s == s } -> std::convertible_to<bool>;
}
&&(!S::kInvestor || requires(const S& s, const InvestorRule& rule, InvestorLane& lane) {
    { s.start(rule) } -> std::same_as<InvestorLane>;
    { s.step(rule, lane, 1, 0.0, 0.0) } -> std::same_as<double>;
});

template <class V> inline constexpr bool kAllStrategies = false;
template <class... S>
inline constexpr bool kAllStrategies<std::variant<S...>> = (StrategyType<S> && ...);
static_assert(kAllStrategies<Strategy>,
              "every alternative of Strategy needs the members listed in strategies/common.hpp");

/// The config name (kName): "daily_reset", ...
std::string_view strategy_name(const Strategy& strategy);
/// Alias of strategy_name (the name `to_string(kind)` had).
inline std::string_view to_string(const Strategy& strategy) {
    return strategy_name(strategy);
}

/// The one label of an entry, used by the console, report JSON, study CSV and plots alike:
/// `daily_reset`, `calendar_rebalance(every_days=21)`, `band_rebalance(band=0.1)`,
/// `target_leverage(every_days=21,band=0.5)`; distinct entries have distinct labels.
std::string label(const Strategy& strategy);
/// Alias of label (the console and the study call it by this name).
inline std::string strategy_label(const Strategy& strategy) {
    return label(strategy);
}

/// True for the investor-side strategies (walked per lane; they have trade tallies).
bool is_investor(const Strategy& strategy);

/// The names of the strategy's per-path tallies (Tallies::kFields; empty for a fund), a prefix
/// of InvestorLane::tallies().
std::span<const std::string_view> tally_fields(const Strategy& strategy);

/// The annual carry the report shows: the fund's c(L) for strategies holding a daily-reset fund
/// (daily_reset, calendar_rebalance, band_rebalance), the account's rate for the others.
double strategy_carry(const Strategy& strategy, const Costs& costs, double multiple);

/// "daily_reset, unrebalanced, calendar_rebalance, band_rebalance, target_leverage": the names
/// in variant order, for messages.
std::string strategy_names();

/// Parses one entry of `strategies`: a bare name (only for a strategy that writes no
/// parameters) or an object {"type": name, parameters...}. Throws InputError at ctx.at.
Strategy parse_strategy(const nlohmann::json& value, const StrategyContext& ctx);

/// Parses a scenario's `strategies` (at pointer `at`): a non-empty array of distinct entries.
/// An object entry may name the asset it holds (`"asset": NAME`, one of `assets`; the first
/// when absent; not for a portfolio); the entries' asset indices go to `strategy_assets`.
std::vector<Strategy> parse_strategies(const nlohmann::json& list, const std::string& file,
                                       const std::string& at, const std::vector<double>& multiples,
                                       const std::vector<std::string>* assets = nullptr,
                                       std::vector<int>* strategy_assets = nullptr);

/// The entry as parse_strategy reads it back: a bare name when it has no parameters, else
/// {"type": name, parameters...}.
nlohmann::ordered_json to_json(const Strategy& strategy);

/// The parameters alone ({} for the fund strategies), as the report's "parameters" block.
nlohmann::ordered_json strategy_parameters(const Strategy& strategy);

} // namespace letf
