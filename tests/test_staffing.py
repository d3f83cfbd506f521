"""Erlang C known answers (checked against the closed form) and the staffing profile."""
from math import exp, factorial

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st

from cxtoolkit.staffing import asa, erlang_c, required_agents, service_level, staffing_profile


def _ec_closed_form(n, a):
    top = a**n / factorial(n) * n / (n - a)
    return top / (sum(a**k / factorial(k) for k in range(n)) + top)


@pytest.mark.parametrize("n,a", [(10, 8.0), (13, 10.0), (3, 1.5), (25, 20.0)])
def test_erlang_c_matches_closed_form(n, a):
    assert erlang_c(n, a) == pytest.approx(_ec_closed_form(n, a), rel=1e-12)


def test_required_agents_textbook_case():
    # 100 calls in 30 min, AHT 180 s -> 10 Erlangs; 80 % in 20 s:
    # 13 agents give SL = 1 - 0.28527 * exp(-3 * 20 / 180) = 0.7956 < 0.80, 14 give 0.8884.
    assert service_level(13, 10.0, 180, 20) == pytest.approx(0.79559, abs=1e-5)
    assert service_level(14, 10.0, 180, 20) == pytest.approx(0.88835, abs=1e-5)
    assert required_agents(100, 180, 1800, 0.80, 20) == 14
    # ASA with 10 agents and 8 Erlangs: 0.40918 * 180 / 2 = 36.83 s
    assert asa(10, 8.0, 180) == pytest.approx(0.4091801507964435 * 90)
    # unstable queue: every call waits, no service
    assert erlang_c(5, 6.0) == 1.0 and service_level(5, 6.0, 180, 20) == 0.0


def test_zero_calls_need_no_agent():
    assert required_agents([0, 0], 300).tolist() == [0, 0]


@given(st.floats(1, 500), st.floats(30, 900))
def test_required_agents_meets_target_and_is_minimal(calls, aht):
    n = int(required_agents(calls, aht, 3600, 0.8, 20, max_occupancy=1.0))
    a = calls * aht / 3600
    assert service_level(n, a, aht, 20) >= 0.8
    if n > 1 and n - 1 > a:
        assert service_level(n - 1, a, aht, 20) < 0.8


def test_profile_counts_per_weekday_hour():
    # two Mondays, 10:00 slot: 3 calls on the 1st, 1 on the 2nd -> 2 calls per Monday
    t = pd.to_datetime(["2026-10-05 10:05", "2026-10-05 10:20", "2026-10-05 10:50", "2026-10-12 10:10",
                        "2026-10-12 14:00"])
    df = pd.DataFrame({"channel": ["phone"] * 5, "received_at": t,
                       "answered": [True, True, False, True, True],
                       "talk_s": [100.0, 200, 0, 300, 60], "hold_s": 0.0, "wrap_s": 0.0})
    before = df.copy()
    p = staffing_profile(df)
    pd.testing.assert_frame_equal(df, before)
    row = p[(p.weekday == 0) & (p.hour == 10)].iloc[0]
    assert row.calls_per_day == 2.0
    assert row.aht_s == pytest.approx(200.0)
    assert row.answer_rate_observed == pytest.approx(0.75)
    assert row.agents_required >= 1 and row.agents_scheduled >= row.agents_required
