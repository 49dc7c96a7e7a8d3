#pragma once
/// \file calibrate_cmd.hpp
/// `letfsim calibrate`: one cost model fitted to many real funds on training windows, judged on
/// test windows (backtest/calibrate.hpp, config/calibration.hpp).

#include <string>

#include "command.hpp"

namespace letf::cli {

/// Registers the subcommand on construction; run() after a successful parse when selected().
///
///     letfsim calibrate FUNDS.json [--train-end DATE | --split F] [--fit b,spread_long,...]
///         [--objective median|least_squares|minimax] [--gaps window|calendar_year] [--json]
///         [-o DIR]
///
/// The table on stdout, one JSON object with --json; -o DIR writes calibration.json (the fitted
/// cost model), table.md and report.json (the JSON object), each atomically. Flags replace the
/// file's keys. Bad flags or files (an unknown parameter, an empty window, a date outside the
/// data): InputError naming the flag or the file's JSON pointer (exit 2).
class CalibrateCommand final : public Command {
public:
    explicit CalibrateCommand(CLI::App& app);
    int run(std::ostream& out, std::ostream& err) const override;

private:
    std::string file_, train_end_, fit_, objective_, gaps_, output_;
    double split_ = 0.5;
    bool json_ = false;
};

} // namespace letf::cli
