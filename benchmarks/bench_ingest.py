"""Ingestion speed: a synthetic canonical contacts CSV of N rows (default 1,000,000),
read + validated by ``cxtoolkit.io.load_table``. Prints rows/s.

    .venv/bin/python benchmarks/bench_ingest.py [N]
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


def main(n: int = 1_000_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "contacts.csv"
        t = time.perf_counter()
        synthetic_contacts(n).to_csv(path, index=False)
        print(f"generated {n:,} rows ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        accepted, rejects, counts = load_table(path, "contacts", now=pd.Timestamp("2030-01-01"))
        dt = time.perf_counter() - t
        assert counts["read"] == n == counts["accepted"] + counts["rejected"]
        print(f"ingest contacts CSV: {n:,} rows in {dt:.2f} s = {n / dt:,.0f} rows/s "
              f"(accepted {counts['accepted']:,}, rejected {counts['rejected']:,})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
