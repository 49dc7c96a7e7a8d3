#pragma once
/// \file simd.hpp
/// Internal: native-width SIMD vectors for the path kernel (GCC/Clang vector extensions), and
/// the few vector functions it needs (exp, log, reciprocal). One register per vector: a vector
/// type wider than the hardware is split by the compiler and runs much slower.
///
/// The functions are written once for any width; the width follows the target the file is
/// compiled for (AVX-512: 8 doubles, AVX: 4, SSE: 2).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <immintrin.h>

namespace letf::simd {

#if defined(__AVX512F__)
inline constexpr int kBytes = 64;
#elif defined(__AVX__)
inline constexpr int kBytes = 32;
#else
inline constexpr int kBytes = 16;
#endif
/// Doubles per vector.
inline constexpr int kLanes = kBytes / 8;

using VD = double __attribute__((vector_size(kBytes)));
using VU = std::uint64_t __attribute__((vector_size(kBytes)));
using VI = std::int64_t __attribute__((vector_size(kBytes))); ///< masks: -1 true, 0 false

inline VD splat(double x) {
    return VD{} + x;
}
inline VU splat_u(std::uint64_t x) {
    return VU{} + x;
}

inline VD load(const double* p) {
    VD v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline void store(double* p, VD v) {
    std::memcpy(p, &v, sizeof v);
}
inline VU load_u(const std::uint64_t* p) {
    VU v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline void store_u(std::uint64_t* p, VU v) {
    std::memcpy(p, &v, sizeof v);
}

/// a < b ? a : b and a > b ? a : b lane by lane (the semantics of the min/max instructions).
#if defined(__AVX512F__)
inline VD vmin(VD a, VD b) {
    return reinterpret_cast<VD>(_mm512_min_pd(a, b));
}
inline VD vmax(VD a, VD b) {
    return reinterpret_cast<VD>(_mm512_max_pd(a, b));
}
#elif defined(__AVX__)
inline VD vmin(VD a, VD b) {
    return reinterpret_cast<VD>(_mm256_min_pd(a, b));
}
inline VD vmax(VD a, VD b) {
    return reinterpret_cast<VD>(_mm256_max_pd(a, b));
}
#else
inline VD vmin(VD a, VD b) {
    return reinterpret_cast<VD>(_mm_min_pd(a, b));
}
inline VD vmax(VD a, VD b) {
    return reinterpret_cast<VD>(_mm_max_pd(a, b));
}
#endif
inline VD select(VI mask, VD a, VD b) {
    return mask ? a : b;
}

/// True when any lane of the mask is set.
inline bool any(VI mask) {
#if defined(__AVX512F__)
    const auto m = reinterpret_cast<__m512i>(mask);
    return _mm512_test_epi64_mask(m, m) != 0; // one test instruction
#elif defined(__AVX__)
    const auto m = reinterpret_cast<__m256i>(mask);
    return _mm256_testz_si256(m, m) == 0;
#else
    std::int64_t acc = 0;
    for (int i = 0; i < kLanes; ++i)
        acc |= mask[i];
    return acc != 0;
#endif
}

/// The mask's lanes as bits: bit i set when lane i is (the sign bit of a -1/0 mask).
inline unsigned lane_bits(VI mask) {
#if defined(__AVX512F__)
    const auto m = reinterpret_cast<__m512i>(mask);
    return _mm512_test_epi64_mask(m, m);
#elif defined(__AVX__)
    return static_cast<unsigned>(_mm256_movemask_pd(_mm256_castsi256_pd(reinterpret_cast<__m256i>(mask))));
#else
    return static_cast<unsigned>(_mm_movemask_pd(_mm_castsi128_pd(reinterpret_cast<__m128i>(mask))));
#endif
}

/// Bit casts (same size, no conversion).
inline VD as_double(VU u) {
    return reinterpret_cast<VD>(u);
}
inline VU as_bits(VD d) {
    return reinterpret_cast<VU>(d);
}

/// Exact conversion of integers in [0, 2^52) to double: 2^52 + u has u as its mantissa.
inline VD u52_to_double(VU u) {
    constexpr double k2p52 = 0x1p52;
    return as_double(u | as_bits(splat(k2p52))) - k2p52;
}

/// pcg32's XSH-RR output (rng.hpp, Pcg32) of each lane's old 64-bit state, in the low 32 bits of
/// the lane: the generators of a strip stepped in vector lanes give each lane's scalar words.
inline VU pcg32_output(VU old) {
    const VU xs = ((old >> 18u) ^ old) >> 27u;
    const VU rot = old >> 59u;
#if defined(__AVX512F__)
    // A 32-bit rotate of the low half of each lane (the high half is masked off after).
    return reinterpret_cast<VU>(
               _mm512_rorv_epi32(reinterpret_cast<__m512i>(xs), reinterpret_cast<__m512i>(rot))) &
           0xFFFFFFFFu;
#else
    const VU lo = xs & 0xFFFFFFFFu;
    return ((lo >> rot) | (lo << ((32u - rot) & 31u))) & 0xFFFFFFFFu;
#endif
}

/// table[idx[i]] per lane (a hardware gather where there is one).
inline VD gather(const double* table, VU idx) {
#if defined(__AVX512F__)
    return reinterpret_cast<VD>(_mm512_i64gather_pd(reinterpret_cast<__m512i>(idx), table, 8));
#elif defined(__AVX2__)
    return reinterpret_cast<VD>(_mm256_i64gather_pd(table, reinterpret_cast<__m256i>(idx), 8));
#else
    VD r;
    for (int i = 0; i < kLanes; ++i)
        r[i] = table[idx[i]];
    return r;
#endif
}

/// The correctly rounded square root per lane.
inline VD sqrt(VD x) {
#if defined(__AVX512F__)
    return reinterpret_cast<VD>(_mm512_sqrt_pd(reinterpret_cast<__m512d>(x)));
#elif defined(__AVX__)
    return reinterpret_cast<VD>(_mm256_sqrt_pd(reinterpret_cast<__m256d>(x)));
#else
    return reinterpret_cast<VD>(_mm_sqrt_pd(reinterpret_cast<__m128d>(x)));
#endif
}

/// e^x, within 2 ulp of the exact value for x in [-700, 700]; x is clamped to that range
/// (e^-700 ~ 1e-304, e^700 ~ 1e304, beyond anything a daily return needs).
/// x = k ln2 + r with |r| <= ln2/2, e^r by its Taylor polynomial of degree 13 (truncation
/// below 4e-18, evaluated by Estrin's scheme), then scaled by 2^k through the exponent bits.
inline VD exp(VD x) {
    constexpr double kLog2e = 1.4426950408889634;
    constexpr double kLn2Hi = 0.6931471803691238; // 33 significant bits: k * kLn2Hi is exact
    constexpr double kLn2Lo = 1.9082149292705877e-10;
    constexpr double kShift = 0x1.8p52; // adding it rounds to an integer in the low bits
    x = vmin(vmax(x, splat(-700.0)), splat(700.0));
    const VD t = x * kLog2e + kShift;
    const VD k = t - kShift;
    VD r = x - k * kLn2Hi;
    r = r - k * kLn2Lo;
    // Estrin's scheme: a dependency depth of 4 multiply-adds instead of 13 (Horner), which
    // keeps the pipelines full also without FMA.
    const VD r2 = r * r, r4 = r2 * r2;
    const VD q0 = 1.0 + r, q1 = 0.5 + r * (1.0 / 6.0), q2 = 1.0 / 24.0 + r * (1.0 / 120.0),
             q3 = 1.0 / 720.0 + r * (1.0 / 5040.0), q4 = 1.0 / 40320.0 + r * (1.0 / 362880.0),
             q5 = 1.0 / 3628800.0 + r * (1.0 / 39916800.0),
             q6 = 1.0 / 479001600.0 + r * (1.0 / 6227020800.0);
    const VD s0 = q0 + q1 * r2, s1 = q2 + q3 * r2, s2 = q4 + q5 * r2;
    const VD p = s0 + (s1 + (s2 + q6 * r4) * r4) * r4;
    // k sits in the low mantissa bits of t (two's complement for k < 0).
    const VU ki = as_bits(t) - as_bits(splat(kShift));
    const VU scale = (ki + 1023u) << 52;
    return p * as_double(scale);
}

/// ln x for x > 0 (normal or subnormal, finite), within 2 ulp. x = 2^e m with m in
/// [sqrt(1/2), sqrt(2)), ln m = 2 atanh(s), s = (m - 1)/(m + 1), |s| < 0.172, by its series to
/// s^23. Lanes with x <= 0 give unspecified values: callers mask them.
inline VD log(VD x) {
    constexpr double kLn2Hi = 0.6931471803691238;
    constexpr double kLn2Lo = 1.9082149292705877e-10;
    // Subnormals: scale by 2^54 first.
    const VI tiny = x < 0x1p-1022;
    const VD xs = select(tiny, x * 0x1p54, x);
    const VD ebias = select(tiny, splat(54.0), splat(0.0));
    const VU bits = as_bits(xs);
    // Mantissa in [1, 2) then folded to [sqrt(1/2), sqrt(2)).
    VD m = as_double((bits & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull);
    VD e = u52_to_double(bits >> 52) - 1023.0 - ebias;
    const VI big = m > 1.4142135623730951;
    m = select(big, m * 0.5, m);
    e = select(big, e + 1.0, e);
    const VD s = (m - 1.0) / (m + 1.0);
    const VD z = s * s;
    VD p = splat(1.0 / 23.0);
    p = p * z + 1.0 / 21.0;
    p = p * z + 1.0 / 19.0;
    p = p * z + 1.0 / 17.0;
    p = p * z + 1.0 / 15.0;
    p = p * z + 1.0 / 13.0;
    p = p * z + 1.0 / 11.0;
    p = p * z + 1.0 / 9.0;
    p = p * z + 1.0 / 7.0;
    p = p * z + 1.0 / 5.0;
    p = p * z + 1.0 / 3.0;
    const VD lm = 2.0 * s + 2.0 * s * z * p;
    return e * kLn2Hi + (lm + e * kLn2Lo);
}

/// 1 / x for finite x > 0, within 1 ulp. AVX-512: a 14-bit estimate refined by two Newton
/// steps (no division); elsewhere a division.
inline VD reciprocal(VD x) {
#if defined(__AVX512F__)
    VD r = reinterpret_cast<VD>(_mm512_rcp14_pd(reinterpret_cast<__m512d>(x)));
    VD e = 1.0 - x * r;
    r = r + r * e;
    e = 1.0 - x * r;
    return r + r * e;
#else
    return 1.0 / x;
#endif
}

/// a / b for finite a >= 0 and b > 0: a times reciprocal(b) on AVX-512 (within 1 ulp of the
/// quotient, no division), a plain division elsewhere.
inline VD ratio(VD a, VD b) {
#if defined(__AVX512F__)
    return a * reciprocal(b);
#else
    return a / b;
#endif
}

} // namespace letf::simd

namespace letf {

/// out[i] = ln x[i] for x[i] > 0 (simd::log); entries with x[i] <= 0 are unspecified.
inline void simd_log(const double* x, double* out, std::size_t n) {
    using namespace simd;
    std::size_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
        store(out + i, simd::log(load(x + i)));
    if (i < n) {
        double tail[kLanes];
        for (int l = 0; l < kLanes; ++l)
            tail[l] =
                i + static_cast<std::size_t>(l) < n ? x[i + static_cast<std::size_t>(l)] : 1.0;
        store(tail, simd::log(load(tail)));
        std::copy_n(tail, n - i, out + i);
    }
}

} // namespace letf
