#!/usr/bin/python3
"""Heatmaps of a two-axis study: one figure per metric, the first axis down, the second across.

    plot_grid.py STUDY_DIR -o OUT_DIR [--metric NAME ...] [--row K] [--ylabel T] [--xlabel T]
                 [--dpi N] [--svg]

Reads STUDY_DIR/study.csv alone (written by letfsim sweep): the axis labels come from its
`label` column (the point's axis labels joined by " / "), else from study.json beside it, else
the values are shown. Each cell is the K-th result row of its point
(default 0, the first; the index rows are not counted), which may change its label from point to
point (a portfolio whose weights are an axis); the colour scale is sequential from
the smallest to the largest value shown (colour map viridis), each cell printed. Default metrics:
cagr_median and p05 (the median CAGR and the 5 % quantile of V_T/V_0). Writes
OUT_DIR/<study>_grid_<metric>.png. Exit 2 on bad input, with one line.
"""

import argparse
import csv
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plot_common as pc  # noqa: E402

TITLES = {
    "cagr_median": ("Median CAGR, % a year", "{:.1%}"),
    "p05": ("5 % quantile of V_T/V_0 (1 in 20 paths ends below)", "{:.2f}"),
    "median": ("Median V_T/V_0", "{:.2f}"),
    "prob_loss": ("P(V_T < V_0)", "{:.0%}"),
    "max_drawdown_median": ("Median maximum drawdown", "{:.0%}"),
}


def number(text):
    try:
        x = float(text)
    except (TypeError, ValueError):
        return math.nan
    return x


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n", 2)[2])
    p.add_argument("study_dir", help="folder written by letfsim sweep (holds study.csv)")
    p.add_argument("-o", "--out", required=True, help="output folder (created if missing)")
    p.add_argument("--metric", action="append", default=[], metavar="NAME",
                   help="a study.csv column (repeatable; default cagr_median and p05)")
    p.add_argument("--row", type=int, default=0, metavar="K",
                   help="the result row of each point to show (default 0)")
    p.add_argument("--ylabel", help="label of the first axis (default: its pointer)")
    p.add_argument("--xlabel", help="label of the second axis (default: its pointer)")
    p.add_argument("--svg", action="store_true", help="also write SVG files")
    p.add_argument("--dpi", type=int, default=110, help="PNG resolution (default 110)")
    args = p.parse_args(argv)
    pc.check_out_dir(args.out)
    path = os.path.join(args.study_dir, "study.csv")
    if not os.path.isfile(path):
        pc.fail(f"{path}: no such file (run letfsim sweep first)")
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        pc.fail(f"{path}: no rows")
    axes = [c for c in rows[0] if c.startswith("/")]
    if len(axes) != 2:
        pc.fail(f"{path}: a grid needs exactly two axis columns, found {len(axes)} ({', '.join(axes)})")
    metrics = args.metric or ["cagr_median", "p05"]
    for m in metrics:
        if m not in rows[0]:
            pc.fail(f"{path}: no column {m!r}")
    # The K-th result row of each point.
    chosen, seen = {}, {}
    for r in rows:
        if r["strategy"] == "index":
            continue
        k = seen.get(r["point"], 0)
        seen[r["point"]] = k + 1
        if k == args.row:
            chosen[r["point"]] = r
    if not chosen:
        pc.fail(f"{path}: no point has a result row {args.row}")
    kinds = sorted({r["strategy"].split("(")[0] for r in chosen.values()})
    # The axis values in study order (first appearance) and their display labels.
    values = [[], []]
    for r in rows:
        for a in range(2):
            if r[axes[a]] not in values[a]:
                values[a].append(r[axes[a]])
    shown = [list(v) for v in values]
    name = os.path.basename(os.path.normpath(args.study_dir))
    meta = os.path.join(args.study_dir, "study.json")
    labelled = False
    if "label" in rows[0]:
        for r in rows:
            parts = r["label"].split(" / ")
            if len(parts) == 2 and all(parts):
                labelled = True
                for a in range(2):
                    shown[a][values[a].index(r[axes[a]])] = parts[a]
    study = json.load(open(meta))["study"] if os.path.isfile(meta) else {}
    name = study.get("name", name)
    if not labelled:
        for a, axis in enumerate(study.get("axes", [])[:2]):
            compact = [json.dumps(v, separators=(",", ":"), sort_keys=True) for v in axis["values"]]
            for k, v in enumerate(values[a]):
                try:
                    key = json.dumps(json.loads(v), separators=(",", ":"), sort_keys=True)
                except ValueError:
                    key = json.dumps(v)
                if axis.get("labels") and key in compact:
                    shown[a][k] = axis["labels"][compact.index(key)]
    plt = pc.import_pyplot()
    import numpy as np

    for metric in metrics:
        grid = np.full((len(values[0]), len(values[1])), np.nan)
        for r in chosen.values():
            grid[values[0].index(r[axes[0]]), values[1].index(r[axes[1]])] = number(r[metric])
        finite = grid[np.isfinite(grid)]
        if finite.size == 0:
            pc.note(f"no values of {metric}; skipped")
            continue
        what, fmt = TITLES.get(metric, (metric, "{:.3g}"))
        fig, ax = plt.subplots(figsize=(1.3 * len(values[1]) + 3.0, 0.5 * len(values[0]) + 2.2))
        im = ax.imshow(grid, origin="lower", aspect="auto", cmap="viridis",
                       vmin=finite.min(), vmax=finite.max())
        ax.set_xticks(range(len(values[1])), shown[1])
        ax.set_yticks(range(len(values[0])), shown[0])
        ax.set_xlabel(args.xlabel or pc.axis_label(axes[1]))
        ax.set_ylabel(args.ylabel or pc.axis_label(axes[0]))
        ax.grid(False)
        span = finite.max() - finite.min()
        for i in range(grid.shape[0]):
            for j in range(grid.shape[1]):
                if np.isfinite(grid[i, j]):
                    light = span == 0 or (grid[i, j] - finite.min()) / span > 0.6
                    ax.text(j, i, fmt.format(grid[i, j]), ha="center", va="center", fontsize=8,
                            color="black" if light else "white")
        bar = fig.colorbar(im, ax=ax, shrink=0.9, label=what)
        if "%" in fmt:
            from matplotlib.ticker import PercentFormatter

            bar.ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
        row = f", result row {args.row} of each point" if args.row else ""
        ax.set_title(f"{what}\n{name}: {', '.join(kinds)}{row}", fontsize=9)
        fig.tight_layout()
        pc.save(fig, args.out, f"{name}_grid_{metric}", args.svg, args.dpi)


if __name__ == "__main__":
    main()
