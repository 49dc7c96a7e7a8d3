#!/usr/bin/env bash
# The cost of running W across MPI ranks on this machine: configs/bench_w.json at 2,000,000
# paths (sketched quantiles), one process with 2 threads against `mpirun -np 2` with 1 thread
# each (and -np 1 --bind-to none with 2 threads: the cost of the launcher alone), in alternating
# rounds; then
# the partial-result bytes per block and the time rank 0 spends merging them (letfsim merge of
# one partial of every block against two halves: the difference is the fold of the right half's
# per-block tallies), and eight shares merged at once. Prints a Markdown table and writes results/bench/cluster.md (OUT_DIR=DIR:
# elsewhere).
#   scripts/bench_cluster.sh            # RUNS=5 rounds (medians)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
out_dir=${OUT_DIR:-results/bench}
paths=2000000
exe=build/letfsim
cfg=configs/bench_w.json
scripts/setup.sh >/dev/null
command -v mpirun >/dev/null || { echo "bench_cluster.sh: mpirun is missing (scripts/setup.sh installs openmpi-bin)" >&2; exit 2; }
"$exe" --version | grep -q 'MPI:' || { echo "bench_cluster.sh: $exe is built without MPI" >&2; exit 2; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# measure NAME CMD...: appends "wall elapsed" (seconds: whole process; the report's run_info).
measure() {
  local name=$1; shift
  /usr/bin/time -f %e -o "$tmp/t" "$@" -q -o "$tmp/r.json" >/dev/null
  local elapsed
  elapsed=$(python3 -c "import json; print(json.load(open('$tmp/r.json'))['run_info']['elapsed_seconds'])")
  echo "$(cat "$tmp/t") $elapsed" >>"$tmp/$name"
}
for ((k = 0; k < RUNS; k++)); do
  measure one "$exe" run "$cfg" --paths $paths --threads 2
  measure np2 mpirun -np 2 "$exe" run "$cfg" --paths $paths --threads 1
  # Threads per rank need cores per rank: Open MPI binds a rank to one core by default.
  measure np1 mpirun -np 1 --bind-to none "$exe" run "$cfg" --paths $paths --threads 2
done

# Partials: one of every block, and the two halves.
"$exe" run "$cfg" --paths $paths --threads 2 -q --partial "$tmp/all.part"
"$exe" run "$cfg" --paths $paths --threads 2 -q --blocks 0/2 --partial "$tmp/a.part"
"$exe" run "$cfg" --paths $paths --threads 2 -q --blocks 1/2 --partial "$tmp/b.part"
for k in 0 1 2 3 4 5 6 7; do
  "$exe" run "$cfg" --paths $paths --threads 2 -q --blocks $k/8 --partial "$tmp/e$k.part"
done
for ((k = 0; k < RUNS; k++)); do
  /usr/bin/time -f %e -o "$tmp/t" "$exe" merge "$cfg" --paths $paths "$tmp"/e?.part -q -o "$tmp/m.json"
  cat "$tmp/t" >>"$tmp/merge8"
  /usr/bin/time -f %e -o "$tmp/t" "$exe" merge "$cfg" --paths $paths "$tmp/all.part" -q -o "$tmp/m.json"
  cat "$tmp/t" >>"$tmp/merge1"
  /usr/bin/time -f %e -o "$tmp/t" "$exe" merge "$cfg" --paths $paths "$tmp/a.part" "$tmp/b.part" -q -o "$tmp/m.json"
  cat "$tmp/t" >>"$tmp/merge2"
done

mkdir -p "$out_dir"
python3 - "$tmp" "$paths" "$RUNS" "$(nproc)" "$("$exe" --version)" >"$out_dir/cluster.md" <<'PY'
import os, statistics, sys
tmp, paths, runs, cores, version = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
def col(name, k):
    return statistics.median(float(l.split()[k]) for l in open(f"{tmp}/{name}"))
days = 252
blocks = -(-paths // 1024)
one_w, one_e = col("one", 0), col("one", 1)
np2_w, np2_e = col("np2", 0), col("np2", 1)
np1_w, np1_e = col("np1", 0), col("np1", 1)
m1, m2, m8 = col("merge1", 0), col("merge2", 0), col("merge8", 0)
size_all = os.path.getsize(f"{tmp}/all.part")
size_b = os.path.getsize(f"{tmp}/b.part")
half = blocks - blocks // 2
per_block = (size_b - size_all) / half  # a partial not starting at block 0 keeps per-block tallies
print(f"# W across MPI ranks\n\n{version}; {cores} cores; configs/bench_w.json at {paths:,} paths "
      f"x {days} days ({blocks} blocks, sketched quantiles); medians of {runs} alternating rounds. "
      "Regenerate with `scripts/bench_cluster.sh`.\n")
print("| run | whole process (s) | simulation, run_info (s) | M path-days/s (simulation) | vs one process (whole) |")
print("|---|---:|---:|---:|---:|")
for name, w, e in (("one process, 2 threads", one_w, one_e), ("mpirun -np 1 --bind-to none, 2 threads", np1_w, np1_e),
                   ("mpirun -np 2, 1 thread each", np2_w, np2_e)):
    print(f"| {name} | {w:.3f} | {e:.3f} | {paths * days / e / 1e6:.1f} | {w / one_w:.3f} |")
print(f"\nMPI overhead (2 ranks x 1 thread against 1 process x 2 threads): whole process "
      f"{100 * (np2_w / one_w - 1):+.1f} %, simulation {100 * (np2_e / one_e - 1):+.1f} %; "
      f"the launcher alone (-np 1): {100 * (np1_w / one_w - 1):+.1f} % whole process.\n")
print("| partial results | value |\n|---|---:|")
print(f"| partial of every block (folded tallies, sketches) | {size_all:,} bytes |")
print(f"| partial of the right half ({half} blocks, per-block tallies) | {size_b:,} bytes |")
print(f"| per-block tallies | {per_block:,.0f} bytes per block |")
print(f"| merge of one partial (read + finalise) | {m1:.3f} s |")
print(f"| merge of two halves (read + fold {half} blocks + finalise) | {m2:.3f} s |")
print(f"| fold per block | {1e6 * max(m2 - m1, 0) / half:.1f} us |")
print(f"| merge of eight shares (read + fold {blocks - blocks // 8} blocks + 7 sketch merges + finalise) | {m8:.3f} s |")
sizes = [os.path.getsize(f"{tmp}/e{k}.part") for k in range(8)]
print(f"| bytes of the eight shares (the first has folded tallies) | {min(sizes):,} to {max(sizes):,} |")
PY
cat "$out_dir/cluster.md"
