// Throughput of the hot parts of letfsim. Every benchmark reports items_processed as path-days
// (one normal variate counts as one path-day: the gbm model draws one per path-day), so the
// items/s column reads as path-days per second.
//
//   build/bench/letf_bench --benchmark_min_time=0.2

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "letf/config/scenario.hpp"
#include "letf/engine/engine.hpp"
#include "letf/models/strip_source.hpp"
#include "letf/base/rng.hpp"
#include "letf/strategies/strategy.hpp"

namespace {

constexpr int kDays = 252;

/// Workload W of configs/bench_w.json (gbm mu 7 %, sigma 20 %, multiples -3..3, both
/// strategies by default) with `paths` paths.
letf::ScenarioConfig workload_w(std::int64_t paths, std::vector<letf::Strategy> strategies = {
                                                        letf::DailyReset{},
                                                        letf::Unrebalanced{}}) {
    letf::ScenarioConfig c;
    c.name = "bench_w";
    c.paths = paths;
    c.days = kDays;
    c.model = letf::GbmModel{0.07, 0.20};
    c.multiples = {-3, -2, -1, 1, 2, 3};
    c.strategies.assign(strategies.begin(), strategies.end());
    return c;
}

/// Standard normals of one strip (16 SIMD pcg32 lanes, batch ziggurat), a day chunk at a time.
void BM_Normal_Strip(benchmark::State& state) {
    letf::StripRng rng = letf::StripRng::for_paths(letf::ScenarioConfig::kDefaultSeed, 0);
    std::vector<double> z(static_cast<std::size_t>(letf::kDayChunk) * letf::kStripPaths);
    for (auto _ : state) {
        letf::strip_normals(rng, letf::kDayChunk, z.data());
        benchmark::DoNotOptimize(z.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(z.size()));
}
BENCHMARK(BM_Normal_Strip);

/// The gbm model's daily returns of one strip: normals plus the vector exp.
void BM_Model_GbmStrip(benchmark::State& state) {
    const letf::ScenarioConfig c = workload_w(1);
    const letf::StripSource model(c);
    letf::StripRng rng = letf::StripRng::for_paths(c.seed, 0);
    letf::StripSource::State strip = model.start(c.seed, 0);
    std::vector<double> r(static_cast<std::size_t>(letf::kDayChunk) * letf::kStripPaths);
    for (auto _ : state) {
        model.fill(1, letf::kDayChunk, rng, strip, r.data());
        benchmark::DoNotOptimize(r.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(r.size()));
}
BENCHMARK(BM_Model_GbmStrip);

/// The strip walker alone on precomputed returns: six multiples of one strategy over 252 days,
/// per-path-day cost without random numbers.
void kernel(benchmark::State& state, letf::Strategy kind) {
    const letf::ScenarioConfig c = workload_w(1, {kind});
    const letf::StripSource model(c);
    letf::StripRng rng = letf::StripRng::for_paths(c.seed, 0);
    letf::StripSource::State strip = model.start(c.seed, 0);
    std::vector<double> r(static_cast<std::size_t>(kDays) * letf::kStripPaths);
    model.fill(1, kDays, rng, strip, r.data());
    letf::StripWalker walker(letf::make_positions(c), kDays);
    for (auto _ : state) {
        walker.reset();
        for (int day = 1; day <= kDays; day += letf::kDayChunk) {
            const int days = std::min(letf::kDayChunk, kDays - day + 1);
            walker.advance(day, days,
                           r.data() + static_cast<std::size_t>(day - 1) * letf::kStripPaths);
        }
        benchmark::DoNotOptimize(walker.value(0, 0));
    }
    state.SetItemsProcessed(state.iterations() * letf::kStripPaths * kDays);
}

void BM_Kernel_DailyReset(benchmark::State& state) {
    kernel(state, letf::DailyReset{});
}
BENCHMARK(BM_Kernel_DailyReset);

void BM_Kernel_Unrebalanced(benchmark::State& state) {
    kernel(state, letf::Unrebalanced{});
}
BENCHMARK(BM_Kernel_Unrebalanced);

// The signal strategies as the study runs them (issue 13: >= 0.5 x daily reset).
void BM_Kernel_SmaRotation(benchmark::State& state) {
    kernel(state, letf::SmaRotation{.window_days = 200, .transaction_cost_bps = 5});
}
BENCHMARK(BM_Kernel_SmaRotation);

void BM_Kernel_VolTarget(benchmark::State& state) {
    kernel(state, letf::VolTarget{.target = 0.25});
}
BENCHMARK(BM_Kernel_VolTarget);

void BM_Kernel_DrawdownDerisk(benchmark::State& state) {
    kernel(state,
           letf::DrawdownDerisk{.threshold = 0.2, .recover = 0.1, .transaction_cost_bps = 5});
}
BENCHMARK(BM_Kernel_DrawdownDerisk);

/// The whole engine on workload W with 50,000 paths (12 positions), state.range(0) threads:
/// random numbers, kernel, statistics and exact quantiles.
void BM_Engine_W(benchmark::State& state) {
    const letf::ScenarioConfig config = workload_w(50000);
    letf::EngineOptions options;
    options.threads = static_cast<int>(state.range(0));
    for (auto _ : state) {
        letf::SimulationResult result = letf::simulate(config, options);
        benchmark::DoNotOptimize(result.positions.data());
    }
    state.SetItemsProcessed(state.iterations() * config.paths * config.days);
}
BENCHMARK(BM_Engine_W)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

} // namespace
