"""CLI contract of ``cxtoolkit quality``, ``sample`` and ``barometer`` on small CSVs."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from cxtoolkit.cli.main import app
from cxtoolkit.quality import load_grid

runner = CliRunner()


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from conftest import write_client   # module scope: the factory itself, not the fixture

    rng = np.random.default_rng(0)
    grid = load_grid("standard", "FR")
    rows = []
    for c in range(30):
        level = rng.uniform(0.4, 1.0)
        for e, bias in (("q1", 0), ("q2", 0), ("q3", 0), ("q4", -0.35)):
            if e == "q4" and c % 3 == 2:
                continue
            for r in grid.criteria.itertuples():
                sc = r.max_score if r.critical else float(np.clip(round(r.max_score * (level + bias)), 0, r.max_score))
                rows.append([f"{c}-{e}", f"K{c:03d}", f"A{c % 4}", e, f"2026-03-{2 + c % 10:02d} 10:00",
                             r.criterion, sc, r.max_score, "FR", "standard"])
    evaluations = pd.DataFrame(rows, columns=["evaluation_id", "contact_id", "agent_id", "evaluator_id",
                                              "evaluated_at", "criterion", "score", "max_score", "country", "grid"])
    agents = pd.DataFrame({"agent_id": [f"A{i}" for i in range(4)], "team": ["T1", "T1", "T2", "T2"],
                  "site": "Lille", "country": "FR", "hired_on": ["2020-01-01"] * 3 + ["2026-02-20"],
                  "vendor": ["in-house", "in-house", "BPO1", "BPO1"]})
    n = 80
    contacts = pd.DataFrame({
        "contact_id": [f"K{i:03d}" for i in range(n)], "customer_id": [f"U{i % 40:03d}" for i in range(n)],
        "channel": "phone", "received_at": [f"2026-03-{2 + i % 5:02d} 10:{i % 60:02d}:00" for i in range(n)],
        "answered": True, "wait_s": 10.0, "talk_s": rng.gamma(2, 150, n).round(1), "hold_s": 0.0, "wrap_s": 20.0,
        "agent_id": [f"A{i % 4}" for i in range(n)], "queue": "billing",
        "reason": ["complaint" if i % 9 == 0 else "invoice" for i in range(n)],
        "segment": ["consumer" if i % 40 < 30 else "sme" for i in range(n)]})
    responses = pd.DataFrame({"response_id": [f"R{i}" for i in range(30)], "contact_id": [f"K{i:03d}" for i in range(30)],
                  "responded_at": "2026-03-06 12:00", "survey_type": "hot",
                  "csat": [5, 4, 2] * 10})
    sends = pd.DataFrame({"send_id": ["S1", "S2"], "customer_id": ["U001", "U002"],
                  "sent_at": ["2025-11-01 10:00", "2025-12-01 10:00"], "survey_type": "cold",
                  "channel": "email"})
    tables = {"evaluations": evaluations, "agents": agents, "responses": responses, "contacts": contacts,
              "sends": sends}
    yml = write_client(tmp_path_factory.mktemp("cli"), "acme",
                       {"name": "Acme", "locale": "en", "data": {t: f"{t}.csv" for t in tables},
                        "quality": {"n_boot": 200}},
                       {f"{t}.csv": frame for t, frame in tables.items()})
    return yml.parent


def test_quality_json_contract(client):
    res = runner.invoke(app, ["quality", "--config", str(client / "client.yml"), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert set(out) == {"agreement", "evaluators", "agents", "meta"}
    assert out["meta"]["tables"]["evaluations"]["rejected"] == 0 and out["meta"]["warnings"] == []
    ov = out["agreement"]["overall"]
    assert set(ov) == {"alpha", "ci95", "n_units"} and ov["n_units"] == 30
    assert isinstance(ov["alpha"], float) and ov["ci95"][0] <= ov["alpha"] <= ov["ci95"][1]
    crit = out["agreement"]["by_criterion"]
    assert "empathy" in crit and set(crit["empathy"]) == {"alpha", "ci95", "n_units"}
    assert crit["identity_check"]["alpha"] is None  # constant: undefined
    ev = {e["evaluator_id"]: e for e in out["evaluators"]}
    assert set(ev) == {"q1", "q2", "q3", "q4"}
    assert set(ev["q4"]) == {"evaluator_id", "n", "mean_gap", "drifting"}
    assert ev["q4"]["drifting"] is True and ev["q4"]["mean_gap"] < -10 and ev["q4"]["n"] == 20
    assert not ev["q1"]["drifting"]
    ag = {a["agent_id"]: a for a in out["agents"]}
    assert set(ag) == {"A0", "A1", "A2", "A3"}
    assert set(ag["A0"]) == {"agent_id", "n", "score", "csat"} and ag["A0"]["n"] == 8
    # A0's contacts K000, K004, ... K028: csat pattern [5,4,2] by index -> top-2 share by hand
    idx = [i for i in range(0, 30, 4)]
    assert ag["A0"]["csat"] == pytest.approx(np.mean([[5, 4, 2][i % 3] >= 4 for i in idx]))


def test_quality_text_speaks_the_client_language(client):
    # the text output was English and raw frames (evaluator_id mean_gap p_value drifting,
    # quadrant to_coach) whatever the client's language
    res = runner.invoke(app, ["quality", "--config", str(client / "client.yml"), "--locale", "fr"],
                        env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    for code in ("evaluator_id", "mean_gap", "p_value", "drifting", "quadrant", "Evaluations:", "Agreement",
                 "True", "False", "to_coach", "not_perceived"):
        assert code not in res.stdout, code
    assert res.stdout.startswith("Évaluations : ") and "Écart moyen au panel (points)" in res.stdout
    assert "Qualité perçue vs délivrée" in res.stdout and "Note qualité (/100)" in res.stdout
    en = runner.invoke(app, ["quality", "--config", str(client / "client.yml")], env={"COLUMNS": "250"})
    assert en.stdout.startswith("Evaluations: ") and "Mean gap to the panel (points)" in en.stdout


def test_quality_is_reproducible_and_filters(client):
    a = runner.invoke(app, ["quality", "--config", str(client / "client.yml"), "--json", "--seed", "3"])
    b = runner.invoke(app, ["quality", "--config", str(client / "client.yml"), "--json", "--seed", "3"])
    assert a.stdout == b.stdout
    v = runner.invoke(app, ["quality", "--config", str(client / "client.yml"), "--json", "--vendor", "BPO1"])
    assert {x["agent_id"] for x in json.loads(v.stdout)["agents"]} == {"A2", "A3"}
    text = runner.invoke(app, ["quality", "--config", str(client / "client.yml"),
                               "--pack", str(client / "pack.csv")])
    assert text.exit_code == 0 and "Krippendorff" in text.stdout
    pack = pd.read_csv(client / "pack.csv")
    assert len(pack) == 10 and pack["range"].is_monotonic_decreasing


def test_sample_writes_the_plan(client, tmp_path):
    out = tmp_path / "plan.csv"
    res = runner.invoke(app, ["sample", "--config", str(client / "client.yml"), "--week", "2026-W10",
                              "--out", str(out)])
    assert res.exit_code == 0, res.output
    plan = pd.read_csv(out)
    assert list(plan.columns[:3]) == ["contact_id", "agent_id", "reason"]
    assert set(plan["reason"]) <= {"random", "new_agent", "complaint", "long"}
    per = plan.groupby("agent_id").size()
    assert per.to_dict() == {"A0": 3, "A1": 3, "A2": 3, "A3": 6}  # A3 hired 2026-02-20: new
    assert "complaint" in set(plan["reason"]) and "new_agent" in set(plan["reason"])
    again = tmp_path / "again.xlsx"
    res = runner.invoke(app, ["sample", "--config", str(client / "client.yml"), "--week", "2026-W10",
                              "--out", str(again), "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["contacts"] == len(plan)
    assert json.loads(res.stdout)["meta"]["tables"]["contacts"]["rejected"] == 0
    cols = ["contact_id", "agent_id", "reason"]
    assert pd.read_excel(again)[cols].astype(str).equals(plan[cols].astype(str))


def test_barometer_waves_file(client, tmp_path):
    out = tmp_path / "waves.csv"
    res = runner.invoke(app, ["barometer", "--config", str(client / "client.yml"), "--waves", "4",
                              "--out", str(out), "--json", "--start", "2026-04-01"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    w = pd.read_csv(out)
    assert summary["excluded_last_year"] == 2 and len(w) == 38  # 40 customers, 2 surveyed cold
    assert set(summary["meta"]) == {"tables", "warnings"} and "contacts" in summary["meta"]["tables"]
    assert w["customer_id"].is_unique and set(w["wave"]) == {1, 2, 3, 4}
    assert not {"U001", "U002"} & set(w["customer_id"])
    sizes = w.groupby("wave").size()
    assert sizes.max() - sizes.min() <= 1
    assert "segment" in w.columns


def test_barometer_says_the_customers_it_leaves_out(client, tmp_path):
    """Customers surveyed cold in the year before --start are left out of the waves: the
    text output says how many (it used to say only the customers kept)."""
    args = ["barometer", "--config", str(client / "client.yml"), "--waves", "4",
            "--out", str(tmp_path / "w.csv"), "--start", "2026-04-01"]
    fr = runner.invoke(app, args + ["--locale", "fr"])
    assert fr.exit_code == 0, fr.output
    assert "38 clients en 4 vagues" in fr.stdout
    assert "2 client(s) sollicité(s) par une enquête à froid dans l'année avant le 2026-04-01" in fr.stdout
    en = runner.invoke(app, args + ["--locale", "en"])
    assert "2 customer(s) sent a cold survey in the year before 2026-04-01 left out" in en.stdout
    none = runner.invoke(app, args[:-2] + ["--locale", "en"])
    assert "left out" not in none.stdout


@pytest.mark.parametrize("args,msg", [
    (["sample", "--week", "2026-10", "--out", "x.csv"], "YYYY-Www"),
    (["sample", "--week", "2026-W30", "--out", "x.csv"], "no answered contact"),
    (["barometer", "--waves", "4", "--per-wave", "500", "--out", "x.csv"], "only 40 eligible"),
    (["quality", "--json", "--country", "GB"], "none left"),
    # a stratification asked for on a column no table has (was: waves silently unstratified)
    (["barometer", "--by", "region", "--out", "x.csv"], "--by 'region': no customer table has this column"),
    # a first-wave date that is no date (was: a pandas traceback)
    (["barometer", "--start", "2026-13-01", "--out", "x.csv"], "not a date"),
])
def test_errors_are_one_line_exit_2(client, tmp_path, args, msg):
    args = [a if a != "x.csv" else str(tmp_path / "x.csv") for a in args]
    res = runner.invoke(app, [args[0], "--config", str(client / "client.yml"), *args[1:]])
    assert res.exit_code == 2
    assert msg in res.stderr and res.stderr.count("\n") == 1 and "Traceback" not in res.output


@pytest.mark.parametrize("locale, line, labels", [
    ("fr", "(réclamation : ", {"réclamation", "nouveau conseiller", "tirage au hasard", "conversation longue"}),
    ("en", "(complaint: ", {"complaint", "new agent", "random draw", "long conversation"})])
def test_sample_says_its_reasons_as_people_read_them_and_keeps_the_codes_for_scripts(client, tmp_path, locale,
                                                                                      line, labels):
    out, book = tmp_path / "plan.csv", tmp_path / "plan.xlsx"
    said = runner.invoke(app, ["sample", "--config", str(client / "client.yml"), "--week", "2026-W10",
                               "--out", str(book), "--locale", locale])
    assert said.exit_code == 0, said.output
    assert line in said.stdout and "new_agent" not in said.stdout, said.stdout
    sheet = pd.read_excel(book, engine="openpyxl")                # people open the workbook
    assert list(sheet.columns[:4]) == ["contact_id", "agent_id", "reason", "reason_label"]
    assert set(sheet["reason_label"]) <= labels and set(sheet["reason"]) <= {"random", "new_agent", "complaint", "long"}
    js = runner.invoke(app, ["sample", "--config", str(client / "client.yml"), "--week", "2026-W10",
                             "--out", str(out), "--json", "--locale", locale])
    assert "new_agent" in json.loads(js.stdout)["by_reason"]     # scripts: the codes
    assert "reason_label" not in pd.read_csv(out).columns        # the CSV plan as before
