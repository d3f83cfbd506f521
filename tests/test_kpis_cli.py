"""`cxtoolkit kpis` on a small hand-made client: JSON contract, --by, period, errors."""
import json
import textwrap

import pytest
from typer.testing import CliRunner

from cxtoolkit.cli.main import app

CONTACTS = """\
contact_id,customer_id,channel,received_at,answered,wait_s,talk_s,hold_s,wrap_s,country
c1,k1,phone,2026-05-05 10:00:00,true,10,100,20,30,FR
c2,k2,phone,2026-05-05 10:05:00,true,30,200,0,10,FR
c3,k3,phone,2026-05-05 10:10:00,false,4,0,0,0,FR
c4,k4,phone,2026-05-05 10:15:00,false,45,0,0,0,GB
c5,k1,email,2026-05-06 09:00:00,true,3600,0,0,0,FR
c6,k5,phone,2026-05-01 10:00:00,true,3,50,0,0,FR
c7,k6,phone,2026-06-02 10:00:00,true,15,60,0,0,GB
"""
RESPONSES = """\
response_id,responded_at,csat,nps,country
r1,2026-05-06 12:00:00,5,10,FR
r2,2026-05-06 13:00:00,2,3,GB
"""
CONFIG = {"name": "Tiny SA", "country": "FR", "locale": "fr",
          "data": {"contacts": "contacts.csv", "responses": "responses.csv"}}


@pytest.fixture()
def client(client_folder):
    return client_folder("tiny", CONFIG, {"contacts.csv": CONTACTS, "responses.csv": RESPONSES})


def run(*args):
    return CliRunner().invoke(app, ["kpis", *map(str, args)])


def test_json_overall(client):
    res = run("--config", client, "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert "segments" not in out
    o = out["overall"]
    # phone: 6 calls, c6 on 1 May (FR holiday) is HNO; in hours c1 c2 c3 c4 c7; c3 short abandon
    assert (o["inbound"], o["hno_calls"], o["short_abandons"], o["offered"], o["answered"]) == (6, 1, 1, 4, 3)
    assert o["answer_rate"] == pytest.approx(3 / 4)
    # repeat: k1's call c1 followed by its email c5 a day later; base = c1 c2 c5 c6 c7 (answered)
    assert o["repeat_rate"] == pytest.approx(1 / 5)
    assert o["csat"] == pytest.approx(1 / 2) and o["nps"] == pytest.approx(0.0)
    assert o["chat_first_response_s_mean"] is None          # no chat: null, not 0
    assert out["meta"]["service_level_formula"] == "offered"


def test_json_by_country_and_period(client):
    res = run("--config", client, "--by", "country", "--json")
    out = json.loads(res.stdout)
    assert set(out["segments"]) == {"FR", "GB"}
    assert out["segments"]["GB"]["inbound"] == 2 and out["segments"]["GB"]["csat"] == 0.0
    res = run("--config", client, "--from", "2026-05-02", "--to", "2026-05-31", "--json")
    o = json.loads(res.stdout)["overall"]
    assert o["inbound"] == 4 and o["hno_calls"] == 0            # c6 (1 May) and c7 (June) out
    res = run("--config", client, "--by", "weekday,hour", "--json")
    assert "tue | 10" in json.loads(res.stdout)["segments"]


def test_explicit_files_override_config(client, tmp_path):
    other = tmp_path / "only_email.csv"
    other.write_text(CONTACTS.splitlines()[0] + "\n" + CONTACTS.splitlines()[5] + "\n", encoding="utf-8")
    res = run("--config", client, "--contacts", other, "--json")
    o = json.loads(res.stdout)["overall"]
    assert o["email_received"] == 1 and o["inbound"] == 0 and o["answer_rate"] is None


def test_errors_are_one_line_exit_2(client):
    res = run("--config", client, "--by", "nope", "--json")
    assert res.exit_code == 2     # in the client's language (fr)
    assert "nope" in res.stderr and "disponibles" in res.stderr and "Traceback" not in res.output
    res = run("--config", client, "--by", "nope", "--json", "--locale", "en")
    assert res.exit_code == 2 and "nope" in res.stderr and "available" in res.stderr
    assert run("--config", client, "--locale", "de").exit_code == 2
    assert run("--config", client.parent / "missing.yml").exit_code == 2


def test_table_output_french_labels(client):
    res = run("--config", client, "--by", "country")
    assert res.exit_code == 0, res.output
    assert "Taux de décroché" in res.stdout and "75,0 %" in res.stdout
    assert "Niveau de service : décrochés en 20 s ou moins / appels présentés" in res.stdout   # words, not the code
    res = run("--config", client, "--locale", "en")
    assert "Answer rate" in res.stdout


def test_table_segments_by_their_labels_in_calendar_order(client):
    # the French table's columns were "fri  mon  sat…" (codes, alphabetical): now lun… dim
    res = CliRunner().invoke(app, ["kpis", "--config", str(client), "--by", "weekday"], env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    head = next(line for line in res.stdout.splitlines() if "KPI" in line)
    cols = [c.strip() for c in head.split("┃") if c.strip()]
    assert cols[3:] == ["mar", "mer", "ven"], cols      # Tue 5 May and 2 June, Wed 6 May, Fri 1 May
    res = CliRunner().invoke(app, ["kpis", "--config", str(client), "--by", "channel"], env={"COLUMNS": "250"})
    assert "téléphone" in res.stdout and "e-mail" in res.stdout

