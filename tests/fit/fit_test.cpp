// Fits of data simulated from known parameters (fit.hpp): each parameter within 5 of its own
// standard errors, the optimum no worse than the truth.

#include <chrono>
#include <cmath>
#include <filesystem>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "letf/base/rng.hpp"
#include "letf/fit/fit.hpp"
#include "letf/market/market_data.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

using ojson = nlohmann::ordered_json;
constexpr double kDt = 1.0 / 252;

/// Unit-variance Student t: z sqrt((df - 2) / df) / sqrt(G / (df / 2)), G ~ Gamma(df / 2).
double unit_t(PathRng& rng, double df) {
    const double z = standard_normal(rng);
    const double g = standard_gamma(rng, df / 2);
    return z * std::sqrt((df - 2) / (2 * g));
}

std::vector<double> simulate_garch(const ojson& m, int days, std::uint64_t seed) {
    PathRng rng = path_rng(seed, 0);
    const double mu = m["mu"], sigma = m["sigma"], alpha = m["alpha"], beta = m["beta"];
    const double gamma = m["gamma"];
    const bool t = m["innovations"] == "student_t";
    const double df = t ? m["df"].get<double>() : 0.0;
    const double omega = sigma * sigma * kDt * (1 - alpha - beta - gamma / 2);
    double h = sigma * sigma * kDt;
    std::vector<double> r;
    for (int d = 0; d < days; ++d) {
        const double e = std::sqrt(h) * (t ? unit_t(rng, df) : standard_normal(rng));
        r.push_back(mu * kDt + e);
        h = omega + (alpha + (e < 0 ? gamma : 0.0)) * e * e + beta * h;
    }
    return r;
}

/// Simple returns of a 2-state chain started in state 0.
std::vector<double> simulate_regime(const ojson& m, int days, std::uint64_t seed) {
    PathRng rng = path_rng(seed, 0), chain = path_rng(seed, 0, SubStream::regimes);
    std::vector<double> r;
    std::size_t s = 0;
    for (int d = 0; d < days; ++d) {
        const double mu = m["states"][s]["mu"], sigma = m["states"][s]["sigma"];
        r.push_back(std::expm1((mu - sigma * sigma / 2) * kDt +
                               sigma * std::sqrt(kDt) * standard_normal(rng)));
        if (uniform_open01(chain) < m["transition_daily"][s][1 - s].get<double>())
            s = 1 - s;
    }
    return r;
}

std::vector<double> simulate_merton(const ojson& m, int days, std::uint64_t seed) {
    PathRng rng = path_rng(seed, 0), jumps = path_rng(seed, 0, SubStream::jumps);
    const double mu = m["mu"], sigma = m["sigma"], lambda = m["lambda"];
    const double jm = m["jump_mean"], js = m["jump_sigma"];
    const double k = std::expm1(jm + js * js / 2);
    std::vector<double> r;
    for (int d = 0; d < days; ++d) {
        double x = (mu - sigma * sigma / 2 - lambda * k) * kDt +
                   sigma * std::sqrt(kDt) * standard_normal(rng);
        // Poisson(lambda dt) by inversion.
        const double u = uniform_open01(jumps);
        double p = std::exp(-lambda * kDt), cdf = p;
        for (int n = 1; u > cdf && n < 50; ++n) {
            p *= lambda * kDt / n;
            cdf += p;
            x += jm + js * standard_normal(jumps);
        }
        r.push_back(std::expm1(x));
    }
    return r;
}

/// Every fitted parameter within 5 standard errors of the truth, each standard error present;
/// the optimum's likelihood no lower than the truth's.
void check_recovers(const std::vector<double>& r, const FitOptions& o, const ojson& truth) {
    const FitResult f = fit_returns(r, o);
    EXPECT_EQ(f.observations, r.size());
    EXPECT_TRUE(f.hessian_positive_definite);
    for (const FitParameter& p : f.parameters) {
        ASSERT_TRUE(p.se.has_value()) << p.pointer;
        const double exact = truth.at(ojson::json_pointer(p.pointer)).get<double>();
        EXPECT_TRUE(test::within_se(p.value, exact, *p.se)) << p.pointer;
    }
    EXPECT_GE(f.log_likelihood, -negative_log_likelihood(r, o, truth) - 1e-6);
    // The model object reads back to the optimum.
    EXPECT_NEAR(-negative_log_likelihood(r, o, f.model), f.log_likelihood,
                1e-9 * std::abs(f.log_likelihood));
    EXPECT_NEAR(f.aic, 2.0 * static_cast<double>(f.parameters.size()) - 2 * f.log_likelihood,
                1e-9 * std::abs(f.aic));
}

TEST(Fit, GarchNormalRecoversItsParameters) {
    const ojson truth = {{"type", "garch"}, {"mu", 0.08},    {"sigma", 0.18},
                         {"alpha", 0.08},   {"beta", 0.90},  {"gamma", 0.0},
                         {"innovations", "normal"}};
    const std::vector<double> r = simulate_garch(truth, 4000, 11);
    check_recovers(r, {.model = FitModelKind::garch}, truth);
}

TEST(Fit, GjrStudentRecoversItsParameters) {
    const ojson truth = {{"type", "garch"},  {"mu", 0.06},   {"sigma", 0.20},
                         {"alpha", 0.03},    {"beta", 0.88}, {"gamma", 0.12},
                         {"innovations", "student_t"},       {"df", 6.0}};
    const std::vector<double> r = simulate_garch(truth, 4000, 12);
    check_recovers(r, {.model = FitModelKind::gjr, .innovations = Innovations::student_t}, truth);
}

TEST(Fit, RegimeRecoversItsParametersWithStatesOrderedBySigma) {
    const ojson truth = {
        {"type", "regime"},
        {"states", {{{"mu", 0.15}, {"sigma", 0.10}}, {{"mu", -0.20}, {"sigma", 0.32}}}},
        {"transition_daily", {{0.99, 0.01}, {0.03, 0.97}}}};
    const std::vector<double> r = simulate_regime(truth, 4000, 13);
    check_recovers(r, {.model = FitModelKind::regime, .states = 2}, truth);
    const FitResult f = fit_returns(r, {.model = FitModelKind::regime});
    EXPECT_LT(f.model["states"][0]["sigma"].get<double>(), f.model["states"][1]["sigma"]);
    EXPECT_EQ(f.model["states"][0]["name"], "calm");
    EXPECT_EQ(f.returns, "log");
    for (const auto& row : f.model["transition_daily"])
        EXPECT_NEAR(row[0].get<double>() + row[1].get<double>(), 1.0, 1e-12);
}

TEST(Fit, MertonRecoversItsParameters) {
    const ojson truth = {{"type", "merton"}, {"mu", 0.08},        {"sigma", 0.15},
                         {"lambda", 8.0},    {"jump_mean", -0.03}, {"jump_sigma", 0.04}};
    const std::vector<double> r = simulate_merton(truth, 5000, 14);
    check_recovers(r, {.model = FitModelKind::merton}, truth);
}

TEST(Fit, ConstantReturnsHaveNoOptimum) {
    const std::vector<double> r(500, 0.0);
    EXPECT_THROW(fit_returns(r, {.model = FitModelKind::garch}), FitFailed);
    EXPECT_THROW(fit_returns(r, {.model = FitModelKind::merton}), FitFailed);
}

TEST(Fit, ModelNames) {
    for (const char* name : {"garch", "gjr", "regime", "merton"})
        EXPECT_EQ(fit_model_name(*parse_fit_model(name)), name);
    EXPECT_FALSE(parse_fit_model("heston").has_value());
}

/// The real SPY closes, read in place (../shared/data/market, never copied): a GJR-t fit has
/// the familiar shape (gamma > alpha, persistence near 1, df in (3, 10)).
TEST(Fit, SpyGjrStudentHasTheFamiliarShape) {
    const std::filesystem::path spy =
        std::filesystem::path(LETF_SOURCE_DIR) / "../shared/data/market/SPY.csv";
    if (!std::filesystem::exists(spy))
        GTEST_SKIP() << "no market data at " << spy;
    const std::vector<double> r = read_price_csv(spy).returns();
    const FitResult f =
        fit_returns(r, {.model = FitModelKind::gjr, .innovations = Innovations::student_t});
    const double alpha = f.model["alpha"], beta = f.model["beta"], gamma = f.model["gamma"];
    EXPECT_GT(gamma, alpha);
    EXPECT_GT(alpha + beta + gamma / 2, 0.95);
    EXPECT_LT(alpha + beta + gamma / 2, 1.0);
    EXPECT_GT(f.model["df"].get<double>(), 3.0);
    EXPECT_LT(f.model["df"].get<double>(), 10.0);
}

} // namespace
} // namespace letf

namespace letf {
namespace {

/// The Hessian standard errors of a Gaussian GARCH describe the spread of the estimates over
/// independent data sets: the mean standard error against the sample sd of the estimates, within
/// 5 standard errors of that sd (sd / sqrt(2 (R - 1)) for R replications).
TEST(Fit, GarchStandardErrorsMatchTheSpreadOfEstimates) {
    const ojson truth = {{"type", "garch"}, {"mu", 0.08},   {"sigma", 0.18},
                         {"alpha", 0.08},   {"beta", 0.90}, {"gamma", 0.0},
                         {"innovations", "normal"}};
    constexpr std::size_t kReplications = 60;
    constexpr double kR = kReplications;
    std::vector<std::vector<double>> values(4), errors(4);
    for (std::uint64_t k = 0; k < kReplications; ++k) {
        const FitResult f = fit_returns(simulate_garch(truth, 2500, 1000 + k),
                                        {.model = FitModelKind::garch});
        for (std::size_t i = 0; i < 4; ++i) {
            values[i].push_back(f.parameters[i].value);
            errors[i].push_back(f.parameters[i].se.value_or(NAN));
        }
    }
    for (std::size_t i = 0; i < 4; ++i) {
        double m = 0, s2 = 0, se = 0;
        for (double v : values[i])
            m += v / kR;
        for (std::size_t k = 0; k < kReplications; ++k) {
            s2 += (values[i][k] - m) * (values[i][k] - m) / (kR - 1);
            se += errors[i][k] / kR;
        }
        const double sd = std::sqrt(s2);
        EXPECT_TRUE(test::within_se(se, sd, sd / std::sqrt(2.0 * (kR - 1))))
            << ojson(truth).dump() << " parameter " << i;
    }
}

} // namespace
} // namespace letf
