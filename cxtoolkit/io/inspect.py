"""First look at a new client's file: its columns, what they look like, a proposed mapping.

:func:`describe` lists each column with sample values and the type its values look like;
:func:`propose_mapping` proposes the ``data:`` entries of client.yml (from the presets, the
headers' aliases and the values' shapes), ready to paste — ``cxtoolkit inspect FILE`` prints
both, and a later ``cxtoolkit init --from FILE`` can write the proposal into client.yml.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "calls.csv"
>>> _ = p.write_text("Call Id,Date,Time,Answered (Y/N),Speed of answer in seconds,Topic\\n"
...                  "1,2024-03-01,09:00:00,Y,12,Billing\\n2,2024-03-01,09:05:00,N,40,Other\\n")
>>> describe(p)[["column", "looks_like"]].values.tolist()
[['Call Id', 'number'], ['Date', 'date'], ['Time', 'time'], ['Answered (Y/N)', 'yes/no'], \
['Speed of answer in seconds', 'number'], ['Topic', 'text']]
>>> propose_mapping(p)["data"]["contacts"]["columns"]
{'contact_id': 'Call Id', 'answered': 'Answered (Y/N)', 'wait_s': 'Speed of answer in seconds', \
'reason': 'Topic', 'received_at': ['Date', 'Time']}
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from cxtoolkit.io.parse import as_text, parse_bool, parse_datetime, parse_duration, parse_number
from cxtoolkit.schemas import SCHEMAS, Schema

#: tables tried, in this order, when proposing a mapping
PROPOSE_ORDER = ("contacts", "responses", "daily_reports", "evaluations", "sends", "agents")
#: canonical kinds each value shape may feed
FITS = {
    "id": {"number", "text", "category"},
    "segment": {"number", "text", "category", "yes/no"},
    "text": {"text", "category"},
    "datetime": {"date-time", "date"},
    "date": {"date", "date-time"},
    "bool": {"yes/no"},
    "duration": {"number", "duration", "time"},
    "number": {"number", "percent"},
    "int": {"number"},
}
SAMPLE_ROWS = 2000
#: fixed layouts tried when a date (and time) does not read as ISO or day-first
DATE_FORMATS = ("%d-%m-%Y %I:%M:%S %p", "%d/%m/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S",
                "%m/%d/%Y %H:%M", "%Y-%m-%d %I:%M:%S %p", "%y%m%d %H:%M:%S", "%Y%m%d %H:%M:%S", "%m/%d/%Y",
                "%y%m%d", "%Y%m%d")


class _AnyTable:
    """Header scoring over every schema's aliases (finds the header line below title rows)."""

    def match(self, header: object) -> str | None:
        for s in SCHEMAS.values():
            name = s.match(header)
            if name is not None:
                return f"{s.table}.{name}"
        return None


def read_any(path: Path | str, sheet: str | int | None = None):
    """The file's cells as read for any table (a :class:`~cxtoolkit.io.readers.RawTable`)."""
    from cxtoolkit.errors import InputError
    from cxtoolkit.io.loader import unreadable
    from cxtoolkit.io.readers import read_file

    try:
        return read_file(path, _AnyTable(), sheet=sheet)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - one line naming the file, as validate says it
        raise unreadable(exc, path) from exc


def looks_like(s: pd.Series) -> str:
    """The shape of a column's values: empty, yes/no, percent, time, duration, date, date-time,
    number, category or text.

    >>> looks_like(pd.Series(["94.01%", "91.00%"])), looks_like(pd.Series(["0:02:14", "0:03:10"]))
    ('percent', 'time')
    >>> looks_like(pd.Series(["oui", "non", "oui"])), looks_like(pd.Series(["22-04-2015", "04-08-2015"]))
    ('yes/no', 'date')
    """
    t = as_text(s).dropna()
    if t.empty:
        return "empty"
    t = t.head(SAMPLE_ROWS)
    share = lambda bad: 1 - bad.sum() / len(t)  # noqa: E731
    if share(parse_bool(t)[1]) >= 0.95 and t.str.lower().nunique() <= 4 and not t.str.fullmatch(r"\d+").all():
        return "yes/no"
    if t.str.fullmatch(r"[+-]?\d+(?:[.,]\d+)?\s*%").mean() >= 0.95:
        return "percent"
    if t.str.fullmatch(r"\d{1,3}:\d{2}(:\d{2})?(\s*[AaPp][Mm])?").mean() >= 0.95:
        return "time"
    if share(parse_number(t)[1]) >= 0.95:
        return "number"
    if share(parse_duration(t)[1]) >= 0.95:
        return "duration"
    dt, bad = parse_datetime(t)
    if share(bad) >= 0.95 or t.str.fullmatch(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}(\s.*)?").mean() >= 0.95:
        ok = dt.dropna()
        if (ok == ok.dt.normalize()).all() and (len(ok) or not t.str.contains(":").any()):
            return "date"
        return "date-time"
    n_distinct = t.nunique()
    return "category" if n_distinct <= max(20, len(t) // 50) and n_distinct < len(t) else "text"


def describe(path: Path | str, sheet: str | int | None = None, n_samples: int = 3) -> pd.DataFrame:
    """One row per column: ``column, filled, distinct, samples, looks_like, alias`` (the
    canonical ``table.column`` its header stands for, if any)."""
    raw = read_any(path, sheet)
    rows = []
    for c in raw.df.columns:
        t = as_text(raw.df[c])
        uniq = t.dropna().unique()
        rows.append({"column": str(c), "filled": int(t.notna().sum()), "distinct": int(t.nunique()),
                     "samples": [str(u) for u in uniq[:n_samples]], "looks_like": looks_like(raw.df[c]),
                     "alias": _AnyTable().match(c) or ""})
    return pd.DataFrame(rows, columns=["column", "filled", "distinct", "samples", "looks_like", "alias"])


def date_format(text: pd.Series) -> str | None:
    """None when ``text`` reads as dates as it is, else the first fixed layout that reads it.

    >>> date_format(pd.Series(["22-04-2015 03:53:50 PM", "04-08-2015 10:22:56 AM"]))
    '%d-%m-%Y %I:%M:%S %p'
    >>> date_format(pd.Series(["2024-03-01 10:00:00"])) is None
    True
    """
    t = as_text(text).dropna().head(SAMPLE_ROWS)
    if t.empty or parse_datetime(t)[1].mean() <= 0.05:
        return None
    for fmt in DATE_FORMATS:
        if pd.to_datetime(t, format=fmt, errors="coerce").notna().mean() >= 0.95:
            return fmt
    return None


def _with_layout(raw, spec: object) -> object:
    """``spec`` (a header or a [date, time] list) with the date layout it needs, if any."""
    cols = spec if isinstance(spec, list) else [spec]
    parts = [as_text(raw.df[c]).fillna("") for c in cols]
    joined = parts[0]
    for p in parts[1:]:
        joined = joined + " " + p
    fmt = date_format(joined.str.strip())
    if fmt is None:
        return spec
    return {"join": cols, "format": fmt} if isinstance(spec, list) else {"column": spec, "format": fmt}


def _propose_table(schema: Schema, desc: pd.DataFrame) -> tuple[dict, list[str]]:
    """(columns mapping, required canonical columns still missing) for one table."""
    shape = dict(zip(desc["column"], desc["looks_like"]))
    columns: dict[str, object] = {}
    for header, canon in schema.resolve(list(desc["column"])).items():
        if canon not in schema:  # helper (a date or a time alone): joined below
            continue
        if shape[header] in FITS[schema[canon].kind] or shape[header] == "empty":
            columns[canon] = header
    ts = schema.main_ts
    if ts and ts not in columns:
        dates = [h for h in desc["column"] if shape[h] == "date"]
        times = [h for h in desc["column"] if shape[h] == "time"]
        stamps = [h for h in desc["column"] if shape[h] == "date-time"]
        if dates and times:
            columns[ts] = [dates[0], times[0]]
        elif stamps:
            columns[ts] = stamps[0]
        elif dates:
            columns[ts] = dates[0]
    present = set(columns)
    missing = [c for c in schema.required if c not in present
               and not any(a in present for a in schema.derivable.get(c, ()))]
    if schema.table == "contacts" and "wait_s" not in present:
        missing.append("wait_s")
    id_col = {"contacts": "contact_id", "responses": "response_id", "sends": "send_id"}.get(schema.table)
    missing = [c for c in missing if c != id_col]  # numbered from the file's rows when absent
    return columns, missing


def propose_mapping(path: Path | str, sheet: str | int | None = None) -> dict:
    """A proposed ``data:`` section for client.yml (pure but for reading ``path``).

    Returns ``{"data": {table: entry}, "missing": {table: [canonical columns]}, "presets":
    {table: name}}``. A table is proposed when a preset recognises the file, or when its
    headers cover at least two of its columns including its main date and all its required
    columns but one at most (survey answers: a score too); ``missing`` lists the required
    columns to map by hand (or to give as ``constants``).
    """
    from cxtoolkit.io import presets as _presets

    raw = read_any(path, sheet)
    desc = describe(path, sheet)
    name = Path(path).name
    data: dict[str, dict] = {}
    missing: dict[str, list[str]] = {}
    chosen: dict[str, str] = {}
    for table in PROPOSE_ORDER:
        base: dict[str, object] = {"file": name}
        if sheet is not None:
            base["sheet"] = sheet
        preset = _presets.detect(list(raw.df.columns), table)
        if preset is not None:
            data[table] = {**base, "preset": preset["name"]}
            chosen[table] = preset["name"]
            continue
        schema = SCHEMAS[table]
        columns, miss = _propose_table(schema, desc)
        for canon, spec in list(columns.items()):
            if canon in schema and schema[canon].kind in ("datetime", "date"):
                columns[canon] = _with_layout(raw, spec)
        if len(columns) < 2 or (schema.main_ts and schema.main_ts not in columns) or len(miss) > 1:
            continue
        if table == "responses" and not {"csat", "nps", "ces"} & set(columns):
            continue
        if any(_headers(columns) <= _headers(entry.get("columns", {})) for entry in data.values()):
            continue  # every header already feeds a table proposed before (a call log is not also sends)
        data[table] = {**base, "columns": columns}
        if miss:
            missing[table] = miss
    return {"data": data, "missing": missing, "presets": chosen}


def _headers(columns: dict) -> set[str]:
    """The export's headers a ``columns:`` mapping reads (a joined column reads several)."""
    out: set[str] = set()
    for spec in columns.values():
        if isinstance(spec, dict):
            spec = spec.get("join") or spec.get("column")
        out.update([spec] if isinstance(spec, str) else list(spec or ()))
    return out
