"""The producers: one pure function per page result, over the loaded tables.

Each ``<page>_page(cfg, data, p)`` takes the client's configuration, its loaded tables
(:class:`cxtoolkit.io.ClientData`, already restricted to the period and segment) and the
page's parameters ``p`` (``loc``, ``period_start``, ``period_end``, ``segment`` and the
page's own extras) and returns the page's results as a dict of frames and scalars. The
Voila apps call them live for each selection (through the page's render function in
:mod:`cxtoolkit.apps.views`); an audit calls them once
(:func:`cxtoolkit.pipeline.results.compute_results`) and every artefact reads what they
returned. Nothing here reads files or draws.

Examples
--------
>>> from types import SimpleNamespace
>>> import pandas as pd
>>> c = pd.DataFrame({"channel": ["phone", "phone"], "answered": [True, False], "wait_s": [5.0, 30.0],
...                   "received_at": pd.to_datetime(["2026-05-04 10:00", "2026-05-05 11:00"])})
>>> data = SimpleNamespace(contacts=c, responses=None, sends=None, daily_reports=None)
>>> sorted(kpi_views(None, data))
['channel', 'month', 'overall', 'week', 'weekday×hour']
>>> kpi_views(None, data)["overall"]["answer_rate"].iloc[0]
np.float64(0.5)
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from cxtoolkit.errors import InputError

#: The KPI views of the workbook (sheet key → ``by``), also kept in the audit history.
WORKBOOK_VIEWS: dict[str, str | None] = {
    "overall": None, "channel": "channel", "country": "country", "month": "month", "week": "week",
}
#: New subjects discovered among unmatched verbatims: the verbatims page's default ``topics``.
VERBATIM_TOPICS = 5

#: The parameters each page's results depend on besides the period and the locale (a stored
#: result answers a page only when these are the same).
PAGE_PARAMS: dict[str, dict[str, Any]] = {
    "kpis": {"segment": ""},
    "journey": {"segment": ""},
    "verbatims": {"language": "", "topics": VERBATIM_TOPICS},
    "quality": {"vendor": "", "country": ""},
    "staffing": {"target_sl": 0.0, "shrinkage": -1.0, "interval_min": 0},
    "roi": {},
}


def _cut_name(cut) -> str:
    from cxtoolkit.kpis.groups import normalize_by

    keys = normalize_by(cut)
    return "×".join(keys) if keys else "overall"


def kpi_cuts(data, segment: str = "") -> list:
    """The one set of KPI cuts of a page or an audit: overall, week, month, the detail the
    data allows (weekday × hour and channel from contacts, weekday from daily reports),
    the workbook's views (channel, country) and the requested ``segment``.

    >>> from types import SimpleNamespace
    >>> kpi_cuts(SimpleNamespace(contacts=None, daily_reports=object()), "queue")
    [None, 'week', 'month', 'weekday', 'channel', 'country', 'queue']
    """
    detail = ([["weekday", "hour"], "channel"] if getattr(data, "contacts", None) is not None
              else ["weekday"] if getattr(data, "daily_reports", None) is not None else [])
    cuts, seen = [], set()
    for cut in [None, "week", "month", *detail, *(c for c in WORKBOOK_VIEWS.values() if c),
                *([segment] if segment else [])]:
        name = _cut_name(cut)
        if name not in seen:
            seen.add(name)
            cuts.append(cut)
    return cuts


def kpi_views(cfg, data, segment: str = "") -> dict[str, pd.DataFrame]:
    """The KPI views of :func:`kpi_cuts` (``{cut name: frame}``, see
    :func:`cxtoolkit.kpis.compute_many`): the workbook's sheets, the index's headline
    figures, the KPI page and its CSVs all read these. A cut the data cannot make (no
    ``country`` column) is left out; the overall view failing raises."""
    from cxtoolkit import kpis as K

    contacts, daily = data.contacts, getattr(data, "daily_reports", None)
    args = dict(sends=getattr(data, "sends", None), daily_reports=daily if contacts is None else None,
                assumed=data.assumed_by_table() if hasattr(data, "assumed_by_table") else (),
                contacts_after=getattr(data, "contacts_after", None))
    cuts = kpi_cuts(data, segment)
    try:
        return K.compute_many(contacts, data.responses, cfg, cuts=cuts, **args)
    except InputError:
        pass
    out: dict[str, pd.DataFrame] = {}
    for cut in cuts:                    # one cut at a time: those that apply
        try:
            out.update(K.compute_many(contacts, data.responses, cfg, cuts=[cut], **args))
        except InputError:
            if cut is None:
                raise
    return out


def kpi_source(data) -> str:
    """Where the contact-centre KPIs come from: ``contacts``, ``daily`` reports or only
    ``surveys``."""
    if getattr(data, "contacts", None) is not None:
        return "contacts"
    return "daily" if getattr(data, "daily_reports", None) is not None else "surveys"


def kpi_page(cfg, data, p: dict, views: dict[str, pd.DataFrame] | None = None,
             status: pd.DataFrame | None = None) -> dict[str, Any]:
    """KPI page: ``{"k": kpi_views, "status": status table of the overall view, "source",
    "notes", "counts"}``; ``notes``: the KPIs not measured because the mapping assumed their only
    columns (:func:`cxtoolkit.io.loader.unmeasured_warnings`), in the page's language;
    ``counts``: per table read, its file and rows read, accepted, rejected and out of the period. ``views`` and
    ``status``: already computed (the audit's results set, which keeps one set of cuts for
    every output), else computed here."""
    from cxtoolkit import kpis as K
    from cxtoolkit.io.loader import unmeasured_warnings

    if views is None:
        views = kpi_views(cfg, data, p.get("segment") or "")
        status = K.status_table(views["overall"], cfg, p["loc"])
    details = getattr(data, "details", None) or {}
    tables = (["contacts"] if kpi_source(data) == "contacts" else []) + \
        (["responses"] if getattr(data, "responses", None) is not None else [])
    notes = [n for t in tables for n in unmeasured_warnings(t, details.get(t, {}), p["loc"])]
    return {"k": dict(views), "status": status, "source": kpi_source(data),
            "notes": notes, "service_level_words": service_level_said(cfg, data, p["loc"]),
            "counts": {t: {k: c.get(k) for k in ("file", "read", "accepted", "rejected", "out_of_period")}
                       for t, c in (getattr(data, "counts", None) or {}).items()}}


def service_level_said(cfg, data, locale: str | None) -> str:
    """How the service level of ``data`` is computed, in words (page's first line, the CLI's
    ``kpis``): from contacts, the client's ``kpi.service_level_formula`` within
    ``kpi.service_level_s``; from daily reports, the report's own, within its preset's
    threshold (``service_level_s``, the "20 Seconds" of its header; else the client's)."""
    from cxtoolkit.io.presets import get
    from cxtoolkit.report.tables import service_level_words

    if kpi_source(data) != "daily":
        return service_level_words(cfg.kpi.service_level_formula, cfg.kpi.service_level_s, locale)
    details = getattr(data, "details", None) or {}
    name = (details.get("daily_reports") or {}).get("preset")
    within = get(name, "daily_reports").get("service_level_s") if name else None
    return service_level_words("daily_report", float(within if within is not None else cfg.kpi.service_level_s),
                               locale)


def journey_page(cfg, data, p: dict) -> dict[str, Any]:
    """Journey page: friction map, key drivers (None without ``customer_id`` /
    ``survey_type``), friction by ``segment`` (None without), contact paths, monthly trend
    and cross-country comparison (None with one country)."""
    from cxtoolkit import comparability as CP
    from cxtoolkit import journey as J

    responses, contacts = data.responses, data.contacts
    segment = p.get("segment") or ""
    seg = segment if segment and segment in responses.columns else None
    fmap = J.friction_map(responses, cfg, contacts=contacts)
    drivers = (J.key_drivers(responses, cfg) if {"customer_id", "survey_type"} <= set(responses.columns)
               else None)
    countries = None
    if "country" in responses.columns and responses["country"].nunique() > 1:
        bench = CP.load_benchmarks(CP.benchmarks_path(cfg))
        countries = CP.country_comparison(responses, bench, min_answers=cfg.kpi.min_answers)
    return {
        "n_answers": len(responses), "segment": seg, "fmap": fmap, "drivers": drivers,
        "fseg": J.friction_map(responses, cfg, contacts=contacts, by=seg) if seg else None,
        "paths": J.customer_paths(contacts, cfg) if contacts is not None else None,
        "trend": (J.friction_trend(responses, cfg, contacts=contacts)
                  if "responded_at" in responses.columns else None),
        "countries": countries,
    }


def verbatims_page(cfg, data, p: dict) -> dict[str, Any]:
    """Verbatims page: ``{"res": VerbatimAnalysis, "n_verbatims", "n_answers"}`` (extras
    ``language``, ``topics``): the verbatims analysed out of the page's answers, its base
    (:func:`cxtoolkit.verbatims.verbatims_base`)."""
    from cxtoolkit import verbatims as VB

    responses = data.responses
    language, topics = p.get("language") or "", int(p.get("topics", VERBATIM_TOPICS))
    if language:
        responses = responses[VB.response_language(responses).eq(language).fillna(False)]
    res = VB.analyse_verbatims(responses, cfg, discover=topics > 0, n_topics=max(topics, 1))
    return {"res": res, "n_verbatims": len(res.tagged), "n_answers": len(responses)}


def quality_page(cfg, data, p: dict) -> dict[str, Any]:
    """Quality page: ``{"rep": quality report}`` (extras ``vendor``, ``country``)."""
    from cxtoolkit import quality as Q

    rep = Q.quality_report(data.evaluations, getattr(data, "agents", None), data.responses, cfg=cfg,
                           start=p.get("period_start") or None, end=p.get("period_end") or None,
                           vendor=p.get("vendor") or None, country=p.get("country") or None, locale=p["loc"])
    return {"rep": rep}


def has_phone_calls(contacts) -> bool:
    return contacts is not None and "channel" in contacts.columns and \
        bool(contacts["channel"].astype("string").eq("phone").fillna(False).any())


def staffing_figures(cfg, data, targets: dict[str, Any], interval_min: int, loc: str, **plan_kw) -> dict[str, Any]:
    """The staffing figures of the client's contacts and what they must say with them, from one
    computation (the one producer of the CLI's table and JSON, the staffing page and the
    audit deck): ``plan``, ``summary`` (per day and week), ``patience_s``, ``profile``,
    ``not_measured`` (the figures of :func:`cxtoolkit.staffing.unmeasured` for the columns the
    mapping assumed) and ``notes`` (that warning in ``loc``; none when all is measured).
    ``plan_kw`` go to :func:`cxtoolkit.staffing.client_plan` (weekday, start, end, aht_s…)."""
    from cxtoolkit import staffing as S
    from cxtoolkit.io.loader import unmeasured_warnings

    assumed = data.assumed("contacts") if hasattr(data, "assumed") else []
    profile, plan, patience = S.client_plan(cfg, data.contacts, targets, interval_min, assumed=assumed,
                                            locale=loc, **plan_kw)
    details = (getattr(data, "details", None) or {}).get("contacts", {})
    return {"targets": targets, "plan": plan, "summary": S.plan_summary(plan), "patience_s": patience,
            "profile": profile, "not_measured": S.unmeasured(assumed),
            "notes": unmeasured_warnings("contacts", details, loc, S.unmeasured_labels(assumed, loc))}


def staffing_page(cfg, data, p: dict) -> dict[str, Any]:
    """Staffing page: targets, the plan per weekday × interval, its summary per day and
    week, the patience used and the arrival profile (the what-if's input); ``plan`` None
    without phone calls (extras ``target_sl``, ``shrinkage``, ``interval_min``); ``notes``: the
    staffing figures not measured because the mapping assumed the answered flag
    (:func:`staffing_figures`, the CLI's and the deck's producer too), in the page's language."""
    from cxtoolkit import staffing as S

    sl = float(p.get("target_sl") or 0)
    sh = float(p["shrinkage"]) if p.get("shrinkage") is not None else -1.0
    targets = S.targets_from_config(cfg, service_level=sl if sl > 0 else None, shrinkage=sh if sh >= 0 else None)
    if not has_phone_calls(data.contacts):
        return {"targets": targets, "plan": None, "summary": None, "patience_s": None, "profile": None,
                "not_measured": [], "notes": []}
    interval = int(p.get("interval_min") or 0) or cfg.staffing.interval_min
    return staffing_figures(cfg, data, targets, interval, p["loc"],
                            start=p.get("period_start") or None, end=p.get("period_end") or None)


def roi_page(cfg, data, p: dict) -> dict[str, Any]:
    """ROI page: ``{"bc": BusinessCase}`` of the client's case (its sends and answers, then
    client.yml ``roi``, then the defaults) with the client's Monte Carlo settings
    (:func:`cxtoolkit.roi.case_monte_carlo`)."""
    from cxtoolkit import roi
    from cxtoolkit.report import business_case as BC

    case = roi.prefill(cfg, sends=getattr(data, "sends", None), responses=getattr(data, "responses", None))
    name = (getattr(cfg, "name", "") or getattr(cfg, "client", "") or "") if cfg is not None else ""
    return {"bc": BC.build_business_case(case, currency=getattr(cfg, "currency", "EUR"), locale=p["loc"],
                                         client_name=name)}


#: page name → producer
PRODUCERS = {"kpis": kpi_page, "journey": journey_page, "verbatims": verbatims_page, "quality": quality_page,
             "staffing": staffing_page, "roi": roi_page}
