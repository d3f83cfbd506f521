"""Benchmark of the KPI engine (a script printing a table, not a test).

Times the full contact KPI suite — overall + by country + by hour slot — with

* our engine (:func:`cxtoolkit.kpis.compute_many`, each contact classified once),
* the same KPIs written as DuckDB SQL over the same DataFrame (flags materialised once,
  then three GROUP BYs; the results are cross-checked against ours),
* a naive row-by-row pandas/Python version on a 20k sample, extrapolated linearly,

plus survey KPIs at 100k / 1M answers, ingest of a 1M-row CSV through ``cxtoolkit.io``
and the peak memory (max RSS) of each size, each size in its own subprocess.

Usage::

    python benchmarks/bench_kpis.py            # 1M contacts
    python benchmarks/bench_kpis.py --full     # 1M and 10M contacts
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))   # kpis_duckdb

from cxtoolkit import resources
from cxtoolkit.config import load_config  # noqa: E402
from kpis_duckdb import CHECK  # noqa: E402

CFG_PATH = resources.demo_client_yml("demo")
CUTS = [None, "country", "hour"]


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- data ---------------------------------------------------------------------------

def simple_contacts(n: int, seed: int = 0) -> pd.DataFrame:
    """Fallback generator (when cxtoolkit.datasets is absent): canonical contacts, numpy only."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2026-05-01T00:00:00", "s").astype("int64")
    t = np.sort(start + rng.integers(0, 183 * 86400, n))
    ch = rng.choice(np.array(["phone", "email", "chat"]), n, p=[0.6, 0.25, 0.15])
    ans = rng.random(n) < 0.85
    wait = rng.exponential(40, n) * np.where(ch == "email", 300, 1)
    wait[(ch == "email") & ~ans] = np.nan
    return pd.DataFrame({
        "contact_id": pd.array(np.char.add("C", np.arange(n).astype(str)), dtype="str"),
        "customer_id": pd.array(np.char.add("K", rng.integers(0, max(n // 4, 1), n).astype(str)), dtype="str"),
        "channel": pd.Categorical(ch), "received_at": pd.to_datetime(t, unit="s").as_unit("ns"),
        "answered": ans, "wait_s": wait, "talk_s": rng.exponential(200, n), "hold_s": np.zeros(n),
        "wrap_s": rng.exponential(30, n),
        "country": pd.Categorical(rng.choice(np.array(["FR", "GB", "ES"]), n)),
        "handled_by": pd.Categorical(np.where(ch == "chat", rng.choice(np.array(["agent", "bot"]), n), None)),
        "resolved": pd.array(rng.random(n) < 0.8, dtype="boolean"),
    })


def make_contacts(n: int, cfg) -> tuple[pd.DataFrame, str]:
    try:
        from cxtoolkit.datasets import generate_contacts
    except ImportError:
        return simple_contacts(n), "benchmark numpy generator"
    return generate_contacts(n, cfg, seed=42, bad_share=0), "cxtoolkit.datasets.generate_contacts"


def make_responses(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    start = np.datetime64("2026-05-01T00:00:00", "s").astype("int64")
    csat = rng.integers(1, 6, n).astype("float64")
    csat[rng.random(n) < 0.2] = np.nan
    return pd.DataFrame({
        "response_id": pd.array(np.char.add("R", np.arange(n).astype(str)), dtype="str"),
        "responded_at": pd.to_datetime(start + rng.integers(0, 183 * 86400, n), unit="s").as_unit("ns"),
        "csat": csat, "nps": rng.integers(0, 11, n).astype("float64"), "ces": rng.integers(1, 8, n).astype("float64"),
        "country": pd.Categorical(rng.choice(np.array(["FR", "GB", "ES"]), n)),
    })


# -- DuckDB version of the same KPIs --------------------------------------------------

def duckdb_suite(contacts: pd.DataFrame, cfg) -> dict[str, pd.DataFrame]:
    """The KPIs of :data:`CHECK` overall and by each cut, in DuckDB SQL (``kpis_duckdb.py``)."""
    import duckdb

    from kpis_duckdb import agg_sql, countries_and_years, flags_sql

    con = duckdb.connect()
    con.register("contacts", contacts)
    con.execute(flags_sql(cfg, *countries_and_years(con, cfg)))
    agg = agg_sql(cfg)
    out = {"overall": con.execute(f"SELECT {agg} FROM f").df()}
    for cut in ("country", "hour"):
        out[cut] = con.execute(f"SELECT {cut}, {agg} FROM f GROUP BY {cut} ORDER BY {cut}").df().set_index(cut)
    con.close()
    return out


# -- naive row-by-row version ---------------------------------------------------------

def naive_suite(contacts: pd.DataFrame, cfg) -> dict:
    """Row loops, dicts and per-row calendar look-ups: what the engine must beat."""
    import holidays as hol_pkg

    from cxtoolkit.config import DAYS, parse_hhmm

    k = cfg.kpi
    cal_cache: dict = {}
    last = contacts["received_at"].max()
    by_cust: dict = {}
    for row in contacts.itertuples():
        if isinstance(row.customer_id, str):
            by_cust.setdefault(row.customer_id, []).append(row.received_at)
    for v in by_cust.values():
        v.sort()
    results = {}
    for cut in CUTS:
        acc: dict = {}
        for row in contacts.itertuples():
            key = "overall" if cut is None else (row.received_at.hour if cut == "hour" else row.country)
            a = acc.setdefault(key, dict(inbound=0, hno=0, offered=0, answered=0, wait=0.0, base=0, rep=0))
            country = str(row.country) if isinstance(row.country, str) else cfg.country
            if country not in cal_cache:
                try:
                    cal_cache[country] = hol_pkg.country_holidays(country)
                except NotImplementedError:
                    cal_cache[country] = {}
            if row.channel == "phone":
                a["inbound"] += 1
                span = cfg.hours_for(country).get(DAYS[row.received_at.weekday()])
                tod = row.received_at.hour + row.received_at.minute / 60 + row.received_at.second / 3600
                open_ = span is not None and parse_hhmm(span[0]) <= tod < parse_hhmm(span[1]) \
                    and row.received_at.date() not in cal_cache[country]
                if not open_:
                    a["hno"] += 1
                elif row.answered:
                    a["offered"] += 1
                    a["answered"] += 1
                    a["wait"] += row.wait_s
                elif row.wait_s >= k.short_abandon_s:
                    a["offered"] += 1
            if row.answered and isinstance(row.customer_id, str):
                a["base"] += 1
                times = by_cust[row.customer_id]
                a["rep"] += any(row.received_at < t <= row.received_at + pd.Timedelta(days=k.repeat_window_days)
                                for t in times)
        results[str(cut)] = acc
    return results


# -- workers --------------------------------------------------------------------------

def worker_contacts(n: int, naive: bool) -> dict:
    from cxtoolkit.kpis import compute_many

    cfg = load_config(CFG_PATH)
    t = time.perf_counter()
    df, source = make_contacts(n, cfg)
    gen_s = time.perf_counter() - t
    rss_data = maxrss_mb()
    res = {"n": n, "source": source, "gen_s": gen_s, "data_mb": df.memory_usage(deep=True).sum() / 1e6}
    ours = []
    for _ in range(3 if n <= 2_000_000 else 1):
        t = time.perf_counter()
        k = compute_many(df, cfg=cfg, cuts=CUTS)
        ours.append(time.perf_counter() - t)
    res["ours_s"] = min(ours)
    res["rss_after_ours_mb"] = maxrss_mb()
    res["ours_extra_mb"] = res["rss_after_ours_mb"] - rss_data
    duck = []
    for _ in range(2 if n <= 2_000_000 else 1):
        t = time.perf_counter()
        d = duckdb_suite(df, cfg)
        duck.append(time.perf_counter() - t)
    res["duckdb_s"] = min(duck)
    diffs = []
    for cut in ("overall", "country", "hour"):
        a = k[cut][CHECK].astype("float64")
        b = d[cut][CHECK].astype("float64")
        a.index = a.index.astype(str)
        b.index = a.index if cut == "overall" else b.index.astype(str)
        b = b.reindex(a.index)
        diffs.append(float(np.nanmax(np.abs(a.to_numpy() - b.to_numpy()))))
        if not (a.isna().to_numpy() == b.isna().to_numpy()).all():
            diffs.append(float("inf"))
    res["max_abs_diff_vs_duckdb"] = max(diffs)
    if naive:
        m = 20_000
        sample = df.sample(m, random_state=0).sort_values("received_at")
        t = time.perf_counter()
        naive_suite(sample, cfg)
        res["naive_20k_s"] = time.perf_counter() - t
        res["naive_extrapolated_s"] = res["naive_20k_s"] * n / m
    res["peak_rss_mb"] = maxrss_mb()
    return res


def worker_surveys(n: int) -> dict:
    from cxtoolkit.kpis import survey_kpis

    cfg = load_config(CFG_PATH)
    r = make_responses(n)
    t = time.perf_counter()
    for cut in CUTS:
        survey_kpis(r, cfg, by=cut)
    return {"n": n, "ours_s": time.perf_counter() - t, "peak_rss_mb": maxrss_mb()}


def worker_ingest(n: int) -> dict:
    try:
        from cxtoolkit.io import load_table
    except ImportError:
        return {"n": n, "skipped": "cxtoolkit.io not available"}
    cfg = load_config(CFG_PATH)
    df, _ = make_contacts(n, cfg)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "contacts.csv"
        df.to_csv(path, index=False)
        size = path.stat().st_size / 1e6
        t = time.perf_counter()
        acc, rej, counts = load_table(path, "contacts")
        secs = time.perf_counter() - t
    return {"n": n, "csv_mb": size, "ingest_s": secs, "accepted": counts["accepted"],
            "rejected": counts["rejected"], "peak_rss_mb": maxrss_mb()}


def run_worker(kind: str, n: int, naive: bool = False) -> dict:
    cmd = [sys.executable, __file__, "--worker", kind, "--n", str(n)] + (["--naive"] if naive else [])
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--full", action="store_true", help="also 10M contacts")
    ap.add_argument("--worker", choices=["contacts", "surveys", "ingest"])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--naive", action="store_true")
    args = ap.parse_args()
    if args.worker:
        fn = {"contacts": lambda: worker_contacts(args.n, args.naive), "surveys": lambda: worker_surveys(args.n),
              "ingest": lambda: worker_ingest(args.n)}[args.worker]
        print(json.dumps(fn()))
        return

    sizes = [1_000_000, 10_000_000] if args.full else [1_000_000]
    print("KPI suite = all contact KPIs overall + by country + by hour slot (best of runs)\n")
    print(f"{'contacts':>11} {'ours s':>8} {'duckdb s':>9} {'ours/duck':>9} {'naive s (extrap.)':>18} "
          f"{'max|diff|':>10} {'data MB':>8} {'engine +MB':>10} {'peak RSS MB':>12}")
    for n in sizes:
        r = run_worker("contacts", n, naive=True)
        naive = f"{r.get('naive_extrapolated_s', float('nan')):.0f}"
        print(f"{n:>11,} {r['ours_s']:>8.2f} {r['duckdb_s']:>9.2f} {r['ours_s'] / r['duckdb_s']:>9.2f} "
              f"{naive:>18} {r['max_abs_diff_vs_duckdb']:>10.1e} {r['data_mb']:>8.0f} "
              f"{r['ours_extra_mb']:>10.0f} {r['peak_rss_mb']:>12.0f}")
    print(f"(data from {r['source']}; naive = row loop on a 20k sample x n/20k)\n")
    print(f"{'answers':>11} {'survey KPIs x3 cuts s':>22} {'peak RSS MB':>12}")
    for n in (100_000, 1_000_000):
        r = run_worker("surveys", n)
        print(f"{n:>11,} {r['ours_s']:>22.3f} {r['peak_rss_mb']:>12.0f}")
    r = run_worker("ingest", 1_000_000)
    print()
    if "skipped" in r:
        print(f"ingest: {r['skipped']}")
    else:
        print(f"ingest of a 1M-row contacts CSV ({r['csv_mb']:.0f} MB) with cxtoolkit.io.load_table: "
              f"{r['ingest_s']:.2f} s, accepted {r['accepted']:,}, rejected {r['rejected']:,}, "
              f"peak RSS {r['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
