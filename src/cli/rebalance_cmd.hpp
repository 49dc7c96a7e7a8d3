#pragma once
/// \file rebalance_cmd.hpp
/// `letfsim rebalance`: the three calculators of rebalance.hpp on the command line.

#include "command.hpp"

namespace letf::cli {

/// Registers the subcommand on construction; run() after a successful parse when selected().
///
///     letfsim rebalance --initial X --index-return R --current Y [--multiple L] [--json]
///     letfsim rebalance --equity E --assets A --target-leverage T [--json]
///     letfsim rebalance --nav N --index-return R --multiple L [--json]
///
/// Throws InputError (exit 2) for a missing, conflicting or out-of-range flag.
class RebalanceCommand final : public Command {
public:
    explicit RebalanceCommand(CLI::App& app);
    int run(std::ostream& out, std::ostream& err) const override;

private:
    bool has(const char* flag) const { return cmd_->count(flag) > 0; }
    /// Throws unless `flag` was given, naming `mode` (the flags that need it).
    void require(const char* flag, const char* mode) const;
    /// Throws when one of `flags` was given, naming `mode` (the flags it cannot go with).
    void forbid(std::initializer_list<const char*> flags, const char* mode) const;
    int run_leverage(std::ostream& out) const;
    int run_fund(std::ostream& out) const;
    int run_investor(std::ostream& out) const;

    double initial_ = 0, index_return_ = 0, current_ = 0, multiple_ = 0;
    double equity_ = 0, assets_ = 0, target_leverage_ = 0, nav_ = 0;
    bool json_ = false;
};

} // namespace letf::cli
