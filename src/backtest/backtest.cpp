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
    return fund_carry(Costs{expense_ratio, rate, spread, spread, std::nullopt}, L);
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

/// Inputs of the daily recursion, computed once.
struct Days {
    std::vector<double> index_return; // R_t, expense ratio added back
    std::vector<double> rate;         // r_t
    std::vector<double> accrual;      // d_t / 365
};

/// V_T and, when `growth` is non-null, V_t for every t (growth[0] = 1).
double simulate(const Days& days, double L, double expense_ratio, double spread, bool costs,
                std::vector<double>* growth) {
    double v = 1.0;
    if (growth) {
        growth->assign(1, 1.0);
        growth->reserve(days.index_return.size() + 1);
    }
    for (std::size_t t = 0; t < days.index_return.size(); ++t) {
        const double carry_dt =
            costs ? backtest_carry(L, expense_ratio, days.rate[t], spread) * days.accrual[t] : 0.0;
        v = v * daily_reset_factor_net(L, days.index_return[t], carry_dt);
        if (growth)
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

BacktestResult run_backtest(const PriceSeries& index, const PriceSeries& fund,
                            const RateSeries* rate, const BacktestOptions& o) {
    const Aligned a = common_dates(index, fund, o.start, o.end);
    if (a.dates.size() < 2)
        throw InputError(fund.source, "",
                         "fewer than 2 dates in common with " + index.source +
                             (o.start || o.end ? " within the start and end dates" : ""),
                         std::to_string(a.dates.size()));
    const std::size_t n = a.dates.size() - 1;

    Days days;
    days.index_return.resize(n);
    days.accrual.resize(n);
    for (std::size_t t = 0; t < n; ++t) {
        const double d = days_between(a.dates[t], a.dates[t + 1]);
        days.accrual[t] = d / 365.0;
        days.index_return[t] =
            a.index[t + 1] / a.index[t] - 1.0 + o.index_expense_ratio * days.accrual[t];
    }
    if (rate)
        days.rate = rate->align(std::span<const Date>(a.dates).first(n), o.rate_max_stale_days);
    else
        days.rate.assign(n, 0.0);

    BacktestResult r;
    r.start = a.dates.front();
    r.end = a.dates.back();
    r.days = n;
    r.years = days_between(r.start, r.end) / 365.25;
    const double L = o.multiple;
    r.exposure = L > 1.0 ? L - 1.0 : (L < 0.0 ? -L : 0.0);
    double rate_sum = 0.0;
    for (double x : days.rate)
        rate_sum += x;
    r.mean_rate = rate_sum / static_cast<double>(n);

    const double real_growth = a.fund.back() / a.fund.front();
    r.real_cagr = cagr(real_growth, r.years);
    r.index_cagr = cagr(a.index.back() / a.index.front(), r.years);

    if (r.exposure > 0.0) {
        // ln V_T falls as the spread rises; bisection on f(s) = ln V_T(s) - ln G_real.
        const auto f = [&](double s) {
            return std::log(simulate(days, L, o.expense_ratio, s, true, nullptr)) -
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
    r.spread_used = o.fit_spread && r.fitted_spread ? *r.fitted_spread : o.spread;

    BacktestSeries& s = r.series;
    s.dates = a.dates;
    const double sim_growth = simulate(days, L, o.expense_ratio, r.spread_used, true, &s.simulated);
    const double free_growth = simulate(days, L, 0.0, 0.0, false, &s.simulated_no_costs);
    s.real.reserve(a.fund.size());
    s.index.reserve(a.index.size());
    for (std::size_t t = 0; t <= n; ++t) {
        s.real.push_back(a.fund[t] / a.fund.front());
        s.index.push_back(a.index[t] / a.index.front());
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
