"""Ingestion never bends a number silently (issue 17, item 4) and xlsx zip bombs are refused
(item 9): each case gives the right number, or a warning / error naming the file, the column
and the cause. Fixtures are generated here."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxtoolkit.config import ClientConfig
from cxtoolkit.errors import InputError
from cxtoolkit.io import load, load_table

NOW = pd.Timestamp("2030-01-01")


def _aht(accepted: pd.DataFrame) -> float:
    ans = accepted[accepted["answered"]]
    return float((ans["talk_s"] + ans["hold_s"] + ans["wrap_s"]).mean())


# --- 4a: a UTF-8 file with a few cp1252 lines --------------------------------------------------
def test_utf8_file_with_cp1252_lines_decoded_line_by_line(tmp_path):
    head = "N° appel;Canal;Date d'appel;Décroché;Durée d'attente;Durée de communication;Commentaire\n"
    lines = [f"c{i};tel;01/03/2024 09:{i:02d};oui;10;{400 + i};ras\n" for i in range(10)]
    body = "".join(lines).encode("utf-8")
    odd = "c99;tel;01/03/2024 10:00;oui;10;400;réclamé\n".encode("cp1252")  # one Windows line
    p = tmp_path / "appels.csv"
    p.write_bytes(head.encode("utf-8") + body + odd)
    acc, rej, counts = load_table(p, "contacts", now=NOW)
    assert counts["accepted"] == 11
    assert _aht(acc) == pytest.approx((sum(400 + i for i in range(10)) + 400) / 11)
    assert "réclamé" in acc["Commentaire"].tolist()
    (w,) = counts["warnings"]
    assert str(p) in w and "1 line(s)" in w and "cp1252" in w and "12" in w


def test_plain_cp1252_file_has_no_warning(tmp_path):
    p = tmp_path / "c.csv"
    p.write_bytes("N° appel;Canal;Date d'appel;Décroché;Durée d'attente\nc1;tel;01/03/2024 09:00;oui;12\n"
                  .encode("cp1252"))
    acc, _, counts = load_table(p, "contacts", now=NOW)
    assert "warnings" not in counts and acc["wait_s"].tolist() == [12.0]


# --- 4b: handling-time aliases -----------------------------------------------------------------
@pytest.mark.parametrize("header", ["Durée de traitement", "Temps de traitement", "DMT", "Handle time",
                                    "Handling time (s)"])
def test_whole_handling_time_gives_the_aht(tmp_path, header):
    p = tmp_path / "c.csv"
    p.write_text(f"ID;Canal;Date d'appel;Décroché;Attente;{header}\n"
                 "c1;tel;01/03/2024 09:00;oui;10;400\nc2;tel;01/03/2024 09:05;oui;10;414,8\n"
                 "c3;tel;01/03/2024 09:10;non;30;\n", encoding="utf-8")
    acc, rej, counts = load_table(p, "contacts", now=NOW)
    assert counts["rejected"] == 0
    assert _aht(acc) == pytest.approx(407.4)


def test_handling_time_minus_hold_and_wrap(tmp_path):
    p = tmp_path / "c.csv"
    p.write_text("ID;Canal;Date d'appel;Décroché;Attente;Durée de traitement;Mise en attente;Temps de clôture\n"
                 "c1;tel;01/03/2024 09:00;oui;10;400;30;50\nc2;tel;01/03/2024 09:05;oui;10;60;40;40\n",
                 encoding="utf-8")
    acc, rej, counts = load_table(p, "contacts", now=NOW)
    assert acc["talk_s"].tolist() == [320.0]
    assert rej["reason"].tolist() == ["handling time shorter than hold + wrap-up"]
    assert rej["column"].tolist() == ["handle_s"]


@pytest.mark.parametrize("header,canon", [
    ("Durée de communication", "talk_s"), ("Temps de communication", "talk_s"), ("Talk duration", "talk_s"),
    ("Temps en file d'attente", "wait_s"), ("Time in queue", "wait_s"), ("Mise en garde", "hold_s"),
    ("Time on hold", "hold_s"), ("Durée de clôture", "wrap_s"), ("Post-traitement", "wrap_s"),
    ("Wrap-up time", "wrap_s")])
def test_common_duration_aliases(header, canon):
    from cxtoolkit.schemas import CONTACTS

    assert CONTACTS.match(header) == canon


@pytest.mark.parametrize("header,canon", [("Temps de traitement moyen", "aht_s"), ("Avg handle time", "aht_s"),
                                          ("Temps moyen de réponse", "asa_s")])
def test_daily_report_aliases(header, canon):
    from cxtoolkit.schemas import DAILY_REPORTS

    assert DAILY_REPORTS.match(header) == canon


def test_warnings_reach_validate_and_kpis_output(tmp_path):
    """A loading warning is printed on stderr (validate, kpis) and listed in validate --json."""
    import json

    from typer.testing import CliRunner

    from cxtoolkit.cli.main import app

    d = tmp_path / "acme"
    d.mkdir()
    (d / "client.yml").write_text("client: acme\nname: Acme\nlocale: en\ndata:\n  contacts: contacts.csv\n")
    (d / "contacts.csv").write_bytes("N° appel;Canal;Date d'appel;Décroché;Attente\nc1;tel;01/03/2024 09:00;oui;10\n"
                                     .encode() + "c2é;tel;01/03/2024 09:05;oui;12\n".encode("cp1252"))
    res = CliRunner().invoke(app, ["validate", "--config", str(d / "client.yml"), "--out", str(tmp_path / "v"),
                                   "--json"])
    payload = json.loads(res.stdout)
    assert any("cp1252" in w and "contacts.csv" in w for w in payload["warnings"])
    assert "warning: contacts.csv: 1 line(s)" in res.stderr
    res = CliRunner().invoke(app, ["kpis", "--config", str(d / "client.yml")])
    assert "warning: contacts.csv: 1 line(s)" in res.stderr
