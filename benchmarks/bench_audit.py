"""Benchmark of the demo audit as a user runs it: whole ``cxtoolkit`` processes, side by side.

Each run is one ``cxtoolkit audit demo --period P --jobs N`` process (or, with ``--demo``,
one ``cxtoolkit demo``: two monthly audits), timed from outside: wall seconds and CPU
seconds of the process and all its children (workers, kernels) — the CPU figure moves far
less than the wall time when other work shares the machine. Variants are run in turn
(A, B, A, B, …) so that load changes hit all of them alike; the table shows medians,
and the breakdown read back from each audit's ``manifest.json``: start-up and exit (wall
minus the audit's own duration: ``exit`` from the command's last line to the end of its
process, ``startup+publish`` the rest: the start and imports, then the index, manifest,
workers' shutdown and publication after the manifest's clock stops), data + KPI views,
workbook, deck, the notebooks' wall time, and per notebook its kernel+cells and HTML-export
seconds.

``--code`` compares checkouts: each is put first on ``PYTHONPATH`` (e.g. the main
checkout before a change, this one after it); ``--baseline DIR`` is ``--code DIR,<this checkout>``.

    .venv/bin/python benchmarks/bench_audit.py [--jobs 1,2] [--repeat 3] [--period 2026-10]
    .venv/bin/python benchmarks/bench_audit.py --code /work/main,. --jobs 2 --repeat 5
    .venv/bin/python benchmarks/bench_audit.py --demo --jobs 2
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ("kpis", "journey", "verbatims", "quality", "roi")


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_once(code: Path, jobs: int, period: str, demo: bool, client: str, client_data: str,
             out: Path) -> dict:
    """One whole process; returns wall, cpu and the manifests' figures."""
    env = {**os.environ, "PYTHONPATH": str(code), "CXTOOLKIT_AUDIT_JOBS": str(jobs)}
    exe = str(Path(sys.executable).with_name("cxtoolkit"))
    cmd = [exe, "demo", "--client", client, "--client-data", client_data, "--out", str(out)] if demo else \
        [exe, "audit", client, "--period", period, "--client-data", client_data, "--out", str(out),
         "--jobs", str(jobs)]
    load = os.getloadavg()[0]
    cpu0, t0 = _children_cpu(), time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            cwd=out.parent)
    lines, last = [], t0
    for line in proc.stdout:              # the time of the command's last line: its exit follows
        lines.append(line)
        last = time.perf_counter()
    proc.wait()
    wall, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{''.join(lines)[-2000:]}")
    manifests = [json.loads(p.read_text()) for p in sorted((out / client).glob("*/manifest.json"))]
    audit_s = sum(m["duration_s"] for m in manifests)
    exit_s = t0 + wall - last
    row = {"wall": wall, "cpu": cpu, "load": load, "audit": audit_s, "startup+exit": wall - audit_s,
           "exit": exit_s, "startup+publish": wall - audit_s - exit_s,
           "notebooks wall": sum(m.get("notebooks_wall_s", 0) for m in manifests),
           "status": ",".join(m["status"] for m in manifests)}
    for step in ("data", "workbook", "deck"):
        row[step] = sum(m["steps"].get(step, {}).get("duration_s") or 0 for m in manifests)
    for m in manifests:
        for nb in m["notebooks"]:
            for key, field in (("exec", "execute_s"), ("export", "export_s")):
                row[f"{nb['name']} {key}"] = row.get(f"{nb['name']} {key}", 0) + (nb.get(field) or 0)
    return row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", default="1,2", help="comma-separated notebook jobs to compare")
    ap.add_argument("--code", default=str(ROOT), help="comma-separated checkouts to compare (PYTHONPATH)")
    ap.add_argument("--baseline", help="a checkout run in the same rounds before this one (--code BASELINE,this)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--period", default="2026-10")
    ap.add_argument("--demo", action="store_true", help="time `cxtoolkit demo` (two monthly audits)")
    ap.add_argument("--client", default="demo")
    ap.add_argument("--client-data", default=str(ROOT / "client_data"))
    ap.add_argument("--no-bytecode", action="store_true",
                    help="do not compile cxtoolkit's bytecode first (each process compiles it, as with PYTHONDONTWRITEBYTECODE=1)")
    args = ap.parse_args()

    from cxtoolkit.config import load_client
    from cxtoolkit.datasets import generate_client
    from cxtoolkit.io.scaffold import ensure_demo_client

    ensure_demo_client(args.client, args.client_data)   # the packaged client.yml, when missing
    cfg = load_client(args.client, args.client_data)
    generate_client(cfg.folder, cfg)   # only the files that are missing
    codes = [Path(c).resolve() for c in ([args.baseline, str(ROOT)] if args.baseline else args.code.split(","))]
    variants = [(c, int(j)) for c in codes for j in args.jobs.split(",")]
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from installed import prepare

    prepare(codes, not args.no_bytecode)
    label = {v: (f"{v[0].name} " if len(codes) > 1 else "") + f"jobs={v[1]}" for v in variants}
    what = "cxtoolkit demo (two audits)" if args.demo else f"cxtoolkit audit {args.client} --period {args.period}"
    print(f"{what}: {len(variants)} variants × {args.repeat}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}")
    rows: dict = {v: [] for v in variants}
    with tempfile.TemporaryDirectory(prefix="bench_audit_") as tmp:
        for i in range(args.repeat):
            for v in variants:
                out = Path(tmp) / f"run{i}-{len(rows[v])}-{v[1]}-{v[0].name}" / "reports"
                out.mkdir(parents=True)
                r = run_once(v[0], v[1], args.period, args.demo, cfg.client, args.client_data, out)
                rows[v].append(r)
                print(f"  {label[v]:>22}: {r['wall']:5.1f} s wall, {r['cpu']:5.1f} s CPU, load {r['load']:.1f}",
                      flush=True)
    keys = ["wall", "cpu", "startup+exit", "startup+publish", "exit", "audit", "data", "workbook", "deck", "notebooks wall"] + \
        [f"{n} {k}" for n in NOTEBOOKS for k in ("exec", "export")]
    print(f"\nmedians of {args.repeat} (seconds){'':6}" + "".join(f"{label[v]:>18}" for v in variants))
    for key in keys:
        vals = [statistics.median(r.get(key, 0) for r in rows[v]) for v in variants]
        print(f"{key:36}" + "".join(f"{x:18.2f}" for x in vals))
    print(f"{'status':36}" + "".join(f"{rows[v][-1]['status']:>18}" for v in variants))
    if len(variants) > 1:
        base = variants[0]
        for v in variants[1:]:
            print(f"{label[v]} / {label[base]}: wall ×{statistics.median(r['wall'] for r in rows[v]) / statistics.median(r['wall'] for r in rows[base]):.2f}, "
                  f"CPU ×{statistics.median(r['cpu'] for r in rows[v]) / statistics.median(r['cpu'] for r in rows[base]):.2f}")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (wall times are only comparable on a calm machine)")


if __name__ == "__main__":
    main()
