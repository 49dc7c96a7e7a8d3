// The signal strategies on random paths: vol_target against the exact daily-reset mean, the
// causality of every decision, and the config errors.

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/config/scenario.hpp"
#include "letf/models/strip_source.hpp"
#include "strategies/investor_util.hpp"
#include "strategies/signal_util.hpp"

namespace letf {
namespace {

using namespace signal_test;

TEST(VolTarget, LongWindowConvergesToTheDailyResetAtTargetOverSigma) {
    // gbm sigma 0.2, target 0.3: L_t -> 1.5 once the window is full (cap 3, floor 0). Days
    // 1..w hold the cap, so the exact mean is that of a daily-reset fund at 3 for w days, then
    // at 1.5: E[V_T] = (1 + 3 m)^w (1 + 1.5 m)^(T - w), m = e^(mu dt) - 1 (no costs).
    const double mu = 0.1, sigma = 0.2, target = 0.3;
    const int w = 120, T = 1260;
    ScenarioConfig c = test::gbm_scenario(mu, sigma, {3.0}, 8000, T);
    c.strategies = {VolTarget{.target = target, .window_days = w}};
    const SimulationResult r = simulate(c, {.threads = 2});
    const double m = std::expm1(mu * c.dt());
    const double exact = std::pow(1.0 + 3.0 * m, w) * std::pow(1.0 + 1.5 * m, T - w);
    const Moments& v = r.positions[0][metric::terminal].moments;
    EXPECT_TRUE(test::within_se(v.mean, exact, *v.std_error()));
    // The estimate from 120 returns: L_t within a few percent of 1.5 on average.
    const double mean_multiple = r.positions[0].rebalancing.trades.mean;
    const double expected = (3.0 * w + 1.5 * (T - w)) / T;
    EXPECT_NEAR(mean_multiple, expected, 0.02 * expected);
    // Not the fund at the cap: that mean is far away.
    const double at_cap = std::pow(1.0 + 3.0 * m, T);
    EXPECT_FALSE(test::within_se(v.mean, at_cap, *v.std_error()));
}

TEST(SignalRates, ConstantRateSeriesEqualsTheSameConstantRate) {
    // The kernels' rate-series branches (cash, fund carry at L, at the fallback and at the
    // multiple held) against the constant-rate ones.
    investor_test::TempDir dir;
    dir.write("p.csv", investor_test::price_csv(160));
    dir.write("r.csv", investor_test::rate_csv(500, 3.0, 0.0));
    const std::string common = R"("model": {"type": "historical", "csv": "p.csv"},
        "multiples": [-2, 3], "strategies": [
        {"type": "sma_rotation", "window_days": 5, "transaction_cost_bps": 3},
        {"type": "vol_target", "target": 0.15, "window_days": 5, "every_days": 2},
        {"type": "drawdown_derisk", "threshold": 0.02, "fallback": 0.5, "recover": 0.01}],
        "costs": {"expense_ratio": 0.01, "financing_spread": 0.005, "short_fee": 0.01,
        "financing_rate": )";
    const ScenarioConfig series =
        load_scenario(dir.write("a.json", R"({"name": "a", )" + common + R"({"csv": "r.csv"}}})"));
    const ScenarioConfig constant =
        load_scenario(dir.write("b.json", R"({"name": "b", )" + common + "0.03}}"));
    ASSERT_TRUE(StripSource(series).facts().has_rates);
    const SimulationResult a = simulate(series, {.threads = 1});
    const SimulationResult b = simulate(constant, {.threads = 1});
    ASSERT_EQ(a.positions.size(), 6u);
    for (std::size_t j = 0; j < a.positions.size(); ++j) {
        const double x = b.positions[j][metric::terminal].moments.mean;
        EXPECT_NEAR(a.positions[j][metric::terminal].moments.mean, x, 1e-12 * std::max(1.0, x))
            << label(a.positions[j].position.strategy) << " L " << a.positions[j].position.multiple;
        EXPECT_GT(b.positions[j].rebalancing.turnover.mean, 0.0) << "no switch: nothing tested";
    }
}

/// The multiple held on each day t of lane 0, read back from V_t / V_{t-1} = 1 + M_t R_t (no
/// costs, cash at rate 0, no day at 0).
std::vector<double> multiples_held(const ScenarioConfig& c, const std::vector<double>& R) {
    const std::vector<double> v = values_per_day(c, 0, R);
    std::vector<double> out;
    double prev = 1.0;
    for (std::size_t t = 0; t < v.size(); ++t) {
        out.push_back((v[t] / prev - 1.0) / R[t]);
        prev = v[t];
    }
    return out;
}

class Causality : public ::testing::TestWithParam<const char*> {};

TEST_P(Causality, ChangingDayTsReturnKeepsDayTsDecision) {
    // A fixed irregular path; then day t's return alone is changed (sign and size). The multiple
    // held on day t was decided at close t - 1 and must not move; some later day's must (the
    // check sees decisions at all).
    const int T = 80;
    std::vector<double> R;
    for (int t = 0; t < T; ++t)
        R.push_back(0.02 * std::sin(1.3 * t) + 0.011 * std::cos(0.7 * t * t) + 0.001);
    ScenarioConfig c = test::pattern_scenario({0.01}, {2.0}, T);
    const std::string name = GetParam();
    if (name == "sma_rotation")
        c.strategies = {SmaRotation{.window_days = 3}};
    else if (name == "vol_target")
        c.strategies = {VolTarget{.target = 0.2, .window_days = 5}};
    else
        c.strategies = {DrawdownDerisk{.threshold = 0.03, .fallback = 0.5, .recover = 0.01}};
    const std::vector<double> base = multiples_held(c, R);
    int later_moved = 0;
    for (int t = 10; t < T - 5; t += 3) {
        std::vector<double> alt = R;
        alt[static_cast<std::size_t>(t)] = -3.0 * R[static_cast<std::size_t>(t)] + 0.004;
        const std::vector<double> m = multiples_held(c, alt);
        for (int s = 0; s <= t; ++s)
            ASSERT_NEAR(m[static_cast<std::size_t>(s)], base[static_cast<std::size_t>(s)], 1e-9)
                << name << ": day " << s + 1 << " after changing day " << t + 1;
        for (int s = t + 1; s < T; ++s)
            if (std::fabs(m[static_cast<std::size_t>(s)] - base[static_cast<std::size_t>(s)]) >
                1e-6) {
                ++later_moved;
                break;
            }
    }
    EXPECT_GT(later_moved, 0) << name << ": no decision ever depended on a close";
}

INSTANTIATE_TEST_SUITE_P(Signal, Causality,
                         ::testing::Values("sma_rotation", "vol_target", "drawdown_derisk"),
                         [](const auto& tp) { return std::string(tp.param); });

struct BadSignal {
    const char* name;
    std::string strategy;
    std::string where;
    std::string value;
};

void PrintTo(const BadSignal& b, std::ostream* os) {
    *os << b.name;
}

class SignalConfigRejects : public ::testing::TestWithParam<BadSignal> {};

TEST_P(SignalConfigRejects, NamingFileFieldAndValue) {
    const BadSignal& b = GetParam();
    const std::string text = R"({"name": "s", "model": {"type": "gbm", "mu": 0, "sigma": 0.2},
        "multiples": [-1, 2, 3], "strategies": [)" +
                             b.strategy + "]}";
    try {
        parse_scenario(nlohmann::json::parse(text), "s.json");
        ADD_FAILURE() << "accepted: " << b.strategy;
    } catch (const InputError& e) {
        EXPECT_EQ(e.where(), b.where) << e.what();
        EXPECT_NE(e.value().find(b.value), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).rfind("s.json: ", 0), 0u) << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(
    Signal, SignalConfigRejects,
    ::testing::Values(
        BadSignal{"sma_window_zero", R"({"type": "sma_rotation", "window_days": 0})",
                  "/strategies/0/window_days", "0"},
        BadSignal{"sma_window_fraction", R"({"type": "sma_rotation", "window_days": 2.5})",
                  "/strategies/0/window_days", "2.5"},
        BadSignal{"sma_band_negative", R"({"type": "sma_rotation", "band": -0.1})",
                  "/strategies/0/band", "-0.1"},
        BadSignal{"sma_off_unknown", R"({"type": "sma_rotation", "off": "bonds"})",
                  "/strategies/0/off", "\"bonds\""},
        BadSignal{"sma_cost_negative", R"({"type": "sma_rotation", "transaction_cost_bps": -5})",
                  "/strategies/0/transaction_cost_bps", "-5"},
        BadSignal{"sma_unknown_key", R"({"type": "sma_rotation", "window": 20})",
                  "/strategies/0/window", "20"},
        BadSignal{"sma_as_string", R"("sma_rotation")", "/strategies/0", "\"sma_rotation\""},
        BadSignal{"vol_without_target", R"({"type": "vol_target"})", "/strategies/0/target", ""},
        BadSignal{"vol_target_zero", R"({"type": "vol_target", "target": 0})",
                  "/strategies/0/target", "0"},
        BadSignal{"vol_window_one", R"({"type": "vol_target", "target": 0.2, "window_days": 1})",
                  "/strategies/0/window_days", "1"},
        BadSignal{"vol_every_zero", R"({"type": "vol_target", "target": 0.2, "every_days": 0})",
                  "/strategies/0/every_days", "0"},
        BadSignal{"vol_min_above_multiple",
                  R"({"type": "vol_target", "target": 0.2, "min_leverage": 1.5})",
                  "/strategies/0/min_leverage", "1.5"},
        BadSignal{"vol_max_not_largest",
                  R"({"type": "vol_target", "target": 0.2, "max_leverage": 2})",
                  "/strategies/0/max_leverage", "2"},
        BadSignal{"dd_without_threshold", R"({"type": "drawdown_derisk"})",
                  "/strategies/0/threshold", ""},
        BadSignal{"dd_threshold_zero", R"({"type": "drawdown_derisk", "threshold": 0})",
                  "/strategies/0/threshold", "0"},
        BadSignal{"dd_fallback_huge",
                  R"({"type": "drawdown_derisk", "threshold": 0.2, "fallback": 50})",
                  "/strategies/0/fallback", "50"},
        BadSignal{"dd_recover_zero",
                  R"({"type": "drawdown_derisk", "threshold": 0.2, "recover": 0})",
                  "/strategies/0/recover", "0"}),
    [](const auto& tp) { return std::string(tp.param.name); });

TEST(SignalConfig, MaxLeverageEqualToTheLargestMultipleIsAccepted) {
    const std::string text = R"({"name": "s", "model": {"type": "gbm", "mu": 0, "sigma": 0.2},
        "multiples": [-1, 2, 3], "strategies": [{"type": "vol_target", "target": 0.2,
        "max_leverage": 3, "min_leverage": 1}]})";
    const ScenarioConfig c = parse_scenario(nlohmann::json::parse(text), "s.json");
    EXPECT_EQ(label(c.strategies.at(0)), "vol_target(target=0.2,min_leverage=1,max_leverage=3)");
}

} // namespace
} // namespace letf
