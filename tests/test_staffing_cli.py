"""``cxtoolkit staffing``: the JSON contract of both forms, the readable output and the
one-line errors (exit 2)."""
from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from cxtoolkit import queueing as Q
from cxtoolkit.cli.main import app

runner = CliRunner()
SCALAR_KEYS = ["agents", "agents_with_shrinkage", "p_wait", "service_level", "asa_s", "occupancy", "p_abandon"]
PLAN_KEYS = ["weekday", "interval_start", "arrivals_per_hour", "aht_s", "agents", "agents_seen"]


def run(*args):
    return runner.invoke(app, ["staffing", *map(str, args)])


def run_json(*args):
    res = run(*args, "--json")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_scalar_textbook_case():
    # 200 calls/h × 180 s = 10 Erlangs; 80 % in 20 s needs 14 agents; 14 / 0.7 = 20 scheduled
    out = run_json("--arrivals-per-hour", 200, "--aht-s", 180, "--service-level", 0.8, "--within-s", 20,
                   "--shrinkage", 0.3)
    assert list(out) == SCALAR_KEYS
    assert out["agents"] == 14 and out["agents_with_shrinkage"] == 20 and out["p_abandon"] is None
    assert out["service_level"] == pytest.approx(0.88835, abs=1e-5)
    assert out["occupancy"] == pytest.approx(10 / 14)
    assert out["p_wait"] == pytest.approx(float(Q.erlang_c(14, 10.0)))


def test_scalar_other_targets_and_fixed_agents():
    out = run_json("--arrivals-per-hour", 200, "--aht-s", 180, "--max-asa-s", 10)
    assert out["agents"] == int(Q.agents_needed(200, 180, max_asa_s=10)) and out["asa_s"] <= 10
    out = run_json("--arrivals-per-hour", 200, "--aht-s", 180, "--max-wait-probability", 0.2, "--max-occupancy", 0.6)
    assert out["p_wait"] <= 0.2 and out["occupancy"] <= 0.6
    out = run_json("--arrivals-per-hour", 200, "--aht-s", 180, "--agents", 10)    # unstable: ASA undefined
    assert out["agents"] == 10 and out["p_wait"] == 1.0 and out["asa_s"] is None


def test_scalar_erlang_a_with_patience():
    out = run_json("--arrivals-per-hour", 200, "--aht-s", 180, "--service-level", 0.8, "--patience-s", 60)
    m = Q.erlang_a_metrics(out["agents"], 200, 180, 60)
    assert out["agents"] == int(Q.agents_needed(200, 180, service_level=0.8, patience_s=60))
    assert out["p_abandon"] == pytest.approx(float(m["p_abandon"])) and 0 < out["p_abandon"] < 1
    # with N agents: the metrics for N (Erlang A keeps an overloaded queue finite)
    out = run_json("--arrivals-per-hour", 200, "--aht-s", 180, "--agents", 8, "--patience-s", 60)
    assert out["agents"] == 8 and out["p_abandon"] > 0.1 and out["asa_s"] is not None


def test_scalar_zero_arrivals():
    out = run_json("--arrivals-per-hour", 0, "--aht-s", 180, "--service-level", 0.8, "--shrinkage", 0.3)
    assert out == {"agents": 0, "agents_with_shrinkage": 0, "p_wait": None, "service_level": None,
                   "asa_s": None, "occupancy": None, "p_abandon": None}


def test_scalar_table_output():
    res = run("--arrivals-per-hour", 200, "--aht-s", 180, "--service-level", 0.8)
    assert res.exit_code == 0 and "Agents to schedule (with shrinkage)" in res.stdout and "14" in res.stdout
    assert "agents_with_shrinkage" not in res.stdout and "p_wait" not in res.stdout      # labels, not keys
    fr = run("--arrivals-per-hour", 200, "--aht-s", 180, "--service-level", 0.8, "--locale", "fr")
    for said in ("Besoin en conseillers (Erlang C)", "Conseillers à planifier (avec absentéisme)", "Probabilité d'attendre"):
        assert said in fr.stdout, fr.stdout
    assert not re.search(r"\d\.\d|\d%|Agents|Staffing", fr.stdout), fr.stdout                   # 12,3 %, not 12.3%


@pytest.mark.parametrize("args,msg", [
    (["--arrivals-per-hour", 10, "--aht-s", 180, "--service-level", 0.8, "--shrinkage", 1.2], "--shrinkage 1.2"),
    (["--arrivals-per-hour", 10, "--aht-s", 0, "--service-level", 0.8], "--aht-s 0"),
    (["--arrivals-per-hour", -1, "--aht-s", 180, "--service-level", 0.8], "--arrivals-per-hour -1"),
    (["--arrivals-per-hour", 10, "--aht-s", 180, "--service-level", 1.5], "--service-level 1.5"),
    (["--arrivals-per-hour", 10, "--aht-s", 180], "target"),
    (["--arrivals-per-hour", 10, "--service-level", 0.8], "--aht-s"),
    (["--arrivals-per-hour", 10, "--aht-s", 180, "--service-level", 0.8, "--weekday", "mon"], "--weekday"),
    (["--service-level", 0.8], "either"),
])
def test_scalar_errors_are_one_line(args, msg):
    res = run(*args, "--json")
    assert res.exit_code == 2 and res.stdout == ""
    assert msg in res.stderr and len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr


# ----------------------------------------------------------------------------- --config
@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """Client folder: the contacts of tests/test_staffing.py as a canonical CSV."""
    from test_staffing import contacts

    from conftest import write_client   # module scope: the factory itself, not the fixture

    root = tmp_path_factory.mktemp("staffing_cli")
    write_client(root, "acme", {"name": "Acme", "locale": "en", "targets": {"service_level": 0.8},
                                "business_hours": {"mon": ["09:00", "11:00"]}, "data": {"contacts": "contacts.csv"},
                                "staffing": {"interval_min": 60, "hourly_cost": 30, "shrinkage": 0.3}},
                 {"contacts.csv": contacts().assign(contact_id=[f"C{i}" for i in range(7)])})
    return root


def test_plan_json_contract(client):
    out = run_json("--config", "acme", "--client-data", client)
    assert list(out) == ["plan", "meta"] and len(out["plan"]) == 7 * 24
    assert out["meta"]["tables"]["contacts"]["accepted"] == 7 and out["meta"]["warnings"] == []
    assert all(list(r) == PLAN_KEYS for r in out["plan"])
    rows = {(r["weekday"], r["interval_start"]): r for r in out["plan"]}
    mon9 = rows[("mon", "09:00")]
    assert mon9["arrivals_per_hour"] == 2.0 and mon9["aht_s"] == pytest.approx(700 / 3)
    assert mon9["agents_seen"] == 1.5 and mon9["agents"] == int(Q.agents_needed(2, 700 / 3, service_level=0.8,
                                                                                 max_occupancy=0.85))
    assert rows[("wed", "03:00")] == {"weekday": "wed", "interval_start": "03:00", "arrivals_per_hour": 0.0,
                                       "aht_s": 205.0, "agents": 0, "agents_seen": 0.0}
    assert rows[("tue", "14:00")]["arrivals_per_hour"] == 1.0


def test_plan_weekday_interval_and_aht_override(client):
    out = run_json("--config", str(client / "acme" / "client.yml"), "--weekday", "mon", "--interval-min", 15,
                   "--aht-s", 300)
    assert len(out["plan"]) == 96 and {r["weekday"] for r in out["plan"]} == {"mon"}
    assert {r["aht_s"] for r in out["plan"]} == {300.0}
    rows = {r["interval_start"]: r for r in out["plan"]}
    assert [rows[s]["arrivals_per_hour"] for s in ("09:00", "09:15", "09:30", "09:45")] == [4.0, 2.0, 0.0, 2.0]
    # an explicit target replaces the client's: a loose ASA needs fewer agents than a strict one
    loose = run_json("--config", "acme", "--client-data", client, "--weekday", "mon", "--max-asa-s", 600)
    strict = run_json("--config", "acme", "--client-data", client, "--weekday", "mon", "--max-asa-s", 1)
    assert sum(r["agents"] for r in loose["plan"]) <= sum(r["agents"] for r in strict["plan"])


def test_plan_period_filter(client):
    out = run_json("--config", "acme", "--client-data", client, "--from", "2026-10-12", "--to", "2026-10-12")
    assert {r["weekday"] for r in out["plan"]} == {"mon"}
    rows = {r["interval_start"]: r for r in out["plan"]}
    assert rows["09:00"]["arrivals_per_hour"] == 1.0 and rows["10:00"]["arrivals_per_hour"] == 1.0


def test_plan_readable_output(client):
    res = run("--config", "acme", "--client-data", client, "--weekday", "mon")
    assert res.exit_code == 0, res.output
    assert "09:00" in res.stdout and "Mean patience: 80 s" in res.stdout


def test_plan_table_writes_numbers_in_the_client_language(client):
    # the French table showed "2.0", "1.5", "0% → 95%" (English decimals in a French table)
    res = run("--config", "acme", "--client-data", client, "--weekday", "mon", "--locale", "fr")
    assert res.exit_code == 0, res.output
    mon9 = next(line for line in res.stdout.splitlines() if "09:00" in line)
    cells = [c.strip() for c in mon9.split("│") if c.strip()]
    assert cells[:3] == ["lun", "09:00", "2,0"] and "1,5" in cells, cells
    assert not any(re.fullmatch(r"[+-]?\d+\.\d+", c) for c in cells), cells
    assert re.search(r"\d %", res.stdout) and not re.search(r"\d%", res.stdout)


@pytest.mark.parametrize("args,msg", [
    (["--weekday", "xyz"], "weekday 'xyz'"), (["--interval-min", 45], "interval 45"),
    (["--agents", 3], "--agents"), (["--shrinkage", 1.2], "--shrinkage 1.2"),
    (["--arrivals-per-hour", 10], "either"),
])
def test_plan_errors(client, args, msg):
    res = run("--config", "acme", "--client-data", client, *args, "--json")
    assert res.exit_code == 2 and msg in res.stderr and "Traceback" not in res.stderr


def test_plan_unknown_client(tmp_path):
    res = run("--config", "nobody", "--client-data", tmp_path, "--json")
    assert res.exit_code == 2 and "client configuration not found" in res.stderr
