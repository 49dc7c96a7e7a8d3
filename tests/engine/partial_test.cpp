// accumulate / merge / finalize and the byte form of PartialResult: any split of the blocks,
// merged in order (through bytes or not), gives the bytes of the report of one run.

#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "letf/engine/engine.hpp"
#include "letf/output/report.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

/// gbm with a fund, an unrebalanced and an investor position per multiple, bands and a
/// histogram: every part of a partial is used. 10 blocks of 100 paths.
ScenarioConfig split_scenario() {
    ScenarioConfig c = test::gbm_scenario(0.07, 0.35, {-2.0, 3.0}, 1000, 40);
    c.strategies = {DailyReset{}, Unrebalanced{}, CalendarRebalance{.every_days = 5}};
    c.bands = BandsSpec{10, {0.1, 0.5, 0.9}};
    c.histogram = HistogramSpec{20, 0.1, 10.0};
    return c;
}

EngineOptions options(bool exact) {
    EngineOptions o;
    o.block_paths = 100;
    if (!exact)
        o.exact_quantile_budget = 10; // far below paths x (2 positions + 2): sketches
    return o;
}

std::string report_without_run_info(const ScenarioConfig& c, const SimulationResult& r) {
    nlohmann::ordered_json j = build_report(c, r);
    j.erase("run_info");
    return report_text(j);
}

class Split : public ::testing::TestWithParam<bool> {};

TEST_P(Split, AnySplitMergedInOrderGivesTheReportOfOneRun) {
    const ScenarioConfig c = split_scenario();
    const Plan plan = make_plan(c, options(GetParam()));
    ASSERT_EQ(plan.blocks, 10);
    ASSERT_EQ(plan.exact, GetParam());
    const std::string whole = report_without_run_info(c, simulate(c, options(GetParam())));
    for (std::int64_t k : {1, 4, 9}) {
        PartialResult left = accumulate(plan, {0, k}, 2);
        PartialResult right = accumulate(plan, {k, plan.blocks}, 1);
        EXPECT_FALSE(right.pending.empty());
        merge(left, deserialize(plan, serialize(right)));
        EXPECT_EQ(report_without_run_info(c, finalize(plan, std::move(left))), whole)
            << "split at block " << k;
    }
}

TEST_P(Split, RightHandMergesFirstGiveTheSameBytes) {
    const ScenarioConfig c = split_scenario();
    const Plan plan = make_plan(c, options(GetParam()));
    const std::string whole = report_without_run_info(c, simulate(c, options(GetParam())));
    PartialResult a = accumulate(plan, {0, 3}, 1);
    PartialResult b = accumulate(plan, {3, 7}, 2);
    PartialResult d = accumulate(plan, {7, 10}, 3);
    merge(b, std::move(d)); // [3, 10): still block tallies, folded once [0, 3) joins
    merge(a, std::move(b));
    EXPECT_EQ(a.range.end_block, 10);
    EXPECT_TRUE(a.pending.empty());
    EXPECT_EQ(report_without_run_info(c, finalize(plan, std::move(a))), whole);
}

TEST_P(Split, SerialisationRoundTripsByteForByte) {
    const ScenarioConfig c = split_scenario();
    const Plan plan = make_plan(c, options(GetParam()));
    for (BlockRange range : {BlockRange{0, 10}, BlockRange{2, 6}, BlockRange{5, 5}}) {
        const PartialResult p = accumulate(plan, range, 2);
        const std::string bytes = serialize(p);
        const PartialResult back = deserialize(plan, bytes);
        EXPECT_EQ(serialize(back), bytes);
        EXPECT_EQ(back.range.first_block, range.first_block);
        EXPECT_EQ(back.range.end_block, range.end_block);
        EXPECT_EQ(back.columns.size(), p.columns.size());
        EXPECT_EQ(back.sketches.size(), p.sketches.size());
        EXPECT_EQ(back.histogram, p.histogram);
    }
    const SimulationResult direct = finalize(plan, accumulate(plan, {0, 10}));
    const SimulationResult via_bytes =
        finalize(plan, deserialize(plan, serialize(accumulate(plan, {0, 10}))));
    EXPECT_EQ(report_without_run_info(c, via_bytes), report_without_run_info(c, direct));
}

TEST(Partial, ModelStatisticsSplitAndSerialisedGiveTheBytesOfOneRun) {
    // A regime model tallies the share of days in each state per path: those moments travel in
    // the partials too (block order, through bytes).
    const ScenarioConfig c = parse_scenario_text(R"({"name": "split_regime", "seed": 3,
        "paths": 1000, "days": 40, "multiples": [2],
        "model": {"type": "regime", "states": [{"name": "calm", "mu": 0.1, "sigma": 0.1},
                                               {"name": "wild", "mu": -0.1, "sigma": 0.4}],
                  "transition_daily": [[0.95, 0.05], [0.2, 0.8]]}})",
                                                 "split_regime.json");
    const Plan plan = make_plan(c, options(true));
    ASSERT_EQ(plan.facts.statistics.size(), 2u);
    const std::string whole = report_without_run_info(c, simulate(c, options(true)));
    ASSERT_NE(whole.find("share_of_days_wild"), std::string::npos);
    PartialResult left = accumulate(plan, {0, 3}, 1);
    PartialResult right = accumulate(plan, {3, plan.blocks}, 2);
    ASSERT_EQ(right.pending.front().model.size(), 2u);
    merge(left, deserialize(plan, serialize(right)));
    EXPECT_EQ(report_without_run_info(c, finalize(plan, std::move(left))), whole);
}

INSTANTIATE_TEST_SUITE_P(Engine, Split, ::testing::Values(true, false),
                         [](const auto& p) { return p.param ? "exact" : "sketch"; });

TEST(Partial, MisuseIsAnErrorNotAWrongResult) {
    const ScenarioConfig c = split_scenario();
    const Plan plan = make_plan(c, options(true));
    PartialResult a = accumulate(plan, {0, 3});
    EXPECT_THROW(merge(a, accumulate(plan, {4, 10})), std::invalid_argument); // a gap
    EXPECT_THROW(finalize(plan, accumulate(plan, {0, 9})), std::invalid_argument);

    const std::string bytes = serialize(a);
    EXPECT_THROW(deserialize(plan, bytes.substr(0, bytes.size() - 1)), std::runtime_error);
    EXPECT_THROW(deserialize(plan, bytes + "x"), std::runtime_error);
    EXPECT_THROW(deserialize(plan, "not a partial result"), std::runtime_error);
    ScenarioConfig other = c;
    other.multiples = {2.0};
    EXPECT_THROW(deserialize(make_plan(other, options(true)), bytes), std::runtime_error);
    EXPECT_THROW(deserialize(make_plan(c, options(false)), bytes), std::runtime_error);
}

TEST(Partial, ProgressCountsThePathsOfTheRange) {
    const ScenarioConfig c = split_scenario();
    EngineOptions o = options(true);
    std::int64_t last = -1;
    o.progress = [&](std::int64_t done) { last = done; };
    const Plan plan = make_plan(c, o);
    accumulate(plan, {2, 7});
    EXPECT_EQ(last, 500);
}

} // namespace
} // namespace letf
