// The plan of a run: what is decided before the first path.

#include "letf/engine/plan.hpp"

#include <algorithm>
#include <stdexcept>

#include <omp.h>

#include "kernel.hpp"
#include "letf/base/limits.hpp"

namespace letf {

int resolve_threads(int requested) {
    const int threads = requested > 0 ? requested : omp_get_max_threads();
    return std::clamp(threads, 1, limits::kMaxThreads);
}

std::int64_t exact_quantile_limit(std::int64_t budget, std::size_t positions) {
    return budget / static_cast<std::int64_t>(kStoredColumns * (positions + 1));
}

std::int64_t Plan::first_path(std::int64_t b) const {
    return std::min(b * block_paths, config->paths);
}

namespace {

/// Quantile levels computed: the config's plus those the console summary shows.
std::vector<double> quantile_levels(const ScenarioConfig& config) {
    std::vector<double> qs = config.quantiles;
    for (double q : {0.05, 0.1, 0.5, 0.9, 0.95})
        if (std::find(qs.begin(), qs.end(), q) == qs.end())
            qs.push_back(q);
    std::sort(qs.begin(), qs.end());
    return qs;
}

/// 0, k, 2k, ..., days with k = min(every_days, days); empty without config bands.
std::vector<int> band_days(const ScenarioConfig& config) {
    std::vector<int> days;
    if (!config.bands)
        return days;
    const int k = std::min(config.bands->every_days, config.days);
    for (int d = 0; d <= config.days; d += k)
        days.push_back(d);
    if (days.back() != config.days)
        days.push_back(config.days);
    return days;
}

/// The survival days (Plan::survival_days).
std::vector<int> survival_days(const ScenarioConfig& config, const std::vector<int>& bands) {
    if (!bands.empty())
        return {bands.begin() + 1, bands.end()};
    const int k = std::max(21, (config.days + 63) / 64);
    std::vector<int> days;
    for (int d = k; d < config.days; d += k)
        days.push_back(d);
    days.push_back(config.days);
    return days;
}

} // namespace

Plan make_plan(const ScenarioConfig& config, const EngineOptions& options) {
    Plan p;
    p.config = &config;
    p.options = options;
    p.positions = make_positions(config);
    for (const Position& position : p.positions)
        p.position_facts.push_back(engine::position_facts(position));
    p.model = engine::make_model(config, p.facts, p.asset_facts);
    if (!config.cash_flows.empty())
        p.flows = std::make_shared<const FlowSchedule>(
            flow_schedule(config.cash_flows, config.days, config.dt()));
    const std::vector<std::string> names = config.asset_names();
    for (const Position& position : p.positions) {
        p.extra_first.push_back(p.extras.size());
        for (ExtraField& e : extra_fields(position, p.flows != nullptr, names))
            p.extras.push_back(std::move(e));
    }
    p.extra_first.push_back(p.extras.size());
    if (p.facts.statistics.size() > kMaxModelStatistics) // a model's own list: a bug, not input
        throw std::logic_error("make_plan: the model lists more than kMaxModelStatistics statistics");
    p.levels = quantile_levels(config);
    p.band_days = band_days(config);
    p.survival_days = survival_days(config, p.band_days);
    p.survival_slot.assign(static_cast<std::size_t>(config.days) + 1, 0);
    for (std::size_t b = 0, t = 1; t <= static_cast<std::size_t>(config.days); ++t) {
        if (static_cast<int>(t) > p.survival_days[b])
            ++b;
        p.survival_slot[t] = static_cast<std::uint32_t>(b);
    }
    p.exact_limit = exact_quantile_limit(options.exact_quantile_budget, p.positions.size());
    p.exact = config.paths <= p.exact_limit;
    p.block_paths = std::max<std::int64_t>(1, config.block_paths > 0 ? config.block_paths
                                                                     : options.block_paths);
    p.blocks = (config.paths + p.block_paths - 1) / p.block_paths;
    // A thread without a block would only hold memory.
    p.threads =
        static_cast<int>(std::min<std::int64_t>(resolve_threads(options.threads), p.blocks));
    p.threads = std::max(p.threads, 1);
    return p;
}

} // namespace letf
