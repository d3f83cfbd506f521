"""Vectorised parsers from raw cells (strings as read, or typed Parquet/Excel columns)
to canonical dtypes.

Each parser returns ``(values, bad)``: the parsed Series (NaN/NaT/NA where empty or
unparseable) and a boolean mask of cells that were *not empty* but could not be parsed.
Empty cells are never "bad" here; whether they are allowed is the validator's business.

Examples
--------
>>> import pandas as pd
>>> v, bad = parse_duration(pd.Series(["12", "1:02:03", "02:30", "12,5", "", "abc"]))
>>> v.tolist()[:4], bad.tolist()
([12.0, 3723.0, 150.0, 12.5], [False, False, False, False, False, True])
>>> v, bad = parse_datetime(pd.Series(["2024-03-01T08:15:00", "05/03/2024 09:30", "31/02/2024 10:00"]))
>>> [str(x) for x in v], bad.tolist()
(['2024-03-01 08:15:00', '2024-03-05 09:30:00', 'NaT'], [False, False, True])
"""
from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

from cxtoolkit.schemas import FALSE_WORDS, TRUE_WORDS, Column

#: Day-first formats tried after ISO 8601, in this order.
DAYFIRST_FORMATS = (
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y",
    "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y",
    "%d/%m/%y %H:%M:%S", "%d/%m/%y %H:%M", "%d/%m/%y",
)
#: ... and month-first, used instead for a column that shows it (a middle part above 12, no
#: first part above 12: ``04/22/2015``)
MONTHFIRST_FORMATS = tuple(f.replace("%d", "%_").replace("%m", "%d").replace("%_", "%m") for f in DAYFIRST_FORMATS)
_TZ_SUFFIX = r"(?:Z|[+-]\d{2}:?\d{2})$"
#: a UTC offset follows a time (``09:00+01:00``): the end of a date ``22-04-2015`` is no offset
_TIME_BEFORE = r"\d:\d\d(?::\d\d(?:[.,]\d+)?)?" + _TZ_SUFFIX
_DAY_MONTH = r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.]\d{2,4}(?:\s|$)"
#: the same for Arrow's extract_regex (RE2): groups named, Python's Unicode \s and \d spelt out
_WS = r"[\s\x0b\x1c-\x1f\x85\p{Z}]"
_DAY_MONTH_NAMED = (rf"^{_WS}*(?P<a>\p{{Nd}}{{1,2}})[-/.](?P<b>\p{{Nd}}{{1,2}})[-/.]\p{{Nd}}{{2,4}}(?:{_WS}|$)")


def cell_to_str(v: object) -> object:
    """Text form of one Excel/object cell, so every source goes through the same parsers.

    >>> cell_to_str(12.0), cell_to_str(_dt.time(0, 1, 5)), cell_to_str(None)
    ('12', '00:01:05', None)
    """
    if v is None or v is pd.NaT:
        return None
    if isinstance(v, float):
        if np.isnan(v):
            return None
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (pd.Timestamp, _dt.datetime)):
        return pd.Timestamp(v).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, _dt.time):
        return v.strftime("%H:%M:%S")
    if isinstance(v, (_dt.timedelta, pd.Timedelta)):
        return repr(pd.Timedelta(v).total_seconds())
    return str(v)


def cells_to_text(s: pd.Series) -> pd.Series:
    """:func:`cell_to_str` over an object Series; a column of text cells only is kept as it
    is, one of date-times only is formatted at once (an Excel sheet: 100k rows 2.5 s → 0.3 s).

    >>> cells_to_text(pd.Series([12.0, "a"])).tolist(), cells_to_text(pd.Series(["a", None])).tolist()
    (['12', 'a'], ['a', None])
    """
    kind = pd.api.types.infer_dtype(s, skipna=True)
    if kind in ("string", "empty"):
        return s.astype(object).where(s.notna(), None)
    if kind == "datetime":
        try:
            ts = pd.to_datetime(s, errors="coerce")
        except (ValueError, TypeError):   # mixed time zones: one cell at a time
            return s.map(cell_to_str)
        if ts.notna().sum() == s.notna().sum():
            return ts.dt.strftime("%Y-%m-%d %H:%M:%S").astype(object).where(ts.notna(), None)
    return s.map(cell_to_str)


def as_text(s: pd.Series) -> pd.Series:
    """Stripped string Series; empty cells become NA.

    >>> as_text(pd.Series([" a ", "", None, "b"], dtype="category")).tolist()
    ['a', nan, nan, 'b']
    """
    if isinstance(s.dtype, pd.CategoricalDtype):
        return _categories_as_text(s)
    if s.dtype == object:
        s = cells_to_text(s)
    t = s.astype("str") if not isinstance(s.dtype, pd.StringDtype) else s
    arr = arrow_array(t)
    if arr is not None:
        return _stripped(arr, t)
    t = t.str.strip()
    return t.mask(t == "")


#: bytes that may begin or end a whitespace character (controls, space, any non-ASCII byte)
_MAY_BE_SPACE = np.zeros(256, dtype=bool)
_MAY_BE_SPACE[:33] = _MAY_BE_SPACE[128:] = True


def _stripped(arr, t: pd.Series) -> pd.Series:
    """:func:`as_text` of an Arrow-backed column: Arrow's trim only when some cell may start or
    end with whitespace (its first or last byte), and empty cells as missing only when some
    are. Most export columns need neither: the column is returned as it came, its chunks
    looked at one by one (no copy: a Parquet file's 1M ids and customers were copied into one
    chunk, 33 MB held beside the read ones while validating and kept by Arrow's allocator
    after). A column that changes is made one chunk (each kernel then runs once)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    trim = empty = False
    for chunk in (arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]):
        data, off, valid = _buffers(chunk)
        if _space_edged(data, off):
            trim = True
            break
        empty = empty or bool((valid & (off[1:] == off[:-1])).any())
    if not (trim or empty):
        return t
    a = _one_chunk(arr)
    if trim:
        a = pc.utf8_trim_whitespace(a)
        empty = bool(pc.any(pc.equal(pc.binary_length(a), 0)).as_py())
    if empty:
        a = pc.if_else(pc.equal(a, ""), pa.scalar(None, a.type), a)
    return _arrow_series(a, t)


def _space_edged(data: np.ndarray, off: np.ndarray) -> bool:
    """Whether some cell of a text array (its bytes and offsets, :func:`_buffers`) may begin or
    end with whitespace (False: none does). An empty or missing cell looks at its neighbour's
    byte, clipped to the text: at worst a "maybe"; np.take with clip: no array of positions."""
    return bool(len(data)) and bool(_MAY_BE_SPACE.take(np.take(data, off[:-1], mode="clip")).any()
                                    or _MAY_BE_SPACE.take(np.take(data, off[1:] - 1, mode="clip")).any())


def _arrow_series(a, t: pd.Series) -> pd.Series:
    """The Arrow text array ``a`` as a pyarrow-backed Series with ``t``'s index and name."""
    import pyarrow as pa

    text = pa.chunked_array([a] if isinstance(a, pa.Array) else a.chunks, type=a.type).to_pandas(
        types_mapper={a.type: pd.StringDtype("pyarrow", na_value=np.nan)}.get)
    return pd.Series(text.array, index=t.index, name=t.name)


def _categories_as_text(s: pd.Series) -> pd.Series:
    """:func:`as_text` of a categorical column (typed Parquet): the text work is done once per
    category, then expanded over the rows by Arrow (no Python object per row: 1M rows 0.7 s → 0.05 s)."""
    import pyarrow as pa

    cats = as_text(pd.Series(s.cat.categories, dtype=object))
    codes = s.cat.codes.to_numpy()
    values = pa.array(cats.to_numpy(dtype=object, na_value=None), type=pa.large_string())
    arr = pa.DictionaryArray.from_arrays(pa.array(codes, mask=codes < 0), values).cast(pa.large_string())
    text = arr.to_pandas(types_mapper={pa.large_string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get)
    return pd.Series(text.array, index=s.index)   # by position: ``s`` may be a slice (rejects' values)


def _is_textual(s: pd.Series) -> bool:
    return s.dtype == object or isinstance(s.dtype, pd.StringDtype)


def arrow_array(t: pd.Series):
    """The pyarrow array behind a text Series, or None."""
    if isinstance(t.dtype, pd.StringDtype) and t.dtype.storage == "pyarrow" and hasattr(t.array, "_pa_array"):
        return t.array._pa_array
    return None


def _arrow_strptime(t: pd.Series, formats: tuple[str, ...]) -> pd.Series | None:
    """Arrow's strptime for the commonest exact formats (unparsed cells → NaT)."""
    arr = arrow_array(t)
    if arr is None:
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    res = None
    parts = None
    for fmt in formats:
        try:
            got = pc.strptime(arr if res is None else pc.if_else(pc.is_null(res), arr, None),
                              format=fmt, unit="ns", error_is_null=True)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
        # a 2-digit year read by %Y (year 26) is left to the slow path, which tries %y;
        # an impossible day (31/02) that Arrow rolls over to March is refused there too
        if parts is None:
            parts = pc.extract_regex(arr, r"^(?P<a>\d{1,4})[-/](?P<b>\d{1,2})[-/](?P<c>\d{1,4})")
        day = pc.cast(pc.struct_field(parts, "c" if fmt.startswith("%Y") else "a"), pa.int64())
        bad = pc.or_(pc.less(pc.year(got), 1000), pc.not_equal(pc.day(got), day))
        got = pc.if_else(bad, pa.scalar(None, got.type), got)
        res = got if res is None else pc.coalesce(res, got)
        if res.null_count == arr.null_count:   # every cell parsed: the other formats have nothing to do
            break
    if res is None:
        return None
    return pd.Series(res.to_numpy(zero_copy_only=False), index=t.index).astype("datetime64[ns]")


#: fixed-width layouts read straight from the cells' bytes (Y year, M month, D day, h hour,
#: m minute, s second; other characters literal) — each stands for a format the general path
#: reads the same way: ISO 8601 (``%Y-%m-%d[ %H:%M[:%S]]``, ``T`` too) and day-first
#: (``%d/%m/%Y``, ``%d-%m-%Y``, ``%d.%m.%Y``, with ``%H:%M[:%S]``)
FIXED_LAYOUTS = tuple(
    [f"YYYY-MM-DD{t}" for t in (" hh:mm:ss", "Thh:mm:ss", " hh:mm", "Thh:mm", "")]
    + [f"DD{sep}MM{sep}YYYY{t}" for sep in "/-." for t in (" hh:mm:ss", " hh:mm", "")])
#: years read by :func:`_fixed_layouts` (others, such as out-of-range ones, take the general path)
_FIXED_YEARS = (1700, 2200)
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
_YEARS = np.arange(_FIXED_YEARS[0], _FIXED_YEARS[1] + 1)
_LEAP = (_YEARS % 4 == 0) & ((_YEARS % 100 != 0) | (_YEARS % 400 == 0))
#: days from 1970-01-01 to 1 January of each year of _FIXED_YEARS
_DAYS_BEFORE_YEAR = (np.array([np.datetime64(f"{y}-01-01") for y in _YEARS], dtype="datetime64[D]")
                     - np.datetime64("1970-01-01")).astype(np.int64)
#: days before each month, in a common year (row 0) and a leap year (row 1)
_DAYS_BEFORE_MONTH = np.array([np.concatenate([[0], np.cumsum(_DAYS_IN_MONTH + leap * (np.arange(12) == 1))[:-1]])
                               for leap in (0, 1)], dtype=np.int64)
#: per month of _FIXED_YEARS, at ``(year - 1700) * 12 + month - 1``: days from 1970-01-01 to its
#: first day, and its number of days (one look-up per cell)
_MONTH_START = (_DAYS_BEFORE_YEAR[:, None] + _DAYS_BEFORE_MONTH[_LEAP.astype(np.int64)]).ravel()
_MONTH_DAYS = (_DAYS_IN_MONTH[None, :] + (_LEAP[:, None] & (np.arange(12) == 1))).ravel().astype(np.int16)


def _one_chunk(arr):
    """An Arrow text array (or chunked array) as one ``large_string`` array."""
    import pyarrow as pa

    if isinstance(arr, pa.ChunkedArray):
        arr = arr.chunk(0) if arr.num_chunks == 1 else arr.combine_chunks()
    return arr if pa.types.is_large_string(arr.type) else arr.cast(pa.large_string())


def _no_byte(arr, char: str) -> bool:
    """True when no cell of an Arrow text array holds the ASCII ``char``: its bytes scanned at
    once with NumPy (1M cells: ~1 ms instead of Arrow's match_substring, ~6 ms). False means
    "maybe" (a missing cell may keep bytes): ask Arrow's kernel then.

    >>> import pyarrow as pa
    >>> _no_byte(pa.array(["12", "3.5"]), ","), _no_byte(pa.array(["12", "3,5"]), ",")
    (True, False)
    """
    import pyarrow as pa

    for chunk in (arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]):   # (no copy of the chunks)
        if not pa.types.is_large_string(chunk.type):
            chunk = chunk.cast(pa.large_string())
        data, off, _ = _buffers(chunk)
        if len(data) and (data[off[0]:off[-1]] == ord(char)).any():
            return False
    return True


def _buffers(arr) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The bytes, the n + 1 offsets and the validity of an Arrow text array, as NumPy arrays
    (views, no copy of the text when it is one large_string chunk)."""
    a = _one_chunk(arr)
    bufs = a.buffers()
    off = np.frombuffer(bufs[1], dtype=np.int64, count=len(a) + 1, offset=a.offset * 8)
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, dtype=np.uint8)
    valid = ~a.is_null().to_numpy(zero_copy_only=False) if a.null_count else np.ones(len(a), dtype=bool)
    return data, off, valid


def _fixed_layouts(t: pd.Series) -> pd.Series | None:
    """Date-times of the cells written in one of :data:`FIXED_LAYOUTS` (NaT elsewhere, and
    for any cell whose fields are out of range: no roll-over of ``31/02``, no hour 24, no
    second 60), computed from the bytes with NumPy. None when ``t`` is not Arrow-backed.

    A pre-pass of :func:`parse_datetime`: the cells it reads get the value the general path
    gives them; the others go through the general path.

    >>> v = _fixed_layouts(pd.Series(["2024-02-29 23:59:59", "31/02/2024", "05.03.2024 08:15", "2024-3-5", None],
    ...                              dtype="str"))
    >>> [str(x) for x in v]
    ['2024-02-29 23:59:59', 'NaT', '2024-03-05 08:15:00', 'NaT', 'NaT']
    """
    arr = arrow_array(t)
    if arr is None:
        return None
    data, off, todo = _buffers(arr)
    n = len(off) - 1
    res = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)     # NaT
    lens = np.diff(off)
    left = np.flatnonzero(todo)   # the cells no layout has read yet (after the first: a few)
    for layout in FIXED_LAYOUTS:
        width = len(layout)
        if not len(left):
            break
        rows = left if len(left) == n and (lens == width).all() else left[lens[left] == width]
        if not len(rows):
            continue
        if len(rows) == n and off[n] - off[0] == n * width:     # every cell this wide: a plain view
            block = data[off[0]:off[n]].reshape(n, width)
        else:
            block = data[off[rows][:, None] + np.arange(width)]
        lits = [i for i, c in enumerate(layout) if c not in "YMDhms"]
        same = np.ones(len(rows), dtype=bool)
        for i in lits:   # the separators first: a cell of another layout is dropped at once
            same &= block[:, i] == ord(layout[i])
        if not same.any():
            continue
        if not same.all():
            rows, block = rows[same], block[same]
        # the digit bytes at once, as numbers 0-9 (any other byte wraps above 9); fields in int16
        places = [i for i, c in enumerate(layout) if c in "YMDhms"]
        dig = block[:, places]
        dig -= np.uint8(48)
        ok = (dig <= 9).all(axis=1)
        fields = {}
        for ch in "YMDhms":
            at = [j for j, i in enumerate(places) if layout[i] == ch]
            v = dig[:, at[0]].astype(np.int16) if at else np.zeros(len(rows), dtype=np.int16)
            for j in at[1:]:
                v = v * 10 + dig[:, j]
            fields[ch] = v
        y, mo, d, h, mi, sec = (fields[c] for c in "YMDhms")
        ok &= (y >= _FIXED_YEARS[0]) & (y <= _FIXED_YEARS[1]) & (mo >= 1) & (mo <= 12) & (d >= 1)
        ok &= (h <= 23) & (mi <= 59) & (sec <= 59)
        if not ok.any():
            continue
        if not ok.all():
            rows, y, mo, d, h, mi, sec = (x[ok] for x in (rows, y, mo, d, h, mi, sec))
        month = (y - _FIXED_YEARS[0]).astype(np.int32) * 12 + (mo - 1)
        ok = d <= _MONTH_DAYS[month]
        ns = _MONTH_START[month]   # (int64: in place from here on, one array; 1M cells: 8 MB, not 60)
        ns += d - 1
        ns *= 86400
        ns += (h.astype(np.int32) * 60 + mi) * 60 + sec
        ns *= 1_000_000_000
        if len(rows) == n:   # the first layout reads the cells (an export): no positions
            res = ns if ok.all() else np.where(ok, ns, res)
            todo &= ~ok
        else:
            res[rows[ok]] = ns[ok]
            todo[rows[ok]] = False
        left = left[todo[left]]
    return pd.Series(res.view("datetime64[ns]"), index=t.index)


def map_values(t: pd.Series, func) -> pd.Series:
    """Apply ``func`` to each *distinct* value of a text Series (vectorised lookup back).

    >>> map_values(pd.Series(["a", "b", "a", None]), str.upper).tolist()
    ['A', 'B', 'A', nan]
    """
    arr = arrow_array(t)
    if arr is not None:
        import pyarrow as pa
        import pyarrow.compute as pc

        uniq = pc.unique(arr).drop_null()
        mapped = pa.array([func(u) for u in uniq.to_pylist()], type=pa.string())
        res = mapped.take(pc.index_in(arr, value_set=uniq))
        text = res.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get)
        return pd.Series(text.array, index=t.index)   # by position, whatever ``t``'s index
    uniq = pd.unique(t[t.notna()])
    return t.map({u: func(u) for u in uniq})


def parse_datetime(s: pd.Series, date_only: bool = False, tz: str | None = None) -> tuple[pd.Series, pd.Series]:
    """ISO 8601 or day-first ``dd/mm/yyyy[ hh:mm[:ss]]`` (also ``dd-mm-yyyy``, ``dd.mm.yyyy``)
    → naive ``datetime64[ns]`` local time. A column whose dates show month-first (a middle
    part above 12 and no first part above 12, ``04/22/2015``) is read month-first.

    A timestamp with a UTC offset (``…Z``, ``+01:00``) is converted to the time zone ``tz``
    (the client's) before the offset is dropped; without ``tz`` it keeps its own wall-clock
    time.

    >>> v, _ = parse_datetime(pd.Series(["2026-07-01T08:30:00Z", "2026-07-01 09:30"]), tz="Europe/London")
    >>> [str(x) for x in v]
    ['2026-07-01 09:30:00', '2026-07-01 09:30:00']
    >>> v, _ = parse_datetime(pd.Series(["22-04-2015", "04-08-2015"]))
    >>> [str(x.date()) for x in v]
    ['2015-04-22', '2015-08-04']
    """
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        out = s
        if getattr(s.dt, "tz", None) is not None:
            out = (s.dt.tz_convert(tz) if tz else s).dt.tz_localize(None)
        out = out.astype("datetime64[ns]")
        if date_only:
            out = out.dt.normalize()
        return out, pd.Series(False, index=s.index)
    t = as_text(s)
    arr = arrow_array(t)
    if arr is not None and getattr(arr, "num_chunks", 1) > 1:   # one copy into one chunk, not one per step
        t = _arrow_series(_one_chunk(arr), t)
    notna = t.notna()
    t, offsets = split_offsets(t)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    todo = notna.copy()
    fixed = _fixed_layouts(t) if todo.any() else None
    if fixed is not None:   # the usual fixed-width cells, straight from their bytes
        out = fixed
        todo = notna & out.isna()
        if todo.any():   # the other cells (a few bad ones, other layouts) among themselves
            sub = t[todo]
            out = out.copy()
            out.loc[sub.index] = _by_formats(sub, sub.notna())
            todo = notna & out.isna()
    elif todo.any():
        out = _by_formats(t, notna)
        todo = notna & out.isna()
    if todo.any():
        out, todo = _month_first(t, out, notna, todo)
    if offsets is not None and tz:
        out = to_local(out, offsets, tz)
    if date_only:
        out = out.dt.normalize()
    return out, notna & out.isna()


def _by_formats(t: pd.Series, notna: pd.Series) -> pd.Series:
    """Date-times of text cells by Arrow's strptime for the commonest formats, then pandas' ISO
    8601 and :data:`DAYFIRST_FORMATS` (each cell: the first that reads it; NaT: none does)."""
    out = pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]")
    todo = notna.copy()
    fast = _arrow_strptime(t, ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"))
    if fast is not None:
        out = fast
        todo = notna & out.isna()
    if todo.any():
        iso = t[todo].str.contains(r"^\d{4}-\d{2}-\d{2}", regex=True)
        sub = t[todo][iso]
        if len(sub):
            out.loc[sub.index] = _ns(pd.to_datetime(sub, format="ISO8601", errors="coerce"))
        todo = notna & out.isna()
    for fmt in DAYFIRST_FORMATS:
        if not todo.any():
            break
        sub = t[todo]
        parsed = pd.to_datetime(sub, format=fmt, errors="coerce")
        ok = parsed.notna()
        if ok.any():
            out.loc[parsed.index[ok]] = _ns(parsed[ok])
            todo = notna & out.isna()
    return out


def _ns(v: pd.Series) -> pd.Series:
    """Date-times as ``datetime64[ns]``; those it cannot hold (years before 1677 or after 2262,
    a typo such as ``2263-01-01``) become NaT, so the cell is rejected, not the whole file.

    >>> _ns(pd.to_datetime(pd.Series(["2263-01-01", "2024-01-01"]), format="ISO8601")).tolist()
    [NaT, Timestamp('2024-01-01 00:00:00')]
    """
    inside = (v >= pd.Timestamp.min) & (v <= pd.Timestamp.max)
    return v.where(inside).astype("datetime64[ns]")


def _month_first(t: pd.Series, out: pd.Series, notna: pd.Series, todo: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Re-read ``dd?mm?yyyy``-shaped cells month-first when the column shows it: some cell
    unread day-first has a middle part above 12 and no cell has a first part above 12."""
    # the unread cells first (few): most columns stop here without reading every cell
    if not (_day_month(t[todo])[1] > 12).any():
        return out, todo
    first, second = _day_month(t[notna])
    if (first > 12).any() or not ((second > 12) & todo[notna]).any():
        return out, todo
    shaped = first.index[first.notna().to_numpy()]
    out = out.copy()
    out.loc[shaped] = pd.NaT
    for fmt in MONTHFIRST_FORMATS:
        left = shaped[out.loc[shaped].isna().to_numpy()]
        if not len(left):
            break
        parsed = pd.to_datetime(t.loc[left], format=fmt, errors="coerce")
        ok = parsed.notna()
        out.loc[parsed.index[ok]] = _ns(parsed[ok])
    return out, notna & out.isna()


def _day_month(t: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The first and second numbers of ``dd?mm?yyyy``-shaped cells (NaN for other cells),
    with Arrow's regex kernel when ``t`` is Arrow-backed (1M cells: 0.1 s, not 2 s).

    >>> [x.tolist() for x in _day_month(pd.Series(["04/22/2015", "x", None], dtype="str"))]
    [[4.0, nan, nan], [22.0, nan, nan]]
    """
    arr = arrow_array(t)
    if arr is not None:
        import pyarrow as pa
        import pyarrow.compute as pc

        got = pc.extract_regex(arr, _DAY_MONTH_NAMED)
        try:
            first, second = (pc.cast(pc.struct_field(got, k), pa.float64()).to_numpy(zero_copy_only=False)
                             for k in "ab")
            return pd.Series(first, index=t.index), pd.Series(second, index=t.index)
        except pa.ArrowInvalid:   # digits other than 0-9: Python reads them
            pass
    parts = t.str.extract(_DAY_MONTH).astype("float64")
    return parts[0], parts[1]


def split_offsets(t: pd.Series) -> tuple[pd.Series, pd.Series | None]:
    """Text without its trailing UTC offsets, and the offsets in minutes (NaN where none;
    None when no cell has one).

    >>> t, off = split_offsets(pd.Series(["2024-03-01T09:00Z", "2024-03-01T09:00+01:00", "01/03/2024 09:00"]))
    >>> t.tolist(), off.tolist()
    (['2024-03-01T09:00', '2024-03-01T09:00', '01/03/2024 09:00'], [0.0, 60.0, nan])
    """
    arr = arrow_array(t)
    if arr is not None:   # an offset ends a cell with Z, or has its sign 5 or 6 bytes from the end
        data, off, _ = _buffers(arr)
        if len(data):
            # each cell's last byte, then the bytes 5 and 6 from its end: one array of positions
            # moved back in place (no 8-byte array per cell and per look: 1M cells, ~30 MB of fresh
            # memory less); a short cell looks into the one before it: at worst a false alarm
            at = off[1:] - 1
            maybe = np.take(data, at, mode="clip") == ord("Z")
            for step in (4, 1):
                at -= step
                b = np.take(data, at, mode="clip")
                maybe |= (b == ord("+")) | (b == ord("-"))
            if not maybe.any():
                return t, None
    has = t.str.contains(_TIME_BEFORE, regex=True).fillna(False).astype(bool)
    if not has.any():
        return t, None
    sub = t[has]
    suffix = sub.str.extract(r"(Z|[+-]\d{2}:?\d{2})$", expand=False).astype("str")
    digits = suffix.str.replace(":", "", regex=False)
    hours = pd.to_numeric(digits.str[1:3], errors="coerce").fillna(0)
    mins = pd.to_numeric(digits.str[3:5], errors="coerce").fillna(0)
    sign = np.where(digits.str[0] == "-", -1.0, 1.0)
    offsets = pd.Series(np.nan, index=t.index, dtype="float64")
    offsets[has] = np.where(suffix == "Z", 0.0, sign * (hours * 60 + mins))
    return t.mask(has, sub.str.replace(_TZ_SUFFIX, "", regex=True)), offsets


def to_local(values: pd.Series, offsets: pd.Series, tz: str) -> pd.Series:
    """Wall-clock times written at ``offsets`` (minutes east of UTC; NaN: already local)
    as local times of ``tz``."""
    aware = offsets.notna() & values.notna()
    if not aware.any():
        return values
    utc = values[aware] - pd.to_timedelta(offsets[aware], unit="min")
    out = values.copy()
    out[aware] = utc.dt.tz_localize("UTC").dt.tz_convert(tz).dt.tz_localize(None).astype("datetime64[ns]")
    return out


def parse_number(s: pd.Series, comma: str | None = None) -> tuple[pd.Series, pd.Series]:
    """Numbers with ``.`` or ``,`` decimals (``12,5``), spaces as thousands separators;
    ``comma="thousands"`` (see :func:`comma_style`) reads ``1,125`` as 1125.

    >>> parse_number(pd.Series(["1,125", "12"]))[0].tolist(), parse_number(pd.Series(["1,125"]), "thousands")[0].tolist()
    ([1.125, 12.0], [1125.0])
    """
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.astype("float64"), pd.Series(False, index=s.index)
    if pd.api.types.is_numeric_dtype(s.dtype):
        return s.astype("float64"), pd.Series(False, index=s.index)
    return _number_from_text(as_text(s), comma)


def _number_from_text(t: pd.Series, comma: str | None) -> tuple[pd.Series, pd.Series]:
    """:func:`parse_number` of cells already through :func:`as_text`."""
    notna = t.notna()
    if comma == "thousands":
        t = t.str.replace(",", "", regex=False)
    out = _fast_float(t)
    if out is None:
        out = pd.to_numeric(t, errors="coerce").astype("float64")
    else:   # cells Arrow did not read (a few bad cells among 1M): pandas, as for a whole column
        left = notna & out.isna()
        if left.any():
            out = out.copy()
            out.loc[left] = pd.to_numeric(t[left], errors="coerce").astype("float64")
    retry = notna & out.isna()
    if retry.any():  # decimal comma, spaces as thousands separators: only on the failures
        sub = t[retry].str.replace(r"[\s\u00a0\u202f]", "", regex=True)
        sub = sub.str.replace(r"^([+-]?\d*),(\d+)$", r"\1.\2", regex=True)
        out = out.copy()
        out.loc[sub.index] = pd.to_numeric(sub, errors="coerce").astype("float64")
    out = out.where(np.isfinite(out))
    return out, notna & out.isna()


_THOUSANDS_RE = r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"
_DOT_DECIMAL_RE = r"^[+-]?\d+\.\d+$"


def has_comma(s: pd.Series) -> bool:
    """True when a text column has a comma in some cell (fast: one Arrow kernel)."""
    if not _is_textual(s):
        return False
    arr = arrow_array(s)
    if arr is not None:
        import pyarrow.compute as pc

        return not _no_byte(arr, ",") and bool(pc.any(pc.match_substring(arr, ",")).as_py())
    return bool(s.astype("str").str.contains(",", regex=False).fillna(False).any())


def dot_decimals(s: pd.Series) -> bool:
    """True when some cell of a text column is a number with a decimal point (``12.5``)."""
    if not _is_textual(s):
        return False
    return bool(as_text(s).str.match(_DOT_DECIMAL_RE).fillna(False).any())


def comma_style(s: pd.Series) -> str | None:
    """How a text column of numbers uses the comma, from its own cells: None (no comma),
    ``"decimal"`` (``12,5``), ``"thousands"`` (``1,125.5``, ``1,234,567``, or ``1,125`` beside
    ``12.5``) or ``"ambiguous"`` (only ``d,ddd`` forms: decide from the rest of the file).

    >>> [comma_style(pd.Series(v)) for v in (["12,5"], ["1,125", "2.5"], ["1,125", "2,340"], ["7"])]
    ['decimal', 'thousands', 'ambiguous', None]

    The answer depends only on the column's distinct values: a column of few (a French
    export's ``12,5`` waits, :data:`FEW_DISTINCT`) is answered from them (1M cells: ~40 ms
    → ~15 ms, no copy of the column).
    """
    arr = arrow_array(s)
    if arr is not None and len(s) >= 1000:
        import pyarrow.compute as pc

        distinct = pc.unique(arr)
        if len(distinct) <= FEW_DISTINCT * len(s):
            return comma_style(pd.Series(distinct.to_numpy(zero_copy_only=False), dtype=object))
    t = as_text(s)
    arr = arrow_array(t)
    if arr is not None:   # Arrow's kernels: no pandas mask over every row (1M: ~35 ms → ~15 ms)
        import pyarrow.compute as pc

        has = pc.fill_null(pc.match_substring(_one_chunk(arr), ","), False)
        if not pc.any(has).as_py():
            return None
        with_comma = has.to_numpy(zero_copy_only=False)
        vals = pd.Series(pc.unique(_one_chunk(arr).filter(has)).to_numpy(zero_copy_only=False), dtype=object)
        vals = vals.astype("str")
    else:
        with_comma = t.str.contains(",", regex=False).fillna(False).astype(bool).to_numpy()
        if not with_comma.any():
            return None
        vals = pd.Series(pd.unique(t[with_comma])).astype("str")
    vals = vals.str.replace(r"[\s\u00a0\u202f]", "", regex=True)
    if not vals.str.match(_THOUSANDS_RE).all():
        return "decimal"
    if vals.str.contains(".", regex=False).any() or (vals.str.count(",") > 1).any():
        return "thousands"
    if t[~with_comma].str.match(_DOT_DECIMAL_RE).fillna(False).any():
        return "thousands"
    return "ambiguous"


def _fast_float(t: pd.Series) -> pd.Series | None:
    """Arrow cast of a pyarrow-backed text column (None when it is not one); NaN for the cells
    that are not plain numbers, once the whole column failed to cast.

    A column written with decimal commas (a French export) has them read as points first
    (:func:`_decimal_commas`); when many cells are still no plain number (spaces as thousands
    separators, ``1 234,5``), those are normalised with Arrow's regex kernels, the same rules
    as the slow path. No cast is tried on a column that will fail everywhere: Arrow's failing
    cast costs ~0.3 µs per bad cell (a French column of 1M decimal commas: 0.25-0.37 s).
    """
    if not (isinstance(t.dtype, pd.StringDtype) and t.dtype.storage == "pyarrow"):
        return None
    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        arr = pa.chunked_array(t.array._pa_array) if hasattr(t.array, "_pa_array") else pa.array(t)
        if _no_byte(arr, ","):   # no comma: Arrow's cast as it is (it stops at the first bad cell)
            try:
                return pd.Series(pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False), index=t.index,
                                 dtype="float64")
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                pass
        simple = _decimal_cells(arr)   # plain decimals cast at once; the other cells below, among themselves
        if simple is not None and simple[1].any():
            first = pc.cast(simple[0], pa.float64()).to_numpy(zero_copy_only=False)
            rest = _one_chunk(arr).filter(pa.array(~simple[1]))
            vals = _arrow_floats(rest, len(arr)).to_numpy(zero_copy_only=False) if len(rest) else None
            if vals is not None:
                first[np.flatnonzero(~simple[1])] = vals
            return pd.Series(first, index=t.index, dtype="float64")
        vals = _arrow_floats(arr, len(arr))
    except Exception:
        return None
    return pd.Series(vals.to_numpy(zero_copy_only=False), index=t.index, dtype="float64")


def _arrow_floats(arr, total: int):
    """:func:`_fast_float`'s Arrow cast of ``arr``, cells that are no plain number null (they are
    rewritten when more than :data:`REWRITE_SHARE` of ``total`` cells)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    commas = _decimal_commas(arr)
    if commas is None and not _no_byte(arr, ",") and pc.any(pc.match_substring(arr, ",")).as_py():   # (switched off)
        return _float_rewritten(arr, None)   # no cast failing on every cell
    arr = arr if commas is None else commas
    try:
        return pc.cast(arr, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):   # some cells are no plain number:
        plain = pc.match_substring_regex(arr, _PLAIN_NUMBER)  # those are left to the caller (NaN)
        vals = pc.cast(pc.if_else(plain, arr, pa.scalar(None, arr.type)), pa.float64())
        if pc.sum(pc.invert(plain)).as_py() > REWRITE_SHARE * total:
            vals = _float_rewritten(arr, vals)
        return vals


#: byte classes of :func:`_decimal_cells`: 0 a digit, 1 a decimal separator (``.`` or ``,``), 2 any other
_NUMBER_BYTE = np.full(256, 2, dtype=np.uint8)
_NUMBER_BYTE[48:58] = 0
_NUMBER_BYTE[[44, 46]] = 1


def _decimal_cells(arr):
    """The cells written as unsigned decimals (``549``, ``12.5``, ``12,5``: digits, at most one
    ``.`` or ``,`` between two digits), found from their bytes with NumPy, and the column's
    text with the comma of those cells read as a decimal point: ``(text, cells)``, ``text``
    null elsewhere (1M cells ~15 ms; Arrow's regex ~35 ms a pass). None when ``arr`` is no
    Arrow text.

    A pre-pass of :func:`_fast_float`: Arrow casts these cells as they are (a comma replaced
    as :func:`_decimal_commas` replaces it), never failing; the other cells (signs, exponents,
    thousands separators, bad cells) go the general way, among themselves.

    Each cell's byte classes (:data:`_NUMBER_BYTE`) are summed over its own bytes at once
    (``np.add.reduceat``, in int32): 0 is digits only, 1 one separator and digits; no array
    of 8 bytes per byte of text (a 1M-cell column: ~100 MB of fresh memory and ~25k page
    faults fewer than a running sum).

    >>> import pyarrow as pa
    >>> text, cells = _decimal_cells(pa.array(["549", "12,5", "0.1", "-3", "1,2,3", "7.", None, "1e5", ""]))
    >>> text.to_pylist(), cells.tolist()
    (['549', '12.5', '0.1', None, None, None, None, None, None], [True, True, True, False, False, False, False, False, False])
    """
    import pyarrow as pa

    try:
        a = _one_chunk(arr)
        data, off, valid = _buffers(a)
    except Exception:  # noqa: BLE001 - not an Arrow text array
        return None
    n = len(off) - 1
    cells = np.zeros(n, dtype=bool)
    filled = np.flatnonzero(off[1:] > off[:-1])   # (an empty cell has no bytes, hence no sum of its own)
    if len(filled):
        starts = off[filled]
        score = np.add.reduceat(_NUMBER_BYTE[data[off[0]:off[n]]], starts - off[0], dtype=np.int32)
        edges = (_NUMBER_BYTE[data[starts]] == 0) & (_NUMBER_BYTE[data[off[filled + 1] - 1]] == 0)
        cells[filled] = (score == 0) | ((score == 1) & edges)
        cells &= valid
    if not cells.any():
        return pa.nulls(n, pa.large_string()), cells
    body = data[off[0]:off[n]]
    if (body == 44).any():   # decimal commas read as points (the cells kept have no other comma)
        body = np.where(body == 44, np.uint8(46), body)
    offsets = off - off[0]
    text = pa.Array.from_buffers(pa.large_string(), n, [pa.py_buffer(np.packbits(cells, bitorder="little")),
                                                        pa.py_buffer(offsets), pa.py_buffer(body)])
    return text, cells


#: more than this share of a column's cells no plain number: they are rewritten by Arrow's
#: regex kernels (spaces as thousands separators, complex commas) rather than left to pandas
REWRITE_SHARE = 0.01


def _float_rewritten(arr, vals):
    """Numbers of the cells of ``arr`` that ``vals`` has not read (all when None), after
    removing spaces and reading a decimal comma (``1 234,5``: 1234.5); the cells still no
    plain number are null."""
    import pyarrow as pa
    import pyarrow.compute as pc

    left = arr if vals is None else pc.if_else(pc.is_null(vals), arr, pa.scalar(None, arr.type))
    if pc.any(pc.match_substring_regex(left, "[\\s\u00a0\u202f]")).as_py():
        left = pc.replace_substring_regex(left, "[\\s\u00a0\u202f]", "")
    if pc.any(pc.match_substring(left, ",")).as_py():
        left = pc.replace_substring_regex(left, "^([+-]?\\d*),(\\d+)$", "\\1.\\2")
    plain = pc.match_substring_regex(left, _PLAIN_NUMBER)
    more = pc.cast(pc.if_else(plain, left, pa.scalar(None, left.type)), pa.float64())
    return more if vals is None else pc.coalesce(vals, more)


#: a number Arrow and pandas read alike (the cells :func:`_fast_float` reads when others are not)
_PLAIN_NUMBER = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"


def _decimal_commas(arr):
    """``arr`` with its decimal commas read as points (``12,5``, ``-,5``: the cells that are
    ``[+-]digits,digits``) by a plain replace on those cells (no regex rewrite: 1M cells
    0.17 s → 0.05 s); the other cells unchanged. None when no cell has a comma."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if _no_byte(arr, ",") or not pc.any(pc.match_substring(arr, ",")).as_py():
        return None
    simple = pc.match_substring_regex(arr, r"^[+-]?\d*,\d+$")
    if pc.all(pc.or_kleene(simple, pc.is_null(arr))).as_py():
        return pc.replace_substring(arr, ",", ".")
    return pc.if_else(simple, pc.replace_substring(arr, ",", "."), arr)


_HMS = r"^(\d+):([0-5]?\d):([0-5]?\d(?:[.,]\d+)?)$"
_MS = r"^(\d+):([0-5]?\d(?:[.,]\d+)?)$"
#: the same for Arrow's extract_regex (groups named; RE2's \d: ASCII digits only)
_HMS_NAMED = r"^(?P<h>\d+):(?P<m>[0-5]?\d):(?P<s>[0-5]?\d(?:[.,]\d+)?)$"
_MS_NAMED = r"^(?P<m>\d+):(?P<s>[0-5]?\d(?:[.,]\d+)?)$"


def _with_colon(t: pd.Series) -> pd.Series | None:
    """The cells holding a colon (a pyarrow-backed column with some; else None)."""
    arr = arrow_array(t)
    if arr is None:
        return None
    import pyarrow.compute as pc

    if _no_byte(arr, ":"):
        return None
    colon = pc.match_substring(arr, ":")
    if not pc.any(colon).as_py():
        return None
    return pd.Series(colon.to_numpy(zero_copy_only=False), index=t.index).fillna(False).astype(bool)


def _cells_emptied(t: pd.Series, mask: pd.Series) -> pd.Series:
    """``t`` (pyarrow-backed) with the cells of ``mask`` missing, still pyarrow-backed."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = arrow_array(t)
    a = pc.if_else(pa.array(mask.to_numpy()), pa.scalar(None, arr.type), arr)
    return _arrow_series(a, t)


def _clock_arrow(t: pd.Series) -> pd.Series | None:
    """Seconds of the clock durations (``h:mm:ss``, ``mm:ss``, the patterns of
    :func:`parse_duration`) read by Arrow's regex kernels in ASCII digits, NaN for the other
    cells (left to pandas: non-Latin digits); None when ``t`` is not pyarrow-backed."""
    arr = arrow_array(t)
    if arr is None or not len(t):
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    def number(x, field):
        v = pc.struct_field(x, field)
        if field == "s":
            v = pc.replace_substring(v, ",", ".")
        return pc.cast(v, pa.float64()).to_numpy(zero_copy_only=False)

    try:
        hms = pc.extract_regex(arr, _HMS_NAMED)
        ms = pc.extract_regex(pc.if_else(pc.is_null(hms), arr, pa.scalar(None, arr.type)), _MS_NAMED)
        sec_h = number(hms, "h") * 3600 + number(hms, "m") * 60 + number(hms, "s")
        sec_m = number(ms, "m") * 60 + number(ms, "s")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return pd.Series(np.where(np.isnan(sec_h), sec_m, sec_h), index=t.index, dtype="float64")


def parse_duration(s: pd.Series, comma: str | None = None) -> tuple[pd.Series, pd.Series]:
    """Seconds (``95``, ``95,5``) or clock durations ``hh:mm:ss`` / ``mm:ss`` → float seconds
    (``comma`` as in :func:`parse_number`)."""
    if pd.api.types.is_timedelta64_dtype(s.dtype):
        return s.dt.total_seconds().astype("float64"), pd.Series(False, index=s.index)
    if not _is_textual(s):
        return parse_number(s)
    t = as_text(s)
    colon = _with_colon(t)   # a cell with a colon is no number: not read as one (1M "0:09:09": 13 s → 0.2 s)
    out, bad = _number_from_text(t if colon is None else _cells_emptied(t, colon), comma)
    if colon is not None:
        bad = bad | colon
    if bad.any():
        sub = t[bad]
        clock = _clock_arrow(sub)
        rest = sub if clock is None else sub[clock.isna().to_numpy()]
        hms = rest.str.extract(_HMS)
        ms = rest.str.extract(_MS)
        sec_h = (hms[0].astype("float64") * 3600 + hms[1].astype("float64") * 60
                 + hms[2].str.replace(",", ".").astype("float64"))
        sec_m = ms[0].astype("float64") * 60 + ms[1].str.replace(",", ".").astype("float64")
        slow = sec_h.fillna(sec_m)
        clock = slow if clock is None else clock.fillna(slow)
        out = out.copy()
        out.loc[clock.index] = clock
        bad = bad & out.isna()
    return out, bad


#: a text column with at most this share of distinct values is parsed once per distinct value
FEW_DISTINCT = 0.01


def as_categorical(s: pd.Series) -> pd.Series:
    """A text column of few distinct values (flags, channels read from a CSV) as a categorical
    of its cells as they are (Arrow's dictionary encoding), so that it is parsed once per
    distinct value; other columns unchanged.

    >>> as_categorical(pd.Series(["oui", " non", None, "oui"] * 500, dtype="str")).cat.categories.tolist()
    ['oui', ' non']
    >>> as_categorical(pd.Series(["oui", "non"], dtype="str")).dtype   # short columns: unchanged
    <StringDtype(na_value=nan)>
    """
    arr = arrow_array(s)
    if arr is None or len(s) < 1000:
        return s
    import pyarrow.compute as pc

    enc = pc.dictionary_encode(_one_chunk(arr))   # one chunk: no dictionaries to unify
    chunks = enc.chunks if hasattr(enc, "chunks") else [enc]
    if not chunks:
        return s
    enc = enc.unify_dictionaries() if hasattr(enc, "unify_dictionaries") else enc
    chunks = enc.chunks if hasattr(enc, "chunks") else [enc]
    values = chunks[0].dictionary
    if len(values) > FEW_DISTINCT * len(s):
        return s
    codes = np.concatenate([c.indices.fill_null(-1).to_numpy(zero_copy_only=False) for c in chunks])
    cats = pd.Index(values.to_numpy(zero_copy_only=False), dtype=object)
    return pd.Series(pd.Categorical.from_codes(codes.astype(np.int64), categories=cats), index=s.index)


def parse_bool(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """French/English booleans (oui/non, vrai/faux, 1/0, yes/no, true/false) → nullable boolean."""
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.astype("boolean"), pd.Series(False, index=s.index)
    s = as_categorical(s)
    if isinstance(s.dtype, pd.CategoricalDtype):   # once per category, then spread by the codes
        out, bad = parse_bool(pd.Series(s.cat.categories, dtype=object))
        codes = s.cat.codes.to_numpy()
        # values and missing flags spread as NumPy arrays (no Python object per row: 1M 70 ms → 5 ms)
        vals = np.append(out.fillna(False).to_numpy(dtype=bool), False)[codes]
        missing = np.append(out.isna().to_numpy(), True)[codes]
        full = pd.arrays.BooleanArray(vals, missing)
        return pd.Series(full, index=s.index), pd.Series(np.append(bad.to_numpy(), False)[codes], index=s.index)
    t = as_text(s)
    notna = t.notna()
    low = t.str.lower().str.replace(r"\.0$", "", regex=True)
    true, false = low.isin(TRUE_WORDS).to_numpy(), low.isin(FALSE_WORDS).to_numpy()
    out = pd.array(np.where(true, True, False), dtype="boolean")
    out[~(true | false)] = pd.NA
    out = pd.Series(out, index=s.index)
    return out, notna & out.isna()


def parse_category(s: pd.Series, col: Column) -> tuple[pd.Series, pd.Series]:
    """Allowed values (with synonyms) of ``col`` → category; unknown values are bad.

    >>> col = Column("channel", "segment", allowed=("phone", "email"), synonyms={"tel": "phone"})
    >>> out, bad = parse_category(pd.Series(["tel", "fax", None], dtype="category"), col)
    >>> list(out), bad.tolist()
    (['phone', nan, nan], [False, True, False])
    """
    allowed = list(col.allowed or ())
    s = as_categorical(s)
    if isinstance(s.dtype, pd.CategoricalDtype):   # typed Parquet or few values: map each category once
        cats = as_text(pd.Series(s.cat.categories, dtype=object))
        mapped = [col.canonical_value(c) if isinstance(c, str) else None for c in cats]
        new_code = np.array([allowed.index(m) if m in allowed else -1 for m in mapped] + [-1], dtype=np.int64)
        known = np.array([isinstance(c, str) for c in cats] + [False])
        codes = s.cat.codes.to_numpy()       # -1 (missing) picks the extra last slot
        out = pd.Categorical.from_codes(new_code[codes], categories=allowed)
        return out, pd.Series(known[codes] & (new_code[codes] < 0), index=s.index)
    t = as_text(s)
    notna = t.notna()
    out = map_values(t, col.canonical_value)
    bad = notna & out.isna()
    return pd.Categorical(out, categories=list(col.allowed or ())), bad


def parse_column(s: pd.Series, col: Column, tz: str | None = None,
                 comma: str | None = None) -> tuple[pd.Series | pd.Categorical, pd.Series]:
    """Dispatch on ``col.kind`` (``tz``: the client's time zone, for timestamps with an offset;
    ``comma``: how the column's numbers use the comma, see :func:`comma_style`)."""
    if col.kind in ("id", "segment", "text"):
        if col.allowed:
            return parse_category(s, col)
        return as_text(s), pd.Series(False, index=s.index)
    if col.kind == "datetime":
        return parse_datetime(s, tz=tz)
    if col.kind == "date":
        return parse_datetime(s, date_only=True, tz=tz)
    if col.kind == "bool":
        return parse_bool(s)
    if col.kind == "duration":
        return parse_duration(s, comma)
    if col.kind in ("number", "int"):
        return parse_number(s, comma)
    raise ValueError(f"unknown column kind {col.kind!r}")
