#pragma once
/// \file engine/memory.hpp
/// What a run will hold at its peak, and the refusal of a run that would not fit.

#include <cstdint>
#include <string>

#include "letf/config/scenario.hpp"
#include "letf/engine/plan.hpp"

namespace letf {

/// The memory a run needs at its peak, in bytes, by what holds it (with the default
/// EngineOptions and `threads` as EngineOptions::threads). T threads (resolve_threads, at most
/// one per block), P positions, S = P + 1 series (the underlying too), N paths, B paths per
/// block, D days:
///   exact_store        (2P + 2) N doubles when quantiles are exact, plus the final selections
///                      (a copy of N values and a work array per concurrent task);
///   quantile_sketches  T S quantity sketches when they are not exact;
///   bands              T S (band days) sketches and the result's rows (config bands);
///   histograms         T S (bins + 2) counts (config histogram);
///   workspaces         per thread: the block's outcomes (about (2 + 9P) B doubles), the strip
///                      walker's per-day loan table of the unrebalanced positions (D + 1 doubles
///                      each) and its lanes;
///   block_tallies      one slot of tallies per block of a group (max(64, 32 T) blocks);
///   base               the program itself, the scenario and its market data.
/// A sketch's size depends on the spread of its values (sketch.hpp: one count per bucket between
/// the smallest and largest); the estimate takes a series of multiple L as lognormal with the
/// model's daily log-return standard deviation s times |L|, over the range a thread's paths
/// reach (+-sqrt(2 ln n) standard deviations for n paths), and signed quantities (log return, gap,
/// log decay, drawdown) as reaching from the largest value down to 1/n of it; Student t noise
/// widens s by sqrt(df / (df - 2)). The total was 0.93 to 1.46 times the measured peak RSS for
/// every file in configs/ and for daily bands over 2,000 and 5,000 days (README, "Quantiles and
/// memory"); a tail heavier than that may exceed it, and an allocation that fails still ends the
/// run cleanly (OutOfMemory).
struct MemoryEstimate {
    std::uint64_t exact_store = 0, quantile_sketches = 0, bands = 0, histograms = 0, workspaces = 0,
                  block_tallies = 0, base = 0;
    std::uint64_t total() const;
};
MemoryEstimate estimate_memory(const ScenarioConfig& config, int threads = 0);
/// The same with every engine option (block size, quantile budget, sketch accuracy).
MemoryEstimate estimate_memory(const ScenarioConfig& config, const EngineOptions& options);

/// The limit check_memory applies, in bytes (limits.hpp): $LETF_MEMORY_LIMIT_MIB MiB when set,
/// else 3/4 of the physical memory, else 16 GiB. Throws InputError naming the variable when its
/// value is not an integer in [1, 2^40].
std::uint64_t memory_limit_bytes();

/// Refuses a run whose estimate_memory(config, threads).total() exceeds memory_limit_bytes():
/// throws InputError(file, FIELD, message, value) where FIELD is the scenario field that drives
/// the largest part (/bands/every_days, /histogram/bins, /paths, /days or /multiples) and the
/// message gives the estimate, the limit and what to change; `context` (e.g. "at point 3")
/// starts the message when not empty.
void check_memory(const ScenarioConfig& config, int threads, const std::string& file,
                  const std::string& context = {});

} // namespace letf
