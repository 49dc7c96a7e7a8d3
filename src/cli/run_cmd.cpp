#include "run_cmd.hpp"

#include <charconv>
#include <filesystem>

#include <fmt/format.h>
#include <unistd.h>

#include "cli_util.hpp"
#include "letf/base/error.hpp"
#include "letf/config/scenario.hpp"
#include "letf/engine/engine.hpp"
#include "letf/io/atomic_file.hpp"
#include "letf/output/report.hpp"
#include "output_check.hpp"
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

} // namespace

RunCommand::RunCommand(CLI::App& app)
    : Command(app.add_subcommand("run", "Run a scenario file and write its JSON report")) {
    cmd_->add_option("CONFIG", config_, "Scenario file (JSON)")->required();
    cmd_->add_option("-o,--output", output_, "Report file (default: results/<scenario name>.json)");
    cmd_->add_option("--seed", seed_, "Override the scenario's seed");
    cmd_->add_option("--paths", paths_, "Override the number of paths");
    cmd_->add_option("--threads", threads_, "Threads (default: all cores)");
    cmd_->add_flag("-q,--quiet", quiet_, "No summary on stdout, no progress on stderr");
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
    // Before the run: nothing is computed for a refused target.
    check_output_file_flag("--output", output);

    EngineOptions options;
    options.threads = threads_;
    Progress progress(err, config.paths, config.days, !quiet_ && ::isatty(2) == 1);
    options.progress = [&progress](std::int64_t done) { progress.update(done); };
    check_memory(config, threads_, config_);
    const SimulationResult result = simulate(config, options);
    progress.finish(); // the summary starts on a clean line
    write_file_atomic(output, report_json(config, result));
    if (!quiet_)
        out << console_summary(config, result) << "report: " << output.string() << "\n";
    return kExitOk;
}

} // namespace letf::cli
