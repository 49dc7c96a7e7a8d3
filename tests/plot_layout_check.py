#!/usr/bin/python3
"""CTest driver: the plot scripts' figures have no overlapping text and no layout warning.

    plot_layout_check.py SCRIPTS_DIR OUT_DIR run    REPORT.json ...
    plot_layout_check.py SCRIPTS_DIR OUT_DIR study  STUDY_DIR ...   (each from its study.csv alone,
                                                                     copied into a folder of the
                                                                     study's name)
    plot_layout_check.py SCRIPTS_DIR OUT_DIR validation              (validate_real.py's charts on
                                                                     made-up series)
    plot_layout_check.py SCRIPTS_DIR OUT_DIR selftest                (the check itself: a figure
                                                                     with two texts on top of each
                                                                     other must fail it)

Runs each script in this process with every matplotlib UserWarning (tight_layout's and
constrained_layout's "not applied" among them) turned into an error, and, before each figure is
saved, draws it and compares the window extents of every visible, non-empty text artist: the
figure's title and legends, every axes' titles, axis labels, drawn tick labels, legend texts
and annotations, colour bars and secondary axes included, each as its rotated rectangle. Two
that intersect by more than 1.5 pixels fail the test, naming the figure and both texts.
"""

import itertools
import math
import os
import sys
import warnings

TOLERANCE_PX = 1.5


def fail(message):
    print(f"plot_layout_check.py: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def drawn_tick_labels(axis):
    """The tick labels matplotlib draws: those of ticks inside the view interval (the locator
    also returns ticks beyond it, whose labels are never drawn)."""
    lo, hi = sorted(axis.get_view_interval())
    span = hi - lo
    out = []
    for tick in axis.get_major_ticks() + axis.get_minor_ticks():
        loc = tick.get_loc()
        if loc is None or not (lo - 1e-9 * span <= loc <= hi + 1e-9 * span):
            continue
        out += [label for label in (tick.label1, tick.label2) if label.get_visible()]
    return out


def axes_texts(ax):
    out = [ax.title, getattr(ax, "_left_title", None), getattr(ax, "_right_title", None)]
    for axis in (ax.xaxis, ax.yaxis):
        out.append(axis.label)
        out.append(axis.get_offset_text())
        out += drawn_tick_labels(axis)
    out += list(ax.texts)
    if ax.get_legend() is not None:
        out += list(ax.get_legend().get_texts()) + [ax.get_legend().get_title()]
    for child in getattr(ax, "child_axes", []):
        out += axes_texts(child)
    return [t for t in out if t is not None]


def figure_texts(fig):
    texts = list(fig.texts)
    if getattr(fig, "_suptitle", None) is not None:
        texts.append(fig._suptitle)
    for legend in fig.legends:
        texts += list(legend.get_texts()) + [legend.get_title()]
    for ax in fig.axes:
        if ax.get_visible():
            texts += axes_texts(ax)
    seen, out = set(), []
    for t in texts:
        if id(t) not in seen and t.get_visible() and t.get_text().strip():
            seen.add(id(t))
            out.append(t)
    return out


def rectangle(text, renderer):
    """The corners of a text's drawn rectangle in pixels: its unrotated width and height, turned
    by its rotation about the centre of its (axis-aligned) window extent. Tick labels at 30
    degrees have overlapping extents but rectangles apart."""
    box = text.get_window_extent(renderer)
    if not (box.width > 0 and box.height > 0 and all(map(math.isfinite, box.bounds))):
        return None
    angle = math.radians(text.get_rotation())
    if abs(math.sin(angle)) < 1e-9 or abs(math.cos(angle)) < 1e-9:
        return [(box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1)]
    rotation = text.get_rotation()
    text.set_rotation(0)
    flat = text.get_window_extent(renderer)
    text.set_rotation(rotation)
    cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    c, s = math.cos(angle), math.sin(angle)
    half = [(-flat.width / 2, -flat.height / 2), (flat.width / 2, -flat.height / 2),
            (flat.width / 2, flat.height / 2), (-flat.width / 2, flat.height / 2)]
    return [(cx + x * c - y * s, cy + x * s + y * c) for x, y in half]


def intersect(a, b):
    """Whether two convex quadrilaterals overlap by more than TOLERANCE_PX along every
    separating direction (the edge normals of both; separating axis theorem)."""
    for poly in (a, b):
        for k in range(4):
            (x0, y0), (x1, y1) = poly[k], poly[(k + 1) % 4]
            nx, ny = y0 - y1, x1 - x0
            norm = math.hypot(nx, ny)
            if norm == 0:
                continue
            nx, ny = nx / norm, ny / norm
            pa = [x * nx + y * ny for x, y in a]
            pb = [x * nx + y * ny for x, y in b]
            if min(max(pa), max(pb)) - max(min(pa), min(pb)) <= TOLERANCE_PX:
                return False
    return True


def overlaps(fig):
    """[(text a, text b)] of the drawn figure's text artists that overlap."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    shapes = [(t, r) for t in figure_texts(fig) for r in [rectangle(t, renderer)] if r]
    return [(a.get_text(), b.get_text())
            for (a, ra), (b, rb) in itertools.combinations(shapes, 2) if intersect(ra, rb)]


def install(pc, checked):
    """Wraps plot_common.save: every figure is checked before it is written."""
    original = pc.save

    def save(fig, out_dir, name, svg, dpi):
        bad = overlaps(fig)
        if bad:
            shown = "; ".join(f"{a!r} and {b!r}" for a, b in bad[:6])
            fail(f"{name}: {len(bad)} overlapping text pair(s): {shown}")
        checked.append(name)
        return original(fig, out_dir, name, svg, dpi)

    pc.save = save


def run_main(module, argv):
    try:
        code = module.main(argv)
    except SystemExit as e:
        code = e.code
    except UserWarning as e:
        fail(f"{module.__name__} {' '.join(argv)}: matplotlib warned: {e}")
    if code not in (0, None):
        fail(f"{module.__name__} {' '.join(argv)} exited {code}")


def made_up_validation():
    """validate_real.py's module and made-up rows and series of two funds, each real fund and
    its simulation 0.2 %/yr apart."""
    import datetime

    import validate_real as vr

    dates = [(datetime.date(2010, 1, 4) + datetime.timedelta(days=7 * k)).isoformat()
             for k in range(600)]
    rows, series = [], {}
    for ticker, mult in (("SSO", 2), ("SDS", -2)):
        real = [math.exp(0.08 * mult * k / 52 + 0.05 * math.sin(k / 9)) for k in range(600)]
        sim = [r * math.exp(-0.002 * k / 52) for k, r in enumerate(real)]
        rows.append({"ticker": ticker, "index": "SPY", "multiple": mult, "gap": -0.002,
                     "gap_no_costs": 0.01})
        series[ticker] = {"dates": dates, "real": real, "simulated": sim,
                          "simulated_no_costs": [s * math.exp(0.01 * k / 52)
                                                 for k, s in enumerate(sim)]}
    return vr, rows, series


def selftest(pc):
    """Two texts drawn at the same place must be found, two apart must not."""
    plt = pc.import_pyplot()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.text(0.5, 0.5, "first label", transform=ax.transAxes)
    ax.text(0.52, 0.5, "second label", transform=ax.transAxes)
    if not overlaps(fig):
        fail("selftest: two texts on top of each other were not found")
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.text(0.1, 0.8, "first label", transform=ax.transAxes)
    ax.text(0.1, 0.2, "second label", transform=ax.transAxes)
    if overlaps(fig):
        fail(f"selftest: texts apart reported as overlapping: {overlaps(fig)}")
    plt.close(fig)
    # Rotated tick-like labels: side by side apart (their extents overlap, their rectangles do
    # not), and two on top of each other found.
    fig, ax = plt.subplots(figsize=(4, 3))
    for x in (0.2, 0.5):
        ax.text(x, 0.5, "a rotated label", rotation=30, transform=ax.transAxes)
    if overlaps(fig):
        fail(f"selftest: rotated texts apart reported as overlapping: {overlaps(fig)}")
    ax.text(0.21, 0.5, "a rotated label", rotation=30, transform=ax.transAxes)
    if len(overlaps(fig)) != 1:
        fail(f"selftest: two rotated texts on top of each other: {overlaps(fig)}")
    plt.close(fig)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        fig, axes = plt.subplots(1, 2, figsize=(0.6, 0.4))
        try:
            fig.tight_layout()
        except UserWarning:
            print("plot_layout_check.py: ok: selftest (a tight_layout warning is an error)")
            return
    fail("selftest: tight_layout on a figure too small for its axes did not warn")


def main():
    if len(sys.argv) < 4:
        fail(__doc__)
    scripts, out_dir, mode, *inputs = sys.argv[1:]
    os.environ.setdefault("MPLBACKEND", "Agg")
    sys.path.insert(0, os.path.abspath(scripts))
    import plot_common as pc

    if mode == "selftest":
        selftest(pc)
        return
    checked = []
    install(pc, checked)
    warnings.simplefilter("error", UserWarning)
    if mode == "run":
        import plot_run

        for k, report in enumerate(inputs):
            run_main(plot_run, [report, "-o", os.path.join(out_dir, f"run{k}"), "--dpi", "60"])
    elif mode == "study":
        import plot_study

        import shutil

        for study in inputs:
            # study.csv alone, in a folder of the study's name (as a fresh clone has it).
            name = os.path.basename(os.path.normpath(study))
            alone = os.path.join(out_dir, "csv_only", name)
            shutil.rmtree(alone, ignore_errors=True)
            os.makedirs(alone)
            shutil.copy(os.path.join(study, "study.csv"), alone)
            run_main(plot_study, [alone, "-o", os.path.join(out_dir, name), "--dpi", "60"])
    elif mode == "grid":
        import plot_grid

        for study in inputs:  # two-axis studies, drawn by plot_grid.py (with their study.json)
            name = os.path.basename(os.path.normpath(study))
            run_main(plot_grid, [study, "-o", os.path.join(out_dir, name), "--dpi", "60"])
    elif mode == "validation":
        vr, rows, series = made_up_validation()
        os.makedirs(out_dir, exist_ok=True)
        plt = pc.import_pyplot()
        fig = vr.growth_figure(plt, rows * 6, series)  # 12 funds, as the real chart has
        fig.savefig(os.path.join(out_dir, "growth.png"), dpi=60)
        bad = overlaps(fig)
        if bad:
            fail(f"validation growth chart: overlapping texts: {bad[:6]}")
        checked.append("validation_growth")
        plt.close(fig)
    else:
        fail(f"unknown mode {mode}")
    if not checked:
        fail("no figure was checked")
    print(f"plot_layout_check.py: ok: {len(checked)} figures without overlapping text: "
          + ", ".join(checked))


if __name__ == "__main__":
    main()
