#pragma once
/// \file run_cmd.hpp
/// `letfsim run CONFIG [-o FILE|-] [--seed S] [--paths N] [--threads T] [-q] [--json]`: one
/// scenario, its JSON report written atomically, the console summary on stdout. `-o -` writes
/// the report to stdout instead (then no summary there); `--json` prints the summary as JSON
/// (the study's summary row of every series, as a point file holds it) instead of the table;
/// `--export-paths FILE.csv` writes every path's outcome per series (path_export.hpp).

#include <cstdint>
#include <string>

#include "command.hpp"

namespace letf::cli {

class RunCommand final : public Command {
public:
    explicit RunCommand(CLI::App& app);
    int run(std::ostream& out, std::ostream& err) const override;

private:
    std::string config_, output_, export_paths_;
    std::string seed_; // parsed here: CLI11 2.1 wraps negative values into uint64
    std::int64_t paths_ = 0;
    int threads_ = 0;
    bool quiet_ = false;
    bool json_ = false;
};

} // namespace letf::cli
