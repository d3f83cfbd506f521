"""Plotly figures for staffing, from :func:`cxtoolkit.staffing.staffing_profile` frames.

>>> import pandas as pd
>>> p = pd.DataFrame({"weekday": [0, 1], "hour": [9, 9], "calls_per_day": [10.0, 5.0],
...                   "agents_required": [3, 2], "answer_rate_observed": [0.7, 0.9]})
>>> required_heatmap(p, "en").data[0].type
'heatmap'
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

DAYS = {"fr": ("lun", "mar", "mer", "jeu", "ven", "sam", "dim"),
        "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def _loc(locale: str) -> str:
    return "fr" if str(locale).lower().startswith("fr") else "en"


def required_heatmap(profile: pd.DataFrame, locale: str = "fr", value: str = "agents_required") -> go.Figure:
    """Weekday × hour heatmap of ``value`` (agents required by default)."""
    loc = _loc(locale)
    grid = profile.pivot_table(index="weekday", columns="hour", values=value, aggfunc="first")
    titles = {"agents_required": ("Conseillers nécessaires (Erlang C)", "Agents required (Erlang C)"),
              "answer_rate_observed": ("Taux de décroché observé", "Observed answer rate"),
              "calls_per_day": ("Appels par jour", "Calls per day")}
    t = titles.get(value, (value, value))[0 if loc == "fr" else 1]
    fig = go.Figure(go.Heatmap(z=grid.to_numpy(), x=[f"{h:02d}h" for h in grid.columns],
                               y=[DAYS[loc][d] for d in grid.index], colorscale="Blues",
                               hovertemplate="%{y} %{x}: %{z}<extra></extra>"))
    fig.update_layout(title=t, yaxis_autorange="reversed", height=360, margin=dict(l=60, r=20, t=50, b=40))
    return fig


def load_vs_answer_rate(profile: pd.DataFrame, locale: str = "fr", weekday: int = 0) -> go.Figure:
    """For one weekday: calls per hour (bars) and observed answer rate (line)."""
    loc = _loc(locale)
    d = profile[profile["weekday"] == weekday].sort_values("hour")
    x = [f"{h:02d}h" for h in d["hour"]]
    fig = go.Figure()
    fig.add_bar(x=x, y=d["calls_per_day"], name="Appels / jour" if loc == "fr" else "Calls / day")
    fig.add_scatter(x=x, y=d["answer_rate_observed"], name="Taux de décroché" if loc == "fr" else "Answer rate",
                    yaxis="y2", mode="lines+markers")
    fig.update_layout(title=("Charge et décroché — " if loc == "fr" else "Load and answer rate — ")
                      + DAYS[loc][weekday], yaxis2=dict(overlaying="y", side="right", tickformat=".0%",
                                                         range=[0, 1]), height=360,
                      margin=dict(l=60, r=60, t=50, b=40))
    return fig
