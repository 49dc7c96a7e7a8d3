#pragma once
/// \file engine/result.hpp
/// A finished run: per series the statistics of every row of kMetrics (stats/metrics.hpp), the
/// path counts, the theory values and the model facts the report needs. Consumers (report,
/// console, study) read everything from here and never rebuild a model.

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "letf/stats/accumulators.hpp"
#include "letf/stats/metrics.hpp"
#include "letf/strategies/strategy.hpp"
#include "letf/theory/analytic.hpp"

namespace letf {

/// How quantiles were computed. `exact`: every per-path value is kept (type-7 quantiles, see
/// exact_quantiles) while paths x (2 positions + 2) <= exact_quantile_budget stored doubles
/// (the path statistics' rows, ExactRule::sketched, always from a sketch).
/// `sketch`: beyond that, a mergeable log-bucket sketch (sketch.hpp) with relative error
/// <= sketch_relative_accuracy on the order statistic of rank floor(q (n - 1)); memory then no
/// longer grows with the number of paths.
enum class QuantileMethod { exact, sketch };

/// One quantity's moments and quantiles. `qs` holds the quantile levels computed (the config's
/// plus 0.05, 0.5 and 0.95), `values` the matching quantiles, empty when no path qualified or
/// the metric has no quantiles.
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

/// What the strategy says about a position's report, decided by the block kernel (the one place
/// that asks the strategy kinds).
///   investor            an investor strategy: parameters and rebalancing tallies are reported
///   forced_deleverages  its rebalancing tallies include forced deleverages (target_leverage)
///   logs_of_index       the z-score criterion reads ln S_T, not ln V_T: V_T is affine in S_T
///                       (unrebalanced), so it has S_T's kurtosis
///   signal              a signal strategy (signal.hpp): parameters and its tallies (its
///                       Tallies::kFields, in the first slots of `rebalancing`) are reported
struct PositionFacts {
    bool investor = false;
    bool signal = false;
    bool forced_deleverages = false;
    bool logs_of_index = false;
};

/// Results for one position (or the underlying, where the positions-only rows are empty).
struct PositionResult {
    Position position;
    /// metrics[m]: row m of kMetrics (moments over its population, quantiles when it has them).
    std::array<QuantityStats, kMetricCount> metrics;
    std::int64_t paths = 0, loss = 0, underperform = 0, wipeout = 0;
    std::int64_t beat_index = 0;      ///< paths ending above the 1x index (V_T > S_T)
    std::int64_t under_water_end = 0; ///< paths ending below their running peak
    /// survival[k][b]: paths whose first day at zero (k = 0) or below kLossLevels[k - 1] is at
    /// or before survival_days[b] (SimulationResult); exact counts.
    std::vector<std::vector<std::int64_t>> survival;
    /// With config bands: bands[b][i] = quantile band_quantiles[i] of V_t/V_0 on day
    /// band_days[b] (sketch, see SimulationResult).
    std::vector<std::vector<double>> bands;
    /// With config histogram: counts per log-spaced bin of V_T/V_0, and below min / at or above
    /// max.
    std::vector<std::int64_t> histogram;
    std::int64_t histogram_below = 0, histogram_above = 0;
    /// Investor strategies; signal strategies in the first slots (trades, turnover, ...) for
    /// their own tallies (PositionFacts::signal); empty otherwise.
    RebalanceTally rebalancing;
    /// analytic_position (analytic_underlying for the underlying), computed once by finalize.
    Analytic analytic;
    /// The annual carry: the fund's c(L) for strategies holding a fund, the account's rate for
    /// the others; nullopt when the rate is a series (it varies by day) and for the underlying.
    std::optional<double> carry_annual;
    PositionFacts facts;
    /// The per-path extra statistics of the position (Plan::extras: a portfolio's sleeve
    /// weights, the cash-flow totals), each over the paths where it is defined, quantiles from a
    /// sketch.
    struct Extra {
        ExtraField field;
        QuantityStats stats;
    };
    std::vector<Extra> extras;

    const QuantityStats& operator[](std::size_t m) const { return metrics[m]; }
    QuantityStats& operator[](std::size_t m) { return metrics[m]; }
};

struct SimulationResult {
    PositionResult underlying;
    std::vector<PositionResult> positions; ///< in make_positions order
    ModelFacts facts;
    /// The model's own per-path statistics (facts.statistics, in order), over every path.
    std::vector<Moments> model_statistics;
    QuantileMethod quantile_method = QuantileMethod::exact;
    double sketch_relative_accuracy = 0.0;
    std::int64_t exact_quantile_limit_paths = 0; ///< most paths with exact quantiles
    int threads = 1;
    /// The threads of every rank of an MPI run (cluster_run.hpp), in rank order; empty: one
    /// process, `threads`.
    std::vector<int> threads_per_rank;
    double elapsed_seconds = 0.0;
    std::vector<int> band_days;          ///< 0, k, 2k, ..., days (with config bands)
    std::vector<int> survival_days;      ///< the days of the survival curves (Plan)
    std::vector<double> band_quantiles;  ///< the band levels
    std::vector<double> histogram_edges; ///< bins + 1 log-spaced edges (with config histogram)
};

} // namespace letf
