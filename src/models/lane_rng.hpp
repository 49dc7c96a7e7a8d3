#pragma once
// Vector draws from a sub-stream's StripRng for the models' strip fills (private to
// src/models): each lane gets the same words as its scalar generator (rng.hpp), so a model can
// mix vector draws with scalar ones on the same lane and keep the lane's sequence.

#include <cstdint>

#include "base/simd.hpp"
#include "letf/base/rng.hpp"

namespace letf::models {

inline constexpr int kVecs = kStripPaths / simd::kLanes;
static_assert(kStripPaths % simd::kLanes == 0);

/// The generators of a StripRng in registers: load, draw, store back (or spill() before a lane
/// draws scalar, reload() after).
struct LaneRng {
    simd::VU state[kVecs], inc[kVecs];

    explicit LaneRng(const StripRng& r) {
        for (int k = 0; k < kVecs; ++k) {
            state[k] = simd::load_u(r.state + k * simd::kLanes);
            inc[k] = simd::load_u(r.inc + k * simd::kLanes);
        }
    }
    void spill(StripRng& r) const {
        for (int k = 0; k < kVecs; ++k)
            simd::store_u(r.state + k * simd::kLanes, state[k]);
    }
    void reload(const StripRng& r) {
        for (int k = 0; k < kVecs; ++k)
            state[k] = simd::load_u(r.state + k * simd::kLanes);
    }

    /// pcg32's next word of each lane of vector k (in the low 32 bits), the state stepped.
    simd::VU next(int k) {
        using namespace simd;
        const VU old = state[k];
        state[k] = old * Pcg32::kMultiplier + inc[k];
        return pcg32_output(old);
    }
    /// next(k), but only the lanes of `mask` step (the others' words are unspecified).
    simd::VU next_if(int k, simd::VI mask) {
        using namespace simd;
        const VU old = state[k];
        const VU w = next(k);
        state[k] = mask ? state[k] : old;
        return w;
    }
    /// uniform_open01 of each lane: (w + 1/2) 2^-32, exact in double.
    simd::VD uniform_open01(int k) { return (simd::u52_to_double(next(k)) + 0.5) * 0x1p-32; }
    simd::VD uniform_open01_if(int k, simd::VI mask) {
        return (simd::u52_to_double(next_if(k, mask)) + 0.5) * 0x1p-32;
    }
};

} // namespace letf::models
