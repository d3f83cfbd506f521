"""The pages of the Voila apps and notebooks: which tables each loads, which segments its bar
offers (:data:`VIEWS`), and how a page is shown — its results, stored (an audit's results
set) or computed live by its producer (:data:`cxtoolkit.pipeline.produce.PRODUCERS`, each
time the app's period or segment changes), handed to its renderer in the report layer
(:mod:`cxtoolkit.report.pages`, which only renders).

Each ``render_<name>(cfg, data, p, emit=display, results=None)`` takes the client's
configuration, its loaded tables (:class:`cxtoolkit.io.ClientData`, already restricted to
the period and segment; None with ``results``), the notebook's parameters ``p`` and, in an
audit, the page's stored ``results``; it returns what the report renderer returns.

Examples
--------
>>> sorted(VIEWS)
['journey', 'kpis', 'quality', 'staffing', 'verbatims']
>>> VIEWS["quality"].segment_params
{'country': 'country', 'vendor': 'vendor'}
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from IPython.display import display

from cxtoolkit.needs import PAGE_NEEDS, DataNeeds
from cxtoolkit.report import pages

#: Segment columns an app may offer (never ids: an executive slices by population).
SEGMENT_COLUMNS = ("channel", "country", "language", "queue", "reason", "product", "team", "site",
                   "segment", "survey_type", "touchpoint", "vendor")


def page_results(name: str, cfg, data, p: dict, results: dict | None = None) -> dict[str, Any]:
    """The results of page ``name``: ``results`` when given (an audit's stored ones), else
    computed from ``data`` by the page's producer (:data:`cxtoolkit.pipeline.produce.PRODUCERS`)."""
    if results is not None:
        return results
    from cxtoolkit.pipeline.produce import PRODUCERS

    return PRODUCERS[name](cfg, data, p)


def _live(name: str, render: Callable[..., dict]) -> Callable[..., dict]:
    """``render_<name>`` of the apps: the page's results (:func:`page_results`) rendered by
    ``render`` (:mod:`cxtoolkit.report.pages`)."""
    def show(cfg, data, p: dict, emit=display, results: dict | None = None) -> dict[str, Any]:
        return render(cfg, page_results(name, cfg, data, p, results), p, emit)

    show.__name__ = show.__qualname__ = f"render_{name}"
    show.__doc__ = f"The {name} page: :func:`cxtoolkit.report.pages.render_{name}` of its stored or live results."
    return show


render_kpis = _live("kpis", pages.render_kpis)
render_journey = _live("journey", pages.render_journey)
render_verbatims = _live("verbatims", pages.render_verbatims)
render_quality = _live("quality", pages.render_quality)


def render_staffing(cfg, data, p: dict, emit=display, results: dict | None = None) -> dict[str, Any]:
    """The staffing page (:func:`cxtoolkit.report.pages.render_staffing`) and, under Voila
    (``app_mode``), the one-day what-if on the day the page shows in detail."""
    r = page_results("staffing", cfg, data, p, results)
    out = pages.render_staffing(cfg, r, p, emit)
    if p.get("app_mode") and r["plan"] is not None:
        from cxtoolkit.apps.staffing_app import StaffingWhatIf

        loc = p["loc"]
        pages.heading(emit, "what_if", loc)
        emit(StaffingWhatIf(r["profile"], r["targets"], patience_s=r["patience_s"],
                            hourly_cost=cfg.staffing.hourly_cost, currency=cfg.currency, locale=loc,
                            weekday=pages.typical_weekday(r["plan"], p.get("weekday"))).widget)
    return out


# --------------------------------------------------------------------------- registry
@dataclass(frozen=True)
class View:
    """One app: what it loads and which segments its bar offers.

    ``needs``: the page's data needs (:data:`cxtoolkit.needs.PAGE_NEEDS`: ``tables`` loaded
    when the client has them, ``required`` ones must exist, ``needs_any`` one of them).
    ``filter_tables``: tables the segment filter applies to; a segment column is offered
    only if all of them that are loaded have it. Other loaded tables (``sends``) are
    filtered when they have the column and left out otherwise (never mixed);
    ``lookup_tables`` (``agents``) are never filtered.
    ``segment_params``: segments passed to the notebook's own parameter instead of
    filtering rows (quality: ``vendor``, ``country``).
    """

    name: str
    render: Callable[..., dict]
    needs: DataNeeds
    filter_tables: tuple[str, ...] = ()
    lookup_tables: tuple[str, ...] = ()
    segment_columns: tuple[str, ...] = SEGMENT_COLUMNS
    segment_params: dict[str, str] = field(default_factory=dict)

    @property
    def tables(self) -> tuple[str, ...]:
        return self.needs.tables

    @property
    def required(self) -> tuple[str, ...]:
        return self.needs.required

    @property
    def needs_any(self) -> tuple[str, ...]:
        return self.needs.needs_any

    def missing_data(self, rows: dict[str, int | None]) -> str:
        """Why this page has nothing to show, "" when its data is there
        (:meth:`cxtoolkit.needs.DataNeeds.missing_data`).

        >>> VIEWS["journey"].missing_data({"responses": None})
        'no responses data (client.yml data.responses)'
        """
        return self.needs.missing_data(rows)


VIEWS: dict[str, View] = {
    "kpis": View("kpis", render_kpis, PAGE_NEEDS["kpis"],
                 filter_tables=("contacts", "responses", "daily_reports")),
    "journey": View("journey", render_journey, PAGE_NEEDS["journey"],
                    filter_tables=("responses", "contacts")),
    "verbatims": View("verbatims", render_verbatims, PAGE_NEEDS["verbatims"],
                      filter_tables=("responses",)),
    "quality": View("quality", render_quality, PAGE_NEEDS["quality"],
                    lookup_tables=("agents", "responses"),
                    segment_columns=("country", "vendor"),
                    segment_params={"country": "country", "vendor": "vendor"}),
    "staffing": View("staffing", render_staffing, PAGE_NEEDS["staffing"],
                     filter_tables=("contacts",),
                     segment_columns=tuple(c for c in SEGMENT_COLUMNS if c != "channel")),
}
