#include "validate_cmd.hpp"

#include "cli_util.hpp"

#include <fmt/format.h>

#include "letf/base/error.hpp"
#include "letf/config/scenario.hpp"

namespace letf::cli {

ValidateCommand::ValidateCommand(CLI::App& app)
    : Command(app.add_subcommand("validate", "Check scenario files without running them")) {
    cmd_->add_option("CONFIG", files_, "Scenario files (JSON)")->required();
}

int ValidateCommand::run(std::ostream& out, std::ostream& err) const {
    int code = kExitOk;
    for (const std::string& f : files_) {
        try {
            const ScenarioConfig c = load_scenario(f);
            print_unit_warnings(err, unit_warnings(c, f));
            print_data_notes(err, data_notes(c));
            out << fmt::format("ok: {} ({}: {} paths x {} days, {} strategies x {} multiples)\n", f,
                               c.name, c.paths, c.days, c.strategies.size(), c.multiples.size());
        } catch (const InputError& e) {
            err << e.what() << "\n";
            code = kExitUsage;
        }
    }
    return code;
}

} // namespace letf::cli
