#!/usr/bin/python3
"""Figures for one letfsim report (the JSON written by `letfsim run`).

    scripts/plot_run.py REPORT.json -o DIR [--svg] [--dpi N] [--prefix NAME]

Writes into DIR, each file named <prefix>_<figure>.png (prefix: the scenario name):
  fan           per multiple: quantile bands of V_t/V_0 over time for the daily-reset fund, the
                unrebalanced position and L x index (needs "bands" in the scenario)
  terminal      per multiple: distribution of V_T/V_0 on a log axis (a histogram when the scenario
                has "histogram", else the cumulative distribution from the reported quantiles)
  decay         mean log decay by multiple with +/- 2 standard errors, beside its analytic value
  underperform  P(V_T below 1 + L (S_T/S_0 - 1)) and P(loss) by multiple, +/- 2 standard errors
  cagr          the CAGR (V_T/V_0)^(1/T) - 1 per strategy and multiple: boxes of its reported
                quantiles, median and mean marked, the index's median and the theory's median
                where the report has it (percent axis; wiped-out paths count as -100 %)
  survival      P(wiped out by day t) and P(V_t/V_0 < 0.5 by day t) of every position against the
                day, exact shares from the report's "survival" curves, the index's beside them
  under_water   the longest time under water per path (from a peak to the next new peak, or to
                the horizon), boxes of its quantiles per strategy and multiple, in trading days
A figure whose data the report lacks is skipped with a one-line note on stderr. Uses Debian's
python3-matplotlib (scripts/setup.sh installs it); the Agg backend unless MPLBACKEND is set.
"""

import argparse
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plot_common as pc  # noqa: E402


def by_strategy(report):
    """{label: {multiple: result}} in report order: keyed by the strategy's label, so that two
    strategies of one kind (calendar_rebalance every 5 and every 21 days) stay two series."""
    out = {}
    for r in report["results"]:
        out.setdefault(pc.result_label(r), {})[r["multiple"]] = r
    return out


def styles_of(report):
    """{label: (colour, display name)} of the report's strategies."""
    return pc.strategy_styles(pc.label_kinds(report["results"]))


def multiples_of(report):
    seen = []
    for r in report["results"]:
        if r["multiple"] not in seen:
            seen.append(r["multiple"])
    return seen


def horizon_text(report):
    c = report["config"]
    years = c["days"] / c["trading_days_per_year"]
    return f"{c['days']} trading days ({years:.3g} years), {c['paths']:,} paths"


def model_text(report):
    m = report["config"]["model"]
    parts = [f"{k} {v:g}" for k, v in m.items() if k != "type" and isinstance(v, (int, float))]
    parts += [f"{k} {v}" for k, v in m.items() if k != "type" and isinstance(v, str)]
    return f"{m['type']} ({', '.join(parts)})" if parts else m["type"]


def title(fig, report, what):
    """What the figure shows and the scenario, each line wrapped to fit the figure's width."""
    pc.fitted_suptitle(fig, [what, f"scenario {report['scenario']}: {model_text(report)}, "
                                   f"{horizon_text(report)}"])


def quantile_columns(qs):
    """Indices of an outer pair (nearest 0.05/0.95), an inner pair (nearest 0.25/0.75, None when
    the list has no distinct one) and the median (nearest 0.5)."""
    def nearest(target, candidates):
        return min(candidates, key=lambda i: abs(qs[i] - target))

    idx = range(len(qs))
    mid = nearest(0.5, idx)
    lo, hi = nearest(0.05, idx), nearest(0.95, idx)
    below = [i for i in idx if lo < i < mid]
    above = [i for i in idx if mid < i < hi]
    inner = (nearest(0.25, below), nearest(0.75, above)) if below and above else None
    return lo, hi, mid, inner


def target_line(under, multiple):
    """L x index, 1 + L (S_t/S_0 - 1), on the index's median path (from the index's bands): the
    reference a position levered L times would reach with no decay and no costs."""
    qs = under["quantiles"]
    mid = min(range(len(qs)), key=lambda i: abs(qs[i] - 0.5))
    return [None if row[mid] is None else 1 + multiple * (row[mid] - 1)
            for row in under["values"]]


def positive(values):
    """NaN where a value is missing or not positive: a log axis cannot show it (an unrebalanced
    short position or L x index below 0 is clipped, not drawn as a jump)."""
    return [math.nan if v is None or not v > 0 else v for v in values]


def column(bands, j):
    return positive([row[j] for row in bands["values"]])


def draw_fan(ax, years, bands, look, style):
    """style "fill": shaded outer and inner bands and a median line (the daily-reset fund);
    "lines": median and outer edges as lines in the series' own line style (any other)."""
    qs = bands["quantiles"]
    lo, hi, mid, inner = quantile_columns(qs)
    band = f"{qs[lo]:.0%}-{qs[hi]:.0%}"
    color, dash, name = look["color"], look["linestyle"], look["name"]
    if style == "fill":
        ax.fill_between(years, column(bands, lo), column(bands, hi), color=color, alpha=0.18,
                        linewidth=0, label=f"{name}: {band} of paths")
        if inner:
            ax.fill_between(years, column(bands, inner[0]), column(bands, inner[1]), color=color,
                            alpha=0.35, linewidth=0,
                            label=f"{name}: {qs[inner[0]]:.0%}-{qs[inner[1]]:.0%}")
        ax.plot(years, column(bands, mid), color=color, linewidth=1.8, linestyle=dash,
                label=f"{name}: median")
    else:
        ax.plot(years, column(bands, mid), color=color, linewidth=1.4, linestyle=dash,
                label=f"{name}: median, {band} (thin)")
        for j in (lo, hi):
            ax.plot(years, column(bands, j), color=color, linewidth=0.7, linestyle=dash)


def fan_chart(plt, report, args):
    from matplotlib.ticker import MaxNLocator

    under = report["underlying"].get("bands")
    results = by_strategy(report)
    if not under or not all("bands" in r for r in report["results"]):
        pc.note('the report has no "bands" (add "bands": {"every_days": 21} to the scenario); '
                "fan chart skipped")
        return []
    mults = multiples_of(report)
    kinds = pc.label_kinds(report["results"])
    looks = pc.strategy_looks(kinds)
    index_look = pc.strategy_looks({"underlying": "underlying"})["underlying"]
    target = dict(zip(("color", "linestyle", "marker", "name"), pc.STRATEGY_LOOKS["target"]))
    per_year = report["config"]["trading_days_per_year"]
    years = [d / per_year for d in under["days"]]
    fig, axes = pc.subplot_grid(plt, len(mults))
    for ax, m in zip(axes, mults):
        draw_fan(ax, years, under, index_look, "lines")
        for label, kind in kinds.items():
            if kind in ("daily_reset", "unrebalanced") and m in results.get(label, {}):
                draw_fan(ax, years, results[label][m]["bands"], looks[label],
                         "fill" if kind == "daily_reset" else "lines")
        ax.plot(years, positive(target_line(under, m)), color=target["color"],
                linestyle=target["linestyle"], linewidth=1.6,
                label="reference: L x index, 1 + L (S_t/S_0 - 1) on the index's median path "
                      "(clipped where not positive)")
        ax.axhline(1.0, color="black", linewidth=0.6)
        ax.set_yscale("log")
        pc.plain_log_axis(ax.yaxis)
        ax.set_xlim(0, years[-1])
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
        ax.set_title(f"L = {pc.multiple_label(m)}")
        ax.set_xlabel(f"years ({per_year:g} trading days a year)")
        ax.set_ylabel("value of 1 invested, V_t/V_0 (log scale)")
    title(fig, report, "How the value of 1 invested spreads out over time (quantile bands)")
    pc.bottom_legend(fig, axes[0], ncol=2)
    return pc.save(fig, args.out, f"{args.prefix}_fan", args.svg, args.dpi)


def terminal_chart(plt, report, args):
    import numpy as np

    results = by_strategy(report)
    kinds = pc.label_kinds(report["results"])
    plooks = pc.strategy_looks(kinds)
    mults = multiples_of(report)
    have_hist = all("histogram" in r for r in report["results"])
    if not have_hist:
        pc.note('the report has no "histogram" (add "histogram": {"bins": 60, "min": 0.01, '
                '"max": 100} to the scenario); drawing the distribution from its quantiles')
    fig, axes = pc.subplot_grid(plt, len(mults), height=3.5)
    for ax, m in zip(axes, mults):
        span = [math.inf, 0.0]  # x range holding every non-empty bin
        for label, kind in kinds.items():
            r = results.get(label, {}).get(m)
            if r is None or kind not in ("daily_reset", "unrebalanced"):
                continue
            look = plooks[label]
            wiped = r.get("prob_wipeout") or 0.0
            # The wipe-out mass (V_T = 0) cannot sit on a log axis: each panel's legend gives it.
            name = f"{look['name'].split(' (')[0]}: {pc.percent_text(wiped)} wiped out"
            if have_hist:
                h = r["histogram"]
                edges = np.asarray(h["edges"], dtype=float)
                counts = np.asarray(h["counts"], dtype=float)
                total = counts.sum() + h["below"] + h["above"]
                # Share of paths per unit of ln(V_T/V_0): comparable across bin widths.
                density = counts / max(total, 1) / np.diff(np.log(edges))
                outside = max((h["below"] + h["above"]) / max(total, 1) - wiped, 0.0)
                if outside >= 0.001:
                    name += f",\n{pc.percent_text(outside)} beyond the axis"
                ax.stairs(density, edges, color=look["color"], linestyle=look["linestyle"],
                          linewidth=1.3, label=name)
                used = np.nonzero(counts)[0]
                if used.size:
                    span[0] = min(span[0], edges[max(used[0] - 1, 0)])
                    span[1] = max(span[1], edges[min(used[-1] + 2, len(edges) - 1)])
            else:
                pts = [(q["value"], q["q"]) for q in r["terminal"]["quantiles"]
                       if q["value"] is not None and q["value"] > 0]
                if pts:
                    xs, ys = zip(*pts)
                    ax.plot(xs, ys, marker=look["marker"], markersize=3, color=look["color"],
                            linestyle=look["linestyle"], label=name)
        ax.set_xscale("log")
        if span[1] > span[0]:
            ax.set_xlim(span[0], span[1])
        pc.plain_log_axis(ax.xaxis)
        ax.axvline(1.0, color="black", linewidth=0.6)
        ax.set_title(f"L = {pc.multiple_label(m)}")
        ax.set_xlabel("value of 1 invested at the end, V_T/V_0 (log scale)")
        ax.set_ylabel("share of paths\n(per unit of log value)" if have_hist
                      else "share of paths ending at or below x")
        ax.set_ylim(bottom=0)
        top = ax.get_ylim()[1]
        ax.set_ylim(0, 1.45 * top)  # room for the panel's legend above the bars
        ax.legend(loc="upper left", fontsize=7, handlelength=1.8, borderaxespad=0.3)
    title(fig, report, "Distribution of the value of 1 invested at the end (each panel's "
          "legend: the share of paths wiped out, V_T = 0, which a log axis cannot show)")
    fig.tight_layout()
    return pc.save(fig, args.out, f"{args.prefix}_terminal", args.svg, args.dpi)


def decay_chart(plt, report, args):
    results = by_strategy(report)
    plooks = pc.strategy_looks(pc.label_kinds(report["results"]))
    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    # The funds at fixed offsets beside each multiple; any other series spread around them.
    fund_offsets = {"daily_reset": -0.06, "unrebalanced": 0.06}
    offsets = {label: fund_offsets.get(label, -0.18 + 0.36 * i / max(len(results) - 1, 1))
               for i, label in enumerate(results)}
    analytic_drawn = False
    for strategy, rows in results.items():
        xs, ys, es = [], [], []
        for m, r in rows.items():
            d = r["log_decay"]
            if d["mean"] is None:
                continue
            xs.append(m + offsets.get(strategy, 0))
            ys.append(d["mean"])
            es.append(2 * (d["std_error"] or 0))
            a = r["analytic"].get("log_decay_mean")
            if a and a.get("value") is not None:
                ax.plot([m - 0.25, m + 0.25], [a["value"]] * 2, color="black", linewidth=1.4,
                        label=None if analytic_drawn else
                        "analytic (L^2 - L) sigma^2 T/2 + cT (gbm, daily reset)")
                analytic_drawn = True
        look = plooks[strategy]
        ax.errorbar(xs, ys, yerr=es, fmt=look["marker"], capsize=3, markersize=4.5,
                    color=look["color"], label=f"{look['name']} (+/- 2 s.e.)")
    ax.axhline(0.0, color="black", linewidth=0.6)
    mults = multiples_of(report)
    ax.set_xticks(mults, [pc.multiple_label(m) for m in mults])
    ax.set_xlabel("multiple L")
    ax.set_ylabel("mean log decay L ln(S_T/S_0) - ln(V_T/V_0)\n(natural-log units over the horizon)")
    ax.legend(loc="best")
    title(fig, report, "Volatility decay: how far the fund trails L x the index's log return")
    fig.tight_layout()
    return pc.save(fig, args.out, f"{args.prefix}_decay", args.svg, args.dpi)


def underperform_chart(plt, report, args):
    import numpy as np

    results = by_strategy(report)
    looks = styles_of(report)
    mults = multiples_of(report)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    panels = [("prob_underperform_target", "underperform_target",
               "P(V_T/V_0 < 1 + L (S_T/S_0 - 1)): below L x the index return"),
              ("prob_loss", "loss", "P(V_T/V_0 < 1): a loss")]
    strategies = list(results)
    width = 0.8 / max(len(strategies), 1)
    x = np.arange(len(mults))
    for ax, (key, se_key, label) in zip(axes, panels):
        for i, strategy in enumerate(strategies):
            ps, es = [], []
            for m in mults:
                r = results[strategy].get(m, {})
                p = r.get(key)
                ps.append(math.nan if p is None else p)
                se = r.get("prob_std_error", {}).get(se_key)
                es.append(0 if se is None else 2 * se)
            ax.bar(x + (i - (len(strategies) - 1) / 2) * width, ps, width, yerr=es, capsize=2,
                   color=looks[strategy][0], label=looks[strategy][1])
        under = report["underlying"].get("prob_loss")
        if key == "prob_loss" and under is not None:
            ax.axhline(under, color="black", linewidth=0.8, linestyle="--",
                       label=f"index itself ({under:.1%})")
        ax.set_xticks(x, [pc.multiple_label(m) for m in mults])
        ax.set_ylim(0, 1)
        ax.set_xlabel("multiple L")
        ax.set_ylabel("probability (share of paths, +/- 2 s.e.)")
        ax.set_title(label)
        ax.legend(loc="upper right")
    title(fig, report, "How often the position trails its target, and how often it loses")
    fig.tight_layout()
    return pc.save(fig, args.out, f"{args.prefix}_underperform", args.svg, args.dpi)


MEAN_STYLE = {"marker": "D", "markerfacecolor": "white", "markeredgecolor": "black",
              "markersize": 3.5, "linestyle": "none"}
THEORY_STYLE = {"marker": "<", "color": "#c00000", "markersize": 5, "linestyle": "none"}


def have_block(report, key, figure):
    """Whether every series of the report has `key` (reports before issue 13 lack the investor
    metrics); notes the skipped figure otherwise."""
    series = [report["underlying"]] + report["results"]
    if all(key in r for r in series):
        return True
    pc.note(f'the report has no "{key}" (written by a letfsim before the investor metrics); '
            f"{figure} skipped")
    return False


def quantile_boxes(ax, report, key, scale=1.0):
    """Box-like glyphs of the metric block `key` for every strategy (offset side by side) at every
    multiple: box between the levels nearest 25 % and 75 %, whiskers at the outermost reported
    levels, median as a black line, mean as a diamond; a median tick alone where the block has too
    few levels. Values are multiplied by `scale`. Returns the box levels (or None) and the x
    positions of each drawn glyph as {(label, multiple): x}."""
    results = by_strategy(report)
    looks = styles_of(report)
    mults = multiples_of(report)
    labels = list(results)
    width = 0.8 / max(len(labels), 1)
    levels, where = None, {}
    for i, label in enumerate(labels):
        color, name = looks[label]
        for j, m in enumerate(mults):
            r = results[label].get(m)
            if r is None:
                continue
            x = j + (i - (len(labels) - 1) / 2) * width
            block = r.get(key) or {}
            stats = pc.quantile_stats(block)
            if stats is not None:
                levels = stats.pop("levels")
                for k in ("whislo", "q1", "med", "q3", "whishi"):
                    stats[k] *= scale
                stats["mean"] = None if stats["mean"] is None else stats["mean"] * scale
                ax.bxp([stats], positions=[x], widths=0.8 * width, patch_artist=True,
                       showmeans=stats["mean"] is not None, showfliers=False, manage_ticks=False,
                       meanprops=MEAN_STYLE,
                       boxprops={"facecolor": color, "alpha": 0.55, "edgecolor": color},
                       whiskerprops={"color": color}, capprops={"color": color},
                       medianprops={"color": "black", "linewidth": 1.4})
            elif block.get("median") is not None:
                ax.hlines(block["median"] * scale, x - 0.4 * width, x + 0.4 * width,
                          color=color, linewidth=2)
            else:
                continue
            where[(label, m)] = x
    ax.set_xticks(range(len(mults)), [pc.multiple_label(m) for m in mults])
    ax.set_xlim(-0.6, len(mults) - 0.4)
    ax.grid(False, axis="x")
    ax.set_xlabel("multiple L")
    return levels, where


def box_legend(fig, report, levels, extra_handles=(), extra_labels=()):
    """Below the plot: the strategies' colours, what a box and its whiskers span, median, mean."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    looks = styles_of(report)
    handles = [Patch(facecolor=c, edgecolor=c, alpha=0.55) for c, _ in looks.values()]
    labels = [name for _, name in looks.values()]
    handles += [Line2D([], [], color="black", linewidth=1.4), Line2D([], [], **MEAN_STYLE)]
    labels += ["median", "mean"]
    if levels:
        pct = [f"{100 * q:g}" for q in levels]
        handles += [Patch(facecolor="0.75", edgecolor="0.4"), Line2D([], [], color="0.4")]
        labels += [f"box: {pct[1]}-{pct[2]} % of paths", f"whiskers: {pct[0]}-{pct[3]} %"]
    handles += list(extra_handles)
    labels += list(extra_labels)
    pc.figure_legend(fig, handles, labels, ncol=min(len(labels), 4))


def cagr_chart(plt, report, args):
    from matplotlib.lines import Line2D
    from matplotlib.ticker import PercentFormatter

    if not have_block(report, "cagr", "CAGR distribution"):
        return []
    mults = multiples_of(report)
    fig, ax = plt.subplots(figsize=(max(7.5, 1.1 * len(mults) + 3.5), 5.2))
    levels, where = quantile_boxes(ax, report, "cagr")
    extra_h, extra_l = [], []
    under = report["underlying"]["cagr"]
    if under.get("median") is not None:
        ax.axhline(under["median"], color="black", linewidth=0.9, linestyle="--")
        extra_h.append(Line2D([], [], color="black", linewidth=0.9, linestyle="--"))
        extra_l.append(f"index itself: median CAGR {under['median']:.1%}")
    theory = False
    results = by_strategy(report)
    half = 0.4 * 0.8 / max(len(results), 1)  # half a box's width
    for (label, m), x in where.items():
        a = results[label][m].get("analytic", {}).get("median_cagr")
        if a and a.get("value") is not None:  # a pointer just right of the box, at the value
            ax.plot([x + half + 0.025], [a["value"]], **THEORY_STYLE)
            theory = True
    if theory:
        extra_h.append(Line2D([], [], **THEORY_STYLE))
        extra_l.append("theory: median CAGR exp(median ln(V_T/V_0) / T) - 1")
    ax.axhline(0.0, color="black", linewidth=0.6)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    years = report["config"]["days"] / report["config"]["trading_days_per_year"]
    ax.set_ylabel(f"CAGR (V_T/V_0)^(1/T) - 1 per path, T = {years:.3g} years\n"
                  "(% a year; a wiped-out path counts as -100 %)")
    title(fig, report, "Distribution of the compound annual growth rate (CAGR) per strategy "
          "and multiple")
    box_legend(fig, report, levels, extra_h, extra_l)
    return pc.save(fig, args.out, f"{args.prefix}_cagr", args.svg, args.dpi)


def survival_curve(block, key):
    """(days, probabilities) of one survival curve, starting at day 0 with probability 0 (no
    position starts below its start value); a null probability is drawn as a gap."""
    days = [0] + list(block["days"])
    ps = [0.0] + [math.nan if p is None else p for p in block[key]]
    return days, ps


def multiple_colors(plt, mults):
    """{multiple: colour} on coolwarm by the multiple's value, blue for short and red for long,
    darker for larger |L|, skipping the map's pale middle so that every line stays visible."""
    cmap = plt.get_cmap("coolwarm")
    top = max((abs(m) for m in mults), default=1.0) or 1.0
    return {m: cmap(0.5 + math.copysign(0.5 * (0.3 + 0.7 * abs(m) / top), m)) for m in mults}


def survival_looks(plt, report):
    """{(label, multiple): (colour, line style)} and the legend's (handles, labels): colour tells
    apart the more numerous of strategies and multiples (the strategies' own colours, or coolwarm
    by multiple), line style the other."""
    from matplotlib.lines import Line2D

    results = by_strategy(report)
    looks = styles_of(report)
    mults = sorted(multiples_of(report))
    dashes = ["-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3))]
    if len(results) > len(mults):
        colour = {label: looks[label][0] for label in results}
        dash = {m: dashes[i % len(dashes)] for i, m in enumerate(mults)}
        pick = {(label, m): (colour[label], dash[m]) for label in results for m in mults}
        handles = [Line2D([], [], color=colour[label], linewidth=2) for label in results]
        labels = [looks[label][1] for label in results]
        handles += [Line2D([], [], color="0.3", linestyle=dash[m]) for m in mults]
        labels += [f"L = {pc.multiple_label(m)}" for m in mults]
    else:
        colour = multiple_colors(plt, mults)
        kinds = pc.strategy_looks(pc.label_kinds(report["results"]))
        dash = {label: kinds[label]["linestyle"] for label in results}  # the kind's own
        pick = {(label, m): (colour[m], dash[label]) for label in results for m in mults}
        handles = [Line2D([], [], color=colour[m], linewidth=2) for m in mults]
        labels = [f"L = {pc.multiple_label(m)}" for m in mults]
        handles += [Line2D([], [], color="0.3", linestyle=dash[label]) for label in results]
        labels += [looks[label][1] for label in results]
    handles.append(Line2D([], [], **INDEX_LINE))
    labels.append("index itself")
    return pick, handles, labels


INDEX_LINE = {"color": pc.STRATEGY_LOOKS["underlying"][0], "linewidth": 0.9,
              "linestyle": pc.STRATEGY_LOOKS["underlying"][1]}


def survival_chart(plt, report, args):
    from matplotlib.ticker import FuncFormatter

    if not have_block(report, "survival", "survival curve"):
        return []
    results = by_strategy(report)
    pick, handles, labels = survival_looks(plt, report)
    c = report["config"]
    fig, axes = plt.subplots(1, 2, figsize=(11.5, 4.8))
    panels = [("wiped_out", "P(wiped out by day t): V reaches 0", "was wiped out"),
              ("lost_50pct", "P(-50 % by day t): V_t/V_0 < 0.5 at some close up to t",
               "lost half")]
    for ax, (key, what, event) in zip(axes, panels):
        values = []
        for label, rows in results.items():
            for m, r in rows.items():
                days, ps = survival_curve(r["survival"], key)
                color, dash = pick[(label, m)]
                ax.plot(days, ps, color=color, linestyle=dash, linewidth=1.3,
                        marker="o" if len(days) <= 25 else None, markersize=2.2)
                values += [p for p in ps if not math.isnan(p)]
        days, ps = survival_curve(report["underlying"]["survival"], key)
        ax.plot(days, ps, **INDEX_LINE)
        values += [p for p in ps if not math.isnan(p)]
        pc.probability_yaxis(ax, values, 1.0 / c["paths"])
        ax.yaxis.set_major_formatter(FuncFormatter(
            lambda v, _pos: f"{100 * v:.3g} %" if v >= 0.1 else pc.percent_text(v)))
        if not any(v > 0 for v in values):
            ax.text(0.5, 0.5, f"no position {event} on any of the {c['paths']:,} paths",
                    transform=ax.transAxes, ha="center", va="center", fontsize=9,
                    bbox={"facecolor": "white", "edgecolor": "0.7"})
        ax.set_xlim(0, c["days"])
        ax.set_xlabel(f"trading day t ({c['trading_days_per_year']:g} a year)")
        ax.set_ylabel("probability (exact share of paths, %)")
        ax.set_title(what)
    title(fig, report, "Survival: how likely each position is to have been wiped out, or to "
          "have halved, by each day")
    pc.figure_legend(fig, handles, labels, ncol=min(len(labels), 5))
    return pc.save(fig, args.out, f"{args.prefix}_survival", args.svg, args.dpi)


def under_water_chart(plt, report, args):
    from matplotlib.lines import Line2D

    if not have_block(report, "under_water_days", "under-water time distribution"):
        return []
    c = report["config"]
    per_year = c["trading_days_per_year"]
    mults = multiples_of(report)
    fig, ax = plt.subplots(figsize=(max(7.5, 1.1 * len(mults) + 3.5), 5.2))
    levels, _ = quantile_boxes(ax, report, "under_water_days")
    ax.axhline(c["days"], color="0.4", linewidth=0.8, linestyle=":")
    extra_h = [Line2D([], [], color="0.4", linewidth=0.8, linestyle=":")]
    extra_l = [f"the horizon ({c['days']} days): under water from a peak to the end"]
    under = report["underlying"]["under_water_days"]
    if under.get("median") is not None:
        ax.axhline(under["median"], color="black", linewidth=0.9, linestyle="--")
        extra_h.append(Line2D([], [], color="black", linewidth=0.9, linestyle="--"))
        extra_l.append(f"index itself: median {under['median']:g} days")
    ax.set_ylim(0, 1.04 * c["days"])
    ax.set_ylabel("longest time under water per path (trading days)\n"
                  "from a peak to the next new peak, or to the horizon")
    right = ax.secondary_yaxis("right", functions=(lambda d: d / per_year,
                                                   lambda y: y * per_year))
    right.set_ylabel(f"years ({per_year:g} trading days a year)")
    title(fig, report, "Distribution of the longest time under water (below a previous peak)")
    box_legend(fig, report, levels, extra_h, extra_l)
    return pc.save(fig, args.out, f"{args.prefix}_under_water", args.svg, args.dpi)


# The file name of each chart.
CHART_NAMES = ("fan", "terminal", "decay", "underperform", "cagr", "survival", "under_water")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n", 2)[2])
    p.add_argument("report", help="report JSON written by letfsim run")
    p.add_argument("-o", "--out", required=True, help="output folder (created if missing)")
    p.add_argument("--svg", action="store_true", help="also write SVG files")
    p.add_argument("--dpi", type=int, default=110, help="PNG resolution (default 110)")
    p.add_argument("--prefix", help="file name prefix (default: the scenario name)")
    args = p.parse_args(argv)
    pc.check_out_dir(args.out)
    try:
        with open(args.report, encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"plot_run.py: {args.report}: cannot read the report: {e}")
    if report.get("schema_version") != 1 or "results" not in report:
        sys.exit(f"plot_run.py: {args.report}: not a letfsim report (schema_version 1)")
    args.prefix = args.prefix or report["scenario"]
    pc.check_targets(args.out, [f"{args.prefix}_{kind}" for kind in CHART_NAMES], args.svg)
    plt = pc.import_pyplot()
    written = []
    for chart in (fan_chart, terminal_chart, decay_chart, underperform_chart, cagr_chart,
                  survival_chart, under_water_chart):
        written += chart(plt, report, args)
    return 0 if written else 1


if __name__ == "__main__":
    sys.exit(main())
