#pragma once
/// \file study/run_study.hpp
/// Running a study into its output folder (study_files.hpp names the files, study_lock.hpp the
/// claim on the folder). Every file is written atomically, from the calling thread.

#include <cstdint>
#include <filesystem>
#include <functional>

#include "letf/cluster/world.hpp"
#include "letf/study/study_files.hpp"
#include "letf/study/study_spec.hpp"

namespace letf {

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
    /// Polled between points and between groups of blocks (from the OpenMP threads too); true
    /// stops the study (the point in progress is dropped, nothing half-written remains).
    std::function<bool()> stop_requested;
    std::function<void(const SweepProgress&)> progress;
    /// Points with fewer than this many paths x threads run several at once, one thread each.
    std::int64_t small_point_paths_per_thread = 2048;
    /// Shard `index` of `count` (sweep --shard I/N): only the points with index % count == I,
    /// written as point files; study.json and study.csv are left to a later `sweep --resume`
    /// that finds every point done. count 0: the whole study.
    std::size_t shard_index = 0, shard_count = 0;
    /// The processes of the sweep (cluster/world.hpp); null or size 1: this one. Every rank
    /// calls run_study; rank 0 reads and writes the folder, the others compute.
    World* world = nullptr;
};

/// Runs every point not already done into `dir` (see study_lock.hpp for the folder). Points run
/// one after another on all threads; consecutive small points run side by side on one OpenMP
/// thread each (the one scheduler: no second thread pool), written in index order. The result of
/// every point equals `simulate(point.config)` for any thread count. study.json and study.csv are
/// written when the study ends or stops and at most every few seconds meanwhile.
/// Throws InputError when `dir` (or dir/points) exists and is not a folder, when another sweep
/// holds the folder's lock, or when the folder holds another study's results;
/// std::runtime_error when a file cannot be written. (When the system refuses a thread, libgomp
/// ends the process: limits::kMaxThreads.)
///
/// Under MPI (options.world of several ranks) rank 0 decides which points are left and tells the
/// others; then, in index order, a large point (at least small_point_paths_per_thread x threads x
/// ranks paths) is split by blocks over every rank (accumulate_on_cluster), and consecutive
/// small points are dealt one per rank in turn, each rank running its own side by side; rank 0
/// finalises and writes every point. The files are those of a one-process sweep (run_info
/// aside). A rank other than 0 returns an empty StudyRunInfo.
StudyRunInfo run_study(const Study& study, const std::filesystem::path& dir,
                       const SweepOptions& options);

} // namespace letf
