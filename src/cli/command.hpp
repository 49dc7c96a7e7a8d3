#pragma once
/// \file command.hpp
/// The one shape of a subcommand. Each subcommand is a class in its own file (run_cmd, ...):
/// its constructor registers the subcommand and its flags on the app, run() does the work after
/// a successful parse when it was selected. cli.cpp lists them once (make_commands), in the
/// order `letfsim --help` shows them.

#include <ostream>

#include <CLI/CLI.hpp>

namespace letf::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntime = 1;
inline constexpr int kExitUsage = 2;
/// The last line of every `--help`.
inline constexpr const char* kExitCodesLine =
    "Exit codes: 0 success, 2 usage or config error, 1 runtime failure.";
/// A sweep stopped by Ctrl-C (128 + SIGINT): the finished points stay, --resume continues.
inline constexpr int kExitInterrupted = 130;

class Command {
public:
    virtual ~Command() = default;
    Command(const Command&) = delete;
    Command& operator=(const Command&) = delete;

    /// True when the parsed command line chose this subcommand.
    bool selected() const { return static_cast<bool>(*cmd_); }
    /// Runs the parsed subcommand; returns the exit code. Throws InputError for bad input (exit
    /// 2), std::exception for a runtime failure (exit 1).
    virtual int run(std::ostream& out, std::ostream& err) const = 0;

protected:
    /// Every subcommand's --help ends with the exit codes; one with its own footer ends it so.
    explicit Command(CLI::App* cmd) : cmd_(cmd) { cmd_->footer(kExitCodesLine); }
    CLI::App* cmd_;
};

} // namespace letf::cli
