// simulate = finalize(accumulate(every block)), timed; and the small result types' members.

#include <chrono>
#include <new>

#include "letf/engine/engine.hpp"

namespace letf {

void RebalanceTally::merge(const RebalanceTally& o) {
    trades.merge(o.trades);
    turnover.merge(o.turnover);
    cash_added.merge(o.cash_added);
    cash_withdrawn.merge(o.cash_withdrawn);
    transaction_costs.merge(o.transaction_costs);
    forced_deleverages.merge(o.forced_deleverages);
}

std::optional<double> QuantityStats::quantile(double q) const {
    for (std::size_t i = 0; i < qs.size() && i < values.size(); ++i)
        if (qs[i] == q)
            return values[i];
    return std::nullopt;
}

OutOfMemory::OutOfMemory(std::uint64_t needed_bytes)
    : std::runtime_error("out of memory (needed about " +
                         std::to_string((needed_bytes + (1u << 20) - 1) >> 20) + " MiB)"),
      needed_(needed_bytes) {}

SimulationResult simulate(const ScenarioConfig& config, const EngineOptions& options) {
    try {
        const Plan plan = make_plan(config, options);
        const auto start = std::chrono::steady_clock::now();
        SimulationResult result = finalize(plan, accumulate(plan, BlockRange{0, plan.blocks}));
        result.elapsed_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return result;
    } catch (const std::bad_alloc&) {
        // Everything the run held is freed by now.
        throw OutOfMemory(estimate_memory(config, options).total());
    }
}

} // namespace letf
