"""Survey KPIs (CSAT, NPS with its 95 % intervals, CES, unhappy share, response rate).

Definitions (the KPI glossary):

* ``csat`` = share of csat answers ≥ 4 (top-2 box on 1–5); ``csat_mean``; ``csat_n``.
* ``nps`` = 100 × (promoters 9–10 − detractors 0–6) / nps answers; ``nps_ci95`` the Wald
  half-width 1.96 × 100 × sqrt((pP + pD − (pP − pD)²) / n); ``nps_ci95_adjusted`` the same
  with n + 3 and promoters, detractors + ¾ (:mod:`cxtoolkit.stats`); ``nps_n``.
* ``ces_mean``; ``ces_easy`` = share ≥ 5 on a 1–7 scale, ≥ 4 on 1–5 (``kpi.ces_scale``); ``ces_n``.
* ``unhappy_share`` — per answer: csat ≤ 2 when the answer has a csat, else nps ≤ 6 when it
  has an nps; over the answers having either.
* ``n`` = answers (rows); ``too_few`` = n < ``kpi.min_answers`` (default 30): too few to conclude.
* ``response_rate`` = answers / survey sends (only with ``sends``; per group when the sends
  carry the ``by`` column or it is a time slicer on ``sent_at``).

Examples
--------
>>> import pandas as pd
>>> from cxtoolkit.config import ClientConfig
>>> r = pd.DataFrame({"responded_at": pd.to_datetime(["2026-05-04"] * 4),
...                   "nps": [10, 9, 6, 8.0], "csat": [5, 4, 2, float("nan")]})
>>> k = survey_kpis(r, ClientConfig(client="x"))
>>> k.loc["overall", ["nps", "csat", "unhappy_share"]].tolist()
[25.0, 0.6666666666666666, 0.25]
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cxtoolkit import rules
from cxtoolkit.config import ClientConfig
from cxtoolkit.errors import InputError
from cxtoolkit.kpis.groups import SLICERS, group_codes, normalize_by
from cxtoolkit.kpis.registry import SURVEY_KPIS
from cxtoolkit.stats import nps as _nps
from cxtoolkit.stats import nps_ci95, nps_ci95_adjusted, safe_div


__all__ = ["SURVEY_KPIS", "COUNTS", "SUMS", "answer_flags", "survey_counts", "survey_figures", "survey_kpis"]

#: the per-group counts the survey KPIs are computed from (:func:`survey_counts`; ``sent``: the
#: survey sends, with ``sends``) — each a count of answers per :func:`answer_flags` but ``n``
COUNTS = ("n", "csat_n", "csat_top2", "nps_n", "promoters", "passives", "detractors", "ces_n", "ces_easy",
          "unhappy", "unhappy_n")
#: the per-group sums (for the means): ``{sum: score}`` over the answers having the score
SUMS = {"csat_sum": "csat", "ces_sum": "ces"}


def answer_flags(csat, nps, ces, ces_scale: int = 7) -> dict:
    """Per answer, what each count of :data:`COUNTS` (but ``n``) counts, from the rules of
    :mod:`cxtoolkit.rules`: boolean arrays for NumPy score arrays (NaN: no answer), or DuckDB
    expressions for ``duckdb.ColumnExpression`` scores (the out-of-core engine counts them in
    SQL, :func:`cxtoolkit.outofcore.survey_counts_sql`). The one definition of what is counted.

    >>> f = answer_flags(np.array([5.0, np.nan]), np.array([9.0, 6.0]), np.array([np.nan, 5.0]))
    >>> f["csat_top2"].tolist(), f["promoters"].tolist(), f["unhappy"].tolist(), f["ces_easy"].tolist()
    ([True, False], [True, False], [False, True], [False, True])
    """
    has_c, has_n, has_e = rules.present(csat), rules.present(nps), rules.present(ces)
    return {
        "csat_n": has_c,
        "csat_top2": has_c & rules.csat_top2(csat),
        "nps_n": has_n,
        "promoters": has_n & rules.promoter(nps),
        "passives": has_n & rules.passive(nps),
        "detractors": has_n & rules.detractor(nps),
        "ces_n": has_e,
        "ces_easy": has_e & rules.ces_easy(ces, ces_scale),
        "unhappy": rules.very_unhappy(csat, nps),
        "unhappy_n": has_c | has_n,
    }


def _scores(frame: pd.DataFrame, col: str) -> np.ndarray:
    if col not in frame.columns:
        return np.full(len(frame), np.nan)
    return frame[col].to_numpy(dtype="float64", na_value=np.nan)


def survey_counts(responses: pd.DataFrame, cfg: ClientConfig, by=None,
                  sends: pd.DataFrame | None = None) -> pd.DataFrame:
    """The counts and sums of the survey KPIs per group of ``by`` (column, time slicer on
    ``responded_at``, or list): one row per group, columns :data:`COUNTS`, :data:`SUMS` (and
    ``sent``, the survey sends, with ``sends``: NaN when the sends cannot be split by ``by``).
    :func:`survey_figures` makes the KPIs of them.

    >>> r = pd.DataFrame({"responded_at": pd.to_datetime(["2026-05-04"] * 3), "nps": [10, 7, 3.0]})
    >>> survey_counts(r, ClientConfig(client="x")).loc["overall", ["n", "promoters", "passives", "detractors"]].tolist()
    [3, 1, 1, 1]
    """
    if "responded_at" not in responses.columns:
        raise InputError("error.kpis.missing_column_responded")
    groups = group_codes(responses, by, "responded_at", "responses")
    codes, g = groups.codes, groups.n
    scores = {c: _scores(responses, c) for c in ("csat", "nps", "ces")}
    flags = answer_flags(scores["csat"], scores["nps"], scores["ces"], cfg.kpi.ces_scale)
    out = {"n": np.bincount(codes, minlength=g)}
    for key in COUNTS[1:]:
        out[key] = np.bincount(codes, weights=flags[key].astype("float64"), minlength=g).astype("int64")
    for key, col in SUMS.items():
        out[key] = np.bincount(codes, weights=np.nan_to_num(scores[col]), minlength=g)
    if sends is not None:
        out["sent"] = _sent(sends, by, groups)
    return pd.DataFrame({key: np.atleast_1d(v) for key, v in out.items()}, index=groups.index)


def survey_figures(counts: pd.DataFrame, cfg: ClientConfig) -> pd.DataFrame:
    """The survey KPIs (:data:`SURVEY_KPIS`) from the counts of :func:`survey_counts` (or the
    same columns counted elsewhere: the out-of-core engine's SQL): rates, means, NPS and its
    intervals; ``response_rate`` when the counts have ``sent``. Pure: one row per row of
    ``counts``, same index; undefined ratios and means are NaN.

    >>> c = pd.DataFrame({"n": [4], "csat_n": [3], "csat_top2": [2], "csat_sum": [11.0], "nps_n": [4],
    ...                   "promoters": [2], "passives": [1], "detractors": [1], "ces_n": [0], "ces_easy": [0],
    ...                   "ces_sum": [0.0], "unhappy": [1], "unhappy_n": [4]}, index=["overall"])
    >>> survey_figures(c, ClientConfig(client="x")).loc["overall", ["nps", "csat", "ces_mean"]].tolist()
    [25.0, 0.6666666666666666, nan]
    """
    k = cfg.kpi

    def col(key):
        return counts[key].to_numpy()

    n, csat_n, nps_n, ces_n = col("n"), col("csat_n"), col("nps_n"), col("ces_n")
    prom, det = col("promoters"), col("detractors")
    out = {
        "n": n,
        "too_few": n < k.min_answers,
        "csat": safe_div(col("csat_top2"), csat_n),
        "csat_mean": safe_div(col("csat_sum"), csat_n),
        "csat_n": csat_n,
        "nps": _nps(prom, det, nps_n),
        "nps_ci95": nps_ci95(prom, det, nps_n),
        "nps_ci95_adjusted": np.where(nps_n > 0, nps_ci95_adjusted(prom, det, nps_n), np.nan),
        "nps_n": nps_n,
        "ces_mean": safe_div(col("ces_sum"), ces_n),
        "ces_easy": safe_div(col("ces_easy"), ces_n),
        "ces_n": ces_n,
        "unhappy_share": safe_div(col("unhappy"), col("unhappy_n")),
    }
    if "sent" in counts.columns:
        out["response_rate"] = np.atleast_1d(safe_div(n, col("sent")))
    return pd.DataFrame({key: np.atleast_1d(v) for key, v in out.items()}, index=counts.index)


def survey_kpis(responses: pd.DataFrame, cfg: ClientConfig, by=None,
                sends: pd.DataFrame | None = None) -> pd.DataFrame:
    """Survey KPIs per group of ``by`` (column, time slicer on ``responded_at``, or list):
    :func:`survey_figures` of :func:`survey_counts`.

    Returns one row per group, columns :data:`SURVEY_KPIS` (``response_rate`` only with
    ``sends``). Undefined ratios and means are NaN.

    >>> r = pd.DataFrame({"responded_at": pd.to_datetime(["2026-05-04", "2026-05-05"]),
    ...                   "ces": [6.0, 3.0], "channel": ["phone", "email"]})
    >>> survey_kpis(r, ClientConfig(client="x"), by="channel")["ces_easy"].tolist()
    [0.0, 1.0]
    """
    return survey_figures(survey_counts(responses, cfg, by, sends), cfg)


def _sent(sends: pd.DataFrame, by, groups) -> np.ndarray:
    """The survey sends per group of ``groups`` (NaN when the sends cannot be split by ``by``)."""
    keys = normalize_by(by)
    if any(key not in SLICERS and key not in sends.columns for key in keys):
        return np.full(groups.n, np.nan)  # sends cannot be split this way
    sg = group_codes(sends, keys, "sent_at", "sends")
    sent = pd.Series(np.bincount(sg.codes, minlength=sg.n), index=sg.index)
    return sent.reindex(groups.index).fillna(0).to_numpy()
