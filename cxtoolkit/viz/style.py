r"""Numbers on the charts written as :func:`cxtoolkit.rules.format_value` writes them.

The one rule of every figure builder of :mod:`cxtoolkit.viz`: Plotly's d3 formats follow
the client's language, so a French chart reads ``35 %``, ``1 234,5`` and ``36 000 €`` like
the tables and sentences beside it, an English one ``35%``, ``1,234.5`` and ``€36,000``.

- :func:`separators` — ``layout.separators`` (decimal mark, thousands separator);
- :func:`localize` — sets them on a figure (every builder returns ``localize(fig, locale)``);
- :func:`percent_axis` / :func:`percent_hover` — shares plotted ×100 (d3's ``%`` type
  cannot write the French space before ``%``, a suffix can);
- :func:`unit_axis` — an axis of a registry unit (``ratio``, ``seconds``, ``hours``, ``money``);
- :func:`money_axis` / :func:`money_hover` — the currency where ``format_value`` puts it;
  :func:`currency_symbol` — the currency as it writes it (an amount axis' title).

>>> separators("fr"), separators("en")
(',\u202f', '.,')
>>> percent_axis("fr"), percent_axis("en", 1)
({'ticksuffix': ' %', 'tickformat': ',.0f'}, {'ticksuffix': '%', 'tickformat': ',.1f'})
>>> percent_hover("x", "fr"), money_hover("x", "EUR", "en")
('%{x:,.0f} %', '€%{x:,.0f}')
>>> money_axis("EUR", "fr")
{'tickprefix': '', 'ticksuffix': '\xa0€', 'tickformat': ',.0f'}
"""
from __future__ import annotations

import plotly.graph_objects as go

from cxtoolkit.rules import format_value

PERCENT = 100  # shares are plotted in percent points (0.35 → 35)


def separators(locale: str | None) -> str:
    """Plotly ``layout.separators`` (decimal mark, then thousands separator) read off
    :func:`cxtoolkit.rules.format_value`: decimal comma and narrow no-break space in French."""
    return format_value(0.5, "number", locale)[1] + format_value(1000, "count", locale)[1]


def localize(fig: go.Figure, locale: str | None) -> go.Figure:
    """Set the locale's separators on ``fig`` (in place) and return it."""
    fig.update_layout(separators=separators(locale))
    return fig


def percent_suffix(locale: str | None) -> str:
    """``' %'`` in French, ``'%'`` in English (as :func:`cxtoolkit.rules.format_value`)."""
    return format_value(0, "ratio", locale, decimals=0)[1:]


def percent_axis(locale: str | None, decimals: int = 0) -> dict:
    """Axis (or colorbar) properties of a share plotted in percent points."""
    return {"ticksuffix": percent_suffix(locale), "tickformat": f",.{decimals}f"}


def percent_hover(field: str, locale: str | None, decimals: int = 0) -> str:
    """Hover template piece of a share in percent points: ``%{y:,.0f} %`` / ``%{y:,.0f}%``."""
    return f"%{{{field}:,.{decimals}f}}{percent_suffix(locale)}"


def _money_affixes(currency: str, locale: str | None) -> tuple[str, str]:
    """What :func:`cxtoolkit.rules.format_value` writes before and after an amount."""
    prefix, _, suffix = format_value(0, "money", locale, currency=currency, decimals=0).partition("0")
    return prefix, suffix


def currency_symbol(currency: str, locale: str | None) -> str:
    """The currency as :func:`cxtoolkit.rules.format_value` writes it by an amount: the title
    of an amount's axis (``€``, ``$``, never the code ``EUR``).

    >>> currency_symbol("EUR", "fr"), currency_symbol("USD", "en"), currency_symbol("CHF", "fr")
    ('€', '$', 'CHF')
    """
    prefix, suffix = _money_affixes(currency, locale)
    return (prefix + suffix).strip().strip("-").strip()


def money_axis(currency: str, locale: str | None, negative: bool = False) -> dict:
    """Axis properties of an amount: ``36 000 €`` / ``€36,000`` ticks.

    Plotly writes a prefix before the sign (``€−5,000`` where ``format_value`` writes
    ``-€5,000``): with ``negative`` amounts on the axis a prefix currency is left to the
    axis title.
    """
    prefix, suffix = _money_affixes(currency, locale)
    return {"tickprefix": "" if negative else prefix, "ticksuffix": suffix, "tickformat": ",.0f"}


def money_hover(field: str, currency: str, locale: str | None, negative: bool = False) -> str:
    """Hover template piece of an amount (``%{x:,.0f} €`` / ``€%{x:,.0f}``; see :func:`money_axis`)."""
    prefix, suffix = _money_affixes(currency, locale)
    return f"{'' if negative else prefix}%{{{field}:,.0f}}{suffix}"


def unit_axis(unit: str, locale: str | None, currency: str = "EUR") -> dict:
    """Axis properties of a registry unit (``ratio`` plotted in percent points)."""
    if unit == "ratio":
        return percent_axis(locale)
    if unit == "money":
        return money_axis(currency, locale)
    suffix = {"seconds": " s", "hours": " h"}.get(unit)
    return {"ticksuffix": suffix} if suffix else {}


_HOVER = {"seconds": (",.0f", " s"), "hours": (",.1f", " h"), "nps": ("+.1f", ""), "score": (".2f", ""),
          "count": (",.0f", "")}  # format_value's digits and unit of each registry unit


def value_hover(field: str, unit: str, locale: str | None, currency: str = "EUR") -> str:
    """Hover template piece of a value of a registry unit, written as
    :func:`cxtoolkit.rules.format_value` writes it (a ratio plotted in percent points).

    >>> value_hover("y", "ratio", "fr"), value_hover("z", "seconds", "en"), value_hover("y", "count", "fr")
    ('%{y:,.1f} %', '%{z:,.0f} s', '%{y:,.0f}')
    """
    if unit == "ratio":
        return percent_hover(field, locale, 1)
    if unit == "money":
        return money_hover(field, currency, locale)
    fmt, suffix = _HOVER.get(unit, (",.1f", ""))
    return f"%{{{field}:{fmt}}}{suffix}"


def scale(unit: str) -> int:
    """Factor from a value of ``unit`` to what is plotted (100 for a ratio, else 1)."""
    return PERCENT if unit == "ratio" else 1
