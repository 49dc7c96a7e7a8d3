/// libFuzzer harness: the scenario parser. Any text either is refused with an InputError or
/// gives a scenario whose to_json text parses again into a scenario with the same to_json text
/// (to_json is the fully resolved scenario, so equal texts mean equal scenarios).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_common.hpp"
#include "letf/config/scenario.hpp"
#include "letf/base/error.hpp"

namespace {

constexpr std::string_view kHarness = "fuzz_scenario";

void run(std::string_view text) {
    const std::string& file = letf::fuzz::scenario_file();
    letf::ScenarioConfig config;
    try {
        config = letf::parse_scenario_text(text, file);
    } catch (const letf::InputError&) {
        return; // refused with a located message: the expected answer to bad input
    }
    const std::string first = letf::to_json(config).dump();
    letf::fuzz::expect_round_trip(kHarness, first, [&](const std::string& text) {
        return letf::to_json(letf::parse_scenario_text(text, file)).dump();
    });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return letf::fuzz::run_input(kHarness, data, size, run);
}
