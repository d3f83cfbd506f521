"""The quality commentary: one sentence per finding of :func:`cxtoolkit.quality.report.quality_report`."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from cxtoolkit import rules
from cxtoolkit.messages import locale_of, text

# Scores are points on 0–100 (no decimal, as counts), evaluator gaps signed points of it
# ("−11 points sur 100"); shares are ratios;
# Krippendorff's alpha has two decimals (as scores): every number by rules.format_value.
_POINTS, _SHARE, _ALPHA = "count", "ratio", "score"



def _names(ids: Iterable, k: int = 5) -> str:
    ids = [str(i) for i in ids]
    return ", ".join(ids[:k]) + (" …" if len(ids) > k else "")


def quality_commentary(report: Mapping[str, Any], locale: str = "fr") -> list[str]:
    """A short comment per finding of :func:`cxtoolkit.quality.report.quality_report`, in French or English.

    >>> import pandas as pd
    >>> rep = {"scored": pd.DataFrame({"score": [80.0, 70.0], "critical_fail": [False, True]})}
    >>> quality_commentary(rep, "fr")[0]
    'Note qualité moyenne : 75/100 sur 2 évaluations ; 50,0 % ont un critère éliminatoire en échec.'
    >>> quality_commentary(rep, "en")[0]
    'Average quality score: 75/100 over 2 evaluations; 50.0% fail a critical criterion.'
    """
    loc = locale_of(locale)

    def t(key: str, **values: Any) -> str:
        return text(f"quality.commentary.{key}", loc, **values)

    def num(x: Any, unit: str) -> str:
        return rules.format_value(x, unit, loc)

    out: list[str] = []
    sc = report.get("scored")
    if sc is not None and len(sc):
        out.append(t("score", score=num(sc["score"].mean(), _POINTS), n=num(len(sc), "count"),
                                     crit=num(sc["critical_fail"].mean(), _SHARE)))
    cr = report.get("criteria")
    if cr is not None and len(cr):
        w = cr.iloc[0]
        out.append(t("weak", label=w.get("label", w["criterion"]), att=num(w["attainment"] / 100, _SHARE)))
    cal = report.get("calibration")
    if cal is not None:
        a = cal.overall
        if a["alpha"] is None:
            out.append(t("alpha_none"))
        else:
            lo, hi = (a["ci95"] if a["ci95"][0] is not None else [float("nan")] * 2)
            out.append(t("alpha_ok" if a["alpha"] >= 0.8 else "alpha_low",
                             a=num(a["alpha"], _ALPHA), lo=num(lo, _ALPHA), hi=num(hi, _ALPHA),
                         n=num(a["n_units"], "count")))
        drift = cal.evaluators.loc[cal.evaluators["drifting"]]
        if len(cal.evaluators):
            out.append(t("drift", who=_names(t("drift_gap", id=r.evaluator_id, gap=rules.format_value(
                r.mean_gap, "number", loc, decimals=0, signed=True)) for r in drift.itertuples()))
                       if len(drift) else t("no_drift"))
    pvd = report.get("perceived")
    if pvd is not None and len(pvd):
        lvl = pvd.columns[0]
        for q in ("not_delivered", "to_coach"):
            sel = pvd.loc[pvd["quadrant"] == q, lvl]
            if len(sel):
                out.append(t(q, k=num(len(sel), "count"), who=_names(sel)))
    cov = report.get("coverage")
    if cov is not None and len(cov):
        out.append(t("coverage", share=num(cov["met"].mean(), _SHARE), t=int(cov["target"].max())))
    return out
