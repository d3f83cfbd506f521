"""100M contacts (a national operator's year) on one machine: ``cxtoolkit kpis --engine duckdb``
(:mod:`cxtoolkit.outofcore`, DuckDB over Parquet, memory bounded), whole process.

The data: ``--base`` generated contacts (default 10M, the demo client's settings, as
``bench_cli.py`` makes them) copied ``--copies`` times by DuckDB into one Parquet file (each
copy with its own contact and customer ids, same timestamps: 10× the volume over the same
months), streamed, never in memory. The check: every count is ``copies`` × the base's and every
rate/mean/median the base's (the KPIs of the base file are computed by the same engine; the
pandas engine's equality with it is ``tests/test_outofcore.py``). Printed: wall time, CPU time,
peak RSS (GNU time) and the load average.

Usage::

    python benchmarks/bench_outofcore.py --data-dir /tmp/bench    # 10M base x 10 = 100M
    python benchmarks/bench_outofcore.py --base 1e6 --copies 10   # 10M, quicker
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_cli import loadavg, make_data  # noqa: E402
from kpis_duckdb import CHECK  # noqa: E402

COUNTS = {"inbound", "hno_calls", "short_abandons", "offered", "answered", "abandoned", "email_received",
          "repeat_censored"}


def copies_file(base: Path, copies: int, out: Path) -> Path:
    """``copies`` copies of ``base`` with distinct contact and customer ids, by DuckDB (streamed)."""
    if out.exists():
        return out
    import duckdb

    con = duckdb.connect()
    con.execute("SET memory_limit = '2GB'")
    con.execute("SET preserve_insertion_order = false")
    cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{base}')").fetchall()]
    sel = ", ".join("contact_id || '-' || k AS contact_id" if c == "contact_id"
                    else "customer_id || '-' || k AS customer_id" if c == "customer_id" else c for c in cols)
    con.execute(f"COPY (SELECT {sel} FROM read_parquet('{base}'), range({copies}) t(k)) "
                f"TO '{out}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)")
    return out


def run_kpis(yml: Path, data: Path, memory_limit: str) -> dict:
    cmd = ["/usr/bin/time", "-f", "%e %U %S %M", sys.executable, "-m", "cxtoolkit.cli.main", "kpis",
           "--config", str(yml), "--contacts", str(data), "--json", "--engine", "duckdb",
           "--memory-limit", memory_limit]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(p.stderr[-2000:])
    wall, user, sys_, rss = p.stderr.strip().splitlines()[-1].split()
    return {"wall": float(wall), "cpu": float(user) + float(sys_), "peak_mb": int(rss) / 1024,
            "kpis": json.loads(p.stdout)["overall"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", type=float, default=1e7)
    ap.add_argument("--copies", type=int, default=10)
    ap.add_argument("--memory-limit", default="4GB")
    ap.add_argument("--data-dir", help="keep the generated data here (default: a temporary folder)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.data_dir or tmp)
        base = make_data(folder, int(args.base))
        t = time.perf_counter()
        big = copies_file(base, args.copies, folder / f"contacts_{int(args.base)}x{args.copies}.parquet")
        made = time.perf_counter() - t
        n = int(args.base) * args.copies
        yml = folder / "client.yml"
        la0 = loadavg()
        small = run_kpis(yml, base, args.memory_limit)
        r = run_kpis(yml, big, args.memory_limit)
        la1 = loadavg()
        worst = 0.0
        for k in CHECK:
            a, b = small["kpis"][k], r["kpis"][k]
            if a is None or b is None:
                worst = max(worst, 0.0 if a is b else float("inf"))
                continue
            want = a * args.copies if k in COUNTS else a
            worst = max(worst, abs(b - want) / max(1.0, abs(want)))
        print(f"{n:,} contacts ({os.path.getsize(big) / 1e9:.1f} GB Parquet, written in {made:.0f} s), "
              f"cxtoolkit kpis --engine duckdb --memory-limit {args.memory_limit}, load {la0} -> {la1}")
        print(f"  {n:>13,}: wall {r['wall']:.1f} s, cpu {r['cpu']:.1f} s, peak RSS {r['peak_mb']:,.0f} MB "
              f"({n / r['wall'] / 1e6:.1f}M contacts/s)")
        print(f"  {int(args.base):>13,}: wall {small['wall']:.1f} s, cpu {small['cpu']:.1f} s, "
              f"peak RSS {small['peak_mb']:,.0f} MB")
        print(f"  check: counts x{args.copies}, rates equal: max relative diff over {len(CHECK)} KPIs {worst:.1e}")


if __name__ == "__main__":
    main()
