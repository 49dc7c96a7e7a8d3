// Resources of a run: memory estimate and limit, allocation failures, threads.

#include <cstdint>
#include <cstdlib>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <omp.h>

#include "letf/base/error.hpp"
#include "letf/base/limits.hpp"
#include "letf/engine/engine.hpp"
#include "letf/strategies/strategy.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

/// Sets LETF_MEMORY_LIMIT_MIB for the scope and restores what was there.
class MemoryLimitMib {
public:
    explicit MemoryLimitMib(const char* value) {
        if (const char* old = std::getenv(limits::kMemoryLimitVariable))
            old_ = old;
        if (value)
            ::setenv(limits::kMemoryLimitVariable, value, 1);
        else
            ::unsetenv(limits::kMemoryLimitVariable);
    }
    ~MemoryLimitMib() {
        if (old_)
            ::setenv(limits::kMemoryLimitVariable, old_->c_str(), 1);
        else
            ::unsetenv(limits::kMemoryLimitVariable);
    }
    MemoryLimitMib(const MemoryLimitMib&) = delete;
    MemoryLimitMib& operator=(const MemoryLimitMib&) = delete;

private:
    std::optional<std::string> old_;
};

ScenarioConfig daily_bands(int days, std::int64_t paths, int every_days) {
    ScenarioConfig c = test::gbm_scenario(0.07, 0.2, {-3, -2, -1, 1, 1.5, 2, 2.5, 3}, paths, days);
    c.strategies = {Strategy(DailyReset{})};
    c.bands = BandsSpec{};
    c.bands->every_days = every_days;
    return c;
}

TEST(EngineResources, DefaultThreadsAreCappedLikeTheFlag) {
    const int before = omp_get_max_threads();
    omp_set_num_threads(100000); // as OMP_NUM_THREADS=100000
    EXPECT_EQ(resolve_threads(0), limits::kMaxThreads);
    omp_set_num_threads(3);
    EXPECT_EQ(resolve_threads(0), 3);
    omp_set_num_threads(before);
    EXPECT_EQ(resolve_threads(7), 7);
    EXPECT_EQ(resolve_threads(1'000'000), limits::kMaxThreads);
}

TEST(EngineResources, NoMoreThreadsThanBlocks) {
    const ScenarioConfig c = test::gbm_scenario(0.0, 0.2, {2}, 3000, 5); // 3 blocks of 1024
    EXPECT_EQ(simulate(c, {.threads = 64}).threads, 3);
    EXPECT_EQ(simulate(c, {.threads = 2}).threads, 2);
}

TEST(EngineResources, EstimateGrowsWithWhatHoldsMemory) {
    // Bands on every day cost about every_days times as much as on every 20th.
    const MemoryEstimate daily = estimate_memory(daily_bands(2000, 2000, 1), 2);
    const MemoryEstimate monthly = estimate_memory(daily_bands(2000, 2000, 20), 2);
    EXPECT_GT(daily.bands, 15 * monthly.bands);
    EXPECT_GT(daily.bands, daily.total() / 2); // the part that dominates
    // Per-thread sketches: twice the threads, about twice the bands.
    const MemoryEstimate four = estimate_memory(daily_bands(2000, 4000, 1), 4);
    EXPECT_GT(four.bands, daily.bands * 3 / 2);
    // No bands, no histogram: nothing counted for them.
    ScenarioConfig plain = daily_bands(2000, 2000, 1);
    plain.bands.reset();
    const MemoryEstimate p = estimate_memory(plain, 2);
    EXPECT_EQ(p.bands, 0u);
    EXPECT_EQ(p.histograms, 0u);
    // Exact quantiles: kSeriesColumns (P + 1) stored values per path, ln S_T, and for each of
    // the min(T, 4S) concurrent selections a copy and a work array.
    EXPECT_EQ(p.exact_store,
              static_cast<std::uint64_t>(8 * 2000 * (kSeriesColumns * 9 + 1 + 2 * 2)));
    EXPECT_EQ(p.quantile_sketches, 0u);
    // Sketched quantiles beyond the exact budget instead of the store.
    ScenarioConfig many = plain;
    many.paths = 10'000'000;
    const MemoryEstimate m = estimate_memory(many, 2);
    EXPECT_EQ(m.exact_store, 0u);
    EXPECT_GT(m.quantile_sketches, 0u);
}

TEST(EngineResources, LoanTableOnlyForUnrebalancedPositions) {
    ScenarioConfig c = test::gbm_scenario(0.0, 0.2, {1.5, 2, 3}, 1, 1'000'000);
    c.strategies = {Strategy(DailyReset{})};
    // Was 8 bytes per day for every position: 24 MB here, per thread.
    EXPECT_LT(StripWalker(make_positions(c), c.days).memory_bytes(), std::size_t{1} << 20);
    c.strategies = {Strategy(DailyReset{}), Strategy(Unrebalanced{})};
    const std::size_t with = StripWalker(make_positions(c), c.days).memory_bytes();
    EXPECT_GE(with, 3u * 8u * 1'000'001u);
    EXPECT_LT(with, 3u * 8u * 1'000'001u + (std::size_t{1} << 20));
    // The estimate counts the same table.
    const MemoryEstimate e = estimate_memory(c, 1);
    c.strategies = {Strategy(DailyReset{})};
    EXPECT_GT(e.workspaces, estimate_memory(c, 1).workspaces + 2 * 3u * 8u * 1'000'000u);
}

TEST(EngineResources, RefusalNamesTheFieldTheEstimateAndTheLimit) {
    const MemoryLimitMib limit("256");
    EXPECT_EQ(memory_limit_bytes(), std::uint64_t{256} << 20);
    const ScenarioConfig c = daily_bands(2000, 2000, 1);
    try {
        check_memory(c, 2, "bands.json");
        FAIL() << "expected a refusal";
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), "bands.json");
        EXPECT_EQ(e.where(), "/bands/every_days");
        EXPECT_EQ(e.value(), "1");
        const std::string mib =
            std::to_string((estimate_memory(c, 2).total() + (1 << 20) - 1) >> 20);
        EXPECT_NE(e.message().find("needs about " + mib + " MiB"), std::string::npos) << e.what();
        EXPECT_NE(e.message().find("limit of 256 MiB"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
    // Long unrebalanced horizons on many threads: the per-day loan tables; the days are named.
    ScenarioConfig u = test::gbm_scenario(0.0, 0.2, {1.5, 2, 3}, 64 * 1024, 1'000'000);
    u.strategies = {Strategy(Unrebalanced{})};
    try {
        check_memory(u, 64, "u.json", "at point 3");
        FAIL() << "expected a refusal";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where(), "/days");
        EXPECT_EQ(e.value(), "1000000");
        EXPECT_EQ(e.message().rfind("at point 3: ", 0), 0u) << e.what();
    }
    // Under the limit: nothing thrown.
    EXPECT_NO_THROW(check_memory(daily_bands(2000, 2000, 100), 2, "bands.json"));
}

TEST(EngineResources, MemoryLimitVariableMustBeAPositiveInteger) {
    for (const char* bad : {"", "0", "-5", "12x", "1.5", "99999999999999999999"}) {
        const MemoryLimitMib limit(bad);
        EXPECT_THROW(memory_limit_bytes(), InputError) << bad;
    }
    const MemoryLimitMib none(nullptr);
    EXPECT_GT(memory_limit_bytes(), 0u); // 3/4 of the physical memory
}

TEST(EngineResources, AllocationFailureInsideTheParallelRegionEndsTheRunCleanly) {
    const ScenarioConfig c = test::gbm_scenario(0.0, 0.2, {2, 3}, 20 * 1024, 10);
    for (int threads : {1, 2, 4}) {
        EngineOptions o;
        o.threads = threads;
        o.before_block = [](std::int64_t block) {
            if (block == 5)
                throw std::bad_alloc();
        };
        try {
            (void)simulate(c, o);
            FAIL() << "expected OutOfMemory";
        } catch (const OutOfMemory& e) {
            EXPECT_EQ(e.needed_bytes(), estimate_memory(c, threads).total());
            EXPECT_EQ(std::string(e.what()),
                      "out of memory (needed about " +
                          std::to_string((e.needed_bytes() + (1 << 20) - 1) >> 20) + " MiB)");
        }
    }
    // Any other exception leaves the region as itself, never std::terminate.
    EngineOptions o;
    o.threads = 2;
    o.before_block = [](std::int64_t block) {
        if (block == 7)
            throw std::runtime_error("seam");
    };
    EXPECT_THROW((void)simulate(c, o), std::runtime_error);
    // The same engine runs normally afterwards.
    EXPECT_EQ(simulate(c, {.threads = 2}).positions.size(), 4u); // 2 strategies x 2 multiples
}

} // namespace
} // namespace letf
