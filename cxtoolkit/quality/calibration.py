"""Calibration: agreement between evaluators (Krippendorff's alpha with a bootstrap CI, ICC;
:mod:`cxtoolkit.agreement`), evaluator drift and the pack of the most disputed interactions."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from cxtoolkit.agreement import alpha_with_ci, icc
from cxtoolkit.quality.drift import calibration_units, evaluator_drift
from cxtoolkit.quality.frames import as_string
from cxtoolkit.quality.grids import Grid
from cxtoolkit.quality.scoring import criterion_rows, score_evaluations


def calibration_pack(scored: pd.DataFrame, evaluations: pd.DataFrame | None = None,
                     grids: Grid | Sequence[Grid] | None = None, top: int = 10) -> pd.DataFrame:
    """The ``top`` interactions with the widest disagreement between evaluators, for a
    calibration session: contact, agent, evaluators, scores, range, and the criterion
    they disagree on most."""
    units = calibration_units(scored)
    if units.empty:
        return pd.DataFrame(columns=["contact_id", "agent_id", "n_evaluators", "min", "max",
                                     "range", "evaluators", "scores", "worst_criterion"])
    units = units.sort_values(["contact_id", "evaluator_id"])
    g = units.groupby("contact_id", observed=True)
    out = g.agg(n_evaluators=("evaluator_id", "size"), min=("score", "min"), max=("score", "max"),
                sd=("score", "std"))
    out["range"] = out["max"] - out["min"]
    out["evaluators"] = g["evaluator_id"].agg(lambda s: ", ".join(s))
    out["scores"] = g["score"].agg(lambda s: ", ".join(f"{x:.0f}" for x in s))
    out = out.sort_values(["range", "sd"], ascending=False, kind="stable").head(top)
    if "agent_id" in scored.columns:
        ag = scored.assign(contact_id=as_string(scored["contact_id"])).drop_duplicates("contact_id") \
            .set_index("contact_id")["agent_id"]
        out.insert(0, "agent_id", out.index.map(ag))
    if evaluations is not None:
        sub = evaluations.loc[as_string(evaluations["contact_id"]).isin(set(out.index))]
        rows = criterion_rows(sub, grids)
        rows = rows.assign(contact_id=as_string(rows["contact_id"]))
        spread = rows.groupby(["contact_id", "criterion"], observed=True)["ratio"].agg(lambda s: s.max() - s.min()) \
            if len(rows) else pd.Series(dtype="float64")
        if len(spread):
            worst = spread.reset_index().sort_values("ratio", ascending=False, kind="stable") \
                .drop_duplicates("contact_id").set_index("contact_id")["criterion"]
            out["worst_criterion"] = out.index.map(worst)
    return out.reset_index()


@dataclass
class Calibration:
    """Result of :func:`calibration`."""

    overall: dict
    by_criterion: dict
    icc: dict
    evaluators: pd.DataFrame
    pack: pd.DataFrame
    units: pd.DataFrame


def calibration(evaluations: pd.DataFrame, grids: Grid | Sequence[Grid] | None = None,
                scored: pd.DataFrame | None = None, n_boot: int = 1000, seed: int = 0,
                drift_points: float = 10.0, drift_p: float = 0.05, top: int = 10) -> Calibration:
    """Agreement between evaluators on interactions (contact_id) scored by two or more.

    Overall: interval alpha on the 0–100 evaluation scores; per criterion: interval alpha
    on score / max_score; each with a seeded bootstrap CI over units. Plus ICC,
    evaluator drift and the calibration-session pack.
    """
    scored = score_evaluations(evaluations, grids) if scored is None else scored
    units = calibration_units(scored)
    overall = alpha_with_ci(units, "contact_id", "score", n_boot=n_boot, seed=seed)
    multi = evaluations.loc[as_string(evaluations["contact_id"]).isin(set(units["contact_id"]))]
    rows = criterion_rows(multi, grids)
    rows = rows.assign(contact_id=as_string(rows["contact_id"]), evaluator_id=as_string(rows["evaluator_id"]))
    per = rows.groupby(["criterion", "contact_id", "evaluator_id"], observed=True)["ratio"].mean().reset_index()
    by_crit = {}
    for crit, part in per.groupby("criterion", observed=True, sort=True):  # one per criterion
        by_crit[str(crit)] = alpha_with_ci(part.assign(_v=100 * part["ratio"]), "contact_id", "_v",
                                           n_boot=n_boot, seed=seed)
    return Calibration(overall=overall, by_criterion=by_crit,
                       icc=icc(units, "contact_id", "evaluator_id", "score"),
                       evaluators=evaluator_drift(units, drift_points, drift_p),
                       pack=calibration_pack(scored, evaluations, grids, top=top), units=units)
