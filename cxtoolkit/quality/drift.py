"""Evaluator drift: each evaluator's gap to the panel consensus on the interactions scored by
several evaluators, and a test of whether it is significant and large."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cxtoolkit.quality.frames import as_string


def loo_median(units: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Median of the *other* values of each value's unit (NaN when alone), vectorised:
    the panel consensus each evaluator's score is compared with (:func:`calibration_units`).

    ``units`` and ``values`` are arrays of the same length; the result is aligned with them.

    >>> loo_median(np.array([0, 0, 0, 1]), np.array([10.0, 20.0, 60.0, 5.0])).tolist()
    [40.0, 35.0, 15.0, nan]
    """
    n = len(values)
    order = np.lexsort((values, units))
    u, v = units[order], values[order]
    starts = np.r_[0, np.flatnonzero(u[1:] != u[:-1]) + 1] if n else np.array([], dtype=int)
    sizes = np.diff(np.r_[starts, n])
    start = np.repeat(starts, sizes)
    m = np.repeat(sizes, sizes)
    pos = np.arange(n) - start
    k = m - 1
    j1 = np.where(k % 2 == 1, (k - 1) // 2, k // 2 - 1)
    j2 = np.where(k % 2 == 1, (k - 1) // 2, k // 2)
    j1, j2 = np.clip(j1, 0, None), np.clip(j2, 0, None)
    i1 = np.clip(start + j1 + (j1 >= pos), 0, max(n - 1, 0))
    i2 = np.clip(start + j2 + (j2 >= pos), 0, max(n - 1, 0))
    med = np.where(k >= 1, (v[i1] + v[i2]) / 2.0, np.nan) if n else np.array([])
    out = np.empty(n)
    out[order] = med
    return out


def calibration_units(scored: pd.DataFrame) -> pd.DataFrame:
    """Per contact × evaluator score (mean if scored twice) for contacts scored by ≥ 2
    evaluators, with ``consensus`` = median of the other evaluators and ``gap``."""
    d = scored.dropna(subset=["score"]).assign(contact_id=as_string(scored["contact_id"]),
                                                evaluator_id=as_string(scored["evaluator_id"]))
    d = d.groupby(["contact_id", "evaluator_id"], observed=True, sort=False)["score"].mean().reset_index()
    d = d.loc[d.groupby("contact_id")["evaluator_id"].transform("size") >= 2].reset_index(drop=True)
    u = pd.factorize(d["contact_id"])[0]
    cons = loo_median(u, d["score"].to_numpy(dtype="float64"))
    return d.assign(consensus=cons, gap=d["score"] - cons)


def evaluator_drift(units: pd.DataFrame, drift_points: float = 10.0, p_max: float = 0.05) -> pd.DataFrame:
    """Per evaluator: ``n`` calibration contacts, ``mean_gap`` to the panel consensus,
    one-sample t-test ``p_value`` and ``drifting`` = significant (p < p_max) and
    practically large (|mean_gap| > drift_points, default 10 % of the 0–100 scale)."""
    from scipy import stats as _st   # here, not at the top: `sample` and `barometer` need no scipy (0.6 s)

    g = units.groupby("evaluator_id", observed=True)["gap"]
    out = g.agg(n="count", mean_gap="mean", sd="std")
    with np.errstate(divide="ignore", invalid="ignore"):
        t = out["mean_gap"] / (out["sd"] / np.sqrt(out["n"]))
    p = pd.Series(2 * _st.t.sf(np.abs(t.to_numpy(dtype="float64")), (out["n"] - 1).clip(lower=1)),
                  index=out.index).where(out["n"] >= 2)
    p = p.where(~((out["sd"] == 0) & (out["mean_gap"] != 0) & (out["n"] >= 2)), 0.0)
    drifting = (p < p_max) & (out["mean_gap"].abs() > drift_points)
    return out.assign(p_value=p, drifting=drifting.fillna(False).astype(bool)).drop(columns="sd") \
        .reset_index().sort_values("mean_gap", key=np.abs, ascending=False, kind="stable") \
        .reset_index(drop=True)
