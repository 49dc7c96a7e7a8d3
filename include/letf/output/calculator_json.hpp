#pragma once
/// \file output/calculator_json.hpp
/// The JSON the calculator subcommands print or write (rebalance --json, backtest --json / -o),
/// as text: one function per result, beside the report writer (JSON is written by the output
/// layer only; the commands in cli/ never see nlohmann). Numbers that are not finite are null.
/// Each text is one line of compact JSON ending in a newline.

#include <optional>
#include <string>

#include "letf/backtest/backtest.hpp"
#include "letf/strategies/rebalance.hpp"

namespace letf {

/// `action` is the text of the trade's direction ("buy", "sell", "borrow", "repay", "none").
std::string rebalance_json(const LeverageRebalance& r, const std::string& action);
std::string rebalance_json(const FundRebalance& r, const std::string& action);
/// `multiple`: the --multiple flag when given (shown, not used by the rule).
std::string rebalance_json(const InvestorRebalance& r, const std::string& action,
                           std::optional<double> multiple);

/// The inputs of a backtest as the JSON object names them.
struct BacktestInputs {
    std::string index, fund, rate; ///< file names; rate empty when none
    BacktestOptions options;
};

/// The summary object (`--json`).
std::string backtest_json(const BacktestInputs& in, const BacktestResult& r);
/// The summary object plus the daily growth series (`-o FILE`), as text.
std::string backtest_file_text(const BacktestInputs& in, const BacktestResult& r);

} // namespace letf
