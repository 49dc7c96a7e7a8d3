#include "letf/base/rng.hpp"

#include <bit>
#include <vector>

#include <cmath>

#include "base/simd.hpp"

namespace letf {
namespace {

ZigguratTables make_tables() {
    ZigguratTables t{};
    constexpr int n = ZigguratTables::kLayers;
    const double r = ZigguratTables::kR, v = ZigguratTables::kV;
    auto f = [](double x) { return std::exp(-0.5 * x * x); };
    t.x[0] = v / f(r);
    t.x[1] = r;
    for (int i = 1; i < n - 1; ++i)
        t.x[i + 1] = std::sqrt(-2.0 * std::log(v / t.x[i] + f(t.x[i])));
    t.x[n] = 0.0;
    for (int i = 0; i < n; ++i)
        t.ratio[i] = t.x[i + 1] / t.x[i];
    for (int i = 0; i <= n; ++i)
        t.fx[i] = f(t.x[i]);
    return t;
}

} // namespace

const ZigguratTables kZigguratTables = make_tables();

double normal_slow_path(PathRng& rng, int layer, double u) noexcept {
    const ZigguratTables& t = kZigguratTables;
    for (;;) {
        if (layer == 0) {
            // Tail beyond R: x = R + a with a ~ exponential tilted by the normal density.
            double a, b;
            do {
                a = -std::log(uniform_open01(rng)) / ZigguratTables::kR;
                b = -std::log(uniform_open01(rng));
            } while (b + b < a * a);
            return u < 0 ? -(ZigguratTables::kR + a) : ZigguratTables::kR + a;
        }
        const double x = u * t.x[layer];
        const double y = t.fx[layer] + uniform_open01(rng) * (t.fx[layer + 1] - t.fx[layer]);
        if (y < std::exp(-0.5 * x * x))
            return x;
        // Rejected: a fresh draw, through the fast test again.
        const std::uint32_t w = rng();
        layer = static_cast<int>(w & 127u);
        u = (static_cast<double>(w >> 7) + 0.5) * 0x1p-24 - 1.0;
        if (u < t.ratio[layer] && u > -t.ratio[layer])
            return u * t.x[layer];
    }
}

StripRng StripRng::for_paths(std::uint64_t seed, std::uint64_t first_path, SubStream kind) {
    StripRng s;
    for (int i = 0; i < kStripPaths; ++i)
        s.set_lane(i, path_rng(seed, first_path + static_cast<std::uint64_t>(i), kind));
    return s;
}

namespace {

using namespace simd;
constexpr int kVecs = kStripPaths / kLanes;
static_assert(kStripPaths % kLanes == 0);

/// Quiet NaN carrying the rejected 32-bit word in its payload.
constexpr std::uint64_t kRejectTag = 0x7FF8000000000000ull;

} // namespace

void strip_normals(StripRng& rng, int days, double* z) noexcept {
    const ZigguratTables& t = kZigguratTables;
    VU state[kVecs], inc[kVecs];
    for (int k = 0; k < kVecs; ++k) {
        state[k] = load_u(rng.state + k * kLanes);
        inc[k] = load_u(rng.inc + k * kLanes);
    }
    const VU abs_mask = splat_u(0x7FFFFFFFFFFFFFFFull);
    // Per day, the lanes whose draw the fast path rejected (bit i: path i of the strip), so the
    // fix-up below visits only those, in day order and lane order (tzcnt), never scanning the
    // chunk's values. A chunk is at most 64 days; Heston's substeps call with up to 1000.
    static_assert(kStripPaths <= 16);
    constexpr int kMaskDays = 1024;
    std::uint16_t small[kMaskDays];
    std::vector<std::uint16_t> large;
    std::uint16_t* rejected_lanes = small;
    if (days > kMaskDays) {
        large.resize(static_cast<std::size_t>(days));
        rejected_lanes = large.data();
    }
    unsigned any_rejected = 0;
    for (int d = 0; d < days; ++d) {
        unsigned day_rejected = 0;
        for (int k = 0; k < kVecs; ++k) {
            // pcg32 in 64-bit lanes: output of the old state, then the LCG step.
            const VU old = state[k];
            state[k] = old * Pcg32::kMultiplier + inc[k];
            const VU w = pcg32_output(old);
            // Fast path of the ziggurat.
            const VU layer = w & 127u;
            const VD u = u52_to_double(w >> 7u) * 0x1p-24 + (0x1p-25 - 1.0);
            const VD au = as_double(as_bits(u) & abs_mask);
            const VI ok = au < gather(t.ratio, layer);
            day_rejected |= lane_bits(~ok) << (k * kLanes);
            const VD x = u * gather(t.x, layer);
            store(z + d * kStripPaths + k * kLanes, select(ok, x, as_double(w | kRejectTag)));
        }
        rejected_lanes[d] = static_cast<std::uint16_t>(day_rejected);
        any_rejected |= day_rejected;
    }
    for (int k = 0; k < kVecs; ++k)
        store_u(rng.state + k * kLanes, state[k]);
    if (any_rejected == 0)
        return;
    // Fix-ups in day order, each from its own lane's generator (the tag holds the word).
    for (int d = 0; d < days; ++d) {
        double* row = z + d * kStripPaths;
        for (unsigned bits = rejected_lanes[d]; bits != 0; bits &= bits - 1) {
            const int i = std::countr_zero(bits);
            std::uint64_t tagged;
            std::memcpy(&tagged, &row[i], sizeof tagged);
            const auto w = static_cast<std::uint32_t>(tagged);
            PathRng lane = rng.lane(i);
            row[i] = normal_slow_path(lane, static_cast<int>(w & 127u),
                                      (static_cast<double>(w >> 7) + 0.5) * 0x1p-24 - 1.0);
            rng.set_lane(i, lane);
        }
    }
}

double standard_gamma(PathRng& rng, double shape) noexcept {
    const double d = shape - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
        double x, v;
        do {
            x = standard_normal(rng);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        const double u = uniform_open01(rng);
        const double x2 = x * x;
        if (u < 1.0 - 0.0331 * x2 * x2)
            return d * v;
        if (std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v)))
            return d * v;
    }
}

} // namespace letf
