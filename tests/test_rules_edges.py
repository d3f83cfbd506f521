"""Known answers at the edges of the business rules of cxtoolkit.rules that a mutation
run (one comparison or constant changed at a time) showed no other test would catch."""
import numpy as np
import pandas as pd
import pytest

from cxtoolkit import rules

def test_ces_easy_default_scale_is_1_to_7():
    # kpi-definitions.md: easy = answer >= 5 on a 1-7 scale (the default), >= 4 on 1-5
    assert rules.ces_easy(np.array([4.0, 5.0])).tolist() == [False, True]
    assert rules.ces_easy_min(7) == 5 and rules.ces_easy_min(5) == 4

def test_answered_flag_given_as_a_plain_list_with_missing_values():
    # a list / object array (not a Series): a missing flag is not answered
    assert rules.answered([True, None, False]).tolist() == [True, False, False]
    assert rules.answered(np.array([True, None, False], dtype=object)).tolist() == [True, False, False]
    assert rules.answered(np.array([True, False])).tolist() == [True, False]

def test_an_end_at_midnight_written_with_a_time_is_an_instant_not_a_whole_day():
    # --to 2026-05-31 includes the whole day; --to "2026-05-31 00:00" only up to that instant
    assert rules.period_bounds(None, "2026-05-31")[1] == pd.Timestamp("2026-06-01")
    assert rules.period_bounds(None, "2026-05-31 00:00")[1] == pd.Timestamp("2026-05-31 00:00:00.000001")
    assert rules.period_bounds(None, pd.Timestamp("2026-05-31"))[1] == pd.Timestamp("2026-06-01")


def test_a_contact_at_the_first_instant_of_the_period_is_in_it():
    # --from 2026-05-01: t0 <= ts, so a call at 2026-05-01 00:00:00 counts; a microsecond
    # before does not; the end bound is exclusive (the first instant after the period)
    t0, t1 = rules.period_bounds("2026-05-01", "2026-05-31")
    ts = pd.Series(pd.to_datetime(["2026-04-30 23:59:59.999999", "2026-05-01 00:00:00",
                                   "2026-05-31 23:59:59.999999", "2026-06-01 00:00:00"], format="ISO8601"))
    assert rules.in_period(ts, t0, t1).tolist() == [False, True, True, False]
    assert rules.in_period(ts, t0).tolist() == [False, True, True, True]
    assert rules.in_period(ts, None, t1).tolist() == [True, True, True, False]


@pytest.mark.parametrize("unit", ["ratio", "count", "seconds", "hours", "nps", "money", "score"])
def test_an_infinite_value_reads_undefined_as_a_missing_one(unit):
    """A rate over nothing or a division by zero upstream showed « inf % » / "inf s" on a page:
    undefined, as NaN and as money already were."""
    from cxtoolkit.rules import format_value

    for v in (float("inf"), float("-inf")):
        assert format_value(v, unit, "fr") == format_value(float("nan"), unit, "fr") == "–"
        assert format_value(v, unit, "en") == "–"
