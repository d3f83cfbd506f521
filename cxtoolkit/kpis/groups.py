"""Group keys and time slicers of the KPI engine: an integer group code per row.

A ``by`` is a column (``segment``, ``agent_id``, ``country``…), a time slicer — ``hour``
(0–23), ``weekday`` (``mon``…``sun``), ``week`` (ISO week ``2026-W18``, :func:`cxtoolkit.rules.week_label`),
``month`` (``2026-05``), ``date`` (``2026-05-04``) — or a list of them for two-way cuts.
Slicer names take precedence over columns of the same name; missing segment values are
grouped under ``"(missing)"``. The contact and survey KPIs (:mod:`cxtoolkit.kpis.contacts`,
:mod:`cxtoolkit.kpis.surveys`) and the engine (:mod:`cxtoolkit.kpis.engine`) all cut with
:func:`group_codes`; this module imports none of them.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxtoolkit.calendar import NS_PER_DAY, datetime_ns
from cxtoolkit.config import DAYS
from cxtoolkit.errors import InputError
from cxtoolkit.rules import period_label

SLICERS = ("hour", "weekday", "week", "month", "date")
MISSING = "(missing)"
NS_PER_HOUR = NS_PER_DAY // 24

__all__ = ["SLICERS", "MISSING", "Groups", "normalize_by", "group_codes", "calendar_order"]


class Groups:
    """Integer group code per row (``codes``) and the index labelling each code."""

    __slots__ = ("codes", "index")

    def __init__(self, codes: np.ndarray, index: pd.Index):
        self.codes = codes
        self.index = index

    @property
    def n(self) -> int:
        return len(self.index)


def normalize_by(by: str | Sequence[str] | None) -> list[str]:
    """The keys of a ``by`` argument as a list (``None`` or ``""``: no key).

    >>> normalize_by(None), normalize_by("hour"), normalize_by(("weekday", "hour"))
    ([], ['hour'], ['weekday', 'hour'])
    """
    if by is None:
        return []
    if isinstance(by, str):
        return [by] if by else []
    return [str(b) for b in by]


def calendar_order(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a ``weekday`` index level in calendar order, Monday first (an outer join
    or a ``groupby`` sorts the labels alphabetically: fri, mon, sat…); other frames unchanged.

    >>> f = pd.DataFrame({"x": [1, 2, 3]}, index=pd.Index(["fri", "mon", "sun"], name="weekday"))
    >>> calendar_order(f).index.tolist()
    ['mon', 'fri', 'sun']
    """
    if "weekday" not in frame.index.names:
        return frame
    rank = {d: i for i, d in enumerate(DAYS)}
    return frame.sort_index(key=lambda level: level.map(rank) if level.name == "weekday" else level)


def _sorted_codes(codes: np.ndarray, uniques: np.ndarray | list) -> tuple[np.ndarray, list]:
    """Relabel factorize codes so that the labels are sorted (when they can be)."""
    uniques = list(uniques)
    try:
        order = sorted(range(len(uniques)), key=lambda i: uniques[i])
    except TypeError:
        return codes, uniques
    rank = np.empty(len(uniques) + 1, dtype=np.int64)
    rank[order] = np.arange(len(uniques))
    rank[-1] = -1  # NA stays NA
    return rank[codes], [uniques[i] for i in order]


def _column_codes(s: pd.Series) -> tuple[np.ndarray, list]:
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy().astype(np.int64)
        uniques = list(s.cat.categories)
    else:
        codes, uniq = pd.factorize(s, use_na_sentinel=True)
        codes, uniques = _sorted_codes(codes.astype(np.int64), np.asarray(uniq, dtype=object))
    if (codes < 0).any():
        codes = np.where(codes < 0, len(uniques), codes)
        uniques = uniques + [MISSING]
    return codes, uniques


def _day_codes(ns: np.ndarray, fmt: str) -> tuple[np.ndarray, list]:
    """Codes of a calendar label (week/month/date) computed per distinct day, not per row."""
    if len(ns) == 0:
        return np.zeros(0, dtype=np.int64), []
    day = ns // NS_PER_DAY
    dmin, dmax = int(day.min()), int(day.max())
    days = pd.DatetimeIndex(np.arange(dmin, dmax + 1).astype("datetime64[D]"))
    labels = np.asarray(period_label(days, fmt), dtype=object)
    lab_codes, uniq = pd.factorize(labels)  # labels are already in calendar order
    return lab_codes.astype(np.int64)[day - dmin], [str(u) for u in uniq]


def _slicer_codes(name: str, ns: np.ndarray) -> tuple[np.ndarray, list]:
    if name == "hour":
        tod = ns - (ns // NS_PER_DAY) * NS_PER_DAY
        return (tod // NS_PER_HOUR).astype(np.int64), list(range(24))
    if name == "weekday":
        return ((ns // NS_PER_DAY + 3) % 7).astype(np.int64), list(DAYS)
    return _day_codes(ns, name)


def group_codes(frame: pd.DataFrame, by: str | Sequence[str] | None, time_col: str,
                what: str = "data", ns: np.ndarray | None = None) -> Groups:
    """Group code per row of ``frame`` for ``by`` (column(s) and/or time slicers).

    Only observed groups (or combinations) are kept, in sorted / calendar order.

    >>> f = pd.DataFrame({"team": ["b", "a", "b"],
    ...                   "received_at": pd.to_datetime(["2026-05-04 09:10", "2026-05-04 10:00", "2026-05-11 09:59"])})
    >>> g = group_codes(f, ["team", "hour"], "received_at")
    >>> g.codes.tolist(), g.index.tolist()
    ([1, 0, 1], [('a', 10), ('b', 9)])
    >>> group_codes(f, "week", "received_at").index.tolist()
    ['2026-W19', '2026-W20']
    """
    keys = normalize_by(by)
    n = len(frame)
    if not keys:
        return Groups(np.zeros(n, dtype=np.int64), pd.Index(["overall"]))
    parts = []
    for key in keys:
        if key in SLICERS:
            if ns is None:
                if time_col not in frame.columns:
                    raise InputError("error.kpis.column_slice", what=what, time_col=time_col, key_=key)
                ns = datetime_ns(frame[time_col])
            parts.append(_slicer_codes(key, ns))
        elif key in frame.columns:
            parts.append(_column_codes(frame[key]))
        else:
            cols = ", ".join(str(c) for c in frame.columns)
            raise InputError(
                "error.kpis.such_column_available",
                             key_=repr(key),
                             what=what,
                             cols=cols,
                             value=', '.join(SLICERS))
    codes = parts[0][0]
    sizes = [max(len(p[1]), 1) for p in parts]
    for (c, _), size in zip(parts[1:], sizes[1:]):
        codes = codes * size + c
    total = int(np.prod(sizes))
    counts = np.bincount(codes, minlength=total) if n else np.zeros(total, dtype=np.int64)
    observed = np.flatnonzero(counts)
    if len(observed) < total:
        remap = np.full(total, -1, dtype=np.int64)
        remap[observed] = np.arange(len(observed))
        codes = remap[codes]
    if len(parts) == 1:
        labels = [parts[0][1][i] for i in observed]
        index = pd.Index(labels, name=keys[0])
    else:
        tuples = []
        for flat in observed:
            idx, rest = [], int(flat)
            for size in reversed(sizes):
                idx.append(rest % size)
                rest //= size
            idx.reverse()
            tuples.append(tuple(parts[j][1][i] for j, i in enumerate(idx)))
        index = pd.MultiIndex.from_tuples(tuples, names=keys) if tuples else \
            pd.MultiIndex.from_arrays([[] for _ in keys], names=keys)
    return Groups(codes, index)
