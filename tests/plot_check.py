#!/usr/bin/python3
"""CTest driver for the plot scripts: runs one on a tiny input with the Agg backend and fails
unless it exits 0 without a traceback and writes every expected PNG (non-empty, PNG signature).

    plot_check.py run   SCRIPTS_DIR REPORT.json OUT_DIR
    plot_check.py bands SCRIPTS_DIR REPORT.json OUT_DIR   (adds synthetic bands and histograms)
    plot_check.py study SCRIPTS_DIR STUDY_DIR   OUT_DIR
"""

import json
import math
import os
import shutil
import subprocess
import sys

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def fail(message):
    print(f"plot_check.py: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def run(script, args, out_dir):
    shutil.rmtree(out_dir, ignore_errors=True)
    env = dict(os.environ, MPLBACKEND="Agg")
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


def synthetic_bands(days, every, terminal_quantiles, qs):
    """Bands in the engine's layout, interpolated in log space from 1 to the terminal quantiles."""
    grid = list(range(0, days, every)) + [days]
    ends = {q["q"]: q["value"] for q in terminal_quantiles}
    values = []
    for d in grid:
        f = d / days
        values.append([math.exp(f * math.log(max(ends[q], 1e-6))) if d else 1.0 for q in qs])
    return {"days": grid, "quantiles": qs, "values": values}


def synthetic_histogram(terminal, bins=40, lo=0.01, hi=100.0):
    """A log-normal-shaped histogram around the reported median, in the engine's layout."""
    edges = [lo * (hi / lo) ** (i / bins) for i in range(bins + 1)]
    med = max(terminal["median"] or 1.0, 1e-6)
    counts = []
    for a, b in zip(edges[:-1], edges[1:]):
        mid = math.log(math.sqrt(a * b) / med) / 0.3
        counts.append(int(round(1000 * math.exp(-0.5 * mid * mid))))
    return {"edges": edges, "counts": counts, "below": 3, "above": 1}


def with_bands(report_path, out_path):
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    days = report["config"]["days"]
    qs = [q["q"] for q in report["underlying"]["terminal"]["quantiles"]]
    every = max(1, days // 6)
    report["underlying"]["bands"] = synthetic_bands(
        days, every, report["underlying"]["terminal"]["quantiles"], qs)
    report["underlying"]["histogram"] = synthetic_histogram(report["underlying"]["terminal"])
    for r in report["results"]:
        r["bands"] = synthetic_bands(days, every, r["terminal"]["quantiles"], qs)
        r["histogram"] = synthetic_histogram(r["terminal"])
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(report, f)


def main():
    if len(sys.argv) != 5:
        fail(__doc__)
    mode, scripts, source, out_dir = sys.argv[1:]
    if mode in ("run", "bands"):
        with open(source, encoding="utf-8") as f:
            scenario = json.load(f)["scenario"]
        figures = ["terminal", "decay", "underperform"]
        if mode == "bands":
            augmented = os.path.join(os.path.dirname(out_dir) or ".", "report_with_bands.json")
            with_bands(source, augmented)
            source = augmented
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
                              f"{name}_decay_vs_days.png", f"{name}_mean_vs_model_sigma.png"])
    else:
        fail(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
