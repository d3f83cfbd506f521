"""Staffing benchmark: a week's plan at 15-minute intervals for a 500-agent centre.

Run: ``.venv/bin/python benchmarks/bench_staffing.py``. Prints figures only.

672 intervals (7 days × 96), arrivals shaped like a working day (peak ~5,400 calls/h of
300 s, i.e. ~450 Erlangs, lighter at the weekend), target 80 % answered within 20 s,
occupancy cap 85 %. Times ``cxtoolkit.queueing.agents_needed`` with Erlang C and with
Erlang A (90 s patience) next to a naive scalar implementation (one interval at a time,
one agent at a time, Erlang B recomputed from scratch for each count), extrapolated
from a sample of intervals with its n² cost per interval.
"""
from __future__ import annotations

import math
import time

import numpy as np

from cxtoolkit import queueing


def week_profile(peak_per_hour: float = 5400.0) -> np.ndarray:
    """Arrivals per hour for each 15-minute interval of a week (Mon 00:00 first)."""
    slot = np.arange(672)
    hour = (slot % 96) / 4.0
    day = slot // 96
    shape = np.clip(np.sin(np.pi * (hour - 7.0) / 13.0), 0.0, None) ** 1.5   # 7:00–20:00
    shape *= 1.0 + 0.25 * np.exp(-((hour - 10.0) ** 2) / 2.0)                  # morning peak
    weight = np.where(day < 5, 1.0, np.where(day == 5, 0.45, 0.15))
    lam = peak_per_hour * shape / shape.max() * weight
    return np.round(lam, 1)


def naive_agents(lam_h: float, aht: float, sl: float, within: float, cap: float) -> int:
    """The textbook loop: try n = 1, 2, ... with Erlang B from scratch each time."""
    if lam_h == 0:
        return 0
    a = lam_h * aht / 3600
    n = 1
    while True:
        b = 1.0
        for k in range(1, n + 1):
            b = a * b / (k + a * b)
        if n > a:
            c = n * b / (n - a * (1 - b))
            if 1 - c * math.exp(-(n - a) * within / aht) >= sl and a / n <= cap:
                return n
        n += 1


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    lam = week_profile()
    aht, sl, within, cap, patience = 300.0, 0.80, 20.0, 0.85, 90.0
    kw = dict(service_level=sl, within_s=within, max_occupancy=cap)
    queueing.agents_needed(lam, aht, patience_s=patience, **kw)                 # warm-up (imports)
    plan_c = queueing.agents_needed(lam, aht, **kw)
    plan_a = queueing.agents_needed(lam, aht, patience_s=patience, **kw)
    t_c = best_of(lambda: queueing.agents_needed(lam, aht, **kw))
    t_a = best_of(lambda: queueing.agents_needed(lam, aht, patience_s=patience, **kw))
    kw_sl = dict(service_level=sl, within_s=within)
    t_a_sl = best_of(lambda: queueing.agents_needed(lam, aht, patience_s=patience, **kw_sl))
    t_a_all = best_of(lambda: queueing.agents_needed(lam, aht, patience_s=patience, max_asa_s=15,
                                                     max_wait_probability=0.4, **kw))
    t_m = best_of(lambda: queueing.erlang_a_metrics(plan_a, lam, aht, patience, within))

    # naive: a sample of the busiest intervals, extrapolated to the week
    busy = np.argsort(lam)[::-1]
    sample = np.concatenate([busy[:8], busy[200:204], busy[400:404]])
    t = time.perf_counter()
    naive = [naive_agents(float(lam[i]), aht, sl, within, cap) for i in sample]
    t_sample = time.perf_counter() - t
    assert naive == [int(plan_c[i]) for i in sample], "naive and vectorised plans differ"
    # its cost grows as n² per interval (n counts tried, Erlang B of k steps for each)
    t_naive = t_sample / sum(m * m for m in naive) * float((plan_c.astype(float) ** 2).sum())

    print(f"week at 15 min: {lam.size} intervals, peak {lam.max():,.0f} calls/h × {aht:.0f} s "
          f"= {lam.max() * aht / 3600:.0f} Erl; 80 % in 20 s, occupancy ≤ 85 %")
    print(f"  peak agents: Erlang C {plan_c.max()}, Erlang A (patience {patience:.0f} s) {plan_a.max()}; "
          f"agent-intervals C {plan_c.sum():,} / A {plan_a.sum():,}")
    print(f"  agents_needed Erlang C            : {t_c * 1000:8.1f} ms")
    print(f"  agents_needed Erlang A            : {t_a * 1000:8.1f} ms")
    print(f"  agents_needed Erlang A, no cap    : {t_a_sl * 1000:8.1f} ms")
    print(f"  agents_needed Erlang A, 4 targets : {t_a_all * 1000:8.1f} ms")
    print(f"  erlang_a_metrics on the plan      : {t_m * 1000:8.1f} ms")
    print(f"  naive scalar loop (Erlang C)      : {t_naive * 1000:8.0f} ms  (n² extrapolation from "
          f"{len(sample)} intervals in {t_sample * 1000:.0f} ms; x{t_naive / t_c:,.0f} the vectorised search)")


if __name__ == "__main__":
    main()
