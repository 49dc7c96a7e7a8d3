#!/usr/bin/env bash
# Multi-step CLI tests of `letfsim sweep` (hardening of area "sweep"), run by tests/cli/sweep.cmake:
#   bash sweep_cases.sh CASE EXE SCRATCH
# Each case builds its own inputs under SCRATCH/CASE, runs the real binary and exits non-zero
# with a message when the behaviour is not the one promised.
set -u
case_name=$1
exe=$2
work=$3/$case_name
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1

fail() {
    echo "FAIL ($case_name): $*" >&2
    exit 1
}

# run EXPECTED_RC ARGS...: runs the binary, keeps stdout/stderr in out.txt/err.txt.
run() {
    local want=$1
    shift
    "$exe" "$@" >out.txt 2>err.txt
    local rc=$?
    [ "$rc" -eq "$want" ] || fail "exit code $rc, expected $want: $*; stderr: $(cat err.txt)"
}

one_line() {
    [ "$(wc -l <err.txt)" -eq 1 ] || fail "stderr is not one line: $(cat err.txt)"
}

# A price CSV of 40 trading days, a tiny study of three gbm points, and a second study.
write_prices() {
    python3 - "$1" <<'EOF'
import datetime, sys
d, p, rows, i = datetime.date(2021, 1, 4), 100.0, ["date,close"], 0
while len(rows) < 41:
    if d.weekday() < 5:
        p *= 1.001 if i % 2 == 0 else 0.9995
        rows.append(f"{d.isoformat()},{p:.4f}")
        i += 1
    d += datetime.timedelta(days=1)
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
EOF
}
write_study() { # FILE NAME VALUES
    cat >"$1" <<EOF
{"name": "$2", "base": {"name": "tiny", "paths": 200, "days": 20,
  "model": {"type": "gbm", "mu": 0.05, "sigma": 0.2}, "multiples": [2]},
 "axes": [{"pointer": "/model/sigma", "values": $3}]}
EOF
}

case $case_name in
csv_error_names_csv)
    write_prices good.csv
    sed '4s/,.*/,abc/' good.csv >bad.csv
    cat >study.json <<'EOF'
{"name": "s", "base": {"name": "b", "paths": 1, "model": {"type": "historical", "csv": "good.csv"},
  "multiples": [2]},
 "axes": [{"pointer": "/model/csv", "values": ["good.csv", "bad.csv"]}]}
EOF
    run 2 sweep study.json -q -o out
    one_line
    grep -q '^bad\.csv: line 4: .*"abc".*axis /model/csv.*study\.json: /axes/0/values/1' err.txt ||
        fail "the message does not name bad.csv, its line and the axis: $(cat err.txt)"
    grep -q '/baseline' err.txt && fail "a pointer glued to a line number: $(cat err.txt)"
    # A CSV named by the base: the message names the base.
    cat >study2.json <<'EOF'
{"name": "s", "base": {"name": "b", "paths": 1, "model": {"type": "historical", "csv": "bad.csv"},
  "multiples": [2]},
 "axes": [{"pointer": "/multiples", "values": [[2], [3]]}]}
EOF
    run 2 sweep study2.json -q -o out
    one_line
    grep -q '^bad\.csv: line 4: .*base.*study2\.json: /base/model/csv' err.txt ||
        fail "the message does not name bad.csv and the base: $(cat err.txt)"
    [ -e out ] && fail "out was created"
    exit 0
    ;;
portfolio_assets_resume)
    # A base file with two joint data assets (CSV paths relative to it) and a portfolio: every
    # asset's file is found from the study, and --resume reuses every point (a portfolio is one
    # row; its label and the assets' labels match on reading).
    mkdir -p base/data studies
    write_prices base/data/a.csv
    write_prices base/data/b.csv
    cat >base/base.json <<'EOF'
{"name": "b", "paths": 1, "multiples": [1],
 "assets": [{"name": "s", "model": {"type": "historical", "csv": "data/a.csv"}},
            {"name": "t", "model": {"type": "historical", "csv": "data/b.csv"}}],
 "strategies": [{"type": "daily_reset", "asset": "t"},
   {"type": "portfolio", "holdings": [{"asset": "s", "multiple": 2, "weight": 0.5},
     {"asset": "t", "weight": 0.5}], "rebalance": {"every_days": 5}}]}
EOF
    cat >studies/study.json <<'EOF'
{"name": "p", "base": "../base/base.json",
 "axes": [{"pointer": "/strategies/1/rebalance", "values": [{"every_days": 5}, "never"]}]}
EOF
    run 0 sweep studies/study.json -q -o out
    grep -q '"csv": "base/data/b.csv"' out/points/0000.json ||
        fail "the second asset's csv is not rebased: $(grep -o '"csv": "[^"]*"' out/points/0000.json)"
    run 0 sweep studies/study.json --resume -o out
    grep -q '(0 run, 2 resumed)' out.txt || fail "the points were run again: $(cat out.txt)"
    exit 0
    ;;
base_file_relative_csv)
    mkdir -p base/data studies
    write_prices base/data/px.csv
    write_prices studies/own.csv
    cat >base/base.json <<'EOF'
{"name": "b", "paths": 1, "model": {"type": "historical", "csv": "data/px.csv"}, "multiples": [2]}
EOF
    # The base file's csv resolves from base/; the axis value's csv from studies/.
    cat >studies/study.json <<'EOF'
{"name": "s", "base": "../base/base.json",
 "axes": [{"pointer": "/multiples", "values": [[2], [3]]}]}
EOF
    run 0 sweep studies/study.json -q -o out
    run 0 run base/base.json -q -o single.json
    python3 - <<'EOF' || fail "the point's report differs from letfsim run on the base file"
import json
p = json.load(open("out/points/0000.json"))["report"]
r = json.load(open("single.json"))
for j in (p, r):
    j.pop("run_info", None)
assert p["config"]["model"]["csv"] == "base/data/px.csv", p["config"]["model"]["csv"]
assert p == r
EOF
    cat >studies/study2.json <<'EOF'
{"name": "s2", "base": "../base/base.json",
 "axes": [{"pointer": "/model/csv", "values": ["own.csv"]}]}
EOF
    run 0 sweep studies/study2.json -q -o out2
    grep -q '"csv": "studies/own.csv"' out2/points/0000.json ||
        fail "an axis value's csv is not resolved from the study's folder"
    exit 0
    ;;
lock_refuses_second)
    write_study study.json s "[0.1, 0.2]"
    mkdir -p out
    # Another sweep holds the lock (flock from util-linux takes the same advisory lock).
    flock out/.letfsim-sweep.lock "$exe" sweep study.json -q -o out >out.txt 2>err.txt
    rc=$?
    [ "$rc" -eq 2 ] || fail "exit code $rc with the folder locked, expected 2: $(cat err.txt)"
    one_line
    grep -q 'another sweep' err.txt || fail "message does not say the folder is in use: $(cat err.txt)"
    [ -e out/points/0000.json ] && fail "a point was written into the locked folder"
    # Unlocked, the same sweep runs.
    run 0 sweep study.json -q -o out
    exit 0
    ;;
foreign_temporaries_kept)
    write_study study.json s "[0.1, 0.2]"
    mkdir -p out/points
    echo mine >out/notes.tmp.txt
    echo mine >out/points/notes.tmp.txt
    sleep 60 &
    live=$!
    dead=4194305 # above Linux's largest pid (2^22): never a running process
    echo x >"out/.study.json.letfsim-tmp.$live.0"
    echo x >"out/points/.0000.json.letfsim-tmp.$dead.0"
    run 0 sweep study.json -q -o out
    kill $live
    [ -e out/notes.tmp.txt ] && [ -e out/points/notes.tmp.txt ] || fail "a user's file was deleted"
    [ -e "out/.study.json.letfsim-tmp.$live.0" ] || fail "a live process's temporary was deleted"
    [ -e "out/points/.0000.json.letfsim-tmp.$dead.0" ] && fail "a dead process's temporary stayed"
    exit 0
    ;;
other_study_refused)
    write_study a.json a "[0.1, 0.2]"
    write_study b.json b "[0.3, 0.4, 0.5]"
    run 0 sweep a.json -q -o out
    cp out/study.csv a.csv
    run 2 sweep b.json -q -o out
    one_line
    grep -q 'another study' err.txt || fail "message does not name another study: $(cat err.txt)"
    run 2 sweep b.json -q --resume -o out
    one_line
    cmp -s a.csv out/study.csv || fail "study a's results were changed"
    [ -e out/points/0002.json ] && fail "a point of study b was written"
    # The same study again is fine, with or without --resume.
    run 0 sweep a.json -q --resume -o out
    run 0 sweep a.json -q -o out
    exit 0
    ;;
stale_points)
    write_study a.json a "[0.1, 0.2, 0.3]"
    run 0 sweep a.json -q -o out
    # Files beyond the study's points (no study hash: left by an older version or copied in).
    echo '{}' >out/points/0003.json
    echo '{}' >out/points/0017.json
    echo 'notes' >out/points/readme.json
    run 0 sweep a.json -o out
    [ -e out/points/0003.json ] || [ -e out/points/0017.json ] && fail "stale points stayed"
    [ -e out/points/readme.json ] || fail "a file that is no point file was deleted"
    grep -q 'removed 2 stale point files' err.txt || fail "the removal is not reported: $(cat err.txt)"
    exit 0
    ;;
tampered_summary_rerun)
    write_study a.json a "[0.1, 0.2]"
    run 0 sweep a.json -q -o out
    cp out/study.csv good.csv
    python3 - <<'EOF'
import json
f = "out/points/0001.json"
j = json.load(open(f))
j["summary"]["results"][0]["mean"] = 123
open(f, "w").write(json.dumps(j, indent=2) + "\n")
EOF
    run 0 sweep a.json --resume -o out
    grep -q '(1 run, 1 resumed)' out.txt || fail "the tampered point was not run again: $(cat out.txt)"
    cmp -s good.csv out/study.csv || fail "study.csv differs from the untampered one"
    exit 0
    ;;
thread_creation_failure)
    # Thread stacks of 2 GiB (RLIMIT_STACK sets glibc's default) under a 3 GiB address-space
    # limit (enforced for root too): the main thread and the first OpenMP worker start, the
    # second worker's stack cannot be mapped (EAGAIN). libgomp ends the process (exit 1, its
    # message), as for `letfsim run` (limits.hpp: kMaxThreads); nothing half-written remains and
    # --resume, without the limit, completes the study.
    write_study a.json a "[0.1, 0.2, 0.3, 0.4]"
    (ulimit -s 2097152 && ulimit -v 3145728 && exec "$exe" sweep a.json -q --threads 3 -o out) \
        >out.txt 2>err.txt
    rc=$?
    [ "$rc" -eq 1 ] || fail "exit code $rc, expected 1: $(cat err.txt)"
    grep -q 'Thread creation failed' err.txt || fail "the message does not name the thread: $(cat err.txt)"
    grep -q 'terminate' err.txt && fail "terminated: $(cat err.txt)"
    ls -A out out/points | grep -q 'letfsim-tmp' && fail "temporaries left: $(ls -A out out/points)"
    run 0 sweep a.json -q --threads 3 --resume -o out
    [ "$(ls out/points | wc -l)" -eq 4 ] || fail "resume did not complete: $(ls out/points)"
    exit 0
    ;;
output_not_a_folder)
    write_study a.json a "[0.1, 0.2]"
    echo keep >file.txt
    run 2 sweep a.json -q -o file.txt
    one_line
    grep -q '^file\.txt: .*not a folder' err.txt || fail "message: $(cat err.txt)"
    [ "$(cat file.txt)" = keep ] || fail "file.txt changed"
    mkdir -p out
    echo keep >out/points
    run 2 sweep a.json -q -o out
    one_line
    grep -q 'points: .*not a folder' err.txt || fail "message: $(cat err.txt)"
    exit 0
    ;;
*)
    fail "unknown case"
    ;;
esac
