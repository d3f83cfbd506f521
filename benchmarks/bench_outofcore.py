"""100M contacts (a national operator's year) on one machine: ``cxtoolkit kpis --engine duckdb``
(:mod:`cxtoolkit.outofcore`, DuckDB over Parquet, memory bounded), whole process.

The data: ``--base`` generated contacts (default 10M, the demo client's settings, as
``bench_cli.py`` makes them) copied ``--copies`` times by DuckDB into one Parquet file (each
copy with its own contact and customer ids, same timestamps: 10× the volume over the same
months), streamed, never in memory. The check: every count is ``copies`` × the base's and every
rate/mean/median the base's (the KPIs of the base file are computed by the same engine; the
pandas engine's equality with it is ``tests/test_outofcore.py``). Printed: wall time, CPU time,
peak RSS (GNU time) and the load average.

With ``--by`` (repeatable, e.g. ``--by channel --by month``) the runs cut the KPIs too, and
``--pandas`` adds the default pandas engine on the base file, side by side with the DuckDB
engine (validation included in both): wall time, CPU time, peak RSS of the process tree
(sampled by psutil every 50 ms, and GNU time's), and the largest relative difference over every
KPI, overall and per segment. ``--copies 0`` skips the big file (a busy machine).

Usage::

    python benchmarks/bench_outofcore.py --data-dir /tmp/bench    # 10M base x 10 = 100M
    python benchmarks/bench_outofcore.py --base 1e6 --copies 10   # 10M, quicker
    python benchmarks/bench_outofcore.py --base 1e7 --copies 0 --by channel --by month --pandas
"""
from __future__ import annotations

import argparse
import json
import os
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


def tree_rss(proc) -> int:
    """Resident bytes of ``proc`` and its descendants (0 once gone)."""
    import psutil

    try:
        procs = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return 0
    total = 0
    for q in procs:
        try:
            total += q.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_kpis(yml: Path, data: Path, memory_limit: str, by: list[str] = (), engine: str = "duckdb") -> dict:
    """One whole ``cxtoolkit kpis --json`` process: wall, CPU, peak RSS (tree, sampled; and GNU time's)."""
    import psutil

    cmd = ["/usr/bin/time", "-f", "%e %U %S %M", sys.executable, "-m", "cxtoolkit.cli.main", "kpis",
           "--config", str(yml), "--contacts", str(data), "--json", "--engine", engine]
    if engine == "duckdb":
        cmd += ["--memory-limit", memory_limit]
    for b in by:
        cmd += ["--by", b]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = psutil.Popen(cmd, stdout=out, stderr=err, text=True)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_rss(proc))
            time.sleep(0.05)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise RuntimeError(stderr[-2000:])
    wall, user, sys_, rss = stderr.strip().splitlines()[-1].split()
    payload = json.loads(stdout)
    return {"wall": float(wall), "cpu": float(user) + float(sys_), "peak_mb": peak / 2**20,
            "time_rss_mb": int(rss) / 1024, "kpis": payload["overall"], "segments": payload.get("segments"),
            "meta": payload["meta"]}


def max_rel_diff(a: dict, b: dict) -> float:
    """Largest relative difference between two ``--json`` payloads' KPIs (overall and segments);
    inf when a key, a segment or a defined value is on one side only."""
    worst = 0.0
    pairs = [(a["kpis"], b["kpis"])]
    if a.get("segments") is not None or b.get("segments") is not None:
        sa, sb = a.get("segments") or {}, b.get("segments") or {}
        if set(sa) != set(sb):
            return float("inf")
        pairs += [(sa[s], sb[s]) for s in sa]
    for x, y in pairs:
        if set(x) != set(y):
            return float("inf")
        for k in x:
            u, v = x[k], y[k]
            if u is None or v is None:
                worst = max(worst, 0.0 if u is v else float("inf"))
            else:
                worst = max(worst, abs(u - v) / max(1.0, abs(u)))
    return worst


def compare(yml: Path, base: Path, n: int, by: list[str], memory_limit: str) -> None:
    """The DuckDB and pandas engines on the same file, side by side (same cut, validation included)."""
    la0 = loadavg()
    runs = {e: run_kpis(yml, base, memory_limit, by, e) for e in ("duckdb", "pandas")}
    la1 = loadavg()
    cut = " ".join(f"--by {b}" for b in by)
    print(f"{n:,} contacts, cxtoolkit kpis --json {cut} (whole process, validation included), load {la0} -> {la1}")
    for e, r in runs.items():
        t = r["meta"]["tables"]["contacts"]
        print(f"  --engine {e:<6}: wall {r['wall']:6.1f} s, cpu {r['cpu']:6.1f} s, peak RSS (tree) "
              f"{r['peak_mb']:,.0f} MB (GNU time {r['time_rss_mb']:,.0f} MB); read {t['read']:,} = "
              f"{t['accepted']:,} + {t['rejected']:,}; {len(r['segments'] or {})} segments")
    print(f"  check: max relative diff over every KPI, overall and per segment: "
          f"{max_rel_diff(runs['duckdb'], runs['pandas']):.1e}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", type=float, default=1e7)
    ap.add_argument("--copies", type=int, default=10)
    ap.add_argument("--memory-limit", default="4GB")
    ap.add_argument("--data-dir", help="keep the generated data here (default: a temporary folder)")
    ap.add_argument("--by", action="append", default=[], help="cut (repeatable: --by channel --by month)")
    ap.add_argument("--pandas", action="store_true", help="also the pandas engine on the base file, side by side")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.data_dir or tmp)
        base = make_data(folder, int(args.base))
        if args.pandas:
            compare(folder / "client.yml", base, int(args.base), args.by, args.memory_limit)
        if args.copies < 1:
            return
        t = time.perf_counter()
        big = copies_file(base, args.copies, folder / f"contacts_{int(args.base)}x{args.copies}.parquet")
        made = time.perf_counter() - t
        n = int(args.base) * args.copies
        yml = folder / "client.yml"
        la0 = loadavg()
        small = run_kpis(yml, base, args.memory_limit, args.by)
        r = run_kpis(yml, big, args.memory_limit, args.by)
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
