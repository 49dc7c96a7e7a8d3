#pragma once
/// \file base/limits.hpp
/// Resource limits of a run: threads and memory, and input sizes. One place for the numbers; the engine applies
/// them (engine.hpp: resolve_threads, estimate_memory, check_memory) and the README's "Design
/// choices" explains them.

#include <cstddef>
#include <cstdint>

namespace letf::limits {

/// Most threads a run uses, for --threads and for the default (OMP_NUM_THREADS or every core).
/// Beyond a few thousand threads libgomp itself fails: it builds the team's start data on the
/// calling thread's stack (about 100000 threads overflow an 8 MiB stack, SIGSEGV) and exits with
/// "libgomp: Thread creation failed" (exit 1) when the system refuses a thread.
inline constexpr int kMaxThreads = 4096;

/// The memory limit a run is checked against before it starts (check_memory): the value of this
/// environment variable, in MiB (an integer in [1, kMaxMemoryLimitMiB]), when it is set, ...
inline constexpr const char* kMemoryLimitVariable = "LETF_MEMORY_LIMIT_MIB";
inline constexpr std::int64_t kMaxMemoryLimitMiB = std::int64_t{1} << 40;
/// ... otherwise this fraction of the physical memory (sysconf), leaving room for the system and
/// the report's text, ...
inline constexpr double kPhysicalMemoryFraction = 0.75;
/// ... or, where the physical memory is unknown, this fixed limit (16 GiB).
inline constexpr std::int64_t kFallbackMemoryLimitMiB = 16 * 1024;

} // namespace letf::limits

namespace letf::limits {

/// The deepest nesting of arrays and objects a JSON input may have (io/json_reader.hpp): `[[1]]`
/// is 2 levels. Scenario files need 3, studies 6 (an axis of strategy lists:
/// `/axes/0/values/0/0/type`), the point files of a sweep 7.
inline constexpr std::size_t kMaxJsonDepth = 64;

/// Most paths a scenario may simulate (`paths`, --paths).
inline constexpr std::int64_t kMaxPaths = 1'000'000'000'000;
/// Largest `block_paths` of a scenario (paths per block; 2^20).
inline constexpr std::int64_t kMaxBlockPaths = std::int64_t{1} << 20;
/// Most trading days a path may span (`days`).
inline constexpr int kMaxDays = 1'000'000;

/// Most points a study may expand to (grid product or zip length).
inline constexpr std::size_t kMaxStudyPoints = 100000;

/// Most calendar days a CSV gap (`max_gap_days`, --max-gap-days) or a carried-forward rate
/// (`max_stale_days`, --rate-max-stale-days) may span: 100 years (beyond it a limit is no limit).
inline constexpr int kMaxCalendarDays = 36500;
/// The default largest calendar-day step between consecutive rows of a CSV series: a long
/// weekend or a closure of a week passes, a missing month does not.
inline constexpr int kDefaultMaxGapDays = 10;
/// The default staleness limit of a rate series (RateSeries::align), in calendar days.
inline constexpr int kDefaultMaxStaleDays = 10;

} // namespace letf::limits
