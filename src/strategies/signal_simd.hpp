#pragma once
// Internal to the signal strategies' kernels (sma_rotation.cpp, vol_target.cpp,
// drawdown_derisk.cpp): the per-day record of a multiplicative value series in registers and the
// loads and stores of a SignalLanes.

#include "letf/strategies/signal.hpp"
#include "strip_simd.hpp"

namespace letf::strip {

/// V, the drawdown ratio u, its least value m and the wipe-out day (as a double) of a strip's
/// lanes, in registers across the days of a chunk; the same update as the daily-reset kernel,
/// plus the cap and the wipe-out day per day (a signal walk has no scalar redo).
struct DayRecord {
    VD v[kVecs], u[kVecs], m[kVecs], wd[kVecs];

    void load_from(const double* pv, const double* pu, const double* pm, const int* pwd) {
        for (int k = 0; k < kVecs; ++k) {
            v[k] = simd::load(pv + k * kLanes);
            u[k] = simd::load(pu + k * kLanes);
            m[k] = simd::load(pm + k * kLanes);
            for (int l = 0; l < kLanes; ++l)
                wd[k][l] = pwd[k * kLanes + l];
        }
    }
    void store_to(double* pv, double* pu, double* pm, int* pwd) const {
        for (int k = 0; k < kVecs; ++k) {
            simd::store(pv + k * kLanes, v[k]);
            simd::store(pu + k * kLanes, u[k]);
            simd::store(pm + k * kLanes, m[k]);
            for (int l = 0; l < kLanes; ++l)
                pwd[k * kLanes + l] = static_cast<int>(wd[k][l]);
        }
    }
    /// V_t = min(V_{t-1} f, cap), u_t = min(1, u_{t-1} f), m = min(m, u_t); the first day at 0.
    void day(int k, VD f, VD day_number) {
        v[k] = vmin(v[k] * f, splat(kValueCap));
        u[k] = vmin(u[k] * f, splat(1.0));
        m[k] = vmin(m[k], u[k]);
        wd[k] = select((v[k] <= 0.0) & (wd[k] == 0.0), day_number, wd[k]);
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

} // namespace letf::strip
