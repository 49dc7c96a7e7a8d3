#pragma once
/// \file backtest_cmd.hpp
/// `letfsim backtest`: a simulated daily-reset fund against a real one (backtest.hpp).

#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

namespace letf::cli {

/// Registers the subcommand on construction; run() after a successful parse when selected().
///
///     letfsim backtest --index CSV --fund CSV --multiple L [--expense-ratio X]
///         [--index-expense-ratio X] [--rate CSV] [--rate-max-stale-days N]
///         [--spread S | --fit-spread] [--start DATE] [--end DATE] [--max-gap-days N]
///         [--json] [-o FILE]
///
/// Human summary on stdout by default, one JSON object with --json; -o writes the JSON object
/// plus the daily growth series, atomically. Throws InputError (exit 2) on bad flags or files.
class BacktestCommand {
public:
    explicit BacktestCommand(CLI::App& app);
    bool selected() const { return static_cast<bool>(*cmd_); }
    int run(std::ostream& out) const;

private:
    CLI::App* cmd_;
    std::string index_, fund_, rate_, start_, end_, output_;
    double multiple_ = 0, expense_ratio_ = 0, index_expense_ratio_ = 0, spread_ = 0;
    int rate_max_stale_days_ = 10, max_gap_days_ = 10;
    bool fit_spread_ = false, json_ = false;
};

} // namespace letf::cli
