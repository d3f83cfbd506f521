"""Plotly figures of quality monitoring, from frames computed by :mod:`cxtoolkit.quality`
(never computing anything themselves). Titles and axes in French or English.

Examples
--------
>>> import pandas as pd
>>> pvd = pd.DataFrame({"agent_id": ["a", "b"], "n": [5, 4], "score": [85.0, 60.0],
...                     "csat": [0.9, 0.5], "csat_n": [12, 8], "quadrant": ["good", "to_coach"]})
>>> fig = perceived_vs_delivered(pvd, qa_target=80, csat_target=0.8, locale="en")
>>> fig.layout.xaxis.title.text
'CSAT of the same contacts (top-2 box)'
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from cxtoolkit.messages import text
from cxtoolkit.rules import calendar_text
from cxtoolkit.viz.style import PERCENT, localize, percent_axis, percent_hover, percent_suffix

QUADRANT_COLORS = {"good": "#2e7d32", "not_perceived": "#1f77b4", "not_delivered": "#ef6c00",
                   "to_coach": "#c62828"}
def _t(key: str, locale: str | None) -> str:
    return text(f"viz.quality.{key}", locale)


def perceived_vs_delivered(pvd: pd.DataFrame, qa_target: float = 80.0, csat_target: float = 0.8,
                           locale: str = "fr") -> go.Figure:
    """Quadrant chart: CSAT (x) vs QA score (y), one bubble per agent or team (size = n)."""
    level = pvd.columns[0]
    d = pvd.dropna(subset=["csat", "score"])
    fig = go.Figure()
    for quad, color in QUADRANT_COLORS.items():
        part = d.loc[d["quadrant"] == quad]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part["csat"] * PERCENT, y=part["score"], mode="markers+text", name=_t(quad, locale),
            text=part[level].astype(str), textposition="top center",
            marker={"color": color, "size": (6 + 2 * part["n"].clip(upper=20) ** 0.5 * 3).tolist(),
                    "opacity": 0.8},
            customdata=part[["n", "csat_n"]].to_numpy(),
            hovertemplate=f"%{{text}}<br>QA %{{y:.0f}}<br>CSAT {percent_hover('x', locale)}"
                          "<br>n=%{customdata[0]} / %{customdata[1]}<extra></extra>"))
    rest = d.loc[d["quadrant"].isna()]
    if len(rest):
        fig.add_trace(go.Scatter(x=rest["csat"] * PERCENT, y=rest["score"], mode="markers", name=_t("too_few", locale),
                                 marker={"color": "#b0bec5"}, text=rest[level].astype(str)))
    fig.add_vline(x=csat_target * PERCENT, line_dash="dot", line_color="#607d8b")
    fig.add_hline(y=qa_target, line_dash="dot", line_color="#607d8b")
    fig.update_layout(title=_t("quadrant_title", locale), xaxis_title=_t("csat_axis", locale),
                      yaxis_title=_t("qa_axis", locale), xaxis=percent_axis(locale),
                      xaxis_range=[-5, 105], yaxis_range=[0, 105], template="plotly_white")
    return localize(fig, locale)


def trend(trend_frame: pd.DataFrame, locale: str = "fr", start=None, end=None) -> go.Figure:
    """Score by week or month (one line per group when split); a week the period from
    ``start`` to ``end`` covers in part says its days (``sem. 40 2026, 1–4 oct.``), as the deck's.

    >>> t = pd.DataFrame({"week": ["2026-W40", "2026-W41"], "n": [3, 5], "score": [80.0, 82.0]})
    >>> list(trend(t, "en", "2026-10-01", "2026-10-31").data[0].x)
    ['wk 40 2026, Oct 1–4', 'wk 41 2026']
    """
    period = trend_frame.columns[0]
    split = [c for c in trend_frame.columns[1:2] if c not in ("n", "score", "score_sd", "critical_fail_rate")]
    fig = go.Figure()
    groups = trend_frame.groupby(split[0], observed=True) if split else [(None, trend_frame)]
    for name, g in groups:
        fig.add_trace(go.Scatter(x=[calendar_text(str(p), locale, start=start, end=end) for p in g[period]], y=g["score"], mode="lines+markers",
                                 name=str(name) if name is not None else _t("overall", locale),
                                 customdata=g[["n"]].to_numpy(),
                                 hovertemplate="%{x}: %{y:,.1f} (n=%{customdata[0]})<extra></extra>"))
    fig.update_layout(title=_t("trend_title", locale), yaxis_title=_t("qa_axis", locale),
                      xaxis_title=_t("week", locale) if period == "week" else period, template="plotly_white",
                      xaxis_type="category")   # sem. 40 2026, in the frame's (calendar) order
    return localize(fig, locale)


def criteria(criteria_frame: pd.DataFrame, locale: str = "fr") -> go.Figure:
    """Horizontal bars of attainment per criterion, weakest at the top."""
    d = criteria_frame.iloc[::-1]
    labels = d["label"] if "label" in d.columns else d["criterion"]
    color = ["#c62828" if c else "#1f4e79" for c in d.get("critical", pd.Series(False, index=d.index))]
    fig = go.Figure(go.Bar(x=d["attainment"], y=labels.astype(str), orientation="h", marker_color=color,
                           customdata=d[["n"]].to_numpy(),
                           hovertemplate=f"%{{y}}: %{{x:.0f}}{percent_suffix(locale)}"
                                         " (n=%{customdata[0]})<extra></extra>"))
    fig.update_layout(title=_t("criteria_title", locale), xaxis_title=_t("attainment", locale),
                      xaxis_range=[0, 100], template="plotly_white", height=max(300, 28 * len(d) + 120))
    return localize(fig, locale)


def agreement(overall: dict, by_criterion: dict, locale: str = "fr") -> go.Figure:
    """Alpha with its bootstrap CI, overall and per criterion (undefined ones left out)."""
    rows = [(_t("overall", locale), overall)] + sorted(by_criterion.items())
    rows = [(k, v) for k, v in rows if v.get("alpha") is not None]
    names = [k for k, _ in rows]
    a = [v["alpha"] for _, v in rows]
    lo = [v["alpha"] - (v["ci95"][0] if v["ci95"][0] is not None else v["alpha"]) for _, v in rows]
    hi = [(v["ci95"][1] if v["ci95"][1] is not None else v["alpha"]) - v["alpha"] for _, v in rows]
    fig = go.Figure(go.Scatter(x=a, y=names, mode="markers", marker={"size": 10, "color": "#1f4e79"},
                               error_x={"type": "data", "symmetric": False, "array": hi, "arrayminus": lo}))
    fig.add_vline(x=0.8, line_dash="dot", line_color="#2e7d32")
    fig.add_vline(x=0.667, line_dash="dot", line_color="#ef6c00")
    fig.update_layout(title=_t("alpha_title", locale), xaxis_title="alpha", template="plotly_white",
                      yaxis_autorange="reversed", height=max(300, 26 * len(names) + 120))
    return localize(fig, locale)


def evaluator_drift(evaluators: pd.DataFrame, drift_points: float = 10.0, locale: str = "fr") -> go.Figure:
    """Mean gap of each evaluator to the panel consensus; drifting ones in red."""
    d = evaluators.sort_values("mean_gap")
    fig = go.Figure(go.Bar(x=d["mean_gap"], y=d["evaluator_id"].astype(str), orientation="h",
                           marker_color=["#c62828" if x else "#90a4ae" for x in d["drifting"]],
                           customdata=d[["n"]].to_numpy(),
                           hovertemplate="%{y}: %{x:+.1f} (n=%{customdata[0]})<extra></extra>"))
    for x in (-drift_points, drift_points):
        fig.add_vline(x=x, line_dash="dot", line_color="#607d8b")
    fig.update_layout(title=_t("drift_title", locale), xaxis_title=_t("gap", locale), template="plotly_white")
    return localize(fig, locale)


def coverage_heatmap(coverage: pd.DataFrame, locale: str = "fr") -> go.Figure:
    """Reviews per agent × week, coloured by the share of that week's target reached (the colour
    scale breaks at 100 %: a partial week against its pro-rata target,
    :func:`cxtoolkit.quality.coverage.review_coverage`); the hover says reviews / target."""
    wide = coverage.pivot_table(index="agent_id", columns="week", values="reviews", aggfunc="sum",
                                observed=True).fillna(0)
    targets = coverage.groupby("week", observed=True)["target"].max().reindex(wide.columns).fillna(1).clip(lower=1)
    share = wide.to_numpy() / targets.to_numpy()[None, :] if wide.size else wide.to_numpy()
    zmax = max(2.0, float(share.max()) if share.size else 1.0)
    b = 1.0 / zmax
    tgt = [[int(t) for t in targets.to_numpy()] for _ in range(len(wide))]
    fig = go.Figure(go.Heatmap(z=share, x=[calendar_text(str(c), locale) for c in wide.columns],
                               y=[str(i) for i in wide.index], zmin=0, zmax=zmax, showscale=False,
                               customdata=[[[int(r), t] for r, t in zip(row, trow)] for row, trow in zip(wide.to_numpy(), tgt)],
                               hovertemplate="%{y} · %{x}: %{customdata[0]} / %{customdata[1]}<extra></extra>",
                               colorscale=[[0, "#c62828"], [max(b - 1e-6, 0), "#ffcc80"], [b, "#a5d6a7"],
                                           [1, "#2e7d32"]]))
    fig.update_layout(title=_t("coverage_title", locale), xaxis_title=_t("week", locale),
                      yaxis_title=_t("agent", locale), template="plotly_white",
                      height=max(300, 18 * len(wide) + 140))
    return localize(fig, locale)
