"""Contact and survey KPIs at their boundaries, against answers computed by hand from
kpi-definitions.md (the spec), not from cxtoolkit's own functions.

Each case is a handful of rows whose figures can be checked on paper: the short-abandon
threshold (wait < 5 s is short, 5 s is not), the service-level threshold (answered with
wait ≤ 20 s counts, so 20 s does), the opening and closing minutes ([start, end)), a day
with only abandoned calls, a segment without calls, NPS with no answer or only promoters,
a median between two answers, and local times around the October DST change.
"""
import math

import numpy as np
import pandas as pd
import pytest

from cxtoolkit.config import ClientConfig
from cxtoolkit.kpis import compute


def _cfg(**kw):
    return ClientConfig(client="x", country="FR",
                        business_hours={d: ["08:30", "19:00"] for d in ("mon", "tue", "wed", "thu", "fri")}, **kw)


def _calls(rows):
    """rows: (received_at, answered, wait_s[, talk_s, country, channel])"""
    out = []
    for i, r in enumerate(rows):
        t, a, w, *rest = r
        talk = rest[0] if len(rest) > 0 else 0.0
        country = rest[1] if len(rest) > 1 else "FR"
        channel = rest[2] if len(rest) > 2 else "phone"
        out.append({"contact_id": str(i), "channel": channel, "received_at": pd.Timestamp(t), "answered": a,
                    "wait_s": w, "talk_s": talk, "hold_s": 0.0, "wrap_s": 0.0, "country": country})
    return pd.DataFrame(out)


TUE = "2026-10-06"          # a Tuesday, no public holiday in France


def test_short_abandon_and_service_level_thresholds():
    c = _calls([
        (f"{TUE} 10:00", False, 4.99),   # short abandon (< 5 s): not offered
        (f"{TUE} 10:01", False, 5.0),    # abandoned (5 s is not < 5 s)
        (f"{TUE} 10:02", True, 20.0),    # within 20 s (≤)
        (f"{TUE} 10:03", True, 20.01),   # late
        (f"{TUE} 10:04", True, 0.0),     # within
        (f"{TUE} 10:05", False, 30.0),   # abandoned after T
    ])
    k = compute(c, cfg=_cfg()).loc["overall"]
    assert (k["inbound"], k["short_abandons"], k["offered"], k["answered"], k["abandoned"]) == (6, 1, 5, 3, 2)
    assert k["answer_rate"] == pytest.approx(3 / 5) and k["abandonment_rate"] == pytest.approx(2 / 5)
    assert k["service_level"] == pytest.approx(2 / 5)
    assert k["asa_s"] == pytest.approx((20 + 20.01 + 0) / 3)
    # the other formulas of the spec: answered within T / (answered + abandoned after T);
    # answered within T / answered (abandoned after T: only the 30 s one, 5 s is not after 20 s)
    k2 = compute(c, cfg=_cfg(kpi={"service_level_formula": "answered_plus_late_abandons"})).loc["overall"]
    assert k2["service_level"] == pytest.approx(2 / (3 + 1))
    k3 = compute(c, cfg=_cfg(kpi={"service_level_formula": "answered_only"})).loc["overall"]
    assert k3["service_level"] == pytest.approx(2 / 3)


def test_opening_and_closing_minute():
    c = _calls([
        (f"{TUE} 08:29:59", True, 10.0),   # before opening: HNO
        (f"{TUE} 08:30:00", True, 10.0),   # opening minute: in hours
        (f"{TUE} 18:59:59", True, 10.0),   # in hours
        (f"{TUE} 19:00:00", True, 10.0),   # closing time: out of hours ([start, end))
        ("2026-10-10 10:00", True, 10.0),  # Saturday, not listed: closed
        ("2026-11-11 10:00", True, 10.0),  # Wednesday, Armistice (public holiday in France)
    ])
    k = compute(c, cfg=_cfg()).loc["overall"]
    assert k["inbound"] == 6 and k["hno_calls"] == 4 and k["hno_share"] == pytest.approx(4 / 6)
    assert k["offered"] == 2


def test_a_day_with_only_abandoned_calls_and_a_segment_without_calls():
    c = _calls([
        (f"{TUE} 10:00", False, 40.0),
        (f"{TUE} 11:00", False, 50.0),
        ("2026-10-07 10:00", True, 12.0, 300.0),
        ("2026-10-07 10:05", True, 2.0, 100.0, "FR", "email"),   # an email: no call on the 7th for ES
        ("2026-10-07 10:10", True, 7.0, 100.0, "ES", "email"),   # ES: emails only
    ])
    by_day = compute(c, cfg=_cfg(), by="date")
    day = by_day.iloc[0]
    assert day["offered"] == 2 and day["answered"] == 0
    assert day["answer_rate"] == 0 and day["abandonment_rate"] == 1
    assert math.isnan(day["asa_s"]) and math.isnan(day["aht_s"])        # no answered call: undefined, not 0
    assert by_day.iloc[1]["aht_s"] == pytest.approx(300.0)
    es = compute(c, cfg=_cfg(), by="country").loc["ES"]
    assert es["inbound"] == 0                                            # no call in that segment
    for key in ("answer_rate", "abandonment_rate", "service_level", "asa_s", "hno_share"):
        assert math.isnan(es[key]), key                                  # empty denominator: NaN, never 0
    assert es["email_received"] == 1 and es["email_within_24h"] == 1


def test_email_median_between_two_answers_and_unanswered_emails_are_misses():
    c = _calls([
        (f"{TUE} 10:00", True, 3600.0, 0.0, "FR", "email"),
        (f"{TUE} 10:00", True, 3 * 3600.0, 0.0, "FR", "email"),
        (f"{TUE} 10:00", True, 24 * 3600.0, 0.0, "FR", "email"),       # exactly 24 h: within
        (f"{TUE} 10:00", True, 30 * 3600.0, 0.0, "FR", "email"),
        (f"{TUE} 10:00", False, np.nan, 0.0, "FR", "email"),            # never answered: a miss
    ])
    k = compute(c, cfg=_cfg()).loc["overall"]
    assert k["email_received"] == 5
    assert k["email_response_h_median"] == pytest.approx((3 + 24) / 2)  # even count: mean of the middle two
    assert k["email_response_h_mean"] == pytest.approx((1 + 3 + 24 + 30) / 4)
    assert k["email_within_24h"] == pytest.approx(3 / 5)
    assert k["email_within_5h"] == pytest.approx(2 / 5)


def test_chat_within_60s_over_chats_received():
    c = _calls([
        (f"{TUE} 10:00", True, 60.0, 0.0, "FR", "chat"),     # within (≤ 60)
        (f"{TUE} 10:00", True, 61.0, 0.0, "FR", "chat"),
        (f"{TUE} 10:00", False, 10.0, 0.0, "FR", "chat"),    # unanswered: a miss
    ])
    k = compute(c, cfg=_cfg()).loc["overall"]
    assert k["chat_received"] == 3 and k["chat_within_60s"] == pytest.approx(1 / 3)
    assert k["chat_first_response_s_mean"] == pytest.approx(60.5)


def _answers(nps=(), csat=(), ces=()):
    n = max(len(nps), len(csat), len(ces))
    col = lambda v: list(v) + [np.nan] * (n - len(v))  # noqa: E731
    return pd.DataFrame({"response_id": [str(i) for i in range(n)],
                         "responded_at": pd.Timestamp(f"{TUE} 12:00"),
                         "nps": col(nps), "csat": col(csat), "ces": col(ces)}).astype(
        {"nps": "float64", "csat": "float64", "ces": "float64"})


def test_nps_without_nps_answers_is_undefined():
    k = compute(responses=_answers(csat=[5, 1]), cfg=_cfg()).loc["overall"]
    assert k["nps_n"] == 0 and math.isnan(k["nps"]) and math.isnan(k["nps_ci95"])
    assert k["csat"] == pytest.approx(0.5) and k["unhappy_share"] == pytest.approx(0.5)


def test_nps_all_promoters_and_its_intervals():
    k = compute(responses=_answers(nps=[9, 10, 10, 9]), cfg=_cfg()).loc["overall"]
    assert k["nps"] == 100 and k["nps_ci95"] == 0                      # Wald: pP = 1, pD = 0
    # adjusted Wald: n + 3 = 7, promoters 4.75, detractors 0.75
    p, d = 4.75 / 7, 0.75 / 7
    assert k["nps_ci95_adjusted"] == pytest.approx(1.96 * 100 * math.sqrt((p + d - (p - d) ** 2) / 7))


def test_nps_csat_ces_by_hand():
    k = compute(responses=_answers(nps=[0, 6, 7, 8, 9, 10], csat=[1, 2, 3, 4, 5], ces=[1, 4, 5, 7]),
                cfg=_cfg()).loc["overall"]
    assert k["nps"] == pytest.approx(100 * (2 - 2) / 6) and k["nps_n"] == 6
    pP = pD = 2 / 6
    assert k["nps_ci95"] == pytest.approx(1.96 * 100 * math.sqrt((pP + pD - (pP - pD) ** 2) / 6))
    assert k["csat"] == pytest.approx(2 / 5) and k["csat_mean"] == pytest.approx(3.0)
    assert k["ces_mean"] == pytest.approx(17 / 4) and k["ces_easy"] == pytest.approx(2 / 4)   # ≥ 5 on 1–7
    k5 = compute(responses=_answers(ces=[1, 3, 4, 5]), cfg=_cfg(kpi={"ces_scale": 5})).loc["overall"]
    assert k5["ces_easy"] == pytest.approx(2 / 4)                                             # ≥ 4 on 1–5
    # unhappy: per answer csat ≤ 2, else (no csat) nps ≤ 6: rows 0..4 have csat (1, 2 unhappy),
    # row 5 has nps 10 only: 2 / 6
    assert k["unhappy_share"] == pytest.approx(2 / 6)


def test_out_of_hours_around_the_dst_change_from_utc_stamps(tmp_path):
    """Times with an offset are converted to the centre's local time (Europe/Paris): on the
    night of 24–25 October 2026 the clocks go back; 06:29 UTC on Monday 26 October is
    07:29 local (closed), 07:30 UTC is 08:30 local (open); 06:30 UTC on Friday 23 October
    (summer time, +2) is 08:30 local (open), 06:29 UTC is 08:29 (closed)."""
    from conftest import write_client

    from cxtoolkit.config import load_config
    from cxtoolkit.io import load

    stamps = ["2026-10-26T06:29:00Z", "2026-10-26T07:30:00Z", "2026-10-23T06:30:00Z", "2026-10-23T06:29:00Z",
              "2026-10-25T01:30:00+00:00"]          # Sunday 02:30 local (after the change): closed
    frame = pd.DataFrame({"contact_id": [str(i) for i in range(len(stamps))], "channel": "phone",
                          "received_at": stamps, "answered": True, "wait_s": 10.0})
    hours = "{" + ", ".join(f'{d}: ["08:30", "19:00"]' for d in ("mon", "tue", "wed", "thu", "fri")) + "}"
    yml = write_client(tmp_path, "dst", f"client: dst\ncountry: FR\nlocale: en\nbusiness_hours: {hours}\n"
                       "data: {contacts: c.csv}\n", {"c.csv": frame})
    cfg = load_config(yml)
    data = load(cfg)
    local = data.contacts.set_index("contact_id")["received_at"]
    assert local.tolist() == pd.to_datetime(["2026-10-26 07:29", "2026-10-26 08:30", "2026-10-23 08:30",
                                             "2026-10-23 08:29", "2026-10-25 02:30"]).tolist()
    k = compute(data.contacts, cfg=cfg).loc["overall"]
    assert k["inbound"] == 5 and k["hno_calls"] == 3 and k["offered"] == 2


@pytest.mark.parametrize("value, unit, fr, en", [
    (13 / 16, "ratio", "81,3 %", "81.3%"),        # 81.25 %: a hand (and Excel "0.0 %") rounds up
    (0.8135, "ratio", "81,4 %", "81.4%"),         # 81.35 % as typed, not its binary 81.34999…
    (32.5, "seconds", "33 s", "33 s"),            # mean of 30 s and 35 s
    (-5.25, "nps", "-5,3", "-5.3"),               # away from zero, as Excel shows -5.25 with 0.0
    (2.25, "hours", "2,3 h", "2.3 h"),
    (2.5, "count", "3", "3"),
    (1234.5, "money", "1\u202f235\u00a0€", "€1,235"),
])
def test_displayed_values_round_half_away_from_zero(value, unit, fr, en):
    """The pages, the deck and the CLI round a half as a person and the workbook's Excel
    formats do (81.25 % → 81.3 %); Python's format rounded it to even (81.2 %), so the deck
    and the workbook showed different figures for the same value."""
    from cxtoolkit.rules import format_value

    assert (format_value(value, unit, "fr"), format_value(value, unit, "en")) == (fr, en)
