#pragma once
// Helpers of the report tests (report_test.cpp, report_analytic_test.cpp): a small gbm scenario,
// parsed and run into a report, and a key check.

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "letf/config/scenario.hpp"
#include "letf/engine/engine.hpp"
#include "letf/output/report.hpp"

namespace letf::test {

/// A small gbm scenario: 2 strategies in reverse of the default order, 3 unsorted multiples.
inline const char* const kGbm = R"({
  "name": "report_gbm",
  "seed": 42,
  "paths": 300,
  "days": 20,
  "model": {"type": "gbm", "mu": 0.08, "sigma": 0.3},
  "multiples": [3, -1, 2],
  "strategies": ["unrebalanced", "daily_reset"],
  "quantiles": [0.1, 0.25, 0.5, 0.9]
})";

inline letf::ScenarioConfig parse(const std::string& text) {
    return letf::parse_scenario_text(text, "report_test.json");
}

inline nlohmann::ordered_json run_report(const letf::ScenarioConfig& c, int threads = 1) {
    letf::EngineOptions options;
    options.threads = threads;
    return letf::build_report(c, letf::simulate(c, options));
}

/// Every key present, or the first one missing.
inline ::testing::AssertionResult has_keys(const nlohmann::ordered_json& j,
                                           const std::vector<std::string>& keys) {
    if (!j.is_object())
        return ::testing::AssertionFailure() << "not an object: " << j.dump();
    for (const std::string& k : keys)
        if (!j.contains(k))
            return ::testing::AssertionFailure() << "missing key \"" << k << "\"";
    return ::testing::AssertionSuccess();
}

} // namespace letf::test
