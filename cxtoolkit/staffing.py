"""Staffing: how many agents each half-hour or hour slot needs (Erlang C).

Consultants use it to show where call peaks are under-staffed: one insurer went from a
60–70 % to a 90–95 % answer rate by moving agents onto its peaks. The model is the
classic Erlang C queue (Poisson arrivals, exponential handling, no abandonment), which
slightly over-states the agents needed when callers abandon — say so in reports.

Examples
--------
>>> round(float(erlang_c(10, 8.0)), 4)
0.4092
>>> int(required_agents(calls=100, aht_s=180, interval_s=1800, target_sl=0.8, sl_threshold_s=20))
14
"""
from __future__ import annotations

import numpy as np
import pandas as pd

WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def erlang_b(n, traffic):
    """Erlang B blocking probability for ``n`` servers and ``traffic`` Erlangs (vectorised)."""
    n = np.asarray(n, dtype="int64")
    a = np.asarray(traffic, dtype="float64")
    n, a = np.broadcast_arrays(n, a)
    b = np.ones(a.shape)
    for k in range(1, int(n.max(initial=0)) + 1):
        step = a * b / (k + a * b)
        b = np.where(k <= n, step, b)
    return b


def erlang_c(n, traffic):
    """Probability that a call waits (Erlang C); 1 when ``n`` ≤ traffic (unstable queue)."""
    n = np.asarray(n, dtype="float64")
    a = np.asarray(traffic, dtype="float64")
    b = erlang_b(n.astype("int64"), a)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = n * b / (n - a * (1 - b))
    return np.where(n > a, np.clip(c, 0, 1), 1.0)


def service_level(n, traffic, aht_s, threshold_s):
    """Share of calls answered within ``threshold_s`` with ``n`` agents (Erlang C)."""
    n = np.asarray(n, dtype="float64")
    a = np.asarray(traffic, dtype="float64")
    pw = erlang_c(n, a)
    with np.errstate(over="ignore", invalid="ignore"):
        sl = 1 - pw * np.exp(-(n - a) * np.asarray(threshold_s, float) / np.asarray(aht_s, float))
    return np.where(n > a, sl, 0.0)


def asa(n, traffic, aht_s):
    """Average speed of answer (s) with ``n`` agents; inf when ``n`` ≤ traffic."""
    n = np.asarray(n, dtype="float64")
    a = np.asarray(traffic, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = erlang_c(n, a) * np.asarray(aht_s, float) / (n - a)
    return np.where(n > a, out, np.inf)


def required_agents(calls, aht_s, interval_s=3600, target_sl=0.80, sl_threshold_s=20,
                    max_occupancy=0.85, max_agents=2000):
    """Fewest agents meeting the service-level target and the occupancy cap, per interval.

    Parameters
    ----------
    calls : array-like
        Calls offered in the interval.
    aht_s : array-like
        Average handling time (s).
    interval_s : float
        Interval length (s), 3600 for hour slots.
    target_sl, sl_threshold_s : float
        Service-level target, e.g. 80 % within 20 s.
    max_occupancy : float
        Upper bound on traffic / agents.
    """
    calls = np.asarray(calls, dtype="float64")
    aht = np.broadcast_to(np.asarray(aht_s, dtype="float64"), calls.shape)
    traffic = np.where(calls > 0, calls * aht / interval_s, 0.0)
    n = np.maximum(np.ceil(traffic / max_occupancy), 1).astype("int64")
    n = np.where(calls > 0, n, 0)
    todo = calls > 0
    while todo.any():
        sl = service_level(n, traffic, aht, sl_threshold_s)
        todo = (calls > 0) & (sl < target_sl) & (n < max_agents)
        n = n + todo
    return n


def staffing_profile(contacts: pd.DataFrame, *, target_sl=0.80, sl_threshold_s=20,
                     max_occupancy=0.85, shrinkage=0.30) -> pd.DataFrame:
    """Average load and required agents per weekday × hour slot from phone contacts.

    Uses answered and abandoned phone calls (``channel == "phone"``), the number of
    distinct dates of each weekday in the data as the divisor, and the AHT of the slot's
    answered calls (overall AHT when a slot has none).

    Returns
    -------
    DataFrame with ``weekday`` (0 = Monday), ``hour``, ``calls_per_day``, ``aht_s``,
    ``traffic_erlangs``, ``agents_required``, ``agents_scheduled`` (after shrinkage),
    ``answer_rate_observed``.
    """
    ph = contacts[contacts["channel"].astype("string") == "phone"]
    if ph.empty:
        return pd.DataFrame(columns=["weekday", "hour", "calls_per_day", "aht_s", "traffic_erlangs",
                                     "agents_required", "agents_scheduled", "answer_rate_observed"])
    t = ph["received_at"]
    handle = ph[[c for c in ("talk_s", "hold_s", "wrap_s") if c in ph.columns]].fillna(0).sum(axis=1)
    frame = pd.DataFrame({
        "weekday": t.dt.day_of_week.to_numpy(), "hour": t.dt.hour.to_numpy(),
        "date": t.dt.normalize().to_numpy(), "answered": ph["answered"].to_numpy(bool),
        "handle": np.where(ph["answered"].to_numpy(bool), handle.to_numpy(float), np.nan),
    })
    days = frame.groupby("weekday")["date"].nunique()
    g = frame.groupby(["weekday", "hour"]).agg(calls=("answered", "size"), answered=("answered", "sum"),
                                               aht_s=("handle", "mean")).reset_index()
    g["aht_s"] = g["aht_s"].fillna(np.nanmean(frame["handle"]) if frame["answered"].any() else 300.0)
    g["calls_per_day"] = g["calls"] / g["weekday"].map(days).to_numpy()
    g["traffic_erlangs"] = g["calls_per_day"] * g["aht_s"] / 3600.0
    g["agents_required"] = required_agents(g["calls_per_day"], g["aht_s"], 3600, target_sl,
                                           sl_threshold_s, max_occupancy)
    g["agents_scheduled"] = np.ceil(g["agents_required"] / (1 - shrinkage)).astype("int64")
    g["answer_rate_observed"] = g["answered"] / g["calls"]
    return g.drop(columns=["calls", "answered"])[
        ["weekday", "hour", "calls_per_day", "aht_s", "traffic_erlangs", "agents_required",
         "agents_scheduled", "answer_rate_observed"]]


def comment_staffing(profile: pd.DataFrame, locale: str = "fr", answer_target: float = 0.85) -> str:
    """A short FR/EN commentary: the peak slot, and the slots answered below target.

    >>> p = pd.DataFrame({"weekday": [0, 0], "hour": [9, 14], "calls_per_day": [120.0, 40.0],
    ...                   "agents_required": [14, 6], "agents_scheduled": [20, 9],
    ...                   "answer_rate_observed": [0.62, 0.93]})
    >>> print(comment_staffing(p, "en"))
    Peak: Mon 09:00 with 120 calls a day, needing 14 agents on the phones (20 scheduled after shrinkage). 1 slot(s) answered below the 85% target, worst Mon 09:00 (62%): move agents onto these peaks or play a dissuasion message when too few are logged in.
    """
    fr = str(locale).lower().startswith("fr")
    if profile.empty:
        return "Aucun appel téléphonique sur la période." if fr else "No phone calls in the period."
    days = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim") if fr else WEEKDAYS_EN
    peak = profile.loc[profile["calls_per_day"].idxmax()]
    slot = f"{days[int(peak.weekday)]} {int(peak.hour):02d}:00"
    if fr:
        text = (f"Pic : {slot} avec {peak.calls_per_day:.0f} appels par jour, soit "
                f"{int(peak.agents_required)} conseillers en ligne ({int(peak.agents_scheduled)} planifiés "
                f"avec l'absentéisme).")
    else:
        text = (f"Peak: {slot} with {peak.calls_per_day:.0f} calls a day, needing "
                f"{int(peak.agents_required)} agents on the phones ({int(peak.agents_scheduled)} scheduled "
                f"after shrinkage).")
    low = profile[profile["answer_rate_observed"] < answer_target]
    if low.empty:
        return text + (" Toutes les tranches atteignent l'objectif de décroché." if fr
                       else " Every slot meets the answer-rate target.")
    worst = low.loc[low["answer_rate_observed"].idxmin()]
    wslot = f"{days[int(worst.weekday)]} {int(worst.hour):02d}:00"
    if fr:
        return text + (f" {len(low)} tranche(s) sous l'objectif de {answer_target:.0%} de décroché, la pire "
                       f"{wslot} ({worst.answer_rate_observed:.0%}) : renforcer ces pics ou diffuser un "
                       "message de dissuasion quand trop peu de conseillers sont connectés.").replace("%", " %")
    return text + (f" {len(low)} slot(s) answered below the {answer_target:.0%} target, worst {wslot} "
                   f"({worst.answer_rate_observed:.0%}): move agents onto these peaks or play a dissuasion "
                   "message when too few are logged in.")
