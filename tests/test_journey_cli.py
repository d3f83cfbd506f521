"""`cxtoolkit friction / verbatims / countries` on a small hand-made client (JSON contracts)."""
import json

import pytest
from typer.testing import CliRunner

from cxtoolkit.cli.main import app

CONFIG = {"name": "Tiny SA", "country": "FR", "locale": "fr", "kpi": {"min_answers": 3},
          "data": {"contacts": "contacts.csv", "responses": "responses.csv"},
          "journey": ["ordering", "delivery", "invoice"],
          "journey_reasons": {"order_status": "ordering", "delivery_delay": "delivery",
                              "billing_question": "invoice"}}


def _responses() -> str:
    rows = ["response_id,responded_at,survey_type,customer_id,touchpoint,country,language,csat,nps,verbatim"]
    # ordering: 4 answers, 0 unhappy; delivery: 4 answers, 3 unhappy; invoice: 1 answer (too few)
    data = [("ordering", "FR", "fr", 5, "Conseiller très aimable"), ("ordering", "GB", "en", 5, "Very friendly agent"),
            ("ordering", "FR", "fr", 4, "Conseiller aimable"), ("ordering", "GB", "en", 3, ""),
            ("delivery", "FR", "fr", 1, "Colis jamais reçu, rappelez-moi au 06 12 34 56 78"),
            ("delivery", "GB", "en", 1, "Parcel never arrived, my name is John Smith"),
            ("delivery", "FR", "fr", 2, "Livraison en retard"), ("delivery", "GB", "en", 5, "Fine"),
            ("invoice", "FR", "fr", 1, "Je vais saisir le médiateur")]
    for i, (tp, c, lg, csat, v) in enumerate(data):
        rows.append(f"r{i},2026-05-0{1 + i % 5} 12:00:00,hot,k{i},{tp},{c},{lg},{csat},,\"{v}\"")
    return "\n".join(rows) + "\n"


CONTACTS = "contact_id,customer_id,channel,received_at,answered,wait_s,reason\n" + "".join(
    f"c{i},k{i},phone,2026-05-04 10:{i:02d}:00,true,10,{r}\n"
    for i, r in enumerate(["order_status"] * 2 + ["delivery_delay"] * 6 + ["billing_question"] * 2))


@pytest.fixture()
def client(client_folder):
    return client_folder("tiny", CONFIG, {"contacts.csv": CONTACTS, "responses.csv": _responses()})


def run(*args):
    return CliRunner().invoke(app, [*map(str, args)])


def test_friction_json_contract(client):
    res = run("friction", "--config", client, "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert set(out) == {"meta", "friction"} and out["meta"]["warnings"] == []
    assert out["meta"]["tables"]["responses"]["accepted"] == 9
    assert out["meta"]["tables"]["contacts"]["accepted"] == 10
    recs = out["friction"]
    assert [r["stage"] for r in recs] == ["ordering", "delivery", "invoice"]
    for r in recs:
        assert {"stage", "n", "unhappy_share", "friction_index", "p_value", "significant",
                "too_few", "rank"} <= set(r)
        assert isinstance(r["significant"], bool) and isinstance(r["too_few"], bool)
    by = {r["stage"]: r for r in recs}
    assert by["delivery"]["n"] == 4 and by["delivery"]["unhappy_share"] == pytest.approx(0.75)
    assert by["delivery"]["friction_index"] == pytest.approx(100.0) and by["delivery"]["rank"] == 1
    assert by["ordering"]["friction_index"] == pytest.approx(0.0) and by["ordering"]["rank"] == 2
    assert by["invoice"]["too_few"] is True and by["invoice"]["rank"] is None
    assert by["invoice"]["friction_index"] is None
    assert by["delivery"]["volume_share"] == pytest.approx(0.6)


def test_friction_by_country_and_table(client):
    res = run("friction", "--config", client, "--by", "country", "--json")
    assert res.exit_code == 0, res.output
    recs = json.loads(res.stdout)["friction"]
    assert {r["country"] for r in recs} == {"FR", "GB"} and len(recs) == 6
    res = run("friction", "--config", client, "--locale", "en")
    assert res.exit_code == 0, res.output
    assert "Main friction point: Delivery" in res.stdout


def test_tables_speak_the_client_language(client):
    # the tables showed code names (stage_label_fr, unhappy_share, p_value, significant) and
    # English numbers (0.75, 4.16e-05, True) to a French client
    wide = {"COLUMNS": "250"}
    res = CliRunner().invoke(app, ["friction", "--config", str(client)], env=wide)
    assert res.exit_code == 0, res.output
    table = res.stdout.split("•", 1)[0]
    for code in ("stage_label", "unhappy_share", "p_value", "significant", "friction_index", "True", "False"):
        assert code not in table, code
    assert "Étape du parcours" in table and "Clients très insatisfaits" in table and "75,0 %" in table
    assert " oui " in table or " non " in table
    res = CliRunner().invoke(app, ["verbatims", "--config", str(client)], env=wide)
    assert "share_unhappy" not in res.stdout and "Part chez les très insatisfaits" in res.stdout
    res = CliRunner().invoke(app, ["countries", "--config", str(client)], env=wide)
    assert "nps_gap" not in res.stdout and "Écart au NPS de référence" in res.stdout


def test_friction_errors_exit_2(client, tmp_path):
    res = run("friction", "--config", client, "--by", "nope", "--json")
    assert res.exit_code == 2 and "nope" in res.output
    res = run("friction", "--config", tmp_path / "missing.yml", "--json")
    assert res.exit_code == 2 and "not found" in res.output
    assert "Traceback" not in res.output


def test_verbatims_json_contract_and_masking(client):
    res = run("verbatims", "--config", client, "--json", "--topics", "0")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert set(out) >= {"themes", "weak_signals"}
    for t in out["themes"] + out["weak_signals"]:
        assert {"theme", "terms", "mentions", "lift", "label", "examples"} <= set(t)
        assert t["label"] in ("irritant", "delighter", "neutral")
    themes = {t["theme"]: t for t in out["themes"]}
    assert themes["delivery_delay"]["mentions"] == 3
    assert themes["friendly_agent"]["mentions"] == 3
    text = json.dumps(out, ensure_ascii=False)
    assert "06 12 34 56 78" not in text and "John Smith" not in text
    assert "[PHONE]" in text and "[NAME]" in text


def test_countries_json(client):
    res = run("countries", "--config", client, "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert set(out) == {"meta", "countries"} and out["meta"]["tables"]["responses"]["read"] == 9
    recs = out["countries"]
    assert {r["country"] for r in recs} == {"FR", "GB"}
    assert all(r["ranking_basis"] == "nps_gap_to_benchmark" for r in recs)
    res = run("countries", "--config", client, "--metric", "csat", "--basis", "raw", "--json")
    assert all(r["ranking_basis"] == "csat_raw" for r in json.loads(res.stdout)["countries"])
    res = run("countries", "--config", client, "--metric", "ces", "--json")
    assert res.exit_code == 2


def test_verbatims_says_its_base(client):
    """The table's mentions rest on the answers with a comment: the command says how many,
    out of how many answers (an answer without a comment is counted, not dropped silently)."""
    wide = {"COLUMNS": "250"}
    res = CliRunner().invoke(app, ["verbatims", "--config", str(client), "--topics", "0"], env=wide)
    assert res.exit_code == 0, res.output
    assert "8 verbatims analysés sur 9 réponses (1 sans commentaire)" in res.stdout
    res = CliRunner().invoke(app, ["verbatims", "--config", str(client), "--topics", "0", "--locale", "en"], env=wide)
    assert "8 verbatims analysed out of 9 answers (1 without a comment)" in res.stdout
