#!/usr/bin/python3
"""CTest driver for the plot scripts: runs one on a tiny input with the Agg backend and fails
unless it exits 0 without a traceback and writes every expected PNG (non-empty, PNG signature).

    plot_check.py run   SCRIPTS_DIR REPORT.json OUT_DIR
    plot_check.py bands SCRIPTS_DIR REPORT.json OUT_DIR   (a report with bands and histograms)
    plot_check.py study SCRIPTS_DIR STUDY_DIR   OUT_DIR
    plot_check.py labels_run   SCRIPTS_DIR REPORT.json OUT_DIR   (two calendar_rebalance
    plot_check.py labels_study SCRIPTS_DIR STUDY_DIR   OUT_DIR    strategies: two series each)
    plot_check.py side_by_side SCRIPTS_DIR STUDY_DIR   OUT_DIR   (a labelled /model axis: one
                                                                 panel per multiple, no warning)
    plot_check.py csv_only     SCRIPTS_DIR STUDY_DIR   OUT_DIR   (study.csv alone: the same
                                                                 figures as the whole folder)
"""

import json
import os
import shutil
import subprocess
import sys

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def fail(message):
    print(f"plot_check.py: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def run(script, args, out_dir, extra_env=None):
    shutil.rmtree(out_dir, ignore_errors=True)
    env = dict(os.environ, MPLBACKEND="Agg", **(extra_env or {}))
    proc = subprocess.run([sys.executable, script] + args + ["-o", out_dir], env=env,
                          capture_output=True, text=True, timeout=300)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        fail(f"{os.path.basename(script)} exited {proc.returncode}")
    if "Traceback" in proc.stderr:
        fail(f"{os.path.basename(script)} printed a traceback")
    return proc


def expect_pngs(out_dir, names, absent=()):
    for name in names:
        path = os.path.join(out_dir, name)
        if not os.path.isfile(path):
            fail(f"{path} was not written")
        with open(path, "rb") as f:
            head = f.read(8)
        if os.path.getsize(path) < 1000 or head != PNG_SIGNATURE:
            fail(f"{path} is not a non-empty PNG ({os.path.getsize(path)} bytes)")
    for name in absent:
        if os.path.exists(os.path.join(out_dir, name)):
            fail(f"{name} should have been skipped")
    leftovers = [f for f in os.listdir(out_dir) if ".tmp." in f]
    if leftovers:
        fail(f"temporary files left behind: {leftovers}")
    print(f"plot_check.py: ok: {len(names)} PNGs in {out_dir}")


def drawn_series(script, args, out_dir):
    """Runs a plot script with LETF_PLOT_SERIES; returns {figure: {"titles", "series"}}."""
    series_file = os.path.join(os.path.dirname(os.path.abspath(out_dir)),
                               os.path.basename(out_dir) + ".series.jsonl")
    if os.path.exists(series_file):
        os.remove(series_file)
    run(script, args, out_dir, {"LETF_PLOT_SERIES": series_file})
    with open(series_file, encoding="utf-8") as f:
        return {d["figure"]: d for d in map(json.loads, f)}


def expect_two_calendars(texts, where):
    """Two distinct texts naming calendar_rebalance among `texts`."""
    calendars = sorted({t for t in texts if "calendar_rebalance" in t})
    if len(calendars) != 2:
        fail(f"{where}: expected two distinct calendar_rebalance series, got {calendars} "
             f"(all: {texts})")
    print(f"plot_check.py: ok: {where}: {calendars}")


def check_labels(mode, scripts, source, out_dir):
    if mode == "labels_run":
        with open(source, encoding="utf-8") as f:
            scenario = json.load(f)["scenario"]
        figures = drawn_series(os.path.join(scripts, "plot_run.py"), [source], out_dir)
        for name in ("decay", "underperform"):
            key = f"{scenario}_{name}"
            if key not in figures:
                fail(f"no figure {key}")
            expect_two_calendars(figures[key]["series"], key)
    else:
        with open(os.path.join(source, "study.json"), encoding="utf-8") as f:
            name = json.load(f)["study"]["name"]
        figures = drawn_series(os.path.join(scripts, "plot_study.py"),
                               [source, "--x", "/model/sigma", "--metric", "mean"], out_dir)
        for fig in (f"{name}_mean_vs_model_sigma", f"{name}_decay_vs_days"):
            if fig not in figures:
                fail(f"no figure {fig}")
            expect_two_calendars(figures[fig]["titles"], fig)


def check_side_by_side(scripts, source, out_dir):
    """The side-by-side figure of a study over labelled models: written, a non-empty PNG, with a
    decay panel titled by each multiple of the daily-reset fund, and matplotlib warns nothing."""
    with open(os.path.join(source, "study.json"), encoding="utf-8") as f:
        doc = json.load(f)
    name = doc["study"]["name"]
    mults = sorted({r["multiple"] for p in doc["points"] for r in p["results"]
                    if r["strategy"] == "daily_reset"})
    series_file = os.path.join(os.path.dirname(os.path.abspath(out_dir)),
                               os.path.basename(out_dir) + ".series.jsonl")
    if os.path.exists(series_file):
        os.remove(series_file)
    proc = run(os.path.join(scripts, "plot_study.py"), [source], out_dir,
               {"LETF_PLOT_SERIES": series_file})
    if "Warning" in proc.stderr:
        fail("plot_study.py printed a warning")
    figure = f"{name}_side_by_side_model"
    expect_pngs(out_dir, [f"{figure}.png"])
    with open(series_file, encoding="utf-8") as f:
        drawn = {d["figure"]: d for d in map(json.loads, f)}
    titles = drawn.get(figure, {}).get("titles", [])
    want = [f"{m:g}x daily-reset fund" for m in mults]
    if titles != want:
        fail(f"{figure}: panel titles {titles}, expected {want}")
    print(f"plot_check.py: ok: {figure}: {titles}")


def check_csv_only(scripts, source, out_dir):
    """plot_study.py on a folder holding only the study's study.csv (named as the study) draws
    every figure it draws on the whole folder (study.json and points/ beside it)."""
    with open(os.path.join(source, "study.json"), encoding="utf-8") as f:
        name = json.load(f)["study"]["name"]
    alone = os.path.join(out_dir + ".csv_only", name)
    shutil.rmtree(os.path.dirname(alone), ignore_errors=True)
    os.makedirs(alone)
    shutil.copy(os.path.join(source, "study.csv"), alone)
    script = os.path.join(scripts, "plot_study.py")
    run(script, [source], out_dir + ".full")
    full = sorted(os.listdir(out_dir + ".full"))
    run(script, [alone], out_dir)
    got = sorted(os.listdir(out_dir))
    if not full or got != full:
        fail(f"from study.csv alone: {got}, from the whole folder: {full}")
    expect_pngs(out_dir, got)


def main():
    if len(sys.argv) != 5:
        fail(__doc__)
    mode, scripts, source, out_dir = sys.argv[1:]
    if mode in ("run", "bands"):
        with open(source, encoding="utf-8") as f:
            scenario = json.load(f)["scenario"]
        # The investor-metric figures (issue 13) come from blocks every report has.
        figures = ["terminal", "decay", "underperform", "cagr", "survival", "under_water"]
        if mode == "bands":
            with open(source, encoding="utf-8") as f:
                report = json.load(f)
            if "bands" not in report["underlying"] or "histogram" not in report["results"][0]:
                fail(f"{source} has no bands or histogram")
            figures.append("fan")
        proc = run(os.path.join(scripts, "plot_run.py"), [source, "--svg"], out_dir)
        absent = [] if mode == "bands" else [f"{scenario}_fan.png"]
        expect_pngs(out_dir, [f"{scenario}_{f}.png" for f in figures], absent)
        expect_svg = os.path.join(out_dir, f"{scenario}_decay.svg")
        if not os.path.getsize(expect_svg):
            fail(f"{expect_svg} is empty")
        # Without the optional blocks each skipped or simplified figure is noted once.
        if mode == "run" and "no \"bands\"" not in proc.stderr:
            fail("no note about the missing bands")
    elif mode == "study":
        with open(os.path.join(source, "study.json"), encoding="utf-8") as f:
            name = json.load(f)["study"]["name"]
        run(os.path.join(scripts, "plot_study.py"),
            [source, "--x", "/model/sigma", "--metric", "mean"], out_dir)
        expect_pngs(out_dir, [f"{name}_heatmap_log_decay.png", f"{name}_heatmap_underperform.png",
                              f"{name}_heatmap_cagr.png", f"{name}_heatmap_lost_50pct.png",
                              f"{name}_decay_vs_days.png", f"{name}_mean_vs_model_sigma.png"])
    elif mode in ("labels_run", "labels_study"):
        check_labels(mode, scripts, source, out_dir)
    elif mode == "side_by_side":
        check_side_by_side(scripts, source, out_dir)
    elif mode == "csv_only":
        check_csv_only(scripts, source, out_dir)
    else:
        fail(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
