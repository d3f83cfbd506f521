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
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cxtoolkit.errors import InputError
from cxtoolkit.findings import Finding, Items, Msg, Num
from cxtoolkit.io import xlsx
from cxtoolkit.io.parse import as_text, cells_to_text
from cxtoolkit.io.prefetch import file_bytes, read_arrow
from cxtoolkit.io.xlsx import SheetScan, check_workbook
from cxtoolkit.schemas import CONTACTS, Schema  # noqa: F401  (CONTACTS used in the doctest)

SEPARATORS = (";", "\t", ",", "|")
_NOT_BLANK = re.compile(rb"[^ \t\r\n\xef\xbb\xbf]")
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
    #: problems found before validation (adapters): (mask over df rows, column, reason); the
    #: reason a text or a catalogue :class:`~cxtoolkit.findings.Msg`, said in the client's
    #: language by validation
    problems: list[tuple[np.ndarray, str, str | Msg]] = field(default_factory=list)
    #: things the user must know about the numbers (one line each, naming the file): texts or
    #: :class:`~cxtoolkit.findings.Finding` said in the client's language by the mapping
    #: (:func:`cxtoolkit.io.mapping.apply`)
    warnings: list[str | Finding] = field(default_factory=list)
    #: per-row source shown in the rejects when rows come from several places (sheets)
    row_files: np.ndarray | None = None


def _check_binary(raw: bytes, name: str) -> None:
    """InputError for a file whose first 8 kB are not text (NUL bytes, control characters)."""
    head = raw[:8192]
    if b"\x00" in head:
        raise InputError("error.io.binary_file_nul", name=name)
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
    if head and ctrl / len(head) > 0.05:
        raise InputError("error.io.binary_file_text", name=name)


#: bytes decoded before the layout is detected (the rest is left to pyarrow when it is UTF-8)
HEAD_BYTES = 1 << 20


def _utf8_head(raw: bytes) -> tuple[str, bool] | None:
    """The text of the first :data:`HEAD_BYTES` and whether that is the whole file, or None
    when they are not UTF-8.

    >>> _utf8_head("é;b\\n".encode()), _utf8_head("é".encode("cp1252"))
    (('é;b\\n', True), None)
    """
    chunk = raw[:HEAD_BYTES]
    whole = len(chunk) == len(raw)
    try:
        return chunk.decode("utf-8-sig"), whole
    except UnicodeDecodeError as exc:   # a character cut in two by the limit: stop before it
        if whole or exc.start < len(chunk) - 3 or exc.reason != "unexpected end of data":
            return None
        return chunk[:exc.start].decode("utf-8-sig"), False


def _layout(text: str, schema: Schema | None) -> tuple[str, int]:
    """(separator, 0-based header line) from the first lines of ``text``."""
    return _detect_layout(text[:200_000].splitlines()[: HEADER_SCAN_LINES + 1], schema)


def _decode(raw: bytes, name: str) -> tuple[str, str, list[int]]:
    """Text, encoding and the lines read as cp1252 in a UTF-8 file (see :func:`_decode_by_line`)."""
    _check_binary(raw, name)
    try:
        return raw.decode("utf-8-sig"), "utf-8-sig", []
    except UnicodeDecodeError:
        pass
    text, cp_lines = _decode_by_line(raw, name)
    if cp_lines is None:
        return text, "cp1252", []
    return text, MIXED_ENCODING, cp_lines


#: encoding reported for a UTF-8 file with some cp1252 lines (decoded line by line)
MIXED_ENCODING = "utf-8+cp1252"


def _decode_by_line(raw: bytes, name: str) -> tuple[str, list[int] | None]:
    """A file that is not wholly UTF-8: its UTF-8 lines as UTF-8, the others as cp1252.

    Returns the text and the 1-based numbers of the lines read as cp1252, or None when no
    line holds UTF-8 text beyond ASCII (a plain cp1252 file, decoded as a whole). Blocks of
    lines that are valid UTF-8 are decoded at once; only a block with a bad byte goes line
    by line.

    >>> _decode_by_line("Durée;x\\n1;été\\n".encode() + "2;é\\n".encode("cp1252"), "f")
    ('Durée;x\\n1;été\\n2;é\\n', [3])
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if not _has_utf8_text(raw):
        return _decode_cp1252(raw, name), None
    parts: list[str] = []
    cp_lines: list[int] = []
    pos, line_no, n = 0, 1, len(raw)
    while pos < n:
        end = raw.find(b"\n", pos + DECODE_BLOCK) if pos + DECODE_BLOCK < n else -1
        end = n if end < 0 else end + 1
        block = raw[pos:end]
        try:
            parts.append(block.decode("utf-8"))
            line_no += block.count(b"\n")
        except UnicodeDecodeError:
            lines = block.split(b"\n")
            for i, line in enumerate(lines):
                line += b"\n" if i < len(lines) - 1 else b""
                try:
                    parts.append(line.decode("utf-8"))
                except UnicodeDecodeError:
                    try:
                        parts.append(line.decode("cp1252"))
                    except UnicodeDecodeError:
                        raise InputError("error.io.unreadable_text_encoding_at_line", name=name,
                                         line_no=Num(line_no, "count")) from None
                    cp_lines.append(line_no)
                line_no += 1
            line_no -= 1  # the block's last piece is not followed by a line break
        pos = end
    return "".join(parts), cp_lines


DECODE_BLOCK = 1 << 20


def _has_utf8_text(raw: bytes) -> bool:
    """True when some bytes form a UTF-8 sequence beyond ASCII (a lead byte and a
    continuation byte): never in a plain cp1252 file's accented letters."""
    a = np.frombuffer(raw, dtype=np.uint8)
    lead = np.flatnonzero((a[:-1] >= 0xC2) & (a[:-1] <= 0xF4))
    return bool(((a[lead + 1] & 0xC0) == 0x80).any())


def _decode_cp1252(raw: bytes, name: str) -> str:
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError("error.io.unreadable_text_encoding", name=name) from None


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
        raw = file_bytes(path) or Path(path).read_bytes()   # the bytes a prefetch read (cxtoolkit.io.prefetch)
    except OSError as exc:
        raise InputError("error.io.cannot_read", name=name, value=exc.strerror or exc) from None
    if _NOT_BLANK.search(raw) is None:   # stops at the first character (no copy of the file)
        raise InputError("error.io.empty_file", name=name)
    _check_binary(raw, name)
    if b"\r" in raw[:HEAD_BYTES] and b"\n" not in raw:   # old-Mac line endings (a lone CR): one line each
        raw = raw.replace(b"\r", b"\n")
    df, head = None, _utf8_head(raw)
    if head is not None:   # UTF-8 as far as the first MB goes: pyarrow checks the rest as it reads
        sep, header_line = _layout(head[0], schema)
        df = _read_csv_fast(raw, head[0], "utf-8-sig", sep, header_line, complete=head[1])
        enc, cp_lines = "utf-8-sig", []
    if df is None:
        text, enc, cp_lines = _decode(raw, name)
        sep, header_line = _layout(text, schema)
        if head is None or enc != "utf-8-sig":   # (a UTF-8 file was tried above: same bytes, same answer)
            df = _read_csv_fast(raw, text, enc, sep, header_line)
    if df is not None:
        rows = np.arange(header_line + 2, header_line + 2 + len(df), dtype=np.int64)
    else:
        df, rows = _read_csv_pandas(text, sep, header_line, name)
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    # blank lines and separator-only lines (";;;;") are not records
    keep = np.ones(len(df), dtype=bool)
    if len(df.columns) and len(df):
        cand = as_text(df.iloc[:, 0]).isna().to_numpy()
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
        problems.append((surplus.to_numpy(), extra[0], Msg("io.reason.more_fields")))
    return RawTable(df=df, rows=rows, file=name, sep=sep, encoding=enc, problems=problems,
                    warnings=_mixed_encoding_warning(name, cp_lines))


def _mixed_encoding_warning(name: str, cp_lines: list[int]) -> list[Finding]:
    """The warning for a UTF-8 file with some lines in cp1252 (none when there are none)."""
    if not cp_lines:
        return []
    shown = ", ".join(map(str, cp_lines[:5])) + (" …" if len(cp_lines) > 5 else "")
    return [Finding("io.warning.cp1252", {"file": name, "n": Num(len(cp_lines), "count"), "lines": shown})]


def _read_csv_pandas(text: str, sep: str, header_line: int, name: str) -> tuple[pd.DataFrame, np.ndarray]:
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_filter=False,
                         skiprows=header_line, header=0, skip_blank_lines=False, engine="c",
                         quotechar='"')
        rows = np.arange(len(df), dtype=np.int64) + header_line + 2
    except pd.errors.ParserError:
        df, rows = _read_csv_slow(text, sep, header_line)
    except pd.errors.EmptyDataError:
        raise InputError("error.io.empty_file", name=name) from None
    return df, rows


def _read_csv_fast(raw: bytes, text: str, enc: str, sep: str, header_line: int,
                   complete: bool = True) -> pd.DataFrame | None:
    """pyarrow's multithreaded reader, used when row numbers stay exact: no quoted value (a
    line break inside one), no blank line in a one-column file (else the pandas path takes over).

    ``text`` is the file's text (``complete``) or its beginning; a UTF-8 file's bytes are read
    as they are, and pyarrow refuses any that are not UTF-8 (then None)."""
    if b'"' in raw:
        return None
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover
        return None
    data = pa.py_buffer(raw).slice(3 if raw.startswith(b"\xef\xbb\xbf") else 0)   # no copy
    if enc != "utf-8-sig":
        data = pa.py_buffer(text.encode("utf-8"))
    try:
        line = _line(text, header_line)
        if not complete and text.endswith(line):   # the header may go on past the text read
            return None
        header = next(csv.reader(io.StringIO(line), delimiter=sep))
        names = [h.strip() or f"_col_{i + 1}" for i, h in enumerate(header)]
        if len(set(names)) != len(names):
            return None
        # a blank line of a file of several columns is read as a record of empty cells (one line,
        # one record: row numbers stay exact), dropped below as pandas' is: no need to search
        # 100 MB for one (1M rows: 0.1-0.2 s)
        if len(names) == 1 and (b"\n\n" in raw or b"\n\r\n" in raw):
            return None
        # the table a prefetch parsed from these bytes with these options, else parsed now
        tbl = read_arrow(data, sep, header_line + 1, names, raw=raw if enc == "utf-8-sig" else None)
    except (pa.ArrowInvalid, StopIteration, IndexError, ValueError, UnicodeError):
        return None
    # large_string: what pandas keeps (a string column would be copied once more)
    return tbl.to_pandas(types_mapper={pa.large_string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get)


def _line(text: str, k: int) -> str:
    """Line ``k`` (0-based, split on ``\\n``) of ``text``, without copying the rest of it.

    >>> _line("a\\nb;c\\nd", 1), _line("a", 0)
    ('b;c', 'a')
    """
    start = 0
    for _ in range(k):
        start = text.index("\n", start) + 1
    end = text.find("\n", start)
    return text[start:] if end < 0 else text[start:end]


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
    """First sheet (or ``sheet``) of a workbook; the header row is detected (title rows above it).

    An .xlsx/.xlsm is checked first (:func:`cxtoolkit.io.xlsx.check_workbook`: zip bombs are
    refused). Without ``sheet``, the other sheets with the same columns are read too (an
    export split over several sheets), and the sheets left out are named in a warning.
    """
    name = name or str(path)
    ooxml = Path(path).suffix.lower() in (".xlsx", ".xlsm")
    scans = check_workbook(path, name) if ooxml else {}
    try:
        # a file that is no zip at all is left to pandas' default reader, which says what it is not
        book = pd.ExcelFile(path, engine=_excel_engine() if ooxml and zipfile.is_zipfile(path) else None)
    except ImportError as exc:
        raise InputError("error.io.cannot_read_this", name=name, exc=exc) from None
    except Exception as exc:  # zipfile.BadZipFile, openpyxl errors, xlrd errors...
        raise InputError("error.io.readable_excel_workbook", name=name, error_type=type(exc).__name__) from None
    try:
        if sheet is not None and sheet not in book.sheet_names and not isinstance(sheet, int):
            raise InputError("error.io.sheet_sheets",
                             name=name,
                             sheet=repr(sheet),
                             value=', '.join(book.sheet_names))
        first = sheet if sheet is not None else 0
        label = book.sheet_names[first] if isinstance(first, int) and first < len(book.sheet_names) else first
        raw = _read_sheet(book, first, schema, name, scans.get(label), label)
        if sheet is None and len(book.sheet_names) > 1:
            raw = _read_same_sheets(book, raw, schema, name, scans)
    finally:
        book.close()
    return raw


def _excel_engine() -> str:
    """``calamine`` (Rust, 3x openpyxl on a 100k-row sheet) when python-calamine is installed,
    else ``openpyxl``. The zip-bomb guard, merged headers and formula cells
    without a saved value come from :mod:`cxtoolkit.io.xlsx`, whatever the engine."""
    from importlib.util import find_spec

    return "calamine" if find_spec("python_calamine") is not None else "openpyxl"


def _read_sheet(book: pd.ExcelFile, sheet: str | int, schema: Schema | None, name: str,
                scan: SheetScan | None, label: object) -> RawTable:
    """One sheet as a RawTable (header row detected; merged date/time headers combined;
    formula cells without a saved value flagged)."""
    grid = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object)
    if grid.empty or grid.isna().all().all():
        raise InputError("error.io.empty_sheet", name=name)
    text = grid.apply(cells_to_text)
    top = text.head(HEADER_SCAN_LINES)
    scores = [_score([c for c in r if c is not None], schema) for r in top.itertuples(index=False)]
    nonempty = top.notna().any(axis=1).to_numpy()
    if max(scores) > 0:
        h = int(np.argmax(scores))
    else:
        h = int(np.argmax(nonempty))
    header = [str(c).strip() if pd.notna(c) else f"_col_{j + 1}" for j, c in enumerate(text.iloc[h])]
    body = text.iloc[h + 1:].copy()
    body.columns = header
    warnings: list[str] = []
    by_letter = header   # the sheet's columns A, B, ... (formula cells are found by letter)
    if scan is not None and scan.merges:
        body, warnings = _merged_headers(body, header, h, scan,
                                          Msg("io.warning.sheet_where", {"file": name, "sheet": repr(label)}))
        header = list(body.columns)
    body = body.loc[:, [not (c.startswith("_col_") and body[c].isna().all()) for c in header]]
    rows = np.arange(h + 2, h + 2 + len(body), dtype=np.int64)
    keep = body.notna().any(axis=1).to_numpy()
    body = body.loc[keep].reset_index(drop=True).astype("str")
    body = body.mask(body.isna())
    raw = RawTable(df=body, rows=rows[keep], file=name, warnings=warnings)
    if scan is not None and scan.uncached:
        _flag_uncached(raw, by_letter, scan, schema, label)
    return raw


def _merged_headers(body: pd.DataFrame, header: list[str], h: int, scan: SheetScan,
                    where: str | Msg) -> tuple[pd.DataFrame, list[Finding]]:
    """A header cell merged over a date column and a time column: one date-time column.
    Any other header merged over several columns: a warning naming them."""
    warnings = []
    for row0, col0, row1, col1 in scan.merges:
        if not (row0 <= h + 1 <= row1) or col1 <= col0 or col0 > len(header):
            continue
        first = header[col0 - 1]
        covered = [header[j] for j in range(col0, min(col1, len(header)))]
        if first.startswith("_col_") or not covered or not all(c.startswith("_col_") for c in covered):
            continue
        date, time = body[first], body[covered[0]]
        if len(covered) == 1 and _all_match(date, _DATE_ONLY) and _all_match(time, _TIME_ONLY):
            day = date.str.replace(r" 00:00:00$", "", regex=True)
            body[first] = (day + " " + time.fillna("")).str.strip().where(date.notna())
            body = body.drop(columns=covered[0])
            warnings.append(Finding("io.warning.merged_datetime", {
                "where": where, "header": repr(first), "a": xlsx.col_letters(col0 - 1), "b": xlsx.col_letters(col0)}))
        else:
            warnings.append(Finding("io.warning.merged_columns", {
                "where": where, "header": repr(first), "a": xlsx.col_letters(col0 - 1), "b": xlsx.col_letters(col1 - 1)}))
    return body, warnings


_DATE_ONLY = r"^(?:\d{4}-\d{2}-\d{2}(?: 00:00:00)?|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})$"
_TIME_ONLY = r"^\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$"


def _all_match(s: pd.Series, pattern: str) -> bool:
    t = s.dropna().astype("str").str.strip()
    return len(t) > 0 and bool(t.str.match(pattern).all())


def _flag_uncached(raw: RawTable, header: list[str], scan: SheetScan, schema: Schema | None,
                   label: object) -> None:
    """Formula cells saved without their value: the rows are rejected for that column (their
    number is unknown, openpyxl reads them as empty) and a warning names the column."""
    for j, sheet_rows in sorted(scan.uncached.items()):
        if j >= len(header) or header[j] not in raw.df.columns:
            continue
        col = header[j]
        if schema is not None and schema.match(col) is None:
            continue  # a column the toolkit does not use: no number depends on it
        mask = np.isin(raw.rows, np.asarray(sheet_rows, dtype=np.int64))
        if not mask.any():
            continue
        raw.problems.append((mask, col, Msg("io.reason.formula_no_value")))
        raw.warnings.append(Finding("io.warning.formulas", {
            "file": raw.file, "sheet": repr(label), "column": repr(col), "letter": xlsx.col_letters(j),
            "n": Num(int(mask.sum()), "count"), "row": int(raw.rows[mask][0])}))


def _read_same_sheets(book: pd.ExcelFile, raw: RawTable, schema: Schema | None, name: str,
                      scans: dict) -> RawTable:
    """The first sheet plus every other sheet with the same columns; a warning says which
    sheets were read and which were left out."""
    first, parts, left_out = book.sheet_names[0], [(book.sheet_names[0], raw)], []
    for other in book.sheet_names[1:]:
        try:
            part = _read_sheet(book, other, schema, name, scans.get(other), other)
        except InputError:  # an empty sheet
            continue
        if list(part.df.columns) == list(raw.df.columns):
            parts.append((other, part))
        else:
            left_out.append(other)
    warnings = list(raw.warnings)
    if len(parts) > 1:
        warnings.append(Finding("io.warning.sheets_read", {"file": name, "n": len(parts), "parts": Items(tuple(
            Msg("io.warning.sheet_rows", {"sheet": repr(s), "n": Num(len(p.df), "count")}) for s, p in parts), " + ")}))
    if left_out:
        warnings.append(Finding("io.warning.sheets_left_out", {"file": name, "sheets": ", ".join(map(repr, left_out)),
                                                                "first": repr(first)}))
    if len(parts) == 1:
        raw.warnings = warnings
        return raw
    sizes = [len(p.df) for _, p in parts]
    problems = []
    for k, (_, part) in enumerate(parts):
        warnings += [w for w in part.warnings if w not in warnings]
        for mask, col, reason in part.problems:
            full = np.zeros(sum(sizes), dtype=bool)
            full[sum(sizes[:k]):sum(sizes[:k + 1])] = mask
            problems.append((full, col, reason))
    return RawTable(df=pd.concat([p.df for _, p in parts], ignore_index=True),
                    rows=np.concatenate([p.rows for _, p in parts]), file=name, problems=problems,
                    warnings=warnings,
                    row_files=np.concatenate([np.full(len(p.df), f"{name}#{s}", dtype=object) for s, p in parts]))


def read_parquet(path: Path, name: str | None = None, columns: list[str] | None = None) -> RawTable:
    """Parquet keeps its types; row numbers are 1-based record numbers (``columns``: only these)."""
    name = name or str(path)
    try:
        df = pd.read_parquet(path, columns=columns)
    except Exception as exc:
        raise InputError("error.io.readable_parquet_file", name=name, error_type=type(exc).__name__) from None
    df = df.reset_index(drop=True)
    return RawTable(df=df, rows=np.arange(1, len(df) + 1, dtype=np.int64), file=name)


def read_file(path: Path | str, schema: Schema | None = None, sheet: str | int | None = None,
              name: str | None = None, columns: list[str] | None = None) -> RawTable:
    """Read ``path`` by its extension (CSV/TXT/TSV otherwise); ``columns``: a Parquet file's
    columns to read (default: all)."""
    p = Path(path)
    name = name or str(p)
    if not p.exists():
        raise InputError("error.io.file_not_found", name=name)
    if p.is_dir():
        raise InputError("error.io.folder_file", name=name)
    suf = p.suffix.lower()
    if suf in EXCEL_SUFFIXES:
        return read_excel(p, schema, sheet=sheet, name=name)
    if suf in PARQUET_SUFFIXES:
        return read_parquet(p, name=name, columns=columns)
    with open(p, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK\x03\x04"):
        raise InputError("error.io.looks_like_excel", name=name)
    if head.startswith(b"PAR1"):
        return read_parquet(p, name=name)
    return read_csv(p, schema, name=name)
