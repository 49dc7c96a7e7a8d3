// The tally pass of a block: per series, every row of kMetrics over its population (moments,
// and sketches when quantiles are not exact), the path counts and the histogram.

#include <algorithm>
#include <cmath>
#include <utility>

#include "base/simd.hpp"
#include "kernel.hpp"

namespace letf::engine {

namespace {

/// Counts of x per log-spaced bin (h.bins between h.min and h.max) into count[1..bins], below
/// min into count[0], at or above max into count[bins + 1].
void record_histogram(const HistogramSpec& h, const double* x, std::size_t n, std::int64_t* count) {
    const auto bins = static_cast<std::size_t>(h.bins);
    const double lo = std::log(h.min);
    const double scale = static_cast<double>(bins) / (std::log(h.max) - lo);
    for (std::size_t i = 0; i < n; ++i) {
        if (!(x[i] >= h.min)) {
            ++count[0];
        } else if (x[i] >= h.max) {
            ++count[bins + 1];
        } else {
            const auto b = static_cast<std::size_t>(std::max(0.0, (std::log(x[i]) - lo) * scale));
            ++count[1 + std::min(b, bins - 1)];
        }
    }
}

/// F(o) with F a constant: a direct call the compiler inlines (a call through the table's
/// pointer, even a constant one, is not inlined by GCC 12, and costs a call per path).
template <auto F> inline double call(const PathOutcome& o) {
    return F(o);
}

/// Row M of one series: the values over its population, compacted in path order, then their
/// moments (and sketch). M is a constant so that the row's extractor inlines.
template <std::size_t M>
void tally_metric(const SeriesColumns& c, const double* log_s, const double* log_v, const double* s,
                  std::size_t n, double years, double* values, PositionTally& t,
                  QuantileSketch* sketches) {
    constexpr MetricDef def = kMetrics[M];
    const double* wipeout_day = c.wipeout_day;
    const auto outcome = [&](std::size_t i) {
        return path_outcome(c.columns.data(), i, s[i], log_s[i], log_v[i], c.multiple,
                            wipeout_day ? wipeout_day[i] : 0.0, years);
    };
    std::size_t k = 0;
    if constexpr (def.population == Population::all_paths) {
        // No compaction: a branch-free loop the compiler vectorises (the bulk of the tally).
        for (std::size_t i = 0; i < n; ++i)
            values[i] = call<def.value>(outcome(i));
        k = n;
    } else {
        for (std::size_t i = 0; i < n; ++i) {
            const PathOutcome o = outcome(i);
            if (in_population(def.population, o))
                values[k++] = call<def.value>(o);
        }
    }
    t.metrics[M] = Moments::of(values, k);
    if constexpr (def.quantiles)
        if (sketches)
            sketches[kQuantileSlot[M]].add(values, k);
}

template <std::size_t... M>
void tally_metrics(std::index_sequence<M...>, bool underlying, const SeriesColumns& c,
                   const double* log_s, const double* log_v, const double* s, std::size_t n,
                   double years, double* values, PositionTally& t, QuantileSketch* sketches) {
    ((applies(kMetrics[M], underlying)
          ? tally_metric<M>(c, log_s, log_v, s, n, years, values, t, sketches)
          : void()),
     ...);
}

/// The counts of one series: x < 1 (loss), x = 0 (wipeout), below the running peak at the
/// horizon, x > S_T (beat_index) and, for positions, gap above the tie tolerance (underperform).
void count_paths(const SeriesColumns& c, const double* s, std::size_t n, bool underlying,
                 PositionTally& t) {
    t.paths = static_cast<std::int64_t>(n);
    const double L = c.multiple;
    const double* value = c.value();
    for (std::size_t i = 0; i < n; ++i) {
        const double x = value[i];
        t.loss += x < 1.0;
        t.wipeout += !(x > 0.0);
        t.under_water_end += c.under_water_end[i] > 0.0;
        t.beat_index += x > s[i];
        // A tie within rounding (e.g. unrebalanced leverage without costs, whose return is
        // exactly L x the index return) is not underperformance.
        if (!underlying)
            t.underperform +=
                gap_vs_target(L, s[i], x) > kTieTolerance * (1.0 + std::fabs(L * s[i]));
    }
}

} // namespace

void tally_block(const Plan& plan, std::span<const SeriesColumns> series, std::size_t n,
                 TallyBuffers& buf, BlockTallies& out, QuantileSketch* sketches,
                 std::int64_t* histogram) {
    buf.log_s.resize(n);
    buf.log_v.resize(n);
    buf.values.resize(n);
    const double* s = series[0].value();
    const double years = plan.config->days * plan.config->dt();
    // Entries with S_T <= 0 (V_T <= 0) are never read: the populations exclude them.
    simd_log(s, buf.log_s.data(), n);
    const std::size_t bins =
        plan.config->histogram ? static_cast<std::size_t>(plan.config->histogram->bins) : 0;
    for (std::size_t k = 0; k < series.size(); ++k) {
        const SeriesColumns& c = series[k];
        const bool underlying = k == 0;
        const double* log_v = buf.log_s.data();
        if (!underlying) {
            simd_log(c.value(), buf.log_v.data(), n);
            log_v = buf.log_v.data();
        }
        PositionTally& t = out.series[k];
        count_paths(c, s, n, underlying, t);
        if (histogram)
            record_histogram(*plan.config->histogram, c.value(), n, histogram + k * (bins + 2));
        tally_metrics(std::make_index_sequence<kMetricCount>{}, underlying, c, buf.log_s.data(),
                      log_v, s, n, years, buf.values.data(), t,
                      sketches ? sketches + k * kQuantileMetricCount : nullptr);
    }
}

} // namespace letf::engine
