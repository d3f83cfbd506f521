"""Survey KPIs at edges a mutation run showed the known answers did not reach."""
import math

import pandas as pd
import pytest

from cxtoolkit.config import ClientConfig
from cxtoolkit.kpis import survey_kpis

R = pd.DataFrame({"responded_at": pd.to_datetime(["2026-05-05"] * 7),
                  "csat": [5, 4, 3, 2, 1, float("nan"), float("nan")], "nps": [10, 9, 8, 6, 0, 7, 3]})


def test_too_few_is_strictly_fewer_than_min_answers():
    # kpi-definitions.md: "fewer than 30 answers is flagged"; 7 answers with min_answers = 7 are enough
    assert not survey_kpis(R, ClientConfig(client="t", kpi={"min_answers": 7})).loc["overall", "too_few"]
    assert survey_kpis(R, ClientConfig(client="t", kpi={"min_answers": 8})).loc["overall", "too_few"]


def test_adjusted_nps_interval_of_a_single_answer():
    # one promoter: n + 3 = 4, pP = 1.75 / 4, pD = 0.75 / 4; var = 0.625 - 0.25² = 0.5625;
    # 1.96 × 100 × sqrt(0.5625 / 4) = 73.5 (the plain Wald interval is 0: no spread in one answer)
    k = survey_kpis(R.iloc[:1], ClientConfig(client="t")).loc["overall"]
    assert k["nps_n"] == 1 and k["nps"] == 100
    assert k["nps_ci95_adjusted"] == pytest.approx(73.5, rel=1e-12)
    assert k["nps_ci95"] == 0
    # no NPS answer at all: undefined, not the interval of 3 imaginary answers
    k0 = survey_kpis(R.assign(nps=float("nan")), ClientConfig(client="t")).loc["overall"]
    assert math.isnan(k0["nps_ci95_adjusted"]) and math.isnan(k0["nps"])
