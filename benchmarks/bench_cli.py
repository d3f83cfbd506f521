"""Whole processes as a user feels them: ``cxtoolkit kpis --json`` against the same KPIs as a
DuckDB SQL script (``benchmarks/kpis_duckdb.py``), side by side in one run.

Each size: the two commands alternate, 5 runs each, medians of wall time and CPU time
(user + system) and peak memory (max RSS); the KPIs of both are cross-checked. Then a
breakdown of one cxtoolkit process (start-up / read / validate / compute), the start-up of
``cxtoolkit --help`` and the CSV ingest rate. The load average is printed with the figures
(the machine is shared; the ratio measured side by side is the figure to read).

Usage::

    python benchmarks/bench_cli.py                 # 1M contacts
    python benchmarks/bench_cli.py --sizes 1e6 1e7  # and 10M
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
DEMO_YML = ROOT / "cxtoolkit" / "resources" / "clients" / "demo" / "client.yml"   # the packaged demo client
RUNS = 5   # --runs


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def run(cmd: list[str], cwd: Path) -> dict:
    """Wall seconds, CPU seconds and max RSS (MB) of one child process; its stdout."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = p.communicate()
    wall = time.perf_counter() - t
    # the child is reaped by communicate(); its rusage is read from the children's total
    if p.returncode != 0:
        raise RuntimeError(f"{cmd} failed: {err[-2000:]}")
    return {"wall": wall, "out": out}


def run_measured(cmd: list[str], cwd: Path) -> dict:
    before = os.times()
    r = run(cmd, cwd)
    after = os.times()
    r["cpu"] = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return r


def peak_rss_mb(cmd: list[str], cwd: Path) -> float:
    """Max RSS of one run, through GNU time when present (else NaN)."""
    if not Path("/usr/bin/time").exists():
        return float("nan")
    p = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], cwd=cwd, capture_output=True, text=True)
    return int(p.stderr.strip().splitlines()[-1]) / 1024


def make_data(folder: Path, n: int) -> Path:
    """A clean client folder (the demo client's settings) with ``n`` generated contacts as Parquet."""
    folder.mkdir(parents=True, exist_ok=True)
    yml = folder / "client.yml"
    if not yml.exists():
        text = DEMO_YML.read_text(encoding="utf-8")
        yml.write_text(text.split("\ndata:")[0] + "\n", encoding="utf-8")   # contacts given with --contacts
    path = folder / f"contacts_{n}.parquet"
    if not path.exists():
        code = ("import sys; from cxtoolkit.config import load_config; from cxtoolkit.datasets import generate_contacts;"
                f"generate_contacts({n}, load_config({str(yml)!r}), seed=42, bad_share=0)"
                f".to_parquet({str(path)!r}, index=False)")
        subprocess.run([sys.executable, "-c", code], check=True)
    return path


BREAKDOWN = r"""
import json, sys, time
t0 = time.process_time()
from cxtoolkit.cli import kpis_cmd
from cxtoolkit.config import load_client
from cxtoolkit.io.mapping import read_mapped
from cxtoolkit.io.readers import read_file
from cxtoolkit.io.validate import validate
from cxtoolkit.kpis import compute_many, to_json
from cxtoolkit.kpis.contacts import COLUMNS
from cxtoolkit.schemas import SCHEMAS
t1 = time.process_time()
cfg = load_client(sys.argv[1])
# as ``cxtoolkit kpis`` reads it (io.load_table, only the columns the KPIs use)
raw = read_mapped(sys.argv[2], "contacts", reader=read_file, needed=set(COLUMNS))[0]
t2 = time.process_time()
acc, rej = validate(raw, SCHEMAS["contacts"], ces_scale=cfg.kpi.ces_scale)
t3 = time.process_time()
res = compute_many(acc, None, cfg, cuts=[None])
json.dumps(to_json(list(res.values())[0], None, cfg))
t4 = time.process_time()
print(json.dumps({"imports": t1 - t0, "read": t2 - t1, "validate": t3 - t2, "compute": t4 - t3, "rows": len(raw.df)}))
"""


def bench_size(folder: Path, n: int) -> None:
    data = make_data(folder, n)
    yml = folder / "client.yml"
    ours = [sys.executable, "-m", "cxtoolkit.cli.main", "kpis", "--config", str(yml), "--contacts", str(data), "--json"]
    duck = [sys.executable, str(HERE / "kpis_duckdb.py"), str(yml), str(data)]
    la0 = loadavg()
    o, d = [], []
    for _ in range(RUNS):
        o.append(run_measured(ours, folder))
        d.append(run_measured(duck, folder))
    la1 = loadavg()
    from kpis_duckdb import CHECK

    a, b = json.loads(o[-1]["out"])["overall"], json.loads(d[-1]["out"])
    diff = max(abs((a[k] or 0) - (b[k] or 0)) for k in CHECK)
    nulls = all((a[k] is None) == (b[k] is None) for k in CHECK)
    med = {k: {m: statistics.median(r[m] for r in runs) for m in ("wall", "cpu")} for k, runs in (("ours", o), ("duck", d))}
    rss_o, rss_d = peak_rss_mb(ours, folder), peak_rss_mb(duck, folder)
    print(f"\n{n:,} contacts (Parquet), medians of {RUNS}, load average {la0} -> {la1}")
    print(f"  {'':24} {'wall s':>7} {'cpu s':>7} {'peak MB':>8}")
    print(f"  {'cxtoolkit kpis --json':24} {med['ours']['wall']:>7.2f} {med['ours']['cpu']:>7.2f} {rss_o:>8.0f}")
    print(f"  {'DuckDB SQL script':24} {med['duck']['wall']:>7.2f} {med['duck']['cpu']:>7.2f} {rss_d:>8.0f}")
    print(f"  ratio cxtoolkit / DuckDB: wall {med['ours']['wall'] / med['duck']['wall']:.2f}x, "
          f"cpu {med['ours']['cpu'] / med['duck']['cpu']:.2f}x; max |diff| over {len(CHECK)} KPIs {diff:.1e}"
          f"{'' if nulls else ' (NULLS DIFFER)'}")
    parts = [json.loads(subprocess.run([sys.executable, "-c", BREAKDOWN, str(yml), str(data)], cwd=folder,
                                       capture_output=True, text=True, check=True).stdout) for _ in range(3)]
    bare = statistics.median(run([sys.executable, "-c", "pass"], folder)["wall"] for _ in range(3))
    # CPU time: the machine is shared, wall time of a phase says more about the neighbours
    br = {k: statistics.median(p[k] for p in parts) for k in ("imports", "read", "validate", "compute")}
    print(f"  cxtoolkit breakdown, CPU s (median of 3, load {loadavg()}): interpreter {bare:.2f} s wall, imports "
          f"{br['imports']:.2f} s, read {br['read']:.2f} s, validate {br['validate']:.2f} s "
          f"({n / br['validate'] / 1e6:.1f}M rows/s), compute {br['compute']:.2f} s")


def bench_help(folder: Path) -> None:
    cmds = {"cxtoolkit --help": ["--help"], "cxtoolkit kpis --help": ["kpis", "--help"]}
    for name, args in cmds.items():
        t = statistics.median(run([sys.executable, "-m", "cxtoolkit.cli.main", *args], folder)["wall"]
                              for _ in range(RUNS))
        print(f"{name:24} {t:.2f} s (median of {RUNS}, load {loadavg()})")


def bench_csv(folder: Path, n: int) -> None:
    code = f"""
import json, sys, time
sys.path.insert(0, {str(HERE)!r})
import pandas as pd
from bench_ingest import synthetic_contacts
from cxtoolkit.io import load_table
p = {str(folder / 'ingest.csv')!r}
synthetic_contacts({n}).to_csv(p, index=False)
t = time.perf_counter()
acc, rej, counts = load_table(p, "contacts", now=pd.Timestamp("2030-01-01"))
print(json.dumps({{"s": time.perf_counter() - t, **counts}}))
"""
    r = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    print(f"CSV ingest {n:,} rows: {r['s']:.2f} s = {n / r['s'] / 1e6:.2f}M rows/s "
          f"(accepted {r['accepted']:,}, rejected {r['rejected']:,}; load {loadavg()})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="*", type=float, default=[1e6])
    ap.add_argument("--data-dir", help="keep the generated data here (default: a temporary folder)")
    ap.add_argument("--no-csv", action="store_true")
    ap.add_argument("--no-help", action="store_true")
    ap.add_argument("--runs", type=int, default=RUNS)
    args = ap.parse_args()
    globals()["RUNS"] = args.runs
    sys.path.insert(0, str(HERE))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.data_dir or tmp)
        if not args.no_help:
            bench_help(folder)
        for n in args.sizes:
            bench_size(folder, int(n))
        if not args.no_csv:
            bench_csv(folder, 1_000_000)


if __name__ == "__main__":
    main()
