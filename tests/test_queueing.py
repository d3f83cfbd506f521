"""Queueing models: known answers (published tables, exact rational arithmetic, an
independent birth–death solution, a seeded simulation) and monotonicity properties."""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxtoolkit import queueing as q
from cxtoolkit.errors import InputError


# --------------------------------------------------------------------------- exact references
def exact_b(n: int, a: Fraction) -> Fraction:
    """Erlang B from its definition with factorials, in exact rationals."""
    terms = [a**k / math.factorial(k) for k in range(n + 1)]
    return terms[-1] / sum(terms)


def exact_c(n: int, a: Fraction) -> Fraction:
    """Erlang C from its textbook definition (a^n/n! · n/(n−a) over the sum), exact."""
    assert n > a
    top = a**n / math.factorial(n) * Fraction(n) / (n - a)
    return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)


# --------------------------------------------------------------------------- Erlang B
@pytest.mark.parametrize("n, a, published", [
    (10, 5.0, 0.01838),   # Erlang B table: 10 lines, 5 Erl
    (5, 2.0, 0.03670),    # 5 lines, 2 Erl
    (1, 1.0, 0.5),
    (2, 1.0, 0.2),        # (1/2) / (1 + 1 + 1/2)
])
def test_erlang_b_published(n, a, published):
    assert float(q.erlang_b(n, a)) == pytest.approx(published, abs=5e-6)


@pytest.mark.parametrize("n, a", [(1, Fraction(3, 2)), (7, Fraction(9, 2)), (30, Fraction(51, 2)),
                                  (120, Fraction(200)), (300, Fraction(2805, 10))])
def test_erlang_b_matches_exact_rationals(n, a):
    assert float(q.erlang_b(n, float(a))) == pytest.approx(float(exact_b(n, a)), rel=1e-11)


def test_erlang_b_edges_and_broadcasting():
    assert float(q.erlang_b(0, 3.0)) == 1.0
    assert float(q.erlang_b(4, 0.0)) == 0.0
    out = q.erlang_b([[1], [2]], [1.0, 2.0, 3.0])
    assert out.shape == (2, 3)
    assert out[0, 0] == pytest.approx(0.5) and out[1, 1] == pytest.approx(float(exact_b(2, Fraction(2))))


def test_erlang_b_large_centre_no_overflow():
    # 5,000 agents: factorials would overflow; the recursion stays finite and in (0, 1).
    b = q.erlang_b([5000, 5000, 100], [4800.0, 6000.0, 10_000.0])
    assert np.isfinite(b).all() and ((b > 0) & (b < 1)).all()
    # heavy overload: B → 1 − n/a
    assert b[2] == pytest.approx(1 - 100 / 10_000, abs=2e-4)


# --------------------------------------------------------------------------- Erlang C
@pytest.mark.parametrize("n, a, published", [
    (10, 8.0, 0.4092),   # textbook: 10 agents, 8 Erl
    (11, 10.0, 0.6821),  # 100 calls / 30 min of 3 min: 11 agents
    (14, 10.0, 0.1741),
])
def test_erlang_c_published(n, a, published):
    assert float(q.erlang_c(n, a)) == pytest.approx(published, abs=5e-5)


@pytest.mark.parametrize("n, a", [(2, Fraction(1)), (10, Fraction(8)), (45, Fraction(803, 20)),
                                  (250, Fraction(2401, 10))])
def test_erlang_c_matches_exact_rationals(n, a):
    assert float(q.erlang_c(n, float(a))) == pytest.approx(float(exact_c(n, a)), rel=1e-10)


def test_erlang_c_unstable_is_one():
    np.testing.assert_array_equal(q.erlang_c([3, 5, 6], 5.0), [1.0, 1.0, float(q.erlang_c(6, 5.0))])
    assert float(q.erlang_c(6, 5.0)) < 1


def test_erlang_c_metrics_known_answer_by_hand():
    # 200 calls/h of 180 s = 10 Erl, 14 agents: SL = 1 − C e^{−(14−10)·20/180}, ASA = C·180/4
    c = float(exact_c(14, Fraction(10)))
    m = q.erlang_c_metrics(14, 200, 180, within_s=20)
    assert float(m["p_wait"]) == pytest.approx(c, rel=1e-12)
    assert float(m["service_level"]) == pytest.approx(1 - c * math.exp(-80 / 180), rel=1e-12)
    assert float(m["asa_s"]) == pytest.approx(c * 45, rel=1e-12)
    assert float(m["occupancy"]) == pytest.approx(10 / 14)


def test_erlang_c_metrics_edges():
    m = q.erlang_c_metrics([0, 0, 3, 5], [0, 10, 0, 60], 300)
    assert np.isnan(m["p_wait"][0]) and np.isnan(m["service_level"][0]) and np.isnan(m["asa_s"][0])
    assert np.isnan(m["occupancy"][:2]).all()
    assert (m["p_wait"][1], m["service_level"][1], m["asa_s"][1]) == (1.0, 0.0, np.inf)
    assert (m["p_wait"][2], m["service_level"][2], m["asa_s"][2], m["occupancy"][2]) == (0, 1, 0, 0)
    assert m["occupancy"][3] == pytest.approx(1.0)     # 5 Erl on 5 agents, unstable: capped at 1
    assert m["asa_s"][3] == np.inf


# --------------------------------------------------------------------------- search (Erlang C)
def test_agents_needed_classic_example():
    # 100 calls per 30 minutes, AHT 3 min, 80 % in 20 s → 14 agents (13 give 79.6 %)
    assert int(q.agents_needed(200, 180, service_level=0.8, within_s=20)) == 14
    assert int(q.agents_needed(200, 180, service_level=0.79, within_s=20)) == 13


def test_agents_needed_zero_arrivals_and_shapes():
    out = q.agents_needed(np.array([[0.0, 100.0], [200.0, 0.0]]), 180, service_level=0.8)
    assert out.dtype == np.int64 and out.shape == (2, 2)
    np.testing.assert_array_equal(out, [[0, 8], [14, 0]])
    assert int(q.agents_needed(0, 300, max_asa_s=10)) == 0


def test_agents_needed_each_constraint_binds():
    base = int(q.agents_needed(200, 180, service_level=0.8))
    assert int(q.agents_needed(200, 180, service_level=0.8, max_occupancy=0.6)) == 17  # ceil(10 / 0.6)
    assert int(q.agents_needed(200, 180, service_level=0.8, max_occupancy=0.9)) == base
    # max probability of waiting: 14 agents wait 17.4 %, 13 wait 28.5 %
    assert int(q.agents_needed(200, 180, max_wait_probability=0.2)) == 14
    assert int(q.agents_needed(200, 180, max_wait_probability=0.2, service_level=0.95)) > 14
    # occupancy exactly at the cap is allowed (8.5 Erl on 10 agents = 85 %)
    assert int(q.agents_needed(170, 180, max_wait_probability=1.0, max_occupancy=0.85)) == 10


def test_agents_needed_requires_stable_queue():
    # p_wait ≤ 1 holds for any count; the queue must still be stable: n > a
    assert int(q.agents_needed(3600, 36, max_wait_probability=1.0)) == 37


@pytest.mark.parametrize("kwargs, name", [
    (dict(arrivals_per_hour=-1, aht_s=300, service_level=0.8), "arrivals_per_hour"),
    (dict(arrivals_per_hour=float("nan"), aht_s=300, service_level=0.8), "arrivals_per_hour"),
    (dict(arrivals_per_hour=10, aht_s=0, service_level=0.8), "aht_s"),
    (dict(arrivals_per_hour=10, aht_s=300, service_level=1.2), "service_level"),
    (dict(arrivals_per_hour=10, aht_s=300, service_level=0), "service_level"),
    (dict(arrivals_per_hour=10, aht_s=300, max_wait_probability=-0.1), "max_wait_probability"),
    (dict(arrivals_per_hour=10, aht_s=300, max_asa_s=0), "max_asa_s"),
    (dict(arrivals_per_hour=10, aht_s=300, service_level=0.8, max_occupancy=1.5), "max_occupancy"),
    (dict(arrivals_per_hour=10, aht_s=300, service_level=0.8, within_s=-5), "within_s"),
    (dict(arrivals_per_hour=10, aht_s=300), "target"),
    (dict(arrivals_per_hour=10, aht_s=300, max_occupancy=0.8), "target"),
    (dict(arrivals_per_hour=10, aht_s="x", service_level=0.8), "aht_s"),
    (dict(arrivals_per_hour=1e6, aht_s=300, service_level=0.8, max_agents=500), "arrivals_per_hour"),
])
def test_agents_needed_invalid_inputs(kwargs, name):
    with pytest.raises(InputError) as err:
        q.agents_needed(**kwargs)
    msg = str(err.value)
    assert msg.startswith(name) and "\n" not in msg


def test_invalid_agents_and_shrinkage():
    with pytest.raises(InputError, match="^agents"):
        q.erlang_c(2.5, 1.0)
    with pytest.raises(InputError, match="^agents"):
        q.erlang_c_metrics(-1, 10, 300)
    with pytest.raises(InputError, match="^shrinkage"):
        q.with_shrinkage(10, 1.0)
    with pytest.raises(InputError, match="^shrinkage"):
        q.with_shrinkage(10, -0.1)


def test_with_shrinkage():
    np.testing.assert_array_equal(q.with_shrinkage([0, 1, 7, 14, 15], 0.30), [0, 2, 10, 20, 22])
    np.testing.assert_array_equal(q.with_shrinkage([5, 5], [0.0, 0.5]), [5, 10])
    assert q.with_shrinkage(3, 0.2).dtype == np.int64


# --------------------------------------------------------------------------- properties (Erlang C)
loads = st.tuples(st.floats(1, 3000), st.floats(30, 900), st.floats(0, 120))


@settings(max_examples=60, deadline=None)
@given(load=loads, extra=st.integers(0, 40))
def test_more_agents_never_worsen_erlang_c(load, extra):
    lam, aht, within = load
    a = lam * aht / 3600
    n = np.arange(max(1, int(a) - 3), int(a) + 5 + extra)
    m = q.erlang_c_metrics(n, lam, aht, within)
    assert (np.diff(m["p_wait"]) <= 1e-12).all()
    assert (np.diff(m["service_level"]) >= -1e-12).all()
    assert (np.diff(m["asa_s"][np.isfinite(m["asa_s"])]) <= 1e-9).all()
    assert (np.diff(m["occupancy"]) <= 0).all()


@settings(max_examples=60, deadline=None)
@given(load=loads, sl=st.floats(0.5, 0.99), cap=st.one_of(st.none(), st.floats(0.5, 1.0)))
def test_agents_needed_minimal_erlang_c(load, sl, cap):
    lam, aht, within = load
    n = int(q.agents_needed(lam, aht, service_level=sl, within_s=within, max_occupancy=cap))
    ok = q._meets(q.erlang_c_metrics([n - 1, n], lam, aht, within), sl, None, None, cap)
    a = lam * aht / 3600
    assert ok[1] and n > a
    assert not ok[0] or n - 1 <= a
    if cap is not None:
        assert a / n <= cap + q.TOLERANCE


@settings(max_examples=40, deadline=None)
@given(load=loads, asa=st.floats(1, 120), pw=st.floats(0.05, 0.9))
def test_agents_needed_minimal_asa_and_wait(load, asa, pw):
    lam, aht, within = load
    n = int(q.agents_needed(lam, aht, max_asa_s=asa, max_wait_probability=pw))
    m = q.erlang_c_metrics([n - 1, n], lam, aht)
    ok = q._meets(m, None, pw, asa, None) & (np.array([n - 1, n]) > lam * aht / 3600)
    assert ok[1] and not ok[0]


def test_agents_needed_vectorised_equals_scalar():
    lam = np.array([0, 15, 120, 900, 2400.0])
    aht = np.array([200, 240, 300, 320, 400.0])
    vec = q.agents_needed(lam, aht, service_level=0.8, within_s=20, max_occupancy=0.85)
    one = [int(q.agents_needed(x, y, service_level=0.8, within_s=20, max_occupancy=0.85)) for x, y in zip(lam, aht)]
    np.testing.assert_array_equal(vec, one)


# --------------------------------------------------------------------------- Erlang A references
def birth_death_a(n, arrivals_per_hour, aht_s, patience_s, within_s, extra=200):
    """M/M/n+M solved directly: the birth–death chain on 0..n+extra callers.

    p_wait = P(k ≥ n) (PASTA), p_abandon = θ E[queue] / λ. For a caller who finds q
    callers ahead, the position in queue is a pure-death chain (rate nμ + jθ) with its
    own abandonment θ: P(answered within T) from the matrix exponential of that chain,
    E[wait; answered] from its holding times. Nothing shared with the module's integrals.
    """
    from scipy.linalg import expm
    lam, mu, th = arrivals_per_hour / 3600, 1 / aht_s, 1 / patience_s
    k = np.arange(n + extra + 1)
    death = np.minimum(k, n) * mu + np.maximum(k - n, 0) * th
    logp = np.concatenate([[0.0], np.cumsum(np.log(lam) - np.log(death[1:]))])
    p = np.exp(logp - logp.max())
    p /= p.sum()
    assert p[-1] < 1e-16                                  # truncation is harmless
    ahead = p[n:]                                         # arrival finds n + q callers
    p_wait = ahead.sum()
    p_abandon = th * (np.maximum(k - n, 0) * p).sum() / lam
    q_ = np.arange(extra + 1)
    x = n * mu / th
    served = x / (x + q_ + 1)
    wait_served = served * np.cumsum(1 / (th * (x + q_ + 1)))
    gen = np.zeros((extra + 3, extra + 3))                # 0..extra ahead, answered, abandoned
    for j in range(extra + 1):
        if j:
            gen[j, j - 1] = n * mu + j * th
        else:
            gen[j, extra + 1] = n * mu
        gen[j, extra + 2] = th
        gen[j, j] = -(n * mu + j * th + th)
    in_t = expm(gen * within_s)[: extra + 1, extra + 1]
    return {"p_wait": p_wait, "p_abandon": p_abandon, "answer_rate": 1 - p_abandon,
            "service_level": (1 - p_wait) + (ahead * in_t).sum(),
            "asa_s": (ahead * wait_served).sum() / (1 - p_abandon),
            "occupancy": lam * aht_s * (1 - p_abandon) / n}


@pytest.mark.parametrize("n, lam, aht, patience, within", [
    (4, 100, 180, 120, 20),       # overloaded small team (5 Erl on 4)
    (9, 100, 180, 120, 20),
    (10, 300, 300, 60, 30),       # 25 Erl on 10 agents: 60 % abandon
    (30, 600, 200, 600, 20),
    (20, 1000, 180, 30, 10),
    (12, 90, 240, 3, 0),          # very impatient callers, T = 0
    (3, 20, 400, 5000, 60),       # very patient callers
    (60, 1100, 180, 90, 20),
])
def test_erlang_a_matches_birth_death_chain(n, lam, aht, patience, within):
    ref = birth_death_a(n, lam, aht, patience, within)
    m = q.erlang_a_metrics(n, lam, aht, patience, within_s=within)
    for key in ("p_wait", "p_abandon", "answer_rate", "service_level", "occupancy"):
        assert float(m[key]) == pytest.approx(ref[key], abs=1e-10), key
    assert float(m["asa_s"]) == pytest.approx(ref["asa_s"], rel=1e-9)


def test_erlang_a_matches_incomplete_gamma_closed_form_large_centre():
    """Garnett–Mandelbaum–Reiman with scipy's gammainc, where it does not underflow."""
    from scipy.special import gammainc, gammaln
    for n, lam, aht, patience in [(500, 5400, 300, 120), (450, 5400, 300, 60), (400, 5400, 300, 30),
                                  (2000, 20_000, 400, 300)]:
        a, x, y = lam * aht / 3600, n * patience / aht, lam * patience / 3600
        big_a = np.exp(np.log(x) + y - x * np.log(y) + gammaln(x) + np.log(gammainc(x, y)))
        e = float(q.erlang_b(n, a))                      # checked against exact rationals above
        p_wait = big_a * e / (1 + (big_a - 1) * e)
        p_ab = p_wait * (1 / (a / n * big_a) + 1 - n / a)
        m = q.erlang_a_metrics(n, lam, aht, patience)
        assert float(m["p_wait"]) == pytest.approx(p_wait, rel=1e-9)
        assert float(m["p_abandon"]) == pytest.approx(p_ab, rel=1e-8)


def simulate_a(n, lam_h, aht, patience, within, calls, seed):
    """Seeded discrete-event simulation of FCFS M/M/n+M (virtual-wait recursion)."""
    import heapq
    rng = np.random.default_rng(seed)
    t = np.cumsum(rng.exponential(3600 / lam_h, calls))
    service = rng.exponential(aht, calls)
    pat = rng.exponential(patience, calls)
    free = [0.0] * n                                      # when each agent is next free
    answered_in_t = abandoned = 0
    waits = []
    for ti, si, pi in zip(t, service, pat):
        wait = max(0.0, free[0] - ti)
        if wait > pi:
            abandoned += 1
            continue
        waits.append(wait)
        answered_in_t += wait <= within
        heapq.heapreplace(free, ti + wait + si)
    # starts empty: the warm-up is negligible over many calls
    return {"p_abandon": abandoned / calls, "service_level": answered_in_t / calls,
            "asa_s": float(np.mean(waits))}


def test_erlang_a_agrees_with_simulation():
    n, lam, aht, patience, within = 8, 130, 200, 90, 20   # 7.2 Erl on 8 agents
    sim = simulate_a(n, lam, aht, patience, within, calls=150_000, seed=7)
    m = q.erlang_a_metrics(n, lam, aht, patience, within_s=within)
    assert float(m["p_abandon"]) == pytest.approx(sim["p_abandon"], abs=0.006)
    assert float(m["service_level"]) == pytest.approx(sim["service_level"], abs=0.01)
    assert float(m["asa_s"]) == pytest.approx(sim["asa_s"], rel=0.06)


def test_erlang_a_limits():
    c = q.erlang_c_metrics(14, 200, 180)
    for patience in (1e9, np.inf):
        a = q.erlang_a_metrics(14, 200, 180, patience)
        for key in ("p_wait", "service_level", "asa_s", "occupancy"):
            assert float(a[key]) == pytest.approx(float(c[key]), rel=1e-6), key
        assert float(a["p_abandon"]) < 1e-6
    # very impatient callers: whoever waits hangs up → Erlang B (a loss system)
    fast = q.erlang_a_metrics(10, 200, 180, 1e-4)
    assert float(fast["p_wait"]) == pytest.approx(float(q.erlang_b(10, 10.0)), rel=1e-4)
    assert float(fast["p_abandon"]) == pytest.approx(float(q.erlang_b(10, 10.0)), rel=1e-4)
    # infinite patience, overloaded: the fluid limit 1 − n/a
    over = q.erlang_a_metrics(8, 200, 180, np.inf)
    assert float(over["p_abandon"]) == pytest.approx(0.2) and float(over["asa_s"]) == np.inf


def test_erlang_a_edges_and_shapes():
    m = q.erlang_a_metrics([0, 0, 5], [0, 100, 0], 300, 60)
    assert all(np.isnan(m[k][0]) for k in m)
    assert (m["p_wait"][1], m["p_abandon"][1], m["answer_rate"][1], m["service_level"][1]) == (1, 1, 0, 0)
    assert np.isnan(m["asa_s"][1]) and np.isnan(m["occupancy"][1])
    assert (m["p_wait"][2], m["p_abandon"][2], m["service_level"][2], m["asa_s"][2]) == (0, 0, 1, 0)
    grid = q.erlang_a_metrics(np.arange(1, 4)[:, None], [50.0, 100.0], 180, [[60.0, 600.0]])
    assert grid["p_wait"].shape == (3, 2)
    with pytest.raises(InputError, match="^patience_s"):
        q.erlang_a_metrics(5, 100, 180, 0)
    with pytest.raises(InputError, match="^patience_s"):
        q.agents_needed(100, 180, service_level=0.8, patience_s=-3)


def test_erlang_a_large_centres_stay_finite():
    m = q.erlang_a_metrics([5000, 10, 500, 3000], [1000, 100_000, 5400, 1e5], [300, 300, 300, 100],
                           [3600, 3600, 1e7, 1e-3])
    for key, v in m.items():
        assert np.isfinite(v).all(), key
    assert m["p_abandon"][1] == pytest.approx(1 - 10 / (100_000 * 300 / 3600), abs=1e-3)


# --------------------------------------------------------------------------- properties (Erlang A)
@settings(max_examples=40, deadline=None)
@given(load=loads, patience=st.floats(2, 3000), extra=st.integers(0, 30))
def test_more_agents_never_worsen_erlang_a(load, patience, extra):
    lam, aht, within = load
    a = lam * aht / 3600
    n = np.arange(max(1, int(a * 0.7)), int(a) + 5 + extra)
    m = q.erlang_a_metrics(n, lam, aht, patience, within)
    tol = 1e-9   # Erlang A is integrated numerically: equal values may differ by ~1e-12
    assert (np.diff(m["p_wait"]) <= tol).all()
    assert (np.diff(m["p_abandon"]) <= tol).all()
    assert (np.diff(m["service_level"]) >= -tol).all()
    assert (np.diff(m["asa_s"]) <= tol * m["asa_s"][:-1] + 1e-12).all()


@settings(max_examples=40, deadline=None)
@given(load=loads, n=st.integers(1, 300), pats=st.lists(st.floats(1, 5000), min_size=2, max_size=6))
def test_abandonment_grows_as_patience_shortens(load, n, pats):
    lam, aht, _ = load
    pats = np.sort(np.array(pats))[::-1]                  # longest patience first
    m = q.erlang_a_metrics(n, lam, aht, pats)
    # numerical integration: two nearly equal patiences may give values ~1e-9 apart either way
    # (1 agent at 16 Erlangs, patiences 300 s and 335 s: 0.9372866 both, 1.008e-9 the wrong way)
    assert (np.diff(m["p_abandon"]) >= -1e-8).all()


@settings(max_examples=40, deadline=None)
@given(load=loads, sl=st.floats(0.5, 0.95), patience=st.floats(5, 1200),
       cap=st.one_of(st.none(), st.floats(0.6, 1.0)), asa=st.one_of(st.none(), st.floats(5, 60)))
def test_agents_needed_minimal_erlang_a(load, sl, patience, cap, asa):
    lam, aht, within = load
    n = int(q.agents_needed(lam, aht, service_level=sl, within_s=within, max_occupancy=cap,
                            max_asa_s=asa, patience_s=patience))
    assert n >= 1
    m = q.erlang_a_metrics([n - 1, n], lam, aht, patience, within)
    ok = q._meets(m, sl, None, asa, cap)
    assert ok[1] and (n == 1 or not ok[0])
    if cap is not None:
        assert m["occupancy"][1] <= cap + q.TOLERANCE


def test_agents_needed_erlang_a_known_and_vectorised():
    # 200 calls/h of 3 min, 80 % in 20 s: 14 agents by Erlang C, fewer when callers hang up
    out = q.agents_needed(200, 180, service_level=0.8, patience_s=[5, 120, 1e5, np.inf])
    np.testing.assert_array_equal(out, [11, 12, 14, 14])
    lam = np.array([0, 12, 150, 900, 4000.0])
    vec = q.agents_needed(lam, 280, service_level=0.8, max_occupancy=0.85, patience_s=100)
    one = [int(q.agents_needed(v, 280, service_level=0.8, max_occupancy=0.85, patience_s=100)) for v in lam]
    np.testing.assert_array_equal(vec, one)
    assert vec[0] == 0
