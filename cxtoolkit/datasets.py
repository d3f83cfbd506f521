"""Seeded demo-client generator: a realistic contact centre and its surveys, in canonical form.

Everything here is deterministic (same seed → identical frames), fully vectorised
(NumPy over arrays, no loop over rows) and driven by the client's :class:`ClientConfig`:
its countries (``country`` plus the keys of ``business_hours_by_country``), their opening
hours and public holidays (``holidays`` package), its journey stages and the mapping of
contact reasons onto them (``journey_reasons``).

The story a consultant should recognise in the demo data:

- phone / email / chat ≈ 65 / 25 / 10 %, intraday peaks at 10–11 h and 14–15 h, a Monday
  morning overload where waits grow and abandonment rises (answer rate below target);
- the last month short-staffed (phone and chat at 85 % of planned capacity): waits,
  abandonment and unhappy customers rise against the month before;
- calls out of opening hours and on public holidays (HNO), many for Spain which closes
  at 14:00 right in the afternoon peak;
- repeat contacts, more after an unresolved or abandoned first contact;
- emails answered in hours (some after 24 h, some never), chats handled by agents or a bot;
- hot surveys after contacts and cold barometer waves; the **invoice** touchpoint hurts
  most; British customers answer more polarised (more 9–10 and more 0–6) than French ones
  (who cluster at 7–8); verbatims in French, English and Spanish with planted personal data;
- agents in teams and sites, one outsourcer, some new hires; QA evaluations by five
  evaluators, some interactions double-scored (alpha ≈ 0.7), one evaluator systematically harsher;
- about 0.1 % of intentionally bad rows (negative wait, unknown channel, csat 9, …) so
  the rejects report has content.

Examples
--------
>>> from cxtoolkit.config import ClientConfig
>>> cfg = ClientConfig(client="acme", country="GB")
>>> contacts = generate_contacts(2_000, cfg, seed=1, months=2)
>>> len(contacts), sorted(contacts["channel"].cat.categories)[:3]
(2000, ['chat', 'email', 'fax'])
>>> generate_contacts(500, cfg, seed=1).equals(generate_contacts(500, cfg, seed=1))
True
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cxtoolkit.config import DAYS, ClientConfig, parse_hhmm, load_config
from cxtoolkit.errors import InputError

__all__ = [
    "DEFAULT_END",
    "generate_agents",
    "generate_contacts",
    "generate_sends",
    "generate_responses",
    "generate_evaluations",
    "generate_client",
    "demo_settings",
    "client_countries",
]

DEFAULT_END = "2026-10-31"
CHANNELS = ("phone", "email", "chat")
_NS_S = 1_000_000_000
_NS_H = 3600 * _NS_S
_NS_D = 24 * _NS_H

# -- the client's shape ------------------------------------------------------------------
_COUNTRY_LANG = {"FR": "fr", "BE": "fr", "CH": "fr", "LU": "fr", "GB": "en", "IE": "en",
                 "US": "en", "ES": "es", "MX": "es", "AR": "es"}
_CHANNEL_MIX = {"FR": (0.65, 0.25, 0.10), "GB": (0.58, 0.27, 0.15), "ES": (0.70, 0.22, 0.08)}
_DEFAULT_MIX = (0.65, 0.25, 0.10)
_SHARES = {1: (1.0,), 2: (0.65, 0.35), 3: (0.55, 0.25, 0.20)}
_SITES = {"FR": "Lille", "GB": "Manchester", "ES": "Madrid"}
_OUTSOURCER = "Atlantis BPO"
_OUTSOURCER_SITES = {"FR": "Rabat", "GB": "Cape Town", "ES": "Bogotá"}
_SEGMENTS = (("consumer", 0.85), ("sme", 0.12), ("key_account", 0.03))
_PRODUCTS = (("Essentiel", 0.5), ("Confort", 0.35), ("Premium", 0.15))
_REASONS = {"product_info": 0.12, "order_status": 0.18, "payment_issue": 0.08,
            "delivery_delay": 0.17, "setup_help": 0.12, "billing_question": 0.16,
            "contract_renewal": 0.07, "cancellation": 0.06}
_QUEUES = {"product_info": "sales", "order_status": "sales", "payment_issue": "billing",
           "billing_question": "billing", "delivery_delay": "support", "setup_help": "support",
           "contract_renewal": "retention", "cancellation": "retention"}
# median talk time (s) by reason, phone
_TALK = {"product_info": 260, "order_status": 180, "payment_issue": 330, "delivery_delay": 240,
         "setup_help": 420, "billing_question": 360, "contract_renewal": 300, "cancellation": 390}

# -- demand profiles: hourly weights 0..23 by day type (0 Tue–Fri, 1 Mon, 2 Sat, 3 Sun/holiday)
_PHONE = np.array([0.05, 0.02, 0.02, 0.02, 0.03, 0.08, 0.25, 0.9, 3.2, 7.0, 9.5, 8.8,
                   6.0, 4.6, 8.2, 8.6, 7.2, 5.8, 4.2, 2.4, 1.1, 0.5, 0.25, 0.1])
_MON_UPLIFT = np.ones(24)
_MON_UPLIFT[[8, 9, 10, 11]] = (1.25, 1.45, 1.45, 1.2)
_SAT = np.array([0.05, 0.02, 0.02, 0.02, 0.03, 0.05, 0.2, 0.6, 1.5, 4.0, 6.0, 6.0,
                 4.5, 2.5, 2.0, 2.0, 1.8, 1.2, 0.7, 0.4, 0.2, 0.1, 0.08, 0.05])
_SUN = np.array([0.05, 0.02, 0.02, 0.02, 0.03, 0.05, 0.1, 0.3, 0.8, 1.5, 2.0, 2.0,
                 1.6, 1.4, 1.6, 1.6, 1.4, 1.2, 1.0, 0.8, 0.5, 0.3, 0.15, 0.08])
_EMAIL = np.array([0.4, 0.2, 0.15, 0.1, 0.1, 0.2, 0.6, 1.5, 3.0, 4.0, 4.2, 4.0,
                   3.5, 3.6, 4.0, 3.9, 3.6, 3.2, 2.8, 2.6, 2.4, 2.0, 1.4, 0.8])
_CHAT = np.array([0.1, 0.05, 0.03, 0.02, 0.02, 0.05, 0.2, 0.8, 2.5, 4.5, 5.5, 5.5,
                  6.0, 6.0, 5.5, 5.5, 5.0, 4.8, 5.0, 5.5, 5.0, 3.5, 1.5, 0.5])
_DOW_PHONE = np.array([1.30, 1.05, 1.0, 0.98, 0.95, 0.40, 0.12])
_DOW_EMAIL = np.array([1.20, 1.05, 1.0, 1.0, 0.95, 0.50, 0.35])
_DOW_CHAT = np.array([1.15, 1.0, 1.0, 1.0, 1.0, 0.70, 0.45])
_HOLIDAY_FACTOR = 0.35
# Spanish customers call earlier in the day (the centre closes at 14:00)
_AFTERNOON = {"ES": np.r_[np.ones(14), np.full(10, 0.55)]}
_OCCUPANCY = 0.82          # planned load / capacity on a typical day
_ROTA_AHT_S = 420.0        # handling time used to size each hour's phone team (talk + hold + wrap)
# the last month of a multi-month demo is short-staffed (unreplaced leavers): phone and chat
# capacity at this share of plan, so waits and abandonment rise and "what changed" shows it
_SHORT_STAFFED = 0.85


def _profiles(channel: str) -> np.ndarray:
    """(4, 24) normalised hourly demand profile per day type for ``channel``."""
    if channel == "phone":
        p = np.vstack([_PHONE, _PHONE * _MON_UPLIFT, _SAT, _SUN])
    elif channel == "email":
        p = np.vstack([_EMAIL, _EMAIL * _MON_UPLIFT ** 0.5, _EMAIL * 0.8 + _SAT * 0.2, _EMAIL])
    else:
        p = np.vstack([_CHAT, _CHAT * _MON_UPLIFT ** 0.5, _CHAT * 0.7 + _SAT * 0.3, _CHAT])
    return p / p.sum(axis=1, keepdims=True)


_DOW = {"phone": _DOW_PHONE, "email": _DOW_EMAIL, "chat": _DOW_CHAT}


# -- configuration helpers ---------------------------------------------------------------
def client_countries(cfg: ClientConfig) -> list[str]:
    """The client's countries: its own ``country`` first, then those with own opening hours.

    >>> client_countries(ClientConfig(client="x", country="FR",
    ...     business_hours_by_country={"GB": {"mon": ["08:00", "20:00"]}}))
    ['FR', 'GB']
    """
    out = [cfg.country.upper()]
    out += [c for c in cfg.business_hours_by_country if c.upper() not in out]
    return out


def demo_settings(cfg: ClientConfig | None) -> dict[str, Any]:
    """Size of the demo from ``client.yml``'s optional ``demo:`` block, with defaults.

    >>> demo_settings(ClientConfig(client="x", demo={"contacts": 500, "months": 2}))["contacts"]
    500
    """
    base = {"contacts": 200_000, "responses": 20_000, "months": 6, "seed": 42,
            "end": DEFAULT_END, "bad_share": 0.001}
    extra = (getattr(cfg, "model_extra", None) or {}).get("demo") if cfg is not None else None
    if extra is None:
        return base
    if not isinstance(extra, dict):
        raise InputError("error.datasets.demo_expected_mapping", client=repr(cfg.client), extra=repr(extra))
    unknown = set(extra) - set(base)
    if unknown:
        raise InputError("error.datasets.demo_unknown_key",
                         client=repr(cfg.client),
                         value=sorted(unknown),
                         value2=', '.join(base))
    out = {**base, **extra}
    for key in ("contacts", "responses", "months", "seed"):
        if not isinstance(out[key], int) or out[key] < (1 if key == "months" else 0):
            raise InputError("error.datasets.demo_expected_positive", client=repr(cfg.client), key_=key)
    return out


def _period(start, months: int, end) -> tuple[pd.Timestamp, pd.Timestamp]:
    """[first day, last day] of the period: ``months`` months ending ``end`` unless ``start``."""
    if months < 1:
        raise InputError("error.datasets.expected_least_got", months=months)
    if start is not None:
        first = pd.Timestamp(start).normalize()
        last = first + pd.DateOffset(months=months) - pd.Timedelta(days=1)
    else:
        last = pd.Timestamp(end or DEFAULT_END).normalize()
        first = last + pd.Timedelta(days=1) - pd.DateOffset(months=months)
    return first, last


def _holidays(country: str, days: pd.DatetimeIndex) -> np.ndarray:
    import holidays

    try:
        cal = holidays.country_holidays(country, years=sorted(set(days.year)))
    except (NotImplementedError, KeyError):
        return np.zeros(len(days), dtype=bool)
    return np.isin(days.date, np.array(list(cal.keys()), dtype=object))


def _hours_table(cfg: ClientConfig, country: str) -> tuple[np.ndarray, np.ndarray]:
    """Opening [start, end) in seconds since midnight per weekday (NaN when closed)."""
    hours = cfg.hours_for(country)
    start = np.full(7, np.nan)
    end = np.full(7, np.nan)
    for i, d in enumerate(DAYS):
        if d in hours:
            start[i] = parse_hhmm(hours[d][0]) * 3600
            end[i] = parse_hhmm(hours[d][1]) * 3600
    return start, end


def _str_ids(prefix: str, numbers: np.ndarray, width: int) -> pd.Series:
    """``prefix`` + zero-padded ``numbers`` as a pandas string Series (fast, via Arrow)."""
    digits = pc.utf8_lpad(pa.array(np.asarray(numbers, dtype=np.int64)).cast(pa.string()), width, "0")
    joined = pc.binary_join_element_wise(prefix, digits, "")
    return pd.Series(pd.array(joined, dtype="str"))


def _cat(codes: np.ndarray, categories, extra: tuple = ()) -> pd.Categorical:
    """Categorical from integer codes (-1 = missing)."""
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int32),
                                     categories=list(categories) + list(extra))


def _pick(rng: np.random.Generator, n: int, weights) -> np.ndarray:
    """``n`` draws of an index with probabilities ∝ ``weights`` (small ints)."""
    cdf = np.cumsum(np.asarray(weights, dtype=float))
    out = np.searchsorted(cdf / cdf[-1], rng.random(n), side="right")
    return np.minimum(out, len(cdf) - 1).astype(np.int16)


def _rngs(seed: int, n: int) -> list[np.random.Generator]:
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(n)]


def _bad_count(n: int, share: float) -> int:
    return 0 if share <= 0 or n < 20 else max(2, int(round(n * share)))


# -- agents ------------------------------------------------------------------------------
def _n_agents(n_contacts: int, months: int, n_countries: int) -> int:
    return max(6 * n_countries, int(round(n_contacts * 0.8 / (months * 350))))


def generate_agents(cfg: ClientConfig, n: int | None = None, seed: int = 42, *,
                    n_contacts: int = 200_000, months: int = 6, end=DEFAULT_END) -> pd.DataFrame:
    """Agents with country, site, team, vendor (one outsourcer) and hire date.

    Sized from the contact volume when ``n`` is None (≈ 350 contacts per agent-month).
    About 30 % of the main country's agents work for the outsourcer ``Atlantis BPO``
    on a nearshore site; about 15 % of agents were hired in the last three months.

    >>> from cxtoolkit.config import ClientConfig
    >>> a = generate_agents(ClientConfig(client="x", country="FR"), n=20, seed=1)
    >>> list(a.columns)
    ['agent_id', 'team', 'site', 'country', 'hired_on', 'vendor']
    >>> int((a["vendor"] == "Atlantis BPO").sum()) > 0
    True
    """
    rng = np.random.default_rng(np.random.SeedSequence([seed, 1]))
    countries = client_countries(cfg)
    if n is None:
        n = _n_agents(n_contacts, months, len(countries))
    n = max(int(n), 3 * len(countries))
    shares = np.array(_SHARES.get(len(countries), np.full(len(countries), 1 / len(countries))))
    per = np.maximum(3, np.floor(shares / shares.sum() * n).astype(int))
    per[0] += n - per.sum()
    country = np.repeat(np.arange(len(countries)), per)
    outsourced = (country == 0) & (rng.random(n) < 0.3)
    # guarantee an outsourcer exists and the in-house site keeps staff
    first = np.flatnonzero(country == 0)
    outsourced[first[-1]] = True
    outsourced[first[0]] = False
    site_names = [_SITES.get(c, f"{c} centre") for c in countries]
    site_names += [_OUTSOURCER_SITES.get(countries[0], f"{countries[0]} nearshore")]
    site = np.where(outsourced, len(countries), country)
    # teams of about 12 agents within each site
    order = np.argsort(site, kind="stable")
    rank = np.empty(n, dtype=int)
    starts = np.r_[0, np.flatnonzero(np.diff(site[order])) + 1]
    counts = np.diff(np.r_[starts, n])
    rank[order] = np.arange(n) - np.repeat(starts, counts)
    team_no = rank // 12 + 1
    site_s = np.array(site_names, dtype=object)[site]
    team = pd.Series(site_s, dtype="str") + "-" + pd.Series(team_no).astype("str")
    last = pd.Timestamp(end).normalize()
    new = rng.random(n) < 0.15
    new[first[0]] = False   # at least one veteran per country
    for c in range(len(countries)):
        new[np.flatnonzero(country == c)[0]] = False
    days_back = np.where(new, rng.integers(5, 92, n), 400 + rng.exponential(2.5 * 365, n).astype(int))
    hired = (last - pd.to_timedelta(days_back, unit="D")).normalize()
    ids = _str_ids("A", np.arange(1, n + 1), 4)
    return pd.DataFrame({
        "agent_id": ids,
        "team": pd.Categorical(team.to_numpy()),
        "site": pd.Categorical(site_s),
        "country": _cat(country, countries),
        "hired_on": pd.DatetimeIndex(hired).as_unit("ns"),
        "vendor": pd.Categorical(np.where(outsourced, _OUTSOURCER, "in-house")),
    })


def _agent_quality(agents: pd.DataFrame, end) -> np.ndarray:
    """Hidden skill in [0, 1] of each agent: new hires and the outsourcer score lower."""
    tenure = (pd.Timestamp(end) - agents["hired_on"]).dt.days.to_numpy()
    jitter = (pd.util.hash_array(agents["agent_id"].astype("str").to_numpy(dtype=object)) % 1000) / 1000
    return (0.80 - 0.10 * (tenure < 100) - 0.05 * (agents["vendor"].astype("str") != "in-house").to_numpy()
            + 0.10 * (jitter - 0.5))


# -- contacts ----------------------------------------------------------------------------
class _Calendar:
    """Per-country day-level arrays and slot (day × hour) demand and load."""

    def __init__(self, cfg: ClientConfig, first: pd.Timestamp, last: pd.Timestamp, seed: int):
        self.countries = client_countries(cfg)
        self.first = first
        self.days = pd.date_range(first, last, freq="D")
        self.n_days = len(self.days)
        self.dow = self.days.day_of_week.to_numpy()
        rng = np.random.default_rng(np.random.SeedSequence([seed, 2]))
        self.holiday = {c: _holidays(c, self.days) for c in self.countries}
        self.hours = {c: _hours_table(cfg, c) for c in self.countries}
        billing_surge = np.where(self.days.day <= 5, 1.12, 1.0)
        self.surge_day = self.days.day.to_numpy() <= 5
        trend = np.linspace(0.95, 1.05, self.n_days)
        self.noise = {c: rng.lognormal(0, 0.08, self.n_days) for c in self.countries}
        month_start = last.normalize().replace(day=1)
        short = (self.days >= month_start) & (first < month_start)
        capacity = np.where(short, _SHORT_STAFFED, 1.0)
        dtype_of_dow = np.array([1, 0, 0, 0, 0, 2, 3])
        self.weights: dict[tuple[str, str], np.ndarray] = {}
        self.rho: dict[tuple[str, str], np.ndarray] = {}
        for c in self.countries:
            dtype = np.where(self.holiday[c], 3, dtype_of_dow[self.dow])
            for ch in CHANNELS:
                prof = _profiles(ch) * _AFTERNOON.get(c, np.ones(24))
                prof = prof / prof.sum(axis=1, keepdims=True)
                day_w = _DOW[ch][self.dow] * np.where(self.holiday[c], _HOLIDAY_FACTOR, 1.0)
                day_w = day_w * self.noise[c] * trend * billing_surge
                slot = day_w[:, None] * prof[dtype]
                self.weights[(c, ch)] = slot.ravel()
                # staffing is planned on a typical week: Mondays staffed like a Tuesday + 10 %
                plan_dow = np.where(self.dow == 0, 1, self.dow)
                plan_w = _DOW[ch][plan_dow] * np.where(self.dow == 0, 1.10, 1.0)
                # shifts cannot follow every peak: staffing follows a smoothed profile
                plan_prof = prof[dtype_of_dow[plan_dow]]
                plan_prof = (0.5 * plan_prof + 0.25 * np.roll(plan_prof, 1, axis=1)
                             + 0.25 * np.roll(plan_prof, -1, axis=1))
                plan = plan_w[:, None] * plan_prof * (trend * capacity)[:, None]
                with np.errstate(divide="ignore", invalid="ignore"):
                    rho = np.where(plan > 0, _OCCUPANCY * slot / plan, 5.0)
                self.rho[(c, ch)] = rho.ravel()

    def in_hours(self, country: np.ndarray, ts_ns: np.ndarray) -> np.ndarray:
        """Within opening hours and not a public holiday (``country`` = integer codes)."""
        rel = ts_ns - self.first.value
        day = np.clip(rel // _NS_D, 0, self.n_days - 1)
        sec = (rel % _NS_D) / _NS_S
        out = np.zeros(len(ts_ns), dtype=bool)
        for ci, c in enumerate(self.countries):
            m = country == ci
            start, end = self.hours[c]
            dw = self.dow[day[m]]
            ok = (sec[m] >= start[dw]) & (sec[m] < end[dw]) & ~self.holiday[c][day[m]]
            out[m] = ok
        return out

    def slot_rho(self, country: np.ndarray, channel: int, ts_ns: np.ndarray) -> np.ndarray:
        """Load of the (day, hour) slot of each contact of ``channel`` (0 phone, 2 chat)."""
        slot = np.clip((ts_ns - self.first.value) // _NS_H, 0, self.n_days * 24 - 1)
        table = np.stack([self.rho[(c, CHANNELS[channel])] for c in self.countries])
        return table[country, slot]


def _sample_times(rng, cal: _Calendar, country: np.ndarray, channel: np.ndarray) -> np.ndarray:
    """Arrival timestamps (int64 ns) following each (country, channel) demand profile."""
    ts = np.empty(len(country), dtype=np.int64)
    for ci, c in enumerate(cal.countries):
        for hi, ch in enumerate(CHANNELS):
            m = np.flatnonzero((country == ci) & (channel == hi))
            if len(m) == 0:
                continue
            w = cal.weights[(c, ch)]
            slot = np.searchsorted(np.cumsum(w / w.sum()), rng.random(len(m)), side="right")
            slot = np.minimum(slot, len(w) - 1)
            ts[m] = cal.first.value + slot * _NS_H + rng.integers(0, _NS_H // _NS_S, len(m)) * _NS_S
    return ts


def _outcomes(rng, cal: _Calendar, a: dict, agents_ctx: dict) -> None:
    """Fill answered / wait / handling / agent / resolved in ``a`` (arrays, in place).

    Works channel by channel on index subsets (each step touches only the rows it needs).
    """
    n = len(a["ts"])
    ch, co, ts = a["channel"], a["country"], a["ts"]
    inh = cal.in_hours(co, ts)
    answered = np.zeros(n, dtype=bool)
    wait_s = np.empty(n)
    bot = np.zeros(n, dtype=bool)
    hno = np.zeros(n, dtype=bool)
    # phone — Erlang-C like: the busier the slot, the likelier and the longer the queue;
    # callers give up after their patience; out of hours a closed message, never answered
    ip = np.flatnonzero(ch == 0)
    rho = cal.slot_rho(co[ip], 0, ts[ip])
    queued = rng.random(len(ip)) < np.clip(rho ** 3, 0.05, 1.0)
    mean_wait = np.minimum(8 + 22 * (rho / 0.85) ** 3, 900)
    w = np.where(queued, rng.exponential(1.0, len(ip)) * mean_wait, rng.uniform(0, 4, len(ip)))
    patience = rng.exponential(140.0, len(ip))
    open_ = inh[ip]
    answered[ip] = (w <= patience) & open_
    wait_s[ip] = np.where(open_, np.minimum(w, patience), rng.uniform(3, 45, len(ip)))
    hno[ip] = ~open_
    # email — first reply after hours (log-normal, median 7 h), 3 % never answered
    ie = np.flatnonzero(ch == 1)
    never = rng.random(len(ie)) < 0.03
    answered[ie] = ~never
    wait_s[ie] = np.where(never, np.nan, np.exp(np.log(7 * 3600) + rng.standard_normal(len(ie))))
    # chat — a bot answers out of hours and a fifth of chats in hours
    ic = np.flatnonzero(ch == 2)
    rho = cal.slot_rho(co[ic], 2, ts[ic])
    b = ~inh[ic] | (rng.random(len(ic)) < 0.2)
    w = rng.exponential(1.0, len(ic)) * np.minimum(5 + 20 * (rho / 0.85) ** 4, 600)
    patience = rng.exponential(200.0, len(ic))
    answered[ic] = b | (w <= patience)
    wait_s[ic] = np.where(b, rng.uniform(1, 4, len(ic)), np.minimum(w, patience))
    bot[ic] = b
    wait_s = np.round(wait_s, 1)
    # agents: an agent of the contact's country, hired before the contact. Phone calls go
    # to the agents on duty in their hour: a rotating team sized on the hour's answered
    # calls (so "distinct agents answering per slot" looks like a real rota); e-mails and
    # chats to any agent of the pool. The random draws are the same either way.
    agent = np.full(n, -1, dtype=np.int32)
    by_agent = answered & ~bot
    for ci in range(len(cal.countries)):
        m = np.flatnonzero(by_agent & (co == ci))
        pool, vets = agents_ctx["pool"][ci], agents_ctx["veterans"][ci]
        if len(m) == 0 or len(pool) == 0:
            continue
        draw = rng.integers(0, len(pool), len(m))
        phone = ch[m] == 0
        hour = (ts[m] - cal.first.value) // _NS_H
        per_hour = np.bincount(hour[phone], minlength=int(hour.max()) + 1)
        on_duty = np.clip(np.ceil(per_hour[hour] * _ROTA_AHT_S / 3600 / _OCCUPANCY), 1, len(pool)).astype(np.int64)
        first = (hour * 7919) % len(pool)                       # the hour's team starts here
        draw = np.where(phone, (first + draw % on_duty) % len(pool), draw)
        pick = pool[draw]
        late = agents_ctx["hired_ns"][pick] > ts[m]
        pick[late] = vets[rng.integers(0, len(vets), int(late.sum()))]
        agent[m] = pick
    # handling time of answered contacts (new agents are slower)
    ia = np.flatnonzero(answered)
    ag = agent[ia]
    sub_ch = ch[ia]
    new = (ag >= 0) & agents_ctx["new"][np.maximum(ag, 0)]
    talk = (agents_ctx["talk_med"][a["reason"][ia]]
            * np.exp(0.5 * rng.standard_normal(len(ia))) * np.where(new, 1.3, 1.0))
    sub_bot = bot[ia]
    talk = np.where(sub_ch == 1, talk * 0.8, np.where(sub_ch == 2, np.where(sub_bot, 120.0, talk * 1.8), talk))
    hold = np.where((sub_ch == 0) & (rng.random(len(ia)) < 0.3), rng.exponential(45, len(ia)), 0.0)
    wrap = np.where((sub_ch == 0) | ((sub_ch == 2) & ~sub_bot), 15 + rng.exponential(25, len(ia)), 0.0)
    for key, val in (("talk_s", talk), ("hold_s", hold), ("wrap_s", wrap)):
        full = np.zeros(n)
        full[ia] = np.round(val)
        a[key] = full
    # resolution: agent skill, bot, hard reasons
    skill = np.where(ag >= 0, agents_ctx["skill"][np.maximum(ag, 0)], 0.8)
    p_res = 0.25 + 0.75 * skill - np.where(sub_bot, 0.3, 0.0) - agents_ctx["hard"][a["reason"][ia]]
    resolved = np.zeros(n, dtype=bool)
    resolved[ia] = rng.random(len(ia)) < p_res
    a.update(answered=answered, wait_s=wait_s, bot=bot, agent=agent, resolved=resolved, hno=hno)


def generate_contacts(n: int, cfg: ClientConfig, seed: int = 42, start=None, months: int = 6, *,
                      end=DEFAULT_END, agents: pd.DataFrame | None = None,
                      bad_share: float = 0.001) -> pd.DataFrame:
    """``n`` inbound contacts (phone, email, chat) over ``months`` months, canonical form.

    Parameters
    ----------
    n : int
        Number of rows (exactly).
    cfg : ClientConfig
        Countries, opening hours and contact reasons (``journey_reasons`` keys).
    seed : int
        Same seed, same frame.
    start : date-like, optional
        First day; by default the period ends on ``end`` (2026-10-31).
    months : int
        Length of the period.
    agents : DataFrame, optional
        From :func:`generate_agents`; generated from ``seed`` when None.
    bad_share : float
        Share of intentionally bad rows (negative wait, unknown channel ``fax``, missing
        date, duplicated id); 0 for none.

    Returns
    -------
    DataFrame
        contact_id, customer_id, channel, received_at, answered, wait_s, talk_s, hold_s,
        wrap_s, agent_id, team, site, vendor, country, language, queue, reason, product,
        segment, handled_by, resolved — sorted by ``received_at``. Segment columns are
        categoricals, ids strings.

    Examples
    --------
    >>> from cxtoolkit.config import ClientConfig
    >>> c = generate_contacts(1_000, ClientConfig(client="x"), seed=3, months=1, bad_share=0)
    >>> bool(c["received_at"].min() >= pd.Timestamp("2026-10-01")), bool(c["wait_s"].min() >= 0)
    (True, True)
    """
    n = int(n)
    if n < 0:
        raise InputError("error.datasets.expected_non_negative", n=n)
    first, last = _period(start, months, end)
    r_cust, r_prim, r_rep, r_fill, r_bad = _rngs(seed, 5)
    cal = _Calendar(cfg, first, last, seed)
    countries = cal.countries
    if agents is None:
        agents = generate_agents(cfg, seed=seed, n_contacts=n, months=months, end=last)
    reasons = list(cfg.journey_reasons) or list(_REASONS)
    reasons = reasons + (["other"] if "other" not in reasons else [])
    base_p = np.array([_REASONS.get(r, 0.04) for r in reasons])
    surge_p = base_p * np.where(np.array(reasons) == "billing_question", 2.0, 1.0)
    ctx = _agents_context(agents, countries, last, reasons)

    # customers: a pool smaller than the contacts, so some come back by chance too
    n_prim = int(round(n / 1.13))
    n_cust = max(10, int(n_prim * 0.8))
    shares = np.array(_SHARES.get(len(countries), np.full(len(countries), 1 / len(countries))))
    cust_country = _pick(r_cust, n_cust, shares)
    cust_segment = _pick(r_cust, n_cust, [w for _, w in _SEGMENTS])
    cust_product = _pick(r_cust, n_cust, [w for _, w in _PRODUCTS])
    mix = np.array([_CHANNEL_MIX.get(c, _DEFAULT_MIX) for c in countries])

    def primaries(rng, m: int) -> dict:
        cust = rng.integers(0, n_cust, m, dtype=np.int32)
        co = cust_country[cust]
        u = rng.random(m)
        cum = np.cumsum(mix, axis=1)
        ch = ((u > cum[co, 0]).astype(np.int8) + (u > cum[co, 1])).astype(np.int8)
        ts = _sample_times(rng, cal, co, ch)
        day = (ts - first.value) // _NS_D
        surge = cal.surge_day[np.clip(day, 0, cal.n_days - 1)]
        u = rng.random(m)
        reason = np.where(surge, np.searchsorted(np.cumsum(surge_p) / surge_p.sum(), u, side="right"),
                          np.searchsorted(np.cumsum(base_p) / base_p.sum(), u, side="right"))
        reason = np.minimum(reason, len(reasons) - 1).astype(np.int16)
        a = {"cust": cust, "country": co, "channel": ch, "ts": ts, "reason": reason}
        _outcomes(rng, cal, a, ctx)
        return a

    prim = primaries(r_prim, n_prim)
    # repeat contacts: more after an abandoned, out-of-hours or unresolved first contact
    unresolved = prim["answered"] & ~prim["resolved"]
    gave_up = ~prim["answered"]
    p_rep = np.where(gave_up, 0.55, np.where(unresolved, 0.45, 0.06))
    src = np.flatnonzero(r_rep.random(n_prim) < p_rep)
    k = len(src)
    quick = gave_up[src]
    # gave up: tries again within the hour or the next morning; unresolved: 1–6 days later
    day0 = (prim["ts"][src] - first.value) // _NS_D
    next_days = np.where(quick, r_rep.integers(0, 2, k), r_rep.integers(1, 7, k))
    phone_prof = _profiles("phone")[0]
    hour = _pick(r_rep, k, phone_prof).astype(np.int64)
    ts_later = (first.value + (day0 + next_days) * _NS_D + hour * _NS_H
                + r_rep.integers(0, 3600, k) * _NS_S)
    ts_soon = prim["ts"][src] + (60 + r_rep.exponential(40 * 60, k)).astype(np.int64) * _NS_S
    ts_rep = np.where(quick & prim["hno"][src], ts_later, np.where(quick, ts_soon, ts_later))
    ts_rep = np.maximum(ts_rep, prim["ts"][src] + _NS_S)
    same = r_rep.random(k) < 0.75
    ch_rep = np.where(same, prim["channel"][src], _pick(r_rep, k, [0.7, 0.3, 0.0]))
    keep = ts_rep < (last + pd.Timedelta(days=1)).value
    src, ts_rep, ch_rep = src[keep], ts_rep[keep], ch_rep[keep]
    need = n - n_prim
    order = r_rep.permutation(len(src))[:max(need, 0)]
    src, ts_rep, ch_rep = src[order], ts_rep[order], ch_rep[order]
    rep = {"cust": prim["cust"][src], "country": prim["country"][src], "channel": ch_rep,
           "ts": ts_rep, "reason": prim["reason"][src]}
    _outcomes(r_rep, cal, rep, ctx)
    parts = [prim, rep]
    if n_prim + len(src) < n:
        parts.append(primaries(r_fill, n - n_prim - len(src)))
    keys = ["cust", "country", "channel", "ts", "reason", "answered", "wait_s", "talk_s",
            "hold_s", "wrap_s", "bot", "agent", "resolved"]
    order = _time_order(np.concatenate([p["ts"] for p in parts])[:n], first.value)
    a = {key: np.concatenate([p[key] for p in parts])[:n][order] for key in keys}

    agent = a["agent"]
    has_agent = agent >= 0
    safe = np.maximum(agent, 0)
    langs = [_COUNTRY_LANG.get(c, "en") for c in countries]
    lang_cats = sorted(set(langs))
    lang_code = np.array([lang_cats.index(x) for x in langs])[a["country"]]
    queues = [_QUEUES.get(r, "general") for r in reasons]
    queue_cats = sorted(set(queues))
    queue_code = np.array([queue_cats.index(q) for q in queues])[a["reason"]]
    answered = a["answered"]
    handled = np.where(a["channel"] == 2, np.where(a["bot"], 1, np.where(answered, 0, -1)), -1)
    ids = np.arange(1, n + 1)
    _plant_bad_contacts(a, ids, r_bad, _bad_count(n, bad_share))
    return pd.DataFrame({
        "contact_id": _str_ids("C", ids, max(8, len(str(n)))),
        "customer_id": _str_ids("K", a["cust"] + 1, max(7, len(str(n_cust)))),
        "channel": _cat(a["channel"], CHANNELS, ("fax",)),
        "received_at": a["ts"].view("datetime64[ns]"),
        "answered": answered,
        "wait_s": a["wait_s"],
        "talk_s": a["talk_s"],
        "hold_s": a["hold_s"],
        "wrap_s": a["wrap_s"],
        "agent_id": pd.Categorical.from_codes(np.where(has_agent, safe, -1).astype(np.int32),
                                              categories=agents["agent_id"].to_numpy(dtype=object)),
        "team": _cat(np.where(has_agent, ctx["team_code"][safe], -1), ctx["team_cats"]),
        "site": _cat(np.where(has_agent, ctx["site_code"][safe], -1), ctx["site_cats"]),
        "vendor": _cat(np.where(has_agent, ctx["vendor_code"][safe], -1), ctx["vendor_cats"]),
        "country": _cat(a["country"], countries),
        "language": _cat(lang_code, lang_cats),
        "queue": _cat(queue_code, queue_cats),
        "reason": _cat(a["reason"], reasons),
        "product": _cat(cust_product[a["cust"]], [p for p, _ in _PRODUCTS]),
        "segment": _cat(cust_segment[a["cust"]], [s for s, _ in _SEGMENTS]),
        "handled_by": _cat(handled, ("agent", "bot")),
        "resolved": pd.array(a["resolved"], dtype="boolean"),
    })


def _time_order(ts: np.ndarray, origin: int) -> np.ndarray:
    """Stable order of whole-second timestamps: two O(n) radix passes (second, then hour)."""
    sec = (ts - origin) // _NS_S
    hour, within = np.divmod(sec, 3600)
    if hour.max(initial=0) >= 2 ** 16:
        return np.argsort(ts, kind="stable")
    o1 = np.argsort(within.astype(np.uint16), kind="stable")
    o2 = np.argsort(hour.astype(np.uint16)[o1], kind="stable")
    return o1[o2]


def _agents_context(agents: pd.DataFrame, countries: list[str], end, reasons: list[str]) -> dict:
    ag_country = agents["country"].astype("str").to_numpy(dtype=object)
    hired_ns = agents["hired_on"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    end_ns = pd.Timestamp(end).value
    pool, vets = [], []
    for c in countries:
        idx = np.flatnonzero(ag_country == c)
        pool.append(idx)
        v = idx[hired_ns[idx] <= end_ns - 200 * _NS_D]
        vets.append(v if len(v) else idx[np.argsort(hired_ns[idx])[:1]])
    ctx: dict[str, Any] = {"pool": pool, "veterans": vets, "hired_ns": hired_ns,
                           "skill": _agent_quality(agents, end),
                           "new": hired_ns > end_ns - 100 * _NS_D,
                           "talk_med": np.array([_TALK.get(r, 280.0) for r in reasons], dtype=float),
                           "hard": np.array([{"billing_question": 0.12, "cancellation": 0.10,
                                              "payment_issue": 0.06}.get(r, 0.0) for r in reasons])}
    for col in ("team", "site", "vendor"):
        cat = pd.Categorical(agents[col].astype("str"))
        ctx[f"{col}_code"] = cat.codes.astype(np.int64)
        ctx[f"{col}_cats"] = list(cat.categories)
    return ctx


def _plant_bad_contacts(a: dict, ids: np.ndarray, rng, k: int) -> None:
    """Negative wait, unknown channel, missing date, duplicated id — ``k`` rows, in place."""
    if k == 0:
        return
    rows = rng.choice(np.arange(1, len(ids)), size=min(k, len(ids) - 1), replace=False)
    kind = np.arange(len(rows)) % 4
    neg = rows[kind == 0]
    a["wait_s"][neg] = -np.abs(np.nan_to_num(a["wait_s"][neg])) - 1.0
    a["channel"][rows[kind == 1]] = len(CHANNELS)          # "fax"
    a["ts"][rows[kind == 2]] = np.iinfo(np.int64).min        # NaT
    dup = rows[kind == 3]
    ids[dup] = ids[dup - 1]


# -- surveys -----------------------------------------------------------------------------
_TOUCH_MU = {"discovery": 0.5, "advice": 0.4, "ordering": 0.3, "payment": 0.0, "delivery": -0.3,
             "first_use": -0.1, "first_call": 0.0, "invoice": -1.0, "renewal": -0.2,
             "cancellation": -0.6}
# NPS response style by country: centre and spread of the 0–10 answer around the latent score
_STYLE = {"FR": (7.6, 1.15), "GB": (8.0, 2.4), "ES": (7.8, 1.8)}
_DEFAULT_STYLE = (7.8, 1.8)


def _survey_plan(contacts: pd.DataFrame, cfg: ClientConfig, n: int, seed: int,
                 hot_share: float = 0.8, end=DEFAULT_END) -> dict:
    """Invitations (hot after answered contacts, cold barometer waves) and who answered."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 3]))
    c = contacts
    valid = (c["answered"].to_numpy(dtype=bool) & c["received_at"].notna().to_numpy()
             & c["channel"].astype("str").isin(CHANNELS).to_numpy()
             & ~c["contact_id"].duplicated(keep=False).to_numpy())
    eligible = np.flatnonzero(valid)
    n_hot = min(int(round(n * hot_share)), len(eligible))
    n_cold = max(n - n_hot, 0)
    n_hot_send = min(len(eligible), int(round(n_hot / 0.24)))
    hot_rows = np.sort(rng.choice(eligible, size=n_hot_send, replace=False)) if n_hot_send else eligible[:0]
    handling = (c["talk_s"].to_numpy()[hot_rows] + c["wrap_s"].to_numpy()[hot_rows])
    wait = np.nan_to_num(c["wait_s"].to_numpy()[hot_rows])
    hot_sent = (c["received_at"].to_numpy()[hot_rows].astype("datetime64[ns]").astype(np.int64)
                + (wait + handling + rng.uniform(300, 5400, n_hot_send)).astype(np.int64) * _NS_S)
    # unresolved customers answer a little more often
    unres = ~c["resolved"].fillna(False).to_numpy(dtype=bool)[hot_rows]
    w = np.where(unres, 1.4, 1.0)
    hot_resp = np.zeros(n_hot_send, dtype=bool)
    if n_hot:
        hot_resp[rng.choice(n_hot_send, size=n_hot, replace=False, p=w / w.sum())] = True
    # cold barometer: a wave late in each month, sent to the month's active customers first
    # (those who answered a post-contact survey since the month began: the key drivers need
    # customers with both answers in the audited month), then to others
    times = c["received_at"].dropna()
    first = times.min().normalize() if len(times) else pd.Timestamp(end)
    last = times.max().normalize() if len(times) else pd.Timestamp(end)
    months = pd.period_range(first, last, freq="M")
    waves = [min(max(m.start_time + pd.Timedelta(days=24), first), last) for m in months]
    cust_rows = np.flatnonzero(~c["customer_id"].duplicated().to_numpy() & valid)
    cust_of = c["customer_id"].astype("str").to_numpy(dtype=object)
    row_of_cust = pd.Series(cust_rows, index=cust_of[cust_rows])
    hot_answered = pd.DataFrame({"customer": cust_of[hot_rows[hot_resp]], "sent": hot_sent[hot_resp]})
    per_wave = [n_cold // len(waves) + (1 if i < n_cold % len(waves) else 0) for i in range(len(waves))]
    cold_rows, cold_sent, cold_resp = [], [], []
    for wave, k in zip(waves, per_wave):   # loop over waves (one a month), not rows
        m = min(len(cust_rows), int(round(k / 0.15)))
        k = min(k, m)
        recent = hot_answered["sent"].between(max(wave.to_period("M").start_time, first).value, wave.value)
        active = row_of_cust.reindex(hot_answered.loc[recent, "customer"].unique()).dropna()
        active = active.to_numpy(dtype=np.int64)[:m]
        others = np.setdiff1d(cust_rows, active)
        extra = rng.choice(others, size=min(m - len(active), len(others)), replace=False) if m else others[:0]
        rows = np.concatenate([active, extra]).astype(np.int64)
        m = len(rows)
        cold_rows.append(rows)
        cold_sent.append(wave.value + 9 * _NS_H + rng.integers(0, 8 * 3600, m) * _NS_S)
        r = np.zeros(m, dtype=bool)
        if k:   # customers who just answered a survey answer the barometer three times as often
            w = np.where(np.arange(m) < len(active), 3.0, 1.0)
            r[rng.choice(m, size=k, replace=False, p=w / w.sum())] = True
        cold_resp.append(r)
    cold_rows = np.concatenate(cold_rows) if cold_rows else np.array([], dtype=int)
    cold_sent = np.concatenate(cold_sent) if cold_sent else np.array([], dtype=np.int64)
    cold_resp = np.concatenate(cold_resp) if cold_resp else np.array([], dtype=bool)
    rows = np.concatenate([hot_rows, cold_rows]).astype(np.int64)
    sent = np.concatenate([hot_sent, cold_sent]).astype(np.int64)
    hot = np.r_[np.ones(len(hot_rows), bool), np.zeros(len(cold_rows), bool)]
    resp = np.concatenate([hot_resp, cold_resp])
    order = np.argsort(sent, kind="stable")
    rows, sent, hot, resp = rows[order], sent[order], hot[order], resp[order]
    delay_h = np.where(hot, np.minimum(rng.exponential(4, len(rows)), 72),
                       np.minimum(rng.exponential(48, len(rows)), 14 * 24))
    responded_at = sent + ((delay_h * 3600).astype(np.int64) + 60) * _NS_S
    send_ids = _str_ids("S", np.arange(1, len(rows) + 1), max(7, len(str(len(rows)))))
    return {"rows": rows, "sent": sent, "hot": hot, "resp": resp, "responded_at": responded_at,
            "send_id": send_ids, "rng": rng}


def generate_sends(contacts: pd.DataFrame, cfg: ClientConfig, n_responses: int = 20_000,
                   seed: int = 42) -> pd.DataFrame:
    """Survey invitations: hot ones after answered contacts (≈ 24 % answer) and cold waves.

    Columns send_id, customer_id, sent_at, survey_type, channel (the contact's channel for
    hot surveys, ``email`` for the barometer), responded. Consistent with
    :func:`generate_responses` for the same contacts, ``n_responses`` and seed.

    >>> from cxtoolkit.config import ClientConfig
    >>> cfg = ClientConfig(client="x")
    >>> s = generate_sends(generate_contacts(3_000, cfg, seed=1), cfg, 200, seed=1)
    >>> int(s["responded"].sum())
    200
    """
    plan = _survey_plan(contacts, cfg, n_responses, seed)
    c = contacts
    rows = plan["rows"]
    ch = np.where(plan["hot"], c["channel"].astype("str").to_numpy(dtype=object)[rows], "email")
    return pd.DataFrame({
        "send_id": plan["send_id"],
        "customer_id": c["customer_id"].to_numpy()[rows],
        "sent_at": pd.to_datetime(plan["sent"], unit="ns"),
        "survey_type": pd.Categorical(np.where(plan["hot"], "hot", "cold"), categories=["hot", "cold"]),
        "channel": pd.Categorical(ch, categories=list(CHANNELS)),
        "responded": plan["resp"],
    }).astype({"customer_id": "str"})


def generate_responses(contacts: pd.DataFrame, cfg: ClientConfig, n: int = 20_000, seed: int = 42,
                       agents: pd.DataFrame | None = None, bad_share: float = 0.001) -> pd.DataFrame:
    """``n`` survey answers: hot after contacts (80 %) and a cold barometer (20 %).

    Scores follow a latent satisfaction driven by the touchpoint (invoice worst), the
    contact's outcome (unresolved, long wait, new agent, bot) and each country's answering
    style (GB polarised, FR clustered at 7–8). Hot answers carry csat (+ ces, sometimes nps),
    cold ones nps (+ csat). About half carry a verbatim in the customer's language, some
    with personal data (emails, phone numbers, IBANs, names) for masking to find.

    >>> from cxtoolkit.config import ClientConfig
    >>> cfg = ClientConfig(client="x", journey=["invoice", "delivery"])
    >>> r = generate_responses(generate_contacts(3_000, cfg, seed=2), cfg, 300, seed=2)
    >>> len(r), set(r["survey_type"].astype(str)) == {"hot", "cold"}
    (300, True)
    """
    plan = _survey_plan(contacts, cfg, n, seed)
    rng = plan["rng"]
    keep = np.flatnonzero(plan["resp"])
    rows, hot = plan["rows"][keep], plan["hot"][keep]
    m = len(rows)
    c = contacts
    countries = client_countries(cfg)
    country = c["country"].astype("str").to_numpy(dtype=object)[rows]
    # touchpoint: hot = the stage of the contact's reason; cold = a stage of the journey
    journey = list(cfg.journey) or list(_TOUCH_MU)
    stage_of = {r: s for r, s in cfg.journey_reasons.items() if s in journey}
    fallback = "first_call" if "first_call" in journey else journey[0]
    reason = c["reason"].astype("str").to_numpy(dtype=object)[rows]
    hot_stage = pd.Series(reason, dtype=object).map(stage_of).astype(object).fillna(fallback).to_numpy(dtype=object)
    cold_stage = np.array(journey, dtype=object)[rng.integers(0, len(journey), m)]
    touch = np.where(hot, hot_stage, cold_stage)
    # latent satisfaction
    mu = pd.Series(touch, dtype=object).map(_TOUCH_MU).astype(float).fillna(0.0).to_numpy()
    wait = np.nan_to_num(c["wait_s"].to_numpy(dtype=float)[rows])
    chan = c["channel"].astype("str").to_numpy(dtype=object)[rows]
    resolved = c["resolved"].fillna(False).to_numpy(dtype=bool)[rows]
    bot = (c["handled_by"].astype("str") == "bot").to_numpy()[rows]
    effect = np.where(hot, np.where(resolved, 0.35, -0.8)
                      - np.where((chan == "phone") & (wait > 120), 0.4, 0.0)
                      - np.where((chan == "email") & (wait > 24 * 3600), 0.5, 0.0)
                      - np.where(bot, 0.2, 0.0), 0.0)
    if agents is not None:
        new_ids = agents.loc[(pd.Timestamp(c["received_at"].max()) - agents["hired_on"]).dt.days < 100,
                             "agent_id"].astype("str")
        is_new = c["agent_id"].astype("str").isin(set(new_ids)).to_numpy()[rows]
        effect = effect - np.where(hot & is_new, 0.25, 0.0)
    z = mu + effect + rng.standard_normal(m)
    z = _barometer_carry_over(z, hot, c["customer_id"].astype("str").to_numpy(dtype=object)[rows],
                              plan["responded_at"][keep], touch)
    style = np.array([_STYLE.get(x, _DEFAULT_STYLE) for x in countries])
    code = pd.Categorical(country, categories=countries).codes
    centre, spread = style[code, 0], style[code, 1]
    nps = np.clip(np.round(centre + spread * z), 0, 10)
    csat = np.clip(np.round(3.95 + 0.95 * (spread / 1.8) ** 0.5 * z), 1, 5)
    ces_hi = cfg.kpi.ces_scale
    ces = np.clip(np.round((ces_hi + 1) / 2 + 1.1 + 1.3 * (0.7 * z + 0.7 * rng.standard_normal(m))), 1, ces_hi)
    u = rng.random((3, m))
    has_csat = np.where(hot, True, u[0] < 0.6)
    has_nps = np.where(hot, u[1] < 0.5, True)
    has_ces = np.where(hot, u[2] < 0.7, False)
    lang = pd.Series(country).map(_COUNTRY_LANG).fillna("en").to_numpy(dtype=object)
    verb = _verbatims(rng, z, touch, lang, hot)
    # order by answer time, with ids in that order
    resp_at = plan["responded_at"][keep]
    o = np.argsort(resp_at, kind="stable")
    def opt(col):
        return c[col].to_numpy()[rows] if col in c else np.full(m, None)
    agent_ids = c["agent_id"].astype("str").to_numpy(dtype=object)[rows]
    out = pd.DataFrame({
        "response_id": _str_ids("R", np.arange(1, m + 1), max(7, len(str(m)))),
        "responded_at": pd.to_datetime(resp_at[o], unit="ns"),
        "survey_type": pd.Categorical(np.where(hot, "hot", "cold")[o], categories=["hot", "cold"]),
        "send_id": plan["send_id"].to_numpy()[keep][o],
        "customer_id": c["customer_id"].astype("str").to_numpy()[rows][o],
        "contact_id": pd.Series(np.where(hot, c["contact_id"].astype("str").to_numpy(dtype=object)[rows], None)[o],
                                dtype="str"),
        "touchpoint": pd.Categorical(touch[o], categories=journey),
        "channel": pd.Categorical(np.where(hot, chan, None)[o], categories=list(CHANNELS)),
        "country": pd.Categorical(country[o], categories=countries),
        "language": pd.Categorical(lang[o]),
        "agent_id": pd.Categorical(np.where(hot, agent_ids, None)[o]),
        "segment": pd.Categorical(np.asarray(opt("segment"), dtype=object)[o]),
        "csat": np.where(has_csat, csat, np.nan)[o],
        "nps": np.where(has_nps, nps, np.nan)[o],
        "ces": np.where(has_ces, ces, np.nan)[o],
        "verbatim": pd.Series(verb[o], dtype="str"),
    })
    out.loc[out["agent_id"].astype("str").isin(["nan", "None", "<NA>"]), "agent_id"] = np.nan
    out["agent_id"] = out["agent_id"].cat.remove_unused_categories()
    return _plant_bad_responses(out, np.random.default_rng(np.random.SeedSequence([seed, 4])),
                                _bad_count(m, bad_share), ces_hi)


#: How much a customer's post-contact experience at each stage weighs on their barometer
#: (cold) score: the key drivers the demo lets an audit find (invoice first, then delivery).
DRIVER_WEIGHTS = {"invoice": 1.0, "delivery": 0.8, "first_use": 0.6, "payment": 0.5, "renewal": 0.4,
                  "cancellation": 0.4}
_OTHER_WEIGHT = 0.2


def _barometer_carry_over(z: np.ndarray, hot: np.ndarray, customer: np.ndarray, at: np.ndarray,
                          touch: np.ndarray, days: int = 40) -> np.ndarray:
    """Latent scores where a cold answer carries the customer's hot experiences of the
    ``days`` before it, each weighted by its stage (:data:`DRIVER_WEIGHTS`): half its own
    score plus the weighted mean of theirs. Hot answers are unchanged."""
    idx = np.arange(len(z))
    h = pd.DataFrame({"customer": customer[hot], "at_hot": at[hot], "zw": z[hot] * pd.Series(touch[hot])
                      .map(DRIVER_WEIGHTS).fillna(_OTHER_WEIGHT).to_numpy(dtype="float64")})
    cold = pd.DataFrame({"i": idx[~hot], "customer": customer[~hot], "at": at[~hot]})
    pairs = cold.merge(h, on="customer")
    pairs = pairs[(pairs["at_hot"] < pairs["at"]) & (pairs["at"] - pairs["at_hot"] <= days * 24 * _NS_H)]
    carry = pairs.groupby("i")["zw"].mean()
    out = z.copy()
    pos = carry.index.to_numpy()
    out[pos] = 0.5 * z[pos] + 1.5 * carry.to_numpy()
    return out


def _plant_bad_responses(df: pd.DataFrame, rng, k: int, ces_hi: int) -> pd.DataFrame:
    """csat 9, nps 11, ces 0 / above the scale, a row with no score at all."""
    if k == 0:
        return df
    rows = rng.choice(len(df), size=min(k, len(df)), replace=False)
    kind = np.arange(len(rows)) % 4
    out = df.copy()
    pos = out.columns.get_loc
    out.iloc[rows[kind == 0], pos("csat")] = 9.0
    out.iloc[rows[kind == 1], pos("nps")] = 11.0
    out.iloc[rows[kind == 2], pos("ces")] = float(ces_hi + 2)
    none = rows[kind == 3]
    for col in ("csat", "nps", "ces"):
        out.iloc[none, pos(col)] = np.nan
    return out


# -- verbatims ---------------------------------------------------------------------------
# theme -> language -> templates; "{x}" is filled with a number suited to the theme
_THEMES: dict[str, dict[str, list[str]]] = {
    "delivery_delay": {
        "fr": ["Livraison avec {x} jours de retard, aucune information du transporteur.",
               "Colis toujours pas reçu après {x} jours, c'est inadmissible.",
               "Le délai de livraison annoncé n'a pas été respecté."],
        "en": ["Delivery arrived {x} days late and nobody told me why.",
               "Still waiting for my parcel after {x} days.",
               "The delivery date you promised was not kept."],
        "es": ["El pedido llegó con {x} días de retraso y sin aviso.",
               "Sigo esperando mi paquete después de {x} días."]},
    "invoice_error": {
        "fr": ["Erreur sur ma facture : {x} € facturés en trop.",
               "Facture incompréhensible, on m'a compté deux fois l'abonnement.",
               "Toujours pas de correction de ma facture erronée de {x} €."],
        "en": ["My invoice was wrong, I was overcharged £{x}.",
               "I was billed twice for the same month.",
               "Billing error of {x} still not corrected."],
        "es": ["Error en mi factura: me cobraron {x} € de más.",
               "Me han cobrado dos veces la misma cuota."]},
    "price_increase": {
        "fr": ["Hausse de prix de {x} % sans prévenir, je vais résilier.",
               "Le tarif a encore augmenté, ce n'est plus compétitif."],
        "en": ["Price went up {x}% with no warning.",
               "Another price increase, I am looking elsewhere."],
        "es": ["Subida de precio del {x} % sin avisar.",
               "Otra vez han subido el precio, no es justo."]},
    "refund_dispute": {
        "fr": ["J'attends mon remboursement de {x} € depuis des semaines, personne ne m'écoute.",
               "Litige non résolu, j'ai l'impression de parler à un mur.",
               "On m'avait promis une remise qui n'a jamais été appliquée."],
        "en": ["Still waiting for my £{x} refund, nobody listens.",
               "Dispute still open after weeks, I feel ignored.",
               "The discount I was promised was never applied."],
        "es": ["Espero mi reembolso de {x} € desde hace semanas.",
               "La reclamación sigue sin resolverse, nadie me escucha."]},
    "rude_agent": {
        "fr": ["Conseiller désagréable et pas à l'écoute.",
               "On m'a raccroché au nez, très mauvais accueil.",
               "Interlocuteur méprisant, aucune empathie."],
        "en": ["The agent was rude and did not listen.",
               "I was hung up on, very poor service.",
               "The advisor was dismissive and unhelpful."],
        "es": ["El agente fue maleducado y no me escuchó.",
               "Me colgaron el teléfono, pésima atención."]},
    "app_bug": {
        "fr": ["L'application plante à chaque connexion depuis {x} jours.",
               "Impossible de payer sur le site, bug au moment de valider.",
               "L'appli ne fonctionne pas, message d'erreur permanent."],
        "en": ["The app crashes every time I log in, for {x} days now.",
               "Checkout on the website keeps failing.",
               "The app shows an error message all the time."],
        "es": ["La aplicación se cierra cada vez que entro desde hace {x} días.",
               "No puedo pagar en la web, da error al validar."]},
    "long_wait": {
        "fr": ["{x} minutes d'attente avant d'avoir quelqu'un, c'est trop long.",
               "Impossible de joindre le service client le lundi matin.",
               "Temps d'attente beaucoup trop long au téléphone."],
        "en": ["Waited {x} minutes on hold before anyone answered.",
               "Impossible to get through on a Monday morning.",
               "Far too long a wait on the phone."],
        "es": ["Esperé {x} minutos antes de que me atendieran.",
               "Imposible contactar con atención al cliente."]},
    "unresolved": {
        "fr": ["Problème toujours pas résolu après {x} appels.",
               "On me renvoie d'un service à l'autre, rien n'avance."],
        "en": ["Problem still not solved after {x} calls.",
               "I keep being passed from one department to another."],
        "es": ["El problema sigue sin resolverse después de {x} llamadas.",
               "Me pasan de un departamento a otro sin solución."]},
    "quick_resolution": {
        "fr": ["Problème réglé en {x} minutes, merci !",
               "Réponse rapide et efficace, rien à redire.",
               "Très bon service, résolu dès le premier appel."],
        "en": ["Sorted in {x} minutes, thank you!",
               "Quick and efficient answer, nothing to add.",
               "Great service, fixed on the first call."],
        "es": ["Problema resuelto en {x} minutos, ¡gracias!",
               "Respuesta rápida y eficaz."]},
    "friendly_agent": {
        "fr": ["Conseillère très aimable et à l'écoute.",
               "Accueil chaleureux, conseiller compétent et patient.",
               "Merci à la personne qui m'a aidé, très professionnelle."],
        "en": ["The agent was friendly and really listened.",
               "Lovely advisor, patient and knowledgeable.",
               "Thanks to the person who helped me, very professional."],
        "es": ["La agente fue muy amable y atenta.",
               "Trato excelente, muy profesional."]},
    "easy_app": {
        "fr": ["Application simple et pratique, commande passée en {x} minutes.",
               "Site clair, tout est facile à trouver."],
        "en": ["Easy app, ordered in {x} minutes.",
               "Clear website, easy to find everything."],
        "es": ["Aplicación sencilla, pedido hecho en {x} minutos.",
               "Web clara y fácil de usar."]},
}
_THEME_NAMES = list(_THEMES)
_NEG = {"discovery": {"app_bug": .4, "price_increase": .3, "long_wait": .3},
        "advice": {"rude_agent": .3, "long_wait": .3, "unresolved": .4},
        "ordering": {"app_bug": .5, "delivery_delay": .3, "long_wait": .2},
        "payment": {"invoice_error": .4, "refund_dispute": .3, "app_bug": .3},
        "delivery": {"delivery_delay": .8, "refund_dispute": .2},
        "first_use": {"app_bug": .6, "unresolved": .4},
        "first_call": {"long_wait": .4, "rude_agent": .3, "unresolved": .3},
        "invoice": {"invoice_error": .5, "price_increase": .3, "refund_dispute": .2},
        "renewal": {"price_increase": .7, "rude_agent": .3},
        "cancellation": {"refund_dispute": .5, "rude_agent": .3, "unresolved": .2}}
_NEG_DEFAULT = {"long_wait": .3, "unresolved": .4, "rude_agent": .3}
_POS = {"quick_resolution": .45, "friendly_agent": .4, "easy_app": .15}
_X_RANGE = {"delivery_delay": (2, 15), "invoice_error": (12, 180), "price_increase": (5, 25),
            "refund_dispute": (20, 450), "app_bug": (2, 10), "long_wait": (8, 45),
            "unresolved": (2, 6), "quick_resolution": (2, 10), "easy_app": (2, 6)}
_FIRST = {"fr": ["Marie", "Jean", "Sophie", "Pierre", "Camille", "Nicolas"],
          "en": ["John", "Emma", "Oliver", "Sarah", "James", "Amelia"],
          "es": ["Lucía", "Javier", "Carmen", "Pablo", "Elena", "Diego"]}
_LAST = {"fr": ["Dupont", "Martin", "Bernard", "Lefebvre", "Moreau", "Garnier"],
         "en": ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans"],
         "es": ["García", "Fernández", "López", "Martínez", "Sánchez", "Romero"]}
_PII_LEAD = {"fr": {"name": "Je m'appelle ", "email": "Mon e-mail : ", "phone": "Rappelez-moi au ",
                    "iban": "Mon IBAN pour le remboursement : "},
             "en": {"name": "My name is ", "email": "Email me at ", "phone": "Call me back on ",
                    "iban": "My IBAN for the refund: "},
             "es": {"name": "Me llamo ", "email": "Mi correo: ", "phone": "Llámenme al ",
                    "iban": "Mi IBAN para el reembolso: "}}


def _pad(values: np.ndarray, width: int) -> pd.Series:
    return pd.Series(values.astype(np.int64)).astype("str").str.zfill(width)


def _verbatims(rng, z: np.ndarray, touch: np.ndarray, lang: np.ndarray, hot: np.ndarray) -> np.ndarray:
    """Free comments built from phrase templates; None where the customer wrote nothing."""
    m = len(z)
    if m == 0:
        return np.array([], dtype=object)
    lang = np.where(np.isin(lang, list(_FIRST)), lang, "en")
    has = rng.random(m) < np.where(hot, 0.55, 0.35) + np.where(np.abs(z) > 1, 0.2, 0.0)
    negative = (z < -0.2) | ((z < 0.5) & (rng.random(m) < 0.4))
    # theme: vectorised draw from a (touchpoint × theme) probability table
    stages = list(_NEG) + ["?"]
    table = np.zeros((len(stages), len(_THEME_NAMES)))
    for i, s in enumerate(stages):
        for t, p in _NEG.get(s, _NEG_DEFAULT).items():
            table[i, _THEME_NAMES.index(t)] = p
    pos = np.array([_POS.get(t, 0.0) for t in _THEME_NAMES])
    code = pd.Categorical(touch, categories=stages[:-1]).codes
    code = np.where(code < 0, len(stages) - 1, code)
    probs = np.where(negative[:, None], table[code], pos[None, :])
    cdf = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    theme = np.minimum((rng.random(m)[:, None] > cdf).sum(axis=1), len(_THEME_NAMES) - 1)
    # flat template table: (theme, language) -> templates split around {x}
    flat, index = [], {}
    for ti, t in enumerate(_THEME_NAMES):
        for lg in _FIRST:
            tpl = _THEMES[t][lg]
            index[(ti, lg)] = (len(flat), len(tpl))
            flat.extend(tpl)
    pre = np.array([s.split("{x}")[0] for s in flat], dtype=object)
    post = np.array([s.split("{x}")[1] if "{x}" in s else "" for s in flat], dtype=object)
    has_x = np.array(["{x}" in s for s in flat])
    lang_code = pd.Categorical(lang, categories=list(_FIRST)).codes
    starts = np.zeros((len(_THEME_NAMES), len(_FIRST)), dtype=int)
    sizes = np.zeros_like(starts)
    for (ti, lg), (s0, k) in index.items():
        starts[ti, list(_FIRST).index(lg)] = s0
        sizes[ti, list(_FIRST).index(lg)] = k
    tpl = starts[theme, lang_code] + (rng.random(m) * sizes[theme, lang_code]).astype(int)
    lo = np.array([_X_RANGE.get(t, (1, 5))[0] for t in _THEME_NAMES])[theme]
    hi = np.array([_X_RANGE.get(t, (1, 5))[1] for t in _THEME_NAMES])[theme]
    x = pd.Series(np.floor(lo + rng.random(m) * (hi - lo + 1)).astype(np.int64)).astype("str")
    x = x.where(has_x[tpl], "")
    text = pd.Series(pre[tpl], dtype="str") + x + pd.Series(post[tpl], dtype="str")
    # planted personal data in about 6 % of comments
    pii = rng.random(m) < 0.06
    kind = rng.integers(0, 4, m)
    fi = rng.integers(0, 6, m)
    la = rng.integers(0, 6, m)
    first = pd.Series(np.array([_FIRST[k] for k in _FIRST], dtype=object)[lang_code, fi], dtype="str")
    last = pd.Series(np.array([_LAST[k] for k in _FIRST], dtype=object)[lang_code, la], dtype="str")
    ascii_ = lambda s: (s.str.normalize("NFKD").str.encode("ascii", errors="ignore")  # noqa: E731
                        .str.decode("ascii").str.lower())
    domain = pd.Series(np.array(["orange.fr", "gmail.com", "hotmail.es"], dtype=object)[lang_code], dtype="str")
    email = ascii_(first) + "." + ascii_(last) + "@" + domain
    d = rng.integers(0, 100, (4, m))
    phone_fr = "06 " + _pad(d[0], 2) + " " + _pad(d[1], 2) + " " + _pad(d[2], 2) + " " + _pad(d[3], 2)
    phone_en = "07700 9" + _pad(d[0] * 100 + d[1], 5)
    phone_es = "+34 6" + _pad(d[0], 2) + " " + _pad(d[1] * 10 + d[2] % 10, 3) + " " + _pad(d[3] * 10 + d[0] % 10, 3)
    phone = phone_fr.where(lang_code == 0, phone_en.where(lang_code == 1, phone_es))
    g = rng.integers(0, 10_000, (5, m))
    iban_cc = pd.Series(np.array(["FR76", "GB29", "ES91"], dtype=object)[lang_code], dtype="str")
    iban = iban_cc + " " + _pad(g[0], 4) + " " + _pad(g[1], 4) + " " + _pad(g[2], 4) + " " \
        + _pad(g[3], 4) + " " + _pad(g[4], 4)
    value = (first + " " + last).where(kind == 0, email.where(kind == 1, phone.where(kind == 2, iban)))
    leads = np.array([[_PII_LEAD[lg][k] for k in ("name", "email", "phone", "iban")] for lg in _FIRST],
                     dtype=object)
    lead = pd.Series(leads[lang_code, kind], dtype="str")
    text = text.where(~pii, text + " " + lead + value + ".")
    return np.where(has, text.to_numpy(dtype=object), None)


# -- quality evaluations -----------------------------------------------------------------
# criterion ids and max scores of templates/grids/standard*.yml (grid "standard"), with how
# easy each is to score well on
_GRID = "standard"
_CRITERIA = [("greeting", 4, 0.08), ("tone_courtesy", 4, 0.04), ("clarity", 4, 0.0),
             ("correct_answer", 1, 0.0), ("complete_answer", 4, -0.05), ("tools_records", 4, -0.08),
             ("active_listening", 4, 0.0), ("empathy", 4, -0.05), ("ownership", 4, -0.04),
             ("identity_check", 1, 0.05), ("cultural_practice", 4, 0.02), ("closing", 4, 0.03)]
_EVALUATORS = ["QA01", "QA02", "QA03", "QA04", "QA05"]
_EVALUATOR_BIAS = np.array([0.01, -0.01, -0.13, 0.02, 0.0])   # QA03 is systematically harsher


def generate_evaluations(contacts: pd.DataFrame, agents: pd.DataFrame, cfg: ClientConfig,
                         seed: int = 42, n: int | None = None,
                         bad_share: float = 0.001) -> pd.DataFrame:
    """QA evaluations in long form (one row per criterion) by five evaluators.

    ``n`` evaluated interactions (default ≈ 1.5 per agent-week), sampled among contacts
    handled by an agent with more weight on new agents, the outsourcer and long calls;
    about 10 % are double-scored by a second evaluator (calibration), who agree as real QA
    teams do (interval Krippendorff's alpha ≈ 0.7 on the demo); evaluator ``QA03`` scores
    systematically lower (≈ 13 points below the panel: drifting). Bad rows are planted in
    single-scored evaluations only. Criteria are those of the ``standard`` grid
    (templates/grids): ten scored 0–4 and two pass/fail (``correct_answer``,
    ``identity_check``, max 1). ``bad_share`` of rows score above their max (rejects).

    >>> from cxtoolkit.config import ClientConfig
    >>> cfg = ClientConfig(client="x")
    >>> ag = generate_agents(cfg, n=10, seed=1)
    >>> c = generate_contacts(2_000, cfg, seed=1, agents=ag)
    >>> ev = generate_evaluations(c, ag, cfg, 1, n=20, bad_share=0)
    >>> ev["evaluation_id"].nunique() >= 20, bool((ev["score"] <= ev["max_score"]).all())
    (True, True)
    """
    rng = np.random.default_rng(np.random.SeedSequence([seed, 5]))
    c = contacts
    agent_id = c["agent_id"].astype("str").to_numpy(dtype=object)
    ok = (c["agent_id"].notna().to_numpy() & c["received_at"].notna().to_numpy()
          & ~c["contact_id"].duplicated(keep=False).to_numpy())
    eligible = np.flatnonzero(ok)
    times = c["received_at"].dropna()
    weeks = max(1.0, (times.max() - times.min()).days / 7) if len(times) else 1.0
    if n is None:
        n = int(round(1.5 * len(agents) * weeks))
    n = min(int(n), len(eligible))
    end = times.max() if len(times) else pd.Timestamp(DEFAULT_END)
    a_idx = pd.Index(agents["agent_id"].astype("str"))
    pos = a_idx.get_indexer(agent_id[eligible])
    skill_all = _agent_quality(agents, end)
    new = ((end - agents["hired_on"]).dt.days < 100).to_numpy()
    bpo = (agents["vendor"].astype("str") != "in-house").to_numpy()
    talk = c["talk_s"].to_numpy()[eligible]
    w = (1 + new[pos] + 0.5 * bpo[pos]) * np.where(talk > np.quantile(talk, 0.9) if len(talk) else False, 1.5, 1.0)
    rows = np.sort(rng.choice(eligible, size=n, replace=False, p=w / w.sum())) if n else eligible[:0]
    double = rng.random(n) < 0.10
    ev1 = rng.integers(0, 5, n)
    ev2 = (ev1 + rng.integers(1, 5, n)) % 5
    ctc = np.r_[rows, rows[double]]
    evaluator = np.r_[ev1, ev2[double]]
    # how good the call itself was: the spread between interactions that makes evaluators
    # agree as real QA teams do (Krippendorff's alpha ≈ 0.7 on the double-scored ones)
    call_q = np.r_[rng.normal(0, 0.13, n), np.zeros(int(double.sum()))]
    call_q[n:] = call_q[:n][double]
    k = len(ctc)
    received = c["received_at"].to_numpy()[ctc].astype("datetime64[ns]").astype(np.int64)
    evaluated = (received // _NS_D + rng.integers(1, 11, k)) * _NS_D + rng.integers(9 * 3600, 17 * 3600, k) * _NS_S
    order = np.argsort(evaluated, kind="stable")
    ctc, evaluator, call_q, evaluated = ctc[order], evaluator[order], call_q[order], evaluated[order]
    country = c["country"].astype("str").to_numpy(dtype=object)[ctc]
    skill = skill_all[a_idx.get_indexer(agent_id[ctc])]
    # long form: one row per criterion
    nc = len(_CRITERIA)
    rep = np.repeat(np.arange(k), nc)
    crit = np.tile(np.arange(nc), k)
    max_score = np.array([x[1] for x in _CRITERIA], dtype=float)[crit]
    ease = np.array([x[2] for x in _CRITERIA])[crit]
    p = skill[rep] + ease + _EVALUATOR_BIAS[evaluator[rep]] + call_q[rep]
    noise = rng.normal(0, 1, k * nc)
    # pass/fail (critical) criteria are facts of the call, which evaluators rarely dispute
    fact = skill[rep] + ease + call_q[rep] + 0.3 * _EVALUATOR_BIAS[evaluator[rep]]
    score = np.where(max_score > 1, np.clip(np.round(max_score * (p + 0.1 * noise)), 0, max_score),
                     (fact + 0.03 * noise > 0.55).astype(float))
    out = pd.DataFrame({
        "evaluation_id": _str_ids("EV", np.arange(1, k + 1), max(6, len(str(k))))[rep].reset_index(drop=True),
        "contact_id": c["contact_id"].astype("str").to_numpy()[ctc][rep],
        "agent_id": pd.Categorical(agent_id[ctc][rep]),
        "evaluator_id": _cat(evaluator[rep], _EVALUATORS),
        "evaluated_at": pd.to_datetime(evaluated[rep], unit="ns"),
        "criterion": _cat(crit, [x[0] for x in _CRITERIA]),
        "score": score,
        "max_score": max_score,
        "country": pd.Categorical(country[rep], categories=client_countries(cfg)),
        "grid": pd.Categorical(np.full(k * nc, _GRID)),
    }).astype({"contact_id": "str"})
    nb = _bad_count(len(out), bad_share)
    if nb:   # planted in single-scored evaluations: the calibration sample stays whole
        single = np.flatnonzero(~np.isin(ctc[rep], rows[double]))
        bad = rng.choice(single, size=min(nb, len(single)), replace=False)
        out.iloc[bad, out.columns.get_loc("score")] = out["max_score"].to_numpy()[bad] + 3
    return out


# -- writing a client folder -------------------------------------------------------------
_FRENCH_HEADERS = {"received_at": "Date d'appel", "wait_s": "Durée d'attente (s)", "agent_id": "Agent"}


def _atomic_write(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_french_export(df: pd.DataFrame, path: Path) -> None:
    """Write ``df`` the way a French contact-centre export looks.

    ``;`` separator, comma decimals, ``dd/mm/yyyy hh:mm:ss`` dates, ``oui``/``non`` booleans,
    UTF-8 with BOM and a few French headers (``Date d'appel``, ``Durée d'attente (s)``,
    ``Agent``).
    """
    out = df.rename(columns=_FRENCH_HEADERS)
    for col in ("answered", "resolved"):
        if col in out:
            b = out[col].astype("boolean")
            out[col] = pd.Series(np.where(b.fillna(False), "oui", "non"), index=out.index).where(b.notna(), "")
    _atomic_write(Path(path), lambda tmp: out.to_csv(
        tmp, sep=";", decimal=",", date_format="%d/%m/%Y %H:%M:%S", index=False, encoding="utf-8-sig"))


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    _atomic_write(Path(path), lambda tmp: df.to_csv(tmp, index=False, date_format="%Y-%m-%d %H:%M:%S"))


_DEFAULT_FILES = {"contacts": "contacts.csv", "responses": "responses.csv", "sends": "sends.csv",
                  "evaluations": "evaluations.csv", "agents": "agents.csv"}


def generate_client(folder: Path | str, cfg: ClientConfig | None = None, seed: int | None = None,
                    n_contacts: int | None = None, n_responses: int | None = None,
                    months: int | None = None, force: bool = False) -> dict[str, Path]:
    """Write the demo client's CSVs into ``folder`` (those absent, or all with ``force``).

    Sizes come from the arguments, else from ``client.yml``'s optional ``demo:`` block
    (``contacts``, ``responses``, ``months``, ``seed``, ``end``, ``bad_share``), else
    200 000 contacts, 20 000 answers, 6 months ending 2026-10-31, seed 42. The tables written
    are those named in ``cfg.data`` among contacts, responses, sends, evaluations and agents
    (all five, with default names, when ``cfg.data`` is empty). ``contacts`` is
    written as a French export (see :func:`write_french_export`), the others as plain CSV
    with canonical headers.

    Returns
    -------
    dict
        ``{table: path}`` of each table's file (written now or already there).

    Examples
    --------
    >>> import tempfile
    >>> from cxtoolkit.config import ClientConfig
    >>> d = tempfile.mkdtemp()
    >>> paths = generate_client(d, ClientConfig(client="x", folder=d), n_contacts=500, n_responses=50,
    ...                         months=1)
    >>> sorted(paths)
    ['agents', 'contacts', 'evaluations', 'responses', 'sends']
    """
    folder = Path(folder)
    if cfg is None:
        cfg = load_config(folder / "client.yml")
    if cfg.folder is None:
        cfg = cfg.model_copy(update={"folder": folder.resolve()})
    s = demo_settings(cfg)
    seed = s["seed"] if seed is None else int(seed)
    n_contacts = s["contacts"] if n_contacts is None else int(n_contacts)
    n_responses = s["responses"] if n_responses is None else int(n_responses)
    months = s["months"] if months is None else int(months)
    tables = [t for t in _DEFAULT_FILES if t in cfg.data] or list(_DEFAULT_FILES)
    paths = {t: cfg.data_path(t) if t in cfg.data else folder / _DEFAULT_FILES[t] for t in tables}
    todo = {t for t, p in paths.items() if force or not p.exists()}
    if not todo:
        return paths
    _, last = _period(None, months, s["end"])
    agents = generate_agents(cfg, seed=seed, n_contacts=n_contacts, months=months, end=last)
    contacts = generate_contacts(n_contacts, cfg, seed=seed, months=months, end=s["end"],
                                 agents=agents, bad_share=s["bad_share"])
    if "agents" in todo:
        _write_csv(agents.assign(hired_on=agents["hired_on"].dt.strftime("%Y-%m-%d")), paths["agents"])
    if "contacts" in todo:
        write_french_export(contacts, paths["contacts"])
    if "sends" in todo:
        _write_csv(generate_sends(contacts, cfg, n_responses, seed=seed), paths["sends"])
    if "responses" in todo:
        _write_csv(generate_responses(contacts, cfg, n_responses, seed=seed, agents=agents,
                                      bad_share=s["bad_share"]), paths["responses"])
    if "evaluations" in todo:
        _write_csv(generate_evaluations(contacts, agents, cfg, seed=seed, bad_share=s["bad_share"]),
                   paths["evaluations"])
    return paths
