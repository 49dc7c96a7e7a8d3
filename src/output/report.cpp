#include "letf/output/report.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "letf/theory/analytic.hpp"
#include "letf/models/path_model.hpp"
#include "letf/version.hpp"

namespace letf {

using ojson = nlohmann::ordered_json;

namespace {

/// A number, or null when it is undefined or not finite.
ojson num(std::optional<double> x) {
    if (!x || !std::isfinite(*x))
        return nullptr;
    return *x;
}

ojson quantile_list(const QuantityStats& s, const std::vector<double>& levels) {
    ojson list = ojson::array();
    for (double q : levels)
        list.push_back({{"q", q}, {"value", num(s.quantile(q))}});
    return list;
}

std::optional<double> probability(std::int64_t count, std::int64_t n) {
    if (n <= 0)
        return std::nullopt;
    return static_cast<double>(count) / static_cast<double>(n);
}

/// Standard error of a proportion: sqrt(p (1 - p) / n).
std::optional<double> probability_se(std::int64_t count, std::int64_t n) {
    if (n <= 0)
        return std::nullopt;
    const double p = static_cast<double>(count) / static_cast<double>(n);
    return std::sqrt(p * (1.0 - p) / static_cast<double>(n));
}

ojson terminal_block(const QuantityStats& s, const std::vector<double>& levels) {
    const Moments& m = s.moments;
    return {{"mean", num(m.mean_value())},
            {"std", num(m.std_dev())},
            {"std_error", num(m.std_error())},
            {"min", num(m.min_value())},
            {"max", num(m.max_value())},
            {"median", num(s.median())},
            {"quantiles", quantile_list(s, levels)}};
}

ojson log_block(const QuantityStats& s, std::int64_t paths) {
    const Moments& m = s.moments;
    ojson j = {{"mean", num(m.mean_value())}, {"median", num(s.median())}};
    j["std"] = num(m.std_dev());
    j["std_error"] = num(m.std_error());
    j["paths"] = m.count;
    j["paths_excluded"] = paths - m.count;
    return j;
}

ojson spread_block(const QuantityStats& s, const std::vector<double>& levels) {
    const Moments& m = s.moments;
    return {{"mean", num(m.mean_value())},
            {"median", num(s.median())},
            {"std", num(m.std_dev())},
            {"std_error", num(m.std_error())},
            {"quantiles", quantile_list(s, levels)}};
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

/// `logs`: the log sample for the z-score criterion (the position's own ln V_T, or ln S_T for
/// an unrebalanced position, whose V_T is affine in S_T and so has S_T's kurtosis).
ojson analytic_block(const Analytic& a, const PositionResult& r, const Moments& logs) {
    ojson j = ojson::object();
    if (a.mean_terminal) {
        const Moments& m = r.terminal.moments;
        j["mean_terminal"] = compare(a.mean_terminal, m.mean_value(), m.std_error(), "exact",
                                     withheld_z(a, m, logs));
        if (a.mean_ignores_wipeout)
            j["mean_terminal"]["note"] = "exact without wipe-out (limited liability ignored); "
                                         "compare when prob_wipeout is 0";
    }
    if (a.median_terminal) {
        j["median_terminal"] = compare(a.median_terminal, r.terminal.median(), std::nullopt,
                                       a.median_exact ? "exact" : "continuous_time_approximation");
    }
    if (a.log_decay_mean) {
        j["log_decay_mean"] =
            compare(a.log_decay_mean, r.log_decay.moments.mean_value(),
                    r.log_decay.moments.std_error(), "continuous_time_approximation");
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

ojson rebalancing_block(const PositionResult& r) {
    const RebalanceTally& t = r.rebalancing;
    ojson j = {{"trades", moments_block(t.trades)},
               {"turnover", moments_block(t.turnover)},
               {"cash_added", moments_block(t.cash_added)},
               {"cash_withdrawn", moments_block(t.cash_withdrawn)},
               {"transaction_costs", moments_block(t.transaction_costs)}};
    if (std::holds_alternative<TargetLeverage>(r.position.strategy))
        j["forced_deleverages"] = moments_block(t.forced_deleverages);
    return j;
}

ojson position_block(const ScenarioConfig& c, const PositionResult& r, const Analytic& a,
                     const PositionResult& underlying) {
    const Position& p = r.position;
    const bool investor = is_investor(p.strategy);
    ojson j;
    j["strategy"] = to_string(p.strategy);
    if (investor)
        j["parameters"] = strategy_parameters(p.strategy);
    j["multiple"] = p.multiple;
    j["terminal"] = terminal_block(r.terminal, c.quantiles);
    j["log_return"] = log_block(r.log_return, r.paths);
    j["gap_vs_target"] = spread_block(r.gap, c.quantiles);
    j["log_decay"] = log_block(r.log_decay, r.paths);
    j["prob_loss"] = num(probability(r.loss, r.paths));
    j["prob_underperform_target"] = num(probability(r.underperform, r.paths));
    j["prob_wipeout"] = num(probability(r.wipeout, r.paths));
    j["prob_std_error"] = {{"loss", num(probability_se(r.loss, r.paths))},
                           {"underperform_target", num(probability_se(r.underperform, r.paths))},
                           {"wipeout", num(probability_se(r.wipeout, r.paths))}};
    j["max_drawdown"] = spread_block(r.max_drawdown, c.quantiles);
    const Moments& w = r.wipeout_day;
    j["wipeout_day"] = {{"paths", w.count},
                        {"mean", num(w.mean_value())},
                        {"min", num(w.min_value())},
                        {"max", num(w.max_value())}};
    // The fund's carry for strategies holding a fund, the account's rate for the others; null
    // when the rate is a series (it varies by day).
    j["carry_annual"] = c.has_rate_series()
                            ? ojson(nullptr)
                            : ojson(strategy_carry(p.strategy, c.costs, p.multiple));
    if (investor)
        j["rebalancing"] = rebalancing_block(r);
    const Moments& logs = std::holds_alternative<Unrebalanced>(p.strategy)
                              ? underlying.log_return.moments
                              : r.log_return.moments;
    j["analytic"] = analytic_block(a, r, logs);
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

    const PositionResult& u = r.underlying;
    ojson under;
    under["terminal"] = terminal_block(u.terminal, c.quantiles);
    under["log_return"] = log_block(u.log_return, u.paths);
    under["prob_loss"] = num(probability(u.loss, u.paths));
    under["prob_wipeout"] = num(probability(u.wipeout, u.paths));
    under["max_drawdown"] = spread_block(u.max_drawdown, c.quantiles);
    under["analytic"] = analytic_block(analytic_underlying(c), u, u.log_return.moments);
    add_extras(under, r, u);
    j["underlying"] = under;

    ojson results = ojson::array();
    for (const PositionResult& p : r.positions) {
        ojson block = position_block(c, p, analytic_position(c, p.position), u);
        add_extras(block, r, p);
        results.push_back(block);
    }
    j["results"] = results;
    return j;
}

std::string report_text(const ojson& report) {
    return report.dump(2) + "\n";
}

std::string report_json(const ScenarioConfig& config, const SimulationResult& result) {
    return report_text(build_report(config, result));
}

namespace {

std::string cell(std::optional<double> x, int precision = 4) {
    if (!x || !std::isfinite(*x))
        return "-";
    if (std::fabs(*x) >= 1e6)
        return fmt::format("{:.3e}", *x);
    return fmt::format("{:.{}f}", *x, precision);
}

std::string pct(std::optional<double> x) {
    if (!x || !std::isfinite(*x))
        return "-";
    return fmt::format("{:.2f}%", 100.0 * *x);
}

} // namespace

std::string console_summary(const ScenarioConfig& c, const SimulationResult& r) {
    std::string out;
    const std::string_view model = model_type_name(c.model);
    out += fmt::format("letfsim {}  scenario {}  model {}  {} days  {} paths  seed {}\n", kVersion,
                       c.name, model, c.days, c.paths, c.seed);
    const PositionResult& u = r.underlying;
    const Analytic ua = analytic_underlying(c);
    out += fmt::format("underlying S_T/S_0: mean {} (exact {}), median {}, p5 {}, p95 {}, "
                       "P(loss) {}\n\n",
                       cell(u.terminal.moments.mean_value()), cell(ua.mean_terminal),
                       cell(u.terminal.median()), cell(u.terminal.quantile(0.05)),
                       cell(u.terminal.quantile(0.95)), pct(probability(u.loss, u.paths)));
    std::size_t width = 13;
    for (const PositionResult& p : r.positions)
        width = std::max(width, strategy_label(p.position.strategy).size());
    out += fmt::format("{:<{}} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9} {:>8} {:>9} {:>10} {:>8} "
                       "{:>9}\n",
                       "strategy", width, "L", "mean", "(exact)", "median", "p5", "p95", "P(loss)",
                       "P(wipe)", "log decay", "(+/-)", "(theory)");
    for (const PositionResult& p : r.positions) {
        const Analytic a = analytic_position(c, p.position);
        out += fmt::format(
            "{:<{}} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9} {:>8} {:>9} {:>10} {:>8} {:>9}\n",
            strategy_label(p.position.strategy), width, fmt::format("{:g}", p.position.multiple),
            cell(p.terminal.moments.mean_value()),
            cell(a.mean_terminal) + (a.mean_ignores_wipeout && p.wipeout > 0 ? "*" : ""),
            cell(p.terminal.median()), cell(p.terminal.quantile(0.05)),
            cell(p.terminal.quantile(0.95)), pct(probability(p.loss, p.paths)),
            pct(probability(p.wipeout, p.paths)), cell(p.log_decay.moments.mean_value()),
            cell(p.log_decay.moments.std_error(), 5), cell(a.log_decay_mean));
    }
    const bool footnote = std::any_of(r.positions.begin(), r.positions.end(), [&](const auto& p) {
        const Analytic a = analytic_position(c, p.position);
        return a.mean_terminal && a.mean_ignores_wipeout && p.wipeout > 0;
    });
    if (footnote)
        out += "* exact mean without limited liability; wiped-out paths keep 0, which raises the "
               "estimate\n";
    out += "log decay = L ln(S_T/S_0) - ln(V_T/V_0), mean over paths";
    out += std::holds_alternative<GbmModel>(c.model)
               ? "; (theory) = (L^2 - L) sigma^2 T / 2 + c T, continuous time\n"
               : "\n";
    const bool any_investor =
        std::any_of(r.positions.begin(), r.positions.end(),
                    [](const auto& p) { return is_investor(p.position.strategy); });
    if (any_investor) {
        out +=
            fmt::format("\n{:<{}} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}\n", "rebalancing",
                        width, "L", "trades", "turnover", "added", "withdrawn", "costs", "forced");
        for (const PositionResult& p : r.positions) {
            if (!is_investor(p.position.strategy))
                continue;
            const RebalanceTally& t = p.rebalancing;
            out += fmt::format("{:<{}} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}\n",
                               strategy_label(p.position.strategy), width,
                               fmt::format("{:g}", p.position.multiple),
                               cell(t.trades.mean_value(), 2), cell(t.turnover.mean_value()),
                               cell(t.cash_added.mean_value()), cell(t.cash_withdrawn.mean_value()),
                               cell(t.transaction_costs.mean_value(), 5),
                               std::holds_alternative<TargetLeverage>(p.position.strategy)
                                   ? cell(t.forced_deleverages.mean_value(), 2)
                                   : std::string("-"));
        }
        out += "means per path, in units of the initial wealth; added/withdrawn = fund bought/sold "
               "(target_leverage: borrowed/repaid)\n";
    }
    const double path_days = static_cast<double>(c.paths) * c.days;
    out += fmt::format(
        "\n{:.3f} s on {} thread{}, {:.1f} M path-days/s; quantiles {}\n", r.elapsed_seconds,
        r.threads, r.threads == 1 ? "" : "s",
        r.elapsed_seconds > 0 ? path_days / r.elapsed_seconds / 1e6 : 0.0,
        r.quantile_method == QuantileMethod::exact
            ? std::string("exact")
            : fmt::format("sketched ({:g}% relative error)", 100.0 * r.sketch_relative_accuracy));
    return out;
}

} // namespace letf
