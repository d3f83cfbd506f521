"""Benchmark: friction map (+ by country, trend, key drivers, paths) on 1M answers and
verbatim analysis (masking, themes, discovery, lift) on 200k verbatims. Target ≤ 30 s.

Run: ``.venv/bin/python benchmarks/bench_journey.py [n_answers] [n_verbatims]``; prints figures.
Data is synthetic (seeded), built in memory — nothing is read or downloaded.
"""
from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from cxtoolkit.config import ClientConfig
from cxtoolkit.journey import customer_paths, friction_map, friction_trend, key_drivers
from cxtoolkit.verbatims import analyse_verbatims

STAGES = ["discovery", "advice", "ordering", "payment", "delivery", "first_use", "first_call",
          "invoice", "renewal", "cancellation"]
REASONS = {"product_info": "advice", "order_status": "ordering", "payment_issue": "payment",
           "delivery_delay": "delivery", "setup_help": "first_use", "billing_question": "invoice",
           "contract_renewal": "renewal", "cancellation": "cancellation"}
TEXTS = {
    "fr": ["Livraison en retard, colis jamais reçu", "Conseiller très aimable et à l'écoute",
           "Facturé deux fois ce mois-ci, rappelez-moi au 06 12 34 56 78", "Ne fonctionne pas, très déçu",
           "Remise promise non appliquée, c'est injuste", "Conseiller impoli, m'a raccroché au nez",
           "Je vais saisir le médiateur", "Rapide et efficace", "Le wifi du routeur coupe le soir",
           "Je m'appelle Jean Dupont, commande 123456 du 12/05/2026, 49,99 €"],
    "en": ["Delivery was late again", "Very friendly and helpful agent, my name is John Smith",
           "I was charged twice, card 4111 1111 1111 1111", "Rude agent, did not listen",
           "Quick and easy", "Router wifi drops every evening", "Call me on +44 20 7946 0958"],
    "es": ["Entrega con retraso", "Muy amable", "Me cobraron dos veces, mi IBAN ES91 2100 0418 4502 0005 1332",
           "El router wifi se corta cada noche", "Me llamo María García, llamen al +34 612 345 678"],
}


def make(n: int, n_verb: int, n_contacts: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    country = rng.choice(np.array(["FR", "GB", "ES"]), n, p=[0.5, 0.3, 0.2])
    stage = rng.choice(np.array(STAGES[1:]), n)
    bad = np.isin(stage, ["delivery", "invoice"])
    csat = np.where(rng.random(n) < np.where(bad, 0.35, 0.12), rng.integers(1, 3, n), rng.integers(3, 6, n)).astype(float)
    cold = rng.random(n) < 0.25
    nps = np.clip(np.round(csat * 2 + rng.normal(0, 1.2, n)), 0, 10)
    lang = np.select([country == "FR", country == "GB"], ["fr", "en"], "es")
    verb = np.full(n, None, dtype=object)
    idx = rng.choice(n, n_verb, replace=False)
    for lg, pool in TEXTS.items():
        sel = idx[lang[idx] == lg]
        verb[sel] = np.array(pool, dtype=object)[rng.integers(0, len(pool), len(sel))]
    resp = pd.DataFrame({
        "customer_id": pd.array(np.char.add("C", rng.integers(0, n // 4, n).astype(str)), dtype="string"),
        "responded_at": pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 180 * 24, n), unit="h"),
        "survey_type": pd.Categorical(np.where(cold, "cold", "hot")),
        "touchpoint": pd.Categorical(np.where(cold, None, stage)),
        "country": pd.Categorical(country), "language": pd.Categorical(lang),
        "csat": csat, "nps": np.where(cold, nps, np.nan),
        "verbatim": pd.array(verb, dtype="string"),
    })
    cont = pd.DataFrame({
        "customer_id": pd.array(np.char.add("C", rng.integers(0, n // 4, n_contacts).astype(str)), dtype="string"),
        "received_at": pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 180 * 86400, n_contacts), unit="s"),
        "reason": pd.Categorical(rng.choice(np.array(list(REASONS)), n_contacts)),
        "country": pd.Categorical(rng.choice(np.array(["FR", "GB", "ES"]), n_contacts)),
    })
    return resp, cont


def timed(label, fn, *a, **k):
    t, c = time.perf_counter(), time.process_time()
    out = fn(*a, **k)
    dt = time.perf_counter() - t
    print(f"{label:<44} {dt:7.2f} s wall  {time.process_time() - c:7.2f} s CPU")
    return out, dt


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    n_verb = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    cfg = ClientConfig(client="bench", journey=STAGES, journey_reasons=REASONS)
    t0 = time.perf_counter()
    resp, cont = make(n, n_verb, n // 2)
    print(f"data: {n:,} answers, {n_verb:,} verbatims, {len(cont):,} contacts "
          f"(built in {time.perf_counter() - t0:.1f} s)")
    total = 0.0
    for label, fn, args, kw in [
        ("friction_map (overall)", friction_map, (resp, cfg), {"contacts": cont}),
        ("friction_map by country", friction_map, (resp, cfg), {"contacts": cont, "by": "country"}),
        ("friction_trend by month", friction_trend, (resp, cfg), {"contacts": cont}),
        ("key_drivers (bootstrap or HC1 when large)", key_drivers, (resp, cfg), {}),
        ("customer_paths", customer_paths, (cont, cfg), {}),
    ]:
        total += timed(label, fn, *args, **kw)[1]
    print(f"{'journey total':<44} {total:7.2f} s wall")
    res, dt = timed("analyse_verbatims (mask, themes, NMF, lift)", analyse_verbatims, resp, cfg)
    total += dt
    print(f"{'TOTAL friction + verbatims':<44} {total:7.2f} s wall (target <= 30 s; the machine's load "
          f"shows as wall >> CPU)")
    print(f"themes: {len(res.themes)}, irritants: {(res.themes['label'] == 'irritant').sum()}, "
          f"weak signals: {len(res.weak_signals)}")


if __name__ == "__main__":
    main()
