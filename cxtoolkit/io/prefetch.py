"""Reading a CSV export while the command is still starting: the parse overlaps the imports.

``cxtoolkit validate`` on a 1M-row CSV spends about 0.3 s importing pandas, pydantic and the
rest on one core while the other core has nothing to do; pyarrow's CSV parser releases the
GIL. :func:`start` (called by the command once pyarrow is imported, before pandas is) reads
a file's bytes and parses them in a thread; the reader takes the result.

How the result stays exact: the thread parses with :func:`read_arrow`, the one place that
calls pyarrow's CSV reader, on a *guess* of the layout (the separator most frequent on the
first line, the header on that line). :func:`cxtoolkit.io.readers.read_csv` decides the
layout itself, as always, and gets the file's bytes (:func:`file_bytes`) and the table
(:func:`read_arrow` with ``raw=``) from here only when they are those of the same file
(same size, modification time and inode) and the same options; otherwise it reads and
parses them itself. A wrong guess costs CPU time, never a different result.

This module imports only the standard library (pyarrow in the thread), so importing it
does not import pandas (``cxtoolkit.io`` imports its public names on first use).

Examples
--------
>>> import pathlib, tempfile
>>> p = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
>>> _ = p.write_text("contact_id;wait_s\\nc1;12,5\\n", encoding="utf-8")
>>> start(p)
True
>>> raw = file_bytes(p)
>>> read_arrow(raw, ";", 1, ["contact_id", "wait_s"], raw=raw).to_pydict()
{'contact_id': ['c1'], 'wait_s': ['12,5']}
>>> pending()
0
"""
from __future__ import annotations

import csv
import os
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path

#: suffixes read by other readers (:mod:`cxtoolkit.io.readers`): never prefetched
NOT_CSV = (".xlsx", ".xlsm", ".xls", ".parquet", ".pq")
#: separators tried for the guess (those :mod:`cxtoolkit.io.readers` detects)
GUESS_SEPARATORS = (";", "\t", ",", "|")
_BOM = b"\xef\xbb\xbf"


@dataclass(eq=False)
class _Read:
    path: str
    thread: threading.Thread | None = None
    got_bytes: threading.Event = field(default_factory=threading.Event)
    raw: bytes | None = None
    identity: tuple | None = None
    options: tuple | None = None
    table: object = None
    error: BaseException | None = None
    setup: object = None


_reads: dict[str, _Read] = {}
_lock = threading.Lock()


def _identity(st: os.stat_result) -> tuple:
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev


def start(path: Path | str, setup=None) -> bool:
    """Start reading and parsing ``path`` in a thread; True when started (a regular file
    whose name is not an Excel or Parquet file's, not already started).

    ``setup``: called in the thread once the bytes are read, before the parse (the command's
    Arrow memory pool, :func:`cxtoolkit._speedups.arrow_jemalloc`: the caller need not
    import pyarrow before the read starts)."""
    key = os.path.abspath(path)
    try:
        if not stat.S_ISREG(os.stat(key).st_mode) or Path(key).suffix.lower() in NOT_CSV:
            return False
    except (OSError, ValueError):
        return False
    with _lock:
        if key in _reads:
            return False
        job = _reads[key] = _Read(key, setup=setup)
    # not a daemon: a process ending before the reader took the result waits for the parse
    # instead of tearing the interpreter down under it
    job.thread = threading.Thread(target=_run, args=(job,), name=f"cxtoolkit prefetch {key}")
    job.thread.start()
    return True


def _run(job: _Read) -> None:
    try:
        try:
            before = os.stat(job.path)
            with open(job.path, "rb") as fh:
                raw = fh.read()
        except OSError:
            return
        job.raw, job.identity = raw, _identity(before)
    finally:
        job.got_bytes.set()
    try:
        guess = layout_guess(raw)
    except Exception:  # noqa: BLE001 - (a NUL byte, ...) the reader says what the file is
        return
    if guess is None:
        return
    job.options = guess
    try:
        if job.setup is not None:
            job.setup()
        import pyarrow as pa

        data = pa.py_buffer(raw).slice(3 if raw.startswith(_BOM) else 0)   # no copy
        job.table = read_arrow(data, *guess)
    except Exception as exc:  # noqa: BLE001 - given to the reader, which decides
        job.error = exc


def layout_guess(raw: bytes) -> tuple[str, int, list[str]] | None:
    """``(separator, rows to skip, column names)`` of a plain UTF-8 CSV whose header is its
    first line (the separator most frequent there), or None (quotes, not UTF-8, one line).

    >>> layout_guess(b"a;b,c;d\\n1;2;3\\n")
    (';', 1, ['a', 'b,c', 'd'])
    >>> layout_guess(b'"a",b\\n1,2\\n') is None
    True
    """
    if b'"' in raw:   # the reader's multithreaded path never reads quoted files
        return None
    body = raw[3:] if raw.startswith(_BOM) else raw
    end = body.find(b"\n")
    if end < 0:
        return None
    try:
        line = body[:end].decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return None
    sep = max(GUESS_SEPARATORS, key=lambda s: (line.count(s), -GUESS_SEPARATORS.index(s)))
    header = next(csv.reader([line], delimiter=sep), [])
    names = [h.strip() or f"_col_{i + 1}" for i, h in enumerate(header)]
    return (sep, 1, names) if names and len(set(names)) == len(names) else None


def file_bytes(path: Path | str) -> bytes | None:
    """The bytes a started read got from ``path`` when the file has not changed since (else
    None: the caller reads the file itself)."""
    job = _reads.get(os.path.abspath(path))
    if job is None:
        return None
    job.got_bytes.wait()
    try:
        same = job.raw is not None and _identity(os.stat(job.path)) == job.identity
    except OSError:
        same = False
    if not same:
        _drop(job)
        return None
    return job.raw


def read_arrow(data, sep: str, skip_rows: int, names: list[str], raw: bytes | None = None):
    """pyarrow's multithreaded CSV reader on ``data`` (bytes or a pyarrow buffer): every cell
    as text (``large_string``), no quoting, empty lines kept, ``skip_rows`` lines skipped and
    the columns named ``names``.

    ``raw``: the file's bytes as given by :func:`file_bytes` (``data`` being them, or them
    without the UTF-8 BOM): the table parsed by :func:`start` when its options are these,
    or the error it raised (then the thread's work is dropped either way).
    """
    job = next((j for j in list(_reads.values()) if raw is not None and j.raw is raw), None)
    if job is not None:
        job.thread.join()
        _drop(job)
        if job.options == (sep, skip_rows, list(names)):
            if job.error is not None:
                raise job.error
            return job.table
    import pyarrow as pa
    import pyarrow.csv as pacsv

    source = pa.BufferReader(data if isinstance(data, pa.Buffer) else pa.py_buffer(data))
    return pacsv.read_csv(
        source,
        read_options=pacsv.ReadOptions(skip_rows=skip_rows, column_names=names),
        parse_options=pacsv.ParseOptions(delimiter=sep, quote_char=False, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.large_string() for n in names},
                                             strings_can_be_null=False, quoted_strings_can_be_null=False),
    )


def _drop(job: _Read) -> None:
    with _lock:
        if _reads.get(job.path) is job:
            del _reads[job.path]


def pending() -> int:
    """Wait for the reads started and not taken, forget them; how many there were (a command
    calls it once its files are loaded, so that their bytes and tables are freed)."""
    with _lock:
        jobs = list(_reads.values())
        _reads.clear()
    for job in jobs:
        job.thread.join()
    return len(jobs)
