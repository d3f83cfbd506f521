"""Short generated commentary for KPI blocks, in French or English.

Each function reads a computed frame (it never computes a KPI) and returns one or a few
sentences a consultant can paste under a chart: what stands out, against which target,
and the caveats (too few answers, censored repeat windows, the service-level variant).

Examples
--------
>>> import pandas as pd
>>> st = pd.DataFrame({"key": ["answer_rate"], "label": ["Answer rate"], "value": [0.78],
...                    "unit": ["ratio"], "target": [0.85], "rag": ["red"]})
>>> comment_status(st, "en")
'Below target: Answer rate 78.0% (target 85.0%).'
"""
from __future__ import annotations

import math

import pandas as pd

from cxtoolkit.kpis.registry import KPIS, label
from cxtoolkit.rules import WEEKDAY_LABELS, format_value

__all__ = ["comment_status", "comment_trend", "comment_heatmap", "comment_channels", "comment_surveys"]


def _fr(locale: str | None) -> bool:
    return str(locale or "fr").lower().startswith("fr")


def _nan(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def comment_status(status: pd.DataFrame, locale: str | None = "fr") -> str:
    """Which KPIs miss their target (red), are close (amber), or all are on target.

    >>> st = pd.DataFrame({"key": ["asa_s"], "label": ["DMA"], "value": [25.0], "unit": ["seconds"],
    ...                    "target": [60], "rag": ["green"]})
    >>> comment_status(st, "fr")
    'Tous les indicateurs suivis atteignent leur objectif.'
    """
    fr = _fr(locale)

    def items(rag):
        rows = status[status["rag"] == rag]
        return [f"{r.label} {format_value(r.value, r.unit, locale)} "
                f"({'objectif' if fr else 'target'} {format_value(r.target, r.unit, locale)})"
                for r in rows.itertuples()]

    red, amber = items("red"), items("amber")
    parts = []
    if red:
        parts.append(("Sous l'objectif : " if fr else "Below target: ") + "; ".join(red) + ".")
    if amber:
        parts.append(("Proches de l'objectif (à 10 % près) : " if fr else "Close to target (within 10%): ")
                     + "; ".join(amber) + ".")
    if not parts:
        if status["rag"].notna().any():
            return ("Tous les indicateurs suivis atteignent leur objectif." if fr
                    else "Every tracked indicator meets its target.")
        return "Aucun indicateur avec objectif n'est calculable." if fr else "No indicator with a target could be computed."
    return " ".join(parts)


def comment_trend(frame: pd.DataFrame, key: str, locale: str | None = "fr") -> str:
    """First vs last period of ``key`` over a week/month cut, and the best and worst period.

    >>> f = pd.DataFrame({"answer_rate": [0.80, 0.90, 0.86]}, index=pd.Index(["2026-05", "2026-06", "2026-07"], name="month"))
    >>> comment_trend(f, "answer_rate", "en")
    'Answer rate went from 80.0% (2026-05) to 86.0% (2026-07); best 2026-06 (90.0%), worst 2026-05 (80.0%).'
    """
    fr = _fr(locale)
    s = frame[key].astype("float64").dropna() if key in frame.columns else pd.Series(dtype="float64")
    name = label(key, locale)
    unit = KPIS[key].unit if key in KPIS else "count"
    if len(s) < 2:
        return (f"{name} : pas assez de périodes pour une tendance." if fr
                else f"{name}: not enough periods for a trend.")
    best, worst = (s.idxmax(), s.idxmin())
    if key in KPIS and KPIS[key].direction == "lower":
        best, worst = worst, best
    f = lambda v: format_value(v, unit, locale)  # noqa: E731
    if fr:
        return (f"{name} passe de {f(s.iloc[0])} ({s.index[0]}) à {f(s.iloc[-1])} ({s.index[-1]}) ; "
                f"meilleure période {best} ({f(s[best])}), la moins bonne {worst} ({f(s[worst])}).")
    return (f"{name} went from {f(s.iloc[0])} ({s.index[0]}) to {f(s.iloc[-1])} ({s.index[-1]}); "
            f"best {best} ({f(s[best])}), worst {worst} ({f(s[worst])}).")


def comment_heatmap(frame: pd.DataFrame, locale: str | None = "fr", key: str = "answer_rate",
                    volume: str = "offered", top: int = 3) -> str:
    """The weekday × hour slots with the lowest ``key`` among those carrying real volume.

    Slots with less than a quarter of the median slot volume are ignored (noise).
    """
    fr = _fr(locale)
    if key not in frame.columns or volume not in frame.columns or frame.empty:
        return ""
    vol = frame[volume].astype("float64")
    busy = frame[(vol > 0) & (vol >= 0.25 * vol[vol > 0].median())]
    s = busy[key].astype("float64").dropna()
    if s.empty:
        return ""
    worst = s.nsmallest(top)
    wd = WEEKDAY_LABELS["fr" if fr else "en"]
    unit = KPIS[key].unit if key in KPIS else "ratio"
    slots = [f"{wd.get(str(d), d)} {int(h):02d}h ({format_value(v, unit, locale)}, "
             f"{int(busy.loc[(d, h), volume])} {'appels' if fr else 'calls'})" for (d, h), v in worst.items()]
    peak = vol.idxmax()
    peak_txt = f"{wd.get(str(peak[0]), peak[0])} {int(peak[1]):02d}h"
    if fr:
        return (f"Créneaux les plus faibles en {label(key, locale).lower()} : " + "; ".join(slots)
                + f". Pic de volume : {peak_txt}. Renforcer les effectifs sur ces créneaux.")
    return (f"Weakest slots for {label(key, locale).lower()}: " + "; ".join(slots)
            + f". Volume peak: {peak_txt}. Consider moving agents to these slots.")


def comment_channels(frame: pd.DataFrame, locale: str | None = "fr", key: str = "contacts") -> str:
    """Share of each channel in the volume, largest first.

    >>> f = pd.DataFrame({"contacts": [60, 40]}, index=pd.Index(["phone", "email"], name="channel"))
    >>> comment_channels(f, "en")
    'Channel mix: phone 60.0%, email 40.0% of 100 contacts.'
    """
    fr = _fr(locale)
    s = frame[key].astype("float64")
    total = s.sum()
    if not total:
        return "Aucun contact sur la période." if fr else "No contact in the period."
    parts = [f"{ch} {format_value(v / total, 'ratio', locale)}" for ch, v in s.sort_values(ascending=False).items()]
    n = format_value(total, "count", locale)
    return (f"Répartition : {', '.join(parts)} sur {n} contacts." if fr
            else f"Channel mix: {', '.join(parts)} of {n} contacts.")


def comment_surveys(row: pd.Series, locale: str | None = "fr", min_answers: int = 30) -> str:
    """CSAT, NPS with its 95 % interval and n, unhappy share; warns when there are too few answers.

    >>> r = pd.Series({"n": 12, "csat": 0.5, "csat_n": 12, "nps": 10.0, "nps_ci95": 40.0, "nps_n": 12,
    ...                "unhappy_share": 0.25})
    >>> comment_surveys(r, "en")
    'CSAT 50.0% (n=12). NPS +10.0 ± 40.0 (95% CI, n=12). Very unhappy: 25.0%. Only 12 answers: too few to conclude (< 30).'
    """
    fr = _fr(locale)
    parts = []
    if not _nan(row.get("csat")):
        parts.append(f"CSAT {format_value(row['csat'], 'ratio', locale)} (n={int(row.get('csat_n', 0))}).")
    if not _nan(row.get("nps")):
        ci = row.get("nps_ci95")
        ci_txt = "" if _nan(ci) else f" ± {abs(float(ci)):.1f}".replace(".", "," if fr else ".")
        parts.append(f"NPS {format_value(row['nps'], 'nps', locale)}{ci_txt} "
                     f"({'IC 95 %' if fr else '95% CI'}, n={int(row.get('nps_n', 0))}).")
    if not _nan(row.get("unhappy_share")):
        parts.append(("Clients très insatisfaits : " if fr else "Very unhappy: ")
                     + format_value(row["unhappy_share"], "ratio", locale) + ".")
    n = row.get("n")
    if not _nan(n) and int(n) < min_answers:
        parts.append(f"Seulement {int(n)} réponses : trop peu pour conclure (< {min_answers})." if fr
                     else f"Only {int(n)} answers: too few to conclude (< {min_answers}).")
    if not parts:
        return "Pas de réponse d'enquête sur la période." if fr else "No survey answer in the period."
    return " ".join(parts)
