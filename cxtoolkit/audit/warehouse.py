"""Audit history in an embedded DuckDB file (``reports/warehouse.duckdb`` by default).

One table, ``kpi_history``: client, period, period_start, period_end, segment_by,
segment, kpi, value, n, se, status (RAG), audit_status, audited_at. Re-running an audit
of the same client and period replaces its rows (delete + insert in one transaction).

DuckDB allows a single writing process per file. Every access here takes an exclusive
``fcntl`` lock on ``<warehouse>.lock`` for the few milliseconds it lasts, and the batch
runner has only the parent process write (after each audit returns), so parallel audits
never collide.

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
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from cxtoolkit.audit.manifest import now_iso

TABLE = "kpi_history"
COLUMNS = ["client", "period", "period_start", "period_end", "segment_by", "segment", "kpi",
           "value", "n", "se", "status", "audit_status", "audited_at"]
_DDL = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    client VARCHAR NOT NULL, period VARCHAR NOT NULL, period_start VARCHAR, period_end VARCHAR,
    segment_by VARCHAR NOT NULL, segment VARCHAR NOT NULL, kpi VARCHAR NOT NULL,
    value DOUBLE, n DOUBLE, se DOUBLE, status VARCHAR, audit_status VARCHAR, audited_at VARCHAR
)"""


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
           audited_at: str | None = None) -> int:
    """Store one audit's KPI rows, replacing earlier rows of the same client + period.

    Returns the number of rows written. ``rows`` may hold several client/period pairs.
    """
    import duckdb

    path = Path(path)
    if rows is None or rows.empty:
        return 0
    df = _frame(rows, audit_status, audited_at or now_iso())
    keys = df[["client", "period"]].drop_duplicates()
    with _locked(path):
        con = duckdb.connect(str(path))
        try:
            con.execute(_DDL)
            con.execute("BEGIN TRANSACTION")
            con.register("incoming_keys", keys)
            con.execute(f"DELETE FROM {TABLE} WHERE (client, period) IN "
                        "(SELECT client, period FROM incoming_keys)")
            con.register("incoming", df)
            con.execute(f"INSERT INTO {TABLE} SELECT {', '.join(COLUMNS)} FROM incoming")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        finally:
            con.close()
    return len(df)


def read_history(path: Path | str, client: str | None = None) -> pd.DataFrame:
    """All stored KPI rows (of ``client`` when given), oldest period first.

    An absent warehouse reads as an empty frame.
    """
    import duckdb

    path = Path(path)
    if not path.is_file():
        return pd.DataFrame(columns=COLUMNS)
    with _locked(path):
        con = duckdb.connect(str(path), read_only=True)
        try:
            exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                                 [TABLE]).fetchone()[0]
            if not exists:
                return pd.DataFrame(columns=COLUMNS)
            sql = f"SELECT {', '.join(COLUMNS)} FROM {TABLE}"
            params: list = []
            if client is not None:
                sql += " WHERE client = ?"
                params.append(client)
            sql += " ORDER BY client, period_start, period, segment_by, segment, kpi"
            return con.execute(sql, params).df()
        finally:
            con.close()


def audits(path: Path | str, client: str | None = None) -> pd.DataFrame:
    """One row per stored audit: client, period, period_start, audit_status, audited_at, rows."""
    h = read_history(path, client)
    if h.empty:
        return pd.DataFrame(columns=["client", "period", "period_start", "audit_status", "audited_at", "rows"])
    return (h.groupby(["client", "period", "period_start", "audit_status", "audited_at"], dropna=False)
            .size().rename("rows").reset_index())
