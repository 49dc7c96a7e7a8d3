// The JSON report: every block read from the SimulationResult (statistics, theory values,
// model facts); the per-path statistics iterate the metric table.

#include "letf/output/report.hpp"

#include <charconv>
#include <cmath>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "letf/output/format.hpp"
#include "letf/stats/metrics.hpp"
#include "letf/version.hpp"

namespace letf {

using ojson = nlohmann::ordered_json;
using format::num;
using format::probability;
using format::probability_se;

namespace {

ojson quantile_list(const QuantityStats& s, const std::vector<double>& levels) {
    ojson list = ojson::array();
    for (double q : levels)
        list.push_back({{"q", q}, {"value", num(s.quantile(q))}});
    return list;
}

/// The block of one metric row in its Shape (report.hpp); `levels`: the config's quantiles,
/// `paths`: the series' path count.
ojson metric_block(const MetricDef& def, const QuantityStats& s, const std::vector<double>& levels,
                   std::int64_t paths) {
    const Moments& m = s.moments;
    switch (def.shape) {
    case Shape::full:
        return {{"mean", num(m.mean_value())},
                {"std", num(m.std_dev())},
                {"std_error", num(m.std_error())},
                {"min", num(m.min_value())},
                {"max", num(m.max_value())},
                {"median", num(s.median())},
                {"quantiles", quantile_list(s, levels)}};
    case Shape::log:
        return {{"mean", num(m.mean_value())},
                {"median", num(s.median())},
                {"std", num(m.std_dev())},
                {"std_error", num(m.std_error())},
                {"quantiles", quantile_list(s, levels)},
                {"paths", m.count},
                {"paths_excluded", paths - m.count}};
    case Shape::spread:
        return {{"mean", num(m.mean_value())},
                {"median", num(s.median())},
                {"std", num(m.std_dev())},
                {"std_error", num(m.std_error())},
                {"quantiles", quantile_list(s, levels)}};
    case Shape::counted:
        return {{"paths", m.count},
                {"mean", num(m.mean_value())},
                {"min", num(m.min_value())},
                {"max", num(m.max_value())}};
    }
    return nullptr;
}

/// The blocks of the rows of `section` that apply to the series, in table order.
void add_metrics(ojson& j, Section section, const PositionResult& r, bool underlying,
                 const ScenarioConfig& c) {
    const std::vector<double>& levels = c.quantiles;
    for (std::size_t m = 0; m < kMetricCount; ++m)
        if (kMetrics[m].section == section && applies(kMetrics[m], underlying) &&
            (c.path_statistics || !is_path_statistic(kMetrics[m])))
            j[std::string(kMetrics[m].name)] = metric_block(kMetrics[m], r[m], levels, r.paths);
}

/// Why a z-score against an exact mean is withheld, or nullopt when it is given (see
/// paths_for_reliable_std_error). `logs`: the sample of ln x whose variance measures the
/// spread of x on the log scale.
std::optional<std::string> withheld_z(const Analytic& a, const Moments& estimate,
                                      const Moments& logs) {
    if (a.one_outcome)
        return "deterministic: every path has the same outcome, so the sample spread and the "
               "difference are rounding";
    const std::optional<double> se = estimate.std_error();
    if (!se)
        return "no standard error: fewer than 2 paths";
    if (!(*se > 0.0))
        return "no standard error: every path has the same value";
    const std::optional<double> v = logs.variance();
    if (!v)
        return "standard error not reliable: fewer than 2 paths with V_T > 0 to measure "
               "Var[ln x]";
    const double needed = paths_for_reliable_std_error(*v);
    if (static_cast<double>(estimate.count) >= needed)
        return std::nullopt;
    const std::string need =
        needed < 1e15 ? fmt::format("{:.3g}", std::ceil(needed)) : std::string("more than 1e15");
    return fmt::format("standard error not reliable: Var[ln x] = {:.3g} needs {} paths "
                       "(10 (kurtosis - 1) of a lognormal), the run has {}",
                       *v, need, estimate.count);
}

/// An exact (or approximate) value beside its estimate. For an exact mean also z = (estimate -
/// value) / std_error, unless withheld_z says why not (then `z_score_note`); against an
/// approximation z grows with the number of paths and would read like a failed check, so there
/// is never one (and no note: the kind says it).
ojson compare(std::optional<double> value, std::optional<double> estimate,
              std::optional<double> std_error, std::string_view kind,
              std::optional<std::string> withheld = std::nullopt) {
    ojson j = {{"value", num(value)}, {"estimate", num(estimate)}, {"kind", kind}};
    std::optional<double> diff, z;
    if (value && estimate)
        diff = *estimate - *value;
    if (diff && std_error && !withheld && kind == "exact") {
        z = *diff / *std_error;
        if (!std::isfinite(*z))
            withheld = "the exact value or the estimate is not finite";
    }
    j["difference"] = num(diff);
    j["std_error"] = num(std_error);
    j["z_score"] = num(z);
    if (withheld)
        j["z_score_note"] = *withheld;
    return j;
}

/// The exact probability p of an event against its share among n paths (k of them), with the
/// binomial standard error sqrt(p (1 - p) / n) of the exact p: the sample's own would be 0 when
/// no path saw a rare event.
ojson compare_probability(double p, std::int64_t k, std::int64_t n) {
    if (n <= 0)
        return compare(p, std::nullopt, std::nullopt, "exact");
    const double share = static_cast<double>(k) / static_cast<double>(n);
    const double se = format::exact_probability_se(p, n);
    if (se > 0.0)
        return compare(p, share, se, "exact");
    return compare(p, share, se, "exact",
                   std::string("the exact probability is 0 or 1: no spread to compare with"));
}

/// `logs`: the log sample for the z-score criterion (the position's own ln V_T, or ln S_T for
/// an unrebalanced position, whose V_T is affine in S_T and so has S_T's kurtosis).
ojson analytic_block(const Analytic& a, const PositionResult& r, const Moments& logs,
                     double years) {
    ojson j = ojson::object();
    if (a.mean_terminal) {
        const Moments& m = r[metric::terminal].moments;
        j["mean_terminal"] = compare(a.mean_terminal, m.mean_value(), m.std_error(), "exact",
                                     withheld_z(a, m, logs));
        if (a.mean_ignores_wipeout)
            j["mean_terminal"]["note"] = "exact without wipe-out (limited liability ignored); "
                                         "compare when prob_wipeout is 0";
    }
    if (a.median_terminal) {
        j["median_terminal"] =
            compare(a.median_terminal, r[metric::terminal].median(), std::nullopt,
                    a.median_exact ? "exact" : "continuous_time_approximation");
    }
    if (a.log_decay_mean) {
        j["log_decay_mean"] =
            compare(a.log_decay_mean, r[metric::log_decay].moments.mean_value(),
                    r[metric::log_decay].moments.std_error(), "continuous_time_approximation");
    }
    if (a.mean_terminal_limited) {
        const Moments& m = r[metric::terminal].moments;
        j["mean_terminal_limited_liability"] =
            compare(a.mean_terminal_limited, m.mean_value(), m.std_error(), "exact",
                    withheld_z(a, m, logs));
    }
    if (a.prob_wipeout)
        j["prob_wipeout"] = compare_probability(*a.prob_wipeout, r.wipeout, r.paths);
    if (a.median_terminal && *a.median_terminal >= 0.0 && years > 0.0)
        j["median_cagr"] = compare(std::pow(*a.median_terminal, 1.0 / years) - 1.0,
                                   r[metric::cagr].median(), std::nullopt,
                                   a.median_exact ? "exact" : "continuous_time_approximation");
    if (a.prob_beat_index && r.paths > 0)
        j["prob_beat_index"] =
            compare(a.prob_beat_index, probability(r.beat_index, r.paths),
                    probability_se(r.beat_index, r.paths), "continuous_time_approximation");
    return j;
}

/// P(V_t <= 0 by day t) and P(V_t < x V_0 by day t) for each loss level x, on the survival
/// days: exact shares of the paths.
ojson survival_block(const SimulationResult& sim, const PositionResult& r) {
    ojson j = {{"days", sim.survival_days}};
    for (std::size_t k = 0; k < r.survival.size(); ++k) {
        ojson p = ojson::array();
        for (std::int64_t count : r.survival[k])
            p.push_back(num(probability(count, r.paths)));
        j[std::string(survival_curve_name(k))] = p;
    }
    return j;
}

/// Moments of one per-path quantity: mean, std, std_error, min, max.
ojson moments_block(const Moments& m) {
    return {{"mean", num(m.mean_value())},
            {"std", num(m.std_dev())},
            {"std_error", num(m.std_error())},
            {"min", num(m.min_value())},
            {"max", num(m.max_value())}};
}

/// The model's own per-path statistics (ModelFacts::statistics): the description, the moments
/// over paths and, where the model knows it, the exact mean beside the estimate.
ojson model_statistics_block(const SimulationResult& r) {
    ojson j = ojson::object();
    for (std::size_t k = 0; k < r.facts.statistics.size(); ++k) {
        const ModelFacts::Statistic& s = r.facts.statistics[k];
        const Moments& m = r.model_statistics[k];
        ojson b = {{"description", s.description}};
        b.update(moments_block(m));
        if (s.exact_mean)
            b["exact_mean"] = compare(s.exact_mean, m.mean_value(), m.std_error(), "exact");
        j[s.name] = b;
    }
    return j;
}

ojson rebalancing_block(const PositionResult& r) {
    const RebalanceTally& t = r.rebalancing;
    ojson j = {{"trades", moments_block(t.trades)},
               {"turnover", moments_block(t.turnover)},
               {"cash_added", moments_block(t.cash_added)},
               {"cash_withdrawn", moments_block(t.cash_withdrawn)},
               {"transaction_costs", moments_block(t.transaction_costs)}};
    if (r.facts.forced_deleverages)
        j["forced_deleverages"] = moments_block(t.forced_deleverages);
    return j;
}

/// A signal strategy's tallies by name (tally_fields), from the first slots of `rebalancing`.
ojson signal_block(const PositionResult& r) {
    const RebalanceTally& t = r.rebalancing;
    const Moments* slots[] = {&t.trades,         &t.turnover,          &t.cash_added,
                              &t.cash_withdrawn, &t.transaction_costs, &t.forced_deleverages};
    ojson j = ojson::object();
    const auto fields = tally_fields(r.position.strategy);
    for (std::size_t k = 0; k < fields.size(); ++k)
        j[std::string(fields[k])] = moments_block(*slots[k]);
    return j;
}

/// A position's extra statistics of one group (Plan::extras), each as a full block over the
/// paths where it is defined (`paths`), quantiles from a sketch.
ojson extras_block(const PositionResult& r, const std::string& group,
                   const std::vector<double>& levels) {
    ojson j = ojson::object();
    for (const PositionResult::Extra& e : r.extras) {
        if (e.field.group != group)
            continue;
        const Moments& m = e.stats.moments;
        j[e.field.name] = {{"description", e.field.description},
                           {"paths", m.count},
                           {"mean", num(m.mean_value())},
                           {"std", num(m.std_dev())},
                           {"std_error", num(m.std_error())},
                           {"min", num(m.min_value())},
                           {"max", num(m.max_value())},
                           {"median", num(e.stats.median())},
                           {"quantiles", quantile_list(e.stats, levels)}};
    }
    return j;
}

ojson position_block(const ScenarioConfig& c, const SimulationResult& sim, const PositionResult& r,
                     const PositionResult& underlying) {
    const Position& p = r.position;
    const bool investor = r.facts.investor;
    const bool portfolio = std::holds_alternative<Portfolio>(p.strategy);
    ojson j;
    j["strategy"] = to_string(p.strategy);
    j["label"] = p.label.empty() ? label(p.strategy) : p.label;
    if (c.asset_count() > 1 && !portfolio)
        j["asset"] = c.asset_name(static_cast<std::size_t>(p.asset));
    if (investor || r.facts.signal)
        j["parameters"] = strategy_parameters(p.strategy);
    j["multiple"] = p.multiple;
    add_metrics(j, Section::outcome, r, false, c);
    j["prob_loss"] = num(probability(r.loss, r.paths));
    j["prob_underperform_target"] = num(probability(r.underperform, r.paths));
    j["prob_wipeout"] = num(probability(r.wipeout, r.paths));
    j["prob_beat_index"] = num(probability(r.beat_index, r.paths));
    if (c.path_statistics)
        j["prob_end_under_water"] = num(probability(r.under_water_end, r.paths));
    j["prob_std_error"] = {{"loss", num(probability_se(r.loss, r.paths))},
                           {"underperform_target", num(probability_se(r.underperform, r.paths))},
                           {"wipeout", num(probability_se(r.wipeout, r.paths))},
                           {"beat_index", num(probability_se(r.beat_index, r.paths))}};
    if (c.path_statistics)
        j["prob_std_error"]["end_under_water"] = num(probability_se(r.under_water_end, r.paths));
    add_metrics(j, Section::path, r, false, c);
    if (c.path_statistics)
        j["survival"] = survival_block(sim, r);
    j["carry_annual"] = num(r.carry_annual);
    if (investor)
        j["rebalancing"] = rebalancing_block(r);
    if (r.facts.signal)
        j["signal"] = signal_block(r);
    if (portfolio)
        j["portfolio"] = {{"exposure", p.multiple},
                          {"weights_before_rebalance", extras_block(r, "portfolio", c.quantiles)}};
    if (!c.cash_flows.empty()) {
        ojson f = extras_block(r, "cash_flows", c.quantiles);
        f["prob_run_out"] = num(probability(r.wipeout, r.paths));
        j["cash_flows"] = f;
    }
    const Moments& logs = r.facts.logs_of_index ? underlying[metric::log_return].moments
                                                : r[metric::log_return].moments;
    j["analytic"] = analytic_block(r.analytic, r, logs, c.days * c.dt());
    return j;
}

/// The optional fan-chart bands and terminal histogram of one series.
void add_extras(ojson& j, const SimulationResult& sim, const PositionResult& r) {
    if (!sim.band_days.empty()) {
        ojson values = ojson::array();
        for (const auto& row : r.bands) {
            ojson v = ojson::array();
            for (double x : row)
                v.push_back(num(std::optional<double>(x)));
            values.push_back(v);
        }
        j["bands"] = {
            {"days", sim.band_days}, {"quantiles", sim.band_quantiles}, {"values", values}};
    }
    if (!sim.histogram_edges.empty())
        j["histogram"] = {{"edges", sim.histogram_edges},
                          {"counts", r.histogram},
                          {"below", r.histogram_below},
                          {"above", r.histogram_above}};
}

} // namespace

ojson build_report(const ScenarioConfig& c, const SimulationResult& r) {
    ojson j;
    j["schema_version"] = 1;
    j["scenario"] = c.name;
    j["config"] = to_json(c);
    const double path_days = static_cast<double>(c.paths) * c.days;
    j["run_info"] = {
        {"version", kVersion},
        {"seed", c.seed},
        {"paths", c.paths},
        {"days", c.days},
        {"threads", r.threads},
        {"ranks", r.threads_per_rank.empty() ? 1 : r.threads_per_rank.size()},
        {"threads_per_rank",
         r.threads_per_rank.empty() ? std::vector<int>{r.threads} : r.threads_per_rank},
        {"elapsed_seconds", num(r.elapsed_seconds)},
        {"path_days_per_second",
         num(r.elapsed_seconds > 0 ? std::optional(path_days / r.elapsed_seconds) : std::nullopt)}};
    const bool exact = r.quantile_method == QuantileMethod::exact;
    j["method"] = {
        {"quantiles", exact ? "exact" : "sketch"},
        {"quantile_rule",
         exact ? "type 7: linear interpolation between order statistics at h = q (n - 1)"
               : "log-bucket sketch: the value of rank floor(q (n - 1)) within the stated "
                 "relative error"},
        {"sketch_relative_error", exact ? ojson(nullptr) : ojson(r.sketch_relative_accuracy)},
        {"exact_quantile_limit_paths", r.exact_quantile_limit_paths},
        {"random_numbers", "pcg32 per path (stream = path index), 128-layer ziggurat normals"},
        {"log_statistics", "over paths with V_T > 0 (log_decay also needs S_T > 0)"}};
    if (exact && c.path_statistics) { // their per-path values are not stored: sketched
        ojson rows = ojson::array();
        for (const MetricDef& m : kMetrics)
            if (m.quantiles && m.exact_rule == ExactRule::sketched)
                rows.push_back(m.name);
        j["method"]["sketched_quantiles"] = {{"rows", rows},
                                             {"relative_error", r.sketch_relative_accuracy}};
    }

    const PositionResult& u = r.underlying;
    ojson under;
    add_metrics(under, Section::outcome, u, true, c);
    under["prob_loss"] = num(probability(u.loss, u.paths));
    under["prob_wipeout"] = num(probability(u.wipeout, u.paths));
    if (c.path_statistics)
        under["prob_end_under_water"] = num(probability(u.under_water_end, u.paths));
    add_metrics(under, Section::path, u, true, c);
    if (c.path_statistics)
        under["survival"] = survival_block(r, u);
    under["analytic"] =
        analytic_block(u.analytic, u, u[metric::log_return].moments, c.days * c.dt());
    if (!r.facts.statistics.empty())
        under["model_statistics"] = model_statistics_block(r);
    add_extras(under, r, u);
    j["underlying"] = under;

    ojson results = ojson::array();
    for (const PositionResult& p : r.positions) {
        ojson block = position_block(c, r, p, u);
        add_extras(block, r, p);
        results.push_back(block);
    }
    j["results"] = results;
    return j;
}

std::string shortest_number_text(double x) {
    if (!std::isfinite(x))
        return "null";
    if (x == 0.0)
        return std::signbit(x) ? "-0.0" : "0.0";
    char buf[64];
    const auto end = std::to_chars(buf, buf + sizeof buf, std::fabs(x),
                                   std::chars_format::scientific).ptr;
    const std::string_view s(buf, static_cast<std::size_t>(end - buf)); // d.ddde[+-]XX
    const std::size_t e = s.find('e');
    std::string digits;
    for (const char c : s.substr(0, e))
        if (c != '.')
            digits += c;
    int exponent = 0;
    std::from_chars(s.data() + e + 1 + (s[e + 1] == '+'), s.data() + s.size(), exponent);
    const int point = exponent + 1; // digits d1 d2 ... stand for 0.d1d2... x 10^point
    const auto n = static_cast<int>(digits.size());
    std::string out = x < 0 ? "-" : "";
    if (point > -4 && point <= 16) {
        if (point <= 0)
            out += "0." + std::string(static_cast<std::size_t>(-point), '0') + digits;
        else if (point >= n)
            out += digits + std::string(static_cast<std::size_t>(point - n), '0') + ".0";
        else
            out += digits.substr(0, static_cast<std::size_t>(point)) + "." +
                   digits.substr(static_cast<std::size_t>(point));
    } else {
        out += digits.substr(0, 1);
        if (n > 1)
            out += "." + digits.substr(1);
        out += fmt::format("e{}{:02d}", exponent < 0 ? '-' : '+', std::abs(exponent));
    }
    return out;
}

namespace {

void write_json(std::string& out, const ojson& j, int depth) {
    const auto indent = [&](int d) { out.append(static_cast<std::size_t>(2 * d), ' '); };
    if (j.is_object() || j.is_array()) {
        if (j.empty()) {
            out += j.is_object() ? "{}" : "[]";
            return;
        }
        out += j.is_object() ? "{\n" : "[\n";
        bool first = true;
        for (auto it = j.begin(); it != j.end(); ++it) {
            if (!first)
                out += ",\n";
            first = false;
            indent(depth + 1);
            if (j.is_object()) {
                out += ojson(it.key()).dump(); // the key, escaped as nlohmann escapes it
                out += ": ";
            }
            write_json(out, *it, depth + 1);
        }
        out += "\n";
        indent(depth);
        out += j.is_object() ? "}" : "]";
    } else if (j.is_number_float()) {
        out += shortest_number_text(j.get<double>());
    } else {
        out += j.dump(); // strings, integers, booleans, null
    }
}

} // namespace

std::string report_text(const ojson& report) {
    std::string out;
    write_json(out, report, 0);
    out += "\n";
    return out;
}

std::string report_json(const ScenarioConfig& config, const SimulationResult& result) {
    return report_text(build_report(config, result));
}

} // namespace letf
