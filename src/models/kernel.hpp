#pragma once
// Helpers of the models' strip fills (private to src/models).

#include "base/simd.hpp"
#include "letf/models/model.hpp"

namespace letf::models {

/// Applies f (VD -> VD) to every vector of the filled part of the strip, in place.
template <class F> void transform_strip(const StripFill& f, F fn) {
    using namespace simd;
    const int n = f.days * kStripPaths;
    for (int i = 0; i < n; i += kLanes)
        store(f.out + i, fn(load(f.out + i)));
}

/// The floor and the cap of every daily return (model.hpp).
inline simd::VD floor_lo() {
    return simd::splat(-1.0);
}
inline simd::VD cap_hi() {
    return simd::splat(kMaxDailyReturn);
}

} // namespace letf::models
