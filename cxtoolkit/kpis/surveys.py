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


__all__ = ["SURVEY_KPIS", "survey_kpis"]


def _scores(frame: pd.DataFrame, col: str) -> np.ndarray:
    if col not in frame.columns:
        return np.full(len(frame), np.nan)
    return frame[col].to_numpy(dtype="float64", na_value=np.nan)


def survey_kpis(responses: pd.DataFrame, cfg: ClientConfig, by=None,
                sends: pd.DataFrame | None = None) -> pd.DataFrame:
    """Survey KPIs per group of ``by`` (column, time slicer on ``responded_at``, or list).

    Returns one row per group, columns :data:`SURVEY_KPIS` (``response_rate`` only with
    ``sends``). Undefined ratios and means are NaN.

    >>> r = pd.DataFrame({"responded_at": pd.to_datetime(["2026-05-04", "2026-05-05"]),
    ...                   "ces": [6.0, 3.0], "channel": ["phone", "email"]})
    >>> survey_kpis(r, ClientConfig(client="x"), by="channel")["ces_easy"].tolist()
    [0.0, 1.0]
    """
    if "responded_at" not in responses.columns:
        raise InputError("responses: missing column responded_at")
    groups = group_codes(responses, by, "responded_at", "responses")
    codes, g = groups.codes, groups.n
    k = cfg.kpi

    def count(mask):
        return np.bincount(codes, weights=mask.astype("float64"), minlength=g).astype("int64")

    def total(values):
        return np.bincount(codes, weights=np.nan_to_num(values), minlength=g)

    csat, nps_v, ces = _scores(responses, "csat"), _scores(responses, "nps"), _scores(responses, "ces")
    has_c, has_n, has_e = ~np.isnan(csat), ~np.isnan(nps_v), ~np.isnan(ces)
    n = np.bincount(codes, minlength=g)
    csat_n, nps_n, ces_n = count(has_c), count(has_n), count(has_e)
    prom, det = count(has_n & rules.promoter(nps_v)), count(has_n & rules.detractor(nps_v))
    unhappy_row = rules.very_unhappy(csat, nps_v)
    out = {
        "n": n,
        "too_few": n < k.min_answers,
        "csat": safe_div(count(has_c & rules.csat_top2(csat)), csat_n),
        "csat_mean": safe_div(total(csat), csat_n),
        "csat_n": csat_n,
        "nps": _nps(prom, det, nps_n),
        "nps_ci95": nps_ci95(prom, det, nps_n),
        "nps_ci95_adjusted": np.where(nps_n > 0, nps_ci95_adjusted(prom, det, nps_n), np.nan),
        "nps_n": nps_n,
        "ces_mean": safe_div(total(ces), ces_n),
        "ces_easy": safe_div(count(has_e & rules.ces_easy(ces, k.ces_scale)), ces_n),
        "ces_n": ces_n,
        "unhappy_share": safe_div(count(unhappy_row), count(has_c | has_n)),
    }
    if sends is not None:
        out["response_rate"] = _response_rate(sends, by, groups, n)
    return pd.DataFrame({key: np.atleast_1d(v) for key, v in out.items()}, index=groups.index)


def _response_rate(sends: pd.DataFrame, by, groups, n: np.ndarray) -> np.ndarray:
    keys = normalize_by(by)
    if any(key not in SLICERS and key not in sends.columns for key in keys):
        return np.full(len(n), np.nan)  # sends cannot be split this way
    sg = group_codes(sends, keys, "sent_at", "sends")
    sent = pd.Series(np.bincount(sg.codes, minlength=sg.n), index=sg.index)
    sent = sent.reindex(groups.index).fillna(0).to_numpy()
    return np.atleast_1d(safe_div(n, sent))
