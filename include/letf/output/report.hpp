#pragma once
/// \file output/report.hpp
/// The JSON report (schema_version 1) and the console summary; files are written by
/// atomic_file.hpp.
///
/// Report layout (keys in this order):
///   schema_version, scenario, config (fully resolved), run_info {version, seed, paths, days,
///   threads, elapsed_seconds, path_days_per_second}, method (how statistics were computed),
///   underlying (S_T/S_0), results (one object per strategy x multiple).
/// run_info is the only block that may differ between two runs of the same config and seed.
/// Undefined statistics (a standard deviation from one path, a log statistic with every path
/// wiped out) are written as null: a report never contains NaN or infinity.

#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "letf/io/atomic_file.hpp"
#include "letf/config/scenario.hpp"
#include "letf/engine/engine.hpp"

namespace letf {

/// The whole report as ordered JSON.
nlohmann::ordered_json build_report(const ScenarioConfig& config, const SimulationResult& result);

/// The report as text: 2-space indented JSON and a final newline.
std::string report_text(const nlohmann::ordered_json& report);

/// build_report rendered by report_text.
std::string report_json(const ScenarioConfig& config, const SimulationResult& result);

/// The human-readable summary printed on stdout: one table row per strategy x multiple.
std::string console_summary(const ScenarioConfig& config, const SimulationResult& result);

} // namespace letf
