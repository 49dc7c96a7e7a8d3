#include "letf/backtest/backtest.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

#include "letf/base/error.hpp"
#include "letf/config/costs.hpp"

namespace letf {

double backtest_carry(double L, double expense_ratio, double rate, double spread) {
    // The scenario's carry formula, with the spread charged on short notional too.
    Costs c = with_spread(Costs{}, spread);
    c.expense_ratio = expense_ratio;
    c.financing_rate = rate;
    return fund_carry(c, L);
}

Costs with_spread(Costs costs, double spread) {
    costs.financing_spread = spread;
    costs.short_fee = spread;
    return costs;
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Aligned {
    std::vector<Date> dates;
    std::vector<double> index, fund; // closes on the common dates
};

Aligned common_dates(const PriceSeries& a, const PriceSeries& b, std::optional<Date> start,
                     std::optional<Date> end) {
    Aligned out;
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (a.dates[i] < b.dates[j]) {
            ++i;
        } else if (b.dates[j] < a.dates[i]) {
            ++j;
        } else {
            const Date d = a.dates[i];
            if ((!start || d >= *start) && (!end || d <= *end)) {
                out.dates.push_back(d);
                out.index.push_back(a.closes[i]);
                out.fund.push_back(b.closes[j]);
            }
            ++i;
            ++j;
        }
    }
    return out;
}

/// The spread that the exposure of L pays (s_long above 1, s_short below 0).
double exposure_spread(const Costs& c, double L) {
    return L < 0.0 ? c.short_fee : c.financing_spread;
}

Costs set_exposure_spread(Costs c, double L, double s) {
    (L < 0.0 ? c.short_fee : c.financing_spread) = s;
    return c;
}

/// V_T without any cost, and the growth of every day when `growth` is non-null.
double simulate_free(const BacktestWindow& w, double L, std::vector<double>* growth) {
    double v = 1.0;
    growth->assign(1, 1.0);
    growth->reserve(w.days() + 1);
    for (std::size_t t = 0; t < w.days(); ++t) {
        v = v * daily_reset_factor_net(L, w.index_return[t], 0.0);
        growth->push_back(v);
    }
    return v;
}

double cagr(double growth, double years) {
    if (!(growth > 0.0))
        return -1.0;
    return std::pow(growth, 1.0 / years) - 1.0;
}

double sample_std(std::span<const double> x) {
    if (x.size() < 2)
        return kNaN;
    double mean = 0.0;
    for (double v : x)
        mean += v;
    mean /= static_cast<double>(x.size());
    double ss = 0.0;
    for (double v : x)
        ss += (v - mean) * (v - mean);
    return std::sqrt(ss / static_cast<double>(x.size() - 1));
}

double correlation(std::span<const double> a, std::span<const double> b) {
    const std::size_t n = a.size();
    if (n < 2)
        return kNaN;
    double ma = 0.0, mb = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        ma += a[i];
        mb += b[i];
    }
    ma /= static_cast<double>(n);
    mb /= static_cast<double>(n);
    double sab = 0.0, saa = 0.0, sbb = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    if (!(saa > 0.0) || !(sbb > 0.0))
        return kNaN;
    return sab / std::sqrt(saa * sbb);
}

std::vector<double> daily_returns(const std::vector<double>& growth) {
    std::vector<double> r;
    for (std::size_t t = 1; t < growth.size(); ++t)
        r.push_back(growth[t - 1] > 0.0 ? growth[t] / growth[t - 1] - 1.0 : 0.0);
    return r;
}

} // namespace

double backtest_cagr(double growth, double years) {
    return cagr(growth, years);
}

BacktestWindow make_backtest_window(const PriceSeries& index, const PriceSeries& fund,
                                    const RateSeries* rate, const BacktestOptions& o) {
    Aligned a = common_dates(index, fund, o.start, o.end);
    if (a.dates.size() < 2)
        throw InputError(fund.source, "",
                         "fewer than 2 dates in common with " + index.source +
                             (o.start || o.end ? " within the start and end dates" : ""),
                         std::to_string(a.dates.size()));
    const std::size_t n = a.dates.size() - 1;
    BacktestWindow w;
    w.index_return.resize(n);
    w.calendar_days.resize(n);
    for (std::size_t t = 0; t < n; ++t) {
        const int d = days_between(a.dates[t], a.dates[t + 1]);
        w.calendar_days[t] = d;
        w.index_return[t] = a.index[t + 1] / a.index[t] - 1.0 + o.index_expense_ratio * (d / 365.0);
    }
    if (rate)
        w.rate = rate->align(std::span<const Date>(a.dates).first(n), o.rate_max_stale_days);
    else
        w.rate.assign(n, o.costs.financing_rate);
    w.dates = std::move(a.dates);
    w.index = std::move(a.index);
    w.fund = std::move(a.fund);
    return w;
}

double simulate_fund(const BacktestWindow& w, double L, const Costs& costs,
                     std::vector<double>* growth) {
    // One copy whose rate and expense ratio change by day; fund_carry stays the one formula.
    Costs day = costs;
    day.financing_rate_series.reset();
    day.expense_schedule.clear();
    const DayCount count = costs.day_count.value_or(DayCount::act_365);
    const std::vector<ExpenseStep>& schedule = costs.expense_schedule;
    std::size_t next_step = 0;
    double v = 1.0;
    if (growth) {
        growth->assign(1, 1.0);
        growth->reserve(w.days() + 1);
    }
    for (std::size_t t = 0; t < w.days(); ++t) {
        while (next_step < schedule.size() && schedule[next_step].from <= w.dates[t])
            day.expense_ratio = schedule[next_step++].expense_ratio;
        const int d = w.calendar_days[t];
        day.financing_rate =
            count == DayCount::act_365 ? w.rate[t] : w.rate[t] * rate_accrual_scale(count, d);
        const double R = w.index_return[t];
        const double cost_dt = fund_carry(day, L) * (d / 365.0) + rebalance_cost_daily(costs, L, R);
        v = v * daily_reset_factor_net(L, R, cost_dt);
        if (growth)
            growth->push_back(v);
    }
    return v;
}

BacktestResult run_backtest(const PriceSeries& index, const PriceSeries& fund,
                            const RateSeries* rate, const BacktestOptions& o) {
    const BacktestWindow w = make_backtest_window(index, fund, rate, o);
    const std::size_t n = w.days();

    BacktestResult r;
    r.start = w.dates.front();
    r.end = w.dates.back();
    r.days = n;
    r.years = backtest_years(r.start, r.end);
    const double L = o.multiple;
    r.exposure = L > 1.0 ? L - 1.0 : (L < 0.0 ? -L : 0.0);
    double rate_sum = 0.0;
    for (double x : w.rate)
        rate_sum += x;
    r.mean_rate = rate_sum / static_cast<double>(n);

    const double real_growth = w.fund.back() / w.fund.front();
    r.real_cagr = cagr(real_growth, r.years);
    r.index_cagr = cagr(w.index.back() / w.index.front(), r.years);

    if (r.exposure > 0.0) {
        // ln V_T falls as the spread rises; bisection on f(s) = ln V_T(s) - ln G_real.
        const auto f = [&](double s) {
            return std::log(simulate_fund(w, L, set_exposure_spread(o.costs, L, s))) -
                   std::log(real_growth);
        };
        double lo = -1.0, hi = 1.0;
        if (f(lo) >= 0.0 && f(hi) <= 0.0) {
            while (hi - lo > 1e-12) {
                const double mid = 0.5 * (lo + hi);
                (f(mid) > 0.0 ? lo : hi) = mid;
            }
            r.fitted_spread = 0.5 * (lo + hi);
        }
    }
    r.spread_used =
        o.fit_spread && r.fitted_spread ? *r.fitted_spread : exposure_spread(o.costs, L);

    BacktestSeries& s = r.series;
    s.dates = w.dates;
    const double sim_growth =
        simulate_fund(w, L, set_exposure_spread(o.costs, L, r.spread_used), &s.simulated);
    const double free_growth = simulate_free(w, L, &s.simulated_no_costs);
    s.real.reserve(w.fund.size());
    s.index.reserve(w.index.size());
    for (std::size_t t = 0; t <= n; ++t) {
        s.real.push_back(w.fund[t] / w.fund.front());
        s.index.push_back(w.index[t] / w.index.front());
    }
    r.simulated_cagr = cagr(sim_growth, r.years);
    r.simulated_no_costs_cagr = cagr(free_growth, r.years);
    r.gap_per_year = r.simulated_cagr - r.real_cagr;
    r.no_costs_gap_per_year = r.simulated_no_costs_cagr - r.real_cagr;
    r.log_gap_per_year = (std::log(sim_growth) - std::log(real_growth)) / r.years;

    const std::vector<double> sim_ret = daily_returns(s.simulated);
    const std::vector<double> real_ret = daily_returns(s.real);
    std::vector<double> diff(n);
    for (std::size_t t = 0; t < n; ++t)
        diff[t] = sim_ret[t] - real_ret[t];
    r.tracking_error = std::sqrt(252.0) * sample_std(diff);
    r.correlation = correlation(sim_ret, real_ret);
    return r;
}

} // namespace letf
