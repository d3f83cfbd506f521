"""What changed since the last audit, with significance where it applies. Pure functions.

Input rows are the long KPI rows of the warehouse (``kpi``, ``segment_by``, ``segment``,
``value``, ``n``, ``se``). Two audits are compared KPI by KPI and segment by segment:

* **NPS**: z = ΔNPS / sqrt(SE₁² + SE₂²), SE being the standard error of each NPS in points
  (the KPI glossary: |ΔNPS| > 1.96 × sqrt(SE₁² + SE₂²) is the same test at 5 %, one test);
* **rates** (registry unit ``ratio``: answer rate, CSAT top-2, service level…): pooled
  two-proportion z-test on k = rate × n successes out of n;
* anything else (means, counts, durations) is shown without a test (``test`` is None), and
  so is a repeat rate (or FCR) with censored windows in either audit: the last weeks of a
  file cannot be followed, so its rate is low by construction.

Many KPI × segment pairs are tested at once, so a few would pass p < 0.05 by chance: the
raw p-values (``p_value``) of one comparison are adjusted together by Benjamini–Hochberg
(:func:`cxtoolkit.stats.fdr_bh`, ``p_adjusted``) and a change is ``significant`` when its
adjusted p-value is below 0.05 (false-discovery rate 5 %).

Examples
--------
>>> import pandas as pd
>>> prev = pd.DataFrame({"kpi": ["csat"], "segment_by": ["overall"], "segment": ["overall"],
...                      "value": [0.15], "n": [100.0], "se": [float("nan")]})
>>> cur = prev.assign(value=[0.30])
>>> r = what_changed(prev, cur).iloc[0]
>>> round(float(r["delta"]), 2), round(float(r["p_value"]), 4), bool(r["significant"])
(0.15, 0.0111, True)
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cxtoolkit import stats
from cxtoolkit.kpis.registry import CENSORED_BY, KPIS

KEY = ["kpi", "segment_by", "segment"]
ALPHA = 0.05


def _direction(kpi: pd.Series, delta: pd.Series) -> pd.Series:
    """``better`` / ``worse`` / ``flat`` / ``changed`` from the KPI's direction."""
    d = kpi.map(lambda k: KPIS[k].direction if k in KPIS else "none")
    sign = np.sign(delta.to_numpy(dtype="float64"))
    out = np.where(sign == 0, "flat", "changed")
    out = np.where((d == "higher").to_numpy() & (sign > 0), "better", out)
    out = np.where((d == "higher").to_numpy() & (sign < 0), "worse", out)
    out = np.where((d == "lower").to_numpy() & (sign < 0), "better", out)
    out = np.where((d == "lower").to_numpy() & (sign > 0), "worse", out)
    out = np.where(np.isnan(sign), "", out)
    return pd.Series(out, index=kpi.index, dtype="object")


def _censored(m: pd.DataFrame, previous: pd.DataFrame, current: pd.DataFrame) -> np.ndarray:
    """Rows of ``m`` whose rate has censored windows (:data:`~cxtoolkit.kpis.registry.CENSORED_BY`)
    in either audit's same segment: not comparable with a test."""
    out = np.zeros(len(m), dtype=bool)
    for frame in (previous, current):
        if not {"kpi", "segment_by", "segment", "value"} <= set(frame.columns):
            continue
        counts = frame.assign(value=pd.to_numeric(frame["value"], errors="coerce"))
        counts = counts.set_index(["kpi", "segment_by", "segment"])["value"]
        counts = counts[~counts.index.duplicated()]
        keys = pd.MultiIndex.from_arrays([m["kpi"].map(CENSORED_BY), m["segment_by"], m["segment"]])
        out |= (counts.reindex(keys).to_numpy(dtype="float64", na_value=np.nan) > 0)
    return out


def what_changed(previous: pd.DataFrame, current: pd.DataFrame, alpha: float = ALPHA) -> pd.DataFrame:
    """Compare two audits' KPI rows.

    Parameters
    ----------
    previous, current : long KPI rows (``kpi``, ``segment_by``, ``segment``, ``value``,
        ``n``, ``se``) of the earlier and the later audit.
    alpha : false-discovery rate of the Benjamini–Hochberg adjustment (``p_adjusted < alpha``).

    Returns
    -------
    DataFrame with one row per KPI × segment present in both: ``previous``, ``current``,
    ``delta`` (current − previous), ``test`` (``"nps"``, ``"two-proportion"`` or None),
    ``z``, ``p_value`` (raw), ``p_adjusted`` (Benjamini–Hochberg over every tested row),
    ``significant`` (``p_adjusted < alpha``; bool, or None when no test applies: a repeat
    rate or FCR with censored windows in either audit is not tested),
    ``direction`` (``better``/``worse``/``flat``/``changed``), ``label_fr``, ``label_en``.

    >>> prev = pd.DataFrame({"kpi": ["nps"], "segment_by": ["overall"], "segment": ["overall"],
    ...                      "value": [20.0], "n": [400.0], "se": [4.0]})
    >>> cur = prev.assign(value=[32.0], se=[3.0])
    >>> r = what_changed(prev, cur).iloc[0]
    >>> bool(r["significant"]), round(float(r["z"]), 2), round(float(r["p_value"]), 4)   # 12 > 1.96 × 5
    (True, 2.4, 0.0164)
    """
    cols = KEY + ["value", "n", "se"]
    p = previous.reindex(columns=cols)
    c = current.reindex(columns=cols)
    m = c.merge(p, on=KEY, how="inner", suffixes=("_cur", "_prev"))
    for col in ("value_cur", "value_prev", "n_cur", "n_prev", "se_cur", "se_prev"):
        m[col] = pd.to_numeric(m[col], errors="coerce").astype("float64")
    out = pd.DataFrame({
        "kpi": m["kpi"].astype("object"), "segment_by": m["segment_by"].astype("object"),
        "segment": m["segment"].astype("object"),
        "previous": m["value_prev"], "current": m["value_cur"],
        "n_previous": m["n_prev"], "n_current": m["n_cur"],
    })
    out["delta"] = out["current"] - out["previous"]
    unit = out["kpi"].map(lambda k: KPIS[k].unit if k in KPIS else "")
    is_nps = (out["kpi"] == "nps").to_numpy()
    is_rate = (unit == "ratio").to_numpy()

    # NPS: z = Δ / sqrt(SE1² + SE2²) (|Δ| > 1.96·sqrt(SE1² + SE2²) ⇔ raw p < 0.05)
    se_d = np.sqrt(m["se_cur"].to_numpy() ** 2 + m["se_prev"].to_numpy() ** 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        z_nps = np.where(se_d > 0, out["delta"].to_numpy() / np.where(se_d > 0, se_d, 1.0), np.nan)
    p_nps = np.asarray(stats.nps_diff_pvalue(m["value_cur"].to_numpy(), m["se_cur"].to_numpy(),
                                             m["value_prev"].to_numpy(), m["se_prev"].to_numpy()), dtype="float64")

    # rates: two-proportion z-test on k = rate × n
    n1, n2 = m["n_cur"].to_numpy(), m["n_prev"].to_numpy()
    k1, n2k = np.round(m["value_cur"].to_numpy() * n1), np.round(m["value_prev"].to_numpy() * n2)
    z_rate = np.asarray(stats.two_proportion_z(k1, n1, n2k, n2), dtype="float64")
    p_rate = np.asarray(stats.two_proportion_pvalue(k1, n1, n2k, n2), dtype="float64")

    nps_ok = is_nps & ~np.isnan(p_nps)
    rate_ok = is_rate & ~is_nps & ~np.isnan(p_rate) & ~_censored(m, previous, current)
    tested = nps_ok | rate_ok
    out["test"] = np.where(nps_ok, "nps", np.where(rate_ok, "two-proportion", None))
    out["z"] = np.where(nps_ok, z_nps, np.where(rate_ok, z_rate, np.nan))
    out["p_value"] = np.where(nps_ok, p_nps, np.where(rate_ok, p_rate, np.nan))
    # one family: every KPI × segment tested in this comparison (Benjamini–Hochberg)
    out["p_adjusted"] = stats.fdr_bh(out["p_value"].to_numpy())
    sig = tested & (out["p_adjusted"].to_numpy() < alpha)
    out["significant"] = pd.Series(np.where(tested, sig, None), dtype="object")
    out["direction"] = _direction(out["kpi"], out["delta"])
    out["label_fr"] = out["kpi"].map(lambda k: KPIS[k].label("fr") if k in KPIS else k)
    out["label_en"] = out["kpi"].map(lambda k: KPIS[k].label("en") if k in KPIS else k)
    return out.reset_index(drop=True)


def previous_period(history: pd.DataFrame, client: str, period: str) -> str | None:
    """The period audited just before ``period`` for ``client`` (by start date, then label).

    >>> h = pd.DataFrame({"client": ["a"] * 3, "period": ["2026-08", "2026-09", "2026-10"],
    ...                   "period_start": ["2026-08-01", "2026-09-01", "2026-10-01"]})
    >>> previous_period(h, "a", "2026-10")
    '2026-09'
    >>> previous_period(h, "a", "2026-08") is None
    True
    """
    if history is None or history.empty:
        return None
    h = history[history["client"] == client]
    if "period_start" not in h.columns:
        h = h.assign(period_start="")
    periods = (h[["period", "period_start"]].astype("object").fillna("").drop_duplicates("period")
               .sort_values(["period_start", "period"]))
    order = periods["period"].tolist()
    if period in order:
        i = order.index(period)
        return order[i - 1] if i > 0 else None
    # current not stored yet: the last one sorting before it
    earlier = [p for p in order if p < period]
    return earlier[-1] if earlier else None


def trend(history: pd.DataFrame, client: str, kpis: list[str] | tuple[str, ...],
          segment_by: str = "overall", segment: str = "overall") -> pd.DataFrame:
    """Periods × KPIs table of one segment's values across audits (oldest first).

    >>> h = pd.DataFrame({"client": ["a", "a"], "period": ["2026-09", "2026-10"],
    ...                   "period_start": ["2026-09-01", "2026-10-01"], "segment_by": "overall",
    ...                   "segment": "overall", "kpi": "nps", "value": [10.0, 14.0]})
    >>> trend(h, "a", ["nps"])["nps"].tolist()
    [10.0, 14.0]
    """
    if history is None or history.empty:
        return pd.DataFrame(columns=list(kpis))
    h = history[(history["client"] == client) & (history["segment_by"] == segment_by)
                & (history["segment"] == segment) & history["kpi"].isin(list(kpis))]
    if "period_start" not in h.columns:
        h = h.assign(period_start="")
    t = h.pivot_table(index=["period_start", "period"], columns="kpi", values="value", aggfunc="last")
    t = t.sort_index().reset_index(level=0, drop=True)
    t.columns.name = None
    return t.reindex(columns=[k for k in kpis if k in t.columns])
