"""Benchmark of the privacy scrub of a demo audit: what ``_PrivacyGuard`` (cxtoolkit/audit/runner.py)
and the verbatim masking cost, step by step.

Uses ``client_data/demo`` (generated first when its files are missing: 200k contacts, 20k
answers) and a published audit folder of it (``--audit DIR``; default: one audit is run into
a temporary folder first). On fresh copies of that folder it times, best of ``--repeat``:

- ``mask_pii`` of the 20k raw verbatims (what ``analyse_verbatims`` does first);
- the CSV exports scrub (``csv_exports``), on the audit's CSVs plus a careless export of
  the raw responses (20k rows with ids and verbatims: the worst case a notebook can write);
- the executed notebooks' scrub (``notebook``), every notebook of the audit;
- the rejects scrub (``rejects``) of the loaded data's rejects.

    .venv/bin/python benchmarks/bench_privacy.py [--audit reports/demo/all] [--repeat 3]

Run it on two checkouts (``PYTHONPATH=<checkout>``) to compare before / after a change.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_staffing import best_of  # noqa: E402 - the benchmarks' timing helper


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--client", default="demo")
    ap.add_argument("--client-data", default=str(ROOT / "client_data"))
    ap.add_argument("--audit", default="", help="a published audit folder of the client (default: run one)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    os.environ.setdefault("CXTOOLKIT_PSEUDONYM_KEY", "bench-privacy")
    import pandas as pd

    from cxtoolkit import io, privacy
    from cxtoolkit.audit.runner import _PrivacyGuard, run_audit
    from cxtoolkit.config import load_client
    from cxtoolkit.datasets import generate_client
    from cxtoolkit.io.scaffold import ensure_demo_client
    from cxtoolkit.pii import mask_pii

    ensure_demo_client(args.client, args.client_data)   # the packaged client.yml, when missing
    cfg = load_client(args.client, args.client_data)
    generate_client(cfg.folder, cfg)   # only the files that are missing
    with tempfile.TemporaryDirectory(prefix="bench_privacy_") as tmp:
        audit = Path(args.audit) if args.audit else None
        if audit is None:
            t = time.perf_counter()
            audit = run_audit(cfg.client, client_data=args.client_data, out=Path(tmp) / "out", warehouse=False).folder
            print(f"audit run in {time.perf_counter() - t:.1f} s")
        data = io.load(cfg)
        ids = privacy.customer_ids(data.contacts, data.responses, data.sends)
        verbatims = data.responses["verbatim"]
        raw = pd.read_csv(Path(cfg.folder) / "responses.csv", dtype=str, keep_default_na=False)
        guard = _PrivacyGuard(ids)
        print(f"{args.client}: {len(data.contacts)} contacts, {len(data.responses)} answers "
              f"({int(verbatims.notna().sum())} verbatims), {len(ids)} customer ids; "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")

        def csvs():
            folder = Path(tmp) / "csv"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            for p in audit.glob("*.csv"):
                shutil.copy(p, folder / p.name)
            raw.to_csv(folder / "careless_export.csv", index=False)
            guard.csv_exports(folder)

        def notebooks():
            folder = Path(tmp) / "nb"
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(audit / "notebooks", folder)
            for p in sorted(folder.glob("*.ipynb")):
                guard.notebook(p)

        rows = [("mask_pii, 20k raw verbatims", lambda: mask_pii(verbatims)),
                ("csv_exports (audit CSVs + 20k-row raw export)", csvs),
                (f"notebook scrub ({len(list((audit / 'notebooks').glob('*.ipynb')))} notebooks)", notebooks),
                (f"rejects ({len(data.rejects)} rows)", lambda: guard.rejects(data.rejects))]
        for name, fn in rows:
            print(f"{name:52} {best_of(fn, args.repeat):8.2f} s")
    print(f"load average after: {os.getloadavg()[0]:.2f} (figures are only comparable on a calm machine)")


if __name__ == "__main__":
    main()
