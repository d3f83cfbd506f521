"""Plotly figures for staffing, from :func:`cxtoolkit.staffing.staffing_plan` frames (never
computing: the plan carries every number shown).

>>> import pandas as pd
>>> p = pd.DataFrame({"weekday": [0, 0, 1, 1], "interval_start": ["09:00", "10:00"] * 2,
...                   "hour": [9, 10] * 2, "minute": 0, "arrivals_per_hour": [30.0, 40, 20, 10],
...                   "agents_required": [6, 8, 4, 3], "agents_seen": [4.0, 8, 4, 2], "gap": [2.0, 0, 0, 1],
...                   "answer_rate_plan": [0.95, 0.96, 0.97, 0.97], "answer_rate_pred_seen": [0.7, 0.96, 0.97, 0.8]})
>>> gap_heatmap(p, "en").data[0].type, len(day_chart(p, 0, "fr").data), len(answer_rate_chart(p, 1, "en").data)
('heatmap', 3, 2)
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cxtoolkit.messages import has, text
from cxtoolkit.rules import format_value, weekday_labels
from cxtoolkit.staffing import day_labels
from cxtoolkit.viz.style import PERCENT, localize, percent_axis, value_hover


def _t(key: str, locale: str) -> str:
    return text(f"viz.staffing.{key}", locale)


def _full_day(weekday: int, locale: str) -> str:
    return tuple(weekday_labels(locale, full=True).values())[int(weekday)]


def gap_heatmap(plan: pd.DataFrame, locale: str = "fr", value: str = "gap") -> go.Figure:
    """Weekday × interval heatmap of ``value`` (default the gap: red = agents short, blue =
    more agents seen than needed; blank = closed slot or no agent data)."""
    loc = locale
    grid = plan.pivot_table(index="weekday", columns="interval_start", values=value, aggfunc="first",
                            dropna=False)
    z = grid.to_numpy(float)
    diverging = value == "gap"
    lim = float(np.nanmax(np.abs(z))) if np.isfinite(z).any() else 1.0
    fig = go.Figure(go.Heatmap(
        z=z, x=list(grid.columns), y=[day_labels(loc)[int(d)] for d in grid.index],
        colorscale="RdBu_r" if diverging else "Blues", zmid=0 if diverging else None,
        zmin=-lim if diverging else None, zmax=lim if diverging else None,
        hovertemplate="%{y} %{x}: %{z:,.1f}<extra></extra>"))
    title = _t(value, loc) if has(f"viz.staffing.{value}") else value
    fig.update_layout(title=title, yaxis_autorange="reversed", height=340, margin=dict(l=60, r=20, t=50, b=40))
    return localize(fig, loc)


def day_chart(plan: pd.DataFrame, weekday: int = 0, locale: str = "fr", whatif=None) -> go.Figure:
    """One weekday: agents needed (bars) and seen (line), calls per hour on a second axis;
    ``whatif`` (agents per slot, same order) adds the simulated staffing."""
    loc = locale
    d = plan[plan["weekday"] == weekday].sort_values(["hour", "minute"])
    x = d["interval_start"].astype(str).tolist()
    fig = go.Figure()
    fig.add_bar(x=x, y=d["agents_required"], name=_t("needed", loc), marker_color="#4c78a8")
    fig.add_scatter(x=x, y=d["agents_seen"], name=_t("seen", loc), mode="lines+markers", line_color="#e45756")
    if whatif is not None:
        fig.add_scatter(x=x, y=list(whatif), name=_t("whatif", loc), mode="lines", line=dict(dash="dash",
                                                                                          color="#54a24b"))
    fig.add_scatter(x=x, y=d["arrivals_per_hour"], name=_t("calls", loc), yaxis="y2", mode="lines",
                    line=dict(color="#bab0ac", width=1))
    fig.update_layout(title=text("viz.staffing.day", loc, day=_full_day(weekday, loc)), yaxis_title=_t("agents", loc),
                      yaxis2=dict(overlaying="y", side="right", title=_t("calls", loc), showgrid=False),
                      height=360, margin=dict(l=60, r=60, t=50, b=40), legend_orientation="h", legend_y=-0.15)
    return localize(fig, loc)


def answer_rate_chart(plan: pd.DataFrame, weekday: int = 0, locale: str = "fr", target: float | None = None,
                      whatif=None) -> go.Figure:
    """One weekday: predicted answer rate with the plan vs with the staffing seen (Erlang
    A), the observed rate when present, the target line; ``whatif`` adds a simulated curve."""
    loc = locale
    d = plan[plan["weekday"] == weekday].sort_values(["hour", "minute"])
    d = d[d["arrivals_per_hour"] > 0]
    x = d["interval_start"].astype(str).tolist()
    fig = go.Figure()
    fig.add_scatter(x=x, y=d["answer_rate_plan"] * PERCENT, name=_t("plan", loc), mode="lines+markers")
    fig.add_scatter(x=x, y=d["answer_rate_pred_seen"] * PERCENT, name=_t("with_seen", loc), mode="lines+markers")
    if whatif is not None:
        fig.add_scatter(x=x, y=np.asarray(list(whatif), float) * PERCENT, name=_t("whatif", loc), mode="lines",
                        line=dict(dash="dash"))
    if "answer_rate_seen" in d.columns and d["answer_rate_seen"].notna().any():
        fig.add_scatter(x=x, y=d["answer_rate_seen"] * PERCENT, name=_t("observed", loc), mode="markers",
                        marker=dict(symbol="x", color="#777"))
    if target is not None:
        fig.add_hline(y=target * PERCENT, line_dash="dot", line_color="#999",
                      annotation_text=f"{_t('target', loc)} {format_value(target, 'ratio', loc, decimals=0)}")
    fig.update_traces(hovertemplate=f"%{{x}}: {value_hover('y', 'ratio', loc)}")
    fig.update_layout(title=text("viz.staffing.rate", loc, day=_full_day(weekday, loc)),
                      yaxis=dict(**percent_axis(loc), range=[0, 102]),
                      height=340, margin=dict(l=60, r=20, t=50, b=40), legend_orientation="h", legend_y=-0.15)
    return localize(fig, loc)
