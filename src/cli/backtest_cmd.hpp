#pragma once
/// \file backtest_cmd.hpp
/// `letfsim backtest`: a simulated daily-reset fund against a real one (backtest.hpp).

#include <ostream>
#include <string>

#include "command.hpp"
#include "letf/backtest/backtest.hpp"
#include "letf/base/limits.hpp"

namespace letf::cli {

/// Registers the subcommand on construction; run() after a successful parse when selected().
///
///     letfsim backtest --index CSV --fund CSV --multiple L [--expense-ratio X]
///         [--index-expense-ratio X] [--rate CSV] [--rate-max-stale-days N]
///         [--spread S | --fit-spread] [--cost-model FILE] [--start DATE] [--end DATE]
///         [--max-gap-days N] [--column NAME] [--json] [-o FILE]
///
/// The price CSVs are read as market_data.hpp says: `Adj Close` of a Yahoo download unless
/// --column names another column (of both files); when a file has both `Adj Close` and `Close`
/// a note saying which was used goes to stderr, once per file.
///
/// --cost-model reads a cost model (costs.hpp; what `calibrate -o` writes as calibration.json,
/// or a scenario's `costs` object): its rate series when --rate is not given, its spreads,
/// markup, markdown, day count, rebalancing cost and expense ratio. A flag given beside it wins
/// (CLI > file): --expense-ratio, --spread (both spreads), --rate, --rate-max-stale-days.
///
/// Human summary on stdout by default, one JSON object with --json; -o writes the JSON object
/// plus the daily growth series, atomically. Throws InputError (exit 2) on bad flags or files.
class BacktestCommand final : public Command {
public:
    explicit BacktestCommand(CLI::App& app);
    int run(std::ostream& out, std::ostream& err) const override;

private:
    /// The flags checked and turned into options (InputError naming the flag otherwise).
    BacktestOptions options() const;
    /// Reads the files and runs; the readers' notes go to `err`.
    BacktestResult run_backtest_files(const BacktestOptions& o, std::ostream& err) const;
    /// The rate file used: --rate, else the cost model's series, else none (empty).
    std::string rate_file(const BacktestOptions& o) const;

    std::string index_, fund_, rate_, start_, end_, output_, cost_model_file_, column_, series_;
    double multiple_ = 0, expense_ratio_ = 0, index_expense_ratio_ = 0, spread_ = 0;
    int rate_max_stale_days_ = limits::kDefaultMaxGapDays;
    int max_gap_days_ = limits::kDefaultMaxGapDays;
    bool fit_spread_ = false, json_ = false;
};

} // namespace letf::cli
