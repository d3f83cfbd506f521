"""Speed of quality monitoring at audit scale; prints figures (not a test).

- scoring: 1M evaluation rows (≈ 83 000 evaluations × 12 criteria, FR/GB/ES grids);
- calibration: alpha + 1 000 bootstrap replicates overall and per criterion, ICC, drift, pack;
- sampling plan on 1M contacts (≈ 2 000 agents);
- survey cap on 1M invitations; barometer waves on 1M customers.
Optionally compares alpha with the ``krippendorff`` package when it is installed.

Run: ``.venv/bin/python benchmarks/bench_quality.py``
"""
from __future__ import annotations

import time

import numpy as np
import pandas as pd

from cxtoolkit import quality as q
from cxtoolkit import surveys_ops as so


def timed(label: str, fn, *args, **kw):
    t = time.perf_counter()
    out = fn(*args, **kw)
    print(f"{label:<58} {time.perf_counter() - t:7.2f} s")
    return out


def make_evaluations(n_rows: int = 1_000_000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    grids = {c: q.load_grid("standard", c) for c in ("FR", "GB", "ES")}
    crit = grids["FR"].criteria
    k = len(crit)
    n_eval = n_rows // k
    n_contacts = int(n_eval / 1.1)
    contact = np.r_[np.arange(n_contacts), rng.choice(n_contacts, n_eval - n_contacts, replace=False)]
    evaluator = rng.integers(0, 12, n_eval)
    dup = np.arange(n_eval) >= n_contacts
    evaluator[dup] = (evaluator[:n_contacts][contact[dup]] + rng.integers(1, 12, dup.sum())) % 12
    country = np.array(["FR", "GB", "ES"])[contact % 3]
    level = rng.uniform(0.3, 1.0, n_contacts)[contact] + np.where(evaluator == 7, -0.15, 0.0)
    rep = np.repeat(np.arange(n_eval), k)
    mx = np.tile(crit["max_score"].to_numpy(), n_eval)
    critical = np.tile(crit["critical"].to_numpy(), n_eval)
    p = np.where(critical, 0.98, level[rep] + rng.normal(0, 0.1, n_eval * k))
    score = np.where(critical, (rng.random(n_eval * k) < p).astype(float), np.clip(np.round(mx * p), 0, mx))
    return pd.DataFrame({
        "evaluation_id": pd.array(np.char.add("E", np.arange(n_eval).astype(str))[rep], dtype="string"),
        "contact_id": pd.array(np.char.add("C", contact.astype(str))[rep], dtype="string"),
        "agent_id": pd.Categorical(np.char.add("A", (contact % 2000).astype(str))[rep]),
        "evaluator_id": pd.Categorical(np.char.add("QA", evaluator.astype(str))[rep]),
        "evaluated_at": pd.Timestamp("2026-01-01") + pd.to_timedelta((contact % 180)[rep], unit="D"),
        "criterion": pd.Categorical(np.tile(crit["criterion"].to_numpy(), n_eval)),
        "score": score, "max_score": mx,
        "country": pd.Categorical(country[rep]), "grid": "standard",
    })


def make_contacts(n: int = 1_000_000, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "contact_id": pd.array(np.char.add("K", np.arange(n).astype(str)), dtype="string"),
        "agent_id": pd.Categorical(np.char.add("A", rng.integers(0, 2000, n).astype(str))),
        "received_at": pd.Timestamp("2026-03-02") + pd.to_timedelta(rng.integers(0, 7 * 86400, n), unit="s"),
        "answered": rng.random(n) < 0.9, "queue": pd.Categorical(rng.choice(["billing", "tech", "sales"], n)),
        "talk_s": rng.gamma(2, 150, n), "hold_s": rng.exponential(20, n), "wrap_s": 30.0,
        "reason": pd.Categorical(rng.choice(["invoice", "complaint", "order", "move"], n, p=[.4, .1, .3, .2])),
    })


def main() -> None:
    print("cxtoolkit quality benchmark")
    ev = timed("generate 1M evaluation rows", make_evaluations)
    grids, _ = q.resolve_grids(ev)
    print(f"  rows {len(ev):,}  evaluations {ev['evaluation_id'].nunique():,}")
    scored = timed("score_evaluations (weights, critical rule)", q.score_evaluations, ev, grids)
    timed("quality_by agent_id", q.quality_by, scored, "agent_id")
    timed("quality_trend week", q.quality_trend, scored, "week")
    timed("criterion_scores", q.criterion_scores, ev, grids)
    cal = timed("calibration (alpha + 1000 bootstrap x 13, ICC, drift, pack)", q.calibration, ev, grids,
                scored=scored, n_boot=1000, seed=0)
    print(f"  units {cal.overall['n_units']:,}  alpha {cal.overall['alpha']:.3f}  ci95 "
          f"[{cal.overall['ci95'][0]:.3f}, {cal.overall['ci95'][1]:.3f}]  drifting "
          f"{cal.evaluators.loc[cal.evaluators['drifting'], 'evaluator_id'].tolist()}")
    try:
        import krippendorff
        units = cal.units
        wide = units.pivot(index="evaluator_id", columns="contact_id", values="score")
        t = time.perf_counter()
        ref = krippendorff.alpha(reliability_data=wide.to_numpy(dtype=float), level_of_measurement="interval")
        print(f"{'krippendorff package (same data), for comparison':<58} {time.perf_counter() - t:7.2f} s"
              f"  alpha {ref:.6f} vs ours {cal.overall['alpha']:.6f}")
    except ImportError:
        print("  (krippendorff package not installed: no cross-check)")
    contacts = timed("generate 1M contacts", make_contacts)
    plan = timed("sampling_plan, 1M contacts, 2 000 agents", q.sampling_plan, contacts, "2026-W10")
    print(f"  planned {len(plan):,}  " + ", ".join(f"{k}: {v:,}" for k, v in plan["reason"].value_counts().items()))
    rng = np.random.default_rng(2)
    inv = pd.DataFrame({"customer_id": pd.array(np.char.add("U", rng.integers(0, 300_000, 1_000_000).astype(str)),
                                                dtype="string"),
                        "sent_at": pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 365 * 86400, 1_000_000), unit="s")})
    kept, rep = timed("apply_survey_cap, 1M invitations, 30 days", so.apply_survey_cap, inv)
    print(f"  sent {rep['sent']:,}  suppressed {rep['suppressed']:,}")
    base = pd.DataFrame({"customer_id": pd.array(np.char.add("U", np.arange(1_000_000).astype(str)), dtype="string"),
                         "stratum": rng.choice(["consumer", "sme", "key"], 1_000_000, p=[.7, .25, .05])})
    timed("barometer_waves, 1M customers, 4 x 3 000", so.barometer_waves, base, 4, 3_000)


if __name__ == "__main__":
    main()
