r"""Plotly figures of the satisfaction ROI (from computed results, never computing them).

Every chart takes the already computed result (outputs dict, sensitivity frame, Monte
Carlo histogram, scenario frame) plus the client's currency and locale. ``<chart>_spec``
returns plain trace dicts and a title (everything that changes lives in the traces: no
shapes or annotations), ``<chart>`` builds the ``plotly.graph_objects.Figure``; the Voila
app pushes new specs into its figures with :func:`apply_spec` (cheap, in place).

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

import itertools
import math
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from cxtoolkit.messages import text
from cxtoolkit.roi import label
from cxtoolkit.rules import SYMBOLS, format_value  # noqa: F401 - SYMBOLS: re-exported
from cxtoolkit.viz.style import currency_symbol, money_axis, money_hover, percent_suffix, separators

COLORS = {"up": "#2e7d32", "down": "#c62828", "total": "#1f4e79", "neutral": "#90a4ae",
          "p": "#37474f"}


def _finite(x: float | None) -> float | None:
    return x if x is not None and math.isfinite(x) else None


def fmt_money(x: float | None, currency: str = "EUR", locale: str = "en",
              decimals: int | None = None) -> str:
    """Amount with its currency (:func:`cxtoolkit.rules.format_value`, unit ``money``).

    ``decimals`` defaults to 0, or 2 for small amounts with cents (a cost per invitation).
    """
    return format_value(_finite(x), "money", locale, currency=currency, decimals=decimals)


def fmt_pct(x: float | None, locale: str = "en", decimals: int = 1) -> str:
    """Share as a percentage ('25.6%' / '25,6 %'; :func:`cxtoolkit.rules.format_value`)."""
    return format_value(_finite(x), "ratio", locale, decimals=decimals)


def fmt_count(x: float | None, locale: str = "en") -> str:
    """Whole count with thousands separators (:func:`cxtoolkit.rules.format_value`)."""
    return format_value(_finite(x), "count", locale)


def fmt_value(key: str, x: float | None, currency: str = "EUR", locale: str = "en") -> str:
    """Format an input or output of the model by its kind."""
    from cxtoolkit.roi import MONEY_KEYS, RATE_INPUTS
    if key in MONEY_KEYS:
        return fmt_money(x, currency, locale)
    if key in RATE_INPUTS or key in ("roi", "break_even_retention_rate"):
        return fmt_pct(x, locale)
    return fmt_count(x, locale)


Spec = dict  # {"title": str, "traces": [trace dicts with "type"], "layout": {...} optional}


def _negative(*values) -> bool:
    return any(v < 0 for vs in values for v in vs if v is not None and math.isfinite(v))


def _money_layout(axis: str, currency: str, locale: str, *values) -> dict:
    """Layout keys of a spec: the locale's separators, ``axis`` ticks in ``currency``
    (``values``: the amounts the axis shows, to know whether some are negative)."""
    ticks = money_axis(currency, locale, _negative(*values))
    return {"separators": separators(locale), **{f"{axis}.{k}": v for k, v in ticks.items()}}


def _style(fig: go.Figure, height: int) -> go.Figure:
    # a light look set directly (applying the "plotly_white" template costs ~30 ms a figure,
    # too slow for the live simulator)
    fig.update_layout(height=height, plot_bgcolor="white", paper_bgcolor="white",
                      margin=dict(l=10, r=10, t=60, b=10), showlegend=False,
                      font=dict(family="DejaVu Sans, Arial, sans-serif", size=13, color="#263238"))
    fig.update_xaxes(gridcolor="#eceff1", zerolinecolor="#cfd8dc")
    fig.update_yaxes(gridcolor="#eceff1", zerolinecolor="#cfd8dc")
    return fig


def figure(spec: Spec, height: int = 380) -> go.Figure:
    """Build a Figure from a spec."""
    traces = [dict(t) for t in spec["traces"]]
    fig = go.Figure([getattr(go, t.pop("type"))(**t) for t in traces])
    _style(fig, height)
    fig.update_layout(title=dict(text=spec["title"], x=0.01))
    fig.update_layout(spec.get("layout", {}))
    return fig


def apply_spec(widget: go.BaseFigure, spec: Spec) -> None:
    """Update ``widget`` (a Figure built from a spec of the same chart) in place."""
    with widget.batch_update():
        for tr, new in zip(widget.data, spec["traces"]):
            tr.update({k: v for k, v in new.items() if k != "type"})
        widget.layout.title.text = spec["title"]
        for k, v in spec.get("layout", {}).items():
            widget.layout[k] = v


def waterfall_spec(outputs: Mapping[str, float], currency: str = "EUR", locale: str = "en") -> Spec:
    """From avoided acquisition cost (+ retained margin − programme cost) to net benefit.

    >>> spec = waterfall_spec({"avoided_acquisition_cost": 36000, "retained_margin": 0,
    ...                        "program_cost": 6000, "net_benefit": 30000})
    >>> spec["traces"][0]["y"]
    [36000.0, 0.0, -6000.0, 30000.0]
    """
    keys = ["avoided_acquisition_cost", "retained_margin", "program_cost", "net_benefit"]
    y = [float(outputs["avoided_acquisition_cost"]), float(outputs["retained_margin"]),
         -float(outputs["program_cost"]), float(outputs["net_benefit"])]
    return {"title": text("viz.roi.waterfall", locale),
            "traces": [dict(type="Waterfall", x=[label(k, locale) for k in keys], y=y,
                            measure=["relative", "relative", "relative", "total"],
                            text=[fmt_money(v, currency, locale) for v in y], textposition="outside",
                            increasing=dict(marker=dict(color=COLORS["up"])),
                            decreasing=dict(marker=dict(color=COLORS["down"])),
                            totals=dict(marker=dict(color=COLORS["total"])),
                            connector=dict(line=dict(color="#b0bec5")), cliponaxis=False,
                            # the step as the label says it (plotly's own hover adds "Initial", in English)
                            hovertemplate="%{x}: %{text}<extra></extra>")],
            "layout": {"yaxis.title.text": currency_symbol(currency, locale),
                       **_money_layout("yaxis", currency, locale, list(itertools.accumulate(y[:3])), y[3:])}}


def waterfall(outputs: Mapping[str, float], currency: str = "EUR", locale: str = "en") -> go.Figure:
    """Waterfall figure (see :func:`waterfall_spec`)."""
    return figure(waterfall_spec(outputs, currency, locale))


def tornado_spec(sens: pd.DataFrame, currency: str = "EUR", locale: str = "en",
                 share: float | None = None) -> Spec:
    """Tornado of a :func:`cxtoolkit.roi.sensitivity` frame: net benefit with each input at
    its low and high value, widest swing on top, a dotted line at the base value."""
    df = sens.iloc[::-1]  # plotly draws the first bar at the bottom
    base = float(df["base"].iloc[0]) if len(df) else 0.0
    labels = df["label"].tolist()
    sh = fmt_pct(share, locale, 0) if share is not None else ""
    bars = [dict(type="Bar", y=labels, x=(df[col] - base).tolist(), base=base, orientation="h",
                 name=sign + sh, marker_color=COLORS[color],
                 customdata=[fmt_money(v, currency, locale) for v in df[col]],
                 hovertemplate="%{y}: %{customdata}<extra></extra>")
            for col, sign, color in (("low", "−", "down"), ("high", "+", "up"))]
    line = dict(type="Scatter", x=[base, base], y=labels[:1] + labels[-1:] if labels else [],
                mode="lines", line=dict(color=COLORS["p"], dash="dot"), hoverinfo="skip",
                showlegend=False)
    shs = f" ± {fmt_pct(share, locale, 0)}" if share is not None else ""
    title = text("viz.roi.tornado", locale, share=shs)
    return {"title": title, "traces": bars + [line],
            "layout": {"barmode": "overlay", "showlegend": True, "xaxis.title.text": currency_symbol(currency, locale),
                       "legend": dict(orientation="h", y=-0.15),
                       **_money_layout("xaxis", currency, locale, df["low"], df["high"], [base])}}


def tornado(sens: pd.DataFrame, currency: str = "EUR", locale: str = "en",
            share: float | None = None) -> go.Figure:
    """Tornado figure (see :func:`tornado_spec`)."""
    return figure(tornado_spec(sens, currency, locale, share), height=max(320, 80 + 38 * len(sens)))


def distribution_spec(hist: pd.DataFrame, summary: Mapping[str, float | None], currency: str = "EUR",
                      locale: str = "en") -> Spec:
    """Monte Carlo distribution of the net benefit (pre-binned) with P10 / P50 / P90 lines."""
    share = (hist["share"] * 100).tolist()
    top = max(share) * 1.08 if share else 1.0
    qs = [(q.upper(), summary.get(q)) for q in ("p10", "p50", "p90")]
    qs = [(n, v) for n, v in qs if v is not None and math.isfinite(v)]
    lx, ly = [], []
    for _, v in qs:
        lx += [v, v, None]
        ly += [0, top, None]
    neg = _negative(hist["left"], [v for _, v in qs])
    p = summary.get("prob_roi_positive")
    prob = fmt_pct(p, locale, 0)
    title = text("viz.roi.distribution", locale, prob=prob)
    return {"title": title, "traces": [
        dict(type="Bar", x=hist["mid"].tolist(), y=share, width=(hist["right"] - hist["left"]).tolist(),
             marker_color=[COLORS["down"] if m < 0 else COLORS["total"] for m in hist["mid"]],
             hovertemplate=f"{money_hover('x', currency, locale, neg)}: %{{y:.1f}}{percent_suffix(locale)}<extra></extra>"),
        dict(type="Scatter", x=lx, y=ly, mode="lines", line=dict(color=COLORS["p"], dash="dash"),
             hoverinfo="skip"),
        dict(type="Scatter", x=[v for _, v in qs], y=[top] * len(qs), mode="text",
             text=[f"{n} {fmt_money(v, currency, locale)}" for n, v in qs], textposition="top center",
             hoverinfo="skip", cliponaxis=False),
    ], "layout": {"xaxis.title.text": currency_symbol(currency, locale), "yaxis.title.text": text("viz.roi.draws_axis", locale),
                  "yaxis.ticksuffix": percent_suffix(locale),
                  **_money_layout("xaxis", currency, locale, hist["left"], [v for _, v in qs])}}


def distribution(hist: pd.DataFrame, summary: Mapping[str, float | None], currency: str = "EUR",
                 locale: str = "en") -> go.Figure:
    """Distribution figure (see :func:`distribution_spec`)."""
    return figure(distribution_spec(hist, summary, currency, locale))


def _money_hover(name: str, values, currency: str, locale: str) -> dict:
    """Trace keys of a hover saying ``x — name: amount``, the amount as the page writes it."""
    return {"customdata": [fmt_money(float(v), currency, locale) for v in values],
            "hovertemplate": f"%{{x}} — {name}: %{{customdata}}<extra></extra>"}


def scenarios_spec(compare: pd.DataFrame, currency: str = "EUR", locale: str = "en") -> Spec:
    """Gross benefit, programme cost and net benefit of named scenarios side by side
    (from :func:`cxtoolkit.roi.compare_scenarios`; named keys are translated)."""
    names = [c for c in compare.columns if c != "label"]
    shown = [label(n, locale) for n in names]
    traces = [dict(type="Bar", x=shown, y=[float(v) for v in compare.loc[k, names]],
                   name=label(k, locale), marker_color=COLORS[c], **_money_hover(label(k, locale), compare.loc[k, names],
                                                                                   currency, locale))
              for k, c in (("gross_benefit", "up"), ("program_cost", "down"), ("net_benefit", "total"))]
    traces[2].update(text=[fmt_money(v, currency, locale) for v in compare.loc["net_benefit", names]],
                     textposition="outside", cliponaxis=False)
    return {"title": text("viz.roi.scenarios", locale), "traces": traces,
            "layout": {"barmode": "group", "showlegend": True, "legend": dict(orientation="h", y=-0.15),
                       **_money_layout("yaxis", currency, locale, *(compare.loc[k, names] for k in
                                                                    ("gross_benefit", "program_cost", "net_benefit")))}}


def scenarios_chart(compare: pd.DataFrame, currency: str = "EUR", locale: str = "en") -> go.Figure:
    """Scenario figure (see :func:`scenarios_spec`)."""
    return figure(scenarios_spec(compare, currency, locale))


def multi_year_spec(years: pd.DataFrame, currency: str = "EUR", locale: str = "en") -> Spec:
    """Yearly and cumulative net benefit (from :func:`cxtoolkit.roi.multi_year`)."""
    x = [text("viz.roi.year", locale, n=int(y)) for y in years["year"]]
    return {"title": text("viz.roi.multi_year", locale), "traces": [
        dict(type="Bar", x=x, y=years["net_benefit"].tolist(), name=label("net_benefit", locale),
             marker_color=COLORS["total"], **_money_hover(label("net_benefit", locale), years["net_benefit"],
                                                          currency, locale)),
        dict(type="Scatter", x=x, y=years["cumulative_net_benefit"].tolist(), mode="lines+markers",
             name=text("viz.roi.cumulative", locale), line_color=COLORS["up"],
             **_money_hover(text("viz.roi.cumulative", locale), years["cumulative_net_benefit"], currency, locale)),
    ], "layout": {"showlegend": True, "legend": dict(orientation="h", y=-0.15),
                  "yaxis.title.text": currency_symbol(currency, locale),
                  **_money_layout("yaxis", currency, locale, years["net_benefit"], years["cumulative_net_benefit"])}}


def multi_year_chart(years: pd.DataFrame, currency: str = "EUR", locale: str = "en") -> go.Figure:
    """Multi-year figure (see :func:`multi_year_spec`)."""
    return figure(multi_year_spec(years, currency, locale))
