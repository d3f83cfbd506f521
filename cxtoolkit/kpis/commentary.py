"""Short generated commentary for KPI blocks, in French or English.

Each ``comment_*`` function renders the findings of its ``*_findings`` twin (message keys of
the catalogue, values, severity; :mod:`cxtoolkit.findings`) in the locale.

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

from cxtoolkit.findings import Finding, Items, Msg, Num, render_all
from cxtoolkit.kpis.registry import COMPLEMENTS, HEADLINE_KPIS, KPIS, amber_limit, label, target_of  # noqa: F401 (COMPLEMENTS: re-exported)
from cxtoolkit.messages import has, is_fr, text
from cxtoolkit.rules import AuditPeriod, calendar_message, days_covered, weekday_labels

__all__ = ["COMPLEMENTS", "one_per_fact", "close_band", "band_legend", "comment_status", "comment_trend", "comment_heatmap", "comment_channels", "comment_surveys",
           "comment_changes",
           "status_findings", "trend_findings", "heatmap_findings", "channel_findings", "survey_findings",
           "change_findings"]


def _nan(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _in_sentence(name: str) -> str:
    """A KPI label inside a sentence: its first letter in lower case, unless it opens with an
    acronym (``Taux de décroché (QS)`` → ``taux de décroché (QS)``, ``DMA (…)`` kept).

    >>> _in_sentence("Taux de décroché (QS)"), _in_sentence("DMA (durée moyenne d'attente)")
    ('taux de décroché (QS)', "DMA (durée moyenne d'attente)")
    """
    return name if name[:2].isupper() else name[:1].lower() + name[1:]


def _say(findings: list[Finding], locale: str | None) -> str:
    return " ".join(render_all(findings, locale))


def status_findings(status: pd.DataFrame) -> list[Finding]:
    """Findings of :func:`comment_status`: the KPIs below target (red), close (amber), or all met."""
    def items(rag):
        rows = status[status["rag"] == rag]
        if "key" in rows.columns:       # a complement with the same verdict is the same fact: once
            rows = rows[rows["key"].isin(one_per_fact(rows["key"]))]
        return Items(tuple(Finding("kpis.commentary.status_item", {"label": r.label, "value": Num(r.value, r.unit),
                                                                   "target": Num(r.target, r.unit)}, rag)
                           for r in rows.itertuples()))

    red, amber = items("red"), items("amber")
    out = []
    if red.items:
        out.append(Finding("kpis.commentary.below_target", {"items": red}, "red"))
    if amber.items:
        out.append(Finding("kpis.commentary.close_to_target", {"items": amber}, "amber"))
    if not out:
        if status["rag"].notna().any():
            return [Finding("kpis.commentary.all_on_target", severity="green")]
        return [Finding("kpis.commentary.no_target", severity="caveat")]
    return out


def comment_status(status: pd.DataFrame, locale: str | None = "fr") -> str:
    """Which KPIs miss their target (red), are close (amber), or all are on target.

    >>> st = pd.DataFrame({"key": ["asa_s"], "label": ["DMA"], "value": [25.0], "unit": ["seconds"],
    ...                    "target": [60], "rag": ["green"]})
    >>> comment_status(st, "fr")
    'Tous les indicateurs suivis atteignent leur objectif.'
    """
    return _say(status_findings(status), locale)


def trend_findings(frame: pd.DataFrame, key: str, locale: str | None = "fr",
                   start=None, end=None) -> list[Finding]:
    """Findings of :func:`comment_trend` (``locale`` names the KPI; ``start``, ``end``: the
    period's days, which say the weeks it covers in part)."""
    s = frame[key].astype("float64").dropna() if key in frame.columns else pd.Series(dtype="float64")
    name = label(key, locale)
    unit = KPIS[key].unit if key in KPIS else "count"
    if s.empty and len(frame) >= 2:   # periods there, values not (e.g. an assumed ``answered``)
        return [Finding("kpis.commentary.trend_not_measured", {"name": name}, "caveat")]
    out = []
    partial = [p for p in s.index if (n := days_covered(str(p), start, end)) is not None and n < 7]
    if unit == "count" and partial and len(s) - len(partial) >= 2:
        # a volume of a 4-day week is not a drop: only full weeks are compared
        s = s.drop(partial)
        out.append(Finding("kpis.commentary.partial_weeks_left_out", {
            "name": name, "periods": Items(tuple(_period(p, start, end) for p in partial))}, "caveat"))
    if len(s) < 2:
        return [Finding("kpis.commentary.no_trend", {"name": name}, "caveat")]
    best, worst = (s.idxmax(), s.idxmin())
    if key in KPIS and KPIS[key].direction == "lower":
        best, worst = worst, best
    # a volume has no better or worse: its highest and lowest period
    message = "trend" if key in KPIS and KPIS[key].direction != "none" else "trend_range"
    return [Finding(f"kpis.commentary.{message}", {
        "name": name, "first": Num(s.iloc[0], unit), "first_period": _period(s.index[0], start, end),
        "last": Num(s.iloc[-1], unit), "last_period": _period(s.index[-1], start, end),
        "best_period": _period(best, start, end), "best": Num(s[best], unit),
        "worst_period": _period(worst, start, end), "worst": Num(s[worst], unit)})] + out


def _period(p, start=None, end=None):
    """A period of a trend or an audit as the reader reads it: a week ``sem. 40 2026`` /
    ``wk 40 2026`` (``sem. 40 2026, 1–4 oct.`` when the period from ``start`` to ``end``
    covers it in part), a month ``octobre 2026`` / ``October 2026``
    (:func:`cxtoolkit.rules.calendar_message`, in the locale the finding is said in), else as is."""
    said = calendar_message(p, start=start, end=end)
    return p if said is None else Msg(*said)


def comment_trend(frame: pd.DataFrame, key: str, locale: str | None = "fr", start=None, end=None) -> str:
    """First vs last period of ``key`` over a week/month cut, and the best and worst period.

    A week the period (``start``, ``end``: its first and last day) covers in part is named with
    its days; a volume (a count) compares the full weeks only and says which it left out.

    >>> f = pd.DataFrame({"answer_rate": [0.80, 0.90, 0.86]}, index=pd.Index(["2026-05", "2026-06", "2026-07"], name="month"))
    >>> comment_trend(f, "answer_rate", "en")
    'Answer rate went from 80.0% (May 2026) to 86.0% (July 2026); best June 2026 (90.0%), worst May 2026 (80.0%).'
    >>> w = pd.DataFrame({"answer_rate": [0.75, 0.79], "contacts": [400, 7800]}, index=["2026-W40", "2026-W41"])
    >>> comment_trend(w, "answer_rate", "en", "2026-10-01", "2026-10-31")
    'Answer rate went from 75.0% (wk 40 2026, Oct 1–4) to 79.0% (wk 41 2026); best wk 41 2026 (79.0%), worst wk 40 2026, Oct 1–4 (75.0%).'
    """
    return _say(trend_findings(frame, key, locale, start, end), locale)


def heatmap_findings(frame: pd.DataFrame, locale: str | None = "fr", key: str = "answer_rate",
                     volume: str = "offered", top: int = 3,
                     targets: dict[str, float] | None = None) -> list[Finding]:
    """Findings of :func:`comment_heatmap` (``locale`` names the KPI and the weekdays)."""
    if key not in frame.columns or volume not in frame.columns or frame.empty:
        return []
    vol = frame[volume].astype("float64")
    busy = frame[(vol > 0) & (vol >= 0.25 * vol[vol > 0].median())]
    s = busy[key].astype("float64").dropna()
    if s.empty:
        return []
    wd = weekday_labels(locale)
    unit = KPIS[key].unit if key in KPIS else "ratio"
    peak = vol.idxmax()
    peak = f"{wd.get(str(peak[0]), peak[0])} {int(peak[1]):02d}h"
    target = target_of(key, targets)
    if target is not None and KPIS[key].direction == "higher":
        s = s[s < target]   # only the slots that miss the target call for more agents
        if s.empty:
            return [Finding("kpis.commentary.heatmap_on_target", {
                "kpi": _in_sentence(label(key, locale)), "target": Num(target, unit), "peak": peak}, "info")]
    worst = s.nsmallest(top)
    slots = Items(tuple(Finding("kpis.commentary.slot", {"day": wd.get(str(d), d), "hour": f"{int(h):02d}",
                                                         "value": Num(v, unit),
                                                         "calls": Num(busy.loc[(d, h), volume], "count")})
                        for (d, h), v in worst.items()))
    return [Finding("kpis.commentary.heatmap", {"kpi": _in_sentence(label(key, locale)), "slots": slots,
                                                "peak": peak}, "priority")]


def comment_heatmap(frame: pd.DataFrame, locale: str | None = "fr", key: str = "answer_rate",
                    volume: str = "offered", top: int = 3, targets: dict[str, float] | None = None) -> str:
    """The weekday × hour slots with the lowest ``key`` among those carrying real volume.

    Slots with less than a quarter of the median slot volume are ignored (noise); with a
    target (``targets``, else the registry's), only the slots below it, or a sentence saying
    that every slot meets it.

    >>> f = pd.DataFrame({"answer_rate": [1.0, 0.95], "offered": [20, 30]},
    ...                  index=pd.MultiIndex.from_tuples([("mon", 9), ("tue", 10)], names=["weekday", "hour"]))
    >>> comment_heatmap(f, "en")
    'Every busy slot meets the answer rate target (85.0%). Volume peak: Tue 10h.'
    """
    return _say(heatmap_findings(frame, locale, key, volume, top, targets), locale)


def _channel(code) -> Msg | str:
    """A channel code by its label in the catalogue (``phone``: téléphone), else as it is."""
    return Msg(f"common.channel.{code}") if has(f"common.channel.{code}") else str(code)


def channel_findings(frame: pd.DataFrame, key: str = "contacts") -> list[Finding]:
    """Findings of :func:`comment_channels`."""
    s = frame[key].astype("float64")
    total = s.sum()
    if not total:
        return [Finding("kpis.commentary.no_contact", severity="caveat")]
    s = s[s > 0]   # a channel seen only in the survey answers has no share of the contacts
    parts = Items(tuple(Finding("kpis.commentary.channel_item", {"channel": _channel(ch),
                                                                 "share": Num(v / total, "ratio")})
                        for ch, v in s.sort_values(ascending=False).items()), sep=", ")
    return [Finding("kpis.commentary.channels", {"items": parts, "total": Num(total, "count")})]


def comment_channels(frame: pd.DataFrame, locale: str | None = "fr", key: str = "contacts") -> str:
    """Share of each channel in the volume, largest first (channels by their label; one
    without contacts left out).

    >>> f = pd.DataFrame({"contacts": [60, 40]}, index=pd.Index(["phone", "email"], name="channel"))
    >>> comment_channels(f, "en")
    'Channel mix: phone 60.0%, email 40.0% of 100 contacts.'
    >>> comment_channels(f.assign(contacts=[6000, 0]), "fr")
    'Répartition : téléphone 100,0 % sur 6\u202f000 contacts.'
    """
    return _say(channel_findings(frame, key), locale)


def survey_findings(row: pd.Series, min_answers: int = 30) -> list[Finding]:
    """Findings of :func:`comment_surveys`."""
    out = []
    if not _nan(row.get("csat")):
        out.append(Finding("kpis.commentary.csat", {"value": Num(row["csat"], "ratio"),
                                                    "n": Num(row.get("csat_n", 0), "count")}))
    if not _nan(row.get("nps")):
        ci = row.get("nps_ci95")
        ci_txt = "" if _nan(ci) else Finding("kpis.commentary.nps_ci",
                                             {"half": Num(abs(float(ci)), "number")})
        out.append(Finding("kpis.commentary.nps", {"value": Num(row["nps"], "nps"), "ci": ci_txt,
                                                   "n": Num(row.get("nps_n", 0), "count")}))
    if not _nan(row.get("unhappy_share")):
        out.append(Finding("kpis.commentary.very_unhappy", {"share": Num(row["unhappy_share"], "ratio")}))
    n = row.get("n")
    if not _nan(n) and int(n) < min_answers:
        out.append(Finding("kpis.commentary.too_few_answers", {"n": Num(n, "count"), "min": Num(min_answers, "count")},
                           "caveat"))
    if not out:
        return [Finding("kpis.commentary.no_survey", severity="caveat")]
    return out


def comment_surveys(row: pd.Series, locale: str | None = "fr", min_answers: int = 30) -> str:
    """CSAT, NPS with its 95 % interval and n, unhappy share; warns when there are too few answers.

    >>> r = pd.Series({"n": 12, "csat": 0.5, "csat_n": 12, "nps": 10.0, "nps_ci95": 40.0, "nps_n": 12,
    ...                "unhappy_share": 0.25})
    >>> comment_surveys(r, "en")
    'CSAT 50.0% (n=12). NPS +10.0 ± 40.0 (95% CI, n=12). Very unhappy: 25.0%. Only 12 answers: too few to conclude (< 30).'
    >>> [f.key for f in survey_findings(r)][-1], comment_surveys(r, "fr").split(". ")[1]
    ('kpis.commentary.too_few_answers', 'NPS +10,0 ± 40,0 (IC 95 %, n=12)')
    """
    return _say(survey_findings(row, min_answers), locale)


def one_per_fact(keys) -> list[str]:
    """``keys`` without those whose complement (:data:`~cxtoolkit.kpis.registry.COMPLEMENTS`:
    the abandonment rate of the answer rate) is also there, in order: leadership reads one fact
    once, by the KPI read first.

    >>> one_per_fact(["service_level", "answer_rate", "abandonment_rate"]), one_per_fact(["abandonment_rate"])
    (['service_level', 'answer_rate'], ['abandonment_rate'])
    """
    keys = list(keys)
    return [k for k in keys if COMPLEMENTS.get(k) not in keys]


def close_band(key: str, target: float | None, locale: str | None = "fr") -> str | None:
    """Where "close to target" ends for a KPI judged as its complement (the abandonment rate:
    :func:`~cxtoolkit.kpis.registry.amber_limit`), beside its "proche" in tiles and tables;
    None for the others (their band is the legend's "within 10 %").

    >>> close_band("abandonment_rate", 0.15, "fr"), close_band("answer_rate", 0.85, "en")
    ("jusqu'à 23,5 %", None)
    """
    if key not in COMPLEMENTS or target is None:
        return None
    limit = amber_limit(key, {key: target})
    return text("kpis.band.close_up_to", locale, limit=Num(limit, KPIS[key].unit).render(locale))


def band_legend(targets: dict[str, float] | None, locale: str | None = "fr") -> str:
    """The legend's words for the KPIs judged as their complement, with their band in numbers.

    >>> band_legend(None, "en")
    'the abandonment rate is judged as the answer rate, its complement: close up to 23.5% for a target of 15.0%'
    """
    parts = []
    for key, other in COMPLEMENTS.items():
        t = target_of(key, targets)
        if t is None:
            continue
        parts.append(text("kpis.band.complement", locale, kpi=_in_sentence(label(key, locale)),
                          other=_in_sentence(label(other, locale)), band=close_band(key, t, locale),
                          target=Num(t, KPIS[key].unit).render(locale)))
    return (" ; " if is_fr(locale) else "; ").join(parts)


#: Order of the significant changes in the findings: deteriorations, improvements, then the
#: changes of KPIs without a better direction (as the index page's table).
_CHANGE_ORDER = {"worse": 0, "better": 1, "changed": 2}


def change_findings(changes: pd.DataFrame | None, previous_period: str | None, locale: str | None = "fr",
                    limit: int = 3) -> list[Finding]:
    """What changed since the last audit, as 1–``limit`` findings (none on a first audit).

    ``changes`` are :func:`cxtoolkit.audit.history.what_changed` rows; only the overall
    segment's KPIs of the registry are told, a complementary pair once (:func:`one_per_fact`:
    the answer rate, not also the abandonment rate). The significant changes (``significant``: the
    Benjamini–Hochberg adjusted p-value below 5 %) come deteriorations first, then
    improvements, then other changes; headline KPIs before the others, then by adjusted
    p-value. When none is significant, one finding says so. ``locale`` names the KPIs.

    >>> ch = pd.DataFrame({"kpi": ["abandonment_rate", "answer_rate"], "segment_by": "overall",
    ...     "segment": "overall", "previous": [0.127, 0.85], "current": [0.219, 0.86],
    ...     "significant": [True, False], "direction": ["worse", "better"], "p_adjusted": [0.001, 0.4]})
    >>> comment_changes(ch, "2026-09", "fr")
    "Taux d'abandon : 12,7 % → 21,9 % depuis septembre 2026, dégradation significative."
    >>> comment_changes(ch.assign(significant=True, direction="worse", current=[0.219, 0.781]), "2026-09", "en")
    'Answer rate: 85.0% → 78.1% since September 2026, significant deterioration.'
    >>> comment_changes(ch.assign(significant=False), "2026-09", "en")
    'No significant change since September 2026 (false-discovery rate 5%).'
    >>> comment_changes(ch.assign(significant=False), "2026-07-01_2026-09-30", "fr")
    'Aucune évolution significative depuis 01/07/2026 → 30/09/2026 (taux de fausses découvertes 5 %).'
    >>> change_findings(ch, None)
    []
    """
    if changes is None or previous_period is None or len(changes) == 0:
        return []
    ch = changes[(changes["segment_by"] == "overall") & changes["kpi"].isin(list(KPIS))]
    if ch.empty:
        return []
    sig = ch[ch["significant"].eq(True)]
    if sig.empty:
        return [Finding("kpis.commentary.no_change", {"period": AuditPeriod(previous_period)}, "info")]
    p = sig["p_adjusted"] if "p_adjusted" in sig.columns else pd.Series(0.0, index=sig.index)
    sig = sig.assign(_dir=sig["direction"].map(_CHANGE_ORDER).fillna(2),
                     _head=~sig["kpi"].isin(HEADLINE_KPIS), _p=pd.to_numeric(p, errors="coerce"))
    sig = sig[sig["kpi"].isin(one_per_fact(sig["kpi"]))]       # abandonment told by the answer rate
    sig = sig.sort_values(["_dir", "_head", "_p"], kind="stable").head(limit)
    out = []
    for r in sig.itertuples():
        direction = r.direction if r.direction in ("better", "worse") else "changed"
        unit = KPIS[r.kpi].unit
        out.append(Finding("kpis.commentary.change", {
            "name": label(r.kpi, locale), "previous": Num(r.previous, unit), "current": Num(r.current, unit),
            "period": AuditPeriod(previous_period), "verdict": Msg(f"report.table.value.significance.{direction}")},
            {"worse": "red", "better": "green"}.get(direction, "amber")))
    return out


def comment_changes(changes: pd.DataFrame | None, previous_period: str | None, locale: str | None = "fr",
                    limit: int = 3) -> str:
    """The sentences of :func:`change_findings` ("" on a first audit)."""
    return _say(change_findings(changes, previous_period, locale, limit), locale)
