"""Audit periods and the validated parameters handed to the notebooks.

A period is what a consultant types: ``2026-10`` (a month), ``2026-Q3`` (a quarter),
``2026`` (a year), or explicit ``--from``/``--to`` dates. It becomes an inclusive date
range and a folder label (``reports/<client>/<label>/``). Nothing given means all data
(label ``all``).

Notebook parameters are validated by :class:`NotebookParams` before any notebook runs,
and Papermill writes them as Python literals: no user text is ever pasted into code.

Examples
--------
>>> parse_period("2026-02")
Period(label='2026-02', start='2026-02-01', end='2026-02-28')
>>> parse_period("2026-Q4").end
'2026-12-31'
>>> parse_period(start="2026-01-15", end="2026-03-31").label
'2026-01-15_2026-03-31'
>>> parse_period().label
'all'
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from cxtoolkit.config import check_slug
from cxtoolkit.errors import FieldErrors, FieldValueError, InputError

#: Parameter names the toolkit's notebooks may declare (docs/architecture.md).
STANDARD_PARAMS = ("client", "client_data", "period_start", "period_end", "segment", "locale", "out_dir",
                   "results_dir")


@dataclass(frozen=True)
class Period:
    """An inclusive date range and its folder label (ISO dates, ``""`` = open end)."""

    label: str
    start: str = ""
    end: str = ""


def _iso(value: str | date | None, what: str) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise InputError("error.audit.iso_date_yyyy", what=what, value=repr(value)) from None


def parse_period(period: str | None = None, start: str | date | None = None,
                 end: str | date | None = None) -> Period:
    """Turn ``--period`` or ``--from/--to`` into a :class:`Period`.

    >>> parse_period("2024-02").end
    '2024-02-29'
    >>> parse_period("2026")
    Period(label='2026', start='2026-01-01', end='2026-12-31')
    >>> parse_period("2026-13")
    Traceback (most recent call last):
    ...
    cxtoolkit.errors.InputError: --period '2026-13': expected YYYY-MM, YYYY-Qn or YYYY
    """
    if period and (start or end):
        raise InputError("error.audit.period_cannot_combined")
    if period:
        p = str(period).strip()
        m = re.fullmatch(r"(\d{4})-(\d{2})", p)
        if m and 1 <= int(m.group(2)) <= 12:
            y, mo = int(m.group(1)), int(m.group(2))
            last = calendar.monthrange(y, mo)[1]
            return Period(p, date(y, mo, 1).isoformat(), date(y, mo, last).isoformat())
        m = re.fullmatch(r"(\d{4})-[Qq]([1-4])", p)
        if m:
            y, q = int(m.group(1)), int(m.group(2))
            m1, m3 = 3 * q - 2, 3 * q
            last = calendar.monthrange(y, m3)[1]
            return Period(f"{y}-Q{q}", date(y, m1, 1).isoformat(), date(y, m3, last).isoformat())
        m = re.fullmatch(r"(\d{4})", p)
        if m:
            y = int(p)
            return Period(p, f"{y}-01-01", f"{y}-12-31")
        raise InputError("error.audit.expected_yyyy_mm", period=repr(period))
    s, e = _iso(start, "--from"), _iso(end, "--to")
    if s and e and e < s:
        raise InputError("error.audit.before", e=e, s=s)
    if not s and not e:
        return Period("all")
    return Period(f"{s or 'start'}_{e or 'end'}", s, e)


class NotebookParams(BaseModel):
    """The standard notebook parameters, validated before they reach any notebook.

    >>> NotebookParams(client="acme", period_start="2026-01-01").period_start
    '2026-01-01'
    >>> validate_params(client="../etc")
    Traceback (most recent call last):
    ...
    cxtoolkit.errors.InputError: audit parameters: client: Value error, client slug '../etc' must match [a-z0-9-]+
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    client: str
    client_data: str = ""
    period_start: str = ""
    period_end: str = ""
    segment: str = Field("", max_length=200, pattern=r"^[\w\s\-.:/=,&'()]*$")
    locale: Literal["", "fr", "en"] = ""
    out_dir: str = Field("", max_length=4096)
    results_dir: str = Field("", max_length=4096)   # the audit's results set (empty: compute live)

    @field_validator("client")
    @classmethod
    def _slug(cls, v: str) -> str:
        return check_slug(v)

    @field_validator("period_start", "period_end")
    @classmethod
    def _date(cls, v: str) -> str:
        if v:
            date.fromisoformat(v)
        return v

    @field_validator("client_data", "out_dir", "results_dir")
    @classmethod
    def _path(cls, v: str) -> str:
        if "\x00" in v or "\n" in v:
            raise FieldValueError("error.setting.control_chars")
        return v


def validate_params(**values) -> NotebookParams:
    """Build :class:`NotebookParams`, turning validation errors into one-line InputErrors."""
    try:
        return NotebookParams(**values)
    except ValidationError as exc:
        raise InputError("error.audit.invalid_parameters", msgs=FieldErrors(exc.errors())) from None


def select_params(params: NotebookParams, declared: dict | list | tuple) -> dict:
    """Only the parameters a notebook declares (by name), as plain values.

    >>> select_params(NotebookParams(client="acme"), {"client": {}, "other": {}})
    {'client': 'acme'}
    """
    names = set(declared)
    return {k: v for k, v in params.model_dump().items() if k in names}
