#pragma once
/// \file base/rng.hpp
/// Random streams and the normal transform.
///
/// Stream layout and reproducibility contract
/// ------------------------------------------
/// Every Monte Carlo path k (0-based, k < paths) owns one pcg32 generator (O'Neill's PCG
/// XSH-RR 64/32 with a selectable stream: 64-bit LCG state, 32-bit output; the same sequence as
/// pcg-cpp's `pcg32`, checked by a test) constructed as
///
///     pcg32(initstate = splitmix64(seed ^ splitmix64(k)), stream = k)
///
/// so the increment (stream) differs for every path and the starting state is decorrelated by a
/// hash. Paths are simulated in strips of kStripPaths (16) whose generators advance together in
/// SIMD lanes, one lane per path; a lane never reads another lane's generator.
///
/// Named sub-streams. Each kind of draw of a path has its own generator, so that a model that
/// adds a kind of draw (jumps, regime switches, ...) never moves the draws of another kind: the
/// normals of a jump-diffusion are those of gbm at the same seed. Sub-stream s of path k is the
/// generator above of the virtual path index k_s = k + s 2^56,
///
///     pcg32(initstate = splitmix64(seed ^ splitmix64(k_s)), stream = k_s),
///
/// a different increment for every (k, s) since paths < 10^12 < 2^56 (so no sub-stream is
/// another path's generator), and for s = 0 the generator of path k itself. The kinds
/// (SubStream) are fixed numbers, never renumbered:
///   0 primary   the draws of the models that existed before sub-streams, in their order:
///               normals (gbm, trend_noise, choppy); Student-t noise draws its normal and then
///               its gamma here, day by day; the bootstrap draws its uniforms here (it has no
///               normals). Models added later draw their normals here and any other kind from
///               the sub-stream of that kind.
///   1 jumps     reserved: jump times and sizes.
///   2 regimes   reserved: regime switches.
///               regime draws its initial state and one uniform per day here (regime.hpp).
///   3 gammas    reserved: gamma variates (stochastic variance, variance gamma).
///               heston draws its QE variance variates here (heston.hpp).
///   4 uniforms  reserved: other uniforms.
///   5 copula    the gamma variate a t copula shares across correlated Student t assets, one
///               per day (models/joint_source.hpp).
/// Asset k >= 1 of a scenario with several assets draws every kind as a one-asset scenario
/// under the seed asset_seed(seed, k) (joint_source.hpp).
/// The engine hands a model the primary stream of its strip (StripRng::for_paths); a model with
/// another kind keeps that kind's StripRng in its per-strip state, seeded from (seed, first path)
/// (models/strip_source.hpp, StripSource::start).
///
/// A path consumes each of its generators strictly in day order, in chunks of days (the engine
/// uses kDayChunk = 64 days; the last chunk may be shorter): for a chunk of n days it first draws n
/// words, one per day, for the fast path of the normal transform below; then, in day order, the
/// days whose word was rejected are fixed up by the slow path, which draws further words from
/// the same generator. Models that need more than one normal per day (Student-t noise) draw
/// per day in order instead: the normal, then the gamma variate. Nothing else reads a
/// generator. Hence path k's returns are a pure function of (seed, k): independent of block
/// size, strip width, instruction set, thread count and scheduling. Blocks of paths are merged
/// in path-index order, so the report (minus run_info) is byte-identical for any number of
/// threads.
///
/// Normal variates: a 128-layer ziggurat (Marsaglia and Tsang, 2000) of our own, one 32-bit word
/// w per variate on the fast path: layer i = w mod 128, and the other 25 bits j = w >> 7 give a
/// uniform U = (j + 1/2) 2^-24 - 1 in (-1, 1), symmetric about 0; x = U x_i is accepted when
/// |U| < x_{i+1}/x_i (about 98.8 % of draws). Otherwise the base layer samples the tail beyond
/// R = 3.4426198558990 by Marsaglia's exponential method, and other layers test the wedge with
/// a second uniform; a rejected draw restarts from a new word. Uniforms for these tests are
/// (u + 1/2) 2^-32 from one 32-bit word u, never 0 or 1. std::normal_distribution is not used:
/// it is implementation-defined and would break golden values across standard libraries.

#include <cstddef>
#include <cstdint>

namespace letf {

/// PCG XSH-RR 64/32 (O'Neill 2014), setseq variant: the generator of one path.
struct Pcg32 {
    static constexpr std::uint64_t kMultiplier = 6364136223846793005ULL;
    std::uint64_t state = 0;
    std::uint64_t inc = 1; ///< odd; (stream << 1) | 1

    Pcg32() = default;
    /// Seeds as pcg32(initstate, stream) of the PCG reference implementations.
    Pcg32(std::uint64_t initstate, std::uint64_t stream) : inc((stream << 1) | 1u) {
        step();
        state += initstate;
        step();
    }
    void step() noexcept { state = state * kMultiplier + inc; }
    /// The next 32-bit word (output of the state before the step).
    std::uint32_t operator()() noexcept {
        const std::uint64_t old = state;
        step();
        const auto xorshifted = static_cast<std::uint32_t>(((old >> 18u) ^ old) >> 27u);
        const auto rot = static_cast<std::uint32_t>(old >> 59u);
        return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
    }
};

using PathRng = Pcg32;

/// Paths per strip: generators advanced together (see the contract above).
inline constexpr int kStripPaths = 16;
/// Days drawn per chunk by the engine (see the contract above).
inline constexpr int kDayChunk = 64;
/// A chunk of a strip's returns of one asset (kDayChunk x kStripPaths doubles): asset k's
/// returns of a chunk start at k * kAssetStride in the engine's buffers (joint_source.hpp).
inline constexpr std::size_t kAssetStride = static_cast<std::size_t>(kDayChunk) * kStripPaths;

/// SplitMix64 finaliser (Steele, Lea, Flood 2014): a bijective 64-bit mix.
constexpr std::uint64_t splitmix64(std::uint64_t x) noexcept {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/// The kinds of draw of a path, each with its own generator (see the contract above).
enum class SubStream : std::uint64_t {
    primary = 0,
    jumps = 1,
    regimes = 2,
    gammas = 3,
    uniforms = 4,
    copula = 5
};

/// k_s = k + s 2^56, the virtual path index of sub-stream s of path k (see the contract above).
constexpr std::uint64_t sub_stream_index(std::uint64_t path, SubStream kind) noexcept {
    return path + (static_cast<std::uint64_t>(kind) << 56);
}

/// The generator of sub-stream `kind` of path `path` under `seed` (see the contract above).
inline PathRng path_rng(std::uint64_t seed, std::uint64_t path,
                        SubStream kind = SubStream::primary) {
    const std::uint64_t k = sub_stream_index(path, kind);
    return PathRng(splitmix64(seed ^ splitmix64(k)), k);
}

/// The generators of kStripPaths consecutive paths, lane i = path first + i, stored as arrays
/// so that they can be advanced in SIMD registers.
struct StripRng {
    alignas(64) std::uint64_t state[kStripPaths];
    alignas(64) std::uint64_t inc[kStripPaths];

    /// Lane i: path_rng(seed, first_path + i, kind).
    static StripRng for_paths(std::uint64_t seed, std::uint64_t first_path,
                              SubStream kind = SubStream::primary);
    PathRng lane(int i) const {
        PathRng r;
        r.state = state[i];
        r.inc = inc[i];
        return r;
    }
    void set_lane(int i, const PathRng& r) {
        state[i] = r.state;
        inc[i] = r.inc;
    }
};

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
    const double u = (static_cast<double>(w >> 7) + 0.5) * 0x1p-24 - 1.0;
    if (u < t.ratio[layer] && u > -t.ratio[layer])
        return u * t.x[layer];
    return normal_slow_path(rng, layer, u);
}

/// Standard normals for a strip: z[d * kStripPaths + i] is day d's variate of lane i, for
/// d < days, drawn by the chunk rule of the contract above (one chunk of `days` days): the fast
/// path for every day in SIMD lanes, then the rejected draws fixed up in day order.
void strip_normals(StripRng& rng, int days, double* z) noexcept;

/// Gamma(shape, 1) variate for shape >= 1 (Marsaglia and Tsang, 2000, squeeze + log test).
double standard_gamma(PathRng& rng, double shape) noexcept;

} // namespace letf
