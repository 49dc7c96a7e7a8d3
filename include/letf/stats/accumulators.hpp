#pragma once
/// \file stats/accumulators.hpp
/// Streaming, mergeable statistics. Merging is done in a fixed order (block index) by the engine,
/// so floating-point results do not depend on the thread count.

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "letf/stats/metrics.hpp"

namespace letf {

/// Count, mean, sum of squared deviations (M2), min and max of one quantity.
///
/// A block's moments are computed in two passes (mean, then M2 = sum (x - mean)^2); blocks are
/// combined with the pairwise update of Chan, Golub and LeVeque (1979):
///   n = na + nb, delta = mean_b - mean_a, mean = mean_a + delta nb / n,
///   M2 = M2_a + M2_b + delta^2 na nb / n.
/// variance = M2 / (n - 1) (sample variance), std_error = sqrt(variance / n). Undefined values
/// (n < 2 for the variance, n = 0 for the mean) are nullopt, never NaN.
///
/// Scaling. M2 overflows once values spread beyond about 1e154 (and a block's sum beyond
/// DBL_MAX / n); kValueCap (strategy.hpp) lets values reach 1e300. So M2 is kept in units of
/// 4^scale: the true M2 is m2 * 4^scale. While every result of the plain arithmetic above is
/// finite, scale is 0 and nothing else happens (the bytes of ordinary reports do not depend on
/// this). When a block's plain result, or a merge's, is not finite although its inputs are, it is
/// recomputed on the values times 2^-scale, with scale = ilogb(max |x|) + 1 (an exact scaling,
/// so every scaled value is below 2 in magnitude) and the block pass taken relative to its first
/// value (identical values give M2 = 0 and their exact mean); a merge with either side scaled
/// works at the larger scale of both and of the merged values. Merges stay in block order, so
/// the result is still independent of the thread count. With finite inputs of magnitude at most
/// DBL_MAX / 2, mean, std_dev and std_error are then always finite; variance() may still
/// overflow (it is up to (max - min)^2 / 2), the others never square a value.
struct Moments {
    std::int64_t count = 0;
    double mean = 0.0;
    double m2 = 0.0; ///< in units of 4^scale
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    int scale = 0; ///< 0 unless the plain arithmetic overflowed (see above)

    static Moments of(const double* x, std::size_t n);
    /// Never inlined: -ffp-contract=fast lets the compiler fuse the update differently at each
    /// inlined call site (it did), and the bytes of a report must not depend on the caller.
    [[gnu::noinline]] void merge(const Moments& other);

    std::optional<double> mean_value() const;
    std::optional<double> min_value() const;
    std::optional<double> max_value() const;
    /// M2 / (n - 1); infinite when that exceeds DBL_MAX (values spread beyond about 1e154).
    std::optional<double> variance() const;
    std::optional<double> std_dev() const;
    std::optional<double> std_error() const;
};

/// Statistics of one series (a position, or the underlying) over a set of paths: the moments of
/// every row of kMetrics (metrics.hpp; over the row's population, empty where the row does not
/// apply to the series) and the counts of paths with x < 1 (loss), gap > 1e-12 (1 + |L| S_T/S_0)
/// (underperform: a tie within rounding does not count), x = 0 (wipeout), x > S_T/S_0
/// (beat_index: ahead of the 1x index) and V_T below its running peak (under_water_end).
struct PositionTally {
    std::array<Moments, kMetricCount> metrics{};
    std::int64_t paths = 0, loss = 0, underperform = 0, wipeout = 0;
    std::int64_t beat_index = 0, under_water_end = 0;

    void merge(const PositionTally& other);
};

/// Quantile of the values, type 7 of Hyndman and Fan (NumPy's default): with the values sorted
/// x_(0) <= ... <= x_(n-1), h = q (n - 1), quantile = x_(floor h) + (h - floor h)(x_(ceil h) -
/// x_(floor h)). Computes every q at once (order_statistics).
/// `qs` must be sorted ascending and in [0, 1]; values non-empty, no NaN.
std::vector<double> exact_quantiles(std::span<const double> values, const std::vector<double>& qs);

/// The ranks (0-based, sorted, distinct) whose order statistics give the type-7 quantiles at
/// levels qs of n values: floor(h) and floor(h) + 1 for each h = q (n - 1).
std::vector<std::size_t> type7_ranks(std::size_t n, const std::vector<double>& qs);

/// The type-7 quantile at level q of n values, given stat(k) = the order statistic x_(k).
template <class Stat> double type7_quantile(double q, std::size_t n, Stat stat) {
    const double h = q * static_cast<double>(n - 1);
    const auto lo = static_cast<std::size_t>(h);
    const double frac = h - static_cast<double>(lo);
    const double a = stat(lo);
    if (frac == 0.0 || lo + 1 >= n)
        return a;
    return a + frac * (stat(lo + 1) - a);
}

/// The order statistics x_(k) of `values` (no NaN) for each k in `ranks` (each < n), in the
/// order of `ranks`. O(n): one pass counts a 16-bit radix histogram of an order-preserving key
/// (sign, exponent and 4 mantissa bits), a second gathers the few buckets that hold the ranks,
/// and selection runs within those buckets only.
std::vector<double> order_statistics(std::span<const double> values,
                                     const std::vector<std::size_t>& ranks);

} // namespace letf
