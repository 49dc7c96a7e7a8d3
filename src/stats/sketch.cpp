#include "letf/stats/sketch.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace letf {

namespace {

/// Buckets allocated on a store's first value: 512 bytes, enough for a factor
/// gamma^64 ~ 1.14 of spread at alpha = 1e-3 before the first growth.
constexpr std::int64_t kInitialBuckets = 64;

/// alpha_b = alpha (1 - kAlphaMargin): the margin that absorbs rounding in ln/exp (see header).
constexpr double kAlphaMargin = 0x1p-12;

/// Bucket indices are clamped to +-kIndexLimit: spans of indices (hi - lo + 1, doubled for slack)
/// then stay far from the int64 range.
constexpr double kIndexLimit = 0x1p60;

constexpr bool is_occupied(std::uint64_t c) {
    return c != 0;
}

} // namespace

QuantileSketch::QuantileSketch(double relative_accuracy, double min_abs)
    : alpha_(relative_accuracy), min_abs_(min_abs) {
    assert(relative_accuracy > 0.0 && relative_accuracy < 0.5);
    assert(std::isfinite(min_abs) && min_abs >= std::numeric_limits<double>::min());
    assert(relative_accuracy >= 1e-15);
    const double alpha_b = relative_accuracy * (1.0 - kAlphaMargin);
    // ln((1 + a) / (1 - a)) = ln(1 + 2a / (1 - a)); log1p keeps precision for small alpha.
    log_gamma_ = std::log1p(2.0 * alpha_b / (1.0 - alpha_b));
    inv_log_gamma_ = 1.0 / log_gamma_;
    // 2 / (gamma + 1) = 1 - alpha_b exactly in real arithmetic.
    log_representative_ = std::log1p(-alpha_b);
    // The same expression as add(), so that clamping never moves a finite value's index. The
    // comparisons are written so that a NaN (release builds with a bad min_abs) clamps too.
    const auto index_of = [&](double abs_x) {
        const double t = std::ceil(std::log(abs_x) * inv_log_gamma_);
        return t >= -kIndexLimit ? (t <= kIndexLimit ? t : kIndexLimit) : -kIndexLimit;
    };
    lowest_index_ = index_of(min_abs);
    highest_index_ = std::max(lowest_index_, index_of(std::numeric_limits<double>::max()));
}

void QuantileSketch::add(const double* xs, std::size_t n) {
    for (std::size_t j = 0; j < n; ++j)
        add(xs[j]);
}

void QuantileSketch::Store::cover(std::int64_t lo, std::int64_t hi, bool with_slack) {
    assert(lo <= hi);
    const auto old_size = static_cast<std::int64_t>(counts.size());
    if (lo >= offset && hi < offset + old_size)
        return;
    // Only the occupied part of the old range is kept: slack left unused on one side must not be
    // doubled again when growth comes from the other side.
    const auto first = std::find_if(counts.begin(), counts.end(), is_occupied);
    const auto last = std::find_if(counts.rbegin(), counts.rend(), is_occupied).base();
    const std::int64_t occupied_lo = offset + (first - counts.begin());
    if (first != counts.end()) {
        lo = std::min(lo, occupied_lo);
        hi = std::max(hi, offset + (last - counts.begin()) - 1);
    }
    const std::int64_t need = hi - lo + 1;
    // Doubling with the slack split evenly: the next growth needs the occupied span to grow by
    // half, so copies are amortised O(1) per add whichever way the values drift.
    const std::int64_t size = with_slack ? std::max(2 * need, kInitialBuckets) : need;
    const std::int64_t grown_offset = lo - (size - need) / 2;
    std::vector<std::uint64_t> grown(static_cast<std::size_t>(size), 0);
    if (first != counts.end()) {
        std::copy(first, last,
                  grown.begin() + static_cast<std::ptrdiff_t>(occupied_lo - grown_offset));
    }
    counts.swap(grown);
    offset = grown_offset;
}

void QuantileSketch::merge(const QuantileSketch& other) {
    assert(alpha_ == other.alpha_ && min_abs_ == other.min_abs_);
    for (std::size_t s = 0; s < 2; ++s) {
        const Store& from = other.stores_[s];
        Store& to = stores_[s];
        // Only the occupied part of `from` matters; trimming keeps `to` tight.
        const auto first = std::find_if(from.counts.begin(), from.counts.end(), is_occupied);
        if (first == from.counts.end())
            continue;
        const auto last = std::find_if(from.counts.rbegin(), from.counts.rend(), is_occupied);
        const std::int64_t lo = from.offset + (first - from.counts.begin());
        const std::int64_t hi = from.offset + (from.counts.rend() - last) - 1;
        to.cover(lo, hi, /*with_slack=*/false); // no-op when &to == &from
        const auto shift = static_cast<std::size_t>(lo - to.offset);
        const auto begin = static_cast<std::size_t>(first - from.counts.begin());
        const auto end = static_cast<std::size_t>(hi - from.offset) + 1;
        for (std::size_t j = begin; j < end; ++j)
            to.counts[shift + (j - begin)] += from.counts[j];
    }
    zero_count_ += other.zero_count_;
    count_ += other.count_;
}

double QuantileSketch::representative(std::int64_t i) const {
    const double r = std::exp(static_cast<double>(i) * log_gamma_ + log_representative_);
    return std::min(r, std::numeric_limits<double>::max());
}

double QuantileSketch::quantile(double q) const {
    assert(q >= 0.0 && q <= 1.0);
    assert(count_ > 0);
    if (count_ == 0)
        return std::numeric_limits<double>::quiet_NaN();
    const double q_clamped = q > 0.0 ? (q < 1.0 ? q : 1.0) : 0.0;
    const std::uint64_t last_rank = count_ - 1;
    // For count() > 2^53 the product rounds; the clamp keeps k a valid rank.
    const std::uint64_t k =
        std::min(static_cast<std::uint64_t>(std::floor(q_clamped * static_cast<double>(last_rank))),
                 last_rank);

    // Walk in value order until more than k values have been passed.
    std::uint64_t seen = 0;
    const Store& negative = stores_[1];
    for (std::size_t j = negative.counts.size(); j-- > 0;) {
        seen += negative.counts[j];
        if (seen > k)
            return -representative(negative.offset + static_cast<std::int64_t>(j));
    }
    seen += zero_count_;
    if (seen > k)
        return 0.0;
    const Store& positive = stores_[0];
    for (std::size_t j = 0; j < positive.counts.size(); ++j) {
        seen += positive.counts[j];
        if (seen > k)
            return representative(positive.offset + static_cast<std::int64_t>(j));
    }
    assert(false && "count_ disagrees with the bucket counts");
    return std::numeric_limits<double>::quiet_NaN();
}

std::size_t QuantileSketch::memory_bytes() const {
    return (stores_[0].counts.capacity() + stores_[1].counts.capacity()) * sizeof(std::uint64_t);
}

void QuantileSketch::clear() {
    count_ = 0;
    zero_count_ = 0;
    for (Store& s : stores_) {
        std::vector<std::uint64_t>().swap(s.counts);
        s.offset = 0;
    }
}

QuantileSketch::State QuantileSketch::state() const {
    State s;
    s.relative_accuracy = alpha_;
    s.min_abs = min_abs_;
    s.count = count_;
    s.zero_count = zero_count_;
    for (int k = 0; k < 2; ++k) {
        s.offset[k] = stores_[k].offset;
        s.counts[k] = stores_[k].counts;
    }
    return s;
}

QuantileSketch QuantileSketch::from_state(const State& s) {
    QuantileSketch q(s.relative_accuracy, s.min_abs);
    std::uint64_t total = s.zero_count;
    for (int k = 0; k < 2; ++k)
        for (std::uint64_t c : s.counts[k])
            total += c;
    if (total != s.count)
        throw std::invalid_argument("quantile sketch: bucket counts do not add up to the count");
    q.count_ = s.count;
    q.zero_count_ = s.zero_count;
    for (int k = 0; k < 2; ++k) {
        q.stores_[k].offset = s.offset[k];
        q.stores_[k].counts = s.counts[k];
    }
    return q;
}

} // namespace letf
