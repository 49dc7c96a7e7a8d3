#pragma once
// Internal to the strip walker (strategy.cpp) and the fund kernels it calls (daily_reset.cpp,
// unrebalanced.cpp): SIMD register arrays and the scalar daily-reset day.

#include <algorithm>
#include <cstddef>

#include "base/simd.hpp"
#include "letf/base/rng.hpp"
#include "letf/strategies/common.hpp"

namespace letf::strip {

using namespace simd;
constexpr int kVecs = kStripPaths / kLanes;

/// One day of a daily-reset fund on one path, scalar, with the cap and the wipe-out test:
/// V *= f (f >= 0 the day's factor), u = min(1, u f), m the least u, wd the first day at 0.
inline void daily_reset_day(double f, int day, double& v, double& u, double& m, int& wd) {
    v = std::min(v * f, kValueCap);
    u = std::min(u * f, 1.0);
    m = std::min(m, u);
    if (v <= 0.0 && wd == 0)
        wd = day;
}

/// Register arrays: G positions x kVecs vectors (a strip), and G broadcast constants.
template <int G> using Strips = VD[static_cast<std::size_t>(G)][static_cast<std::size_t>(kVecs)];
template <int G> using Consts = VD[static_cast<std::size_t>(G)];

} // namespace letf::strip
