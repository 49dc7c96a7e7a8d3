// The model registry: parse/write round trips, names, facts, and strip fills bit-identical to the
// fills before the models moved into models/ (FNV-1a hashes of the bytes).

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/models/registry.hpp"
#include "letf/models/strip_source.hpp"

namespace letf {
namespace {

using nlohmann::json;

/// One object per model type, every field given (as model_to_json writes them back).
const char* const kModels[] = {
    R"({"type": "gbm", "mu": 0.07, "sigma": 0.3})",
    R"({"type": "trend_noise", "mu": 0.05, "sigma": 0.4, "noise": "student_t", "df": 5.0})",
    R"({"type": "choppy", "amplitude_daily": 0.02, "trend_daily": 0.001,
        "noise_sigma_daily": 0.01, "start": "down"})",
    R"({"type": "pattern", "returns_daily": [0.01, -0.02, 0.005]})",
    R"({"type": "historical", "csv": "/d/spy.csv", "column": "adj_close",
        "start": "2010-01-04", "max_gap_days": 12})",
    R"({"type": "bootstrap", "csv": "/d/qqq.csv", "column": "close", "end": "2020-12-31",
        "max_gap_days": 10, "mean_block_length": 20.0})",
    R"({"type": "heston", "mu": 0.05, "v0": 0.04, "kappa": 2.0, "theta": 0.05, "xi": 0.5,
        "rho": -0.7, "substeps": 2})",
    R"({"type": "regime", "states": [{"mu": 0.1, "sigma": 0.1, "name": "calm"},
        {"mu": -0.2, "sigma": 0.4, "name": "storm"}], "transition_daily": [[0.9, 0.1],
        [0.2, 0.8]], "initial": "stationary"})",
    R"({"type": "garch", "mu": 0.06, "sigma": 0.2, "alpha": 0.08, "beta": 0.9, "gamma": 0.02,
        "innovations": "student_t", "df": 6.0, "sigma0": 0.3})",
    R"({"type": "merton", "mu": 0.07, "sigma": 0.18, "lambda": 0.5, "jump_mean": -0.1,
        "jump_sigma": 0.15})",
};

TEST(Models, EveryModelRoundTripsThroughTheRegistry) {
    ASSERT_EQ(std::size(kModels), std::variant_size_v<PathModel>);
    for (const char* text : kModels) {
        SCOPED_TRACE(text);
        const json given = json::parse(text);
        const PathModel m = parse_model(given, "s.json");
        EXPECT_EQ(model_type_name(m), given.at("type").get<std::string>());
        const nlohmann::ordered_json written = model_to_json(m);
        EXPECT_EQ(json(written), given);
        EXPECT_EQ(written.begin().key(), "type"); // "type" first, as before
        EXPECT_EQ(model_to_json(parse_model(json(written), "s.json")).dump(), written.dump());
    }
}

TEST(Models, UnknownTypeListsTheRegistryInOrder) {
    EXPECT_EQ(model_type_names(),
              "gbm, trend_noise, choppy, pattern, historical, bootstrap, heston, regime, garch, "
              "merton");
    try {
        parse_model(json::parse(R"({"type": "sabr"})"), "s.json");
        ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where(), "/model/type");
        EXPECT_EQ(e.message(),
                  "unknown model type; expected one of gbm, trend_noise, choppy, pattern, "
                  "historical, bootstrap, heston, regime, garch, merton");
        EXPECT_EQ(e.value(), "\"sabr\"");
    }
}

TEST(Models, KeysOutsideTheModelsOwnAreErrors) {
    try {
        parse_model(json::parse(R"({"type": "gbm", "mu": 0, "sigma": 0.1, "df": 3})"), "s.json");
        ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where(), "/model/df");
        EXPECT_EQ(e.message(), "unknown key; expected one of type, mu, sigma");
    }
}

TEST(Models, OnlyTheDataModelsReadAPriceFile) {
    EXPECT_TRUE(reads_price_file(PathModel{HistoricalModel{}}));
    EXPECT_TRUE(reads_price_file(PathModel{BootstrapModel{}}));
    EXPECT_FALSE(reads_price_file(PathModel{GbmModel{}}));
    EXPECT_FALSE(reads_price_file(PathModel{PatternModel{{0.0}}}));
}

/// Data days with known returns and rates.
std::shared_ptr<const MarketData> test_data(int n) {
    MarketData m;
    for (int i = 0; i < n; ++i) {
        m.returns.push_back(0.001 * ((i * 37) % 23 - 11));
        m.rates.push_back(0.0001 * (i % 7));
        m.accrual_days.push_back(1);
        m.dates.push_back(Date{} + std::chrono::days(i));
    }
    return std::make_shared<const MarketData>(std::move(m));
}

TEST(Models, FactsOfEachModel) {
    const ModelContext c{.dt = 1.0 / 252, .days = 4, .data = nullptr};
    const ModelFacts gbm = model_facts(PathModel{GbmModel{0.1, 0.2}}, c);
    EXPECT_FALSE(gbm.deterministic);
    EXPECT_FALSE(gbm.one_outcome);
    EXPECT_TRUE(gbm.identical_days);
    EXPECT_EQ(gbm.mean_return, std::vector<double>(4, std::expm1(0.1 / 252)));
    EXPECT_DOUBLE_EQ(gbm.daily_log_sd, 0.2 / std::sqrt(252.0));
    ASSERT_TRUE(gbm.lognormal.has_value());
    EXPECT_EQ(gbm.lognormal->mu, 0.1);
    EXPECT_EQ(gbm.lognormal->sigma, 0.2);
    EXPECT_TRUE(model_facts(PathModel{GbmModel{0.1, 0.0}}, c).one_outcome);

    const ModelFacts t =
        model_facts(PathModel{TrendNoiseModel{0.1, 0.2, Noise::student_t, 6.0}}, c);
    EXPECT_DOUBLE_EQ(t.daily_log_sd, 0.2 / std::sqrt(252.0) * std::sqrt(6.0 / 4.0));
    EXPECT_DOUBLE_EQ(t.mean_return[3], 0.1 / 252);
    EXPECT_FALSE(t.lognormal.has_value());

    const ModelFacts choppy = model_facts(PathModel{ChoppyModel{0.02, 0.001, 0.0, false}}, c);
    EXPECT_TRUE(choppy.deterministic);
    EXPECT_TRUE(choppy.one_outcome);
    EXPECT_FALSE(choppy.identical_days);
    EXPECT_EQ(choppy.mean_return,
              (std::vector<double>{0.001 - 0.02, 0.001 + 0.02, 0.001 - 0.02, 0.001 + 0.02}));
    EXPECT_FALSE(model_facts(PathModel{ChoppyModel{0.02, 0.0, 0.01, true}}, c).deterministic);

    const ModelFacts pattern = model_facts(PathModel{PatternModel{{0.01, -0.02, 0.005}}}, c);
    EXPECT_TRUE(pattern.deterministic);
    EXPECT_EQ(pattern.mean_return, (std::vector<double>{0.01, -0.02, 0.005, 0.01}));

    const auto data = test_data(10);
    const ModelContext dc{.dt = 1.0 / 252, .days = 4, .data = data.get()};
    const ModelFacts hist = model_facts(PathModel{HistoricalModel{}}, dc);
    EXPECT_TRUE(hist.deterministic);
    EXPECT_TRUE(hist.has_rates);
    EXPECT_EQ(hist.mean_return,
              std::vector<double>(data->returns.begin(), data->returns.begin() + 4));

    BootstrapModel b;
    b.mean_block_length = 5;
    const ModelFacts boot = model_facts(PathModel{b}, dc);
    EXPECT_FALSE(boot.deterministic);
    EXPECT_FALSE(boot.one_outcome);
    EXPECT_FALSE(boot.days_independent);
    EXPECT_TRUE(boot.has_rates);
    EXPECT_GT(boot.daily_log_sd, 0.0);
    double mean = 0.0;
    for (double r : data->returns)
        mean += r;
    EXPECT_DOUBLE_EQ(boot.mean_return[2], mean / 10.0);
    b.mean_block_length = 1;
    EXPECT_TRUE(model_facts(PathModel{b}, dc).days_independent);
}

std::uint64_t fnv1a(const void* p, std::size_t n, std::uint64_t h) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/// Hash of the returns (and rates) of three strips over 150 days in engine-sized chunks, and of
/// the generators' states after them.
std::uint64_t fill_hash(const PathModel& model) {
    const int total = 150;
    const StripSource source(model, 1.0 / 252, total, test_data(200));
    std::uint64_t h = 0xcbf29ce484222325ULL;
    std::vector<double> out(kDayChunk * kStripPaths), rates(kDayChunk * kStripPaths);
    for (std::uint64_t first : {0ull, 16ull, 4096ull}) {
        StripRng rng = StripRng::for_paths(77, first);
        StripSource::State state = source.start(77, first);
        for (int day = 1; day <= total; day += kDayChunk) {
            const int days = std::min(kDayChunk, total - day + 1);
            source.fill(day, days, rng, state, out.data(), rates.data());
            const auto bytes = sizeof(double) * static_cast<std::size_t>(days * kStripPaths);
            h = fnv1a(out.data(), bytes, h);
            if (source.facts().has_rates)
                h = fnv1a(rates.data(), bytes, h);
        }
        h = fnv1a(rng.state, sizeof rng.state, h);
    }
    return h;
}

TEST(Models, StripFillsAreBitIdenticalToTheFillsBeforeTheRegistry) {
    BootstrapModel iid, block;
    block.mean_block_length = 7;
    const struct {
        const char* name;
        PathModel model;
        std::uint64_t hash;
    } cases[] = {
        {"gbm", GbmModel{0.07, 0.3}, 0x11feb74a391ba142ULL},
        {"trend_normal", TrendNoiseModel{0.05, 0.4, Noise::normal, std::nullopt},
         0xd9132473c83bf0e2ULL},
        {"trend_student", TrendNoiseModel{0.05, 0.4, Noise::student_t, 5.0}, 0x1140248c271f45d8ULL},
        {"choppy_noisy", ChoppyModel{0.02, 0.001, 0.01, false}, 0x3b0303fb437d403aULL},
        {"choppy_plain", ChoppyModel{0.03, -0.002, 0.0, true}, 0x8d6cedeb62969a95ULL},
        {"pattern", PatternModel{{0.01, -0.02, 0.005}}, 0xeb6cdc773c442cb5ULL},
        {"historical", HistoricalModel{}, 0x50520ba58df4f2f5ULL},
        {"bootstrap_iid", iid, 0x1134664eccc412a0ULL},
        {"bootstrap_block7", block, 0xa9fecf9a148610e3ULL},
    };
    for (const auto& c : cases)
        EXPECT_EQ(fill_hash(c.model), c.hash) << c.name;
}

} // namespace
} // namespace letf
