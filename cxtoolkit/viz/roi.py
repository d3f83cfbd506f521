r"""Plotly figures of the satisfaction ROI (from computed results, never computing them).

Every figure takes the already computed result (outputs dict, sensitivity frame, Monte
Carlo histogram, scenario frame) plus the client's currency and locale, and returns a
``plotly.graph_objects.Figure``. Trace counts and order are stable so the Voila app can
update a ``FigureWidget`` in place.

Examples
--------
>>> fmt_money(36000, "EUR", "fr")
'36\u202f000\xa0€'
>>> fmt_money(-1234.6, "USD", "en")
'-$1,235'
>>> fmt_pct(0.256, "fr")
'25,6 %'
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from cxtoolkit.roi import label

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF", "CAD": "CA$"}
NBSP = "\u202f"  # narrow no-break space, the French thousands separator
COLORS = {"up": "#2e7d32", "down": "#c62828", "total": "#1f4e79", "neutral": "#90a4ae",
          "p": "#37474f"}


def _fr(locale: str | None) -> bool:
    return str(locale or "en").lower().startswith("fr")


def _num(x: float, decimals: int, locale: str) -> str:
    s = f"{abs(x):,.{decimals}f}"
    if _fr(locale):
        s = s.replace(",", NBSP).replace(".", ",")
    return s


def fmt_money(x: float | None, currency: str = "EUR", locale: str = "en",
              decimals: int | None = None) -> str:
    """Amount with its currency, French or English style; '—' when undefined.

    ``decimals`` defaults to 0, or 2 for small amounts with cents (a cost per invitation).
    """
    if x is None or not math.isfinite(x):
        return "—"
    if decimals is None:
        decimals = 2 if abs(x) < 100 and round(x, 2) != round(x) else 0
    sym = SYMBOLS.get(str(currency).upper(), str(currency).upper())
    sign = "-" if round(x, decimals) < 0 else ""
    n = _num(x, decimals, locale)
    if _fr(locale) or (len(sym) > 1 and sym.isalpha()):
        return f"{sign}{n} {sym}".replace(" ", "\u00a0")
    return f"{sign}{sym}{n}"


def fmt_pct(x: float | None, locale: str = "en", decimals: int = 1) -> str:
    """Share as a percentage ('25.6 %' / '25,6 %'); '—' when undefined."""
    if x is None or not math.isfinite(x):
        return "—"
    return f"{'-' if x < 0 else ''}{_num(x * 100, decimals, locale)} %"


def fmt_count(x: float | None, locale: str = "en") -> str:
    """Whole count with thousands separators; '—' when undefined."""
    if x is None or not math.isfinite(x):
        return "—"
    return f"{'-' if round(x) < 0 else ''}{_num(x, 0, locale)}"


def fmt_value(key: str, x: float | None, currency: str = "EUR", locale: str = "en") -> str:
    """Format an input or output of the model by its kind."""
    from cxtoolkit.roi import MONEY_KEYS, RATE_INPUTS
    if key in MONEY_KEYS:
        return fmt_money(x, currency, locale)
    if key in RATE_INPUTS or key in ("roi", "break_even_retention_rate"):
        return fmt_pct(x, locale)
    return fmt_count(x, locale)


def _layout(fig: go.Figure, title: str, height: int = 360) -> go.Figure:
    fig.update_layout(title=dict(text=title, x=0.01), height=height, template="plotly_white",
                      margin=dict(l=10, r=10, t=70, b=10), showlegend=False,
                      font=dict(family="DejaVu Sans, Arial, sans-serif", size=13))
    return fig


def waterfall(outputs: Mapping[str, float], currency: str = "EUR", locale: str = "en") -> go.Figure:
    """From avoided acquisition cost (+ retained margin − programme cost) to net benefit.

    >>> fig = waterfall({"avoided_acquisition_cost": 36000, "retained_margin": 0,
    ...                  "program_cost": 6000, "net_benefit": 30000})
    >>> list(fig.data[0].y)
    [36000, 0, -6000, 30000]
    """
    keys = ["avoided_acquisition_cost", "retained_margin", "program_cost", "net_benefit"]
    y = [outputs["avoided_acquisition_cost"], outputs["retained_margin"],
         -outputs["program_cost"], outputs["net_benefit"]]
    fig = go.Figure(go.Waterfall(
        x=[label(k, locale) for k in keys], y=y,
        measure=["relative", "relative", "relative", "total"],
        text=[fmt_money(v, currency, locale) for v in y], textposition="outside",
        increasing=dict(marker=dict(color=COLORS["up"])),
        decreasing=dict(marker=dict(color=COLORS["down"])),
        totals=dict(marker=dict(color=COLORS["total"])),
        connector=dict(line=dict(color="#b0bec5")), cliponaxis=False,
    ))
    fig.update_yaxes(title_text=currency, rangemode="tozero")
    return _layout(fig, "Du coût évité au gain net" if _fr(locale) else "From avoided cost to net benefit")


def tornado(sens: pd.DataFrame, currency: str = "EUR", locale: str = "en",
            share: float | None = None) -> go.Figure:
    """Tornado of a :func:`cxtoolkit.roi.sensitivity` frame: net benefit with each input at
    its low and high value, widest swing on top."""
    df = sens.iloc[::-1]  # plotly draws the first bar at the bottom
    base = float(df["base"].iloc[0]) if len(df) else 0.0
    labels = df["label"].tolist()
    fr = _fr(locale)
    fig = go.Figure([
        go.Bar(y=labels, x=(df["low"] - base).tolist(), base=base, orientation="h",
               name="−" + (f"{share:.0%}" if share is not None else ""),
               marker_color=COLORS["down"],
               customdata=[fmt_money(v, currency, locale) for v in df["low"]],
               hovertemplate="%{y}: %{customdata}<extra></extra>"),
        go.Bar(y=labels, x=(df["high"] - base).tolist(), base=base, orientation="h",
               name="+" + (f"{share:.0%}" if share is not None else ""),
               marker_color=COLORS["up"],
               customdata=[fmt_money(v, currency, locale) for v in df["high"]],
               hovertemplate="%{y}: %{customdata}<extra></extra>"),
    ])
    fig.update_layout(barmode="overlay", showlegend=True)
    fig.add_vline(x=base, line_color=COLORS["p"], line_dash="dot")
    sh = f" ± {fmt_pct(share, locale, 0)}" if share is not None else ""
    fig = _layout(fig, (f"Sensibilité du gain net{sh}" if fr else f"Net benefit sensitivity{sh}"),
                  height=max(300, 60 + 38 * len(df)))
    fig.update_layout(showlegend=True, legend=dict(orientation="h", y=-0.12))
    fig.update_xaxes(title_text=currency)
    return fig


def distribution(hist: pd.DataFrame, summary: Mapping[str, float | None], currency: str = "EUR",
                 locale: str = "en") -> go.Figure:
    """Monte Carlo distribution of the net benefit (pre-binned) with P10 / P50 / P90."""
    fr = _fr(locale)
    fig = go.Figure(go.Bar(x=hist["mid"].tolist(), y=(hist["share"] * 100).tolist(),
                           width=(hist["right"] - hist["left"]).tolist(),
                           marker_color=[COLORS["down"] if m < 0 else COLORS["total"] for m in hist["mid"]],
                           hovertemplate="%{x:,.0f}: %{y:.1f} %<extra></extra>"))
    for q in ("p10", "p50", "p90"):
        v = summary.get(q)
        if v is not None and math.isfinite(v):
            fig.add_vline(x=v, line_dash="dash", line_color=COLORS["p"],
                          annotation_text=f"{q.upper()} {fmt_money(v, currency, locale)}",
                          annotation_position="top")
    p = summary.get("prob_roi_positive")
    prob = fmt_pct(p, locale, 0) if p is not None else "—"
    title = (f"Gain net simulé — P(ROI > 0) = {prob}" if fr
             else f"Simulated net benefit — P(ROI > 0) = {prob}")
    fig = _layout(fig, title)
    fig.update_xaxes(title_text=currency)
    fig.update_yaxes(title_text="% des tirages" if fr else "% of draws")
    return fig


def scenarios_chart(compare: pd.DataFrame, currency: str = "EUR", locale: str = "en") -> go.Figure:
    """Net benefit and programme cost of named scenarios side by side
    (from :func:`cxtoolkit.roi.compare_scenarios`)."""
    names = [c for c in compare.columns if c != "label"]
    shown = [label(n, locale) for n in names]
    fig = go.Figure([
        go.Bar(x=shown, y=compare.loc["gross_benefit", names].tolist(), name=label("gross_benefit", locale),
               marker_color=COLORS["up"]),
        go.Bar(x=shown, y=compare.loc["program_cost", names].tolist(), name=label("program_cost", locale),
               marker_color=COLORS["down"]),
        go.Bar(x=shown, y=compare.loc["net_benefit", names].tolist(), name=label("net_benefit", locale),
               marker_color=COLORS["total"],
               text=[fmt_money(v, currency, locale) for v in compare.loc["net_benefit", names]],
               textposition="outside", cliponaxis=False),
    ])
    fig = _layout(fig, "Scénarios" if _fr(locale) else "Scenarios")
    fig.update_layout(barmode="group", showlegend=True, legend=dict(orientation="h", y=-0.15))
    return fig


def multi_year_chart(years: pd.DataFrame, currency: str = "EUR", locale: str = "en") -> go.Figure:
    """Yearly and cumulative net benefit (from :func:`cxtoolkit.roi.multi_year`)."""
    fr = _fr(locale)
    x = [f"{'A' if fr else 'Y'}{int(y)}" for y in years["year"]]
    fig = go.Figure([
        go.Bar(x=x, y=years["net_benefit"].tolist(), name=label("net_benefit", locale),
               marker_color=COLORS["total"]),
        go.Scatter(x=x, y=years["cumulative_net_benefit"].tolist(), mode="lines+markers",
                   name="Cumul" if fr else "Cumulative", line_color=COLORS["up"]),
    ])
    fig = _layout(fig, "Vue pluriannuelle" if fr else "Multi-year view")
    fig.update_layout(showlegend=True, legend=dict(orientation="h", y=-0.15))
    fig.update_yaxes(title_text=currency)
    return fig
