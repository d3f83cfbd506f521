"""The files of the out-of-core engine (``cxtoolkit kpis --engine duckdb``): a client export
opened as a DuckDB relation, and the rejects written from one.

The only code of that engine that touches files: :func:`open_contacts` checks the file (found,
not a workbook), opens it in a bounded connection (:func:`connect`) as the relation ``src``
with a ``__row`` column numbering rows as :mod:`cxtoolkit.io.readers` does (Parquet: the
1-based record; CSV: the line number, header on line 1; UTF-8, or Windows-1252 read through a
UTF-8 copy made in blocks, :func:`text_encoding`) and returns a :class:`DuckSource`;
:func:`write_rejects` writes a rejects relation (Parquet streamed by DuckDB, any size; CSV
through :func:`cxtoolkit.io.export.write_csv`, formulas neutralised).
The validation and the KPIs over the relation are :mod:`cxtoolkit.outofcore` (SQL, no file).

Examples
--------
>>> import tempfile
>>> p = Path(tempfile.mkdtemp()) / "c.csv"
>>> _ = p.write_text("contact_id;channel\\nc1;tel\\nc2;mail\\n", encoding="utf-8")
>>> src = open_contacts(p, "c.csv")
>>> src.kind, src.lines, src.con.execute("SELECT __row, channel FROM src ORDER BY 1").fetchall()
('csv', 3, [(2, 'tel'), (3, 'mail')])
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from cxtoolkit.errors import InputError
from cxtoolkit.findings import Num
from cxtoolkit.schemas import normalise_header

#: the files --engine duckdb refuses (the default engine reads them)
WORKBOOKS = (".xlsx", ".xlsm", ".xls")
PARQUET_SUFFIXES = (".parquet", ".pq")
#: bytes read to tell a CSV's encoding (UTF-8, else Windows-1252 as :mod:`cxtoolkit.io.readers`)
HEAD_BYTES = 1 << 20
#: a UTF-8 lead byte followed by a continuation byte: UTF-8 text, never cp1252 accented letters
_UTF8_PAIR = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


def _sql_text(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def connect(memory_limit: str | None = None, threads: int | None = None, temp_dir: str | Path | None = None):
    """A DuckDB connection bounded to ``memory_limit`` (spilling to ``temp_dir`` past it, an
    existing folder; by default DuckDB's ``.tmp`` in the working folder, removed when done)."""
    import duckdb

    con = duckdb.connect()
    if memory_limit:
        try:
            con.execute(f"SET memory_limit = {_sql_text(memory_limit)}")
        except duckdb.Error:
            raise InputError("error.io.memory_size_e", memory_limit=repr(memory_limit)) from None
        con.execute("SET preserve_insertion_order = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if temp_dir:
        if not Path(temp_dir).is_dir():   # said now, not when the first spill fails minutes later
            raise InputError("error.io.spill_dir", folder=str(temp_dir))
        con.execute(f"SET temp_directory = {_sql_text(Path(temp_dir).as_posix())}")
    return con


@dataclass
class DuckSource:
    """A client file opened in DuckDB: the relation ``relation`` (its columns as they came, plus
    ``__row``), what messages call it (``name``) and its format (``csv`` or ``parquet``)."""

    con: object
    name: str
    kind: str
    path: Path
    encoding: str | None = None     #: a CSV's: ``utf-8`` or ``cp1252``
    relation: str = "src"

    @cached_property
    def lines(self) -> int | None:
        """A CSV's physical lines (a last line without a line break counts; read in blocks, on
        first use): more than records + 1 when it has blank lines or line breaks in quoted
        values. None for Parquet."""
        if self.kind != "csv":
            return None
        n, last = 0, b"\n"
        with open(self.path, "rb") as fh:
            while block := fh.read(1 << 24):
                n += block.count(b"\n")
                last = block[-1:]
        return n + (last != b"\n")


def _with_constants(con, view: str, constants: dict[str, str | None]) -> str:
    """The select list of ``view`` with the ``constants`` added (see :func:`open_contacts`)."""
    def name(x: str) -> str:
        return '"' + str(x).replace('"', '""') + '"'

    fixed = {normalise_header(c) for c in constants}
    cols = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]
    out = [f"{name(c)} AS {name(c + '_raw')}" if c != "__row" and normalise_header(c) in fixed else name(c)
           for c in cols]
    out += [f"{'NULL' if v is None else _sql_text(v)}::VARCHAR AS {name(c)}" for c, v in constants.items()]
    return ", ".join(out)


def check_file(path: Path | str, name: str | None = None) -> Path:
    """``path`` if it is a file --engine duckdb reads, else one-line :class:`InputError`."""
    path = Path(path)
    shown = name or str(path)
    if not path.is_file():
        raise InputError("error.io.file_not_found", name=shown)
    if path.suffix.lower() in WORKBOOKS:
        raise InputError("error.io.engine_duckdb_reads", shown=shown)
    return path


def open_contacts(path: Path | str, name: str | None = None, *, memory_limit: str | None = None,
                  threads: int | None = None, temp_dir: str | Path | None = None,
                  constants: dict[str, str | None] | None = None) -> DuckSource:
    """The file ``path`` (Parquet, told by its magic bytes, or CSV) as the relation ``src`` of a
    new bounded connection, with ``__row`` numbering rows as :mod:`cxtoolkit.io.readers` does.

    ``constants``: the mapping's constants (``data.<table>.constants`` of client.yml, as
    :func:`cxtoolkit.io.mapping.from_source` reads them: ``{column: text}``), each a text
    column of that value on every row, validated as the file's cells are; a file column of
    the same name is kept as ``<name>_raw``, as the default engine does
    (:func:`cxtoolkit.io.mapping.apply`).

    A file DuckDB cannot read (not UTF-8, ragged records…) is one :class:`InputError` line
    naming it.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "c.csv"
    >>> _ = p.write_text("contact_id,Answered\\nc1,no\\n", encoding="utf-8")
    >>> open_contacts(p, constants={"answered": "true"}).con.execute("SELECT * FROM src").fetchall()
    [('c1', 'no', 2, 'true')]
    """
    path = check_file(path, name)
    name = name or str(path)
    con = connect(memory_limit, threads, temp_dir)
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    parquet = head[:4] == b"PAR1"
    encoding = None if parquet else text_encoding(head)
    p = _sql_text(str(path))
    copy = None
    view = "src_file" if constants else "src"
    try:
        if parquet:
            con.execute(f"CREATE VIEW {view} AS SELECT * EXCLUDE (file_row_number), file_row_number + 1 AS __row "
                        f"FROM read_parquet({p}, file_row_number = true)")
        else:
            if encoding == "cp1252":      # DuckDB reads UTF-8: a UTF-8 copy, streamed, dropped once loaded
                copy = utf8_copy(path, name, temp_dir)
                p = _sql_text(str(copy))
            # insertion order kept while loading, so rowid is the record's position (+2: line number)
            con.execute("SET preserve_insertion_order = true")
            con.execute(f"CREATE TEMP TABLE csv_raw AS SELECT * FROM read_csv({p}, all_varchar = true, header = true)")
            con.execute("SET preserve_insertion_order = false")
            con.execute(f"CREATE VIEW {view} AS SELECT *, rowid + 2 AS __row FROM csv_raw")
        if constants:
            con.execute(f"CREATE VIEW src AS SELECT {_with_constants(con, view, constants)} FROM {view}")
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - duckdb's reader errors: one line naming the file
        msg = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError("error.io.readable_duckdb_engine", name=name, msg=msg) from None
    finally:
        if copy is not None:
            copy.unlink(missing_ok=True)
    return DuckSource(con=con, name=name, kind="parquet" if parquet else "csv", path=path, encoding=encoding)


def text_encoding(head: bytes) -> str:
    """``utf-8`` when the first :data:`HEAD_BYTES` of a text file (``head``) are UTF-8 (DuckDB
    says so if a later line is not), else ``cp1252`` (Windows-1252, a French Excel's CSV)."""
    if len(head) == HEAD_BYTES:
        head = head[: head.rfind(b"\n") + 1] or head     # not inside a character cut by the block
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def utf8_copy(path: Path, name: str, folder: str | Path | None = None) -> Path:
    """A UTF-8 copy of the Windows-1252 file ``path`` in ``folder`` (default: the system's
    temporary folder), written in blocks. A file that also holds UTF-8 text (mixed lines) or
    bytes cp1252 does not define is refused in one line (the default engine reads the first
    line by line)."""
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="cxtoolkit-", dir=folder)
    out = Path(tmp)
    try:
        with open(path, "rb") as src, os.fdopen(fd, "wb") as dst:
            tail = b""
            while block := src.read(1 << 24):
                if _UTF8_PAIR.search(tail + block):
                    raise InputError("error.io.lines_utf_windows", name=name)
                try:
                    dst.write(block.decode("cp1252").encode("utf-8"))
                except UnicodeDecodeError:
                    raise InputError("error.io.unreadable_text_encoding", name=name) from None
                tail = block[-1:]
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return out


def open_parquet(con, path: Path | str, view: str = "contacts") -> None:
    """A clean, typed Parquet file (or a glob of files) as the view ``view`` of ``con``."""
    con.execute(f'CREATE VIEW "{view}" AS SELECT * FROM read_parquet({_sql_text(str(path))})')


def write_rejects(con, relation: str, rejects, path: Path | str, keep: int) -> str:
    """The rejects ``relation`` of ``con`` to ``path``: Parquet by DuckDB (streamed, any size),
    else CSV through the io layer (UTF-8 with BOM, formulas neutralised) from ``rejects``, the
    relation as a DataFrame (None when it had more than ``keep`` rows: then an error asking
    for Parquet). Returns the path written."""
    from cxtoolkit.io.export import write_csv
    from cxtoolkit.io.validate import REJECT_COLUMNS

    path = Path(path)
    if path.suffix.lower() not in PARQUET_SUFFIXES and rejects is None:
        raise InputError("error.io.more_than_rejects", path=path, keep=Num(keep, "count"))
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() in PARQUET_SUFFIXES:
        con.execute(f"COPY (SELECT * FROM {relation}) TO {_sql_text(path.as_posix())} (FORMAT parquet)")
        return str(path)
    write_csv(rejects.reindex(columns=REJECT_COLUMNS), path, encoding="utf-8-sig")
    return str(path)
