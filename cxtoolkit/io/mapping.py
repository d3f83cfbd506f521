"""Mappings: a client's export, as it came, onto the canonical columns (``data:`` in client.yml).

A ``data.<table>`` entry is a file name, or a mapping::

    contacts:
      file: 01 Call-Center-Dataset.xlsx
      sheet: Sheet1                      # Excel: name or position (default: the first sheet)
      columns:                           # canonical column: the export's header, as written
        contact_id: Call Id
        received_at: [Date, Time]        # a list is joined with a space (date and time columns)
        answered: Answered (Y/N)
      constants: {channel: phone}        # a column the export lacks: one value for every row
      assumed: [answered]                # constants that are a guess, not a fact of the export
      values: {answered: {Y: true, N: false}}   # export's value -> canonical value

A column may also be ``{join: [a, b], sep: "-", format: "%y%m%d %H:%M:%S",
day_number_from: "2024-01-01"}``: ``sep`` joins the parts (default a space), ``format`` reads
a date written in a fixed layout (``strftime`` codes), ``day_number_from`` turns a day number
(1, 2, …) into a date counted from that day.

A constant is a fact about the export by default (``channel: phone`` for the phone system's
call log); one listed in ``assumed:`` is a guess the mapping makes to fill a required column
(``answered: true`` for complaint tickets). The loader reports the assumed columns
(:func:`assumed_columns`) and the KPIs resting only on them are not measured
(:func:`cxtoolkit.kpis.registry.unmeasured`): an answer rate of 100 % made of a constant is
not a figure. Known exports need no ``columns:`` at all
(:mod:`cxtoolkit.io.presets`); a mapping written in client.yml wins over a preset's, column by
column, and columns not mapped are still found by their aliases (:mod:`cxtoolkit.schemas`).

:func:`apply` runs before validation: it renames the mapped columns to their canonical
names (the export's columns it consumed are dropped), adds the constants, recodes the values
and, when the table has no id column at all, numbers the rows from the file's row number
(with a warning). It only moves text around: parsing and checks stay in
:mod:`cxtoolkit.io.validate`, so a mapped file is judged exactly like a canonical one.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from cxtoolkit.io.readers import RawTable
>>> from cxtoolkit.schemas import CONTACTS
>>> raw = RawTable(pd.DataFrame({"Call Id": ["7", "8"], "Date": ["01/03/2024", "01/03/2024"],
...                              "Time": ["09:00:00", "09:05:00"], "Answered (Y/N)": ["Y", "N"],
...                              "Speed": ["12", "40"]}), np.array([2, 3]), "calls.csv")
>>> m = from_source({"columns": {"contact_id": "Call Id", "received_at": ["Date", "Time"],
...                              "answered": "Answered (Y/N)", "wait_s": "Speed"},
...                  "constants": {"channel": "phone"}, "values": {"answered": {"Y": True, "N": False}}})
>>> out, warnings = apply(raw, m, CONTACTS)
>>> out.df.to_dict("list")
{'contact_id': ['7', '8'], 'received_at': ['01/03/2024 09:00:00', '01/03/2024 09:05:00'], \
'answered': ['true', 'false'], 'wait_s': ['12', '40'], 'channel': ['phone', 'phone']}
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from cxtoolkit.errors import InputError
from cxtoolkit.findings import Finding, render
from cxtoolkit.io.parse import as_text, map_values
from cxtoolkit.io.readers import RawTable
from cxtoolkit.schemas import Schema, normalise_header

#: the id column a table gets from the file's row number when its export has none
ROW_ID_COLUMNS = {"contacts": "contact_id", "responses": "response_id", "sends": "send_id"}
#: column-spec keys (the dict form)
SPEC_KEYS = ("join", "column", "sep", "format", "day_number_from")
#: a time cell that Excel stored as a date-time on its epoch (1899-12-30 09:30:00)
_EXCEL_EPOCH_TIME = re.compile(r"^(?:1899-12-3[01]|1900-01-0[01]) ")
#: a date cell that Excel stored as a date-time at midnight, joined with a time column
_MIDNIGHT = re.compile(r"[ T]00:00:00$")


@dataclass(frozen=True)
class ColumnSpec:
    """Where one canonical column comes from: the export's header(s) and how to read them."""

    sources: tuple[str, ...]
    sep: str = " "
    format: str | None = None
    day_number_from: str | None = None


@dataclass(frozen=True)
class RejectRule:
    """Rows a preset knows are unusable: ``column`` in ``values`` (or not in ``not_in``)."""

    column: str
    reason: str
    values: tuple[str, ...] = ()
    not_in: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Mapping:
    """A parsed ``data.<table>`` mapping (or a preset's)."""

    columns: dict[str, ColumnSpec] = field(default_factory=dict)
    constants: dict[str, str | None] = field(default_factory=dict)
    values: dict[str, dict[Any, str | None]] = field(default_factory=dict)
    header_rows: int = 1
    reject_rows: tuple[RejectRule, ...] = ()
    notes: tuple[str, ...] = ()
    preset: str | None = None
    #: constants that are assumptions, not facts of the export (KPIs resting only on them
    #: are not measured)
    assumed: tuple[str, ...] = ()

    @property
    def headers(self) -> set[str]:
        """Every export header the mapping names."""
        out = {h for spec in self.columns.values() for h in spec.sources}
        return out | {r.column for r in self.reject_rows}

    def merged_over(self, base: Mapping | None) -> Mapping:
        """This mapping (client.yml) over ``base`` (a preset): ours wins column by column."""
        if base is None:
            return self
        values = {k: dict(v) for k, v in base.values.items()}
        for k, v in self.values.items():
            values.setdefault(k, {}).update(v)
        ours = set(self.columns) | set(self.constants)   # a column we map or fix is ours, assumed only if we say so
        assumed = tuple(c for c in base.assumed if c not in ours) + self.assumed
        return Mapping(columns={**base.columns, **self.columns}, constants={**base.constants, **self.constants},
                       values=values, header_rows=max(self.header_rows, base.header_rows),
                       reject_rows=base.reject_rows + self.reject_rows, notes=base.notes + self.notes,
                       preset=base.preset, assumed=tuple(dict.fromkeys(assumed)))

    def key(self) -> str:
        """A stable text form (cache keys)."""
        return repr((sorted((k, v) for k, v in self.columns.items()), sorted(self.constants.items()),
                     sorted((k, sorted(map(repr, v.items()))) for k, v in self.values.items()),
                     self.header_rows, self.reject_rows, self.preset, self.assumed))


def _scalar_text(v: Any) -> str | None:
    """A YAML scalar as the text a cell holds (``true`` → "true", ``null`` → None)."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def parse_spec(canon: str, spec: Any, where: str = "columns") -> ColumnSpec:
    """One ``columns:`` entry → :class:`ColumnSpec`.

    >>> parse_spec("received_at", ["Date", "Time"])
    ColumnSpec(sources=('Date', 'Time'), sep=' ', format=None, day_number_from=None)
    >>> parse_spec("contact_id", {"join": ["line", "id"], "sep": "-"}).sources
    ('line', 'id')
    """
    if isinstance(spec, (str, int, float)) and not isinstance(spec, bool):
        return ColumnSpec((str(spec),))
    if isinstance(spec, (list, tuple)) and spec and all(isinstance(s, (str, int)) for s in spec):
        return ColumnSpec(tuple(str(s) for s in spec))
    if isinstance(spec, dict):
        unknown = set(spec) - set(SPEC_KEYS)
        src = spec.get("join", spec.get("column"))
        if unknown or src is None:
            raise InputError("error.io.expected_header_list_2",
                             where=where,
                             canon=canon,
                             value=sorted(map(str, spec)))
        base = parse_spec(canon, src, where)
        return replace(base, sep=str(spec.get("sep", " ")), format=spec.get("format"),
                       day_number_from=None if spec.get("day_number_from") is None
                       else str(spec["day_number_from"]))
    raise InputError("error.io.expected_header_list", where=where, canon=canon, spec=repr(spec))


def from_source(source: Any, where: str = "data") -> Mapping | None:
    """A mapping from a ``data.<table>`` entry (DataSource, dict or plain file name → None).

    >>> from_source("contacts.csv") is None
    True
    >>> from_source({"file": "x.csv", "constants": {"channel": "phone"}}).constants
    {'channel': 'phone'}
    """
    if source is None or isinstance(source, str):
        return None
    d = source.model_dump() if hasattr(source, "model_dump") else dict(source)
    columns = {str(k): parse_spec(str(k), v, f"{where}.columns") for k, v in (d.get("columns") or {}).items()}
    constants = {str(k): _scalar_text(v) for k, v in (d.get("constants") or {}).items()}
    values = {}
    for k, table in (d.get("values") or {}).items():
        if not isinstance(table, dict):
            raise InputError("error.io.expected_export_value", where=where, k=k, table=repr(table))
        values[str(k)] = {kk: _scalar_text(vv) for kk, vv in table.items()}
    rules = tuple(RejectRule(column=str(r["column"]), reason=str(r["reason"]),
                             values=tuple(str(x) for x in r.get("values", ()) or ()),
                             not_in=None if r.get("not_in") is None else tuple(str(x) for x in r["not_in"]))
                  for r in d.get("reject_rows") or ())
    notes = tuple(str(n) for n in d.get("notes") or ())
    assumed = d.get("assumed") or ()
    if isinstance(assumed, str) or not all(isinstance(a, str) for a in assumed):
        raise InputError("error.io.expected_list_constant", where=where, assumed=repr(assumed))
    stray = [a for a in assumed if a not in constants]
    if stray:
        raise InputError("error.io.constants_constants",
                         where=where,
                         value=', '.join(stray),
                         value2=', '.join(constants) or 'none')
    return Mapping(columns=columns, constants=constants, values=values,
                   header_rows=int(d.get("header_rows") or 1), reject_rows=rules, notes=notes,
                   preset=d.get("name"), assumed=tuple(str(a) for a in assumed))


def assumed_columns(mapping: Mapping | None) -> list[str]:
    """The canonical columns a mapping fills with an assumed constant (``assumed:``), not
    taken from a column of the export.

    >>> m = from_source({"constants": {"answered": True, "channel": "phone"}, "assumed": ["answered"]})
    >>> assumed_columns(m), assumed_columns(from_source({"constants": {"channel": "phone"}}))
    (['answered'], [])
    >>> assumed_columns(from_source({"columns": {"answered": "Taken"}}).merged_over(m))
    []
    """
    if mapping is None:
        return []
    return [c for c in mapping.assumed
            if c in mapping.constants and c not in mapping.columns and c not in mapping.values]


class HeaderMatcher:
    """Scores header candidates for the readers: the schema's aliases plus the exact headers a
    mapping or a preset names (so the header line of a mapped export is found below title rows).

    >>> from cxtoolkit.schemas import CONTACTS
    >>> m = HeaderMatcher(CONTACTS, {"Appels du jour"})
    >>> m.match("Canal"), m.match("appels  du jour"), m.match("Foo")
    ('channel', '~appels_jour', None)
    """

    def __init__(self, schema: Schema, headers: set[str] | frozenset[str] = frozenset()) -> None:
        self.schema = schema
        self.extra = {normalise_header(h) for h in headers if str(h).strip()}

    def match(self, header: object) -> str | None:
        name = self.schema.match(header)
        if name is not None:
            return name
        key = normalise_header(header)
        return "~" + key if key in self.extra else None


def _find(header: str, columns: list[str]) -> str | None:
    """The file's column for a mapped header: as written, else the only one equal to it
    ignoring case and spacing."""
    if header in columns:
        return header
    fold = " ".join(str(header).split()).casefold()
    cands = [c for c in columns if " ".join(str(c).split()).casefold() == fold]
    return cands[0] if len(cands) == 1 else None


def _join(parts: list[pd.Series], sep: str) -> pd.Series:
    """Cells of several columns joined with ``sep`` (empty parts left out at the ends).

    An Excel date cell at midnight joined with a time, or an Excel time cell stored on the
    1899-12-30 epoch, loses its dummy part (checked on a sample first: a text date column
    costs no regex pass)."""
    texts = []
    for i, p in enumerate(parts):
        t = as_text(p)
        head = t.dropna().head(200)
        if len(parts) > 1 and i > 0 and head.str.contains(_EXCEL_EPOCH_TIME).any():
            t = t.str.replace(_EXCEL_EPOCH_TIME, "", regex=True)
        if len(parts) > 1 and i < len(parts) - 1 and sep == " " and head.str.contains(_MIDNIGHT).any():
            t = t.str.replace(_MIDNIGHT, "", regex=True)
        texts.append(t)
    out = _concat(texts, sep)
    out = out.str.strip()
    return out.mask(out == sep.strip()).mask(out == "")


def _concat(texts: list[pd.Series], sep: str) -> pd.Series:
    """Element-wise join (Arrow's kernel for Arrow-backed text; empty cells as "")."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        arrs = []
        for t in texts:
            a = t.array._pa_array if hasattr(t.array, "_pa_array") else \
                pa.chunked_array([pa.array(t.to_numpy(dtype=object, na_value=None), pa.string())])
            arrs.append(pc.fill_null(a.cast(pa.large_string()), ""))
        res = pc.binary_join_element_wise(*arrs, pa.scalar(sep, pa.large_string()))
        return pd.Series(pd.array(res, dtype=pd.StringDtype("pyarrow", na_value=np.nan)), index=texts[0].index)
    except ImportError:  # pragma: no cover
        out = texts[0].fillna("")
        for t in texts[1:]:
            out = out + sep + t.fillna("")
        return out


def _with_format(t: pd.Series, fmt: str) -> pd.Series:
    """Cells read with ``fmt`` become ISO text; cells that do not fit stay as written."""
    parsed = pd.to_datetime(t, format=fmt, errors="coerce")
    iso = parsed.dt.strftime("%Y-%m-%d %H:%M:%S")
    return iso.where(parsed.notna(), t)


def _from_day_number(t: pd.Series, origin: str, where: str) -> pd.Series:
    try:
        day0 = pd.Timestamp(origin)
    except (ValueError, TypeError):
        raise InputError("error.io.day_number_date", where=where, origin=repr(origin)) from None
    n = pd.to_numeric(t, errors="coerce")
    ok = n.notna() & (n % 1 == 0) & (n.abs() < 100_000)
    days = pd.to_timedelta((n.where(ok, 1) - 1).astype("int64"), unit="D")
    iso = (day0 + days).dt.strftime("%Y-%m-%d")
    return iso.where(ok, t)


def _recode(t: pd.Series, table: dict[Any, str | None]) -> pd.Series:
    """Export values → canonical values: as written, else ignoring case; others unchanged.

    A YAML ``yes:``/``no:`` key (read as a boolean) stands for the words meaning yes/no."""
    from cxtoolkit.schemas import FALSE_WORDS, TRUE_WORDS

    exact: dict[str, str | None] = {}
    folded: dict[str, str | None] = {}
    for k, v in table.items():
        if isinstance(k, bool):
            for w in (TRUE_WORDS if k else FALSE_WORDS) + (("on",) if k else ("off",)):
                folded.setdefault(w, v)
            continue
        key = _scalar_text(k) or ""
        exact[key.strip()] = v
        folded.setdefault(key.strip().casefold(), v)
    missing = object()

    def look(u: str):
        v = exact.get(u, missing)
        if v is missing:
            v = folded.get(u.casefold(), missing)
        return u if v is missing else v

    return map_values(as_text(t), look)


def _percent(t: pd.Series) -> pd.Series:
    """``94.01%`` → ``0.9401`` (a rate written as a percentage); other cells unchanged."""
    txt = as_text(t)
    m = txt.str.extract(r"^([+-]?\d+(?:[.,]\d+)?)\s*%$")[0]
    if m.isna().all():
        return t
    num = pd.to_numeric(m.str.replace(",", "."), errors="coerce") / 100
    return txt.where(num.isna(), num.map(lambda x: repr(round(float(x), 10)) if pd.notna(x) else x))


def apply(raw: RawTable, mapping: Mapping | None, schema: Schema, table: str | None = None,
          locale: str = "en") -> tuple[RawTable, list[str]]:
    """``raw`` with the mapped columns under their canonical names; returns ``(raw, warnings)``.

    The warnings (the reader's too) and the reasons of the rows a preset rejects are said in
    ``locale``, the client's language (a preset's note or reason names a catalogue key,
    :func:`said`; one written in client.yml is shown as written).

    Raises :class:`~cxtoolkit.errors.InputError` (one line, naming the file, the mapping key and
    every column found) when a mapping names a column the file lacks or an unknown column.
    """
    table = table or schema.table
    warnings: list[str] = [render(w, locale) for w in raw.warnings]  # the reader's (encoding, Excel sheets...)
    df, rows, problems = raw.df, raw.rows, list(raw.problems)
    row_files = raw.row_files
    m = mapping or Mapping()
    if m.header_rows > 1:  # extra header rows (question texts, import ids) are not records
        skip = m.header_rows - 1
        df, rows = df.iloc[skip:].reset_index(drop=True), rows[skip:]
        problems = [(mask[skip:], c, r) for mask, c, r in problems]
        row_files = None if row_files is None else row_files[skip:]
    found = [str(c) for c in df.columns]
    shown = ", ".join(found)
    known = schema.names
    for part in ("columns", "constants", "values"):
        for k in getattr(m, part):
            if k not in known:
                raise InputError("error.io.data_unknown_column",
                                 file=raw.file,
                                 table=table,
                                 part=part,
                                 k=k,
                                 value=', '.join(known),
                                 shown=shown)
    new: dict[str, pd.Series] = {}
    consumed: set[str] = set()
    for canon, spec in m.columns.items():
        cols = []
        for h in spec.sources:
            c = _find(h, found)
            if c is None:
                raise InputError("error.io.data_columns_column",
                                 file=raw.file,
                                 table=table,
                                 canon=canon,
                                 h=repr(h),
                                 shown=shown)
            cols.append(c)
        consumed.update(cols)
        where = f"{raw.file}: data.{table}.columns.{canon}"
        s = df[cols[0]] if len(cols) == 1 and not (spec.format or spec.day_number_from) else \
            _join([df[c] for c in cols], spec.sep)
        if spec.format:
            s = _with_format(s, spec.format)
        if spec.day_number_from:
            s = _from_day_number(s, spec.day_number_from, where)
        new[canon] = s
    for canon, table_values in m.values.items():
        if canon in new:
            new[canon] = _recode(new[canon], table_values)
        else:  # recoding a column found by its alias
            hit = [h for h, c in schema.resolve(found).items() if c == canon and h not in consumed]
            if hit:
                new[canon] = _recode(df[hit[0]], table_values)
                consumed.add(hit[0])
    for canon in list(new):
        if canon in schema and schema[canon].kind in ("number", "int") and _is_text(new[canon]):
            new[canon] = _percent(new[canon])
    for canon, value in m.constants.items():
        if canon in new:
            continue
        new[canon] = pd.Series(value if value is not None else np.nan, index=df.index, dtype="str")
    for rule in m.reject_rows:
        c = _find(rule.column, found)
        if c is None:
            continue
        t = as_text(df[c])
        mask = t.isin(rule.values) if rule.values else pd.Series(False, index=df.index)
        if rule.not_in is not None:
            mask = mask | (t.notna() & ~t.isin(rule.not_in))
        problems.append((mask.fillna(False).to_numpy(dtype=bool), c, said(rule.reason, locale)))
        consumed.discard(c)  # kept, so the rejects show its value
    rest = [c for c in df.columns if c not in consumed]
    if not new and len(rest) == len(df.columns) and m.header_rows == 1:
        out_df = df
    else:
        canon_keys = {normalise_header(k) for k in new}
        frame = dict(new)
        for c in rest:
            name = c if normalise_header(c) not in canon_keys else f"{c}_raw"
            frame[name] = df[c]
        out_df = pd.DataFrame(frame, index=df.index)
    id_col = ROW_ID_COLUMNS.get(table)
    resolved = set(schema.resolve(list(out_df.columns)).values())
    if id_col and resolved and id_col not in resolved:  # (a file of unknown columns only: not this table)
        out_df = out_df.copy()
        out_df.insert(0, id_col, pd.Series(rows.astype(str), index=out_df.index, dtype="str"))
        warnings.append(render(Finding("io.warning.no_id", {"file": raw.file, "column": id_col}), locale))
    warnings.extend(render(Finding("io.warning.note", {"file": raw.file, "note": said(n, locale)}), locale)
                    for n in m.notes)
    return RawTable(df=out_df, rows=np.asarray(rows), file=raw.file, sep=raw.sep, encoding=raw.encoding,
                    problems=problems, row_files=row_files), warnings


def said(note: str, locale: str = "en") -> str:
    """A preset's note or reject reason in ``locale``: a preset names a key of the message
    catalogue (``io.preset.<preset>.<name>``); a text written in client.yml is shown as written.

    >>> said("io.preset.anonymous_bank.phantom", "fr"), said("test calls", "fr")
    ('appel PHANTOM (pas un vrai appel)', 'test calls')
    """
    from cxtoolkit.messages import has, text

    return text(note, locale) if note.startswith("io.preset.") and has(note) else note


def _is_text(s: pd.Series) -> bool:
    return s.dtype == object or isinstance(s.dtype, pd.StringDtype)


def _inert(schema: Schema) -> set[str]:
    """Canonical columns whose cells can neither reject a row nor be blanked nor warned about:
    free text/ids/segments (no allowed values) that are not required, not a key and not a
    source of a derived column. Leaving them unread changes no accepted row and no reject."""
    hard = set(schema.required) | set(schema.unique) | set(schema.derivable) | set(schema.helper_aliases)
    hard |= {a for alts in schema.derivable.values() for a in alts}
    return {c.name for c in schema.columns
            if c.kind in ("id", "segment", "text") and not c.allowed and c.name not in hard}


def projection(names: list[str], textual: set[str], schema: Schema, mapping: Mapping | None,
               needed: set[str]) -> list[str] | None:
    """The file's headers to read when only the canonical columns ``needed`` are used
    (None: read them all).

    Dropped: headers of inert columns (:func:`_inert`) not needed, and unknown headers — a
    text one only when no numeric column of the schema is text in the file (the comma style of
    such a column is decided from every text column). Headers a mapping names are kept; no
    projection when a required column is not found by its name or alias (the error lists
    every column of the file).

    >>> from cxtoolkit.schemas import CONTACTS
    >>> projection(["contact_id", "channel", "received_at", "answered", "wait_s", "team", "x"],
    ...            {"contact_id", "team", "x"}, CONTACTS, None, {"channel"})
    ['contact_id', 'channel', 'received_at', 'answered', 'wait_s']
    """
    m = mapping or Mapping()
    named = {" ".join(str(h).split()).casefold() for h in m.headers}
    resolved = schema.resolve(names)
    found = set(resolved.values()) | set(m.columns) | set(m.constants)
    if not set(schema.required) <= found:
        return None
    inert = _inert(schema) - set(needed)
    numeric_text = any(canon in schema and schema[canon].kind in ("number", "int", "duration")
                       for h, canon in resolved.items() if h in textual)
    keep = []
    for h in names:
        if " ".join(str(h).split()).casefold() in named:
            keep.append(h)
            continue
        canon = resolved.get(h)
        if canon is None and (h not in textual or not numeric_text):
            continue
        if canon is not None and canon in inert:
            continue
        keep.append(h)
    return keep if len(keep) < len(names) else None


def _parquet_headers(path) -> tuple[list[str], set[str]] | None:
    """A Parquet file's column names and its text columns (None: not a readable Parquet file)."""
    from pathlib import Path

    from cxtoolkit.io.readers import PARQUET_SUFFIXES

    if Path(path).suffix.lower() not in PARQUET_SUFFIXES:
        return None
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq

        sch = pq.read_schema(path)
    except Exception:  # noqa: BLE001 - the reader says what is wrong with the file
        return None
    index = set()
    meta = sch.pandas_metadata or {}
    for c in meta.get("index_columns", []):
        if isinstance(c, str):
            index.add(c)
    names = [n for n in sch.names if n not in index]

    def textual(t) -> bool:
        if pa.types.is_dictionary(t):
            t = t.value_type
        return pa.types.is_string(t) or pa.types.is_large_string(t) or getattr(pa.types, "is_string_view",
                                                                                 lambda _: False)(t)
    return names, {n for n in names if textual(sch.field(n).type)}


def read_mapped(path, table: str, source: Any = None, *, sheet: str | int | None = None,
                name: str | None = None, reader=None, needed: set[str] | None = None,
                assumed: list[str] | None = None, locale: str = "en") -> tuple[RawTable, list[str], str | None]:
    """Read ``path`` as ``table`` through its mapping and any preset its header matches.

    ``source`` is the ``data.<table>`` entry (None or a file name: no mapping). Returns
    ``(raw, warnings, preset name or None)``; ``raw`` is ready for validation. ``needed``:
    the canonical columns the caller uses (None: all); a Parquet file then is read without
    the columns that cannot change the validation (:func:`projection`). ``assumed``: a list
    that receives the columns filled by an assumed constant (:func:`assumed_columns`).
    ``locale``: the language of the warnings and of the preset's reject reasons (:func:`apply`).
    """
    from cxtoolkit.io import presets as _presets
    from cxtoolkit.io.readers import read_file
    from cxtoolkit.schemas import SCHEMAS

    schema = SCHEMAS[table]
    user = from_source(source, f"data.{table}")
    chosen = getattr(source, "preset", None) if not isinstance(source, dict) else source.get("preset")
    if sheet is None and source is not None and not isinstance(source, str):
        sheet = source.get("sheet") if isinstance(source, dict) else getattr(source, "sheet", None)
        if isinstance(sheet, int) and not isinstance(sheet, bool):
            sheet = sheet - 1  # client.yml counts sheets from 1
    preset = _presets.get(chosen, table) if chosen else None
    headers = (user.headers if user else set()) | _presets.header_names(table)
    head = _parquet_headers(path) if needed is not None else None
    detected = False
    if head is not None:
        if preset is None and not (user and user.columns.keys() >= set(schema.required)):
            preset, detected = _presets.detect(head[0], table), True
        base = from_source(preset) if preset else None
        keep = projection(head[0], head[1], schema, user.merged_over(base) if user else base, needed)
        raw = read_file(path, name=name, columns=keep) if keep is not None else \
            (reader or read_file)(path, HeaderMatcher(schema, headers), sheet=sheet, name=name)
    else:
        raw = (reader or read_file)(path, HeaderMatcher(schema, headers), sheet=sheet, name=name)
    if preset is None and not detected and not (user and user.columns.keys() >= set(schema.required)):
        preset = _presets.detect(list(raw.df.columns), table)
    base = from_source(preset) if preset else None
    mapping = user.merged_over(base) if user else base
    raw, warnings = apply(raw, mapping, schema, table, locale)
    if assumed is not None:
        assumed.extend(assumed_columns(mapping))
    return raw, warnings, preset["name"] if preset else None
