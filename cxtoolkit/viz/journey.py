"""Journey charts (Plotly) from the frames of :mod:`cxtoolkit.journey` — no computing here.

- :func:`journey_line` — the journey left to right: unhappy share per stage, bubbles sized
  by the friction index, red when significantly above the rest of the journey, grey
  when too few answers;
- :func:`stage_heatmap` — stage × segment heatmap (friction_map with ``by``);
- :func:`paths_sankey` — customers' moves between stages (customer_paths);
- :func:`friction_trend_chart` — a measure per stage over months (friction_trend);
- :func:`priority_matrix` — key drivers: impact × performance quadrants (key_drivers).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cxtoolkit.messages import localized_column, text
from cxtoolkit.rules import calendar_text, format_value
from cxtoolkit.viz.style import PERCENT, localize, percent_axis, value_hover

RED, GREY, BLUE, GREEN = "#c62828", "#9e9e9e", "#1565c0", "#2e7d32"
_MEASURES = ("unhappy_share", "friction_index", "csat", "nps")
_SHARES = ("unhappy_share", "csat")  # shown in percent


def _t(key: str, locale) -> str:
    return text(f"viz.journey.{key}", locale)


def _measure(value: str, locale) -> str:
    return text(f"viz.journey.measure.{value}", locale) if value in _MEASURES else value


def _stage_col(locale) -> str:
    return localized_column("stage_label", locale)


def journey_line(fmap: pd.DataFrame, locale: str = "fr") -> go.Figure:
    """Unhappy share along the journey, bubbles sized by the friction index."""
    f = fmap.sort_values("stage_order")
    size = 12 + 0.4 * f["friction_index"].fillna(0).to_numpy()
    colour = np.where(f["too_few"], GREY, np.where(f["significant"], RED, BLUE))
    def labelled(key: str, value: str) -> str:
        return text("common.labelled", locale, label=_t(key, locale), value=value)

    # the hover in the reader's language: "Indice de friction : 37", "n = 3 404" (not "friction 37", "n = 3404")
    hover = [f"{s}<br>n = {format_value(n, 'count', locale)}<br>"
             f"{labelled('unhappy', format_value(u, 'ratio', locale, decimals=0))}<br>"
             f"{labelled('measure.friction_index', format_value(fi, 'index', locale))}"
             f"<br>p {'' if p < 0.01 else '= '}{format_value(p, 'pvalue', locale)}" if not np.isnan(u)
             else f"{s}<br>n = {format_value(n, 'count', locale)}"
             for s, n, u, fi, p in zip(f[_stage_col(locale)], f["n"], f["unhappy_share"].astype(float),
                                       f["friction_index"].astype(float), f["p_value"].astype(float))]
    fig = go.Figure(go.Scatter(
        x=f[_stage_col(locale)], y=f["unhappy_share"] * PERCENT, mode="lines+markers",
        line=dict(color="#90a4ae"), marker=dict(size=size, color=colour, line=dict(width=1, color="white")),
        hovertext=hover, hoverinfo="text", showlegend=False))
    for name, col in ((_t("sig", locale), RED), (_t("other", locale), BLUE), (_t("few", locale), GREY)):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", marker=dict(size=12, color=col), name=name))
    fig.update_layout(title=_t("journey", locale), yaxis=dict(title=_t("unhappy", locale), **percent_axis(locale)),
                      xaxis=dict(title=_t("stage", locale)), template="plotly_white")
    return localize(fig, locale)


def stage_heatmap(fmap_by: pd.DataFrame, by: str, value: str = "unhappy_share", locale: str = "fr") -> go.Figure:
    """Stage × segment heatmap of ``value`` (blank where too few answers)."""
    f = fmap_by.assign(_v=fmap_by[value].where(~fmap_by["too_few"]))
    stages = f.sort_values("stage_order")[_stage_col(locale)].drop_duplicates().tolist()
    grid = f.pivot_table(index=by, columns=_stage_col(locale), values="_v", aggfunc="first", dropna=False)
    grid = grid.reindex(columns=stages)
    name = _measure(value, locale)
    pct = value in _SHARES
    fig = go.Figure(go.Heatmap(z=grid.to_numpy(dtype=float) * (PERCENT if pct else 1), x=stages,
                               y=[str(i) for i in grid.index],
                               colorscale="Reds" if value in ("unhappy_share", "friction_index") else "RdYlGn",
                               colorbar=dict(title=name, **(percent_axis(locale) if pct else {})), hoverongaps=False,
                               hovertemplate=f"%{{y}} · %{{x}}: {value_hover('z', 'ratio' if pct else 'number', locale)}"
                                             "<extra></extra>"))
    fig.update_layout(title=f"{name} — {_t('stage', locale).lower()} × {by}", template="plotly_white")
    return localize(fig, locale)


def paths_sankey(paths: pd.DataFrame, locale: str = "fr") -> go.Figure:
    """Sankey of customers' moves from one stage to the next (nodes are step:stage)."""
    from cxtoolkit.journey import stage_label

    src = paths["step"].astype(str) + ":" + paths["source"].astype(str)
    tgt = (paths["step"] + 1).astype(str) + ":" + paths["target"].astype(str)
    nodes = pd.Index(pd.concat([src, tgt]).unique())
    labels = [stage_label(n.split(":", 1)[1], locale) for n in nodes]
    fig = go.Figure(go.Sankey(node=dict(label=labels, pad=12),
                              link=dict(source=nodes.get_indexer(src), target=nodes.get_indexer(tgt),
                                        value=paths["customers"].to_numpy())))
    fig.update_layout(title=_t("paths", locale))
    return localize(fig, locale)


def friction_trend_chart(trend: pd.DataFrame, value: str = "unhappy_share", locale: str = "fr",
                         freq: str = "month") -> go.Figure:
    """One line per stage of ``value`` over time (points with too few answers hidden)."""
    f = trend.assign(_v=trend[value].where(~trend["too_few"])).sort_values([freq, "stage_order"])
    fig = go.Figure()
    pct = value in _SHARES
    periods = sorted(f[freq].dropna().astype(str).unique())
    shown = {p: calendar_text(p, locale) for p in periods}          # octobre 2026, sem. 40 2026
    for stage, g in f.groupby(_stage_col(locale), sort=False):
        fig.add_trace(go.Scatter(x=[shown.get(str(p), p) for p in g[freq]], y=g["_v"] * (PERCENT if pct else 1),
                                 mode="lines+markers", name=str(stage),
                                 hovertemplate=f"%{{x}}: {value_hover('y', 'ratio' if pct else 'number', locale)}"))
    name = _measure(value, locale)
    fig.update_layout(title=f"{_t('trend', locale)} — {name}",
                      xaxis=dict(title=_t("month", locale), type="category",
                                 categoryorder="array", categoryarray=[shown[p] for p in periods]),
                      yaxis=dict(title=name, **(percent_axis(locale) if pct else {})),
                      template="plotly_white")
    return localize(fig, locale)


def priority_matrix(drivers: pd.DataFrame, locale: str = "fr") -> go.Figure:
    """Impact (with its bootstrap interval) × performance, split at the medians."""
    d = drivers[~drivers["too_few"] & drivers["performance"].notna()]
    colours = {"priority": RED, "strength": GREEN, "monitor": "#f9a825", "maintain": GREY}
    fig = go.Figure(go.Scatter(
        x=d["performance"] * PERCENT, y=d["impact"], mode="markers+text", text=d[_stage_col(locale)],
        textposition="top center",
        marker=dict(size=14, color=[colours.get(q, BLUE) for q in d["quadrant"]]),
        error_y=dict(type="data", symmetric=False, array=(d["impact_ci_high"] - d["impact"]).to_numpy(),
                     arrayminus=(d["impact"] - d["impact_ci_low"]).to_numpy(), color="#b0bec5"),
        hovertext=d[localized_column("quadrant", locale)], showlegend=False,
        hovertemplate=f"%{{text}} — %{{hovertext}}<br>{value_hover('x', 'ratio', locale)}, %{{y:,.2f}}<extra></extra>"))
    if len(d):
        fig.add_vline(x=float(d["performance"].median()) * PERCENT, line_dash="dot", line_color=GREY)
        fig.add_hline(y=float(d["impact"].median()), line_dash="dot", line_color=GREY)
    fig.update_layout(title=_t("matrix", locale), xaxis=dict(title=_t("perf", locale), **percent_axis(locale)),
                      yaxis_title=_t("impact", locale), template="plotly_white")
    return localize(fig, locale)
