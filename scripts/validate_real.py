#!/usr/bin/env python3
"""Validation of the daily-reset cost model against real leveraged and inverse funds.

For each fund, `letfsim backtest` simulates it from its index ETF's adjusted closes (SPY or
QQQ, total return, the ETF's own expense ratio added back) with

    c_t = ER + (L - 1)(r_t + s_long)          L > 1
    c_t = ER - (1 - L) r_t + |L| s_short      L < 0

r_t = FRED DTB3 (3-month T-bill, percent per year, the value in force at the previous close),
costs accrued on calendar days, and compares it with the fund's adjusted closes over their
whole common history. s_long and s_short are the two documented spreads below: the medians,
over the funds of each side, of each fund's own fitted spread (the spread that alone closes its
gap), rounded to 0.01 %. The median is the typical fund's spread and one outlier (SPXS) does not
move it; the run recomputes the medians so that a change in the data shows.

Out of sample: `letfsim calibrate configs/calibration/letf12.json` fits one cost model (markup b
on the rate for borrowed exposure, a long and a short spread; the config's fit and objective)
jointly on every fund's training window, at the split 0.5 and also 0.4 and 0.6 of each fund's
own dates, and judges every fund on its test window; each split writes split_NN/ (calibration.json,
the fitted model; table.md; report.json) and split_NN/test_growth.png (simulated over real growth
on the test windows, `letfsim backtest --cost-model`). table.md holds the three out-of-sample
tables first and the full-history table above as the in-sample one.

Usage: validate_real.py --letfsim EXE --data DIR --out DIR          full run: table.md, growth.png,
                                                                    split_NN/
       validate_real.py --letfsim EXE --data DIR --check FUND       one fund; exit 1 if the
                                                                    gap exceeds 0.5 %/yr
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

# Annual expense ratios (fraction) used for the funds, from the funds' pages as listed in the
# data folder's PROVENANCE.md: ProShares SSO 0.89 % (fact sheet 2023), UPRO 0.91 % (2022),
# SH 0.89 %, SDS 0.90 %, SPXU 0.89 %, QLD/TQQQ/SQQQ/QID/PSQ 0.95 % (2022 net); Direxion SPXL
# 0.95 % (2024-05 gross; net 0.91 %), SPXS 1.07 % (2024-05).
FUNDS = [
    # ticker, index ETF, multiple, expense ratio
    ("SSO", "SPY", 2, 0.0089),
    ("UPRO", "SPY", 3, 0.0091),
    ("SPXL", "SPY", 3, 0.0095),
    ("SH", "SPY", -1, 0.0089),
    ("SDS", "SPY", -2, 0.0090),
    ("SPXU", "SPY", -3, 0.0089),
    ("SPXS", "SPY", -3, 0.0107),
    ("QLD", "QQQ", 2, 0.0095),
    ("TQQQ", "QQQ", 3, 0.0095),
    ("PSQ", "QQQ", -1, 0.0095),
    ("QID", "QQQ", -2, 0.0095),
    ("SQQQ", "QQQ", -3, 0.0095),
]
# The index ETFs' own expense ratios, added back to their adjusted-close returns.
INDEX_EXPENSE_RATIO = {"SPY": 0.000945, "QQQ": 0.0020}
# The documented spreads (annual, per unit of borrowed exposure L - 1 for L > 1, of short
# exposure |L| for L < 0): the medians of the funds' own fitted spreads, rounded to 0.01 %.
SPREAD_LONG = 0.0081
SPREAD_SHORT = 0.0009
RATE_FILE = "rates/DTB3.csv"
# DTB3 ends on 2026-03-26, the longest fund series on 2026-08-21: the last rate is carried
# forward over those 148 days.
RATE_MAX_STALE_DAYS = 180
TARGET_GAP = 0.005
CALIBRATION = "configs/calibration/letf12.json"
SPLITS = [0.5, 0.4, 0.6]


def backtest(args, fund, spread, output=None):
    ticker, index, multiple, er = fund
    cmd = [args.letfsim, "backtest",
           "--index", os.path.join(args.data, index + ".csv"),
           "--fund", os.path.join(args.data, ticker + ".csv"),
           "--multiple", str(multiple),
           "--expense-ratio", repr(er),
           "--index-expense-ratio", repr(INDEX_EXPENSE_RATIO[index]),
           "--rate", os.path.join(args.data, RATE_FILE),
           "--rate-max-stale-days", str(RATE_MAX_STALE_DAYS),
           "--spread", repr(spread), "--json"]
    if output:
        cmd += ["-o", output]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"validate_real: {' '.join(cmd)} failed: {done.stderr.strip()}")
    return json.loads(done.stdout)


def median(values):
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else 0.5 * (v[n // 2 - 1] + v[n // 2])


def spread_for(fund):
    return SPREAD_LONG if fund[2] > 1 else SPREAD_SHORT


def pct(x, digits=2, sign=False):
    if x is None:
        return "-"
    if abs(x) < 0.5 * 10 ** -(digits + 2):
        x = 0.0  # no "-0.00"
    return f"{100 * x:+.{digits}f}" if sign else f"{100 * x:.{digits}f}"


def check(args):
    fund = next((f for f in FUNDS if f[0] == args.check), None)
    if fund is None:
        sys.exit(f"validate_real: unknown fund {args.check}")
    r = backtest(args, fund, spread_for(fund))
    ok = abs(r["gap_per_year"]) <= TARGET_GAP
    print(f"{fund[0]}: {r['start']} to {r['end']}, real CAGR {pct(r['real_cagr'])} %, simulated "
          f"{pct(r['simulated_cagr'])} %, gap {pct(r['gap_per_year'], sign=True)} %/yr "
          f"(limit {pct(TARGET_GAP)}): {'ok' if ok else 'FAIL'}")
    return 0 if ok else 1


def growth_figure(plt, rows, series):
    """Per fund: the growth of 1 invested, real (thick grey) and simulated with the cost model
    (dashed red, drawn on top) and without costs (dotted blue), log scale; right below it, on the
    same time axis, a ratio panel, simulated / real, with a reference line at 1, since the gap is
    a fraction of a percent a year that the growth panel cannot show."""
    import matplotlib.dates as mdates
    import numpy as np
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    cols = 4
    blocks = (len(rows) + cols - 1) // cols
    fig = plt.figure(figsize=(13.5, 3.9 * blocks + 1.0), layout="constrained")
    outer = fig.subfigures(blocks + 1, 1, height_ratios=[3.9] * blocks + [0.35])
    outer = np.atleast_1d(outer)
    handles = labels = None
    for b in range(blocks):
        cells = np.atleast_1d(outer[b].subfigures(1, cols))
        for c, cell in enumerate(cells):
            k = b * cols + c
            if k >= len(rows):
                continue
            row = rows[k]
            s = series[row["ticker"]]
            top, bottom = cell.subplots(2, 1, sharex=True,
                                        gridspec_kw={"height_ratios": [3, 1.25]})
            dates = np.array(s["dates"], dtype="datetime64[D]")
            step = max(1, len(dates) // 600)  # thinned to keep the file small
            real = np.array(s["real"], dtype=float)[::step]
            simulated = np.array(s["simulated"], dtype=float)[::step]
            top.plot(dates[::step], real, lw=2.4, color="0.6", label="real fund (adjusted close)")
            top.plot(dates[::step], simulated, lw=1.1, color="tab:red", ls="--",
                     label="simulated, cost model", zorder=3)
            top.plot(dates[::step], np.array(s["simulated_no_costs"], dtype=float)[::step],
                     lw=0.9, color="tab:blue", ls=":", label="simulated, no costs")
            top.set_yscale("log")
            top.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            top.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
            top.yaxis.set_minor_formatter(NullFormatter())
            top.set_title(f"{row['ticker']} ({row['multiple']:+d}x {row['index']}): "
                          f"gap {pct(row['gap'], sign=True)} %/yr", fontsize=9)
            bottom.plot(dates[::step], simulated / real, lw=1.0, color="tab:red")
            bottom.axhline(1.0, lw=0.7, color="black")
            for ax in (top, bottom):
                ax.xaxis.set_major_locator(mdates.YearLocator(5))
                ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
                ax.tick_params(labelsize=7)
                ax.grid(True, which="major", lw=0.3, alpha=0.5)
            top.set_ylabel("growth of 1 (log scale)", fontsize=8)
            bottom.set_ylabel("simulated / real", fontsize=8)
            if handles is None:
                handles, labels = top.get_legend_handles_labels()
    fig.suptitle("Growth of 1: real funds vs simulated daily-reset funds; below each, the ratio "
                 "simulated / real (1 = no gap)", fontsize=11)
    outer[-1].legend(handles, labels, loc="center", ncol=3, frameon=False, fontsize=8)
    return fig


def chart(rows, series, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = growth_figure(plt, rows, series)
    tmp = path + ".tmp.png"
    fig.savefig(tmp, dpi=72)
    os.replace(tmp, path)
    plt.close(fig)


def calibration_file(args, tmp):
    """The shipped funds file, or a copy reading the data from --data when that is elsewhere."""
    default = os.path.normpath(os.path.join(os.path.dirname(CALIBRATION), "../../../shared/data/market"))
    if os.path.realpath(args.data) == os.path.realpath(default):
        return CALIBRATION
    with open(CALIBRATION) as f:
        spec = json.load(f)
    spec["data_dir"] = os.path.abspath(args.data)
    spec["costs"]["financing_rate"]["csv"] = os.path.abspath(os.path.join(args.data, RATE_FILE))
    path = os.path.join(tmp, "letf12.json")
    with open(path, "w") as f:
        json.dump(spec, f)
    return path


def run_json(cmd):
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"validate_real: {' '.join(cmd)} failed: {done.stderr.strip()}")
    return json.loads(done.stdout)


def test_series(args, funds_file, split_dir, report):
    """Each fund's test-window growth under the fitted model (backtest --cost-model)."""
    with open(funds_file) as f:
        spec = json.load(f)
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fund, row in zip(spec["funds"], report["funds"]):
            path = os.path.join(tmp, row["name"] + ".json")
            data = os.path.join(os.path.dirname(funds_file), spec["data_dir"])
            run_json([args.letfsim, "backtest",
                      "--index", os.path.join(data, fund["index"]),
                      "--fund", os.path.join(data, fund["fund"]),
                      "--multiple", str(fund["multiple"]),
                      "--expense-ratio", repr(fund["expense_ratio"]),
                      "--index-expense-ratio", repr(fund["index_expense_ratio"]),
                      "--cost-model", os.path.join(split_dir, "calibration.json"),
                      "--start", row["test"]["start"], "--json", "-o", path])
            with open(path) as f:
                out[row["name"]] = json.load(f)["series"]
    return out


def test_chart(report, series, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    import numpy as np

    fig, axes = plt.subplots(3, 4, figsize=(13, 8.5))
    for k, (ax, row) in enumerate(zip(axes.flat, report["funds"])):
        s = series[row["name"]]
        dates = np.array(s["dates"], dtype="datetime64[D]")
        ratio = np.array(s["simulated"], dtype=float) / np.array(s["real"], dtype=float)
        step = max(1, len(dates) // 500)  # thinned to keep the file small
        ax.plot(dates[::step], ratio[::step], lw=1.0, color="tab:red")
        ax.axhline(1.0, lw=0.6, color="black")
        if k % axes.shape[1] == 0:
            ax.set_ylabel("simulated / real growth", fontsize=8)
        ax.set_title(f"{row['name']} ({row['multiple']:+g}x): test gap "
                     f"{pct(row['test']['gap_per_year'], sign=True)} %/yr", fontsize=9)
        ax.xaxis.set_major_locator(mdates.YearLocator(2))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.tick_params(labelsize=7)
        ax.grid(True, lw=0.3, alpha=0.5)
    split = report.get("split")
    fig.suptitle(f"Out of sample (split {split}): simulated growth / real growth on each fund's "
                 "test window, cost model fitted on the training windows", fontsize=10)
    fig.tight_layout()
    tmp = path + ".tmp.png"
    fig.savefig(tmp, dpi=72)
    os.replace(tmp, path)


def out_of_sample(args):
    """The three splits; returns the Markdown of their tables."""
    sections = []
    with tempfile.TemporaryDirectory() as tmp:
        funds_file = calibration_file(args, tmp)
        for split in SPLITS:
            name = f"split_{round(100 * split)}"
            split_dir = os.path.join(args.out, name)
            report = run_json([args.letfsim, "calibrate", funds_file, "--split", repr(split),
                               "--json", "-o", split_dir])
            test_chart(report, test_series(args, funds_file, split_dir, report),
                       os.path.join(split_dir, "test_growth.png"))
            with open(os.path.join(split_dir, "table.md")) as f:
                table = f.read()
            sections.append(
                f"### Split {split:g}: worst |gap| {pct(report['worst_test_gap'])} %/yr out of "
                f"sample, {report['within_target']} of {len(report['funds'])} funds within "
                f"{pct(TARGET_GAP)} %/yr\n\n"
                f"Fitted model: `{name}/calibration.json`; chart: `{name}/test_growth.png`.\n\n"
                + table)
    return "\n".join(sections)


def full(args):
    os.makedirs(args.out, exist_ok=True)
    rows, series = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for fund in FUNDS:
            out = os.path.join(tmp, fund[0] + ".json")
            r = backtest(args, fund, spread_for(fund), out)
            with open(out) as f:
                series[fund[0]] = json.load(f)["series"]
            rows.append({
                "ticker": fund[0], "index": fund[1], "multiple": fund[2], "er": fund[3],
                "start": r["start"], "end": r["end"], "years": r["years"],
                "real": r["real_cagr"], "free": r["simulated_no_costs_cagr"],
                "model": r["simulated_cagr"], "gap": r["gap_per_year"],
                "log_gap": r["log_gap_per_year"], "te": r["tracking_error"],
                "own": r["fitted_spread"], "spread": r["spread_used"],
            })

    lines = [
        "| fund | L | index | period | years | ER | real CAGR | simulated, no costs | "
        "simulated, cost model | gap/yr | log gap/yr | tracking error | own fitted spread | within 0.5 %/yr |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['ticker']} | {r['multiple']:+d} | {r['index']} | {r['start']} to {r['end']} | "
            f"{r['years']:.2f} | {pct(r['er'])} % | {pct(r['real'])} % | {pct(r['free'])} % | "
            f"{pct(r['model'])} % | {pct(r['gap'], sign=True)} | {pct(r['log_gap'], sign=True)} | "
            f"{pct(r['te'])} % | {pct(r['own'], 3)} % | "
            f"{'yes' if abs(r['gap']) <= TARGET_GAP else 'no'} |")
    fit_long = median([r["own"] for r in rows if r["multiple"] > 1])
    fit_short = median([r["own"] for r in rows if r["multiple"] < 0])
    worst = max(rows, key=lambda r: abs(r["gap"]))
    oos = out_of_sample(args)
    text = (
        "# Validation against real funds\n\n"
        "Written by `scripts/validate_real.sh`; do not edit.\n\n"
        "## Out of sample: one cost model fitted on training windows, judged on test windows\n\n"
        f"`letfsim calibrate {CALIBRATION} --split S`: the parameters fitted jointly on each "
        "fund's own first S of its dates (pooled, never per fund), every fund then simulated on "
        "the rest of its history.\n\n" + oos + "\n"
        "## In sample: full history (the spreads below were fitted on the same data)\n\n"
        "Cost model: expense ratio + financing "
        f"at FRED DTB3 + spread {pct(SPREAD_LONG)} %/yr per unit of borrowed exposure (L > 1) and "
        f"{pct(SPREAD_SHORT)} %/yr per unit of short exposure (L < 0); index = the ETF's adjusted "
        "close with its expense ratio added back (SPY 0.0945 %, QQQ 0.20 %). Gaps are simulated "
        "minus real CAGR, in percentage points per year. The own fitted spread is the spread "
        "that alone would close that fund's gap.\n\n"
        + "\n".join(lines) + "\n\n"
        f"Median own spreads on this data: long {pct(fit_long, 3)} %, short "
        f"{pct(fit_short, 3)} % (documented: {pct(SPREAD_LONG, 3)} %, {pct(SPREAD_SHORT, 3)} %). "
        f"Largest gap: {worst['ticker']} {pct(worst['gap'], sign=True)} %/yr; "
        f"{sum(abs(r['gap']) <= TARGET_GAP for r in rows)} of {len(rows)} funds within "
        f"{pct(TARGET_GAP)} %/yr.\n")
    tmp = os.path.join(args.out, "table.md.tmp")
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, os.path.join(args.out, "table.md"))
    chart(rows, series, os.path.join(args.out, "growth.png"))
    print(text, end="")
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--letfsim", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--out", default="results/validation")
    p.add_argument("--check", metavar="FUND")
    args = p.parse_args()
    return check(args) if args.check else full(args)


if __name__ == "__main__":
    sys.exit(main())
