// accumulate: blocks of a range walked in parallel, tallies folded strictly in block order.

#include <algorithm>

#include <omp.h>

#include "kernel.hpp"
#include "letf/engine/engine.hpp"

namespace letf {

namespace {

/// Adds a group's block tallies to the partial in block order (see PartialResult).
void fold(PartialResult& part, std::vector<BlockTallies>& slots, std::size_t count) {
    for (std::size_t k = 0; k < count; ++k) {
        if (part.range.first_block == 0)
            part.folded.merge(slots[k]);
        else
            part.pending.push_back(std::move(slots[k]));
    }
}

} // namespace

PartialResult accumulate(const Plan& plan, BlockRange range, int threads) {
    range.first_block = std::clamp<std::int64_t>(range.first_block, 0, plan.blocks);
    range.end_block = std::clamp<std::int64_t>(range.end_block, range.first_block, plan.blocks);
    PartialResult part = empty_partial(plan, range);
    const std::int64_t blocks = range.end_block - range.first_block;
    if (blocks == 0)
        return part;
    const int T = static_cast<int>(
        std::min<std::int64_t>(threads > 0 ? resolve_threads(threads) : plan.threads, blocks));
    std::vector<engine::WorkspacePtr> workspaces;
    for (int t = 0; t < T; ++t)
        workspaces.push_back(engine::make_workspace(plan));

    // Blocks run in groups; within a group any thread may take any block, but tallies merge
    // strictly in block order, so the floating-point result is the same for any thread count.
    // Large groups: one barrier per group, where a thread may wait for up to a block.
    const std::int64_t group = std::max<std::int64_t>(64, 32 * T);
    std::vector<BlockTallies> slots(static_cast<std::size_t>(std::min(group, blocks)));
    const EngineOptions& o = plan.options;
    for (std::int64_t g0 = range.first_block; g0 < range.end_block; g0 += group) {
        const std::int64_t g1 = std::min(range.end_block, g0 + group);
        engine::RegionErrors errors; // e.g. std::bad_alloc from a band sketch growing
#pragma omp parallel for num_threads(T) schedule(dynamic, 1)
        for (std::int64_t blk = g0; blk < g1; ++blk) {
            errors.run([&] {
                if (o.before_block)
                    o.before_block(blk);
                const auto tid = static_cast<std::size_t>(omp_get_thread_num());
                engine::run_block(plan, blk, *workspaces[tid],
                                  slots[static_cast<std::size_t>(blk - g0)], part);
            });
        }
        errors.rethrow();
        fold(part, slots, static_cast<std::size_t>(g1 - g0));
        if (o.progress)
            o.progress(plan.first_path(g1) - plan.first_path(range.first_block));
    }
    for (engine::WorkspacePtr& ws : workspaces)
        engine::drain(*ws, part);
    return part;
}

} // namespace letf
