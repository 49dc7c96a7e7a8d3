#!/usr/bin/env bash
# CLI cases of runs beyond one process (issue 14): partial results and merge, checkpoints, sweep
# shards, and under mpirun the distributed run and sweep. Every report is compared byte for byte,
# run_info aside, with a one-process run. Run through the real binary:
#   cluster_cases.sh LETFSIM SCRATCH SOURCE_DIR CASE
# Exit 0 pass, 1 fail.
set -u
letfsim=$1 scratch=$2 src=$3 case=$4
dir="$scratch/cluster_$case"
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir" || exit 1
. "$src/tests/cli/cases_common.sh"
boot="$src/tests/data/cluster_bootstrap.json"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
mpi() { local np=$1; shift; mpirun --oversubscribe -np "$np" "$@"; }

# same_report A B: the two reports are the same bytes apart from their run_info blocks.
same_report() {
  python3 - "$1" "$2" <<'PY' || fail "$1 and $2 differ (run_info aside)"
import sys
def strip(p):
    out, skip = [], False
    for line in open(p):
        if line.startswith('  "run_info": {'):
            skip = True
            continue
        if skip:
            skip = not line.startswith('  }')
            continue
        out.append(line)
    return "".join(out)
a, b = strip(sys.argv[1]), strip(sys.argv[2])
assert len(a) > 1000 and a == b
PY
}
# same_sweep A B: the same study.csv and the same point reports (run_info aside).
same_sweep() {
  cmp -s "$1/study.csv" "$2/study.csv" || fail "$1/study.csv and $2/study.csv differ"
  python3 - "$1" "$2" <<'PY' || fail "the point files of $1 and $2 differ"
import json, os, sys
names = sorted(os.listdir(sys.argv[1] + "/points"))
assert names == sorted(os.listdir(sys.argv[2] + "/points")) and names
for n in names:
    a, b = (json.load(open(d + "/points/" + n)) for d in sys.argv[1:3])
    for x in (a, b):
        del x["checksum"], x["report"]["run_info"]
    assert a == b, n
PY
}
write_study() { # FILE: small points (side by side) and large ones (split by blocks)
  cat >"$1" <<'JSON'
{"name": "s", "base": {"name": "tiny", "paths": 3000, "days": 20, "seed": 5,
  "model": {"type": "gbm", "mu": 0.05, "sigma": 0.2}, "multiples": [2, -1],
  "strategies": ["daily_reset", {"type": "calendar_rebalance", "every_days": 5}]},
 "axes": [{"pointer": "/model/sigma", "values": [0.1, 0.3, 0.5]},
          {"pointer": "/paths", "values": [300, 30000]}]}
JSON
}

case $case in
partial_merge)
  # Three shares (K/N) and an A:B range, merged in any order: the one-process report.
  expect 0 "$letfsim" run "$boot" --threads 2 -q -o full.json
  for k in 0 1 2; do expect 0 "$letfsim" run "$boot" --threads 1 -q --blocks $k/3 --partial p$k.part; done
  expect 0 "$letfsim" merge "$boot" p2.part p0.part p1.part -q -o merged.json
  same_report full.json merged.json
  expect 0 "$letfsim" run "$boot" -q --blocks 0:4 --partial a.part
  expect 0 "$letfsim" run "$boot" -q --blocks 4: --partial b.part
  expect 0 "$letfsim" merge "$boot" b.part a.part -q -o merged2.json
  same_report full.json merged2.json
  # With --seed and --paths: the merge names them too.
  expect 0 "$letfsim" run "$boot" --seed 9 --paths 2500 -q -o full9.json
  expect 0 "$letfsim" run "$boot" --seed 9 --paths 2500 -q --blocks 0/2 --partial s0.part
  expect 0 "$letfsim" run "$boot" --seed 9 --paths 2500 -q --blocks 1/2 --partial s1.part
  expect 0 "$letfsim" merge "$boot" --seed 9 --paths 2500 s0.part s1.part -q -o merged9.json
  same_report full9.json merged9.json
  # Bad merges: exit 2, one line naming the file; nothing written.
  expect 2 "$letfsim" merge "$boot" p0.part p2.part -q -o bad.json
  [[ $err == *"p2.part"*"no partial holds blocks 3:6"* ]] || fail "gap message: $err"
  expect 2 "$letfsim" merge "$boot" p0.part a.part p1.part p2.part -q -o bad.json
  [[ $err == *"overlap"* ]] || fail "overlap message: $err"
  expect 2 "$letfsim" merge "$boot" p0.part p1.part -q -o bad.json
  [[ $err == *"p1.part"*"no partial holds blocks 6:9"* ]] || fail "missing-end message: $err"
  expect 2 "$letfsim" merge "$boot" s0.part s1.part -q -o bad.json
  [[ $err == *"s0.part"*"another run"* ]] || fail "other-run message: $err"
  echo "not a partial" >junk.part
  expect 2 "$letfsim" merge "$boot" junk.part -q -o bad.json
  [[ $err == *"junk.part"*"not a letfsim partial-result file"* ]] || fail "junk message: $err"
  head -c 300 p0.part >cut.part
  expect 2 "$letfsim" merge "$boot" cut.part p1.part p2.part -q -o bad.json
  [[ $err == *"cut.part"*"damaged"* ]] || fail "truncated message: $err"
  [ ! -e bad.json ] || fail "a refused merge wrote its report" ;;
bad_flags)
  expect 2 "$letfsim" run "$boot" -q --blocks 0:2
  [[ $err == *"--blocks"*"needs --partial"* ]] || fail "message: $err"
  for b in 3/3 x 5:2 0:99 1/0; do
    expect 2 "$letfsim" run "$boot" -q --blocks "$b" --partial p.part
    [[ $err == *"--blocks"*"the run has 9 blocks"*"(got $b)"* ]] || fail "--blocks $b: $err"
  done
  expect 2 "$letfsim" run "$boot" --partial p.part -o r.json
  [[ $err == *"--output"*"--partial"* ]] || fail "message: $err"
  expect 2 "$letfsim" run "$boot" -q --checkpoint-every -1 --checkpoint ck
  [[ $err == *"--checkpoint-every"* ]] || fail "message: $err"
  touch afile
  expect 2 "$letfsim" run "$boot" -q --checkpoint afile -o r.json
  [[ $err == *"afile"*"--checkpoint"*"not a folder"* ]] || fail "message: $err"
  [ ! -e p.part ] && [ ! -e r.json ] || fail "a refused run wrote something" ;;
checkpoint_restart)
  # Killed (SIGKILL) right after the checkpoint of a chunk, started again: only the missing
  # blocks run and the report is the same bytes; a third start recomputes nothing.
  w="$src/configs/bench_w.json"
  expect 0 "$letfsim" run "$w" --paths 300000 --threads 2 -q -o full.json
  LETF_TEST_KILL_AT_BLOCK=100 "$letfsim" run "$w" --paths 300000 --threads 1 -q -o ck.json \
    --checkpoint ck --checkpoint-every 0 >out.txt 2>err.txt
  rc=$?
  [ "$rc" -eq 137 ] || fail "the seam did not kill the run (exit $rc): $(cat err.txt)"
  [ ! -e ck.json ] || fail "a killed run wrote its report"
  [ "$(ls ck)" = "blocks-0-256.partial" ] || fail "checkpoint holds: $(ls -A ck)"
  expect 0 "$letfsim" run "$w" --paths 300000 --threads 2 -q -o ck.json --checkpoint ck
  same_report full.json ck.json
  [ "$(ls ck)" = "blocks-0-293.partial" ] || fail "checkpoint after the run: $(ls -A ck)"
  expect 0 "$letfsim" run "$w" --paths 300000 --threads 1 -q -o ck2.json --checkpoint ck
  same_report full.json ck2.json
  # A folder of another run is refused, naming its file.
  expect 2 "$letfsim" run "$w" --paths 300000 --seed 1 -q -o other.json --checkpoint ck
  [[ $err == *"blocks-0-293.partial"*"another run"* ]] || fail "message: $err" ;;
shard_assemble)
  write_study study.json
  expect 0 "$letfsim" sweep study.json --threads 2 -q -o whole
  expect 0 "$letfsim" sweep study.json --threads 1 -q -o parts --shard 1/3
  expect 0 "$letfsim" sweep study.json --threads 1 -q -o parts --shard 0/3
  [ ! -e parts/study.csv ] || fail "a shard wrote study.csv"
  expect 0 "$letfsim" sweep study.json --threads 1 -q -o parts --shard 2/3
  "$letfsim" sweep study.json --resume -o parts >out.txt 2>err.txt || fail "assemble: $(cat err.txt)"
  grep -q 'reused 6 of 6 points' err.txt || fail "assembling recomputed: $(cat err.txt)"
  same_sweep whole parts
  expect 2 "$letfsim" sweep study.json -q -o parts --shard 3/3
  [[ $err == *"--shard"*"3/3"* ]] || fail "message: $err" ;;
mpi_run)
  # Reports of -np 1, 2 and 3 (1 or 2 threads each) equal the one-process run: a bootstrap with
  # a rate series, an investor strategy, bands and histograms with exact quantiles; gbm with
  # sketched quantiles (1.6 M paths of one position is beyond the exact limit).
  expect 0 "$letfsim" run "$boot" --threads 2 -q -o one.json
  for np in 1 2 3; do
    mpi $np "$letfsim" run "$boot" --threads $((np % 2 + 1)) -q -o np$np.json >out.txt 2>err.txt ||
      fail "mpirun -np $np: $(cat err.txt)"
    same_report one.json np$np.json
    python3 -c "import json,sys; r=json.load(open('np$np.json'))['run_info']; sys.exit(r['ranks'] != $np or len(r['threads_per_rank']) != $np)" ||
      fail "run_info of -np $np"
  done
  cat >sk.json <<'JSON'
{"name": "sk", "seed": 4, "paths": 1600000, "days": 3,
 "model": {"type": "gbm", "mu": 0.05, "sigma": 0.3}, "multiples": [3]}
JSON
  expect 0 "$letfsim" run sk.json --threads 2 -q -o sk1.json
  grep -q '"quantiles": "sketch"' sk1.json || fail "sk.json is not in sketch mode"
  mpi 3 "$letfsim" run sk.json --threads 1 -q -o sk3.json >out.txt 2>err.txt || fail "sketch: $(cat err.txt)"
  same_report sk1.json sk3.json
  # Partials written under mpirun merge like any others.
  mpi 2 "$letfsim" run "$boot" -q --blocks 0:5 --partial a.part >out.txt 2>err.txt || fail "$(cat err.txt)"
  expect 0 "$letfsim" run "$boot" -q --blocks 5: --partial b.part
  expect 0 "$letfsim" merge "$boot" a.part b.part -q -o merged.json
  same_report one.json merged.json ;;
mpi_sweep)
  write_study study.json
  expect 0 "$letfsim" sweep study.json --threads 2 -q -o one
  for np in 2 3; do
    mpi $np "$letfsim" sweep study.json --threads 1 -q -o np$np >out.txt 2>err.txt ||
      fail "mpirun -np $np sweep: $(cat err.txt)"
    same_sweep one np$np
  done
  # --resume under mpirun: the points present are reused, the missing ones recomputed.
  rm np2/points/0001.json np2/points/0004.json
  mpi 2 "$letfsim" sweep study.json --threads 1 --resume -o np2 >out.txt 2>err.txt ||
    fail "resume: $(cat err.txt)"
  grep -q 'reused 4 of 6 points' err.txt || fail "resume under mpirun: $(cat err.txt)"
  same_sweep one np2 ;;
mpi_checkpoint)
  # A rank killed (SIGKILL) in a checkpointed run: mpirun fails and says so; the checkpoint is
  # usable by a restart with another rank count, which gives the same bytes. 1 M paths: 977
  # blocks, shares 0:488 and 488:977 in chunks of 256 blocks; rank 1 dies after its first.
  w="$src/configs/bench_w.json"
  expect 0 "$letfsim" run "$w" --paths 1000000 --threads 2 -q -o full.json
  LETF_TEST_KILL_AT_BLOCK=700 mpi 2 "$letfsim" run "$w" --paths 1000000 --threads 1 -q \
    -o ck.json --checkpoint ck --checkpoint-every 0 >out.txt 2>err.txt &&
    fail "mpirun succeeded with a dead rank"
  grep -qi 'signal 9\|killed' err.txt || fail "mpirun does not say a rank died: $(cat err.txt)"
  [ ! -e ck.json ] || fail "the failed run wrote its report"
  ls ck | grep -qx 'blocks-488-744.partial' || fail "rank 1 left no checkpoint piece: $(ls -A ck)"
  mpi 3 "$letfsim" run "$w" --paths 1000000 --threads 1 -q -o ck.json --checkpoint ck \
    >out.txt 2>err.txt || fail "restart: $(cat err.txt)"
  same_report full.json ck.json
  [ "$(ls ck)" = "blocks-0-977.partial" ] || fail "checkpoint after the run: $(ls -A ck)" ;;
*) fail "unknown case $case" ;;
esac
exit 0
