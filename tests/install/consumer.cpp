// A program outside letfsim that uses the installed library (tests/install/install_check.sh):
// a scenario from JSON text, a run, one number out.
#include <cstdio>

#include "letf/config/scenario.hpp"
#include "letf/engine/engine.hpp"
#include "letf/version.hpp"

int main() {
    const letf::ScenarioConfig c = letf::parse_scenario_text(
        R"({"name": "c", "paths": 2000, "days": 20, "seed": 1,
            "model": {"type": "gbm", "mu": 0.05, "sigma": 0.2}, "multiples": [2]})",
        "consumer");
    const letf::SimulationResult r = letf::simulate(c);
    std::printf("letf %s: %zu positions, %lld paths\n", letf::kVersion, r.positions.size(),
                static_cast<long long>(c.paths));
    return r.positions.size() == 2 ? 0 : 1;
}
