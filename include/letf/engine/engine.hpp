#pragma once
/// \file engine/engine.hpp
/// The Monte Carlo engine: blocks of 1024 paths, each walked strip by strip (16 paths, chunks of
/// 64 days, state in SIMD registers; see strategy.hpp), OpenMP across blocks,
/// statistics merged in block order.
///
///   plan = make_plan(config, options)                  (plan.hpp)
///   partial = accumulate(plan, {b0, b1}, threads)      blocks [b0, b1) -> PartialResult
///   merge(left, std::move(right))                      adjacent ranges, in block order
///   result = finalize(plan, std::move(partial))        all blocks -> SimulationResult
/// simulate() is finalize(accumulate(all blocks)) with timing and OutOfMemory.

#include <cstdint>
#include <stdexcept>
#include <string>

#include "letf/config/scenario.hpp"
#include "letf/engine/memory.hpp"
#include "letf/engine/partial.hpp"
#include "letf/engine/plan.hpp"
#include "letf/engine/result.hpp"

namespace letf {

/// Walks blocks [range.first_block, range.end_block) of the plan on `threads` threads (0: the
/// plan's; never more than the range has blocks). The partial depends only on the plan and the
/// range, never on the thread count. Calls plan.options.progress (paths done within the range)
/// and before_block. An exception inside the parallel region ends it and is rethrown here.
PartialResult accumulate(const Plan& plan, BlockRange range, int threads = 0);

/// The result of a partial covering every block of the plan (std::invalid_argument otherwise):
/// exact or sketched quantiles, bands, histograms, and per series the theory values
/// (analytic_position / analytic_underlying, once each). elapsed_seconds is left 0.
SimulationResult finalize(const Plan& plan, PartialResult&& partial);

/// Runs the scenario. The result depends only on the config (and the options' block size and
/// quantile settings), never on the thread count. The run uses resolve_threads(options.threads)
/// threads, but never more than it has blocks (SimulationResult::threads says how many).
/// An allocation that fails, in the parallel regions too, ends the run with OutOfMemory.
SimulationResult simulate(const ScenarioConfig& config, const EngineOptions& options = {});

/// An allocation failed during a run. what() is "out of memory (needed about N MiB)", N the
/// run's estimate_memory total; the CLI prints it as one line and exits 1.
class OutOfMemory : public std::runtime_error {
public:
    explicit OutOfMemory(std::uint64_t needed_bytes);
    std::uint64_t needed_bytes() const noexcept { return needed_; }

private:
    std::uint64_t needed_;
};

} // namespace letf
