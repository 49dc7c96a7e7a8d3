#pragma once
/// \file sweep_cmd.hpp
/// The `letfsim sweep STUDY.json [-o DIR] [--threads N] [--resume] [-q]` subcommand.

#include <ostream>
#include <string>

namespace CLI {
class App;
}

namespace letf::cli {

struct SweepArgs {
    std::string study;
    std::string output; ///< empty: results/<study name>
    int threads = 0;
    bool resume = false;
    bool quiet = false;
};

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

/// Registers `sweep` on `app`, its values going to `args`.
CLI::App* add_sweep_command(CLI::App& app, SweepArgs& args);

/// Runs a parsed `sweep`. Returns 0 when every point is done, 130 when interrupted (Ctrl-C; the
/// finished points stay and --resume continues). Throws InputError for bad input, an output
/// target that is not a folder, a folder locked by another sweep or holding another study (exit
/// 2), and std::runtime_error when a file cannot be written or a thread cannot start (exit 1).
int run_sweep_command(const SweepArgs& args, const CLI::App& cmd, std::ostream& out,
                      std::ostream& err);

} // namespace letf::cli
