#!/usr/bin/env bash
# CLI cases of the terminal (issue 17): the output path checked before a run, sweep --resume's
# count, standard errors with significant digits, repeated flags, the exit codes in every --help.
# Run through the real binary: terminal_cases.sh LETFSIM SCRATCH SOURCE_DIR CASE. Exit 0 pass,
# 1 fail.
set -u
letfsim=$1 scratch=$2 src=$3 case=$4
dir="$scratch/terminal_$case"
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir" || exit 1
config="$src/configs/textbook_trend.json"

. "$src/tests/cli/cases_common.sh"
only_entries() { # the folder holds exactly these names (sorted, hidden files included)
  local got want; got=$(ls -A | sort | tr '\n' ' '); want=""; [ $# -eq 0 ] || want=$(printf '%s ' "$@")
  [ "$got" = "$want" ] || fail "folder holds '$got', expected '$want'"
}
write_study() { # FILE
  cat >"$1" <<'JSON'
{"name": "s", "base": {"name": "tiny", "paths": 50, "days": 5,
  "model": {"type": "gbm", "mu": 0.05, "sigma": 0.2}, "multiples": [2]},
 "axes": [{"pointer": "/model/sigma", "values": [0.1, 0.2]}]}
JSON
}

case $case in
run_output_unwritable)
  # A path no folder can be made for: refused at once (exit 2, before the simulation), one line
  # naming the flag and the path; a folder as the target likewise.
  expect 2 "$letfsim" run "$config" --paths 100000000 -o /proc/x/y.json
  [[ $err == *"--output"*"/proc/x/y.json"* ]] || fail "message: $err"
  [ ! -s out.txt ] || fail "the run started: $(cat out.txt)"
  mkdir taken
  expect 2 "$letfsim" run "$config" --paths 100000000 -o taken
  [[ $err == *"--output"*"taken"* ]] || fail "message: $err"
  [ -z "$(ls -A taken)" ] || fail "something was written in taken/"
  rmdir taken
  only_entries err.txt out.txt
  # Missing parent folders are still created.
  expect 0 "$letfsim" run "$config" --paths 10 -q -o a/b/r.json
  [ -f a/b/r.json ] || fail "a/b/r.json was not written" ;;
sweep_output_unwritable)
  write_study study.json
  expect 2 "$letfsim" sweep study.json -q -o /proc/x/out
  [[ $err == *"--output"*"/proc/x/out"* ]] || fail "message: $err"
  only_entries err.txt out.txt study.json ;;
resume_reports_reused)
  write_study study.json
  expect 0 "$letfsim" sweep study.json -o out
  grep -q 'reused' err.txt && fail "a first sweep reports reuse: $err"
  "$letfsim" sweep study.json --resume -o out >out.txt 2>err.txt || fail "resume: $(cat err.txt)"
  grep -q 'reused 2 of 2 points' err.txt || fail "resume does not say what it reuses: $(cat err.txt)" ;;
se_significant_digits)
  # At many paths of one day the standard error of the log decay is far below 1e-5: it prints
  # with significant digits, not as 0.00000.
  cat >s.json <<'JSON'
{"name": "se", "paths": 200000, "days": 1, "seed": 1,
 "model": {"type": "gbm", "mu": 0.05, "sigma": 0.2}, "multiples": [2]}
JSON
  expect 0 "$letfsim" run s.json --threads 2 -o r.json
  row=$(grep '^daily_reset ' out.txt) || fail "no daily_reset row: $(cat out.txt)"
  [[ $row == *" 0.00000 "* ]] && fail "standard error printed as 0.00000: $row"
  [[ $row =~ [0-9]\.[0-9]{2}e-[0-9]{2} ]] || fail "no 3-significant-digit standard error: $row" ;;
repeated_flag)
  # A repeated flag is a usage error naming it (no silent choice between the two).
  expect 2 "$letfsim" run "$config" --paths 10 --paths 20 -q -o r.json
  [[ $err == *"--paths: given 2 times"* ]] || fail "message: $err"
  [ ! -e r.json ] || fail "the run went ahead" ;;
help_exit_codes)
  for sub in run validate sweep backtest rebalance fit; do
    "$letfsim" $sub --help >out.txt 2>err.txt || fail "$sub --help failed"
    last=$(grep -v '^[[:space:]]*$' out.txt | tail -n 1)
    [[ $last == "Exit codes:"* || $last == *"Exit codes: "* ]] ||
      fail "$sub --help does not end with the exit codes: $last"
  done ;;
report_to_stdout)
  # -o -: the report on stdout and nothing else there; the same bytes as the file (but
  # run_info); nothing written in the folder.
  expect 0 "$letfsim" run "$config" --paths 200 --threads 1 -o -
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' out.txt || fail "stdout is not JSON"
  mv out.txt stdout.json
  expect 0 "$letfsim" run "$config" --paths 200 --threads 2 -q -o file.json
  python3 - stdout.json file.json <<'PY' || fail "the reports differ"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
a.pop("run_info"); b.pop("run_info")
sys.exit(a != b)
PY
  only_entries err.txt file.json out.txt stdout.json ;;
summary_json)
  # --json: the summary as JSON on stdout, its rows the report's; with -q or -o -, an error.
  expect 0 "$letfsim" run "$config" --paths 200 --json -o r.json
  python3 - out.txt r.json <<'PY' || fail "the JSON summary does not match the report: $(head -c 300 out.txt)"
import json, sys
s, r = (json.load(open(f)) for f in sys.argv[1:])
rows = s["summary"]["results"]
assert s["report"] == "r.json" and len(rows) == len(r["results"])
for row, pos in zip(rows, r["results"]):
    assert row["label"] == pos["label"] and row["multiple"] == pos["multiple"]
    assert row["mean"] == pos["terminal"]["mean"] and row["cagr_median"] == pos["cagr"]["median"]
PY
  expect 2 "$letfsim" run "$config" --paths 10 --json -o -
  [[ $err == *"--json"*"-o -"* ]] || fail "message: $err"
  expect 2 "$letfsim" run "$config" --paths 10 --json -q -o r2.json
  [ ! -e r2.json ] || fail "the run went ahead" ;;
run_series)
  # run --series: exact daily values; a historical run's rows are dated by the CSV's closes and
  # end at the report's terminal values; a gbm run's last day equals --export-paths' terminals,
  # the same bytes for 1 and 2 threads, with bands too (the walk goes day by day).
  cat >h.json <<JSON
{"name": "h", "model": {"type": "historical", "csv": "$src/tests/data/cluster_prices.csv"},
 "multiples": [-1, 3], "strategies": ["daily_reset", {"type": "calendar_rebalance", "every_days": 7}]}
JSON
  expect 0 "$letfsim" run h.json -q -o h_r.json --series h.csv
  python3 - "$src/tests/data/cluster_prices.csv" <<'PY' || fail "historical series: $(head -3 h.csv)"
import csv, json, sys
rows = list(csv.DictReader(open("h.csv")))
closes = list(csv.DictReader(open(sys.argv[1])))
r = json.load(open("h_r.json"))
assert len(rows) == r["config"]["days"] + 1 == len(closes)
assert rows[0]["date"] == "" and [x["date"] for x in rows[1:]] == [c["date"] for c in closes[1:]]
assert float(rows[-1]["index"]) == r["underlying"]["terminal"]["mean"]
for res in r["results"]:
    key = f'{res["label"]} {res["multiple"]:g}x'
    assert float(rows[-1][key]) == res["terminal"]["mean"], key
PY
  cat >g.json <<'JSON'
{"name": "g", "paths": 37, "days": 30, "seed": 4, "model": {"type": "gbm", "mu": 0.05, "sigma": 0.4},
 "multiples": [2], "bands": {"every_days": 7}}
JSON
  expect 0 "$letfsim" run g.json --threads 1 -q -o g1.json --series g1.csv --export-paths p.csv
  expect 0 "$letfsim" run g.json --threads 2 -q -o g2.json --series g2.csv
  cmp -s g1.csv g2.csv || fail "the series depends on the thread count"
  expect 0 "$letfsim" run g.json --threads 1 -q -o g0.json
  python3 - <<'PY' || fail "the day-by-day walk of --series changed the report"
import json
a, b = json.load(open("g0.json")), json.load(open("g1.json"))
del a["run_info"], b["run_info"]
assert a == b
PY
  python3 - <<'PY' || fail "gbm series against --export-paths"
import csv
rows = [r for r in csv.DictReader(open("g1.csv")) if r["day"] == "30"]
paths = list(csv.DictReader(open("p.csv")))
assert len(rows) == 37
for r in rows:
    mine = [p for p in paths if p["path"] == r["path"]]
    assert float(r["index"]) == float(mine[0]["terminal"])
    assert float(r["daily_reset 2x"]) == float(mine[1]["terminal"])
    assert float(r["unrebalanced 2x"]) == float(mine[2]["terminal"])
PY
  expect 2 "$letfsim" run g.json -q -o g3.json --paths 1000000 --series big.csv
  [[ $err == *"--series"*"at most 10000000 path-days"* ]] || fail "limit message: $err" ;;
backtest_series)
  # backtest --series: the daily growth of 1 per common date; without costs the simulated fund
  # is prod(1 + 3 R), checked here from the CSVs themselves.
  printf 'date,close\n2024-01-02,100\n2024-01-03,101\n2024-01-04,99.5\n2024-01-05,102\n' >idx.csv
  printf 'date,close\n2024-01-02,50\n2024-01-03,51.4\n2024-01-04,49.2\n2024-01-05,52.9\n' >fund.csv
  expect 0 "$letfsim" backtest --index idx.csv --fund fund.csv --multiple 3 --series s.csv
  python3 - <<'PY' || fail "the series is wrong: $(cat s.csv)"
import csv
rows = list(csv.DictReader(open("s.csv")))
assert [r["date"] for r in rows] == ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"]
assert all(float(rows[0][k]) == 1 for k in ("index", "real", "simulated", "simulated_no_costs"))
idx = [100, 101, 99.5, 102]; fund = [50, 51.4, 49.2, 52.9]; v = 1.0
for k in range(1, 4):
    v *= 1 + 3 * (idx[k] / idx[k - 1] - 1)
    assert abs(float(rows[k]["simulated"]) - v) <= 1e-15 * v, (k, rows[k], v)
    assert abs(float(rows[k]["real"]) - fund[k] / fund[0]) <= 1e-15
    assert abs(float(rows[k]["index"]) - idx[k] / idx[0]) <= 1e-15
PY
  expect 2 "$letfsim" backtest --index idx.csv --fund fund.csv --multiple 3 --series /proc/x/s.csv
  [[ $err == *"--series"* ]] || fail "message: $err" ;;
unit_warnings)
  # Probable unit mistakes are warned about on stderr (the run goes on); LETF_NO_WARNINGS=1 and
  # -q silence them; a plausible scenario gets none.
  cat >mu.json <<'JSON'
{"name": "mu", "paths": 100, "days": 5, "model": {"type": "gbm", "mu": 7, "sigma": 0.2},
 "multiples": [2], "costs": {"expense_ratio": 0.91}}
JSON
  "$letfsim" run mu.json -o r.json >out.txt 2>err.txt || fail "run: $(cat err.txt)"
  grep -q 'warning: mu.json: /model/mu: 7 is an annual drift of 700 %; did you mean 0.07?' err.txt ||
    fail "no mu warning: $(cat err.txt)"
  grep -q '/costs/expense_ratio: 0.91 .*did you mean 0.0091?' err.txt || fail "no expense warning: $(cat err.txt)"
  [ -s r.json ] || fail "the run did not go on"
  LETF_NO_WARNINGS=1 "$letfsim" validate mu.json >out.txt 2>err.txt || fail "validate failed"
  [ ! -s err.txt ] || fail "LETF_NO_WARNINGS=1 did not silence: $(cat err.txt)"
  "$letfsim" run mu.json -q -o r.json 2>err.txt || fail "run -q failed"
  [ ! -s err.txt ] || fail "-q did not silence: $(cat err.txt)"
  "$letfsim" validate "$config" >out.txt 2>err.txt || fail "validate $config"
  [ ! -s err.txt ] || fail "a plausible scenario was warned about: $(cat err.txt)"
  # Every asset's parameters and a sleeve's own expense ratio are checked too.
  cat >assets.json <<'JSON'
{"name": "assets", "paths": 100, "days": 5, "multiples": [1],
 "assets": [{"name": "a", "model": {"type": "gbm", "mu": 0.07, "sigma": 0.2}},
            {"name": "b", "model": {"type": "gbm", "mu": 0.03, "sigma": 5}}],
 "strategies": [{"type": "portfolio", "holdings": [{"asset": "a", "weight": 0.5, "expense_ratio": 0.95},
   {"asset": "b", "weight": 0.5}], "rebalance": "never"}]}
JSON
  "$letfsim" validate assets.json >out.txt 2>err.txt || fail "validate assets.json: $(cat err.txt)"
  grep -q 'assets.json: /assets/1/model/sigma: 5 is an annual volatility' err.txt ||
    fail "no sigma warning for asset b: $(cat err.txt)"
  grep -q '/strategies/0/holdings/0/expense_ratio: 0.95 .*did you mean 0.0095?' err.txt ||
    fail "no sleeve expense warning: $(cat err.txt)" ;;
export_paths)
  # --export-paths: one row per path and series, the same bytes for 1 and 2 threads; each
  # position's median terminal value and drawdown (odd path count: one order statistic), its
  # wipe-out count and mean agree with the report.
  cal="$src/configs/rebalance_calendar.json"
  expect 0 "$letfsim" run "$cal" --paths 2001 --threads 1 -q -o r1.json --export-paths p1.csv
  expect 0 "$letfsim" run "$cal" --paths 2001 --threads 2 -q -o r2.json --export-paths p2.csv
  cmp -s p1.csv p2.csv || fail "the export depends on the thread count"
  python3 - p1.csv r1.json <<'PY' || fail "the export does not match the report"
import csv, json, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
r = json.load(open(sys.argv[2]))
series = [r["underlying"]] + r["results"]
assert len(rows) == 2001 * len(series), len(rows)
for k, pos in enumerate(series):
    mine = rows[k::len(series)]
    assert [int(x["path"]) for x in mine] == list(range(2001))
    v = [float(x["terminal"]) for x in mine]
    assert statistics.median(v) == pos["terminal"]["median"], (k, statistics.median(v))
    dd = [float(x["max_drawdown"]) for x in mine]
    assert statistics.median(dd) == pos["max_drawdown"]["median"]
    assert abs(statistics.fmean(v) - pos["terminal"]["mean"]) <= 1e-12 * abs(pos["terminal"]["mean"])
    if k > 0:
        assert mine[0]["label"] == pos["label"] and float(mine[0]["multiple"]) == pos["multiple"]
        wiped = sum(1 for x in mine if x["wipeout_day"])
        assert wiped == round(pos["prob_wipeout"] * 2001), (wiped, pos["prob_wipeout"])
        assert all((x["log_return"] == "") == (float(x["terminal"]) == 0) for x in mine)
PY
  # A target that cannot be written: refused before the run, nothing left behind.
  expect 2 "$letfsim" run "$cal" --paths 10 -q -o r3.json --export-paths /proc/x/p.csv
  [[ $err == *"--export-paths"* ]] || fail "message: $err"
  [ ! -e r3.json ] || fail "the run went ahead" ;;
*) fail "unknown case $case" ;;
esac
exit 0
