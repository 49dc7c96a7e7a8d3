/// libFuzzer harness: a tiny whole simulation. Parse a scenario (InputError is the expected
/// answer to bad input), clamp it to at most 40 paths and 130 days (and the bands' every_days to
/// the days, as the parser requires), simulate it twice, once with
/// exact quantiles and once with the sketch (the engine picks exact while paths fit
/// exact_quantile_budget, so a budget of 0 forces the sketch), and render the report and the
/// console summary. Findings: any other exception, a sanitizer report, NaN or infinity in the
/// console text, and null where the report promises a value.
///
/// Values always defined, for every series (underlying and each position), since every path
/// has a terminal value V_T/V_0 >= 0 and a drawdown in [0, 1]:
///   terminal: mean, min, max, median, every quantile; std and std_error when paths >= 2;
///   max_drawdown and gap_vs_target (positions): mean, median, every quantile; std, std_error
///   when paths >= 2; prob_loss, prob_wipeout, prob_underperform_target (positions) and their
///   prob_std_error; log_return.paths; carry_annual unless the financing rate is a series;
///   every band value.
/// Log statistics are over paths with V_T > 0 and may be null (every path wiped out).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_common.hpp"
#include "letf/config/scenario.hpp"
#include "letf/engine/engine.hpp"
#include "letf/base/error.hpp"
#include "letf/output/report.hpp"

namespace {

constexpr std::string_view kHarness = "fuzz_simulate";
constexpr std::int64_t kMaxPaths = 40;
constexpr int kMaxDays = 130;

using json = nlohmann::json;

void require_value(const json& j, const json::json_pointer& at, const std::string& where) {
    if (!j.contains(at) || j.at(at).is_null())
        letf::fuzz::finding(kHarness,
                            "null or missing where a value is promised: " + where + at.to_string());
}

void require_quantiles(const json& block, const std::string& where) {
    require_value(block, json::json_pointer("/quantiles"), where);
    for (std::size_t i = 0; i < block.at("quantiles").size(); ++i)
        require_value(block, json::json_pointer("/quantiles/" + std::to_string(i) + "/value"),
                      where);
}

void check_series(const json& s, const std::string& where, bool position, std::int64_t paths,
                  bool rate_series) {
    for (const char* key : {"/terminal/mean", "/terminal/min", "/terminal/max", "/terminal/median",
                            "/max_drawdown/mean", "/max_drawdown/median", "/prob_loss",
                            "/prob_wipeout", "/log_return/paths"})
        require_value(s, json::json_pointer(key), where);
    require_quantiles(s.at("terminal"), where + "/terminal");
    require_quantiles(s.at("max_drawdown"), where + "/max_drawdown");
    if (paths >= 2)
        for (const char* key : {"/terminal/std", "/terminal/std_error", "/max_drawdown/std",
                                "/max_drawdown/std_error"})
            require_value(s, json::json_pointer(key), where);
    if (position) {
        for (const char* key : {"/gap_vs_target/mean", "/gap_vs_target/median",
                                "/prob_underperform_target", "/prob_std_error/loss",
                                "/prob_std_error/underperform_target", "/prob_std_error/wipeout"})
            require_value(s, json::json_pointer(key), where);
        require_quantiles(s.at("gap_vs_target"), where + "/gap_vs_target");
        if (paths >= 2)
            for (const char* key : {"/gap_vs_target/std", "/gap_vs_target/std_error"})
                require_value(s, json::json_pointer(key), where);
        if (!rate_series)
            require_value(s, json::json_pointer("/carry_annual"), where);
    }
    if (s.contains("bands"))
        for (std::size_t b = 0; b < s.at("bands").at("values").size(); ++b)
            for (std::size_t i = 0; i < s.at("bands").at("values").at(b).size(); ++i)
                require_value(s,
                              json::json_pointer("/bands/values/" + std::to_string(b) + "/" +
                                                 std::to_string(i)),
                              where);
}

/// The console text without the free-text fields it echoes (a name may be `inf`).
std::string console_numbers(const letf::ScenarioConfig& config, std::string text) {
    for (const std::string& free : {config.name, config.description}) {
        if (free.empty())
            continue;
        for (std::size_t at = 0; (at = text.find(free, at)) != std::string::npos;)
            text.erase(at, free.size());
    }
    return text;
}

void check(const letf::ScenarioConfig& config, const letf::SimulationResult& result,
           const char* method) {
    const std::string where = std::string("[") + method + "] ";
    const bool exact = result.quantile_method == letf::QuantileMethod::exact;
    if (exact != (std::string_view(method) == "exact"))
        letf::fuzz::finding(kHarness, where + "the engine did not use the quantile method asked");
    const std::string text = letf::report_json(config, result);
    const json report = json::parse(text); // throws (a finding) if the report is not JSON
    check_series(report.at("underlying"), where + "/underlying", false, config.paths,
                 config.has_rate_series());
    for (std::size_t i = 0; i < report.at("results").size(); ++i)
        check_series(report.at("results").at(i), where + "/results/" + std::to_string(i), true,
                     config.paths, config.has_rate_series());
    const std::string console = letf::console_summary(config, result);
    if (letf::fuzz::has_non_finite_text(console_numbers(config, console)))
        letf::fuzz::finding(kHarness,
                            where + "NaN or infinity in the console summary:\n" + console);
}

void run(std::string_view text) {
    letf::ScenarioConfig config;
    try {
        config = letf::parse_scenario_text(text, letf::fuzz::scenario_file());
    } catch (const letf::InputError&) {
        return;
    }
    config.paths = std::min(config.paths, kMaxPaths);
    config.days = std::min(config.days, kMaxDays);
    if (config.bands) // the parser keeps every_days <= days
        config.bands->every_days = std::min(config.bands->every_days, config.days);
    letf::EngineOptions options;
    options.threads = 1;
    options.block_paths = 16;
    check(config, letf::simulate(config, options), "exact");
    options.exact_quantile_budget = 0;
    check(config, letf::simulate(config, options), "sketch");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return letf::fuzz::run_input(kHarness, data, size, run);
}
