"""`cxtoolkit validate` exit codes and outputs; the real Anonymous Bank export."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxtoolkit.cli.main import app
from cxtoolkit.io import anonymous_bank_to_contacts

BANK = Path(__file__).resolve().parents[2] / "shared" / "data" / "anonymous-bank" / "data_anonymous_bank_february.txt"
CLEAN = "contact_id;channel;received_at;answered;wait_s\nc1;tel;01/03/2024 09:00;oui;10\n"


@pytest.fixture()
def client(client_folder, tmp_path):
    """``client(contacts text or None)`` -> tmp_path/acme/client.yml declaring contacts.csv."""
    def make(contacts: str | None) -> Path:
        return client_folder("acme", {"name": "Acme", "locale": "en", "data": {"contacts": "contacts.csv"}},
                             {} if contacts is None else {"contacts.csv": contacts}, root=tmp_path)
    return make


def test_validate_clean_exit_0(tmp_path, client):
    cfg = client(CLEAN)
    res = CliRunner().invoke(app, ["validate", "--config", str(cfg), "--out", str(tmp_path / "v")])
    assert res.exit_code == 0, res.output
    assert "contacts" in res.output and (tmp_path / "v" / "rejects.csv").exists()


def test_validate_table_counts_in_the_client_language(tmp_path, client):
    # the French table said "Lues 1,251": a decimal comma there (1.251 rows); 1 251 is meant
    rows = "".join(f"c{i};tel;01/03/2024 09:00;oui;10\n" for i in range(2, 1251)) + "c1251;tel;01/03/2024 09:00;oui;-4\n"
    cfg = client(CLEAN + rows)
    res = CliRunner().invoke(app, ["validate", "--config", str(cfg), "--out", str(tmp_path / "v"), "--locale", "fr"])
    assert res.exit_code == 1, res.output
    line = next(x for x in res.stdout.splitlines() if "contacts.csv" in x)
    assert "1\u202f251" in line and "1\u202f250" in line and "1,25" not in line, line
    assert "Principaux motifs de rejet :" in res.stdout
    en = CliRunner().invoke(app, ["validate", "--config", str(cfg), "--out", str(tmp_path / "v")])
    assert "1,251" in en.stdout and "Main reject reasons:" in en.stdout


def test_validate_rejects_exit_1_json(tmp_path, client):
    cfg = client(CLEAN + "c2;tel;01/03/2024 09:05;oui;-4\n")
    res = CliRunner().invoke(app, ["validate", "--config", str(cfg), "--out", str(tmp_path / "v"), "--json"])
    assert res.exit_code == 1
    out = json.loads(res.stdout)
    assert out["counts"]["contacts"] == {"file": "contacts.csv", "read": 2, "accepted": 1, "rejected": 1,
                                         "out_of_period": 0}
    assert out["top_reasons"] == [{"table": "contacts", "column": "wait_s", "reason": "below minimum 0", "n": 1}]
    text = (tmp_path / "v" / "rejects.csv").read_text(encoding="utf-8-sig")
    assert "contacts,contacts.csv,3,wait_s,-4,below minimum 0" in text   # a number: never quoted (issue 17)


def test_validate_unusable_exit_2_one_line(tmp_path, client):
    cfg = client("contact_id;received_at\nc1;2024-03-01\n")
    res = CliRunner().invoke(app, ["validate", "--config", str(cfg), "--out", str(tmp_path / "v")])
    assert res.exit_code == 2
    assert res.stderr.strip() == ("error: contacts.csv: missing required column(s) channel, answered, wait_s "
                                  "for contacts (found: contact_id, received_at)")
    assert "Traceback" not in res.output


def test_validate_missing_file_exit_2(tmp_path, client):
    cfg = client(None)
    res = CliRunner().invoke(app, ["validate", "--config", str(cfg)])
    assert res.exit_code == 2 and "contacts.csv: file not found" in res.stderr


def test_validate_default_out_dir(tmp_path, monkeypatch, client):
    cfg = client(CLEAN)
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(app, ["validate", "--config", str(cfg)])
    assert res.exit_code == 0 and (tmp_path / "reports" / "acme" / "validation" / "rejects.csv").exists()


@pytest.mark.skipif(not BANK.exists(), reason="Anonymous Bank sample not available")
def test_anonymous_bank_real_file():
    contacts, rejects, n = anonymous_bank_to_contacts(BANK)
    assert n["read"] == 33_344 == n["accepted"] + n["rejected"]
    assert n["rejected"] == 278 and set(rejects["reason"]) == {"PHANTOM call (not a real call)"}
    assert contacts["contact_id"].is_unique
    assert contacts["answered"].sum() == 27_162 and (~contacts["answered"]).sum() == 5_904
    assert contacts["received_at"].min().strftime("%Y-%m") == "1999-02"
    assert contacts["customer_id"].isna().sum() > 0 and "0" not in set(contacts["customer_id"].dropna())
    assert "NO_SERVER" not in set(contacts["agent_id"].dropna())
    first = contacts.iloc[0]
    assert (first["contact_id"], first["wait_s"], first["talk_s"], first["queue"]) == ("AA0101-34536", 0.0, 166.0, "PS")


@pytest.mark.parametrize("flags", [("--from", "--to"), ("--start", "--end")])
def test_validate_period_flags_like_the_other_commands(tmp_path, flags, client):
    """--from/--to as in kpis/audit; --start/--end still accepted (older name)."""
    cfg = client(CLEAN + "c2;tel;05/03/2024 09:05;oui;12\n")
    res = CliRunner().invoke(app, ["validate", "--config", str(cfg), "--out", str(tmp_path / "v"), "--json",
                                   flags[0], "2024-03-02", flags[1], "2024-03-31"])
    assert res.exit_code == 0, res.output
    counts = json.loads(res.stdout)["counts"]["contacts"]
    assert counts["accepted"] == 2 and counts["out_of_period"] == 1     # 01/03 is before the period


def test_validate_builds_no_accepted_table(tmp_path, client, monkeypatch):
    """``cxtoolkit validate`` reports counts and rejects: the accepted rows' columns are not
    copied into a table (issue 16: 1M rows, ~0.1-0.2 s of CPU), with ``--from`` only their time stamp."""
    import importlib

    validate = importlib.import_module("cxtoolkit.io.validate")
    asked, assemble = [], validate._assemble

    def recorded(*a, **k):
        asked.append(a[6] if len(a) > 6 else k.get("only"))
        return assemble(*a, **k)
    monkeypatch.setattr(validate, "_assemble", recorded)
    monkeypatch.delenv("CXTOOLKIT_CACHE_DIR", raising=False)
    cfg = client(CLEAN + "c2;tel;01/03/2024 09:05;oui;-4\n")
    res = CliRunner().invoke(app, ["validate", "--config", str(cfg), "--out", str(tmp_path / "v"), "--json"])
    assert res.exit_code == 1 and json.loads(res.stdout)["counts"]["contacts"]["accepted"] == 1
    res = CliRunner().invoke(app, ["validate", "--config", str(cfg), "--out", str(tmp_path / "v"), "--json",
                                   "--from", "2024-03-02"])
    assert json.loads(res.stdout)["counts"]["contacts"]["out_of_period"] == 1
    assert asked == [[], ["received_at"]]
