"""Helpers shared by plot_run.py and plot_study.py: matplotlib set-up, labels with units, saving.

Debian's python3-matplotlib (installed by scripts/setup.sh) is the only dependency besides numpy.
"""

import itertools
import json
import math
import os
import sys


def import_pyplot():
    """pyplot with the Agg backend unless MPLBACKEND says otherwise; a clear message if missing."""
    try:
        import matplotlib
    except ImportError:
        sys.exit(
            f"{os.path.basename(sys.argv[0])}: needs matplotlib (Debian package python3-matplotlib; "
            "scripts/setup.sh installs it, run the script with /usr/bin/python3)"
        )
    if not os.environ.get("MPLBACKEND"):
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "figure.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 9,
            "axes.titlesize": 10,
            "legend.fontsize": 8,
            "legend.framealpha": 0.85,
        }
    )
    return plt


# One table for every strategy kind (the scenario schema's strategy types) and the two reference
# series: (colour, line style, marker, display name). Colours and line styles are all distinct,
# so a kind is told apart in colour and in black and white; every figure takes its look here.
STRATEGY_LOOKS = {
    "daily_reset": ("#1f6fb4", "-", "o", "daily-reset fund"),
    "unrebalanced": ("#e07b1a", "--", "s", "unrebalanced (levered once)"),
    "calendar_rebalance": ("#2ca02c", "-.", "^", "calendar rebalance"),
    "band_rebalance": ("#9467bd", (0, (6, 2, 1, 2, 1, 2)), "v", "band rebalance"),
    "target_leverage": ("#8c564b", (0, (8, 3)), "D", "target leverage"),
    "sma_rotation": ("#17becf", (0, (3, 1, 1, 1)), "P", "SMA rotation"),
    "vol_target": ("#d62728", (0, (1, 1)), "X", "volatility target"),
    "drawdown_derisk": ("#bcbd22", (0, (4, 1, 4, 1, 1, 1)), "h", "drawdown de-risk"),
    "portfolio": ("#393b79", (0, (2, 2, 6, 2)), "p", "portfolio"),
    "underlying": ("#000000", (0, (5, 2)), "*", "index"),
    "target": ("#a2127f", ":", None, "L x index return"),
}
STRATEGY_COLORS = {kind: look[0] for kind, look in STRATEGY_LOOKS.items()}
STRATEGY_NAMES = {kind: look[3] for kind, look in STRATEGY_LOOKS.items()}
STRATEGY_NAMES["index"] = STRATEGY_NAMES["underlying"]

INVESTOR_KINDS = ("calendar_rebalance", "band_rebalance", "target_leverage")

# Colours for strategies beyond the first of each kind (two calendar_rebalance strategies): none
# of them a kind's colour.
EXTRA_COLORS = ["#e377c2", "#7f7f7f", "#ff9896", "#98df8a", "#c5b0d5", "#c49c94", "#9edae5"]


def kind_of(label):
    """The strategy kind of a label (calendar_rebalance(every_days=21) -> calendar_rebalance)."""
    return label.split("(", 1)[0]


def strategy_label(kind, parameters=None):
    """The strategy's label as letfsim writes it (label() of each strategy in the C++
    strategies/ folder), for reports written before results carried a "label": the kind, then
    its distinguishing parameters, e.g. calendar_rebalance(every_days=21),
    band_rebalance(band=0.1), target_leverage(every_days=21,band=0.5)."""
    def num(x):  # the shortest round-trip form, as fmt's "{}" writes it: 5, 0.1, 1e-05
        text = repr(float(x))
        return text[:-2] if text.endswith(".0") else text

    p = parameters or {}
    params = []
    every = p.get("every_days")
    if every is not None and not (kind == "band_rebalance" and every == 1):
        params.append(f"every_days={every}")
    for key in ("band", "maintenance_margin"):
        if p.get(key) is not None:
            params.append(f"{key}={num(p[key])}")
    if p.get("transaction_cost_bps"):
        params.append(f"transaction_cost_bps={num(p['transaction_cost_bps'])}")
    return f"{kind}({','.join(params)})" if params else kind


def result_label(result):
    """A report result's or summary row's identity: its "label" when present, else derived from
    "strategy" and "parameters" like letfsim's. Results are keyed by it, never by the kind alone
    (two calendar_rebalance strategies are two series)."""
    return result.get("label") or strategy_label(result["strategy"], result.get("parameters"))


def label_kinds(results):
    """{label: kind} in first-seen order."""
    out = {}
    for r in results:
        out.setdefault(result_label(r), r["strategy"])
    return out


def strategy_looks(label_kind):
    """{label: {"color", "linestyle", "marker", "name"}}: the first label of a kind takes the
    kind's look and name (STRATEGY_LOOKS), every other label of that kind the kind's line style
    and marker with a colour of its own, named by the label itself."""
    looks, used, extra = {}, set(), itertools.cycle(EXTRA_COLORS)
    for label, kind in label_kind.items():
        color, dash, marker, name = STRATEGY_LOOKS.get(kind, (None, "-", "o", kind))
        if kind in used or color is None:
            color, name = next(extra), label
        else:
            used.add(kind)
            name = name if label == kind else f"{name} {label}"
        looks[label] = {"color": color, "linestyle": dash, "marker": marker, "name": name}
    return looks


def strategy_styles(label_kind):
    """{label: (colour, display name)} of strategy_looks."""
    return {label: (look["color"], look["name"])
            for label, look in strategy_looks(label_kind).items()}


# The summary columns' descriptions as letfsim writes them in study.json's "metrics" block, for a
# study.csv read alone; any other column is described by metric_description's rules or its name.
METRIC_DESCRIPTIONS = {
    "mean": "mean terminal value V_T/V_0",
    "median": "median terminal value V_T/V_0",
    "prob_loss": "P(loss): share of paths with V_T < V_0",
    "prob_underperform_target": "P(underperform): share of paths below 1 + L (S_T/S_0 - 1)",
    "prob_wipeout": "P(wipe-out): share of paths with V_T = 0",
    "log_decay_mean": "mean log decay L ln(S_T/S_0) - ln(V_T/V_0)",
    "log_decay_analytic": "analytic log decay (L^2 - L) sigma^2 T/2 + cT",
    "max_drawdown_mean": "mean maximum drawdown (fraction of the peak)",
    "mean_std_error": "standard error of the mean terminal value",
    "mean_analytic": "exact mean terminal value (unrebalanced: without wipe-out)",
    "std": "standard deviation of V_T/V_0",
    "log_return_mean": "mean log return ln(V_T/V_0)",
    "log_decay_median": "median log decay L ln(S_T/S_0) - ln(V_T/V_0)",
    "log_decay_std_error": "standard error of the mean log decay",
    "max_drawdown_median": "median maximum drawdown (fraction of the peak)",
    "cagr_median": "median CAGR (V_T/V_0)^(1/T) - 1",
    "cagr_mean": "mean CAGR (V_T/V_0)^(1/T) - 1",
    "prob_beat_index": "P(V_T > S_T/S_0): ahead of the 1x index",
    "prob_end_under_water": "P(V_T below its running peak)",
    "prob_wiped_out": "P(wiped_out at some close by the horizon)",
    "prob_lost_50pct": "P(lost_50pct at some close by the horizon)",
    "prob_lost_80pct": "P(lost_80pct at some close by the horizon)",
    "prob_lost_90pct": "P(lost_90pct at some close by the horizon)",
}


def metric_description(name):
    """A study.csv column's description: METRIC_DESCRIPTIONS, a quantile column pNN (the NNth
    percentile of V_T/V_0), or the name itself."""
    if name in METRIC_DESCRIPTIONS:
        return METRIC_DESCRIPTIONS[name]
    if name.startswith("p") and name[1:].replace(".", "", 1).isdigit():
        x = float(name[1:])
        suffix = "th"
        if x == int(x) and int(x) % 100 not in (11, 12, 13):
            suffix = {1: "st", 2: "nd", 3: "rd"}.get(int(x) % 10, "th")
        return f"{x:g}{suffix} percentile of V_T/V_0"
    return name


def metric_labels(study_doc):
    """{metric name: description} from study.json's "metrics" block (the summary columns in CSV
    order, as letfsim defines them); empty for a study.json written before it had one."""
    return {m["name"]: m["description"] for m in study_doc.get("metrics", [])}


AXIS_LABELS = {
    "/model/sigma": "sigma: index volatility (annualised)",
    "/model/mu": "mu: index drift (annualised)",
    "/days": "holding period (trading days)",
    "/costs/financing_rate": "financing rate (annual)",
    "/costs/expense_ratio": "expense ratio (annual)",
    "/model": "index model",
    "/paths": "paths",
}


def axis_label(pointer):
    return AXIS_LABELS.get(pointer, pointer)


def multiple_label(m):
    return f"{m:g}x"


def check_out_dir(out_dir):
    """Exits 2 with one line unless out_dir is a folder or does not exist yet (checked before any
    figure is drawn)."""
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        fail(f"{out_dir}: cannot write figures there: it exists and is not a folder")


def fail(message):
    """One line on stderr and exit code 2 (bad input), like letfsim."""
    print(f"{os.path.basename(sys.argv[0])}: {message}", file=sys.stderr)
    sys.exit(2)


def _check_target(path):
    if os.path.exists(path) and not os.path.isfile(path):
        fail(f"{path}: cannot write a figure there: it exists and is not a regular file")


def check_targets(out_dir, names, svg):
    """Exits 2 with one line when a figure's file (out_dir/name.png, .svg) exists and is not a
    regular file: for scripts that know their file names before drawing anything."""
    for name in names:
        for ext in ["png"] + (["svg"] if svg else []):
            _check_target(os.path.join(out_dir, f"{name}.{ext}"))


def save(fig, out_dir, name, svg, dpi):
    """Writes out_dir/name.png (and .svg) atomically, closes the figure, returns the paths.

    As letfsim's reports: a target that exists and is not a regular file is refused (exit 2); the
    figure goes to a temporary `.<name>.letfsim-tmp.<pid>.<k>` beside it, fsynced, with the
    permission bits of the file it replaces, then renamed over it (a symlink is written through)."""
    import matplotlib.pyplot as plt

    _dump_series(fig, name)
    os.makedirs(out_dir, exist_ok=True)
    paths = [os.path.join(out_dir, f"{name}.{ext}") for ext in ["png"] + (["svg"] if svg else [])]
    for path in paths:
        _check_target(path)
    for k, path in enumerate(paths):
        real = os.path.realpath(path)
        tmp = os.path.join(os.path.dirname(real),
                           f".{os.path.basename(real)}.letfsim-tmp.{os.getpid()}.{k}")
        ext = os.path.splitext(path)[1][1:]
        try:
            fig.savefig(tmp, format=ext, dpi=dpi, bbox_inches="tight", metadata=_metadata(ext))
            if os.path.exists(real):
                os.chmod(tmp, os.stat(real).st_mode & 0o7777)
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, real)
            dir_fd = os.open(os.path.dirname(real) or ".", os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
        print(path)
    plt.close(fig)
    return paths


def _dump_series(fig, name):
    """With LETF_PLOT_SERIES=FILE: appends one JSON line per figure, {"figure", "titles",
    "series"} (panel titles and legend labels), so tests can check what was drawn."""
    path = os.environ.get("LETF_PLOT_SERIES")
    if not path:
        return
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible() and ax.get_title()]
    series = []
    for ax in fig.axes:
        series += [lab for lab in ax.get_legend_handles_labels()[1] if not lab.startswith("_")]
    for legend in fig.legends:
        series += [t.get_text() for t in legend.get_texts()]
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps({"figure": name, "titles": titles, "series": series}) + "\n")


def _metadata(ext):
    # No creation date or software version: the same inputs give the same files.
    if ext == "png":
        return {"Software": None}
    if ext == "svg":
        return {"Date": None, "Creator": None}
    return {}


def fitted_suptitle(fig, lines, width=None, fontsize=10):
    """The figure's title from `lines`, each wrapped at the characters a line of `width` inches
    (default the figure's width) holds at `fontsize`, so that no title runs off the figure."""
    import textwrap

    inches = width or fig.get_size_inches()[0]
    chars = max(30, int(inches * 72 / (0.55 * fontsize)))
    wrapped = []
    for line in lines:
        for part in line.split("\n"):
            wrapped += textwrap.wrap(part, chars) or [""]
    fig.suptitle("\n".join(wrapped), fontsize=fontsize)


def wrapped(text, chars=48):
    """An axis label wrapped at `chars` characters, so that it stays within its axes."""
    import textwrap

    return "\n".join(textwrap.wrap(text, chars)) or text


def note(message):
    """A one-line note on stderr about a figure that was skipped or simplified."""
    print(f"{os.path.basename(sys.argv[0])}: note: {message}", file=sys.stderr)


def subplot_grid(plt, count, width=4.2, height=3.2, max_cols=3):
    cols = min(count, max_cols)
    rows = (count + cols - 1) // cols
    fig, axes = plt.subplots(
        rows, cols, figsize=(width * cols, height * rows + 0.6), squeeze=False
    )
    flat = [ax for row in axes for ax in row]
    for ax in flat[count:]:
        ax.set_visible(False)
    return fig, flat[:count]


def plain_log_axis(axis):
    """Log-scale tick labels as plain numbers (0.5, 1, 2, 5) instead of powers of ten."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    lo, hi = sorted(axis.get_view_interval())
    decades = math.log10(hi / lo) if lo > 0 and hi > 0 else 10
    subs = (1.0, 2.0, 5.0) if decades < 2.5 else (1.0,) if decades > 5 else (1.0, 3.0)
    axis.set_major_locator(LogLocator(base=10, subs=subs))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    axis.set_minor_formatter(NullFormatter())


def bottom_legend(fig, ax, ncol=3):
    """One legend for the whole figure, below the panels (taken from `ax`), then tight layout."""
    handles, labels = ax.get_legend_handles_labels()
    figure_legend(fig, handles, labels, ncol)


def figure_legend(fig, handles, labels, ncol=3):
    """A legend of these handles below the panels, after a tight layout that leaves it room (or
    with that room kept free by the figure's constrained layout, when it has one)."""
    rows = (len(labels) + ncol - 1) // ncol
    height = fig.get_size_inches()[1]
    bottom = (0.17 * rows + 0.12) / height
    engine = fig.get_layout_engine() if hasattr(fig, "get_layout_engine") else None
    if type(engine).__name__ == "ConstrainedLayoutEngine":
        engine.set(rect=(0, bottom, 1, 1 - bottom))  # left, bottom, width, height
    else:
        fig.tight_layout(rect=(0, bottom, 1, 1))  # left, bottom, right, top
    fig.legend(handles, labels, loc="lower center", ncol=ncol, frameon=False)


def label_colors(plt, count):
    """`count` distinct colours, one per category (tab10, tab20 beyond ten)."""
    cmap = plt.get_cmap("tab10" if count <= 10 else "tab20")
    return [cmap(i % cmap.N) for i in range(count)]


def horizon_text(days, trading_days_per_year=252):
    """'1 year', '2.5 years' or '63 trading days': the holding period in plain words."""
    years = days / trading_days_per_year
    if abs(years - round(years)) < 1e-9 and years >= 1:
        return "1 year" if round(years) == 1 else f"{years:g} years"
    return f"{days:g} trading days"


def quantile_stats(block):
    """Box statistics from a report's metric block ({"mean", "median", "quantiles": [{"q",
    "value"}]}): {"q1", "q3", "whislo", "whishi", "med", "mean", "levels"} with the box at the
    levels nearest 0.25 and 0.75 and the whiskers at the outermost levels; None without at least
    two levels on each side of the median."""
    levels = {round(q["q"], 9): q["value"] for q in block.get("quantiles", [])
              if q.get("value") is not None}
    lows = sorted(q for q in levels if q < 0.5)
    highs = sorted(q for q in levels if q > 0.5)
    if len(lows) < 2 or len(highs) < 2 or block.get("median") is None:
        return None
    box_lo = min(lows, key=lambda q: abs(q - 0.25))
    box_hi = min(highs, key=lambda q: abs(q - 0.75))
    return {"whislo": levels[lows[0]], "q1": levels[box_lo], "med": block["median"],
            "q3": levels[box_hi], "whishi": levels[highs[-1]], "mean": block.get("mean"),
            "fliers": [], "levels": (lows[0], box_lo, box_hi, highs[-1])}


def percent_text(p):
    """A probability as a short percentage, two significant digits and never in exponent form:
    0 %, 0.01 %, 0.0012 %, 2.5 %, 37 %, 100 %."""
    if p == 0:
        return "0 %"
    x = float(f"{100 * p:.2g}")  # two significant digits, then written out in full
    return (f"{x:.0f}" if x >= 10 else f"{x:.10f}".rstrip("0").rstrip(".")) + " %"


def probability_yaxis(ax, values, resolution, upper=None):
    """A y axis of probabilities in percent, linear unless the values span a decade or more
    (zeros beside positive values count as such); then symlog, linear below `resolution` (one
    path's share, 1/N), so that zeros stay visible at 0. `upper`: the tops of the error bars.
    Returns whether it is symlog."""
    from matplotlib.ticker import FuncFormatter, NullLocator

    positive = [v for v in values if v > 0]
    spans = bool(positive) and (max(positive) >= 10 * min(positive) or len(positive) < len(values))
    top = max(list(values) + list(upper or []) + [resolution])
    if spans:
        ax.set_yscale("symlog", linthresh=resolution, linscale=0.5)
        first, last = math.ceil(math.log10(resolution)), math.ceil(math.log10(1.5 * top))
        ax.set_yticks([0.0] + [10.0 ** k for k in range(first, min(last, 0) + 1)])
        ax.set_ylim(-0.4 * resolution, min(10.0 ** last, 1.0))
        ax.yaxis.set_minor_locator(NullLocator())
    else:
        ax.set_ylim(-0.04 * top, 1.25 * top)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: percent_text(v)))
    return spans
