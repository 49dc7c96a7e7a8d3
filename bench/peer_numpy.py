#!/usr/bin/python3
"""The NumPy peer of letfsim on workload W (configs/bench_w.json), for scripts/bench.sh.

An idiomatic NumPy implementation, as a user would write it: vectorised over paths, in chunks
of paths, numpy.random.default_rng, a Python loop over days. It computes the same statistics as
letfsim's report for every strategy x multiple: mean, median and quantiles of the terminal value,
of the log return, of the gap vs L x the index return and of the log decay; the mean and
quantiles of the maximum drawdown; P(loss), P(underperform), P(wipe-out).

    bench/peer_numpy.py [--paths N] [--days N] [--processes P] [--chunk N] [--json]

Prints path-days per second (and the statistics with --json). With --processes P the chunks are
shared among P worker processes (multiprocessing), each single-threaded.
"""
import argparse
import json
import multiprocessing as mp
import os
import sys
import time

# One BLAS/OpenMP thread per process: the comparison is process for process.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

MU, SIGMA, TDPY = 0.07, 0.20, 252.0
MULTIPLES = np.array([-3.0, -2.0, -1.0, 1.0, 2.0, 3.0])
QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]


def simulate_chunk(args):
    """Simulates `n` paths with generator seed `seed`; returns per-path terminal quantities."""
    seed, n, days = args
    rng = np.random.default_rng(seed)
    dt = 1.0 / TDPY
    drift, scale = (MU - 0.5 * SIGMA**2) * dt, SIGMA * np.sqrt(dt)
    L = MULTIPLES[:, None]  # multiples x paths
    s = np.ones(n)
    s_peak = np.ones(n)
    s_dd = np.zeros(n)
    v = np.ones((len(MULTIPLES), n))  # daily reset
    v_peak = np.ones_like(v)
    v_dd = np.zeros_like(v)
    u = np.ones_like(v)  # unrebalanced
    u_peak = np.ones_like(v)
    u_dd = np.zeros_like(v)
    alive = np.ones(v.shape, dtype=bool)
    for _ in range(days):
        r = np.expm1(drift + scale * rng.standard_normal(n))
        s *= 1.0 + r
        np.maximum(s_peak, s, out=s_peak)
        np.maximum(s_dd, 1.0 - s / s_peak, out=s_dd)
        v *= np.maximum(1.0 + L * r, 0.0)
        np.maximum(v_peak, v, out=v_peak)
        np.maximum(v_dd, 1.0 - v / v_peak, out=v_dd)
        e = np.maximum(L * s - (L - 1.0), 0.0)
        alive &= e > 0.0
        u = np.where(alive, e, 0.0)
        np.maximum(u_peak, u, out=u_peak)
        np.maximum(u_dd, 1.0 - u / u_peak, out=u_dd)
    return s, s_dd, v, v_dd, u, u_dd


def stats(x):
    x = x[np.isfinite(x)]
    if x.size == 0:
        return None
    q = np.quantile(x, QUANTILES)
    return {"mean": float(x.mean()), "std": float(x.std(ddof=1)) if x.size > 1 else None,
            "quantiles": [float(a) for a in q]}


def summarise(s, s_dd, v, v_dd, u, u_dd):
    out = {"underlying": {"terminal": stats(s), "log_return": stats(np.log(s)),
                          "max_drawdown": stats(s_dd)}, "results": []}
    log_s = np.log(s)
    for name, val, dd in (("daily_reset", v, v_dd), ("unrebalanced", u, u_dd)):
        for j, L in enumerate(MULTIPLES):
            x = val[j]
            gap = L * (s - 1.0) - (x - 1.0)
            with np.errstate(divide="ignore"):
                lx = np.log(x)
            pos = x > 0.0
            out["results"].append({
                "strategy": name, "multiple": float(L),
                "terminal": stats(x), "log_return": stats(lx[pos]),
                "gap_vs_target": stats(gap), "log_decay": stats(L * log_s[pos] - lx[pos]),
                "max_drawdown": stats(dd[j]),
                "prob_loss": float(np.mean(x < 1.0)),
                "prob_underperform_target": float(np.mean(gap > 1e-12 * (1.0 + abs(L) * s))),
                "prob_wipeout": float(np.mean(x <= 0.0)),
            })
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--paths", type=int, default=200_000)
    p.add_argument("--days", type=int, default=252)
    p.add_argument("--processes", type=int, default=1)
    p.add_argument("--chunk", type=int, default=25_000, help="paths per chunk")
    p.add_argument("--seed", type=int, default=20240101)
    p.add_argument("--json", action="store_true", help="print the statistics as JSON")
    a = p.parse_args()
    if a.paths < 1 or a.days < 1 or a.processes < 1 or a.chunk < 1:
        sys.exit("peer_numpy.py: --paths, --days, --processes and --chunk must be >= 1")

    start = time.perf_counter()
    seeds = np.random.SeedSequence(a.seed).spawn((a.paths + a.chunk - 1) // a.chunk)
    jobs = [(seeds[i], min(a.chunk, a.paths - i * a.chunk), a.days) for i in range(len(seeds))]
    if a.processes == 1:
        parts = [simulate_chunk(j) for j in jobs]
    else:
        with mp.get_context("fork").Pool(a.processes) as pool:
            parts = pool.map(simulate_chunk, jobs, chunksize=1)
    s, s_dd = (np.concatenate([x[i] for x in parts]) for i in (0, 1))
    v, v_dd, u, u_dd = (np.concatenate([x[i] for x in parts], axis=1) for i in (2, 3, 4, 5))
    summary = summarise(s, s_dd, v, v_dd, u, u_dd)
    elapsed = time.perf_counter() - start
    rate = a.paths * a.days / elapsed
    if a.json:
        summary["run_info"] = {"paths": a.paths, "days": a.days, "processes": a.processes,
                               "elapsed_seconds": elapsed, "path_days_per_second": rate}
        print(json.dumps(summary))
    else:
        print(f"numpy peer: {a.paths} paths x {a.days} days, {a.processes} process(es): "
              f"{elapsed:.3f} s, {rate / 1e6:.1f} M path-days/s")


if __name__ == "__main__":
    main()
