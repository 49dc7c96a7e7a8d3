#include "letf/study/run_study.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>
#include <vector>

#include "letf/io/atomic_file.hpp"
#include "letf/study/study_lock.hpp"

namespace letf {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

struct StopRequested {};

double path_days(const ScenarioConfig& c) {
    return static_cast<double>(c.paths) * static_cast<double>(c.days);
}

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

/// Checks `dir` and `dir/points` are folders (or absent) before anything runs, and creates them.
void prepare_folder(const fs::path& dir) {
    const fs::path points_dir = dir / "points";
    check_output_folder(dir);
    check_output_folder(points_dir);
    std::error_code ec;
    fs::create_directories(points_dir, ec);
    if (ec)
        throw std::runtime_error(points_dir.string() +
                                 ": cannot create the folder: " + ec.message());
}

/// One run of a study: the state shared by the scheduling steps below.
class StudyRun {
public:
    StudyRun(const Study& study, const fs::path& dir, const SweepOptions& options)
        : study_(study), dir_(dir), points_dir_(dir / "points"), options_(options),
          summaries_(study.points.size()) {}

    /// Reads the points already done (with resume) and counts the work left.
    void start(std::size_t stale_removed);
    /// Runs the points not done in index order, until done or stopped.
    void run_all();
    /// Writes study.json and study.csv.
    void write_study();
    const StudyRunInfo& info() const { return info_; }

private:
    bool stop() const { return options_.stop_requested && options_.stop_requested(); }
    bool is_small(const StudyPoint& p) const {
        return info_.threads > 1 &&
               p.config.paths < options_.small_point_paths_per_thread * info_.threads;
    }
    void run_large(const StudyPoint& p);
    /// Runs the small points from `first` (up to 4 per thread) side by side; returns the index
    /// after the last one taken.
    std::size_t run_small_batch(std::size_t first);
    void finish_point(const StudyPoint& p, const SimulationResult& r);
    void report_progress(const StudyPoint& p, const SimulationResult& r) const;

    const Study& study_;
    fs::path dir_, points_dir_;
    const SweepOptions& options_;
    std::vector<std::optional<PointSummary>> summaries_;
    StudyRunInfo info_;
    Clock::time_point start_ = Clock::now(), last_write_ = Clock::now();
    double path_days_left_ = 0.0, paths_run_ = 0.0;
};

void StudyRun::start(std::size_t stale_removed) {
    info_.threads = resolve_threads(options_.threads); // capped like the engine's
    info_.points = study_.points.size();
    info_.stale_points_removed = stale_removed;
    for (const StudyPoint& p : study_.points) {
        if (options_.resume)
            summaries_[p.index] =
                read_point_file(points_dir_ / point_file_name(p.index), study_, p);
        if (summaries_[p.index])
            ++info_.points_resumed;
        else
            path_days_left_ += path_days(p.config);
    }
    info_.points_done = info_.points_resumed;
}

void StudyRun::write_study() {
    info_.elapsed_seconds = seconds_since(start_);
    info_.complete = info_.points_done == study_.points.size();
    write_file_atomic(dir_ / "study.json", study_json_text(study_, summaries_, info_));
    write_file_atomic(dir_ / "study.csv", study_csv_text(study_, summaries_));
}

void StudyRun::report_progress(const StudyPoint& p, const SimulationResult& r) const {
    SweepProgress pr;
    pr.point = p.index;
    pr.point_seconds = r.elapsed_seconds;
    pr.info = &info_;
    const double rate = info_.path_days_run / std::max(info_.elapsed_seconds, 1e-9);
    pr.eta_seconds = std::max(0.0, path_days_left_) / rate;
    pr.paths_per_second = paths_run_ / std::max(info_.elapsed_seconds, 1e-9);
    pr.path_days_per_second = rate;
    options_.progress(pr);
}

void StudyRun::finish_point(const StudyPoint& p, const SimulationResult& r) {
    write_file_atomic(points_dir_ / point_file_name(p.index), point_file_text(study_, p, r));
    summaries_[p.index] = summarize(p.config, r);
    ++info_.points_done;
    ++info_.points_run;
    info_.path_days_run += path_days(p.config);
    path_days_left_ -= path_days(p.config);
    paths_run_ += static_cast<double>(p.config.paths);
    info_.elapsed_seconds = seconds_since(start_);
    if (options_.progress)
        report_progress(p, r);
    if (seconds_since(last_write_) > 5.0) {
        write_study();
        last_write_ = Clock::now();
    }
}

void StudyRun::run_large(const StudyPoint& p) {
    EngineOptions eo;
    eo.threads = options_.threads;
    eo.progress = [this](std::int64_t) {
        if (stop())
            throw StopRequested{}; // between groups of blocks, outside OpenMP
    };
    finish_point(p, simulate(p.config, eo));
}

std::size_t StudyRun::run_small_batch(std::size_t first) {
    const std::size_t n = study_.points.size();
    const auto threads = static_cast<std::size_t>(info_.threads);
    std::vector<std::size_t> batch;
    for (std::size_t k = first; k < n && batch.size() < 4 * threads; ++k) {
        if (summaries_[k])
            continue;
        if (!is_small(study_.points[k]))
            break;
        batch.push_back(k);
    }
    std::vector<std::optional<SimulationResult>> results(batch.size());
    std::vector<std::exception_ptr> errors(batch.size());
    const auto count = static_cast<std::int64_t>(batch.size());
    const int workers = static_cast<int>(std::min(batch.size(), threads));
    // One point per OpenMP thread at a time; nothing throws out of the region.
#pragma omp parallel for schedule(dynamic, 1) num_threads(workers)
    for (std::int64_t b = 0; b < count; ++b) {
        if (stop())
            continue;
        try {
            EngineOptions eo;
            eo.threads = 1;
            results[static_cast<std::size_t>(b)] =
                simulate(study_.points[batch[static_cast<std::size_t>(b)]].config, eo);
        } catch (...) {
            errors[static_cast<std::size_t>(b)] = std::current_exception();
        }
    }
    // Written in index order, from this thread (write_file_atomic's signal cleanup knows one
    // temporary at a time).
    for (std::size_t b = 0; b < batch.size(); ++b) {
        if (errors[b])
            std::rethrow_exception(errors[b]);
        if (results[b])
            finish_point(study_.points[batch[b]], *results[b]);
    }
    return batch.back() + 1;
}

void StudyRun::run_all() {
    const std::size_t n = study_.points.size();
    std::size_t i = 0;
    try {
        while (i < n && !stop()) {
            if (summaries_[i]) {
                ++i;
            } else if (!is_small(study_.points[i])) {
                run_large(study_.points[i]);
                ++i;
            } else {
                i = run_small_batch(i);
            }
        }
    } catch (const StopRequested&) {
        // The point in progress is dropped; everything finished so far is on disk.
    }
}

} // namespace

StudyRunInfo run_study(const Study& study, const fs::path& dir, const SweepOptions& options) {
    prepare_folder(dir);
    const FolderLock lock(dir); // held until the study ends
    // Temporaries of this program's writers that died (SIGKILL); a live writer's stay.
    remove_stale_temporaries(dir);
    remove_stale_temporaries(dir / "points");
    const std::size_t stale_removed = claim_folder(study, dir, study_hash(study));
    StudyRun run(study, dir, options);
    run.start(stale_removed);
    run.run_all();
    run.write_study();
    return run.info();
}

} // namespace letf
