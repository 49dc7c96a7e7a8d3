#pragma once
/// \file fit_cmd.hpp
/// `letfsim fit`: maximum-likelihood fit of a scenario model to a price file (fit/fit.hpp).

#include <string>

#include "command.hpp"
#include "letf/fit/fit.hpp"
#include "letf/market/market_data.hpp"

namespace letf::cli {

/// Registers the subcommand on construction; run() after a successful parse when selected().
///
///     letfsim fit CSV --model garch|gjr|regime|merton [--states K]
///         [--innovations normal|student_t] [--start D] [--end D] [--column NAME] [--json]
///         [-o FILE]
///
/// Text by default, one JSON object with --json (fit_report.hpp); -o writes the fitted model
/// object alone, atomically. The CSV's column: --column, else `Adj Close` when the file has one
/// (a note on stderr when it also has `Close`), else `close`. Bad flags, bad files and fewer than
/// kMinFitObservations returns: InputError naming the flag or file (exit 2); a fit with no finite
/// optimum: FitFailed (one line, exit 1).
class FitCommand final : public Command {
public:
    explicit FitCommand(CLI::App& app);
    int run(std::ostream& out, std::ostream& err) const override;

private:
    /// The flags checked (InputError naming the flag otherwise).
    FitOptions options() const;
    PriceFileSpec price_file() const;

    std::string csv_, model_, innovations_ = "normal", start_, end_, column_, output_;
    int states_ = 2;
    bool json_ = false;
};

} // namespace letf::cli
