"""compute(): time slicers, two-way cuts, merging contacts and surveys, JSON, status table."""
import json
import math

import pandas as pd
import pytest

from cxtoolkit.config import ClientConfig
from cxtoolkit.errors import InputError
from cxtoolkit.kpis import compute, compute_many, status_table, to_json

CFG = ClientConfig(client="t", targets={"answer_rate": 0.9})
# 2025-12-29 (Mon) and 2026-01-01 (Thu, holiday FR) share ISO week 2026-W01 but not the month
C = pd.DataFrame({
    "received_at": pd.to_datetime(["2025-12-29 09:15", "2025-12-29 10:40", "2026-01-01 09:30",
                                   "2026-01-06 09:05", "2026-01-06 09:55"]),
    "channel": ["phone"] * 5,
    "answered": [True, False, True, True, True],
    "wait_s": [10.0, 30.0, 5.0, 25.0, 15.0],
    "agent_id": ["a1", "a2", "a1", None, "a2"],
})
R = pd.DataFrame({"responded_at": pd.to_datetime(["2025-12-30", "2026-01-07"]),
                  "csat": [5.0, 2.0], "agent_id": ["a1", "a3"]})


def test_time_slicers():
    w = compute(C, cfg=CFG, by="week")
    assert w.index.name == "week" and w.index.tolist() == ["2026-W01", "2026-W02"]
    assert w["inbound"].tolist() == [3, 2] and w["hno_calls"].tolist() == [1, 0]
    m = compute(C, cfg=CFG, by="month")
    assert m.index.tolist() == ["2025-12", "2026-01"] and m["inbound"].tolist() == [2, 3]
    h = compute(C, cfg=CFG, by="hour")
    assert h.index.tolist() == [9, 10] and h["inbound"].tolist() == [4, 1]
    d = compute(C, cfg=CFG, by="weekday")
    assert d.index.tolist() == ["mon", "tue", "thu"]
    # Tuesday 6 Jan: 2 answered, SL 20 s: 15 s in, 25 s out -> 1/2
    assert d.loc["tue", "service_level"] == pytest.approx(0.5)


def test_two_way_cut_for_heatmap():
    k = compute(C, cfg=CFG, by=["weekday", "hour"])
    assert k.index.names == ["weekday", "hour"]
    assert k.loc[("mon", 10), "answer_rate"] == 0.0            # one call, abandoned
    assert k.loc[("tue", 9), "answered"] == 2
    assert k["inbound"].sum() == 5


def test_missing_segment_grouped_and_overall_label():
    k = compute(C, cfg=CFG, by="agent_id")
    assert k.index.tolist() == ["a1", "a2", "(missing)"]
    assert compute(C, cfg=CFG).index.tolist() == ["overall"]


def test_contacts_and_surveys_merge_on_groups():
    k = compute(C, R, cfg=CFG, by="agent_id")
    assert k.loc["a3", "inbound"] == 0 and k.loc["a3", "csat"] == 0.0   # a3: surveys only
    assert math.isnan(k.loc["(missing)", "csat"])
    assert k.loc["a1", "csat"] == 1.0 and k.loc["a1", "inbound"] == 2
    # a column only the contacts have: surveys are skipped for that cut, not an error
    k2 = compute(C.assign(queue="q"), R, cfg=CFG, by="queue")
    assert k2.index.tolist() == ["q"] and "csat" not in k2.columns


def test_weekdays_stay_in_calendar_order_with_surveys():
    # the contacts-and-surveys join sorted the weekdays alphabetically (fri, mon, sat, sun…),
    # in `cxtoolkit kpis --by weekday` and the audit's kpis_weekday_x_hour.csv / workbook
    k = compute(C, R, cfg=CFG, by="weekday")
    assert k.index.tolist() == ["mon", "tue", "wed", "thu"]   # R: Tue 30 Dec, Wed 7 Jan
    assert k.loc["thu", "inbound"] == 1 and k.loc["wed", "csat"] == 0.0
    two = compute(C, R, cfg=CFG, by=["weekday", "hour"])
    assert [d for d, _ in two.index] == ["mon", "mon", "tue", "tue", "wed", "thu"]


def test_unknown_by_names_column_and_lists_available():
    with pytest.raises(InputError, match=r"'nope'.*available: received_at, channel"):
        compute(C, cfg=CFG, by="nope")


def test_compute_many_matches_compute():
    many = compute_many(C, R, CFG, cuts=[None, "agent_id", ["weekday", "hour"]])
    assert set(many) == {"overall", "agent_id", "weekday×hour"}
    pd.testing.assert_frame_equal(many["agent_id"], compute(C, R, cfg=CFG, by="agent_id"))


def test_json_shape_nan_to_null():
    over = compute(C, R, cfg=CFG)
    seg = compute(C, R, cfg=CFG, by="agent_id")
    out = to_json(over, seg, CFG)
    text = json.dumps(out, ensure_ascii=False, allow_nan=False)
    back = json.loads(text)
    assert set(back) == {"overall", "segments", "meta"}
    assert back["overall"]["inbound"] == 5 and isinstance(back["overall"]["inbound"], int)
    assert back["segments"]["(missing)"]["csat"] is None
    assert back["meta"]["service_level_formula"] == "offered"
    two = to_json(over, compute(C, cfg=CFG, by=["weekday", "hour"]))
    assert "mon | 9" in two["segments"]


def test_status_table_targets_and_locale():
    over = compute(C, R, cfg=CFG)
    st = status_table(over, CFG, "fr").set_index("key")
    # 1 Jan is a holiday (HNO): answered 3 of offered 4 = 0.75 against the client's 0.9
    # target: below 0.9 * 0.9 = 0.81 -> red
    assert st.loc["answer_rate", "value"] == pytest.approx(0.75)
    assert st.loc["answer_rate", "target"] == 0.9 and st.loc["answer_rate", "rag"] == "red"
    assert st.loc["answer_rate", "label"] == "Taux de décroché (QS)"
    assert st.loc["aht_s", "rag"] is None
    assert list(st.columns) == ["label", "value", "unit", "target", "rag"]


def test_empty_frames_give_zero_counts_and_undefined_ratios():
    k = compute(C.iloc[:0], R.iloc[:0], cfg=CFG).loc["overall"]
    assert k["inbound"] == 0 and k["n"] == 0 and k["too_few"]
    assert math.isnan(k["answer_rate"]) and math.isnan(k["csat"]) and math.isnan(k["nps_ci95_adjusted"])
    assert compute(C.iloc[:0], cfg=CFG, by="hour").empty
