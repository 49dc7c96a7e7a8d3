#pragma once
// Internal to the signal strategies' kernels (sma_rotation.cpp, vol_target.cpp,
// drawdown_derisk.cpp): the per-day record of a multiplicative value series in registers and the
// loads and stores of a SignalLanes.

#include "letf/strategies/signal.hpp"
#include "strip_simd.hpp"

namespace letf::strip {

/// V, the drawdown ratio u and its least value m of a strip's lanes, in registers across the
/// days of a chunk: the daily-reset kernel's update plus the cap, with V_t stored to the chunk's
/// day values (StripWalker::day_values) every day. A value at 0 stays at 0, so the wipe-out day
/// is found once per chunk, in the stored values of a lane that ends it at 0 for the first time
/// (a signal walk has no scalar redo).
struct DayRecord {
    VD v[kVecs], u[kVecs], m[kVecs];
    double* out = nullptr; ///< [d * kStripPaths + i]

    void load_from(const double* pv, const double* pu, const double* pm, double* day_values) {
        out = day_values;
        for (int k = 0; k < kVecs; ++k) {
            v[k] = simd::load(pv + k * kLanes);
            u[k] = simd::load(pu + k * kLanes);
            m[k] = simd::load(pm + k * kLanes);
        }
    }
    /// Stores the state and sets the wipe-out day (first_day + d of the first stored 0) of each
    /// lane newly at 0.
    void store_to(double* pv, double* pu, double* pm, int* pwd, int first_day, int days) const {
        for (int k = 0; k < kVecs; ++k) {
            simd::store(pv + k * kLanes, v[k]);
            simd::store(pu + k * kLanes, u[k]);
            simd::store(pm + k * kLanes, m[k]);
        }
        for (int i = 0; i < kStripPaths; ++i) {
            if (pwd[i] != 0 || pv[i] > 0.0)
                continue;
            for (int d = 0; d < days; ++d)
                if (out[d * kStripPaths + i] <= 0.0) {
                    pwd[i] = first_day + d;
                    break;
                }
        }
    }
    /// V_t = min(V_{t-1} f, cap), u_t = min(1, u_{t-1} f), m = min(m, u_t); V_t stored.
    void day(int d, int k, VD f) {
        v[k] = vmin(v[k] * f, splat(kValueCap));
        u[k] = vmin(u[k] * f, splat(1.0));
        m[k] = vmin(m[k], u[k]);
        simd::store(out + d * kStripPaths + k * kLanes, v[k]);
    }
};

/// One SignalLanes::Lanes array in registers.
struct LaneRegs {
    VD x[kVecs];
    void load_from(const SignalLanes::Lanes& l) {
        for (int k = 0; k < kVecs; ++k)
            x[k] = simd::load(l.x + k * kLanes);
    }
    void store_to(SignalLanes::Lanes& l) const {
        for (int k = 0; k < kVecs; ++k)
            simd::store(l.x + k * kLanes, x[k]);
    }
};

/// 1 where the mask is set, else 0.
inline VD ones(VI mask) {
    return select(mask, splat(1.0), splat(0.0));
}

/// a where the mask is set, else b (masks).
inline VI select_mask(VI mask, VI a, VI b) {
    return (mask & a) | (~mask & b);
}

/// x where the mask is set, else 0.
inline VD masked(VI mask, VD x) {
    return select(mask, x, splat(0.0));
}

/// 1 / sqrt(x) for finite x > 0. AVX-512: a 14-bit estimate and two Newton steps (within a few
/// ulp, no division or square root: both are slow at this width); elsewhere 1 / sqrt(x).
inline VD inv_sqrt(VD x) {
#if defined(__AVX512F__)
    VD y = reinterpret_cast<VD>(_mm512_rsqrt14_pd(reinterpret_cast<__m512d>(x)));
    const VD h = 0.5 * x;
    y = y * (1.5 - h * y * y);
    return y * (1.5 - h * y * y);
#else
    return 1.0 / simd::sqrt(x);
#endif
}

/// Whether position j shares the signal of position j - 1 (the same strategy entry at another
/// multiple: positions are strategy-major, so the entry's first multiple computes the signal of
/// the chunk and the others read it).
template <class P> bool follows(const P& positions, std::size_t j) {
    return j > 0 && positions[j - 1].strategy == positions[j].strategy &&
           positions[j - 1].asset == positions[j].asset;
}

} // namespace letf::strip
