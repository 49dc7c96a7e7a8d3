#pragma once
/// \file engine/partial.hpp
/// The statistics of a range of blocks, before finalize: what threads, processes, shards and
/// checkpoints exchange. accumulate (engine.hpp) makes one, merge joins adjacent ones in block
/// order, serialize/deserialize carry one as bytes.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "letf/engine/plan.hpp"
#include "letf/stats/accumulators.hpp"
#include "letf/stats/path_stats.hpp"
#include "letf/stats/sketch.hpp"

namespace letf {

/// A vector whose elements are left uninitialised on resize: every element of an exact column
/// is written by the block of its path, so the pages are first touched (and zeroed by the
/// kernel) by the worker threads, not by a serial memset.
template <class T> struct UninitialisedAllocator : std::allocator<T> {
    using value_type = T;
    UninitialisedAllocator() = default;
    template <class U> UninitialisedAllocator(const UninitialisedAllocator<U>&) noexcept {}
    template <class U> void construct(U* p) noexcept { ::new (static_cast<void*>(p)) U; }
    template <class U, class... A> void construct(U* p, A&&... a) {
        ::new (static_cast<void*>(p)) U(std::forward<A>(a)...);
    }
};
using Column = std::vector<double, UninitialisedAllocator<double>>;

/// The tallies of one block or of a run of blocks: series 0 the underlying, 1 + j position j.
struct BlockTallies {
    std::vector<PositionTally> series;
    std::vector<RebalanceTally> rebalancing; ///< per position (empty for fund strategies)
    /// The model's own per-path statistics (ModelFacts::statistics), in its order.
    std::vector<Moments> model;
    /// The per-path extra statistics (Plan::extras), over the paths where each is not NaN.
    std::vector<Moments> extras;

    /// Empty tallies for `positions` positions and `statistics` model statistics.
    static BlockTallies empty(std::size_t positions, std::size_t statistics = 0,
                              std::size_t extras = 0);
    void merge(const BlockTallies& other);
};

/// Blocks [first_block, end_block) of a plan.
struct BlockRange {
    std::int64_t first_block = 0, end_block = 0;
};

/// Statistics of blocks [range.first_block, range.end_block) of one plan.
///
/// Moments merge in floating point, so the result depends on the order of the merges; the run
/// defines it as the serial fold t = ((empty + t_0) + t_1) + ... over blocks in index order.
/// A partial that starts at block 0 holds that fold (`folded`); one that starts later cannot
/// begin it, so it keeps each block's tallies (`pending`, about 300 bytes per series and block)
/// and merge folds them in once its left neighbour reaches back to block 0. So any split of the
/// blocks into adjacent ranges, merged in order, gives the bytes of one accumulate over all.
/// Everything else merges exactly (integer counts, sketches) or by concatenation (stored values).
///
/// Invariants: folded is empty when first_block > 0, pending is empty when first_block == 0;
/// columns are empty unless the plan is exact.
struct PartialResult {
    BlockRange range;
    BlockTallies folded;
    std::vector<BlockTallies> pending;
    /// Sketch quantiles: sketches[s * kQuantileMetricCount + kQuantileSlot[m]]; in an exact
    /// run only the rows with ExactRule::sketched fill theirs.
    std::vector<QuantileSketch> sketches;
    /// Exact quantiles: per series s, columns[2 s] the terminal value (S_T or V_T) and
    /// columns[2 s + 1] the drawdown of each path of the range, in path order.
    std::vector<Column> columns;
    /// With config bands: bands[s * (band days - 1) + b - 1], the sketch of band day b >= 1.
    std::vector<QuantileSketch> bands;
    /// One sketch per extra statistic (Plan::extras), for its quantiles.
    std::vector<QuantileSketch> extra_sketches;
    /// With config histogram: (bins + 2) counts per series: below, bins..., above.
    std::vector<std::int64_t> histogram;
    /// Per series s, curve k (kSurvivalCurves) and survival day b: the paths whose first day
    /// at zero (k = 0) or below loss level k - 1 falls in (survival_days[b - 1],
    /// survival_days[b]]: [(s * kSurvivalCurves + k) * days + b].
    std::vector<std::int64_t> survival;
};

/// An empty partial of `range` for the plan (sketches, band sketches and histograms zero;
/// exact columns sized for the range's paths but not written).
PartialResult empty_partial(const Plan& plan, BlockRange range);

/// Appends `right` (blocks [left.end_block, ...)) to `left`. Throws std::invalid_argument when
/// the ranges are not adjacent or the partials are not of the same shape.
void merge(PartialResult& left, PartialResult&& right);

/// The partial as bytes (little-endian, a versioned header naming its shape), and back.
/// deserialize(serialize(p)) == p field by field; it throws std::runtime_error on truncated or
/// malformed bytes or when they do not fit `plan`.
std::string serialize(const PartialResult& partial);
PartialResult deserialize(const Plan& plan, const std::string& bytes);

} // namespace letf
