#pragma once
/// \file cli.hpp
/// The command line (CLI11), callable in-process so tests can check exit codes and messages.

#include <ostream>

namespace letf::cli {

/// Runs `letfsim` with the given arguments, writing to `out` and `err`. Returns the exit code:
/// 0 success, 2 usage or input error (one line on `err` naming file, field and value),
/// 1 runtime failure.
int main(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

} // namespace letf::cli
