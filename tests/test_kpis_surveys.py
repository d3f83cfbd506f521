"""Known answers, computed by hand, for the survey KPIs."""
import math

import pandas as pd
import pytest

from cxtoolkit.config import ClientConfig
from cxtoolkit.kpis import survey_kpis

NAN = float("nan")
R = pd.DataFrame({
    "responded_at": pd.to_datetime(["2026-05-05"] * 5 + ["2026-06-10"] * 2),
    "csat": [5, 4, 3, 2, 1, NAN, NAN],
    "nps": [10, 9, 8, 6, 0, 7, 3],
    "ces": [7, 5, 4, NAN, NAN, NAN, 2],
    "channel": ["phone", "phone", "email", "email", "email", "phone", "chat"],
})


def cfg(**kpi):
    return ClientConfig(client="t", kpi=kpi)


def test_survey_known_answers():
    k = survey_kpis(R, cfg()).loc["overall"]
    assert k["n"] == 7 and k["too_few"]                          # 7 < 30
    assert k["csat_n"] == 5
    assert k["csat"] == pytest.approx(2 / 5)                     # 5, 4 are top-2
    assert k["csat_mean"] == pytest.approx((5 + 4 + 3 + 2 + 1) / 5)
    assert k["nps_n"] == 7
    # promoters 10, 9 -> 2; detractors 6, 0, 3 -> 3: 100 * (2 - 3) / 7
    assert k["nps"] == pytest.approx(-100 / 7)
    # pP = 2/7, pD = 3/7: var = 5/7 - (1/7)^2 = 0.693878; sqrt(var / 7) = 0.314841; * 196
    assert k["nps_ci95"] == pytest.approx(61.7089, abs=1e-3)
    # adjusted: pP = 2.75/10, pD = 3.75/10: var = 0.65 - 0.01 = 0.64; sqrt(0.64/10) = 0.252982; * 196
    assert k["nps_ci95_adjusted"] == pytest.approx(49.5845, abs=1e-3)
    assert k["ces_n"] == 4
    assert k["ces_mean"] == pytest.approx((7 + 5 + 4 + 2) / 4)
    assert k["ces_easy"] == pytest.approx(2 / 4)                 # 7, 5 are >= 5 on 1-7
    # csat <= 2 for rows with a csat: 2, 1; else nps <= 6: row 7 (nps 3); row 6 (nps 7) is not
    assert k["unhappy_share"] == pytest.approx(3 / 7)
    assert "response_rate" not in k.index


def test_ces_scale_5_and_min_answers():
    k = survey_kpis(R, cfg(ces_scale=5, min_answers=5)).loc["overall"]
    assert k["ces_easy"] == pytest.approx(3 / 4)                 # 7, 5, 4 are >= 4
    assert not k["too_few"]


def test_response_rate_overall_and_by_slicer():
    sends = pd.DataFrame({"sent_at": pd.to_datetime(["2026-05-01"] * 10 + ["2026-06-01"] * 4),
                          "channel": ["phone"] * 14})
    assert survey_kpis(R, cfg(), sends=sends).loc["overall", "response_rate"] == pytest.approx(7 / 14)
    m = survey_kpis(R, cfg(), by="month", sends=sends)
    assert m.loc["2026-05", "response_rate"] == pytest.approx(5 / 10)
    assert m.loc["2026-06", "response_rate"] == pytest.approx(2 / 4)
    c = survey_kpis(R, cfg(), by="channel", sends=sends)
    assert c.loc["phone", "response_rate"] == pytest.approx(3 / 14)
    assert math.isnan(c.loc["email", "response_rate"])          # no email sends: undefined


def test_by_channel_and_empty_scores_are_undefined():
    k = survey_kpis(R, cfg(), by="channel")
    assert k.loc["chat", "csat_n"] == 0 and math.isnan(k.loc["chat", "csat"])
    assert k.loc["chat", "nps"] == pytest.approx(-100.0)
    assert k["n"].sum() == 7
    only_csat = R.drop(columns=["nps", "ces"])
    k2 = survey_kpis(only_csat, cfg()).loc["overall"]
    assert math.isnan(k2["nps"]) and math.isnan(k2["nps_ci95"]) and math.isnan(k2["nps_ci95_adjusted"])
    assert k2["unhappy_share"] == pytest.approx(2 / 5)
