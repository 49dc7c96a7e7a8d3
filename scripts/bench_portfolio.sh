#!/usr/bin/env bash
# The speed of a portfolio against workload W (issue 12): configs/bench/portfolio_2assets.json
# (two correlated gbm assets, a 60/40 mix of a 3x and a 2x daily-reset fund rebalanced monthly,
# 200,000 paths x 252 days) and configs/bench_w.json, run alternately (W, portfolio, W, ...) on 2
# threads. The portfolio's rate counts asset-path-days (paths x days x 2 assets); the table gives
# the median of each and the median of the paired ratios.
#
#   scripts/bench_portfolio.sh          # writes results/bench/portfolio.md
#   RUNS=3 OUT=/tmp/p.md scripts/bench_portfolio.sh
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "bench_portfolio.sh: unexpected argument '$1' (see --help)" >&2; exit 2 ;;
esac
RUNS=${RUNS:-5}
OUT=${OUT:-results/bench/portfolio.md}
PY=/usr/bin/python3
scripts/setup.sh >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rate() { $PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["run_info"]["path_days_per_second"])' "$1"; }
: >"$tmp/rates"
for ((i = 0; i < RUNS; i++)); do
  build/letfsim run configs/bench_w.json -q --threads 2 -o "$tmp/w.json" >/dev/null
  build/letfsim run configs/bench/portfolio_2assets.json -q --threads 2 -o "$tmp/p.json" >/dev/null
  echo "$(rate "$tmp/w.json") $(rate "$tmp/p.json")" >>"$tmp/rates"
done
$PY - "$tmp/rates" "$OUT" "$RUNS" <<'PYEOF'
import statistics, sys
rows = [tuple(map(float, line.split())) for line in open(sys.argv[1])]
w = statistics.median(r[0] for r in rows)
p = statistics.median(2 * r[1] for r in rows)
ratio = statistics.median(2 * r[1] / r[0] for r in rows)
with open(sys.argv[2], "w") as f:
    f.write("# A portfolio against workload W\n\nWritten by `scripts/bench_portfolio.sh`; do not edit.\n\n")
    f.write(f"Medians of {sys.argv[3]} paired runs on 2 threads, whole simulation (run_info.path_days_per_second).\n\n")
    f.write("| workload | rate | unit |\n| --- | ---: | --- |\n")
    f.write(f"| W (configs/bench_w.json: 1 gbm asset, 12 positions) | {w / 1e6:.1f} M | path-days/s |\n")
    f.write(f"| portfolio (configs/bench/portfolio_2assets.json: 2 correlated gbm assets, one 60/40 mix of a 3x and a 2x fund, monthly) | {p / 1e6:.1f} M | asset-path-days/s |\n\n")
    f.write(f"Paired ratio, portfolio per asset-path-day over W per path-day: **{ratio:.2f}** (target at least 0.4).\n")
print(open(sys.argv[2]).read())
PYEOF
