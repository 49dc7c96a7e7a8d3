#pragma once
// Strips of a model filled through StripSource (as the engine calls it), with running means and
// standard errors of per-path quantities: the tests of the heston and regime models.

#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "letf/models/strip_source.hpp"

namespace letf::test {

/// Mean and standard error of the mean of a sample, accumulated one value at a time.
struct MeanSe {
    double n = 0.0, mean = 0.0, m2 = 0.0;
    void add(double x) {
        n += 1.0;
        const double d = x - mean;
        mean += d / n;
        m2 += d * (x - mean);
    }
    double se() const { return std::sqrt(m2 / (n - 1.0) / n); }
};

/// Fills `strips` strips (first paths 0, 16, ...) of `days` days in chunks of `chunk` days and
/// calls per_strip(returns [day * kStripPaths + lane], final state) for each.
inline void simulate_strips(
    const StripSource& source, std::uint64_t seed, int strips, int days, int chunk,
    const std::function<void(const std::vector<double>&, const StripSource::State&)>& per_strip) {
    std::vector<double> all(static_cast<std::size_t>(days * kStripPaths));
    for (int k = 0; k < strips; ++k) {
        const auto first = static_cast<std::uint64_t>(k) * kStripPaths;
        StripRng rng = StripRng::for_paths(seed, first);
        StripSource::State state = source.start(seed, first);
        for (int day = 1; day <= days; day += chunk) {
            const int n = std::min(chunk, days - day + 1);
            source.fill(day, n, rng, state, all.data() + (day - 1) * kStripPaths);
        }
        per_strip(all, state);
    }
}

/// E[prod_t (a + b R_t)] per path over the strips, with its standard error.
inline MeanSe mean_product(const StripSource& source, std::uint64_t seed, int strips, int days,
                           double a, double b) {
    MeanSe m;
    simulate_strips(source, seed, strips, days, kDayChunk,
                    [&](const std::vector<double>& r, const StripSource::State&) {
                        for (int i = 0; i < kStripPaths; ++i) {
                            double v = 1.0;
                            for (int d = 0; d < days; ++d)
                                v *= a + b * r[static_cast<std::size_t>(d * kStripPaths + i)];
                            m.add(v);
                        }
                    });
    return m;
}

} // namespace letf::test
