#pragma once
/// \file study/study_files.hpp
/// The files of a study's output folder: points/NNNN.json (one per point: the values, a compact
/// summary and the full report, identical to `letfsim run` on that point), study.json and
/// study.csv (one row per point x strategy x multiple). run_study writes each atomically.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "letf/engine/engine.hpp"
#include "letf/study/study_spec.hpp"
#include "letf/study/summary.hpp"

namespace letf {

/// `NNNN.json` (at least four digits) under `points/`.
/// A point's summary as a point file holds it: paths, days, `underlying` and `results`, each row
/// its strategy, label, multiple and the summary columns (output/summary.hpp); nulls where
/// undefined. `letfsim run --json` prints it too.
nlohmann::ordered_json point_summary_json(const PointSummary& summary);

std::string point_file_name(std::size_t index);

/// The point index a file name `NNNN.json` (as point_file_name writes it) stands for.
std::optional<std::size_t> point_index_of(const std::string& name);

/// The text of points/NNNN.json: {schema_version, study, study_hash, point, values, summary,
/// report, checksum}, where report is build_report(point.config, result) unchanged and checksum is
/// "fnv1a64:" + 16 hex digits of FNV-1a over the compact JSON text of every other key (a check
/// against damage and hand edits, not against forgery).
std::string point_file_text(const Study& study, const StudyPoint& point,
                            const SimulationResult& result);

/// Reads a point file written by point_file_text. Returns its summary when the file is complete,
/// its checksum matches (so the summary is the one computed with the report beside it), and it was
/// made for this study (same study hash) and exactly this point's scenario (same resolved
/// config); else nullopt (the point runs again).
std::optional<PointSummary> read_point_file(const std::filesystem::path& path, const Study& study,
                                            const StudyPoint& point);

/// What run_study did; also written to study.json's run_info.
struct StudyRunInfo {
    int threads = 0;
    std::size_t points = 0, points_done = 0, points_run = 0, points_resumed = 0;
    double path_days_run = 0.0; ///< paths x days of the points run (not resumed)
    double elapsed_seconds = 0.0;
    bool complete = false;
    std::size_t stale_points_removed = 0; ///< point files with index >= points removed at start
};

/// study.json: {schema_version, study, study_hash, metrics: [{name, description}...] (the
/// summary columns in CSV order), run_info, points: [{point, values, labels?, file, paths, days,
/// underlying, results: [SummaryRow...]}]}; points not done are left out. Each summary row holds
/// strategy (the kind), label (strategy_label: what tells two rows apart), multiple, metrics.
std::string study_json_text(const Study& study, const std::vector<std::optional<PointSummary>>& s,
                            const StudyRunInfo& info);

/// study.csv: header `point,<axis pointers...>,strategy,multiple,<metrics...>,paths,days,label,
/// <quantiles...>`, per done point one row for the index (strategy `index`, multiple 1, the
/// underlying's statistics; empty cells where a column is a position's only) and one per
/// strategy x multiple. The strategy cell is the row's label (strategy_label: the kind with its
/// parameters, as the report's "label"); `label` is the point's labels (of the axes that have
/// them, joined by " / "; empty without); the quantile columns are V_T/V_0's (S_T/S_0's) at every
/// level some done point configures (sorted), named as p05: p01, p25, p50, p99.5 (p05 and p95
/// are summary columns already), empty where a point lacks the level. Numbers in shortest
/// round-trip form; axis cells: numbers as JSON, strings bare, objects and arrays as compact
/// JSON; cells with a comma, quote or newline are quoted (RFC 4180).
std::string study_csv_text(const Study& study, const std::vector<std::optional<PointSummary>>& s);

} // namespace letf
