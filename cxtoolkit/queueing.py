"""Queueing models for staffing: Erlang B, Erlang C and Erlang A (M/M/n+M).

Turns "how many calls, how long they last" into "how many agents on the phones".
Every function broadcasts over numpy arrays and scalars (one value per interval, say)
and returns numpy arrays (0-d for scalar inputs: use ``float()`` / ``int()``).

Units: arrivals per hour, handling and waiting times in seconds. The offered traffic in
Erlangs is ``arrivals_per_hour * aht_s / 3600``.

Models
------
- **Erlang B** (M/M/n/n): blocked calls are lost; for lines / trunks.
- **Erlang C** (M/M/n): every caller waits as long as needed. Slightly pessimistic
  when callers hang up (it over-states the agents needed) and it cannot predict
  abandonment.
- **Erlang A** (M/M/n+M, Palm's queue): callers hang up after an exponential patience
  of mean ``patience_s``. It predicts the answer rate and the abandonment rate.

Numerical stability: Erlang B uses the recursion
``B(k) = a B(k-1) / (k + a B(k-1))`` (no factorials, exact to rounding for
thousands of agents), Erlang C is derived from B, and Erlang A integrals are
evaluated in log space (see :func:`erlang_a_metrics`).

Examples
--------
>>> round(float(erlang_b(10, 5.0)), 5)
0.01838
>>> round(float(erlang_c(10, 8.0)), 4)
0.4092
>>> int(agents_needed(200, 180, service_level=0.80, within_s=20))
14
>>> int(with_shrinkage(14, 0.30))
20
"""
from __future__ import annotations

import numpy as np

from cxtoolkit.errors import InputError

__all__ = ["erlang_b", "erlang_c", "erlang_c_metrics", "erlang_a_metrics",
           "agents_needed", "with_shrinkage", "traffic_erlangs", "TOLERANCE"]

#: Slack used when comparing a metric with a target (0.7999999999 meets 80 %).
TOLERANCE = 1e-9


# --------------------------------------------------------------------------- inputs
def _floats(value, name: str, *, low: float | None = None, low_open: bool = False,
            high: float | None = None, allow_inf: bool = False) -> np.ndarray:
    """``value`` as a float64 array, checked; InputError naming ``name`` otherwise."""
    try:
        arr = np.asarray(value, dtype="float64")
    except (TypeError, ValueError):
        raise InputError(f"{name}: not a number ({value!r})") from None
    bad = np.isnan(arr) | (~np.isfinite(arr) if not allow_inf else np.isneginf(arr))
    if low is not None:
        bad |= (arr <= low) if low_open else (arr < low)
    if high is not None:
        bad |= arr > high
    if bad.any():
        first = arr[bad].flat[0] if arr.ndim else float(arr)
        rule = []
        if low is not None:
            rule.append(f"{'>' if low_open else '≥'} {low:g}")
        if high is not None:
            rule.append(f"≤ {high:g}")
        rule_text = " and ".join(rule) if rule else "a finite number"
        raise InputError(f"{name}: must be {rule_text} (got {first:g})")
    return arr


def _agents(value, name: str = "agents") -> np.ndarray:
    """Agent counts as int64 (whole numbers ≥ 0)."""
    arr = _floats(value, name, low=0)
    if (arr != np.floor(arr)).any():
        raise InputError(f"{name}: must be whole numbers of agents (got {arr[arr != np.floor(arr)].flat[0]:g})")
    return arr.astype("int64")


def _rate(value, name: str) -> np.ndarray | None:
    """A target share in (0, 1], or None."""
    if value is None:
        return None
    return _floats(value, name, low=0, low_open=True, high=1)


def traffic_erlangs(arrivals_per_hour, aht_s) -> np.ndarray:
    """Offered traffic in Erlangs: ``arrivals_per_hour * aht_s / 3600``.

    >>> float(traffic_erlangs(120, 300))
    10.0
    """
    lam = _floats(arrivals_per_hour, "arrivals_per_hour", low=0)
    aht = _floats(aht_s, "aht_s", low=0, low_open=True)
    return lam * aht / 3600.0


# --------------------------------------------------------------------------- Erlang B / C
def _erlang_b(n: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Erlang B by recursion, vectorised; ``n`` int64 ≥ 0 and ``a`` ≥ 0, same shape."""
    b = np.ones(np.broadcast_shapes(n.shape, a.shape))
    n, a = np.broadcast_arrays(n, a)
    top = int(n.max(initial=0))
    if top == 0:
        return b
    # Sorted by agents, so the elements still climbing at step k are a tail slice.
    order = np.argsort(n, axis=None, kind="stable")
    flat_n, flat_a = n.ravel()[order], a.ravel()[order]
    out = np.ones(flat_n.shape)
    starts = np.searchsorted(flat_n, np.arange(1, top + 1), side="left")
    for k, start in zip(range(1, top + 1), starts):
        cur = out[start:]
        ab = flat_a[start:] * cur
        cur[...] = ab / (k + ab)
    res = np.empty(flat_n.shape)
    res[order] = out
    return res.reshape(b.shape)


def erlang_b(agents, traffic) -> np.ndarray:
    """Blocking probability of ``agents`` lines offered ``traffic`` Erlangs (Erlang B).

    Parameters
    ----------
    agents : int or array of int
        Servers (lines, agents), ≥ 0.
    traffic : float or array
        Offered traffic in Erlangs, ≥ 0.

    Returns
    -------
    numpy.ndarray
        Share of calls blocked; 1.0 with 0 lines; 0.0 with no traffic and ≥ 1 line.

    Examples
    --------
    >>> round(float(erlang_b(5, 2.0)), 5)
    0.0367
    >>> np.round(erlang_b([1, 2, 10], 5.0), 5)
    array([0.83333, 0.67568, 0.01838])
    """
    n = _agents(agents)
    a = _floats(traffic, "traffic", low=0)
    return _erlang_b(n, a)


def _erlang_c_from_b(n: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        c = n * b / (n - a * (1.0 - b))
    return np.where(n > a, np.clip(c, 0.0, 1.0), 1.0)


def erlang_c(agents, traffic) -> np.ndarray:
    """Probability that a call waits (Erlang C); 1.0 when ``agents`` ≤ ``traffic``.

    Computed from Erlang B: ``C = n B / (n - a (1 - B))``.

    Examples
    --------
    >>> round(float(erlang_c(10, 8.0)), 4)
    0.4092
    >>> np.round(erlang_c([8, 11, 14], 10.0), 4)
    array([1.    , 0.6821, 0.1741])
    """
    n = _agents(agents)
    a = _floats(traffic, "traffic", low=0)
    n, a = np.broadcast_arrays(n, a)
    return _erlang_c_from_b(n, a, _erlang_b(n, a))


def _c_metrics(n, lam_h, aht, within, b):
    """Erlang C metrics from B (all arrays broadcast already)."""
    a = lam_h * aht / 3600.0
    nf = n.astype("float64")
    c = _erlang_c_from_b(n, a, b)
    stable = nf > a
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        sl = 1.0 - c * np.exp(-(nf - a) * within / aht)
        asa = c * aht / (nf - a)
        occ = np.minimum(1.0, a / nf)
    sl = np.where(stable, sl, 0.0)
    asa = np.where(stable, asa, np.inf)
    occ = np.where(n == 0, np.nan, occ)
    idle = (lam_h == 0) & (n == 0)          # no calls and no agents: nothing to measure
    nan = np.nan
    return {"p_wait": np.where(idle, nan, c), "service_level": np.where(idle, nan, sl),
            "asa_s": np.where(idle, nan, asa), "occupancy": occ}


def erlang_c_metrics(agents, arrivals_per_hour, aht_s, within_s=20.0) -> dict[str, np.ndarray]:
    """Erlang C (no abandonment) performance of ``agents`` for a call load.

    Parameters
    ----------
    agents : int or array of int
        Agents on the phones (≥ 0).
    arrivals_per_hour : float or array
        Calls offered per hour (≥ 0).
    aht_s : float or array
        Average handling time in seconds (> 0).
    within_s : float or array
        Service-level threshold T in seconds (≥ 0).

    Returns
    -------
    dict of numpy.ndarray
        ``p_wait``: probability that a call waits (1 when agents ≤ traffic);
        ``service_level``: P(wait ≤ within_s) = ``1 - C exp(-(n - a) T / AHT)``, 0 when
        unstable; ``asa_s``: mean wait of all calls = ``C AHT / (n - a)``, inf when
        unstable; ``occupancy``: ``min(1, a / n)``, NaN with 0 agents. With no calls and
        no agents every value is NaN (0/0). With no calls and ≥ 1 agent: 0, 1, 0, 0.

    Examples
    --------
    The classic example: 100 calls per half hour, 3-minute calls, 80 % within 20 s.

    >>> m = erlang_c_metrics([13, 14], 200, 180, within_s=20)
    >>> np.round(m["service_level"], 3)
    array([0.796, 0.888])
    >>> np.round(m["asa_s"], 1)
    array([17.1,  7.8])
    >>> np.round(m["occupancy"], 3)
    array([0.769, 0.714])
    """
    n = _agents(agents)
    lam = _floats(arrivals_per_hour, "arrivals_per_hour", low=0)
    aht = _floats(aht_s, "aht_s", low=0, low_open=True)
    within = _floats(within_s, "within_s", low=0)
    n, lam, aht, within = np.broadcast_arrays(n, lam, aht, within)
    a = lam * aht / 3600.0
    return _c_metrics(n, lam, aht, within, _erlang_b(n, a))


def with_shrinkage(agents, shrinkage) -> np.ndarray:
    """Agents to schedule so that ``agents`` are on the phones: ``ceil(agents / (1 - shrinkage))``.

    Shrinkage is the share of paid time not spent on the phones (breaks, training,
    absence), in [0, 1). A 1e-9 slack absorbs floating-point noise (7 / 0.7 is 10).

    >>> with_shrinkage([0, 7, 14], 0.30)
    array([ 0, 10, 20])
    """
    n = _agents(agents)
    s = _floats(shrinkage, "shrinkage", low=0, high=1)
    if (s >= 1).any():
        raise InputError("shrinkage: must be < 1 (the share of paid time off the phones)")
    return np.maximum(np.ceil(n / (1.0 - s) - 1e-9), 0).astype("int64")


# --------------------------------------------------------------------------- search
def _meets(m: dict, service_level, max_wait_probability, max_asa_s, max_occupancy) -> np.ndarray:
    """True where the metrics meet every given constraint (NaN never meets)."""
    ok = np.ones(np.shape(m["p_wait"]), dtype=bool)
    if service_level is not None:
        ok &= m["service_level"] >= service_level - TOLERANCE
    if max_wait_probability is not None:
        ok &= m["p_wait"] <= max_wait_probability + TOLERANCE
    if max_asa_s is not None:
        ok &= m["asa_s"] <= max_asa_s * (1 + TOLERANCE)
    if max_occupancy is not None:
        ok &= m["occupancy"] <= max_occupancy + TOLERANCE
    return ok


def _too_many(max_agents: int, lam, aht, where) -> InputError:
    i = np.flatnonzero(where.ravel())[0]
    return InputError(f"arrivals_per_hour: {lam.ravel()[i]:g} calls/h of {aht.ravel()[i]:g} s need "
                      f"more than max_agents={max_agents} agents for the target")


def _needed_c(lam, aht, within, targets, max_agents):
    """Erlang C search: scan upward from a lower bound, all unsatisfied intervals at once."""
    a = lam * aht / 3600.0
    busy = lam > 0
    # Stability (n > a) is always required; the occupancy cap gives a / cap.
    n = np.where(busy, np.floor(a) + 1, 0)
    if targets[3] is not None:
        n = np.maximum(n, np.where(busy, np.floor(a / targets[3] - 1e-9), 0))
    n = np.minimum(n, max_agents).astype("int64")
    b = _erlang_b(n, a)
    todo = busy.copy()
    while True:
        idx = np.flatnonzero(todo)
        if idx.size == 0:
            break
        ni, ai = n[idx], a[idx]
        m = _c_metrics(ni, lam[idx], aht[idx], within[idx], b[idx])
        ok = _meets(m, *(None if t is None else t[idx] for t in targets)) & (ni > ai)
        stuck = ~ok & (ni >= max_agents)
        if stuck.any():
            raise _too_many(max_agents, lam[idx], aht[idx], stuck)
        todo[idx[ok]] = False
        grow = idx[~ok]
        n[grow] += 1
        ab = a[grow] * b[grow]
        b[grow] = ab / (n[grow] + ab)
    return n


def agents_needed(arrivals_per_hour, aht_s, *, service_level=None, within_s=20.0,
                  max_wait_probability=None, max_asa_s=None, max_occupancy=None,
                  patience_s=None, max_agents=10_000) -> np.ndarray:
    """Fewest agents on the phones meeting EVERY given target, per interval.

    Erlang C without ``patience_s`` (the queue must also be stable: agents > traffic);
    Erlang A (:func:`erlang_a_metrics`) when ``patience_s`` is given.

    Parameters
    ----------
    arrivals_per_hour, aht_s : float or array
        Calls offered per hour (≥ 0) and average handling time in seconds (> 0).
    service_level : float, optional
        Target share of calls answered within ``within_s`` seconds, in (0, 1].
    within_s : float
        Service-level threshold in seconds.
    max_wait_probability : float, optional
        Highest acceptable probability of waiting, in (0, 1].
    max_asa_s : float, optional
        Highest acceptable average speed of answer, seconds (> 0).
    max_occupancy : float, optional
        Occupancy cap in (0, 1] (agents burn out above ~85 %). Not a target on its own.
    patience_s : float or array, optional
        Mean caller patience (s) for Erlang A.
    max_agents : int
        Search limit; InputError when a target needs more.

    Returns
    -------
    numpy.ndarray of int64
        0 where there are no calls.

    Raises
    ------
    InputError
        Negative arrivals, AHT ≤ 0, shares outside (0, 1], no target at all.

    Examples
    --------
    >>> agents_needed([0, 100, 200], 180, service_level=0.8, within_s=20)
    array([ 0,  8, 14])
    >>> int(agents_needed(200, 180, service_level=0.8, max_occupancy=0.6))
    17
    >>> int(agents_needed(200, 180, max_asa_s=30))
    13
    """
    lam = _floats(arrivals_per_hour, "arrivals_per_hour", low=0)
    aht = _floats(aht_s, "aht_s", low=0, low_open=True)
    within = _floats(within_s, "within_s", low=0)
    sl = _rate(service_level, "service_level")
    pw = _rate(max_wait_probability, "max_wait_probability")
    asa = None if max_asa_s is None else _floats(max_asa_s, "max_asa_s", low=0, low_open=True)
    occ = _rate(max_occupancy, "max_occupancy")
    if sl is None and pw is None and asa is None:
        raise InputError("target: give a service level (service_level, within_s), "
                         "max_wait_probability or max_asa_s")
    if int(max_agents) < 1:
        raise InputError(f"max_agents: must be ≥ 1 (got {max_agents})")
    if patience_s is not None:
        pat = _floats(patience_s, "patience_s", low=0, low_open=True, allow_inf=True)
        shape = np.broadcast_shapes(lam.shape, aht.shape, within.shape, pat.shape,
                                    *(np.shape(t) for t in (sl, pw, asa, occ) if t is not None))
        return _needed_a(*(np.array(np.broadcast_to(v, shape)) for v in (lam, aht, within, pat)),
                         tuple(None if t is None else np.array(np.broadcast_to(t, shape)) for t in (sl, pw, asa, occ)),
                         int(max_agents))
    shape = np.broadcast_shapes(lam.shape, aht.shape, within.shape,
                                *(np.shape(t) for t in (sl, pw, asa, occ) if t is not None))
    lam, aht, within = (np.array(np.broadcast_to(v, shape)) for v in (lam, aht, within))
    targets = tuple(None if t is None else np.array(np.broadcast_to(t, shape)) for t in (sl, pw, asa, occ))
    flat = _needed_c(lam.ravel(), aht.ravel(), within.ravel(),
                     tuple(None if t is None else t.ravel() for t in targets), int(max_agents))
    return flat.reshape(shape)


def _needed_a(lam, aht, within, pat, targets, max_agents):  # pragma: no cover - next commit
    raise InputError("patience_s: Erlang A search not available yet")


def erlang_a_metrics(agents, arrivals_per_hour, aht_s, patience_s, within_s=20.0):  # pragma: no cover
    """Erlang A metrics (next commit)."""
    raise NotImplementedError
