#pragma once
/// \file output/report.hpp
/// The JSON report (schema_version 1); files are written by atomic_file.hpp, the console summary
/// by console.hpp.
///
/// Report layout (keys in this order):
///   schema_version, scenario, config (fully resolved), run_info {version, seed, paths, days,
///   threads, elapsed_seconds, path_days_per_second}, method (how statistics were computed),
///   underlying (S_T/S_0), results (one object per strategy x multiple).
/// run_info is the only block that may differ between two runs of the same config and seed.
/// Undefined statistics (a standard deviation from one path, a log statistic with every path
/// wiped out) are written as null: a report never contains NaN or infinity.
/// A position object holds, in order: strategy, parameters (investor strategies), multiple, the
/// blocks of the kMetrics rows of Section::outcome (stats/metrics.hpp, table order, in the
/// row's Shape), the probabilities, the rows of Section::path, carry_annual, rebalancing
/// (investor strategies), analytic, and bands / histogram when configured. The underlying
/// object holds the rows that apply to it the same way.

#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "letf/config/scenario.hpp"
#include "letf/engine/result.hpp"
#include "letf/io/atomic_file.hpp"
#include "letf/output/console.hpp" // console_summary, for the callers of this header

namespace letf {

/// The whole report as ordered JSON.
nlohmann::ordered_json build_report(const ScenarioConfig& config, const SimulationResult& result);

/// The report as text: 2-space indented JSON and a final newline, laid out as nlohmann's
/// dump(2) (and Python's json.dumps(indent=2, ensure_ascii=False)), with every floating-point
/// number in its shortest round-trip form (shortest_number_text): the text Python, JavaScript
/// and letfsim's Python module print for the same doubles.
std::string report_text(const nlohmann::ordered_json& report);

/// A double as Python's repr writes it: the shortest digits that read back to the same double
/// (std::to_chars), fixed notation for decimal exponents -4 < e <= 16 with ".0" on whole
/// numbers (252.0, 0.0001), else d.ddde+XX with at least two exponent digits (1e-05,
/// 1.2345678901234568e+17); "null" for a non-finite value.
std::string shortest_number_text(double x);

/// build_report rendered by report_text.
std::string report_json(const ScenarioConfig& config, const SimulationResult& result);

} // namespace letf
