// The study's summary columns: the 17 of schema 1, then two per newer metric row.

#include "letf/output/summary.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "letf/output/format.hpp"
#include "letf/stats/metrics.hpp"
#include "letf/stats/path_stats.hpp"

namespace letf {

namespace {

using Value = std::optional<double>;

Value finite(Value x) {
    return x && std::isfinite(*x) ? x : std::nullopt;
}

/// Mean of row m, null where the row does not apply.
SummaryColumn mean_of(std::string name, std::string description, std::size_t m) {
    return {std::move(name), std::move(description), [m](const PositionResult& r, bool u) {
                return applies(kMetrics[m], u) ? r[m].moments.mean_value() : std::nullopt;
            }};
}

SummaryColumn median_of(std::string name, std::string description, std::size_t m) {
    return {std::move(name), std::move(description), [m](const PositionResult& r, bool u) {
                return applies(kMetrics[m], u) ? r[m].median() : std::nullopt;
            }};
}

SummaryColumn quantile_of(std::string name, std::string description, double q) {
    return {std::move(name), std::move(description),
            [q](const PositionResult& r, bool) { return r[metric::terminal].quantile(q); }};
}

SummaryColumn share_of(std::string name, std::string description,
                       std::int64_t PositionResult::*count, bool positions_only) {
    return {std::move(name), std::move(description),
            [count, positions_only](const PositionResult& r, bool u) {
                return positions_only && u ? std::nullopt : format::probability(r.*count, r.paths);
            }};
}

/// The rows the schema-1 columns are built from; every other row gets generated columns.
constexpr std::array<std::string_view, 6> kSchema1Rows = {
    "terminal", "log_return", "gap_vs_target", "log_decay", "max_drawdown", "wipeout_day"};

std::vector<SummaryColumn> schema1_columns() {
    using P = PositionResult;
    std::vector<SummaryColumn> c;
    c.push_back(mean_of("mean", "mean terminal value V_T/V_0", metric::terminal));
    c.push_back(median_of("median", "median terminal value V_T/V_0", metric::terminal));
    c.push_back(quantile_of("p05", "5th percentile of V_T/V_0", 0.05));
    c.push_back(quantile_of("p95", "95th percentile of V_T/V_0", 0.95));
    c.push_back(share_of("prob_loss", "P(loss): share of paths with V_T < V_0", &P::loss, false));
    c.push_back(share_of("prob_underperform_target",
                         "P(underperform): share of paths below 1 + L (S_T/S_0 - 1)",
                         &P::underperform, true));
    c.push_back(
        share_of("prob_wipeout", "P(wipe-out): share of paths with V_T = 0", &P::wipeout, false));
    c.push_back(
        mean_of("log_decay_mean", "mean log decay L ln(S_T/S_0) - ln(V_T/V_0)", metric::log_decay));
    c.push_back({"log_decay_analytic", "analytic log decay (L^2 - L) sigma^2 T/2 + cT",
                 [](const P& r, bool) { return r.analytic.log_decay_mean; }});
    c.push_back(mean_of("max_drawdown_mean", "mean maximum drawdown (fraction of the peak)",
                        metric::max_drawdown));
    c.push_back({"mean_std_error", "standard error of the mean terminal value",
                 [](const P& r, bool) { return r[metric::terminal].moments.std_error(); }});
    c.push_back({"mean_analytic", "exact mean terminal value (unrebalanced: without wipe-out)",
                 [](const P& r, bool) { return r.analytic.mean_terminal; }});
    c.push_back({"std", "standard deviation of V_T/V_0",
                 [](const P& r, bool) { return r[metric::terminal].moments.std_dev(); }});
    c.push_back(mean_of("log_return_mean", "mean log return ln(V_T/V_0)", metric::log_return));
    c.push_back(median_of("log_decay_median", "median log decay L ln(S_T/S_0) - ln(V_T/V_0)",
                          metric::log_decay));
    c.push_back(
        {"log_decay_std_error", "standard error of the mean log decay", [](const P& r, bool u) {
             return u ? std::nullopt : r[metric::log_decay].moments.std_error();
         }});
    c.push_back(median_of("max_drawdown_median", "median maximum drawdown (fraction of the peak)",
                          metric::max_drawdown));
    return c;
}

/// The investor's columns beyond each row's mean and median: the CAGR's 10th and 90th
/// percentiles, P(beat the 1x index), P(end under water) and the survival curves at the horizon.
void investor_columns(std::vector<SummaryColumn>& c) {
    using P = PositionResult;
    for (const double q : {0.1, 0.9})
        c.push_back({q < 0.5 ? "cagr_p10" : "cagr_p90",
                     std::string(q < 0.5 ? "10th" : "90th") + " percentile of the CAGR",
                     [q](const P& r, bool) { return r[metric::cagr].quantile(q); }});
    c.push_back(share_of("prob_beat_index", "P(V_T > S_T/S_0): ahead of the 1x index",
                         &P::beat_index, true));
    c.push_back({"prob_end_under_water", "P(V_T below its running peak)",
                 [](const P& r, bool) -> Value {
                     if (r.survival.empty()) // no path statistics in this run
                         return std::nullopt;
                     return format::probability(r.under_water_end, r.paths);
                 }});
    for (std::size_t k = 0; k < kSurvivalCurves; ++k) {
        const std::string name(survival_curve_name(k));
        c.push_back({"prob_" + name, "P(" + name + " at some close by the horizon)",
                     [k](const P& r, bool) -> Value {
                         if (k >= r.survival.size() || r.survival[k].empty())
                             return std::nullopt;
                         return format::probability(r.survival[k].back(), r.paths);
                     }});
    }
}

std::vector<SummaryColumn> make_columns() {
    std::vector<SummaryColumn> c = schema1_columns();
    for (std::size_t m = 0; m < kMetricCount; ++m) {
        const MetricDef& d = kMetrics[m];
        if (std::find(kSchema1Rows.begin(), kSchema1Rows.end(), d.name) != kSchema1Rows.end())
            continue;
        const std::string name(d.name), description(d.description);
        c.push_back(mean_of(name + "_mean", "mean " + description, m));
        if (d.quantiles)
            c.push_back(median_of(name + "_median", "median " + description, m));
    }
    investor_columns(c);
    for (SummaryColumn& col : c)
        col.value = [f = std::move(col.value)](const PositionResult& r, bool u) {
            return finite(f(r, u));
        };
    return c;
}

} // namespace

const std::vector<SummaryColumn>& summary_columns() {
    static const std::vector<SummaryColumn> columns = make_columns();
    return columns;
}

} // namespace letf
