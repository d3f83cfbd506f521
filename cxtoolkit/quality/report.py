"""Everything the quality notebook and CLI show, computed once from the evaluations."""
from __future__ import annotations

from typing import Any

import pandas as pd

from cxtoolkit.errors import InputError
from cxtoolkit.findings import render_all
from cxtoolkit.quality.calibration import calibration
from cxtoolkit.quality.commentary import quality_commentary
from cxtoolkit.quality.coverage import review_coverage
from cxtoolkit.quality.frames import as_string
from cxtoolkit.quality.grids import resolve_grids
from cxtoolkit.quality.levels import criterion_scores, quality_by, quality_trend
from cxtoolkit.quality.perceived import perceived_vs_delivered
from cxtoolkit.quality.scoring import score_evaluations
from cxtoolkit.quality.settings import QualitySettings


def _filter(df: pd.DataFrame | None, col: str, value: str | None) -> pd.DataFrame | None:
    if df is None or not value or col not in df.columns:
        return df
    return df.loc[as_string(df[col]).str.upper() == str(value).upper()]


def quality_report(evaluations: pd.DataFrame, agents: pd.DataFrame | None = None,
                   responses: pd.DataFrame | None = None, cfg: Any = None,
                   start: Any = None, end: Any = None, vendor: str | None = None,
                   country: str | None = None, locale: str | None = None,
                   settings: QualitySettings | None = None) -> dict[str, Any]:
    """Everything the quality notebook and CLI show, as frames, plus the commentary.

    Filters evaluations to [start, end), to a ``vendor`` (via agents) and a ``country``.
    Keys: scored, by_agent, by_team, trend, criteria, perceived, perceived_team,
    calibration, coverage, commentary, grids.
    """
    s = settings or QualitySettings.from_config(cfg)
    if evaluations is None or evaluations.empty:
        raise InputError("error.quality.quality_evaluations_analyse")
    ev = evaluations
    if start:
        ev = ev.loc[ev["evaluated_at"] >= pd.Timestamp(start)]
    if end:
        ev = ev.loc[ev["evaluated_at"] < pd.Timestamp(end) + pd.Timedelta(days=1)]
    if vendor:
        if agents is None or "vendor" not in agents.columns:
            raise InputError("error.quality.agents_table_vendor", vendor=repr(vendor))
        ids = set(as_string(_filter(agents, "vendor", vendor)["agent_id"]))
        ev = ev.loc[as_string(ev["agent_id"]).isin(ids)]
    if country:
        if "country" in ev.columns:
            ev = _filter(ev, "country", country)
        elif agents is not None and "country" in agents.columns:
            ev = ev.loc[as_string(ev["agent_id"]).isin(set(as_string(_filter(agents, "country", country)["agent_id"])))]
    if ev.empty:
        raise InputError("error.quality.none_left_after")
    grids, found = resolve_grids(ev, s.grid)
    scored = score_evaluations(ev, grids)
    loc = locale or getattr(cfg, "locale", None) or "fr"
    warnings = render_all(found, loc)   # in the report's language
    lab_grids = sorted(grids, key=lambda g: g.language != loc)
    rep: dict[str, Any] = {"grids": grids, "scored": scored, "warnings": warnings}
    rep["by_agent"] = quality_by(scored, "agent_id", agents).reset_index()
    has_team = "team" in scored.columns or (agents is not None and "team" in agents.columns)
    rep["by_team"] = quality_by(scored, "team", agents).reset_index() if has_team else None
    rep["trend"] = quality_trend(scored, "week")
    rep["criteria"] = criterion_scores(ev, lab_grids, locale=loc)
    rep["perceived"] = perceived_vs_delivered(scored, responses, agents, "agent_id", s.qa_target, s.csat_target,
                                             s.quadrant_min_csat)
    rep["perceived_team"] = (perceived_vs_delivered(scored, responses, agents, "team", s.qa_target,
                                                    s.csat_target, s.quadrant_min_csat) if has_team else None)
    rep["calibration"] = calibration(ev, grids, scored=scored, n_boot=s.n_boot, seed=s.seed,
                                     drift_points=s.drift_points, drift_p=s.drift_p)
    rep["coverage"] = review_coverage(scored, agents, start or None,
                                      (pd.Timestamp(end) + pd.Timedelta(days=1)) if end else None,
                                      s.reviews_per_agent_week)
    rep["settings"] = s
    rep["commentary"] = quality_commentary(rep, loc)
    return rep
