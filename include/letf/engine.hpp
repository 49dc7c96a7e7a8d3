#pragma once
/// \file engine.hpp
/// The Monte Carlo engine: blocks of 1024 paths, each walked strip by strip (16 paths, chunks of
/// 64 days, state in SIMD registers; see strategy.hpp), OpenMP across blocks,
/// statistics merged in block order.

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "letf/accumulators.hpp"
#include "letf/config.hpp"
#include "letf/strategy.hpp"

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

    int threads = 0;                 ///< 0: every available core
    std::int64_t block_paths = 1024; ///< paths per block (a fixed unit; results do not depend
                                     ///< on it beyond floating-point merge rounding)
    std::int64_t exact_quantile_budget = kExactQuantileBudget;
    double sketch_relative_accuracy = 1e-3;
    /// Called on the calling thread between groups of blocks with the number of paths done.
    std::function<void(std::int64_t paths_done)> progress;
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
/// quantile settings), never on the thread count.
SimulationResult simulate(const ScenarioConfig& config, const EngineOptions& options = {});

} // namespace letf
