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

/// Registers `sweep` on `app`, its values going to `args`.
CLI::App* add_sweep_command(CLI::App& app, SweepArgs& args);

/// Runs a parsed `sweep`. Returns 0 when every point is done, 130 when interrupted (Ctrl-C; the
/// finished points stay and --resume continues). Throws InputError for bad input (exit 2) and
/// std::runtime_error when a file cannot be written (exit 1).
int run_sweep_command(const SweepArgs& args, const CLI::App& cmd, std::ostream& out,
                      std::ostream& err);

} // namespace letf::cli
