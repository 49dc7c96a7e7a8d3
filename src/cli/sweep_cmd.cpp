#include "sweep_cmd.hpp"

#include "cli_util.hpp"
#include "output_check.hpp"
#include "progress.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <tuple>
#include <csignal>
#include <filesystem>
#include <functional>
#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <signal.h>

#include "letf/base/error.hpp"
#include "letf/engine/engine.hpp"
#include "letf/io/atomic_file.hpp"
#include "letf/study/sweep.hpp"

namespace letf::cli {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;
struct sigaction g_previous_sigint {};

extern "C" void on_sigint(int) {
    g_interrupted = 1;
    // A second Ctrl-C goes to the handler the sweep replaced (install_signal_cleanup's: it
    // removes the temporary being written and exits 130), or ends the process by default.
    ::sigaction(SIGINT, &g_previous_sigint, nullptr);
}

} // namespace

SigintGuard::SigintGuard() {
    g_interrupted = 0;
    struct sigaction mine {};
    mine.sa_handler = on_sigint;
    sigemptyset(&mine.sa_mask);
    ::sigaction(SIGINT, &mine, &g_previous_sigint);
}

SigintGuard::~SigintGuard() {
    ::sigaction(SIGINT, &g_previous_sigint, nullptr);
}

bool SigintGuard::interrupted() {
    return g_interrupted != 0;
}

SweepCommand::SweepCommand(CLI::App& app, World& world)
    : Command(app.add_subcommand(
          "sweep", "Run a study: a base scenario at every point of a grid (or zip) of axes")),
      world_(world) {
    cmd_->add_option("STUDY", study_, "Study file (JSON)")->required();
    cmd_->add_option("-o,--output", output_, "Output folder (default: results/<study name>)");
    cmd_->add_option("--threads", threads_, "Threads (default: all cores)");
    cmd_->add_flag("--resume", resume_, "Skip points already complete in the output folder");
    cmd_->add_option("--shard", shard_,
                     "Run only the points with index % N == I (I from 0), writing point files "
                     "only; when every shard is done, --resume writes the study files");
    cmd_->add_flag("-q,--quiet", quiet_, "No progress on stderr, no summary on stdout");
    cmd_->footer("Exit codes: 0 every point done, 2 usage or study error or an output folder that "
                 "is locked by another sweep or holds another study, 1 runtime failure, 130 "
                 "interrupted (Ctrl-C; run again with --resume to continue).");
}

namespace {

/// A point's axis values for its progress line: `/model/sigma=0.2 /multiples=[3]`, each value
/// its label when the axis has labels, compact JSON otherwise, cut at 40 characters.
std::string point_values(const Study& study, std::size_t point) {
    std::string out;
    const StudyPoint& p = study.points[point];
    for (std::size_t a = 0; a < study.axes.size(); ++a) {
        const StudyAxis& axis = study.axes[a];
        const std::size_t v = p.value_index[a];
        std::string value = axis.labels.empty() ? axis.values[v] : axis.labels[v];
        if (value.size() > 40)
            value = value.substr(0, 37) + "...";
        out += (out.empty() ? "" : " ") + axis.pointer + "=" + value;
    }
    return out;
}

/// One line on `err` after each point, with its axis values.
std::function<void(const SweepProgress&)> progress_printer(std::ostream& err, const Study& study) {
    const std::size_t n = study.points.size();
    const int width = static_cast<int>(std::to_string(n).size());
    return [&err, &study, n, width](const SweepProgress& p) {
        const StudyRunInfo& info = *p.info;
        err << fmt::format("[{:>{}}/{}] point {} ({}) done in {}; {} paths/s, {} path-days/s; "
                           "ETA {}\n",
                           info.points_done, width, n, p.point, point_values(study, p.point),
                           duration(p.point_seconds), si(p.paths_per_second),
                           si(p.path_days_per_second), duration(p.eta_seconds))
            << std::flush;
    };
}

/// `--shard I/N` as {I, N}.
std::pair<std::size_t, std::size_t> parse_shard(const std::string& text) {
    const auto slash = text.find('/');
    std::size_t i = 0, n = 0;
    const auto number = [](std::string_view t, std::size_t& x) {
        const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
        return !t.empty() && ec == std::errc() && p == t.data() + t.size();
    };
    if (slash == std::string::npos || !number(std::string_view(text).substr(0, slash), i) ||
        !number(std::string_view(text).substr(slash + 1), n) || n < 1 || i >= n)
        throw InputError("command line", "--shard", "must be I/N with 0 <= I < N", text);
    return {i, n};
}

} // namespace

int SweepCommand::run(std::ostream& out, std::ostream& err) const {
    check_threads_flag(*cmd_, threads_);
    const std::optional<std::string> output = output_flag(*cmd_, output_);
    if (output) { // before the study (and its data files) are read
        check_output_folder(*output);
        check_output_folder_flag("--output", *output);
    }
    const Study study = load_study(study_); // every point validated before anything runs
    if (!quiet_) { // each suspicious value once, however many points share it
        std::vector<std::string> warnings;
        for (const StudyPoint& p : study.points)
            for (std::string& w : unit_warnings(p.config, study_ + " (point " +
                                                              std::to_string(p.index) + ")"))
                if (std::find_if(warnings.begin(), warnings.end(), [&](const std::string& o) {
                        return o.substr(o.find(')')) == w.substr(w.find(')'));
                    }) == warnings.end())
                    warnings.push_back(std::move(w));
        print_unit_warnings(err, warnings);
        std::vector<std::optional<std::string>> notes; // each file's once (print_data_notes)
        for (const StudyPoint& p : study.points)
            for (std::optional<std::string>& n : data_notes(p.config))
                notes.push_back(std::move(n));
        print_data_notes(err, notes);
    }
    for (const StudyPoint& p : study.points)
        check_memory(p.config, threads_, study_, "at point " + std::to_string(p.index));
    const std::filesystem::path dir = output.value_or("results/" + study.name);
    check_output_folder_flag("--output", dir);

    SweepOptions options;
    options.threads = threads_;
    options.resume = resume_;
    options.world = &world_;
    if (cmd_->count("--shard"))
        std::tie(options.shard_index, options.shard_count) = parse_shard(shard_);
    options.stop_requested = [] { return SigintGuard::interrupted(); };
    const std::size_t n = study.points.size();
    if (!quiet_)
        options.progress = progress_printer(err, study);

    // Under mpirun, Ctrl-C ends every rank (the finished points stay; --resume continues).
    std::optional<SigintGuard> guard;
    if (world_.size() == 1)
        guard.emplace();
    else
        options.stop_requested = nullptr;
    const StudyRunInfo info = run_study(study, dir, options);
    if (world_.rank() != 0)
        return kExitOk; // rank 0 reports
    if (info.stale_points_removed > 0)
        err << fmt::format("letfsim: removed {} stale point file{} (index >= {}) from {}\n",
                           info.stale_points_removed, info.stale_points_removed == 1 ? "" : "s", n,
                           (dir / "points").string());
    if (resume_ && !quiet_)
        err << fmt::format("letfsim: --resume: reused {} of {} points already complete in {}\n",
                           info.points_resumed, n, dir.string());
    if (!info.complete) {
        err << fmt::format("letfsim: interrupted after {} of {} points; the finished points are in "
                           "{}; run again with --resume to continue\n",
                           info.points_done, n, dir.string());
        return kExitInterrupted;
    }
    if (options.shard_count > 0) {
        if (!quiet_)
            out << fmt::format("study {}: shard {}/{}: {} points run, {} resumed, in {}; wrote "
                               "{}/points/ (when every shard is done, `letfsim sweep {} --resume "
                               "-o {}` writes study.json and study.csv)\n",
                               study.name, options.shard_index, options.shard_count,
                               info.points_run, info.points_resumed,
                               duration(info.elapsed_seconds), dir.string(), study_, dir.string());
        return kExitOk;
    }
    if (!quiet_)
        out << fmt::format("study {}: {} points ({} run, {} resumed) in {} on {} thread{}\n"
                           "wrote {}/study.json, {}/study.csv and {}/points/\n",
                           study.name, n, info.points_run, info.points_resumed,
                           duration(info.elapsed_seconds), info.threads,
                           info.threads == 1 ? "" : "s", dir.string(), dir.string(), dir.string());
    return kExitOk;
}

} // namespace letf::cli
