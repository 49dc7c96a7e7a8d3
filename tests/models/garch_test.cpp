// The garch model: parsing, the reproducibility contract, its sub-streams against a scalar
// reference of the recursion, and its moments (E[R_t], products of means, E[h_t]) within 5
// standard errors of the exact values.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../test_util.hpp"
#include "letf/base/error.hpp"
#include "letf/models/garch.hpp"
#include "letf/models/strip_source.hpp"

namespace letf {
namespace {

using nlohmann::json;
constexpr double kDt = 1.0 / 252;

GarchModel parse(const std::string& text) {
    return std::get<GarchModel>(parse_model(json::parse(text), "s.json"));
}

TEST(Garch, ParseErrorsNameTheField) {
    const std::string base = R"({"type": "garch", "mu": 0.05, "sigma": 0.2, )";
    test::expect_model_error(base + R"("alpha": 0.1, "beta": 0.9, "gamma": 0.2})", "/model/beta",
                             "not stationary: alpha + beta + gamma/2 = 1.1");
    test::expect_model_error(base + R"("alpha": 0.1, "beta": 0.9})", "/model/beta",
                             "= 1.0 must be < 1");
    test::expect_model_error(base + R"("alpha": 0.05, "beta": 0.9, "gamma": -0.1})", "/model/gamma",
                             "alpha + gamma must be >= 0");
    test::expect_model_error(base + R"("alpha": -0.1, "beta": 0.9})", "/model/alpha", "must be in");
    test::expect_model_error(base + R"("alpha": 0.1, "beta": 0.8, "df": 5})", "/model/df",
                             "applies only to innovations \"student_t\"");
    test::expect_model_error(base + R"("alpha": 0.1, "beta": 0.8, "innovations": "student_t"})",
                             "/model/df", "missing");
    test::expect_model_error(
        base + R"("alpha": 0.1, "beta": 0.8, "innovations": "student_t", "df": 2})", "/model/df",
        "must be in");
    test::expect_model_error(base + R"("alpha": 0.1, "beta": 0.8, "innovations": "cauchy"})",
                             "/model/innovations", "unknown innovations");
    test::expect_model_error(base + R"("alpha": 0.1, "beta": 0.8, "sigma0": -1})", "/model/sigma0",
                             "must be in");
}

TEST(Garch, WritesEveryDefault) {
    const GarchModel m =
        parse(R"({"type": "garch", "mu": 0.05, "sigma": 0.2, "alpha": 0.1, "beta": 0.8})");
    const nlohmann::ordered_json j = model_to_json(PathModel{m});
    EXPECT_EQ(j.dump(), R"({"type":"garch","mu":0.05,"sigma":0.2,"alpha":0.1,"beta":0.8,)"
                        R"("gamma":0.0,"innovations":"normal","sigma0":0.2})");
    EXPECT_EQ(model_to_json(parse_model(json(j), "s.json")).dump(), j.dump());
}

GarchModel gjr(Noise innovations) {
    GarchModel m;
    m.mu = 0.06;
    m.sigma = 0.25;
    m.alpha = 0.08;
    m.beta = 0.85;
    m.gamma = 0.06;
    m.sigma0 = 0.4;
    m.innovations = innovations;
    if (innovations == Noise::student_t)
        m.df = 6.0;
    return m;
}

/// The returns of the strip of first path `first`, days 1..days, filled in chunks of `chunk`:
/// [day - 1][lane]; the primary generator's state after them goes to *rng_out when given.
std::vector<double> strip_returns(const GarchModel& m, std::uint64_t seed, std::uint64_t first,
                                  int days, int chunk, StripRng* rng_out = nullptr) {
    const StripSource source(PathModel{m}, kDt, days);
    StripRng rng = StripRng::for_paths(seed, first);
    StripSource::State state = source.start(seed, first);
    std::vector<double> out(static_cast<std::size_t>(days * kStripPaths));
    for (int day = 1; day <= days; day += chunk) {
        const int n = std::min(chunk, days - day + 1);
        source.fill(day, n, rng, state, out.data() + (day - 1) * kStripPaths);
    }
    if (rng_out)
        *rng_out = rng;
    return out;
}

/// A scalar reference of the recursion: the normals from strip_normals of the primary stream
/// in the same chunks of days (the rng.hpp contract), the gammas from each lane's gammas
/// sub-stream in day order. Chunks of 7 days check the variance and the gammas carried across
/// chunks in the Strip.
TEST(Garch, MatchesAScalarReferenceOnItsSubStreams) {
    const int days = 150;
    for (int chunk : {kDayChunk, 7})
        for (Noise noise : {Noise::normal, Noise::student_t}) {
            SCOPED_TRACE(chunk);
            const GarchModel m = gjr(noise);
            StripRng after;
            const std::vector<double> r = strip_returns(m, 5, 16, days, chunk, &after);
            EXPECT_NE(r, strip_returns(m, 5, 32, days, chunk));
            StripRng primary = StripRng::for_paths(5, 16);
            std::vector<double> z(static_cast<std::size_t>(days * kStripPaths));
            for (int day = 1; day <= days; day += chunk)
                strip_normals(primary, std::min(chunk, days - day + 1),
                              z.data() + (day - 1) * kStripPaths);
            // Student t draws nothing more from the primary stream than the normal innovations.
            EXPECT_EQ(std::vector<std::uint64_t>(after.state, after.state + kStripPaths),
                      std::vector<std::uint64_t>(primary.state, primary.state + kStripPaths));
            const double p = m.persistence(), omega = m.sigma * m.sigma * kDt * (1 - p);
            for (int i = 0; i < kStripPaths; ++i) {
                PathRng gammas = path_rng(5, 16 + static_cast<std::uint64_t>(i), SubStream::gammas);
                double h = m.sigma0 * m.sigma0 * kDt;
                for (int d = 0; d < days; ++d) {
                    double eps = z[static_cast<std::size_t>(d * kStripPaths + i)];
                    if (m.df)
                        eps *= std::sqrt((*m.df - 2) / (2 * standard_gamma(gammas, 0.5 * *m.df)));
                    const double e = std::sqrt(h) * eps;
                    const double got = r[static_cast<std::size_t>(d * kStripPaths + i)];
                    ASSERT_NEAR(got, m.mu * kDt + e, 1e-15) << "lane " << i << " day " << d + 1;
                    h = omega + (m.alpha + (e < 0 ? m.gamma : 0.0)) * e * e + m.beta * h;
                }
            }
        }
}

TEST(Garch, Facts) {
    const GarchModel m = gjr(Noise::student_t);
    const ModelFacts f = model_facts(PathModel{m}, {.dt = kDt, .days = 30, .data = nullptr});
    EXPECT_FALSE(f.days_independent);
    EXPECT_TRUE(f.conditional_means);
    EXPECT_TRUE(f.identical_days);
    EXPECT_FALSE(f.one_outcome);
    EXPECT_FALSE(f.lognormal.has_value());
    EXPECT_EQ(f.mean_return, std::vector<double>(30, 0.06 * kDt));
    EXPECT_DOUBLE_EQ(f.daily_log_sd, 0.25 * std::sqrt(kDt) * std::sqrt(6.0 / 4.0));
    double sum = 0.0;
    for (int t = 1; t <= 30; ++t)
        sum += m.expected_variance(kDt, t);
    ASSERT_TRUE(f.integrated_variance.has_value());
    EXPECT_NEAR(*f.integrated_variance, sum, 1e-15);
    EXPECT_DOUBLE_EQ(m.expected_variance(kDt, 1), 0.16 * kDt);
    GarchModel flat;
    EXPECT_TRUE(model_facts(PathModel{flat}, {.dt = kDt, .days = 3, .data = nullptr}).one_outcome);
}

/// Mean and standard error of the per-path values.
struct MeanSe {
    double mean, se;
};
MeanSe mean_se(const std::vector<double>& x) {
    double s = 0, s2 = 0;
    for (double v : x) {
        s += v;
        s2 += v * v;
    }
    const double n = static_cast<double>(x.size()), mean = s / n;
    return {mean, std::sqrt((s2 / n - mean * mean) / (n - 1))};
}

/// Per path (strips of first path 0, 16, ...): mean of R_t, prod_t (1 + L R_t - c dt) and the
/// mean of e_t^2 over days after `burn`; per day the lanes' h_{t+1} (read from the strip state
/// after each one-day fill).
struct PathStats {
    std::vector<double> mean_r, product, late_e2;
    std::vector<std::vector<double>> h_next; ///< [day - 1][path]
};
PathStats path_stats(const GarchModel& m, int strips, int days, int burn, double L, double c) {
    const StripSource source(PathModel{m}, kDt, days);
    PathStats s;
    s.h_next.resize(static_cast<std::size_t>(days));
    double out[kStripPaths];
    for (int k = 0; k < strips; ++k) {
        const auto first = static_cast<std::uint64_t>(k) * kStripPaths;
        StripRng rng = StripRng::for_paths(3, first);
        StripSource::State state = source.start(3, first);
        std::vector<double> sum(kStripPaths, 0.0), prod(kStripPaths, 1.0), e2(kStripPaths, 0.0);
        for (int day = 1; day <= days; ++day) {
            source.fill(day, 1, rng, state, out);
            const auto& strip = std::get<GarchModel::Strip>(state);
            for (std::size_t i = 0; i < kStripPaths; ++i) {
                sum[i] += out[i];
                prod[i] *= 1.0 + L * out[i] - c * kDt;
                const double e = out[i] - m.mu * kDt;
                if (day > burn)
                    e2[i] += e * e;
                s.h_next[static_cast<std::size_t>(day - 1)].push_back(strip.h[i]);
            }
        }
        for (std::size_t i = 0; i < kStripPaths; ++i) {
            s.mean_r.push_back(sum[i] / days);
            s.product.push_back(prod[i]);
            s.late_e2.push_back(e2[i] / (days - burn));
        }
    }
    return s;
}

TEST(Garch, MomentsAreWithinFiveStandardErrors) {
    const int days = 250, burn = 150, strips = 1000;
    const double L = 3.0, c = 0.02;
    for (Noise noise : {Noise::normal, Noise::student_t}) {
        SCOPED_TRACE(noise == Noise::normal ? "normal" : "student_t");
        const GarchModel m = gjr(noise);
        const PathStats s = path_stats(m, strips, days, burn, L, c);
        const MeanSe r = mean_se(s.mean_r);
        EXPECT_TRUE(test::within_se(r.mean, m.mu * kDt, r.se));
        // Martingale differences: the product of conditional means is exact (tower property).
        const MeanSe p = mean_se(s.product);
        EXPECT_TRUE(test::within_se(p.mean, std::pow(1 + L * m.mu * kDt - c * kDt, days), p.se));
        // The variance of R after the burn-in: the average of E[h_t], near sigma^2 dt.
        double exact = 0.0;
        for (int t = burn + 1; t <= days; ++t)
            exact += m.expected_variance(kDt, t) / (days - burn);
        EXPECT_NEAR(exact, m.sigma * m.sigma * kDt, 0.02 * m.sigma * m.sigma * kDt);
        const MeanSe v = mean_se(s.late_e2);
        EXPECT_TRUE(test::within_se(v.mean, exact, v.se));
        for (int t : {1, 2, 5, 20, 60, 150, 249}) {
            SCOPED_TRACE(t);
            const MeanSe h = mean_se(s.h_next[static_cast<std::size_t>(t - 1)]);
            EXPECT_TRUE(test::within_se(h.mean, m.expected_variance(kDt, t + 1), h.se));
        }
    }
}

} // namespace
} // namespace letf
