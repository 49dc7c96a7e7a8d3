// calibrate (backtest/calibrate.hpp) on synthetic funds built from a known cost model: the pooled
// fit finds the model again, never reads data after a training end, and bad windows are refused
// naming the fund; the shipped 12-fund calibration on the real data when it is present.

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "letf/backtest/calibrate.hpp"
#include "letf/base/error.hpp"
#include "letf/config/calibration.hpp"
#include "letf/market/market_data.hpp"

namespace letf {
namespace {

/// Weekdays from 2012-01-02 with a deterministic, irregular index path.
PriceSeries synthetic_index(std::size_t days, double phase) {
    PriceSeries p;
    p.source = "index.csv";
    Date d = *parse_date("2012-01-02");
    double close = 100.0;
    std::uint64_t x = 0x9E3779B97F4A7C15ull ^ static_cast<std::uint64_t>(phase * 1000.0);
    for (std::size_t i = 0; i < days; ++i) {
        p.dates.push_back(d);
        p.closes.push_back(close);
        do {
            d += std::chrono::days(1);
        } while (std::chrono::weekday(d) == std::chrono::Saturday ||
                 std::chrono::weekday(d) == std::chrono::Sunday);
        x = x * 6364136223846793005ull + 1442695040888963407ull; // an LCG: fixed, portable
        const double u = static_cast<double>(x >> 11) * 0x1.0p-53 - 0.5;
        close *= 1.0 + 0.03 * u + 0.004 * std::sin(0.21 * static_cast<double>(i) + phase) + 0.0003;
    }
    return p;
}

/// A rate from 0.2 % to 5 % and back, observed weekly: the level varies within every window, so
/// the markup and the spread can be told apart.
RateSeries synthetic_rates(const PriceSeries& index) {
    RateSeries r;
    r.source = "rates.csv";
    for (std::size_t i = 0; i < index.size(); i += 5) {
        r.dates.push_back(index.dates[i]);
        r.percent.push_back(2.6 - 2.4 * std::cos(static_cast<double>(i) / 160.0));
    }
    return r;
}

/// The fund that the cost model `truth` describes (simulate_fund on the whole history).
PriceSeries model_fund(const PriceSeries& index, const RateSeries& rates, double L,
                       const Costs& truth, const std::string& name) {
    BacktestOptions o;
    o.multiple = L;
    o.costs = truth;
    const BacktestWindow w = make_backtest_window(index, index, &rates, o);
    std::vector<double> growth;
    simulate_fund(w, L, truth, &growth);
    PriceSeries f;
    f.source = name;
    f.dates = w.dates;
    for (double g : growth)
        f.closes.push_back(40.0 * g);
    return f;
}

Costs true_model() {
    Costs c;
    c.financing_markup = 0.25;
    c.financing_spread = 0.004;
    c.short_fee = 0.0015;
    return c;
}

struct Synthetic {
    CalibrationSpec spec;
    std::vector<CalibrationFundData> data;
    RateSeries rates;
};

constexpr double kExpenseRatio = 0.009;
constexpr std::array<double, 5> kMultiples{2.0, 3.0, -1.0, -2.0, -3.0};

Synthetic synthetic_funds() {
    Synthetic s;
    const PriceSeries a = synthetic_index(1600, 0.0), b = synthetic_index(1300, 1.0);
    s.rates = synthetic_rates(a);
    Costs truth = true_model();
    truth.expense_ratio = kExpenseRatio;
    s.spec.file = "funds.json";
    s.spec.objective = CalibrationObjective::least_squares;
    for (std::size_t i = 0; i < kMultiples.size(); ++i) {
        const PriceSeries& index = i % 2 ? b : a;
        std::string name = "F";
        name += std::to_string(i);
        CalibrationFund f;
        f.name = name;
        f.multiple = kMultiples[i];
        f.expense_ratio = kExpenseRatio;
        s.spec.funds.push_back(f);
        s.data.push_back({index, model_fund(index, s.rates, f.multiple, truth, name + ".csv")});
    }
    return s;
}

/// The training gaps g_i(costs) as calibrate computes them.
std::vector<double> training_gaps(const Synthetic& s, const CalibrationResult& r,
                                  const Costs& costs) {
    std::vector<double> g;
    for (std::size_t i = 0; i < s.data.size(); ++i) {
        BacktestOptions o;
        o.multiple = s.spec.funds[i].multiple;
        o.costs = costs;
        o.costs.expense_ratio = kExpenseRatio;
        o.end = r.funds[i].train.end;
        const BacktestWindow w = make_backtest_window(s.data[i].index, s.data[i].fund, &s.rates, o);
        const double years = backtest_years(w.dates.front(), w.dates.back());
        g.push_back(backtest_cagr(simulate_fund(w, o.multiple, o.costs), years) -
                    backtest_cagr(w.fund.back() / w.fund.front(), years));
    }
    return g;
}

/// x solving A x = y for a 3 x 3 A (Cramer's rule).
std::array<double, 3> solve3(const std::array<std::array<double, 3>, 3>& A,
                             const std::array<double, 3>& y) {
    const auto det = [](const std::array<std::array<double, 3>, 3>& m) {
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
               m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
               m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    };
    const double d = det(A);
    std::array<double, 3> x{};
    for (std::size_t j = 0; j < 3; ++j) {
        auto m = A;
        for (std::size_t i = 0; i < 3; ++i)
            m[i][j] = y[i];
        x[j] = det(m) / d;
    }
    return x;
}

/// The fitted parameters equal the truth within a tolerance that comes from the fit itself: one
/// Gauss-Newton step from the fitted point, delta = (J'J)^-1 J'g with J the Jacobian of the
/// funds' whole-window training gaps g (central differences; the truth is a common zero of every
/// gap, whatever the pieces the fit used), estimates how far the fit is from it; 4 |delta| plus a
/// floor of the gaps' rounding (64 eps over each parameter's sensitivity ||J_j||) bounds the error.
void expect_recovered(const Synthetic& s, const CalibrationResult& r) {
    ASSERT_EQ(r.values.size(), 3u);
    const std::vector<double> g = training_gaps(s, r, r.costs);
    std::array<std::vector<double>, 3> J;
    for (std::size_t j = 0; j < 3; ++j) {
        const double h = 1e-6 * (j == 0 ? 1.0 : 0.01);
        const std::vector<double> up =
            training_gaps(s, r, with_param(r.costs, s.spec.fit[j], r.values[j] + h));
        const std::vector<double> down =
            training_gaps(s, r, with_param(r.costs, s.spec.fit[j], r.values[j] - h));
        for (std::size_t i = 0; i < g.size(); ++i)
            J[j].push_back((up[i] - down[i]) / (2.0 * h));
    }
    std::array<std::array<double, 3>, 3> JtJ{};
    std::array<double, 3> Jtg{};
    for (std::size_t a = 0; a < 3; ++a) {
        for (std::size_t i = 0; i < g.size(); ++i)
            Jtg[a] += J[a][i] * g[i];
        for (std::size_t b = 0; b < 3; ++b)
            for (std::size_t i = 0; i < g.size(); ++i)
                JtJ[a][b] += J[a][i] * J[b][i];
    }
    const std::array<double, 3> delta = solve3(JtJ, Jtg);
    const Costs truth = true_model();
    for (std::size_t j = 0; j < 3; ++j) {
        const double exact = param_value(truth, s.spec.fit[j]);
        const double tolerance = 4.0 * std::abs(delta[j]) + 64.0 * 2.2e-16 / std::sqrt(JtJ[j][j]);
        EXPECT_LE(std::abs(r.values[j] - exact), tolerance)
            << fit_param_name(s.spec.fit[j]) << ": calculated " << r.values[j] << ", expected "
            << exact << ", difference " << r.values[j] - exact << ", tolerance " << tolerance;
    }
    EXPECT_LT(r.worst_test_gap, 1e-9); // the same model holds out of sample
}

TEST(Calibrate, RecoversTheCostModelOfSyntheticFunds) {
    const Synthetic s = synthetic_funds();
    const CalibrationResult r = calibrate(s.spec, s.data, &s.rates);
    expect_recovered(s, r);
    EXPECT_LT(r.worst_train_gap, 1e-9);
}

TEST(Calibrate, CalendarYearGapsRecoverTheModelToo) {
    Synthetic s = synthetic_funds();
    s.spec.gaps = CalibrationGaps::calendar_year;
    s.spec.objective = CalibrationObjective::median;
    expect_recovered(s, calibrate(s.spec, s.data, &s.rates));
}

const char* gaps_name(CalibrationGaps g) {
    return g == CalibrationGaps::window ? "window" : "calendar_year";
}

class NoLookAhead : public ::testing::TestWithParam<CalibrationGaps> {};

TEST_P(NoLookAhead, TheFitReadsNoDataAfterTheTrainingEnd) {
    Synthetic s = synthetic_funds();
    s.spec.objective = CalibrationObjective::median;
    s.spec.gaps = GetParam();
    const CalibrationResult before = calibrate(s.spec, s.data, &s.rates);
    // Every close and rate after each fund's training end altered: the fit must not move a bit.
    for (std::size_t i = 0; i < s.data.size(); ++i) {
        PriceSeries& f = s.data[i].fund;
        for (std::size_t t = 0; t < f.size(); ++t)
            if (f.dates[t] > before.funds[i].train.end)
                f.closes[t] *= 1.0 + 0.02 * std::sin(static_cast<double>(t));
    }
    Date latest_end = before.funds[0].train.end;
    for (const FundCalibration& f : before.funds)
        latest_end = std::max(latest_end, f.train.end);
    for (std::size_t k = 0; k < s.rates.dates.size(); ++k)
        if (s.rates.dates[k] > latest_end)
            s.rates.percent[k] += 3.0;
    for (auto& d : s.data)
        for (std::size_t t = 0; t < d.index.size(); ++t)
            if (d.index.dates[t] > latest_end)
                d.index.closes[t] *= 1.01;
    const CalibrationResult after = calibrate(s.spec, s.data, &s.rates);
    ASSERT_EQ(before.values.size(), after.values.size());
    for (std::size_t j = 0; j < before.values.size(); ++j)
        EXPECT_EQ(before.values[j], after.values[j]) << fit_param_name(s.spec.fit[j]);
    EXPECT_EQ(before.objective_value, after.objective_value);
    // ...while the test windows see the change.
    EXPECT_NE(before.funds[0].test.real_cagr, after.funds[0].test.real_cagr);
}

INSTANTIATE_TEST_SUITE_P(Calibrate, NoLookAhead,
                         ::testing::Values(CalibrationGaps::window, CalibrationGaps::calendar_year),
                         [](const ::testing::TestParamInfo<CalibrationGaps>& p) {
                             return std::string(gaps_name(p.param));
                         });

TEST(Calibrate, WindowsOutsideTheDataNameTheFund) {
    Synthetic s = synthetic_funds();
    const auto expect_error = [&](const std::string& part) {
        try {
            calibrate(s.spec, s.data, &s.rates);
            ADD_FAILURE() << "accepted";
        } catch (const InputError& e) {
            EXPECT_EQ(e.file(), "funds.json");
            EXPECT_EQ(e.where(), "/funds/0");
            EXPECT_NE(e.message().find(part), std::string::npos) << e.what();
        }
    };
    s.spec.split.train_end = *parse_date("2001-01-01");
    expect_error("train_end must leave");
    s.spec.split.train_end = *parse_date("2040-01-01");
    expect_error("train_end must leave");
    s.spec.split.train_end.reset();
    s.spec.split.split = 1e-6; // floor(1e-6 (N - 1)) = 0: no training day
    expect_error("empty training or test window");
    s.spec.split.split = 0.5;
    s.data[0].fund = s.data[0].fund.slice(std::nullopt, s.data[0].fund.dates[1]); // 2 dates
    expect_error("fewer than 3 common dates");
}

TEST(Calibrate, ShippedTwelveFundsOnTheRealData) {
    const std::filesystem::path config =
        std::filesystem::path(LETF_SOURCE_DIR) / "configs/calibration/letf12.json";
    const CalibrationSpec spec = load_calibration(config.string());
    ASSERT_EQ(spec.funds.size(), 12u);
    if (!std::filesystem::exists(spec.funds[0].fund_csv))
        GTEST_SKIP() << "no market data at " << spec.funds[0].fund_csv
                     << " (../shared/data/market): the real-data calibration is not run";
    std::vector<CalibrationFundData> data;
    for (const CalibrationFund& f : spec.funds)
        data.push_back({read_price_csv(f.index_csv), read_price_csv(f.fund_csv)});
    CsvOptions o;
    o.positive = false;
    o.max_gap_days = spec.costs.financing_rate_series->max_gap_days;
    const RateSeries rate = read_rate_csv(spec.costs.financing_rate_series->csv, o);
    const CalibrationResult r = calibrate(spec, data, &rate);
    ASSERT_EQ(r.funds.size(), 12u);
    for (const FundCalibration& f : r.funds) {
        EXPECT_LE(f.train.end, f.test.start) << f.name;
        EXPECT_TRUE(std::isfinite(f.test.gap_per_year)) << f.name;
    }
    EXPECT_TRUE(std::isfinite(r.worst_test_gap));
}

} // namespace

// A parameter prints as its name (stable test listings, terminal.stable_test_names).
void PrintTo(CalibrationGaps g, std::ostream* os) {
    *os << gaps_name(g);
}

} // namespace letf
