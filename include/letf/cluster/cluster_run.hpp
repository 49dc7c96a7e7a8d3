#pragma once
/// \file cluster/cluster_run.hpp
/// One run's blocks on every rank of a World (world.hpp): a single process, or N MPI ranks each
/// with its OpenMP threads.
///
///   1. Rank 0 reads the checkpoint folder (if any) and sends every rank the ranges left to do.
///   2. Those blocks are dealt in contiguous shares of equal block count, in rank order.
///   3. Each rank accumulates its share (accumulate, engine.hpp) in chunks of block groups,
///      writing its checkpoint piece after a chunk when checkpoint_seconds have passed, and
///      telling rank 0 its progress.
///   4. Rank 0 receives every rank's pieces and merges them, with the checkpoint's, in block
///      order (merge, partial.hpp).
/// Merging adjacent ranges in block order gives the bytes of one accumulate over all of them
/// (PartialResult), so the report is the same for any rank count, thread count, chunking or
/// restart.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

#include "letf/cluster/world.hpp"
#include "letf/engine/partial.hpp"
#include "letf/engine/plan.hpp"

namespace letf {

struct ClusterRunOptions {
    /// The blocks to compute; end_block < 0: to the plan's last block.
    BlockRange blocks{0, -1};
    /// A checkpoint folder (checkpoint.hpp), or none.
    std::optional<std::filesystem::path> checkpoint;
    /// A rank writes its checkpoint piece after a chunk when this long has passed since its
    /// last one (and always after its last chunk); 0: after every chunk.
    double checkpoint_seconds = 60.0;
    /// Rank 0: called on the calling thread with the paths done over every rank (blocks taken
    /// from the checkpoint included), out of the range's paths.
    std::function<void(std::int64_t paths_done)> progress;
    /// Test seam: called after each chunk (its end block) and its checkpoint write, on the
    /// rank that ran it; given, it makes every range run in chunks.
    std::function<void(std::int64_t end_block)> after_chunk;
};

struct ClusterRunResult {
    std::optional<PartialResult> partial; ///< rank 0: the merged partial of the blocks
    std::vector<int> threads_per_rank;    ///< rank 0: every rank's thread count, in rank order
};

/// Every rank calls this with the same plan and options; rank 0 gets the merged partial of the
/// blocks, the others nothing. An InputError on rank 0 (a bad checkpoint folder) is thrown
/// there and makes every other rank throw RankStop{2}.
ClusterRunResult accumulate_on_cluster(const Plan& plan, World& world,
                                       const ClusterRunOptions& options);

/// The blocks of share `index` of `count` equal contiguous shares of `range` (index in [0,
/// count)): [a + index n / count, a + (index + 1) n / count), n the range's blocks.
BlockRange share_of(BlockRange range, std::int64_t index, std::int64_t count);

} // namespace letf
