#!/usr/bin/env bash
# Workload W (configs/bench_w.json: gbm, 200,000 paths x 252 days, 12 positions, the terminal
# and drawdown statistics that the NumPy peer computes too; "path_statistics": false) side by
# side: letfsim on 1 and 2 threads, the NumPy peer (bench/peer_numpy.py) in 1 and 2 processes,
# the portable build, letfsim's peak memory at 10,000,000 paths, and W with the investor's path
# statistics (volatility, Sharpe, time under water, survival: the default of a scenario).
#
#   scripts/bench.sh            # full run, writes results/bench/bench_w.{md,json}
#   RUNS=3 scripts/bench.sh     # runs per measurement (median reported; default 5)
#   QUICK=1 scripts/bench.sh    # skip the portable build and the 10 M-path run; writes
#                               # build/bench-quick/bench_w.{md,json}, never the curated
#                               # results/bench/ files
#   OUT_DIR=DIR scripts/bench.sh  # write bench_w.{md,json} into DIR instead
#
# Rates are path-days per second of the whole simulation including the statistics, as each
# program measures it (letfsim: run_info.elapsed_seconds; NumPy: its own timer, after imports).
# Peak memory is the process's maximum resident set size from /usr/bin/time -v.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
QUICK=${QUICK:-0}
PY=/usr/bin/python3 # Debian's python3-numpy is installed for the system interpreter
if [ "$QUICK" = 1 ]; then
  out_dir=${OUT_DIR:-build/bench-quick} # a quick run is no measurement to keep
else
  out_dir=${OUT_DIR:-results/bench}
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

scripts/setup.sh >/dev/null
if [ "$QUICK" != 1 ]; then
  LETF_PORTABLE=1 LETF_BUILD_DIR=build-portable scripts/setup.sh >/dev/null
fi
[ -x /usr/bin/time ] || { echo "bench.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }

# run_letfsim BIN THREADS [extra args]: prints "rate peak_kib"
run_letfsim() {
  local bin=$1 threads=$2
  shift 2
  /usr/bin/time -v -o "$tmp/time.txt" "$bin" run "${BENCH_CONFIG:-configs/bench_w.json}" -q \
    --threads "$threads" \
    -o "$tmp/report.json" "$@" >/dev/null
  local rate rss
  rate=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["run_info"]["path_days_per_second"])' "$tmp/report.json")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
  echo "$rate $rss"
}

# run_numpy PROCESSES: prints "rate peak_kib" (the largest RSS of the parent and its workers)
run_numpy() {
  /usr/bin/time -v -o "$tmp/time.txt" $PY bench/peer_numpy.py --processes "$1" --json \
    >"$tmp/numpy.json"
  local rate rss
  rate=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["run_info"]["path_days_per_second"])' "$tmp/numpy.json")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
  echo "$rate $rss"
}

# median NAME CMD...: runs CMD $RUNS times and appends "NAME median_rate max_rss" to results.txt
median() {
  local name=$1
  shift
  : >"$tmp/runs.txt"
  for _ in $(seq "$RUNS"); do "$@" >>"$tmp/runs.txt"; done
  $PY - "$name" "$tmp/runs.txt" >>"$tmp/results.txt" <<'EOF'
import statistics, sys
name, path = sys.argv[1], sys.argv[2]
rows = [line.split() for line in open(path) if line.strip()]
rates = [float(r[0]) for r in rows]
print(name, statistics.median(rates), max(int(r[1]) for r in rows), min(rates), max(rates))
EOF
  tail -n 1 "$tmp/results.txt" | awk '{printf "  %-22s %8.1f M path-days/s (min %.1f, max %.1f), peak %.1f MiB\n", $1, $2/1e6, $4/1e6, $5/1e6, $3/1024}'
}

echo "Workload W, $RUNS runs each (median):"
median letfsim_1_thread run_letfsim build/letfsim 1
median letfsim_2_threads run_letfsim build/letfsim 2
median numpy_1_process run_numpy 1
median numpy_2_processes run_numpy 2
if [ "$QUICK" != 1 ]; then
  median portable_2_threads run_letfsim build-portable/letfsim 2
  RUNS=1 median letfsim_10M_paths run_letfsim build/letfsim 2 --paths 10000000
fi
# W with the path statistics on (a copy of the config without the switch).
$PY -c 'import json,sys; c=json.load(open("configs/bench_w.json")); c.pop("path_statistics", None); json.dump(c, open(sys.argv[1], "w"))' "$tmp/bench_w_paths.json"
BENCH_CONFIG=$tmp/bench_w_paths.json median path_statistics_1_thread run_letfsim build/letfsim 1
BENCH_CONFIG=$tmp/bench_w_paths.json median path_statistics_2_threads run_letfsim build/letfsim 2

mkdir -p "$out_dir"
$PY - "$tmp/results.txt" "$out_dir" "$RUNS" <<'EOF'
import json, os, platform, subprocess, sys
path, out_dir, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
r = {}
for line in open(path):
    name, rate, rss, lo, hi = line.split()
    r[name] = {"path_days_per_second": float(rate), "peak_rss_mib": int(rss) / 1024,
               "min": float(lo), "max": float(hi)}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
rate = lambda k: r[k]["path_days_per_second"]
ratios = {
    "letfsim_2_threads_vs_numpy_2_processes": rate("letfsim_2_threads") / rate("numpy_2_processes"),
    "letfsim_1_thread_vs_numpy_1_process": rate("letfsim_1_thread") / rate("numpy_1_process"),
    "letfsim_scaling_1_to_2_threads": rate("letfsim_2_threads") / rate("letfsim_1_thread"),
}
if "portable_2_threads" in r:
    ratios["portable_vs_native_2_threads"] = rate("portable_2_threads") / rate("letfsim_2_threads")
ratios["path_statistics_vs_without_2_threads"] = (rate("path_statistics_2_threads") /
                                                  rate("letfsim_2_threads"))
doc = {"workload": "configs/bench_w.json", "runs": runs, "cpu": cpu, "cores": os.cpu_count(),
       "results": r, "ratios": ratios}
with open(os.path.join(out_dir, "bench_w.json"), "w") as f:
    json.dump(doc, f, indent=2)
rows = [("letfsim, 1 thread", "letfsim_1_thread"), ("letfsim, 2 threads", "letfsim_2_threads"),
        ("NumPy, 1 process", "numpy_1_process"), ("NumPy, 2 processes", "numpy_2_processes"),
        ("letfsim portable (x86-64-v2), 2 threads", "portable_2_threads"),
        ("letfsim, 10,000,000 paths, 2 threads", "letfsim_10M_paths"),
        ("letfsim with path statistics, 1 thread", "path_statistics_1_thread"),
        ("letfsim with path statistics, 2 threads", "path_statistics_2_threads")]
lines = [f"# Workload W on {cpu} ({os.cpu_count()} cores)", "",
         f"Median of {runs} runs (the 10 M-path row: one run). Reproduce with `scripts/bench.sh`.", "",
         "| program | M path-days/s | vs NumPy 2 processes | peak memory (MiB) |",
         "|---|---:|---:|---:|"]
for label, key in rows:
    if key in r:
        lines.append(f"| {label} | {rate(key) / 1e6:.1f} | {rate(key) / rate('numpy_2_processes'):.1f}x "
                     f"| {r[key]['peak_rss_mib']:.1f} |")
lines += ["", "| ratio | value |", "|---|---:|"]
lines += [f"| {k.replace('_', ' ')} | {v:.2f} |" for k, v in ratios.items()]
with open(os.path.join(out_dir, "bench_w.md"), "w") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines))
EOF
