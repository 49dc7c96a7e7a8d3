// Every exact value the report sets beside an estimate, for the models of issue 11 (garch, gjr
// with Student t, heston, merton with crash jumps, a two-state regime): each within 5 of the
// run's own standard errors, and those standard errors shrink like 1 / sqrt(N).

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "output/report_run.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

using nlohmann::ordered_json;

struct ModelCase {
    const char* name;
    const char* model; ///< the scenario's "model" object
    /// Exact values with a z-score the report must give at least: the underlying's mean and the
    /// daily-reset means, the limited-liability means and wipe-out odds of a day law, the model's
    /// statistics (the unrebalanced means of positions that saw a wipe-out are not counted).
    int min_checks;
};

void PrintTo(const ModelCase& c, std::ostream* os) {
    *os << c.name;
}

std::string scenario(const ModelCase& m, std::int64_t paths) {
    return std::string(R"({"name": "exact_)") + m.name + R"(", "seed": 7, "paths": )" +
           std::to_string(paths) + R"(, "days": 252, "model": )" + m.model +
           R"(, "multiples": [-3, 3], "strategies": ["daily_reset", "unrebalanced"],
              "costs": {"expense_ratio": 0.0095, "financing_rate": 0.03}})";
}

/// Every {"kind": "exact", "z_score": z} object below j, with its path, into out; with
/// `skip_wiped`, except a mean that ignores limited liability (it has a "note") of a position that
/// saw a wipe-out.
void exact_entries(const ordered_json& j, const std::string& at,
                   std::vector<std::pair<std::string, ordered_json>>& out, bool skip_wiped = true,
                   bool wiped = false) {
    if (j.is_object()) {
        if (j.contains("prob_wipeout") && j.at("prob_wipeout").is_number())
            wiped = skip_wiped && j.at("prob_wipeout").get<double>() > 0.0;
        if (j.contains("kind") && j.at("kind") == "exact" && j.contains("z_score") &&
            j.at("z_score").is_number() && !(wiped && j.contains("note")))
            out.emplace_back(at, j);
        for (const auto& [k, v] : j.items())
            exact_entries(v, at + "/" + k, out, skip_wiped, wiped);
    } else if (j.is_array()) {
        for (std::size_t i = 0; i < j.size(); ++i)
            exact_entries(j[i], at + "/" + std::to_string(i), out, skip_wiped, wiped);
    }
}

class ExactValues : public ::testing::TestWithParam<ModelCase> {};

TEST_P(ExactValues, EveryExactValueWithinFiveStandardErrors) {
    const ModelCase& m = GetParam();
    const ordered_json r = test::run_report(test::parse(scenario(m, 6000)), 2);
    std::vector<std::pair<std::string, ordered_json>> entries;
    exact_entries(r, "", entries);
    EXPECT_GE(static_cast<int>(entries.size()), m.min_checks);
    for (const auto& [at, e] : entries)
        EXPECT_LT(std::fabs(e.at("z_score").get<double>()), 5.0) << at << ": " << e.dump();
}

TEST_P(ExactValues, StandardErrorsShrinkLikeOneOverRootN) {
    const ModelCase& m = GetParam();
    std::vector<std::pair<std::string, ordered_json>> small, large;
    exact_entries(test::run_report(test::parse(scenario(m, 2000)), 2), "", small, false);
    exact_entries(test::run_report(test::parse(scenario(m, 8000)), 2), "", large, false);
    int compared = 0;
    for (const auto& [at, s] : small)
        for (const auto& [at_large, l] : large)
            if (at == at_large) {
                // sqrt(8000 / 2000) = 2; the two runs' sample standard deviations differ by a
                // few percent (more for heavy tails).
                const double ratio =
                    s.at("std_error").get<double>() / l.at("std_error").get<double>();
                EXPECT_GT(ratio, 1.6) << at;
                EXPECT_LT(ratio, 2.5) << at;
                ++compared;
            }
    EXPECT_GE(compared, m.min_checks);
}

// clang-format off
const ModelCase kCases[] = {
    {"garch", R"({"type": "garch", "mu": 0.08, "sigma": 0.2, "alpha": 0.1, "beta": 0.85})", 3},
    {"gjr_t", R"({"type": "garch", "mu": 0.08, "sigma": 0.2, "alpha": 0.04, "beta": 0.9,
                  "gamma": 0.08, "innovations": "student_t", "df": 8, "sigma0": 0.25})", 3},
    {"heston", R"({"type": "heston", "mu": 0.08, "v0": 0.04, "kappa": 2.0, "theta": 0.05,
                   "xi": 0.5, "rho": -0.7})", 3},
    {"heston_substeps", R"({"type": "heston", "mu": 0.05, "v0": 0.09, "kappa": 1.0,
                            "theta": 0.04, "xi": 0.3, "rho": -0.3, "substeps": 4})", 3},
    // About 1 % of 3x funds die in a year (a -33 % day wipes them out).
    {"merton_crash", R"({"type": "merton", "mu": 0.08, "sigma": 0.15, "lambda": 0.5,
                         "jump_mean": -0.10, "jump_sigma": 0.15})", 5},
    {"merton_frequent", R"({"type": "merton", "mu": 0.05, "sigma": 0.1, "lambda": 12,
                            "jump_mean": 0.0, "jump_sigma": 0.05})", 7},
    {"regime", R"({"type": "regime",
                   "states": [{"name": "calm", "mu": 0.15, "sigma": 0.12},
                              {"name": "turbulent", "mu": -0.2, "sigma": 0.35}],
                   "transition_daily": [[0.99, 0.01], [0.03, 0.97]]})", 5},
};
// clang-format on

INSTANTIATE_TEST_SUITE_P(Models, ExactValues, ::testing::ValuesIn(kCases),
                         [](const auto& p) { return std::string(p.param.name); });

} // namespace
} // namespace letf
