// The random streams and the normal, gamma and Student-t transforms.

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "letf/models/strip_source.hpp"
#include "letf/base/rng.hpp"

#include "test_util.hpp"
#include <pcg_random.hpp>

namespace letf {
namespace {

using test::within_se;

/// R_1 of paths 0..n-1 (n a multiple of kStripPaths), as the engine draws day 1.
std::vector<double> first_day_returns(const StripSource& model, std::uint64_t seed,
                                      std::size_t n) {
    std::vector<double> r(n);
    for (std::size_t first = 0; first < n; first += kStripPaths) {
        StripRng rng = StripRng::for_paths(seed, first);
        StripSource::State state = model.start(seed, first);
        model.fill(1, 1, rng, state, r.data() + first);
    }
    return r;
}

double normal_cdf(double x) {
    return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

TEST(Rng, PathStreamDependsOnlyOnSeedAndPath) {
    PathRng a = path_rng(7, 12345), b = path_rng(7, 12345), c = path_rng(7, 12346),
            d = path_rng(8, 12345);
    int same_c = 0, same_d = 0;
    for (int i = 0; i < 1000; ++i) {
        const auto x = a();
        ASSERT_EQ(x, b());
        same_c += x == c();
        same_d += x == d();
    }
    EXPECT_LT(same_c, 3);
    EXPECT_LT(same_d, 3);
}

TEST(Rng, ZigguratTablesAreConsistent) {
    const ZigguratTables& t = kZigguratTables;
    // Every layer has area V: x_i (f(x_{i+1}) - f(x_i)) = V for i >= 1; the top ends at f = 1.
    for (int i = 1; i < ZigguratTables::kLayers - 1; ++i)
        EXPECT_NEAR(t.x[i] * (t.fx[i + 1] - t.fx[i]), ZigguratTables::kV, 1e-12) << i;
    EXPECT_NEAR(t.fx[ZigguratTables::kLayers - 1] + ZigguratTables::kV / t.x[127], 1.0, 1e-9);
    // The base layer: rectangle [0, R] x [0, f(R)] plus the tail area equals V.
    const double tail = std::sqrt(M_PI / 2) * std::erfc(ZigguratTables::kR / std::sqrt(2.0));
    EXPECT_NEAR(ZigguratTables::kR * t.fx[1] + tail, ZigguratTables::kV, 1e-12);
}

TEST(Rng, NormalMomentsAndDistributionMatch) {
    const int n = 2'000'000;
    PathRng rng = path_rng(1, 0);
    double sum = 0, sum2 = 0, sum3 = 0, sum4 = 0;
    const std::vector<double> cuts{-4.0, -3.442619855899, -2.0, -1.0, -0.3, 0.0, 0.5, 1.5, 3.0,
                                   3.9};
    std::vector<int> below(cuts.size(), 0);
    for (int i = 0; i < n; ++i) {
        const double z = standard_normal(rng);
        sum += z;
        sum2 += z * z;
        sum3 += z * z * z;
        sum4 += z * z * z * z;
        for (std::size_t k = 0; k < cuts.size(); ++k)
            below[k] += z < cuts[k];
    }
    const double N = n;
    EXPECT_TRUE(within_se(sum / N, 0.0, 1.0 / std::sqrt(N)));            // var 1
    EXPECT_TRUE(within_se(sum2 / N, 1.0, std::sqrt(2.0 / N)));           // var 2
    EXPECT_TRUE(within_se(sum3 / N, 0.0, std::sqrt(15.0 / N)));          // var 15
    EXPECT_TRUE(within_se(sum4 / N, 3.0, std::sqrt((105.0 - 9.0) / N))); // var 96
    for (std::size_t k = 0; k < cuts.size(); ++k) {
        const double p = normal_cdf(cuts[k]);
        EXPECT_TRUE(within_se(below[k] / N, p, std::sqrt(p * (1 - p) / N))) << "x < " << cuts[k];
    }
}

TEST(Rng, GammaHasItsMeanAndVariance) {
    for (double shape : {1.0, 1.5, 5.0, 40.0}) {
        PathRng rng = path_rng(3, static_cast<std::uint64_t>(shape * 10));
        const int n = 400'000;
        double sum = 0, sum2 = 0;
        for (int i = 0; i < n; ++i) {
            const double g = standard_gamma(rng, shape);
            sum += g;
            sum2 += g * g;
        }
        // Gamma(k, 1): mean k, variance k, E[g^2] = k (k + 1); Var(g^2) = E[g^4] - E[g^2]^2.
        const double m4 = shape * (shape + 1) * (shape + 2) * (shape + 3);
        const double m2 = shape * (shape + 1);
        EXPECT_TRUE(within_se(sum / n, shape, std::sqrt(shape / n))) << "shape " << shape;
        EXPECT_TRUE(within_se(sum2 / n, m2, std::sqrt((m4 - m2 * m2) / n))) << "shape " << shape;
    }
}

TEST(Rng, StudentTNoiseHasUnitVariance) {
    // df = 10: kurtosis 3 + 6 / (df - 4) = 4, so Var(eps^2) = 4 - 1 = 3.
    TrendNoiseModel m{0.0, 1.0, Noise::student_t, 10.0};
    const double dt = 1.0; // R = eps exactly (mu = 0, sigma sqrt(dt) = 1), floored at -1
    const StripSource model(PathModel{m}, dt, 1);
    const std::size_t n = 400'000;
    const std::vector<double> r = first_day_returns(model, 5, n);
    // The floor at -1 clips eps < -1: compare the upper half instead, symmetric by construction.
    double sum2 = 0;
    std::size_t k = 0;
    for (double x : r)
        if (x > 0) {
            sum2 += x * x;
            ++k;
        }
    // E[eps^2 | eps > 0] = 1 and Var = 3 by symmetry.
    EXPECT_TRUE(
        within_se(sum2 / static_cast<double>(k), 1.0, std::sqrt(3.0 / static_cast<double>(k))));
    EXPECT_TRUE(within_se(static_cast<double>(k) / n, 0.5, std::sqrt(0.25 / n)));
}

TEST(Rng, GbmDailyReturnHasExactMean) {
    const double mu = 0.1, sigma = 0.4, dt = 1.0 / 252;
    const StripSource model(PathModel{GbmModel{mu, sigma}}, dt, 7);
    const std::size_t n = 1'000'000;
    const std::vector<double> r = first_day_returns(model, 9, n);
    double sum = 0, sum2 = 0;
    for (double x : r) {
        sum += x;
        sum2 += x * x;
    }
    const double mean = sum / n, var = sum2 / n - mean * mean;
    EXPECT_TRUE(within_se(mean, std::expm1(mu * dt), std::sqrt(var / n)));
    EXPECT_DOUBLE_EQ(model.facts().mean_return[6], std::expm1(mu * dt));
}

TEST(Rng, Pcg32MatchesPcgCpp) {
    for (std::uint64_t stream : {0ull, 1ull, 12345ull, ~0ull >> 1}) {
        Pcg32 ours(splitmix64(stream), stream);
        pcg32 reference(splitmix64(stream), stream);
        for (int i = 0; i < 1000; ++i)
            ASSERT_EQ(ours(), reference()) << "stream " << stream << " draw " << i;
    }
}

TEST(Rng, StripNormalsFollowTheChunkContract) {
    // Scalar reference of rng.hpp's contract: per path, one word per day on the fast path, then
    // the rejected days fixed up in day order from the same generator.
    const ZigguratTables& t = kZigguratTables;
    const int days = kDayChunk;
    std::size_t rejections = 0;
    for (std::uint64_t first : {0ull, 16ull, 4096ull, 1'000'000ull}) {
        StripRng strip = StripRng::for_paths(77, first);
        std::vector<double> z(static_cast<std::size_t>(days) * kStripPaths);
        for (int chunk = 0; chunk < 3; ++chunk) {
            std::vector<PathRng> lanes;
            for (int i = 0; i < kStripPaths; ++i)
                lanes.push_back(strip.lane(i));
            strip_normals(strip, days, z.data());
            for (int i = 0; i < kStripPaths; ++i) {
                PathRng& g = lanes[static_cast<std::size_t>(i)];
                std::vector<std::uint32_t> words;
                for (int d = 0; d < days; ++d)
                    words.push_back(g());
                for (int d = 0; d < days; ++d) {
                    const std::uint32_t w = words[static_cast<std::size_t>(d)];
                    const int layer = static_cast<int>(w & 127u);
                    const double u = (static_cast<double>(w >> 7) + 0.5) * 0x1p-24 - 1.0;
                    double expected;
                    if (std::fabs(u) < t.ratio[layer]) {
                        expected = u * t.x[layer];
                    } else {
                        expected = normal_slow_path(g, layer, u);
                        ++rejections;
                    }
                    ASSERT_EQ(z[static_cast<std::size_t>(d * kStripPaths + i)], expected)
                        << "path " << first + static_cast<std::uint64_t>(i) << " day " << d;
                }
                ASSERT_EQ(g.state, strip.state[i]);
            }
        }
    }
    EXPECT_GT(rejections, 0u); // the fix-up path was exercised
}

} // namespace
} // namespace letf

namespace letf {
namespace {

TEST(Rng, PrimarySubStreamIsThePathGenerator) {
    // Sub-stream 0 is the generator every model drew from before sub-streams existed.
    for (std::uint64_t k : {0ull, 5ull, 999'999'999'999ull}) {
        PathRng a = path_rng(11, k, SubStream::primary);
        PathRng legacy(splitmix64(11 ^ splitmix64(k)), k);
        for (int i = 0; i < 100; ++i)
            ASSERT_EQ(a(), legacy());
    }
    const StripRng s = StripRng::for_paths(11, 32, SubStream::jumps);
    for (int i = 0; i < kStripPaths; ++i) {
        const PathRng lane = path_rng(11, 32 + static_cast<std::uint64_t>(i), SubStream::jumps);
        EXPECT_EQ(s.lane(i).state, lane.state);
        EXPECT_EQ(s.lane(i).inc, lane.inc);
    }
}

TEST(Rng, SubStreamsAreDistinctFromThePrimaryAndFromOtherPaths) {
    for (SubStream kind : {SubStream::jumps, SubStream::regimes, SubStream::gammas,
                           SubStream::uniforms}) {
        PathRng sub = path_rng(3, 42, kind), own = path_rng(3, 42), next = path_rng(3, 43);
        EXPECT_NE(sub.inc, own.inc);
        int same_own = 0, same_next = 0;
        for (int i = 0; i < 1000; ++i) {
            const auto x = sub();
            same_own += x == own();
            same_next += x == next();
        }
        EXPECT_LT(same_own, 3);
        EXPECT_LT(same_next, 3);
    }
}

TEST(Rng, DrawsFromASecondSubStreamDoNotMoveTheNormals) {
    // A model that adds a kind of draw (here: a jump uniform per day from SubStream::jumps,
    // interleaved with the chunks) gets the same normals as one without it.
    constexpr int kDays = 3 * kDayChunk;
    std::vector<double> alone(kDays * kStripPaths), with_jumps(kDays * kStripPaths);
    StripRng a = StripRng::for_paths(21, 64);
    for (int day = 0; day < kDays; day += kDayChunk)
        strip_normals(a, kDayChunk, alone.data() + day * kStripPaths);
    StripRng b = StripRng::for_paths(21, 64);
    StripRng jumps = StripRng::for_paths(21, 64, SubStream::jumps);
    double uniform_sum = 0.0;
    for (int day = 0; day < kDays; day += kDayChunk) {
        strip_normals(b, kDayChunk, with_jumps.data() + day * kStripPaths);
        for (int i = 0; i < kStripPaths; ++i) {
            PathRng lane = jumps.lane(i);
            for (int d = 0; d < kDayChunk; ++d)
                uniform_sum += uniform_open01(lane);
            jumps.set_lane(i, lane);
        }
    }
    EXPECT_EQ(alone, with_jumps);
    EXPECT_GT(uniform_sum, 0.0);
    for (int i = 0; i < kStripPaths; ++i) {
        EXPECT_EQ(a.lane(i).state, b.lane(i).state);
        EXPECT_NE(jumps.lane(i).state, StripRng::for_paths(21, 64, SubStream::jumps).lane(i).state);
    }
}

} // namespace
} // namespace letf
