#pragma once
/// \file study/sweep.hpp
/// Studies: one base scenario run at many points, each point the base with some values replaced.
///
/// A study file is one JSON object:
///   {"name": "vol_x_multiple", "description": "...",          (description optional)
///    "base": {<scenario>} or "path/to/scenario.json",          (a path is relative to the study)
///    "axes": [{"pointer": "/model/sigma", "values": [0.1, 0.2], "labels": ["low", "high"]}, ...],
///    "combine": "grid" | "zip"}                                (default "grid"; labels optional)
/// Each axis replaces the value at a JSON pointer (RFC 6901) of the base scenario; missing object
/// keys on the way are created, array indices must exist. `grid` runs every combination (point
/// index in row-major order: the last axis varies fastest), `zip` runs the i-th value of every
/// axis together (all axes the same length). Every point is parsed and validated as a scenario
/// before anything runs. Relative data paths (kDataPathPointers) resolve from the file that names
/// them: those of a base file from the base file's folder, those of the study's inline base and
/// axis values from the study's folder. An error in a data file names that file, its line, and
/// the axis value or base field that named it.
///
/// Output folder (see run_study): points/NNNN.json (one per point: the values, a compact summary
/// and the full report, identical to `letfsim run` on that point), study.json and study.csv (one
/// row per point x strategy x multiple). Every file is written atomically.
///
/// A folder belongs to one study, identified by its study hash (study_hash): study.json and every
/// point file carry it. A sweep holds an advisory lock on the folder (flock on kSweepLockFile)
/// for its whole run, refuses a folder that holds another study's results (with or without
/// resume), removes point files beyond its points (NNNN.json with index >= points: left by a
/// version without hashes, or copied in) and this program's temporaries left by dead writers.
/// Other files are never touched.

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "letf/config/scenario.hpp"
#include "letf/engine/engine.hpp"

namespace letf {

enum class Combine { grid, zip };

/// One axis: the pointer it replaces and its values, each kept as compact JSON text.
struct StudyAxis {
    std::string pointer;
    std::vector<std::string> values; ///< compact JSON, e.g. "0.2" or "{\"type\":\"gbm\",...}"
    std::vector<std::string> labels; ///< empty, or one display label per value
};

/// One point of a study: which value of each axis it takes and the validated scenario.
struct StudyPoint {
    std::size_t index = 0;
    std::vector<std::size_t> value_index; ///< per axis, into StudyAxis::values
    ScenarioConfig config;
};

/// A validated study with every point expanded. Invariants (checked by parse_study): at least one
/// axis, every axis non-empty without duplicate values or pointers, no pointer inside another,
/// zip axes of equal length, 1 to kMaxPoints points, each a valid scenario.
struct Study {
    static constexpr std::size_t kMaxPoints = 100000;

    std::string name; ///< [A-Za-z0-9._-]+, names the default output folder
    std::string description;
    std::string base_json; ///< the base scenario as given (compact JSON), after reading a file
    std::vector<StudyAxis> axes;
    Combine combine = Combine::grid;
    std::vector<StudyPoint> points;
};

/// Parses and validates a study. `file` names the study in error messages; a base given as a path
/// is read relative to `base_dir`. Throws InputError naming the study's JSON pointer and value;
/// for a point that is not a valid scenario, the pointer of the axis value responsible
/// (`/axes/0/values/3`), the scenario field and its value.
Study parse_study(const nlohmann::json& doc, const std::string& file,
                  const std::filesystem::path& base_dir);
Study load_study(const std::filesystem::path& path);

/// The study as JSON, with the base inlined: it can be run again as a study file.
nlohmann::ordered_json to_json(const Study& study);

/// 16 hex digits: FNV-1a (64 bits) of the compact text of to_json(study). Any change of the study
/// (base, axes, values, labels, combine, name, description) changes it.
std::string study_hash(const Study& study);

/// The lock file a running sweep holds (flock, exclusive) in its output folder.
inline constexpr std::string_view kSweepLockFile = ".letfsim-sweep.lock";

/// Metrics of one summary row, in column order. The first ten are the contract of study.csv;
/// x = V_T/V_0 (S_T/S_0 for the underlying):
///   mean, median, p05, p95 of x; prob_loss P(x < 1); prob_underperform_target (see report);
///   prob_wipeout P(x = 0); log_decay_mean mean of L ln(S_T/S_0) - ln x; log_decay_analytic the
///   continuous-time (L^2 - L) sigma^2 T / 2 + c T (gbm, daily reset; else null);
///   max_drawdown_mean; then mean_std_error, mean_analytic (exact mean; unrebalanced: without
///   wipe-out), std of x, log_return_mean, log_decay_median, log_decay_std_error,
///   max_drawdown_median. Undefined values are nullopt (null in JSON, empty in CSV).
inline constexpr std::array<std::string_view, 17> kSummaryMetrics = {"mean",
                                                                     "median",
                                                                     "p05",
                                                                     "p95",
                                                                     "prob_loss",
                                                                     "prob_underperform_target",
                                                                     "prob_wipeout",
                                                                     "log_decay_mean",
                                                                     "log_decay_analytic",
                                                                     "max_drawdown_mean",
                                                                     "mean_std_error",
                                                                     "mean_analytic",
                                                                     "std",
                                                                     "log_return_mean",
                                                                     "log_decay_median",
                                                                     "log_decay_std_error",
                                                                     "max_drawdown_median"};

/// One strategy x multiple of one point, compact.
struct SummaryRow {
    std::string strategy; ///< "daily_reset", "unrebalanced" or "underlying"
    double multiple = 1.0;
    std::array<std::optional<double>, kSummaryMetrics.size()> metrics{};

    std::optional<double> metric(std::string_view name) const;
};

/// A point's compact results: the underlying and one row per position in report order.
struct PointSummary {
    std::int64_t paths = 0;
    int days = 0;
    SummaryRow underlying;
    std::vector<SummaryRow> rows;
};

PointSummary summarize(const ScenarioConfig& config, const SimulationResult& result);

/// `NNNN.json` (at least four digits) under `points/`.
std::string point_file_name(std::size_t index);

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

/// study.json: {schema_version, study, run_info, points: [{point, values, paths, days, file,
/// underlying, results: [SummaryRow...]}]}; points not done are left out.
std::string study_json_text(const Study& study, const std::vector<std::optional<PointSummary>>& s,
                            const StudyRunInfo& info);

/// study.csv: header `point,<axis pointers...>,strategy,multiple,<metrics...>,paths,days`, one row
/// per done point x strategy x multiple. Axis cells: numbers as JSON, strings bare, objects and
/// arrays as compact JSON; cells with a comma, quote or newline are quoted (RFC 4180).
std::string study_csv_text(const Study& study, const std::vector<std::optional<PointSummary>>& s);

/// Progress after each point.
struct SweepProgress {
    std::size_t point = 0;       ///< the point just finished
    bool resumed = false;        ///< taken from an existing point file
    double point_seconds = 0.0;  ///< its run time (0 when resumed)
    const StudyRunInfo* info{};  ///< totals so far
    double eta_seconds = 0.0;    ///< remaining path-days / path-days per second so far
    double paths_per_second = 0; ///< over the points run so far
    double path_days_per_second = 0;
};

struct SweepOptions {
    int threads = 0;     ///< 0: every core
    bool resume = false; ///< reuse point files made for the same point
    /// Polled between points and between groups of blocks; true stops the study (the point in
    /// progress is dropped, nothing half-written remains).
    std::function<bool()> stop_requested;
    std::function<void(const SweepProgress&)> progress;
    /// Points with fewer than this many paths x threads run several at once, one thread each.
    std::int64_t small_point_paths_per_thread = 2048;
    /// Starts a worker thread for small points; empty: std::thread. A test seam: a failure to
    /// start one (an exception) ends the study with std::runtime_error once the started ones are
    /// joined and their points written.
    std::function<std::thread(std::function<void()>)> start_thread;
};

/// Runs every point not already done into `dir` (see the file comment). Points run one after
/// another on all threads; consecutive small points run side by side on one thread each. The
/// result of every point equals `simulate(point.config)` for any thread count. study.json and
/// study.csv are written when the study ends or stops and at most every few seconds meanwhile.
/// Throws InputError when `dir` (or dir/points) exists and is not a folder, when another sweep
/// holds the folder's lock, or when the folder holds another study's results (see the file
/// comment); std::runtime_error when a file cannot be written or a thread cannot be started.
StudyRunInfo run_study(const Study& study, const std::filesystem::path& dir,
                       const SweepOptions& options);

} // namespace letf
