#include "merge_cmd.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "cli_util.hpp"
#include "letf/base/error.hpp"
#include "letf/engine/engine.hpp"
#include "letf/engine/partial_file.hpp"
#include "output_check.hpp"
#include "run_cmd.hpp"

namespace letf::cli {

MergeCommand::MergeCommand(CLI::App& app)
    : Command(app.add_subcommand(
          "merge", "Join partial results (run --blocks A:B --partial FILE) into the run's report")) {
    cmd_->add_option("CONFIG", config_, "The scenario file the partials were made from")->required();
    cmd_->add_option("PARTIAL", partials_, "Partial-result files, in any order, every block once")
        ->required();
    cmd_->add_option("-o,--output", output_, "Report file (default: results/<scenario name>.json)");
    cmd_->add_option("--seed", seed_, "The --seed the partials were run with");
    cmd_->add_option("--paths", paths_, "The --paths the partials were run with");
    auto* quiet = cmd_->add_flag("-q,--quiet", quiet_, "No summary on stdout");
    cmd_->add_flag("--json", json_, "Print the summary as JSON on stdout (as run --json)")
        ->excludes(quiet);
}

int MergeCommand::run(std::ostream& out, std::ostream&) const {
    const ScenarioConfig config = load_with_overrides(*cmd_, config_, seed_, paths_);
    const std::string output =
        output_flag(*cmd_, output_).value_or("results/" + config.name + ".json");
    if (output == "-" && json_)
        throw InputError("command line", "--json",
                         "cannot share stdout with the report of -o - (write the report to a file)",
                         "-o -");
    if (output != "-")
        check_output_file_flag("--output", output);
    const auto start = std::chrono::steady_clock::now();
    const Plan plan = make_plan(config, EngineOptions{});

    struct Piece {
        PartialResult partial;
        std::string file;
    };
    std::vector<Piece> pieces;
    for (const std::string& f : partials_)
        pieces.push_back({read_partial_file(f, plan), f});
    std::sort(pieces.begin(), pieces.end(), [](const Piece& a, const Piece& b) {
        return a.partial.range.first_block < b.partial.range.first_block;
    });
    std::int64_t at = 0;
    for (std::size_t k = 0; k < pieces.size(); ++k) {
        const BlockRange r = pieces[k].partial.range;
        if (r.first_block < at)
            throw InputError(pieces[k].file, "",
                             fmt::format("holds blocks {}:{}, which overlap blocks {}:{} of {}",
                                         r.first_block, r.end_block,
                                         pieces[k - 1].partial.range.first_block,
                                         pieces[k - 1].partial.range.end_block,
                                         pieces[k - 1].file));
        if (r.first_block > at)
            throw InputError(pieces[k].file, "",
                             fmt::format("starts at block {}, but no partial holds blocks {}:{} "
                                         "(the run has {} blocks)",
                                         r.first_block, at, r.first_block, plan.blocks));
        at = r.end_block;
    }
    if (at < plan.blocks)
        throw InputError(pieces.back().file, "",
                         fmt::format("ends at block {}, but no partial holds blocks {}:{} (the "
                                     "run has {} blocks)",
                                     at, at, plan.blocks, plan.blocks));
    PartialResult whole = std::move(pieces[0].partial);
    for (std::size_t k = 1; k < pieces.size(); ++k)
        merge(whole, std::move(pieces[k].partial));
    SimulationResult result = finalize(plan, std::move(whole));
    result.elapsed_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return write_run_outputs(config, result, output, json_, quiet_, out);
}

} // namespace letf::cli
