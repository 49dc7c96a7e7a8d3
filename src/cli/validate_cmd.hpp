#pragma once
/// \file validate_cmd.hpp
/// `letfsim validate CONFIG...`: checks scenario files without running them; one line per file
/// (ok on stdout, the error on stderr), exit 2 when any fails.

#include <string>
#include <vector>

#include "command.hpp"

namespace letf::cli {

class ValidateCommand final : public Command {
public:
    explicit ValidateCommand(CLI::App& app);
    int run(std::ostream& out, std::ostream& err) const override;

private:
    std::vector<std::string> files_;
};

} // namespace letf::cli
