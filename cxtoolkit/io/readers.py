"""Readers: CSV (separator, decimal and encoding detection, title rows), Excel, Parquet.

A reader returns a :class:`RawTable`: the cells as they came (text for CSV and Excel,
typed for Parquet), the row number a human sees for each record (CSV: header = line 1;
Excel: the sheet's row number; Parquet: the 1-based record number) and the file name.
Unusable files raise :class:`~cxtoolkit.errors.InputError` naming the file and the reason.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
>>> _ = p.write_text("Rapport du 01/03/2024\\nN° appel;Canal;Attente\\n1;tel;12,5\\n", encoding="cp1252")
>>> raw = read_file(p, CONTACTS)
>>> list(raw.df.columns), raw.rows.tolist(), raw.sep
(['N° appel', 'Canal', 'Attente'], [3], ';')
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cxtoolkit.errors import InputError
from cxtoolkit.io.parse import cell_to_str
from cxtoolkit.schemas import CONTACTS, Schema  # noqa: F401  (CONTACTS used in the doctest)

SEPARATORS = (";", "\t", ",", "|")
HEADER_SCAN_LINES = 30
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
PARQUET_SUFFIXES = (".parquet", ".pq")


@dataclass
class RawTable:
    """Cells as read, before validation."""

    df: pd.DataFrame
    rows: np.ndarray
    file: str
    sep: str | None = None
    encoding: str | None = None
    #: problems found before validation (adapters): (mask over df rows, column, reason)
    problems: list[tuple[np.ndarray, str, str]] = field(default_factory=list)


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    head = raw[:8192]
    if b"\x00" in head:
        raise InputError(f"{name}: binary file (NUL bytes), not a text/CSV export — "
                         "UTF-16 exports must be re-saved as UTF-8")
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
    if head and ctrl / len(head) > 0.05:
        raise InputError(f"{name}: binary file, not a text/CSV export")
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise InputError(f"{name}: unreadable text encoding (neither UTF-8 nor cp1252)")


def _score(cells: list[str], schema: Schema | None) -> int:
    if schema is None:
        return 0
    return len(set(filter(None, (schema.match(c) for c in cells if str(c).strip()))))


def _detect_layout(lines: list[str], schema: Schema | None) -> tuple[str, int]:
    """(separator, 0-based header line) maximising the number of known column names."""
    best: tuple[int, int, int, str] | None = None  # (score, -line, nfields, sep)
    for sep in SEPARATORS:
        short = [ln[:10_000] for ln in lines[:HEADER_SCAN_LINES]]  # headers are short; huge fields are not
        for i, rec in enumerate(csv.reader(short, delimiter=sep)):
            if not rec or not any(c.strip() for c in rec):
                continue
            key = (_score(rec, schema), -i, len(rec), sep)
            if best is None or key[:3] > best[:3]:
                best = key
    if best is not None and best[0] > 0:
        return best[3], -best[1]
    # no known header: the separator giving the most (and consistent) fields on line 1
    first = next((i for i, ln in enumerate(lines) if ln.strip()), 0)
    counts = {sep: lines[first].count(sep) for sep in SEPARATORS}
    sep = max(SEPARATORS, key=lambda s: (counts[s], -SEPARATORS.index(s)))
    return sep, first


def read_csv(path: Path, schema: Schema | None = None, name: str | None = None) -> RawTable:
    """Read a delimited text file as text cells; see the module docstring."""
    name = name or str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if not raw.strip(b" \t\r\n\xef\xbb\xbf"):
        raise InputError(f"{name}: empty file")
    text, enc = _decode(raw, name)
    sample = text[:200_000].splitlines()[: HEADER_SCAN_LINES + 1]
    sep, header_line = _detect_layout(sample, schema)
    df = _read_csv_fast(raw, text, enc, sep, header_line)
    if df is not None:
        rows = np.arange(len(df), dtype=np.int64) + header_line + 2
    else:
        df, rows = _read_csv_pandas(text, sep, header_line, name)
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    # blank lines and separator-only lines (";;;;") are not records
    keep = np.ones(len(df), dtype=bool)
    if len(df.columns) and len(df):
        first = df.iloc[:, 0]
        cand = (first.isna() | (first.astype("str").str.strip() == "")).to_numpy()
        if cand.any():
            sub = df.loc[cand]
            blank = (sub.isna() | (sub.astype("str").apply(lambda c: c.str.strip()) == "")).all(axis=1)
            keep[np.flatnonzero(cand)[blank.to_numpy()]] = False
    if not keep.all():
        df = df.loc[keep].reset_index(drop=True)
        rows = rows[keep]
    problems = []
    extra = [c for c in df.columns if c.startswith("_extra_")]
    if extra:  # a record with more fields than the header may be shifted: never trust it
        surplus = df[extra[0]].notna() & (df[extra[0]].astype("str").str.strip() != "")
        problems.append((surplus.to_numpy(), extra[0], "more fields than the header"))
    return RawTable(df=df, rows=rows, file=name, sep=sep, encoding=enc, problems=problems)


def _read_csv_pandas(text: str, sep: str, header_line: int, name: str) -> tuple[pd.DataFrame, np.ndarray]:
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_filter=False,
                         skiprows=header_line, header=0, skip_blank_lines=False, engine="c",
                         quotechar='"')
        rows = np.arange(len(df), dtype=np.int64) + header_line + 2
    except pd.errors.ParserError:
        df, rows = _read_csv_slow(text, sep, header_line)
    except pd.errors.EmptyDataError:
        raise InputError(f"{name}: empty file") from None
    return df, rows


def _read_csv_fast(raw: bytes, text: str, enc: str, sep: str, header_line: int) -> pd.DataFrame | None:
    """pyarrow's multithreaded reader, used when row numbers stay exact: no blank line and
    no line break inside a quoted value (then it raises and the pandas path takes over)."""
    if b"\n\n" in raw or b"\n\r\n" in raw or b'"' in raw:
        return None
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:  # pragma: no cover
        return None
    data = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    if enc != "utf-8-sig":
        data = text.encode("utf-8")
    try:
        header = next(csv.reader(io.StringIO(text.split("\n", header_line + 1)[header_line]), delimiter=sep))
        names = [h.strip() or f"_col_{i + 1}" for i, h in enumerate(header)]
        if len(set(names)) != len(names):
            return None
        tbl = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(skip_rows=header_line + 1, column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=sep, quote_char=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, StopIteration, IndexError, UnicodeError):
        return None
    return tbl.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get)


def _read_csv_slow(text: str, sep: str, header_line: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Ragged files (a record with more fields than the header): keep every record, with
    its exact line number; surplus fields go to ``_extra_<n>`` columns (kept, not lost)."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    try:
        return _read_records(text, sep, header_line)
    finally:
        csv.field_size_limit(limit)


def _read_records(text: str, sep: str, header_line: int) -> tuple[pd.DataFrame, np.ndarray]:
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    records: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    for rec in reader:
        if reader.line_num <= header_line:
            continue
        if header is None:
            header = rec
            continue
        records.append(rec)
        lines.append(reader.line_num)
    header = header or []
    width = max([len(header)] + [len(r) for r in records])
    cols = header + [f"_extra_{i + 1}" for i in range(width - len(header))]
    df = pd.DataFrame([r + [""] * (width - len(r)) for r in records], columns=cols, dtype="str")
    return df, np.asarray(lines, dtype=np.int64)


def read_excel(path: Path, schema: Schema | None = None, sheet: str | int | None = None,
               name: str | None = None) -> RawTable:
    """First sheet (or ``sheet``) of a workbook; the header row is detected (title rows above it)."""
    name = name or str(path)
    try:
        book = pd.ExcelFile(path)
    except ImportError as exc:
        raise InputError(f"{name}: cannot read this Excel format ({exc}); save it as .xlsx") from None
    except Exception as exc:  # zipfile.BadZipFile, openpyxl errors, xlrd errors...
        raise InputError(f"{name}: not a readable Excel workbook ({type(exc).__name__})") from None
    if sheet is not None and sheet not in book.sheet_names and not isinstance(sheet, int):
        raise InputError(f"{name}: no sheet {sheet!r} (sheets: {', '.join(book.sheet_names)})")
    grid = pd.read_excel(book, sheet_name=sheet if sheet is not None else 0, header=None, dtype=object)
    book.close()
    if grid.empty or grid.isna().all().all():
        raise InputError(f"{name}: empty sheet")
    text = grid.map(cell_to_str)
    top = text.head(HEADER_SCAN_LINES)
    scores = [_score([c for c in r if c is not None], schema) for r in top.itertuples(index=False)]
    nonempty = top.notna().any(axis=1).to_numpy()
    if max(scores) > 0:
        h = int(np.argmax(scores))
    else:
        h = int(np.argmax(nonempty))
    header = [str(c).strip() if c is not None else f"_col_{j + 1}" for j, c in enumerate(text.iloc[h])]
    body = text.iloc[h + 1:].copy()
    body.columns = header
    body = body.loc[:, [not (c.startswith("_col_") and body[c].isna().all()) for c in header]]
    rows = np.arange(h + 2, h + 2 + len(body), dtype=np.int64)
    keep = body.notna().any(axis=1).to_numpy()
    body = body.loc[keep].reset_index(drop=True).astype("str")
    body = body.mask(body.isna())
    return RawTable(df=body, rows=rows[keep], file=name)


def read_parquet(path: Path, name: str | None = None) -> RawTable:
    """Parquet keeps its types; row numbers are 1-based record numbers."""
    name = name or str(path)
    try:
        df = pd.read_parquet(path)
    except Exception as exc:
        raise InputError(f"{name}: not a readable Parquet file ({type(exc).__name__})") from None
    df = df.reset_index(drop=True)
    return RawTable(df=df, rows=np.arange(1, len(df) + 1, dtype=np.int64), file=name)


def read_file(path: Path | str, schema: Schema | None = None, sheet: str | int | None = None,
              name: str | None = None) -> RawTable:
    """Read ``path`` by its extension (CSV/TXT/TSV otherwise)."""
    p = Path(path)
    name = name or str(p)
    if not p.exists():
        raise InputError(f"{name}: file not found")
    if p.is_dir():
        raise InputError(f"{name}: is a folder, not a file")
    suf = p.suffix.lower()
    if suf in EXCEL_SUFFIXES:
        return read_excel(p, schema, sheet=sheet, name=name)
    if suf in PARQUET_SUFFIXES:
        return read_parquet(p, name=name)
    head = p.read_bytes()[:8]
    if head.startswith(b"PK\x03\x04"):
        raise InputError(f"{name}: looks like an Excel/zip file, not a CSV — rename it .xlsx")
    if head.startswith(b"PAR1"):
        return read_parquet(p, name=name)
    return read_csv(p, schema, name=name)
