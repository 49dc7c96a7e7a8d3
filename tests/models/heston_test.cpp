// The heston model: parsing, facts, and its strip fill (through StripSource) against the exact
// martingale and variance means of Andersen's QE scheme, within 5 standard errors of the run.

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../test_util.hpp"
#include "letf/base/error.hpp"
#include "letf/models/registry.hpp"
#include "path_sim.hpp"

namespace letf {
namespace {

using nlohmann::json;
constexpr double kDt = 1.0 / 252;

HestonModel heston(double mu, double v0, double kappa, double theta, double xi, double rho,
                   int substeps = 1) {
    HestonModel m;
    m.mu = mu;
    m.v0 = v0;
    m.kappa = kappa;
    m.theta = theta;
    m.xi = xi;
    m.rho = rho;
    m.substeps = substeps;
    return m;
}

/// Feller satisfied (2 kappa theta >= xi^2), and violated with strong leverage.
const HestonModel kMild = heston(0.05, 0.04, 1.5, 0.04, 0.3, -0.5);
const HestonModel kWild = heston(0.08, 0.09, 1.0, 0.04, 0.5, -0.7);

TEST(Heston, BadParametersNameTheirPointer) {
    const std::string base = R"({"type": "heston", "mu": 0.05, "v0": 0.04, "theta": 0.04, )";
    test::expect_model_error((base + R"("kappa": 0, "xi": 0.3, "rho": -0.5})").c_str(),
                             "/model/kappa");
    test::expect_model_error((base + R"("kappa": -1, "xi": 0.3, "rho": -0.5})").c_str(),
                             "/model/kappa");
    test::expect_model_error((base + R"("kappa": 1, "xi": 0.3, "rho": -1.5})").c_str(),
                             "/model/rho");
    test::expect_model_error((base + R"("kappa": 1, "xi": 0.3, "rho": 1.01})").c_str(),
                             "/model/rho");
    test::expect_model_error((base + R"("kappa": 1, "xi": -0.3, "rho": 0})").c_str(), "/model/xi");
    test::expect_model_error((base + R"("kappa": 1, "xi": 0.3, "rho": 0, "substeps": 0})").c_str(),
                             "/model/substeps");
    test::expect_model_error(
        (base + R"("kappa": 1, "xi": 0.3, "rho": 0, "substeps": 1001})").c_str(),
        "/model/substeps");
    test::expect_model_error(
        (base + R"("kappa": 1, "xi": 0.3, "rho": 0, "substeps": 1.5})").c_str(), "/model/substeps");
    test::expect_model_error(R"({"type": "heston", "mu": 0, "v0": -0.01, "kappa": 1, "theta": 0.04,
                     "xi": 0.3, "rho": 0})",
                             "/model/v0");
    test::expect_model_error(R"({"type": "heston", "mu": 0, "v0": 0.01, "kappa": 1, "theta": -0.04,
                     "xi": 0.3, "rho": 0})",
                             "/model/theta");
}

TEST(Heston, WritesEveryFieldWithTheDefaultSubsteps) {
    const json given = json::parse(R"({"type": "heston", "mu": 0.05, "v0": 0.04, "kappa": 2.0,
                                       "theta": 0.05, "xi": 0.5, "rho": -0.7})");
    const PathModel m = parse_model(given, "s.json");
    json expected = given;
    expected["substeps"] = 1;
    EXPECT_EQ(json(model_to_json(m)), expected);
    EXPECT_EQ(model_to_json(parse_model(json(model_to_json(m)), "s.json")).dump(),
              model_to_json(m).dump());
}

TEST(Heston, Facts) {
    const HestonModel m = kWild;
    const ModelFacts f = model_facts(PathModel{m}, {.dt = kDt, .days = 100, .data = nullptr});
    EXPECT_TRUE(f.conditional_means);
    EXPECT_FALSE(f.days_independent);
    EXPECT_TRUE(f.identical_days);
    EXPECT_FALSE(f.one_outcome);
    EXPECT_EQ(f.mean_return, std::vector<double>(100, std::expm1(0.08 * kDt)));
    EXPECT_DOUBLE_EQ(f.daily_log_sd, std::sqrt(0.09 * kDt));
    const double t = 100 * kDt;
    ASSERT_TRUE(f.integrated_variance.has_value());
    EXPECT_NEAR(*f.integrated_variance, 0.04 * t + 0.05 * (1.0 - std::exp(-t)), 1e-15);
}

/// E[S_T / S_0] = e^{mu T} and the daily-reset product (1 + L m - c dt)^n, m = e^{mu dt} - 1.
void expect_martingale(const HestonModel& m, int strips, int days, double dt = kDt) {
    const StripSource source(PathModel{m}, dt, days);
    const double mean = std::expm1(m.mu * dt);
    const test::MeanSe s = test::mean_product(source, 11, strips, days, 1.0, 1.0);
    EXPECT_TRUE(test::within_se(s.mean, std::exp(m.mu * dt * days), s.se()));
    const double lev = 3.0, cost = 0.02 * dt;
    const test::MeanSe f = test::mean_product(source, 12, strips, days, 1.0 - cost, lev);
    EXPECT_TRUE(test::within_se(f.mean, std::pow(1.0 - cost + lev * mean, days), f.se()));
}

TEST(Heston, PriceIsAMartingale) {
    expect_martingale(kMild, 3000, 126);
}

TEST(Heston, PriceIsAMartingaleWhenFellerIsViolated) {
    expect_martingale(kWild, 3000, 126);
    // Very high vol of vol: the exponential branch most days.
    expect_martingale(heston(0.0, 0.04, 3.0, 0.02, 1.5, -0.9), 3000, 63);
}

TEST(Heston, SubstepsAreMartingalesToo) {
    expect_martingale(heston(0.08, 0.09, 1.0, 0.04, 0.5, -0.7, 4), 1500, 63);
}

/// A variance far above theta, strong mean reversion over a long step (kappa Delta = 8, dt = 1)
/// and large rho xi: the moment generating function of the exponential branch's v' fails at A
/// on the first day (A >= beta), which takes the uncorrelated fallback step; still a martingale.
TEST(Heston, FallbackStepIsAMartingale) {
    expect_martingale(heston(0.05, 1.0, 8.0, 1e-4, 10.0, 0.9), 8000, 3, 1.0);
}

/// The simulated variance keeps the exact mean theta + (v0 - theta) e^{-kappa t}.
TEST(Heston, VarianceMeanIsExact) {
    for (const HestonModel& m : {kMild, kWild, heston(0.0, 0.01, 4.0, 0.06, 1.2, 0.3, 2)}) {
        const int days = 63;
        const StripSource source(PathModel{m}, kDt, days);
        test::MeanSe v;
        test::simulate_strips(source, 5, 4000, days, kDayChunk,
                              [&](const std::vector<double>&, const StripSource::State& st) {
                                  const auto& s = std::get<HestonModel::Strip>(st);
                                  for (double x : s.v)
                                      v.add(x);
                              });
        const double t = days * kDt;
        EXPECT_TRUE(
            test::within_se(v.mean, m.theta + (m.v0 - m.theta) * std::exp(-m.kappa * t), v.se()));
    }
}

/// Same seed, same numbers; the variance paths (gammas sub-stream) do not depend on the
/// chunking of days, and the strip of paths 16.. matches whatever came before it.
TEST(Heston, Reproducible) {
    for (int substeps : {1, 3}) {
        HestonModel m = kWild;
        m.substeps = substeps;
        const StripSource source(PathModel{m}, kDt, 150);
        std::vector<std::vector<double>> runs;
        std::vector<HestonModel::Strip> ends;
        for (int chunk : {64, 64, 7}) {
            test::simulate_strips(source, 3, 2, 150, chunk,
                                  [&](const std::vector<double>& r, const StripSource::State& st) {
                                      runs.push_back(r);
                                      ends.push_back(std::get<HestonModel::Strip>(st));
                                  });
        }
        ASSERT_EQ(runs.size(), 6u);
        EXPECT_EQ(runs[0], runs[2]);
        EXPECT_EQ(runs[1], runs[3]);
        EXPECT_NE(runs[0], runs[1]);
        // With substeps > 1 the price normals are drawn one day at a time (heston.hpp), so the
        // returns too are the same for any chunking; with 1 they follow strip_normals' chunk
        // rule, as gbm's do (rng.hpp).
        if (substeps > 1) {
            EXPECT_EQ(runs[0], runs[4]);
            EXPECT_EQ(runs[1], runs[5]);
        }
        for (int k : {0, 1}) {
            const auto& a = ends[static_cast<std::size_t>(k)];
            const auto& b = ends[static_cast<std::size_t>(4 + k)];
            EXPECT_EQ(std::memcmp(a.v, b.v, sizeof a.v), 0);
            EXPECT_EQ(std::memcmp(a.vol.state, b.vol.state, sizeof a.vol.state), 0);
        }
    }
}

TEST(Heston, ZeroVarianceIsTheDrift) {
    const HestonModel m = heston(0.07, 0.0, 2.0, 0.0, 0.4, -0.5);
    const StripSource source(PathModel{m}, kDt, 10);
    EXPECT_TRUE(source.facts().one_outcome);
    test::simulate_strips(source, 1, 1, 10, kDayChunk,
                          [&](const std::vector<double>& r, const StripSource::State&) {
                              for (double x : r)
                                  EXPECT_NEAR(x, std::expm1(0.07 * kDt), 1e-15);
                          });
}

} // namespace
} // namespace letf
