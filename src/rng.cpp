#include "letf/rng.hpp"

#include <cmath>

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
        u = (static_cast<double>(static_cast<std::int32_t>(w) >> 7) + 0.5) * 0x1p-24;
        if (u < t.ratio[layer] && u > -t.ratio[layer])
            return u * t.x[layer];
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
