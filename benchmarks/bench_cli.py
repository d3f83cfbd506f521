"""Whole processes as a user feels them: ``cxtoolkit kpis --json`` against the same KPIs as a
DuckDB SQL script (``benchmarks/kpis_duckdb.py``), side by side in one run.

Each size: the two commands alternate, 5 runs each, medians of wall time and CPU time
(user + system) and peak memory (max RSS); the KPIs of both are cross-checked. Then a
breakdown of one cxtoolkit process (start-up / read / validate / compute), the start-up of
``cxtoolkit --help``, and the CSV ingest: ``cxtoolkit validate`` on a 1M-row CSV (canonical,
then French) against DuckDB reading and checking it (``benchmarks/ingest_duckdb.py``), whole
processes side by side. The load average is printed with the figures (the machine is shared;
the ratio measured side by side is the figure to read).

Usage::

    python benchmarks/bench_cli.py                 # 1M contacts
    python benchmarks/bench_cli.py --sizes 1e6 1e7  # and 10M
    python benchmarks/bench_cli.py --csv-only      # the CSV ingest only
    python benchmarks/bench_cli.py --no-csv --baseline ../main   # and main's kpis in the same rounds
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


def run(cmd: list[str], cwd: Path, ok_codes: tuple[int, ...] = (0,), env: dict | None = None) -> dict:
    """Wall seconds, CPU seconds and max RSS (MB) of one child process; its stdout."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    out, err = p.communicate()
    wall = time.perf_counter() - t
    # the child is reaped by communicate(); its rusage is read from the children's total
    if p.returncode not in ok_codes:
        raise RuntimeError(f"{cmd} failed: {err[-2000:]}")
    return {"wall": wall, "out": out}


def run_measured(cmd: list[str], cwd: Path, ok_codes: tuple[int, ...] = (0,), env: dict | None = None) -> dict:
    before = os.times()
    r = run(cmd, cwd, ok_codes, env)
    after = os.times()
    r["cpu"] = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return r


def peak_rss_mb(cmd: list[str], cwd: Path, env: dict | None = None) -> float:
    """Max RSS of one run, through GNU time when present (else NaN)."""
    if not Path("/usr/bin/time").exists():
        return float("nan")
    p = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], cwd=cwd, capture_output=True, text=True, env=env)
    return int(p.stderr.strip().splitlines()[-1]) / 1024


def client_yml(folder: Path) -> Path:
    """The demo client's settings without its data files (given with ``--contacts``)."""
    folder.mkdir(parents=True, exist_ok=True)
    yml = folder / "client.yml"
    if not yml.exists():
        text = DEMO_YML.read_text(encoding="utf-8")
        yml.write_text(text.split("\ndata:")[0] + "\n", encoding="utf-8")
    return yml


def make_data(folder: Path, n: int) -> Path:
    """A clean client folder (the demo client's settings) with ``n`` generated contacts as Parquet."""
    folder.mkdir(parents=True, exist_ok=True)
    yml = client_yml(folder)
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
from cxtoolkit._speedups import arrow_jemalloc
arrow_jemalloc()   # as the command does
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


def bench_size(folder: Path, n: int, baseline: str | None = None) -> None:
    """``cxtoolkit kpis --json`` and the DuckDB script on ``n`` contacts, alternating; with
    ``baseline`` (a checkout of another version), its ``kpis --json`` in the same rounds."""
    data = make_data(folder, n)
    yml = folder / "client.yml"
    ours = [sys.executable, "-m", "cxtoolkit.cli.main", "kpis", "--config", str(yml), "--contacts", str(data), "--json"]
    duck = [sys.executable, str(HERE / "kpis_duckdb.py"), str(yml), str(data)]
    base_env = {**os.environ, "PYTHONPATH": baseline} if baseline else None
    la0 = loadavg()
    o, d, b = [], [], []
    for _ in range(RUNS):
        o.append(run_measured(ours, folder))
        d.append(run_measured(duck, folder))
        if baseline:
            b.append(run_measured(ours, folder, env=base_env))
    la1 = loadavg()
    from kpis_duckdb import CHECK

    def max_diff(x: dict, y: dict) -> tuple[float, bool]:
        return (max(abs((x[k] or 0) - (y[k] or 0)) for k in CHECK),
                all((x[k] is None) == (y[k] is None) for k in CHECK))

    a = json.loads(o[-1]["out"])["overall"]
    diff, nulls = max_diff(a, json.loads(d[-1]["out"]))
    med = {k: {m: statistics.median(r[m] for r in runs) for m in ("wall", "cpu")}
           for k, runs in (("ours", o), ("duck", d), ("base", b)) if runs}
    rss_o, rss_d = peak_rss_mb(ours, folder), peak_rss_mb(duck, folder)
    print(f"\n{n:,} contacts (Parquet), medians of {RUNS}, load average {la0} -> {la1}")
    print(f"  {'':24} {'wall s':>7} {'cpu s':>7} {'peak MB':>8}")
    print(f"  {'cxtoolkit kpis --json':24} {med['ours']['wall']:>7.2f} {med['ours']['cpu']:>7.2f} {rss_o:>8.0f}")
    print(f"  {'DuckDB SQL script':24} {med['duck']['wall']:>7.2f} {med['duck']['cpu']:>7.2f} {rss_d:>8.0f}")
    if baseline:
        rss_b = peak_rss_mb(ours, folder, env=base_env)
        bd, bn = max_diff(a, json.loads(b[-1]["out"])["overall"])
        print(f"  {'baseline kpis --json':24} {med['base']['wall']:>7.2f} {med['base']['cpu']:>7.2f} {rss_b:>8.0f}"
              f"  [{baseline}; max |diff| with this checkout {bd:.1e}{'' if bn else ', NULLS DIFFER'}]")
    print(f"  ratio cxtoolkit / DuckDB: wall {med['ours']['wall'] / med['duck']['wall']:.2f}x, "
          f"cpu {med['ours']['cpu'] / med['duck']['cpu']:.2f}x; max |diff| over {len(CHECK)} KPIs {diff:.1e}"
          f"{'' if nulls else ' (NULLS DIFFER)'}")
    if baseline:
        print(f"  ratio baseline / DuckDB: wall {med['base']['wall'] / med['duck']['wall']:.2f}x, "
              f"cpu {med['base']['cpu'] / med['duck']['cpu']:.2f}x")
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


BAD_SHARE = 0.001   # of the rows, per kind of bad cell (--csv files)


def make_csv(folder: Path, n: int, french: bool) -> Path:
    """``n`` synthetic contacts as a CSV export, canonical (``,``, ISO dates) or French (``;``,
    dd/mm/yyyy, decimal comma, oui/non), with bad cells in 0.1 % of the rows for each kind: an
    impossible date, a text in wait_s, a repeated id, an unknown yes/no, a bad duration."""
    path = folder / f"contacts_{n}{'_fr' if french else ''}.csv"
    if path.exists():
        return path
    import numpy as np
    import pandas as pd
    from bench_ingest import synthetic_contacts

    df = synthetic_contacts(n)
    if french:
        df["received_at"] = pd.to_datetime(df["received_at"]).dt.strftime("%d/%m/%Y %H:%M:%S")
        df["wait_s"] = df["wait_s"].map("{:.1f}".format).str.replace(".", ",", regex=False)
        df["answered"] = np.where(df["answered"] == "true", "oui", "non")
        df["talk_s"] = df["talk_s"].astype("int64")
    rng = np.random.default_rng(7)
    k = max(1, int(n * BAD_SHARE))
    rows = rng.choice(n, 5 * k, replace=False).reshape(5, k)
    df = df.astype({c: "object" for c in df.columns})
    df.loc[rows[0], "received_at"] = "31/02/2024 10:00:00" if french else "2024-02-31 10:00:00"
    df.loc[rows[1], "wait_s"] = "n/a"
    df.loc[rows[2], "contact_id"] = df.loc[rows[2] - 1, "contact_id"].to_numpy()
    df.loc[rows[3], "answered"] = "peut-être" if french else "maybe"
    df.loc[rows[4], "talk_s"] = "1:75:00"
    df.to_csv(path, index=False, sep=";" if french else ",")
    return path


INGEST_BREAKDOWN = r"""
import json, sys, time
t0 = time.perf_counter()
from cxtoolkit.cli import data_cmd
from cxtoolkit.io.mapping import read_mapped
from cxtoolkit.io.readers import read_file
from cxtoolkit.io.validate import validate_detailed
from cxtoolkit.io import write_rejects
from cxtoolkit.privacy import mask_rejects
from cxtoolkit.schemas import SCHEMAS
from cxtoolkit._speedups import arrow_jemalloc
arrow_jemalloc()   # as the command does
t1, c1 = time.perf_counter(), time.process_time()
raw = read_mapped(sys.argv[1], "contacts", reader=read_file)[0]
t2, c2 = time.perf_counter(), time.process_time()
# as the command validates: no accepted table built (an older checkout builds it)
import inspect
lean = {"columns": []} if "columns" in inspect.signature(validate_detailed).parameters else {}
res = validate_detailed(raw, SCHEMAS["contacts"], tz="Europe/Paris", **lean)
t3, c3 = time.perf_counter(), time.process_time()
write_rejects(mask_rejects(res.rejects), sys.argv[2])
t4 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "read": t2 - t1, "validate": t3 - t2, "rejects": t4 - t3,
                  "read_cpu": c2 - c1, "validate_cpu": c3 - c2}))
"""


def bench_csv(folder: Path, n: int, baseline: str | None = None) -> None:
    """``cxtoolkit validate`` on an ``n``-row CSV vs DuckDB reading and checking it, whole
    processes side by side (canonical and French files); ``baseline``: a checkout of another
    version of cxtoolkit, its ``validate`` timed in the same rounds."""
    base_env = {**os.environ, "PYTHONPATH": baseline} if baseline else None
    yml = client_yml(folder)
    for french in (False, True):
        data = make_csv(folder, n, french)
        ours = [sys.executable, "-m", "cxtoolkit.cli.main", "validate", "--config", str(yml), "--contacts",
                str(data), "--out", str(folder / "validation"), "--json"]
        duck = [sys.executable, str(HERE / "ingest_duckdb.py"), str(data)] + (["--french"] if french else [])
        la0 = loadavg()
        o, d, b = [], [], []
        for _ in range(RUNS):
            o.append(run_measured(ours, folder, ok_codes=(0, 1)))
            d.append(run_measured(duck, folder))
            if baseline:
                b.append(run_measured(ours, folder, ok_codes=(0, 1), env=base_env))
        la1 = loadavg()
        med = {k: {m: statistics.median(r[m] for r in runs) for m in ("wall", "cpu")}
               for k, runs in (("ours", o), ("duck", d), ("base", b)) if runs}
        counts = json.loads(o[-1]["out"])["meta"]["tables"]["contacts"]
        dcounts = json.loads(d[-1]["out"])
        def breakdown(env=None) -> dict:
            return json.loads(subprocess.run([sys.executable, "-c", INGEST_BREAKDOWN, str(data), str(folder / "bd")],
                                             cwd=folder, capture_output=True, text=True, check=True, env=env).stdout)
        parts, bparts = [], []
        for _ in range(3):   # (the baseline's in the same rounds)
            parts.append(breakdown())
            if baseline:
                bparts.append(breakdown(base_env))
        br = {k: statistics.median(p[k] for p in parts) for k in ("imports", "read", "validate", "rejects")}
        label = "French (;, dd/mm/yyyy, 12,5)" if french else "canonical (',', ISO dates)"
        print(f"\nCSV ingest, {n:,} contacts, {label}, {data.stat().st_size / 1e6:.0f} MB; medians of {RUNS}, "
              f"load average {la0} -> {la1}")
        print(f"  {'':28} {'wall s':>7} {'cpu s':>7} {'rows/s':>8}  read / accepted / rejected")
        print(f"  {'cxtoolkit validate':28} {med['ours']['wall']:>7.2f} {med['ours']['cpu']:>7.2f} "
              f"{n / med['ours']['wall'] / 1e6:>7.2f}M  {counts['read']:,} / {counts['accepted']:,} / "
              f"{counts['rejected']:,} (+{counts['blanked']:,} cells blanked)")
        print(f"  {'DuckDB read + TRY_CAST':28} {med['duck']['wall']:>7.2f} {med['duck']['cpu']:>7.2f} "
              f"{n / med['duck']['wall'] / 1e6:>7.2f}M  {dcounts['read']:,} / {dcounts['accepted']:,} / "
              f"{dcounts['rejected']:,}")
        if baseline:
            bc = json.loads(b[-1]["out"])["meta"]["tables"]["contacts"]
            print(f"  {'baseline validate':28} {med['base']['wall']:>7.2f} {med['base']['cpu']:>7.2f} "
                  f"{n / med['base']['wall'] / 1e6:>7.2f}M  {bc['read']:,} / {bc['accepted']:,} / "
                  f"{bc['rejected']:,} (+{bc['blanked']:,} cells blanked)  [{baseline}]")
        print(f"  ratio cxtoolkit / DuckDB: wall {med['ours']['wall'] / med['duck']['wall']:.2f}x, "
              f"cpu {med['ours']['cpu'] / med['duck']['cpu']:.2f}x"
              + (f"; baseline / cxtoolkit: wall {med['base']['wall'] / med['ours']['wall']:.2f}x, "
                 f"cpu {med['base']['cpu'] / med['ours']['cpu']:.2f}x" if baseline else ""))
        print(f"  cxtoolkit breakdown, wall s (median of 3, load {loadavg()}): imports {br['imports']:.2f}, "
              f"read {br['read']:.2f}, validate {br['validate']:.2f}, rejects masked + written "
              f"{br['rejects']:.2f}; read + validate "
              f"{n / (br['read'] + br['validate']) / 1e6:.2f}M rows/s; whole process minus these steps "
              f"{med['ours']['wall'] - sum(br.values()):.2f} s (start-up, command line, client.yml, output, exit; "
              f"and waiting for a core: read and validate use two threads; less the read's overlap with the "
              f"imports: the command parses its CSV while it imports pandas, cxtoolkit.io.prefetch)")
        for name, ps in (("cxtoolkit", parts), ("baseline", bparts)):
            if ps:
                m = {k: statistics.median(p.get(k, float("nan")) for p in ps)
                     for k in ("read", "validate", "read_cpu", "validate_cpu")}
                print(f"  {name} read + validate in process: wall {m['read'] + m['validate']:.2f} s "
                      f"({n / (m['read'] + m['validate']) / 1e6:.2f}M rows/s; read {m['read']:.2f}, validate "
                      f"{m['validate']:.2f}), cpu read {m['read_cpu']:.2f} s, validate {m['validate_cpu']:.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="*", type=float, default=[1e6])
    ap.add_argument("--data-dir", help="keep the generated data here (default: a temporary folder)")
    ap.add_argument("--no-csv", action="store_true")
    ap.add_argument("--csv-only", action="store_true", help="only the CSV ingest (cxtoolkit validate vs DuckDB)")
    ap.add_argument("--csv-rows", type=float, default=1e6)
    ap.add_argument("--baseline", help="a checkout of another cxtoolkit version (a git worktree): its "
                                        "`kpis --json` and `validate` timed in the same rounds as this one's")
    ap.add_argument("--no-help", action="store_true")
    ap.add_argument("--runs", type=int, default=RUNS)
    ap.add_argument("--no-bytecode", action="store_true",
                    help="do not compile cxtoolkit's bytecode first (each run compiles it, as with PYTHONDONTWRITEBYTECODE=1)")
    args = ap.parse_args()
    globals()["RUNS"] = args.runs
    sys.path.insert(0, str(HERE))
    from installed import prepare

    prepare([None, args.baseline] if args.baseline else [None], not args.no_bytecode)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.data_dir or tmp)
        if not args.no_help and not args.csv_only:
            bench_help(folder)
        for n in ([] if args.csv_only else args.sizes):
            bench_size(folder, int(n), args.baseline)
        if not args.no_csv:
            bench_csv(folder, int(args.csv_rows), args.baseline)


if __name__ == "__main__":
    main()
