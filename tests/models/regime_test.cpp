// The regime model: parsing, the stationary law and facts (Eigen), and its strip fill (through
// StripSource) against the exact means pi_0' (P D)^n 1 and state shares, within 5 standard
// errors of the run; one state is gbm bit for bit.

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../test_util.hpp"
#include "letf/base/error.hpp"
#include "letf/models/registry.hpp"
#include "path_sim.hpp"

namespace letf {
namespace {

using nlohmann::json;
constexpr double kDt = 1.0 / 252;

RegimeModel two_state(std::vector<double> initial = {}) {
    return RegimeModel::make({{0.12, 0.12, "calm"}, {-0.25, 0.45, "turbulent"}},
                             {0.97, 0.03, 0.10, 0.90}, std::move(initial));
}

std::string regime_text(const std::string& matrix, const std::string& rest = "") {
    return R"({"type": "regime", "states": [{"mu": 0.1, "sigma": 0.1}, {"mu": -0.2, "sigma": 0.4}],
               "transition_daily": )" +
           matrix + rest + "}";
}

TEST(Regime, BadInputNamesItsPointer) {
    test::expect_model_error(regime_text("[[0.9, 0.1], [0.2, 0.7]]"), "/model/transition_daily/1");
    test::expect_model_error(regime_text("[[1.1, -0.1], [0.2, 0.8]]"),
                             "/model/transition_daily/0/0");
    test::expect_model_error(regime_text("[[0.9, 0.1], [-0.2, 1.2]]"),
                             "/model/transition_daily/1/0");
    test::expect_model_error(regime_text("[[0.9, 0.1]]"), "/model/transition_daily");
    test::expect_model_error(regime_text("[[0.9, 0.1], [0.2, 0.3, 0.5]]"),
                             "/model/transition_daily/1");
    test::expect_model_error(regime_text("[[0.9, 0.1], [0.2, 0.8]]", R"(, "initial": [0.5, 0.6])"),
                             "/model/initial");
    test::expect_model_error(regime_text("[[0.9, 0.1], [0.2, 0.8]]", R"(, "initial": [1.0])"),
                             "/model/initial");
    test::expect_model_error(regime_text("[[0.9, 0.1], [0.2, 0.8]]", R"(, "initial": "uniform")"),
                             "/model/initial");
    test::expect_model_error(regime_text("[[0.9, 0.1], [0.2, 0.8]]", R"(, "initial": [1.5, -0.5])"),
                             "/model/initial/0");
    // A reducible chain (two closed classes) has no unique stationary law.
    test::expect_model_error(regime_text("[[1, 0], [0, 1]]"), "/model/transition_daily");
    EXPECT_NO_THROW(
        parse_model(json::parse(regime_text("[[1, 0], [0, 1]]", R"(, "initial": [0, 1])")), "s"));
    test::expect_model_error(
        R"({"type": "regime", "states": [{"mu": 0.1, "sigma": 0.1, "name": "a"},
                    {"mu": 0.1, "sigma": 0.2, "name": "a"}], "transition_daily": [[1, 0], [0, 1]],
                    "initial": [1, 0]})",
        "/model/states/1/name");
    test::expect_model_error(R"({"type": "regime", "states": [], "transition_daily": []})",
                             "/model/states");
    test::expect_model_error(R"({"type": "regime", "states": [{"mu": 0.1, "sigma": -1}],
                    "transition_daily": [[1]]})",
                             "/model/states/0/sigma");
    test::expect_model_error(R"({"type": "regime", "states": [{"mu": 0.1, "sigma": 1, "vol": 2}],
                    "transition_daily": [[1]]})",
                             "/model/states/0/vol");
}

TEST(Regime, WritesEveryFieldWithDefaultsFilled) {
    const PathModel m = parse_model(json::parse(regime_text("[[0.9, 0.1], [0.2, 0.8]]")), "s.json");
    const json expected = json::parse(R"({"type": "regime",
        "states": [{"mu": 0.1, "sigma": 0.1, "name": "state_1"},
                   {"mu": -0.2, "sigma": 0.4, "name": "state_2"}],
        "transition_daily": [[0.9, 0.1], [0.2, 0.8]], "initial": "stationary"})");
    EXPECT_EQ(json(model_to_json(m)), expected);
    const PathModel again = parse_model(json(model_to_json(m)), "s.json");
    EXPECT_EQ(model_to_json(again).dump(), model_to_json(m).dump());
    const PathModel given = parse_model(
        json::parse(regime_text("[[0.9, 0.1], [0.2, 0.8]]", R"(, "initial": [0.25, 0.75])")),
        "s.json");
    EXPECT_EQ(json(model_to_json(given))["initial"], json::parse("[0.25, 0.75]"));
}

TEST(Regime, StationaryLawAndFacts) {
    const RegimeModel m = two_state();
    // pi = (b, a) / (a + b) for P = [[1 - a, a], [b, 1 - b]].
    ASSERT_EQ(m.start_law.size(), 2u);
    EXPECT_NEAR(m.start_law[0], 0.10 / 0.13, 1e-14);
    EXPECT_NEAR(m.start_law[1], 0.03 / 0.13, 1e-14);
    const ModelFacts f = model_facts(PathModel{m}, {.dt = kDt, .days = 5, .data = nullptr});
    EXPECT_FALSE(f.days_independent);
    EXPECT_FALSE(f.conditional_means);
    EXPECT_TRUE(f.identical_days);
    const double r0 = std::expm1(0.12 * kDt), r1 = std::expm1(-0.25 * kDt);
    for (double x : f.mean_return)
        EXPECT_NEAR(x, (0.10 * r0 + 0.03 * r1) / 0.13, 1e-15);
    EXPECT_DOUBLE_EQ(f.daily_log_sd, 0.45 * std::sqrt(kDt));
    ASSERT_EQ(f.statistics.size(), 2u);
    EXPECT_EQ(f.statistics[1].name, "share_of_days_turbulent");
    EXPECT_EQ(f.statistics[1].description, "share of days spent in state turbulent");
    EXPECT_NEAR(*f.statistics[1].exact_mean, 0.03 / 0.13, 1e-14);

    // From state 0: pi_1 = (0.97, 0.03), pi_2 = pi_1 P.
    const ModelFacts g =
        model_facts(PathModel{two_state({1.0, 0.0})}, {.dt = kDt, .days = 2, .data = nullptr});
    EXPECT_FALSE(g.identical_days);
    EXPECT_NEAR(g.mean_return[0], 0.97 * r0 + 0.03 * r1, 1e-16);
    const double p20 = 0.97 * 0.97 + 0.03 * 0.10;
    EXPECT_NEAR(g.mean_return[1], p20 * r0 + (1 - p20) * r1, 1e-16);
    EXPECT_NEAR(*g.statistics[0].exact_mean, (0.97 + p20) / 2, 1e-15);
    ASSERT_TRUE(g.integrated_variance.has_value());
    EXPECT_NEAR(*g.integrated_variance,
                (0.97 + p20) * 0.12 * 0.12 * kDt + (0.03 + 1 - p20) * 0.45 * 0.45 * kDt, 1e-16);
    // Two days by hand: sum over s1, s2 of pi(s1) P(s1, s2) d(s1) d(s2).
    const double a = 0.999, b = 3.0, d0 = a + b * r0, d1 = a + b * r1;
    const double hand = 0.97 * d0 * (0.97 * d0 + 0.03 * d1) + 0.03 * d1 * (0.10 * d0 + 0.90 * d1);
    EXPECT_NEAR(g.expected_product(a, b), hand, 1e-15);
}

/// E[S_T / S_0], a daily-reset 3x fund and the state shares against the exact values.
void expect_exact_means(const RegimeModel& m, int strips, int days) {
    const StripSource source(PathModel{m}, kDt, days);
    const ModelFacts& f = source.facts();
    const test::MeanSe s = test::mean_product(source, 21, strips, days, 1.0, 1.0);
    EXPECT_TRUE(test::within_se(s.mean, f.expected_product(1.0, 1.0), s.se()));
    const double lev = 3.0, cost = 0.02 * kDt;
    const test::MeanSe r = test::mean_product(source, 22, strips, days, 1.0 - cost, lev);
    EXPECT_TRUE(test::within_se(r.mean, f.expected_product(1.0 - cost, lev), r.se()));
    std::vector<test::MeanSe> shares(m.states.size());
    std::vector<double> out(m.states.size());
    test::simulate_strips(source, 23, strips, days, kDayChunk,
                          [&](const std::vector<double>&, const StripSource::State& st) {
                              for (int i = 0; i < kStripPaths; ++i) {
                                  source.statistics(st, i, out.data());
                                  for (std::size_t k = 0; k < out.size(); ++k)
                                      shares[k].add(out[k]);
                              }
                          });
    for (std::size_t k = 0; k < out.size(); ++k)
        EXPECT_TRUE(test::within_se(shares[k].mean, *f.statistics[k].exact_mean, shares[k].se()))
            << f.statistics[k].name;
}

TEST(Regime, ExactMeansAndSharesWithinFiveStandardErrors) {
    expect_exact_means(two_state(), 3000, 126);
    expect_exact_means(two_state({0.0, 1.0}), 3000, 63);
    const RegimeModel three =
        RegimeModel::make({{0.2, 0.1, "up"}, {0.0, 0.2, "flat"}, {-0.6, 0.6, "crash"}},
                          {0.95, 0.04, 0.01, 0.05, 0.90, 0.05, 0.20, 0.30, 0.50}, {});
    expect_exact_means(three, 3000, 63);
}

/// The returns of the paths of one strip, chunk by chunk as the engine reads them.
std::vector<double> returns_of(const PathModel& m, std::uint64_t seed, int days,
                               int chunk = kDayChunk) {
    const StripSource source(m, kDt, days);
    std::vector<double> out;
    test::simulate_strips(
        source, seed, 1, days, chunk,
        [&](const std::vector<double>& r, const StripSource::State&) { out = r; });
    return out;
}

TEST(Regime, OneStateIsGbmBitForBit) {
    const RegimeModel one = RegimeModel::make({{0.07, 0.3, "only"}}, {1.0}, {});
    const auto a = returns_of(PathModel{one}, 99, 150);
    const auto b = returns_of(PathModel{GbmModel{0.07, 0.3}}, 99, 150);
    ASSERT_EQ(a.size(), b.size());
    EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(double)), 0);
}

TEST(Regime, IdentityRowsKeepTheInitialState) {
    const RegimeModel stay =
        RegimeModel::make({{0.1, 0.1, "a"}, {0.05, 0.35, "b"}, {-0.1, 0.2, "c"}},
                          {1, 0, 0, 0, 1, 0, 0, 0, 1}, {0.0, 1.0, 0.0});
    const auto a = returns_of(PathModel{stay}, 5, 100);
    const auto b = returns_of(PathModel{GbmModel{0.05, 0.35}}, 5, 100);
    EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(double)), 0);
    const StripSource source(PathModel{stay}, kDt, 100);
    test::simulate_strips(source, 5, 2, 100, kDayChunk,
                          [&](const std::vector<double>&, const StripSource::State& st) {
                              double out[3];
                              for (int i = 0; i < kStripPaths; ++i) {
                                  source.statistics(st, i, out);
                                  EXPECT_EQ(out[0], 0.0);
                                  EXPECT_EQ(out[1], 1.0);
                                  EXPECT_EQ(out[2], 0.0);
                              }
                          });
}

TEST(Regime, DefaultIsOneFlatState) {
    const RegimeModel made = RegimeModel::make({{0.0, 0.0, "state_1"}}, {1.0}, {});
    const RegimeModel plain;
    EXPECT_EQ(plain.start_law, made.start_law);
    EXPECT_EQ(plain.start_cdf, made.start_cdf);
    EXPECT_EQ(plain.row_cdf, made.row_cdf);
    for (double r : returns_of(PathModel{plain}, 3, 70))
        EXPECT_EQ(r, 0.0);
}

/// Same seed, same numbers; the chains (regimes sub-stream) do not depend on the chunking.
TEST(Regime, Reproducible) {
    const RegimeModel m = two_state();
    EXPECT_EQ(returns_of(PathModel{m}, 8, 150), returns_of(PathModel{m}, 8, 150));
    EXPECT_NE(returns_of(PathModel{m}, 8, 150), returns_of(PathModel{m}, 9, 150));
    const StripSource source(PathModel{m}, kDt, 150);
    std::vector<RegimeModel::Strip> ends;
    for (int chunk : {64, 7})
        test::simulate_strips(source, 8, 3, 150, chunk,
                              [&](const std::vector<double>&, const StripSource::State& st) {
                                  ends.push_back(std::get<RegimeModel::Strip>(st));
                              });
    for (int k = 0; k < 3; ++k) {
        const auto& a = ends[static_cast<std::size_t>(k)];
        const auto& b = ends[static_cast<std::size_t>(3 + k)];
        EXPECT_EQ(std::memcmp(a.state, b.state, sizeof a.state), 0);
        EXPECT_EQ(std::memcmp(a.count, b.count, sizeof a.count), 0);
        EXPECT_EQ(std::memcmp(a.switches.state, b.switches.state, sizeof a.switches.state), 0);
    }
}

} // namespace
} // namespace letf
