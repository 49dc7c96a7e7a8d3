#pragma once
/// \file rebalance_cmd.hpp
/// `letfsim rebalance`: the three calculators of rebalance.hpp on the command line.

#include <ostream>

#include <CLI/CLI.hpp>

namespace letf::cli {

/// Registers the subcommand on construction; run() after a successful parse when selected().
///
///     letfsim rebalance --initial X --index-return R --current Y [--multiple L] [--json]
///     letfsim rebalance --equity E --assets A --target-leverage T [--json]
///     letfsim rebalance --nav N --index-return R --multiple L [--json]
///
/// Throws InputError (exit 2) for a missing, conflicting or out-of-range flag.
class RebalanceCommand {
public:
    explicit RebalanceCommand(CLI::App& app);
    bool selected() const { return static_cast<bool>(*cmd_); }
    int run(std::ostream& out) const;

private:
    CLI::App* cmd_;
    double initial_ = 0, index_return_ = 0, current_ = 0, multiple_ = 0;
    double equity_ = 0, assets_ = 0, target_leverage_ = 0, nav_ = 0;
    bool json_ = false;
};

} // namespace letf::cli
