"""Issue 14 item 5: every KPI the engine computes is in the registry, and the registry holds
the KPI key lists and denominators the engine, the audit and the CLI use."""
import numpy as np
import pandas as pd

from cxtoolkit.config import ClientConfig
from cxtoolkit.kpis import compute, compute_many
from cxtoolkit.kpis import registry as R


def _rich_data():
    t = pd.to_datetime(["2026-05-04 10:00", "2026-05-04 10:05", "2026-05-05 11:00", "2026-05-05 12:00",
                        "2026-05-06 09:30", "2026-05-06 09:40", "2026-05-07 14:00", "2026-05-09 20:00"])
    contacts = pd.DataFrame({
        "contact_id": [f"c{i}" for i in range(8)], "customer_id": ["a", "a", "b", "c", "c", "d", "e", "f"],
        "channel": ["phone", "phone", "email", "email", "chat", "chat", "phone", "phone"],
        "received_at": t, "answered": [True, False, True, False, True, True, True, False],
        "wait_s": [12.0, 40.0, 7200.0, np.nan, 30.0, 90.0, 8.0, 3.0],
        "talk_s": [200.0, np.nan, np.nan, np.nan, 100.0, 100.0, 300.0, np.nan],
        "handled_by": [None, None, None, None, "bot", "agent", None, None],
        "resolved": [True, None, False, None, True, True, True, None], "country": "FR"})
    responses = pd.DataFrame({"contact_id": ["c0", "c2", "c4", "c6"], "responded_at": t[[0, 2, 4, 6]],
                              "csat": [5, 2, np.nan, 4.0], "nps": [10, 3, 8, np.nan], "ces": [6, 2, 5, np.nan]})
    sends = pd.DataFrame({"contact_id": ["c0", "c2", "c4", "c6", "c7"], "sent_at": t[[0, 2, 4, 6, 7]]})
    daily = pd.DataFrame({"date": pd.to_datetime(["2026-05-04", "2026-05-05"]), "offered": [100, 10],
                          "answered": [90, 10], "abandoned": [10, 0], "asa_s": [60.0, 10.0], "aht_s": [300.0, 200.0]})
    return contacts, responses, sends, daily


def test_every_kpi_the_engine_computes_is_in_the_registry():
    contacts, responses, sends, daily = _rich_data()
    cfg = ClientConfig(client="x")
    cuts = [None, "channel", "week", ["weekday", "hour"]]
    frames = list(compute_many(contacts, responses, cfg, cuts=cuts, sends=sends).values())
    frames.append(compute(None, responses, cfg, sends=sends, daily_reports=daily))
    frames.append(compute(None, None, cfg, daily_reports=daily, by="week"))
    computed = set().union(*(f.columns for f in frames))
    assert computed - set(R.KPIS) == set()
    # the rich data reaches the optional KPIs too: chat per handler, resolved, response rate
    assert {"chat_within_60s_bot", "resolved_rate", "response_rate"} <= computed


def test_key_lists_and_denominators_name_registry_kpis():
    lists = [R.CONTACT_KPIS, R.SURVEY_KPIS, R.DAILY_KPIS, R.HEADLINE_KPIS, R.TREND_KPIS,
             R.HISTORY_COUNTS, R.NOT_HISTORY, R.CLI_SUMMARY_KPIS]
    for keys in lists:
        assert set(keys) <= set(R.KPIS), set(keys) - set(R.KPIS)
    for key, den in R.DENOMINATORS.items():
        assert R.KPIS[den].unit == "count" and R.KPIS[key].unit != "count", (key, den)
    assert R.DENOMINATORS["answer_rate"] == "offered" and R.DENOMINATORS["nps"] == "nps_n"


def test_the_engine_and_the_audit_read_the_registry_lists():
    from cxtoolkit.audit import collect
    from cxtoolkit.kpis import contacts, daily, surveys

    assert contacts.CONTACT_KPIS is R.CONTACT_KPIS and surveys.SURVEY_KPIS is R.SURVEY_KPIS
    assert daily.KPI_COLUMNS == ["days", *R.DAILY_KPIS]
    assert collect.DENOMINATORS is R.DENOMINATORS
    v = {"overall": pd.DataFrame({k: [1.0] for k in R.KPIS}, index=pd.Index(["overall"]))}
    assert tuple(collect.summary(v)) == R.HEADLINE_KPIS


def test_too_few_is_a_yes_no_not_a_count():
    """``too_few`` (fewer answers than kpi.min_answers) is a yes/no: shown oui / non, never "1"."""
    from cxtoolkit.rules import format_value

    assert R.KPIS["too_few"].unit == "bool"
    assert [format_value(v, R.KPIS["too_few"].unit, "fr") for v in (1.0, 0.0, True)] == ["oui", "non", "oui"]
    assert format_value(1.0, R.KPIS["too_few"].unit, "en") == "yes"


def test_a_kpi_label_leaves_its_unit_to_the_value():
    """"DMA (durée moyenne d'attente, s) 33 s": the label carried the unit its value repeats.
    One rule: the label names the KPI, the value (format_value, the workbook's number formats)
    carries the unit — in tiles, tables, workbook headers and the deck alike."""
    import re

    from cxtoolkit.kpis.engine import status_table
    from cxtoolkit.rules import format_value

    unit_in_label = re.compile(r"(\(|, )(s|h|%)\)$")
    for k in R.KPIS.values():
        for loc in ("fr", "en"):
            assert not unit_in_label.search(k.label(loc)), (k.key, k.label(loc))
    st = status_table(pd.DataFrame({"asa_s": [33.0]}, index=["overall"]), ClientConfig(client="x"), "fr")
    row = st.set_index("key").loc["asa_s"]
    assert f"{row['label']} {format_value(row['value'], row['unit'], 'fr')}" == "DMA (durée moyenne d'attente) 33 s"
