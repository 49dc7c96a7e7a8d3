#pragma once
/// \file run_cmd.hpp
/// `letfsim run CONFIG [-o FILE|-] [--seed S] [--paths N] [--threads T] [-q] [--json]`: one
/// scenario, its JSON report written atomically, the console summary on stdout. `-o -` writes
/// the report to stdout instead (then no summary there); `--json` prints the summary as JSON
/// (the study's summary row of every series, as a point file holds it) instead of the table;
/// `--export-paths FILE.csv` writes every path's outcome per series (path_export.hpp).
///
/// Beyond one process (cluster/cluster_run.hpp): under `mpirun -np N` the blocks are dealt to
/// the ranks and rank 0 writes; `--blocks A:B|K/N --partial FILE` computes some blocks and
/// writes their partial result (engine/partial_file.hpp) for `letfsim merge`; `--checkpoint DIR`
/// keeps the run's partial results there (cluster/checkpoint.hpp), so a killed run started again
/// recomputes only the blocks it lost.

#include <cstdint>
#include <string>

#include "command.hpp"
#include "letf/cluster/world.hpp"
#include "letf/config/scenario.hpp"
#include "letf/engine/result.hpp"

namespace letf::cli {

class RunCommand final : public Command {
public:
    RunCommand(CLI::App& app, World& world);
    int run(std::ostream& out, std::ostream& err) const override;

private:
    std::string config_, output_, export_paths_, blocks_, partial_, checkpoint_, series_;
    std::string seed_; // parsed here: CLI11 2.1 wraps negative values into uint64
    std::int64_t paths_ = 0;
    int threads_ = 0;
    double checkpoint_every_ = 60.0;
    bool quiet_ = false;
    bool json_ = false;
    World& world_;
};

/// The scenario of `file` with the --seed and --paths flags of `cmd` applied (run and merge).
ScenarioConfig load_with_overrides(const CLI::App& cmd, const std::string& file,
                                   const std::string& seed, std::int64_t paths);

/// Writes a finished run's report and summary as `run` does: to `output` atomically (or stdout
/// for "-"), then the console summary, the JSON summary (`json`) or nothing (`quiet`).
int write_run_outputs(const ScenarioConfig& config, const SimulationResult& result,
                      const std::string& output, bool json, bool quiet, std::ostream& out);

} // namespace letf::cli
