#!/usr/bin/env bash
# CLI cases of price CSVs as users download them (issue 17): a Yahoo layout's `Adj Close` used by
# default with one note on stderr, `--column` / "column" to choose, an unknown column refused.
# Run through the real binary: csv_cases.sh LETFSIM SCRATCH SOURCE_DIR CASE. Exit 0 pass, 1 fail.
set -u
letfsim=$1 scratch=$2 src=$3 case=$4
dir="$scratch/csv_$case"
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir" || exit 1

. "$src/tests/cli/cases_common.sh"
# yahoo FILE L: 130 trading days of a Yahoo download whose Adj Close is L x Close.
yahoo() {
  python3 - "$1" "$2" <<'PY'
import datetime, sys
name, ratio = sys.argv[1], float(sys.argv[2])
d, p = datetime.date(2020, 1, 2), 100.0
with open(name, "w") as f:
    f.write("Date,Open,High,Low,Close,Adj Close,Volume\n")
    for i in range(130):
        while d.weekday() >= 5:
            d += datetime.timedelta(days=1)
        p *= 1.0 + (0.011 if i % 3 else -0.013) * (1 + (i % 7) / 10)
        f.write(f"{d} 00:00:00-05:00,{p:.4f},{p:.4f},{p:.4f},{p:.4f},{p * ratio:.4f},100\n")
        d += datetime.timedelta(days=1)
PY
}
note='letfsim: SPY.csv: using column "Adj Close" (also has "Close"; choose with "column")'
count() { grep -cF "$1" err.txt; }

case $case in
backtest_note)
  # Both files have Close and Adj Close: one note each, then the run; --column Close: none.
  yahoo SPY.csv 0.9 && yahoo SSO.csv 0.8 || fail "data"
  expect 0 "$letfsim" backtest --index SPY.csv --fund SSO.csv --multiple 2 --json
  [ "$(count "$note")" -eq 1 ] || fail "SPY note not once: $err"
  [ "$(count 'SSO.csv: using column "Adj Close"')" -eq 1 ] || fail "SSO note not once: $err"
  [ "$(wc -l <err.txt)" -eq 2 ] || fail "more than the notes on stderr: $err"
  expect 0 "$letfsim" backtest --index SPY.csv --fund SSO.csv --multiple 2 --json --column Close
  [ ! -s err.txt ] || fail "a note with --column: $err"
  # The same file as index and fund: its note once.
  expect 0 "$letfsim" backtest --index SPY.csv --fund SPY.csv --multiple 1 --json
  [ "$(count "$note")" -eq 1 ] || fail "note not once: $err" ;;
backtest_bad_column)
  yahoo SPY.csv 0.9 && yahoo SSO.csv 0.8 || fail "data"
  expect 2 "$letfsim" backtest --index SPY.csv --fund SSO.csv --multiple 2 --column Closing
  [[ $err == *'SPY.csv: line 1: missing column "Closing"'*'"Adj Close", "Volume"'* ]] ||
    fail "message: $err"
  expect 2 "$letfsim" backtest --index SPY.csv --fund SSO.csv --multiple 2 --column ''
  [[ $err == *"--column: must not be empty"* ]] || fail "message: $err" ;;
fit_note)
  yahoo SPY.csv 0.9 || fail "data"
  expect 0 "$letfsim" fit SPY.csv --model garch --json
  [ "$(count "$note")" -eq 1 ] || fail "note not once: $err"
  expect 2 "$letfsim" fit SPY.csv --model garch --column Nope
  [[ $err == *'SPY.csv: line 1: missing column "Nope"'* ]] || fail "message: $err" ;;
validate_note)
  # A scenario's historical model: the note once; "column": "Close" silences it; a bad column
  # is exit 2 naming the CSV and the columns found.
  yahoo SPY.csv 0.9 || fail "data"
  echo '{"name": "h", "model": {"type": "historical", "csv": "SPY.csv"}, "multiples": [2]}' >h.json
  expect 0 "$letfsim" validate h.json
  [ "$(count "$note")" -eq 1 ] || fail "note not once: $err"
  [ "$(wc -l <err.txt)" -eq 1 ] || fail "more than the note: $err"
  echo '{"name": "h", "model": {"type": "bootstrap", "csv": "SPY.csv", "column": "Close"},
         "multiples": [2]}' >b.json
  expect 0 "$letfsim" validate b.json
  [ ! -s err.txt ] || fail "a note with column: $err"
  echo '{"name": "h", "model": {"type": "historical", "csv": "SPY.csv", "column": "Last"},
         "multiples": [2]}' >x.json
  expect 2 "$letfsim" validate x.json
  [[ $err == *'SPY.csv: line 1: missing column "Last"'*'columns found: "Date", "Open"'* ]] ||
    fail "message: $err" ;;
*) fail "unknown case $case" ;;
esac
exit 0
