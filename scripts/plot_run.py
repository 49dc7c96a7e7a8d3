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
    fig.suptitle(
        f"{what}\nscenario {report['scenario']}: {model_text(report)}, {horizon_text(report)}",
        fontsize=10,
    )


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


def target_bands(under, multiple):
    """Quantile bands of L x index, 1 + L (S_t/S_0 - 1), from the index's bands: a monotone map,
    decreasing for L < 0, so level q comes from the index's level 1 - q (when listed)."""
    qs = under["quantiles"]
    values = []
    for row in under["values"]:
        out = []
        for j, q in enumerate(qs):
            if multiple >= 0:
                s = row[j]
            else:
                k = next((i for i, p in enumerate(qs) if abs(p - (1 - q)) < 1e-12), None)
                s = row[k] if k is not None else None
            out.append(None if s is None else 1 + multiple * (s - 1))
        values.append(out)
    return {"days": under["days"], "quantiles": qs, "values": values}


def column(bands, j):
    return [math.nan if row[j] is None else row[j] for row in bands["values"]]


def draw_fan(ax, bands, color, label, style):
    """style "fill": shaded outer and inner bands; "lines": median and outer edges as lines."""
    qs = bands["quantiles"]
    days = bands["days"]
    lo, hi, mid, inner = quantile_columns(qs)
    band = f"{qs[lo]:.0%}-{qs[hi]:.0%}"
    if style == "fill":
        ax.fill_between(days, column(bands, lo), column(bands, hi), color=color, alpha=0.18,
                        linewidth=0, label=f"{label}: {band}")
        if inner:
            ax.fill_between(days, column(bands, inner[0]), column(bands, inner[1]), color=color,
                            alpha=0.35, linewidth=0,
                            label=f"{label}: {qs[inner[0]]:.0%}-{qs[inner[1]]:.0%}")
        ax.plot(days, column(bands, mid), color=color, linewidth=1.8, label=f"{label}: median")
    else:
        dash = "--" if style == "lines" else ":"
        ax.plot(days, column(bands, mid), color=color, linewidth=1.3, linestyle=dash,
                label=f"{label}: median, {band} (thin)")
        for j in (lo, hi):
            ax.plot(days, column(bands, j), color=color, linewidth=0.8, linestyle=dash)


def fan_chart(plt, report, args):
    under = report["underlying"].get("bands")
    results = by_strategy(report)
    if not under or not all("bands" in r for r in report["results"]):
        pc.note('the report has no "bands" (add "bands": {"every_days": 21} to the scenario); '
                "fan chart skipped")
        return []
    mults = multiples_of(report)
    kinds = pc.label_kinds(report["results"])
    looks = styles_of(report)
    fig, axes = pc.subplot_grid(plt, len(mults))
    for ax, m in zip(axes, mults):
        styles = {"daily_reset": "fill", "unrebalanced": "lines"}
        for label, kind in kinds.items():
            if kind in styles and m in results.get(label, {}):
                draw_fan(ax, results[label][m]["bands"], looks[label][0], looks[label][1],
                         styles[kind])
        draw_fan(ax, target_bands(under, m), pc.STRATEGY_COLORS["target"],
                 "L x index return", "dotted")
        ax.axhline(1.0, color="black", linewidth=0.6)
        ax.set_title(f"L = {pc.multiple_label(m)}")
        ax.set_xlabel("trading day t")
        ax.set_ylabel("value V_t/V_0 (start = 1)")
    title(fig, report, "How the value of 1 invested spreads out over time")
    pc.bottom_legend(fig, axes[0], ncol=3)
    return pc.save(fig, args.out, f"{args.prefix}_fan", args.svg, args.dpi)


def terminal_chart(plt, report, args):
    import numpy as np

    results = by_strategy(report)
    kinds = pc.label_kinds(report["results"])
    looks = styles_of(report)
    mults = multiples_of(report)
    have_hist = all("histogram" in r for r in report["results"])
    if not have_hist:
        pc.note('the report has no "histogram" (add "histogram": {"bins": 60, "min": 0.01, '
                '"max": 100} to the scenario); drawing the distribution from its quantiles')
    fig, axes = pc.subplot_grid(plt, len(mults))
    for ax, m in zip(axes, mults):
        span = [math.inf, 0.0]  # x range holding every non-empty bin
        for label, kind in kinds.items():
            r = results.get(label, {}).get(m)
            if r is None or kind not in ("daily_reset", "unrebalanced"):
                continue
            color, name = looks[label]
            if have_hist:
                h = r["histogram"]
                edges = np.asarray(h["edges"], dtype=float)
                counts = np.asarray(h["counts"], dtype=float)
                total = counts.sum() + h["below"] + h["above"]
                # Share of paths per unit of ln(V_T/V_0): comparable across bin widths.
                density = counts / max(total, 1) / np.diff(np.log(edges))
                outside = (h["below"] + h["above"]) / max(total, 1)
                ax.stairs(density, edges, color=color, linewidth=1.3,
                          label=f"{name} ({outside:.1%} outside the axis)")
                used = np.nonzero(counts)[0]
                if used.size:
                    span[0] = min(span[0], edges[max(used[0] - 1, 0)])
                    span[1] = max(span[1], edges[min(used[-1] + 2, len(edges) - 1)])
            else:
                pts = [(q["value"], q["q"]) for q in r["terminal"]["quantiles"]
                       if q["value"] is not None and q["value"] > 0]
                if pts:
                    xs, ys = zip(*pts)
                    ax.plot(xs, ys, marker="o", markersize=3, color=color, label=name)
        ax.set_xscale("log")
        if span[1] > span[0]:
            ax.set_xlim(span[0], span[1])
        pc.plain_log_axis(ax.xaxis)
        ax.axvline(1.0, color="black", linewidth=0.6)
        ax.set_title(f"L = {pc.multiple_label(m)}")
        ax.set_xlabel("terminal value V_T/V_0 (log scale)")
        ax.set_ylabel("share of paths per unit of ln V_T" if have_hist
                      else "P(V_T/V_0 <= x), from reported quantiles")
    wiped = any((r.get("prob_wipeout") or 0) > 0 for r in report["results"])
    title(fig, report, "Distribution of the terminal value of 1 invested"
          + (" (wiped-out paths, V_T = 0, are off the log axis)" if wiped else ""))
    pc.bottom_legend(fig, axes[0], ncol=2)
    return pc.save(fig, args.out, f"{args.prefix}_terminal", args.svg, args.dpi)


def decay_chart(plt, report, args):
    results = by_strategy(report)
    looks = styles_of(report)
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
        color, name = looks[strategy]
        ax.errorbar(xs, ys, yerr=es, fmt="o", capsize=3, markersize=4, color=color,
                    label=f"{name} (+/- 2 s.e.)")
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


CHART_NAMES = ("fan", "terminal", "decay", "underperform")  # the file name of each chart


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
    for chart in (fan_chart, terminal_chart, decay_chart, underperform_chart):
        written += chart(plt, report, args)
    return 0 if written else 1


if __name__ == "__main__":
    sys.exit(main())
