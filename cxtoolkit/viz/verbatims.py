"""Verbatim charts (Plotly) from the frames of :mod:`cxtoolkit.verbatims` — no computing here.

- :func:`themes_lift_chart` — each theme's lift (unhappy vs happy) with its 95 % interval
  on a log scale: irritants right of 1 in red, delighters left in green;
- :func:`severity_chart` — unhappy verbatims per severity level, in the order
  exasperation rises.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cxtoolkit.messages import localized_column, text
from cxtoolkit.viz.style import localize

COLOURS = {"irritant": "#c62828", "delighter": "#2e7d32", "neutral": "#9e9e9e"}


def _t(key: str, locale) -> str:
    return text(f"viz.verbatims.{key}", locale)


def themes_lift_chart(themes: pd.DataFrame, locale: str = "fr", top: int = 20) -> go.Figure:
    """Horizontal lift chart with log-ratio intervals, coloured by label."""
    t = themes[themes["lift"].notna()].sort_values("mentions", ascending=False).head(top).sort_values("lift")
    lab = t[localized_column("label", locale)]
    fig = go.Figure(go.Scatter(
        x=t["lift"], y=lab, mode="markers",
        marker=dict(size=8 + 30 * np.sqrt(t["mentions"] / max(t["mentions"].max(), 1)),
                    color=[COLOURS.get(x, "#1565c0") for x in t["label"]]),
        error_x=dict(type="data", symmetric=False, array=(t["lift_ci_high"] - t["lift"]).to_numpy(),
                     arrayminus=(t["lift"] - t["lift_ci_low"]).to_numpy(), color="#b0bec5"),
        hovertext=[f"{n} mentions — {lb}" for n, lb in zip(t["mentions"], t["label"])], showlegend=False))
    fig.add_vline(x=1, line_dash="dot", line_color="#607d8b")
    fig.update_layout(
        title=_t("themes_title", locale), xaxis=dict(type="log", title=_t("lift_axis", locale)),
        template="plotly_white", height=max(350, 28 * len(t) + 120))
    return localize(fig, locale)


def severity_chart(severity: pd.DataFrame, locale: str = "fr") -> go.Figure:
    """Bars of unhappy verbatims per severity level (1 → 5)."""
    s = severity.sort_values("severity")
    lab = s[localized_column("label", locale)]
    fig = go.Figure(go.Bar(x=[f"{k}. {x}" for k, x in zip(s["severity"], lab)], y=s["verbatims"],
                           marker_color=["#ffcc80", "#ffa726", "#fb8c00", "#e65100", "#b71c1c"][:len(s)]))
    fig.update_layout(title=_t("severity_title", locale),
                      yaxis_title="Verbatims", template="plotly_white")
    return localize(fig, locale)
