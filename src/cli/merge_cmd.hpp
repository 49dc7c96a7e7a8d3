#pragma once
/// \file merge_cmd.hpp
/// `letfsim merge CONFIG PARTIAL... [-o REPORT|-] [--seed S] [--paths N] [-q] [--json]`: joins
/// partial results (`run --blocks A:B --partial FILE`, in any order) into the run's report, the
/// bytes one process would have written. The partials must be of CONFIG's run (with the same
/// --seed/--paths) and hold every block exactly once; otherwise exit 2 naming the file.

#include <cstdint>
#include <string>
#include <vector>

#include "command.hpp"

namespace letf::cli {

class MergeCommand final : public Command {
public:
    explicit MergeCommand(CLI::App& app);
    int run(std::ostream& out, std::ostream& err) const override;

private:
    std::string config_, output_, seed_;
    std::vector<std::string> partials_;
    std::int64_t paths_ = 0;
    bool quiet_ = false, json_ = false;
};

} // namespace letf::cli
