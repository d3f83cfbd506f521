"""Inter-rater agreement: Krippendorff's alpha (interval / nominal) with a bootstrap CI, and ICC.

Used by quality calibration (two or more evaluators scoring the same interactions) and
usable for any reliability question (e.g. two consultants coding the same verbatims).
Vectorised: the pairable values of all units are reduced to per-unit sums once, so a
bootstrap over units is a weighted sum, not a re-computation.

Examples
--------
>>> import pandas as pd
>>> round(krippendorff_alpha(pd.DataFrame({"unit": [1, 1, 2, 2, 3, 3],
...     "value": [1.0, 1.0, 2.0, 2.0, 3.0, 4.0]})), 3)
0.878
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from cxtoolkit.errors import InputError

def _unit_stats(units: np.ndarray, values: np.ndarray, metric: str) -> tuple[np.ndarray, np.ndarray | None]:
    """Per pairable unit (≥ 2 values): [m, D_o contribution, Σv, Σv²] (interval) or
    [m, D_o contribution] plus per-category counts (nominal)."""
    ok = ~pd.isna(values)
    u_codes, uniq = pd.factorize(pd.Series(units)[ok], sort=False)
    v = np.asarray(values, dtype="float64")[ok] if metric == "interval" else np.asarray(values)[ok]
    m = np.bincount(u_codes, minlength=len(uniq)).astype("float64")
    keep = m >= 2
    if metric == "interval":
        s1 = np.bincount(u_codes, weights=v, minlength=len(uniq))
        s2 = np.bincount(u_codes, weights=v * v, minlength=len(uniq))
        mm = np.where(keep, m, 2.0)
        do = np.where(keep, 2.0 * (m * s2 - s1 * s1) / (mm - 1.0), 0.0)
        return np.column_stack([m, do, s1, s2])[keep], None
    c_codes, _ = pd.factorize(pd.Series(v), sort=True)
    counts = np.zeros((len(uniq), c_codes.max() + 1 if len(c_codes) else 0))
    np.add.at(counts, (u_codes, c_codes), 1.0)
    mm = np.where(keep, m, 2.0)
    do = np.where(keep, (m * m - (counts ** 2).sum(axis=1)) / (mm - 1.0), 0.0)
    return np.column_stack([m, do])[keep], counts[keep]


def _alpha_from_sums(sums: np.ndarray, cat: np.ndarray | None, metric: str) -> np.ndarray:
    """Alpha from summed unit statistics (rows = bootstrap replicates)."""
    sums = np.atleast_2d(sums)
    n, do = sums[:, 0], sums[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        if metric == "interval":
            t1, t2 = sums[:, 2], sums[:, 3]
            de = 2.0 * (n * t2 - t1 * t1) / (n * (n - 1.0))
        else:
            cat = np.atleast_2d(cat)
            de = (n * n - (cat ** 2).sum(axis=1)) / (n * (n - 1.0))
        a = 1.0 - (do / n) / de
    return np.where((n >= 2) & (de > 1e-12), a, np.nan)


def krippendorff_alpha(data: pd.DataFrame, unit: str = "unit", value: str = "value",
                       metric: str = "interval") -> float:
    """Krippendorff's alpha from long data (one row per unit × coder value).

    Interval metric: D_o = (1/n) Σ_u Σ_{i≠j}(v_i − v_j)² / (m_u − 1) over units with
    m_u ≥ 2 values, D_e = Σ_{i≠j over all pairable values}(v_i − v_j)² / (n(n − 1)),
    alpha = 1 − D_o / D_e. ``metric="nominal"`` uses the mismatch count instead. NaN when
    undefined (fewer than 2 pairable values or no variation at all).

    >>> import pandas as pd
    >>> krippendorff_alpha(pd.DataFrame({"unit": [1, 1, 2, 2], "value": [3.0, 3.0, 5.0, 5.0]}))
    1.0
    """
    if metric not in ("interval", "nominal"):
        raise InputError("error.agreement.use_interval_nominal", metric=repr(metric))
    st, cat = _unit_stats(data[unit].to_numpy(), data[value].to_numpy(), metric)
    return float(_alpha_from_sums(st.sum(axis=0), None if cat is None else cat.sum(axis=0), metric)[0])


def krippendorff_alpha_matrix(reliability: Any, metric: str = "interval") -> float:
    """Alpha from a coders × units matrix (NaN = missing), as in Krippendorff's papers."""
    mat = np.asarray(reliability, dtype="float64")
    coders, units = np.indices(mat.shape)
    df = pd.DataFrame({"unit": units.ravel(), "value": mat.ravel()})
    return krippendorff_alpha(df, metric=metric)


def alpha_with_ci(data: pd.DataFrame, unit: str = "unit", value: str = "value",
                  metric: str = "interval", n_boot: int = 1000, seed: int = 0,
                  level: float = 0.95) -> dict:
    """Alpha, a percentile bootstrap CI over units (seeded) and the number of units.

    Returns ``{"alpha", "ci95": [low, high], "n_units"}`` (None where undefined).
    """
    st, cat = _unit_stats(data[unit].to_numpy(), data[value].to_numpy(), metric)
    n_units = int(len(st))
    alpha = float(_alpha_from_sums(st.sum(axis=0), None if cat is None else cat.sum(axis=0), metric)[0])
    ci: list = [None, None]
    if n_units >= 2 and n_boot > 0 and not math.isnan(alpha):
        rng = np.random.default_rng(seed)
        full = np.ascontiguousarray(st if cat is None else np.hstack([st, cat]))
        chunk = max(1, int(4_000_000 // max(1, n_units * full.shape[1])))
        reps = []
        for start in range(0, n_boot, chunk):  # chunks of replicates, vectorised inside
            b = min(chunk, n_boot - start)
            idx = rng.integers(0, n_units, size=(b, n_units))
            sums = np.column_stack([np.take(full[:, j], idx).sum(axis=1) for j in range(full.shape[1])])
            reps.append(_alpha_from_sums(sums[:, :st.shape[1]],
                                         None if cat is None else sums[:, st.shape[1]:], metric))
        reps = np.concatenate(reps)
        reps = reps[~np.isnan(reps)]
        if len(reps):
            q = (1 - level) / 2
            ci = [float(np.quantile(reps, q)), float(np.quantile(reps, 1 - q))]
    return {"alpha": None if math.isnan(alpha) else alpha, "ci95": ci, "n_units": n_units}


def icc(data: pd.DataFrame, unit: str = "unit", rater: str = "rater", value: str = "value") -> dict:
    """Intraclass correlations (Shrout & Fleiss 1979).

    ``icc1`` — one-way random, single rater, valid for unbalanced designs (k0 correction);
    ``icc2_1`` — two-way random, absolute agreement, single rater, on the units scored by
    *every* rater (NaN when fewer than 2 such units). Values averaged per unit × rater.

    >>> import pandas as pd, numpy as np
    >>> m = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]])
    >>> d = pd.DataFrame({"unit": np.repeat(range(6), 4), "rater": np.tile(range(4), 6), "value": m.ravel()})
    >>> {k: round(v, 2) for k, v in icc(d).items()}
    {'icc1': 0.17, 'icc2_1': 0.29}
    """
    d = data[[unit, rater, value]].dropna()
    d = d.groupby([unit, rater], observed=True, sort=False)[value].mean().reset_index()
    m = d.groupby(unit, observed=True)[value].transform("size")
    d = d.loc[m >= 2]
    out = {"icc1": float("nan"), "icc2_1": float("nan")}
    if d[unit].nunique() >= 2:
        g = d.groupby(unit, observed=True)[value]
        mu, mi, mean_u = d[value].mean(), g.size(), g.mean()
        N, U = len(d), len(mi)
        ssb = float((mi * (mean_u - mu) ** 2).sum())
        ssw = float(((d[value] - g.transform("mean")) ** 2).sum())
        msb, msw = ssb / (U - 1), ssw / (N - U)
        k0 = (N - float((mi ** 2).sum()) / N) / (U - 1)
        den = msb + (k0 - 1) * msw
        out["icc1"] = (msb - msw) / den if den > 0 else float("nan")
    wide = data[[unit, rater, value]].dropna().pivot_table(index=unit, columns=rater, values=value,
                                                           aggfunc="mean", observed=True)
    wide = wide.dropna(axis=0, how="any") if wide.shape[1] >= 2 else wide.iloc[0:0]
    n, k = wide.shape
    if n >= 2 and k >= 2:
        x = wide.to_numpy(dtype="float64")
        gm = x.mean()
        ssr = k * ((x.mean(axis=1) - gm) ** 2).sum()
        ssc = n * ((x.mean(axis=0) - gm) ** 2).sum()
        sse = ((x - gm) ** 2).sum() - ssr - ssc
        msr, msc, mse = ssr / (n - 1), ssc / (k - 1), sse / ((n - 1) * (k - 1))
        den = msr + (k - 1) * mse + k * (msc - mse) / n
        out["icc2_1"] = float((msr - mse) / den) if den > 0 else float("nan")
    return out
