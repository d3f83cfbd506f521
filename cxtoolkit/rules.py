"""The business rules every module calls: survey rules, calendar labels, value formatting.

One definition per rule (the KPI glossary); nothing else in the package writes these
thresholds or formats (``tests/test_rules.py`` greps the package for them).

Survey rules work element-wise on scalars, NumPy arrays and Series; a missing score
(NaN) is never a promoter, a detractor, top-2 or easy.

* NPS on 0–10: **promoter** ≥ 9, **detractor** ≤ 6, **passive** 7–8.
* CSAT on 1–5: **top-2 box** ≥ 4; **very unhappy** ≤ 2 — per answer: the csat when the
  answer has one, else its nps (detractor); **happy** likewise (top-2, else promoter).
* CES: **easy** ≥ 5 on a 1–7 scale, ≥ 4 on a 1–5 scale (``kpi.ces_scale``).
* The survey rules also take DuckDB expressions (``duckdb.ColumnExpression("nps")``) and then
  return the expression, whose SQL the out-of-core engine runs: the same rule, not a copy.
* Contact: **answered** when its ``answered`` flag is true; a missing flag is not answered
  (:func:`answered`: both KPI engines, staffing, QA sampling). **Short abandon**: not answered,
  wait known and < ``kpi.short_abandon_s``; **abandoned**: not answered, not short
  (:func:`short_abandon`, :func:`abandoned`). A wait is **within** a threshold when known and
  ≤ it (:func:`within`: service level, email 5 h / 24 h, chat 60 s). **Handling time**: talk
  + hold + wrap, a missing part 0, none measured missing (:func:`handle_time`). **Repeat**
  window in microseconds (:func:`repeat_window_us`). Each also takes DuckDB expressions.
* A figure one of whose value's inputs is a constant the mapping assumed is not measured
  (:func:`rests_on`).
* Calendar labels: ISO week ``2026-W19``, month ``2026-05``, date ``2026-05-04`` (the data's
  codes); said to a reader: ``sem. 19 2026`` (:func:`week_text`), ``mai 2026`` / ``May 2026``
  (:func:`month_text`, ``short``: ``oct. 2026``), either (:func:`calendar_text`).
* Period (``--from D --to D``): :func:`period_bounds` — ``[start, end]``, an end date
  including its whole day — and :func:`in_period`, the one test of a timestamp against them.
* :func:`format_value` — a value by its unit (registry units) in the client's locale.

Examples
--------
>>> import numpy as np
>>> nps = np.array([6, 7, 8, 9, np.nan])
>>> promoter(nps).tolist(), detractor(nps).tolist(), passive(nps).tolist()
([False, False, False, True, False], [True, False, False, False, False], [False, True, True, False, False])
>>> very_unhappy(np.array([2.0, np.nan, np.nan]), np.array([10.0, 6.0, np.nan])).tolist()
[True, True, False]
>>> week_label(pd.Series(pd.to_datetime(["2026-05-04", "2026-01-01"]))).tolist()
['2026-W19', '2026-W01']
>>> format_value(0.853, "ratio", "fr"), format_value(0.853, "ratio", "en")
('85,3 %', '85.3%')
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
import math
from decimal import ROUND_HALF_UP, Context, Decimal
import re
from typing import Any

import numpy as np
import pandas as pd

from collections.abc import Mapping

from cxtoolkit.config import DAYS
from cxtoolkit.errors import InputError
from cxtoolkit.messages import client_locale, is_fr, locale_of, text

PROMOTER_MIN = 9          # NPS 0–10: 9–10
DETRACTOR_MAX = 6         # NPS 0–10: 0–6
CSAT_TOP2_MIN = 4         # CSAT 1–5: 4–5
CSAT_VERY_UNHAPPY_MAX = 2  # CSAT 1–5: 1–2
CES_EASY_MIN = {7: 5, 5: 4}  # CES scale -> smallest "easy" answer
EMAIL_WITHIN_S = (5 * 3600, 24 * 3600)  # email response windows: within 5 h, within 24 h
CHAT_WITHIN_S = 60       # chat first response: within 60 s

WEEKDAYS = DAYS          # weekday keys, 0 = Monday (config.DAYS)
SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF", "CAD": "CA$"}
NNBSP = "\u202f"         # narrow no-break space, the French thousands separator


def weekday_labels(locale: str | None = "fr", full: bool = False) -> dict[str, str]:
    """``{"mon": "lun", …}`` short (or ``full``) weekday names in the locale (the catalogue's).

    >>> weekday_labels("en")["mon"], weekday_labels("fr", full=True)["sun"]
    ('Mon', 'dimanche')
    """
    kind = "weekday_full" if full else "weekday"
    return {d: text(f"common.{kind}.{d}", locale) for d in WEEKDAYS}


class _WeekdayLabels(Mapping):
    """``WEEKDAY_LABELS[locale][day]``: the short weekday names, read from the catalogue."""

    def __getitem__(self, locale: str) -> dict[str, str]:
        return weekday_labels(locale)

    def __iter__(self):
        return iter(("fr", "en"))

    def __len__(self) -> int:
        return 2


WEEKDAY_LABELS = _WeekdayLabels()

__all__ = [
    "PROMOTER_MIN", "DETRACTOR_MAX", "CSAT_TOP2_MIN", "CSAT_VERY_UNHAPPY_MAX", "CES_EASY_MIN",
    "WEEKDAYS", "WEEKDAY_LABELS", "SYMBOLS", "weekday_labels", "locale_of",
    "promoter", "detractor", "passive", "csat_top2", "csat_very_unhappy", "very_unhappy", "happy",
    "ces_easy_min", "ces_easy", "present", "answered", "within", "short_abandon", "abandoned",
    "handle_time", "repeat_window_us", "EMAIL_WITHIN_S", "CHAT_WITHIN_S", "rests_on", "week_label", "week_text", "week_parts", "week_monday", "week_days", "days_covered", "DaySpan", "month_label",
    "month_parts", "month_text", "month_first", "calendar_text", "calendar_message", "date_label", "period_label",
    "period_bounds", "in_period",
    "is_fr", "format_value",
]


# -- survey rules --------------------------------------------------------------------

def promoter(nps):
    """NPS answer 9–10 (False when missing).

    >>> [bool(promoter(v)) for v in (8, 8.5, 9, 10)]
    [False, False, True, True]
    """
    return nps >= PROMOTER_MIN


def detractor(nps):
    """NPS answer 0–6 (False when missing).

    >>> [bool(detractor(v)) for v in (0, 6, 6.5, 7)]
    [True, True, False, False]
    """
    return nps <= DETRACTOR_MAX


def passive(nps):
    """NPS answer 7–8: neither promoter nor detractor (False when missing)."""
    return (nps > DETRACTOR_MAX) & (nps < PROMOTER_MIN)


def csat_top2(csat):
    """CSAT answer 4–5 on 1–5 (False when missing).

    >>> [bool(csat_top2(v)) for v in (3, 4, 5)]
    [False, True, True]
    """
    return csat >= CSAT_TOP2_MIN


def csat_very_unhappy(csat):
    """CSAT answer 1–2 on 1–5 (False when missing)."""
    return csat <= CSAT_VERY_UNHAPPY_MAX


def _is_expr(x) -> bool:
    """A DuckDB expression (``duckdb.ColumnExpression`` …): the rules then build its SQL."""
    return hasattr(x, "isnotnull")


def _arr(x) -> np.ndarray:
    if isinstance(x, (pd.Series, pd.Index)):
        return x.to_numpy(dtype="float64", na_value=np.nan)
    return np.asarray(x, dtype="float64")


def present(score):
    """Whether each answer has a score: not NaN (NumPy, Series: a boolean array), or
    ``IS NOT NULL`` (a DuckDB expression).

    >>> present([1.0, np.nan]).tolist()
    [True, False]
    """
    return score.isnotnull() if _is_expr(score) else ~np.isnan(_arr(score))


def _either(csat, nps, on_csat, on_nps):
    """Per answer: ``on_csat(csat)`` when it has a csat, else ``on_nps(nps)`` (False with neither;
    NULL, i.e. not counted, in SQL)."""
    if not _is_expr(csat):
        csat, nps = _arr(csat), _arr(nps)
    has_c = present(csat)
    return (has_c & on_csat(csat)) | (~has_c & on_nps(nps))


def very_unhappy(csat, nps):
    """Per answer: csat ≤ 2 when it has a csat, else nps ≤ 6 (a detractor); False with neither.
    NumPy arrays (a boolean array) or DuckDB expressions (the expression).

    >>> very_unhappy([1, 3, np.nan, np.nan], [10, 0, 6, 7]).tolist()
    [True, False, True, False]
    """
    return _either(csat, nps, csat_very_unhappy, detractor)


def happy(csat, nps):
    """Per answer: csat top-2 when it has a csat, else a promoter; False with neither.

    >>> happy([4, 3, np.nan, np.nan], [0, 10, 9, 8]).tolist()
    [True, False, True, False]
    """
    return _either(csat, nps, csat_top2, promoter)


def ces_easy_min(scale: int) -> int:
    """Smallest "easy" CES answer on a 1–``scale`` scale (5 on 1–7, 4 on 1–5).

    >>> ces_easy_min(7), ces_easy_min(5)
    (5, 4)
    """
    return CES_EASY_MIN[7] if scale == 7 else CES_EASY_MIN[5]


def ces_easy(ces, scale: int = 7):
    """CES answer counted as easy on its scale (False when missing).

    >>> [bool(ces_easy(v, 7)) for v in (4, 5)], [bool(ces_easy(v, 5)) for v in (3, 4)]
    ([False, True], [False, True])
    """
    return ces >= ces_easy_min(scale)


# -- contact rules --------------------------------------------------------------------

def answered(flag):
    """Whether each contact was answered: its ``answered`` flag is true; a missing flag (NA)
    is not answered. A boolean array, for a Series (nullable ``boolean`` or ``bool``) or an
    array; for a DuckDB expression, the expression ``COALESCE(flag, FALSE)`` (the out-of-core
    engine's SQL). The one definition the KPI engines (:mod:`cxtoolkit.kpis.contacts`,
    :mod:`cxtoolkit.outofcore`), staffing (:mod:`cxtoolkit.staffing`) and QA sampling count
    answered contacts by.

    >>> answered(pd.Series([True, None, False], dtype="boolean")).tolist()
    [True, False, False]
    """
    if _is_expr(flag):
        from duckdb import CoalesceOperator, ConstantExpression

        return CoalesceOperator(flag, ConstantExpression(False))
    if isinstance(flag, (pd.Series, pd.Index)):
        if flag.dtype == bool:
            return flag.to_numpy()
        return flag.astype("boolean").fillna(False).to_numpy(dtype=bool)
    arr = np.asarray(flag)
    return arr if arr.dtype == bool else pd.array(arr, dtype="boolean").fillna(False).to_numpy(dtype=bool)


def _num(x):
    return x if _is_expr(x) else _arr(x)


def within(wait, limit: float):
    """Whether each wait is at most ``limit`` seconds (``≤``: a wait of exactly the limit is
    within); a missing wait is never within. The one test of the service level (``wait ≤
    kpi.service_level_s``), the email (:data:`EMAIL_WITHIN_S`) and chat
    (:data:`CHAT_WITHIN_S`) response windows. A DuckDB expression gives its expression.

    >>> within([19.0, 20.0, 20.5, np.nan], 20).tolist()
    [True, True, False, False]
    """
    wait = _num(wait)
    return present(wait) & (wait <= limit)


def short_abandon(flag, wait, short_abandon_s: float):
    """A contact not :func:`answered` whose wait is known and **strictly** below
    ``short_abandon_s`` (``kpi.short_abandon_s``): a wait of exactly the threshold is not
    short; an unknown wait is not short (the call counts as offered). A DuckDB expression
    gives its expression (never NULL).

    >>> short_abandon([False, False, False, True], [4.9, 5.0, np.nan, 1.0], 5).tolist()
    [True, False, False, False]
    """
    wait = _num(wait)
    return ~answered(flag) & present(wait) & (wait < short_abandon_s)


def abandoned(flag, wait, short_abandon_s: float):
    """A contact not :func:`answered` and not a :func:`short_abandon`: an offered call lost.

    >>> abandoned([False, False, False, True], [4.9, 5.0, np.nan, 1.0], 5).tolist()
    [False, True, True, False]
    """
    return ~answered(flag) & ~short_abandon(flag, wait, short_abandon_s)


def handle_time(talk, hold, wrap):
    """Handling time of each contact: talk + hold + wrap, a missing part counting 0 s; missing
    (NaN, NULL) when none of the three is measured (an export without handling times gives no
    AHT, not 0 s). The one definition of the KPI AHT (both engines) and of staffing's.

    >>> handle_time([100.0, np.nan, np.nan], [20.0, 30.0, np.nan], [np.nan, 0.0, np.nan]).tolist()
    [120.0, 30.0, nan]
    """
    if _is_expr(talk):
        from duckdb import CaseExpression, CoalesceOperator, ConstantExpression

        def part(x):
            return CoalesceOperator(x, ConstantExpression(0.0))

        measured = present(talk) | present(hold) | present(wrap)
        return CaseExpression(measured, part(talk) + part(hold) + part(wrap))
    t, h, w = _arr(talk), _arr(hold), _arr(wrap)
    total = t + h + w
    gaps = np.flatnonzero(np.isnan(total) & ~(np.isnan(t) & np.isnan(h) & np.isnan(w)))
    if len(gaps):       # a measured contact with a part missing: that part is 0
        total[gaps] = np.nansum(np.vstack([t[gaps], h[gaps], w[gaps]]), axis=0)
    return total


def repeat_window_us(days: float) -> int:
    """The repeat window (``kpi.repeat_window_days``) in whole microseconds, the resolution of
    the timestamps of both engines: a contact of the same customer strictly later and at most
    this much later is a repeat (closed window, ``≤``).

    >>> repeat_window_us(7), repeat_window_us(0.1)
    (604800000000, 8640000000)
    """
    return int(round(float(days) * 86400 * 1_000_000))


def rests_on(inputs, assumed) -> bool:
    """Whether a figure whose value is made of the columns ``inputs`` rests on the ``assumed``
    ones (the constants a mapping made up, ``assumed:``): **any** input assumed, so it is not
    measured. ``inputs`` are the columns that enter the figure's value, not those that only
    choose the rows it is computed over (an assumed ``answered: true`` says every row of a
    log of handled contacts is answered: the mean wait of answered contacts stays measured,
    the answer rate does not). The one rule of the KPIs
    (:func:`cxtoolkit.kpis.registry.unmeasured`) and of the staffing figures
    (:func:`cxtoolkit.staffing.unmeasured`).

    >>> rests_on(("answered",), ["answered"]), rests_on(("csat", "nps"), ["csat"]), rests_on((), ["x"])
    (True, True, False)
    """
    return bool(set(inputs or ()) & set(assumed or ()))


# -- calendar labels ------------------------------------------------------------------

def _dates(values) -> pd.Series | pd.DatetimeIndex:
    if isinstance(values, pd.DatetimeIndex):
        return values
    if isinstance(values, pd.Series):
        return pd.to_datetime(values)
    return pd.DatetimeIndex(pd.to_datetime(values))


def week_label(values):
    """ISO week label ``YYYY-Www`` (``2026-W19``) of each date; missing stays missing.

    Returns a string Series for a Series (same index), else a string Index.

    >>> week_label(pd.DatetimeIndex(["2025-12-29", "2026-05-10"])).tolist()
    ['2026-W01', '2026-W19']
    """
    d = _dates(values)
    iso = d.isocalendar() if isinstance(d, pd.DatetimeIndex) else d.dt.isocalendar()
    out = iso["year"].astype("string") + "-W" + iso["week"].astype("string").str.zfill(2)
    if isinstance(d, pd.DatetimeIndex):
        return pd.Index(out.to_numpy(), dtype="string")
    return out.where(d.notna())


_WEEK_CODE = re.compile(r"^(\d{4})-W(\d{2})$")


def week_text(value, locale: str | None = "fr", start=None, end=None):
    """An ISO week code (:func:`week_label`, ``2026-W40``) as the reader reads it: ``sem. 40
    2026`` / ``wk 40 2026`` (inside a sentence's brackets too); any other value unchanged. The one label of a week in text,
    tables, chart axes and decks (the data, JSON and history keep the sortable code; a
    workbook writes the week's Monday, :func:`week_monday`).

    A week the period from ``start`` to ``end`` covers in part says its days
    (:func:`days_covered`): a trend's four-day week is not read as a full one.

    >>> week_text("2026-W40", "fr"), week_text("2026-W09", "en"), week_text("2026-05", "fr")
    ('sem. 40 2026', 'wk 9 2026', '2026-05')
    >>> week_text("2026-W40", "en", "2026-10-01", "2026-10-31"), week_text("2026-W44", "fr", "2026-10-01", "2026-10-31")
    ('wk 40 2026, Oct 1–4', 'sem. 44 2026, 26–31 oct.')
    """
    return calendar_text(value, locale, start=start, end=end) if week_parts(value) is not None else value


_MONTH_CODE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def month_parts(value) -> dict[str, int] | None:
    """``{"year", "month"}`` of a month code (:func:`month_label`, ``2026-10``), None for
    another value.

    >>> month_parts("2026-10"), month_parts("2026-13"), month_parts("2026-W10")
    ({'year': 2026, 'month': 10}, None, None)
    """
    m = _MONTH_CODE.match(value) if isinstance(value, str) else None
    return None if m is None else {"year": int(m.group(1)), "month": int(m.group(2))}


@dataclass(frozen=True)
class DaySpan:
    """The days a period covers of a week, said in a locale: ``1–4 oct.`` / ``Oct 1–4``,
    ``28 sept.–2 oct.`` (the month names of the catalogue's ``common.month_short``)."""
    first: _dt.date
    last: _dt.date

    def render(self, locale: str | None) -> str:
        loc = locale_of(locale)

        def month(d: _dt.date) -> str:
            return text(f"common.month_short.{d.month}", loc, year="").strip()

        if self.first == self.last:      # a one-day period: 26 oct., not 26–26 oct.
            return text("common.day_in_month", loc, day=self.first.day, month=month(self.first))
        if self.first.month == self.last.month:
            return text("common.days_in_month", loc, first=self.first.day, last=self.last.day, month=month(self.first))
        return text("common.days_across", loc, first=self.first.day, last=self.last.day,
                    month=month(self.first), month_last=month(self.last))


def _day(value) -> _dt.date | None:
    if value is None or value == "" or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def week_days(value, start=None, end=None) -> tuple[_dt.date, _dt.date] | None:
    """The first and last day of the ISO week ``value`` (``2026-W40``) inside the period from
    ``start`` to ``end`` (days, included; None or ``""``: open); None for another value.

    >>> week_days("2026-W40", "2026-10-01", "2026-10-31")
    (datetime.date(2026, 10, 1), datetime.date(2026, 10, 4))
    >>> week_days("2026-W41", "2026-10-01", "2026-10-31")[1], week_days("x")
    (datetime.date(2026, 10, 11), None)
    """
    monday = week_monday(value)
    if monday is None:
        return None
    first, last = monday, monday + _dt.timedelta(days=6)
    s, e = _day(start), _day(end)
    return max(first, s) if s else first, min(last, e) if e else last


def days_covered(value, start=None, end=None) -> int | None:
    """How many days of the ISO week ``value`` the period from ``start`` to ``end`` covers (7:
    a full week); None for another value. A week under 7 is partial: its volumes are not
    comparable with a full week's, and its label says its days (:func:`week_text`).

    >>> days_covered("2026-W40", "2026-10-01", "2026-10-31"), days_covered("2026-W44", "2026-10-01", "2026-10-31")
    (4, 6)
    >>> days_covered("2026-W42", "2026-10-01", "2026-10-31"), days_covered("2026-W42")
    (7, 7)
    """
    days = week_days(value, start, end)
    return None if days is None else max(0, (days[1] - days[0]).days + 1)


def calendar_message(value, short: bool = False, start=None, end=None) -> tuple[str, dict[str, Any]] | None:
    """The catalogue key and values that say a week code (``2026-W40``, ``common.week``) or a
    month code (``2026-10``, ``common.month.10`` / ``common.month_short.10``) to a reader; None
    for another value. A week the period from ``start`` to ``end`` covers in part says its days
    (``common.week_part``: ``sem. 40 2026, 1–4 oct.``, :func:`days_covered`). The one rule of
    :func:`week_text`, :func:`month_text` and of the findings that name a period
    (:mod:`cxtoolkit.kpis.commentary`).

    >>> calendar_message("2026-W09"), calendar_message("2026-10", short=True), calendar_message("x")
    (('common.week', {'year': 2026, 'week': 9}), ('common.month_short.10', {'year': 2026}), None)
    >>> calendar_message("2026-W40", start="2026-10-01", end="2026-10-31")[0]
    'common.week_part'
    """
    week = week_parts(value)
    if week is not None:
        n = days_covered(value, start, end)
        if n is not None and 0 < n < 7:
            return "common.week_part", {**week, "days": DaySpan(*week_days(value, start, end))}
        return "common.week", week
    month = month_parts(value)
    if month is None:
        return None
    return f"common.{'month_short' if short else 'month'}.{month['month']}", {"year": month["year"]}


def month_text(value, locale: str | None = "fr", short: bool = False):
    """A month code (:func:`month_label`, ``2026-10``) as the reader reads it: ``octobre 2026`` /
    ``October 2026``; ``short`` (a chart's axis): ``oct. 2026`` / ``Oct 2026``; any other value
    unchanged. The names are the catalogue's (``common.month``), never the machine's locale.
    The one label of a month in titles, text, tables, chart axes, decks and workbooks (the
    data, CSV, JSON and manifests keep the sortable code).

    >>> month_text("2026-10", "fr"), month_text("2026-02", "fr", short=True), month_text("2026-08", "en")
    ('octobre 2026', 'févr. 2026', 'August 2026')
    >>> month_text("2026-W40", "fr"), month_text("2026-Q1", "en")
    ('2026-W40', '2026-Q1')
    """
    said = calendar_message(value, short) if month_parts(value) is not None else None
    return value if said is None else text(said[0], locale_of(locale), **said[1])


def calendar_text(value, locale: str | None = "fr", short: bool = False, start=None, end=None):
    """A week code or a month code as the reader reads it (:func:`week_text`,
    :func:`month_text`), any other value unchanged: the label of a period a trend's axis,
    table or sentence shows; a week the period (``start``, ``end``) covers in part says its days.

    >>> calendar_text("2026-W40", "en"), calendar_text("2026-10", "fr"), calendar_text("mon", "fr")
    ('wk 40 2026', 'octobre 2026', 'mon')
    >>> calendar_text("2026-W40", "fr", start="2026-10-01", end="2026-10-31")
    'sem. 40 2026, 1–4 oct.'
    >>> calendar_text("2026-W44", "en", start="2026-10-01", end="2026-11-30"), calendar_text("2026-W40", "fr", start="2026-09-29", end="2026-10-02")
    ('wk 44 2026', 'sem. 40 2026, 29 sept.–2 oct.')
    """
    said = calendar_message(value, short, start, end)
    if said is None:
        return value
    loc = locale_of(locale)
    return text(said[0], loc, **{k: v.render(loc) if isinstance(v, DaySpan) else v for k, v in said[1].items()})


def month_first(value):
    """The first day of a month code (a ``datetime.date``), None for another value: a month's
    sortable value where its label is shown (``octobre 2026`` sorts after ``août 2026``).

    >>> month_first("2026-10"), month_first("2026-W40")
    (datetime.date(2026, 10, 1), None)
    """
    parts = month_parts(value)
    return None if parts is None else _dt.date(parts["year"], parts["month"], 1)


def week_parts(value) -> dict[str, int] | None:
    """``{"year", "week"}`` of an ISO week code (the values of the ``common.week`` text), None
    for another value.

    >>> week_parts("2026-W09"), week_parts("2026-09")
    ({'year': 2026, 'week': 9}, None)
    """
    m = _WEEK_CODE.match(value) if isinstance(value, str) else None
    return None if m is None else {"year": int(m.group(1)), "week": int(m.group(2))}


def week_monday(value):
    """The Monday of an ISO week code (a ``datetime.date``), None for another value.

    >>> week_monday("2026-W40"), week_monday("2026-W01"), week_monday("x")
    (datetime.date(2026, 9, 28), datetime.date(2025, 12, 29), None)
    """
    m = _WEEK_CODE.match(value) if isinstance(value, str) else None
    if m is None:
        return None
    try:
        return _dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError:
        return None


def _strf(values, fmt: str):
    d = _dates(values)
    if isinstance(d, pd.DatetimeIndex):
        return pd.Index(d.strftime(fmt), dtype="string")
    return d.dt.strftime(fmt).astype("string")


def month_label(values):
    """Month label ``YYYY-MM``.

    >>> month_label(pd.Series(pd.to_datetime(["2026-05-04"]))).tolist()
    ['2026-05']
    """
    return _strf(values, "%Y-%m")


def date_label(values):
    """Date label ``YYYY-MM-DD``."""
    return _strf(values, "%Y-%m-%d")


def period_label(values, freq: str):
    """Calendar label of ``freq`` (``week``, ``month`` or ``date``) for each date.

    >>> period_label(pd.Series(pd.to_datetime(["2026-05-04"])), "week").tolist()
    ['2026-W19']
    """
    if freq == "week":
        return week_label(values)
    if freq == "month":
        return month_label(values)
    if freq == "date":
        return date_label(values)
    raise ValueError(f"period label {freq!r}: use week, month or date")


def day_text(day, locale: str | None = "fr") -> str:
    """A day as the reader writes it: the catalogue's ``common.date`` pattern, ``31/10/2026``
    in French, ``2026-10-31`` in English (the day an English reader is shown everywhere: the
    pages' period line, the decks' and workbooks' days). The one rule of a day shown;
    :func:`parse_day` is its inverse.

    >>> day_text(_dt.date(2026, 10, 31), "fr"), day_text(_dt.date(2026, 10, 31), "en")
    ('31/10/2026', '2026-10-31')
    """
    return day.strftime(text("common.date", locale_of(locale)))


@dataclass(frozen=True)
class Day:
    """A day inside a message, written as the message's reader writes it (:func:`day_text`)."""
    day: _dt.date

    def render(self, locale: str | None) -> str:
        return day_text(self.day, locale)


def format_date(day, locale: str | None = "fr") -> str:
    """A day as the reader writes it (:func:`day_text`: 30/11/2026, 2026-11-30): the title
    lines of the decks and the ROI report.

    A day given as an ISO text (a period's bounds, ``2026-10-01``) is read first; any other
    text is shown as it is.

    >>> format_date(_dt.date(2026, 11, 30), "fr"), format_date(_dt.date(2026, 11, 30), "en")
    ('30/11/2026', '2026-11-30')
    >>> format_date("2026-10-01", "fr"), format_date("…", "fr")
    ('01/10/2026', '…')
    """
    if isinstance(day, str):
        try:
            day = _dt.date.fromisoformat(day.strip())
        except ValueError:
            return day
    return day_text(day, client_locale(locale))


def day_range(start, end, locale: str | None = "fr") -> str:
    """Two days as the reader writes them, ``…`` for an open end: a period's bounds in the
    titles and the pages' header line.

    >>> day_range("2026-10-01", "2026-10-31", "fr"), day_range(None, "2026-10-31", "en")
    ('01/10/2026 → 31/10/2026', '… → 2026-10-31')
    """
    return " → ".join(format_date(d, locale) if d else "…" for d in (start, end))


def audit_period_text(period: str | None, locale: str | None = "fr") -> str:
    """An audit's period code as the reader reads it (titles, the previous audit in the
    commentary): ``all`` (no --period) is "toutes les données", ``2026-01-01_end`` (--from
    only) "01/01/2026 → …" (:func:`day_range`); a month "octobre 2026" (:func:`month_text`);
    a quarter or year as is.

    >>> audit_period_text("all", "fr"), audit_period_text("start_2026-03-31", "en"), audit_period_text("2026-Q1", "fr")
    ('toutes les données', '… → 2026-03-31', '2026-Q1')
    >>> audit_period_text("2026-10", "fr"), audit_period_text("2026-02", "en")
    ('octobre 2026', 'February 2026')
    >>> audit_period_text("2026-01-01_end", "fr"), audit_period_text("2026-01-01_2026-03-31", "fr")
    ('01/01/2026 → …', '01/01/2026 → 31/03/2026')
    """
    p = str(period or "")
    if p == "all":
        return text("common.period_all", client_locale(locale))
    start, sep, end = p.partition("_")
    if sep and start and end:
        return day_range(None if start == "start" else start, None if end == "end" else end, locale)
    return month_text(p, client_locale(locale))


@dataclass(frozen=True)
class AuditPeriod:
    """An audit's period inside a message, said as its reader reads it (:func:`audit_period_text`)."""
    code: str

    def render(self, locale: str | None) -> str:
        return audit_period_text(self.code, locale)


def parse_day(typed: Any, locale: str | None = "fr", *, lo: _dt.date | None = None,
              hi: _dt.date | None = None) -> _dt.date:
    """The day a person typed in an app field, read as :func:`day_text` writes it in
    ``locale`` — the inverse of the page's own format, as :func:`parse_value` is for numbers.

    French ``31/10/2026`` (``1/2/2028`` too), English ``2026-10-31``; the ISO day
    ``2026-10-31`` is read in French too (what the data and the command line write). A day
    that does not exist (``31/02/2026``), another form (``10/31/2026`` in English: never
    guessed), empty, or outside ``[lo, hi]``: :class:`~cxtoolkit.errors.InputError` whose
    message says why in the locale it is rendered in, to show after the field's label — a
    day is refused, never clipped to the bounds (the apps' period fields,
    :mod:`cxtoolkit.apps.typed`). A ``datetime.date`` is checked against the bounds only.

    >>> parse_day("31/10/2026", "fr"), parse_day("2026-10-31", "fr"), parse_day(" 2028-02-29 ", "en")
    (datetime.date(2026, 10, 31), datetime.date(2026, 10, 31), datetime.date(2028, 2, 29))
    >>> parse_day("31/02/2026", "fr")
    Traceback (most recent call last):
    ...
    cxtoolkit.errors.InputError: '31/02/2026' is not a date (e.g. 2026-10-31)
    >>> try:
    ...     parse_day("01/12/2026", "fr", lo=_dt.date(2026, 9, 1), hi=_dt.date(2026, 10, 31))
    ... except InputError as exc:
    ...     print(exc.render("fr"))
    doit être entre 01/09/2026 et 31/10/2026, reçu 01/12/2026
    """
    if isinstance(typed, _dt.datetime):
        day = typed.date()
    elif isinstance(typed, _dt.date):
        day = typed
    else:
        shown = "" if typed is None else str(typed).strip()
        if not shown:
            raise InputError("typed_number.empty")
        day = None
        for pattern in dict.fromkeys((text("common.date", locale_of(locale)), "%Y-%m-%d")):
            try:
                day = _dt.datetime.strptime(shown, pattern).date()
                break
            except ValueError:
                continue
        if day is None:
            raise InputError("typed_date.not_a_date", value=shown[:40], example=Day(_dt.date(2026, 10, 31)))
    if (lo is not None and day < lo) or (hi is not None and day > hi):
        raise InputError("typed_number.range", lo=Day(lo) if lo else "…", hi=Day(hi) if hi else "…", value=Day(day))
    return day


# -- period ---------------------------------------------------------------------------

def _bound(value, end: bool, tz: str | None, locale: str | None) -> pd.Timestamp | None:
    if value is None or value == "":
        return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise InputError("error.rules.end_not_a_date" if end else "error.rules.start_not_a_date", value=repr(value)) from None
    if ts.tzinfo is not None:
        # an instant (UTC offset or Z): the data's timestamps are the centre's local times
        # (data contract; the io layer converts offsets in the files to the client's zone)
        if tz is None:
            raise InputError("error.rules.end_offset_without_tz" if end else "error.rules.start_offset_without_tz",
                             value=repr(value))
        ts = ts.tz_convert(tz).tz_localize(None)
    if not end:
        return ts
    if ts == ts.normalize() and not (isinstance(value, str) and ":" in value):
        return ts + pd.Timedelta(days=1)    # an end date includes its whole day
    return ts + pd.Timedelta(microseconds=1)  # an end instant is included


def period_bounds(start=None, end=None, tz: str | None = None,
                  locale: str | None = None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The period from ``start`` to ``end`` included (``--from`` / ``--to``; dates, or
    timestamps) as the half-open ``(t0, t1)`` that :func:`in_period` tests; None: no bound.

    The bounds are naive local times of the contact centre, as the data's timestamps
    (docs/data-contract.md). A timestamp with a UTC offset (``2026-03-15T00:00:00+02:00``,
    ``…Z``) is an instant: it is converted to ``tz``, the client's time zone
    (:meth:`cxtoolkit.config.ClientConfig.time_zone`), as the io layer converts the files'
    offsets; without ``tz`` it cannot be placed on the centre's clock: one-line
    :class:`~cxtoolkit.errors.InputError` in ``locale``.

    >>> period_bounds("2026-05-01", "2026-05-31")
    (Timestamp('2026-05-01 00:00:00'), Timestamp('2026-06-01 00:00:00'))
    >>> period_bounds(None, "2026-05-31 12:00")
    (None, Timestamp('2026-05-31 12:00:00.000001'))
    >>> period_bounds("2026-03-15T00:00:00+02:00", None, tz="Europe/Paris")
    (Timestamp('2026-03-14 23:00:00'), None)
    """
    return _bound(start, False, tz, locale), _bound(end, True, tz, locale)


def in_period(ts, t0=None, t1=None):
    """Whether each timestamp is in the period ``(t0, t1)`` of :func:`period_bounds`:
    ``t0 <= ts < t1`` (None when neither bound is given). Works on anything with ``>=``, ``<``
    and ``&``: a Series (a boolean mask), a scalar, or a DuckDB expression (its SQL).

    >>> t0, t1 = period_bounds("2026-05-01", "2026-05-31")
    >>> ts = pd.Series(pd.to_datetime(["2026-04-30 23:59", "2026-05-31 23:59", "2026-06-01 00:00"]))
    >>> in_period(ts, t0, t1).tolist()
    [False, True, False]
    """
    keep = None
    if t0 is not None:
        keep = ts >= t0
    if t1 is not None:
        keep = ts < t1 if keep is None else keep & (ts < t1)
    return keep


# -- value formatting -----------------------------------------------------------------

#: Decimals of :func:`excel_format` by unit, as :func:`format_value` writes them (else none).
_EXCEL_DECIMALS = {"ratio": 1, "hours": 1, "score": 2, "nps": 1, "half_width": 1}
#: Excel's locale ids (LCID, hex) of the month names a ``month`` cell shows: French (France),
#: English (United Kingdom). The LCID form ``[$-40C]`` is the one both Excel and LibreOffice
#: read (LibreOffice 7 shows a ``[$-fr-FR]`` format as a bare number).
_EXCEL_LCID = {"fr": "40C", "en": "809"}


def excel_format(unit: str, locale: str | None = "fr", decimals: int | None = None) -> str:
    """:func:`format_value`'s rule as an Excel number format (the KPI workbook's cells, the
    deck's chart axes and labels): thousands grouped, seconds and hours with their unit, the
    NPS signed, a half-width (``half_width``) with its ``±``, French ``%`` after a space; the
    separators are the reader's Excel or PowerPoint locale's. ``decimals``: else the unit's.

    ``month``: a month held as its first day (:func:`month_first`, a real date: it sorts and
    computes) shown by its name in the locale's words, whatever the reader's Excel language
    (``octobre 2026`` / ``October 2026``, as :func:`month_text`).

    >>> excel_format("ratio", "fr"), excel_format("ratio", "en", 0), excel_format("seconds", "fr")
    ('0.0 %', '0%', '0" s"')
    >>> excel_format("count", "fr"), excel_format("nps", "en"), excel_format("half_width", "fr")
    ('#,##0', '+0.0;-0.0;0.0', '"±"0.0')
    >>> excel_format("month", "fr"), excel_format("month", "en")
    ('[$-40C]mmmm yyyy', '[$-809]mmmm yyyy')
    """
    if unit == "month":
        return f"[$-{_EXCEL_LCID['fr' if is_fr(locale) else 'en']}]mmmm yyyy"
    n = _EXCEL_DECIMALS.get(unit, 0) if decimals is None else decimals
    dec = "." + "0" * n if n else ""
    if unit == "ratio":
        return f"0{dec}" + (" %" if is_fr(locale) else "%")
    if unit == "seconds":
        return f'0{dec}" s"'
    if unit == "hours":
        return f'#,##0{dec}" h"'
    if unit == "nps":
        return f"+0{dec};-0{dec};0{dec}"
    if unit == "half_width":
        return f'"±"0{dec}'
    if unit in ("score", "index"):
        return f"0{dec}"
    return f"#,##0{dec}"


def _missing(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def _fixed(v: float, decimals: int, spec: str = "") -> str:
    """``v`` with ``decimals`` digits, a half rounded away from zero on the value as written
    to 15 significant digits — as a person and Excel's number formats round (81.25 % →
    81.3 %, 32.5 s → 33 s), where Python's format rounds the binary value to even (81.2 %,
    32 s). ``spec``: the format's flags (``+``, ``,``).

    A value that reads zero at ``decimals`` is written without a sign (``0.0``, never ``-0.0``
    nor ``+0.0``): a tiny negative is not a loss, a tiny change not a rise.

    >>> _fixed(81.25, 1), _fixed(32.5, 0), _fixed(-5.25, 1, "+"), _fixed(100 * 0.8135, 1), _fixed(1234.5, 0, ",")
    ('81.3', '33', '-5.3', '81.4', '1,235')
    >>> _fixed(-0.04, 1), _fixed(0.04, 1, "+"), _fixed(-0.4, 0), _fixed(-0.0, 2)
    ('0.0', '0.0', '0', '0.00')
    """
    if not math.isfinite(v):
        return f"{v:{spec}.{decimals}f}"
    d = Decimal(f"{v:.15g}")
    # as many digits as the value has (1e30: 31; Decimal's default context holds 28)
    d = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP,
                   context=Context(prec=max(28, d.adjusted() + decimals + 2)))
    if d.is_zero():
        d, spec = abs(d), spec.replace("+", "")
    return f"{d:{spec}.{decimals}f}"


def _grouped(v: float, decimals: int, fr: bool) -> str:
    s = _fixed(abs(v), decimals, ",")
    return s.replace(",", NNBSP).replace(".", ",") if fr else s


def format_value(value: Any, unit: str, locale: str | None = "fr", half_width: bool = False, *,
                 decimals: int | None = None, currency: str = "EUR", signed: bool = False) -> str:
    """Human format of a value by its unit: ``85,3 %`` / ``85.3%``, ``42 s``, ``+12,0``,
    ``1 234`` / ``1,234``, ``36 000 €`` / ``€36,000``; ``–`` when undefined.

    The one number format of the index page, the notebooks, the commentary, the CLI, the
    ROI and staffing pages and the decks. Units are the registry's (``ratio``, ``seconds``,
    ``hours``, ``nps``, ``score``, ``count``, ``bool`` — oui / non) plus ``money`` (in ``currency``; ``decimals``
    default 0, or 2 for a small amount with cents), ``number`` (``decimals`` default 1,
    ``signed`` writes the ``+``), and the report tables' ``multiple`` (a lift ``1,85×``) and
    ``pvalue`` (two decimals, ``< 0,01`` below) and ``index`` (an index out of 100, whole: the
    friction index ``44``);
    ``decimals`` also sets the digits of a ``ratio`` (default 1); ``half_width`` shows an
    interval half-width as ``±6,1``.

    >>> format_value(None, "ratio"), format_value(12.0, "nps", "en"), format_value(1234, "count", "en")
    ('–', '+12.0', '1,234')
    >>> format_value(1234, "count", "fr"), format_value(42.4, "seconds", "fr"), format_value(2.5, "hours", "fr")
    ('1\\u202f234', '42 s', '2,5 h')
    >>> format_value(36000, "money", "fr"), format_value(-1234.6, "money", "en", currency="USD")
    ('36\\u202f000\\xa0€', '-$1,235')
    >>> format_value(0.256, "ratio", "en", decimals=0), format_value(2.345, "number", "fr")
    ('26%', '2,3')
    >>> format_value(1.846, "multiple", "en"), format_value(0.004, "pvalue", "fr"), format_value(0.2, "pvalue", "fr")
    ('1.85×', '< 0,01', '0,20')
    >>> format_value(44.2, "index", "fr")
    '44'
    """
    if _missing(value):
        return "–"
    if isinstance(value, (bool, np.bool_)):
        return text("common.yes" if value else "common.no", locale)
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(v) or math.isinf(v):   # an infinite rate or mean says nothing to a reader: undefined
        return "–"
    if unit == "bool":   # a yes/no KPI (too_few) held as 1.0 / 0.0 in a frame of numbers
        return text("common.yes" if v else "common.no", locale)
    fr = is_fr(locale)
    if unit == "money":
        if decimals is None:
            decimals = 2 if abs(v) < 100 and round(v, 2) != round(v) else 0
        sym = SYMBOLS.get(str(currency).upper(), str(currency).upper())
        sign = "-" if float(_fixed(v, decimals)) < 0 else ""
        n = _grouped(v, decimals, fr)
        if fr or (len(sym) > 1 and sym.isalpha()):
            return f"{sign}{n}\u00a0{sym}"
        return f"{sign}{sym}{n}"
    if unit == "ratio":
        s = _fixed(100 * v, 1 if decimals is None else decimals) + (" %" if fr else "%")
    elif unit == "seconds":
        s = _fixed(v, 0) + " s"
    elif unit == "hours":
        s = _fixed(v, 1) + " h"
    elif unit == "nps" and half_width:
        s = "±" + _fixed(v, 1)
    elif unit == "nps":
        s = _fixed(v, 1, "+")
    elif unit == "score":
        s = _fixed(v, 2)
    elif unit == "index":
        s = _fixed(v, 0)
    elif unit == "number":
        s = _fixed(v, 1 if decimals is None else decimals, "+" if signed else "")
    elif unit == "multiple":
        s = _fixed(v, 2) + "×"
    elif unit == "pvalue":
        s = "< 0.01" if v < 0.01 else _fixed(v, 2)
    else:
        if float(_fixed(v, 0)) == 0:
            v = 0.0
        return ("-" if v < 0 else "") + _grouped(v, 0, fr)
    return s.replace(".", ",") if fr else s


_TYPED_GROUPED_EN = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")
_TYPED_GROUPED_DOTS = re.compile(r"^\d{1,3}(\.\d{3}){2,}(,\d*)?$|^\d{1,3}(\.\d{3})+,\d*$")


def parse_value(typed: Any, unit: str = "number", locale: str | None = "fr", *, currency: str = "EUR",
                lo: float | None = None, hi: float | None = None, whole: bool = False) -> float:
    """The number a person typed in an app field, read as :func:`format_value` writes it in
    ``locale`` — the inverse of the page's own format, so a value shown can be typed back.

    French: decimal comma or point, spaces (or ``.`` in ``1.234.567``) between thousands;
    English: decimal point, commas between thousands (``12,345.6``; ``12,5`` is refused as
    ambiguous). Spaces, a leading ``+`` / ``−``, ``1e9``, the currency's symbol and, for a
    ``ratio``, ``%`` are accepted; a ``ratio`` is typed in percent (``85`` or ``85 %`` →
    0.85). Not a number, empty, infinite, outside ``[lo, hi]`` (in the value's unit: 0 and 1 for
    a rate typed 0–100 %), not whole with ``whole``: :class:`~cxtoolkit.errors.InputError`
    whose message (``typed_number.*``) says why in ``locale``, to show after the field's label
    — a value is refused, never clipped to the bounds (the apps' fields, :mod:`cxtoolkit.apps.typed`).

    >>> parse_value("12,5", "money", "fr"), parse_value("12 345,6 €", "money", "fr"), parse_value("0.05", "money", "fr")
    (12.5, 12345.6, 0.05)
    >>> parse_value("85,5 %", "ratio", "fr"), parse_value("12,345.6", "number", "en"), parse_value("1e9", "number", "en")
    (0.855, 12345.6, 1000000000.0)
    >>> parse_value("12,5", "number", "en")
    Traceback (most recent call last):
    ...
    cxtoolkit.errors.InputError: '12,5' is not a number (e.g. 1,234.5)
    >>> try:
    ...     parse_value("1,2,3", "money", "fr")
    ... except InputError as exc:
    ...     print(exc.render("fr"))
    « 1,2,3 » n'est pas un nombre (exemple : 1\u202f234,5)
    >>> parse_value("150", "ratio", "en", lo=0, hi=1)
    Traceback (most recent call last):
    ...
    cxtoolkit.errors.InputError: must be between 0 and 100%, got 150
    >>> try:
    ...     parse_value("-200", "number", "fr", lo=-180, hi=180)
    ... except InputError as exc:
    ...     print(exc.render("fr"))
    doit être entre -180 et 180, reçu -200
    """
    v = _typed_number(typed, unit, locale, currency)
    shown = str(typed).strip()
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        def bound(b, with_unit):
            if b is None:
                return "…"
            if unit == "ratio":
                return format_value(b, "ratio", locale, decimals=0) if with_unit else format_value(100 * b, "number", locale, decimals=0)
            return format_value(b, "number", locale, decimals=0 if float(b).is_integer() else 1)
        raise InputError("typed_number.range", lo=bound(lo, False), hi=bound(hi, True), value=shown)
    if whole and not float(v).is_integer():
        raise InputError("typed_number.whole", value=shown)
    return v


def _typed_number(typed: Any, unit: str, locale: str | None, currency: str) -> float:
    """:func:`parse_value` without its bounds."""
    if isinstance(typed, (int, float, np.integer, np.floating)) and not isinstance(typed, (bool, np.bool_)):
        v = float(typed)
        if not math.isfinite(v):
            raise InputError("typed_number.not_a_number", value=str(typed))
        return v / 100 if unit == "ratio" else v
    raw = "" if typed is None else str(typed)
    s = re.sub(r"[\s\u00a0\u202f']", "", raw).replace("\u2212", "-")
    if unit == "ratio":
        s = s.removesuffix("%")
    sym = SYMBOLS.get(str(currency).upper(), str(currency).upper())
    for token in (sym, str(currency).upper()):
        s = s.removesuffix(token).removeprefix(token)
        s = re.sub(rf"^([+-]){re.escape(token)}", r"\1", s)
    if not s:
        raise InputError("typed_number.empty")
    body = s.lstrip("+-")
    if is_fr(locale):
        if _TYPED_GROUPED_DOTS.match(body):                 # 1.234.567 / 1.234,5
            s = s.replace(".", "")
        if s.count(",") == 1 and "." not in s:
            s = s.replace(",", ".")
    elif _TYPED_GROUPED_EN.match(body):                      # 12,345.6
        s = s.replace(",", "")
    try:
        if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", s):
            raise ValueError(s)
        v = float(s)
    except ValueError:
        raise InputError("typed_number.not_a_number", value=raw.strip()) from None
    if not math.isfinite(v):
        raise InputError("typed_number.not_a_number", value=raw.strip())
    return v / 100 if unit == "ratio" else v
