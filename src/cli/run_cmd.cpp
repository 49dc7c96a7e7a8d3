#include "run_cmd.hpp"

#include <charconv>
#include <filesystem>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "cli_util.hpp"
#include "letf/base/error.hpp"
#include "letf/config/scenario.hpp"
#include "letf/engine/engine.hpp"
#include "letf/io/atomic_file.hpp"
#include "letf/output/report.hpp"
#include "letf/study/study_files.hpp"
#include "letf/study/summary.hpp"
#include "output_check.hpp"
#include "path_export.hpp"
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

} // namespace

RunCommand::RunCommand(CLI::App& app)
    : Command(app.add_subcommand("run", "Run a scenario file and write its JSON report")) {
    cmd_->add_option("CONFIG", config_, "Scenario file (JSON)")->required();
    cmd_->add_option("-o,--output", output_, "Report file (default: results/<scenario name>.json)");
    cmd_->add_option("--export-paths", export_paths_,
                     "Also write every path's outcome per series to this CSV file (terminal, log "
                     "return, max drawdown, wipe-out day), in path order");
    cmd_->add_option("--seed", seed_, "Override the scenario's seed");
    cmd_->add_option("--paths", paths_, "Override the number of paths");
    cmd_->add_option("--threads", threads_, "Threads (default: all cores)");
    auto* quiet = cmd_->add_flag("-q,--quiet", quiet_, "No summary on stdout, no progress on stderr");
    cmd_->add_flag("--json", json_,
                   "Print the summary as JSON on stdout (every series' summary row, as a study's "
                   "point file holds it) instead of the table")
        ->excludes(quiet);
}

int RunCommand::run(std::ostream& out, std::ostream& err) const {
    ScenarioConfig config = load_scenario(config_);
    Overrides o;
    if (cmd_->count("--seed"))
        o.seed = parse_seed(seed_);
    if (cmd_->count("--paths"))
        o.paths = paths_;
    apply_overrides(config, o);
    check_threads_flag(*cmd_, threads_);

    const std::filesystem::path output =
        output_flag(*cmd_, output_).value_or("results/" + config.name + ".json");
    // `-o -`: the report is stdout, which then carries nothing else.
    const bool to_stdout = output == "-";
    if (to_stdout && json_)
        throw InputError("command line", "--json",
                         "cannot share stdout with the report of -o - (write the report to a file)",
                         "-o -");
    // Before the run: nothing is computed for a refused target.
    if (!to_stdout)
        check_output_file_flag("--output", output);
    std::optional<std::filesystem::path> export_paths;
    if (cmd_->count("--export-paths")) {
        if (export_paths_.empty())
            throw InputError("command line", "--export-paths", "must not be empty", "\"\"");
        export_paths = export_paths_;
        if (!to_stdout && std::filesystem::absolute(*export_paths) ==
                              std::filesystem::absolute(output))
            throw InputError("command line", "--export-paths", "must not be the report's file",
                             export_paths_);
        check_output_file_flag("--export-paths", *export_paths);
    }

    EngineOptions options;
    options.threads = threads_;
    Progress progress(err, config.paths, config.days, !quiet_ && ::isatty(2) == 1);
    options.progress = [&progress](std::int64_t done) { progress.update(done); };
    check_memory(config, threads_, config_);
    std::optional<PathExport> exporter;
    if (export_paths) {
        exporter.emplace(*export_paths, config);
        options.on_block = [&exporter](const BlockPaths& b) { exporter->add(b); };
    }
    const SimulationResult result = simulate(config, options);
    if (exporter)
        exporter->finish(); // before the report: one temporary at a time
    progress.finish(); // the summary starts on a clean line
    if (to_stdout) {
        out << report_json(config, result) << std::flush;
        return kExitOk;
    }
    write_file_atomic(output, report_json(config, result));
    if (json_)
        out << run_summary_json(config, result, output.string()) << "\n";
    else if (!quiet_)
        out << console_summary(config, result) << "report: " << output.string() << "\n";
    return kExitOk;
}

} // namespace letf::cli
