"""Arrival profile at the edge of its period (a mutation run showed no test reached it)."""
import pandas as pd
import pytest

from cxtoolkit import staffing as S


def test_a_call_at_midnight_after_the_last_day_is_outside_the_period():
    df = pd.DataFrame({
        "received_at": pd.to_datetime(["2026-10-05 09:10", "2026-10-11 23:59:59", "2026-10-12 00:00"], format="ISO8601"),
        "channel": "phone", "answered": True, "wait_s": 10.0, "talk_s": 100.0, "hold_s": 0.0, "wrap_s": 0.0})
    p = S.arrival_profile(df, interval_min=60, start="2026-10-05", end="2026-10-11")
    assert p["calls"].sum() == 2                      # 10-12 00:00 is the next week's Monday
    mon = p[(p["day"] == "mon")]
    assert mon["days_observed"].iloc[0] == 1
    assert mon.loc[mon["interval_start"] == "00:00", "calls"].iloc[0] == 0
    assert mon.loc[mon["interval_start"] == "09:00", "arrivals_per_hour"].iloc[0] == pytest.approx(1.0)


def test_patience_needs_some_waiting():
    # abandons after 0 s only: no waiting time to estimate a patience from (None, not 0 s);
    # half a second of waiting over two abandons is a mean patience of 0.25 s
    df = pd.DataFrame({"received_at": pd.to_datetime(["2026-10-05 09:00"] * 2), "channel": "phone",
                       "answered": [False, False], "wait_s": [0.0, 0.0]})
    assert S.estimate_patience(df) is None
    assert S.estimate_patience(df.assign(wait_s=[0.5, 0.0])) == pytest.approx(0.25)


def test_summary_rates_weigh_a_slot_of_exactly_one_call():
    """A quiet slot with one call a week weighs one call in the summary's rates (the mutation
    ``w > 1`` dropped it: 0.75 read 1.0)."""
    from cxtoolkit.staffing import plan_summary

    p = pd.DataFrame({"weekday": [0, 0], "day": ["mon", "mon"], "interval_min": [60, 60],
                      "arrivals_per_hour": [1.0, 3.0], "agents_required": [1, 1], "agents_scheduled": [1, 1],
                      "agents_seen": [1.0, 1.0], "answer_rate_plan": [0.0, 1.0], "answer_rate_pred_seen": [0.0, 1.0]})
    s = plan_summary(p)
    assert s.loc["week", "calls"] == 4.0
    assert s.loc["week", "answer_rate_plan"] == pytest.approx(0.75) and s.loc["mon", "answer_rate_pred_seen"] == pytest.approx(0.75)
