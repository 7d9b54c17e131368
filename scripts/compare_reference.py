#!/usr/bin/env python3
"""Reference values for mmmbench's comparison statistics (Sources/BenchCore/Comparison/).

Writes Tests/BenchCoreTests/Fixtures/compare_reference.json: fixed samples and what SciPy (or, where SciPy has no
function, the textbook formula written out below) computes for them. Run it again only to add cases:

    pip install scipy numpy
    python3 scripts/compare_reference.py

Sources of each value:
- normal cdf / quantile: scipy.stats.norm
- Mann-Whitney U: scipy.stats.mannwhitneyu(x, y, alternative="two-sided", method="auto")
- Wilcoxon signed-rank: scipy.stats.wilcoxon(d, zero_method="wilcox", correction=False, method="auto")
- Wilson interval: scipy.stats.binomtest(k, n).proportion_ci(confidence, method="wilson")
- Fisher exact: scipy.stats.fisher_exact(table, alternative="two-sided")
- Hodges-Lehmann estimates and intervals: SciPy has no function. Written out as R's wilcox.test(conf.int=TRUE,
  exact=TRUE) computes them (median of the differences / Walsh averages; k = qwilcox(alpha/2, m, n) or
  qsignrank(alpha/2, n), at least 1; interval [D(k), D(N+1-k)]), with the exact null distributions counted here in
  Python integers (independent of the Swift code's floating-point generating functions). Above the exact limits
  (m*n > 20000, n > 200 pairs) k = floor(N/2 - z*sigma), the textbook normal approximation.
- Newcombe's hybrid score interval (method 10), Holm's correction, the ratio-of-means intervals: the textbook
  formulas, written out below.
"""
import json
import math
import os
from statistics import median

import numpy as np
from scipy import stats

EXACT_PAIR_LIMIT = 20_000
EXACT_PAIRED_LIMIT = 200


def mwu_counts(m, n):
    """Counts of the Mann-Whitney U null distribution: arrangements of m x's among m+n (integer DP)."""
    # f[i][j][u]: number of sequences of i x's and j y's with U = u; built by the last element.
    prev = {(0, j): {0: 1} for j in range(n + 1)}
    table = {}
    for i in range(0, m + 1):
        for j in range(0, n + 1):
            if i == 0:
                table[(i, j)] = {0: 1}
                continue
            counts = {}
            # last element an x: it is above all j y's -> adds j
            for u, c in table[(i - 1, j)].items():
                counts[u + j] = counts.get(u + j, 0) + c
            if j > 0:
                for u, c in table[(i, j - 1)].items():
                    counts[u] = counts.get(u, 0) + c
            table[(i, j)] = counts
    d = table[(m, n)]
    return [d.get(u, 0) for u in range(m * n + 1)]


def signrank_counts(n):
    counts = [1]
    for i in range(1, n + 1):
        new = counts + [0] * i
        for k in range(len(counts)):
            new[k + i] += counts[k]
        counts = new
    return counts


def quantile_from_counts(counts, p):
    total = sum(counts)
    cumulative = 0
    for k, c in enumerate(counts):
        cumulative += c
        if cumulative / total >= p - 10 * 2.220446049250313e-16:
            return k
    return len(counts) - 1


def interval(sorted_values, k):
    n = len(sorted_values)
    k = min(max(k, 1), n)
    upper = max(n + 1 - k, k)
    return sorted_values[k - 1], sorted_values[upper - 1]


def hl_two_sample(x, y, confidence):
    diffs = sorted(c - b for b in x for c in y)
    m, n = len(x), len(y)
    alpha = 1 - confidence
    if m * n <= EXACT_PAIR_LIMIT:
        k = quantile_from_counts(mwu_counts(min(m, n), max(m, n)), alpha / 2)
        exact = True
    else:
        z = stats.norm.ppf(1 - alpha / 2)
        k = math.floor(m * n / 2 - z * math.sqrt(m * n * (m + n + 1) / 12))
        exact = False
    lo, hi = interval(diffs, k)
    return {"estimate": median(diffs), "lower": lo, "upper": hi, "exact": exact}


def hl_paired(d, confidence):
    n = len(d)
    walsh = sorted((d[i] + d[j]) / 2 for i in range(n) for j in range(i, n))
    alpha = 1 - confidence
    if n <= EXACT_PAIRED_LIMIT:
        k = quantile_from_counts(signrank_counts(n), alpha / 2)
        exact = True
    else:
        z = stats.norm.ppf(1 - alpha / 2)
        k = math.floor(len(walsh) / 2 - z * math.sqrt(n * (n + 1) * (2 * n + 1) / 24))
        exact = False
    lo, hi = interval(walsh, k)
    return {"estimate": median(walsh), "lower": lo, "upper": hi, "exact": exact}


def wilson(k, n, confidence):
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    return {"estimate": k / n, "lower": float(ci.low), "upper": float(ci.high)}


def newcombe(k1, n1, k2, n2, confidence):
    a, b = wilson(k1, n1, confidence), wilson(k2, n2, confidence)
    p1, l1, u1 = a["estimate"], a["lower"], a["upper"]
    p2, l2, u2 = b["estimate"], b["lower"], b["upper"]
    d = p1 - p2
    return {"estimate": d, "lower": d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
            "upper": d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)}


def holm(ps):
    order = sorted(range(len(ps)), key=lambda i: ps[i])
    m = len(ps)
    out = [0.0] * m
    running = 0.0
    for pos, i in enumerate(order):
        running = max(running, min(1.0, (m - pos) * ps[i]))
        out[i] = running
    return out


def ratio_independent(b, c, confidence):
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    mb, mc = np.mean(b), np.mean(c)
    se = math.sqrt(np.var(c, ddof=1) / (len(c) * mc ** 2) + np.var(b, ddof=1) / (len(b) * mb ** 2))
    r = mc / mb
    return {"ratio": r, "lower": r * math.exp(-z * se), "upper": r * math.exp(z * se)}


def ratio_paired(b, c, confidence):
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    b, c = np.array(b), np.array(c)
    n = len(b)
    r = c.sum() / b.sum()
    se = math.sqrt(((c - r * b) ** 2).sum() / (n * (n - 1) * b.mean() ** 2))
    return {"ratio": r, "lower": r - z * se, "upper": r + z * se}


def main():
    rng = np.random.default_rng(20261206)
    r6 = lambda a: [round(float(v), 6) for v in a]

    two_sample = [
        ("small exact", r6(rng.lognormal(1.0, 0.3, 6)), r6(rng.lognormal(0.5, 0.3, 7))),
        ("one side of 3", r6(rng.lognormal(2.0, 0.2, 3)), r6(rng.lognormal(2.0, 0.2, 30))),
        ("ties, small", [1.0, 2.0, 2.0, 3.0, 5.0], [2.0, 3.0, 3.0, 4.0, 6.0, 7.0]),
        ("medium", r6(rng.lognormal(1.5, 0.4, 27)), r6(rng.lognormal(0.9, 0.4, 27))),
        ("no difference", r6(rng.lognormal(1.0, 0.5, 20)), r6(rng.lognormal(1.0, 0.5, 25))),
        ("large, normal interval", r6(rng.lognormal(1.0, 0.5, 160)), r6(rng.lognormal(0.8, 0.5, 150))),
        ("rounded with ties", r6(np.round(rng.normal(10, 2, 40))), r6(np.round(rng.normal(11, 2, 35)))),
    ]
    mann_whitney, hodges_lehmann = [], []
    for name, x, y in two_sample:
        res = stats.mannwhitneyu(x, y, alternative="two-sided", method="auto")
        mann_whitney.append({"name": name, "x": x, "y": y, "statistic": float(res.statistic),
                             "p_value": float(res.pvalue)})
        for confidence in (0.95, 0.9):
            hl = hl_two_sample(x, y, confidence)
            hodges_lehmann.append({"name": name, "x": x, "y": y, "confidence": confidence, **hl})

    paired = [
        ("exact 10", r6(rng.normal(-0.6, 0.1, 10))),
        ("exact 27", r6(rng.normal(-0.05, 0.2, 27))),
        ("zeros, permutation", [0.0, 0.5, -0.25, 1.0, 0.75, 0.0, 1.5, 2.0, -0.5, 1.25]),
        ("ties, permutation", [1.0, 1.0, -1.0, 2.0, 2.0, 3.0, -0.5, 4.0]),
        ("ties, asymptotic", r6(np.round(rng.normal(0.4, 1.0, 30)))),
        ("large asymptotic", r6(rng.normal(0.1, 1.0, 80))),
        ("beyond exact interval limit", r6(rng.normal(-0.2, 0.5, 230))),
    ]
    wilcoxon, walsh = [], []
    for name, d in paired:
        res = stats.wilcoxon(d, zero_method="wilcox", correction=False, alternative="two-sided", method="auto")
        wilcoxon.append({"name": name, "d": d, "statistic": float(res.statistic), "p_value": float(res.pvalue)})
        nz = [v for v in d if v != 0]
        walsh.append({"name": name, "d": d, "confidence": 0.95, **hl_paired(d, 0.95)})
    rates = [(27, 27), (26, 27), (0, 10), (17, 20), (95, 100), (1, 3), (480, 500)]
    wilson_cases = [{"successes": k, "total": n, "confidence": cf, **wilson(k, n, cf)}
                    for k, n in rates for cf in (0.95, 0.99)]
    newcombe_cases = [{"successes1": k1, "total1": n1, "successes2": k2, "total2": n2, "confidence": 0.95,
                       **newcombe(k1, n1, k2, n2, 0.95)}
                      for (k1, n1), (k2, n2) in [((27, 27), (26, 27)), ((17, 20), (20, 20)), ((95, 100), (80, 100)),
                                                 ((1, 3), (0, 10)), ((480, 500), (490, 500))]]
    tables = [[[27, 0], [20, 7]], [[3, 1], [1, 3]], [[10, 0], [0, 10]], [[95, 5], [80, 20]], [[26, 1], [27, 0]],
              [[0, 5], [0, 7]], [[480, 20], [490, 10]], [[7, 2], [3, 9]]]
    fisher = [{"table": t, "p_value": float(stats.fisher_exact(t, alternative="two-sided")[1])} for t in tables]
    holm_cases = [{"p": ps, "adjusted": holm(ps)} for ps in
                  [[0.01, 0.04, 0.03, 0.005], [0.5, 0.2, 0.9], [0.001, 0.001, 0.2, 0.04, 0.8]]]
    normal = {"cdf": [{"x": x, "p": float(stats.norm.cdf(x))} for x in (-8.0, -3.1, -1.0, 0.0, 0.5, 1.96, 6.0)],
              "quantile": [{"p": p, "x": float(stats.norm.ppf(p))}
                           for p in (1e-10, 0.001, 0.01, 0.025, 0.2, 0.5, 0.8, 0.975, 0.995, 0.999999)]}
    ratio_cases = []
    for name, b, c in [("costs", r6(rng.lognormal(-3, 0.8, 27)), r6(rng.lognormal(-3.6, 0.8, 27))),
                       ("cpu hours", r6(rng.lognormal(0, 0.3, 12)), r6(rng.lognormal(0.1, 0.3, 12)))]:
        ratio_cases.append({"name": name, "baseline": b, "candidate": c, "confidence": 0.95,
                            "independent": ratio_independent(b, c, 0.95), "paired": ratio_paired(b, c, 0.95)})
    exact = {"mann_whitney": [{"m": m, "n": n, "counts": [str(c) for c in mwu_counts(m, n)]}
                              for m, n in [(3, 4), (5, 5), (8, 12)]],
             "signed_rank": [{"n": n, "counts": [str(c) for c in signrank_counts(n)]} for n in (5, 12)]}
    fixture = {"generated_by": "scripts/compare_reference.py", "scipy": stats.__name__ and __import__("scipy").__version__,
               "numpy": np.__version__, "normal": normal, "exact_distributions": exact,
               "mann_whitney": mann_whitney, "hodges_lehmann_two_sample": hodges_lehmann, "wilcoxon": wilcoxon,
               "hodges_lehmann_paired": walsh, "wilson": wilson_cases, "newcombe": newcombe_cases,
               "fisher": fisher, "holm": holm_cases, "ratio": ratio_cases}
    out = os.path.join(os.path.dirname(__file__), "..", "Tests", "BenchCoreTests", "Fixtures",
                       "compare_reference.json")
    with open(out, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
