#include "letf/study/run_study.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <exception>
#include <optional>
#include <stdexcept>
#include <vector>

#include "letf/base/error.hpp"
#include "letf/cluster/cluster_run.hpp"
#include "letf/cluster/message.hpp"
#include "letf/engine/engine.hpp"
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
    /// Writes study.json and study.csv (a shard writes neither).
    void write_study();
    const StudyRunInfo& info() const { return info_; }
    /// The points this run computes: not done, and in its shard.
    std::vector<std::size_t> todo() const;
    /// Rank 0 of a distributed sweep: runs `steps` with the other ranks.
    void run_cluster(World& world, int threads0);

private:
    bool stop() const { return options_.stop_requested && options_.stop_requested(); }
    bool mine(std::size_t index) const {
        return options_.shard_count == 0 || index % options_.shard_count == options_.shard_index;
    }
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
        else if (mine(p.index))
            path_days_left_ += path_days(p.config);
    }
    info_.points_done = info_.points_resumed;
}

void StudyRun::write_study() {
    info_.elapsed_seconds = seconds_since(start_);
    info_.complete = todo().empty(); // a shard: its own points
    if (options_.shard_count > 0)
        return; // point files only: `sweep --resume` assembles the study files
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
        if (summaries_[k] || !mine(k))
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
            if (summaries_[i] || !mine(i)) {
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


// A distributed sweep (MPI): rank 0 tells every rank its work, then all follow one schedule.

// Message kinds (first byte).
constexpr char kSweepWork = 'w';     // rank 0 -> all: rank 0's threads and the points to run
constexpr char kSweepStop = 'e';     // rank 0 -> all: rank 0 failed before the start; exit code
constexpr char kSweepPartials = 's'; // rank r -> 0: r's partials of a batch of small points

using message::get;
using message::put;

/// One step of the schedule: a large point on every rank, or a batch of small points dealt one
/// per rank in turn (point j of the batch on rank j % ranks).
struct Step {
    bool large = false;
    std::vector<std::size_t> points;
};

/// The same on every rank: it depends only on the study, the points to run, rank 0's threads
/// and the rank count.
std::vector<Step> schedule(const Study& study, const std::vector<std::size_t>& todo, int threads0,
                           int ranks, const SweepOptions& options) {
    const std::int64_t small = options.small_point_paths_per_thread * threads0 * ranks;
    const auto batch = static_cast<std::size_t>(4 * threads0 * ranks);
    std::vector<Step> steps;
    for (const std::size_t k : todo) {
        if (study.points[k].config.paths >= small) {
            steps.push_back({true, {k}});
            continue;
        }
        if (steps.empty() || steps.back().large || steps.back().points.size() >= batch)
            steps.push_back({false, {}});
        steps.back().points.push_back(k);
    }
    return steps;
}

EngineOptions engine_options(int threads) {
    EngineOptions eo;
    eo.threads = threads;
    return eo;
}

/// This rank's points of a small batch, each on one thread, all of its blocks: their partials
/// in batch order.
std::vector<PartialResult> run_my_small(const Study& study, const Step& step, int rank, int ranks,
                                        int threads) {
    std::vector<std::size_t> mine;
    for (std::size_t j = 0; j < step.points.size(); ++j)
        if (static_cast<int>(j % static_cast<std::size_t>(ranks)) == rank)
            mine.push_back(step.points[j]);
    std::vector<PartialResult> out(mine.size());
    std::vector<std::exception_ptr> errors(mine.size());
    const auto count = static_cast<std::int64_t>(mine.size());
    const int workers = std::max(1, static_cast<int>(std::min<std::size_t>(
                                        mine.size(), static_cast<std::size_t>(threads))));
#pragma omp parallel for schedule(dynamic, 1) num_threads(workers)
    for (std::int64_t b = 0; b < count; ++b) {
        const auto u = static_cast<std::size_t>(b);
        try {
            const Plan plan = make_plan(study.points[mine[u]].config, engine_options(1));
            out[u] = accumulate(plan, BlockRange{0, plan.blocks}, 1);
        } catch (...) {
            errors[u] = std::current_exception();
        }
    }
    for (const std::exception_ptr& e : errors)
        if (e)
            std::rethrow_exception(e);
    return out;
}

/// Ranks other than 0: the work rank 0 sends, then the schedule.
void run_study_rank(const Study& study, const SweepOptions& options, World& world) {
    const std::string m = world.receive(0);
    std::size_t at = 1;
    if (m.empty() || (m[0] != kSweepWork && m[0] != kSweepStop))
        throw std::runtime_error("distributed sweep: unexpected message from rank 0");
    if (m[0] == kSweepStop)
        throw RankStop{get<std::int32_t>(m, at)};
    const int threads0 = get<std::int32_t>(m, at);
    std::vector<std::size_t> todo(get<std::uint64_t>(m, at));
    for (std::size_t& k : todo)
        k = get<std::uint64_t>(m, at);
    const int threads = resolve_threads(options.threads);
    for (const Step& step : schedule(study, todo, threads0, world.size(), options)) {
        if (step.large) {
            const Plan plan = make_plan(study.points[step.points[0]].config,
                                        engine_options(options.threads));
            accumulate_on_cluster(plan, world, ClusterRunOptions{});
            continue;
        }
        std::string reply(1, kSweepPartials);
        for (const PartialResult& p :
             run_my_small(study, step, world.rank(), world.size(), threads)) {
            const std::string bytes = serialize(p);
            put<std::uint64_t>(reply, bytes.size());
            reply += bytes;
        }
        world.send(0, reply);
    }
}

std::vector<std::size_t> StudyRun::todo() const {
    std::vector<std::size_t> out;
    for (const StudyPoint& p : study_.points)
        if (!summaries_[p.index] && mine(p.index))
            out.push_back(p.index);
    return out;
}

void StudyRun::run_cluster(World& world, int threads0) {
    const int ranks = world.size();
    for (const Step& step : schedule(study_, todo(), threads0, ranks, options_)) {
        if (step.large) {
            const StudyPoint& p = study_.points[step.points[0]];
            const auto t0 = Clock::now();
            const Plan plan = make_plan(p.config, engine_options(options_.threads));
            ClusterRunResult run = accumulate_on_cluster(plan, world, ClusterRunOptions{});
            SimulationResult r = finalize(plan, std::move(*run.partial));
            r.elapsed_seconds = seconds_since(t0);
            r.threads_per_rank = run.threads_per_rank;
            finish_point(p, r);
            continue;
        }
        const auto t0 = Clock::now();
        std::vector<PartialResult> own = run_my_small(study_, step, 0, ranks, threads0);
        std::vector<std::string> replies(static_cast<std::size_t>(ranks));
        std::vector<std::size_t> at(static_cast<std::size_t>(ranks), 1);
        for (int r = 1; r < ranks; ++r) {
            replies[static_cast<std::size_t>(r)] = world.receive(r);
            if (replies[static_cast<std::size_t>(r)].empty() ||
                replies[static_cast<std::size_t>(r)][0] != kSweepPartials)
                throw std::runtime_error("distributed sweep: unexpected message");
        }
        const double seconds = seconds_since(t0);
        for (std::size_t j = 0; j < step.points.size(); ++j) {
            const StudyPoint& p = study_.points[step.points[j]];
            const auto r = static_cast<std::size_t>(j % static_cast<std::size_t>(ranks));
            const Plan plan = make_plan(p.config, engine_options(1));
            PartialResult part;
            if (r == 0) {
                part = std::move(own[j / static_cast<std::size_t>(ranks)]);
            } else {
                const std::string& m = replies[r];
                const auto len = static_cast<std::size_t>(get<std::uint64_t>(m, at[r]));
                if (len > m.size() - at[r])
                    throw std::runtime_error("distributed sweep: truncated message");
                part = deserialize(plan, m.substr(at[r], len));
                at[r] += len;
            }
            SimulationResult result = finalize(plan, std::move(part));
            result.elapsed_seconds = seconds / static_cast<double>(step.points.size());
            finish_point(p, result);
        }
    }
}

} // namespace

StudyRunInfo run_study(const Study& study, const fs::path& dir, const SweepOptions& options) {
    World* world = options.world != nullptr && options.world->size() > 1 ? options.world : nullptr;
    if (world && world->rank() != 0) {
        run_study_rank(study, options, *world);
        return {};
    }
    const bool shard = options.shard_count > 0;
    // Rank 0 of a distributed sweep tells the others when it cannot start.
    const auto stop_others = [&](std::int32_t code) {
        if (!world)
            return;
        std::string m(1, kSweepStop);
        put(m, code);
        for (int r = 1; r < world->size(); ++r)
            world->send(r, m);
    };
    std::optional<FolderLock> lock;
    std::optional<StudyRun> run;
    try {
        prepare_folder(dir);
        lock.emplace(dir, shard); // held until the study ends
        // Temporaries of this program's writers that died (SIGKILL); a live writer's stay. Not
        // by a shard: its neighbours may run on other machines, whose process ids mean nothing
        // here.
        if (!shard) {
            remove_stale_temporaries(dir);
            remove_stale_temporaries(dir / "points");
        }
        const std::size_t stale_removed = claim_folder(study, dir, study_hash(study));
        run.emplace(study, dir, options);
        run->start(stale_removed);
    } catch (const InputError&) {
        stop_others(2);
        throw;
    } catch (...) {
        stop_others(1);
        throw;
    }
    if (world) {
        const int threads0 = resolve_threads(options.threads);
        std::string m(1, kSweepWork);
        put<std::int32_t>(m, threads0);
        const std::vector<std::size_t> todo = run->todo();
        put<std::uint64_t>(m, todo.size());
        for (const std::size_t k : todo)
            put<std::uint64_t>(m, k);
        for (int r = 1; r < world->size(); ++r)
            world->send(r, m);
        run->run_cluster(*world, threads0);
    } else {
        run->run_all();
    }
    run->write_study();
    return run->info();
}

} // namespace letf
