// finalize: a partial of every block -> SimulationResult (quantiles, bands, histograms, theory).

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <stdexcept>
#include <utility>

#include "base/simd.hpp"
#include "kernel.hpp"
#include "letf/engine/engine.hpp"
#include "letf/theory/analytic.hpp"

namespace letf {

namespace {

QuantityStats from_values(const Plan& plan, const Moments& m, std::span<const double> values) {
    QuantityStats q;
    q.moments = m;
    q.qs = plan.levels;
    if (!values.empty())
        q.values = exact_quantiles(values, plan.levels);
    return q;
}

QuantityStats from_sketch(const Plan& plan, const Moments& m, const QuantileSketch& sketch) {
    QuantityStats q;
    q.moments = m;
    q.qs = plan.levels;
    if (sketch.count() > 0)
        for (double level : plan.levels)
            q.values.push_back(sketch.quantile(level));
    return q;
}

/// The terminal row and every log_of_terminal and cagr_of_terminal row of one series from a
/// single selection: x >= 0, so the zeros are the smallest values, and ln is increasing: the
/// order statistic of rank k among the positive values' logs is ln x_(zeros + k); cagr is
/// increasing over every path: its order statistic of rank k is cagr(x_(k)).
void finish_terminal_and_logs(const Plan& plan, const PositionTally& t, std::span<const double> x,
                              bool underlying, PositionResult& r) {
    const std::size_t n = x.size();
    const std::vector<double>& levels = plan.levels;
    std::vector<std::size_t> ranks = type7_ranks(n, levels);
    for (std::size_t m = 0; m < kMetricCount; ++m) {
        if (kMetrics[m].exact_rule != ExactRule::log_of_terminal ||
            !applies(kMetrics[m], underlying))
            continue;
        const auto npos = static_cast<std::size_t>(t.metrics[m].count);
        if (npos > 0)
            for (std::size_t k : type7_ranks(npos, levels))
                ranks.push_back(n - npos + k);
    }
    std::sort(ranks.begin(), ranks.end());
    ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
    const std::vector<double> stats = order_statistics(x, ranks);
    auto stat = [&](std::size_t k) {
        return stats[static_cast<std::size_t>(std::lower_bound(ranks.begin(), ranks.end(), k) -
                                              ranks.begin())];
    };
    QuantityStats& terminal = r.metrics[metric::terminal];
    terminal.moments = t.metrics[metric::terminal];
    terminal.qs = levels;
    for (double q : levels)
        terminal.values.push_back(type7_quantile(q, n, stat));
    const double years = plan.config->days * plan.config->dt();
    for (std::size_t m = 0; m < kMetricCount; ++m) {
        if (kMetrics[m].exact_rule != ExactRule::cagr_of_terminal ||
            !applies(kMetrics[m], underlying))
            continue;
        QuantityStats& s = r.metrics[m];
        s.moments = t.metrics[m];
        s.qs = levels;
        for (double q : levels)
            s.values.push_back(type7_quantile(q, n, [&](std::size_t k) {
                const double xk = stat(k);
                return cagr(xk, xk > 0.0 ? std::log(xk) : 0.0, years);
            }));
    }
    for (std::size_t m = 0; m < kMetricCount; ++m) {
        if (kMetrics[m].exact_rule != ExactRule::log_of_terminal ||
            !applies(kMetrics[m], underlying))
            continue;
        QuantityStats& s = r.metrics[m];
        s.moments = t.metrics[m];
        s.qs = levels;
        const auto npos = static_cast<std::size_t>(s.moments.count);
        if (npos > 0)
            for (double q : levels)
                s.values.push_back(type7_quantile(
                    q, npos, [&](std::size_t k) { return std::log(stat(n - npos + k)); }));
    }
}

/// Stored columns of every path: S_T (and ln S_T), and one series' value and drawdown.
struct StoredPaths {
    std::span<const double> s, log_s, value, drawdown;
    double multiple = 1.0;
};

template <auto F> inline double call(const PathOutcome& o) {
    return F(o); // a direct call, inlined (see tally.cpp)
}

/// Exact quantiles of row M (direct rule) of one series: its values over its population,
/// recomputed from the stored columns as the block kernel computed them.
template <std::size_t M>
void finish_direct(const Plan& plan, const PositionTally& t, const StoredPaths& p,
                   PositionResult& r) {
    constexpr MetricDef def = kMetrics[M];
    const std::size_t N = p.s.size();
    // w holds ln V_T first when the row reads it, then (in place: k <= i) the row's values.
    std::vector<double> w(N);
    if constexpr (def.reads == Reads::log_value)
        simd_log(p.value.data(), w.data(), N); // entries with V_T <= 0 are never read
    std::size_t k = 0;
    for (std::size_t i = 0; i < N; ++i) {
        const PathOutcome o{p.s[i], p.value[i], p.log_s[i], w[i], p.drawdown[i], p.multiple};
        if (in_population(def.population, o))
            w[k++] = call<def.value>(o);
    }
    w.resize(k);
    r.metrics[M] = from_values(plan, t.metrics[M], w);
}

template <std::size_t... M>
void finish_direct_row(std::index_sequence<M...>, std::size_t m, const Plan& plan,
                       const PositionTally& t, const StoredPaths& p, PositionResult& r) {
    ((m == M ? finish_direct<M>(plan, t, p, r) : void()), ...);
}

/// Exact quantiles: per series, the terminal task (with its log rows) and one task per other
/// direct quantile row, spread over the threads.
void finish_exact(const Plan& plan, const PartialResult& part, SimulationResult& result) {
    const std::span<const double> S(part.columns[0].data(), part.columns[0].size());
    std::vector<double> log_s(S.size());
    simd_log(S.data(), log_s.data(), S.size()); // entries with S_T <= 0 are never read
    const std::size_t series = plan.series();
    engine::RegionErrors errors;
#pragma omp parallel for num_threads(plan.threads) schedule(dynamic, 1)
    for (std::size_t task = 0; task < series * kMetricCount; ++task) {
        const std::size_t s = task / kMetricCount, m = task % kMetricCount;
        const bool underlying = s == 0;
        const MetricDef& def = kMetrics[m];
        if (!def.quantiles || !applies(def, underlying) || def.exact_rule != ExactRule::direct)
            continue;
        PositionResult& r = underlying ? result.underlying : result.positions[s - 1];
        const PositionTally& t = part.folded.series[s];
        const Column& v = part.columns[kStoredColumns * s];
        const Column& dd = part.columns[kStoredColumns * s + 1];
        errors.run([&] {
            if (m == metric::terminal)
                finish_terminal_and_logs(plan, t, {v.data(), v.size()}, underlying, r);
            else
                finish_direct_row(std::make_index_sequence<kMetricCount>{}, m, plan, t,
                                  StoredPaths{S,
                                              log_s,
                                              {v.data(), v.size()},
                                              {dd.data(), dd.size()},
                                              r.position.multiple},
                                  r);
        });
    }
    errors.rethrow();
}

/// Sketched quantiles of every quantile row of every series (of an exact plan: of the rows
/// whose values are not stored, ExactRule::sketched).
void finish_sketched(const Plan& plan, const PartialResult& part, SimulationResult& result) {
    for (std::size_t s = 0; s < plan.series(); ++s) {
        const bool underlying = s == 0;
        PositionResult& r = underlying ? result.underlying : result.positions[s - 1];
        for (std::size_t m = 0; m < kMetricCount; ++m)
            if (kMetrics[m].quantiles && applies(kMetrics[m], underlying) &&
                (!plan.exact || kMetrics[m].exact_rule == ExactRule::sketched))
                r.metrics[m] =
                    from_sketch(plan, part.folded.series[s].metrics[m],
                                part.sketches[s * kQuantileMetricCount + kQuantileSlot[m]]);
    }
}

/// Bands (from the merged band sketches) and histograms (summed counts) of every series.
void finish_extras(const Plan& plan, const PartialResult& part, SimulationResult& result) {
    const ScenarioConfig& c = *plan.config;
    auto target = [&](std::size_t s) -> PositionResult& {
        return s == 0 ? result.underlying : result.positions[s - 1];
    };
    if (!plan.band_days.empty()) {
        result.band_days = plan.band_days;
        result.band_quantiles = c.bands->quantiles;
        const std::size_t nb = plan.band_days.size() - 1;
        for (std::size_t s = 0; s < plan.series(); ++s) {
            PositionResult& r = target(s);
            r.bands.assign(1, std::vector<double>(result.band_quantiles.size(), 1.0)); // day 0
            for (std::size_t b = 0; b < nb; ++b) {
                std::vector<double> row;
                for (double q : result.band_quantiles)
                    row.push_back(part.bands[s * nb + b].quantile(q));
                r.bands.push_back(std::move(row));
            }
        }
    }
    if (c.histogram) {
        const HistogramSpec& h = *c.histogram;
        const auto bins = static_cast<std::size_t>(h.bins);
        for (std::size_t b = 0; b <= bins; ++b)
            result.histogram_edges.push_back(
                h.min *
                std::pow(h.max / h.min, static_cast<double>(b) / static_cast<double>(bins)));
        for (std::size_t s = 0; s < plan.series(); ++s) {
            const auto first = part.histogram.begin() + static_cast<std::ptrdiff_t>(s * (bins + 2));
            PositionResult& r = target(s);
            r.histogram_below = first[0];
            r.histogram_above = first[static_cast<std::ptrdiff_t>(bins + 1)];
            r.histogram.assign(first + 1, first + 1 + static_cast<std::ptrdiff_t>(bins));
        }
    }
}

/// The survival curves of every series: the counts per survival-day slot, summed over the
/// slots up to each day (exact integers).
void finish_survival(const Plan& plan, const PartialResult& part, SimulationResult& result) {
    if (!plan.config->path_statistics)
        return; // no tracker: the curves stay empty
    result.survival_days = plan.survival_days;
    const std::size_t nd = plan.survival_days.size();
    for (std::size_t s = 0; s < plan.series(); ++s) {
        PositionResult& r = s == 0 ? result.underlying : result.positions[s - 1];
        r.survival.assign(kSurvivalCurves, std::vector<std::int64_t>(nd, 0));
        for (std::size_t k = 0; k < kSurvivalCurves; ++k) {
            std::int64_t sum = 0;
            for (std::size_t b = 0; b < nd; ++b) {
                sum += part.survival[(s * kSurvivalCurves + k) * nd + b];
                r.survival[k][b] = sum;
            }
        }
    }
}

/// Counts, moments of every applicable row (quantile levels set, values filled later), the
/// rebalancing tallies and the theory values of one series.
void start_series(const Plan& plan, const PositionTally& t, bool underlying, PositionResult& r) {
    r.paths = t.paths;
    r.loss = t.loss;
    r.underperform = t.underperform;
    r.wipeout = t.wipeout;
    r.beat_index = t.beat_index;
    r.under_water_end = t.under_water_end;
    for (std::size_t m = 0; m < kMetricCount; ++m) {
        if (!applies(kMetrics[m], underlying))
            continue;
        r.metrics[m].moments = t.metrics[m];
        if (kMetrics[m].quantiles)
            r.metrics[m].qs = plan.levels;
    }
    r.analytic = underlying ? analytic_underlying(*plan.config, plan.facts)
                            : analytic_position(*plan.config, plan.asset_facts, r.position);
}

} // namespace

SimulationResult finalize(const Plan& plan, PartialResult&& part) {
    if (part.range.first_block != 0 || part.range.end_block != plan.blocks)
        throw std::invalid_argument("finalize: the partial does not cover every block");
    SimulationResult result;
    result.facts = plan.facts;
    result.model_statistics = part.folded.model;
    result.quantile_method = plan.exact ? QuantileMethod::exact : QuantileMethod::sketch;
    result.sketch_relative_accuracy = plan.options.sketch_relative_accuracy;
    result.exact_quantile_limit_paths = plan.exact_limit;
    result.threads = plan.threads;
    result.underlying.position = engine::underlying_position();
    result.positions.resize(plan.positions.size());
    start_series(plan, part.folded.series[0], true, result.underlying);
    for (std::size_t j = 0; j < plan.positions.size(); ++j) {
        PositionResult& r = result.positions[j];
        r.position = plan.positions[j];
        r.rebalancing = part.folded.rebalancing[j];
        r.carry_annual = engine::carry_annual(*plan.config, r.position);
        r.facts = plan.position_facts[j];
        start_series(plan, part.folded.series[1 + j], false, r);
        for (std::size_t e = plan.extra_first[j]; e < plan.extra_first[j + 1]; ++e)
            r.extras.push_back(
                {plan.extras[e], from_sketch(plan, part.folded.extras[e], part.extra_sketches[e])});
    }
    finish_extras(plan, part, result);
    finish_survival(plan, part, result);
    part.bands.clear();
    if (plan.exact)
        finish_exact(plan, part, result);
    finish_sketched(plan, part, result);
    return result;
}

} // namespace letf
