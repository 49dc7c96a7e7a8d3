#!/usr/bin/env bash
# CLI cases of output and input files (issue 9: defects 1, 11, 12, 14, 18), run through the real
# binary: io_cases.sh LETFSIM SCRATCH SOURCE_DIR PYTHON CASE. Exit 0 pass, 1 fail, 77 skipped (a
# case that needs root, reported as skipped by CTest).
set -u
letfsim=$1 scratch=$2 src=$3 python=$4 case=$5
dir="$scratch/io_$case"
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir" || exit 1
config="$src/configs/textbook_trend.json"

. "$src/tests/cli/cases_common.sh"
# A tiny index and fund (2x) series for backtest.
make_csvs() {
  printf 'date,close\n2024-01-02,100\n2024-01-03,101\n2024-01-04,99\n2024-01-05,102\n' >index.csv
  printf 'date,close\n2024-01-02,50\n2024-01-03,51\n2024-01-04,49\n2024-01-05,52\n' >fund.csv
}
only_entries() { # the folder holds exactly these names (sorted, hidden files included)
  local got want; got=$(ls -A | sort | tr '\n' ' '); want=""; [ $# -eq 0 ] || want=$(printf '%s ' "$@")
  [ "$got" = "$want" ] || fail "folder holds '$got', expected '$want'"
}

case $case in
output_fifo)
  mkfifo target
  expect 2 "$letfsim" run "$config" -o target
  [[ $err == *"target: "*"a FIFO"* ]] || fail "message: $err"
  [ -p target ] || fail "the FIFO was replaced"
  only_entries err.txt out.txt target ;;
output_device)
  [ "$(id -u)" -eq 0 ] || { echo "needs root for mknod"; exit 77; }
  mknod null c 1 3 || { echo "mknod not permitted here"; exit 77; }
  expect 2 "$letfsim" run "$config" -o null
  [ -c null ] || fail "the device node was replaced"
  make_csvs
  expect 2 "$letfsim" backtest --index index.csv --fund fund.csv --multiple 2 -o null
  [ -c null ] || fail "the device node was replaced by backtest" ;;
output_backtest_fifo)
  make_csvs; mkfifo series
  expect 2 "$letfsim" backtest --index index.csv --fund fund.csv --multiple 2 -o series
  [ -p series ] || fail "the FIFO was replaced"
  [ ! -s out.txt ] || fail "backtest ran before refusing: $(cat out.txt)" ;;
output_sweep_not_folder)
  echo keep >taken
  expect 2 "$letfsim" sweep "$src/tests/data/plot_tiny_study.json" -q -o taken
  [ "$(cat taken)" = keep ] || fail "the file was changed" ;;
output_plots)
  "$letfsim" run "$src/tests/data/plot_tiny.json" -q --threads 1 -o report.json || fail "run"
  echo keep >file
  expect 2 "$python" "$src/scripts/plot_run.py" report.json -o file
  [ "$(cat file)" = keep ] || fail "the file was changed"
  mkdir figs; mkfifo figs/plot_tiny_terminal.png
  expect 2 "$python" "$src/scripts/plot_run.py" report.json -o figs
  [ -p figs/plot_tiny_terminal.png ] || fail "the FIFO was replaced" ;;
output_empty)
  expect 2 "$letfsim" run "$config" -o ""
  [[ $err == *"--output"* ]] || fail "message: $err"
  make_csvs
  expect 2 "$letfsim" backtest --index index.csv --fund fund.csv --multiple 2 -o ""
  expect 2 "$letfsim" sweep "$src/tests/data/plot_tiny_study.json" -q -o ""
  [ ! -e results ] || fail "something was written under results/" ;;
output_mode_kept)
  "$letfsim" run "$config" -q -o r.json || fail "first run"
  chmod 600 r.json
  "$letfsim" run "$config" -q --seed 2 -o r.json || fail "second run"
  [ "$(stat -c %a r.json)" = 600 ] || fail "mode is $(stat -c %a r.json), expected 600"
  only_entries r.json ;;
output_symlink)
  mkdir real && echo '{}' >real/r.json && ln -s real/r.json link.json
  "$letfsim" run "$config" -q -o link.json || fail "run"
  [ -L link.json ] || fail "the link was replaced by a file"
  grep -q '"schema_version"' real/r.json || fail "the link's target was not written" ;;
stale_temporary)
  sh -c 'exit 0' & dead=$!; wait $dead
  touch ".r.json.letfsim-tmp.$dead.0" notes.tmp.txt
  "$letfsim" run "$config" -q -o r.json || fail "run"
  only_entries notes.tmp.txt r.json ;;
sigterm)
  # Long enough to be stopped while it runs; nothing may be left behind.
  "$letfsim" run "$src/configs/quickstart.json" --paths 200000000 --threads 1 -q -o r.json &
  pid=$!; sleep 0.5; kill -TERM $pid; wait $pid; rc=$?
  [ $rc -eq 143 ] || fail "exit $rc, expected 143"
  only_entries ;;
unknown_command)
  expect 2 "$letfsim" runn x
  [[ $err == *'"runn"'*'did you mean "run"'* ]] || fail "message: $err" ;;
input_fifo)
  mkfifo in.json
  timeout 10 "$letfsim" validate in.json >out.txt 2>err.txt; rc=$?; err=$(cat err.txt)
  [ $rc -eq 2 ] || fail "exit $rc, expected 2 (124: it blocked): $err"
  [[ $err == "in.json: "*"FIFO"* ]] || fail "message: $err" ;;
input_device)
  expect 2 "$letfsim" validate /dev/zero
  [[ $err == "/dev/zero: "*"not a regular file"* ]] || fail "message: $err" ;;
input_folder)
  mkdir folder.json
  expect 2 "$letfsim" validate folder.json
  [[ $err == "folder.json: is a folder"* ]] || fail "message: $err" ;;
input_too_large)
  truncate -s 65M big.json  # sparse: no disk used
  expect 2 "$letfsim" validate big.json
  [[ $err == "big.json: is too large: 65 MiB, the limit is 64 MiB"* ]] || fail "message: $err"
  printf 'date,close\n' >big.csv; truncate -s 1025M big.csv
  sed "s|\"type\": \"gbm\"[^}]*|\"type\": \"bootstrap\", \"csv\": \"$dir/big.csv\"|" \
      "$src/configs/quickstart.json" >boot.json
  expect 2 "$letfsim" validate boot.json
  [[ $err == *"big.csv: is too large: 1025 MiB, the limit is 1024 MiB"* ]] || fail "message: $err" ;;
input_name_newline)
  name=$(printf 'a\nb.json'); printf '{' >"$name"
  expect 2 "$letfsim" validate "$name"
  [[ $err == 'a\nb.json: line 1, column 2: '* ]] || fail "message: $err" ;;
output_concurrent_new_folder)
  # Runs started together into one missing folder (GNU parallel, CTest -j): the check before
  # the run must not create or remove the folder, or a neighbour's check or write sees it come
  # and go. 12 runs, 5 rounds; every run writes its report.
  printf '{"name": "tiny", "seed": 1, "paths": 16, "days": 5, "model": {"type": "gbm", "mu": 0.05, "sigma": 0.2}, "multiples": [2]}' >tiny.json
  for round in 1 2 3 4 5; do
    pids=()
    for k in 0 1 2 3 4 5 6 7 8 9 10 11; do
      "$letfsim" run tiny.json -q -o "new$round/sub/r$k.json" 2>>"errs$round.txt" & pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || fail "a run failed: $(cat "errs$round.txt")"; done
    [ "$(ls "new$round/sub" | wc -l)" -eq 12 ] || fail "round $round: $(ls "new$round/sub")"
  done ;;
*) fail "unknown case $case" ;;
esac
echo "ok: $case"
