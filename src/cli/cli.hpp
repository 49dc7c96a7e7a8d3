#pragma once
/// \file cli.hpp
/// The command line (CLI11), callable in-process so tests can check exit codes and messages.

#include <ostream>

#include "letf/cluster/world.hpp"

namespace letf::cli {

/// Runs `letfsim` with the given arguments, writing to `out` and `err`. Returns the exit code:
/// 0 success, 2 usage or input error (one line on `err` naming file, field and value),
/// 1 runtime failure.
/// A single process (tests call this).
int main(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

/// The same in `world` (cluster/world.hpp): under mpirun every rank calls it; only rank 0
/// prints (another rank prints only a runtime failure of its own, then ends the run with
/// World::abort so that no rank waits for it).
int main(int argc, const char* const* argv, std::ostream& out, std::ostream& err, World& world);

} // namespace letf::cli
