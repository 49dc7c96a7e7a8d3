#pragma once
/// \file output/console.hpp
/// The human-readable summary printed on stdout after a run.

#include <string>

#include "letf/config/scenario.hpp"
#include "letf/engine/result.hpp"

namespace letf {

/// One table row per strategy x multiple (terminal mean beside its exact value, median, 5 % and
/// 95 % quantiles, P(loss), P(wipe-out), log decay with its standard error and theory), the
/// rebalancing means of investor strategies, and the run's speed. Reads only the result and
/// the config's names.
std::string console_summary(const ScenarioConfig& config, const SimulationResult& result);

} // namespace letf
