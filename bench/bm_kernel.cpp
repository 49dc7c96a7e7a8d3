// Throughput of the hot parts of letfsim. Every benchmark reports items_processed as path-days
// (one normal variate counts as one path-day: the gbm model draws one per path-day), so the
// items/s column reads as path-days per second.
//
//   letf_bench --benchmark_min_time=0.1

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "letf/config.hpp"
#include "letf/engine.hpp"
#include "letf/path_model.hpp"
#include "letf/rng.hpp"
#include "letf/strategy.hpp"

namespace {

constexpr int kDays = 252;
constexpr Eigen::Index kBlockPaths = 1024;

/// The quickstart scenario (configs/quickstart.json) with `paths` paths.
letf::ScenarioConfig quickstart(std::int64_t paths, std::vector<letf::StrategyKind> strategies) {
    letf::ScenarioConfig c;
    c.name = "quickstart";
    c.paths = paths;
    c.days = kDays;
    c.model = letf::GbmModel{0.07, 0.20};
    c.multiples = {-3, -2, -1, 1, 2, 3};
    c.strategies = std::move(strategies);
    return c;
}

void BM_Normal_Ziggurat(benchmark::State& state) {
    constexpr int kBatch = 1024;
    letf::PathRng rng = letf::path_rng(letf::ScenarioConfig::kDefaultSeed, 0);
    for (auto _ : state) {
        double sum = 0.0;
        for (int i = 0; i < kBatch; ++i)
            sum += letf::standard_normal(rng);
        benchmark::DoNotOptimize(sum);
    }
    state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_Normal_Ziggurat);

/// One block of 1024 paths stepped over 252 days of precomputed gbm returns, six multiples of
/// one strategy: the per-path-day cost of BlockState::step alone, without random numbers.
void kernel(benchmark::State& state, letf::StrategyKind kind) {
    const letf::ScenarioConfig config = quickstart(kBlockPaths, {kind});
    const std::vector<letf::Position> positions = letf::make_positions(config);
    const letf::PathModel model(config.model, config.dt());

    std::vector<letf::PathRng> rngs;
    for (Eigen::Index i = 0; i < kBlockPaths; ++i)
        rngs.push_back(letf::path_rng(config.seed, static_cast<std::uint64_t>(i)));
    std::vector<Eigen::ArrayXd> returns(kDays, Eigen::ArrayXd(kBlockPaths));
    for (int day = 1; day <= kDays; ++day) {
        Eigen::ArrayXd& r = returns[static_cast<std::size_t>(day - 1)];
        model.fill_day(day, rngs, std::span<double>(r.data(), static_cast<std::size_t>(r.size())));
    }

    letf::BlockState block;
    for (auto _ : state) {
        block.reset(kBlockPaths, positions.size());
        for (int day = 1; day <= kDays; ++day)
            block.step(day, positions, returns[static_cast<std::size_t>(day - 1)]);
        benchmark::DoNotOptimize(block.value.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * kBlockPaths * kDays);
}

void BM_Kernel_DailyReset(benchmark::State& state) {
    kernel(state, letf::StrategyKind::daily_reset);
}
BENCHMARK(BM_Kernel_DailyReset);

void BM_Kernel_Unrebalanced(benchmark::State& state) {
    kernel(state, letf::StrategyKind::unrebalanced);
}
BENCHMARK(BM_Kernel_Unrebalanced);

/// The whole engine on the quickstart scenario (20,000 paths, 12 positions), state.range(0)
/// threads: random numbers, kernel, statistics and exact quantiles.
void BM_Engine_Quickstart(benchmark::State& state) {
    const letf::ScenarioConfig config =
        quickstart(20000, {letf::StrategyKind::daily_reset, letf::StrategyKind::unrebalanced});
    letf::EngineOptions options;
    options.threads = static_cast<int>(state.range(0));
    for (auto _ : state) {
        letf::SimulationResult result = letf::simulate(config, options);
        benchmark::DoNotOptimize(result.positions.data());
    }
    state.SetItemsProcessed(state.iterations() * config.paths * config.days);
}
BENCHMARK(BM_Engine_Quickstart)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

} // namespace
