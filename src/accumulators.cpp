#include "letf/accumulators.hpp"

#include <algorithm>
#include <cmath>

namespace letf {

Moments Moments::of(const double* x, std::size_t n) {
    Moments m;
    if (n == 0) return m;
    double sum = 0.0, lo = x[0], hi = x[0];
    for (std::size_t i = 0; i < n; ++i) {
        sum += x[i];
        lo = std::min(lo, x[i]);
        hi = std::max(hi, x[i]);
    }
    const double mean = sum / static_cast<double>(n);
    double m2 = 0.0;
    for (std::size_t i = 0; i < n; ++i) m2 += (x[i] - mean) * (x[i] - mean);
    m.count = static_cast<std::int64_t>(n);
    m.mean = mean;
    m.m2 = m2;
    m.min = lo;
    m.max = hi;
    return m;
}

void Moments::merge(const Moments& b) {
    if (b.count == 0) return;
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
    if (count == 0) return std::nullopt;
    return mean;
}

std::optional<double> Moments::variance() const {
    if (count < 2) return std::nullopt;
    return m2 / static_cast<double>(count - 1);
}

std::optional<double> Moments::std_dev() const {
    auto v = variance();
    if (!v) return std::nullopt;
    return std::sqrt(*v);
}

std::optional<double> Moments::std_error() const {
    auto v = variance();
    if (!v) return std::nullopt;
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

std::vector<double> exact_quantiles(std::vector<double>& values, const std::vector<double>& qs) {
    std::vector<double> out;
    out.reserve(qs.size());
    const std::size_t n = values.size();
    // Order statistics are found left to right; each nth_element works on the part of the
    // array to the right of the previous one, so the total cost stays O(n) per quantile at most.
    std::size_t done = 0; // values[0, done) hold the smallest `done` values, in place
    auto order_stat = [&](std::size_t k) {
        if (k < done) return values[k]; // already placed (k == done - 1 case)
        auto first = values.begin() + static_cast<std::ptrdiff_t>(done);
        auto nth = values.begin() + static_cast<std::ptrdiff_t>(k);
        std::nth_element(first, nth, values.end());
        done = k + 1;
        return values[k];
    };
    for (double q : qs) {
        const double h = q * static_cast<double>(n - 1);
        const auto lo = static_cast<std::size_t>(std::floor(h));
        const std::size_t hi = std::min(lo + 1, n - 1);
        const double xlo = order_stat(lo);
        const double frac = h - static_cast<double>(lo);
        if (frac == 0.0 || hi == lo) {
            out.push_back(xlo);
            continue;
        }
        // x_(lo+1) is the minimum of the values to the right of position lo.
        const double xhi =
            *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(lo + 1), values.end());
        out.push_back(xlo + frac * (xhi - xlo));
    }
    return out;
}

} // namespace letf
