// Several assets, correlation, portfolios (issue 12): exact values, path-by-path identities,
// reproducibility and bad input.

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "letf/engine/engine.hpp"
#include "letf/models/joint_source.hpp"
#include "letf/output/report.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

using nlohmann::json;
using test::within_se;

std::string fmt_close(double x) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", x);
    return buf;
}

ScenarioConfig scenario(const std::string& text) {
    return parse_scenario_text(text, "p.json");
}

/// Per position (and the underlying, series 0), each path's terminal value, from on_block.
std::vector<std::vector<double>> terminal_paths(const ScenarioConfig& c, int threads = 2) {
    std::vector<std::vector<double>> out;
    std::mutex m;
    EngineOptions o;
    o.threads = threads;
    o.on_block = [&](const BlockPaths& b) {
        const std::lock_guard<std::mutex> lock(m);
        if (out.empty())
            out.assign(b.value.size(), std::vector<double>(static_cast<std::size_t>(c.paths)));
        for (std::size_t s = 0; s < b.value.size(); ++s)
            for (std::size_t i = 0; i < b.paths; ++i)
                out[s][static_cast<std::size_t>(b.first_path) + i] = b.value[s][i];
    };
    simulate(c, o);
    return out;
}

json report(const ScenarioConfig& c, int threads = 2) {
    EngineOptions o;
    o.threads = threads;
    json r = json::parse(report_json(c, simulate(c, o)));
    r.erase("run_info");
    return r;
}

const char* kTwoGbm = R"({"name": "two", "seed": 5, "paths": 4000, "days": 252,
  "assets": [{"name": "stocks", "model": {"type": "gbm", "mu": 0.08, "sigma": 0.2}},
             {"name": "bonds", "model": {"type": "gbm", "mu": 0.04, "sigma": 0.12}}],
  "correlation": [[1, -0.3], [-0.3, 1]],
  "multiples": [1, 3], "strategies": ["daily_reset", {"type": "daily_reset", "asset": "bonds"}]})";

TEST(Assets, TheFirstAssetDrawsAsAScenarioOfItsOwn) {
    // The same gbm alone and as the first of two correlated assets: the index and its positions
    // are the same, byte for byte.
    const json two = report(scenario(kTwoGbm));
    const json one = report(scenario(R"({"name": "two", "seed": 5, "paths": 4000, "days": 252,
        "model": {"type": "gbm", "mu": 0.08, "sigma": 0.2}, "multiples": [1, 3]})"));
    EXPECT_EQ(two["underlying"].dump(), one["underlying"].dump());
    for (std::size_t k = 0; k < 2; ++k) {
        json a = two["results"][k], b = one["results"][k];
        EXPECT_EQ(a["label"], "daily_reset(asset=stocks)");
        for (const char* key : {"strategy", "label", "asset"}) {
            a.erase(key);
            b.erase(key);
        }
        EXPECT_EQ(a.dump(), b.dump());
    }
    EXPECT_EQ(two["results"][2]["label"], "daily_reset(asset=bonds)");
    EXPECT_EQ(two["results"][2]["asset"], "bonds");
}

TEST(Assets, ReportDoesNotDependOnTheThreadCount) {
    const ScenarioConfig c = scenario(kTwoGbm);
    EXPECT_EQ(report(c, 1).dump(), report(c, 3).dump());
}

TEST(Assets, TheConfigRoundTrips) {
    const ScenarioConfig c = scenario(kTwoGbm);
    const std::string once = to_json(c).dump();
    EXPECT_EQ(to_json(parse_scenario(json::parse(once), "p.json")).dump(), once);
    EXPECT_NE(once.find("\"correlation\""), std::string::npos);
    EXPECT_NE(once.find("\"asset\":\"bonds\""), std::string::npos);
}

TEST(Assets, PerfectlyCorrelatedIdenticalAssetsAreOnePathByPath) {
    const ScenarioConfig c = scenario(R"({"name": "same", "seed": 9, "paths": 1000, "days": 100,
      "assets": [{"name": "a", "model": {"type": "gbm", "mu": 0.05, "sigma": 0.3}},
                 {"name": "b", "model": {"type": "gbm", "mu": 0.05, "sigma": 0.3}}],
      "correlation": [[1, 1], [1, 1]],
      "multiples": [2], "strategies": ["daily_reset", {"type": "daily_reset", "asset": "b"},
                                       "unrebalanced", {"type": "unrebalanced", "asset": "b"}]})");
    const auto v = terminal_paths(c);
    ASSERT_EQ(v.size(), 5u);
    EXPECT_EQ(v[1], v[2]);
    EXPECT_EQ(v[3], v[4]);
}

TEST(Assets, CorrelationFactorReproducesTheMatrix) {
    const std::vector<std::vector<double>> c = {{1, 0.5, -0.2}, {0.5, 1, 0.1}, {-0.2, 0.1, 1}};
    const std::vector<double> f = correlation_factor(c);
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t k = 0; k < 3; ++k) {
            double x = 0.0;
            for (std::size_t p = 0; p < 3; ++p)
                x += f[i * 3 + p] * f[k * 3 + p];
            EXPECT_NEAR(x, c[i][k], 1e-15) << i << k;
            if (k > i) {
                EXPECT_EQ(f[i * 3 + k], 0.0);
            }
        }
    EXPECT_EQ(f[0], 1.0);
    const std::vector<double> g = correlation_factor({{1, 1}, {1, 1}});
    EXPECT_EQ(g, (std::vector<double>{1, 0, 1, 0}));
}

/// The sample correlation of the assets' daily shocks over many strips, in batches: the
/// estimate and its standard error from the batches' spread.
void expect_correlation(const std::string& models, double rho) {
    SCOPED_TRACE(models);
    const ScenarioConfig c = scenario(R"({"name": "c", "seed": 3, "paths": 16, "days": 64,
      "assets": )" + models + R"(, "correlation": [[1, )" + std::to_string(rho) + "], [" +
                                      std::to_string(rho) + R"(, 1]], "multiples": [1]})");
    const JointSource source(c);
    std::vector<double> out(2 * kAssetStride);
    constexpr int kBatches = 40, kStrips = 40;
    std::vector<double> batch;
    for (int b = 0; b < kBatches; ++b) {
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, n = 0;
        for (int s = 0; s < kStrips; ++s) {
            JointSource::State st =
                source.start(c.seed, static_cast<std::uint64_t>((b * kStrips + s) * kStripPaths));
            source.fill(1, 64, st, out.data(), nullptr);
            for (std::size_t i = 0; i < kAssetStride; ++i) {
                const double x = out[i], y = out[kAssetStride + i];
                sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y, n += 1;
            }
        }
        const double cov = sxy / n - sx / n * sy / n;
        batch.push_back(cov / std::sqrt((sxx / n - sx / n * sx / n) * (syy / n - sy / n * sy / n)));
    }
    double mean = 0, var = 0;
    for (double x : batch)
        mean += x / kBatches;
    for (double x : batch)
        var += (x - mean) * (x - mean) / (kBatches - 1);
    // The correlation of the returns, not the shocks: R = e^X - 1 is nearly linear at these
    // daily volatilities, so it sits within a hair of rho; the check has 5 SE of room.
    EXPECT_TRUE(within_se(mean, rho, std::sqrt(var / kBatches)));
}

TEST(Assets, SampleCorrelationOfTheReturnsIsTheConfigured) {
    expect_correlation(R"([{"name": "a", "model": {"type": "trend_noise", "mu": 0, "sigma": 0.2}},
                           {"name": "b", "model": {"type": "trend_noise", "mu": 0, "sigma": 0.3}}])",
                       0.6);
    expect_correlation(R"([{"name": "a", "model": {"type": "trend_noise", "mu": 0, "sigma": 0.2}},
                           {"name": "b", "model": {"type": "trend_noise", "mu": 0.1, "sigma": 0.1}}])",
                       -0.4);
    // The t copula: eps_k = z_k sqrt((df - 2) / (2 G)) with one G keeps the correlation rho.
    expect_correlation(
        R"([{"name": "a", "model": {"type": "trend_noise", "mu": 0, "sigma": 0.2, "noise": "student_t", "df": 5}},
            {"name": "b", "model": {"type": "trend_noise", "mu": 0, "sigma": 0.3, "noise": "student_t", "df": 5}}])",
        0.5);
}

TEST(Assets, TheTCopulaSharesItsTails) {
    // At correlation 0 between linked t assets the shocks are uncorrelated but dependent: their
    // squares are positively correlated (one G scales both). Linked through a third asset.
    const ScenarioConfig c = scenario(R"({"name": "c", "seed": 3, "paths": 16, "days": 64,
      "assets": [{"name": "a", "model": {"type": "trend_noise", "mu": 0, "sigma": 1, "noise": "student_t", "df": 5}},
                 {"name": "b", "model": {"type": "trend_noise", "mu": 0, "sigma": 1, "noise": "student_t", "df": 5}}],
      "correlation": [[1, 0.000001], [0.000001, 1]], "multiples": [1]})");
    const JointSource source(c);
    std::vector<double> out(2 * kAssetStride);
    double sxy = 0, sx = 0, sy = 0, n = 0;
    for (int s = 0; s < 400; ++s) {
        JointSource::State st = source.start(c.seed, static_cast<std::uint64_t>(s * kStripPaths));
        source.fill(1, 64, st, out.data(), nullptr);
        for (std::size_t i = 0; i < kAssetStride; ++i) {
            const double x = out[i] * out[i], y = out[kAssetStride + i] * out[kAssetStride + i];
            sxy += x * y, sx += x, sy += y, n += 1;
        }
    }
    EXPECT_GT(sxy / n - sx / n * sy / n, 0.0);
}

std::string portfolio_scenario(const std::string& rebalance, const std::string& costs,
                               int paths = 20000) {
    return R"({"name": "mix", "seed": 11, "paths": )" + std::to_string(paths) + R"(, "days": 126,
      "assets": [{"name": "stocks", "model": {"type": "gbm", "mu": 0.1, "sigma": 0.25}},
                 {"name": "bonds", "model": {"type": "trend_noise", "mu": 0.03, "sigma": 0.1}}],
      "correlation": [[1, 0.4], [0.4, 1]],
      "multiples": [1],
      "strategies": [{"type": "portfolio",
        "holdings": [{"asset": "stocks", "multiple": 3, "weight": 0.6},
                     {"asset": "bonds", "multiple": 2, "weight": 0.5, "expense_ratio": 0.02},
                     {"asset": "cash", "weight": -0.1}],
        "rebalance": )" + rebalance + "}]" + costs + "}";
}

/// E[V_T] computed here from the parameters: per period sum_k w_k prod_t (1 + L_k m_k - c_k dt)
/// + w_c (1 + (r + s) dt)^len (the borrowed sleeve pays the spread).
double portfolio_mean(int every, double rate, double spread, double er) {
    const double dt = 1.0 / 252, n = 126;
    const double m_s = std::expm1(0.1 * dt), m_b = 0.03 * dt;
    const double c_s = er + 2.0 * (rate + spread);      // 3x: ER + (L - 1)(r + s)
    const double c_b = 0.02 + 1.0 * (rate + spread);    // 2x, its own ER
    double log_mean = 0.0;
    for (int start = 0; start < n; start += every) {
        const int len = std::min<int>(every, static_cast<int>(n) - start);
        log_mean += std::log(0.6 * std::pow(1 + 3 * m_s - c_s * dt, len) +
                             0.5 * std::pow(1 + 2 * m_b - c_b * dt, len) -
                             0.1 * std::pow(1 + (rate + spread) * dt, len));
    }
    return std::exp(log_mean);
}

TEST(Portfolio, ExactMeansWithCorrelatedAssetsAreWithinFiveStandardErrors) {
    const std::string costs =
        R"(, "costs": {"expense_ratio": 0.01, "financing_rate": 0.03, "financing_spread": 0.01})";
    for (const auto& [rebalance, every] : std::vector<std::pair<std::string, int>>{
             {R"({"every_days": 1})", 1}, {R"({"every_days": 21})", 21}, {R"("never")", 126}}) {
        SCOPED_TRACE(rebalance);
        const json r = report(scenario(portfolio_scenario(rebalance, costs)));
        const json& p = r["results"][0];
        const double exact = portfolio_mean(every, 0.03, 0.01, 0.01);
        EXPECT_TRUE(within_se(p["terminal"]["mean"].get<double>(), exact,
                              p["terminal"]["std_error"].get<double>()));
        const json& a = p["analytic"]["mean_terminal"];
        EXPECT_EQ(a["kind"], "exact");
        EXPECT_NEAR(a["value"].get<double>(), exact, 1e-12 * exact);
        EXPECT_LT(std::abs(a["z_score"].get<double>()), 5.0);
        EXPECT_EQ(p["multiple"], 0.6 * 3 + 0.5 * 2);
    }
    // A band or transaction costs: no closed form.
    const json band = report(scenario(portfolio_scenario(R"({"band": 0.05})", costs, 100)));
    EXPECT_FALSE(band["results"][0]["analytic"].contains("mean_terminal"));
}

TEST(Portfolio, CorrelatedGarchAndMertonAssetsKeepTheirExactMeans) {
    // Known conditional means (garch) and i.i.d. jump days (merton): the products of means hold
    // whatever the correlation of their normals.
    const json r = report(scenario(R"({"name": "gm", "seed": 13, "paths": 20000, "days": 126,
      "assets": [{"name": "g", "model": {"type": "garch", "mu": 0.08, "sigma": 0.2, "alpha": 0.1,
                                         "beta": 0.85, "innovations": "student_t", "df": 6}},
                 {"name": "m", "model": {"type": "merton", "mu": 0.05, "sigma": 0.15, "lambda": 2,
                                         "jump_mean": -0.05, "jump_sigma": 0.05}}],
      "correlation": [[1, 0.5], [0.5, 1]], "multiples": [2],
      "strategies": ["daily_reset", {"type": "daily_reset", "asset": "m"},
        {"type": "portfolio", "holdings": [{"asset": "g", "multiple": 2, "weight": 0.5},
          {"asset": "m", "multiple": 2, "weight": 0.5}], "rebalance": {"every_days": 1}}],
      "costs": {"expense_ratio": 0.01, "financing_rate": 0.02}})"));
    int checked = 0;
    for (const json& p : r["results"]) {
        SCOPED_TRACE(p["label"].get<std::string>());
        const json& a = p["analytic"]["mean_terminal"];
        ASSERT_TRUE(a.contains("z_score") && a["z_score"].is_number());
        EXPECT_LT(std::abs(a["z_score"].get<double>()), 5.0);
        ++checked;
    }
    EXPECT_EQ(checked, 3);
}

TEST(Portfolio, OneHoldingOfWeightOneIsThatHolding) {
    const ScenarioConfig c = scenario(R"({"name": "one", "seed": 2, "paths": 500, "days": 300,
      "model": {"type": "gbm", "mu": 0.07, "sigma": 0.3}, "multiples": [3],
      "strategies": ["daily_reset", {"type": "portfolio",
         "holdings": [{"asset": "index", "multiple": 3, "weight": 1}], "rebalance": {"every_days": 21},
         "transaction_cost_bps": 10}],
      "costs": {"expense_ratio": 0.0095, "financing_rate": 0.04, "financing_markup": 0.12}})");
    const auto v = terminal_paths(c);
    for (std::size_t i = 0; i < v[1].size(); ++i)
        ASSERT_NEAR(v[2][i], v[1][i], 1e-12 * v[1][i]) << i;
}

TEST(Portfolio, HalfTwoTimesAndHalfCashDailyIsTheIndexPathByPath) {
    const ScenarioConfig c = scenario(R"({"name": "half", "seed": 4, "paths": 500, "days": 252,
      "model": {"type": "gbm", "mu": 0.05, "sigma": 0.4}, "multiples": [1],
      "strategies": ["daily_reset", {"type": "portfolio",
         "holdings": [{"asset": "index", "multiple": 2, "weight": 0.5}, {"asset": "cash", "weight": 0.5}],
         "rebalance": {"every_days": 1}}]})");
    const auto v = terminal_paths(c);
    for (std::size_t i = 0; i < v[0].size(); ++i) {
        ASSERT_NEAR(v[2][i], v[0][i], 1e-12 * v[0][i]) << i;
        ASSERT_NEAR(v[1][i], v[0][i], 1e-12 * v[0][i]) << i;
    }
}

TEST(Portfolio, RebalancingTalliesCountTheCalendar) {
    const json r = report(scenario(portfolio_scenario(R"({"every_days": 21})", "", 200)));
    const json& p = r["results"][0];
    // 126 days: rebalances on days 21, 42, ..., 126.
    EXPECT_EQ(p["rebalancing"]["trades"]["mean"], 6.0);
    EXPECT_EQ(p["rebalancing"]["trades"]["min"], 6.0);
    EXPECT_EQ(p["rebalancing"]["transaction_costs"]["max"], 0.0);
    const json& w = p["portfolio"]["weights_before_rebalance"];
    ASSERT_TRUE(w.contains("3x stocks") && w.contains("2x bonds") && w.contains("cash"));
    // The weights before each rebalance sum to 1 on every path, so their means do.
    const double sum = w["3x stocks"]["mean"].get<double>() + w["2x bonds"]["mean"].get<double>() +
                       w["cash"]["mean"].get<double>();
    EXPECT_NEAR(sum, 1.0, 1e-12);
    EXPECT_EQ(w["3x stocks"]["paths"], 200);
}

TEST(Portfolio, TransactionCostsAreBasisPointsOfTheTurnover) {
    std::string text = portfolio_scenario(R"({"every_days": 21}, "transaction_cost_bps": 25)", "", 300);
    const json r = report(scenario(text));
    const json& t = r["results"][0]["rebalancing"];
    EXPECT_NEAR(t["transaction_costs"]["mean"].get<double>(),
                25e-4 * t["turnover"]["mean"].get<double>(), 1e-12);
    EXPECT_GT(t["turnover"]["mean"].get<double>(), 0.0);
    EXPECT_NEAR(t["cash_added"]["mean"].get<double>() + t["cash_withdrawn"]["mean"].get<double>(),
                t["turnover"]["mean"].get<double>(), 1e-12);
}

TEST(Portfolio, ABandTradesOnlyWhenAWeightDrifts) {
    const json wide = report(scenario(portfolio_scenario(R"({"band": 5})", "", 200)));
    EXPECT_EQ(wide["results"][0]["rebalancing"]["trades"]["max"], 0.0);
    const json narrow = report(scenario(portfolio_scenario(R"({"band": 0.01})", "", 200)));
    EXPECT_GT(narrow["results"][0]["rebalancing"]["trades"]["mean"].get<double>(), 1.0);
    // Never and a band too wide to trade are the same portfolio.
    const json never = report(scenario(portfolio_scenario(R"("never")", "", 200)));
    EXPECT_EQ(wide["results"][0]["terminal"].dump(), never["results"][0]["terminal"].dump());
}

/// Two price files on the same made-up days: b's close is a's squared, and b lacks the close of
/// day `missing` (a joint model then merges that day into the next on both).
void write_pair(const std::filesystem::path& dir, int missing) {
    std::ofstream a(dir / "a.csv"), b(dir / "b.csv");
    a << "date,close\n";
    b << "Date,Open,High,Low,Close,Adj Close,Volume\n";
    const std::vector<double> closes = test::made_up_closes(120, 50.0, 0.04, 0.49);
    for (int d = 0; d < 120; ++d) {
        const double price = closes[static_cast<std::size_t>(d)];
        const std::string date = test::made_up_date(2001, d);
        a << date << ',' << fmt_close(price) << '\n';
        if (d != missing)
            b << date << ",1,1,1,1," << fmt_close(price * price) << ",0\n";
    }
}

std::string joint_scenario(const std::string& type, const std::string& extra) {
    return R"({"name": "joint", "seed": 6, )" + extra + R"("assets": [
      {"name": "a", "model": {"type": ")" + type + R"(", "csv": "a.csv"}},
      {"name": "b", "model": {"type": ")" + type + R"(", "csv": "b.csv"}}],
      "multiples": [1], "strategies": [{"type": "daily_reset", "asset": "b"}]})";
}

TEST(Assets, AJointDataModelReplaysTheSameDatesOnEveryAsset) {
    test::TempDir dir;
    write_pair(dir.path(), 40);
    const std::string file = (dir.path() / "joint.json").string();
    for (const std::string type : {"historical", "bootstrap"}) {
        SCOPED_TRACE(type);
        const ScenarioConfig c = parse_scenario_text(
            joint_scenario(type, type == "bootstrap" ? R"("paths": 400, "days": 250, )" : ""), file);
        // 120 closes, one of them not common: 118 days.
        EXPECT_EQ(c.market_data->size(), 118u);
        EXPECT_EQ(c.asset_data(1)->size(), 118u);
        EXPECT_EQ(c.asset_data(1)->dates, c.market_data->dates);
        if (type == "historical") {
            EXPECT_EQ(c.days, 118);
        }
        // Day by day (1 + r_b) = (1 + r_a)^2, so the 1x fund on b ends at S_T^2 on every path.
        const auto v = terminal_paths(c);
        for (std::size_t i = 0; i < v[0].size(); ++i)
            ASSERT_NEAR(v[1][i], v[0][i] * v[0][i], 1e-12 * v[1][i]) << i;
    }
}

TEST(Assets, AJointDataModelNeedsOneKindOfModel) {
    test::TempDir dir;
    write_pair(dir.path(), -1);
    const std::string file = (dir.path() / "joint.json").string();
    try {
        parse_scenario_text(R"({"name": "mixed", "multiples": [1], "assets": [
          {"name": "a", "model": {"type": "bootstrap", "csv": "a.csv"}},
          {"name": "b", "model": {"type": "gbm", "mu": 0, "sigma": 0.1}}]})", file);
        ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where(), "/assets/1/model/type");
    }
    try {
        parse_scenario_text(R"({"name": "mixed", "multiples": [1], "assets": [
          {"name": "a", "model": {"type": "bootstrap", "csv": "a.csv", "mean_block_length": 5}},
          {"name": "b", "model": {"type": "bootstrap", "csv": "b.csv"}}]})", file);
        ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where(), "/assets/1/model/mean_block_length");
    }
}

/// The config `text` is refused with an InputError at `where` whose message contains `part`.
void expect_error(const std::string& text, const std::string& where, const std::string& part) {
    SCOPED_TRACE(text);
    try {
        scenario(text);
        ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where(), where) << e.what();
        EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
        EXPECT_EQ(e.file(), "p.json");
    }
}

std::string with(const std::string& assets, const std::string& rest) {
    return R"({"name": "bad", "multiples": [1], "assets": )" + assets + rest + "}";
}

const char* kAB = R"([{"name": "a", "model": {"type": "gbm", "mu": 0, "sigma": 0.2}},
                      {"name": "b", "model": {"type": "gbm", "mu": 0, "sigma": 0.1}}])";

TEST(Portfolio, BadInputNamesTheField) {
    const std::string mix = R"(, "strategies": [{"type": "portfolio", "holdings": )";
    expect_error(with(kAB, mix + R"([{"asset": "a", "weight": 0.5}, {"asset": "b", "weight": 0.4}],
                 "rebalance": "never"}])"),
                 "/strategies/0/holdings", "weights must sum to 1");
    expect_error(with(kAB, mix + R"([{"asset": "c", "weight": 1}], "rebalance": "never"}])"),
                 "/strategies/0/holdings/0/asset", "unknown asset; expected one of a, b, cash");
    expect_error(with(kAB, mix + R"([{"asset": "a", "weight": 1}], "rebalance": "monthly"}])"),
                 "/strategies/0/rebalance", "must be \"never\"");
    expect_error(with(kAB, mix + R"([{"asset": "a", "weight": 1}], "rebalance": {}}])"),
                 "/strategies/0/rebalance", "needs \"every_days\" or \"band\"");
    expect_error(with(kAB, mix + R"([{"asset": "cash", "weight": 1, "multiple": 2}], "rebalance": "never"}])"),
                 "/strategies/0/holdings/0/multiple", "cash sleeve");
    expect_error(with(kAB, mix + R"([{"asset": "a", "weight": 0.5}, {"asset": "a", "weight": 0.5}],
                 "rebalance": "never"}])"),
                 "/strategies/0/holdings/1", "the same fund");
    expect_error(with(kAB, R"(, "strategies": [{"type": "daily_reset", "asset": "z"}])"),
                 "/strategies/0/asset", "unknown asset; expected one of a, b");
    expect_error(with(kAB, R"(, "strategies": ["daily_reset", {"type": "daily_reset", "asset": "a"}])"),
                 "/strategies/1", "duplicate strategy");
    expect_error(with(kAB, R"(, "correlation": [[1, 0.9], [0.9, 1]], "model": {"type": "gbm", "mu": 0, "sigma": 0.1})"),
                 "/assets", "either");
    expect_error(with(R"([{"name": "a", "model": {"type": "gbm", "mu": 0, "sigma": 0.2}},
                          {"name": "a", "model": {"type": "gbm", "mu": 0, "sigma": 0.1}}])", ""),
                 "/assets/1/name", "duplicate asset name");
    expect_error(with(R"([{"name": "cash", "model": {"type": "gbm", "mu": 0, "sigma": 0.2}}])", ""),
                 "/assets/0/name", "cash sleeve");
}

TEST(Assets, BadCorrelationNamesTheMatrix) {
    const std::string three = R"([{"name": "a", "model": {"type": "gbm", "mu": 0, "sigma": 0.2}},
                                  {"name": "b", "model": {"type": "gbm", "mu": 0, "sigma": 0.1}},
                                  {"name": "c", "model": {"type": "gbm", "mu": 0, "sigma": 0.1}}])";
    expect_error(with(three, R"(, "correlation": [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]])"),
                 "/correlation", "not positive semi-definite");
    expect_error(with(kAB, R"(, "correlation": [[1, 0.2], [0.3, 1]])"), "/correlation/1/0",
                 "symmetric");
    expect_error(with(kAB, R"(, "correlation": [[1, 0.2], [0.2, 0.9]])"), "/correlation/1/1",
                 "diagonal");
    expect_error(with(kAB, R"(, "correlation": [[1, 1.2], [1.2, 1]])"), "/correlation/0/1",
                 "[-1, 1]");
    expect_error(with(kAB, R"(, "correlation": [[1, 0.2]])"), "/correlation", "2 x 2");
    expect_error(with(R"([{"name": "a", "model": {"type": "heston", "mu": 0.08, "v0": 0.04, "kappa": 3, "theta": 0.04, "xi": 0.5, "rho": -0.7}},
                          {"name": "b", "model": {"type": "gbm", "mu": 0, "sigma": 0.1}}])",
                      R"(, "correlation": [[1, 0.5], [0.5, 1]])"),
                 "/correlation/0/1", "gbm, trend_noise, garch and merton");
    expect_error(R"({"name": "bad", "multiples": [1], "model": {"type": "gbm", "mu": 0, "sigma": 0.1},
                    "correlation": [[1]]})",
                 "/correlation", "needs \"assets\"");
    expect_error(with(R"([{"name": "a", "model": {"type": "trend_noise", "mu": 0, "sigma": 0.2, "noise": "student_t", "df": 4}},
                          {"name": "b", "model": {"type": "trend_noise", "mu": 0, "sigma": 0.1}}])",
                      R"(, "correlation": [[1, 0.5], [0.5, 1]])"),
                 "/correlation/1/0", "Student t asset with a normal one");
}

} // namespace
} // namespace letf
