"""A KPI made only of a constant the mapping assumed is not measured (NaN, said in a warning).

The Comcast complaints export has no unanswered contacts: its preset fills ``answered`` with
``true`` (``assumed: [answered]``), so the answer rate would be 100 % and the abandonment rate
0 % by construction. Those are not reported; volumes and the resolution rate stay.
"""
import json
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import write_client, write_demo_client

from cxtoolkit.config import load_config
from cxtoolkit.errors import InputError
from cxtoolkit.io import load
from cxtoolkit.kpis import compute_many
from cxtoolkit.kpis.registry import HEADLINE_KPIS, KPIS, with_data
from cxtoolkit.pipeline.produce import kpi_views

NOW = "2025-01-01"
HOURS = "{" + ", ".join(f'{d}: ["00:00", "24:00"]' for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")) + "}"
COMCAST = Path(__file__).resolve().parents[2] / "shared" / "data" / "comcast-complaints" / \
    "Comcast_telecom_complaints_data.csv"
NOT_MEASURED = ("answer_rate", "abandonment_rate", "answered", "abandoned", "short_abandons")

# a synthetic export with the Comcast ticket layout (detected by its headers)
TICKETS = pd.DataFrame({
    "Ticket #": ["250635", "223441", "242732", "277946", "307175", "338519"],
    "Customer Complaint": ["Comcast Cable Internet Speeds", "Payment disappear", "Speed and Service",
                           "Comcast Imposed a New Usage Cap", "Comcast not working", "ISP Charging"],
    "Date": ["22-04-15", "04-08-15", "18-04-15", "05-07-15", "26-05-15", "06-12-15"],
    "Date_month_year": ["22-Apr-15"] * 6,
    "Time": ["3:53:50 PM", "10:22:56 AM", "9:55:47 AM", "11:59:35 AM", "1:25:26 PM", "9:40:15 PM"],
    "Received Via": ["Customer Care Call", "Internet", "Internet", "Internet", "Customer Care Call",
                     "Customer Care Call"],
    "City": ["Abingdon", "Acworth", "Acworth", "Acworth", "Acworth", "Adrian"],
    "State": ["Maryland", "Georgia", "Georgia", "Georgia", "Georgia", "Michigan"],
    "Zip code": ["21009", "30102", "30101", "30101", "30101", "49221"],
    "Status": ["Closed", "Closed", "Open", "Solved", "Pending", "Solved"],
    "Filing on Behalf of Someone": ["No"] * 6,
})
TICKETS["Date"] = ["22-04-2015", "04-08-2015", "18-04-2015", "05-07-2015", "26-05-2015", "06-12-2015"]


def _client(tmp_path, entry: str = "tickets.csv", locale: str = "fr", frame=TICKETS, name="tickets.csv"):
    return write_client(tmp_path, "comcast", f"client: comcast\nlocale: {locale}\ncountry: US\n"
                        f"timezone: America/New_York\nbusiness_hours: {HOURS}\ndata:\n  contacts: {entry}\n",
                        {name: frame})


def test_ticket_export_reports_no_answer_rate_and_keeps_volumes(tmp_path):
    cfg = load_config(_client(tmp_path))
    data = load(cfg, now=NOW)
    assert data.details["contacts"]["preset"] == "comcast_complaints"
    assert data.assumed("contacts") == ["answered"]
    assert data.meta()["tables"]["contacts"]["assumed"] == ["answered"]
    views = kpi_views(cfg, data)   # the pipeline's views (index, KPI page, workbook, deck)
    k = views["overall"].iloc[0]
    for key in NOT_MEASURED:
        assert math.isnan(k[key]), key
    # what does not rest on the assumed column stays, against an independent count
    via = TICKETS["Received Via"]
    assert k["contacts"] == 6 and k["inbound"] == (via == "Customer Care Call").sum() == 3
    assert k["email_received"] == (via == "Internet").sum() == 3
    assert k["resolved_rate"] == pytest.approx(TICKETS["Status"].isin(["Solved", "Closed"]).mean())
    assert k["offered"] == 3
    # every cut: the channel view too
    assert views["channel"]["answer_rate"].isna().all() and views["channel"]["abandonment_rate"].isna().all()
    # the tiles drop it by themselves
    tiles = with_data(HEADLINE_KPIS, k.to_dict())
    assert "answer_rate" not in tiles and "abandonment_rate" not in tiles and "inbound" in tiles
    # said in the client's language
    said = [w for w in data.warnings if "non mesuré" in w]
    assert len(said) == 1 and "Taux de décroché (QS)" in said[0] and "answered" in said[0]
    assert "préréglage comcast_complaints" in said[0]


def test_without_the_assumption_the_constant_would_give_100_percent(tmp_path):
    """The same rows computed as if ``answered`` were measured: 100 % / 0 % (what leadership saw)."""
    cfg = load_config(_client(tmp_path))
    k = compute_many(load(cfg, now=NOW).contacts, cfg=cfg)["overall"].iloc[0]
    assert k["answer_rate"] == 1.0 and k["abandonment_rate"] == 0.0


def test_client_mapping_of_a_real_answered_column_is_measured(tmp_path):
    """A client.yml mapping ``answered`` to a column of the export wins over the preset's guess."""
    frame = TICKETS.assign(Taken=["yes", "no", "yes", "yes", "yes", "no"])
    entry = "{file: tickets.csv, preset: comcast_complaints, columns: {answered: Taken}}"
    cfg = load_config(_client(tmp_path, entry, frame=frame))
    data = load(cfg, now=NOW)
    assert data.assumed("contacts") == []
    k = kpi_views(cfg, data)["overall"].iloc[0]
    assert k["answer_rate"] == pytest.approx(2 / 3) and k["answered"] == 2   # phone rows: yes, yes, no
    assert not [w for w in data.warnings if "non mesuré" in w]


def test_a_fact_constant_stays_measured_and_an_assumed_one_in_client_yml_is_not(tmp_path):
    """``channel: phone`` for a phone-only log is a fact (inbound counted); ``assumed:`` in
    client.yml marks a guess (here the answered flag of a file of handled calls only)."""
    calls = pd.DataFrame({"Id": ["1", "2", "3"], "When": ["2024-03-04 09:00", "2024-03-04 10:00", "2024-03-05 11:00"],
                          "Wait": [10, 20, 30]})
    entry = ("{file: calls.csv, columns: {contact_id: Id, received_at: When, wait_s: Wait}, "
             "constants: {channel: phone, answered: true}, assumed: [answered]}")
    cfg = load_config(_client(tmp_path, entry, "en", calls, "calls.csv"))
    data = load(cfg, now=NOW)
    assert data.assumed() == ["answered"]
    k = kpi_views(cfg, data)["overall"].iloc[0]
    assert k["inbound"] == 3 and math.isnan(k["answer_rate"]) and math.isnan(k["abandonment_rate"])
    assert k["asa_s"] == 20.0          # the waits are measured (answered and wait_s are not both assumed)
    said = [w for w in data.warnings if "not measured" in w]
    assert len(said) == 1 and "Answer rate" in said[0] and "client.yml" in said[0]
    entry_fact = entry.replace(", assumed: [answered]", "")
    cfg = load_config(_client(tmp_path / "b", entry_fact, "en", calls, "calls.csv"))
    data = load(cfg, now=NOW)
    assert data.assumed() == [] and kpi_views(cfg, data)["overall"]["answer_rate"].iloc[0] == 1.0


def test_assumed_must_name_a_constant(tmp_path):
    calls = pd.DataFrame({"Id": ["1"], "When": ["2024-03-04 09:00"], "Answered": ["yes"], "Wait": [10]})
    entry = ("{file: calls.csv, columns: {contact_id: Id, received_at: When, wait_s: Wait, answered: Answered}, "
             "constants: {channel: phone}, assumed: [answered]}")
    with pytest.raises(InputError, match=r"assumed: answered not in constants \(constants: channel\)"):
        load(load_config(_client(tmp_path, entry, "en", calls, "calls.csv")), now=NOW)


def test_registry_declares_inputs_of_every_rate_on_answered():
    assert "answered" in KPIS["answer_rate"].inputs and KPIS["contacts"].inputs == ()
    # the columns entering the value, not those choosing the rows (answered contacts)
    assert KPIS["resolved_rate"].inputs == ("resolved",) and KPIS["asa_s"].inputs == ("wait_s",)
    assert "answered" in KPIS["service_level"].inputs and "answered" in KPIS["email_within_24h"].inputs


def test_demo_client_kpis_unchanged(tmp_path):
    """A phone export with a real ``answered``: nothing assumed, every figure as before."""
    folder = write_demo_client(tmp_path, n_contacts=1500, n_responses=300, months=2)
    cfg = load_config(folder / "client.yml")
    data = load(cfg)                   # (generated around today: no "now" in the past)
    assert all(not data.assumed(t) for t in data.details)
    ours = kpi_views(cfg, data)
    plain = compute_many(data.contacts, data.responses, cfg, cuts=[None, "channel"], sends=data.sends)
    pd.testing.assert_frame_equal(ours["overall"], plain["overall"])
    pd.testing.assert_frame_equal(ours["channel"], plain["channel"])
    assert 0 < ours["overall"]["answer_rate"].iloc[0] < 1


@pytest.mark.skipif(not COMCAST.is_file(), reason="real export not present (../shared/data)")
def test_real_comcast_export_answer_rate_not_reported(tmp_path):
    yml = write_client(tmp_path, "real", f"client: real\nlocale: en\ncountry: US\ntimezone: America/New_York\n"
                       f"business_hours: {HOURS}\ndata:\n  contacts: {json.dumps(COMCAST.name)}\n",
                       {COMCAST.name: COMCAST.read_bytes()})
    out = subprocess.run([sys.executable, "-m", "cxtoolkit.cli.main", "kpis", "--config", str(yml), "--json"],
                         capture_output=True, text=True, check=True)
    got = json.loads(out.stdout)
    k = got["overall"]
    raw = pd.read_csv(COMCAST, encoding="utf-8-sig")
    for key in NOT_MEASURED:
        assert k[key] is None, key
    assert k["contacts"] == len(raw) == 2224
    assert k["inbound"] == (raw["Received Via"] == "Customer Care Call").sum()
    assert k["resolved_rate"] == pytest.approx(raw["Status"].isin(["Solved", "Closed"]).mean())
    assert got["meta"]["tables"]["contacts"]["assumed"] == ["answered"]
    assert "Answer rate" in out.stderr and "not measured" in out.stderr


def test_kpi_page_says_it_beside_the_tiles(tmp_path):
    """The KPI page (audit and app) carries the note in the page's language and shows it."""
    from cxtoolkit.pipeline.produce import kpi_page
    from cxtoolkit.report.pages import render_kpis

    cfg = load_config(_client(tmp_path))
    data = load(cfg, now=NOW)
    res = kpi_page(cfg, data, {"loc": "en"})
    assert len(res["notes"]) == 1 and res["notes"][0].startswith("Short abandons; Answered calls")
    assert "not measured" in res["notes"][0]
    shown = []
    render_kpis(cfg, res, {"loc": "en"}, emit=shown.append)
    quoted = [getattr(o, "data", "") for o in shown if str(getattr(o, "data", "")).startswith("> ")]
    assert len(quoted) == 1 and "not measured" in quoted[0] and "answered" in quoted[0]
    assert "notes" in res and not kpi_page(cfg, _plain(data), {"loc": "en"})["notes"]


def _plain(data):
    """``data`` as if nothing were assumed."""
    import dataclasses

    return dataclasses.replace(data, details={t: {**d, "assumed": []} for t, d in data.details.items()})


# -- survey answers: the survey KPIs declare their inputs too ------------------------------

ANSWERS = pd.DataFrame({"Id": ["r1", "r2", "r3", "r4"],
                        "Date": ["2024-03-04 09:00", "2024-03-04 10:00", "2024-03-05 11:00", "2024-03-05 12:00"],
                        "Note": [5, 4, 2, 3]})


def test_survey_kpis_declare_their_scores():
    """Each survey KPI rests on the scores :func:`answer_flags` counts it by; counts of rows none."""
    assert KPIS["nps"].inputs == ("nps",) and KPIS["csat"].inputs == ("csat",) and KPIS["ces_easy"].inputs == ("ces",)
    assert set(KPIS["unhappy_share"].inputs) == {"csat", "nps"}
    assert KPIS["n"].inputs == () and KPIS["response_rate"].inputs == ()
    assert {KPIS[k].table for k in ("nps", "csat", "n")} == {"responses"}


def test_survey_kpi_inputs_match_answer_flags():
    """Known answer against the rule itself: blanking a score a KPI does not declare leaves it
    unchanged (so the declared inputs are all the scores it reads)."""
    from cxtoolkit.config import ClientConfig
    from cxtoolkit.kpis import survey_kpis
    from cxtoolkit.kpis.registry import SURVEY_KPIS

    r = pd.DataFrame({"csat": [5, 4, 2, None, 1, 3], "nps": [10, 9, 6, 3, None, 8], "ces": [7, 2, 5, None, 6, 1]},
                     dtype="float64").assign(responded_at=pd.to_datetime(["2026-05-04"] * 6))
    cfg = ClientConfig(client="x")
    base = survey_kpis(r, cfg).iloc[0]
    for score in ("csat", "nps", "ces"):
        other = survey_kpis(r.assign(**{score: float("nan")}), cfg).iloc[0]
        changed = {k for k in SURVEY_KPIS if k in base.index and not (base[k] == other[k] or
                                                                   (pd.isna(base[k]) and pd.isna(other[k])))}
        assert changed and all(score in KPIS[k].inputs for k in changed), (score, changed)


def _survey_client(tmp_path, entry: str, answers, locale: str):
    """A survey-only client whose ``responses`` entry is ``entry``: its config, loaded data and
    overall KPI row."""
    yml = write_client(tmp_path, "s", f"client: s\nlocale: {locale}\ncountry: FR\ndata:\n  responses: {entry}\n",
                       {"answers.csv": answers})
    cfg = load_config(yml)
    data = load(cfg, now=NOW)
    return cfg, data, kpi_views(cfg, data)["overall"].iloc[0]


def test_an_assumed_survey_score_is_not_measured(tmp_path):
    """A survey export with only a satisfaction note, its mapping guessing ``nps: 10`` for every
    answer (``assumed: [nps]``): the NPS would be +100 by construction; it is not reported,
    the CSAT stays, and the warning names the NPS in the client's language."""
    entry = ("{file: answers.csv, columns: {response_id: Id, responded_at: Date, csat: Note}, "
             "constants: {nps: 10}, assumed: [nps]}")
    cfg, data, k = _survey_client(tmp_path, entry, ANSWERS, "fr")
    assert data.assumed("responses") == ["nps"] and data.assumed_by_table() == {"responses": ["nps"]}
    for key in ("nps", "nps_n", "nps_ci95", "nps_ci95_adjusted"):
        assert math.isnan(k[key]), key
    assert k["csat"] == 0.5 and k["n"] == 4
    # the unhappy share reads the nps of an answer without a csat: its definition rests on the guess
    assert math.isnan(k["unhappy_share"])
    assert compute_many(None, data.responses, cfg)["overall"]["nps"].iloc[0] == 100.0   # what it would say
    said = [w for w in data.warnings if "non mesuré" in w]
    assert len(said) == 1 and "NPS (recommandation)" in said[0] and "nps (responses)" in said[0]
    assert "Clients très insatisfaits" in said[0]
    from cxtoolkit.pipeline.produce import kpi_page

    notes = kpi_page(cfg, data, {"loc": "en"})["notes"]     # the KPI page says it beside the tiles
    assert len(notes) == 1 and notes[0].startswith("NPS (recommendation)") and "not measured" in notes[0]


# -- staffing: the answered flag through the one rule, its assumed constant not shown as seen --

def test_staffing_counts_answered_by_the_rule_a_missing_flag_is_not_answered():
    """``answered`` read through :func:`cxtoolkit.rules.answered` (as the KPI engine): a
    missing flag is not answered, instead of a crash on a nullable column."""
    from cxtoolkit import staffing as S
    from cxtoolkit.config import ClientConfig
    from cxtoolkit.rules import answered

    c = pd.DataFrame({"channel": ["phone"] * 4,
                      "received_at": pd.to_datetime(["2026-10-05 09:10", "2026-10-05 09:20", "2026-10-05 09:30",
                                                     "2026-10-05 09:40"]),
                      "answered": pd.array([True, None, False, True], dtype="boolean"),
                      "wait_s": [10.0, 30.0, 20.0, 40.0], "talk_s": [100.0, 0.0, 0.0, 300.0]})
    p = S.arrival_profile(c, interval_min=60)
    row = p.loc[p["interval_start"].eq("09:00")].iloc[0]
    assert row["calls"] == 4 and row["answered"] == 2 and row["answer_rate_seen"] == 0.5 and row["aht_s"] == 200.0
    assert S.estimate_patience(c) == 50.0            # (10 + 30 + 20 + 40) s / 2 abandons (the NA one included)
    k = compute_many(c, cfg=ClientConfig(client="x", business_hours={d: ("00:00", "24:00") for d in
                                                                       ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}))
    assert int(row["answered"]) == int(k["overall"]["answered"].iloc[0]) == int(answered(c["answered"]).sum())


def test_staffing_of_an_assumed_answered_flag_is_not_shown_as_seen(tmp_path):
    """A log of handled calls only (``answered: true``, ``assumed: [answered]``): the calls per
    slot, the AHT, the plan and its cost stay (measured columns); the answered calls seen, the
    answer rate seen (100 % by construction) and the patience (no abandon by construction) are
    not measured, and the staffing page says so in the client's language."""
    from cxtoolkit import staffing as S
    from cxtoolkit.pipeline.produce import staffing_page
    from cxtoolkit.report.pages import render_staffing

    calls = pd.DataFrame({"Id": [str(i) for i in range(8)],
                          "When": [f"2024-03-0{4 + i % 2} {9 + i % 3}:{10 * (i % 6):02d}" for i in range(8)],
                          "Wait": [10, 20, 30, 40, 50, 60, 70, 80], "Talk": [200, 300, 400, 100, 200, 300, 400, 500]})
    entry = ("{file: calls.csv, columns: {contact_id: Id, received_at: When, wait_s: Wait, talk_s: Talk}, "
             "constants: {channel: phone, answered: true}, assumed: [answered]}")
    cfg = load_config(_client(tmp_path, entry, "fr", calls, "calls.csv"))
    data = load(cfg, now=NOW)
    res = staffing_page(cfg, data, {"loc": "fr"})
    profile, plan = res["profile"], res["plan"]
    assert profile["calls"].sum() == 8 and profile["aht_s"].max() > 0 and plan["agents_required"].sum() > 0
    assert profile["answered"].isna().all() and profile["answer_rate_seen"].isna().all()
    assert res["patience_s"] is None and plan["answer_rate_pred_seen"].isna().all()
    assert res["summary"]["answer_rate_seen"].isna().all()
    # what it said before: every call "answered", an answer rate seen of 100 %
    seen = S.arrival_profile(data.contacts, 60)["answer_rate_seen"].dropna()
    assert len(seen) and (seen == 1.0).all()
    assert len(res["notes"]) == 1 and "non mesuré" in res["notes"][0] and "Taux de décroché observé" in res["notes"][0]
    assert "Patience des appelants estimée" in res["notes"][0] and "client.yml" in res["notes"][0]
    shown = []
    render_staffing(cfg, res, {"loc": "fr"}, emit=shown.append)
    quoted = [str(getattr(o, "data", "")) for o in shown if str(getattr(o, "data", "")).startswith("> ")]
    assert len(quoted) == 1 and "non mesuré" in quoted[0]
    # a measured answered flag: nothing said, the seen figures stay
    plain = staffing_page(cfg, _plain(data), {"loc": "fr"})
    assert plain["notes"] == [] and plain["profile"]["answer_rate_seen"].notna().any()


@pytest.mark.skipif(not COMCAST.is_file(), reason="real export not present (../shared/data)")
def test_real_comcast_staffing_says_what_is_not_measured(tmp_path):
    """``cxtoolkit staffing`` on the real Comcast export (AHT given: the tickets have none):
    the plan, and one line saying the answer rate seen and the patience are not measured."""
    from typer.testing import CliRunner

    from cxtoolkit.cli.main import app

    yml = write_client(tmp_path, "real", f"client: real\nlocale: en\ncountry: US\ntimezone: America/New_York\n"
                       f"data:\n  contacts: {json.dumps(COMCAST.name)}\n", {COMCAST.name: COMCAST.read_bytes()})
    out = CliRunner().invoke(app, ["staffing", "--config", str(yml), "--aht-s", "300"])
    assert out.exit_code == 0, out.output
    words = " ".join(out.stdout.split())           # rich wraps the line at the terminal's width
    assert words.count("not measured") == 1
    assert "Answered calls seen; Observed answer rate; Estimated caller patience: not measured" in words
    assert "Mean patience" not in words
    # without an AHT: the tickets have no handling time, said in one line (not "no answered call")
    out = CliRunner().invoke(app, ["staffing", "--config", str(yml)])
    assert out.exit_code == 2 and "no handling time" in out.stderr and "no answered" not in out.stderr


def test_init_from_a_ticket_export_says_what_its_preset_assumes(tmp_path):
    """``cxtoolkit init --from`` a Comcast ticket export: the preset's entry carries, in the
    client's language, that it assumes ``answered`` and which KPIs are therefore not measured."""
    import yaml

    from cxtoolkit.io.scaffold import init_client

    f = tmp_path / "tickets.csv"
    TICKETS.to_csv(f, index=False)
    for locale, said in (("fr", "le préréglage comcast_complaints suppose answered"),
                         ("en", "preset comcast_complaints assumes answered")):
        yml, _ = init_client(f"t{locale}", [f], tmp_path / "client_data", locale=locale)
        lines = yml.read_text(encoding="utf-8").splitlines()
        at = lines.index("    preset: comcast_complaints")
        top = at
        while lines[top - 1].strip().startswith("#"):       # the whole comment above the entry
            top -= 1
        comment = " ".join(ln.strip().lstrip("# ") for ln in lines[top:at])
        assert comment.startswith(said) and ("non mesuré" if locale == "fr" else "not measured") in comment
        assert ("Taux de décroché (QS)" if locale == "fr" else "Answer rate") in comment
        assert yaml.safe_load("\n".join(lines))["data"]["contacts"] == {"file": "tickets.csv",
                                                                       "preset": "comcast_complaints"}


def test_unhappy_share_of_a_guessed_csat_is_not_measured(tmp_path):
    """``unhappy_share`` reads the csat of an answer (else its nps): with ``assumed: [csat]``
    every answer has the guessed csat, so the share is the guess (0 % very unhappy by
    construction), not measured; the NPS, measured, stays. The rule: a KPI is not measured
    when any column entering its value is assumed (rules.rests_on)."""
    from cxtoolkit.kpis.registry import unmeasured
    from cxtoolkit.rules import rests_on

    answers = pd.DataFrame({"Id": ["1", "2", "3", "4"], "Date": ["2024-03-04"] * 4, "Reco": [0, 3, 9, 10]})
    entry = ("{file: answers.csv, columns: {response_id: Id, responded_at: Date, nps: Reco}, "
             "constants: {csat: 5}, assumed: [csat]}")
    cfg, data, k = _survey_client(tmp_path, entry, answers, "en")
    assert math.isnan(k["csat"]) and math.isnan(k["unhappy_share"])
    assert k["nps"] == 0.0                                     # 2 promoters, 2 detractors of 4: measured
    assert compute_many(None, data.responses, cfg)["overall"]["unhappy_share"].iloc[0] == 0.0   # the guess
    said = [w for w in data.warnings if "not measured" in w]
    assert len(said) == 1 and "Very unhappy customers" in said[0]
    assert "unhappy_share" in unmeasured({"responses": ["csat"]}) and "unhappy_share" in unmeasured({"responses": ["nps"]})
    assert rests_on(("csat", "nps"), ["csat"]) and not rests_on(("csat", "nps"), ["ces"])


# -- staffing of an export without handling times (tickets): what is missing, said once ------

def test_staffing_of_tickets_without_handling_time_says_what_is_missing(tmp_path):
    """The Comcast ticket layout has phone rows but no talk / hold / wrap time: the CLI stops
    in one line (exit 2) saying, in the client's language, that the export has no handling
    time and how to give one (not "no answered phone call": every ticket is answered); the
    audit skips the staffing section with that reason; a given AHT makes the plan."""
    from typer.testing import CliRunner

    from cxtoolkit.cli.main import app
    from cxtoolkit.pipeline.results import compute_results

    yml = _client(tmp_path)
    for locale, said in (("fr", "aucune durée de traitement"), ("en", "no handling time")):
        out = CliRunner().invoke(app, ["staffing", "--config", str(yml), "--locale", locale])
        assert out.exit_code == 2, out.output
        err = [ln for ln in out.stderr.splitlines() if ln.startswith(("error:", "erreur :"))]
        assert len(err) == 1 and said in err[0] and "--aht-s" in err[0], out.stderr
        assert "answered" not in err[0] and "décroché" not in err[0] and "Traceback" not in out.output
    cfg = load_config(yml)
    res = compute_results(cfg, load(cfg, now=NOW), "2015")
    assert "aucune durée de traitement" in res.missing["staffing"] and res.staffing is None
    ok = CliRunner().invoke(app, ["staffing", "--config", str(yml), "--aht-s", "300", "--json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout)["plan"]


def test_staffing_with_handling_times_but_no_answered_call_says_so():
    from cxtoolkit import staffing as S

    c = pd.DataFrame({"channel": ["phone"] * 2, "received_at": pd.to_datetime(["2026-10-05 09:10"] * 2),
                      "answered": [False, False], "wait_s": [10.0, 20.0], "talk_s": [0.0, 0.0]})
    with pytest.raises(InputError, match="no answered phone call to measure the average handling time"):
        S.staffing_plan(S.arrival_profile(c, 60), service_level=0.8)
    with pytest.raises(InputError) as said:
        S.staffing_plan(S.arrival_profile(c.drop(columns="talk_s"), 60), service_level=0.8)
    assert "aucune durée de traitement" in said.value.render("fr")   # said where it is shown


def _handled_calls_client(tmp_path, locale="fr"):
    calls = pd.DataFrame({"Id": [str(i) for i in range(8)],
                          "When": [f"2024-03-0{4 + i % 2} {9 + i % 3}:{10 * (i % 6):02d}" for i in range(8)],
                          "Wait": [10, 20, 30, 40, 50, 60, 70, 80], "Talk": [200, 300, 400, 100, 200, 300, 400, 500]})
    entry = ("{file: calls.csv, columns: {contact_id: Id, received_at: When, wait_s: Wait, talk_s: Talk}, "
             "constants: {channel: phone, answered: true}, assumed: [answered]}")
    return _client(tmp_path, entry, locale, calls, "calls.csv")


def test_every_output_of_the_staffing_figures_says_what_is_not_measured(tmp_path):
    """``assumed: [answered]``: the figures and their note come from one producer
    (produce.staffing_figures): the CLI table, ``cxtoolkit staffing --json`` and the audit
    deck's staffing slide all say, in the client's language, which staffing figures are not
    measured (the page said it already)."""
    import io as _io

    from pptx import Presentation
    from typer.testing import CliRunner

    from cxtoolkit.cli.main import app
    from cxtoolkit.pipeline.results import compute_results
    from cxtoolkit.report import audit_deck as AD

    yml = _handled_calls_client(tmp_path)
    out = CliRunner().invoke(app, ["staffing", "--config", str(yml), "--json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert list(doc) == ["plan", "meta"] and doc["plan"]
    assert doc["meta"]["not_measured"] == ["answered", "answer_rate_seen", "patience_s"]
    notes = [w for w in doc["meta"]["warnings"] if "Taux de décroché observé" in w]
    assert len(notes) == 1 and "non mesuré" in notes[0]
    table = CliRunner().invoke(app, ["staffing", "--config", str(yml)])
    assert " ".join(table.stdout.split()).count("Taux de décroché observé") == 1
    cfg = load_config(yml)
    r = compute_results(cfg, load(cfg, now=NOW), "2024-03")
    assert r.staffing is not None and r.staffing_notes == r.pages["staffing"]["notes"] == notes
    prs = Presentation(_io.BytesIO(AD.to_pptx(r)))
    said = [s for s in prs.slides for sh in s.shapes if sh.has_text_frame
            and "non mesuré" in sh.text_frame.text and "Taux de décroché observé" in sh.text_frame.text]
    assert len(said) == 1 and any(sh.has_chart for sh in said[0].shapes)   # on the staffing slide
    # a measured answered flag: nothing said anywhere
    plain = tmp_path / "plain"
    yml2 = _handled_calls_client(plain)
    yml2.write_text(yml2.read_text(encoding="utf-8").replace(", assumed: [answered]", ""), encoding="utf-8")
    doc2 = json.loads(CliRunner().invoke(app, ["staffing", "--config", str(yml2), "--json"]).stdout)
    assert doc2["meta"]["not_measured"] == [] and doc2["meta"]["warnings"] == []
