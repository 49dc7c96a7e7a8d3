#include "letf/stats/accumulators.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

namespace letf {

namespace {

/// Partial sums kept in parallel: 16 lanes, each summing every 16th element, reduced in a fixed
/// pairwise order. The arithmetic is the same whatever the vector width the compiler picks.
constexpr std::size_t kPartials = 16;

double reduce(double (&acc)[kPartials]) {
    for (std::size_t w = kPartials / 2; w > 0; w /= 2)
        for (std::size_t i = 0; i < w; ++i)
            acc[i] += acc[i + w];
    return acc[0];
}

} // namespace

namespace {

bool finite_result(const Moments& m) {
    return std::isfinite(m.mean) && std::isfinite(m.m2);
}

bool finite_inputs(const Moments& m) {
    return std::isfinite(m.min) && std::isfinite(m.max);
}

/// The scale (Moments, >= 0) that brings every value of [lo, hi] below 2 in magnitude.
int scale_for(double lo, double hi) {
    const double largest = std::max(std::fabs(lo), std::fabs(hi));
    return largest >= 1.0 ? std::ilogb(largest) + 1 : 0;
}

/// 2^-s as a factor; multiplying by it is exact while the product stays a normal number.
double inverse_power(int s) {
    return std::ldexp(1.0, -s);
}

/// Moments of x[0..n) (n >= 1, finite) computed on y_i = x_i 2^-s - x_0 2^-s: the scaled block
/// pass of Moments (see the header). min and max are taken from `plain`.
Moments scaled_of(const double* x, std::size_t n, const Moments& plain) {
    Moments m = plain;
    m.scale = scale_for(plain.min, plain.max);
    const double f = inverse_power(m.scale);
    const double shift = x[0] * f;
    const std::size_t body = n - n % kPartials;
    double sum[kPartials] = {};
    for (std::size_t i = 0; i < body; i += kPartials)
        for (std::size_t l = 0; l < kPartials; ++l)
            sum[l] += x[i + l] * f - shift;
    for (std::size_t i = body; i < n; ++i)
        sum[i - body] += x[i] * f - shift;
    const double mean = reduce(sum) / static_cast<double>(n);
    double m2[kPartials] = {};
    for (std::size_t i = 0; i < body; i += kPartials)
        for (std::size_t l = 0; l < kPartials; ++l) {
            const double d = x[i + l] * f - shift - mean;
            m2[l] += d * d;
        }
    for (std::size_t i = body; i < n; ++i) {
        const double d = x[i] * f - shift - mean;
        m2[i - body] += d * d;
    }
    m.mean = std::ldexp(shift + mean, m.scale);
    m.m2 = reduce(m2);
    return m;
}

/// The pairwise merge of a and b (both non-empty) at the common scale of both and of their
/// values.
Moments scaled_merge(const Moments& a, const Moments& b) {
    Moments m;
    m.min = std::min(a.min, b.min);
    m.max = std::max(a.max, b.max);
    m.count = a.count + b.count;
    m.scale = std::max({a.scale, b.scale, scale_for(m.min, m.max)});
    const double f = inverse_power(m.scale);
    const double mean_a = a.mean * f, mean_b = b.mean * f;
    // M2 in units of 4^scale: M2_a 4^(scale_a - scale), exact while normal.
    const double m2_a = std::ldexp(a.m2, 2 * (a.scale - m.scale));
    const double m2_b = std::ldexp(b.m2, 2 * (b.scale - m.scale));
    const auto na = static_cast<double>(a.count), nb = static_cast<double>(b.count);
    const double n = na + nb;
    const double delta = mean_b - mean_a;
    m.mean = std::ldexp(mean_a + delta * (nb / n), m.scale);
    m.m2 = m2_a + m2_b + delta * delta * (na * nb / n);
    return m;
}

} // namespace

Moments Moments::of(const double* x, std::size_t n) {
    Moments m;
    if (n == 0)
        return m;
    const std::size_t body = n - n % kPartials;
    double sum[kPartials] = {}, lo[kPartials], hi[kPartials];
    std::fill_n(lo, kPartials, x[0]);
    std::fill_n(hi, kPartials, x[0]);
    for (std::size_t i = 0; i < body; i += kPartials)
        for (std::size_t l = 0; l < kPartials; ++l) {
            sum[l] += x[i + l];
            lo[l] = std::min(lo[l], x[i + l]);
            hi[l] = std::max(hi[l], x[i + l]);
        }
    for (std::size_t i = body; i < n; ++i) {
        sum[i - body] += x[i];
        lo[0] = std::min(lo[0], x[i]);
        hi[0] = std::max(hi[0], x[i]);
    }
    const double mean = reduce(sum) / static_cast<double>(n);
    double m2[kPartials] = {};
    for (std::size_t i = 0; i < body; i += kPartials)
        for (std::size_t l = 0; l < kPartials; ++l)
            m2[l] += (x[i + l] - mean) * (x[i + l] - mean);
    for (std::size_t i = body; i < n; ++i)
        m2[i - body] += (x[i] - mean) * (x[i] - mean);
    m.count = static_cast<std::int64_t>(n);
    m.mean = mean;
    m.m2 = reduce(m2);
    m.min = *std::min_element(lo, lo + kPartials);
    m.max = *std::max_element(hi, hi + kPartials);
    if (!finite_result(m) && finite_inputs(m)) [[unlikely]]
        return scaled_of(x, n, m);
    return m;
}

void Moments::merge(const Moments& b) {
    if (b.count == 0)
        return;
    if (count == 0) {
        *this = b;
        return;
    }
    if (scale != 0 || b.scale != 0) [[unlikely]] {
        *this = scaled_merge(*this, b);
        return;
    }
    const Moments a = *this;
    const auto na = static_cast<double>(count), nb = static_cast<double>(b.count);
    const double n = na + nb;
    const double delta = b.mean - mean;
    mean += delta * (nb / n);
    m2 += b.m2 + delta * delta * (na * nb / n);
    count += b.count;
    min = std::min(min, b.min);
    max = std::max(max, b.max);
    if (!finite_result(*this) && finite_inputs(*this)) [[unlikely]]
        *this = scaled_merge(a, b);
}

std::optional<double> Moments::mean_value() const {
    if (count == 0)
        return std::nullopt;
    return mean;
}

std::optional<double> Moments::min_value() const {
    if (count == 0)
        return std::nullopt;
    return min;
}

std::optional<double> Moments::max_value() const {
    if (count == 0)
        return std::nullopt;
    return max;
}

std::optional<double> Moments::variance() const {
    if (count < 2)
        return std::nullopt;
    return std::ldexp(m2 / static_cast<double>(count - 1), 2 * scale);
}

// std_dev and std_error take the root in units of 2^scale, then scale back: at scale 0 the
// arithmetic is sqrt(M2 / (n - 1)) and sqrt(M2 / (n - 1) / n) as always.
std::optional<double> Moments::std_dev() const {
    if (count < 2)
        return std::nullopt;
    return std::ldexp(std::sqrt(m2 / static_cast<double>(count - 1)), scale);
}

std::optional<double> Moments::std_error() const {
    if (count < 2)
        return std::nullopt;
    const double v = m2 / static_cast<double>(count - 1);
    return std::ldexp(std::sqrt(v / static_cast<double>(count)), scale);
}

void PositionTally::merge(const PositionTally& o) {
    for (std::size_t m = 0; m < kMetricCount; ++m)
        metrics[m].merge(o.metrics[m]);
    paths += o.paths;
    loss += o.loss;
    underperform += o.underperform;
    wipeout += o.wipeout;
    beat_index += o.beat_index;
    under_water_end += o.under_water_end;
}

namespace {

/// Order-preserving 64-bit key of a double (no NaN): negative values bit-inverted, others with
/// the sign bit set, so that unsigned key order is numeric order.
inline std::uint64_t order_key(double x) {
    std::uint64_t b;
    std::memcpy(&b, &x, sizeof b);
    return (b >> 63) != 0 ? ~b : b | 0x8000000000000000ull;
}

/// Radix levels: the top 16 key bits (sign, exponent, 4 mantissa bits), then 12 bits at a time.
constexpr int kTopBits = 16;
constexpr int kLevelBits = 12;
constexpr int kLevels = 4;
/// Below this many values a bucket is simply sorted.
constexpr std::size_t kSortBelow = 256;

/// out[i] = the order statistic of rank ranks[i] (sorted ascending, each < values.size()) of
/// `values`, whose keys agree on the bits above this level's.
void select_ranks(std::vector<double>& values, std::span<const std::size_t> ranks, double* out,
                  int level) {
    if (values.size() <= kSortBelow || level == kLevels) {
        std::sort(values.begin(), values.end());
        for (std::size_t i = 0; i < ranks.size(); ++i)
            out[i] = values[ranks[i]];
        return;
    }
    const int bits = level == 0 ? kTopBits : kLevelBits;
    const int shift = 64 - kTopBits - (level == 0 ? 0 : level * kLevelBits);
    const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
    auto bucket = [&](double x) {
        return static_cast<std::size_t>((order_key(x) >> shift) & mask);
    };
    std::vector<std::uint32_t> count(std::size_t{1} << bits, 0);
    for (double x : values)
        ++count[bucket(x)];
    // Ties (e.g. every wiped-out path at exactly 0, or a drawdown of exactly 1) share every key
    // bit: a bucket that holds all the values and nothing else to split is answered at once.
    if (level > 0 && count[bucket(values.front())] == values.size() &&
        std::all_of(values.begin(), values.end(), [&](double x) { return x == values.front(); })) {
        std::fill_n(out, ranks.size(), values.front());
        return;
    }
    // Group the ranks by bucket: [begin, end) of ranks for each wanted bucket, and the count
    // of values below that bucket.
    struct Wanted {
        std::size_t bucket, below, begin, end;
    };
    std::vector<Wanted> wanted;
    std::vector<std::uint8_t> slot(count.size(), 0); // 1 + index into wanted, 0: not wanted
    std::size_t b = 0, below = 0;
    for (std::size_t i = 0; i < ranks.size(); ++i) {
        while (below + count[b] <= ranks[i])
            below += count[b++];
        if (slot[b] == 0) {
            wanted.push_back({b, below, i, i});
            slot[b] = static_cast<std::uint8_t>(wanted.size());
        }
        wanted.back().end = i + 1;
    }
    std::vector<std::vector<double>> items(wanted.size());
    for (std::size_t w = 0; w < wanted.size(); ++w)
        items[w].reserve(count[wanted[w].bucket]);
    for (double x : values) {
        const std::uint8_t s = slot[bucket(x)];
        if (s != 0)
            items[s - 1u].push_back(x);
    }
    std::vector<double>().swap(values);
    std::vector<std::size_t> local;
    for (std::size_t w = 0; w < wanted.size(); ++w) {
        local.assign(ranks.begin() + static_cast<std::ptrdiff_t>(wanted[w].begin),
                     ranks.begin() + static_cast<std::ptrdiff_t>(wanted[w].end));
        for (std::size_t& r : local)
            r -= wanted[w].below;
        select_ranks(items[w], local, out + wanted[w].begin, level + 1);
    }
}

} // namespace

std::vector<std::size_t> type7_ranks(std::size_t n, const std::vector<double>& qs) {
    std::vector<std::size_t> ranks;
    for (double q : qs) {
        const auto lo = static_cast<std::size_t>(std::floor(q * static_cast<double>(n - 1)));
        ranks.push_back(lo);
        if (lo + 1 < n)
            ranks.push_back(lo + 1);
    }
    std::sort(ranks.begin(), ranks.end());
    ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
    return ranks;
}

std::vector<double> order_statistics(std::span<const double> values,
                                     const std::vector<std::size_t>& ranks) {
    std::vector<std::size_t> order(ranks.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return ranks[a] < ranks[b]; });
    std::vector<std::size_t> sorted(ranks.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        sorted[i] = ranks[order[i]];
    std::vector<double> copy(values.begin(), values.end()), stats(ranks.size());
    select_ranks(copy, sorted, stats.data(), 0);
    std::vector<double> out(ranks.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        out[order[i]] = stats[i];
    return out;
}

std::vector<double> exact_quantiles(std::span<const double> values, const std::vector<double>& qs) {
    const std::size_t n = values.size();
    const std::vector<std::size_t> ranks = type7_ranks(n, qs);
    const std::vector<double> stats = order_statistics(values, ranks);
    std::vector<double> out;
    out.reserve(qs.size());
    for (double q : qs)
        out.push_back(type7_quantile(q, n, [&](std::size_t k) {
            return stats[static_cast<std::size_t>(std::lower_bound(ranks.begin(), ranks.end(), k) -
                                                  ranks.begin())];
        }));
    return out;
}

} // namespace letf
