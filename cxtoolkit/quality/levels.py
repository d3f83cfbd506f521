"""Scores by level (agent, team, site, vendor, country, evaluator, grid), by week or month
(the trend) and by criterion (attainment)."""
from __future__ import annotations

from typing import Sequence

import pandas as pd

from cxtoolkit.errors import InputError
from cxtoolkit.quality.frames import period_of, with_agents
from cxtoolkit.quality.grids import Grid
from cxtoolkit.quality.scoring import criterion_rows

LEVELS = ("agent_id", "team", "site", "vendor", "country", "evaluator_id", "grid")



def quality_by(scored: pd.DataFrame, by: str | Sequence[str] = "agent_id",
               agents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mean evaluation score, count and critical-fail rate by ``by`` (agent_id, team,
    site, vendor, country, evaluator_id, ``week``, ``month`` or any column).

    >>> import pandas as pd
    >>> s = pd.DataFrame({"evaluation_id": ["1", "2", "3"], "agent_id": ["a", "a", "b"],
    ...     "score": [80.0, 0.0, 90.0], "critical_fail": [False, True, False]})
    >>> quality_by(s)["score"].tolist()
    [40.0, 90.0]
    """
    df = with_agents(scored, agents)
    by = [by] if isinstance(by, str) else list(by)
    for b in by:
        if b in ("week", "month") and b not in df.columns:
            df = df.assign(**{b: period_of(df["evaluated_at"], b)})
        elif b not in df.columns:
            raise InputError("error.quality.cannot_group_such", b=repr(b))
    g = df.groupby(by, observed=True, sort=True, dropna=False)
    out = g.agg(n=("evaluation_id", "nunique"), score=("score", "mean"),
                score_sd=("score", "std"), critical_fail_rate=("critical_fail", "mean"))
    return out


def quality_trend(scored: pd.DataFrame, freq: str = "week", by: str | None = None,
                  agents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Score by ISO week (``YYYY-Www``) or month (``YYYY-MM``), optionally split by ``by``."""
    return quality_by(scored, [freq] if by is None else [freq, by], agents=agents).reset_index()


def criterion_scores(evaluations: pd.DataFrame, grids: Grid | Sequence[Grid] | None = None,
                     by: str | None = None, locale: str = "en") -> pd.DataFrame:
    """Attainment per criterion: mean score/max_score as %, fail rate (< 50 %), count.

    Sorted from the weakest criterion; ``label`` from the grid in ``locale`` when given.
    """
    rows = criterion_rows(evaluations, grids)
    keys = ["criterion"] if by is None else [by, "criterion"]
    rows = rows.assign(_pct=100.0 * rows["ratio"], _fail=(rows["ratio"] < 0.5).where(rows["ratio"].notna()))
    out = (rows.groupby(keys, observed=True).agg(n=("ratio", "count"), attainment=("_pct", "mean"),
                                                  fail_rate=("_fail", "mean"),
                                                  critical=("critical", "first"))
           .reset_index().sort_values("attainment", kind="stable"))
    if grids is not None:
        gl = [grids] if isinstance(grids, Grid) else list(grids)
        pick = next((g for g in gl if g.language == locale), gl[0])
        labels = pick.criteria.set_index("criterion")
        out = out.assign(label=out["criterion"].map(labels["label"]).fillna(out["criterion"]),
                         section=out["criterion"].map(labels["section"]))
    return out.reset_index(drop=True)
