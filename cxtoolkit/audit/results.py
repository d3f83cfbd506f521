"""The audit's results set from what the runner loaded (the deck reads it).

:func:`deck_results` hands the runner's :class:`~cxtoolkit.audit.collect.KpiViews` (the
loaded data and its KPI views) to :func:`cxtoolkit.pipeline.results.compute_results`, which
calls each producer once; the result, an :class:`~cxtoolkit.pipeline.results.AuditResults`
(``DeckResults`` is its name on the deck's side), is what the notebooks, the workbook, the
index and the deck (:mod:`cxtoolkit.report.audit_deck`) all read.

Examples
--------
>>> from cxtoolkit.audit.collect import KpiViews
>>> from cxtoolkit.config import ClientConfig
>>> r = deck_results(ClientConfig(client="acme", roi={"acquisition_cost": 300}), KpiViews(), "2026-10")
>>> r.business_case.outputs["net_benefit"], r.friction is None, r.missing["friction"]
(36000.0, True, 'no responses data (client.yml data.responses)')
"""
from __future__ import annotations

import pandas as pd

from cxtoolkit.audit.collect import KpiViews
from cxtoolkit.config import ClientConfig
from cxtoolkit.pipeline.produce import VERBATIM_TOPICS  # noqa: F401 - re-exported
from cxtoolkit.pipeline.results import AuditResults, compute_results

#: The results the audit deck shows: the audit's results set.
DeckResults = AuditResults


def deck_results(cfg: ClientConfig, views: KpiViews, period: str, changes: pd.DataFrame | None = None,
                 previous_period: str | None = None, start: str = "", end: str = "", *,
                 locale: str = "", segment: str = "") -> AuditResults:
    """The audit's results set from the runner's loaded data and KPI views
    (:func:`cxtoolkit.pipeline.results.compute_results`). Never raises for data."""
    return compute_results(cfg, views.data, period, views.views, locale=locale, segment=segment, start=start,
                           end=end, changes=changes, previous_period=previous_period, data_reason=views.reason)
