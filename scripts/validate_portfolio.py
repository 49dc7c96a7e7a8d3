#!/usr/bin/env python3
"""Validation of the Treasury funds and of the 55/45 UPRO/TMF portfolio against real funds.

1. `letfsim backtest` of TMF (3x) and UBT (2x) from TLT and of TYD (3x) from IEF, over each
   fund's whole common history with its index, under two cost models:
     documented   the fund's expense ratio + (L - 1)(DTB3 + 0.81 %/yr), the long spread that
                  scripts/validate_real.sh documents for the stock funds (b = 0);
     split 0.5    results/validation/split_50/calibration.json (`--cost-model`): b, spread_long
                  and spread_short fitted by `letfsim calibrate` on the stock funds' first halves.
   Neither saw a Treasury fund: for these funds both are out of sample. The index ETF's own
   expense ratio (TLT, IEF 0.15 %) is added back (`--index-expense-ratio`).
2. The 55/45 UPRO/TMF mix on the common life of UPRO and TMF, rebalanced every 63 trading days,
   every 252 and never: simulated by `letfsim run configs/data/hfea_55_45_simulated.json`
   (3x daily-reset sleeves on a joint historical model of SPY and TLT, the documented cost model)
   against `configs/data/hfea_55_45_real.json` (1x sleeves of UPRO's and TMF's own
   adjusted closes, no costs, the same rebalancing days), both through `--series`.

Writes results/validation/portfolio.md and results/validation/portfolio_growth.png.

Usage: validate_portfolio.py --letfsim EXE --data DIR [--out DIR]     full run
       validate_portfolio.py --letfsim EXE --data DIR --check         the CTest check: the
           simulated quarterly 55/45 CAGR within 1 %/yr of the real mix's; the real-mix run's
           weight-1 holdings reproduce UPRO's and TMF's closes (relative 1e-9); TMF's backtest
           gap within 0.5 %/yr; the run's 3x TLT sleeve alone within 0.1 %/yr of the backtest's
           simulation on the same window; exit 1 if any is not
"""

import argparse
import bisect
import csv
import datetime
import io
import json
import math
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIG_DIR = os.path.join(ROOT, "configs", "data")
SIM_CONFIG = "hfea_55_45_simulated.json"
REAL_CONFIG = "hfea_55_45_real.json"
# The configs name their data as ../../../shared/data/market/... from configs/data/.
DEFAULT_DATA = os.path.normpath(os.path.join(CONFIG_DIR, "../../../shared/data/market"))
COST_MODEL = os.path.join(ROOT, "results", "validation", "split_50", "calibration.json")

# ticker, index ETF, multiple, expense ratio (PROVENANCE-bonds.md, "Fund facts seen": TMF 1.06 %
# gross/net (Direxion page, NAV of 2024-03-18), UBT 0.95 % net (fact sheet 2021-09-30), TYD
# 1.09 % net (Direxion page 2024-10-14; 1.10 % in 2023, 0.98 % per etfrc 2025-03)).
# The last entry is TMF again on the 55/45 portfolio's window (UPRO's first close on), to show
# how much of TMF's whole-life gap its first ten weeks hold.
def _portfolio_window():
    with open(os.path.join(CONFIG_DIR, SIM_CONFIG)) as f:
        model = json.load(f)["assets"][0]["model"]
    return model["start"], model["end"]


PORTFOLIO_WINDOW = _portfolio_window()
FUNDS = [
    ("TMF", "TLT", 3, 0.0106, None),
    ("UBT", "TLT", 2, 0.0095, None),
    ("TYD", "IEF", 3, 0.0109, None),
    ("TMF", "TLT", 3, 0.0106, PORTFOLIO_WINDOW),
]
INDEX_EXPENSE_RATIO = {"TLT": 0.0015, "IEF": 0.0015}  # commonly quoted, not confirmed there
SPREAD_LONG = 0.0081  # scripts/validate_real.py SPREAD_LONG (the documented model)
RATE_FILE = "rates/DTB3.csv"
RATE_MAX_STALE_DAYS = 180  # DTB3 ends 2026-03-26, the funds 2026-08-20
NEEDED = ["SPY.csv", "TLT.csv", "IEF.csv", "UPRO.csv", "TMF.csv", "UBT.csv", "TYD.csv", RATE_FILE]
RULES = ["quarterly (63 days)", "yearly (252 days)", "never"]
TARGET_GAP = 0.01  # the check: simulated quarterly 55/45 CAGR within 1 %/yr of the real mix's
TMF_TARGET_GAP = 0.005  # and TMF's backtest gap within 0.5 %/yr, as the stock funds' target
# The run accrues costs per trading day (dt = 1/252), the backtest per calendar day (ACT/365),
# and the run folds TLT's fee into the sleeve's: they agree to a few hundredths of a percent.
SLEEVE_TOLERANCE = 0.001


def pct(x, digits=2, sign=False):
    if x is None:
        return "-"
    if abs(x) < 0.5 * 10 ** -(digits + 2):
        x = 0.0  # no "-0.00"
    return f"{100 * x:+.{digits}f}" if sign else f"{100 * x:.{digits}f}"


def run(cmd):
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"validate_portfolio: {' '.join(cmd)} failed ({done.returncode}): "
                 f"{done.stderr.strip()}")
    return done.stdout


def backtest(args, fund, model):
    ticker, index, multiple, er, window = fund
    cmd = [args.letfsim, "backtest",
           "--index", os.path.join(args.data, index + ".csv"),
           "--fund", os.path.join(args.data, ticker + ".csv"),
           "--multiple", str(multiple), "--expense-ratio", repr(er),
           "--index-expense-ratio", repr(INDEX_EXPENSE_RATIO[index]), "--json"]
    if window:
        cmd += ["--start", window[0], "--end", window[1]]
    if model == "documented":
        cmd += ["--rate", os.path.join(args.data, RATE_FILE),
                "--rate-max-stale-days", str(RATE_MAX_STALE_DAYS), "--spread", repr(SPREAD_LONG)]
    else:
        cmd += ["--cost-model", COST_MODEL]
        if os.path.realpath(args.data) != os.path.realpath(DEFAULT_DATA):
            cmd += ["--rate", os.path.join(args.data, RATE_FILE)]
    return json.loads(run(cmd))


def config_path(args, name, tmp):
    """The shipped config, or a copy reading the data from --data when that is elsewhere."""
    path = os.path.join(CONFIG_DIR, name)
    if os.path.realpath(args.data) == os.path.realpath(DEFAULT_DATA):
        return path
    with open(path) as f:
        doc = json.load(f)
    for a in doc["assets"]:
        a["model"]["csv"] = os.path.join(os.path.abspath(args.data),
                                         os.path.basename(a["model"]["csv"]))
    rate = doc.get("costs", {}).get("financing_rate")
    if isinstance(rate, dict):
        rate["csv"] = os.path.abspath(os.path.join(args.data, RATE_FILE))
    out = os.path.join(tmp, name)
    with open(out, "w") as f:
        json.dump(doc, f)
    return out


def run_series(args, name, tmp):
    """`letfsim run CONFIG --series`: (start date, [dates], {column: [values]}, report)."""
    config = config_path(args, name, tmp)
    with open(config) as f:
        start = json.load(f)["assets"][0]["model"]["start"]
    series = os.path.join(tmp, name + ".series.csv")
    report = os.path.join(tmp, name + ".report.json")
    run([args.letfsim, "run", config, "-q", "--threads", "1", "--series", series, "-o", report])
    with open(series) as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    dates = [start] + [r[header.index("date")] for r in rows[1:]]
    columns = {h: [float(r[i]) for r in rows] for i, h in enumerate(header)
               if h not in ("path", "day", "date")}
    with open(report) as f:
        return dates, header[header.index("date") + 1:], columns, json.load(f)


def years_between(a, b):
    return (datetime.date.fromisoformat(b) - datetime.date.fromisoformat(a)).days / 365.25


def cagr(values, years):
    return values[-1] ** (1.0 / years) - 1.0 if values[-1] > 0 else -1.0


def max_drawdown(values):
    peak, worst = values[0], 0.0
    for v in values:
        peak = max(peak, v)
        worst = min(worst, v / peak - 1.0)
    return worst


def tracking(sim, real):
    """sqrt(252) x the s.d. (N - 1) of the daily differences of simple returns, and the
    correlation of the daily returns (as `letfsim backtest` defines them)."""
    rs = [b / a - 1.0 for a, b in zip(sim, sim[1:])]
    rr = [b / a - 1.0 for a, b in zip(real, real[1:])]
    n = len(rs)
    d = [x - y for x, y in zip(rs, rr)]
    md, ms, mr = sum(d) / n, sum(rs) / n, sum(rr) / n
    te = math.sqrt(252.0 * sum((x - md) ** 2 for x in d) / (n - 1))
    cov = sum((x - ms) * (y - mr) for x, y in zip(rs, rr))
    corr = cov / math.sqrt(sum((x - ms) ** 2 for x in rs) * sum((y - mr) ** 2 for y in rr))
    return te, corr


def read_closes(path, start, end):
    out = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            if start <= row["date"] <= end:
                out[row["date"]] = float(row["close"])
    return out


def portfolio_runs(args, tmp):
    sd, sim_cols, sim, sim_report = run_series(args, SIM_CONFIG, tmp)
    rd, real_cols, real, real_report = run_series(args, REAL_CONFIG, tmp)
    if sd != rd:
        sys.exit("validate_portfolio: the simulated and real runs have different dates")
    # Series order: index, then the strategies in config order: three 55/45 rules, each fund.
    return {"dates": sd, "sim": [sim[c] for c in sim_cols[1:]],
            "real": [real[c] for c in real_cols[1:]],
            "sim_labels": sim_cols[1:], "real_labels": real_cols[1:],
            "sim_report": sim_report, "real_report": real_report}


def reproduces_closes(args, p):
    """The largest relative difference of the real run's weight-1 UPRO and TMF series from the
    funds' own close ratios, on every date."""
    dates = p["dates"]
    worst = 0.0
    for ticker, values in (("UPRO", p["real"][3]), ("TMF", p["real"][4])):
        closes = read_closes(os.path.join(args.data, ticker + ".csv"), dates[0], dates[-1])
        base = closes[dates[0]]
        for d, v in zip(dates, values):
            worst = max(worst, abs(v / (closes[d] / base) - 1.0))
    return worst


def check(args):
    with tempfile.TemporaryDirectory() as tmp:
        p = portfolio_runs(args, tmp)
    years = years_between(p["dates"][0], p["dates"][-1])
    sim, real = cagr(p["sim"][0], years), cagr(p["real"][0], years)
    gap = sim - real
    closes = reproduces_closes(args, p)
    ok_gap, ok_closes = abs(gap) <= TARGET_GAP, closes <= 1e-9
    print(f"55/45 UPRO/TMF quarterly, {p['dates'][0]} to {p['dates'][-1]}: simulated CAGR "
          f"{pct(sim)} %, real mix {pct(real)} %, gap {pct(gap, sign=True)} %/yr (limit "
          f"{pct(TARGET_GAP)}): {'ok' if ok_gap else 'FAIL'}")
    print(f"real-mix run at weight 1 vs UPRO's and TMF's closes: largest relative difference "
          f"{closes:.2e} (limit 1e-9): {'ok' if ok_closes else 'FAIL'}")
    # TMF from TLT: the backtest's gap over the fund's life, and the run's 3x TLT sleeve alone
    # against the backtest's simulation on the portfolio's window (two code paths, one model).
    life = backtest(args, FUNDS[0], "documented")
    window = backtest(args, FUNDS[3], "documented")
    sleeve = cagr(p["sim"][4], years)
    ok_tmf = abs(life["gap_per_year"]) <= TMF_TARGET_GAP
    ok_sleeve = abs(sleeve - window["simulated_cagr"]) <= SLEEVE_TOLERANCE
    print(f"TMF from TLT (backtest, {life['start']} to {life['end']}): gap "
          f"{pct(life['gap_per_year'], sign=True)} %/yr (limit {pct(TMF_TARGET_GAP)}): "
          f"{'ok' if ok_tmf else 'FAIL'}")
    print(f"3x TLT sleeve of the run {pct(sleeve)} % vs backtest {pct(window['simulated_cagr'])} % "
          f"on the same window (limit {pct(SLEEVE_TOLERANCE)}): {'ok' if ok_sleeve else 'FAIL'}")
    return 0 if ok_gap and ok_closes and ok_tmf and ok_sleeve else 1


def fund_rows(args):
    rows = []
    for fund in FUNDS:
        d, c = backtest(args, fund, "documented"), backtest(args, fund, "split_50")
        rows.append({"fund": fund, "doc": d, "cal": c})
    return rows


def fund_table(rows):
    lines = [
        "| fund | L | index | period | years | ER | index CAGR | real CAGR | simulated, no costs | "
        "simulated, documented model | gap/yr | simulated, split-0.5 model | gap/yr | "
        "tracking error | correlation | own fitted spread |",
        "|" + " --- |" * 16,
    ]
    for r in rows:
        (ticker, index, multiple, er, window), d, c = r["fund"], r["doc"], r["cal"]
        if window:
            ticker += " (55/45 window)"
        lines.append(
            f"| {ticker} | {multiple:+d} | {index} | {d['start']} to {d['end']} | "
            f"{d['years']:.2f} | "
            f"{pct(er)} % | {pct(d['index_cagr'])} % | {pct(d['real_cagr'])} % | "
            f"{pct(d['simulated_no_costs_cagr'])} % | {pct(d['simulated_cagr'])} % | "
            f"{pct(d['gap_per_year'], sign=True)} | {pct(c['simulated_cagr'])} % | "
            f"{pct(c['gap_per_year'], sign=True)} | {pct(d['tracking_error'])} % | "
            f"{d['correlation']:.4f} | {pct(d['fitted_spread'], 3)} % |")
    return "\n".join(lines)


def portfolio_table(p):
    dates = p["dates"]
    years = years_between(dates[0], dates[-1])
    labels = RULES + ["UPRO alone (3x SPY)", "TMF alone (3x TLT)"]
    lines = [
        "| mix | rebalances | simulated CAGR | real CAGR | gap/yr | simulated max drawdown | "
        "real max drawdown | simulated / real growth at the end | tracking error | correlation |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    stats = []
    for k, (label, s, r) in enumerate(zip(labels, p["sim"], p["real"])):
        cs, cr = cagr(s, years), cagr(r, years)
        trades = [int(rep["results"][k]["rebalancing"]["trades"]["mean"])
                  for rep in (p["sim_report"], p["real_report"])]
        if trades[0] != trades[1]:
            sys.exit(f"validate_portfolio: {label}: {trades[0]} simulated rebalances, "
                     f"{trades[1]} real")
        st = {"label": label, "sim": cs, "real": cr, "gap": cs - cr, "dd_sim": max_drawdown(s),
              "dd_real": max_drawdown(r), "ratio": s[-1] / r[-1]}
        st["te"], st["corr"] = tracking(s, r)
        stats.append(st)
        lines.append(
            f"| {label if len(stats) > 3 else '55/45, ' + label} | {trades[0]} | {pct(cs)} % | "
            f"{pct(cr)} % | "
            f"{pct(st['gap'], sign=True)} | {pct(st['dd_sim'], 1)} % | {pct(st['dd_real'], 1)} % | "
            f"{st['ratio']:.3f} | {pct(st['te'])} % | {st['corr']:.4f} |")
    return "\n".join(lines), stats, years


def chart(p, stats, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    import numpy as np

    dates = np.array(p["dates"], dtype="datetime64[D]")
    step = max(1, len(dates) // 700)  # thinned to keep the file small
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7), sharex=True,
                                      gridspec_kw={"height_ratios": [2, 1]})
    colors = ["tab:blue", "tab:orange", "tab:green"]
    for k, rule in enumerate(RULES):
        s = np.array(p["sim"][k], dtype=float)
        r = np.array(p["real"][k], dtype=float)
        top.plot(dates[::step], r[::step], lw=1.3, color=colors[k], label=f"real UPRO/TMF, {rule}")
        top.plot(dates[::step], s[::step], lw=1.0, color=colors[k], ls="--",
                 label=f"simulated from SPY/TLT, {rule}")
        bottom.plot(dates[::step], (s / r)[::step], lw=1.0, color=colors[k],
                    label=f"{rule}: gap {pct(stats[k]['gap'], sign=True)} %/yr")
    bottom.axhline(1.0, lw=0.8, color="black", ls=":", label="simulated = real")
    top.set_yscale("log")
    top.set_ylabel("growth of 1 (log scale)")
    top.set_title("55/45 UPRO/TMF: simulated (3x daily-reset sleeves on SPY and TLT, cost model) "
                  "vs the real funds' mix", fontsize=10)
    top.legend(fontsize=7, loc="upper left", ncol=2)
    bottom.set_ylabel("simulated / real")
    bottom.legend(fontsize=7, loc="lower left")
    for ax in (top, bottom):
        ax.grid(True, lw=0.3, alpha=0.5)
        ax.tick_params(labelsize=8)
    bottom.xaxis.set_major_locator(mdates.YearLocator(2))
    bottom.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    fig.tight_layout()
    tmp = path + ".tmp.png"
    fig.savefig(tmp, dpi=72)
    os.replace(tmp, path)


def full(args):
    os.makedirs(args.out, exist_ok=True)
    rows = fund_rows(args)
    with tempfile.TemporaryDirectory() as tmp:
        p = portfolio_runs(args, tmp)
    closes = reproduces_closes(args, p)
    ptable, stats, years = portfolio_table(p)
    with open(COST_MODEL) as f:
        cm = json.load(f)
    q = stats[0]
    text = (
        "# Validation: Treasury funds and the 55/45 UPRO/TMF portfolio\n\n"
        "Written by `scripts/validate_portfolio.sh`; do not edit.\n\n"
        "## Treasury funds from their index (`letfsim backtest`)\n\n"
        "Each fund over its whole common history with its index ETF (adjusted closes, the ETF's "
        f"{pct(INDEX_EXPENSE_RATIO['TLT'])} % expense ratio added back). Documented model: the "
        f"fund's expense ratio + (L - 1)(DTB3 + {pct(SPREAD_LONG)} %/yr), the stock funds' long "
        "spread of `results/validation/table.md`. Split-0.5 model: "
        "`results/validation/split_50/calibration.json` (`--cost-model`: financing markup b = "
        f"{cm['financing_markup']:.3f}, spread_long {pct(cm['financing_spread'], 3)} %/yr, fitted "
        "by `letfsim calibrate` on the first halves of the 12 stock funds). No Treasury fund was "
        "used to fit either, so both are out of sample here. The documented model is the one "
        "the portfolio below uses: a portfolio cannot take the split model's markup on the rate "
        "(`financing_markup` is applied by daily_reset and unrebalanced only), and the split-0.5 "
        "columns show how little the choice moves the funds. Gaps are simulated minus real CAGR "
        "in percentage points per year; tracking error (sqrt(252) x s.d. of the daily return "
        "differences), correlation of daily returns and the own fitted spread (the spread that "
        "alone closes the gap) are those of the documented model. Expense ratios from the fund "
        "facts in `PROVENANCE-bonds.md`: TMF 1.06 % (Direxion, 2024), UBT 0.95 % net (fact sheet "
        "2021-09-30), TYD 1.09 % net (Direxion, 2024-10-14).\n\n"
        + fund_table(rows) + "\n\n"
        "TMF's gap depends on its first ten weeks: "
        f"{pct(rows[0]['doc']['gap_per_year'], sign=True)} %/yr over its whole life, "
        f"{pct(rows[3]['doc']['gap_per_year'], sign=True)} %/yr from {PORTFOLIO_WINDOW[0]} "
        "(UPRO's first close, the portfolio's window); from inception to then the real fund fell "
        "faster than 3 x TLT less costs. "
        "TMF's 2020-12-10 return is the corrected +2.774 % (Yahoo counts that distribution twice, "
        "+4.861 %; note C of `PROVENANCE-bonds.md`). TYD is illiquid (345 stale zero-return days, "
        "a bad print pair 2014-11-26/12-01, correlation with 3 x IEF about 0.8): its tracking "
        "error and correlation measure its closing prints more than the model, and only its "
        "long-run gap means much. UBT's NAV was struck before the 4 p.m. close until 2021-03-24, "
        "which adds close-to-close noise.\n\n"
        "## The 55/45 UPRO/TMF portfolio\n\n"
        f"{p['dates'][0]} to {p['dates'][-1]} ({years:.2f} years, the common life of UPRO and "
        "TMF). Simulated: `letfsim run configs/data/hfea_55_45_simulated.json`, a joint "
        "historical model of SPY and TLT, 55 % in a 3x daily-reset sleeve with UPRO's 0.91 % "
        "expense ratio and 45 % in one with TMF's 1.06 % (each less 3 x its index ETF's fee, "
        "0.0945 % and 0.15 %, which the historical model cannot add back to the adjusted closes), "
        f"financing at DTB3 + {pct(SPREAD_LONG)} %/yr on the borrowed 2 x NAV of each sleeve. "
        "Real: `configs/data/hfea_55_45_real.json`, the same mix of UPRO's and TMF's own "
        "adjusted closes (1x sleeves, expense ratio 0, no financing: the closes net the funds' "
        "costs). Both rebalance on the same trading days, without transaction costs. The last two "
        "rows are each 3x sleeve alone (weight 1, never rebalanced) against the fund itself; the "
        f"real run reproduces UPRO's and TMF's closes there to {closes:.1e} (relative). Daily "
        "series: `letfsim run ... --series FILE.csv`; chart: `portfolio_growth.png`.\n\n"
        + ptable + "\n\n"
        f"Quarterly: simulated {pct(q['sim'])} %/yr against {pct(q['real'])} %/yr real, a gap of "
        f"{pct(q['gap'], sign=True)} %/yr; max drawdowns {pct(q['dd_sim'], 1)} % and "
        f"{pct(q['dd_real'], 1)} %.\n")
    tmp = os.path.join(args.out, "portfolio.md.tmp")
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, os.path.join(args.out, "portfolio.md"))
    chart(p, stats, os.path.join(args.out, "portfolio_growth.png"))
    print(text, end="")
    return 0


def main():
    p = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="exit codes: 0 done (or the check passed), 1 the check failed or a run failed, "
               "2 usage error, 77 market data absent (skipped)")
    p.add_argument("--letfsim", required=True, help="the letfsim executable")
    p.add_argument("--data", required=True, help="the market data folder")
    p.add_argument("--out", default=os.path.join(ROOT, "results", "validation"),
                   help="output folder (default: results/validation)")
    p.add_argument("--check", action="store_true",
                   help="only the portfolio check (CTest validation.portfolio)")
    args = p.parse_args()
    missing = [n for n in NEEDED if not os.path.isfile(os.path.join(args.data, n))]
    if missing:
        print(f"validate_portfolio: market data not found in {args.data} (missing "
              f"{', '.join(missing)}; set LETF_MARKET_DATA); skipped", file=sys.stderr)
        return 77
    return check(args) if args.check else full(args)


if __name__ == "__main__":
    sys.exit(main())
