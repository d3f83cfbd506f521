"""Ingestion speed: a synthetic canonical contacts CSV of N rows (default 1,000,000),
read + validated by ``cxtoolkit.io.load_table``; then the same calls as a client's export
(its own headers, date and time in two columns, Y/N, talk as h:mm:ss, no channel column)
loaded through a client.yml mapping, as CSV and as Excel. Prints rows/s.

    .venv/bin/python benchmarks/bench_ingest.py [N] [--excel-rows M]   (M default N; 0 skips Excel)
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from cxtoolkit.io import load_table


def synthetic_contacts(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01T00:00:00")
    received = start + rng.integers(0, 365 * 24 * 3600, n).astype("timedelta64[s]")
    channel = rng.choice(np.array(["phone", "email", "chat"]), n, p=[0.7, 0.2, 0.1])
    answered = rng.random(n) < 0.88
    wait = np.round(rng.exponential(40, n), 1)
    return pd.DataFrame({
        "contact_id": np.char.add("c", np.arange(n).astype(str)),
        "channel": channel,
        "received_at": pd.to_datetime(received).strftime("%Y-%m-%d %H:%M:%S"),
        "answered": np.where(answered, "true", "false"),
        "wait_s": wait,
        "talk_s": np.where(answered, np.round(rng.gamma(4, 60, n)), 0),
        "hold_s": np.where(answered, rng.integers(0, 60, n), 0),
        "wrap_s": np.where(answered, rng.integers(0, 90, n), 0),
        "customer_id": np.char.add("k", rng.integers(0, n // 3 + 1, n).astype(str)),
        "agent_id": np.char.add("a", rng.integers(0, 200, n).astype(str)),
        "country": rng.choice(np.array(["FR", "BE", "ES", "GB"]), n),
        "queue": rng.choice(np.array(["sales", "support", "billing"]), n),
        "reason": rng.choice(np.array(["order_status", "payment_issue", "delivery_delay"]), n),
    })


#: the client.yml mapping of the export-like file (see export_like)
MAPPING = {
    "columns": {"contact_id": "Call Id", "agent_id": "Agent", "received_at": ["Date", "Time"],
                "answered": "Answered (Y/N)", "wait_s": "Speed of answer in seconds", "talk_s": "AvgTalkDuration",
                "reason": "Topic", "queue": "Line"},
    "constants": {"channel": "phone"},
    "values": {"answered": {"Y": True, "N": False}},
}


def export_like(df: pd.DataFrame) -> pd.DataFrame:
    """The canonical frame written the way a client's tool exports it."""
    ts = pd.to_datetime(df["received_at"])
    talk = pd.to_timedelta(df["talk_s"].astype("float64"), unit="s")
    comp = talk.dt.components
    return pd.DataFrame({
        "Call Id": df["contact_id"], "Agent": df["agent_id"], "Date": ts.dt.strftime("%d/%m/%Y"),
        "Time": ts.dt.strftime("%H:%M:%S"), "Topic": df["reason"],
        "Answered (Y/N)": np.where(df["answered"] == "true", "Y", "N"),
        "Speed of answer in seconds": df["wait_s"],
        "AvgTalkDuration": (comp.hours.astype(str) + ":" + comp.minutes.astype(str).str.zfill(2) + ":"
                            + comp.seconds.astype(str).str.zfill(2)),
        "Line": df["queue"],
    })


def _timed(label: str, path: Path, n: int, source=None) -> float:
    t = time.perf_counter()
    accepted, rejects, counts = load_table(path, "contacts", now=pd.Timestamp("2030-01-01"), source=source)
    dt = time.perf_counter() - t
    assert counts["read"] == n == counts["accepted"] + counts["rejected"]
    print(f"{label}: {n:,} rows in {dt:.2f} s = {n / dt:,.0f} rows/s "
          f"(accepted {counts['accepted']:,}, rejected {counts['rejected']:,})")
    return dt


def main(n: int = 1_000_000, excel_rows: int | None = None) -> None:
    excel_rows = n if excel_rows is None else excel_rows
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "contacts.csv"
        t = time.perf_counter()
        synthetic_contacts(n).to_csv(path, index=False)
        print(f"generated {n:,} rows ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s")
        _timed("ingest contacts CSV (canonical headers)", path, n)
        canon = pd.read_csv(path, dtype=str)
        mapped = Path(tmp) / "export.csv"
        export_like(canon).to_csv(mapped, index=False, sep=";")
        _timed("ingest contacts CSV (client export + mapping)", mapped, n, {"file": mapped.name, **MAPPING})
        if excel_rows:
            xlsx = Path(tmp) / "export.xlsx"
            t = time.perf_counter()
            export_like(canon.head(excel_rows)).to_excel(xlsx, index=False, sheet_name="Sheet1")
            print(f"generated {excel_rows:,}-row workbook ({xlsx.stat().st_size / 1e6:.0f} MB) "
                  f"in {time.perf_counter() - t:.1f} s")
            _timed("ingest contacts Excel (client export + mapping)", xlsx, excel_rows,
                   {"file": xlsx.name, **MAPPING})


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    xl = next((int(a.split("=", 1)[1]) for a in sys.argv[1:] if a.startswith("--excel-rows=")), None)
    main(int(args[0]) if args else 1_000_000, xl)
