"""Review coverage: evaluations per agent per ISO week against the target."""
from __future__ import annotations

import math
from typing import Any

import pandas as pd

from cxtoolkit.quality.frames import as_string, period_of
from cxtoolkit.rules import days_covered


def review_coverage(evaluations_or_scored: pd.DataFrame, agents: pd.DataFrame | None = None,
                    start: Any = None, end: Any = None, target: int = 3) -> pd.DataFrame:
    """Reviews per agent per ISO week against ``target`` over [start, end).

    One row per agent × week (agents from ``agents`` with no review count 0):
    ``reviews`` (distinct contacts evaluated), ``days`` (of the week the period covers, 7 when
    no period is given), ``target`` (a week's target, pro rata of those days rounded up for a
    partial week: a 4-day first week is not held to a full week's reviews), ``met``.

    >>> ev = pd.DataFrame({"contact_id": ["c1", "c2"], "agent_id": ["a", "a"],
    ...                    "evaluated_at": pd.to_datetime(["2026-10-01", "2026-10-02"])})
    >>> review_coverage(ev, start="2026-10-01", end="2026-10-13", target=3)[["week", "days", "target", "met"]].values.tolist()
    [['2026-W40', 4, 2, True], ['2026-W41', 7, 3, False], ['2026-W42', 1, 1, False]]
    """
    d = evaluations_or_scored.dropna(subset=["evaluated_at"])
    if start is not None:
        d = d.loc[d["evaluated_at"] >= pd.Timestamp(start)]
    if end is not None:
        d = d.loc[d["evaluated_at"] < pd.Timestamp(end)]
    d = d.assign(agent_id=as_string(d["agent_id"]), week=period_of(d["evaluated_at"], "week"))
    cnt = d.groupby(["agent_id", "week"], observed=True)["contact_id"].nunique().rename("reviews")
    weeks = pd.Index(sorted(d["week"].dropna().unique()), name="week")
    if start is not None and end is not None:
        days = pd.date_range(pd.Timestamp(start), pd.Timestamp(end) - pd.Timedelta(days=1), freq="D")
        weeks = pd.Index(sorted(set(period_of(pd.Series(days), "week"))), name="week")
    ag = set(cnt.index.get_level_values(0))
    if agents is not None:
        ag |= set(as_string(agents["agent_id"]).dropna())
    full = pd.MultiIndex.from_product([sorted(ag), weeks], names=["agent_id", "week"])
    out = cnt.reindex(full, fill_value=0).reset_index()
    last = (pd.Timestamp(end) - pd.Timedelta(days=1)) if end is not None else None
    days = {w: days_covered(str(w), start, last) or 7 for w in weeks}
    out["days"] = out["week"].map(days).astype(int)
    out["target"] = [math.ceil(int(target) * d / 7) for d in out["days"]]
    return out.assign(met=out["reviews"] >= out["target"])


def coverage_summary(coverage: pd.DataFrame) -> pd.DataFrame:
    """Per agent: weeks, weeks meeting the target, mean reviews a week."""
    g = coverage.groupby("agent_id", observed=True)
    return g.agg(weeks=("week", "size"), weeks_met=("met", "sum"), reviews=("reviews", "sum"),
                 reviews_per_week=("reviews", "mean")).reset_index()
