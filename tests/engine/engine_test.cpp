// Monte Carlo estimates against exact values, and the reproducibility contract.

#include <cmath>
#include <regex>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "letf/base/rng.hpp"
#include "letf/engine/engine.hpp"
#include "letf/output/report.hpp"
#include "letf/theory/analytic.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

using test::gbm_scenario;
using test::within_se;

struct MeanCase {
    const char* name;
    PathModel model;
    double multiple;
    Costs costs;
    int days;
    bool unrebalanced_survives; ///< low enough leverage x volatility that no path is wiped out
};

/// Stable test names in `ctest -N` (gtest would print the struct's bytes).
void PrintTo(const MeanCase& c, std::ostream* os) { *os << c.name; }

class ExactMean : public ::testing::TestWithParam<MeanCase> {};

/// E[V_T/V_0] = prod (1 + L m - c dt) for daily reset, L prod(1 + m) - (L-1)(1 + r dt)^n for
/// unrebalanced (only where no path is wiped out: limited liability raises the mean above the
/// formula), (1 + m)^n for the underlying.
TEST_P(ExactMean, WithinFiveStandardErrors) {
    const MeanCase& mc = GetParam();
    ScenarioConfig c = gbm_scenario(0, 0, {mc.multiple}, 40000, mc.days);
    c.model = mc.model;
    c.costs = mc.costs;
    const SimulationResult r = simulate(c, {.threads = 2});

    const Analytic au = analytic_underlying(c);
    EXPECT_TRUE(within_se(r.underlying[metric::terminal].moments.mean, *au.mean_terminal,
                          *r.underlying[metric::terminal].moments.std_error()));
    for (const PositionResult& p : r.positions) {
        if (p.position.strategy == Strategy(Unrebalanced{}) && !mc.unrebalanced_survives)
            continue;
        ASSERT_EQ(p.wipeout, 0) << "case must not wipe out";
        const Analytic a = analytic_position(c, p.position);
        EXPECT_TRUE(within_se(p[metric::terminal].moments.mean, *a.mean_terminal,
                              *p[metric::terminal].moments.std_error()))
            << to_string(p.position.strategy) << " L = " << p.position.multiple;
    }
}

const Costs kNoCosts{};
const Costs kFundCosts{0.0095, 0.045, 0.004, 0.01};

INSTANTIATE_TEST_SUITE_P(
    Engine, ExactMean,
    ::testing::Values(MeanCase{"gbm_3x", GbmModel{0.07, 0.20}, 3.0, kNoCosts, 252, false},
                      MeanCase{"gbm_2x_costs", GbmModel{0.10, 0.30}, 2.0, kFundCosts, 126, false},
                      MeanCase{"gbm_m1_costs", GbmModel{0.05, 0.15}, -1.0, kFundCosts, 63, true},
                      MeanCase{"gbm_m3_high_vol", GbmModel{-0.05, 0.60}, -3.0, kNoCosts, 21, false},
                      MeanCase{"gbm_half", GbmModel{0.08, 0.25}, 0.5, kFundCosts, 252, true},
                      MeanCase{"normal_2x",
                               TrendNoiseModel{0.06, 0.25, Noise::normal, std::nullopt}, 2.0,
                               kFundCosts, 252, false},
                      MeanCase{"normal_m2",
                               TrendNoiseModel{0.02, 0.20, Noise::normal, std::nullopt}, -2.0,
                               kNoCosts, 42, true},
                      MeanCase{"student_2x", TrendNoiseModel{0.07, 0.20, Noise::student_t, 8.0},
                               2.0, kFundCosts, 126, false},
                      MeanCase{"choppy_noisy_2x", ChoppyModel{0.01, 0.0005, 0.01, true}, 2.0,
                               kFundCosts, 63, true}),
    [](const auto& tp) { return std::string(tp.param.name); });

/// Raw moments E[f^k], k = 1..4, of one day's daily-reset factor f = (1 - c dt) + L R under gbm,
/// with 1 + R = exp(X), X ~ N(a, b^2): E[f^k] = sum_j C(k,j) (1 - c dt - L)^(k-j) L^j E[e^(jX)].
std::array<double, 5> gbm_factor_moments(double mu, double sigma, double dt, double L, double cdt) {
    const double a = (mu - 0.5 * sigma * sigma) * dt, b2 = sigma * sigma * dt;
    std::array<double, 5> out{};
    const double base = 1.0 - cdt - L;
    for (int k = 1; k <= 4; ++k) {
        double s = 0;
        for (int j = 0; j <= k; ++j) {
            const double binom = std::tgamma(k + 1) / (std::tgamma(j + 1) * std::tgamma(k - j + 1));
            s +=
                binom * std::pow(base, k - j) * std::pow(L, j) * std::exp(j * a + 0.5 * j * j * b2);
        }
        out[static_cast<std::size_t>(k)] = s;
    }
    return out;
}

TEST(Engine, StandardErrorShrinksLikeOneOverSqrtN) {
    // Days are i.i.d., so E[V^k] = E[f^k]^n exactly: the exact standard deviation of V_T and the
    // standard error of its sample estimate (from the exact fourth central moment) are known.
    const double mu = 0.08, sigma = 0.35, L = 2.0;
    const int days = 63;
    const auto m = gbm_factor_moments(mu, sigma, 1.0 / 252, L, 0.0);
    double raw[5];
    for (int k = 1; k <= 4; ++k)
        raw[k] = std::pow(m[static_cast<std::size_t>(k)], days);
    const double mean = raw[1];
    const double var = raw[2] - mean * mean;
    const double mu4 =
        raw[4] - 4 * mean * raw[3] + 6 * mean * mean * raw[2] - 3 * std::pow(mean, 4);
    const double sd = std::sqrt(var);
    double previous_se = 0;
    for (std::int64_t n : {2500, 10000, 40000, 160000}) {
        ScenarioConfig c = gbm_scenario(mu, sigma, {L}, n, days);
        c.strategies = {Strategy(DailyReset{})};
        c.seed = 1000 + static_cast<std::uint64_t>(n);
        const SimulationResult r = simulate(c, {.threads = 2});
        const double se = *r.positions[0][metric::terminal].moments.std_error();
        // sqrt(n) * se is the sample standard deviation; its own standard error is
        // sqrt((mu4 - var^2) / n) / (2 sd) (delta method).
        const double sd_se = std::sqrt((mu4 - var * var) / static_cast<double>(n)) / (2 * sd);
        EXPECT_TRUE(within_se(se * std::sqrt(static_cast<double>(n)), sd, sd_se)) << "n = " << n;
        if (previous_se > 0) {
            const double ratio = previous_se / se;                     // 2 when se ~ 1/sqrt(n)
            const double rel = std::hypot(sd_se / sd, 2 * sd_se / sd); // both runs' sd errors
            EXPECT_TRUE(within_se(ratio, 2.0, 2.0 * rel)) << "n = " << n;
        }
        previous_se = se;
    }
}

/// Exact mean log decay over one year of daily-reset steps of length dt under gbm:
/// (1/dt) E[L ln(1+R) - ln(1 + L R)], by the midpoint rule over the normal on [-10, 10].
double exact_log_decay_per_year(double mu, double sigma, double L, double dt) {
    const double a = (mu - 0.5 * sigma * sigma) * dt, b = sigma * std::sqrt(dt);
    double e = 0;
    const int steps = 20000;
    for (int i = 0; i < steps; ++i) {
        const double z = -10.0 + 20.0 * (i + 0.5) / steps;
        const double w = std::exp(-0.5 * z * z) / std::sqrt(2 * M_PI) * (20.0 / steps);
        const double R = std::expm1(a + b * z);
        e += w * (L * std::log1p(R) - std::log1p(L * R));
    }
    return e / dt;
}

TEST(Engine, GbmLogDecayMatchesDiscreteTheoryAndConvergesToContinuous) {
    // With daily steps the exact mean log decay is n E[L ln(1+R) - ln(1 + L R)]: the Monte Carlo
    // mean must be within five standard errors of it. The report's continuous-time value
    // (L^2 - L) sigma^2 T / 2 is its dt -> 0 limit: the discretisation error is O(dt), so
    // quartering dt quarters it (ratio 4 to first order; 4.04 here).
    const double mu = 0.05, sigma = 0.4, L = 3.0, dt = 1.0 / 252;
    ScenarioConfig c = gbm_scenario(mu, sigma, {L}, 40000, 252);
    c.strategies = {Strategy(DailyReset{})};
    const SimulationResult r = simulate(c, {.threads = 2});
    const auto& decay = r.positions[0][metric::log_decay].moments;
    EXPECT_TRUE(
        within_se(decay.mean, exact_log_decay_per_year(mu, sigma, L, dt), *decay.std_error()));

    const double continuous = 0.5 * (L * L - L) * sigma * sigma;
    const double err_daily = exact_log_decay_per_year(mu, sigma, L, dt) - continuous;
    const double err_quarter = exact_log_decay_per_year(mu, sigma, L, dt / 4) - continuous;
    EXPECT_GT(err_daily, 0.0);
    EXPECT_NEAR(err_daily / err_quarter, 4.0, 0.1);
}

std::string report_without_run_info(const ScenarioConfig& c, const EngineOptions& o) {
    nlohmann::ordered_json j = build_report(c, simulate(c, o));
    j.erase("run_info");
    return j.dump();
}

TEST(Engine, IdenticalReportsForAnyThreadCount) {
    ScenarioConfig c = gbm_scenario(0.07, 0.3, {-3, -1, 2, 3}, 30000, 50);
    c.costs = kFundCosts;
    const std::string one = report_without_run_info(c, {.threads = 1});
    EXPECT_EQ(one, report_without_run_info(c, {.threads = 2}));
    EXPECT_EQ(one, report_without_run_info(c, {.threads = 8}));
}

TEST(Engine, IdenticalSketchedReportsForAnyThreadCount) {
    ScenarioConfig c = gbm_scenario(0.07, 0.3, {-2, 3}, 20000, 30);
    EngineOptions o;
    o.exact_quantile_budget = 1000; // forces the sketch
    o.threads = 1;
    const std::string one = report_without_run_info(c, o);
    EXPECT_NE(one.find("\"sketch\""), std::string::npos);
    o.threads = 2;
    EXPECT_EQ(one, report_without_run_info(c, o));
    o.threads = 8;
    EXPECT_EQ(one, report_without_run_info(c, o));
}

TEST(Engine, BandsAndHistogramAreIdenticalForAnyThreadCount) {
    ScenarioConfig c = gbm_scenario(0.07, 0.3, {-3, 2}, 20000, 50);
    c.bands = BandsSpec{7, {0.1, 0.5, 0.9}};
    c.histogram = HistogramSpec{30, 0.05, 20.0};
    const std::string one = report_without_run_info(c, {.threads = 1});
    EXPECT_NE(one.find("\"bands\""), std::string::npos);
    EXPECT_NE(one.find("\"histogram\""), std::string::npos);
    EXPECT_EQ(one, report_without_run_info(c, {.threads = 2}));
    EXPECT_EQ(one, report_without_run_info(c, {.threads = 8}));
}

TEST(Engine, BandsEndAtTheTerminalQuantilesAndHistogramsCountEveryPath) {
    // 50 days every 7: days 0, 7, ..., 49 and the last day 50.
    ScenarioConfig c = gbm_scenario(0.07, 0.4, {-2, 3}, 40000, 50);
    c.bands = BandsSpec{7, {0.25, 0.5, 0.75}};
    c.histogram = HistogramSpec{40, 0.2, 5.0};
    EngineOptions o;
    const SimulationResult r = simulate(c, o);
    EXPECT_EQ(r.band_days, (std::vector<int>{0, 7, 14, 21, 28, 35, 42, 49, 50}));
    ASSERT_EQ(r.histogram_edges.size(), 41u);
    EXPECT_DOUBLE_EQ(r.histogram_edges.front(), 0.2);
    EXPECT_NEAR(r.histogram_edges.back(), 5.0, 1e-12);
    std::vector<const PositionResult*> series{&r.underlying};
    for (const PositionResult& p : r.positions)
        series.push_back(&p);
    for (const PositionResult* p : series) {
        ASSERT_EQ(p->bands.size(), r.band_days.size());
        for (double v : p->bands.front())
            EXPECT_EQ(v, 1.0); // day 0
        // The last day's bands are sketch quantiles of the same values as the exact terminal
        // quantiles: within the sketch's relative error plus the gap between neighbouring order
        // statistics (tiny at 40,000 paths in the body of the distribution).
        for (std::size_t i = 0; i < r.band_quantiles.size(); ++i) {
            const double exact = *(*p)[metric::terminal].quantile(r.band_quantiles[i]);
            EXPECT_NEAR(p->bands.back()[i], exact, 2 * o.sketch_relative_accuracy * exact);
        }
        std::int64_t total = p->histogram_below + p->histogram_above;
        for (std::int64_t k : p->histogram)
            total += k;
        EXPECT_EQ(total, c.paths);
        EXPECT_GT(p->histogram[20], 0); // the bin around 1
    }
}

TEST(Engine, HistogramBinsADeterministicPathExactly) {
    // Every path ends at 1.1^2 = 1.21: bin floor(ln(1.21 / 0.5) / ln(4) * 8) = 5 of 8 on
    // [0.5, 2); the 3x fund ends at 1.3^2 = 1.69 (bin 7); the -1x at 0.81 (bin 2).
    ScenarioConfig c = test::pattern_scenario({0.1}, {-1, 3}, 2);
    c.paths = 10;
    c.histogram = HistogramSpec{8, 0.5, 2.0};
    const SimulationResult r = simulate(c, {});
    EXPECT_EQ(r.underlying.histogram[5], 10);
    EXPECT_EQ(r.positions[0].histogram[2], 10); // daily reset -1x
    EXPECT_EQ(r.positions[1].histogram[7], 10); // daily reset 3x
    EXPECT_EQ(r.positions[1].histogram_above, 0);
}

TEST(Engine, SeedDecidesTheReport) {
    ScenarioConfig c = gbm_scenario(0.07, 0.3, {2}, 3000, 20);
    const std::string a = report_without_run_info(c, {});
    EXPECT_EQ(a, report_without_run_info(c, {}));
    c.seed += 1;
    EXPECT_NE(a, report_without_run_info(c, {}));
}

TEST(Engine, PerPathValuesDoNotDependOnBlockSize) {
    ScenarioConfig c = gbm_scenario(0.07, 0.3, {-1, 3}, 5000, 40);
    const SimulationResult a = simulate(c, {.threads = 2, .block_paths = 1024});
    const SimulationResult b = simulate(c, {.threads = 2, .block_paths = 97});
    for (std::size_t j = 0; j < a.positions.size(); ++j) {
        // Quantiles come from the per-path values themselves: bit-identical.
        EXPECT_EQ(a.positions[j][metric::terminal].values, b.positions[j][metric::terminal].values);
        EXPECT_EQ(a.positions[j][metric::max_drawdown].values,
                  b.positions[j][metric::max_drawdown].values);
        EXPECT_EQ(a.positions[j][metric::terminal].moments.min,
                  b.positions[j][metric::terminal].moments.min);
        EXPECT_EQ(a.positions[j].wipeout, b.positions[j].wipeout);
        // Means differ only by the rounding of a different merge tree.
        EXPECT_NEAR(a.positions[j][metric::terminal].moments.mean,
                    b.positions[j][metric::terminal].moments.mean, 1e-13);
    }
}

TEST(Engine, SketchedQuantilesWithinTheirRelativeError) {
    // 10001 paths: q (n - 1) is an integer for every default level, so the exact type-7
    // quantile is an order statistic and the sketch must be within 0.1 % of it. No path may be
    // wiped out, so that log statistics also count 10001 paths.
    ScenarioConfig c = gbm_scenario(0.07, 0.3, {-1, 2}, 10001, 60);
    const SimulationResult exact = simulate(c, {});
    EngineOptions o;
    o.exact_quantile_budget = 100;
    const SimulationResult sketched = simulate(c, o);
    ASSERT_EQ(exact.quantile_method, QuantileMethod::exact);
    ASSERT_EQ(sketched.quantile_method, QuantileMethod::sketch);
    auto check = [&](const QuantityStats& e, const QuantityStats& s, const char* what) {
        ASSERT_EQ(e.values.size(), s.values.size());
        for (std::size_t i = 0; i < e.values.size(); ++i) {
            const double tol = 1e-3 * std::fabs(e.values[i]) + 1e-12;
            EXPECT_NEAR(s.values[i], e.values[i], tol) << what << " q = " << e.qs[i];
        }
        EXPECT_EQ(e.moments.mean, s.moments.mean) << what; // moments do not depend on the method
    };
    check(exact.underlying[metric::terminal], sketched.underlying[metric::terminal], "underlying");
    for (std::size_t j = 0; j < exact.positions.size(); ++j) {
        ASSERT_EQ(exact.positions[j][metric::log_decay].moments.count, c.paths);
        check(exact.positions[j][metric::terminal], sketched.positions[j][metric::terminal],
              "terminal");
        check(exact.positions[j][metric::gap], sketched.positions[j][metric::gap], "gap");
        check(exact.positions[j][metric::log_return], sketched.positions[j][metric::log_return],
              "log_return");
        check(exact.positions[j][metric::log_decay], sketched.positions[j][metric::log_decay],
              "log_decay");
        check(exact.positions[j][metric::max_drawdown], sketched.positions[j][metric::max_drawdown],
              "drawdown");
    }
}

TEST(Engine, ProbabilitiesAreConsistentWithQuantiles) {
    ScenarioConfig c = gbm_scenario(0.0, 0.5, {-3, 3}, 20001, 252);
    const SimulationResult r = simulate(c, {});
    for (const PositionResult& p : r.positions) {
        // P(loss) is the fraction with V_T < 1: the median is below 1 iff P(loss) > 1/2.
        const double p_loss = static_cast<double>(p.loss) / static_cast<double>(p.paths);
        if (p_loss > 0.51) {
            EXPECT_LT(*p[metric::terminal].median(), 1.0);
        }
        if (p_loss < 0.49) {
            EXPECT_GT(*p[metric::terminal].median(), 1.0);
        }
        EXPECT_GE(p[metric::terminal].moments.min, 0.0);
        EXPECT_LE(p[metric::max_drawdown].moments.max, 1.0);
        EXPECT_GE(p[metric::max_drawdown].moments.min, 0.0);
        EXPECT_EQ(p[metric::log_return].moments.count, p.paths - p.wipeout);
    }
}

} // namespace
} // namespace letf

namespace letf {
namespace {

TEST(Engine, UnrebalancedWithoutCostsNeverUnderperformsItsTarget) {
    // Its return is exactly L x the index return: a tie within rounding, never underperformance
    // (while no path is wiped out); the daily-reset fund does underperform on some paths.
    ScenarioConfig c = test::gbm_scenario(0.05, 0.15, {-1, 0.5, 2}, 20000, 126);
    const SimulationResult r = simulate(c, {});
    for (const PositionResult& p : r.positions) {
        if (p.position.strategy == Strategy(Unrebalanced{})) {
            ASSERT_EQ(p.wipeout, 0) << p.position.multiple;
            EXPECT_EQ(p.underperform, 0) << p.position.multiple;
        } else {
            EXPECT_GT(p.underperform, 0) << p.position.multiple;
        }
    }
}

} // namespace
} // namespace letf

namespace letf {
namespace {

TEST(Accumulators, ExactQuantilesMatchSortedTypeSeven) {
    // Against a full sort with the type-7 rule written out, on data with ties and odd sizes.
    for (std::size_t n : {1u, 2u, 7u, 1000u, 4099u}) {
        std::vector<double> v;
        PathRng rng = path_rng(4, n);
        for (std::size_t i = 0; i < n; ++i)
            v.push_back(std::floor(standard_normal(rng) * 20));
        std::vector<double> sorted = v;
        std::sort(sorted.begin(), sorted.end());
        const std::vector<double> qs{0.0, 0.01, 0.05, 0.25, 0.333, 0.5, 0.75, 0.95, 0.99, 1.0};
        const std::vector<double> got = exact_quantiles(v, qs);
        for (std::size_t i = 0; i < qs.size(); ++i) {
            const double h = qs[i] * static_cast<double>(n - 1);
            const auto lo = static_cast<std::size_t>(std::floor(h));
            const std::size_t hi = std::min(lo + 1, n - 1);
            const double expected = sorted[lo] + (h - std::floor(h)) * (sorted[hi] - sorted[lo]);
            EXPECT_DOUBLE_EQ(got[i], expected) << "n = " << n << ", q = " << qs[i];
        }
    }
}

} // namespace
} // namespace letf

namespace letf {
namespace {

TEST(Engine, AbsurdScenariosNeverProduceNanOrCrash) {
    // Huge volatility on a one-day year and 100x leverage: values overflow double without the
    // caps; the report must stay finite or null, in exact and sketched mode.
    ScenarioConfig c = test::gbm_scenario(10.0, 10.0, {-100, -1, 0.5, 100}, 3000, 300);
    c.trading_days_per_year = 1.0;
    c.costs.financing_rate = 1.0;
    for (std::int64_t budget : {EngineOptions::kExactQuantileBudget, std::int64_t{100}}) {
        EngineOptions o;
        o.exact_quantile_budget = budget;
        const SimulationResult r = simulate(c, o);
        const std::string text = report_json(c, r);
        static const std::regex non_finite(R"([:,\[]\s*-?(nan|inf))", std::regex::icase);
        EXPECT_FALSE(std::regex_search(text, non_finite));
        // Values are capped, so the per-path statistics the caps protect stay finite.
        for (const PositionResult& p : r.positions) {
            EXPECT_TRUE(std::isfinite(p[metric::terminal].moments.max)) << p.position.multiple;
            for (double v : p[metric::terminal].values)
                EXPECT_TRUE(std::isfinite(v));
            for (double v : p[metric::gap].values)
                EXPECT_TRUE(std::isfinite(v));
        }
    }
}

} // namespace
} // namespace letf
