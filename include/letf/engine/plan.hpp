#pragma once
/// \file engine/plan.hpp
/// Everything a run decides before its first path: the expanded model, the positions, the
/// quantile levels, the band days, the block layout and the model facts. accumulate, merge and
/// finalize all take the same plan (two processes that build it from the same config and
/// options agree on it).

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "letf/config/scenario.hpp"
#include "letf/engine/result.hpp"
#include "letf/strategies/strategy.hpp"

namespace letf {

namespace engine {
/// The expanded path model of a plan; defined and used by the block kernel alone
/// (src/engine/kernel.cpp), so a change of the model layer touches that one file.
struct ModelSource;
} // namespace engine

/// One block's per-path outcomes, handed to EngineOptions::on_block: paths first_path ..
/// first_path + paths - 1, per series s (0 the underlying, 1 + j position j) the terminal value,
/// the maximum drawdown and, for positions, the wipe-out day (0: none; null for the underlying),
/// `paths` values each. Valid during the call only.
struct BlockPaths {
    std::int64_t block = 0, first_path = 0;
    std::size_t paths = 0;
    std::vector<const double*> value, drawdown, wipeout_day;
};

/// One day's values of a strip's paths, handed to EngineOptions::on_day: paths first_path ..
/// first_path + lanes - 1 at the close of `day`; values[s * kStripPaths + i] is series s (0 the
/// underlying S_t/S_0, 1 + j position j's V_t/V_0) of path first_path + i. Valid during the call.
struct DayValues {
    std::int64_t first_path = 0;
    int lanes = 0, day = 0;
    const double* values = nullptr;
};

struct EngineOptions {
    /// Default budget: 6 Mi doubles = 48 MiB, e.g. 240,000 paths with 12 positions.
    static constexpr std::int64_t kExactQuantileBudget = 6 * 1024 * 1024;

    int threads = 0;                 ///< 0: every available core (see resolve_threads)
    std::int64_t block_paths = 1024; ///< paths per block (a fixed unit; results do not depend
                                     ///< on it beyond floating-point merge rounding)
    std::int64_t exact_quantile_budget = kExactQuantileBudget;
    double sketch_relative_accuracy = 1e-3;
    /// Called on a worker thread after each block with its per-path outcomes, blocks in any
    /// order (a caller that streams them orders them by BlockPaths::block). Empty: not called.
    std::function<void(const BlockPaths&)> on_block;
    /// Called on a worker thread after every day of every strip, days in order within a strip,
    /// strips in any order (`run --series`). The walk then advances one day at a time: slower,
    /// the same values. Empty: not called.
    std::function<void(const DayValues&)> on_day;
    /// Called on the calling thread between groups of blocks with the number of paths done.
    std::function<void(std::int64_t paths_done)> progress;
    /// Test seam: called on the worker thread inside the parallel region before each block (to
    /// inject a failure such as std::bad_alloc there). Empty in production.
    std::function<void(std::int64_t block)> before_block;
};

/// The thread count of a run: `requested` when > 0, else omp_get_max_threads() (OMP_NUM_THREADS
/// or every core); either way at most limits::kMaxThreads.
int resolve_threads(int requested);

/// The largest path count with exact quantiles: budget / (2 positions + 2) stored doubles per
/// path (V_T and drawdown per position, S_T and its drawdown: kStoredColumns per series).
std::int64_t exact_quantile_limit(std::int64_t budget, std::size_t positions);

/// A run, decided. Paths [b B, min((b + 1) B, N)) form block b (B = block_paths, N = paths);
/// `blocks` = ceil(N / B). `threads` = resolve_threads(options.threads), at most `blocks`.
struct Plan {
    const ScenarioConfig* config = nullptr; ///< not owned: outlives the plan
    EngineOptions options;
    std::shared_ptr<const engine::ModelSource> model; ///< opaque: see engine::ModelSource
    ModelFacts facts;
    std::vector<Position> positions;
    std::vector<PositionFacts> position_facts; ///< per position, asked of its strategy once
    std::vector<double> levels; ///< quantile levels: the config's plus 0.05, 0.1, 0.5, 0.9, 0.95, sorted
    std::vector<int> band_days; ///< with config bands: 0, k, 2k, ..., days; else empty
    /// The days of the survival curves: the band days after 0 with config bands, else every
    /// 21 days (every ceil(days / 64) when that gives more than 64) and the horizon.
    std::vector<int> survival_days;
    /// survival_slot[t] for t in 1..days: the index of the first survival day >= t.
    std::vector<std::uint32_t> survival_slot;
    std::int64_t block_paths = 1024;
    std::int64_t blocks = 0;
    std::int64_t exact_limit = 0; ///< exact_quantile_limit of the budget
    bool exact = true;            ///< paths <= exact_limit: every per-path value is kept
    int threads = 1;

    /// Per asset, its model's facts (asset 0's are `facts`).
    std::vector<ModelFacts> asset_facts;
    /// The scenario's cash flows by day (null: none).
    std::shared_ptr<const FlowSchedule> flows;
    /// Per-path extra statistics (extra_fields): every position's in position order;
    /// extra_first[j] is position j's first (extra_first[P] the total).
    std::vector<ExtraField> extras;
    std::vector<std::size_t> extra_first;

    std::size_t series() const { return positions.size() + 1; } ///< 0: underlying, 1 + j
    std::int64_t paths() const { return config->paths; }
    /// First path of block b (b <= blocks: paths() for b = blocks).
    std::int64_t first_path(std::int64_t b) const;
};

/// The plan of a run of `config` (which must outlive it) with `options`.
Plan make_plan(const ScenarioConfig& config, const EngineOptions& options = {});

} // namespace letf
