#pragma once
/// \file fuzz_common.hpp
/// Shared pieces of the libFuzzer harnesses: a scratch folder with two small market CSV files
/// (so that historical and bootstrap models and rate series can be reached), the rule that an
/// InputError is an expected answer and anything else a finding, and text checks.
///
/// A finding prints one line naming the harness and the check, then aborts: libFuzzer saves the
/// input as crash-<sha1> and exits non-zero.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "letf/base/error.hpp"

namespace letf::fuzz {

/// Ends the run with a finding.
[[noreturn]] inline void finding(std::string_view harness, std::string_view what) {
    std::fprintf(stderr, "FINDING in %.*s: %.*s\n", static_cast<int>(harness.size()),
                 harness.data(), static_cast<int>(what.size()), what.data());
    std::fflush(stderr);
    std::abort();
}

/// The body of every LLVMFuzzerTestOneInput: runs `run` on the input as text. An InputError is
/// the expected answer to bad input (also from the engine, which may refuse a valid scenario it
/// cannot run, e.g. a memory estimate over the limit); any other exception is a finding.
template <class Run>
int run_input(std::string_view harness, const std::uint8_t* data, std::size_t size, Run run) {
    try {
        run(std::string_view(reinterpret_cast<const char*>(data), size));
    } catch (const letf::InputError&) {
    } catch (const std::exception& e) {
        finding(harness, std::string("unexpected exception: ") + e.what());
    }
    return 0;
}

/// The round trip of a parser and its to_json: `reparse(first)` must give `first` again, and must
/// not refuse it (to_json writes only what the parser accepts).
template <class Reparse>
void expect_round_trip(std::string_view harness, const std::string& first, Reparse reparse) {
    std::string second;
    try {
        second = reparse(first);
    } catch (const letf::InputError& e) {
        finding(harness, std::string("to_json text refused: ") + e.what() + "\n  text: " + first);
    }
    if (first != second)
        finding(harness, "round trip differs\n  first:  " + first + "\n  second: " + second);
}

/// 24 trading days of closes, 2024-01-02 .. 2024-02-05, with a weekend gap and a holiday.
inline constexpr std::string_view kPricesCsv = "date,close\n"
                                               "2024-01-02,100.0\n"
                                               "2024-01-03,101.5\n"
                                               "2024-01-04,99.8\n"
                                               "2024-01-05,100.2\n"
                                               "2024-01-08,102.0\n"
                                               "2024-01-09,101.1\n"
                                               "2024-01-10,103.4\n"
                                               "2024-01-11,102.9\n"
                                               "2024-01-12,104.0\n"
                                               "2024-01-16,103.2\n"
                                               "2024-01-17,101.7\n"
                                               "2024-01-18,102.5\n"
                                               "2024-01-19,105.0\n"
                                               "2024-01-22,104.4\n"
                                               "2024-01-23,104.9\n"
                                               "2024-01-24,103.0\n"
                                               "2024-01-25,106.1\n"
                                               "2024-01-26,105.5\n"
                                               "2024-01-29,107.2\n"
                                               "2024-01-30,106.0\n"
                                               "2024-01-31,104.8\n"
                                               "2024-02-01,106.6\n"
                                               "2024-02-02,108.0\n"
                                               "2024-02-05,107.1\n";

/// Annual rates in percent, weekly, from before the first close.
inline constexpr std::string_view kRatesCsv = "date,close\n"
                                              "2023-12-29,5.25\n"
                                              "2024-01-05,5.24\n"
                                              "2024-01-12,5.22\n"
                                              "2024-01-19,5.21\n"
                                              "2024-01-26,5.23\n"
                                              "2024-02-02,5.20\n";

/// A scratch folder holding prices.csv and rates.csv, made once per process and removed at a
/// normal exit (a process ended by a finding leaves it behind, in the temporary folder).
/// Scenario texts are parsed as if they were `<folder>/fuzz.json`, so `"csv": "prices.csv"`
/// resolves there.
const std::filesystem::path& scratch_dir();

/// The absolute scenario file name used for parsing (`<scratch>/fuzz.json`).
const std::string& scenario_file();

/// True when the text contains a NaN or infinity as printed by iostreams, fmt or printf (the
/// words nan, inf, infinity in any case, not inside a longer word).
bool has_non_finite_text(std::string_view text);

} // namespace letf::fuzz
