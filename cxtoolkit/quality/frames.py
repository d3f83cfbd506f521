"""Small frame helpers shared by the quality modules: text columns, calendar periods and the
agents' attributes joined on ``agent_id``."""
from __future__ import annotations

import pandas as pd

from cxtoolkit import rules
from cxtoolkit.errors import InputError


def as_string(s: pd.Series) -> pd.Series:
    """``s`` as pandas' string dtype (categories, objects and strings alike compare as text).

    >>> as_string(pd.Series([1, None], dtype="object")).tolist()
    ['1', <NA>]
    """
    return s.astype("string")


def period_of(ts: pd.Series, freq: str) -> pd.Series:
    """The ISO week (``2026-W19``) or month (``2026-05``) label of each timestamp
    (:func:`cxtoolkit.rules.period_label`); any other ``freq`` is an :class:`InputError`.

    >>> period_of(pd.Series(["2026-05-04"]), "week").tolist()
    ['2026-W19']
    """
    ts = pd.to_datetime(ts)
    if freq in ("week", "month"):
        return rules.period_label(ts, freq)
    raise InputError("error.quality.use_week_month", freq=repr(freq))


def with_agents(frame: pd.DataFrame, agents: pd.DataFrame | None) -> pd.DataFrame:
    """Add team/site/vendor/country/hired_on from ``agents`` where the frame lacks them."""
    if agents is None or "agent_id" not in frame.columns:
        return frame
    cols = [c for c in agents.columns if c != "agent_id" and c not in frame.columns]
    if not cols:
        return frame
    a = agents.drop_duplicates("agent_id")[["agent_id", *cols]]
    a = a.assign(agent_id=as_string(a["agent_id"]))
    return frame.assign(agent_id=as_string(frame["agent_id"])).merge(a, on="agent_id", how="left")
