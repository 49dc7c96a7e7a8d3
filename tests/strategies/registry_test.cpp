// The strategy registry: parse and write through the variant, one label per entry, the names
// list, tallies and carry per strategy, and the exact error messages of a bad entry.

#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/config/scenario.hpp"
#include "letf/strategies/registry.hpp"

namespace letf {
namespace {

const std::string kFile = "x.json";
const std::vector<double> kMultiples{2.0, -1.0};

Strategy parse(const std::string& text) {
    return parse_strategy(nlohmann::json::parse(text), StrategyContext{kFile, "/s/0", kMultiples});
}

/// The what() of the error a bad entry throws.
std::string error_of(const std::string& text) {
    try {
        parse(text);
    } catch (const InputError& e) {
        return e.what();
    }
    ADD_FAILURE() << "accepted: " << text;
    return {};
}

/// A fund strategy that forgot its theory: not a StrategyType, so it cannot join the variant
/// (registry.hpp's static_assert), instead of silently getting another strategy's formula.
struct NoTheory {
    static constexpr std::string_view kName = "no_theory";
    static constexpr bool kInvestor = false;
    using Tallies = NoTallies;
    static NoTheory parse(const nlohmann::json& object, const StrategyContext& ctx);
    void write(nlohmann::ordered_json& parameters) const;
    std::string label() const;
    double carry(const Costs& costs, double multiple) const;
    bool operator==(const NoTheory&) const = default;
};
static_assert(!StrategyType<NoTheory>);
static_assert(StrategyType<DailyReset> && StrategyType<TargetLeverage>);

struct RoundTrip {
    std::string input, written;
};

/// Stable test names in `ctest -N` (gtest would print the struct's bytes).
void PrintTo(const RoundTrip& c, std::ostream* os) { *os << c.input; }

class RegistryRoundTrip : public ::testing::TestWithParam<RoundTrip> {};

TEST_P(RegistryRoundTrip, WritesTheCanonicalEntryAndReadsItBack) {
    const Strategy s = parse(GetParam().input);
    const nlohmann::ordered_json written = to_json(s);
    EXPECT_EQ(written.dump(), GetParam().written);
    EXPECT_EQ(parse(written.dump()), s);
}

INSTANTIATE_TEST_SUITE_P(
    Strategies, RegistryRoundTrip,
    ::testing::Values(
        RoundTrip{R"("daily_reset")", R"("daily_reset")"},
        RoundTrip{R"({"type": "unrebalanced"})", R"("unrebalanced")"},
        RoundTrip{R"({"type": "calendar_rebalance", "every_days": 21})",
                  R"({"type":"calendar_rebalance","every_days":21,"transaction_cost_bps":0.0})"},
        RoundTrip{
            R"({"type": "band_rebalance", "band": 0.1, "transaction_cost_bps": 5})",
            R"({"type":"band_rebalance","every_days":1,"band":0.1,"transaction_cost_bps":5.0})"},
        RoundTrip{R"({"type": "target_leverage", "band": 0.5, "maintenance_margin": 0.25})",
                  R"({"type":"target_leverage","band":0.5,"maintenance_margin":0.25,)"
                  R"("transaction_cost_bps":0.0})"},
        RoundTrip{R"({"type": "sma_rotation", "window_days": 100, "off": "index"})",
                  R"({"type":"sma_rotation","window_days":100,"band":0.0,"off":"index",)"
                  R"("transaction_cost_bps":0.0})"},
        RoundTrip{R"({"type": "vol_target", "target": 0.2})",
                  R"({"type":"vol_target","target":0.2,"window_days":20,"every_days":1,)"
                  R"("min_leverage":0.0,"transaction_cost_bps":0.0})"},
        RoundTrip{R"({"type": "drawdown_derisk", "threshold": 0.2, "recover": 0.1})",
                  R"({"type":"drawdown_derisk","threshold":0.2,"fallback":1.0,"recover":0.1,)"
                  R"("transaction_cost_bps":0.0})"}));

TEST(Registry, NamesFollowTheVariantOrder) {
    EXPECT_EQ(strategy_names(),
              "daily_reset, unrebalanced, calendar_rebalance, band_rebalance, target_leverage, "
              "sma_rotation, vol_target, drawdown_derisk, portfolio");
    EXPECT_EQ(strategy_name(Strategy(BandRebalance{})), "band_rebalance");
    EXPECT_EQ(to_string(Strategy(TargetLeverage{})), "target_leverage");
}

TEST(Registry, LabelShowsEveryParameterThatDistinguishesTwoEntries) {
    EXPECT_EQ(label(DailyReset{}), "daily_reset");
    EXPECT_EQ(label(Unrebalanced{}), "unrebalanced");
    EXPECT_EQ(label(CalendarRebalance{.every_days = 21}), "calendar_rebalance(every_days=21)");
    EXPECT_EQ(label(BandRebalance{.band = 0.1}), "band_rebalance(band=0.1)");
    EXPECT_EQ(label(TargetLeverage{.every_days = 21, .band = 0.5}),
              "target_leverage(every_days=21,band=0.5)");
    EXPECT_EQ(label(BandRebalance{.band = 0.1, .every_days = 5, .transaction_cost_bps = 2.5}),
              "band_rebalance(every_days=5,band=0.1,transaction_cost_bps=2.5)");
    EXPECT_EQ(strategy_label(CalendarRebalance{.every_days = 5}), label(CalendarRebalance{5}));
}

TEST(Registry, TwoCalendarEntriesOfAScenarioHaveTwoLabels) {
    const ScenarioConfig c = parse_scenario_text(
        R"({"name": "two", "model": {"type": "gbm", "mu": 0, "sigma": 0.2}, "multiples": [2],
            "strategies": [{"type": "calendar_rebalance", "every_days": 5},
                           {"type": "calendar_rebalance", "every_days": 21}]})",
        kFile);
    ASSERT_EQ(c.strategies.size(), 2u);
    EXPECT_EQ(label(c.strategies[0]), "calendar_rebalance(every_days=5)");
    EXPECT_EQ(label(c.strategies[1]), "calendar_rebalance(every_days=21)");
}

TEST(Registry, DistinctEntriesNeverShareALabel) {
    const std::vector<Strategy> entries{
        DailyReset{},
        Unrebalanced{},
        CalendarRebalance{.every_days = 21},
        CalendarRebalance{.every_days = 21, .transaction_cost_bps = 5},
        BandRebalance{.band = 0.1},
        BandRebalance{.band = 0.1, .every_days = 5},
        BandRebalance{.band = 0.2},
        TargetLeverage{.every_days = 21},
        TargetLeverage{.band = 0.5},
        TargetLeverage{.every_days = 21, .band = 0.5},
        TargetLeverage{.every_days = 21, .maintenance_margin = 0.25},
    };
    std::set<std::string> labels;
    for (const Strategy& s : entries)
        labels.insert(label(s));
    EXPECT_EQ(labels.size(), entries.size());
}

TEST(Registry, TalliesAreEmptyForFundsAndNamedForInvestors) {
    EXPECT_TRUE(tally_fields(DailyReset{}).empty());
    EXPECT_TRUE(tally_fields(Unrebalanced{}).empty());
    ASSERT_EQ(tally_fields(CalendarRebalance{}).size(), 5u);
    EXPECT_EQ(tally_fields(BandRebalance{}).back(), "transaction_costs");
    ASSERT_EQ(tally_fields(TargetLeverage{}).size(), 6u);
    EXPECT_EQ(tally_fields(TargetLeverage{}).back(), "forced_deleverages");
    EXPECT_FALSE(is_investor(DailyReset{}));
    EXPECT_FALSE(is_investor(Unrebalanced{}));
    EXPECT_TRUE(is_investor(CalendarRebalance{}));
    EXPECT_TRUE(is_investor(BandRebalance{}));
    EXPECT_TRUE(is_investor(TargetLeverage{}));
}

TEST(Registry, CarryIsTheFundsForFundHoldersAndTheAccountRateOtherwise) {
    const Costs k{.expense_ratio = 0.01, .financing_rate = 0.02, .financing_spread = 0.005};
    for (const double L : {3.0, 0.5, -2.0}) {
        EXPECT_EQ(strategy_carry(DailyReset{}, k, L), fund_carry(k, L));
        EXPECT_EQ(strategy_carry(CalendarRebalance{}, k, L), fund_carry(k, L));
        EXPECT_EQ(strategy_carry(BandRebalance{}, k, L), fund_carry(k, L));
        EXPECT_EQ(strategy_carry(Unrebalanced{}, k, L), unrebalanced_rate(k, L));
        EXPECT_EQ(strategy_carry(TargetLeverage{}, k, L), unrebalanced_rate(k, L));
    }
}

TEST(Registry, ErrorMessagesNameThePointerAndTheValue) {
    EXPECT_EQ(error_of(R"("weekly")"),
              "x.json: /s/0: unknown strategy; expected one of daily_reset, unrebalanced, "
              "calendar_rebalance, band_rebalance, target_leverage, sma_rotation, vol_target, "
              "drawdown_derisk, portfolio (got \"weekly\")");
    EXPECT_EQ(error_of(R"({"type": "weekly"})"),
              "x.json: /s/0/type: unknown strategy; expected one of daily_reset, unrebalanced, "
              "calendar_rebalance, band_rebalance, target_leverage, sma_rotation, vol_target, "
              "drawdown_derisk, portfolio (got \"weekly\")");
    EXPECT_EQ(error_of(R"("band_rebalance")"),
              "x.json: /s/0: needs parameters: write it as an object, e.g. {\"type\": "
              "\"band_rebalance\", \"every_days\": 21} (got \"band_rebalance\")");
    EXPECT_EQ(error_of("3"),
              "x.json: /s/0: must be a strategy name or an object with \"type\" (got 3)");
    EXPECT_EQ(error_of(R"({"every_days": 3})"), "x.json: /s/0/type: missing required key");
    EXPECT_EQ(error_of(R"({"type": "calendar_rebalance"})"),
              "x.json: /s/0/every_days: missing required key");
    EXPECT_EQ(error_of(R"({"type": "daily_reset", "band": 1})"),
              "x.json: /s/0/band: unknown key; expected one of type (got 1)");
    EXPECT_EQ(error_of(R"({"type": "target_leverage"})"),
              "x.json: /s/0: needs \"every_days\", \"band\" or both (got {\"type\":"
              "\"target_leverage\"})");
    EXPECT_EQ(error_of(R"({"type": "target_leverage", "band": 0.1, "maintenance_margin": 0.6})"),
              "x.json: /s/0/maintenance_margin: must be below 1 / |L| = 0.5 for the multiple 2.0 "
              "(the target leverage would violate it) (got 0.6)");
}

} // namespace
} // namespace letf
