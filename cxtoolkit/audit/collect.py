"""KPI views of one audit, and their long form for the warehouse.

The audit loads the client's data once (``cxtoolkit.io.load``) for the period, computes
its KPI views once (:func:`cxtoolkit.pipeline.produce.kpi_views`: the workbook's overall,
by channel, by country, by month, by week, and the KPI page's cuts) and flattens a few of them into long rows (client, period, kpi,
segment, value, n, status) for the audit history. Both pieces are used only if present:
while ingestion or the KPI engine is missing the audit still runs its notebooks, and the
views are simply reported as skipped.

Examples
--------
>>> import pandas as pd
>>> v = {"overall": pd.DataFrame({"offered": [100], "answer_rate": [0.9]},
...                              index=pd.Index(["overall"], name="overall"))}
>>> r = kpi_rows(v, client="acme", period="2026-10")
>>> r[["kpi", "segment", "value", "n", "status"]].to_dict("records")[1]
{'kpi': 'answer_rate', 'segment': 'overall', 'value': 0.9, 'n': 100.0, 'status': 'green'}
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cxtoolkit.config import ClientConfig
from cxtoolkit.errors import InputError
from cxtoolkit.messages import has, text
from cxtoolkit.pipeline.produce import WORKBOOK_VIEWS, kpi_views
from cxtoolkit.kpis.registry import (  # noqa: F401 - DENOMINATORS: re-exported
    DENOMINATORS, HEADLINE_KPIS, HISTORY_COUNTS, KPIS, NOT_HISTORY, rag)

#: Workbook views: sheet key → ``by`` argument of ``cxtoolkit.kpis.compute``.
VIEWS: dict[str, str | None] = WORKBOOK_VIEWS
#: Views kept in the warehouse (segments that make sense across audits).
HISTORY_VIEWS = ("overall", "channel", "country")



@dataclass
class KpiViews:
    """What the data step of an audit produced."""

    status: str = "skipped"          # ok | failed | skipped
    reason: str = ""                 # error's first line or why skipped
    views: dict[str, pd.DataFrame] = field(default_factory=dict)
    rejects: pd.DataFrame | None = None
    counts: dict = field(default_factory=dict)
    data: object = None              # the loaded ClientData (for the ROI deck)
    #: ``reason`` said in the audit's language when it is an input error (the index page shows
    #: it; the manifest keeps ``reason``)
    said: str = ""


def optional_module(module: str):
    """The module ``module``, or None when it (or the package it is in) is not installed; an
    import error inside an installed module is raised (the index renders without KPIs when
    the optional KPI stack is missing)."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            return None
        raise


def first_line(exc: BaseException | str) -> str:
    """First non-empty line of an error, prefixed with its type for exceptions."""
    text = str(exc).strip()
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if isinstance(exc, BaseException):
        name = type(exc).__name__
        return f"{name}: {line}" if line else name
    return line


def failure_said(what: str, error: str | None, locale: str | None, notebook: bool = False) -> str:
    """What failed in an audit said in ``locale``, then its ``error`` (the technical detail)
    as it is: a step of the audit (``workbook``, ``publication``, ``worker crashed``…) by its
    name in the locale, a failed report (``notebook``) as such. English is the manifest's
    line (``workbook: OSError: …``, ``kpis: ValueError: …``).

    >>> failure_said("workbook", "OSError: disk full", "fr"), failure_said("workbook", "OSError: disk full", "en")
    ("échec de l'étape classeur KPI : OSError: disk full", 'workbook: OSError: disk full')
    >>> failure_said("kpis", "ValueError: bad", "fr", notebook=True)
    'échec du rapport kpis : ValueError: bad'
    """
    if notebook:
        return text("audit.outcome.notebook", locale, name=what, error=error or "")
    key = "audit.outcome.step_name." + what.replace(" ", "_").lower()
    return text("audit.outcome.step", locale, step=text(key, locale) if has(key) else what, error=error or "")


def line_said(line: str | None, locale: str | None) -> str | None:
    """A manifest's failure line (``publication: OSError: …``, ``worker crashed: …``) said in
    ``locale`` (:func:`failure_said`) when it starts with a step's name; as it is otherwise.

    >>> line_said("worker crashed: BrokenProcessPool: gone", "fr")
    "échec de l'étape processus de l'audit (arrêté net) : BrokenProcessPool: gone"
    >>> line_said("something else", "fr"), line_said(None, "fr")
    ('something else', None)
    """
    what, sep, rest = (line or "").partition(": ")
    if sep and has("audit.outcome.step_name." + what.replace(" ", "_").lower()):
        return failure_said(what, rest, locale)
    return line


def compute_views(cfg: ClientConfig, start: str = "", end: str = "", segment: str = "",
                  locale: str | None = None) -> KpiViews:
    """Load the client's data for [start, end] and compute its KPI views, the one set of
    cuts of :func:`cxtoolkit.pipeline.produce.kpi_views` (the workbook's views among them;
    ``segment``: the audit's segment parameter; ``locale``: the audit's language, else the
    client's, for the reject reasons and the loading's warnings).

    Never raises for bad data: the failure is returned as ``status="failed"`` with the
    error's first line, so the audit can publish it.
    """
    if not cfg.data:
        return KpiViews("skipped", "client.yml declares no data files")
    io = optional_module("cxtoolkit.io")
    kpis = optional_module("cxtoolkit.kpis")
    if io is None or not hasattr(io, "load") or kpis is None or not hasattr(kpis, "compute"):
        return KpiViews("skipped", "ingestion or KPI engine not available in this version")
    try:
        data = io.load(cfg, start=start or None, end=end or None, locale=locale)
    except InputError as exc:  # a client file the audit cannot read: said in its language
        return KpiViews("failed", first_line(exc), said=exc.render(locale or cfg.locale))
    except Exception as exc:  # noqa: BLE001 - reported, the audit is marked failed
        return KpiViews("failed", first_line(exc))
    out = KpiViews("ok", rejects=getattr(data, "rejects", None), counts=getattr(data, "counts", {}) or {}, data=data)
    if data.contacts is None and data.responses is None and getattr(data, "daily_reports", None) is None:
        out.status, out.reason = "skipped", "no contacts, daily reports nor responses"
        return out
    try:
        out.views = kpi_views(cfg, data, segment)
    except Exception as exc:  # noqa: BLE001 - reported, the audit is marked failed
        out.status, out.reason = "failed", first_line(exc)
    return out


def _n_for(frame: pd.DataFrame, key: str, cfg: ClientConfig | None) -> pd.Series:
    den = DENOMINATORS.get(key)
    if key == "service_level" and cfg is not None:
        den = {"offered": "offered", "answered_only": "answered"}.get(cfg.kpi.service_level_formula)
    if den is None or den not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype="float64")
    n = pd.to_numeric(frame[den], errors="coerce").astype("float64")
    if key == "unhappy_share" and "nps_n" in frame.columns:  # falls back to NPS when no CSAT
        n = n.where(n > 0, pd.to_numeric(frame["nps_n"], errors="coerce").astype("float64"))
    return n


def kpi_rows(views: dict[str, pd.DataFrame], client: str, period: str, cfg: ClientConfig | None = None,
             period_start: str = "", period_end: str = "",
             view_names: tuple[str, ...] = HISTORY_VIEWS) -> pd.DataFrame:
    """Long form of the KPI views for the warehouse.

    One row per (view, segment, kpi) with ``value``, ``n`` (the denominator of a rate or the
    number of answers of a survey score, NaN when none applies), ``se`` (standard error of
    the NPS, from ``nps_ci95``) and ``status`` (RAG against the client's targets).
    """
    targets = cfg.targets if cfg is not None else None
    parts = []
    for view in view_names:
        frame = views.get(view)
        if frame is None or frame.empty:
            continue
        keys = [c for c in frame.columns if c in KPIS and c not in NOT_HISTORY
                and (KPIS[c].unit != "count" or c in HISTORY_COUNTS)]
        for key in keys:
            value = pd.to_numeric(frame[key], errors="coerce").astype("float64")
            se = (pd.to_numeric(frame["nps_ci95"], errors="coerce").astype("float64") / 1.96
                  if key == "nps" and "nps_ci95" in frame.columns
                  else pd.Series(np.nan, index=frame.index, dtype="float64"))
            part = pd.DataFrame({
                "segment_by": view,
                "segment": [str(s) for s in frame.index],
                "kpi": key,
                "value": value.to_numpy(),
                "n": _n_for(frame, key, cfg).to_numpy(),
                "se": se.to_numpy(),
            })
            part["status"] = [rag(key, v, targets) for v in part["value"]]
            parts.append(part)
    cols = ["client", "period", "period_start", "period_end", "segment_by", "segment", "kpi",
            "value", "n", "se", "status"]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("value", "n", "se") else "str")
                             for c in cols})
    rows = pd.concat(parts, ignore_index=True)
    rows.insert(0, "client", client)
    rows.insert(1, "period", period)
    rows.insert(2, "period_start", period_start)
    rows.insert(3, "period_end", period_end)
    return rows[cols]


def summary(views: dict[str, pd.DataFrame], cfg: ClientConfig | None = None,
            keys: tuple[str, ...] = HEADLINE_KPIS) -> dict:
    """Headline KPIs of the overall view: ``{key: {"value", "status", "label_fr", "label_en"}}``."""
    frame = views.get("overall")
    if frame is None or frame.empty:
        return {}
    row = frame.iloc[0]
    targets = cfg.targets if cfg is not None else None
    out = {}
    for k in keys:
        if k not in frame.columns:
            continue
        v = pd.to_numeric(pd.Series([row[k]]), errors="coerce").iloc[0]
        v = None if pd.isna(v) else float(v)
        out[k] = {"value": v, "status": rag(k, v, targets),
                  "label_fr": KPIS[k].label("fr") if k in KPIS else k,
                  "label_en": KPIS[k].label("en") if k in KPIS else k}
    return out
