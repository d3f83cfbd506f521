"""KPIs recomputed from an outsourcer's aggregated daily reports (one row per date × queue).

Outsourcers send a daily Excel file (``Appels présentés``, ``Appels décrochés``,
``Abandons``, ``DMA``, ``DMT`` per queue); ``cxtoolkit.io`` loads it as the
``daily_reports`` table. Aggregating it over days or queues must weight the averages by
the calls they rest on: the ASA of a week is ``sum(asa_s × answered) / sum(answered)``,
never the mean of the daily ASAs (a quiet day with a short wait would otherwise count as
much as a busy day with a long one). AHT likewise, weighted by answered calls. The report's
own service level (share of the offered calls answered within its threshold, "Service Level
(20 Seconds)", "Niveau de service") is weighted by the calls it rests on, the offered calls.

Rates: ``answer_rate = answered / offered``, ``abandonment_rate = abandoned / offered``;
an empty denominator gives NaN, never 0.

Examples
--------
>>> import pandas as pd
>>> daily = pd.DataFrame({"date": pd.to_datetime(["2024-03-04", "2024-03-05"]),
...                       "queue": ["sales", "sales"], "offered": [100, 10],
...                       "answered": [90, 10], "abandoned": [10, 0],
...                       "asa_s": [60.0, 10.0], "aht_s": [300.0, 200.0]})
>>> k = daily_report_kpis(daily)
>>> k.loc["overall", ["answered", "asa_s", "aht_s"]].tolist()
[100.0, 55.0, 290.0]
>>> float(daily["asa_s"].mean())  # the mean of means would say 35 s
35.0
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cxtoolkit.kpis.groups import calendar_order
from cxtoolkit.kpis.registry import DAILY_KPIS
from cxtoolkit.rules import WEEKDAYS, period_label

TIME_SLICERS = ("date", "week", "month", "weekday")
COUNTS = ("offered", "answered", "abandoned")
#: The averages of a daily report and the count each is weighted by over days / queues.
WEIGHTED = {"asa_s": "answered", "service_level": "offered", "aht_s": "answered"}
KPI_COLUMNS = ["days", *DAILY_KPIS]


def _slice(daily: pd.DataFrame, name: str) -> pd.Series:
    d = pd.to_datetime(daily["date"])
    if name in ("date", "week", "month"):
        return period_label(d, name)
    if name == "weekday":
        return d.dt.day_of_week.map(dict(enumerate(WEEKDAYS)))
    raise KeyError(name)


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    den = den.astype("float64")
    return (num.astype("float64") / den.where(den > 0)).astype("float64")


def daily_report_kpis(daily: pd.DataFrame, by: str | list[str] | None = None) -> pd.DataFrame:
    """Answer rate, abandonment rate, weighted ASA and AHT from daily reports.

    Parameters
    ----------
    daily : DataFrame
        Canonical ``daily_reports``: ``date``, ``queue`` (optional), ``offered``,
        ``answered``, ``abandoned`` (optional), ``asa_s``, ``aht_s``, ``service_level`` (optional).
    by : str or list of str, optional
        A column (``queue``…) or a time slicer (``date``, ``week`` — ISO ``2024-W10``,
        ``month`` — ``2024-03``, ``weekday``), or a list of them. None: one row ``overall``.

    Returns
    -------
    DataFrame
        One row per group (index named after ``by``), columns ``days`` (distinct dates),
        ``offered``, ``answered``, ``abandoned``, ``answer_rate``, ``abandonment_rate``,
        ``asa_s``, ``service_level``, ``aht_s`` (:data:`WEIGHTED`). A day whose ASA (AHT,
        service level) is missing is left out of that average's numerator *and* denominator.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"date": pd.to_datetime(["2024-03-04"] * 2), "queue": ["a", "b"],
    ...                   "offered": [0, 50], "answered": [0, 40], "abandoned": [0, 10],
    ...                   "asa_s": [None, 20.0], "aht_s": [None, 180.0]})
    >>> daily_report_kpis(d, by="queue")["answer_rate"].tolist()
    [nan, 0.8]
    """
    df = daily.copy()
    for c in COUNTS:
        df[c] = df[c].astype("float64") if c in df else np.nan
    for c in WEIGHTED:
        df[c] = df[c].astype("float64") if c in df else np.nan
    keys: list[str] = []
    for b in ([by] if isinstance(by, str) else list(by or [])):
        if b in TIME_SLICERS:
            col = f"__{b}"
            df[col] = _slice(df, b)
            keys.append(col)
        elif b in df.columns:
            keys.append(b)
        else:
            raise KeyError(f"daily_report_kpis: unknown grouping {b!r} (columns or {', '.join(TIME_SLICERS)})")
    if not keys:
        df["__overall"] = "overall"
        keys = ["__overall"]
    for c, w in WEIGHTED.items():
        known = df[c].notna() & df[w].notna()
        df[f"{c}__num"] = (df[c] * df[w]).where(known)
        df[f"{c}__den"] = df[w].where(known)
    agg = df.groupby(keys, observed=True, sort=True, dropna=False).agg(
        days=("date", "nunique"), offered=("offered", "sum"), answered=("answered", "sum"),
        abandoned=("abandoned", lambda s: s.sum(min_count=1)),
        **{f"{c}__{p}": (f"{c}__{p}", "sum") for c in WEIGHTED for p in ("num", "den")},
    )
    out = pd.DataFrame(index=agg.index)
    out["days"] = agg["days"].astype("int64")
    for c in COUNTS:
        out[c] = agg[c].astype("float64")
    out["answer_rate"] = _ratio(agg["answered"], agg["offered"])
    out["abandonment_rate"] = _ratio(agg["abandoned"], agg["offered"])
    for c in WEIGHTED:
        out[c] = _ratio(agg[f"{c}__num"], agg[f"{c}__den"])
    names = [k[2:] if k.startswith("__") else k for k in keys]
    if names == ["overall"]:
        if out.empty:  # no report at all: counts 0, ratios undefined
            out = pd.DataFrame({"days": [0], "offered": [0.0], "answered": [0.0], "abandoned": [0.0],
                                "answer_rate": [np.nan], "abandonment_rate": [np.nan],
                                **{c: [np.nan] for c in WEIGHTED}})
        out.index = pd.Index(["overall"], name=None)
    elif len(names) == 1:
        out.index.name = names[0]
    else:
        out.index.names = names
    return calendar_order(out[KPI_COLUMNS])
