"""Units of the report tables' columns that are not KPIs, and the frame columns holding a
label per language: data only. Their labels are in the message catalogue
(``resources/messages/catalogue.yml``: ``report.table.column.<key>``, code values under
``report.table.value.<column>.<code>``); KPI columns take label and unit from the registry
(:data:`cxtoolkit.kpis.registry.KPIS`).

``UNITS``: ``key -> unit``; units are those of :func:`cxtoolkit.rules.format_value` plus
``text`` (shown as is) and ``bool`` (oui / yes). A label may hold ``{currency}``.

``VALUE_LABELS``: columns whose code values have their labels elsewhere in the catalogue
(``column key -> catalogue prefix``; default ``report.table.value.<column key>``).

``COUNTRY_COLUMNS``: columns holding ISO 3166 country codes (``ES``), shown by the country's
name in the reader's language (Espagne / Spain) from CLDR (``babel``).

``LABEL_COLUMNS``: frame columns holding a label per language (``stage_label_fr`` /
``stage_label_en``) and the key their label is shown under.
"""
from __future__ import annotations

UNITS: dict[str, str] = {
    # journey: friction map, key drivers, paths
    "stage_label": "text",
    "volume_share": "ratio",
    "friction_index": "index",   # out of 100, whole: "indice 44/100" in the commentary
    "p_value": "pvalue",
    "significant": "bool",
    "too_few_answers": "bool",
    "rank": "count",
    "customers": "count",
    "impact": "score",
    "impact_ci_low": "score",
    "impact_ci_high": "score",
    "importance": "ratio",
    "performance": "ratio",
    "quadrant_label": "text",
    # cross-country comparability
    "country": "text",
    "nps_benchmark": "nps",
    "nps_gap": "nps",
    "nps_gap_significant": "bool",
    "nps_z": "score",
    "rank_raw": "count",
    "rank_normalised": "count",
    "ranking_basis": "text",
    # verbatims
    "theme_label": "text",
    "source": "text",
    "mentions": "count",
    "share_unhappy": "ratio",
    "share_happy": "ratio",
    "lift": "multiple",
    "lift_ci_low": "multiple",
    "lift_ci_high": "multiple",
    "theme_kind": "text",
    "signal_reason": "text",
    "growth": "multiple",
    "severity": "count",
    "verbatims": "count",
    "share_of_classified": "ratio",
    "share_of_unhappy": "ratio",
    # quality
    "agent_id": "text",
    "evaluations": "count",
    "qa_score": "number",
    "qa_score_sd": "number",
    "evaluator_id": "text",
    "mean_gap": "number",
    "drifting": "bool",
    "perceived_quadrant": "text",
    "critical_fail_rate": "ratio",
    "contact_id": "text",
    "n_evaluators": "count",
    "score_min": "number",
    "score_max": "number",
    "score_sd": "number",
    "score_range": "number",
    "evaluator_codes": "text",
    "scores": "text",
    "worst_criterion": "text",
    "weeks": "count",
    "weeks_met": "count",
    "reviews": "count",
    "reviews_per_week": "number",
    # staffing
    "day": "text",
    "calls": "count",
    "agent_hours": "number",
    "agent_hours_seen": "number",
    "extra_paid_hours": "number",
    "extra_cost": "count",
    "answer_rate_seen": "ratio",
    "answer_rate_pred_seen": "ratio",
    "answer_rate_plan": "ratio",
    # KPI cuts
    "weekday": "text",
    # segments (apps.views.SEGMENT_COLUMNS)
    "segment": "text",
    "channel": "text",
    "language": "text",
    "queue": "text",
    "reason": "text",
    "product": "text",
    "team": "text",
    "site": "text",
    "survey_type": "text",
    "touchpoint": "text",
    "vendor": "text",
    # ROI report
    "input": "text",
    "output": "text",
    "data_source": "text",
    "note": "text",
    # index page
    "kpi": "text",
    "value": "text",
    "target": "text",
    "previous": "text",
    "current": "text",
    "delta": "text",
    "significance": "text",
    "period": "text",
    "report": "text",
    "status": "text",
    "duration": "text",
    "notebook": "text",
    "error": "text",
    # the data read (index page, deck appendix, workbook: cxtoolkit.report.tables.data_counts)
    "data_table": "text",
    "file": "text",
    "read": "count",
    "accepted": "count",
    "rejected": "count",
    "out_of_period": "count",
    "in_period": "count",
}

VALUE_LABELS: dict[str, str] = {
    "weekday": "common.weekday",
    "channel": "common.channel",
    "theme_kind": "verbatims.label",
    "perceived_quadrant": "viz.quality",
}

LABEL_COLUMNS: dict[str, tuple[str, str]] = {
    "stage_label": ("stage_label_fr", "stage_label_en"),
    "theme_label": ("label_fr", "label_en"),
    "quadrant_label": ("quadrant_fr", "quadrant_en"),
}

COUNTRY_COLUMNS: tuple[str, ...] = ("country",)
