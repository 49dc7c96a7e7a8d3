#pragma once
/// \file progress.hpp
/// The progress text of `run` and `sweep` in one place: durations (the ETA style of both),
/// rates with SI prefixes, counts with thousands separators, and the terminal progress line of
/// a run, cleared before anything else prints.

#include <chrono>
#include <cmath>
#include <cstdint>
#include <ostream>
#include <string>

#include <fmt/format.h>

namespace letf::cli {

/// "12.3 s", "4 min 05 s", "1.5 h".
inline std::string duration(double seconds) {
    if (seconds < 60)
        return fmt::format("{:.1f} s", seconds);
    if (seconds < 3600)
        return fmt::format("{:.0f} min {:02.0f} s", std::floor(seconds / 60),
                           std::fmod(seconds, 60.0));
    return fmt::format("{:.1f} h", seconds / 3600);
}

/// 1234567 -> "1.23 M".
inline std::string si(double x) {
    if (x >= 1e9)
        return fmt::format("{:.3g} G", x / 1e9);
    if (x >= 1e6)
        return fmt::format("{:.3g} M", x / 1e6);
    if (x >= 1e3)
        return fmt::format("{:.3g} k", x / 1e3);
    return fmt::format("{:.3g}", x);
}

/// 1234567 -> "1,234,567"; -1234 -> "-1,234".
inline std::string thousands(std::int64_t n) {
    const std::uint64_t magnitude =
        n < 0 ? static_cast<std::uint64_t>(-(n + 1)) + 1 : static_cast<std::uint64_t>(n);
    const std::string digits = std::to_string(magnitude);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return n < 0 ? "-" + out : out;
}

/// Erases the current terminal line (carriage return, then erase to the end of the line).
inline constexpr const char* kClearLine = "\r\x1b[K";

/// The progress line of a run of `total` paths of `days` days, `done` of them after `elapsed`
/// seconds: "  24.7% 1,234,567 of 5,000,000 paths, 1.23 M paths/s, 310 M path-days/s, 1.0 s
/// elapsed, ETA 3.1 s". Starts with kClearLine, so it replaces the previous one.
inline std::string progress_line(std::int64_t done, std::int64_t total, int days, double elapsed) {
    const double d = static_cast<double>(done);
    const double rate = elapsed > 0 ? d / elapsed : 0.0;
    const double eta = d > 0 ? elapsed * static_cast<double>(total - done) / d : 0.0;
    return fmt::format("{}  {:5.1f}% {} of {} paths, {} paths/s, {} path-days/s, {} elapsed, "
                       "ETA {}",
                       kClearLine, total > 0 ? 100.0 * d / static_cast<double>(total) : 100.0,
                       thousands(done), thousands(total), si(rate), si(rate * days),
                       duration(elapsed), duration(eta));
}

/// Progress of a run on stderr, only when `enabled` (a terminal, not --quiet) and only once the
/// run has taken `min_seconds`. finish() (or the destructor) clears the line, so the summary
/// that follows starts on a clean line.
class Progress {
public:
    Progress(std::ostream& err, std::int64_t total, int days, bool enabled,
             double min_seconds = 1.0)
        : err_(err), total_(total), days_(days), enabled_(enabled), min_seconds_(min_seconds),
          start_(std::chrono::steady_clock::now()) {}
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    void update(std::int64_t done) {
        if (!enabled_ || done <= 0)
            return;
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        if (elapsed < min_seconds_)
            return;
        err_ << progress_line(done, total_, days_, elapsed) << std::flush;
        shown_ = true;
    }

    /// Clears the line when one was shown; later updates are ignored.
    void finish() {
        if (shown_)
            err_ << kClearLine << std::flush;
        shown_ = false;
        enabled_ = false;
    }

    ~Progress() { finish(); }

private:
    std::ostream& err_;
    std::int64_t total_;
    int days_;
    bool enabled_;
    double min_seconds_;
    bool shown_ = false;
    std::chrono::steady_clock::time_point start_;
};

} // namespace letf::cli
