"""Scoring: each evaluation on 0–100, weighted by its grid, zeroed by a failed critical criterion."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from cxtoolkit.errors import InputError
from cxtoolkit.quality.frames import as_string
from cxtoolkit.quality.grids import Grid


def _grid_table(evaluations: pd.DataFrame, grids: Grid | Sequence[Grid] | None) -> pd.DataFrame:
    """Weights per (grid key, country key, criterion) for the evaluations at hand."""
    if grids is None or evaluations.empty:   # (no evaluation: e.g. none scored twice for calibration)
        return pd.DataFrame(columns=["_gk", "_ck", "criterion", "weight", "critical", "_pass", "_gmax"])
    gl = [grids] if isinstance(grids, Grid) else list(grids)
    has_grid = "grid" in evaluations.columns
    has_cty = "country" in evaluations.columns
    gk = as_string(evaluations["grid"]).fillna("") if has_grid else pd.Series("", index=evaluations.index)
    ck = as_string(evaluations["country"]).fillna("").str.upper() if has_cty else pd.Series("", index=evaluations.index)
    combos = pd.DataFrame({"_gk": gk, "_ck": ck}).drop_duplicates()
    parts = []
    for g_name, c_name in combos.itertuples(index=False):  # a few combinations, not rows
        named = [g for g in gl if not g_name or g.name == g_name]
        pick = (next((g for g in named if g.country == c_name), None)
                or next((g for g in named if g.country is None), None)
                or (named[0] if named else None))
        if pick is None:
            raise InputError("error.quality.grid_among_loaded",
                             g_name=repr(g_name),
                             value=', '.join(sorted({g.name for g in gl})))
        parts.append(pick.criteria[["criterion", "weight", "critical", "max_score"]]
                     .rename(columns={"max_score": "_gmax"})
                     .assign(_gk=g_name, _ck=c_name, _pass=pick.critical_pass, _src=pick.source))
    return pd.concat(parts, ignore_index=True)


def criterion_rows(evaluations: pd.DataFrame, grids: Grid | Sequence[Grid] | None = None) -> pd.DataFrame:
    """Evaluations (long form) with the grid's weight, critical flag and ``ratio`` =
    score / max_score; a new frame. Without grids every criterion weighs 1, none critical.

    Raises :class:`InputError` when a criterion is missing from its grid.
    """
    need = {"evaluation_id", "criterion", "score"}
    missing = need - set(evaluations.columns)
    if missing:
        raise InputError("error.quality.missing_column", value=sorted(missing))
    ev = evaluations.assign(criterion=as_string(evaluations["criterion"]),
                            evaluation_id=as_string(evaluations["evaluation_id"]))
    table = _grid_table(ev, grids)
    if len(table):
        gk = as_string(ev["grid"]).fillna("") if "grid" in ev.columns else ""
        ck = as_string(ev["country"]).fillna("").str.upper() if "country" in ev.columns else ""
        ev = ev.assign(_gk=gk, _ck=ck)
        table = table.assign(criterion=as_string(table["criterion"]), _gk=as_string(table["_gk"]),
                             _ck=as_string(table["_ck"]))
        ev = ev.assign(_gk=as_string(ev["_gk"]), _ck=as_string(ev["_ck"]))
        ev = ev.merge(table, on=["_gk", "_ck", "criterion"], how="left")
        unknown = ev["weight"].isna()
        if unknown.any():
            r = ev.loc[unknown].iloc[0]
            src = table.loc[(table["_gk"] == r["_gk"]) & (table["_ck"] == r["_ck"]), "_src"]
            raise InputError("error.quality.criterion_grid",
                             value=repr(r['criterion']),
                             value2=src.iloc[0] if len(src) else r['_gk'])
        ev = ev.drop(columns=["_gk", "_ck", "_src"])
    else:
        ev = ev.assign(weight=1.0, critical=False, _pass=0.5, _gmax=np.nan)
    mx = ev["max_score"].astype("float64") if "max_score" in ev.columns else pd.Series(np.nan, index=ev.index)
    mx = mx.fillna(ev["_gmax"].astype("float64"))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = ev["score"].astype("float64") / mx.where(mx > 0)
    return ev.assign(max_score=mx, ratio=ratio, critical=ev["critical"].astype(bool),
                     critical_fail=ev["critical"].astype(bool) & (ratio < ev["_pass"]))


def score_evaluations(evaluations: pd.DataFrame, grids: Grid | Sequence[Grid] | None = None) -> pd.DataFrame:
    """One row per evaluation with its ``score`` on 0–100.

    score = 100 × Σ weight·(score/max_score) / Σ weight over the criteria scored (an
    empty score means "not applicable"); 0 when a critical criterion scores below the
    grid's ``critical_pass`` share of its maximum. ``raw_score`` is the weighted score
    before the critical rule.

    >>> import pandas as pd
    >>> from cxtoolkit.quality.grids import validate_grid
    >>> g = validate_grid({"grid": "g", "critical_pass": 0.5, "criteria": [
    ...   {"id": "a", "section": "voice_tone", "weight": 1, "max_score": 4, "label": "A"},
    ...   {"id": "b", "section": "knowledge_accuracy", "weight": 3, "max_score": 1,
    ...    "critical": True, "label": "B"}]})
    >>> ev = pd.DataFrame({"evaluation_id": ["e1", "e1", "e2", "e2"],
    ...   "criterion": ["a", "b", "a", "b"], "score": [2.0, 1.0, 4.0, 0.0]})
    >>> score_evaluations(ev, g)[["evaluation_id", "raw_score", "score"]].to_dict("list")
    {'evaluation_id': ['e1', 'e2'], 'raw_score': [87.5, 25.0], 'score': [87.5, 0.0]}
    """
    rows = criterion_rows(evaluations, grids)
    w = rows["weight"].where(rows["ratio"].notna(), 0.0)
    rows = rows.assign(_w=w, _wr=(w * rows["ratio"]).fillna(0.0))
    keys = [c for c in ("evaluation_id", "contact_id", "agent_id", "evaluator_id", "evaluated_at",
                        "country", "grid") if c in rows.columns]
    g = rows.groupby("evaluation_id", sort=True, observed=True)
    out = g.agg(_w=("_w", "sum"), _wr=("_wr", "sum"), critical_fail=("critical_fail", "any"),
                n_criteria=("ratio", "count"))
    first = g[[k for k in keys if k != "evaluation_id"]].first() if len(keys) > 1 else None
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = 100.0 * out["_wr"] / out["_w"].where(out["_w"] > 0)
    out = out.assign(raw_score=raw, score=raw.where(~out["critical_fail"] | raw.isna(), 0.0))
    out = out.drop(columns=["_w", "_wr"])
    if first is not None:
        out = first.join(out)
    return out.reset_index()
