#pragma once
/// \file strategies/common.hpp
/// What every strategy file (strategies/<name>.hpp) shares: the parse context, the limits of the
/// common parameters, the label format, the value cap and the tallies types.
///
/// A strategy is a struct with its own parameters and these members (registry.hpp lists them;
/// the registry's visits make a missing one a compile error):
///   static constexpr std::string_view kName;  the config name
///   static constexpr bool kInvestor;          walked per lane by an InvestorRule (investor.hpp)
///   using Tallies;                            per-path tallies (NoTallies for a fund)
///   static S parse(const nlohmann::json& object, const StrategyContext&);
///   void write(nlohmann::ordered_json& parameters) const;   no parameters: a bare name
///   std::string label() const;                one label for console, JSON, CSV and plots
///   double carry(const Costs&, double L) const;  annual carry shown in the report
///   StrategyTheory theory(const TheoryInputs&, double L) const;
/// and, for investors, start() and step() (the per-lane kernel).

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "letf/config/costs.hpp"
#include "letf/theory/strategy_theory.hpp"

namespace letf {

/// Values (S_t/S_0, V_t/V_0) are capped at kValueCap so that statistics stay finite in absurd
/// scenarios (e.g. 100x leverage on a 10^6 % daily volatility); no market reaches it.
inline constexpr double kValueCap = 1e300;

/// Where one entry of `strategies` is parsed: the file and JSON pointer for messages, and the
/// scenario's multiples (target_leverage checks its maintenance margin against each).
struct StrategyContext {
    const std::string& file;
    std::string at;
    const std::vector<double>& multiples;
    /// The scenario's asset names in order (a portfolio's holdings name them); null: one asset.
    const std::vector<std::string>* assets = nullptr;
};

inline constexpr double kMaxTransactionCostBps = 10000;
inline constexpr std::int64_t kMaxEveryDays = 1'000'000;

/// A number in its shortest round-trip form (0.1, 21, 5, 1e-05), for labels.
std::string number_text(double x);
/// One parameter of a label: key=value.
using LabelParam = std::pair<std::string_view, std::string>;
/// "name" or "name(k1=v1,k2=v2)": the label format of every strategy. A label shows every
/// parameter that differs from its default (required ones always), so two distinct entries of
/// `strategies` never share a label.
std::string make_label(std::string_view name, const std::vector<LabelParam>& params);

/// Per-path tallies of a fund strategy: none.
struct NoTallies {
    static constexpr std::array<std::string_view, 0> kFields{};
};

/// Per-path tallies of a strategy that trades (investor.hpp defines each): the number of trades,
/// sum |trade|, sum of buys, sum of |sells|, sum of transaction costs; in units of W_0.
struct TradeTallies {
    static constexpr std::array<std::string_view, 5> kFields{"trades", "turnover", "cash_added",
                                                             "cash_withdrawn", "transaction_costs"};
};

/// TradeTallies plus the number of margin calls (forced deleverages).
struct LeverageTallies {
    static constexpr std::array<std::string_view, 6> kFields{
        "trades",         "turnover",          "cash_added",
        "cash_withdrawn", "transaction_costs", "forced_deleverages"};
};

} // namespace letf
