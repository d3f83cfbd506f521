"""Plotly figures for the KPI engine, built from computed frames (they never compute KPIs).

Inputs are the frames of :func:`cxtoolkit.kpis.compute` (one row per group, one column per
KPI key) and of :func:`cxtoolkit.kpis.status_table`. Labels come from the registry in the
report's locale; RAG colours are the same everywhere (tiles, CLI, tables).

Examples
--------
>>> import pandas as pd
>>> st = pd.DataFrame({"key": ["answer_rate"], "label": ["Answer rate"], "value": [0.8],
...                    "unit": ["ratio"], "target": [0.85], "rag": ["amber"]})
>>> fig = kpi_tiles(st)
>>> fig.data[0].type
'indicator'
>>> format_value(0.853, "ratio", "fr")
'85,3 %'
"""
from __future__ import annotations

import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from cxtoolkit.kpis.registry import KPIS, label
from cxtoolkit.messages import section, text
from cxtoolkit.rules import WEEKDAY_LABELS, WEEKDAYS, calendar_text, format_value, weekday_labels  # noqa: F401 - WEEKDAY_LABELS: re-exported
from cxtoolkit.viz.style import localize, percent_suffix, scale, unit_axis, value_hover

RAG_COLOURS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828", None: "#455a64"}
__all__ = ["RAG_COLOURS", "format_value", "kpi_tiles", "trend", "heatmap", "channel_split", "nps_ci"]


def _t(key: str, locale: str | None, **values) -> str:
    return text(f"viz.kpis.{key}", locale, **values)


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA


def kpi_tiles(status: pd.DataFrame, locale: str | None = "fr", columns: int = 4,
              title: str | None = None) -> go.Figure:
    """One tile per row of a status table (key, label, value, unit, target, rag), coloured by RAG."""
    loc = locale
    rows = status.reset_index(drop=True)
    n = max(len(rows), 1)
    ncol = min(columns, n)
    nrow = math.ceil(n / ncol)
    fig = go.Figure()
    for i, r in rows.iterrows():
        row, col = divmod(i, ncol)
        colour = RAG_COLOURS.get(r["rag"] if not _missing(r["rag"]) else None, RAG_COLOURS[None])
        target = "" if _missing(r["target"]) else (
            f"<br><span style='font-size:11px'>{_t('target', loc)} "
            f"{format_value(r['target'], r['unit'], loc)}</span>")
        fig.add_trace(go.Indicator(
            mode="number", value=None if _missing(r["value"]) else float(r["value"]) * scale(r["unit"]),
            number={"font": {"color": colour, "size": 34},
                    "suffix": percent_suffix(loc) if r["unit"] == "ratio" else (" s" if r["unit"] == "seconds" else ""),
                    "valueformat": ".1f" if r["unit"] in ("ratio", "nps", "hours", "score") else ",.0f"},
            title={"text": f"<span style='font-size:13px'>{r['label']}</span>{target}"},
            domain={"row": row, "column": col}))
    fig.update_layout(grid={"rows": nrow, "columns": ncol, "pattern": "independent"},
                      height=170 * nrow, margin={"t": 50, "b": 10, "l": 10, "r": 10},
                      title=title if title is not None else _t("tiles", loc))
    return localize(fig, loc)


def _index_labels(index: pd.Index, locale: str) -> list[str]:
    wd = weekday_labels(locale)
    return [wd.get(str(v)) or calendar_text(str(v), locale) for v in index]   # lun, sem. 40 2026, oct. 2026


def trend(frame: pd.DataFrame, keys: list[str], locale: str | None = "fr",
          title: str | None = None) -> go.Figure:
    """Lines of ``keys`` over the frame's index (a ``week``, ``month`` or ``date`` cut).

    Ratios are shown in %, a target line is drawn when the registry has one and a single
    KPI is plotted.
    """
    loc = locale
    fig = go.Figure()
    x = _index_labels(frame.index, loc)
    for key in keys:
        if key not in frame.columns:
            continue
        unit = KPIS[key].unit if key in KPIS else "count"
        y = frame[key].astype("float64") * scale(unit)
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers", name=label(key, loc),
                                 hovertemplate=f"%{{x}}: {value_hover('y', unit, loc)}"))
        if len(keys) == 1 and key in KPIS and KPIS[key].target is not None:
            t = KPIS[key].target * scale(unit)
            fig.add_hline(y=t, line_dash="dot", line_color=RAG_COLOURS["green"],
                          annotation_text=_t("target", loc))
    units = {KPIS[k].unit for k in keys if k in KPIS}
    fig.update_layout(title=title or f"{_t('trend', loc)} — " + ", ".join(label(k, loc) for k in keys),
                      xaxis_title=frame.index.name or "", yaxis=unit_axis(units.pop(), loc) if len(units) == 1 else {},
                      height=380, margin={"t": 60, "b": 40},
                      xaxis_type="category")   # periods as written (2015-01, sem. 40 2026), never re-read as English dates
    return localize(fig, loc)


def heatmap(frame: pd.DataFrame, key: str, locale: str | None = "fr", title: str | None = None) -> go.Figure:
    """Weekday × hour-slot heatmap of ``key`` from a ``by=["weekday", "hour"]`` frame."""
    loc = locale
    unit = KPIS[key].unit if key in KPIS else "count"
    grid = frame[key].astype("float64").unstack("hour")
    order = [d for d in WEEKDAYS if d in grid.index]
    grid = grid.reindex(order)
    z = grid.to_numpy() * scale(unit)
    reverse = KPIS[key].direction == "lower" if key in KPIS else False
    fig = go.Figure(go.Heatmap(
        z=z, x=[f"{int(h):02d}h" for h in grid.columns], y=_index_labels(grid.index, loc),
        colorscale="RdYlGn_r" if reverse else ("RdYlGn" if unit == "ratio" else "Blues"),
        colorbar=unit_axis(unit, loc), hoverongaps=False,
        hovertemplate=f"%{{y}} %{{x}}: {value_hover('z', unit, loc)}<extra></extra>"))
    fig.update_layout(title=title or _t("heatmap", loc, kpi=label(key, loc)),
                      xaxis_title=_t("hour", loc), yaxis_title=_t("weekday", loc),
                      yaxis_autorange="reversed", height=360, margin={"t": 60, "b": 40})
    return localize(fig, loc)


def channel_split(frame: pd.DataFrame, locale: str | None = "fr", key: str = "contacts",
                  title: str | None = None) -> go.Figure:
    """Donut of ``key`` (default: all contacts) per channel, from a ``by="channel"`` frame."""
    loc = locale
    frame = frame[frame[key].astype("float64") > 0]   # a channel only the survey answers have: no slice
    values = frame[key].astype("float64")
    shares = [format_value(v, "ratio", loc) for v in values / values.sum()]  # plotly's percent: no ' %'
    names = section("common.channel", loc)   # phone: téléphone
    fig = go.Figure(go.Pie(labels=[names.get(str(i), str(i)) for i in frame.index], values=values, text=shares,
                           hole=0.45, sort=False, textinfo="label+text",
                           hovertemplate="%{label}: %{value:,.0f} (%{text})<extra></extra>"))
    fig.update_layout(title=title or _t("channels", loc), height=360, margin={"t": 60, "b": 20})
    return localize(fig, loc)


def nps_ci(frame: pd.DataFrame, locale: str | None = "fr", adjusted: bool = False,
           title: str | None = None) -> go.Figure:
    """NPS per row with its 95 % interval as error bars (``nps``, ``nps_ci95[_adjusted]``, ``nps_n``)."""
    loc = locale
    ci = "nps_ci95_adjusted" if adjusted else "nps_ci95"
    x = _index_labels(frame.index, loc)
    counts = [f"n={format_value(n, 'count', loc)}" if not _missing(n) else ""   # n=2 022, as the tables
              for n in frame.get("nps_n", [None] * len(frame))]
    fig = go.Figure(go.Bar(x=x, y=frame["nps"].astype("float64"), text=counts, textposition="outside",
                           error_y={"type": "data", "array": frame[ci].astype("float64"), "visible": True}))
    fig.update_layout(title=title or _t("nps", loc), yaxis_range=[-100, 100], height=380,
                      margin={"t": 60, "b": 40}, xaxis_type="category")   # 2026-10, not "Oct 2026"
    return localize(fig, loc)
