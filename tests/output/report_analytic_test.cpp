// The report's analytic block: z-scores against the exact values, and where they are withheld
// (deterministic outcomes, an unreliable standard error).

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "letf/models/registry.hpp"
#include <nlohmann/json.hpp>

#include "letf/theory/analytic.hpp"
#include "output/report_run.hpp"
#include "test_util.hpp"

namespace {

using letf::test::has_keys;
using letf::test::kGbm;
using letf::test::parse;
using letf::test::run_report;
using nlohmann::ordered_json;

TEST(Report, AnalyticZScoresAreConsistent) {
    const letf::ScenarioConfig c = parse(kGbm);
    const ordered_json r = run_report(c);
    int checked = 0;
    auto check = [&checked](const ordered_json& a) {
        ASSERT_TRUE(has_keys(a, {"value", "estimate", "std_error", "z_score"})) << a.dump();
        ASSERT_TRUE(a.at("value").is_number()) << a.dump();
        ASSERT_TRUE(a.at("estimate").is_number()) << a.dump();
        ASSERT_TRUE(a.at("std_error").is_number()) << a.dump();
        const double value = a.at("value").get<double>();
        const double estimate = a.at("estimate").get<double>();
        const double se = a.at("std_error").get<double>();
        ASSERT_GT(se, 0.0) << a.dump();
        ASSERT_TRUE(a.at("z_score").is_number()) << a.dump();
        const double z = a.at("z_score").get<double>();
        const double expected = (estimate - value) / se;
        EXPECT_LE(std::fabs(z - expected), 1e-12 * std::fabs(expected))
            << "calculated " << z << ", expected " << expected;
        ++checked;
    };
    check(r.at("underlying").at("analytic").at("mean_terminal"));
    for (const auto& e : r.at("results")) {
        SCOPED_TRACE(e.at("strategy").get<std::string>() + " " + e.at("multiple").dump());
        const ordered_json& a = e.at("analytic");
        ASSERT_TRUE(a.contains("mean_terminal")) << a.dump();
        check(a.at("mean_terminal"));
        if (e.at("strategy") == "daily_reset") {
            // A continuous-time approximation: the difference is shown, never a z-score.
            ASSERT_TRUE(a.contains("log_decay_mean")) << a.dump();
            const ordered_json& d = a.at("log_decay_mean");
            EXPECT_EQ(d.at("kind"), "continuous_time_approximation");
            EXPECT_TRUE(d.at("z_score").is_null()) << d.dump();
            EXPECT_DOUBLE_EQ(d.at("difference").get<double>(),
                             d.at("estimate").get<double>() - d.at("value").get<double>());
        }
    }
    EXPECT_EQ(checked, 1 + 6);
}

TEST(Report, DeterministicScenarioHasNoZScore) {
    const letf::ScenarioConfig c = parse(R"({"name": "det", "paths": 3, "days": 4,
        "model": {"type": "pattern", "returns_daily": [0.01, -0.02]}, "multiples": [2]})");
    const ordered_json r = run_report(c);
    for (const auto& e : r.at("results")) {
        const ordered_json& a = e.at("analytic");
        ASSERT_TRUE(a.contains("mean_terminal")) << a.dump();
        EXPECT_TRUE(a.at("mean_terminal").at("z_score").is_null());
        EXPECT_NEAR(a.at("mean_terminal").at("estimate").get<double>(),
                    a.at("mean_terminal").at("value").get<double>(), 1e-12);
    }
}

/// Every `mean_terminal` entry of a report (underlying first), with its label.
std::vector<std::pair<std::string, ordered_json>> mean_entries(const ordered_json& r) {
    std::vector<std::pair<std::string, ordered_json>> out;
    out.emplace_back("underlying", r.at("underlying").at("analytic").at("mean_terminal"));
    for (const auto& e : r.at("results"))
        if (e.at("analytic").contains("mean_terminal"))
            out.emplace_back(e.at("strategy").get<std::string>() + " " + e.at("multiple").dump(),
                             e.at("analytic").at("mean_terminal"));
    return out;
}

bool note_has(const ordered_json& a, const std::string& word) {
    return a.contains("z_score_note") && a.at("z_score_note").is_string() &&
           a.at("z_score_note").get<std::string>().find(word) != std::string::npos;
}

TEST(Report, ZeroVolatilityIsDeterministicAndHasNoZScore) {
    // gbm and trend_noise with sigma 0 draw normals that cannot move a return: one outcome,
    // whose sample spread is rounding (it gave z = 64 and 3286 against a 3e-15 difference).
    for (const char* model : {R"({"type": "gbm", "mu": 0.07, "sigma": 0})",
                              R"({"type": "trend_noise", "mu": 0.07, "sigma": 0})",
                              R"({"type": "trend_noise", "mu": 0.07, "sigma": 0,
                                  "noise": "student_t", "df": 3})"}) {
        SCOPED_TRACE(model);
        const ordered_json r = run_report(parse(std::string(R"({"name": "s0", "paths": 500,
            "days": 60, "multiples": [1, 2, -1], "costs": {"expense_ratio": 0.01},
            "model": )") + model + "}"));
        const auto entries = mean_entries(r);
        ASSERT_EQ(entries.size(), 1u + 6u);
        for (const auto& [label, a] : entries) {
            SCOPED_TRACE(label);
            EXPECT_TRUE(a.at("z_score").is_null()) << a.dump();
            EXPECT_TRUE(note_has(a, "deterministic")) << a.dump();
            EXPECT_TRUE(a.at("difference").is_number()) << a.dump();
            EXPECT_LE(std::fabs(a.at("difference").get<double>()),
                      1e-12 * a.at("value").get<double>())
                << a.dump();
        }
    }
}

TEST(Report, MultipleZeroIsDeterministicButTheUnderlyingIsNot) {
    const ordered_json r = run_report(parse(R"({"name": "m0", "paths": 500, "days": 60,
        "model": {"type": "gbm", "mu": 0.07, "sigma": 0.2}, "multiples": [0, 2],
        "costs": {"expense_ratio": 0.01, "financing_rate": 0.03}})"));
    for (const auto& [label, a] : mean_entries(r)) {
        SCOPED_TRACE(label);
        const bool zero = label.find(" 0.0") != std::string::npos;
        EXPECT_EQ(a.at("z_score").is_null(), zero) << a.dump();
        EXPECT_EQ(note_has(a, "deterministic"), zero) << a.dump();
        EXPECT_EQ(a.contains("z_score_note"), zero) << a.dump();
    }
}

TEST(Report, HugeVolatilityHasNoZScoreBecauseTheStandardErrorIsUnreliable) {
    // sigma 5: Var[ln x] = 25 for a year; the sample misses the rare paths that carry the
    // variance, and its standard error is far too small (z reached -3.7e8 for a correct run).
    const ordered_json r = run_report(parse(R"({"name": "s5", "paths": 2000, "days": 252,
        "model": {"type": "gbm", "mu": 0.07, "sigma": 5}, "multiples": [1, 2, -1],
        "strategies": ["daily_reset", "unrebalanced"]})"));
    for (const auto& [label, a] : mean_entries(r)) {
        SCOPED_TRACE(label);
        EXPECT_TRUE(a.at("z_score").is_null()) << a.dump();
        EXPECT_TRUE(note_has(a, "standard error not reliable")) << a.dump();
        EXPECT_TRUE(a.at("std_error").is_number()) << a.dump(); // still shown
    }
}

TEST(Analytic, StandardErrorCriterionIsTheLognormalKurtosis) {
    // Normal limit: kurtosis 3 at v = 0; the lognormal formula against direct moments.
    EXPECT_DOUBLE_EQ(letf::lognormal_kurtosis(0.0), 3.0);
    const double v = 0.7, w = std::exp(v);
    const double central4 =
        w * w * (w - 1) * (w - 1) * (w * w * w * w + 2 * w * w * w + 3 * w * w - 3);
    const double var2 = (w * (w - 1)) * (w * (w - 1));
    EXPECT_NEAR(letf::lognormal_kurtosis(v), central4 / var2, 1e-12 * central4 / var2);
    // The documented limits: 3,000 paths admit v = 1.28, not 1.29; 50,000 admit 2.06.
    EXPECT_LE(letf::paths_for_reliable_std_error(1.28), 3000.0);
    EXPECT_GT(letf::paths_for_reliable_std_error(1.29), 3000.0);
    EXPECT_LE(letf::paths_for_reliable_std_error(2.06), 50000.0);
    EXPECT_GT(letf::paths_for_reliable_std_error(2.08), 50000.0);
    // Overflow is infinity (never NaN): no z-score.
    EXPECT_TRUE(std::isinf(letf::paths_for_reliable_std_error(1000.0)));
}

TEST(Analytic, OneOutcomeFollowsTheModelFacts) {
    using letf::model_facts;
    letf::ScenarioConfig c = letf::test::gbm_scenario(0.05, 0.0, {2.0}, 10, 5);
    EXPECT_TRUE(model_facts(c).one_outcome);
    c.model = letf::GbmModel{0.05, 1e-9};
    EXPECT_FALSE(model_facts(c).one_outcome);
    c.model = letf::ChoppyModel{0.02, 0.0, 0.0, true};
    EXPECT_TRUE(model_facts(c).one_outcome);
    c.model = letf::ChoppyModel{0.02, 0.0, 0.01, true};
    EXPECT_FALSE(model_facts(c).one_outcome);
    // A bootstrap of data whose days are all alike has one outcome; of varied days it has not.
    letf::test::TempDir dir;
    dir.write("flat.csv", "date,close\n2024-01-02,10\n2024-01-03,20\n2024-01-04,40\n");
    dir.write("varied.csv", "date,close\n2024-01-02,10\n2024-01-03,20\n2024-01-04,30\n");
    for (const auto& [csv, expected] : {std::pair{"flat.csv", true}, {"varied.csv", false}}) {
        const letf::ScenarioConfig b = letf::load_scenario(dir.write(
            "b.json", std::string(R"({"name": "b", "paths": 50, "days": 5, "multiples": [2],
                "model": {"type": "bootstrap", "csv": ")") +
                          csv + R"("}})"));
        EXPECT_EQ(model_facts(b).one_outcome, expected) << csv;
        const ordered_json r = run_report(b);
        EXPECT_EQ(note_has(r.at("underlying").at("analytic").at("mean_terminal"), "deterministic"),
                  expected)
            << csv;
    }
}

} // namespace
