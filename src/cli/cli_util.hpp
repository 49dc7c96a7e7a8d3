#pragma once
/// \file cli_util.hpp
/// Small helpers shared by the subcommands: flag checks that throw InputError naming the flag.

#include <algorithm>
#include <cmath>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "letf/base/error.hpp"
#include "letf/base/limits.hpp"
#include "letf/config/unit_check.hpp"
#include "letf/io/object_reader.hpp"
#include "letf/market/market_data.hpp"

namespace letf::cli {

/// Throws InputError("command line", flag, ...) unless `x` lies in `range` (finite, each end
/// open or closed as the range says). The message shows the ends as the flags are read
/// (`must be a number in (0, 1e+15]`).
inline double check_flag(const std::string& flag, double x, Range range) {
    if (!range.contains(x)) {
        throw InputError("command line", flag,
                         fmt::format("must be a number in {}{}, {}{}",
                                     range.lo_end == End::open ? "(" : "[", range.lo, range.hi,
                                     range.hi_end == End::open ? ")" : "]"),
                         fmt::format("{}", x));
    }
    return x;
}

/// The date of a `--start`/`--end` flag when it was given, else nullopt; InputError naming the
/// flag when it is not a date YYYY-MM-DD.
inline std::optional<Date> date_flag(const CLI::App& cmd, const char* flag,
                                     const std::string& text) {
    if (cmd.count(flag) == 0)
        return std::nullopt;
    const std::optional<Date> d = parse_date(text);
    if (!d)
        throw InputError("command line", flag, "must be a date YYYY-MM-DD", text);
    return d;
}

/// Throws InputError naming --threads unless it was left out or is in [1, limits::kMaxThreads].
inline void check_threads_flag(const CLI::App& cmd, int threads) {
    if (cmd.count("--threads") && (threads < 1 || threads > limits::kMaxThreads))
        throw InputError("command line", "--threads",
                         fmt::format("must be an integer in [1, {}]", limits::kMaxThreads),
                         std::to_string(threads));
}

/// The value of `-o,--output` when the flag was given, else nullopt. An empty value (`-o ""`) is
/// an error, never a silent default.
inline std::optional<std::string> output_flag(const CLI::App& cmd, const std::string& value) {
    if (cmd.count("--output") == 0)
        return std::nullopt;
    if (value.empty())
        throw InputError("command line", "--output",
                         "must not be empty (leave the flag out for the default)", "\"\"");
    return value;
}

/// Prints probable unit mistakes (config/unit_check.hpp) as `letfsim: warning: ...` lines, at
/// most `most` of them (then a count of the rest); nothing when LETF_NO_WARNINGS is set.
inline void print_unit_warnings(std::ostream& err, const std::vector<std::string>& warnings,
                                std::size_t most = 5) {
    if (!unit_warnings_enabled())
        return;
    for (std::size_t k = 0; k < warnings.size() && k < most; ++k)
        err << "letfsim: warning: " << warnings[k] << " (LETF_NO_WARNINGS=1 silences this)\n";
    if (warnings.size() > most)
        err << "letfsim: warning: and " << warnings.size() - most << " more like these\n";
}

/// Prints the notes of the data readers (PriceSeries::note: the column of a price file chosen by
/// default when it had several) as `letfsim: NOTE` lines, each text once however often it comes.
inline void print_data_notes(std::ostream& err,
                             const std::vector<std::optional<std::string>>& notes) {
    std::vector<std::string> printed;
    for (const std::optional<std::string>& n : notes) {
        if (!n || std::find(printed.begin(), printed.end(), *n) != printed.end())
            continue;
        err << "letfsim: " << *n << "\n";
        printed.push_back(*n);
    }
}

/// The note of a scenario's price file (MarketData::note), empty when none.
inline std::vector<std::optional<std::string>> data_notes(const ScenarioConfig& config) {
    if (!config.market_data)
        return {};
    return {config.market_data->note};
}

} // namespace letf::cli
