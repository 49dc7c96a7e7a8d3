#pragma once
// Helpers shared by the tests: building scenarios in code and checking statistics.

#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "letf/config.hpp"

namespace letf::test {

/// A scenario with a gbm model and no costs; callers adjust fields.
inline ScenarioConfig gbm_scenario(double mu, double sigma, std::vector<double> multiples,
                                   std::int64_t paths, int days) {
    ScenarioConfig c;
    c.name = "test";
    c.seed = 12345;
    c.paths = paths;
    c.days = days;
    c.model = GbmModel{mu, sigma};
    c.multiples = std::move(multiples);
    return c;
}

/// A deterministic scenario: returns_daily repeated, one path.
inline ScenarioConfig pattern_scenario(std::vector<double> returns, std::vector<double> multiples,
                                       int days) {
    ScenarioConfig c;
    c.name = "pattern";
    c.paths = 1;
    c.days = days;
    c.model = PatternModel{std::move(returns)};
    c.multiples = std::move(multiples);
    return c;
}

/// |estimate - exact| < k * std_error with k = 5: prints all four on failure.
inline ::testing::AssertionResult within_se(double estimate, double exact, double std_error,
                                            double k = 5.0) {
    const double diff = estimate - exact;
    if (std_error > 0.0 && std::fabs(diff) < k * std_error)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "estimate " << estimate << ", exact " << exact << ", difference " << diff
           << ", tolerance " << k << " x std_error " << std_error << " = " << k * std_error;
}

} // namespace letf::test
