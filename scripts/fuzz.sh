#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz (clang, ASan + UBSan + float-cast-overflow) into
# their own folder and runs each for SECONDS (default 60), one after another. Any finding (a
# crash, a sanitizer report, a failed check, a timeout, a leak, running out of memory) fails the
# script; the input is saved under BUILD/artifacts/. Prints executions and exec/s per harness.
# Needs `scripts/setup.sh --sanitizers` once.
#   scripts/fuzz.sh [SECONDS] [HARNESS...]     e.g. scripts/fuzz.sh 600 fuzz_csv
# Environment:
#   LETF_FUZZ_BUILD_DIR  build folder (default: build-fuzz; build-asan, scripts/sanitize.sh's
#                        folder, works too and saves building the library twice); new corpus
#                        entries go to its corpus/
#   CI=true              warnings become errors
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
harnesses=("$@")
((${#harnesses[@]})) || harnesses=(fuzz_scenario fuzz_study fuzz_csv fuzz_simulate fuzz_partial)
build_dir=${LETF_FUZZ_BUILD_DIR:-build-fuzz}
source scripts/clang_build.sh
letf_clang_configure "$build_dir"
cmake --build "$build_dir" -j "$(nproc)" --target "${harnesses[@]}"

# See scripts/sanitize.sh for KMP_HOT_TEAMS_MAX_LEVEL (the harnesses run on one thread anyway).
export KMP_HOT_TEAMS_MAX_LEVEL=0
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
failed=()
summary=()
for h in "${harnesses[@]}"; do
  # fuzz_partial edits binary files: no dictionary.
  dict=(-dict=tests/fuzz/json.dict)
  [ "$h" = fuzz_csv ] && dict=(-dict=tests/fuzz/csv.dict)
  [ "$h" = fuzz_partial ] && dict=()
  work="$build_dir/corpus/$h"; artifacts="$build_dir/artifacts/$h"
  mkdir -p "$work" "$artifacts"
  log="$build_dir/$h.log"
  echo "fuzz: $h for ${seconds}s (log: $log)"
  status=0
  # New inputs go to the build folder's corpus; the checked-in seeds are only read. 64 KiB
  # inputs reach JSON nested deep enough to exhaust the stack (libFuzzer grows lengths slowly).
  "$build_dir/tests/fuzz/$h" "$work" "tests/fuzz/corpus/$h" "${dict[@]}" \
      -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | awk '{s+=$1} END {print s+0}')
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | awk '{s+=$1} END {print s+0}')
  line=$(printf '%-14s %12s executions %8s exec/s' "$h" "$runs" "$rate")
  if ((status != 0)); then
    failed+=("$h")
    line+="  FINDING (exit $status, see $log and $artifacts/)"
    grep -E 'FINDING|ERROR: |runtime error|SUMMARY|deadly signal|Test unit written' "$log" |
      head -n 12 >&2 || true
  fi
  summary+=("$line")
done
printf 'fuzz: %s\n' "${summary[@]}"
if ((${#failed[@]})); then
  echo "fuzz: findings in ${failed[*]}" >&2
  exit 1
fi
