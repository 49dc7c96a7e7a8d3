#include "letf/accumulators.hpp"

#include <algorithm>
#include <cmath>

namespace letf {

Moments Moments::of(const double* x, std::size_t n) {
    Moments m;
    if (n == 0)
        return m;
    double sum = 0.0, lo = x[0], hi = x[0];
    for (std::size_t i = 0; i < n; ++i) {
        sum += x[i];
        lo = std::min(lo, x[i]);
        hi = std::max(hi, x[i]);
    }
    const double mean = sum / static_cast<double>(n);
    double m2 = 0.0;
    for (std::size_t i = 0; i < n; ++i)
        m2 += (x[i] - mean) * (x[i] - mean);
    m.count = static_cast<std::int64_t>(n);
    m.mean = mean;
    m.m2 = m2;
    m.min = lo;
    m.max = hi;
    return m;
}

void Moments::merge(const Moments& b) {
    if (b.count == 0)
        return;
    if (count == 0) {
        *this = b;
        return;
    }
    const auto na = static_cast<double>(count), nb = static_cast<double>(b.count);
    const double n = na + nb;
    const double delta = b.mean - mean;
    mean += delta * (nb / n);
    m2 += b.m2 + delta * delta * (na * nb / n);
    count += b.count;
    min = std::min(min, b.min);
    max = std::max(max, b.max);
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
    return m2 / static_cast<double>(count - 1);
}

std::optional<double> Moments::std_dev() const {
    auto v = variance();
    if (!v)
        return std::nullopt;
    return std::sqrt(*v);
}

std::optional<double> Moments::std_error() const {
    auto v = variance();
    if (!v)
        return std::nullopt;
    return std::sqrt(*v / static_cast<double>(count));
}

void PositionTally::merge(const PositionTally& o) {
    terminal.merge(o.terminal);
    log_return.merge(o.log_return);
    gap.merge(o.gap);
    log_decay.merge(o.log_decay);
    max_drawdown.merge(o.max_drawdown);
    wipeout_day.merge(o.wipeout_day);
    paths += o.paths;
    loss += o.loss;
    underperform += o.underperform;
    wipeout += o.wipeout;
}

namespace {

/// Places the order statistics of ranks ks (sorted, distinct, within [first, last)) at their
/// positions: select the middle rank, then recurse into each side with the ranks it holds.
/// Costs O(n log |ks|) instead of O(n |ks|).
void multi_select(std::vector<double>& v, std::size_t first, std::size_t last,
                  const std::size_t* ks, std::size_t nk) {
    while (nk > 0 && last - first > 1) {
        const std::size_t m = nk / 2;
        const std::size_t k = ks[m];
        std::nth_element(v.begin() + static_cast<std::ptrdiff_t>(first),
                         v.begin() + static_cast<std::ptrdiff_t>(k),
                         v.begin() + static_cast<std::ptrdiff_t>(last));
        multi_select(v, first, k, ks, m);
        first = k + 1;
        ks += m + 1;
        nk -= m + 1;
    }
}

} // namespace

std::vector<double> exact_quantiles(std::vector<double>& values, const std::vector<double>& qs) {
    const std::size_t n = values.size();
    // Every rank needed: floor(h) and floor(h) + 1 for each level.
    std::vector<std::size_t> ranks;
    for (double q : qs) {
        const auto lo = static_cast<std::size_t>(std::floor(q * static_cast<double>(n - 1)));
        ranks.push_back(lo);
        if (lo + 1 < n)
            ranks.push_back(lo + 1);
    }
    std::sort(ranks.begin(), ranks.end());
    ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
    multi_select(values, 0, n, ranks.data(), ranks.size());

    std::vector<double> out;
    out.reserve(qs.size());
    for (double q : qs) {
        const double h = q * static_cast<double>(n - 1);
        const auto lo = static_cast<std::size_t>(std::floor(h));
        const double frac = h - static_cast<double>(lo);
        if (frac == 0.0 || lo + 1 >= n) {
            out.push_back(values[lo]);
        } else {
            out.push_back(values[lo] + frac * (values[lo + 1] - values[lo]));
        }
    }
    return out;
}

} // namespace letf
