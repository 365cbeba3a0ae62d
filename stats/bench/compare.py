#!/usr/bin/python3
"""Time assay's stats package against scipy/statsmodels on the same data.

Run from the repository root with Debian's Python, which has statsmodels
(python3-statsmodels; the pyenv python3 on PATH may not):

    /usr/bin/python3 stats/bench/compare.py

It (1) has Go write the SYNTHETIC benchmark data (go test -run TestBenchData
-args -benchdata=DIR), (2) runs the Go benchmarks (go test -bench), (3) times
the same three tasks in Python, and (4) prints a Markdown table with the ratios
and checks that both sides estimate the same coefficients. Python timings are
the median of REPEATS runs; Go's are go test's mean over -benchtime runs.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd
import scipy
import scipy.stats
import statsmodels
import statsmodels.api as sm
import statsmodels.formula.api as smf

REPEATS = 5
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def go(*args):
    return subprocess.run(["go", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout


def timed(fn, repeats=REPEATS):
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main():
    tmp = tempfile.mkdtemp()
    go("test", "./stats", "-run", "^TestBenchData$", "-count=1", "-args", "-benchdata=" + tmp)
    bench = go("test", "./stats", "-run", "^$", "-bench", "^Benchmark(PearsonPermutation100k|FETwoWayClustered|PoissonFETwoWayClustered)$",
               "-benchtime", "20x", "-count", "1")
    gons = {m.group(1): float(m.group(2)) for m in re.finditer(r"Benchmark(\w+)-\d+\s+\d+\s+([\d.]+) ns/op", bench)}

    corr = pd.read_csv(os.path.join(tmp, "bench_corr.csv"))
    panel = pd.read_csv(os.path.join(tmp, "bench_panel.csv"))
    x, y = corr.x.to_numpy(), corr.y.to_numpy()

    def perm():
        def r(xs, axis):
            xc = xs - xs.mean(axis=axis, keepdims=True)
            yc = y - y.mean()
            return (xc * yc).sum(axis=axis) / np.sqrt((xc ** 2).sum(axis=axis) * (yc ** 2).sum())
        return scipy.stats.permutation_test((x,), r, permutation_type="pairings", n_resamples=100000,
                                            vectorized=True, random_state=1).pvalue

    def fe():
        return smf.ols("y ~ x1 + x2 + C(unit) + C(year)", data=panel).fit(
            cov_type="cluster", cov_kwds={"groups": panel.state})

    def pois():
        return smf.glm("count ~ x1 + x2 + C(unit) + C(year)", data=panel, offset=panel.logpop,
                       family=sm.families.Poisson()).fit(cov_type="cluster", cov_kwds={"groups": panel.state}, tol=1e-10)

    rows = []
    t, p = timed(perm)
    rows.append(("Pearson, 100,000 permutations, n = 27", "scipy.stats.permutation_test (vectorized)",
                 "PearsonPermutation100k", t, f"p = {p:.4f}"))
    t, m = timed(fe)
    rows.append(("Two-way FE (400 units x 19 years), SEs clustered by state", "statsmodels OLS with unit and year dummies",
                 "FETwoWayClustered", t, m.params[["x1", "x2"]]))
    t, g = timed(pois)
    rows.append(("Poisson FE + log-population offset, clustered by state", "statsmodels GLM Poisson with dummies",
                 "PoissonFETwoWayClustered", t, g.params[["x1", "x2"]]))

    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}, scipy {scipy.__version__}, statsmodels {statsmodels.__version__}; "
          f"{os.cpu_count()} CPUs, load average %.1f at the end" % os.getloadavg()[0])
    print()
    print("| task | Python tool | Python (ms) | assay Go (ms) | Python / Go |")
    print("| --- | --- | ---: | ---: | ---: |")
    for task, tool, name, secs, _ in rows:
        g_ms = gons[name] / 1e6
        print(f"| {task} | {tool} | {secs * 1e3:.1f} | {g_ms:.2f} | {secs * 1e3 / g_ms:.0f}x |")

    # The timed tasks must be the same estimation: compare coefficients.
    print()
    for cmd, name, params in (("fe", "two-way FE", rows[1][4]), ("poisson", "Poisson FE", rows[2][4])):
        args = ["run", "./cmd/assay", "stats", cmd, "--csv", os.path.join(tmp, "bench_panel.csv"),
                "--y", "y" if cmd == "fe" else "count", "--x", "x1,x2", "--fe", "unit,year", "--cluster", "state", "--json"]
        if cmd == "poisson":
            args += ["--offset", "logpop"]
        res = json.loads(go(*args))
        diff = max(abs(t["estimate"] - params[t["term"]]) / abs(params[t["term"]]) for t in res["terms"])
        print(f"{name}: largest relative coefficient difference Go vs statsmodels = {diff:.1e}")


if __name__ == "__main__":
    main()
