#!/usr/bin/python3
"""Figures for one letfsim study (the folder written by `letfsim sweep`).

    scripts/plot_study.py STUDY_DIR -o DIR [--x POINTER] [--metric NAME ...] [--svg] [--dpi N]

Reads STUDY_DIR/study.csv (nothing else is needed: study.json, when beside it, adds the study's
description and the columns' descriptions; point files, the log decay's quantiles for
side_by_side) and writes into DIR, each file named <study name>_<figure>.png (the name from
study.json, else the folder's):
  heatmap_log_decay     median log decay over sigma x multiple, one panel per strategy
                        (needs an axis ending in /sigma, e.g. /model/sigma)
  heatmap_underperform  P(V_T below 1 + L (S_T/S_0 - 1)) over sigma x multiple
  heatmap_cagr          median CAGR (V_T/V_0)^(1/T) - 1 (study column cagr_median) over sigma x
                        multiple
  heatmap_lost_50pct    P(V_t/V_0 < 0.5 at some close by the horizon) (prob_lost_50pct) over
                        sigma x multiple; a heatmap whose column the study lacks (a study.csv
                        from before the investor metrics) is skipped with a note
  decay_vs_days         mean log decay (+/- 2 s.e.) against the holding period, one line per
                        multiple, dashed: the analytic value (needs a /days axis)
  side_by_side_<axis>   for an axis of labelled, non-numeric values (such as /model with
                        "labels"): per multiple of the daily-reset fund, a box per label of the
                        log decay (its quantiles from the point reports in points/; mean +/- 1
                        s.d. from study.csv without them) and P(wipe-out) +/- 1 s.e. below it
  <metric>_vs_<axis>    any metric (a study.csv column) against the axis chosen with --x, one line
                        per multiple; without --x, one such figure per axis not used above
When the study has other axes, each figure uses the first value of each of them (stated in the
subtitle). Uses Debian's python3-matplotlib; the Agg backend unless MPLBACKEND is set.
"""

import argparse
import json
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plot_common as pc  # noqa: E402


# The study.csv columns that are not metrics.
NON_METRICS = ("point", "strategy", "multiple", "paths", "days", "label")


def parse_cell(text):
    """An axis cell of study.csv: numbers, objects and arrays as JSON, strings bare."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def number_or_none(text):
    return None if text == "" else float(text)


def read_csv_points(path):
    """study.csv as points: [{"point", "values", "label", "paths", "days", "underlying",
    "results"}] in file order, and the axis pointers; rows with strategy "index" are the index
    (the underlying's statistics), every other row a result {"strategy" (the kind), "label" (the
    strategy cell: kind and parameters), "multiple", <metric>: number or None}."""
    import csv

    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    if not rows or rows[0][:1] != ["point"] or "strategy" not in rows[0] \
            or "multiple" not in rows[0]:
        raise ValueError("not a letfsim study.csv (its header starts point,...,strategy,multiple)")
    header = rows[0]
    pointers = header[1:header.index("strategy")]
    metrics = [h for h in header[header.index("multiple") + 1:] if h not in NON_METRICS]
    points = {}
    for line, cells in enumerate(rows[1:], start=2):
        if len(cells) != len(header):
            raise ValueError(f"line {line}: {len(cells)} cells, the header has {len(header)}")
        c = dict(zip(header, cells))
        k = int(c["point"])
        p = points.setdefault(k, {"point": k, "values": {q: parse_cell(c[q]) for q in pointers},
                                  "label": c.get("label", ""), "paths": int(c["paths"]),
                                  "days": int(c["days"]), "underlying": None, "results": []})
        r = {"strategy": pc.kind_of(c["strategy"]), "label": c["strategy"],
             "multiple": float(c["multiple"])}
        r.update({m: number_or_none(c[m]) for m in metrics})
        if c["strategy"] == "index":
            p["underlying"] = r
        else:
            p["results"].append(r)
    return [points[k] for k in sorted(points)], pointers, metrics


def axis_labels(points, pointer, values):
    """The display labels of an axis's values from study.csv's `label` column (the point's labels
    joined by " / "), or None: a part of the label that is a function of this axis's value, one
    distinct part per value."""
    parts = [p["label"].split(" / ") if p["label"] else [] for p in points]
    count = min((len(x) for x in parts), default=0)
    for j in range(count):
        seen = {}
        for p, x in zip(points, parts):
            key = json.dumps(p["values"][pointer], sort_keys=True)
            if seen.setdefault(key, x[j]) != x[j]:
                break
        else:
            labels = [seen.get(json.dumps(v, sort_keys=True)) for v in values]
            if None not in labels and len(set(labels)) == len(labels) > 1:
                return labels
    return None


class StudyData:
    """A study as study.csv holds it (its only data source); study.json, when it is beside it,
    adds the study's description, the metrics' descriptions and trading days per year."""

    def __init__(self, study_dir):
        self.dir = study_dir
        self.points, self.pointers, columns = read_csv_points(
            os.path.join(study_dir, "study.csv"))
        doc = {}
        try:
            with open(os.path.join(study_dir, "study.json"), encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError):
            pass
        study = doc.get("study", {}) if isinstance(doc, dict) else {}
        self.name = study.get("name") or os.path.basename(os.path.normpath(study_dir))
        self.description = study.get("description", "")
        self.trading_days_per_year = study.get("base", {}).get("trading_days_per_year", 252) \
            if isinstance(study.get("base"), dict) else 252
        self.axes = []
        for pointer in self.pointers:
            values = []
            for p in self.points:
                if p["values"][pointer] not in values:
                    values.append(p["values"][pointer])
            axis = {"pointer": pointer, "values": values}
            labels = axis_labels(self.points, pointer, values)
            if labels:
                axis["labels"] = labels
            self.axes.append(axis)
        described = pc.metric_labels(doc) if isinstance(doc, dict) else {}
        self.metrics = {m: described.get(m) or pc.metric_description(m) for m in columns}

    def metric_label(self, name):
        return self.metrics.get(name, name)

    def axis(self, pointer):
        return next(a for a in self.axes if a["pointer"] == pointer)

    def value_label(self, pointer, value):
        ax = self.axis(pointer)
        if "labels" in ax:
            for v, label in zip(ax["values"], ax["labels"]):
                if v == value:
                    return label
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f"{value:g}"
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and "type" in value:
            rest = ", ".join(f"{k} {v:g}" for k, v in value.items()
                             if k != "type" and isinstance(v, (int, float)))
            return f"{value['type']}\n{rest}" if rest else value["type"]
        text = json.dumps(value, separators=(",", ":"))
        return text if len(text) <= 30 else text[:27] + "..."

    def slice(self, free):
        """Points whose axes outside `free` take their first value; and a text saying so."""
        fixed = {a["pointer"]: a["values"][0] for a in self.axes if a["pointer"] not in free}
        pts = [p for p in self.points
               if all(p["values"][k] == v for k, v in fixed.items())]
        text = ", ".join(f"{k} = {self.value_label(k, v)}".replace("\n", " ")
                         for k, v in fixed.items())
        return pts, text

    def strategies(self):
        """The strategies' labels in first-seen order (two of one kind are two entries)."""
        out = []
        for p in self.points:
            for r in p["results"]:
                if pc.result_label(r) not in out:
                    out.append(pc.result_label(r))
        return out

    def labelled_axes(self):
        """Pointers of the axes whose values carry labels and are not all numbers (models)."""
        return [a["pointer"] for a in self.axes if a.get("labels")
                and not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                            for v in a["values"])]

    def point_report(self, point):
        """The letfsim report of one point (points/NNNN.json) when the folder still has it (for
        quantiles of the log decay, which study.csv does not hold), else None."""
        path = os.path.join(self.dir, "points", f"{point['point']:04d}.json")
        try:
            with open(path, encoding="utf-8") as f:
                return json.load(f)["report"]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def multiples(self, pts):
        out = []
        for p in pts:
            for r in p["results"]:
                if r["multiple"] not in out:
                    out.append(r["multiple"])
        return sorted(out)


def row(point, strategy, multiple):
    return next((r for r in point["results"]
                 if pc.result_label(r) == strategy and r["multiple"] == multiple), None)


def value_or_nan(r, key):
    v = None if r is None else r.get(key)
    return math.nan if v is None else v


def title(fig, study, what, fixed_text, width=None):
    """The figure's title: what it shows, the study, the axes held fixed; each line wrapped to
    the figure's width (`width` inches, default the figure's) so that it fits."""
    lines = [what, f"study {study.name}" + (f": {study.description}" if study.description else "")]
    if fixed_text:
        lines.append(f"other axes at {fixed_text}")
    pc.fitted_suptitle(fig, lines, width)


def slug(pointer):
    return re.sub(r"[^A-Za-z0-9]+", "_", pointer).strip("_") or "root"


# The colour bars' labels: short, since a bar is no taller than its panel.
BAR_LABELS = {"log_decay_median": "median log decay (natural-log units)",
              "prob_underperform_target": "P(underperform)", "cagr_median": "median CAGR",
              "prob_lost_50pct": "P(-50 % at some close)"}


def heatmaps(plt, study, args):
    import numpy as np
    from matplotlib.colors import TwoSlopeNorm
    from matplotlib.ticker import PercentFormatter

    sigma = next((p for p in study.pointers if p.endswith("/sigma")), None)
    if sigma is None:
        pc.note("the study has no sigma axis (such as /model/sigma); heatmaps skipped")
        return [], []
    pts, fixed = study.slice({sigma})
    sigmas = [v for v in study.axis(sigma)["values"]]
    mults = study.multiples(pts)
    strategies = study.strategies()
    written = []
    # (column, file name, title, colour map of a signed metric: red where it is bad, or None for
    # a probability (0 to 1, Reds), text format of a cell)
    specs = [
        ("log_decay_median", "heatmap_log_decay",
         "Median log decay L ln(S_T/S_0) - ln(V_T/V_0) over volatility and multiple\n"
         "(natural-log units over the horizon; darker: the position trails L x the index more; "
         "black lines: theory (L^2 - L) sigma^2 T/2 + cT)",
         "sequential", "{:.2f}"),
        ("prob_underperform_target", "heatmap_underperform",
         "P(underperform): share of paths ending below 1 + L (S_T/S_0 - 1)", None, "{:.0%}"),
        ("cagr_median", "heatmap_cagr",
         "Median CAGR (V_T/V_0)^(1/T) - 1 over volatility and multiple\n"
         "(% a year; a wiped-out path counts as -100 %; red: the median path loses money)",
         "RdBu", "{:.0%}"),
        ("prob_lost_50pct", "heatmap_lost_50pct",
         "P(-50 %): share of paths whose value fell below half the start, V_t/V_0 < 0.5,\n"
         "at some close by the horizon", None, "{:.0%}"),
    ]
    for metric, name, what, signed_cmap, cell_format in specs:
        grids = []
        for s in strategies:
            grid = np.full((len(sigmas), len(mults)), np.nan)
            for p in pts:
                i = sigmas.index(p["values"][sigma])
                for j, m in enumerate(mults):
                    grid[i, j] = value_or_nan(row(p, s, m), metric)
            grids.append(grid)
        finite = np.concatenate([g[np.isfinite(g)] for g in grids]) if grids else np.array([])
        if finite.size == 0:
            pc.note(f"no values of {metric} in the study; {name} skipped")
            continue
        if signed_cmap is None:
            norm, cmap = None, "Reds"
            vmin, vmax = 0.0, 1.0
        elif signed_cmap == "sequential":  # from the data's minimum to its maximum
            norm, cmap = None, "YlOrRd"
            vmin, vmax = float(finite.min()), float(finite.max())
            if vmax <= vmin:
                vmax = vmin + 1e-12
        else:
            span = max(abs(finite.min()), abs(finite.max()), 1e-12)
            norm, cmap = TwoSlopeNorm(vcenter=0.0, vmin=-span, vmax=span), signed_cmap
            vmin = vmax = None
        panel = max(0.75 * len(mults) + 2.2, 3.8)  # inches: cells, labels and colour bar
        fig, axes = plt.subplots(1, len(strategies),
                                 figsize=(panel * len(strategies), 0.38 * len(sigmas) + 2.8),
                                 squeeze=False)
        for ax, s, grid in zip(axes[0], strategies, grids):
            im = ax.imshow(grid, origin="lower", aspect="auto", cmap=cmap, norm=norm, vmin=vmin,
                           vmax=vmax)
            ax.set_xticks(range(len(mults)), [pc.multiple_label(m) for m in mults])
            ax.set_yticks(range(len(sigmas)), [study.value_label(sigma, v) for v in sigmas])
            ax.set_xlabel("multiple L")
            ax.set_ylabel(pc.axis_label(sigma))
            ax.set_title(pc.wrapped(pc.STRATEGY_NAMES.get(s, s), int(7 * panel)))
            ax.grid(False)
            if len(sigmas) * len(mults) <= 150:
                for i in range(len(sigmas)):
                    for j in range(len(mults)):
                        v = grid[i, j]
                        if np.isfinite(v):
                            text = cell_format.format(v)
                            if text.startswith("-") and float(text.rstrip("%")) == 0:
                                text = text[1:]  # no "-0 %": a value that rounds to zero
                            # White text on the dark ends of the colour map.
                            if norm is not None:
                                dark = abs(float(norm(v)) - 0.5) > 0.3
                            else:
                                dark = (v - vmin) / (vmax - vmin) > 0.6
                            ax.text(j, i, text, ha="center", va="center", fontsize=7,
                                    color="white" if dark else "black")
            bar = fig.colorbar(im, ax=ax, shrink=0.9, label=BAR_LABELS.get(metric, metric))
            if signed_cmap == "sequential":
                theory_contours(ax, bar, study, pts, sigma, sigmas, s, mults, vmin, vmax)
            if "%" in cell_format:
                bar.ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
        title(fig, study, what, fixed)
        fig.tight_layout()
        written += pc.save(fig, args.out, f"{study.name}_{name}", args.svg, args.dpi)
    return written, [sigma]


def theory_contours(ax, bar, study, pts, sigma, sigmas, strategy, mults, vmin, vmax):
    """Black contour lines of the analytic log decay (study column log_decay_analytic) over the
    heatmap's cells, at the colour bar's ticks inside the data's range, marked on the colour bar
    too (its tick labels give their values); nothing where the theory does not apply."""
    import numpy as np

    grid = np.full((len(sigmas), len(mults)), np.nan)
    for p in pts:
        i = sigmas.index(p["values"][sigma])
        for j, m in enumerate(mults):
            grid[i, j] = value_or_nan(row(p, strategy, m), "log_decay_analytic")
    if np.isfinite(grid).sum() < 4 or len(sigmas) < 2 or len(mults) < 2:
        return
    levels = [t for t in bar.get_ticks() if vmin < t < vmax]
    if not levels:
        return
    import warnings

    with warnings.catch_warnings():  # no contour at a level the theory never reaches
        warnings.simplefilter("ignore", UserWarning)
        cs = ax.contour(np.arange(len(mults)), np.arange(len(sigmas)), grid, levels=levels,
                        colors="black", linewidths=0.9)
    if cs.levels.size and len(cs.allsegs) and any(len(seg) for seg in cs.allsegs):
        bar.add_lines(cs)


def decay_vs_days(plt, study, args):
    if "/days" not in study.pointers:
        pc.note("the study has no /days axis; decay vs holding period skipped")
        return [], []
    pts, fixed = study.slice({"/days"})
    pts = sorted(pts, key=lambda p: p["values"]["/days"])
    mults = study.multiples(pts)
    strategies = study.strategies()
    colors = multiple_colors(plt, mults)
    fig, axes = plt.subplots(1, len(strategies), figsize=(5.6 * len(strategies), 4.6),
                             squeeze=False, sharey=True)
    for ax, s in zip(axes[0], strategies):
        for m in mults:
            # L < 0 hollow markers and a dashed theory line: L and 1 - L (same L^2 - L, the same
            # theory) stay two series.
            color, short = colors[m], m < 0
            xs = [p["values"]["/days"] for p in pts]
            rows = [row(p, s, m) for p in pts]
            an = [value_or_nan(r, "log_decay_analytic") for r in rows]
            if any(not math.isnan(a) for a in an):
                ax.plot(xs, an, linestyle="--" if short else "-", linewidth=1.1, color=color,
                        alpha=0.9)
            ys = [value_or_nan(r, "log_decay_mean") for r in rows]
            es = [2 * value_or_nan(r, "log_decay_std_error") for r in rows]
            es = [0 if math.isnan(e) else e for e in es]
            ax.errorbar(xs, ys, yerr=es, fmt="s" if short else "o", markersize=4.5, capsize=2.5,
                        color=color, markerfacecolor="white" if short else color,
                        label=pc.multiple_label(m))
        ax.axhline(0.0, color="black", linewidth=0.6)
        ax.set_xscale("log")
        pc.plain_log_axis(ax.xaxis)
        ax.set_xlabel(f"holding period (trading days, {study.trading_days_per_year:g} a year; "
                      "log scale)")
        ax.set_ylabel("mean log decay L ln(S_T/S_0) - ln(V_T/V_0)\n(natural-log units, "
                      "+/- 2 s.e.)")
        ax.set_title(pc.wrapped(pc.STRATEGY_NAMES.get(s, s), 50))
        ax.legend(title="multiple (markers: Monte Carlo)", ncol=2, loc="upper left")
    title(fig, study, "Decay grows with the holding period: markers Monte Carlo (+/- 2 s.e.), "
          "lines the theory (L^2 - L) sigma^2 T/2 + cT where it applies (dashed for L < 0)",
          fixed, width=5.6 * len(strategies))
    fig.tight_layout()
    return pc.save(fig, args.out, f"{study.name}_decay_vs_days", args.svg, args.dpi), ["/days"]


def multiple_colors(plt, mults):
    """{multiple: colour} on coolwarm by |L|'s rank within each sign: blue for short, red for
    long, darker for larger |L|, skipping the map's pale middle."""
    cmap = plt.get_cmap("coolwarm")
    top = max((abs(m) for m in mults), default=1.0) or 1.0
    return {m: cmap(0.5 + math.copysign(0.5 * (0.3 + 0.7 * abs(m) / top), m)) for m in mults}


def is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def is_ratio(metric):
    """Whether a study.csv column is a ratio V_T/V_0 (a mean, median or quantile of it)."""
    return metric in ("mean", "median", "mean_analytic") or (
        metric.startswith("p") and metric[1:].replace(".", "", 1).isdigit())


def metric_vs_axis(plt, study, args, pointer, metric):
    pts, fixed = study.slice({pointer})
    values = study.axis(pointer)["values"]
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
    order = sorted(range(len(values)), key=lambda i: values[i]) if numeric else range(len(values))
    values = [values[i] for i in order]
    mults = study.multiples(pts)
    strategies = study.strategies()
    colors = multiple_colors(plt, mults)
    fig, axes = plt.subplots(1, len(strategies), figsize=(5.6 * len(strategies), 4.4),
                             squeeze=False, sharey=True)
    width = 0.8 / max(len(mults), 1)
    for ax, s in zip(axes[0], strategies):
        zero_marked = False
        for k, m in enumerate(mults):
            ys = []
            for v in values:
                p = next((p for p in pts if p["values"][pointer] == v), None)
                ys.append(value_or_nan(None if p is None else row(p, s, m), metric))
            color = colors[m]
            if numeric:
                ax.plot(values, ys, marker="o", markersize=4, color=color,
                        label=pc.multiple_label(m))
            else:  # categories: grouped bars, one per multiple
                xs = [i + (k - (len(mults) - 1) / 2) * width for i in range(len(values))]
                ax.bar(xs, ys, width, color=color, label=pc.multiple_label(m))
                # A bar of height 0 (a median wiped out) is invisible: a cross marks it.
                zeros = [x for x, y in zip(xs, ys) if y == 0]
                if zeros:
                    ax.plot(zeros, [0.0] * len(zeros), linestyle="none", marker="X",
                            markersize=6, color=color, markeredgecolor="black",
                            markeredgewidth=0.5, clip_on=False, zorder=4)
                    zero_marked = True
        if zero_marked:
            ax.plot([], [], linestyle="none", marker="X", color="0.5", markeredgecolor="black",
                    markeredgewidth=0.5,
                    label="0: wiped out" if is_ratio(metric) else "exactly 0")
        if not numeric:
            ax.set_xticks(range(len(values)), [study.value_label(pointer, v) for v in values],
                          rotation=25, ha="right")
            ax.grid(False, axis="x")
        if is_ratio(metric):  # V_T/V_0 = 1: the money invested, neither won nor lost
            ax.axhline(1.0, color="black", linewidth=0.9, linestyle="--", label="1: no gain")
        ax.set_xlabel(pc.axis_label(pointer))
        ax.set_ylabel(pc.wrapped(study.metric_label(metric), 44))
        ax.set_title(pc.wrapped(pc.STRATEGY_NAMES.get(s, s), 50))
    # One legend below the panels (the multiples are the same in each), every entry once.
    entries = {}
    for ax in axes[0]:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            entries.setdefault(lab, h)
    title(fig, study, f"{study.metric_label(metric)} by {pc.axis_label(pointer)}", fixed)
    labels = [lab for lab in entries if lab.endswith("x") and is_number(lab[:-1])]
    labels = [f"L = {lab}" for lab in labels] + [lab for lab in entries if lab not in labels]
    handles = [entries[lab[4:]] if lab.startswith("L = ") else entries[lab] for lab in labels]
    pc.figure_legend(fig, handles, labels, ncol=min(len(labels), 8))
    return pc.save(fig, args.out, f"{study.name}_{metric}_vs_{slug(pointer)}", args.svg, args.dpi)


MEAN_STYLE = {"marker": "D", "markerfacecolor": "white", "markeredgecolor": "black",
              "markersize": 4, "linestyle": "none"}


def side_by_side_data(study, pointer):
    """[(label, report)] per value of the labelled axis (other axes at their first value), the
    strategy shown (daily_reset when the study has it, else its first), its multiples and the
    text naming the fixed axes."""
    pts, fixed = study.slice({pointer})
    rows = []
    for v in study.axis(pointer)["values"]:
        p = next((p for p in pts if p["values"][pointer] == v), None)
        if p is not None:
            report = study.point_report(p) or csv_report(p, study.trading_days_per_year)
            rows.append((study.value_label(pointer, v).replace("\n", " "), report))
    strategies = study.strategies()
    strategy = "daily_reset" if "daily_reset" in strategies else strategies[0]
    mults = sorted({r["multiple"] for _, rep in rows for r in rep["results"]
                    if pc.result_label(r) == strategy})
    return rows, strategy, mults, fixed


def csv_report(point, trading_days_per_year):
    """A point's study.csv rows in the shape of a report's, for side_by_side when the point file
    is gone: the log decay's mean, median and s.d. (its standard error x sqrt(paths)) and
    P(wipe-out) with its standard error sqrt(p (1 - p) / paths)."""
    n = point["paths"]
    results = []
    for r in point["results"]:
        se = r.get("log_decay_std_error")
        p = r.get("prob_wipeout")
        results.append({
            "strategy": r["strategy"], "label": r["label"], "multiple": r["multiple"],
            "log_decay": {"mean": r.get("log_decay_mean"), "median": r.get("log_decay_median"),
                          "std": None if se is None else se * math.sqrt(n)},
            "prob_wipeout": p,
            "prob_std_error": {"wipeout": None if p is None else math.sqrt(p * (1 - p) / n)}})
    return {"config": {"days": point["days"], "paths": n,
                       "trading_days_per_year": trading_days_per_year}, "results": results}


def result_of(report, strategy, multiple):
    return next((r for r in report["results"]
                 if pc.result_label(r) == strategy and r["multiple"] == multiple), None)


def decay_boxes(ax, results, colors):
    """One box per label: the log decay's quantiles when the report has them (returns their
    levels), else mean +/- 1 s.d.; the median as a black line, the mean as a diamond."""
    levels = None
    for i, (r, color) in enumerate(zip(results, colors)):
        block = (r or {}).get("log_decay") or {}
        stats = pc.quantile_stats(block)
        if stats is not None:
            levels = stats.pop("levels")
            ax.bxp([stats], positions=[i], widths=0.6, patch_artist=True, showmeans=True,
                   showfliers=False, manage_ticks=False, meanprops=MEAN_STYLE,
                   boxprops={"facecolor": color, "alpha": 0.6, "edgecolor": color},
                   whiskerprops={"color": color}, capprops={"color": color},
                   medianprops={"color": "black"})
        elif block.get("mean") is not None:
            ax.errorbar([i], [block["mean"]], yerr=[block.get("std") or 0.0], color=color,
                        capsize=4, linewidth=1.5, **MEAN_STYLE)
            if block.get("median") is not None:
                ax.hlines(block["median"], i - 0.3, i + 0.3, color="black")
    return levels


def wipeout_points(ax, results, colors):
    """P(wipe-out) per label with +/- 1 s.e.; returns the probabilities and the bars' tops."""
    ps, tops = [], []
    for i, (r, color) in enumerate(zip(results, colors)):
        p = (r or {}).get("prob_wipeout")
        if p is None:
            continue
        se = ((r or {}).get("prob_std_error") or {}).get("wipeout") or 0.0
        ax.errorbar([i], [p], yerr=[[min(se, p)], [se]], fmt="o", color=color, capsize=3,
                    markersize=5)
        if p > 0:
            ax.annotate(pc.percent_text(p), (i, p + se), xytext=(0, 3),
                        textcoords="offset points", ha="center", va="bottom", fontsize=7)
        ps.append(p)
        tops.append(p + se)
    return ps, tops


def side_by_side_legend(fig, levels):
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Line2D([], [], color="black"), Line2D([], [], **MEAN_STYLE)]
    labels = ["median", "mean"]
    if levels:
        pct = [f"{100 * q:g}" for q in levels]
        handles += [Patch(facecolor="0.6", edgecolor="0.4"), Line2D([], [], color="0.4")]
        labels += [f"box: {pct[1]}-{pct[2]} % of paths", f"whiskers: {pct[0]}-{pct[3]} %"]
    else:
        handles.append(Line2D([], [], color="0.4"))
        labels.append("bar: mean +/- 1 s.d. (the reports hold no log-decay quantiles)")
    handles.append(Line2D([], [], color="0.4", marker="o", linestyle="none"))
    labels.append("P(wipe-out) +/- 1 standard error")
    pc.figure_legend(fig, handles, labels, ncol=min(len(labels), 3))


def joined(words):
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def panel_pairs(plt, count, n_labels):
    """A figure with a decay panel above a wipe-out panel for each of `count` multiples, up to
    three pairs side by side; returns it, the (top, bottom) pairs and the number of columns."""
    cols = min(count, 3)
    blocks = (count + cols - 1) // cols
    fig, axes = plt.subplots(2 * blocks, cols,
                             figsize=(0.55 * n_labels * cols + 2.6, 5.4 * blocks + 1.4),
                             squeeze=False, sharey="row", layout="constrained")
    pairs = [(axes[2 * (k // cols)][k % cols], axes[2 * (k // cols) + 1][k % cols])
             for k in range(blocks * cols)]
    for top, bottom in pairs[count:]:  # the rest of a last, incomplete row of pairs
        top.set_visible(False)
        bottom.set_visible(False)
    return fig, pairs[:count], cols


def label_pair(top, bottom, labels, pointer, horizon, first_column):
    top.set_xticks(range(len(labels)), [""] * len(labels))
    bottom.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    bottom.set_xlabel(pc.axis_label(pointer))
    for ax in (top, bottom):
        ax.set_xlim(-0.6, len(labels) - 0.4)
        ax.grid(False, axis="x")
    top.axhline(0.0, color="black", linewidth=0.6)
    if first_column:
        top.set_ylabel(f"log decay over {horizon}\nL ln(S_T/S_0) - ln(V_T/V_0)")
        bottom.set_ylabel(f"P(wipe-out within {horizon})\n(the fund's value reaches 0)")


def side_by_side(plt, study, args, pointer):
    """Per multiple of the daily-reset fund: boxes of the log decay and P(wipe-out) by label."""
    rows, strategy, mults, fixed = side_by_side_data(study, pointer)
    if not rows or not mults:
        pc.note(f"no point reports for {pointer}; side-by-side figure skipped")
        return []
    labels = [label for label, _ in rows]
    colors = pc.label_colors(plt, len(labels))
    config = rows[0][1]["config"]
    horizon = pc.horizon_text(config["days"], config.get("trading_days_per_year", 252))
    fund = pc.STRATEGY_NAMES.get(strategy, strategy)
    fig, pairs, cols = panel_pairs(plt, len(mults), len(labels))
    levels, probs, tops = None, [], []
    for k, (m, (top, bottom)) in enumerate(zip(mults, pairs)):
        results = [result_of(rep, strategy, m) for _, rep in rows]
        levels = decay_boxes(top, results, colors) or levels
        ps, ts = wipeout_points(bottom, results, colors)
        probs, tops = probs + ps, tops + ts
        top.set_title(f"{pc.multiple_label(m)} {fund}")
        label_pair(top, bottom, labels, pointer, horizon, k % cols == 0)
    resolution = 1.0 / min(rep["config"]["paths"] for _, rep in rows)
    for _, bottom in pairs:
        pc.probability_yaxis(bottom, probs, resolution, tops)
    if levels is None:
        pc.note(f"the point reports hold no quantiles of the log decay; {pointer}'s side-by-side "
                "figure shows mean +/- 1 s.d. instead of boxes")
    title(fig, study, f"Log decay and wipe-out of the {fund} at "
          f"{joined([pc.multiple_label(m) for m in mults])}, by {pc.axis_label(pointer)}", fixed)
    side_by_side_legend(fig, levels)
    return pc.save(fig, args.out, f"{study.name}_side_by_side_{slug(pointer)}", args.svg,
                   args.dpi)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n", 2)[2])
    p.add_argument("study_dir", help="folder written by letfsim sweep (holds study.csv)")
    p.add_argument("-o", "--out", required=True, help="output folder (created if missing)")
    p.add_argument("--x", action="append", default=[], metavar="POINTER",
                   help="axis for a <metric>_vs_<axis> figure (repeatable)")
    p.add_argument("--metric", action="append", default=[], metavar="NAME",
                   help="study.csv column to plot against --x (repeatable; default "
                        "median and prob_underperform_target)")
    p.add_argument("--svg", action="store_true", help="also write SVG files")
    p.add_argument("--dpi", type=int, default=110, help="PNG resolution (default 110)")
    args = p.parse_args(argv)
    pc.check_out_dir(args.out)
    path = os.path.join(args.study_dir, "study.csv")
    try:
        study = StudyData(args.study_dir)
    except (OSError, ValueError, KeyError) as e:
        sys.exit(f"plot_study.py: {path}: cannot read the study: {e}")
    if not study.points:
        sys.exit(f"plot_study.py: {path}: no point is done yet")
    for x in args.x:
        if x not in study.pointers:
            sys.exit(f"plot_study.py: --x {x}: not an axis of the study; axes: "
                     + ", ".join(study.pointers))
    metrics = args.metric or ["median", "prob_underperform_target"]
    for m in metrics:
        if m not in study.metrics:
            sys.exit(f"plot_study.py: --metric {m}: not a column; one of "
                     + ", ".join(sorted(study.metrics)))

    plt = pc.import_pyplot()
    written, used = [], []
    for chart in (heatmaps, decay_vs_days):
        files, axes_used = chart(plt, study, args)
        written += files
        used += axes_used
    for pointer in study.labelled_axes():
        written += side_by_side(plt, study, args, pointer)
    xs = args.x or [p for p in study.pointers if p not in used]
    for x in xs:
        for m in metrics:
            written += metric_vs_axis(plt, study, args, x, m)
    return 0 if written else 1


if __name__ == "__main__":
    sys.exit(main())
