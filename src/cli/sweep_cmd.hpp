#pragma once
/// \file sweep_cmd.hpp
/// The `letfsim sweep STUDY.json [-o DIR] [--threads N] [--resume] [--shard I/N] [-q]`
/// subcommand; under `mpirun -np N` the points are dealt to the ranks (run_study.hpp).

#include <ostream>
#include <string>

#include "command.hpp"
#include "letf/cluster/world.hpp"

namespace letf::cli {

/// Ctrl-C during a sweep, for the guard's lifetime: the first SIGINT sets interrupted() (the
/// sweep stops gracefully, exit 130) and puts back the handler that was in place before, so a
/// second SIGINT reaches it (install_signal_cleanup's: remove the temporary being written, exit
/// 130). The destructor restores that handler.
class SigintGuard {
public:
    SigintGuard();
    ~SigintGuard();
    SigintGuard(const SigintGuard&) = delete;
    SigintGuard& operator=(const SigintGuard&) = delete;

    static bool interrupted();
};

/// Runs a parsed `sweep`. run() returns 0 when every point is done, 130 when interrupted (Ctrl-C;
/// the finished points stay and --resume continues). Throws InputError for bad input, an output
/// target that is not a folder, a folder locked by another sweep or holding another study (exit
/// 2), and std::runtime_error when a file cannot be written (exit 1).
class SweepCommand final : public Command {
public:
    SweepCommand(CLI::App& app, World& world);
    int run(std::ostream& out, std::ostream& err) const override;

private:
    std::string study_;
    std::string output_; ///< empty: results/<study name>
    int threads_ = 0;
    std::string shard_; ///< "I/N", empty: the whole study
    bool resume_ = false;
    bool quiet_ = false;
    World& world_;
};

} // namespace letf::cli
