#include "run_cmd.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <charconv>
#include <new>
#include <filesystem>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "cli_util.hpp"
#include "letf/base/error.hpp"
#include "letf/cluster/cluster_run.hpp"
#include "letf/config/scenario.hpp"
#include "letf/engine/engine.hpp"
#include "letf/engine/partial_file.hpp"
#include "letf/io/atomic_file.hpp"
#include "letf/output/report.hpp"
#include "letf/study/study_files.hpp"
#include "letf/study/summary.hpp"
#include "output_check.hpp"
#include "path_export.hpp"
#include "series_export.hpp"
#include "progress.hpp"

namespace letf::cli {
namespace {

std::uint64_t parse_seed(const std::string& text) {
    std::uint64_t seed = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, seed);
    if (text.empty() || ec != std::errc() || ptr != end)
        throw InputError("command line", "--seed", "must be an integer in [0, 2^64-1]", text);
    return seed;
}

/// `run --json`: the scenario, the report's path, the run's speed and the summary of every
/// series (study/study_files.hpp, point_summary_json).
std::string run_summary_json(const ScenarioConfig& c, const SimulationResult& r,
                             const std::string& report) {
    nlohmann::ordered_json j;
    j["scenario"] = c.name;
    j["report"] = report;
    j["threads"] = r.threads;
    j["elapsed_seconds"] = r.elapsed_seconds;
    j["summary"] = point_summary_json(summarize(c, r));
    return j.dump(2);
}

/// The blocks of `--blocks`: "A:B" (either end may be left out: 0, the last), or "K/N", share K
/// (0-based) of N equal contiguous shares (share_of).
BlockRange parse_blocks(const std::string& text, std::int64_t blocks) {
    const auto bad = [&](const std::string& why) {
        return InputError("command line", "--blocks",
                          why + fmt::format(" (the run has {} blocks: 0:{})", blocks, blocks),
                          text);
    };
    const auto number = [](std::string_view t, std::int64_t& x) {
        const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
        return ec == std::errc() && p == t.data() + t.size();
    };
    const auto slash = text.find('/');
    if (slash != std::string::npos) {
        std::int64_t k = 0, n = 0;
        if (!number(std::string_view(text).substr(0, slash), k) ||
            !number(std::string_view(text).substr(slash + 1), n) || n < 1 || k < 0 || k >= n)
            throw bad("must be A:B or K/N with 0 <= K < N");
        return share_of({0, blocks}, k, n);
    }
    const auto colon = text.find(':');
    if (colon == std::string::npos)
        throw bad("must be A:B or K/N with 0 <= K < N");
    BlockRange r{0, blocks};
    const std::string_view a = std::string_view(text).substr(0, colon);
    const std::string_view b = std::string_view(text).substr(colon + 1);
    if ((!a.empty() && !number(a, r.first_block)) || (!b.empty() && !number(b, r.end_block)))
        throw bad("must be A:B or K/N with 0 <= K < N");
    if (r.first_block < 0 || r.end_block > blocks || r.first_block >= r.end_block)
        throw bad("must be a non-empty range of blocks within the run");
    return r;
}

} // namespace

ScenarioConfig load_with_overrides(const CLI::App& cmd, const std::string& file,
                                   const std::string& seed, std::int64_t paths) {
    ScenarioConfig config = load_scenario(file);
    Overrides o;
    if (cmd.count("--seed"))
        o.seed = parse_seed(seed);
    if (cmd.count("--paths"))
        o.paths = paths;
    apply_overrides(config, o);
    return config;
}

int write_run_outputs(const ScenarioConfig& config, const SimulationResult& result,
                      const std::string& output, bool json, bool quiet, std::ostream& out) {
    if (output == "-") {
        out << report_json(config, result) << std::flush;
        return kExitOk;
    }
    write_file_atomic(output, report_json(config, result));
    if (json)
        out << run_summary_json(config, result, output) << "\n";
    else if (!quiet)
        out << console_summary(config, result) << "report: " << output << "\n";
    return kExitOk;
}

RunCommand::RunCommand(CLI::App& app, World& world)
    : Command(app.add_subcommand("run", "Run a scenario file and write its JSON report")),
      world_(world) {
    cmd_->add_option("CONFIG", config_, "Scenario file (JSON)")->required();
    cmd_->add_option("-o,--output", output_, "Report file (default: results/<scenario name>.json)");
    cmd_->add_option("--export-paths", export_paths_,
                     "Also write every path's outcome per series to this CSV file (terminal, log "
                     "return, max drawdown, wipe-out day), in path order");
    cmd_->add_option("--series", series_,
                     "Also write every day's value of every series of every path to this CSV "
                     "file (exact; dated for a historical model; at most 10,000,000 path-days)");
    cmd_->add_option("--seed", seed_, "Override the scenario's seed");
    cmd_->add_option("--paths", paths_, "Override the number of paths");
    cmd_->add_option("--threads", threads_, "Threads (default: all cores; per rank under mpirun)");
    auto* quiet = cmd_->add_flag("-q,--quiet", quiet_, "No summary on stdout, no progress on stderr");
    cmd_->add_flag("--json", json_,
                   "Print the summary as JSON on stdout (every series' summary row, as a study's "
                   "point file holds it) instead of the table")
        ->excludes(quiet);
    cmd_->add_option("--partial", partial_,
                     "Write the partial result of the blocks (--blocks, default all) to this file "
                     "instead of a report; `letfsim merge` joins partials into the report");
    cmd_->add_option("--blocks", blocks_,
                     "With --partial: the blocks of 1024 paths to compute, A:B (from A to before "
                     "B) or K/N (share K of N equal shares, K from 0)");
    cmd_->add_option("--checkpoint", checkpoint_,
                     "Keep the run's partial results in this folder; started again with the same "
                     "folder, a killed run recomputes only the blocks it lost");
    cmd_->add_option("--checkpoint-every", checkpoint_every_,
                     "Seconds between a process's checkpoint writes (default 60; 0: every chunk "
                     "of blocks)");
}

int RunCommand::run(std::ostream& out, std::ostream& err) const {
    const ScenarioConfig config = load_with_overrides(*cmd_, config_, seed_, paths_);
    check_threads_flag(*cmd_, threads_);
    if (!quiet_) {
        print_unit_warnings(err, unit_warnings(config, config_));
        print_data_notes(err, data_notes(config));
    }
    const bool to_partial = cmd_->count("--partial") > 0;
    if (cmd_->count("--blocks") && !to_partial)
        throw InputError("command line", "--blocks",
                         "needs --partial FILE (a report needs every block: join the partials "
                         "with letfsim merge)",
                         blocks_);
    if (cmd_->count("--checkpoint-every"))
        check_flag("--checkpoint-every", checkpoint_every_, Range::closed(0, 1e9));
    if (cmd_->count("--checkpoint") && checkpoint_.empty())
        throw InputError("command line", "--checkpoint", "must not be empty", "\"\"");
    if (to_partial) {
        for (const char* flag : {"--output", "--json", "--export-paths"})
            if (cmd_->count(flag))
                throw InputError("command line", flag,
                                 "cannot go with --partial, which writes no report (letfsim "
                                 "merge writes it)",
                                 partial_);
        if (partial_.empty())
            throw InputError("command line", "--partial", "must not be empty", "\"\"");
    }

    const std::filesystem::path output =
        to_partial ? std::filesystem::path(partial_)
                   : std::filesystem::path(
                         output_flag(*cmd_, output_).value_or("results/" + config.name + ".json"));
    // `-o -`: the report is stdout, which then carries nothing else.
    const bool to_stdout = !to_partial && output == "-";
    if (to_stdout && json_)
        throw InputError("command line", "--json",
                         "cannot share stdout with the report of -o - (write the report to a file)",
                         "-o -");
    // Before the run: nothing is computed for a refused target.
    if (!to_stdout)
        check_output_file_flag(to_partial ? "--partial" : "--output", output);
    std::optional<std::filesystem::path> export_paths;
    if (cmd_->count("--export-paths")) {
        if (export_paths_.empty())
            throw InputError("command line", "--export-paths", "must not be empty", "\"\"");
        if (world_.size() > 1)
            throw InputError("command line", "--export-paths",
                             "is for one process (not under mpirun)", export_paths_);
        export_paths = export_paths_;
        if (!to_stdout && std::filesystem::absolute(*export_paths) ==
                              std::filesystem::absolute(output))
            throw InputError("command line", "--export-paths", "must not be the report's file",
                             export_paths_);
        check_output_file_flag("--export-paths", *export_paths);
    }

    std::optional<SeriesExport> series;
    if (cmd_->count("--series")) {
        if (series_.empty())
            throw InputError("command line", "--series", "must not be empty", "\"\"");
        if (to_partial || world_.size() > 1)
            throw InputError("command line", "--series",
                             "is for a whole run in one process (not with --partial or mpirun)",
                             series_);
        if (!to_stdout && std::filesystem::absolute(series_) == std::filesystem::absolute(output))
            throw InputError("command line", "--series", "must not be the report's file", series_);
        if (export_paths && std::filesystem::absolute(series_) == std::filesystem::absolute(*export_paths))
            throw InputError("command line", "--series", "must not be the --export-paths file",
                             series_);
        check_output_file_flag("--series", series_);
        series.emplace(config);
    }

    EngineOptions options;
    options.threads = threads_;
    if (series)
        options.on_day = [&series](const DayValues& d) { series->add(d); };
    check_memory(config, threads_, config_);
    std::optional<PathExport> exporter;
    if (export_paths) {
        exporter.emplace(*export_paths, config);
        options.on_block = [&exporter](const BlockPaths& b) { exporter->add(b); };
    }
    try {
        const Plan plan = make_plan(config, options);
        ClusterRunOptions co;
        if (cmd_->count("--blocks"))
            co.blocks = parse_blocks(blocks_, plan.blocks);
        if (cmd_->count("--checkpoint"))
            co.checkpoint = checkpoint_;
        co.checkpoint_seconds = checkpoint_every_;
        // Test seam (tests/cli/cluster_cases.sh): the process that finishes the chunk holding
        // block N kills itself with SIGKILL, after that chunk's checkpoint write: a crash at a
        // known point.
        if (const char* kill_at = std::getenv("LETF_TEST_KILL_AT_BLOCK")) {
            const std::int64_t block = std::atoll(kill_at);
            co.after_chunk = [block](std::int64_t end_block) {
                if (end_block > block)
                    ::raise(SIGKILL);
            };
        }
        const std::int64_t range_paths =
            plan.first_path(co.blocks.end_block < 0 ? plan.blocks : co.blocks.end_block) -
            plan.first_path(co.blocks.first_block);
        Progress progress(err, range_paths, config.days,
                          !quiet_ && world_.rank() == 0 && ::isatty(2) == 1);
        co.progress = [&progress](std::int64_t done) { progress.update(done); };
        const auto start = std::chrono::steady_clock::now();
        ClusterRunResult run = accumulate_on_cluster(plan, world_, co);
        if (!run.partial)
            return kExitOk; // another rank: rank 0 writes
        if (exporter)
            exporter->finish(); // before the report: one temporary at a time
        if (series)
            write_file_atomic(series_, series->text());
        progress.finish(); // the summary starts on a clean line
        if (to_partial) {
            write_partial_file(output, plan, *run.partial);
            if (!quiet_)
                err << fmt::format("letfsim: wrote the partial result of blocks {}:{} (of {}) "
                                   "to {}\n",
                                   run.partial->range.first_block, run.partial->range.end_block,
                                   plan.blocks, output.string());
            return kExitOk;
        }
        SimulationResult result = finalize(plan, std::move(*run.partial));
        result.elapsed_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (world_.size() > 1)
            result.threads_per_rank = run.threads_per_rank;
        return write_run_outputs(config, result, output.string(), json_, quiet_, out);
    } catch (const std::bad_alloc&) {
        throw OutOfMemory(estimate_memory(config, options).total());
    }
}

} // namespace letf::cli
