#!/usr/bin/env bash
# Workload W (configs/bench_w.json: 200,000 paths x 252 days, 12 positions) with its model
# swapped for each model of configs/studies/model_risk.json (six models of equal annual
# volatility), on 1 and 2 threads: each model's rate against gbm's. Writes
# results/bench/bench_models.{md,json} (or OUT_DIR).
#
#   scripts/bench_models.sh            # 3 runs per measurement (median)
#   RUNS=5 scripts/bench_models.sh
#
# Rates are path-days per second of the whole simulation including the statistics
# (run_info.path_days_per_second of the report).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
PY=/usr/bin/python3
out_dir=${OUT_DIR:-results/bench}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

scripts/setup.sh >/dev/null
$PY - "$tmp" <<'PY'
import json, os, sys
tmp = sys.argv[1]
study = json.load(open("configs/studies/model_risk.json"))
axis = next(a for a in study["axes"] if a["pointer"] == "/model")
w = json.load(open("configs/bench_w.json"))
for k, (label, model) in enumerate(zip(axis["labels"], axis["values"])):
    if "csv" in model:  # relative to the study's folder; the copy lives in tmp
        model["csv"] = os.path.abspath(os.path.join("configs/studies", model["csv"]))
    json.dump(dict(w, name=f"bench_w_{label}", model=model),
              open(os.path.join(tmp, f"{k}_{label}.json"), "w"))
PY

: >"$tmp/results.txt"
for cfg in "$tmp"/*_*.json; do
  label=$(basename "$cfg" .json)
  label=${label#*_}
  for threads in 1 2; do
    for _ in $(seq "$RUNS"); do
      build/letfsim run "$cfg" -q --threads "$threads" -o "$tmp/report.json" >/dev/null
      $PY -c 'import json,sys; print(sys.argv[2], sys.argv[3], json.load(open(sys.argv[1]))["run_info"]["path_days_per_second"])' \
        "$tmp/report.json" "$label" "$threads" >>"$tmp/results.txt"
    done
  done
  echo "bench_models: $label done" >&2
done

mkdir -p "$out_dir"
$PY - "$tmp/results.txt" "$out_dir" "$RUNS" <<'PY'
import collections, json, os, statistics, sys
path, out_dir, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
rates = collections.defaultdict(list)
order = []
for line in open(path):
    label, threads, rate = line.split()
    if label not in order:
        order.append(label)
    rates[(label, int(threads))].append(float(rate))
med = {k: statistics.median(v) for k, v in rates.items()}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
doc = {"workload": "configs/bench_w.json with the models of configs/studies/model_risk.json",
       "runs": runs, "cpu": cpu, "cores": os.cpu_count(),
       "results": {f"{l}_{t}_thread{'s' if t > 1 else ''}": {"path_days_per_second": med[(l, t)],
                                                          "vs_gbm": med[(l, t)] / med[("gbm", t)]}
                   for l in order for t in (1, 2)}}
with open(os.path.join(out_dir, "bench_models.json"), "w") as f:
    json.dump(doc, f, indent=2)
lines = [f"# Workload W by model on {cpu} ({os.cpu_count()} cores)", "",
         f"configs/bench_w.json (200,000 paths x 252 days, 12 positions) with its model swapped for "
         f"each model of configs/studies/model_risk.json; median of {runs} runs. Reproduce with "
         "`scripts/bench_models.sh`.", "",
         "| model | M path-days/s, 1 thread | vs gbm | M path-days/s, 2 threads | vs gbm |",
         "|---|---:|---:|---:|---:|"]
for l in order:
    lines.append(f"| {l} | {med[(l, 1)] / 1e6:.1f} | {med[(l, 1)] / med[('gbm', 1)]:.2f} "
                 f"| {med[(l, 2)] / 1e6:.1f} | {med[(l, 2)] / med[('gbm', 2)]:.2f} |")
with open(os.path.join(out_dir, "bench_models.md"), "w") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
