"""Review coverage: evaluations per agent per ISO week against the target."""
from __future__ import annotations

from typing import Any

import pandas as pd

from cxtoolkit.quality.frames import as_string, period_of


def review_coverage(evaluations_or_scored: pd.DataFrame, agents: pd.DataFrame | None = None,
                    start: Any = None, end: Any = None, target: int = 3) -> pd.DataFrame:
    """Reviews per agent per ISO week against ``target`` over [start, end).

    One row per agent × week (agents from ``agents`` with no review count 0):
    ``reviews`` (distinct contacts evaluated), ``target``, ``met``.
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
    return out.assign(target=int(target), met=out["reviews"] >= target)


def coverage_summary(coverage: pd.DataFrame) -> pd.DataFrame:
    """Per agent: weeks, weeks meeting the target, mean reviews a week."""
    g = coverage.groupby("agent_id", observed=True)
    return g.agg(weeks=("week", "size"), weeks_met=("met", "sum"), reviews=("reviews", "sum"),
                 reviews_per_week=("reviews", "mean")).reset_index()
