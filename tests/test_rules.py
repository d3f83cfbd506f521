"""The business rules, defined once in cxtoolkit.rules: known answers at the boundaries, and
no other module of the package writing the thresholds or the week label again."""
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxtoolkit
from cxtoolkit import rules

NAN = float("nan")


def test_nps_groups_at_the_boundaries_on_0_to_10():
    nps = np.array([0, 5, 6, 6.5, 7, 8, 8.5, 9, 10, NAN])
    assert rules.detractor(nps).tolist() == [True, True, True, False, False, False, False, False, False, False]
    assert rules.passive(nps).tolist() == [False, False, False, True, True, True, True, False, False, False]
    assert rules.promoter(nps).tolist() == [False, False, False, False, False, False, False, True, True, False]
    # every answered score is in exactly one group; a missing one in none
    groups = rules.detractor(nps).astype(int) + rules.passive(nps) + rules.promoter(nps)
    assert groups.tolist() == [1] * 9 + [0]


def test_csat_top2_and_very_unhappy_on_1_to_5():
    csat = pd.Series([1, 2, 3, 4, 5, NAN])
    assert rules.csat_top2(csat).tolist() == [False, False, False, True, True, False]
    assert rules.csat_very_unhappy(csat).tolist() == [True, True, False, False, False, False]


def test_very_unhappy_uses_csat_first_then_nps():
    csat = [2, 3, 3, NAN, NAN, NAN, NAN]
    nps = [10, 0, NAN, 6, 7, NAN, 9]
    assert rules.very_unhappy(csat, nps).tolist() == [True, False, False, True, False, False, False]
    assert rules.happy(csat, nps).tolist() == [False, False, False, False, False, False, True]
    assert rules.happy([4, 5], [0, 0]).tolist() == [True, True]


def test_ces_easy_on_both_scales():
    assert rules.ces_easy(np.array([4, 5, 7, NAN]), 7).tolist() == [False, True, True, False]
    assert rules.ces_easy(np.array([3, 4, 5, NAN]), 5).tolist() == [False, True, True, False]


def test_week_label_is_iso_and_the_same_for_kpis_and_journey():
    from cxtoolkit.config import ClientConfig
    from cxtoolkit.journey import friction_map
    from cxtoolkit.kpis.engine import group_codes

    days = pd.Series(pd.to_datetime(["2025-12-29", "2026-01-04", "2026-05-04 23:59", "2026-05-10", None], format="ISO8601"))
    assert rules.week_label(days).tolist()[:4] == ["2026-W01", "2026-W01", "2026-W19", "2026-W19"]
    assert pd.isna(rules.week_label(days).iloc[4])
    assert rules.week_label(pd.DatetimeIndex(["2020-12-31"])).tolist() == ["2020-W53"]
    frame = pd.DataFrame({"received_at": days[:4], "responded_at": days[:4], "csat": [5, 1, 4, 2.0],
                          "touchpoint": ["billing"] * 4})
    kpi_weeks = group_codes(frame, "week", "received_at").index.tolist()
    journey_weeks = friction_map(frame, ClientConfig(client="x"), by="week")["week"].unique().tolist()
    assert kpi_weeks == ["2026-W01", "2026-W19"]
    assert sorted(map(str, journey_weeks)) == kpi_weeks   # was "2026-05-04/2026-05-10" in journey


@pytest.mark.parametrize("value, unit, locale, expected", [
    (0.8512, "ratio", "fr", "85,1 %"), (0.8512, "ratio", "en", "85.1%"),
    (42.4, "seconds", "fr", "42 s"), (2.25, "hours", "en", "2.3 h"),      # a half away from zero, as
    (12.0, "nps", "fr", "+12,0"), (-3.25, "nps", "en", "-3.3"),            # Excel's formats show it
    (4.125, "score", "fr", "4,13"), (130462, "count", "fr", "130\u202f462"), (130462, "count", "en", "130,462"),
    (None, "ratio", "fr", "–"), (NAN, "count", "en", "–"), (True, "count", "fr", "oui"),
])
def test_format_value_known_answers(value, unit, locale, expected):
    assert rules.format_value(value, unit, locale) == expected


def test_index_page_notebooks_and_cli_format_numbers_the_same_way():
    from cxtoolkit.audit.index import fmt_value
    from cxtoolkit.cli.demo_cmd import _fmt
    from cxtoolkit.viz.kpis import format_value

    for key, value, unit in [("answer_rate", 0.8512, "ratio"), ("inbound", 130462, "count"),
                             ("asa_s", 42.4, "seconds"), ("nps", None, "nps")]:
        for loc in ("fr", "en"):
            one = rules.format_value(value, unit, loc)
            assert fmt_value(key, value, loc) == one
            assert _fmt(key, value, loc) == one
            assert format_value(value, unit, loc) == one


# -- the thresholds are written once ------------------------------------------------------

_SCORE = r"(?:\b(?:nps|csat|ces)(?:_v|_score)?\b|\[\s*[\"'](?:nps|csat|ces)[\"']\s*\])"
_FORBIDDEN = {
    "a survey score compared with a literal (use cxtoolkit.rules)":
        re.compile(_SCORE + r"[\"')\]]*\s*(?:>=|<=|>|<)\s*(?:10|\d)(?![.\d])"),
    "a literal survey threshold (use cxtoolkit.rules)": re.compile(r"(?:>=|<=)\s*(?:9|6)\b(?![.\d])\)?\.astype"),
    "an ISO week label built by hand (use rules.week_label)": re.compile(r"isocalendar\(\)|\"-W\"|strftime\(\"%G"),
    "a weekly period label (use rules.week_label)": re.compile(r"to_period\([\"']W"),
}


def _violations(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "rules.py" and path.parent == root:
            continue
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            for why, rx in _FORBIDDEN.items():
                if rx.search(code):
                    found.append(f"{path.relative_to(root)}:{i}: {why}: {line.strip()}")
    return found


def test_no_module_outside_rules_hard_codes_the_survey_rules():
    assert _violations(Path(cxtoolkit.__file__).parent) == []


def test_the_grep_catches_a_hard_coded_rule(tmp_path):
    (tmp_path / "m.py").write_text('p = (r["nps"] >= 9).astype(int)\nu = csat <= 2\n'
                                   'w = d.dt.isocalendar()\nq = d.dt.to_period("W")\nok = n >= 9  # n: a count\n')
    assert [v.split(":")[1] for v in _violations(tmp_path)] == ["1", "1", "2", "3", "4"]


# -- the contact rules: one definition, its pandas form and its SQL form --------------------

def test_contact_rules_sql_form_equals_pandas_form_on_edge_values():
    """Each contact rule of cxtoolkit.rules given NumPy arrays and given DuckDB expressions
    (the out-of-core engine's SQL) says the same on waits on and beside every threshold, a
    missing answered flag, a missing wait and every handling-time gap; the SQL is never NULL."""
    import duckdb
    from duckdb import ColumnExpression as C

    S, T = 5.0, 20.0
    waits = [None, 0.0, float(np.nextafter(S, 0)), S, float(np.nextafter(S, 10)), T, float(np.nextafter(T, 30)),
             60.0, 60.5, 18000.0, 18000.5, 86400.0, 86401.0]
    flags = [True, False, None]
    parts = [None, 0.0, 30.0]
    rows = [(a, w, t, h, x) for a in flags for w in waits for t, h, x in
            [(t, h, x) for t in parts for h in parts for x in parts]]
    frame = pd.DataFrame(rows, columns=["answered", "wait_s", "talk_s", "hold_s", "wrap_s"])
    frame["answered"] = frame["answered"].astype("boolean")
    for c in ("wait_s", "talk_s", "hold_s", "wrap_s"):
        frame[c] = frame[c].astype("float64")
    a, w = frame["answered"], frame["wait_s"]
    pandas_form = {
        "answered": rules.answered(a),
        "short_abandon": rules.short_abandon(a, w, S),
        "abandoned": rules.abandoned(a, w, S),
        "within_sl": rules.within(w, T),
        "within_5h": rules.within(w, rules.EMAIL_WITHIN_S[0]),
        "within_24h": rules.within(w, rules.EMAIL_WITHIN_S[1]),
        "within_chat": rules.within(w, rules.CHAT_WITHIN_S),
        "handle": rules.handle_time(frame["talk_s"], frame["hold_s"], frame["wrap_s"]),
    }
    ca, cw = C("answered"), C("wait_s")
    sql_form = {
        "answered": rules.answered(ca), "short_abandon": rules.short_abandon(ca, cw, S),
        "abandoned": rules.abandoned(ca, cw, S), "within_sl": rules.within(cw, T),
        "within_5h": rules.within(cw, rules.EMAIL_WITHIN_S[0]), "within_24h": rules.within(cw, rules.EMAIL_WITHIN_S[1]),
        "within_chat": rules.within(cw, rules.CHAT_WITHIN_S),
        "handle": rules.handle_time(C("talk_s"), C("hold_s"), C("wrap_s")),
    }
    con = duckdb.connect()
    con.register("t", frame)
    got = con.execute("SELECT " + ", ".join(f"{e} AS {k}" for k, e in sql_form.items()) + " FROM t").df()
    for key, expected in pandas_form.items():
        col = got[key]
        if key == "handle":
            assert np.array_equal(col.to_numpy("float64", na_value=np.nan), expected, equal_nan=True), key
        else:
            assert col.notna().all(), key                      # two-valued in SQL, as in pandas
            assert col.astype(bool).tolist() == list(expected), key
    # known answers at the boundaries (the rule, not only the two forms agreeing)
    edge = pd.DataFrame({"answered": pd.array([False, False, False, None, True], dtype="boolean"),
                         "wait_s": [float(np.nextafter(S, 0)), S, np.nan, 1.0, 1.0]})
    assert rules.short_abandon(edge["answered"], edge["wait_s"], S).tolist() == [True, False, False, True, False]
    assert rules.abandoned(edge["answered"], edge["wait_s"], S).tolist() == [False, True, True, False, False]
    assert rules.within([T, np.nextafter(T, 30), np.nan], T).tolist() == [True, False, False]


def test_the_out_of_core_engine_writes_no_contact_rule_of_its_own():
    """The SQL engine takes the contact rules from cxtoolkit.rules (contact_rules_sql), not
    its own copy: no coalesce of the answered flag, no literal wait threshold in its source."""
    import inspect

    from cxtoolkit import outofcore

    src = inspect.getsource(outofcore)
    for copy in ("coalesce(answered", "coalesce({val['answered']}", 'coalesce({v}, false)', "AND answered",
                 "wait_s <= 60", "18000", "86400 * 1_000_000", "wait_s < {S}", "wait_s <= {T}"):
        assert copy not in src, copy
    sql = outofcore.agg_sql(__import__("cxtoolkit.config", fromlist=["ClientConfig"]).ClientConfig(client="x"))
    r = outofcore.contact_rules_sql(5.0, 20.0)
    for key in ("answered", "short_abandon", "abandoned", "within_sl", "within_5h", "within_24h", "within_chat"):
        assert r[key] in sql, key


def test_staffing_and_kpi_aht_share_the_handle_time_rule():
    from cxtoolkit import staffing as S

    ph = pd.DataFrame({"talk_s": [100.0, np.nan, np.nan], "hold_s": [np.nan, 0.0, np.nan]})
    assert np.array_equal(S._handle_s(ph), [100.0, 0.0, np.nan], equal_nan=True)
    assert np.isnan(S._handle_s(pd.DataFrame({"x": [1]}))).all()


def test_qa_sampling_long_calls_by_the_handle_time_rule():
    """QA sampling's "long conversation" (above the queue's P90 handling time) reads the AHT's
    rule: a call with no handling time measured is left out of the P90, not counted as 0 s
    (30 such calls pulled the P90 down to 610 s: four calls were "long" instead of one)."""
    from cxtoolkit.quality.sampling import sampling_plan
    from cxtoolkit.quality.settings import QualitySettings

    n = 40
    talk = [np.nan] * 30 + [100.0 * i for i in range(1, 11)]
    c = pd.DataFrame({"contact_id": [f"c{i:02d}" for i in range(n)], "agent_id": ["a1"] * n,
                      "received_at": pd.to_datetime(["2026-05-04 10:00"] * n), "answered": [True] * n,
                      "talk_s": talk, "hold_s": [np.nan] * n})
    plan = sampling_plan(c, settings=QualitySettings(reviews_per_agent_week=4, complaint_share=0.0, long_share=1.0))
    long_ = plan.loc[plan["reason"] == "long", "contact_id"].tolist()
    assert long_ == ["c39"]              # 1000 s > P90 of the 10 measured calls (910 s)


@pytest.mark.parametrize("value, unit, locale, kw, expected", [
    (-0.0004, "ratio", "fr", {}, "0,0 %"),            # -0.04 % reads 0,0 %, not -0,0 %
    (-0.0004, "ratio", "en", {}, "0.0%"),
    (-0.04, "nps", "fr", {}, "0,0"),                        # NPS: no sign on a zero, neither - nor +
    (0.04, "nps", "en", {}, "0.0"),
    (-0.05, "nps", "en", {}, "-0.1"),                       # a half still rounds away from zero
    (-0.3, "seconds", "fr", {}, "0 s"),
    (-0.04, "hours", "en", {}, "0.0 h"),
    (-0.001, "score", "fr", {}, "0,00"),
    (-0.4, "index", "en", {}, "0"),
    (-0.04, "number", "fr", {"signed": True}, "0,0"),
    (0.04, "number", "en", {"signed": True}, "0.0"),
    (-0.004, "multiple", "en", {}, "0.00×"),
    (-0.4, "count", "fr", {}, "0"),
    (-0.004, "money", "en", {"decimals": 2}, "€0.00"),
])
def test_format_value_shows_no_sign_on_a_value_that_reads_zero(value, unit, locale, kw, expected):
    assert rules.format_value(value, unit, locale, **kw) == expected


@pytest.mark.parametrize("value, unit, expected", [
    (1e30, "count", "1,000,000,000,000,000,000,000,000,000,000"),
    (-1e29, "money", "-€100,000,000,000,000,000,000,000,000,000"),
    (1e30, "ratio", "100,000,000,000,000,000,000,000,000,000,000.0%".replace(",", "")),
    (2.5e40, "number", "25000000000000000000000000000000000000000.0"),
])
def test_format_value_of_a_huge_value_does_not_fail(value, unit, expected):
    # a half away from zero on 15 significant digits must not need more digits than Decimal's
    # default context holds (28): 1e30 was an InvalidOperation, where Python's format wrote it
    assert rules.format_value(value, unit, "en") == expected
