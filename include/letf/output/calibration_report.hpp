#pragma once
/// \file output/calibration_report.hpp
/// What `letfsim calibrate` prints and writes (backtest/calibrate.hpp): the text table, the JSON
/// object (--json, and report.json under -o), table.md and calibration.json (the fitted cost
/// model alone, a valid `costs` object and `backtest --cost-model` file).

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "letf/backtest/calibrate.hpp"

namespace letf {

/// The within-target line of the tables: |gap| <= 0.5 %/yr.
inline constexpr double kCalibrationTargetGap = 0.005;

/// {"file", "objective", "gaps", "split"/"train_end", "fit", "fitted", "cost_model",
/// "objective_value",
///  "evaluations", "worst_train_gap", "worst_test_gap", "within_target", "funds": [{"name",
///  "multiple", "train": {...}, "test": {...}}]}; non-finite numbers are null.
nlohmann::ordered_json calibration_json(const CalibrationSpec& spec, const CalibrationResult& r);
/// The fitted cost model as calibration.json holds it, a rate series' csv made relative to
/// `out_dir` (where the file is written, so that it resolves from there).
nlohmann::ordered_json calibration_cost_model(const CalibrationResult& r,
                                              const std::filesystem::path& out_dir);
/// The console summary: the fitted parameters, then one row per fund (test window).
std::string calibration_text(const CalibrationSpec& spec, const CalibrationResult& r);
/// The Markdown table of the test windows, with the fitted parameters and the worst |gap|.
std::string calibration_markdown(const CalibrationSpec& spec, const CalibrationResult& r);

} // namespace letf
