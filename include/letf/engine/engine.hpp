#pragma once
/// \file engine/engine.hpp
/// The Monte Carlo engine: blocks of 1024 paths, each walked strip by strip (16 paths, chunks of
/// 64 days, state in SIMD registers; see strategy.hpp), OpenMP across blocks,
/// statistics merged in block order.

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "letf/stats/accumulators.hpp"
#include "letf/config/scenario.hpp"
#include "letf/strategies/strategy.hpp"

namespace letf {

/// How quantiles were computed. `exact`: every per-path value is kept (type-7 quantiles, see
/// exact_quantiles) while paths x (2 positions + 2) <= exact_quantile_budget stored doubles.
/// `sketch`: beyond that, a mergeable log-bucket sketch (sketch.hpp) with relative error
/// <= sketch_relative_accuracy on the order statistic of rank floor(q (n - 1)); memory then no
/// longer grows with the number of paths.
enum class QuantileMethod { exact, sketch };

/// The largest path count with exact quantiles: budget / (2 positions + 2) stored doubles per
/// path (V_T and drawdown per position, S_T and its drawdown).
std::int64_t exact_quantile_limit(std::int64_t budget, std::size_t positions);

struct EngineOptions {
    /// Default budget: 6 Mi doubles = 48 MiB, e.g. 240,000 paths with 12 positions.
    static constexpr std::int64_t kExactQuantileBudget = 6 * 1024 * 1024;

    int threads = 0;                 ///< 0: every available core (see resolve_threads)
    std::int64_t block_paths = 1024; ///< paths per block (a fixed unit; results do not depend
                                     ///< on it beyond floating-point merge rounding)
    std::int64_t exact_quantile_budget = kExactQuantileBudget;
    double sketch_relative_accuracy = 1e-3;
    /// Called on the calling thread between groups of blocks with the number of paths done.
    std::function<void(std::int64_t paths_done)> progress;
    /// Test seam: called on the worker thread inside the parallel region before each block (to
    /// inject a failure such as std::bad_alloc there). Empty in production.
    std::function<void(std::int64_t block)> before_block;
};

/// One quantity's moments and quantiles. `qs` holds the quantile levels computed (the config's
/// plus 0.05, 0.5 and 0.95), `values` the matching quantiles, empty when no path qualified.
struct QuantityStats {
    Moments moments;
    std::vector<double> qs;
    std::vector<double> values;

    /// The quantile at level q (one of qs), nullopt when no path qualified.
    std::optional<double> quantile(double q) const;
    std::optional<double> median() const { return quantile(0.5); }
};

/// Per-path rebalancing tallies of an investor position (investor.hpp), over paths: number of
/// trades, turnover, cash added, cash withdrawn, transaction costs and forced deleverages, each
/// in units of the initial wealth (counts as numbers). Merged in block order like PositionTally.
struct RebalanceTally {
    Moments trades, turnover, cash_added, cash_withdrawn, transaction_costs, forced_deleverages;

    void merge(const RebalanceTally& other);
};

/// Results for one position (or the underlying, where gap and log_decay are identically 0).
struct PositionResult {
    Position position;
    QuantityStats terminal, log_return, gap, log_decay, max_drawdown;
    Moments wipeout_day;
    std::int64_t paths = 0, loss = 0, underperform = 0, wipeout = 0;
    /// With config bands: bands[b][i] = quantile band_quantiles[i] of V_t/V_0 on day
    /// band_days[b] (sketch, see SimulationResult).
    std::vector<std::vector<double>> bands;
    /// With config histogram: counts per log-spaced bin of V_T/V_0, and below min / at or above
    /// max.
    std::vector<std::int64_t> histogram;
    std::int64_t histogram_below = 0, histogram_above = 0;
    RebalanceTally rebalancing; ///< investor strategies only (empty otherwise)
};

struct SimulationResult {
    PositionResult underlying;
    std::vector<PositionResult> positions; ///< in make_positions order
    QuantileMethod quantile_method = QuantileMethod::exact;
    double sketch_relative_accuracy = 0.0;
    std::int64_t exact_quantile_limit_paths = 0; ///< most paths with exact quantiles
    int threads = 1;
    double elapsed_seconds = 0.0;
    std::vector<int> band_days;          ///< 0, k, 2k, ..., days (with config bands)
    std::vector<double> band_quantiles;  ///< the band levels
    std::vector<double> histogram_edges; ///< bins + 1 log-spaced edges (with config histogram)
};

/// Runs the scenario. The result depends only on the config (and the options' block size and
/// quantile settings), never on the thread count. The run uses resolve_threads(options.threads)
/// threads, but never more than it has blocks (SimulationResult::threads says how many).
/// An allocation that fails, in the parallel regions too, ends the run with OutOfMemory.
SimulationResult simulate(const ScenarioConfig& config, const EngineOptions& options = {});

/// The thread count of a run: `requested` when > 0, else omp_get_max_threads() (OMP_NUM_THREADS
/// or every core); either way at most limits::kMaxThreads.
int resolve_threads(int requested);

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
