#pragma once
// Helpers of the in-process CLI tests (cli_test.cpp, cli_bad_input_test.cpp,
// calculator_cli_test.cpp, study/sweep_test.cpp): running `letfsim` and checking its output.

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli.hpp"

namespace letf::test {

struct CliResult {
    int code = -1;
    std::string out, err;
};

/// Runs `letfsim args...` in-process.
inline CliResult run_cli(const std::vector<std::string>& args) {
    std::vector<const char*> argv{"letfsim"};
    for (const std::string& a : args)
        argv.push_back(a.c_str());
    std::ostringstream out, err;
    CliResult r;
    r.code = letf::cli::main(static_cast<int>(argv.size()), argv.data(), out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
}

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_file(const std::filesystem::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

inline std::vector<std::string> folder_entries(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

inline std::size_t count_lines(const std::string& s) {
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

/// Exactly one line: non-empty, ending in the only newline.
inline ::testing::AssertionResult one_line(const std::string& s) {
    if (!s.empty() && s.back() == '\n' && count_lines(s) == 1 && s.size() > 1)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "expected exactly one line, got " << count_lines(s)
                                         << " newline(s) in \"" << s << "\"";
}

} // namespace letf::test
