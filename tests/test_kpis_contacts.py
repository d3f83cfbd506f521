"""Known answers, computed by hand, for every contact KPI of kpi-definitions.md."""
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxtoolkit.config import ClientConfig
from cxtoolkit.kpis import contact_kpis

NAN = float("nan")


def cfg(**kpi):
    return ClientConfig(
        client="t", country="FR",
        business_hours={d: ["09:00", "18:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
        business_hours_by_country={"GB": {d: ["08:00", "20:00"] for d in ("mon", "tue", "wed", "thu", "fri")}},
        kpi=kpi)


def frame(rows, cols):
    df = pd.DataFrame(rows, columns=cols)
    df["received_at"] = pd.to_datetime(df["received_at"])
    return df


# 2026-05-05 is a Tuesday; 2026-05-01 (Fri) is a public holiday in FR; 2026-05-02 is a Saturday.
PHONE = frame([
    # received_at,          answered, wait, talk, hold, wrap
    ("2026-05-05 10:00:00", True, 10.0, 100, 20, 30),   # 1 answered within 20 s, handle 150
    ("2026-05-05 10:05:00", True, 30.0, 200, 0, 10),    # 2 answered late, handle 210
    ("2026-05-05 10:10:00", False, 4.0, 0, 0, 0),       # 3 short abandon (4 < 5)
    ("2026-05-05 10:15:00", False, 5.0, 0, 0, 0),       # 4 wait exactly 5 s: NOT short -> abandoned
    ("2026-05-05 10:20:00", False, 45.0, 0, 0, 0),      # 5 abandoned after 20 s
    ("2026-05-05 18:00:00", True, 3.0, 50, 0, 0),       # 6 HNO: 18:00 is the excluded end
    ("2026-05-05 08:59:59", True, 3.0, 50, 0, 0),       # 7 HNO: before opening
    ("2026-05-01 10:00:00", True, 3.0, 50, 0, 0),       # 8 HNO: 1 May holiday in FR
    ("2026-05-02 10:00:00", False, 30.0, 0, 0, 0),      # 9 HNO: Saturday not listed = closed
    ("2026-05-05 17:59:00", True, 20.0, 60, 0, 0),      # 10 answered with wait exactly 20 s: within
], ["received_at", "answered", "wait_s", "talk_s", "hold_s", "wrap_s"]).assign(channel="phone")


def test_phone_known_answers():
    k = contact_kpis(PHONE, cfg()).loc["overall"]
    assert k["inbound"] == 10
    assert k["hno_calls"] == 4                     # rows 6, 7, 8, 9
    assert k["hno_share"] == pytest.approx(4 / 10)
    assert k["short_abandons"] == 1                # row 3 only
    assert k["offered"] == 5                       # in-hours rows 1,2,3,4,5,10 = 6, minus 1 short
    assert k["answered"] == 3                      # rows 1, 2, 10
    assert k["abandoned"] == 2                     # rows 4, 5
    assert k["answer_rate"] == pytest.approx(3 / 5)
    assert k["abandonment_rate"] == pytest.approx(2 / 5)
    assert k["asa_s"] == pytest.approx((10 + 30 + 20) / 3)          # = 20
    assert k["service_level"] == pytest.approx(2 / 5)               # rows 1, 10 / offered
    assert k["aht_s"] == pytest.approx((150 + 210 + 60) / 3)        # = 140


@pytest.mark.parametrize("formula, expected", [
    ("offered", 2 / 5),                         # answered <= 20 s / offered
    ("answered_plus_late_abandons", 2 / (3 + 1)),  # / (answered + row 5 abandoned after 20 s)
    ("answered_only", 2 / 3),                   # / answered
])
def test_service_level_variants(formula, expected):
    k = contact_kpis(PHONE, cfg(service_level_formula=formula))
    assert k.loc["overall", "service_level"] == pytest.approx(expected)
    assert k.attrs["service_level_formula"] == formula


def test_short_abandon_threshold_is_configurable():
    # with short_abandon_s = 6, row 4 (wait 5 s) becomes short too
    k = contact_kpis(PHONE, cfg(short_abandon_s=6)).loc["overall"]
    assert (k["short_abandons"], k["offered"], k["abandoned"]) == (2, 4, 1)


def test_per_country_hours_and_holidays():
    df = frame([
        ("2026-05-05 19:30", "GB"),   # GB open until 20:00 -> in hours
        ("2026-05-05 19:30", "FR"),   # FR closed at 18:00 -> HNO
        ("2026-05-01 10:00", "GB"),   # 1 May is not a GB holiday -> in hours
        ("2026-05-01 10:00", "FR"),   # 1 May FR holiday -> HNO
        ("2026-05-04 10:00", "GB"),   # Early May bank holiday GB -> HNO
        ("2026-05-04 10:00", None),   # missing country -> client's FR: an ordinary Monday
    ], ["received_at", "country"]).assign(channel="phone", answered=True, wait_s=1.0)
    k = contact_kpis(df, cfg(), by="country")
    assert k.loc["GB", "hno_calls"] == 1 and k.loc["GB", "answered"] == 2
    assert k.loc["FR", "hno_calls"] == 2 and k.loc["FR", "answered"] == 0
    assert k.loc["(missing)", "hno_calls"] == 0
    assert math.isnan(k.loc["FR", "answer_rate"])          # nothing offered: undefined, not 0


def test_no_country_column_uses_client_country():
    df = frame([("2026-05-01 10:00",), ("2026-05-04 10:00",)], ["received_at"]).assign(
        channel="phone", answered=True, wait_s=1.0)
    assert contact_kpis(df, cfg()).loc["overall", "hno_calls"] == 1
    gb = cfg().model_copy(update={"country": "GB"})
    assert contact_kpis(df, gb).loc["overall", "hno_calls"] == 1   # GB: 4 May, not 1 May


EMAIL = frame([
    ("2026-05-05 10:00", True, 3600.0),         # 1 h
    ("2026-05-05 10:00", True, 6 * 3600.0),     # 6 h
    ("2026-05-05 10:00", True, 24 * 3600.0),    # exactly 24 h: within
    ("2026-05-05 10:00", True, 30 * 3600.0),    # 30 h
    ("2026-05-05 10:00", False, NAN),           # never answered: a miss
], ["received_at", "answered", "wait_s"]).assign(channel="email")


def test_email_known_answers():
    k = contact_kpis(EMAIL, cfg()).loc["overall"]
    assert k["email_received"] == 5
    assert k["email_response_h_median"] == pytest.approx((6 + 24) / 2)        # median of 1, 6, 24, 30
    assert k["email_response_h_mean"] == pytest.approx((1 + 6 + 24 + 30) / 4)  # 15.25
    assert k["email_within_24h"] == pytest.approx(3 / 5)    # unanswered counts as a miss
    assert k["email_within_5h"] == pytest.approx(1 / 5)
    assert k["inbound"] == 0 and math.isnan(k["answer_rate"]) and math.isnan(k["asa_s"])


CHAT = frame([
    ("2026-05-05 10:00", True, 30.0, "agent"),
    ("2026-05-05 10:00", True, 90.0, "agent"),
    ("2026-05-05 10:00", True, 2.0, "bot"),
    ("2026-05-05 10:00", False, 120.0, "agent"),
    ("2026-05-05 10:00", True, 60.0, "bot"),     # exactly 60 s: within
], ["received_at", "answered", "wait_s", "handled_by"]).assign(channel="chat")


def test_chat_known_answers_and_handled_by_split():
    k = contact_kpis(CHAT, cfg()).loc["overall"]
    assert k["chat_received"] == 5
    assert k["chat_first_response_s_mean"] == pytest.approx((30 + 90 + 2 + 60) / 4)  # 45.5
    assert k["chat_within_60s"] == pytest.approx(3 / 5)
    assert k["chat_received_agent"] == 3 and k["chat_received_bot"] == 2
    assert k["chat_first_response_s_mean_agent"] == pytest.approx((30 + 90) / 2)
    assert k["chat_first_response_s_mean_bot"] == pytest.approx((2 + 60) / 2)
    assert k["chat_within_60s_agent"] == pytest.approx(1 / 3)
    assert k["chat_within_60s_bot"] == pytest.approx(2 / 2)


def test_chat_without_handled_by_has_no_split():
    k = contact_kpis(CHAT.drop(columns="handled_by"), cfg())
    assert "chat_received_bot" not in k.columns
    assert k.loc["overall", "chat_received"] == 5


REPEAT = frame([
    # customer, received_at, answered, resolved
    ("A", "2026-05-05 10:00", True, True),    # a1: a2 exactly 7 days later -> repeat (window closed, <=)
    ("A", "2026-05-12 10:00", True, False),   # a2: a3 is 8 days later -> no repeat
    ("A", "2026-05-20 10:00", True, None),    # a3: last of A; censored (05-27 > 05-25)
    ("B", "2026-05-06 10:00", True, True),    # b1: b2 at the same instant is not strictly later
    ("B", "2026-05-06 10:00", False, True),   # b2: not answered -> not in the base
    ("C", "2026-05-07 10:00", False, None),   # c1: not answered
    ("C", "2026-05-08 10:00", True, False),   # c2: nothing after
    (None, "2026-05-09 10:00", True, True),   # no customer: not in the base
    ("D", "2026-05-25 10:00", True, None),    # d1: last contact of the data; censored
], ["customer_id", "received_at", "answered", "resolved"]).assign(channel="email", wait_s=60.0)
REPEAT["resolved"] = REPEAT["resolved"].astype("boolean")


def test_repeat_fcr_and_censoring():
    k = contact_kpis(REPEAT, cfg()).loc["overall"]
    # base: a1 a2 a3 b1 c2 d1 = 6 answered contacts with a customer; repeats: a1 only
    assert k["repeat_rate"] == pytest.approx(1 / 6)
    assert k["fcr"] == pytest.approx(5 / 6)
    # censored: received after 05-25 10:00 - 7 days = 05-18 10:00 -> a3, d1
    assert k["repeat_censored"] == 2
    # resolved among answered with a known flag: a1 T, a2 F, b1 T, c2 F, no-customer T -> 3/5
    assert k["resolved_rate"] == pytest.approx(3 / 5)


def test_repeat_window_edge_and_setting():
    # a second later than 7 days is outside the window
    df = REPEAT.copy()
    df.loc[1, "received_at"] = pd.Timestamp("2026-05-12 10:00:01")
    assert contact_kpis(df, cfg()).loc["overall", "repeat_rate"] == 0
    # an 8-day window catches a2 -> a3 too
    assert contact_kpis(REPEAT, cfg(repeat_window_days=8)).loc["overall", "repeat_rate"] == pytest.approx(2 / 6)


def test_repeat_across_channels_and_segments():
    # the repeat of an answered phone call may be an email in another segment
    df = frame([("X", "2026-05-05 10:00", "phone", "s1"), ("X", "2026-05-06 10:00", "email", "s2")],
               ["customer_id", "received_at", "channel", "segment"]).assign(answered=[True, False], wait_s=9.0)
    k = contact_kpis(df, cfg(), by="segment")
    assert k.loc["s1", "repeat_rate"] == 1.0
    assert math.isnan(k.loc["s2", "repeat_rate"])          # no answered contact: undefined


def test_no_customer_column_gives_undefined_repeat():
    k = contact_kpis(PHONE, cfg()).loc["overall"]
    assert math.isnan(k["repeat_rate"]) and math.isnan(k["fcr"]) and k["repeat_censored"] == 0
    assert "resolved_rate" not in k.index


def test_categorical_and_string_columns_agree():
    df = pd.concat([PHONE, EMAIL, CHAT], ignore_index=True)
    df["team"] = np.where(np.arange(len(df)) % 2 == 0, "t1", "t2")
    cat = df.assign(channel=df["channel"].astype("category"), team=df["team"].astype("category"),
                    handled_by=df["handled_by"].astype("category"))
    a, b = contact_kpis(df, cfg(), by="team"), contact_kpis(cat, cfg(), by="team")
    pd.testing.assert_frame_equal(a, b, check_index_type=False)


def test_input_not_mutated_and_missing_column():
    before = PHONE.copy()
    contact_kpis(PHONE, cfg(), by="hour")
    pd.testing.assert_frame_equal(PHONE, before)
    from cxtoolkit.errors import InputError
    with pytest.raises(InputError, match="wait_s"):
        contact_kpis(PHONE.drop(columns="wait_s"), cfg())


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", None]), st.integers(0, 20)), min_size=1, max_size=40),
       st.randoms(use_true_random=False))
def test_repeat_flags_same_whatever_the_row_order(rows, rnd):
    """Rows in time order take the counting-sort path, shuffled rows ``np.lexsort``: each
    contact gets the same flags either way."""
    from cxtoolkit.kpis.contacts import repeat_flags

    rows = sorted(rows, key=lambda r: r[1])
    frame = pd.DataFrame({"customer_id": pd.array([r[0] for r in rows], dtype="str"),
                          "received_at": pd.Timestamp("2026-05-01") + pd.to_timedelta([r[1] for r in rows], unit="D")})
    rep, cens = repeat_flags(frame, 7)
    perm = list(range(len(rows)))
    rnd.shuffle(perm)
    rep2, cens2 = repeat_flags(frame.iloc[perm].reset_index(drop=True), 7)
    assert rep2.tolist() == rep[perm].tolist() and cens2.tolist() == cens[perm].tolist()
