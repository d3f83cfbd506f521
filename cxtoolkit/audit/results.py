"""The results an audit deck shows, computed once from what the runner already loaded.

:func:`deck_results` takes the runner's :class:`~cxtoolkit.audit.collect.KpiViews` (the
loaded data and the KPI views of the workbook) and adds what the runner does not compute
yet — the weekday × hour cut, the friction map and key drivers, the verbatim themes, the
quality report, the ROI business case with the client's Monte Carlo settings — each
with the same domain function the notebooks call. A result whose data is absent (no
evaluations, no survey answers...) is ``None`` with the reason in ``missing``: partial data
is normal, the deck leaves that section out.

Until the one-pipeline refactor (issue 14) keeps these results with the audit, this is
the single producer of the deck's figures; the deck itself (:mod:`cxtoolkit.report.audit_deck`)
only renders them.

Examples
--------
>>> from cxtoolkit.audit.collect import KpiViews
>>> from cxtoolkit.config import ClientConfig
>>> r = deck_results(ClientConfig(client="acme", roi={"acquisition_cost": 300}), KpiViews(), "2026-10")
>>> r.business_case.outputs["net_benefit"], r.friction is None, r.missing["friction"]
(36000.0, True, 'no responses data')
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cxtoolkit.audit.collect import KpiViews, first_line
from cxtoolkit.config import ClientConfig


#: New subjects discovered among unmatched verbatims: the verbatims notebook's default ``topics``.
VERBATIM_TOPICS = 5


@dataclass
class DeckResults:
    """Everything the audit deck shows for one client and period."""

    client: str
    client_name: str
    period: str
    locale: str
    currency: str
    views: dict[str, pd.DataFrame] = field(default_factory=dict)   # the runner's KPI views
    status: pd.DataFrame | None = None          # KPI status (RAG) of the overall view
    heat: pd.DataFrame | None = None            # KPIs by weekday × hour
    friction: pd.DataFrame | None = None        # journey.friction_map
    drivers: pd.DataFrame | None = None         # journey.key_drivers
    verbatims: Any = None                       # verbatims.VerbatimAnalysis
    quality: dict | None = None                 # quality.quality_report
    business_case: Any = None                   # report.business_case.BusinessCase
    staffing: pd.DataFrame | None = None        # staffing.plan_summary (gap per day and week)
    changes: pd.DataFrame | None = None         # history.what_changed
    previous_period: str | None = None
    rows_read: dict = field(default_factory=dict)
    rejects: int = 0
    missing: dict[str, str] = field(default_factory=dict)   # result -> why absent


def _has(frame, *cols: str) -> bool:
    return frame is not None and len(frame) > 0 and set(cols) <= set(frame.columns)


def deck_results(cfg: ClientConfig, views: KpiViews, period: str, changes: pd.DataFrame | None = None,
                 previous_period: str | None = None, start: str = "", end: str = "") -> DeckResults:
    """Compute the deck's results from the runner's loaded data and KPI views.

    Never raises for data: a result that cannot be computed is ``None`` and its reason is
    in ``missing``.
    """
    from cxtoolkit import kpis as K

    data = views.data
    contacts = getattr(data, "contacts", None)
    responses = getattr(data, "responses", None)
    loc = cfg.locale
    out = DeckResults(cfg.client, cfg.name or cfg.client, period, loc, cfg.currency, dict(views.views),
                      changes=changes, previous_period=previous_period,
                      rows_read=dict(views.counts or {}),
                      rejects=0 if views.rejects is None else int(len(views.rejects)))

    def attempt(name: str, fn, why_absent: str = ""):
        if why_absent:
            out.missing[name] = why_absent
            return None
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - a section that cannot be computed is left out
            out.missing[name] = first_line(exc)
            return None

    overall = views.views.get("overall")
    out.status = attempt("status", lambda: K.status_table(overall, cfg, loc),
                         "" if _has(overall) else (views.reason or "no KPI views"))
    out.heat = attempt("heat", lambda: K.compute(contacts, None, cfg=cfg, by=["weekday", "hour"]),
                       "" if _has(contacts) else "no contacts data")
    no_answers = "" if _has(responses) else "no responses data"
    from cxtoolkit import journey as J

    out.friction = attempt("friction", lambda: J.friction_map(responses, cfg, contacts=contacts), no_answers)
    out.drivers = attempt("drivers", lambda: J.key_drivers(responses, cfg),
                          no_answers or ("" if _has(responses, "customer_id", "survey_type")
                                         else "no customer_id / survey_type in responses"))
    from cxtoolkit import verbatims as VB

    out.verbatims = attempt("verbatims", lambda: VB.analyse_verbatims(responses, cfg, discover=True,
                                                                      n_topics=VERBATIM_TOPICS),
                            no_answers)
    evaluations = getattr(data, "evaluations", None)
    from cxtoolkit import quality as Q

    out.quality = attempt("quality", lambda: Q.quality_report(
        evaluations, getattr(data, "agents", None), responses, cfg=cfg, start=start or None,
        end=end or None, locale=loc), "" if _has(evaluations) else "no evaluations data")
    if cfg.roi or data is not None:
        from cxtoolkit import roi
        from cxtoolkit.report import business_case as BC

        out.business_case = attempt("business_case", lambda: BC.build_business_case(
            roi.prefill(cfg, sends=getattr(data, "sends", None), responses=responses),
            currency=cfg.currency, locale=loc, client_name=out.client_name))
    else:
        out.missing["business_case"] = "no roi assumptions nor data in client.yml"
    out.staffing = attempt("staffing", lambda: _staffing_gap(cfg, contacts, start, end),
                           "" if _has(contacts, "channel") else "no contacts data")
    return out


def _staffing_gap(cfg: ClientConfig, contacts: pd.DataFrame, start: str, end: str) -> pd.DataFrame | None:
    """Per-day staffing plan summary (Erlang), the staffing notebook's pipeline."""
    from cxtoolkit import staffing as S

    if not contacts["channel"].astype("string").eq("phone").fillna(False).any():
        return None
    _, plan, _ = S.client_plan(cfg, contacts, S.targets_from_config(cfg), start=start or None, end=end or None)
    summary = S.plan_summary(plan)
    return summary if len(summary) else None
