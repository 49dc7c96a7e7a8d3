// The vector exp and log of src/simd.hpp against the C library, in units in the last place.

#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "letf/base/rng.hpp"
#include "base/simd.hpp"

namespace letf {
namespace {

/// |a - b| in units in the last place of b.
double ulps(double a, double b) {
    const double ulp =
        std::nextafter(std::fabs(b), std::numeric_limits<double>::infinity()) - std::fabs(b);
    return std::fabs(a - b) / ulp;
}

/// f applied to each of xs (broadcast to a vector).
template <class F> std::vector<double> lanewise(const std::vector<double>& xs, F f) {
    std::vector<double> out(xs.size());
    double lanes[simd::kLanes];
    for (std::size_t i = 0; i < xs.size(); ++i) {
        for (int l = 0; l < simd::kLanes; ++l)
            lanes[l] = xs[i];
        simd::store(lanes, f(simd::load(lanes)));
        out[i] = lanes[0];
    }
    return out;
}

TEST(Simd, ExpWithinTwoUlpsOverItsRange) {
    PathRng rng(1, 2);
    std::vector<double> xs{0.0,  -0.0, 1e-300, -1e-17, 1e-17,  0.5,
                           -0.5, 1.0,  700.0,  -700.0, 0.3466, -0.3466};
    for (int i = 0; i < 20000; ++i)
        xs.push_back((uniform_open01(rng) - 0.5) * 1400.0);
    for (int i = 0; i < 20000; ++i) // daily log returns
        xs.push_back((uniform_open01(rng) - 0.5) * 0.4);
    const std::vector<double> ys = lanewise(xs, [](simd::VD v) { return simd::exp(v); });
    double worst = 0.0;
    for (std::size_t i = 0; i < xs.size(); ++i)
        worst = std::max(worst, ulps(ys[i], std::exp(xs[i])));
    EXPECT_LE(worst, 2.0);
}

TEST(Simd, LogWithinTwoUlpsForNormalAndSubnormalArguments) {
    PathRng rng(3, 4);
    std::vector<double> xs{1.0,
                           2.0,
                           0.5,
                           1e-310,
                           5e-324,
                           1e300,
                           0.999999999,
                           1.000000001,
                           1.4142135623730951,
                           0.7071067811865476};
    for (int i = 0; i < 20000; ++i)
        xs.push_back(std::exp((uniform_open01(rng) - 0.5) * 1380.0));
    for (int i = 0; i < 20000; ++i) // terminal values around 1
        xs.push_back(0.2 + 4.0 * uniform_open01(rng));
    const std::vector<double> ys = lanewise(xs, [](simd::VD v) { return simd::log(v); });
    double worst = 0.0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
        if (xs[i] == 1.0) {
            EXPECT_EQ(ys[i], 0.0);
            continue;
        }
        worst = std::max(worst, ulps(ys[i], std::log(xs[i])));
    }
    EXPECT_LE(worst, 2.0);
}

} // namespace
} // namespace letf
