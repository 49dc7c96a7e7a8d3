// The backtest against a synthetic "real" fund built from the documented cost model: the model
// must find it again exactly, and the statistics must be the defined ones.

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "letf/backtest/backtest.hpp"
#include "letf/base/error.hpp"
#include "letf/market/market_data.hpp"

namespace letf {
namespace {

/// Weekdays from 2020-01-01 with a deterministic index path.
PriceSeries synthetic_index(std::size_t days) {
    PriceSeries p;
    p.source = "index.csv";
    Date d = *parse_date("2020-01-01");
    double close = 100.0;
    for (std::size_t i = 0; i < days; ++i) {
        p.dates.push_back(d);
        p.closes.push_back(close);
        do {
            d += std::chrono::days(1);
        } while (std::chrono::weekday(d) == std::chrono::Saturday ||
                 std::chrono::weekday(d) == std::chrono::Sunday);
        close *= 1.0 + 0.012 * std::sin(0.37 * static_cast<double>(i)) + 0.0004;
    }
    return p;
}

RateSeries synthetic_rates(const PriceSeries& index) {
    RateSeries r;
    r.source = "rates.csv";
    for (std::size_t i = 0; i < index.size(); i += 5) { // weekly observations, carried forward
        r.dates.push_back(index.dates[i]);
        r.percent.push_back(1.0 + 0.8 * std::cos(0.05 * static_cast<double>(i)));
    }
    return r;
}

/// The fund the model describes, with the given costs.
PriceSeries model_fund(const PriceSeries& index, const RateSeries& rates, double L, double er,
                       double spread) {
    PriceSeries f;
    f.source = "fund.csv";
    f.dates = index.dates;
    f.closes.push_back(50.0);
    const std::vector<double> r = rates.align(index.dates, 10);
    for (std::size_t t = 1; t < index.size(); ++t) {
        const double R = index.closes[t] / index.closes[t - 1] - 1.0;
        const double dt = days_between(index.dates[t - 1], index.dates[t]) / 365.0;
        const double c = backtest_carry(L, er, r[t - 1], spread);
        f.closes.push_back(f.closes.back() * (1.0 + L * R - c * dt));
    }
    return f;
}

TEST(Backtest, CarryFollowsTheDocumentedCostModel) {
    EXPECT_DOUBLE_EQ(backtest_carry(3.0, 0.01, 0.02, 0.005), 0.01 + 2.0 * 0.025);
    EXPECT_DOUBLE_EQ(backtest_carry(-2.0, 0.01, 0.02, 0.005), 0.01 - 3.0 * 0.02 + 2.0 * 0.005);
    EXPECT_DOUBLE_EQ(backtest_carry(1.0, 0.001, 0.02, 0.5), 0.001);
    EXPECT_DOUBLE_EQ(backtest_carry(0.5, 0.0, 0.02, 0.5), -0.01);
}

class BacktestExact : public ::testing::TestWithParam<double> {};

TEST_P(BacktestExact, RecoversTheSpreadOfAFundBuiltFromTheModel) {
    const double L = GetParam(), er = 0.0095, spread = 0.0042;
    const PriceSeries index = synthetic_index(600);
    const RateSeries rates = synthetic_rates(index);
    const PriceSeries fund = model_fund(index, rates, L, er, spread);

    BacktestOptions o;
    o.multiple = L;
    o.costs.expense_ratio = er;
    o.costs = with_spread(o.costs, spread);
    const BacktestResult r = run_backtest(index, fund, &rates, o);
    EXPECT_EQ(r.days, 599u);
    EXPECT_NEAR(r.years, days_between(index.dates.front(), index.dates.back()) / 365.25, 1e-15);
    EXPECT_NEAR(r.gap_per_year, 0.0, 1e-12);
    EXPECT_NEAR(r.log_gap_per_year, 0.0, 1e-12);
    EXPECT_NEAR(r.simulated_cagr, r.real_cagr, 1e-12);
    EXPECT_NEAR(r.tracking_error, 0.0, 1e-12);
    EXPECT_NEAR(r.correlation, 1.0, 1e-12);
    ASSERT_TRUE(r.fitted_spread.has_value());
    EXPECT_NEAR(*r.fitted_spread, spread, 1e-9);
    EXPECT_NEAR(r.series.real.back(), fund.closes.back() / fund.closes.front(), 1e-12);

    // Without costs the simulation is the plain product of (1 + L R_t).
    double free = 1.0;
    for (double x : index.returns())
        free *= 1.0 + L * x;
    EXPECT_NEAR(r.series.simulated_no_costs.back(), free, 1e-12 * free);
    EXPECT_NEAR(r.simulated_no_costs_cagr, std::pow(free, 1.0 / r.years) - 1.0, 1e-12);

    // A wrong spread shows up as a gap of the right sign, and --fit-spread closes it.
    o.costs = with_spread(o.costs, spread + 0.01);
    const BacktestResult worse = run_backtest(index, fund, &rates, o);
    EXPECT_LT(worse.gap_per_year, -1e-4);
    o.fit_spread = true;
    const BacktestResult fitted = run_backtest(index, fund, &rates, o);
    EXPECT_NEAR(fitted.spread_used, spread, 1e-9);
    EXPECT_NEAR(fitted.gap_per_year, 0.0, 1e-9);
}

INSTANTIATE_TEST_SUITE_P(Multiples, BacktestExact, ::testing::Values(2.0, 3.0, -1.0, -3.0));

TEST(Backtest, UsesOnlyCommonDatesWithinBounds) {
    const PriceSeries index = synthetic_index(40);
    PriceSeries fund = index;
    fund.source = "fund.csv";
    // The fund misses one day: that day's index return folds into the next.
    fund.dates.erase(fund.dates.begin() + 10);
    fund.closes.erase(fund.closes.begin() + 10);
    BacktestOptions o; // 1x, no costs: the simulation is the index itself
    const BacktestResult r = run_backtest(index, fund, nullptr, o);
    EXPECT_EQ(r.days, 38u);
    EXPECT_NEAR(r.gap_per_year, 0.0, 1e-12);
    EXPECT_FALSE(r.fitted_spread.has_value()); // no borrowed or short exposure

    o.start = index.dates[5];
    o.end = index.dates[20];
    const BacktestResult s = run_backtest(index, fund, nullptr, o);
    EXPECT_EQ(s.start, index.dates[5]);
    EXPECT_EQ(s.end, index.dates[20]);
    EXPECT_EQ(s.days, 14u); // 16 dates, one missing

    o.start = o.end = index.dates[5];
    EXPECT_THROW(run_backtest(index, fund, nullptr, o), InputError);
}

} // namespace
} // namespace letf
