"""Audit history in an embedded DuckDB file (``reports/warehouse.duckdb`` by default).

One table, ``kpi_history``: client, period, period_start, period_end, segment_by,
segment, kpi, value, n, se, status (RAG), audit_status, audited_at. Re-running an audit
of the same client and period replaces its rows (delete + insert in one transaction).

DuckDB allows a single writing process per file. Every access here takes an exclusive
``fcntl`` lock on ``<warehouse>.lock`` for the few milliseconds it lasts, and the batch
runner has only the parent process write (after each audit returns), so parallel audits
never collide.

Another program may still hold the file (a consultant's ``duckdb`` shell, a BI tool).
Opening it is then retried for :data:`WAIT_S` seconds; past that, :func:`store` keeps the
audit's rows in ``<warehouse>.pending/`` (Parquet) instead of losing them: they count in
:func:`read_history` at once and are moved into the warehouse by the next write.

Examples
--------
>>> import tempfile, pathlib, pandas as pd
>>> wh = pathlib.Path(tempfile.mkdtemp()) / "w.duckdb"
>>> rows = pd.DataFrame({"client": ["a"], "period": ["2026-10"], "period_start": ["2026-10-01"],
...                      "period_end": ["2026-10-31"], "segment_by": ["overall"], "segment": ["overall"],
...                      "kpi": ["nps"], "value": [12.5], "n": [300.0], "se": [4.0], "status": [None]})
>>> append(wh, rows, audited_at="2026-11-02T09:00:00+01:00")
1
>>> append(wh, rows.assign(value=[13.0]))   # same client + period: replaced
1
>>> read_history(wh, "a")["value"].tolist()
[13.0]
"""
from __future__ import annotations

import fcntl
import os
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from cxtoolkit.audit.manifest import now_iso
from cxtoolkit.messages import text

TABLE = "kpi_history"
COLUMNS = ["client", "period", "period_start", "period_end", "segment_by", "segment", "kpi",
           "value", "n", "se", "status", "audit_status", "audited_at"]
_DDL = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    client VARCHAR NOT NULL, period VARCHAR NOT NULL, period_start VARCHAR, period_end VARCHAR,
    segment_by VARCHAR NOT NULL, segment VARCHAR NOT NULL, kpi VARCHAR NOT NULL,
    value DOUBLE, n DOUBLE, se DOUBLE, status VARCHAR, audit_status VARCHAR, audited_at VARCHAR
)"""


#: seconds to wait for a warehouse another process holds, before giving up
WAIT_S = 10.0


class WarehouseBusy(Exception):
    """The warehouse file stayed locked by another process for :data:`WAIT_S` seconds
    (``name``: the file's, ``holder``: `` (the process)`` when DuckDB says it, else "")."""

    def __init__(self, name: str, holder: str = "") -> None:
        self.name, self.holder = name, holder
        super().__init__(text("audit.outcome.warehouse.busy", "en", name=name, holder=holder))


def _connect(path: Path, read_only: bool = False, wait_s: float | None = None):
    """``duckdb.connect``, retried (with a growing pause) while another process holds the
    file; :class:`WarehouseBusy` after ``wait_s`` seconds (default :data:`WAIT_S`)."""
    import duckdb

    deadline = time.monotonic() + (WAIT_S if wait_s is None else wait_s)
    pause = 0.1
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() + pause > deadline:
                holder = str(exc).split("Conflicting lock is held in", 1)[-1].split(". See", 1)[0].strip()
                raise WarehouseBusy(path.name, f" ({holder})" if holder and holder != str(exc) else "") from None
            time.sleep(pause)
            pause = min(pause * 2, 1.0)


def pending_dir(path: Path | str) -> Path:
    """Where rows wait when the warehouse was locked: ``<warehouse>.pending/``."""
    path = Path(path)
    return path.with_name(path.name + ".pending")


def _pending_files(path: Path) -> list[Path]:
    d = pending_dir(path)
    return sorted(d.glob("*.parquet")) if d.is_dir() else []


def _pending_rows(path: Path, client: str | None = None) -> pd.DataFrame:
    """Rows waiting in ``<warehouse>.pending/``, later files replacing earlier ones per
    client + period."""
    frames = [pd.read_parquet(f) for f in _pending_files(path)]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    out = frames[0]
    for df in frames[1:]:
        keys = set(zip(df["client"], df["period"]))
        out = pd.concat([out[[k not in keys for k in zip(out["client"], out["period"])]], df],
                        ignore_index=True)
    return out if client is None else out[out["client"] == client].reset_index(drop=True)


@contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(str(path) + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _frame(rows: pd.DataFrame, audit_status: str, audited_at: str) -> pd.DataFrame:
    df = rows.reindex(columns=COLUMNS).copy()
    if "audit_status" not in rows.columns:
        df["audit_status"] = audit_status
    if "audited_at" not in rows.columns:
        df["audited_at"] = audited_at
    for c in ("value", "n", "se"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    for c in set(COLUMNS) - {"value", "n", "se"}:
        df[c] = df[c].astype("object").where(df[c].notna(), None)
        df[c] = df[c].map(lambda v: None if v is None else str(v)).astype("object")
    return df


def append(path: Path | str, rows: pd.DataFrame, audit_status: str = "ok",
           audited_at: str | None = None, wait_s: float | None = None) -> int:
    """Store one audit's KPI rows, replacing earlier rows of the same client + period.

    Returns the number of rows written. ``rows`` may hold several client/period pairs.
    Rows left pending by :func:`store` are stored first. :class:`WarehouseBusy` when
    another process holds the file for ``wait_s`` seconds (default :data:`WAIT_S`).
    """
    path = Path(path)
    if rows is None or rows.empty:
        return 0
    df = _frame(rows, audit_status, audited_at or now_iso())
    with _locked(path):
        con = _connect(path, wait_s=wait_s)
        try:
            con.execute(_DDL)
            waiting = _pending_files(path)
            for i, frame in enumerate([pd.read_parquet(f) for f in waiting] + [df]):
                con.execute("BEGIN TRANSACTION")
                try:
                    con.register(f"incoming_keys_{i}", frame[["client", "period"]].drop_duplicates())
                    con.execute(f"DELETE FROM {TABLE} WHERE (client, period) IN "
                                f"(SELECT client, period FROM incoming_keys_{i})")
                    con.register(f"incoming_{i}", frame)
                    con.execute(f"INSERT INTO {TABLE} SELECT {', '.join(COLUMNS)} FROM incoming_{i}")
                    con.execute("COMMIT")
                except Exception:
                    con.execute("ROLLBACK")
                    raise
                if i < len(waiting):
                    waiting[i].unlink()      # stored: no longer pending
        finally:
            con.close()
    return len(df)


def store(path: Path | str, rows: pd.DataFrame, audit_status: str = "ok",
          audited_at: str | None = None, wait_s: float | None = None, locale: str | None = None) -> dict:
    """:func:`append`, never losing the rows: when the warehouse stays locked by another
    process they are kept in ``<warehouse>.pending/`` (read as history at once, stored by
    the next write). Returns the step's status for the manifest: ``{"status": "ok" |
    "pending" | "failed", "reason": one line}``, the line also ``"said"`` in ``locale`` when
    given (the technical detail as it is).
    """
    path = Path(path)
    try:
        append(path, rows, audit_status=audit_status, audited_at=audited_at, wait_s=wait_s)
        return {"status": "ok", "reason": ""}
    except WarehouseBusy as exc:
        why = ("busy", {"name": exc.name, "holder": exc.holder})
    except Exception as exc:  # noqa: BLE001 - a damaged warehouse must not lose the audit's rows
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        why = ("broken", {"name": path.name, "error": f"{type(exc).__name__}: {detail}"})
    try:
        d = pending_dir(path)
        d.mkdir(parents=True, exist_ok=True)
        f = d / f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.parquet"
        _frame(rows, audit_status, audited_at or now_iso()).to_parquet(f)
    except OSError as exc:
        step = ("failed", "lost", {"error": exc.strerror})
    else:
        step = ("pending", "pending", {"folder": d.name})

    def said(loc: str) -> str:
        return text(f"audit.outcome.warehouse.{step[1]}", loc, why=text(f"audit.outcome.warehouse.{why[0]}", loc,
                                                                         **why[1]), **step[2])

    return {"status": step[0], "reason": said("en"), **({"said": said(locale)} if locale else {})}


def read_history(path: Path | str, client: str | None = None, wait_s: float | None = None) -> pd.DataFrame:
    """All stored KPI rows (of ``client`` when given), oldest period first.

    An absent warehouse reads as an empty frame. Rows waiting in ``<warehouse>.pending/``
    (see :func:`store`) count, replacing stored rows of the same client + period.
    :class:`WarehouseBusy` when another process holds the file for :data:`WAIT_S` seconds.
    """
    path = Path(path)
    stored = pd.DataFrame(columns=COLUMNS)
    if path.is_file():
        with _locked(path):
            con = _connect(path, read_only=True, wait_s=wait_s)
            try:
                exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                                     [TABLE]).fetchone()[0]
                if exists:
                    sql = f"SELECT {', '.join(COLUMNS)} FROM {TABLE}"
                    params: list = []
                    if client is not None:
                        sql += " WHERE client = ?"
                        params.append(client)
                    stored = con.execute(sql, params).df()
            finally:
                con.close()
    waiting = _pending_rows(path, client)
    if waiting.empty:
        out = stored
    else:
        keys = set(zip(waiting["client"], waiting["period"]))
        kept = stored[[k not in keys for k in zip(stored["client"], stored["period"])]]
        out = pd.concat([kept, waiting], ignore_index=True) if not kept.empty else waiting
    return out.sort_values(["client", "period_start", "period", "segment_by", "segment", "kpi"],
                           na_position="last", kind="stable").reset_index(drop=True)


def audits(path: Path | str, client: str | None = None) -> pd.DataFrame:
    """One row per stored audit: client, period, period_start, audit_status, audited_at, rows."""
    h = read_history(path, client)
    if h.empty:
        return pd.DataFrame(columns=["client", "period", "period_start", "audit_status", "audited_at", "rows"])
    return (h.groupby(["client", "period", "period_start", "audit_status", "audited_at"], dropna=False)
            .size().rename("rows").reset_index())
