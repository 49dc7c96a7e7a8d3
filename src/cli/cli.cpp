#include "cli.hpp"
#include "sweep_cmd.hpp"

#include "backtest_cmd.hpp"
#include "rebalance_cmd.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <new>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "cli_util.hpp"
#include "letf/io/atomic_file.hpp"
#include "letf/config/scenario.hpp"
#include "letf/engine/engine.hpp"
#include "letf/base/error.hpp"
#include "letf/output/report.hpp"
#include "letf/version.hpp"

namespace letf::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitRuntime = 1;
constexpr int kExitUsage = 2;

struct RunArgs {
    std::string config;
    std::string output;
    std::string seed; // parsed here: CLI11 2.1 wraps negative values into uint64
    std::int64_t paths = 0;
    int threads = 0;
    bool quiet = false;
};

/// Progress on stderr with an ETA, only on a terminal and only once a run has taken a second.
class Progress {
public:
    Progress(std::ostream& err, std::int64_t total, bool enabled)
        : err_(err), total_(total), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

    void update(std::int64_t done) {
        if (!enabled_)
            return;
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        if (elapsed < 1.0 || done <= 0)
            return;
        const double eta = elapsed * static_cast<double>(total_ - done) / static_cast<double>(done);
        err_ << fmt::format("\r  {:5.1f}% of {} paths, {:.0f} s elapsed, ETA {:.0f} s   ",
                            100.0 * static_cast<double>(done) / static_cast<double>(total_), total_,
                            elapsed, eta)
             << std::flush;
        shown_ = true;
    }

    ~Progress() {
        if (shown_)
            err_ << "\r" << std::string(60, ' ') << "\r" << std::flush;
    }

private:
    std::ostream& err_;
    std::int64_t total_;
    bool enabled_;
    bool shown_ = false;
    std::chrono::steady_clock::time_point start_;
};

std::uint64_t parse_seed(const std::string& text) {
    std::uint64_t seed = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, seed);
    if (text.empty() || ec != std::errc() || ptr != end)
        throw InputError("command line", "--seed", "must be an integer in [0, 2^64-1]", text);
    return seed;
}

int do_run(const RunArgs& a, const CLI::App& cmd, std::ostream& out, std::ostream& err) {
    ScenarioConfig config = load_scenario(a.config);
    Overrides o;
    if (cmd.count("--seed"))
        o.seed = parse_seed(a.seed);
    if (cmd.count("--paths"))
        o.paths = a.paths;
    apply_overrides(config, o);
    check_threads_flag(cmd, a.threads);

    const std::filesystem::path output =
        output_flag(cmd, a.output).value_or("results/" + config.name + ".json");
    check_output_file(output); // before the run: nothing is computed for a refused target

    EngineOptions options;
    options.threads = a.threads;
    Progress progress(err, config.paths, !a.quiet && ::isatty(2) == 1);
    options.progress = [&progress](std::int64_t done) { progress.update(done); };
    check_memory(config, a.threads, a.config);
    const SimulationResult result = simulate(config, options);
    write_file_atomic(output, report_json(config, result));
    if (!a.quiet)
        out << console_summary(config, result) << "report: " << output.string() << "\n";
    return kExitOk;
}

int do_validate(const std::vector<std::string>& files, std::ostream& out, std::ostream& err) {
    int code = kExitOk;
    for (const std::string& f : files) {
        try {
            const ScenarioConfig c = load_scenario(f);
            out << fmt::format("ok: {} ({}: {} paths x {} days, {} strategies x {} multiples)\n", f,
                               c.name, c.paths, c.days, c.strategies.size(), c.multiples.size());
        } catch (const InputError& e) {
            err << e.what() << "\n";
            code = kExitUsage;
        }
    }
    return code;
}

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

} // namespace

int main(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    CLI::App app{"letfsim: Monte Carlo simulator of path dependency in leveraged and inverse funds",
                 "letfsim"};
    app.set_version_flag("--version", std::string("letfsim ") + kVersion);
    app.require_subcommand(1);
    app.footer("Exit codes: 0 success, 2 usage or config error, 1 runtime failure.");

    RunArgs run_args;
    CLI::App* run = app.add_subcommand("run", "Run a scenario file and write its JSON report");
    run->add_option("CONFIG", run_args.config, "Scenario file (JSON)")->required();
    run->add_option("-o,--output", run_args.output,
                    "Report file (default: results/<scenario name>.json)");
    run->add_option("--seed", run_args.seed, "Override the scenario's seed");
    run->add_option("--paths", run_args.paths, "Override the number of paths");
    run->add_option("--threads", run_args.threads, "Threads (default: all cores)");
    run->add_flag("-q,--quiet", run_args.quiet, "No summary on stdout, no progress on stderr");

    std::vector<std::string> files;
    CLI::App* validate =
        app.add_subcommand("validate", "Check scenario files without running them");
    validate->add_option("CONFIG", files, "Scenario files (JSON)")->required();

    RebalanceCommand rebalance(app);
    BacktestCommand backtest(app);
    SweepArgs sweep_args;
    CLI::App* sweep = add_sweep_command(app, sweep_args);

    try {
        if (argc > 1 && argv[1][0] != '-')
            check_subcommand(app, argv[1]);
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) { // --help, --version
            app.exit(e, out, err);
            return kExitOk;
        }
        err << "letfsim: " << e.what() << " (see letfsim --help)\n";
        return kExitUsage;
    }

    try {
        if (*run)
            return do_run(run_args, *run, out, err);
        if (rebalance.selected())
            return rebalance.run(out);
        if (backtest.selected())
            return backtest.run(out);
        if (*sweep)
            return run_sweep_command(sweep_args, *sweep, out, err);
        return do_validate(files, out, err);
    } catch (const InputError& e) {
        err << e.what() << "\n";
        return kExitUsage;
    } catch (const std::bad_alloc&) {
        err << "letfsim: out of memory\n";
        return kExitRuntime;
    } catch (const std::exception& e) {
        err << "letfsim: " << e.what() << "\n";
        return kExitRuntime;
    }
}

} // namespace letf::cli
