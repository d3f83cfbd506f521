"""Staffing what-if: from the call peaks in the data to the agents each slot needs.

A low answer rate is rarely a mystery: calls arrive in peaks the rota does not follow. This
module turns the phone contacts into an **arrival profile** (calls per hour for every
weekday × interval of the day, the handling time, the agents seen answering), sizes each
slot with the queueing models of :mod:`cxtoolkit.queueing` (Erlang C for the sizing,
Erlang A — customers who hang up — for the predicted answer rate and abandonment), and
prices the **gap** between the plan and the staffing seen in the data.

Pipeline (pure functions, new frames out)::

    profile = arrival_profile(contacts, interval_min=30)          # data → load per slot
    patience = estimate_patience(contacts)                        # mean patience (s) or None
    plan = staffing_plan(profile, service_level=0.8, within_s=20, shrinkage=0.3,
                         patience_s=patience, hourly_cost=32)     # agents, gap, cost, KPIs
    summary = plan_summary(plan)                                  # per weekday and week
    comment_plan(plan, "fr", currency="EUR")                      # consultant's sentences

Examples
--------
>>> import pandas as pd
>>> c = pd.DataFrame({"channel": ["phone"] * 3,
...                   "received_at": pd.to_datetime(["2026-10-05 09:10", "2026-10-05 09:40",
...                                                  "2026-10-12 09:20"]),
...                   "answered": [True, True, False], "wait_s": [10.0, 30.0, 60.0],
...                   "talk_s": [200.0, 400.0, 0.0], "hold_s": 0.0, "wrap_s": 0.0})
>>> p = arrival_profile(c, interval_min=60, weekday="mon")
>>> len(p), p.loc[9, "interval_start"], float(p.loc[9, "arrivals_per_hour"]), float(p.loc[9, "aht_s"])
(24, '09:00', 1.5, 300.0)
>>> estimate_patience(c)      # (10 + 30 + 60) s of waiting / 1 abandon
100.0
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cxtoolkit import queueing as Q
from cxtoolkit.errors import InputError
from cxtoolkit.findings import Finding, Items, Msg, Num, render_all
from cxtoolkit.messages import text
from cxtoolkit.rules import WEEKDAYS, rests_on, weekday_labels  # WEEKDAYS: codes of the CLI and JSON
from cxtoolkit.rules import answered as is_answered
from cxtoolkit.rules import handle_time
INTERVALS = (15, 30, 60)

#: The contact columns each staffing figure read from the data rests on (as the KPIs'
#: :attr:`cxtoolkit.kpis.registry.Kpi.inputs`: the columns entering its value, not those only
#: choosing its rows): when one is a constant the mapping assumed (``assumed: [answered]``)
#: the figure is not measured — NaN / None, never shown as seen (:func:`unmeasured`, by
#: :func:`cxtoolkit.rules.rests_on`). ``patience_s``: its estimate divides the waits by the
#: abandons, which only the answered flag counts. The load (calls per slot), the AHT (talk,
#: hold, wrap of the answered calls) and the agents seen (answering) rest on measured columns.
INPUTS: dict[str, tuple[str, ...]] = {
    "answered": ("answered",), "answer_rate_seen": ("answered",), "patience_s": ("answered", "wait_s"),
    "aht_s": ("talk_s", "hold_s", "wrap_s"), "agents_seen": ("agent_id",),
}

PROFILE_COLUMNS = ["weekday", "day", "interval_start", "hour", "minute", "interval_min", "days_observed",
                   "calls", "answered", "arrivals_per_hour", "arrivals_per_hour_high", "aht_s",
                   "agents_seen", "answer_rate_seen"]


def day_labels(locale: str | None = "fr") -> tuple[str, ...]:
    """Short weekday names in the locale, Monday first (``("lun", "mar", …)``)."""
    return tuple(weekday_labels(locale).values())


def weekday_index(day: str | int | None) -> int | None:
    """0..6 for ``"mon".."sun"`` (also ``"lundi"``, ``"Monday"``, ``0..6``); None for None.

    >>> weekday_index("Tue"), weekday_index("lundi"), weekday_index(None)
    (1, 0, None)
    >>> weekday_index("xyz")
    Traceback (most recent call last):
    ...
    cxtoolkit.errors.InputError: weekday 'xyz': use mon, tue, wed, thu, fri, sat or sun
    """
    if day is None or day == "":
        return None
    if isinstance(day, (int, np.integer)) and 0 <= int(day) <= 6:
        return int(day)
    s = str(day).strip().lower()[:3]
    if s in WEEKDAYS:
        return WEEKDAYS.index(s)
    french = day_labels("fr")
    if s in french:
        return french.index(s)
    raise InputError("error.staffing.weekday_unknown", day=repr(day))


def check_interval(interval_min: Any) -> int:
    """The interval length in minutes, checked (15, 30 or 60)."""
    try:
        v = int(interval_min)
    except (TypeError, ValueError):
        v = -1
    if v not in INTERVALS or float(interval_min) != v:
        raise InputError("error.staffing.interval_unknown", interval=repr(interval_min))
    return v


def slot_label(weekday: int, start: str, end: str | None = None, locale: str = "fr") -> str:
    """``"lun 09:00–10:00"`` / ``"Mon 09:00"``."""
    day = day_labels(locale)[int(weekday)]
    return f"{day} {start}" + (f"–{end}" if end else "")


# --------------------------------------------------------------------------- data → profile
def unmeasured(assumed) -> list[str]:
    """The staffing figures (:data:`INPUTS`) not measured when the contact columns ``assumed``
    are constants a mapping made up (:meth:`cxtoolkit.io.ClientData.assumed`), by the rule of
    the KPIs (:func:`cxtoolkit.rules.rests_on`).

    >>> unmeasured(["answered"]), unmeasured([])
    (['answered', 'answer_rate_seen', 'patience_s'], [])
    """
    return [k for k, cols in INPUTS.items() if rests_on(cols, assumed)]


def unmeasured_labels(assumed, locale: str | None = "fr") -> list[str]:
    """The labels, in ``locale``, of the staffing figures :func:`unmeasured` (for the note the
    CLI and the staffing page show).

    >>> unmeasured_labels(["answered"], "en")
    ['Answered calls seen', 'Observed answer rate', 'Estimated caller patience']
    """
    return [text(f"staffing.figure.{k}", locale) for k in unmeasured(assumed)]


def _phone(contacts: pd.DataFrame) -> pd.DataFrame:
    if contacts is None:
        raise InputError("error.staffing.no_contacts_table")
    missing = {"channel", "received_at", "answered"} - set(contacts.columns)
    if missing:
        raise InputError("error.staffing.missing_columns", columns=", ".join(sorted(missing)))
    ph = contacts.loc[contacts["channel"].astype("string").eq("phone").fillna(False).to_numpy()]
    return ph.loc[ph["received_at"].notna().to_numpy()]


def _handle_s(ph: pd.DataFrame) -> np.ndarray:
    """Talk + hold + wrap of each call, NaN when none of the three is measured: the KPI AHT's
    rule (:func:`cxtoolkit.rules.handle_time`)."""
    return handle_time(*(ph[c] if c in ph.columns else np.full(len(ph), np.nan)
                         for c in ("talk_s", "hold_s", "wrap_s")))


def arrival_profile(contacts: pd.DataFrame, interval_min: int = 60, weekday: str | int | None = None,
                    percentile: float = 0.9, start: str | pd.Timestamp | None = None,
                    end: str | pd.Timestamp | None = None, assumed=()) -> pd.DataFrame:
    """Phone load per weekday × interval of the day, every interval listed (zeros included).

    Every inbound phone contact counts (``channel == "phone"``, answered or not, short
    abandons included: they all reached the queue).

    Parameters
    ----------
    contacts : DataFrame
        Canonical contacts (``received_at``, ``channel``, ``answered``; ``wait_s``,
        ``talk_s``, ``hold_s``, ``wrap_s``, ``agent_id`` used when present).
    interval_min : {15, 30, 60}
        Interval length.
    weekday : str or int, optional
        Keep one weekday (``"mon"``..``"sun"``); default all seven.
    percentile : float
        Quantile of the per-day counts reported as ``arrivals_per_hour_high`` (0.9: a busy
        week's load).
    start, end : date-like, optional
        First and last day observed (default: the first and last day in the data). Give the
        audit period so a weekday with no call at all still counts.
    assumed : list of str, optional
        Contact columns the mapping filled with an assumed constant
        (:meth:`cxtoolkit.io.ClientData.assumed`): the figures resting on them
        (:func:`unmeasured`: ``answered``, ``answer_rate_seen`` with ``assumed: [answered]``)
        are NaN, not measured.

    Returns
    -------
    DataFrame
        One row per weekday × interval (weekday ascending, then time), columns
        ``weekday`` (0 = Monday), ``day`` (``"mon"``), ``interval_start`` (``"HH:MM"``),
        ``hour``, ``minute``, ``interval_min``, ``days_observed``, ``calls`` (total in the
        data), ``answered``, ``arrivals_per_hour``, ``arrivals_per_hour_high``, ``aht_s``,
        ``agents_seen``, ``answer_rate_seen``.

    Notes
    -----
    * ``arrivals_per_hour`` is the **mean over the weeks observed**: calls of the slot
      divided by the number of that weekday's dates between ``start`` and ``end``
      (``days_observed``) — a week with no call in the slot counts as zero — times
      ``60 / interval_min``. ``arrivals_per_hour_high`` is the ``percentile`` of the
      per-date counts (zeros included), also per hour.
    * ``aht_s`` = mean talk + hold + wrap of the slot's answered calls; the overall AHT of
      answered phone calls when the slot has none (NaN when no call was ever answered).
    * ``agents_seen`` = distinct ``agent_id`` answering in the slot on a date, mean over the
      same dates (NaN when there is no ``agent_id`` column or no agent id at all). It counts
      agents who answered, so it slightly under-states agents logged in but idle.
    * ``answer_rate_seen`` = answered / calls (every call, short abandons included, as the
      Erlang A prediction) — close to, not equal to, the KPI answer rate; NaN for 0 calls.
    * Weekdays with no date between ``start`` and ``end`` are left out.
    """
    interval_min = check_interval(interval_min)
    wd = weekday_index(weekday)
    if not 0 < float(percentile) < 1:
        raise InputError("error.staffing.percentile_range", percentile=repr(percentile))
    ph = _phone(contacts)
    ts = ph["received_at"]
    if start is None and len(ts):
        start = ts.min()
    if end is None and len(ts):
        end = ts.max()
    if start is None or end is None:
        raise InputError("error.staffing.no_phone_contact")
    first, last = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if last < first:
        raise InputError("error.staffing.period_order", start=first.date(), end=last.date())
    n_days = int((last - first).days) + 1
    n_slots = 1440 // interval_min
    keep = ((ts >= first) & (ts < last + pd.Timedelta(days=1))).to_numpy()
    ph, ts = ph.loc[keep], ts.loc[keep]
    day_i = ((ts.dt.normalize() - first).dt.days).to_numpy(np.int64)
    slot_i = ((ts.dt.hour * 60 + ts.dt.minute) // interval_min).to_numpy(np.int64)
    cell = day_i * n_slots + slot_i
    answered = is_answered(ph["answered"])
    counts = np.bincount(cell, minlength=n_days * n_slots).reshape(n_days, n_slots)
    date_dow = (first.day_of_week + np.arange(n_days)) % 7

    handle = _handle_s(ph)
    ok = answered & np.isfinite(handle)
    overall_aht = float(handle[ok].mean()) if ok.any() else np.nan
    wslot = date_dow[day_i] * n_slots + slot_i                 # weekday × slot of each call
    h_sum = np.bincount(wslot[ok], weights=handle[ok], minlength=7 * n_slots)
    h_n = np.bincount(wslot[ok], minlength=7 * n_slots)
    calls_w = np.bincount(wslot, minlength=7 * n_slots)
    ans_w = np.bincount(wslot[answered], minlength=7 * n_slots)
    with np.errstate(invalid="ignore", divide="ignore"):
        aht = np.where(h_n > 0, h_sum / h_n, overall_aht)
        rate_seen = np.where(calls_w > 0, ans_w / calls_w, np.nan)

    agents = None
    if "agent_id" in ph.columns:
        ag = ph["agent_id"].astype("string")
        m = answered & ag.notna().to_numpy()
        if m.any():
            pairs = pd.DataFrame({"cell": cell[m], "agent": ag.to_numpy()[m]}).drop_duplicates()
            agents = np.bincount(pairs["cell"].to_numpy(np.int64),
                                 minlength=n_days * n_slots).reshape(n_days, n_slots)

    scale = 60.0 / interval_min
    days = [d for d in range(7) if (date_dow == d).any() and (wd is None or d == wd)]
    rows = []
    for d in days:                                              # 7 weekdays at most, not data rows
        sel = date_dow == d
        c = counts[sel]
        idx = slice(d * n_slots, (d + 1) * n_slots)
        minutes = np.arange(n_slots) * interval_min
        rows.append(pd.DataFrame({
            "weekday": d, "day": WEEKDAYS[d],
            "interval_start": [f"{m // 60:02d}:{m % 60:02d}" for m in minutes],
            "hour": minutes // 60, "minute": minutes % 60, "interval_min": interval_min,
            "days_observed": int(sel.sum()), "calls": c.sum(axis=0), "answered": ans_w[idx],
            "arrivals_per_hour": c.mean(axis=0) * scale,
            "arrivals_per_hour_high": np.quantile(c, percentile, axis=0) * scale,
            "aht_s": aht[idx],
            "agents_seen": agents[sel].mean(axis=0) if agents is not None else np.nan,
            "answer_rate_seen": rate_seen[idx],
        }))
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in PROFILE_COLUMNS})
    out = pd.concat(rows, ignore_index=True)
    out["day"] = out["day"].astype("string")
    out["interval_start"] = out["interval_start"].astype("string")
    for c in ("weekday", "hour", "minute", "interval_min", "days_observed", "calls", "answered"):
        out[c] = out[c].astype("int64")
    gone = [c for c in unmeasured(assumed) if c in out.columns]
    out = out.assign(**{c: np.nan for c in gone})[PROFILE_COLUMNS]
    if np.isnan(overall_aht):      # why no AHT: what staffing_plan says when the plan needs one
        out.attrs["aht_missing"] = "no_answered_call" if np.isfinite(handle).any() else "no_handling_time"
    return out


def mark_open(profile: pd.DataFrame, hours: dict | list[dict] | None) -> pd.DataFrame:
    """A copy of ``profile`` with ``open``: the slot overlaps the opening hours
    (``{"mon": ("08:30", "19:00"), ...}`` as ``cfg.business_hours``; a list of such tables
    — the client's and each country's — means open when any is open).

    Calls outside opening hours are still counted (they show the demand), but the gap and
    its cost only count open slots: nobody staffs a closed centre.

    >>> p = pd.DataFrame({"weekday": [0, 0, 0, 6], "hour": [8, 9, 19, 10], "minute": 0, "interval_min": 60})
    >>> mark_open(p, {"mon": ("08:30", "19:00")})["open"].tolist()
    [True, True, False, False]
    """
    out = profile.copy()
    if hours is None:
        out["open"] = True
        return out
    tables = hours if isinstance(hours, (list, tuple)) else [hours]
    start = (out["hour"] * 60 + out["minute"]).to_numpy(float)
    end = start + out["interval_min"].to_numpy(float)
    wd = out["weekday"].to_numpy(int)
    is_open = np.zeros(len(out), bool)
    for table in tables:                                           # a few opening-hour tables
        for d, (a, b) in (table or {}).items():
            i = weekday_index(d)
            lo, hi = (sum(int(x) * f for x, f in zip(str(t).split(":"), (60, 1))) for t in (a, b))
            is_open |= (wd == i) & (start < hi) & (end > lo)
    out["open"] = is_open
    return out


def estimate_patience(contacts: pd.DataFrame, assumed=()) -> float | None:
    """Mean customer patience (s) from the phone calls' waits, for Erlang A.

    With exponential patience, the maximum-likelihood estimate of the mean patience from
    censored observations is **total waiting time of every call that waited / number of
    abandons**: an abandoned call's wait is its patience, an answered call's wait is a
    lower bound of it (censored). Calls without ``wait_s`` are ignored.

    Returns None when no call was abandoned (patience cannot be estimated), there is
    no ``wait_s``, or the answered flag is a constant the mapping assumed (``assumed``, see
    :func:`unmeasured`: abandons it made up say nothing of the callers' patience).

    >>> import pandas as pd
    >>> c = pd.DataFrame({"channel": ["phone", "phone", "phone", "chat"], "answered": [True, False, False, False],
    ...                   "wait_s": [40.0, 20.0, 60.0, 500.0],
    ...                   "received_at": pd.to_datetime(["2026-10-05 09:00"] * 4)})
    >>> estimate_patience(c)      # (40 + 20 + 60) / 2 abandons
    60.0
    """
    ph = _phone(contacts)
    if "wait_s" not in ph.columns or "patience_s" in unmeasured(assumed):
        return None
    w = ph["wait_s"].to_numpy(float)
    has = np.isfinite(w)
    abandons = int((~is_answered(ph["answered"]) & has).sum())
    if abandons == 0:
        return None
    total = float(np.clip(w[has], 0, None).sum())
    return total / abandons if total > 0 else None


# --------------------------------------------------------------------------- profile → plan
def staffing_plan(profile: pd.DataFrame, *, service_level: float | None = None, within_s: float = 20.0,
                  max_wait_probability: float | None = None, max_asa_s: float | None = None,
                  max_occupancy: float | None = None, shrinkage: float = 0.0,
                  patience_s: float | None = None, size_with_patience: bool = False,
                  hourly_cost: float | None = None, aht_s: float | None = None,
                  arrivals: str = "arrivals_per_hour", agents_offset: Any = 0,
                  agents: Any = None, locale: str | None = "en") -> pd.DataFrame:
    """Agents needed per slot for the target, the gap with the staffing seen, its cost and
    the KPIs predicted with the seen staffing and with the plan.

    Parameters
    ----------
    profile : DataFrame
        From :func:`arrival_profile` (``arrivals_per_hour``, ``aht_s``, ``agents_seen``,
        ``interval_min``...).
    service_level, within_s, max_wait_probability, max_asa_s, max_occupancy
        Targets passed to :func:`cxtoolkit.queueing.agents_needed` (at least one target).
    shrinkage : float
        Share of paid time not on the phones (breaks, training, absence), in [0, 1).
    patience_s : float, optional
        Mean patience for the Erlang A predictions (answer rate, abandonment). Without
        it the predicted answer rate and abandonment are NaN (Erlang C has no abandon).
    size_with_patience : bool
        Also size with Erlang A (fewer agents: callers who hang up relieve the queue).
        Default False: size with Erlang C (the conservative, textbook sizing).
    hourly_cost : float, optional
        Loaded cost of one paid agent hour; NaN costs without it.
    aht_s : float, optional
        Replaces the measured AHT of every slot.
    arrivals : str
        Load column to size on (``arrivals_per_hour`` or ``arrivals_per_hour_high``).
    agents_offset : int or array-like
        What-if: agents added to (removed from) the plan in every open slot, or per slot
        (one value per profile row), floored at 0 (the ``*_plan`` predictions and costs
        use the offset plan).
    agents : array-like, optional
        What-if: agents on the phones per slot, replacing the search (and the offset).
    locale : {"fr", "en"}
        Unused (kept for callers): the one-line :class:`~cxtoolkit.errors.InputError` when
        slots with calls have no AHT (none given, none measured) is said in the language it
        is shown in; it says what is missing — no handling time at all in the export (a
        ticket export), or no answered call to measure it from.

    Returns
    -------
    DataFrame
        The profile's columns plus ``traffic_erlangs``, ``agents_required`` (on the
        phones), ``agents_scheduled`` (= ceil(agents / (1 − shrinkage))), ``gap``
        (= agents_required − agents_seen; NaN without agents seen, and in slots closed
        according to an ``open`` column, see :func:`mark_open`), ``extra_paid_hours``
        and ``extra_cost`` per week (positive gap / (1 − shrinkage) × interval hours,
        × ``hourly_cost``), ``plan_cost`` (agents scheduled × interval hours × cost; 0 in
        closed slots), and
        the predictions ``p_wait_plan``, ``service_level_plan``, ``asa_s_plan``,
        ``occupancy_plan``, ``answer_rate_plan``, ``abandon_rate_plan`` and, with agents
        seen, ``answer_rate_pred_seen``, ``abandon_rate_pred_seen``, ``service_level_pred_seen``
        (Erlang A on round(agents_seen)).

    Notes
    -----
    The cost of closing the gap counts **paid** hours: adding one agent on the phones for
    an hour takes 1 / (1 − shrinkage) paid hours. The slot occurs once a week (the
    profile is a mean week), so the costs are per week.
    """
    if profile is None or not len(profile):
        return _empty_plan(profile)
    if not 0 <= float(shrinkage) < 1:
        raise InputError("error.staffing.shrinkage_range", shrinkage=repr(shrinkage))
    if hourly_cost is not None and not float(hourly_cost) >= 0:
        raise InputError("error.staffing.hourly_cost_negative", cost=repr(hourly_cost))
    if patience_s is not None and not float(patience_s) > 0:
        raise InputError("error.staffing.patience_positive", patience=repr(patience_s))
    out = profile.copy()
    if aht_s is not None:
        if not float(aht_s) > 0:
            raise InputError("error.staffing.aht_positive", aht=repr(aht_s))
        out["aht_s"] = float(aht_s)
    lam = out[arrivals].to_numpy(float)
    aht = out["aht_s"].to_numpy(float)
    busy = lam > 0
    if (busy & ~(aht > 0)).any():      # what is missing, in the client's language
        raise InputError("error.staffing.no_aht",
                         reason=Msg(f"staffing.no_aht.{profile.attrs.get('aht_missing', 'no_answered_call')}"))
    aht_calc = np.where(aht > 0, aht, 1.0)          # idle slots: any AHT, 0 arrivals need 0 agents
    out["aht_s"] = np.where(aht > 0, aht, np.nan)
    out["traffic_erlangs"] = lam * aht_calc / 3600.0
    if agents is not None:
        need = np.broadcast_to(np.asarray(agents, dtype="int64"), lam.shape).copy()
        if (need < 0).any():
            raise InputError("error.staffing.agents_negative")
    else:
        need = np.asarray(Q.agents_needed(lam, aht_calc, service_level=service_level, within_s=within_s,
                                          max_wait_probability=max_wait_probability, max_asa_s=max_asa_s,
                                          max_occupancy=max_occupancy,
                                          patience_s=patience_s if size_with_patience else None),
                          dtype="int64")
        off = np.broadcast_to(np.asarray(agents_offset, dtype="int64"), lam.shape)
        if off.any():
            need = np.where(busy, np.maximum(need + off, 0), 0)
    out["agents_required"] = need
    out["agents_scheduled"] = np.asarray(Q.with_shrinkage(need, shrinkage), dtype="int64")
    hours = out["interval_min"].to_numpy(float) / 60.0
    seen = out["agents_seen"].to_numpy(float) if "agents_seen" in out.columns else np.full(len(out), np.nan)
    gap = need - seen
    if "open" in out.columns:
        gap = np.where(out["open"].to_numpy(bool), gap, np.nan)
    out["gap"] = gap
    extra = np.where(np.isnan(gap), np.nan, np.clip(gap, 0, None)) / (1 - float(shrinkage)) * hours
    out["extra_paid_hours"] = extra
    cost = np.nan if hourly_cost is None else float(hourly_cost)
    out["extra_cost"] = extra * cost
    plan_cost = out["agents_scheduled"].to_numpy(float) * hours * cost
    if "open" in out.columns:
        plan_cost = np.where(out["open"].to_numpy(bool), plan_cost, 0.0)
    out["plan_cost"] = plan_cost

    pred = predict(lam, aht_calc, need, patience_s, within_s)
    for k, v in pred.items():
        out[f"{k}_plan"] = v
    if np.isfinite(seen).any():
        n_seen = np.where(np.isfinite(seen), np.rint(seen), 0).astype("int64")
        ps = predict(lam, aht_calc, n_seen, patience_s, within_s)
        for k in ("answer_rate", "abandon_rate", "service_level", "asa_s"):
            out[f"{k}_pred_seen"] = np.where(np.isfinite(seen), ps[k], np.nan)
    else:
        for k in ("answer_rate", "abandon_rate", "service_level", "asa_s"):
            out[f"{k}_pred_seen"] = np.nan
    return out


def _empty_plan(profile):
    cols = list(profile.columns) if profile is not None else PROFILE_COLUMNS
    extra = ["traffic_erlangs", "agents_required", "agents_scheduled", "gap", "extra_paid_hours", "extra_cost",
             "plan_cost"]
    extra += [f"{k}_plan" for k in ("p_wait", "service_level", "asa_s", "occupancy", "answer_rate", "abandon_rate")]
    extra += [f"{k}_pred_seen" for k in ("answer_rate", "abandon_rate", "service_level", "asa_s")]
    return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols + [e for e in extra if e not in cols]})


def predict(arrivals_per_hour, aht_s, agents, patience_s: float | None = None,
            within_s: float = 20.0) -> dict[str, np.ndarray]:
    """Queue KPIs for ``agents`` on the phones: ``p_wait``, ``service_level``, ``asa_s``,
    ``occupancy``, ``answer_rate``, ``abandon_rate`` (arrays).

    Erlang A (:func:`cxtoolkit.queueing.erlang_a_metrics`) with ``patience_s``; Erlang C
    without it, where ``answer_rate`` / ``abandon_rate`` are NaN (no abandonment in the
    model). Slots without arrivals: NaN (0/0), occupancy as the queueing module gives it.
    """
    lam = np.asarray(arrivals_per_hour, dtype=float)
    aht = np.asarray(aht_s, dtype=float)
    n = np.asarray(agents, dtype="int64")
    with np.errstate(all="ignore"):
        if patience_s is not None:
            m = Q.erlang_a_metrics(n, lam, aht, float(patience_s), within_s=within_s)
            ans = np.asarray(m["answer_rate"], float)
            ab = np.asarray(m["p_abandon"], float)
        else:
            m = Q.erlang_c_metrics(n, lam, aht, within_s=within_s)
            ans = ab = np.full(np.broadcast(lam, aht, n).shape, np.nan)
    idle = lam <= 0
    out = {"p_wait": np.asarray(m["p_wait"], float), "service_level": np.asarray(m["service_level"], float),
           "asa_s": np.asarray(m["asa_s"], float), "occupancy": np.asarray(m["occupancy"], float),
           "answer_rate": ans, "abandon_rate": ab}
    for k in ("p_wait", "service_level", "asa_s", "answer_rate", "abandon_rate"):
        out[k] = np.where(idle, np.nan, np.broadcast_to(out[k], idle.shape))
    return out


# --------------------------------------------------------------------------- summaries
def _weighted(values, weights):
    v, w = np.asarray(values, float), np.asarray(weights, float)
    ok = np.isfinite(v) & (w > 0)
    return float((v[ok] * w[ok]).sum() / w[ok].sum()) if ok.any() else np.nan


def plan_summary(plan: pd.DataFrame) -> pd.DataFrame:
    """Per weekday (and a ``"week"`` total row): calls a week, agent hours on the phones
    (plan, seen), paid hours of the plan, gap hours, extra cost, and the predicted answer
    rate, abandonment, service level and ASA (weighted by the calls of each slot). With an
    ``open`` column (:func:`mark_open`) the plan's hours and predictions count open slots
    only, as its gap and cost do; calls count every slot (the demand).

    >>> p = pd.DataFrame({"weekday": [0, 0], "day": ["mon", "mon"], "interval_min": [60, 60],
    ...                   "arrivals_per_hour": [10.0, 30.0], "agents_required": [2, 4],
    ...                   "agents_scheduled": [3, 6], "agents_seen": [1.0, 4.0],
    ...                   "extra_paid_hours": [1.5, 0.0], "extra_cost": [48.0, 0.0], "plan_cost": [96.0, 192.0],
    ...                   "answer_rate_plan": [0.9, 0.8], "answer_rate_pred_seen": [0.5, 0.8]})
    >>> s = plan_summary(p)
    >>> s.loc["week", ["calls", "agent_hours", "agent_hours_seen", "extra_cost"]].tolist()
    [40.0, 6.0, 5.0, 48.0]
    >>> round(float(s.loc["week", "answer_rate_plan"]), 3), round(float(s.loc["week", "answer_rate_pred_seen"]), 3)
    (0.825, 0.725)
    """
    if plan is None or not len(plan):
        return pd.DataFrame()
    h = plan["interval_min"].to_numpy(float) / 60.0
    calls = plan["arrivals_per_hour"].to_numpy(float) * h
    # the plan staffs open slots only (:func:`mark_open`), as its gap and cost count them
    staffed = plan["open"].to_numpy(bool) if "open" in plan.columns else np.ones(len(plan), bool)
    frame = pd.DataFrame({"day": plan["day"].astype("string").to_numpy(), "calls": calls,
                          "agent_hours": np.where(staffed, plan["agents_required"].to_numpy(float) * h, 0.0),
                          "paid_hours": np.where(staffed, plan["agents_scheduled"].to_numpy(float) * h, 0.0),
                          "agent_hours_seen": plan["agents_seen"].to_numpy(float) * h
                          if "agents_seen" in plan.columns else np.nan})
    for c in ("extra_paid_hours", "extra_cost", "plan_cost"):
        frame[c] = plan[c].to_numpy(float) if c in plan.columns else np.nan
    rates = [c for c in ("answer_rate_plan", "abandon_rate_plan", "service_level_plan", "asa_s_plan",
                         "answer_rate_pred_seen", "abandon_rate_pred_seen", "service_level_pred_seen",
                         "asa_s_pred_seen", "answer_rate_seen") if c in plan.columns]

    def agg(g: pd.DataFrame, idx) -> dict:
        row = {c: g[c].sum(min_count=1) for c in ("calls", "agent_hours", "paid_hours", "agent_hours_seen",
                                                   "extra_paid_hours", "extra_cost", "plan_cost")}
        for c in rates:
            w = g["calls"].to_numpy(float)
            if c.endswith("_plan"):     # the plan's predictions: over the slots it staffs
                w = w * staffed[plan.index.get_indexer(idx)]
            row[c] = _weighted(plan.loc[idx, c].to_numpy(float), w)
        return row

    order = list(dict.fromkeys(frame["day"].tolist()))
    rows = {d: agg(frame[frame["day"] == d], plan.index[(frame["day"] == d).to_numpy()]) for d in order}
    rows["week"] = agg(frame, plan.index)
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "day"
    return out


def _runs(plan: pd.DataFrame) -> pd.DataFrame:
    """Consecutive slots of one weekday with a positive gap, as runs (vectorised)."""
    p = plan.sort_values(["weekday", "hour", "minute"])
    pos = (p["gap"].to_numpy(float) > 0.5)                      # at least one agent short (rounded)
    wd = p["weekday"].to_numpy()
    new = pos & ~(np.r_[False, pos[:-1]] & np.r_[False, wd[1:] == wd[:-1]])
    run = np.cumsum(new)
    q = p.loc[pos].assign(run=run[pos])
    if q.empty:
        return pd.DataFrame(columns=["weekday", "start", "end", "agents", "extra_cost", "answer_rate_pred_seen",
                                     "answer_rate_plan", "calls"])
    end_min = q["hour"] * 60 + q["minute"] + q["interval_min"]
    q = q.assign(end=[f"{(m // 60) % 24:02d}:{m % 60:02d}" for m in end_min.to_numpy()],
                 w=q["arrivals_per_hour"] * q["interval_min"] / 60.0,
                 ar_seen=q["answer_rate_pred_seen"] * q["arrivals_per_hour"],
                 ar_plan=q["answer_rate_plan"] * q["arrivals_per_hour"])
    g = q.groupby("run", sort=False).agg(weekday=("weekday", "first"), start=("interval_start", "first"),
                                         end=("end", "last"), agents=("gap", "max"),
                                         extra_cost=("extra_cost", "sum"), n_cost=("extra_cost", "count"),
                                         calls=("w", "sum"),
                                         lam=("arrivals_per_hour", "sum"), ar_seen=("ar_seen", "sum"),
                                         ar_plan=("ar_plan", "sum"))
    g["agents"] = np.ceil(g["agents"] - 1e-9).astype("int64")
    g["extra_cost"] = g["extra_cost"].where(g["n_cost"] > 0)    # no hourly cost: no cost, not 0
    g["answer_rate_pred_seen"] = np.where(g["lam"] > 0, g["ar_seen"] / g["lam"], np.nan)
    g["answer_rate_plan"] = np.where(g["lam"] > 0, g["ar_plan"] / g["lam"], np.nan)
    return g.drop(columns=["lam", "ar_seen", "ar_plan", "n_cost"]).reset_index(drop=True)


def plan_findings(plan: pd.DataFrame, locale: str = "fr", *, target: Finding | str | None = None,
                  currency: str = "EUR", top: int = 5) -> list[Finding]:
    """Findings of :func:`comment_plan` (``locale`` names the weekdays of the slots)."""
    if plan is None or not len(plan) or "gap" not in plan.columns:
        return [Finding("staffing.no_load", severity="caveat")]
    if plan["gap"].isna().all():
        return [Finding("staffing.no_agent_id", severity="caveat")]
    runs = _runs(plan)
    if runs.empty:
        return [Finding("staffing.all_staffed", severity="green")]
    has_cost = runs["extra_cost"].notna().any()
    runs = runs.sort_values(["extra_cost" if has_cost else "agents", "calls"], ascending=False)
    out = []
    for r in runs.head(top).itertuples():
        pred = ""
        if np.isfinite(r.answer_rate_pred_seen) and np.isfinite(r.answer_rate_plan):
            pred = Finding("staffing.predicted", {"seen": Num(r.answer_rate_pred_seen, "ratio", {"decimals": 0}),
                                                  "plan": Num(r.answer_rate_plan, "ratio", {"decimals": 0})})
        cost = ""
        if np.isfinite(r.extra_cost):
            cost = Finding("staffing.slot_cost", {"cost": Num(r.extra_cost, "money", {"currency": currency})})
        tgt = Finding("staffing.to_reach", {"target": target}) if target else ""
        key = "staffing.slot_short_one" if r.agents == 1 else "staffing.slot_short"   # +1 agent, +2 agents
        out.append(Finding(key, {"slot": slot_label(r.weekday, r.start, r.end, locale),
                                                   "agents": r.agents, "target": tgt, "predicted": pred,
                                                   "cost": cost}, "priority"))
    total = runs["extra_cost"].sum() if has_cost else np.nan
    hours = plan["extra_paid_hours"].sum() if "extra_paid_hours" in plan.columns else np.nan
    if len(runs) > top:
        out.append(Finding("staffing.more_slots", {"n": len(runs) - top}))
    if np.isfinite(total):
        out.append(Finding("staffing.total", {"hours": f"{hours:.0f}",
                                              "cost": Num(total, "money", {"currency": currency})}))
    elif np.isfinite(hours):                                   # no hourly cost in client.yml: the hours
        out.append(Finding("staffing.total_hours", {"hours": Num(hours, "count")}))
    return out


def comment_plan(plan: pd.DataFrame, locale: str = "fr", *, target_text: str | Finding = "", currency: str = "EUR",
                 top: int = 5) -> list[str]:
    """Consultant's sentences: the slots short of agents (runs of consecutive intervals),
    largest cost first, and the weekly total.

    ``target_text`` names the target in the sentence (e.g. ``"80 % en 20 s"``, or the
    finding of :func:`target_finding`).

    >>> p = pd.DataFrame({"weekday": [0, 0, 0], "hour": [9, 10, 11], "minute": 0, "interval_min": 60,
    ...                   "interval_start": ["09:00", "10:00", "11:00"], "arrivals_per_hour": [60.0, 80.0, 20.0],
    ...                   "gap": [3.2, 4.0, -1.0], "extra_cost": [160.0, 180.0, 0.0],
    ...                   "answer_rate_pred_seen": [0.70, 0.60, 0.95], "answer_rate_plan": [0.95, 0.95, 0.97]})
    >>> comment_plan(p, "fr", target_text="80 % en 20 s")[0]
    'lun 09:00–11:00 : +4 conseillers pour atteindre 80 % en 20 s (décroché prévu 64 % → 95 %), coût 340\xa0€ / semaine'
    >>> comment_plan(p, "en", target_text="80% in 20 s")[0]
    'Mon 09:00–11:00: +4 agents to reach 80% in 20 s (predicted answer rate 64% → 95%), cost €340 / week'
    """
    return render_all(plan_findings(plan, locale, target=target_text, currency=currency, top=top), locale)


# --------------------------------------------------------------------------- targets
def client_plan(cfg, contacts: pd.DataFrame, targets: dict[str, Any], interval_min: int | None = None,
                weekday: str | int | None = None, start=None, end=None, assumed=(), locale: str | None = None,
                **plan_kw) -> tuple[pd.DataFrame, pd.DataFrame, float | None]:
    """The client's staffing plan: arrival profile of ``contacts`` (``interval_min`` default
    ``staffing.interval_min``), opening hours of client.yml, patience (``targets`` or
    estimated from the abandons), then :func:`staffing_plan` with ``targets`` (see
    :func:`targets_from_config`) and the client's hourly cost. ``plan_kw`` go to
    :func:`staffing_plan`. ``assumed``: the contact columns the mapping assumed
    (:meth:`cxtoolkit.io.ClientData.assumed`): with ``answered`` among them the answered
    calls, the answer rate seen and the patience estimate are not measured (NaN / None; a
    patience given in ``targets`` is still used). ``locale`` (default the client's): the
    language of the error saying what is missing when there is no AHT. Returns
    ``(profile, plan, patience_s)``; one pipeline for the CLI, the staffing page and the audit deck.
    """
    profile = arrival_profile(contacts, interval_min=interval_min or cfg.staffing.interval_min, weekday=weekday,
                              start=start, end=end, assumed=assumed)
    profile = mark_open(profile, [cfg.business_hours, *cfg.business_hours_by_country.values()])
    patience = targets["patience_s"] or estimate_patience(contacts, assumed)
    plan = staffing_plan(profile, service_level=targets["service_level"], within_s=targets["within_s"],
                         max_wait_probability=targets["max_wait_probability"], max_asa_s=targets["max_asa_s"],
                         max_occupancy=targets["max_occupancy"], shrinkage=targets["shrinkage"],
                         patience_s=patience, hourly_cost=cfg.staffing.hourly_cost,
                         locale=locale or cfg.locale, **plan_kw)
    return profile, plan, patience


def targets_from_config(cfg, *, service_level: float | None = None, within_s: float | None = None,
                        max_wait_probability: float | None = None, max_asa_s: float | None = None,
                        max_occupancy: float | None = None, shrinkage: float | None = None,
                        patience_s: float | None = None) -> dict[str, Any]:
    """Sizing settings: the given values, the client's for the rest.

    When no target at all is given (``service_level``, ``max_wait_probability``,
    ``max_asa_s``), the client's are used: ``targets.service_level`` (default 0.80) within
    ``kpi.service_level_s`` and ``staffing.max_wait_probability`` / ``max_asa_s`` when set.
    When any is given, only the given ones apply. ``max_occupancy``, ``shrinkage`` and
    ``patience_s`` default to the ``staffing:`` section.

    >>> from cxtoolkit.config import ClientConfig
    >>> t = targets_from_config(ClientConfig(client="x"))
    >>> t["service_level"], t["within_s"], t["max_occupancy"], t["shrinkage"]
    (0.8, 20.0, 0.85, 0.3)
    >>> targets_from_config(ClientConfig(client="x"), max_asa_s=30)["service_level"] is None
    True
    """
    st = cfg.staffing
    given = any(v is not None for v in (service_level, max_wait_probability, max_asa_s))
    if not given:
        service_level = cfg.target("service_level", 0.80)
        max_wait_probability, max_asa_s = st.max_wait_probability, st.max_asa_s
    return {"service_level": service_level,
            "within_s": float(within_s if within_s is not None else cfg.kpi.service_level_s),
            "max_wait_probability": max_wait_probability, "max_asa_s": max_asa_s,
            "max_occupancy": st.max_occupancy if max_occupancy is None else max_occupancy,
            "shrinkage": st.shrinkage if shrinkage is None else shrinkage,
            "patience_s": st.patience_s if patience_s is None else patience_s}


def target_finding(targets: dict[str, Any]) -> Finding:
    """The sizing targets as a finding (the parts given, comma-separated)."""
    parts = []
    if targets.get("service_level") is not None:
        parts.append(Msg("staffing.target.service_level", {
            "share": Num(targets["service_level"], "ratio", {"decimals": 0}), "within": f"{targets['within_s']:g}"}))
    if targets.get("max_wait_probability") is not None:
        parts.append(Msg("staffing.target.max_wait", {
            "share": Num(targets["max_wait_probability"], "ratio", {"decimals": 0})}))
    if targets.get("max_asa_s") is not None:
        parts.append(Msg("staffing.target.max_asa", {"seconds": f"{targets['max_asa_s']:g}"}))
    return Finding("staffing.target.all", {"parts": Items(tuple(parts), sep=", ")})


def target_text(targets: dict[str, Any], locale: str = "fr") -> str:
    """``"80 % en 20 s"`` / ``"80% in 20 s"`` (plus the other targets given).

    >>> target_text({"service_level": 0.8, "within_s": 20.0, "max_asa_s": 30}, "en")
    '80% in 20 s, ASA ≤ 30 s'
    """
    return target_finding(targets).render(locale)
