// The merton model: parsing, the reproducibility contract, its sub-streams (gbm's normals, a
// scalar reference of the jumps), E[S_T / S_0], and the closed-form day law against a Monte
// Carlo of single days and a direct numerical integration.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../test_util.hpp"
#include "letf/base/error.hpp"
#include "letf/models/lognormal_mixture.hpp"
#include "letf/models/merton.hpp"
#include "letf/models/strip_source.hpp"

namespace letf {
namespace {

using nlohmann::json;
constexpr double kDt = 1.0 / 252;

TEST(Merton, ParseErrorsNameTheField) {
    const std::string base = R"({"type": "merton", "mu": 0.05, "sigma": 0.2, )";
    test::expect_model_error(base + R"("lambda": -1, "jump_mean": 0, "jump_sigma": 0.1})",
                             "/model/lambda", "must be in [0.0, 500.0]");
    test::expect_model_error(base + R"("lambda": 1, "jump_mean": 0, "jump_sigma": -0.1})",
                             "/model/jump_sigma", "must be in");
    test::expect_model_error(base + R"("lambda": 1, "jump_sigma": 0.1})", "/model/jump_mean",
                             "missing");
    test::expect_model_error(base + R"("lambda": 1, "jump_mean": 0, "jump_sigma": 0.1, "df": 3})",
                             "/model/df", "unknown key");
}

TEST(Merton, RoundTripsThroughTheRegistry) {
    const json given = json::parse(
        R"({"type": "merton", "mu": 0.05, "sigma": 0.2, "lambda": 1.5, "jump_mean": -0.1,
            "jump_sigma": 0.15})");
    const nlohmann::ordered_json j = model_to_json(parse_model(given, "s.json"));
    EXPECT_EQ(json(j), given);
    EXPECT_EQ(j.begin().key(), "type");
}

MertonModel merton(double mu, double sigma, double lambda, double jm, double js) {
    return MertonModel{mu, sigma, lambda, jm, js};
}
/// The jump set of issue 11: a 3x fund dies in about 1 % of years.
const MertonModel kSetA = merton(0.07, 0.2, 0.5, -0.10, 0.15);
/// Frequent jumps: a visible mass of days below the -1/3 of a 3x fund.
const MertonModel kSetB = merton(0.05, 0.3, 40.0, -0.05, 0.12);

/// Returns [day - 1][lane] of one strip, filled in chunks of `chunk` days.
std::vector<double> strip_returns(const PathModel& m, std::uint64_t seed, std::uint64_t first,
                                  int days, int chunk) {
    const StripSource source(m, kDt, days);
    StripRng rng = StripRng::for_paths(seed, first);
    StripSource::State state = source.start(seed, first);
    std::vector<double> out(static_cast<std::size_t>(days * kStripPaths));
    for (int day = 1; day <= days; day += chunk)
        source.fill(day, std::min(chunk, days - day + 1), rng, state,
                    out.data() + (day - 1) * kStripPaths);
    return out;
}

TEST(Merton, WithoutJumpsItIsGbmBitForBit) {
    for (int chunk : {kDayChunk, 7})
        for (std::uint64_t first : {0ull, 16ull, 1ull << 20})
            EXPECT_EQ(
                strip_returns(PathModel{merton(0.07, 0.3, 0.0, -0.2, 0.3)}, 11, first, 150, chunk),
                strip_returns(PathModel{GbmModel{0.07, 0.3}}, 11, first, 150, chunk));
}

/// sigma = 0: ln(1 + R) - drift is the day's jump sum, against a scalar reference of the jumps
/// sub-stream (one uniform per day, the inverse Poisson CDF, one normal when N > 0). Without
/// the normals the returns do not depend on the chunking: the jumps' generators are carried
/// across chunks in the Strip.
TEST(Merton, JumpsFollowTheirSubStream) {
    const MertonModel m = merton(0.05, 0.0, 60.0, -0.05, 0.1);
    const int days = 150;
    const std::vector<double> r = strip_returns(PathModel{m}, 8, 32, days, kDayChunk);
    EXPECT_EQ(r, strip_returns(PathModel{m}, 8, 32, days, 7));
    EXPECT_NE(r, strip_returns(PathModel{m}, 8, 48, days, 7));
    const double lambda_dt = m.lambda * kDt, p0 = std::exp(-lambda_dt);
    const double k = std::expm1(m.jump_mean + 0.5 * m.jump_sigma * m.jump_sigma);
    const double drift = (m.mu - m.lambda * k) * kDt;
    int multiple_jumps = 0;
    for (int i = 0; i < kStripPaths; ++i) {
        PathRng jumps = path_rng(8, 32 + static_cast<std::uint64_t>(i), SubStream::jumps);
        for (int d = 0; d < days; ++d) {
            const double u = uniform_open01(jumps);
            int n = 0;
            for (double w = p0, cdf = p0; u > cdf; cdf += w)
                w *= lambda_dt / ++n;
            const double j =
                n == 0 ? 0.0
                       : n * m.jump_mean + m.jump_sigma * std::sqrt(n) * standard_normal(jumps);
            multiple_jumps += n > 1;
            ASSERT_NEAR(std::log1p(r[static_cast<std::size_t>(d * kStripPaths + i)]) - drift, j,
                        1e-12)
                << "lane " << i << " day " << d + 1 << " jumps " << n;
        }
    }
    EXPECT_GT(multiple_jumps, 0);
}

TEST(Merton, Facts) {
    const ModelFacts f = model_facts(PathModel{kSetA}, {.dt = kDt, .days = 5, .data = nullptr});
    EXPECT_TRUE(f.days_independent);
    EXPECT_TRUE(f.identical_days);
    EXPECT_TRUE(f.conditional_means);
    EXPECT_FALSE(f.one_outcome);
    EXPECT_FALSE(f.lognormal.has_value());
    EXPECT_EQ(f.mean_return, std::vector<double>(5, std::expm1(0.07 * kDt)));
    EXPECT_DOUBLE_EQ(f.daily_log_sd, std::sqrt(0.04 * kDt + 0.5 * kDt * (0.01 + 0.0225)));
    ASSERT_TRUE(f.day_law.has_value());
    // a + b R with b = 0, and with a = b (a + b R = b e^X): E[e^X] = exp(mu dt).
    EXPECT_DOUBLE_EQ(f.day_law->positive_part(2.0, 0.0), 2.0);
    EXPECT_NEAR(f.day_law->positive_part(1.0, 1.0), std::exp(0.07 * kDt), 1e-15);
    EXPECT_EQ(f.day_law->prob_nonpositive(1.0, 1.0), 0.0);
    EXPECT_EQ(f.day_law->prob_nonpositive(-1.0, 0.0), 1.0);
    EXPECT_TRUE(model_facts(PathModel{merton(0.1, 0.0, 3.0, 0.0, 0.0)}, {}).one_outcome);
    EXPECT_FALSE(model_facts(PathModel{merton(0.1, 0.0, 3.0, 0.0, 0.1)}, {}).one_outcome);
}

/// Without jumps the day law is gbm's lognormal: P(1 + L R <= 0) and E[max(0, 1 + L R)] in
/// closed form (Black-Scholes with a forward of 1 + L E[R]).
TEST(Merton, DayLawWithoutJumpsIsTheLognormal) {
    const double mu = 0.05, sigma = 0.8, L = 3.0, m = (mu - 0.5 * sigma * sigma) * kDt,
                 s = sigma * std::sqrt(kDt);
    const ModelFacts f =
        model_facts(PathModel{merton(mu, sigma, 0.0, 0.0, 0.0)}, {.dt = kDt, .days = 1});
    const double ln_k = std::log(1.0 - 1.0 / L);
    const double phi = 0.5 * std::erfc(-((ln_k - m) / s) / std::sqrt(2.0));
    EXPECT_NEAR(f.day_law->prob_nonpositive(1.0, L), phi, 1e-15 + 1e-12 * phi);
    const double d2 = (m - ln_k) / s;
    const auto cdf = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
    const double call = std::exp(m + 0.5 * s * s) * cdf(d2 + s) - std::exp(ln_k) * cdf(d2);
    EXPECT_NEAR(f.day_law->positive_part(1.0, L), L * call, 1e-14);
}

/// E[max(0, a + b R)] and P(a + b R <= 0) by Simpson's rule over each Poisson component's
/// normal density, split at the kink ln((b - a) / b) of a + b R = (a - b) + b e^X.
struct Integrated {
    double positive_part, prob_nonpositive;
};
Integrated integrate(const MertonModel& mm, double a, double b) {
    const double lambda_dt = mm.lambda * kDt;
    const double k = std::expm1(mm.jump_mean + 0.5 * mm.jump_sigma * mm.jump_sigma);
    const double m0 = (mm.mu - 0.5 * mm.sigma * mm.sigma - mm.lambda * k) * kDt;
    const double kink = std::log((b - a) / b); // finite for the cases tested
    Integrated out{0, 0};
    double w = std::exp(-lambda_dt);
    for (int n = 0; w > 1e-20 || n < lambda_dt; w *= lambda_dt / ++n) {
        const double m = m0 + n * mm.jump_mean;
        const double s = std::sqrt(mm.sigma * mm.sigma * kDt + n * mm.jump_sigma * mm.jump_sigma);
        const auto simpson = [&](double lo, double hi, auto f) {
            const int steps = 20000;
            const double h = (hi - lo) / steps;
            double sum = f(lo) + f(hi);
            for (int i = 1; i < steps; ++i)
                sum += (i % 2 ? 4 : 2) * f(lo + i * h);
            return sum * h / 3;
        };
        const auto density = [&](double x) {
            return std::exp(-0.5 * (x - m) * (x - m) / (s * s)) / (s * std::sqrt(2 * M_PI));
        };
        const double lo = m - 14 * s, hi = m + 14 * s, c = std::clamp(kink, lo, hi);
        const auto pos = [&](double x) {
            return std::max(0.0, a - b + b * std::exp(x)) * density(x);
        };
        // The kink splits the integrand into two smooth pieces.
        out.positive_part += w * (simpson(lo, c, pos) + simpson(c, hi, pos));
        out.prob_nonpositive += w * (b > 0 ? simpson(lo, c, density) : simpson(c, hi, density));
    }
    return out;
}

TEST(Merton, DayLawMatchesANumericalIntegration) {
    for (const MertonModel& m : {kSetA, kSetB}) {
        const ModelFacts f = model_facts(PathModel{m}, {.dt = kDt, .days = 1});
        for (double L : {3.0, -3.0, 2.0, -1.0}) {
            SCOPED_TRACE(L);
            const Integrated x = integrate(m, 1.0 - 0.01 * kDt, L);
            EXPECT_NEAR(f.day_law->positive_part(1.0 - 0.01 * kDt, L), x.positive_part, 1e-12);
            EXPECT_NEAR(f.day_law->prob_nonpositive(1.0 - 0.01 * kDt, L), x.prob_nonpositive,
                        1e-13 + 1e-8 * x.prob_nonpositive);
        }
    }
}

/// 10^6 single days (977 strips of 64 days, all i.i.d.): E[max(0, 1 + L R)] and
/// P(1 + L R <= 0) within 5 standard errors of the day law.
TEST(Merton, DayLawMatchesAMonteCarloOfSingleDays) {
    for (const MertonModel& m : {kSetA, kSetB}) {
        const StripSource source(PathModel{m}, kDt, kDayChunk);
        const ModelFacts& f = source.facts();
        for (double L : {3.0, -3.0}) {
            SCOPED_TRACE(L);
            double s = 0, s2 = 0, dead = 0, n = 0;
            std::vector<double> out(kDayChunk * kStripPaths);
            for (std::uint64_t strip = 0; strip < 977; ++strip) {
                StripRng rng = StripRng::for_paths(21, strip * kStripPaths);
                StripSource::State state = source.start(21, strip * kStripPaths);
                source.fill(1, kDayChunk, rng, state, out.data());
                for (double r : out) {
                    const double v = std::max(0.0, 1.0 + L * r);
                    s += v;
                    s2 += v * v;
                    dead += 1.0 + L * r <= 0.0;
                    n += 1;
                }
            }
            const double mean = s / n, p = dead / n;
            EXPECT_TRUE(test::within_se(mean, f.day_law->positive_part(1.0, L),
                                        std::sqrt((s2 / n - mean * mean) / n)));
            const double exact_p = f.day_law->prob_nonpositive(1.0, L);
            EXPECT_TRUE(test::within_se(p, exact_p, std::sqrt(exact_p * (1 - exact_p) / n)));
            EXPECT_GT(exact_p, 0.0);
        }
    }
}

TEST(Merton, MeanTerminalIsExpMuT) {
    const int days = 252, strips = 1250;
    for (const MertonModel& m : {kSetA, kSetB}) {
        const StripSource source(PathModel{m}, kDt, days);
        std::vector<double> terminal;
        std::vector<double> out(kDayChunk * kStripPaths);
        for (std::uint64_t strip = 0; strip < strips; ++strip) {
            StripRng rng = StripRng::for_paths(2, strip * kStripPaths);
            StripSource::State state = source.start(2, strip * kStripPaths);
            std::vector<double> s(kStripPaths, 1.0);
            for (int day = 1; day <= days; day += kDayChunk) {
                const int n = std::min(kDayChunk, days - day + 1);
                source.fill(day, n, rng, state, out.data());
                for (int i = 0; i < n * kStripPaths; ++i)
                    s[static_cast<std::size_t>(i % kStripPaths)] *=
                        1.0 + out[static_cast<std::size_t>(i)];
            }
            terminal.insert(terminal.end(), s.begin(), s.end());
        }
        double sum = 0, sum2 = 0;
        for (double v : terminal) {
            sum += v;
            sum2 += v * v;
        }
        const double n = static_cast<double>(terminal.size()), mean = sum / n;
        EXPECT_TRUE(test::within_se(mean, std::exp(m.mu * days * kDt),
                                    std::sqrt((sum2 / n - mean * mean) / (n - 1))));
    }
}

} // namespace
} // namespace letf
