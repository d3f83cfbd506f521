"""Contact KPIs at edges a mutation run showed the known answers of test_kpis_contacts.py
did not reach (computed by hand from kpi-definitions.md)."""
import math

import pandas as pd
import pytest

from cxtoolkit.config import ClientConfig
from cxtoolkit.kpis import contact_kpis


def cfg():
    return ClientConfig(client="t", country="FR",
                        business_hours={d: ["09:00", "18:00"] for d in ("mon", "tue", "wed", "thu", "fri")})


def test_answered_email_without_a_reply_time_is_an_email_and_a_miss():
    df = pd.DataFrame({"received_at": pd.to_datetime(["2026-05-05 10:00"] * 3),
                       "answered": [True, True, False], "wait_s": [3600.0, float("nan"), float("nan")],
                       "channel": "email"})
    k = contact_kpis(df, cfg()).loc["overall"]
    assert k["email_received"] == 3 and k["chat_received"] == 0
    assert k["email_within_24h"] == pytest.approx(1 / 3)     # reply time unknown: not within
    assert k["email_within_5h"] == pytest.approx(1 / 3)
    assert k["email_response_h_mean"] == pytest.approx(1.0)  # over answered emails with a time
    # only answered emails without any reply time: within-24h is undefined, not 0
    k2 = contact_kpis(df.iloc[1:], cfg()).loc["overall"]
    assert k2["email_received"] == 2 and math.isnan(k2["email_within_24h"])


def test_answered_chat_without_a_first_response_time_stays_with_its_handler():
    df = pd.DataFrame({"received_at": pd.to_datetime(["2026-05-05 10:00"] * 3),
                       "answered": [True, True, True], "wait_s": [30.0, float("nan"), 90.0],
                       "handled_by": ["agent", "agent", "bot"], "channel": "chat"})
    k = contact_kpis(df, cfg()).loc["overall"]
    assert (k["chat_received"], k["chat_received_agent"], k["chat_received_bot"]) == (3, 2, 1)
    assert k["chat_within_60s_agent"] == pytest.approx(1 / 2)      # unknown time: not within
    assert k["chat_first_response_s_mean_agent"] == pytest.approx(30.0)
    assert k["chat_within_60s_bot"] == 0 and k["chat_first_response_s_mean_bot"] == pytest.approx(90.0)
