"""Benchmark of one full demo audit (the ``make demo`` job): wall time and where it goes,
notebooks one after another (``jobs=1``) against side by side (``jobs=2``), in one run.

Uses ``client_data/demo`` (generated first when its files are missing: 200k contacts,
20k answers), writes reports to a temporary folder, and prints per run: audit wall time,
the notebooks' wall time, each notebook's kernel+cells and HTML-export seconds, and the
steps done in the runner process (data + KPI views, workbook, business-case deck).

    .venv/bin/python benchmarks/bench_audit.py [--jobs 1,2] [--client demo]
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", default="1,2", help="comma-separated notebook jobs to compare")
    ap.add_argument("--client", default="demo")
    ap.add_argument("--client-data", default=str(ROOT / "client_data"))
    args = ap.parse_args()

    from cxtoolkit._speedups import skip_slow_optional_imports

    skip_slow_optional_imports()   # as the cxtoolkit command does
    from cxtoolkit.audit.runner import run_audit
    from cxtoolkit.config import load_client
    from cxtoolkit.datasets import generate_client
    from cxtoolkit.io.scaffold import ensure_demo_client

    ensure_demo_client(args.client, args.client_data)   # the packaged client.yml, when missing
    cfg = load_client(args.client, args.client_data)
    t = time.perf_counter()
    generate_client(cfg.folder, cfg)   # only the files that are missing
    print(f"client {cfg.client}: data ready in {time.perf_counter() - t:.1f} s; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_audit_") as tmp:
        for jobs in (int(x) for x in args.jobs.split(",")):
            t = time.perf_counter()
            res = run_audit(cfg.client, client_data=args.client_data, out=Path(tmp) / f"jobs{jobs}",
                            warehouse=False, jobs=jobs)
            wall = time.perf_counter() - t
            m = res.manifest
            steps = {k: v.get("duration_s") for k, v in m["steps"].items() if v.get("duration_s") is not None}
            rows.append((jobs, wall, m, steps, res.status))
    print()
    print(f"{'':34}" + "".join(f"{f'jobs={j}':>12}" for j, *_ in rows))
    print(f"{'audit wall time (s)':34}" + "".join(f"{w:12.1f}" for _, w, *_ in rows))
    print(f"{'  notebooks, wall (s)':34}" + "".join(f"{m.get('notebooks_wall_s', 0):12.1f}" for _, _, m, *_ in rows))
    names = [n["name"] for n in rows[0][2]["notebooks"]]
    for i, name in enumerate(names):
        print(f"{f'    {name}: kernel+cells / export':34}" + "".join(
            f"{(m['notebooks'][i].get('execute_s') or 0):7.1f}/{(m['notebooks'][i].get('export_s') or 0):4.1f}"
            for _, _, m, *_ in rows))
    for step in rows[0][3]:
        print(f"{f'  runner: {step} (s)':34}" + "".join(f"{s.get(step, 0):12.1f}" for *_, s, _ in rows))
    print(f"{'status':34}" + "".join(f"{st:>12}" for *_, st in rows))
    print(f"\nload average after: {os.getloadavg()[0]:.2f} (figures are only comparable on a calm machine)")


if __name__ == "__main__":
    main()
