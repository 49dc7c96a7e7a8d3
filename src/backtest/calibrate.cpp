#include "letf/backtest/calibrate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <nlopt.hpp>

#include "letf/base/error.hpp"

namespace letf {

Costs with_param(Costs c, FitParam p, double v) {
    switch (p) {
    case FitParam::markup:
        c.financing_markup = v;
        break;
    case FitParam::spread_long:
        c.financing_spread = v;
        break;
    case FitParam::spread_short:
        c.short_fee = v;
        break;
    case FitParam::markdown:
        c.cash_credit_markdown = v;
        break;
    case FitParam::rebalance_cost:
        c.rebalance_cost = v;
        break;
    }
    return c;
}

double param_value(const Costs& c, FitParam p) {
    switch (p) {
    case FitParam::markup:
        return c.financing_markup;
    case FitParam::spread_long:
        return c.financing_spread;
    case FitParam::spread_short:
        return c.short_fee;
    case FitParam::markdown:
        return c.cash_credit_markdown;
    case FitParam::rebalance_cost:
        return c.rebalance_cost;
    }
    return 0.0;
}

namespace {

/// The fit's box and the unit NLopt sees each parameter in (so that one step size suits all).
struct Bounds {
    double lo, hi, unit;
};

Bounds bounds_of(FitParam p) {
    switch (p) {
    case FitParam::markup:
        return {-1.0, 3.0, 1.0};
    case FitParam::spread_long:
    case FitParam::spread_short:
        return {-0.05, 0.05, 0.01};
    case FitParam::markdown:
        return {-1.0, 1.0, 1.0};
    case FitParam::rebalance_cost:
        return {0.0, 0.01, 0.001};
    }
    return {0.0, 0.0, 1.0};
}

std::vector<Date> common(const PriceSeries& a, const PriceSeries& b) {
    std::vector<Date> out;
    std::set_intersection(a.dates.begin(), a.dates.end(), b.dates.begin(), b.dates.end(),
                          std::back_inserter(out));
    return out;
}

/// The training end T_i of fund i (see the file comment), checked.
Date training_end(const CalibrationSpec& spec, std::size_t i, const CalibrationFundData& d) {
    const std::vector<Date> dates = common(d.index, d.fund);
    const std::string at = "/funds/" + std::to_string(i);
    const std::string& name = spec.funds[i].name;
    if (dates.size() < 3)
        throw InputError(spec.file, at,
                         name + ": fewer than 3 common dates with its index, no room for a "
                                "training and a test window",
                         std::to_string(dates.size()));
    if (!spec.split.train_end) {
        const auto k = static_cast<std::size_t>(
            std::floor(spec.split.split * static_cast<double>(dates.size() - 1)));
        if (k < 1 || k + 1 >= dates.size())
            throw InputError(spec.file, at,
                             fmt::format("{}: the split leaves an empty training or test "
                                         "window (date number {} of {} common dates)",
                                         name, k, dates.size()),
                             fmt::format("{}", spec.split.split));
        return dates[k];
    }
    const Date t = *spec.split.train_end;
    if (t < dates[1] || t >= dates[dates.size() - 2])
        throw InputError(spec.file, at,
                         fmt::format("{}: train_end must leave at least one daily return on each "
                                     "side, within the fund's dates {} to {}",
                                     name, format_date(dates.front()), format_date(dates.back())),
                         format_date(t));
    return *std::prev(std::upper_bound(dates.begin(), dates.end(), t)); // last date <= t
}

/// A fund's own cost model: the shared one with its expense ratio and schedule.
Costs fund_costs(const Costs& shared, const CalibrationFund& f) {
    Costs c = shared;
    c.expense_ratio = f.expense_ratio;
    c.expense_schedule = f.expense_schedule;
    return c;
}

BacktestOptions window_options(const CalibrationFund& f, const Costs& costs,
                               std::optional<Date> start, std::optional<Date> end) {
    BacktestOptions o;
    o.multiple = f.multiple;
    o.index_expense_ratio = f.index_expense_ratio;
    o.costs = costs;
    o.start = start;
    o.end = end;
    if (costs.financing_rate_series)
        o.rate_max_stale_days = costs.financing_rate_series->max_stale_days;
    return o;
}

/// What the objective needs of one training window.
struct TrainWindow {
    BacktestWindow window;
    Costs costs; ///< the fund's, before the fitted parameters are set
    double multiple, years, real_cagr;
    double weight = 1.0; ///< 1 per window; a calendar-year piece's years
};

/// The training windows of one fund: the whole window, or one piece per calendar year (each
/// from the previous year's last close, the first from the window's start), weighted by years.
void add_training_windows(std::vector<TrainWindow>& out, const CalibrationSpec& spec,
                          const CalibrationFund& f, const CalibrationFundData& d,
                          const RateSeries* rate, Date end) {
    const Costs costs = fund_costs(spec.costs, f);
    const auto add = [&](std::optional<Date> from, Date to, bool weighted) {
        TrainWindow w{
            make_backtest_window(d.index, d.fund, rate, window_options(f, costs, from, to)), costs,
            f.multiple, 0.0, 0.0};
        w.years = backtest_years(w.window.dates.front(), w.window.dates.back());
        w.real_cagr = backtest_cagr(w.window.fund.back() / w.window.fund.front(), w.years);
        if (weighted)
            w.weight = w.years;
        out.push_back(std::move(w));
    };
    if (spec.gaps == CalibrationGaps::window) {
        add(std::nullopt, end, false);
        return;
    }
    const std::vector<Date> dates = common(d.index, d.fund);
    const auto year = [](Date x) { return std::chrono::year_month_day(x).year(); };
    Date from = dates.front();
    for (std::size_t t = 1; t < dates.size() && dates[t] <= end; ++t) {
        if (dates[t] == end || year(dates[t + 1]) != year(dates[t])) {
            add(from, dates[t], true);
            from = dates[t];
        }
    }
}

struct Problem {
    const std::vector<TrainWindow>* windows;
    const std::vector<FitParam>* fit;
    CalibrationObjective objective;
    int evaluations = 0;

    Costs at(Costs c, const std::vector<double>& u) const {
        for (std::size_t j = 0; j < fit->size(); ++j)
            c = with_param(c, (*fit)[j], u[j] * bounds_of((*fit)[j]).unit);
        return c;
    }
    double value(const std::vector<double>& u) {
        ++evaluations;
        double sum = 0.0, worst = 0.0;
        for (const TrainWindow& w : *windows) {
            const double g =
                backtest_cagr(simulate_fund(w.window, w.multiple, at(w.costs, u)), w.years) -
                w.real_cagr;
            sum +=
                w.weight * (objective == CalibrationObjective::least_squares ? g * g : std::abs(g));
            worst = std::max(worst, std::abs(g));
        }
        const double v = objective == CalibrationObjective::minimax ? worst : sum;
        return std::isfinite(v) ? v : 1e100;
    }
};

double nlopt_value(const std::vector<double>& u, std::vector<double>&, void* data) {
    return static_cast<Problem*>(data)->value(u);
}

/// One local run from u (in units); returns the value at the optimum found.
double run_local(Problem& p, std::vector<double>& u) {
    const std::size_t n = u.size();
    nlopt::opt opt(p.objective == CalibrationObjective::least_squares ? nlopt::LN_BOBYQA
                                                                      : nlopt::LN_SBPLX,
                   static_cast<unsigned>(n));
    std::vector<double> lo(n), hi(n);
    for (std::size_t j = 0; j < n; ++j) {
        const Bounds b = bounds_of((*p.fit)[j]);
        lo[j] = b.lo / b.unit;
        hi[j] = b.hi / b.unit;
        u[j] = std::clamp(u[j], lo[j], hi[j]);
    }
    opt.set_lower_bounds(lo);
    opt.set_upper_bounds(hi);
    opt.set_min_objective(nlopt_value, &p);
    opt.set_initial_step(0.05);
    opt.set_xtol_rel(1e-10);
    opt.set_xtol_abs(1e-12);
    opt.set_maxeval(20000);
    double value = std::numeric_limits<double>::infinity();
    try {
        opt.optimize(u, value);
    } catch (const nlopt::roundoff_limited&) {
        value = p.value(u); // at the optimum to within rounding
    }
    return value;
}

WindowResult window_result(const BacktestResult& r) {
    return {r.start,          r.end,
            r.days,           r.years,
            r.real_cagr,      r.simulated_cagr,
            r.gap_per_year,   r.log_gap_per_year,
            r.tracking_error, r.correlation};
}

} // namespace

CalibrationResult calibrate(const CalibrationSpec& spec,
                            const std::vector<CalibrationFundData>& data, const RateSeries* rate) {
    std::vector<Date> ends;
    std::vector<TrainWindow> windows;
    for (std::size_t i = 0; i < spec.funds.size(); ++i) {
        ends.push_back(training_end(spec, i, data[i]));
        add_training_windows(windows, spec, spec.funds[i], data[i], rate, ends.back());
    }

    Problem problem{&windows, &spec.fit, spec.objective};
    std::vector<double> u;
    for (FitParam p : spec.fit)
        u.push_back(param_value(spec.costs, p) / bounds_of(p).unit);
    run_local(problem, u);
    // A second run from the optimum: the simplex or trust region restarts at full size there.
    double value = run_local(problem, u);

    CalibrationResult r;
    r.costs = problem.at(spec.costs, u);
    for (FitParam p : spec.fit)
        r.values.push_back(param_value(r.costs, p));
    r.objective_value = value;
    r.evaluations = problem.evaluations;
    for (std::size_t i = 0; i < spec.funds.size(); ++i) {
        const CalibrationFund& f = spec.funds[i];
        const Costs costs = fund_costs(r.costs, f);
        FundCalibration fc{f.name, f.multiple, {}, {}};
        fc.train = window_result(run_backtest(data[i].index, data[i].fund, rate,
                                              window_options(f, costs, std::nullopt, ends[i])));
        fc.test = window_result(run_backtest(data[i].index, data[i].fund, rate,
                                             window_options(f, costs, ends[i], std::nullopt)));
        r.worst_train_gap = std::max(r.worst_train_gap, std::abs(fc.train.gap_per_year));
        r.worst_test_gap = std::max(r.worst_test_gap, std::abs(fc.test.gap_per_year));
        r.funds.push_back(std::move(fc));
    }
    return r;
}

} // namespace letf
