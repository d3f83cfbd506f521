"""Issue 12 item 5 — partial data is normal — and item 6 — survey KPIs follow the contact.

Small fixtures with answers computed by hand."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from cxtoolkit import journey as J
from cxtoolkit import quality as Q
from cxtoolkit.config import ClientConfig
from cxtoolkit.errors import InputError
from conftest import write_client


# ----------------------------------------------------------------------- public holidays
def test_open_on_public_holidays_counts_holiday_calls_in_hours(tmp_path):
    from cxtoolkit.config import load_config
    from cxtoolkit.kpis import contact_kpis

    # Fri 1 May 2026 (FR holiday) 10:00 and 20:00, Tue 5 May 10:00
    c = pd.DataFrame({"channel": "phone", "answered": True, "wait_s": 1.0,
                      "received_at": pd.to_datetime(["2026-05-01 10:00", "2026-05-01 20:00",
                                                     "2026-05-05 10:00"])})
    opened = load_config(write_client(tmp_path, "acme", {"country": "FR", "open_on_public_holidays": True}))
    assert opened.open_on_public_holidays is True
    assert contact_kpis(c, ClientConfig(client="acme")).loc["overall", "hno_calls"] == 2   # holiday + 20:00
    assert contact_kpis(c, opened).loc["overall", "hno_calls"] == 1                       # 20:00 only
    with pytest.raises(InputError, match="open_on_public_holidays"):
        load_config(write_client(tmp_path, "acme", "client: acme\nopen_on_public_holidays: maybe\n"))


# ----------------------------------------------------------------------- quality grids
def _evals():
    # e1: Politeness 3/5, Resolution 4/4  -> (3 + 4) / (5 + 4) points = 77.8
    # e2: Politeness 5/5, Resolution 0/4  -> 5 / 9 = 55.6
    return pd.DataFrame({
        "evaluation_id": ["e1", "e1", "e2", "e2"], "agent_id": ["a1", "a1", "a2", "a2"],
        "evaluator_id": ["q1"] * 4, "contact_id": ["c1", "c1", "c2", "c2"],
        "evaluated_at": pd.to_datetime(["2026-03-02"] * 4),
        "criterion": ["Politeness", "Resolution"] * 2, "score": [3.0, 4.0, 5.0, 0.0],
        "max_score": [5.0, 4.0, 5.0, 4.0]})


def test_evaluations_with_criteria_in_no_grid_are_scored_on_points_with_a_warning():
    rep = Q.quality_report(_evals(), cfg=ClientConfig(client="acme"), locale="en")
    s = rep["scored"].set_index("evaluation_id")["score"]
    assert s["e1"] == pytest.approx(100 * 7 / 9) and s["e2"] == pytest.approx(100 * 5 / 9)
    assert len(rep["warnings"]) == 1
    assert "Politeness" in rep["warnings"][0] and "Resolution" in rep["warnings"][0]
    assert "points" in rep["warnings"][0]
    # a French report says it in French (the quality page showed the English warning)
    fr = Q.quality_report(_evals(), cfg=ClientConfig(client="acme"), locale="fr")["warnings"]
    assert fr == ["grille 'standard' : critères absents de son fichier (Politeness, Resolution), notes calculées "
                  "sur les points (note / note maximale, sans critère éliminatoire)"]


def test_evaluations_on_the_grid_keep_its_weights():
    ev = _evals().assign(criterion=["greeting", "correct_answer"] * 2, max_score=[4.0, 1.0] * 2,
                         score=[2.0, 1.0, 4.0, 1.0])
    grids, warnings = Q.resolve_grids(ev)
    assert warnings == [] and grids[-1].source.endswith("standard.yml")
    # weights 1 (greeting /4) and 3 (correct_answer /1): e1 = (0.5 + 3) / 4
    s = Q.score_evaluations(ev, grids).set_index("evaluation_id")["score"]
    assert s["e1"] == pytest.approx(87.5) and s["e2"] == pytest.approx(100.0)


# ----------------------------------------------------------------------- journey
def _journey_cfg(**kw):
    return ClientConfig(client="x", journey=["ordering", "delivery", "first_use"], kpi={"min_answers": 2}, **kw)


def test_touchpoints_map_through_client_yml_or_an_accent_and_case_insensitive_match():
    cfg = _journey_cfg(journey_touchpoints={"Colis / parcel": "delivery"})
    r = pd.DataFrame({"touchpoint": ["COMMANDE", "commande", "Livraison", "Colis / parcel", "first use",
                                     "Première utilisation", "Ailleurs"],
                      "csat": [5, 1, 1, 2, 5, 4, 1.0]})
    fm = J.friction_map(r, cfg).set_index("stage")
    assert fm["answers"].to_dict() == {"ordering": 2, "delivery": 2, "first_use": 2}
    assert fm.loc["ordering", "unhappy_share"] == 0.5 and fm.loc["delivery", "unhappy_share"] == 1.0
    assert fm.loc["first_use", "unhappy_share"] == 0.0


def test_journey_touchpoints_must_name_stages(tmp_path):
    from cxtoolkit.config import load_config

    yml = write_client(tmp_path, "x", {"journey": ["ordering"], "journey_touchpoints": {"Colis": "delivery"}})
    with pytest.raises(InputError, match="journey_touchpoints.*'delivery' not a stage"):
        load_config(yml)


def test_friction_falls_back_to_answers_when_no_contact_reason_maps_to_a_stage():
    cfg = _journey_cfg(journey_reasons={"late parcel": "delivery"})
    # ordering: 4 answers, 1 unhappy; delivery: 2 answers, 2 unhappy; first_use: none
    r = pd.DataFrame({"touchpoint": ["ordering"] * 4 + ["delivery"] * 2, "csat": [5, 5, 4, 1, 1, 2.0]})
    contacts = pd.DataFrame({"reason": ["Billing", "Login", "Billing"]})   # none maps to a stage
    fm = J.friction_map(r, cfg, contacts=contacts).set_index("stage")
    assert set(fm["volume_basis"]) == {"answers"}
    # volume shares 4/6 and 2/6; friction raw 1/4 * 4/6 = 1/6 and 1 * 2/6 = 1/3 -> index 50, 100
    assert fm.loc["ordering", "volume_share"] == pytest.approx(4 / 6)
    assert fm.loc["ordering", "friction_index"] == pytest.approx(50.0)
    assert fm.loc["delivery", "friction_index"] == pytest.approx(100.0)
    assert fm.loc["delivery", "rank"] == 1
    lines = J.comment_friction(fm.reset_index(), "en")
    assert "of survey answers" in lines[0] and "no contact reason maps to a stage" in lines[0]
    # a contact that maps: volume from contacts again
    mapped = J.friction_map(r, cfg, contacts=pd.DataFrame({"reason": ["late parcel", "Billing"]}))
    assert set(mapped["volume_basis"]) == {"contacts"}
    assert "of contact volume" in J.comment_friction(mapped, "en")[0]


# ----------------------------------------------------------------------- item 6
CONTACTS = pd.DataFrame({
    "contact_id": ["c1", "c2", "c3", "c4"], "channel": "phone",
    "received_at": pd.to_datetime(["2026-03-02 10:00", "2026-03-02 11:00", "2026-03-03 10:00", "2026-03-03 12:00"]),
    "answered": True, "wait_s": 5.0, "reason": ["billing", "billing", "delivery", None]})
RESPONSES = pd.DataFrame({
    "response_id": ["r1", "r2", "r3", "r4", "r5"], "contact_id": ["c1", "c2", "c3", "c4", "c9"],
    "responded_at": pd.to_datetime(["2026-03-02 12:00"] * 5),
    "csat": [5, 2, 1, 4, 5.0], "nps": [10, 6, 3, 9, 9.0]})


def test_survey_kpis_follow_the_contact_by_contact_id():
    from cxtoolkit.kpis import compute

    k = compute(CONTACTS, RESPONSES, cfg=ClientConfig(client="x"), by="reason")
    # billing: csat 5, 2 -> top-2 1/2; nps 10, 6 -> (1 - 1) / 2 = 0; delivery: csat 1, nps 3 -> -100
    assert k.loc["billing", "csat_n"] == 2 and k.loc["billing", "csat"] == 0.5
    assert k.loc["billing", "nps"] == 0.0 and k.loc["delivery", "nps"] == -100.0
    assert k.loc["delivery", "unhappy_share"] == 1.0 and k.loc["billing", "inbound"] == 2
    # c4 has no reason, r5's contact is unknown: both under (missing), so segments add up
    assert k.loc["(missing)", "csat_n"] == 2 and k["csat_n"].sum() == len(RESPONSES)
    # an independent computation: merge, then group
    m = RESPONSES.merge(CONTACTS[["contact_id", "reason"]], on="contact_id", how="left")
    m["reason"] = m["reason"].fillna("(missing)")
    top2 = m.assign(t=m["csat"] >= 4).groupby("reason")["t"].mean()
    pd.testing.assert_series_equal(k["csat"].sort_index(), top2.sort_index(), check_names=False)


def test_kpis_cli_by_contact_column_gives_survey_kpis(client_folder):
    import json

    from typer.testing import CliRunner

    from cxtoolkit.cli.main import app

    yml = client_folder("acme", {"data": {"contacts": "contacts.csv", "responses": "responses.csv"}},
                        {"contacts.csv": CONTACTS, "responses.csv": RESPONSES})
    res = CliRunner().invoke(app, ["kpis", "--config", str(yml), "--by", "reason", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["segments"]["billing"]["csat"] == 0.5 and out["segments"]["delivery"]["nps"] == -100.0
    assert out["segments"]["billing"]["answer_rate"] == 1.0


# ----------------------------------------------------------------------- daily reports alone
DAILY_CSV = ("Date;File;Appels présentés;Appels décrochés;Abandons;DMA;DMT\n"
             "02/03/2026;ventes;100;90;10;60;300\n"
             "03/03/2026;ventes;10;10;0;10;200\n"
             "09/03/2026;sav;50;40;10;20;180\n")


@pytest.fixture()
def daily_client(client_folder):
    """``daily_client(root, **extra)`` -> folder ``root/acme`` with only daily reports (daily.csv)."""
    def make(root, **extra):
        return client_folder("acme", {"locale": "en", "data": {"daily_reports": "daily.csv"}, **extra},
                             {"daily.csv": DAILY_CSV}, root=root).parent
    return make


def test_kpis_cli_from_daily_reports_alone_weights_the_averages(tmp_path, daily_client):
    import json

    from typer.testing import CliRunner

    from cxtoolkit.cli.main import app

    d = daily_client(tmp_path)
    res = CliRunner().invoke(app, ["kpis", "--config", str(d / "client.yml"), "--json"])
    assert res.exit_code == 0, res.output
    o = json.loads(res.stdout)["overall"]
    # 160 offered, 140 answered, 20 abandoned; ASA (60*90 + 10*10 + 20*40) / 140; AHT likewise
    assert (o["offered"], o["answered"], o["abandoned"]) == (160, 140, 20)
    assert o["answer_rate"] == pytest.approx(140 / 160) and o["abandonment_rate"] == pytest.approx(20 / 160)
    assert o["asa_s"] == pytest.approx((60 * 90 + 10 * 10 + 20 * 40) / 140)
    assert o["aht_s"] == pytest.approx((300 * 90 + 200 * 10 + 180 * 40) / 140)
    res = CliRunner().invoke(app, ["kpis", "--config", str(d / "client.yml"), "--by", "week", "--json"])
    seg = json.loads(res.stdout)["segments"]
    assert list(seg) == ["2026-W10", "2026-W11"] and seg["2026-W10"]["asa_s"] == pytest.approx(5500 / 100)
    res = CliRunner().invoke(app, ["kpis", "--config", str(d / "client.yml"), "--by", "queue", "--json"])
    assert json.loads(res.stdout)["segments"]["sav"]["answer_rate"] == pytest.approx(0.8)
    res = CliRunner().invoke(app, ["kpis", "--config", str(d / "client.yml"), "--by", "hour"])
    assert res.exit_code == 2 and "daily_reports" in res.output


def test_kpi_page_shows_daily_report_kpis(tmp_path, daily_client):
    from cxtoolkit import io
    from cxtoolkit.apps.views import render_kpis
    from cxtoolkit.config import load_client

    cfg = load_client(str(daily_client(tmp_path) / "client.yml"))
    data = io.load(cfg, tables=["daily_reports"])
    shown = []
    res = render_kpis(cfg, data, {"loc": "en", "segment": "queue"}, emit=shown.append)
    status = res["status"].set_index("key")["value"]
    assert status["answer_rate"] == pytest.approx(140 / 160) and status["asa_s"] == pytest.approx(6300 / 140)
    assert "aggregated daily reports" in " ".join(str(getattr(o, "data", "")) for o in shown)
    assert res["k"]["queue"].loc["sav", "offered"] == 50


# ----------------------------------------------------------------------- audit
def test_skip_without_data_uses_the_rows_in_the_period():
    from cxtoolkit.audit.runner import skip_without_data
    from cxtoolkit.io import ClientData

    nbs = [{"name": n, "path": None, "status": "pending", "reason": ""}
           for n in ("kpis", "journey", "verbatims", "quality", "roi", "tiny_custom")]
    data = ClientData(responses=RESPONSES.iloc[:0], daily_reports=pd.DataFrame({"date": [1]}))
    out = {n["name"]: (n["status"], n["reason"]) for n in skip_without_data(nbs, ClientConfig(client="x"), data)}
    assert out["kpis"] == ("pending", "") and out["roi"] == ("pending", "") and out["tiny_custom"][0] == "pending"
    assert out["journey"] == ("skipped", "no responses rows in the period")
    assert out["quality"] == ("skipped", "no evaluations data (client.yml data.evaluations)")
    none = skip_without_data(nbs[:1], ClientConfig(client="x"), ClientData())
    assert none[0]["reason"] == "no contacts, daily_reports nor responses data"


@pytest.mark.notebook
def test_audit_with_daily_reports_only_runs_kpis_and_roi_and_is_ok(tmp_path, daily_client):
    import json

    from cxtoolkit.audit.runner import run_audit

    daily_client(tmp_path / "client_data", roi={"draws": 20000, "seed": 7})
    res = run_audit("acme", client_data=tmp_path / "client_data", out=tmp_path / "reports", jobs=1,
                    warehouse=False, timeout=300)
    by = {n.name: n for n in res.notebooks}
    assert res.status == "ok", res.error
    assert by["kpis"].status == "ok" and by["roi"].status == "ok"
    for name in ("journey", "verbatims"):
        assert by[name].status == "skipped" and by[name].reason == "no responses data (client.yml data.responses)"
    assert by["quality"].reason == "no evaluations data (client.yml data.evaluations)"
    m = json.loads((res.folder / "manifest.json").read_text(encoding="utf-8"))
    assert m["status"] == "ok"
    # the same "meta" as every command's --json
    assert m["meta"]["tables"]["daily_reports"]["file"] == "daily.csv" and m["meta"]["warnings"] == []
    assert m["meta"]["tables"]["daily_reports"]["read"] == m["meta"]["tables"]["daily_reports"]["accepted"] > 0
    assert {n["name"]: n["reason"] for n in m["notebooks"] if n["status"] == "skipped"}["journey"].startswith("no responses")
    index = (res.folder / "index.html").read_text(encoding="utf-8")
    assert "no evaluations data (client.yml data.evaluations)" in index
    assert res.kpi_summary["answer_rate"]["value"] == pytest.approx(140 / 160)
    page = (res.folder / "kpis.html").read_text(encoding="utf-8")
    assert "aggregated daily reports" in page and "Traceback" not in page
    # issue 14: the deck and the ROI page show the same quantiles under the client's settings
    from test_roi_settings import _deck_quantiles

    roi_page = (res.folder / "roi.html").read_text(encoding="utf-8")
    page_q = dict(re.findall(r"<td>Net benefit (P\d0)</td><td[^>]*>([^<]+)</td>", roi_page))
    assert page_q and _deck_quantiles(res.folder / "audit_deck.pptx") == page_q


def test_kpi_page_with_survey_answers_only():
    from cxtoolkit.apps.views import render_kpis
    from cxtoolkit.io import ClientData

    shown = []
    res = render_kpis(ClientConfig(client="x"), ClientData(responses=RESPONSES), {"loc": "en"}, emit=shown.append)
    status = res["status"].set_index("key")["value"]
    assert status["csat"] == pytest.approx(3 / 5) and "answer_rate" not in status.index


def test_points_without_max_score_are_out_of_the_best_score_seen():
    rep = Q.quality_report(_evals().drop(columns="max_score"), cfg=ClientConfig(client="acme"), locale="en")
    s = rep["scored"].set_index("evaluation_id")["score"]
    # Politeness best 5, Resolution best 4: same points as with max_score 5 and 4
    assert s["e1"] == pytest.approx(100 * 7 / 9) and s["e2"] == pytest.approx(100 * 5 / 9)


def test_kpi_app_offers_the_queues_of_daily_reports(tmp_path, daily_client):
    from cxtoolkit import io
    from cxtoolkit.apps.controls import segment_options, select
    from cxtoolkit.apps.views import VIEWS
    from cxtoolkit.config import load_client

    cfg = load_client(str(daily_client(tmp_path) / "client.yml"))
    data = io.load(cfg, tables=["daily_reports"])
    opts = [v for _, v in segment_options(data, VIEWS["kpis"], "en")]
    assert opts == ["", "queue=sav", "queue=ventes"]
    assert select(data, VIEWS["kpis"], None, None, ("queue", "sav")).daily_reports["offered"].tolist() == [50]


REAL_DAILY = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "call-centre-daily" / "call_center_daily.csv"


@pytest.mark.skipif(not REAL_DAILY.is_file(), reason="real export not present (../shared/data)")
def test_kpis_cli_on_a_real_daily_report_alone_matches_pandas(tmp_path):
    """The public daily call-centre report (no contact-level data) mapped in client.yml only:
    `cxtoolkit kpis --by month` equals an independent weighted computation from the raw file."""
    import json

    from typer.testing import CliRunner

    from cxtoolkit.cli.main import app

    yml = write_client(tmp_path, "real", {"locale": "en", "data": {"daily_reports": {
        "file": "call_center_daily.csv", "columns": {"date": {"column": "Index", "day_number_from": "2022-01-03"}}}}},
        {REAL_DAILY.name: REAL_DAILY.read_bytes()})
    res = CliRunner().invoke(app, ["kpis", "--config", str(yml), "--by", "month", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    raw = pd.read_csv(REAL_DAILY, sep=";")
    raw["month"] = (pd.Timestamp("2022-01-03") + pd.to_timedelta(raw.index, unit="D")).strftime("%Y-%m")
    raw["asa"] = pd.to_timedelta(raw["Answer Speed (AVG)"]).dt.total_seconds() * raw["Answered Calls"]
    g = raw.groupby("month")[["Incoming Calls", "Answered Calls", "asa"]].sum()
    assert out["overall"]["offered"] == int(raw["Incoming Calls"].sum())
    assert out["overall"]["asa_s"] == pytest.approx(raw["asa"].sum() / raw["Answered Calls"].sum())
    assert list(out["segments"]) == list(g.index)
    for month, row in g.iterrows():
        seg = out["segments"][month]
        assert seg["answer_rate"] == pytest.approx(row["Answered Calls"] / row["Incoming Calls"])
        assert seg["asa_s"] == pytest.approx(row["asa"] / row["Answered Calls"])
