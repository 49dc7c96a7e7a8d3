"""The Python module against the CLI (run through CTest: python.module). Needs PYTHONPATH to
hold build/python and LETFSIM to name the letfsim binary of the same build."""

import _thread
import json
import os
import subprocess
import threading
import time

import numpy as np
import pytest

import letfsim

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LETFSIM = os.environ["LETFSIM"]
QUICKSTART = os.path.join(ROOT, "configs", "quickstart.json")
CALENDAR = os.path.join(ROOT, "configs", "rebalance_calendar.json")


def without_run_info(text):
    """The report text without its run_info block (the only part that differs between runs)."""
    out, skip = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith('  "run_info": {'):
            skip = True
            continue
        if skip:
            skip = not line.startswith("  }")
            continue
        out.append(line)
    return "".join(out)


def test_report_is_the_clis_byte_for_byte(tmp_path):
    out = tmp_path / "r.json"
    subprocess.run([LETFSIM, "run", QUICKSTART, "--paths", "3000", "-q", "-o", str(out)],
                   check=True)
    report = letfsim.run(QUICKSTART, paths=3000, threads=2)
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    cli = out.read_text()
    assert len(cli) > 10000
    assert without_run_info(text) == without_run_info(cli)


def test_a_dict_config_is_the_file_config():
    with open(QUICKSTART) as f:
        config = json.load(f)
    a = letfsim.run(config, paths=2000, seed=9)
    b = letfsim.run(QUICKSTART, paths=2000, seed=9)
    for r in (a, b):
        del r["run_info"]
    assert a == b and a["config"]["seed"] == 9


def test_per_path_arrays_reproduce_the_report():
    n = 2001  # odd: the median is one order statistic
    report, paths = letfsim.run(CALENDAR, paths=n, per_path=True, threads=2)
    series = [report["underlying"]] + report["results"]
    assert paths["terminal"].shape == (n, len(series))
    assert [c[0] for c in paths["columns"]] == ["index"] + [r["label"] for r in report["results"]]
    for k, s in enumerate(series):
        v = paths["terminal"][:, k]
        for q, key in ((0.05, "p05"), (0.5, "median"), (0.95, "p95")):
            got = float(np.quantile(v, q))  # numpy's default, linear, is the report's type 7
            want = s["terminal"][key] if key in s["terminal"] else s["terminal"]["median"]
            if key == "median":
                assert got == want, (k, got, want)
        assert float(np.median(paths["max_drawdown"][:, k])) == s["max_drawdown"]["median"]
        assert abs(float(np.mean(v)) - s["terminal"]["mean"]) <= 1e-13 * abs(s["terminal"]["mean"])
        if k > 0:
            wiped = int(np.count_nonzero(paths["wipeout_day"][:, k]))
            assert wiped == round(s["prob_wipeout"] * n)
            ended_at_zero = v == 0
            assert np.all(np.isneginf(paths["log_return"][:, k][ended_at_zero]))


def test_config_errors_carry_file_pointer_and_value():
    bad = {"name": "x", "paths": 10, "model": {"type": "gbm", "mu": 0.05, "sigma": -0.2},
           "multiples": [2]}
    with pytest.raises(letfsim.ConfigError) as e:
        letfsim.run(bad)
    assert (e.value.file, e.value.pointer, e.value.value) == ("<dict>", "/model/sigma", "-0.2")
    with pytest.raises(letfsim.ConfigError) as e:
        letfsim.validate(os.path.join(ROOT, "tests", "data", "bad_sigma.json"))
    assert e.value.pointer == "/model/sigma" and e.value.file.endswith("bad_sigma.json")
    with pytest.raises(letfsim.ConfigError) as e:
        letfsim.run(QUICKSTART, threads=0)
    assert e.value.pointer == "threads"
    with pytest.raises(TypeError):
        letfsim.run(42)
    letfsim.validate(QUICKSTART)  # no exception


def test_sweep_writes_the_clis_study(tmp_path):
    study = {"name": "s", "base": {"name": "b", "paths": 500, "days": 20, "seed": 3,
                                   "model": {"type": "gbm", "mu": 0.05, "sigma": 0.2},
                                   "multiples": [2, 3]},
             "axes": [{"pointer": "/model/sigma", "values": [0.1, 0.3]}]}
    (tmp_path / "s.json").write_text(json.dumps(study))
    subprocess.run([LETFSIM, "sweep", str(tmp_path / "s.json"), "-q", "-o", str(tmp_path / "cli")],
                   check=True)
    got = letfsim.sweep(study, tmp_path / "py")
    assert [p["point"] for p in got["points"]] == [0, 1]
    assert (tmp_path / "py" / "study.csv").read_bytes() == (tmp_path / "cli" / "study.csv").read_bytes()


def test_a_long_run_releases_the_gil_and_stops_on_ctrl_c():
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.01)

    ticker = threading.Thread(target=tick)
    ticker.start()
    timer = threading.Timer(0.5, _thread.interrupt_main)  # as Ctrl-C would
    timer.start()
    start = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            letfsim.run(QUICKSTART, paths=50_000_000, threads=2)  # minutes if not stopped
    finally:
        stop.set()
        ticker.join()
        timer.cancel()
    assert time.monotonic() - start < 30
    during = [t for t in ticks if start + 0.1 < t < start + 0.45]
    assert len(during) >= 5, "Python threads did not run during the simulation"
