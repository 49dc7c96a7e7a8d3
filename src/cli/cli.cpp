#include "cli.hpp"

#include <algorithm>
#include <array>
#include <memory>
#include <new>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "backtest_cmd.hpp"
#include "calibrate_cmd.hpp"
#include "command.hpp"
#include "fit_cmd.hpp"
#include "merge_cmd.hpp"
#include "letf/base/error.hpp"
#include "letf/version.hpp"
#include "rebalance_cmd.hpp"
#include "run_cmd.hpp"
#include "sweep_cmd.hpp"
#include "validate_cmd.hpp"

namespace letf::cli {
namespace {

/// Levenshtein distance, for "did you mean".
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = up;
        }
    }
    return row[b.size()];
}

/// Throws a usage error naming `word` when it is not one of the subcommands, with the closest
/// one suggested when it is near (at most 2 edits, or a prefix).
void check_subcommand(const CLI::App& app, const std::string& word) {
    std::string best;
    std::size_t best_distance = std::string::npos;
    std::string names;
    for (const CLI::App* sub : app.get_subcommands({})) {
        const std::string& name = sub->get_name();
        if (name == word)
            return;
        names += (names.empty() ? "" : ", ") + name;
        const std::size_t d = name.rfind(word, 0) == 0 ? 1 : edit_distance(word, name);
        if (d < best_distance) {
            best_distance = d;
            best = name;
        }
    }
    std::string message = "unknown command " + nlohmann::json(word).dump();
    if (best_distance <= 2)
        message += "; did you mean \"" + best + "\"?";
    else
        message += "; the commands are " + names;
    throw CLI::ParseError(message + "", 2);
}

/// CLI11's message, with a flag given twice said plainly (`--paths: given 2 times; give it
/// once`): a repeated flag is a usage error, never a silent choice between its values.
std::string usage_message(const CLI::ParseError& e) {
    static const std::regex repeated(R"(^(\S+): At Most 1 required but received ([0-9]+)$)");
    const std::string what = e.what();
    std::smatch m;
    if (std::regex_match(what, m, repeated))
        return m[1].str() + ": given " + m[2].str() + " times; give it once";
    return what;
}

/// Every subcommand, registered on `app` in the order --help lists them: adding one is one class
/// in its own file and one line here.
std::vector<std::unique_ptr<Command>> make_commands(CLI::App& app, World& world) {
    std::vector<std::unique_ptr<Command>> commands;
    commands.push_back(std::make_unique<RunCommand>(app, world));
    commands.push_back(std::make_unique<MergeCommand>(app));
    commands.push_back(std::make_unique<ValidateCommand>(app));
    commands.push_back(std::make_unique<RebalanceCommand>(app));
    commands.push_back(std::make_unique<BacktestCommand>(app));
    commands.push_back(std::make_unique<SweepCommand>(app, world));
    commands.push_back(std::make_unique<FitCommand>(app));
    commands.push_back(std::make_unique<CalibrateCommand>(app));
    return commands;
}

/// Parses the command line; returns the exit code when it ends the program (help, version, a
/// usage error), else nullopt.
std::optional<int> parse(CLI::App& app, int argc, const char* const* argv, std::ostream& out,
                         std::ostream& err) {
    try {
        if (argc > 1 && argv[1][0] != '-')
            check_subcommand(app, argv[1]);
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) { // --help, --version
            app.exit(e, out, err);
            return kExitOk;
        }
        err << "letfsim: " << usage_message(e) << " (see letfsim --help)\n";
        return kExitUsage;
    }
    return std::nullopt;
}

/// Runs the selected command, turning its exceptions into messages and exit codes.
/// On a rank other than 0, `err` is the real stderr and `quiet` the stream given to commands:
/// bad input is found alike on every rank and rank 0 says it; a runtime failure is this rank's
/// own, said with its rank, and ends every rank (World::abort) so that none waits for it.
int run_selected(const std::vector<std::unique_ptr<Command>>& commands, std::ostream& out,
                 std::ostream& err, World& world) {
    const bool root = world.rank() == 0;
    const std::string who = root && world.size() == 1
                                ? "letfsim: "
                                : "letfsim: rank " + std::to_string(world.rank()) + ": ";
    const auto failed = [&](const std::string& message) {
        err << who << message << "\n" << std::flush;
        if (world.size() > 1)
            world.abort(kExitRuntime);
        return kExitRuntime;
    };
    try {
        for (const auto& c : commands)
            if (c->selected())
                return c->run(out, root ? err : out);
        err << "letfsim: no command (see letfsim --help)\n"; // require_subcommand(1) prevents it
        return kExitUsage;
    } catch (const InputError& e) {
        if (root)
            err << e.what() << "\n";
        return kExitUsage;
    } catch (const RankStop& stop) {
        return stop.exit_code; // rank 0 said why
    } catch (const std::bad_alloc&) {
        return failed("out of memory");
    } catch (const std::exception& e) {
        return failed(e.what());
    }
}

/// Discards what it is given (the output of ranks other than 0).
class NullStream : public std::ostream {
public:
    NullStream() : std::ostream(nullptr) {}
};

} // namespace

int main(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    const std::unique_ptr<World> world = single_process_world();
    return main(argc, argv, out, err, *world);
}

int main(int argc, const char* const* argv, std::ostream& out, std::ostream& err, World& world) {
    CLI::App app{"letfsim: Monte Carlo simulator of path dependency in leveraged and inverse funds",
                 "letfsim"};
    const std::string mpi = mpi_build_info();
    app.set_version_flag("--version", std::string("letfsim ") + kVersion + " (" +
                                          (mpi.empty() ? "built without MPI" : "MPI: " + mpi) +
                                          ")");
    app.require_subcommand(1);
    app.footer(kExitCodesLine);
    const std::vector<std::unique_ptr<Command>> commands = make_commands(app, world);
    NullStream null;
    const bool root = world.rank() == 0;
    if (const std::optional<int> code =
            parse(app, argc, argv, root ? out : null, root ? err : null))
        return *code;
    return run_selected(commands, root ? out : null, err, world);
}

} // namespace letf::cli
