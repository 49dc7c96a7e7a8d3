#pragma once
/// \file stats/sketch.hpp
/// A mergeable quantile sketch with a relative-error guarantee (a DDSketch-like design).

#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace letf {

/// Streaming, mergeable estimate of the quantiles of a multiset of finite doubles, with a
/// guaranteed relative error.
///
/// Buckets. With the user's relative accuracy alpha in (0, 0.5), the sketch works with a
/// slightly tighter alpha_b = alpha (1 - 2^-12) and the bucket ratio
///
///     gamma = (1 + alpha_b) / (1 - alpha_b),   L = ln(gamma).
///
/// A value x with |x| >= min_abs is counted in bucket
///
///     i(x) = ceil(ln|x| / L),   covering  gamma^(i-1) < |x| <= gamma^i,
///
/// of the positive store when x > 0 and of the negative store when x < 0; a value with
/// |x| < min_abs (zeros included) is counted in a single zero bucket. The representative of
/// bucket i is
///
///     r(i) = 2 gamma^i / (gamma + 1)        (evaluated as exp(i L + ln(2 / (gamma + 1))))
///
/// and satisfies |r(i) - y| <= alpha_b y for every y in (gamma^(i-1), gamma^i], with equality at
/// both ends. The zero bucket's representative is 0; a negative bucket's is -r(i).
///
/// Quantile rule. quantile(q) takes the 0-based rank k = floor(q (n - 1)), n = count(), evaluated
/// in double arithmetic and clamped to n - 1, walks the buckets in value order (negative store from
/// the largest |x| down, then zero, then positive store upwards) and returns the representative
/// of the bucket holding the order statistic x_(k).
///
/// Guarantee. The bucket order is the value order (up to the rounding discussed below), so x_(k)
/// lies in the bucket returned and
///
///     |quantile(q) - x_(k)| <= alpha |x_(k)|    when |x_(k)| >= min_abs,
///     |quantile(q)| = 0 <= min_abs              when |x_(k)| <  min_abs.
///
/// It holds in floating point with no slack: ln, exp and the products carry at most about
/// 5e-13 relative error for any finite double, so only a value within that distance of a bucket
/// boundary may land in (or be ordered as if in) the neighbouring bucket; both representatives
/// are within alpha_b + 5e-13 of it, and the margin alpha - alpha_b = alpha 2^-12 absorbs that
/// for alpha >= 1e-8 (below, the bound carries a slack of about 1e-12 relative). A representative
/// above DBL_MAX is clamped to DBL_MAX, which only moves it closer to x_(k). min_abs must be a
/// normal double (>= DBL_MIN) so representatives never lose precision as subnormals.
///
/// Determinism. Each value's bucket is a pure function of the value and the parameters, counts
/// are integers and merge() adds them, so every quantile(q) depends only on the multiset of values
/// added: not on insertion order, nor on how sketches were grouped when merged (bit-for-bit,
/// for one binary; a different libm may put a value within ~1 ulp of a boundary in the
/// neighbouring bucket).
///
/// Memory. Each store is one dense vector of 64-bit counts over a contiguous index range. When
/// add() meets an index outside it, the vector is reallocated to twice the occupied span (the
/// new index included), the spare buckets split evenly between both ends, so copies cost
/// amortised O(1) per add whichever way values drift; merge() reallocates to the exact occupied
/// union. A store whose values have n bucket indices between its smallest and largest,
///
///     n <= ln(max|x| / min|x|) / L + 2     (over that store's values with |x| >= min_abs),
///
/// holds at most 8 * max(2 n, 64) bytes: with alpha = 1e-3 (L ~ 2e-3) and min_abs = 1e-12,
/// values spanning 1e-12..1e12 cost at most about 0.4 MiB per store. memory_bytes() reports the
/// capacities, which depend on the order of growth (unlike quantiles). add() allocates only
/// when a value falls outside the range already covered; an empty sketch holds no heap memory.
///
/// Invariants: count() equals the zero bucket plus the sum of all store counts; a store's vector
/// is empty or covers every index it has counted. Not thread-safe: one sketch per thread, then
/// merge.
class QuantileSketch {
public:
    /// relative_accuracy alpha in (0, 0.5); values with |x| < min_abs go to a zero bucket.
    /// min_abs must be finite and >= DBL_MIN. Both are checked by debug assertions, and so is
    /// alpha >= 1e-15, which keeps every bucket index of a finite value within +-2^60 (index
    /// arithmetic in the stores cannot overflow; a smaller alpha has its indices clamped there).
    explicit QuantileSketch(double relative_accuracy = 1e-3, double min_abs = 1e-12);

    /// Counts x, which must be finite (debug assertion). Release builds keep even a non-finite x
    /// defined: the bucket index is clamped, in floating point before the conversion to an
    /// integer, to the indices of min_abs and DBL_MAX, so +-infinity counts in the outermost
    /// bucket of its sign and NaN in the innermost one (no float-to-int overflow, no signed
    /// overflow in the stores).
    void add(double x) {
        assert(std::isfinite(x));
        ++count_;
        const double abs_x = std::fabs(x);
        if (abs_x < min_abs_) [[unlikely]] {
            ++zero_count_;
            return;
        }
        const double t = std::ceil(std::log(abs_x) * inv_log_gamma_);
        // Written so that NaN fails the first test: it goes to lowest_index_.
        const double clamped =
            t >= lowest_index_ ? (t <= highest_index_ ? t : highest_index_) : lowest_index_;
        stores_[static_cast<std::size_t>(std::signbit(x))].increment(
            static_cast<std::int64_t>(clamped));
    }

    /// Counts xs[0], ..., xs[n - 1]; same as n calls of add().
    void add(const double* xs, std::size_t n);

    /// Adds other's counts to this sketch (other may be *this). Both must have been built with
    /// the same relative_accuracy and min_abs (debug assertion).
    void merge(const QuantileSketch& other);

    /// Number of values added (merged sketches included).
    std::uint64_t count() const { return count_; }

    /// q in [0,1], count() > 0. Returns v such that |v - x_(k)| <= alpha * |x_(k)|, where x_(k) is
    /// the order statistic of 0-based rank k = floor(q * (count() - 1)); if |x_(k)| < min_abs,
    /// |v| <= min_abs. Debug builds assert the preconditions; release builds clamp q into [0, 1]
    /// (NaN to 0) and return NaN for an empty sketch.
    double quantile(double q) const;

    /// The alpha passed to the constructor.
    double relative_accuracy() const { return alpha_; }
    /// The min_abs passed to the constructor.
    double min_abs() const { return min_abs_; }
    /// The bucket ratio gamma actually used, exp(L) (slightly below (1 + alpha) / (1 - alpha)).
    double bucket_gamma() const { return std::exp(log_gamma_); }

    /// Heap bytes held by the bucket stores (vector capacities).
    std::size_t memory_bytes() const;

    /// Drops all counts and frees the stores; keeps the parameters.
    void clear();

    /// Everything that decides the sketch's quantiles and merges, as plain numbers (for byte
    /// serialisation): the parameters, the counts and each store's first index and counts.
    /// from_state(s.state()) answers every query as s does (capacities may differ).
    struct State {
        double relative_accuracy = 1e-3, min_abs = 1e-12;
        std::uint64_t count = 0, zero_count = 0;
        std::int64_t offset[2] = {0, 0};
        std::vector<std::uint64_t> counts[2];
    };
    State state() const;
    /// Throws std::invalid_argument when the counts do not add up to `count`.
    static QuantileSketch from_state(const State& state);

private:
    /// Dense counts for the contiguous bucket indices [offset, offset + counts.size()).
    struct Store {
        std::vector<std::uint64_t> counts;
        std::int64_t offset = 0;

        void increment(std::int64_t i) {
            // Unsigned wrap-around folds "i < offset" into the single range test.
            const auto j = static_cast<std::uint64_t>(i) - static_cast<std::uint64_t>(offset);
            if (j < counts.size()) [[likely]] {
                ++counts[static_cast<std::size_t>(j)];
                return;
            }
            cover(i, i, /*with_slack=*/true);
            ++counts[static_cast<std::size_t>(i - offset)];
        }
        /// Reallocates, if [lo, hi] is not yet covered, to cover it and the occupied buckets:
        /// exactly, or with as many spare buckets again, split evenly between both ends.
        void cover(std::int64_t lo, std::int64_t hi, bool with_slack);
    };

    double representative(std::int64_t i) const;

    double alpha_;
    double min_abs_;
    double log_gamma_;          // L
    double inv_log_gamma_;      // 1 / L
    double log_representative_; // ln(2 / (gamma + 1))
    // The bucket indices of min_abs and DBL_MAX (integers held as doubles), within
    // +-kIndexLimit (sketch.cpp): every finite |x| >= min_abs has its index in between.
    double lowest_index_;
    double highest_index_;
    std::uint64_t count_ = 0;
    std::uint64_t zero_count_ = 0;
    Store stores_[2]; // [0]: x > 0, [1]: x < 0 (indexed by signbit), both keyed by |x|
};

} // namespace letf
