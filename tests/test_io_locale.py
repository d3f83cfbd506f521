"""The io layer speaks the client's language: reject reasons (rejects.csv, `validate`'s top
reasons, the audit's rejects), loading warnings and preset notes come from the message
catalogue's ``io`` keys in the client's locale (client.yml ``locale`` or ``--locale``), numbers
in the locale's format; the rejects' column names (the data contract) stay the same; English
output is unchanged."""
from __future__ import annotations

import re

import pandas as pd
import pytest
from typer.testing import CliRunner
from conftest import write_client

from cxtoolkit import messages as M
from cxtoolkit.cli.main import app
from cxtoolkit.config import load_config
from cxtoolkit.io import load
from cxtoolkit.io.validate import REJECT_COLUMNS

runner = CliRunner()
NOW = "2025-01-01"

#: a French export with one row of each problem the io layer names (and a cp1252 line)
HEADER = "contact_id;channel;received_at;answered;wait_s;talk_s;Résolution\n"
ROWS = ["c1;phone;01/03/2024 09:00;oui;12;60;bof",
        "c2;fax;01/03/2024 09:01;oui;12;60;bof",             # unknown channel
        "c3;phone;;oui;12;60;bof",                            # missing received_at
        "c4;phone;01/03/2024 09:03;oui;-5;60;bof",            # wait below 0
        "c5;phone;01/03/2024 09:04;oui;100000;60;bof",        # a wait of 27 h on the phone
        "c1;phone;01/03/2024 09:05;oui;12;60;oui",            # duplicate id
        "c6;phone;31/02/2024 10:00;oui;12;60;non",            # not a date
        "c7;phone;01/03/2024 09:07;oui;12;abc;bof",           # talk_s blanked, row kept
        "c8;phone;01/03/2024 09:08;peut-être;12;60;bof"]      # not a boolean
EXPORT = (HEADER + "\n".join(ROWS) + "\n").encode("utf-8") + "c9;phone;01/03/2024 09:09;oui;12;60;été\n".encode("cp1252")


def _client(tmp_path, locale="fr", export=EXPORT):
    return write_client(tmp_path, "acme", {"name": "Acme", "country": "FR", "locale": locale,
                                           "data": {"contacts": "contacts.csv"}}, {"contacts.csv": export})


def _english_fragments() -> set[str]:
    """Pieces of the io layer's English texts (between placeholders, three words or more) that
    their French texts do not contain: none may reach a French client."""
    en, fr = M.catalogue("en"), M.catalogue("fr")
    out = set()
    for key, template in en.items():
        if not key.startswith("io.") and key not in ("cli.data.rejected_line", "cli.data.warning"):
            continue
        for piece in re.split(r"\{[^}]*\}", template):
            piece = piece.strip(" .,;:()")
            if len(piece.split()) >= 3 and piece not in fr.get(key, ""):
                out.add(piece)
    return out


def test_the_fragments_cover_the_io_texts():
    frags = " | ".join(sorted(_english_fragments()))
    for piece in ("value(s) blanked, rows kept", "not a boolean", "line(s) not in UTF-8", "by its name, but",
                  "each counts as an answered contact", "row(s) rejected in", "PHANTOM call"):
        assert piece in frags


def test_french_client_validate_prints_and_writes_no_english_io_text(tmp_path):
    cfg = _client(tmp_path)
    res = runner.invoke(app, ["validate", "--config", str(cfg), "--out", str(tmp_path / "v")])
    assert res.exit_code == 1, res.output
    rejects = pd.read_csv(tmp_path / "v" / "rejects.csv", encoding="utf-8-sig", dtype=str)
    assert list(rejects.columns) == REJECT_COLUMNS            # the data contract's names, in every language
    said = res.stdout + res.stderr + "\n".join(rejects["reason"])
    english = sorted(f for f in _english_fragments() if f in said)
    assert english == [], english
    reasons = set(rejects["reason"])
    assert {"valeur inconnue (valeurs admises : phone, email, chat, social, messaging)", "valeur manquante",
            "inférieur au minimum 0", "aberrant : plus de 24 h", "contact_id en double (première occurrence à la ligne 2)",
            "pas une date", "pas un oui/non (oui/non, yes/no, 1/0, true/false)"} <= reasons
    assert "Principaux motifs de rejet :" in res.stdout and "aberrant : plus de 24 h × 1" in res.stdout
    assert "attention : contacts.csv : 1 ligne(s) pas en UTF-8, lue(s) en Windows-1252 (cp1252) (ligne 11)" in res.stderr
    assert ("attention : contacts.csv : 1 valeur(s) de talk_s invalide(s) vidée(s), lignes conservées "
            "(pas une durée (secondes ou hh:mm:ss) ; première à la ligne 9)") in res.stderr
    assert "la colonne 'Résolution' ressemblait à resolved par son nom, mais 8 de ses 10 valeurs" in res.stderr
    assert "contacts : 7 ligne(s) sur 10 rejetée(s) dans contacts.csv" in res.stderr


def test_english_client_texts_are_unchanged(tmp_path):
    data = load(load_config(_client(tmp_path, "en")), now=NOW)
    assert sorted(set(data.rejects["reason"])) == [
        "absurd: above 24 h", "below minimum 0", "duplicate contact_id (first at row 2)", "missing value",
        "not a boolean (oui/non, yes/no, 1/0, true/false)", "not a date",
        "unknown value (allowed: phone, email, chat, social, messaging)"]
    assert data.warnings == [
        "contacts.csv: 1 line(s) not in UTF-8, read as Windows-1252 (cp1252) (line 11); check their accented characters",
        "contacts.csv: column 'Résolution' looked like resolved by its name, but 8 of its 10 values do not fit "
        "(not a boolean (oui/non, yes/no, 1/0, true/false), e.g. 'bof'); ignored (kept as it came). "
        "Map it in client.yml if it is resolved.",
        "contacts.csv: 1 invalid talk_s value(s) blanked, rows kept (not a duration (seconds or hh:mm:ss); first at row 9)"]


def test_locale_flag_overrides_the_clients_language(tmp_path):
    cfg = _client(tmp_path)            # a French client asked in English
    res = runner.invoke(app, ["validate", "--config", str(cfg), "--out", str(tmp_path / "v"), "--locale", "en"])
    assert "Main reject reasons:" in res.stdout and "absurd: above 24 h × 1" in res.stdout
    assert "warning: contacts.csv: 1 invalid talk_s value(s) blanked" in res.stderr
    assert "absurd: above 24 h" in (tmp_path / "v" / "rejects.csv").read_text(encoding="utf-8-sig")
    assert load(load_config(cfg), now=NOW, locale="en").locale == "en"
    res = runner.invoke(app, ["validate", "--config", str(cfg), "--locale", "de"])
    assert res.exit_code == 2 and "--locale: 'de' is not fr or en" in res.stderr


def test_preset_notes_and_reasons_in_the_clients_language(tmp_path):
    bank = ("vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start\tq_exit\t"
            "q_time\toutcome\tser_start\tser_exit\tser_time\tserver\n"
            "AA0101\t1\t0\t0\tPS\t990201\t9:00:00\t9:00:05\t5\t9:00:05\t9:00:10\t5\tAGENT\t9:00:10\t9:01:10\t60\tMICHAL\n"
            "AA0101\t2\t0\t0\tPS\t990201\t9:05:00\t9:05:05\t5\t0:00:00\t0:00:00\t0\tPHANTOM\t0:00:00\t0:00:00\t0\tNO_SERVER\n")
    cfg = write_client(tmp_path, "bank", {"locale": "fr", "country": "IL", "data": {"contacts": "bank.txt"}},
                       {"bank.txt": bank})
    data = load(load_config(cfg), now=NOW)
    assert data.rejects["reason"].tolist() == ["appel PHANTOM (pas un vrai appel)"]
    daily = ("Index;Incoming Calls;Answered Calls;Answer Rate;Abandoned Calls;Answer Speed (AVG);"
             "Talk Duration (AVG);Waiting Time (AVG);Service Level (20 Seconds)\n"
             "1;100;90;90.00%;10;0:00:20;0:03:00;0:00:25;80.00%\n")
    cfg = write_client(tmp_path, "daily", {"locale": "fr", "data": {"daily_reports": "daily.csv"}}, {"daily.csv": daily})
    warnings = load(load_config(cfg), now=NOW).warnings
    assert warnings[0].startswith("daily.csv : le rapport n'a pas de dates : Index est le numéro du jour")
    assert "columns: {date: {column: Index, day_number_from: AAAA-MM-JJ}}" in warnings[0]
    assert not [w for w in warnings if "the report" in w or "AHT is" in w]


def test_every_preset_text_is_a_catalogue_key():
    """A preset's notes and reject reasons name ``io.preset.<preset>.<name>`` keys (said in the
    client's language); a text written in a preset would reach French clients in English."""
    from cxtoolkit.io.presets import presets

    for p in presets():
        texts = list(p.get("notes") or ()) + [r["reason"] for r in p.get("reject_rows") or ()]
        for t in texts:
            assert t.startswith(f"io.preset.{p['name']}.") and M.has(t), (p["name"], t)


def test_a_client_yml_note_or_reason_is_shown_as_written(tmp_path):
    from cxtoolkit.io.mapping import said

    assert said("appels de test", "en") == "appels de test"
    assert said("io.preset.talkdesk_calls.outbound", "fr") == "appel sortant (pas un contact client reçu)"


def test_excel_reader_warnings_in_french(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title in ("Mars", "Avril", "Notes"):
        ws = wb.create_sheet(title)
        if title == "Notes":
            ws.append(["remarque"])
            ws.append(["rien"])
            continue
        ws.append(["contact_id", "channel", "received_at", "answered", "wait_s"])
        for i in range(1200):
            ws.append([f"{title}{i}", "phone", "01/03/2024 09:00", "oui", 12])
    wb.save(tmp_path / "appels.xlsx")
    cfg = write_client(tmp_path, "xl", {"locale": "fr", "data": {"contacts": "../appels.xlsx"}})
    (tmp_path / "xl" / "appels.xlsx").write_bytes((tmp_path / "appels.xlsx").read_bytes())
    cfg.write_text(cfg.read_text().replace("../appels.xlsx", "appels.xlsx"))
    warnings = load(load_config(cfg), now=NOW).warnings
    assert "appels.xlsx : 2 feuilles aux mêmes colonnes lues comme une seule table ('Mars' 1\u202f200 lignes + " \
           "'Avril' 1\u202f200 lignes)" in warnings
    assert "appels.xlsx : feuille(s) 'Notes' non lue(s) (autres colonnes que 'Mars')" in warnings


def test_numbers_in_io_texts_follow_the_locale():
    from cxtoolkit.io.validate import blank_warning, reason_text

    assert reason_text("above_days", "fr", days=1.5) == "aberrant : plus de 1,5 jours"
    assert reason_text("above_days", "en", days=60.0) == "absurd: above 60 days"
    assert blank_warning("c.csv", 12345, "talk_s", "pas un nombre", 3, "fr") == \
        "c.csv : 12\u202f345 valeur(s) de talk_s invalide(s) vidée(s), lignes conservées (pas un nombre ; première à la ligne 3)"


def test_the_cache_keeps_each_language_apart(tmp_path, monkeypatch):
    from cxtoolkit.io import cache
    from cxtoolkit.io.loader import load_table

    (tmp_path / "c").mkdir()
    monkeypatch.setenv(cache.ENV_CACHE_DIR, str(tmp_path / "c"))
    f = tmp_path / "contacts.csv"
    f.write_bytes(EXPORT)
    en = load_table(f, "contacts", now=NOW)[1]
    fr = load_table(f, "contacts", now=NOW, locale="fr")[1]
    assert "missing value" in set(en["reason"]) and "valeur manquante" in set(fr["reason"])
    assert set(load_table(f, "contacts", now=NOW)[1]["reason"]) == set(en["reason"])   # a hit, in English


def test_the_audit_loads_in_its_language(tmp_path):
    """The audit's rejects and manifest warnings come from :func:`cxtoolkit.audit.collect.compute_views`:
    in the audit's ``--locale``, else the client's."""
    from cxtoolkit.audit.collect import compute_views

    cfg = load_config(_client(tmp_path))
    fr, en = compute_views(cfg), compute_views(cfg, locale="en")
    assert "aberrant : plus de 24 h" in set(fr.rejects["reason"]) and fr.data.locale == "fr"
    assert "absurd: above 24 h" in set(en.rejects["reason"]) and en.data.warnings[0].startswith("contacts.csv: 1 line(s)")


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_french_client_kpis_stderr_has_no_english_io_text(tmp_path, engine):
    cfg = _client(tmp_path, export=HEADER + "\n".join(ROWS) + "\n")   # DuckDB: one encoding per file
    res = runner.invoke(app, ["kpis", "--config", str(cfg), "--engine", engine, "--json"])
    assert res.exit_code == 0, res.output
    assert "contacts : 7 ligne(s) sur 9 rejetée(s) dans" in res.stderr and "attention : " in res.stderr
    assert sorted(f for f in _english_fragments() if f in res.stderr) == []
    res = runner.invoke(app, ["kpis", "--config", str(cfg), "--engine", engine, "--json", "--locale", "en"])
    assert "contacts: 7 of 9 row(s) rejected in" in res.stderr and "warning: " in res.stderr


def test_a_file_without_rejects_never_reads_the_message_catalogue(tmp_path):
    """Each rule's reason is said only when the rule rejects a row: a clean file's validation
    does not parse the 128 kB catalogue (``kpis --json`` on 1M clean contacts spent ~20-30 ms
    of CPU reading it for 24 reasons it never showed); a rejected row still gets its reason
    in the locale (from the one top-level key of the catalogue it needs, ``io``)."""
    import subprocess
    import sys
    from pathlib import Path

    clean = tmp_path / "c.csv"
    clean.write_text("contact_id,channel,received_at,answered,wait_s\nc1,phone,2026-05-04 10:00:00,true,12\n",
                     encoding="utf-8")
    bad = tmp_path / "b.csv"
    bad.write_text(clean.read_text(encoding="utf-8") + "c2,phone,2026-05-04 11:00:00,true,-3\n", encoding="utf-8")
    code = ("import sys; from cxtoolkit import messages as M; from cxtoolkit.io.readers import read_file; "
            "from cxtoolkit.io.validate import validate; from cxtoolkit.schemas import SCHEMAS; "
            "acc, rej = validate(read_file(sys.argv[1]), SCHEMAS['contacts'], locale='fr'); "
            "print(len(acc), rej['reason'].tolist(), M._messages.cache_info().currsize + M._block.cache_info().currsize)")
    root = str(Path(__file__).resolve().parents[1])
    out = [subprocess.run([sys.executable, "-c", code, str(p)], capture_output=True, text=True, cwd=tmp_path,
                          env={**__import__("os").environ, "PYTHONPATH": root}, timeout=300).stdout.strip()
           for p in (clean, bad)]
    assert out == ["1 [] 0", "1 ['inférieur au minimum 0'] 1"]
