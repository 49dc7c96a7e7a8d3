#!/usr/bin/env bash
# Builds the whole test suite (and the fuzz harnesses) with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer with float-cast-overflow (scripts/clang_build.sh) into its own folder
# and runs all of CTest there; any sanitizer report fails its test. Needs
# `scripts/setup.sh --sanitizers` once. Environment:
#   LETF_ASAN_BUILD_DIR  build folder (default: build-asan)
#   CI=true              warnings become errors
# Extra arguments go to ctest (e.g. -R engine).
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${LETF_ASAN_BUILD_DIR:-build-asan}
source scripts/clang_build.sh
letf_clang_configure "$build_dir"
cmake --build "$build_dir" -j "$(nproc)"

# halt_on_error: the first report ends the process with a failing status. Leak detection stays on
# with no suppressions. With LLVM libomp's default "hot teams" (it keeps the threads of a team for
# the next parallel region), LeakSanitizer reports 2880 bytes allocated inside libomp in the tests
# that run one scenario on 1, 2 and 8 threads; with hot teams off (KMP_HOT_TEAMS_MAX_LEVEL=0)
# there is none. Results never depend on threads, so the only leaks left to report are ours.
export KMP_HOT_TEAMS_MAX_LEVEL=0
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" "$@"
