#pragma once
/// \file cluster/checkpoint.hpp
/// A checkpoint folder (`run --checkpoint DIR`): partial-result files (partial_file.hpp) of one
/// run, each named by the blocks it holds, `blocks-A-B.partial` for blocks [A, B). A worker
/// computing blocks from A writes blocks-A-K.partial every so often (atomically: a file there is
/// always whole) and then removes its previous one; a killed run leaves whole files only. Started
/// again, the run takes the files that fit it, recomputes only the blocks none of them holds and
/// merges everything in block order: the same bytes as a run never stopped. A finished run leaves
/// one file of every block (a third start recomputes nothing).

#include <cstdint>
#include <filesystem>
#include <vector>

#include "letf/engine/partial.hpp"
#include "letf/engine/plan.hpp"

namespace letf {

/// The name of the file of blocks [range.first_block, range.end_block).
std::string checkpoint_file_name(BlockRange range);

/// The pieces of a checkpoint folder within `within` (created when missing): files of this run,
/// non-overlapping, in block order (of two files from one start, the longer). Throws InputError
/// naming the file when one is of another run or damaged (a folder is for one run: use another
/// folder for another one), or when `dir` is not a folder.
std::vector<PartialResult> load_checkpoint(const std::filesystem::path& dir, const Plan& plan,
                                           BlockRange within);

/// The ranges of `within` that no piece holds, in block order.
std::vector<BlockRange> missing_ranges(const std::vector<PartialResult>& pieces,
                                       BlockRange within);

/// Replaces the checkpoint folder's files of this run by one file of `whole`.
void consolidate_checkpoint(const std::filesystem::path& dir, const Plan& plan,
                            const PartialResult& whole);

} // namespace letf
