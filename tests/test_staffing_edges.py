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
