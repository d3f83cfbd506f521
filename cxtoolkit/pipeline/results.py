"""The results set of one audit, computed once, read by every artefact.

:func:`compute_results` calls each producer of :mod:`cxtoolkit.pipeline.produce` once on
the audit's loaded data — the KPI views (one set of cuts), the journey page (friction map,
key drivers...), the verbatim themes, the quality report and calibration, the ROI business
case with the client's Monte Carlo settings, staffing when there are phone calls — into an
:class:`AuditResults`. The notebooks render its pages (read back from the audit's
``results/`` folder, :mod:`cxtoolkit.pipeline.store`), the workbook writes its KPI views,
the index shows its headline figures and the deck (:mod:`cxtoolkit.report.audit_deck`)
reads the attributes below. A result whose data is absent (no evaluations, no survey
answers...) is ``None`` with the reason in ``missing``: partial data is normal.

Examples
--------
>>> from cxtoolkit.config import ClientConfig
>>> r = compute_results(ClientConfig(client="acme", roi={"acquisition_cost": 300}), None, "2026-10")
>>> r.business_case.outputs["net_benefit"], r.friction is None, r.missing["friction"]
(36000.0, True, 'no responses data (client.yml data.responses)')
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cxtoolkit.errors import InputError
from cxtoolkit.needs import PAGE_NEEDS
from cxtoolkit.pipeline import produce as P


def _first_line(exc: BaseException, locale: str | None = None) -> str:
    """The first line of why a section could not be computed: an input error in ``locale``
    (written for the consultant: said as it is), anything else with its type."""
    text = exc.render(locale) if isinstance(exc, InputError) else str(exc).strip()
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if isinstance(exc, InputError) and line:
        return line
    return f"{type(exc).__name__}: {line}" if line else type(exc).__name__


def _has(frame, *cols: str) -> bool:
    return frame is not None and len(frame) > 0 and set(cols) <= set(frame.columns)


def _same(a, b) -> bool:
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return str(a or "") == str(b or "")


@dataclass
class AuditResults:
    """Everything an audit shows for one client and period.

    ``pages``: the output of each page's producer (``{"kpis": {"k", "status", "source"},
    "journey": {...}, "verbatims": {...}, "quality": {...}, "roi": {"bc"}, "staffing": {...}}``);
    ``params``: the page parameters they answer (:data:`cxtoolkit.pipeline.produce.PAGE_PARAMS`);
    ``missing``: result → why absent. ``status`` ... ``staffing`` are the deck's view of the
    pages (:meth:`derive_deck_view`).
    """

    client: str
    client_name: str
    period: str
    locale: str
    currency: str
    period_start: str = ""
    period_end: str = ""
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    changes: pd.DataFrame | None = None         # history.what_changed
    previous_period: str | None = None
    rows_read: dict = field(default_factory=dict)
    rejects: int = 0
    missing: dict[str, str] = field(default_factory=dict)

    # the deck's view of the pages (derive_deck_view; not stored: derived again on load)
    status: pd.DataFrame | None = None          # KPI status (RAG) of the overall view
    heat: pd.DataFrame | None = None            # KPIs by weekday × hour, the slots with contacts
    friction: pd.DataFrame | None = None        # journey.friction_map
    drivers: pd.DataFrame | None = None         # journey.key_drivers
    verbatims: Any = None                       # verbatims.VerbatimAnalysis
    quality: dict | None = None                 # quality.quality_report
    business_case: Any = None                   # report.business_case.BusinessCase
    staffing: pd.DataFrame | None = None        # staffing.plan_summary (gap per day and week)
    staffing_notes: list = field(default_factory=list)   # its figures not measured, said (staffing page's notes)

    @property
    def views(self) -> dict[str, pd.DataFrame]:
        """The KPI views (every cut: overall, week, month, channel, country, weekday×hour...)."""
        return self.pages.get("kpis", {}).get("k") or {}

    def derive_deck_view(self) -> "AuditResults":
        """Set the deck's fields from ``pages`` (None where ``missing`` says why); returns self."""
        def get(name: str, page: str, key: str):
            return None if name in self.missing else self.pages.get(page, {}).get(key)

        self.status = get("status", "kpis", "status")
        wh = self.views.get("weekday×hour")
        self.heat = None if "heat" in self.missing or wh is None else (
            wh[wh["contacts"] > 0] if "contacts" in wh.columns else wh)
        self.friction = get("friction", "journey", "fmap")
        self.drivers = get("drivers", "journey", "drivers")
        self.verbatims = get("verbatims", "verbatims", "res")
        self.quality = get("quality", "quality", "rep")
        self.business_case = get("business_case", "roi", "bc")
        summary = get("staffing", "staffing", "summary")
        self.staffing = summary if summary is not None and len(summary) else None
        self.staffing_notes = list((self.pages.get("staffing") or {}).get("notes") or []) if self.staffing is not None else []
        return self

    # ------------------------------------------------------------ the pages' view
    def page(self, name: str, p: dict) -> dict[str, Any] | None:
        """The stored results of page ``name`` when they answer ``p`` (:func:`answers`),
        else None (the page then computes live)."""
        if name not in self.pages or not answers(name, p, self.period_start, self.period_end, self.locale,
                                                 self.params.get(name, {})):
            return None
        return self.pages[name]


def answers(name: str, p: dict, period_start: str, period_end: str, locale: str, asked: dict) -> bool:
    """Whether results of page ``name`` computed for this period, locale and page parameters
    (``asked``) answer a page run with parameters ``p``.

    >>> answers("verbatims", {"loc": "en", "topics": 5}, "", "", "en", {"language": "", "topics": 5})
    True
    >>> answers("verbatims", {"loc": "en", "topics": 3}, "", "", "en", {"language": "", "topics": 5})
    False
    """
    if (p.get("period_start") or "") != period_start or (p.get("period_end") or "") != period_end:
        return False
    if p.get("loc") and p["loc"] != locale:
        return False
    return all(_same(p.get(k, v), asked.get(k, v)) for k, v in P.PAGE_PARAMS.get(name, {}).items())


def compute_results(cfg, data, period: str, views: dict[str, pd.DataFrame] | None = None, *,
                    locale: str = "", segment: str = "", start: str = "", end: str = "",
                    changes: pd.DataFrame | None = None, previous_period: str | None = None,
                    data_reason: str = "", on_page=None) -> AuditResults:
    """Every result of an audit, each from its producer, once.

    ``data``: the loaded :class:`cxtoolkit.io.ClientData` (None when it could not be
    loaded); ``views``: the KPI views already computed (:func:`cxtoolkit.pipeline.produce.kpi_views`;
    None: computed here); ``locale``: the audit's (empty: client.yml); ``segment``: the
    audit's segment parameter; ``data_reason``: why there are no KPI views; ``on_page``:
    called with (results, page name) as each page is ready (the audit keeps it at once).

    Never raises for data: a result that cannot be computed is ``None`` and its reason is
    in ``missing``.
    """
    loc = locale or cfg.locale
    contacts = getattr(data, "contacts", None)
    responses = getattr(data, "responses", None)
    out = AuditResults(cfg.client, cfg.name or cfg.client, period, loc, cfg.currency, start or "", end or "",
                       changes=changes, previous_period=previous_period,
                       rows_read=dict(getattr(data, "counts", None) or {}),
                       rejects=0 if getattr(data, "rejects", None) is None else int(len(data.rejects)))
    p = {"loc": loc, "period_start": start or "", "period_end": end or "", "segment": segment or ""}

    def attempt(name: str, fn, why_absent: str = ""):
        if why_absent:
            out.missing[name] = why_absent
            return None
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - a section that cannot be computed is left out
            out.missing[name] = _first_line(exc, loc)
            return None

    def page(name: str, why_absent: str = "", *results: str):
        """Run page ``name``'s producer; its failure (or absence) is that of ``results``."""
        pp = {**p, **P.PAGE_PARAMS[name], **({"segment": segment or ""} if "segment" in P.PAGE_PARAMS[name]
                                            else {})}
        got = attempt(results[0], lambda: P.PRODUCERS[name](cfg, data, pp), why_absent)
        for r in results[1:]:
            if results[0] in out.missing:
                out.missing[r] = out.missing[results[0]]
        if got is not None:
            out.pages[name] = got
            out.params[name] = {k: pp[k] for k in P.PAGE_PARAMS[name]}
            if on_page is not None:
                on_page(out, name)
        return got

    # KPI views: one set of cuts for the workbook, the index, the KPI page, its CSVs and the deck
    if views is None and data is not None and (contacts is not None or responses is not None
                                               or getattr(data, "daily_reports", None) is not None):
        views = attempt("status", lambda: P.kpi_views(cfg, data, segment))
    if views and "overall" in views:
        from cxtoolkit import kpis as K

        status = attempt("status", lambda: K.status_table(views["overall"], cfg, loc))
        # the page the KPI notebook and app show (its notes on KPIs not measured, the data read)
        out.pages["kpis"] = P.kpi_page(cfg, data, {"loc": loc, "segment": segment or ""}, views, status)
        out.params["kpis"] = {"segment": segment or ""}
        if on_page is not None:
            on_page(out, "kpis")
    else:
        out.missing.setdefault("status", data_reason or "no KPI views")
    # why a section is absent: the pages' own reasons (cxtoolkit.needs), which the reports say
    # in the client's language (cxtoolkit.report.tables.skip_reason)
    no_contacts = PAGE_NEEDS["staffing"].missing_data({"contacts": None})
    if not _has(contacts):
        out.missing["heat"] = no_contacts
    no_answers = "" if _has(responses) else PAGE_NEEDS["journey"].missing_data({"responses": None})
    journey = page("journey", no_answers, "friction", "drivers")
    if journey is not None and journey["drivers"] is None:
        out.missing["drivers"] = "no customer_id / survey_type in responses"
    page("verbatims", no_answers, "verbatims")
    page("quality", "" if _has(getattr(data, "evaluations", None)) else
         PAGE_NEEDS["quality"].missing_data({"evaluations": None}), "quality")
    page("roi", "", "business_case")
    if not (cfg.roi or data is not None):
        out.missing["business_case"] = "no roi assumptions nor data in client.yml"
    page("staffing", "" if _has(contacts, "channel") else no_contacts, "staffing")
    return out.derive_deck_view()
