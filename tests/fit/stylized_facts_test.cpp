// Stylized facts (stylized_facts.hpp): exact values on a hand-made series, a gbm simulated
// through the registry against its known facts, and the engine's decay quantiles.

#include <cmath>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "letf/fit/stylized_facts.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

constexpr double kDt = 1.0 / 252;

TEST(StylizedFacts, AlternatingSeriesHasExactFacts) {
    std::vector<double> r;
    for (int i = 0; i < 1000; ++i)
        r.push_back(i % 2 ? -0.01 : 0.01);
    const StylizedFacts f = stylized_facts(r, kDt);
    EXPECT_NEAR(f.annual_volatility, 0.01 * std::sqrt(252.0), 1e-12);
    EXPECT_NEAR(f.excess_kurtosis, -2.0, 1e-12); // two points: m4 / m2^2 = 1
    for (double a : f.acf_abs)
        EXPECT_EQ(a, 0.0); // |R| is constant
    EXPECT_EQ(f.beyond_3sd, 0.0);
}

TEST(StylizedFacts, OneOutlierIsCountedBeyondThreeAndFiveSd) {
    std::vector<double> r;
    for (int i = 0; i < 999; ++i)
        r.push_back(i % 2 ? -0.01 : 0.01);
    r.push_back(0.5);
    const StylizedFacts f = stylized_facts(r, kDt);
    EXPECT_EQ(f.beyond_3sd, 0.001);
    EXPECT_EQ(f.beyond_5sd, 0.001);
}

/// A gbm of small sigma (nearly normal simple returns) from the registry: kurtosis, |R|
/// autocorrelations and the 3 sd share match a normal within 5 standard errors of the mean over
/// paths; reproducible for a seed.
TEST(StylizedFacts, SimulatedGbmMatchesNormalFacts) {
    const PathModel gbm = parse_model(nlohmann::json{{"type", "gbm"}, {"mu", 0.0}, {"sigma", 0.05}},
                                      "test");
    const int days = 2000, paths = 200;
    const StylizedFacts f = simulated_stylized_facts(gbm, days, paths, 1, kDt);
    const double n = static_cast<double>(days) * paths;
    EXPECT_TRUE(test::within_se(f.excess_kurtosis, 0.0, std::sqrt(24.0 / n)));
    for (double a : f.acf_abs)
        EXPECT_TRUE(test::within_se(a, 0.0, 1.0 / std::sqrt(n)));
    const double p3 = std::erfc(3.0 / std::sqrt(2.0));
    EXPECT_TRUE(test::within_se(f.beyond_3sd, p3, std::sqrt(p3 * (1 - p3) / n)));
    // sd of simple returns: sigma sqrt(dt) to first order; the per-path sample sd has SE
    // sigma / sqrt(2 days) per path.
    EXPECT_TRUE(test::within_se(f.annual_volatility, 0.05, 0.05 / std::sqrt(2 * n)));
    const StylizedFacts again = simulated_stylized_facts(gbm, days, paths, 1, kDt);
    EXPECT_EQ(f.excess_kurtosis, again.excess_kurtosis);
    EXPECT_EQ(f.acf_abs[0], again.acf_abs[0]);
}

/// sigma = 0: every path is exp(mu dt) - 1 each day, so the 3x log decay is exactly
/// 252 (3 ln(1 + r) - ln(1 + 3 r)).
TEST(StylizedFacts, DecayQuantilesOfADeterministicGbmAreExact) {
    const PathModel gbm = parse_model(nlohmann::json{{"type", "gbm"}, {"mu", 0.1}, {"sigma", 0.0}},
                                      "test");
    const DecayQuantiles d = decay_quantiles(gbm, 3.0, 100, 1);
    const double r = std::expm1(0.1 * kDt);
    const double exact = 252 * (3 * std::log1p(r) - std::log1p(3 * r));
    EXPECT_NEAR(d.q05, exact, 1e-12);
    EXPECT_NEAR(d.q50, exact, 1e-12);
    EXPECT_NEAR(d.q95, exact, 1e-12);
}

} // namespace
} // namespace letf
