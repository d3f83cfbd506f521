"""What each analysis page displays, as one pure renderer per notebook: the report layer's
pages. The same page is rendered once (papermill, the audit) or again and again (the Voila
app, each time the period or segment changes).

Each ``render_<name>(cfg, results, p, emit=display)`` takes the client's configuration, the
page's results (the dict :mod:`cxtoolkit.pipeline.produce` builds — ``kpi_page``,
``journey_page``, ``verbatims_page``, ``quality_page``, ``staffing_page`` — stored in an
audit's results set or computed live by the apps, :mod:`cxtoolkit.apps.views`) and the
notebook's parameters ``p`` (a dict: ``loc``, ``period_start``, ``period_end``, ``segment``,
plus the notebook's own extras); it hands the section titles, charts, tables and commentary
of the page, in order, to ``emit`` (``display`` in a notebook; the app collects them) and
returns its result frames (the notebook saves them to ``out_dir``). Nothing is loaded or
computed here: the rest is ``viz``, report tables and commentary, in the page's language.

Examples
--------
>>> seen = []
>>> heading(seen.append, "overview", "en"); seen[0].data
'## Overview'
"""
from __future__ import annotations

from typing import Any

import pandas as pd
from IPython.display import Markdown, display

from cxtoolkit.escape import markdown_text
from cxtoolkit.kpis.registry import measured_in, with_data
from cxtoolkit.messages import client_locale, has, localized_column, quote, text
from cxtoolkit.report.tables import Col, column_label, data_counts, day_range, period_label, table, value_label
from cxtoolkit.rules import calendar_text, format_value

def page_title(name: str, locale: str | None) -> str:
    """The title of notebook ``name``'s page in the client's language: the audit page's
    header and its line on the index page, the Voila app's page title and heading; the
    notebook's name when the catalogue has no title for it (``report.page.title.<name>``).

    >>> page_title("kpis", "fr"), page_title("journey", "en"), page_title("custom", "en")
    ('Indicateurs', 'Customer journey', 'custom')
    """
    key = f"report.page.title.{name}"
    return text(key, client_locale(locale)) if has(key) else name


def heading(emit, key: str, loc: str) -> None:
    """A section heading in the page's language (``views.heading.<key>``)."""
    emit(Markdown(f"## {text(f'views.heading.{key}', loc)}"))


def _bullets(emit, lines) -> None:
    """Commentary as a bullet list; each line escaped (it quotes client data and comments)."""
    emit(Markdown("\n".join(f"- {markdown_text(s)}" for s in lines) or "-"))


def _period_line(cfg, p: dict) -> str:
    focus = f" · {markdown_text(p['focus'])}" if p.get("focus") else ""
    start, end = p.get("period_start") or "", p.get("period_end") or ""
    period = day_range(start, end, p.get("loc")) if start or end else period_label("all", p.get("loc"))
    return f"**{cfg.name or cfg.client}** — {period}{focus}"


# --------------------------------------------------------------------------- kpis
KPI_TILES = ["answer_rate", "abandonment_rate", "asa_s", "service_level", "aht_s", "hno_share",
             "email_within_24h", "chat_within_60s", "repeat_rate", "csat", "nps", "unhappy_share"]
TREND_KPIS = ["answer_rate", "service_level"]


def render_kpis(cfg, results: dict, p: dict, emit=display) -> dict[str, Any]:
    """Contact-centre and survey KPIs: tiles, trends, weekday × hour, channels, surveys and
    an optional ``segment`` detail table (``notebooks/kpis.ipynb``).

    ``results``: the page's results (:func:`cxtoolkit.pipeline.produce.kpi_page`). Returns ``{"k": {cut: frame}, "status": status table}``.
    """
    from cxtoolkit.kpis import commentary as C
    from cxtoolkit.viz import kpis as V

    loc, segment = p["loc"], p.get("segment") or ""
    k, status, source = results["k"], results["status"], results["source"]
    overall = k["overall"]
    sl = ""
    if measured_in(overall, ["service_level"]) and results.get("service_level_words"):   # tickets: none
        variant = results["service_level_words"]
        sl = " · " + markdown_text(text("views.kpis.service_level", loc, variant=variant))
    emit(Markdown(_period_line(cfg, p) + sl))

    heading(emit, "overview", loc)
    # a tile per KPI with data for this client (never a "–": no channel, no column)
    shown = with_data(KPI_TILES, dict(zip(status["key"], status["value"])))
    tiles = status.set_index("key").reindex(shown).reset_index()
    emit(V.kpi_tiles(tiles, loc))
    for note in results.get("notes") or ():   # KPIs not measured (a constant the mapping assumed)
        emit(Markdown(f"> {markdown_text(note)}"))
    emit(Markdown(C.comment_status(status, loc)))

    heading(emit, "trends", loc)
    # a monthly audit has one month: its month "trend" (one point, "not enough periods") is left
    # out when the weeks show one
    cuts = [c for c in ("week", "month") if len(k[c]) >= 2] or ["week"]
    for cut in cuts:                      # the axis named by its label (Semaine), not its code
        # rates not measured over these periods (an assumed ``answered``) draw nothing: the volume then
        keys = measured_in(k[cut], TREND_KPIS) or measured_in(k[cut], ["contacts"])
        if not keys:
            continue
        # a week the period covers in part says its days on the axis and in the sentence
        span = dict(start=p.get("period_start") or None, end=p.get("period_end") or None)
        shown = k[cut].rename(index=lambda w: calendar_text(str(w), loc, **span))
        emit(V.trend(shown.rename_axis(column_label(cut, loc)), keys, loc))
        emit(Markdown(C.comment_trend(k[cut], keys[0], loc, **span)))

    if source == "contacts":
        heading(emit, "weekday_hour_slot", loc)
        heat = k["weekday×hour"]
        for key in measured_in(heat, ["answer_rate", "inbound"]):   # no empty map of a rate not measured
            emit(V.heatmap(heat, key, loc))
        emit(Markdown(C.comment_heatmap(heat, loc, targets=cfg.targets)))

        heading(emit, "channels", loc)
        channels = k["channel"]
        emit(V.channel_split(channels.rename(index=lambda c: value_label("channel", c, loc) or c), loc))
        emit(Markdown(C.comment_channels(channels, loc)))
    elif source == "daily":
        heading(emit, "weekday", loc)
        emit(Markdown(text("views.kpis.daily_source", loc)))
        emit(table(k["weekday"], None, loc, index=True))

    heading(emit, "surveys", loc)
    if "nps" in overall.columns:
        emit(V.nps_ci(k["month"], loc))
        emit(Markdown(C.comment_surveys(overall.iloc[0], loc, cfg.kpi.min_answers)))
    else:
        emit(Markdown(text("views.kpis.no_survey", loc)))

    if segment:
        heading(emit, "segment_detail", loc)
        emit(table(k[segment], [c for c in status["key"] if c in k[segment].columns], loc, index=True))

    data = data_counts(results.get("counts"), loc)   # rows read = accepted + rejected, as the deck and the index
    if len(data):
        heading(emit, "data", loc)
        emit(table(data, None, loc))
    return {"k": k, "status": status}


# --------------------------------------------------------------------------- journey
def render_journey(cfg, results: dict, p: dict, emit=display) -> dict[str, Any]:
    """Friction map, stages × segment, key drivers, contact paths, trend and cross-country
    comparability (``notebooks/journey.ipynb``).

    ``results``: the page's results (:func:`cxtoolkit.pipeline.produce.journey_page`).
    Returns ``{"fmap", "drivers", "countries"}`` (the last two may be None).
    """
    from cxtoolkit import comparability as CP
    from cxtoolkit import journey as J
    from cxtoolkit.viz import journey as V

    loc = p["loc"]
    seg, fmap, drivers = results["segment"], results["fmap"], results["drivers"]
    emit(Markdown(_period_line(cfg, p) + " — " + text("views.journey.answers", loc, n=format_value(results["n_answers"], "count", loc))))

    heading(emit, "friction", loc)
    emit(V.journey_line(fmap, loc))
    _bullets(emit, J.comment_friction(fmap, loc, drivers=drivers))
    lab = localized_column("stage_label", loc)
    emit(table(fmap, ["stage_label", "n", "unhappy_share", "csat", "nps", "nps_ci95",
                      "ces_mean", "contacts", "volume_share", "friction_index", "p_value", "significant",
                      Col("too_few", "too_few_answers"), "rank"], loc))

    heading(emit, "stages_segment", loc)
    if seg:
        fseg = results["fseg"]
        emit(V.stage_heatmap(fseg, seg, "unhappy_share", loc))
        for value, g in fseg.groupby(seg, observed=True):
            top = g[g["rank"] == 1]
            if len(top):
                row = top.iloc[0]
                _bullets(emit, [text("views.journey.segment_friction", loc, segment=seg, value=value,
                                     stage=quote(row[lab], loc), n=format_value(row.n, "count", loc),
                                     share=format_value(row.unhappy_share, "ratio", loc, decimals=0))])
    else:
        emit(Markdown(text("views.journey.no_segment", loc)))

    heading(emit, "key_drivers", loc)
    if drivers is not None and drivers["impact"].notna().any():
        emit(V.priority_matrix(drivers, loc))
        emit(table(drivers, ["stage_label", "customers", "impact", "impact_ci_low", "impact_ci_high",
                             "importance", "performance", "quadrant_label"], loc))
    else:
        emit(Markdown(text("views.journey.no_drivers", loc)))

    heading(emit, "contact_paths", loc)
    paths = results["paths"]
    if paths is not None and len(paths):
        emit(V.paths_sankey(paths, loc))
        first = paths.iloc[0]
        _bullets(emit, [text("views.journey.top_path", loc, source=J.stage_label(first.source, loc),
                             target=J.stage_label(first.target, loc),
                             customers=format_value(first.customers, "count", loc))])
    else:
        emit(Markdown(text("views.journey.no_paths", loc)))

    heading(emit, "trend", loc)
    trend = results["trend"]
    if trend is not None:
        emit(V.friction_trend_chart(trend, "unhappy_share", loc))
        last = trend[trend["month"] == trend["month"].max()]
        _bullets(emit, J.comment_friction(last, loc, top=1))

    heading(emit, "countries", loc)
    countries = results["countries"]
    if countries is not None:
        emit(table(countries, ["country", "n", "nps", "nps_ci95", "nps_benchmark", "nps_gap",
                               "nps_gap_significant", "nps_z", "rank_raw", "rank_normalised", "ranking_basis"], loc))
        named = [value_label("country", c, loc) or c for c in countries["country"]]   # as the table names them
        _bullets(emit, CP.comment_comparison(countries.assign(country=named), loc))
    else:
        emit(Markdown(text("views.journey.one_country", loc)))
    return {"fmap": fmap, "drivers": drivers, "countries": countries}


# --------------------------------------------------------------------------- verbatims
def render_verbatims(cfg, results: dict, p: dict, emit=display) -> dict[str, Any]:
    """Irritants and delighters, masked examples, weak signals and severity
    (``notebooks/verbatims.ipynb``; extras ``language`` and ``topics``).

    ``results``: the page's results (:func:`cxtoolkit.pipeline.produce.verbatims_page`). Returns ``{"res": VerbatimAnalysis}``.
    """
    from cxtoolkit import verbatims as VB
    from cxtoolkit.viz import verbatims as V

    loc = p["loc"]
    res = results["res"]
    focus = f" · {markdown_text(p['focus'])}" if p.get("focus") else ""
    base = VB.verbatims_base(results["n_verbatims"], results["n_answers"]).render(loc)
    emit(Markdown(f"**{cfg.name or cfg.client}** — {base}{focus}"))

    heading(emit, "themes", loc)
    emit(V.themes_lift_chart(res.themes, loc))
    _bullets(emit, VB.comment_verbatims(res, loc))
    lab = localized_column("label", loc)
    emit(table(res.themes[res.themes["mentions"] > 0],
               ["theme_label", "source", "mentions", "share_unhappy", "share_happy", "lift", "lift_ci_low",
                "lift_ci_high", Col("label", "theme_kind")], loc))

    heading(emit, "examples", loc)
    for row in res.themes[res.themes["label"] != "neutral"].head(8).itertuples():
        quotes = "\n\n".join(f"> {markdown_text(q)}" for q in row.examples)   # customer text: shown as typed
        kind = value_label("theme_kind", row.label, loc)
        emit(Markdown(f"**{markdown_text(getattr(row, lab))}** ({kind}, {format_value(row.mentions, 'count', loc)})"
                      f"\n\n{quotes}"))

    heading(emit, "weak_signals", loc)
    if len(res.weak_signals):
        emit(table(res.weak_signals, ["theme_label", Col("reason", "signal_reason"), "mentions", "lift", "growth",
                                      Col("label", "theme_kind")], loc))
    else:
        emit(Markdown(text("views.verbatims.no_weak_signal", loc)))

    heading(emit, "severity", loc)
    emit(V.severity_chart(res.severity, loc))
    emit(table(res.severity, ["severity", "theme_label", "verbatims", "share_of_classified", "share_of_unhappy"], loc))
    return {"res": res}


# --------------------------------------------------------------------------- quality
def render_quality(cfg, results: dict, p: dict, emit=display) -> dict[str, Any]:
    """Findings, perceived vs delivered quality, scores and criteria, calibration and review
    coverage (``notebooks/quality.ipynb``; extras ``vendor`` and ``country``).

    ``results``: the page's results (:func:`cxtoolkit.pipeline.produce.quality_page`). Returns ``{"rep": quality report}``.
    """
    from cxtoolkit import quality as Q
    from cxtoolkit.viz import quality as V

    loc = p["loc"]
    vendor, country = p.get("vendor") or "", p.get("country") or ""
    rep = results["rep"]
    s = rep["settings"]
    # the country by its name in the reader's language (ES -> Espagne), as everywhere else
    focus = [vendor, (value_label("country", country, loc) or country) if country else ""]
    emit(Markdown(_period_line(cfg, p) + "".join(f" · {markdown_text(f)}" for f in focus if f)))
    for w in rep["warnings"]:
        emit(Markdown(f"> {w}"))

    heading(emit, "findings", loc)
    emit(Markdown("\n".join(f"- {line}" for line in rep["commentary"])))

    heading(emit, "perceived_vs_delivered", loc)
    emit(V.perceived_vs_delivered(rep["perceived"], s.qa_target, s.csat_target, loc))
    if rep["perceived_team"] is not None:
        emit(V.perceived_vs_delivered(rep["perceived_team"], s.qa_target, s.csat_target, loc))

    heading(emit, "scores_and_criteria", loc)
    emit(V.trend(rep["trend"], loc, p.get("period_start") or None, p.get("period_end") or None))
    emit(V.criteria(rep["criteria"], loc))
    emit(table(rep["by_agent"], ["agent_id", "team", "site", "vendor", "country", Col("n", "evaluations"),
                                 Col("score", "qa_score"), Col("score_sd", "qa_score_sd"), "critical_fail_rate"], loc))

    heading(emit, "calibration", loc)
    cal = rep["calibration"]
    crit = rep["criteria"]
    names = dict(zip(crit["criterion"], crit["label"])) if {"criterion", "label"} <= set(crit.columns) else {}
    emit(V.agreement(cal.overall, {names.get(c, c): v for c, v in cal.by_criterion.items()}, loc))  # by their names
    emit(V.evaluator_drift(cal.evaluators, s.drift_points, loc))
    emit(table(cal.pack, ["contact_id", "agent_id", "n_evaluators", Col("min", "score_min"), Col("max", "score_max"),
                          Col("sd", "score_sd"), Col("range", "score_range"), Col("evaluators", "evaluator_codes"),
                          "scores", Col("worst_criterion", values=names)], loc))

    heading(emit, "review_coverage", loc)
    emit(V.coverage_heatmap(rep["coverage"], loc))
    emit(table(Q.coverage_summary(rep["coverage"]), ["agent_id", "weeks", "weeks_met", "reviews",
                                                      "reviews_per_week"], loc))
    return {"rep": rep}


# --------------------------------------------------------------------------- staffing
def render_staffing(cfg, results: dict, p: dict, emit=display) -> dict[str, Any]:
    """Agents needed per weekday × interval (Erlang C) against the agents seen answering,
    the gap and its weekly cost, the answer rate predicted with each (Erlang A) and, under
    Voila, the one-day what-if (``notebooks/staffing.ipynb``; extras ``target_sl`` and
    ``shrinkage`` — 0 / negative: client.yml —, ``interval_min`` — 0: client.yml — and
    ``weekday`` shown in detail — empty: the busiest, :func:`typical_weekday`). The what-if
    is the app's (:func:`cxtoolkit.apps.views.render_staffing`).

    ``results``: the page's results (:func:`cxtoolkit.pipeline.produce.staffing_page`).
    Returns ``{"profile": plan per weekday × interval, "summary": per day and week,
    "patience_s": patience used}`` (``profile`` keeps ``weekday``, ``hour`` and the
    ``agents_required`` of the plan).
    """
    from cxtoolkit import staffing as S
    from cxtoolkit.viz import staffing as V

    loc = p["loc"]
    if p.get("app_mode"):
        emit(Markdown(_period_line(cfg, p)))
    targets, plan = results["targets"], results["plan"]
    if plan is None:
        emit(Markdown(text("views.staffing.no_calls", loc)))
        return {"profile": S.staffing_plan(None), "summary": S.plan_summary(None), "patience_s": None}
    patience, summary = results["patience_s"], results["summary"]
    goal = S.target_text(targets, loc)

    heading(emit, "staffing_gap", loc)
    emit(Markdown(text("views.staffing.settings", loc, goal=goal,
                       occupancy=format_value(targets["max_occupancy"], "ratio", loc, decimals=0),
                       shrinkage=format_value(targets["shrinkage"], "ratio", loc, decimals=0),
                       patience=f"{patience:.0f} s" if patience else text("views.staffing.unknown_patience", loc))))
    for note in results.get("notes") or ():   # figures not measured (the answered flag the mapping assumed)
        emit(Markdown(f"> {markdown_text(note)}"))
    _bullets(emit, S.comment_plan(plan, loc, target_text=goal, currency=cfg.currency))
    emit(V.gap_heatmap(plan, loc))
    emit(V.gap_heatmap(plan, loc, "agents_required"))
    days = summary.set_axis(pd.Index([S.day_labels(loc)[S.WEEKDAYS.index(d)] if d in S.WEEKDAYS
                                      else text("views.staffing.week", loc) for d in summary.index], name="day"))
    emit(table(days, ["calls", "agent_hours", "agent_hours_seen", "extra_paid_hours", "extra_cost",
                      "answer_rate_seen", "answer_rate_pred_seen", "answer_rate_plan"], loc, index=True,
               currency=cfg.currency))

    wd = typical_weekday(plan, p.get("weekday"))
    heading(emit, "typical_day", loc)
    emit(V.day_chart(plan, wd, loc))
    emit(V.answer_rate_chart(plan, wd, loc, target=cfg.target("answer_rate", 0.85)))
    return {"profile": plan, "summary": summary, "patience_s": patience}


def typical_weekday(plan: pd.DataFrame, weekday: str | None = None) -> int:
    """The weekday the staffing page shows in detail (0 = Monday): ``weekday`` (``"tue"``)
    when the plan has it, else the busiest day of the plan.

    >>> plan = pd.DataFrame({"weekday": [0, 1, 1], "arrivals_per_hour": [5.0, 3.0, 4.0]})
    >>> typical_weekday(plan), typical_weekday(plan, "mon"), typical_weekday(plan, "sun")
    (1, 0, 1)
    """
    from cxtoolkit import staffing as S

    wd = S.weekday_index(weekday) if weekday else None
    if wd is None or wd not in set(plan["weekday"]):
        wd = int(plan.groupby("weekday")["arrivals_per_hour"].sum().idxmax())
    return wd
