#pragma once
/// \file rng.hpp
/// Random streams and the normal transform.
///
/// Stream layout and reproducibility contract
/// ------------------------------------------
/// Every Monte Carlo path k (0-based, k < paths) owns one pcg32 generator (pcg-cpp's
/// setseq_xsh_rr_64_32: 64-bit LCG state, 32-bit XSH-RR output) constructed as
///
///     pcg32(initstate = splitmix64(seed ^ splitmix64(k)), stream = k)
///
/// so the increment (stream) differs for every path and the starting state is decorrelated by a
/// hash. A path consumes its generator strictly in day order: day 1's draws, then day 2's, and
/// so on; within a day, the model decides how many 32-bit words it takes (one per normal in the
/// common case, more on a ziggurat rejection or for Student-t noise). Nothing else reads the
/// generator. Hence path k's returns are a pure function of (seed, k): independent of block size,
/// thread count and scheduling. Blocks of paths are merged in path-index order, so the report
/// (minus run_info) is byte-identical for any number of threads.
///
/// Normal variates: a 128-layer ziggurat (Marsaglia and Tsang, 2000) of our own, one 32-bit word
/// per variate on the fast path (7 bits pick the layer, the other 25 bits give a signed uniform
/// U = (j + 1/2) 2^-24 in (-1, 1)); x = U x_i is accepted when |U| < x_{i+1}/x_i (about 98.8 %
/// of draws). Otherwise the base layer samples the tail beyond R = 3.4426198558990 by
/// Marsaglia's exponential method, and other layers test the wedge with a second uniform; a
/// rejected draw restarts from a new word. Uniforms for these tests are (u + 1/2) 2^-32 from one
/// 32-bit word u, never 0 or 1. std::normal_distribution is not used: it is
/// implementation-defined and would break golden values across standard libraries.

#include <cstdint>

#include <pcg_random.hpp>

namespace letf {

using PathRng = pcg32;

/// SplitMix64 finaliser (Steele, Lea, Flood 2014): a bijective 64-bit mix.
constexpr std::uint64_t splitmix64(std::uint64_t x) noexcept {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/// The generator of path `path` under `seed` (see the contract above).
inline PathRng path_rng(std::uint64_t seed, std::uint64_t path) {
    return PathRng(splitmix64(seed ^ splitmix64(path)), path);
}

/// Uniform on (0, 1) from one 32-bit word: (u + 1/2) 2^-32.
inline double uniform_open01(PathRng& rng) noexcept {
    return (static_cast<double>(rng()) + 0.5) * 0x1p-32;
}

/// Ziggurat tables: x[0] = V / f(R) (base layer width, tail included), x[1] = R, ...,
/// x[128] = 0, with f(x) = exp(-x^2/2) and every layer of area V; ratio[i] = x[i+1] / x[i];
/// fx[i] = f(x[i]).
struct ZigguratTables {
    static constexpr int kLayers = 128;
    static constexpr double kR = 3.442619855899;
    static constexpr double kV = 9.91256303526217e-3;
    double x[kLayers + 1];
    double ratio[kLayers];
    double fx[kLayers + 1];
};
/// The tables, built once at start-up (not used before main).
extern const ZigguratTables kZigguratTables;

/// The slow path of standard_normal: layer i, signed uniform u already drawn and rejected by
/// the fast test. Draws more words from `rng` as needed.
double normal_slow_path(PathRng& rng, int layer, double u) noexcept;

/// A standard normal variate (see the contract above).
inline double standard_normal(PathRng& rng) noexcept {
    const ZigguratTables& t = kZigguratTables;
    const std::uint32_t w = rng();
    const int layer = static_cast<int>(w & 127u);
    const auto j = static_cast<std::int32_t>(w) >> 7; // signed, 25 bits
    const double u = (static_cast<double>(j) + 0.5) * 0x1p-24;
    if (u < t.ratio[layer] && u > -t.ratio[layer])
        return u * t.x[layer];
    return normal_slow_path(rng, layer, u);
}

/// Gamma(shape, 1) variate for shape >= 1 (Marsaglia and Tsang, 2000, squeeze + log test).
double standard_gamma(PathRng& rng, double shape) noexcept;

} // namespace letf
