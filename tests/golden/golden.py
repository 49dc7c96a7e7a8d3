#!/usr/bin/env python3
"""Whole-report goldens: runs letfsim on a few configs and compares each report, with its
run_info block removed, with tests/golden/<case>.json.

    golden.py LETFSIM CASE            check one case (exit 1 and a diff when it differs)
    golden.py LETFSIM --update [CASE] rewrite the goldens (scripts/update_goldens.sh)

Deterministic configs are compared byte for byte; random ones at their fixed seed too. The bytes
are those of the GCC Release build with AVX-512 (the drawdown of unrebalanced positions uses a
refined reciprocal there, within 1 ulp of a division): on a CPU without AVX-512 numbers are
compared to a relative 1e-12 instead, and the test says so.
"""
import difflib
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# case -> (config, extra arguments). Paths are kept small: the goldens are for the bytes.
CASES = {
    "textbook_trend": ("configs/textbook_trend.json", []),
    "textbook_choppy": ("configs/textbook_choppy.json", []),
    "textbook_oscillating_trend": ("configs/textbook_oscillating_trend.json", []),
    "quickstart": ("configs/quickstart.json", ["--paths", "2000"]),
    "student_t_fat_tails": ("configs/student_t_fat_tails.json", ["--paths", "1000"]),
    "rebalance_calendar": ("configs/rebalance_calendar.json", ["--paths", "1000"]),
    "target_leverage": ("configs/target_leverage.json", ["--paths", "1000"]),
}


def strip_run_info(text):
    """The report text without its top-level run_info block (2-space indented JSON)."""
    lines = text.splitlines(keepends=True)
    out, skipping = [], False
    for line in lines:
        if not skipping and line.startswith('  "run_info": {'):
            skipping = True
            continue
        if skipping:
            if line.startswith("  }"):
                skipping = False
            continue
        out.append(line)
    return "".join(out)


def run(letfsim, case):
    config, extra = CASES[case]
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.json")
        subprocess.run([letfsim, "run", os.path.join(ROOT, config), "-q", "--threads", "2",
                        "-o", report] + extra, check=True, stdout=subprocess.DEVNULL)
        with open(report, encoding="utf-8") as f:
            return strip_run_info(f.read())


def has_avx512():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            return "avx512f" in f.read()
    except OSError:
        return False


def close(a, b):
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-12 * max(abs(a), abs(b), 1e-300)
    return a == b


def check(letfsim, case):
    path = os.path.join(HERE, case + ".json")
    with open(path, encoding="utf-8") as f:
        want = f.read()
    got = run(letfsim, case)
    if got == want:
        print(f"golden {case}: identical ({len(got)} bytes)")
        return 0
    if not has_avx512() and close(json.loads(got), json.loads(want)):
        print(f"golden {case}: no AVX-512 on this CPU; equal to a relative 1e-12, not bytes")
        return 0
    diff = difflib.unified_diff(want.splitlines(), got.splitlines(), path, "this build",
                                lineterm="", n=2)
    print("\n".join(list(diff)[:60]))
    print(f"golden {case}: DIFFERS from {path} (scripts/update_goldens.sh rewrites it when the "
          "change is intended)")
    return 1


def main(argv):
    if len(argv) >= 3 and argv[2] == "--update":
        for case in argv[3:] or sorted(CASES):
            with open(os.path.join(HERE, case + ".json"), "w", encoding="utf-8") as f:
                f.write(run(argv[1], case))
            print(f"golden {case}: written")
        return 0
    if len(argv) != 3 or argv[2] not in CASES:
        print(__doc__, file=sys.stderr)
        return 2
    return check(argv[1], argv[2])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
