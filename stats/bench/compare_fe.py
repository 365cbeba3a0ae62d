#!/usr/bin/python3
"""Time assay's two-way fixed effects on an agency-scale panel against statsmodels.

Run from the repository root with Debian's Python (python3-statsmodels):

    /usr/bin/python3 stats/bench/compare_fe.py

The data are SYNTHETIC agency-year panels written by Go (go test -run
TestBenchData -args -benchdata=DIR): 300 and 18,000 units over 33 years, about
3% of unit-years missing, units nested in 50 states. The task: y on x1 and x2
with unit and year fixed effects, standard errors clustered by state.

statsmodels has no way to absorb fixed effects, and with dummies the 18,000-unit
design is a dense 576,000 x 18,034 matrix (83 GB), which does not fit. So:

  * 300 units (about 9,600 rows): statsmodels OLS with C(unit) + C(year) dummies,
    the same estimation as assay's, timed whole;
  * 18,000 units: the two-way demeaning is done in numpy (alternating
    projections with np.bincount, stopped by assay's rule: no value moves by
    more than 1e-13 of the column's largest magnitude), then statsmodels OLS
    of demeaned y on demeaned x1, x2 without a constant, clustered by state.
    Timed: the numpy demeaning and the statsmodels fit, separately and summed.

Go's times are the median ns/op of `go test -bench FEAgencyPanel` over
-count runs; Python's the median of REPEATS. Coefficients must agree. The
clustered standard errors differ by design only in the CR1 small-sample
factor (N-1)/(N-K): statsmodels counts K = every parameter it estimated
(all dummies; or 2 on demeaned data), assay K = slopes + the effects not
nested in the clusters (2 + 33 years). The script checks that the ratio of
the standard errors is exactly sqrt((N-K_statsmodels)/(N-K_assay)).
"""
import json
import os
import re
import statistics
import sys
import tempfile

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm
import statsmodels.formula.api as smf

from compare import go, timed

REPEATS = 3
GO_COUNT = 5
YEARS = 33


def demean(df, cols, tol=1e-13, max_iter=100000):
    """Two-way within transformation by alternating projections."""
    u = df.unit.to_numpy()
    t = pd.factorize(df.year)[0]
    nu, nt = u.max() + 1, t.max() + 1
    cu, ct = np.bincount(u, minlength=nu), np.bincount(t, minlength=nt)
    out = {}
    for c in cols:
        x = df[c].to_numpy(dtype=float).copy()
        scale = np.abs(x).max()
        for _ in range(max_iter):
            mu = np.bincount(u, weights=x, minlength=nu) / cu
            x -= mu[u]
            mt = np.bincount(t, weights=x, minlength=nt) / ct
            x -= mt[t]
            if max(np.abs(mu).max(), np.abs(mt).max()) <= tol * scale:
                break
        out[c] = x
    return out


def assay_fe(path):
    res = json.loads(go("run", "./cmd/assay", "stats", "fe", "--csv", path, "--y", "y", "--x", "x1,x2",
                        "--fe", "unit,year", "--cluster", "state", "--json"))
    return {t["term"]: (t["estimate"], t["se"]) for t in res["terms"]}, res["n"]


def main():
    tmp = tempfile.mkdtemp()
    go("test", "./stats", "-run", "^TestBenchData$", "-count=1", "-args", "-benchdata=" + tmp)
    bench = go("test", "./stats", "-run", "^$", "-bench", "^BenchmarkFEAgencyPanel$", "-benchtime", "10x",
               "-count", str(GO_COUNT))
    gons = {}
    for m in re.finditer(r"BenchmarkFEAgencyPanel/units=(\d+)-\d+\s+\d+\s+([\d.]+) ns/op", bench):
        gons.setdefault(int(m.group(1)), []).append(float(m.group(2)))
    go_ms = {u: statistics.median(v) / 1e6 for u, v in gons.items()}

    rows, checks = [], []

    small = pd.read_csv(os.path.join(tmp, "bench_agency_300.csv"))
    secs, m = timed(lambda: smf.ols("y ~ x1 + x2 + C(unit) + C(year)", data=small).fit(
        cov_type="cluster", cov_kwds={"groups": small.state}), REPEATS)
    rows.append(("300 units x 33 years (%d rows)" % len(small), "statsmodels OLS with unit and year dummies",
                 secs, go_ms[300]))
    checks.append(("300 units, dummies", small, m.params, m.bse, len(m.params), "bench_agency_300.csv"))

    big = pd.read_csv(os.path.join(tmp, "bench_agency_18000.csv"))
    t_dm, dm = timed(lambda: demean(big, ["y", "x1", "x2"]), REPEATS)
    x = np.column_stack([dm["x1"], dm["x2"]])
    t_ols, f = timed(lambda: sm.OLS(dm["y"], x).fit(cov_type="cluster", cov_kwds={"groups": big.state.to_numpy()}), REPEATS)
    params = pd.Series(f.params, index=["x1", "x2"])
    bse = pd.Series(f.bse, index=["x1", "x2"])
    rows.append(("18,000 units x 33 years (%d rows)" % len(big),
                 "numpy two-way demeaning (%.0f ms) + statsmodels OLS on it (%.0f ms)" % (t_dm * 1e3, t_ols * 1e3),
                 t_dm + t_ols, go_ms[18000]))
    checks.append(("18,000 units, demeaned", big, params, bse, 2, "bench_agency_18000.csv"))

    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"statsmodels {statsmodels.__version__}; Go medians of {GO_COUNT} runs, Python of {REPEATS}; "
          f"{os.cpu_count()} CPUs, load average %.1f at the end" % os.getloadavg()[0])
    print()
    print("| panel | Python tool | Python (ms) | assay Go (ms) | Python / Go |")
    print("| --- | --- | ---: | ---: | ---: |")
    for task, tool, secs, g_ms in rows:
        print(f"| {task} | {tool} | {secs * 1e3:.0f} | {g_ms:.0f} | {secs * 1e3 / g_ms:.1f}x |")
    print()
    for name, df, params, bse, k_sm, csv in checks:
        ours, n = assay_fe(os.path.join(tmp, csv))
        assert n == len(df), (n, len(df))
        k_assay = 2 + YEARS  # slopes + year effects; unit effects are nested in the state clusters
        expect = np.sqrt((n - k_sm) / (n - k_assay))
        coef = max(abs(ours[v][0] - params[v]) / abs(params[v]) for v in ("x1", "x2"))
        se = max(abs(ours[v][1] / bse[v] / expect - 1) for v in ("x1", "x2"))
        print(f"{name}: largest relative coefficient difference {coef:.1e}; "
              f"SE ratio assay/statsmodels off sqrt((N-{k_sm})/(N-{k_assay})) by at most {se:.1e}")


if __name__ == "__main__":
    main()
