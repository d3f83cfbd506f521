"""Benchmark of batch audits: N demo-sized clients, 1 vs 2 local workers.

Generates one small demo client (``cxtoolkit.datasets.generate_client``) and copies its
files to N client folders under a temporary client_data, then runs
``cxtoolkit.audit.run_batch`` with 1 and with 2 workers over the notebook suite found in
``notebooks/``. Prints wall time, notebooks per minute, and where the time goes: the
notebooks' own compute (sum of papermill's per-cell durations) versus the overhead around
it (kernel start and imports outside cells, HTML export, data/workbook/deck, process
start-up).

    .venv/bin/python benchmarks/bench_batch.py [--clients 10] [--contacts 20000] [--workers 1,2]
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import nbformat
from cxtoolkit import resources



def make_clients(root: Path, n: int, contacts: int, responses: int) -> Path:
    from cxtoolkit.datasets import generate_client

    cd = root / "client_data"
    src = cd / "bench-00"
    src.mkdir(parents=True)
    yml = resources.demo_client_yml("demo").read_text(encoding="utf-8")
    (src / "client.yml").write_text(yml.replace("client: demo", "client: bench-00"), encoding="utf-8")
    generate_client(src, n_contacts=contacts, n_responses=responses, months=2)
    for i in range(1, n):
        dst = cd / f"bench-{i:02d}"
        shutil.copytree(src, dst)
        (dst / "client.yml").write_text(yml.replace("client: demo", f"client: bench-{i:02d}"), encoding="utf-8")
    return cd


def cell_seconds(folder: Path) -> float:
    total = 0.0
    for p in (folder / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(p, as_version=4)
        total += sum(float((c.metadata.get("papermill") or {}).get("duration") or 0) for c in nb.cells)
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--contacts", type=int, default=20_000)
    ap.add_argument("--responses", type=int, default=2_000)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args()

    from cxtoolkit.audit.batch import run_batch

    with tempfile.TemporaryDirectory(prefix="bench_batch_") as tmp:
        root = Path(tmp)
        t = time.perf_counter()
        cd = make_clients(root, args.clients, args.contacts, args.responses)
        print(f"generated {args.clients} clients ({args.contacts} contacts, {args.responses} answers each) "
              f"in {time.perf_counter() - t:.1f} s; notebooks: {sorted(p.stem for p in resources.notebooks_dir().glob('*.ipynb'))}")
        for w in (int(x) for x in args.workers.split(",")):
            out = root / f"reports-w{w}"
            res = run_batch("all", period=None, client_data=cd, out=out, workers=w, timeout=args.timeout,
                            progress=False)
            nbs = [n for o in res.outcomes for n in o.notebooks if n["status"] != "skipped"]
            n_nb = len(nbs)
            exec_s = sum(n.get("execute_s") or 0 for n in nbs)
            export_s = sum(n.get("export_s") or 0 for n in nbs)
            audit_s = sum(o.duration_s for o in res.outcomes)
            cells = sum(cell_seconds(Path(o.folder)) for o in res.outcomes if o.folder)
            print(f"\nworkers={w}: {len(res.outcomes)} clients, {len(res.failed)} failed, {n_nb} notebooks, "
                  f"wall {res.duration_s:.1f} s, {60 * n_nb / res.duration_s:.1f} notebooks/min")
            print(f"  summed audit time {audit_s:.1f} s = notebooks' own compute (cells) {cells:.1f} s"
                  f" + kernel start/imports outside cells {exec_s - cells:.1f} s"
                  f" + HTML export {export_s:.1f} s"
                  f" + data/KPIs/workbook/deck/index {audit_s - exec_s - export_s:.1f} s")
            if audit_s:
                print(f"  overhead share (everything but cells): {100 * (1 - cells / audit_s):.0f} %;"
                      f" pool overhead (wall × workers − summed audits): {res.duration_s * w - audit_s:.1f} s")
            for o in res.failed:
                print(f"  FAILED {o.client}: {o.error}")


if __name__ == "__main__":
    main()
