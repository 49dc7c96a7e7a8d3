// Properties that every model x every strategy must have (STYLE.md, "Tests"): results do not
// depend on the thread count or the block size, a multiple of 1 without costs follows the index,
// and every exact mean the report gives is within 5 standard errors of its estimate.
// Scenarios are built as scenario files (JSON text), so the suite exercises the whole chain
// config -> model -> strategies -> engine -> report through the public interfaces.

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "letf/config/scenario.hpp"
#include "letf/engine/engine.hpp"
#include "letf/models/registry.hpp"
#include "letf/output/report.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

using nlohmann::json;

struct ModelCase {
    const char* name;
    const char* model; ///< the "model" object; CSV stands for the test's price file
    bool random;       ///< paths differ (the thread and block checks then mean something)
};

const ModelCase kModels[] = {
    {"gbm", R"({"type": "gbm", "mu": 0.08, "sigma": 0.2})", true},
    {"trend_noise", R"({"type": "trend_noise", "mu": 0.05, "sigma": 0.25})", true},
    {"student_t",
     R"({"type": "trend_noise", "mu": 0.05, "sigma": 0.25, "noise": "student_t", "df": 5})",
     true},
    {"choppy", R"({"type": "choppy", "amplitude_daily": 0.02, "noise_sigma_daily": 0.01})", true},
    {"pattern", R"({"type": "pattern", "returns_daily": [0.01, -0.012, 0.004]})", false},
    {"historical", R"({"type": "historical", "csv": "CSV"})", false},
    {"bootstrap", R"({"type": "bootstrap", "csv": "CSV"})", true},
    {"block_bootstrap", R"({"type": "bootstrap", "csv": "CSV", "mean_block_length": 5})", true},
    {"heston", R"({"type": "heston", "mu": 0.06, "v0": 0.05, "kappa": 2, "theta": 0.04,
                   "xi": 0.5, "rho": -0.7})",
     true},
    {"regime", R"({"type": "regime", "states": [{"mu": 0.12, "sigma": 0.12, "name": "calm"},
                   {"mu": -0.25, "sigma": 0.45, "name": "turbulent"}],
                   "transition_daily": [[0.97, 0.03], [0.10, 0.90]]})",
     true},
    {"garch",
     R"({"type": "garch", "mu": 0.06, "sigma": 0.25, "alpha": 0.08, "beta": 0.85, "gamma": 0.06})",
     true},
    {"garch_student_t",
     R"({"type": "garch", "mu": 0.06, "sigma": 0.25, "alpha": 0.1, "beta": 0.85,
         "innovations": "student_t", "df": 6})",
     true},
    {"merton",
     R"({"type": "merton", "mu": 0.07, "sigma": 0.2, "lambda": 3, "jump_mean": -0.05,
         "jump_sigma": 0.1})",
     true},
};

struct StrategyCase {
    const char* name;
    const char* strategy;
};

const StrategyCase kStrategies[] = {
    {"daily_reset", R"("daily_reset")"},
    {"unrebalanced", R"("unrebalanced")"},
    {"calendar_rebalance", R"({"type": "calendar_rebalance", "every_days": 21})"},
    {"band_rebalance", R"({"type": "band_rebalance", "band": 0.1})"},
    {"target_leverage", R"({"type": "target_leverage", "every_days": 21})"},
    // Parameters that keep L = 1 on the index (the off leg is the index, the least multiple is
    // 1, the fallback is 1) while the other multiples switch.
    {"sma_rotation", R"({"type": "sma_rotation", "window_days": 10, "off": "index"})"},
    {"vol_target", R"({"type": "vol_target", "target": 0.2, "window_days": 10, "min_leverage": 1})"},
    {"drawdown_derisk", R"({"type": "drawdown_derisk", "threshold": 0.05, "recover": 0.02})"},
    // All in one 1x sleeve of the index, rebalanced monthly: the index itself.
    {"portfolio", R"({"type": "portfolio", "holdings": [{"asset": "index", "weight": 1}],
                      "rebalance": {"every_days": 21}})"},
};

struct Case {
    ModelCase model;
    StrategyCase strategy;
};

std::vector<Case> all_cases() {
    std::vector<Case> out;
    for (const ModelCase& m : kModels)
        for (const StrategyCase& s : kStrategies)
            out.push_back({m, s});
    return out;
}

/// 300 closes (days 1-28 of months 1-11 of 2000) of a made-up index (a fixed recurrence: no data set is needed).
std::string write_prices(const std::filesystem::path& dir) {
    const std::filesystem::path csv = dir / "prices.csv";
    std::ofstream f(csv);
    f << "date,close\n";
    const std::vector<double> closes = test::made_up_closes(300, 100.0, 0.03, 0.48);
    for (int d = 0; d < 300; ++d)
        f << test::made_up_date(2000, d) << ',' << closes[static_cast<std::size_t>(d)] << '\n';
    return csv.string();
}

/// Stable test names in `ctest -N` (gtest would print the struct's bytes).
void PrintTo(const Case& c, std::ostream* os) { *os << c.model.name << "_" << c.strategy.name; }

class ModelStrategy : public ::testing::TestWithParam<Case> {
protected:
    /// The scenario: 2,000 paths (1 for historical) over 63 days, multiples 1, 2 and -1, no costs.
    ScenarioConfig scenario(std::vector<double> multiples = {1.0, 2.0, -1.0}) const {
        std::string model = GetParam().model.model;
        const auto at = model.find("CSV");
        if (at != std::string::npos)
            model.replace(at, 3, write_prices(dir_.path()));
        const bool one_path = std::string(GetParam().model.name) == "historical";
        const json doc = json::parse(std::string(R"({"name": "property", "seed": 7, "days": 63,)") +
                                     (one_path ? "" : R"("paths": 2000,)") + R"("model": )" +
                                     model + R"(, "multiples": )" + json(multiples).dump() +
                                     R"(, "strategies": [)" + GetParam().strategy.strategy + "]}");
        return parse_scenario(doc, (dir_.path() / "property.json").string());
    }

    static json report(const ScenarioConfig& c, int threads, std::int64_t block_paths = 1024) {
        EngineOptions o;
        o.threads = threads;
        o.block_paths = block_paths;
        json r = json::parse(report_json(c, simulate(c, o)));
        r.erase("run_info");
        return r;
    }

    test::TempDir dir_;
};

TEST_P(ModelStrategy, ReportDoesNotDependOnTheThreadCount) {
    const ScenarioConfig c = scenario();
    EXPECT_EQ(report(c, 1).dump(), report(c, 3).dump());
}

/// |a - b| against a relative tolerance, with an absolute floor of 1e-12: spreads of identical
/// values (a deterministic model) are rounding, about 1e-16, whatever the merge order.
bool near(double a, double b, double tol) {
    return std::fabs(a - b) <= tol * std::max(std::fabs(a), std::fabs(b)) + 1e-12;
}

/// Every number of `a` and `b` (same shape) near (within a relative `tol`); counts and quantiles of the
/// exact store are order-free, moments differ by merge rounding only.
void expect_close(const json& a, const json& b, double tol, const std::string& at = "") {
    ASSERT_EQ(a.type(), b.type()) << at;
    if (a.is_object()) {
        for (const auto& item : a.items()) {
            ASSERT_TRUE(b.contains(item.key())) << at << "/" << item.key();
            expect_close(item.value(), b[item.key()], tol, at + "/" + item.key());
        }
    } else if (a.is_array()) {
        ASSERT_EQ(a.size(), b.size()) << at;
        for (std::size_t i = 0; i < a.size(); ++i)
            expect_close(a[i], b[i], tol, at + "/" + std::to_string(i));
    } else if (a.is_number_float() || b.is_number_float()) {
        EXPECT_TRUE(near(a.get<double>(), b.get<double>(), tol))
            << at << ": " << a.dump() << " vs " << b.dump();
    } else if (at.find("z_score") == std::string::npos) {
        EXPECT_EQ(a, b) << at;
    }
}

TEST_P(ModelStrategy, ReportDoesNotDependOnTheBlockSize) {
    const ScenarioConfig c = scenario();
    const json a = report(c, 2, 1024), b = report(c, 2, 96);
    // z-scores divide by a standard error that can be close to 0; the rest must agree to
    // rounding of the block merges (about 1e-15 relative; 1e-12 leaves room for long sums).
    expect_close(a["results"], b["results"], 1e-12);
    expect_close(a["underlying"], b["underlying"], 1e-12);
}

TEST_P(ModelStrategy, MultipleOneWithoutCostsFollowsTheIndex) {
    const json r = report(scenario({1.0}), 2);
    ASSERT_EQ(r["results"].size(), 1u);
    const json& pos = r["results"][0];
    const json& index = r["underlying"];
    for (const char* key : {"terminal", "max_drawdown"}) {
        SCOPED_TRACE(key);
        expect_close(pos[key]["mean"], index[key]["mean"], 1e-9, key);
        expect_close(pos[key]["quantiles"], index[key]["quantiles"], 1e-9, key);
    }
}

TEST_P(ModelStrategy, ExactMeansAreWithinFiveStandardErrors) {
    const json r = report(scenario(), 2);
    int checked = 0;
    for (const json& pos : r["results"]) {
        if (!pos.contains("analytic") || !pos["analytic"].contains("mean_terminal"))
            continue;
        const json& m = pos["analytic"]["mean_terminal"];
        if (m["kind"] != "exact" || m["z_score"].is_null())
            continue;
        ++checked;
        EXPECT_TRUE(test::within_se(m["estimate"].get<double>(), m["value"].get<double>(),
                                    m["std_error"].get<double>()))
            << pos["strategy"] << " " << pos["multiple"];
    }
    // The fund strategies on a random model with independent days always have an exact mean
    // with a z-score: the check must not pass by finding nothing to check.
    const std::string s = GetParam().strategy.name, m = GetParam().model.name;
    if (GetParam().model.random && m != "block_bootstrap" &&
        (s == "daily_reset" || s == "unrebalanced")) {
        EXPECT_GT(checked, 0);
    }
}

/// The lists above cover every alternative of the registries: a new model or strategy fails
/// here until it joins the properties.
TEST(ModelStrategyCoverage, EveryRegisteredModelAndStrategyIsListed) {
    std::string models, strategies;
    for (const ModelCase& m : kModels) {
        const std::string type = json::parse(m.model).at("type").get<std::string>();
        if (models.find(type) == std::string::npos)
            models += (models.empty() ? "" : ", ") + type;
    }
    for (const StrategyCase& s : kStrategies) {
        const json j = json::parse(s.strategy);
        strategies += (strategies.empty() ? "" : ", ") +
                      (j.is_string() ? j.get<std::string>() : j.at("type").get<std::string>());
    }
    EXPECT_EQ(models, model_type_names());
    EXPECT_EQ(strategies, strategy_names());
}

INSTANTIATE_TEST_SUITE_P(EveryModelAndStrategy, ModelStrategy, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<Case>& p) {
                             return std::string(p.param.model.name) + "_" + p.param.strategy.name;
                         });

} // namespace
} // namespace letf
