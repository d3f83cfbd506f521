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
from cxtoolkit.findings import Items, Msg, Num

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
        raise InputError("error.queueing.not_a_number", name=name, value=repr(value)) from None
    bad = np.isnan(arr) | (~np.isfinite(arr) if not allow_inf else np.isneginf(arr))
    if low is not None:
        bad |= (arr <= low) if low_open else (arr < low)
    if high is not None:
        bad |= arr > high
    if bad.any():
        first = arr[bad].flat[0] if arr.ndim else float(arr)
        rule = []
        if low is not None:
            rule.append(Msg("error.queueing.rule_above" if low_open else "error.queueing.rule_at_least",
                            {"low": said_number(low)}))
        if high is not None:
            rule.append(Msg("error.queueing.rule_at_most", {"high": said_number(high)}))
        raise InputError("error.queueing.out_of_range", name=name, got=said_number(first),
                         rule=_And(tuple(rule)) if rule else Msg("error.queueing.rule_finite"))
    return arr


def said_number(x: float) -> Num | str:
    """A number of an error line in the locale (``0,8`` / ``0.8``), as many decimals as it
    has (up to 6); a whole number grouped as a count.

    >>> said_number(0.8).render("fr"), said_number(20.0).render("en"), said_number(-1.25).render("en")
    ('0,8', '20', '-1.25')
    >>> said_number(1e6).render("en"), said_number(1e6).render("fr")
    ('1,000,000', '1\u202f000\u202f000')
    """
    x = float(x)
    if not np.isfinite(x):
        return f"{x:g}"                             # nan, inf: as written
    places = next((d for d in range(7) if abs(round(x, d) - x) < 1e-9 * max(1.0, abs(x))), 6)
    return Num(x, "count") if places == 0 else Num(x, "number", {"decimals": places})


class _And(Items):
    """Rules joined by « et » / "and"."""

    def render(self, locale: str | None) -> str:
        return Msg("error.queueing.rule_and").render(locale).join(r.render(locale) for r in self.items)


def _agents(value, name: str = "agents") -> np.ndarray:
    """Agent counts as int64 (whole numbers ≥ 0)."""
    arr = _floats(value, name, low=0)
    if (arr != np.floor(arr)).any():
        raise InputError("error.queueing.whole_agents", name=name, got=said_number(arr[arr != np.floor(arr)].flat[0]))
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


def _erlang_b_direct(n: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Erlang B as Poisson pmf / cdf in log scale (O(1) per element, ~1e-11 relative).

    ``B(n, a) = P(N = n) / P(N ≤ n)`` for N ~ Poisson(a); the cdf is the regularised
    upper incomplete gamma Q(n + 1, a). Deep overload (cdf below 1e-280) falls back
    to the recursion for those elements.
    """
    from scipy.special import gammaincc, gammaln, xlogy
    nf = n.astype("float64")
    cdf = gammaincc(nf + 1.0, a)
    with np.errstate(divide="ignore", invalid="ignore", under="ignore"):
        b = np.exp(xlogy(nf, a) - a - gammaln(nf + 1.0)) / cdf
    b = np.where(n == 0, 1.0, np.where(a == 0, 0.0, b))
    deep = (cdf < 1e-280) & (n > 0) & (a > 0)
    if deep.any():
        b[deep] = _erlang_b(n[deep], a[deep])
    return np.clip(b, 0.0, 1.0)


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
        raise InputError("error.queueing.shrinkage_below_one")
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
    return InputError("error.queueing.too_many_agents", arrivals=said_number(lam.ravel()[i]), aht=said_number(aht.ravel()[i]),
                      max_agents=max_agents)


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

    Callers who hang up after 2 minutes on average relieve the queue (Erlang A):

    >>> int(agents_needed(200, 180, service_level=0.8, patience_s=120))
    12
    """
    lam = _floats(arrivals_per_hour, "arrivals_per_hour", low=0)
    aht = _floats(aht_s, "aht_s", low=0, low_open=True)
    within = _floats(within_s, "within_s", low=0)
    sl = _rate(service_level, "service_level")
    pw = _rate(max_wait_probability, "max_wait_probability")
    asa = None if max_asa_s is None else _floats(max_asa_s, "max_asa_s", low=0, low_open=True)
    occ = _rate(max_occupancy, "max_occupancy")
    if sl is None and pw is None and asa is None:
        raise InputError("error.queueing.no_target")
    if int(max_agents) < 1:
        raise InputError("error.queueing.max_agents_min", max_agents=max_agents)
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


# --------------------------------------------------------------------------- Erlang A
_GL_X, _GL_W = np.polynomial.legendre.leggauss(48)
_DROP = 40.0      # integrate where the integrand is above e^-40 of its peak


def _gl(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Legendre nodes and weights on [lo, hi], one row per element.

    Two panels split at ``lo + 40``: the factors e^{−s} of the integrands vary on a
    scale of 1 near 0 while e^{h} may decay over hundreds (very impatient callers).
    """
    mid = np.minimum(hi, lo + _DROP)
    nodes, weights = [], []
    for a, b in ((lo, mid), (mid, hi)):
        half = ((b - a) / 2.0)[:, None]
        nodes.append((a + b)[:, None] / 2.0 + half * _GL_X)
        weights.append(half * _GL_W)
    return np.concatenate(nodes, axis=1), np.concatenate(weights, axis=1)


def _a_integrals(x: np.ndarray, y: np.ndarray, st: np.ndarray, want_sl: bool = True,
                 want_asa: bool = True):
    """The Erlang A integrals in the variable s = θ·(offered wait), in log scale.

    With x = nμ/θ, y = λ/θ and h(s) = −x s + y (1 − e^{−s}) (concave, h(0) = 0):
    ``A(x, y) = x ∫_0^∞ e^{h}`` (the Mandelbaum–Zeltyn A function,
    ``x e^y y^{-x} γ(x, y)``); given a wait, the offered wait V has density
    ∝ e^{h(θV)}, the caller is served with probability e^{−θV}. Returns
    ``log A``, P(abandon | wait), P(served within ``st`` = θT | wait) and
    θ·E[wait; served | wait]. Each integral runs over the window where e^{h} is
    within e^{−40} of its peak (found by Newton on the concave h), with
    Gauss–Legendre (two panels of 48 points: 1e-13 against the exact
    birth–death solution), so nothing overflows however many agents or however long the
    patience.
    """
    def h(s):
        return -x[..., None] * s - y[..., None] * np.expm1(-s) if s.ndim == 2 else -x * s - y * np.expm1(-s)

    mode = np.where(y > x, np.log(np.where(y > x, y / x, 1.0)), 0.0)
    top = h(mode)
    curv = np.minimum(x, y)                               # −h''(mode)
    with np.errstate(divide="ignore"):
        lo = np.where(mode > 0, np.maximum(0.0, mode - np.sqrt(2 * _DROP / np.maximum(x, 1e-300))), 0.0)
        hi = mode + np.maximum(_DROP / x, np.sqrt(2 * _DROP / np.maximum(curv, 1e-300)))
    hi = np.minimum(hi, mode + 2 * _DROP / x + 50.0)      # h' ≤ −x/2 past that point
    for _ in range(30):                                   # Newton on h(s) = top − DROP, concave
        g = h(hi) - (top - _DROP)
        slope = -x + y * np.exp(-hi)
        hi = np.maximum(hi - g / slope, mode + 1e-300)
    hi = hi * (1 + 1e-12) + 1e-300
    s, w = _gl(lo, hi)
    e = np.exp(h(s) - top[:, None]) * w
    i0 = e.sum(axis=1)
    p_ab = (-np.expm1(-s) * e).sum(axis=1) / i0
    served_wait = (s * np.exp(-s) * e).sum(axis=1) / i0 if want_asa else np.full(x.shape, np.nan)
    if want_sl:
        sT, wT = _gl(lo, np.clip(st, lo, hi))
        in_t = (np.exp(h(sT) - top[:, None] - sT) * wT).sum(axis=1) / i0
    else:
        in_t = np.full(x.shape, np.nan)
    log_a = np.log(x) + top + np.log(i0)
    return log_a, np.clip(p_ab, 0.0, 1.0), np.clip(in_t, 0.0, 1.0), served_wait


def _a_metrics(n, lam_h, aht, pat, within, b, want_sl=True, want_asa=True):
    """Erlang A metrics on 1-d arrays (validated), ``b`` = Erlang B(n, a).

    ``want_sl`` / ``want_asa`` False skip those integrals (NaN) during the search.
    """
    a = lam_h * aht / 3600.0
    nf = n.astype("float64")
    size = n.shape
    out = {k: np.full(size, np.nan) for k in ("p_wait", "p_abandon", "answer_rate", "service_level",
                                              "asa_s", "occupancy")}
    # no calls: idle agents (model values), or nothing at all (NaN)
    quiet = (lam_h == 0) & (n > 0)
    for k, v in (("p_wait", 0.0), ("p_abandon", 0.0), ("answer_rate", 1.0), ("service_level", 1.0),
                 ("asa_s", 0.0), ("occupancy", 0.0)):
        out[k][quiet] = v
    # calls and no agent: every caller waits and hangs up
    nobody = (lam_h > 0) & (n == 0)
    for k, v in (("p_wait", 1.0), ("p_abandon", 1.0), ("answer_rate", 0.0), ("service_level", 0.0)):
        out[k][nobody] = v
    # infinite patience: Erlang C (overloaded: the fluid limit, 1 − n/a abandon)
    inf = (lam_h > 0) & (n > 0) & np.isinf(pat)
    if inf.any():
        m = _c_metrics(n[inf], lam_h[inf], aht[inf], within[inf], b[inf])
        pab = np.maximum(0.0, 1.0 - nf[inf] / a[inf])
        out["p_wait"][inf], out["service_level"][inf] = m["p_wait"], m["service_level"]
        out["asa_s"][inf], out["p_abandon"][inf], out["answer_rate"][inf] = m["asa_s"], pab, 1.0 - pab
        out["occupancy"][inf] = a[inf] * (1.0 - pab) / nf[inf]
    gen = (lam_h > 0) & (n > 0) & np.isfinite(pat)
    if gen.any():
        theta = 1.0 / pat[gen]
        x = nf[gen] * pat[gen] / aht[gen]
        y = lam_h[gen] * pat[gen] / 3600.0
        log_a, ab_w, in_t, served_wait = _a_integrals(x, y, within[gen] * theta, want_sl, want_asa)
        e = b[gen]
        with np.errstate(divide="ignore"):
            log_r = np.log1p(-e) - np.log(e) - log_a         # (1 − E) / (A E)
        from scipy.special import expit
        pw = expit(-log_r)
        pab = pw * ab_w
        out["p_wait"][gen] = pw
        out["p_abandon"][gen] = pab
        out["answer_rate"][gen] = 1.0 - pab
        out["service_level"][gen] = (1.0 - pw) + pw * in_t
        out["asa_s"][gen] = pw * served_wait / theta / (1.0 - pab)
        out["occupancy"][gen] = a[gen] * (1.0 - pab) / nf[gen]
    return out


def erlang_a_metrics(agents, arrivals_per_hour, aht_s, patience_s, within_s=20.0) -> dict[str, np.ndarray]:
    """Erlang A (M/M/n+M) performance: callers hang up after an exponential patience.

    Parameters
    ----------
    agents : int or array of int
        Agents on the phones (≥ 0).
    arrivals_per_hour, aht_s : float or array
        Calls offered per hour (≥ 0), average handling time in seconds (> 0).
    patience_s : float or array
        Mean patience of callers in seconds (> 0); ``inf`` gives Erlang C. Estimate it
        as (total waiting time of all calls, answered or not) / (number of abandons).
    within_s : float or array
        Service-level threshold T in seconds.

    Returns
    -------
    dict of numpy.ndarray
        All shares are of the calls OFFERED (model: no short-abandon exclusion).

        - ``p_wait``: probability that an arriving call finds every agent busy.
        - ``p_abandon``: share of offered calls that hang up before being answered.
        - ``answer_rate``: ``1 - p_abandon`` (taux de décroché).
        - ``service_level``: share of offered calls ANSWERED within ``within_s``
          (an abandon counts as a failure, whenever it happens) — the toolkit's
          ``service_level`` KPI with ``service_level_formula: offered``.
        - ``asa_s``: mean wait of ANSWERED calls (zero waits included), as the
          ``asa_s`` KPI: E[wait | answered].
        - ``occupancy``: carried traffic / agents = ``a (1 - p_abandon) / n``.

        No calls: p_wait 0, p_abandon 0, answer rate 1, service level 1, ASA 0,
        occupancy 0 (NaN everywhere with 0 agents too). Calls and 0 agents:
        everyone abandons (ASA and occupancy NaN).

    Notes
    -----
    Closed forms of Garnett, Mandelbaum & Reiman (2002) and Mandelbaum & Zeltyn
    (2007): with E the Erlang B of n agents, x = nμ/θ, y = λ/θ, ρ = λ/(nμ) and
    ``A(x, y) = x e^y y^{-x} γ(x, y)``, P(wait) = A E / (1 + (A − 1) E) and
    P(abandon | wait) = 1/(ρA) + 1 − 1/ρ. ``A`` is evaluated as the integral
    ``x ∫_0^∞ exp(−x s + y(1 − e^{−s})) ds`` in log scale (the incomplete-gamma form
    under- or overflows with thousands of agents or long patience); the offered wait
    has density ∝ exp(h(θ v)), which gives the service level and the ASA.

    Examples
    --------
    100 calls of 3 min in the hour with 4 agents (5 Erl!) and 2 minutes of patience:

    >>> m = erlang_a_metrics(4, 100, 180, patience_s=120)
    >>> round(float(m["p_abandon"]), 3), round(float(m["answer_rate"]), 3)
    (0.304, 0.696)
    >>> m = erlang_a_metrics([8, 9], 100, 180, patience_s=120, within_s=20)
    >>> np.round(m["service_level"], 3)
    array([0.92 , 0.962])
    """
    n = _agents(agents)
    lam = _floats(arrivals_per_hour, "arrivals_per_hour", low=0)
    aht = _floats(aht_s, "aht_s", low=0, low_open=True)
    pat = _floats(patience_s, "patience_s", low=0, low_open=True, allow_inf=True)
    within = _floats(within_s, "within_s", low=0)
    n, lam, aht, pat, within = np.broadcast_arrays(n, lam, aht, pat, within)
    shape = n.shape
    flat = [np.ascontiguousarray(v).ravel() for v in (n, lam, aht, pat, within)]
    b = _erlang_b_direct(flat[0], flat[1] * flat[2] / 3600.0)
    out = _a_metrics(*flat, b)
    return {k: v.reshape(shape) for k, v in out.items()}


def _needed_a(lam, aht, within, pat, targets, max_agents):
    """Erlang A search: gallop to a feasible count, then bisect, all intervals at once.

    Every constraint is monotone in the number of agents, so feasibility is too.
    """
    shape = lam.shape
    lam, aht, within, pat = (v.ravel() for v in (lam, aht, within, pat))
    targets = tuple(None if t is None else t.ravel() for t in targets)
    a = lam * aht / 3600.0
    n_out = np.zeros(lam.shape, dtype="int64")
    inf = (lam > 0) & np.isinf(pat)
    if inf.any():
        n_out[inf] = _needed_c(lam[inf], aht[inf], within[inf],
                               tuple(None if t is None else t[inf] for t in targets), max_agents)
    idx = np.flatnonzero((lam > 0) & np.isfinite(pat))

    def feasible(sel, n):
        m = _a_metrics(n, lam[sel], aht[sel], pat[sel], within[sel], _erlang_b_direct(n, a[sel]),
                       want_sl=targets[0] is not None, want_asa=targets[2] is not None)
        return _meets(m, *(None if t is None else t[sel] for t in targets)) & (n >= 1)

    # First guess: the Erlang C count (cheap, usually within a few agents).
    sub = tuple(None if t is None else t[idx] for t in targets)
    try:
        guess = _needed_c(lam[idx], aht[idx], within[idx], sub, max_agents)
    except InputError:
        guess = np.floor(a[idx]) + 1
    guess = np.clip(guess, 1, max_agents).astype("int64")
    ok = feasible(idx, guess)
    lo = np.where(ok, -1, guess)                           # largest count known infeasible
    hi = np.where(ok, guess, -1)                           # smallest count known feasible
    step = np.ones(idx.size, dtype="int64")
    while True:                                            # gallop away from the guess
        down = np.flatnonzero(lo < 0)
        cand = np.maximum(hi[down] - step[down], 0)
        lo[down[cand == 0]] = 0                            # 0 agents never meet a target
        down, cand = down[cand > 0], cand[cand > 0]
        up = np.flatnonzero(hi < 0)
        if down.size == 0 and up.size == 0:
            break
        at_max = lo[up] >= max_agents
        if at_max.any():
            raise _too_many(max_agents, lam[idx[up]], aht[idx[up]], at_max)
        ucand = np.minimum(lo[up] + step[up], max_agents)
        both = np.concatenate([down, up])
        cands = np.concatenate([cand, ucand])
        ok = feasible(idx[both], cands)
        hi[both[ok]] = cands[ok]
        lo[both[~ok]] = cands[~ok]
        step[both] *= 2
    todo = np.flatnonzero(hi - lo > 1)
    while todo.size:                                       # bisect
        mid = (lo[todo] + hi[todo]) // 2
        ok = feasible(idx[todo], mid)
        hi[todo[ok]] = mid[ok]
        lo[todo[~ok]] = mid[~ok]
        todo = todo[hi[todo] - lo[todo] > 1]
    n_out[idx] = hi
    return n_out.reshape(shape)
