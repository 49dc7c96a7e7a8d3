// The console summary: a few headline statistics per position, read from the result.

#include "letf/output/console.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "letf/output/format.hpp"
#include "letf/version.hpp"

namespace letf {

using format::cell;
using format::pct;
using format::probability;
using format::significant;

namespace {

/// The means of the rebalancing tallies of the investor positions (empty without any).
std::string rebalancing_table(const SimulationResult& r, std::size_t width) {
    std::string out;
    const bool any_investor = std::any_of(r.positions.begin(), r.positions.end(),
                                          [](const auto& p) { return p.facts.investor; });
    if (!any_investor)
        return out;
    out += fmt::format("\n{:<{}} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}\n", "rebalancing", width,
                       "L", "trades", "turnover", "added", "withdrawn", "costs", "forced");
    for (const PositionResult& p : r.positions) {
        if (!p.facts.investor)
            continue;
        const RebalanceTally& t = p.rebalancing;
        out += fmt::format("{:<{}} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}\n",
                           p.position.label, width,
                           fmt::format("{:g}", p.position.multiple), cell(t.trades.mean_value(), 2),
                           cell(t.turnover.mean_value()), cell(t.cash_added.mean_value()),
                           cell(t.cash_withdrawn.mean_value()),
                           cell(t.transaction_costs.mean_value(), 5),
                           p.facts.forced_deleverages ? cell(t.forced_deleverages.mean_value(), 2)
                                                      : std::string("-"));
    }
    out += "means per path, in units of the initial wealth; added/withdrawn = fund bought/sold "
           "(target_leverage: borrowed/repaid)\n";
    return out;
}

/// The means of the signal strategies' tallies (empty without any): the share of days in the
/// fund (vol_target: the mean multiple), switches and their costs.
std::string signal_table(const SimulationResult& r, std::size_t width) {
    std::string out;
    for (const PositionResult& p : r.positions) {
        if (!p.facts.signal)
            continue;
        if (out.empty())
            out += fmt::format("\n{:<{}} {:>6} {:>9} {:>9} {:>9}\n", "signal", width, "L",
                               "invested", "switches", "costs");
        const RebalanceTally& t = p.rebalancing;
        out += fmt::format("{:<{}} {:>6} {:>9} {:>9} {:>9}\n", p.position.label,
                           width, fmt::format("{:g}", p.position.multiple),
                           cell(t.trades.mean_value(), 3), cell(t.turnover.mean_value(), 2),
                           cell(t.cash_added.mean_value(), 5));
    }
    if (!out.empty())
        out += "means per path; invested = share of days in the fund (vol_target: the mean "
               "multiple), costs in units of V_0\n";
    return out;
}

/// A position's extra statistic `name` (Plan::extras), or null.
const PositionResult::Extra* extra(const PositionResult& p, const std::string& name) {
    for (const PositionResult::Extra& e : p.extras)
        if (e.field.name == name)
            return &e;
    return nullptr;
}

/// With cash flows: per position the means paid in and taken out, the median money-weighted
/// return, how often the account ran out and the median day it did (empty without flows).
std::string cash_flow_table(const SimulationResult& r, std::size_t width) {
    std::string out;
    for (const PositionResult& p : r.positions) {
        const PositionResult::Extra* irr = extra(p, "money_weighted_return");
        if (!irr)
            continue;
        if (out.empty())
            out += fmt::format("\n{:<{}} {:>6} {:>11} {:>9} {:>8} {:>10} {:>9}\n", "cash flows",
                               width, "L", "contributed", "withdrawn", "MWR p50", "P(run out)",
                               "day p50");
        const PositionResult::Extra* in = extra(p, "contributed");
        const PositionResult::Extra* taken = extra(p, "withdrawn");
        const PositionResult::Extra* day = extra(p, "run_out_day");
        out += fmt::format("{:<{}} {:>6} {:>11} {:>9} {:>8} {:>10} {:>9}\n", p.position.label, width,
                           fmt::format("{:g}", p.position.multiple),
                           cell(in->stats.moments.mean_value()),
                           cell(taken->stats.moments.mean_value()), pct(irr->stats.median()),
                           pct(probability(p.wipeout, p.paths)),
                           day->stats.moments.count > 0 ? cell(day->stats.median(), 0)
                                                        : std::string("-"));
    }
    if (!out.empty())
        out += "means per path in units of the initial wealth; MWR = money-weighted annual return "
               "(internal rate of return); day p50 = median day the wealth ran out, over the "
               "paths that did\n";
    return out;
}

/// The exact wipe-out probabilities beside the estimates, where the theory has one above 0.
std::string wipeout_line(const SimulationResult& r) {
    std::string out;
    for (const PositionResult& p : r.positions) {
        const std::optional<double> exact = p.analytic.prob_wipeout;
        // Shown where a wipe-out is within reach of the run (not for gbm's 1e-100s).
        if (!exact || p.paths <= 0 || !(*exact >= 1e-9 || p.wipeout > 0))
            continue;
        const double n = static_cast<double>(p.paths);
        const double share = static_cast<double>(p.wipeout) / n;
        const double se = format::exact_probability_se(*exact, p.paths);
        out += fmt::format("{}{} {:g}: {} exact, {} estimated (z {})", out.empty() ? "" : "; ",
                           p.position.label, p.position.multiple,
                           pct(*exact), pct(share),
                           se > 0.0 ? fmt::format("{:.2f}", (share - *exact) / se) : "-");
    }
    return out.empty() ? out : "P(wipe-out) " + out + "\n";
}

/// The investor's view of every series: CAGR median and 10th/90th percentiles, median
/// volatility and Sharpe, P(-50 % at some close), median longest time under water.
std::string investor_table(const SimulationResult& r, std::size_t width) {
    std::string out = fmt::format("\n{:<{}} {:>6} {:>8} {:>8} {:>8} {:>8} {:>7} {:>8} {:>10}\n",
                                  "investor", width, "L", "CAGR p50", "p10", "p90", "vol p50",
                                  "Sharpe", "P(-50%)", "underwater");
    const auto row = [&](const std::string& name, const PositionResult& p) {
        const std::optional<double> lost =
            p.survival.size() > 1 && !p.survival[1].empty()
                ? probability(p.survival[1].back(), p.paths)
                : std::nullopt;
        const std::optional<double> days = p[metric::under_water_days].median();
        out += fmt::format("{:<{}} {:>6} {:>8} {:>8} {:>8} {:>8} {:>7} {:>8} {:>10}\n", name,
                           width, fmt::format("{:g}", p.position.multiple),
                           pct(p[metric::cagr].median()), pct(p[metric::cagr].quantile(0.1)),
                           pct(p[metric::cagr].quantile(0.9)),
                           pct(p[metric::volatility].median()),
                           cell(p[metric::sharpe].median(), 2), pct(lost),
                           days ? fmt::format("{:.0f} d", *days) : std::string("-"));
    };
    row("underlying", r.underlying);
    for (const PositionResult& p : r.positions)
        row(p.position.label, p);
    out += "medians over paths; CAGR = (V_T/V_0)^(1/T) - 1; vol and Sharpe (over the financing "
           "rate) of daily returns, annualised; P(-50%) = below half the start at some close; "
           "underwater = longest run below the running peak\n";
    return out;
}

} // namespace

std::string console_summary(const ScenarioConfig& c, const SimulationResult& r) {
    std::string out;
    // "model gbm", or with several assets each with its model: "assets stocks (gbm), bonds (gbm)".
    std::string model = "model " + std::string(model_type_name(c.model));
    if (c.assets_form) {
        model = "assets ";
        for (std::size_t k = 0; k < c.asset_count(); ++k)
            model += fmt::format("{}{} ({})", k ? ", " : "", c.asset_name(k),
                                 model_type_name(c.asset_model(k)));
    }
    out += fmt::format("letfsim {}  scenario {}  {}  {} days  {} paths  seed {}\n", kVersion,
                       c.name, model, c.days, c.paths, c.seed);
    const PositionResult& u = r.underlying;
    const Analytic& ua = u.analytic;
    out += fmt::format("{} S_T/S_0: mean {} (exact {}), median {}, p5 {}, p95 {}, "
                       "P(loss) {}\n\n",
                       c.assets_form ? "underlying " + c.asset_name(0) : std::string("underlying"),
                       cell(u[metric::terminal].moments.mean_value()), cell(ua.mean_terminal),
                       cell(u[metric::terminal].median()), cell(u[metric::terminal].quantile(0.05)),
                       cell(u[metric::terminal].quantile(0.95)), pct(probability(u.loss, u.paths)));
    std::size_t width = 13;
    for (const PositionResult& p : r.positions)
        width = std::max(width, p.position.label.size());
    out += fmt::format("{:<{}} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9} {:>8} {:>9} {:>10} {:>8} "
                       "{:>9}\n",
                       "strategy", width, "L", "mean", "(exact)", "median", "p5", "p95", "P(loss)",
                       "P(wipe)", "log decay", "(+/-)", "(theory)");
    for (const PositionResult& p : r.positions) {
        const Analytic& a = p.analytic;
        out += fmt::format(
            "{:<{}} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9} {:>8} {:>9} {:>10} {:>8} {:>9}\n",
            p.position.label, width, fmt::format("{:g}", p.position.multiple),
            cell(p[metric::terminal].moments.mean_value()),
            a.mean_terminal_limited
                ? cell(a.mean_terminal_limited)
                : cell(a.mean_terminal) + (a.mean_ignores_wipeout && p.wipeout > 0 ? "*" : ""),
            cell(p[metric::terminal].median()), cell(p[metric::terminal].quantile(0.05)),
            cell(p[metric::terminal].quantile(0.95)), pct(probability(p.loss, p.paths)),
            pct(probability(p.wipeout, p.paths)), cell(p[metric::log_decay].moments.mean_value()),
            significant(p[metric::log_decay].moments.std_error()), cell(a.log_decay_mean));
    }
    const bool footnote = std::any_of(r.positions.begin(), r.positions.end(), [&](const auto& p) {
        const Analytic& a = p.analytic;
        return a.mean_terminal && !a.mean_terminal_limited && a.mean_ignores_wipeout &&
               p.wipeout > 0;
    });
    if (footnote)
        out += "* exact mean without limited liability; wiped-out paths keep 0, which raises the "
               "estimate\n";
    out += "log decay = L ln(S_T/S_0) - ln(V_T/V_0), mean over paths";
    out += r.facts.lognormal.has_value()
               ? "; (theory) = (L^2 - L) sigma^2 T / 2 + c T, continuous time\n"
           : r.facts.integrated_variance.has_value()
               ? "; (theory) = (L^2 - L) E[int_0^T v dt] / 2 + c T, continuous time\n"
               : "\n";
    out += wipeout_line(r);
    out += investor_table(r, width);
    out += rebalancing_table(r, width);
    out += signal_table(r, width);
    out += cash_flow_table(r, width);
    const double path_days = static_cast<double>(c.paths) * c.days;
    int all_threads = 0; // over every rank of an MPI run
    for (const int t : r.threads_per_rank)
        all_threads += t;
    const std::string where =
        r.threads_per_rank.size() > 1
            ? fmt::format("{} ranks ({} threads)", r.threads_per_rank.size(), all_threads)
            : fmt::format("{} thread{}", r.threads, r.threads == 1 ? "" : "s");
    out += fmt::format(
        "\n{:.3f} s on {}, {:.1f} M path-days/s; quantiles {}\n", r.elapsed_seconds, where,
        r.elapsed_seconds > 0 ? path_days / r.elapsed_seconds / 1e6 : 0.0,
        r.quantile_method == QuantileMethod::exact
            ? std::string("exact")
            : fmt::format("sketched ({:g}% relative error)", 100.0 * r.sketch_relative_accuracy));
    return out;
}

} // namespace letf
