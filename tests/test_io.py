"""Readers, aliases, rejects with exact row numbers, InputErrors, load() and write_rejects()."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxtoolkit.config import ClientConfig
from cxtoolkit.errors import InputError
from cxtoolkit.io import load, load_table, write_rejects
from cxtoolkit.io.readers import read_file
from cxtoolkit.schemas import CONTACTS

NOW = pd.Timestamp("2025-01-01")
CANON = ("contact_id,channel,received_at,answered,wait_s,talk_s\n"
         "c1,phone,2024-03-01 09:00:00,true,12.5,100\n"
         "c2,email,2024-03-01 10:00:00,false,,\n"
         "c3,chat,2024-03-02 11:30:00,true,30,60\n")


def _write(tmp_path: Path, name: str, text: str | bytes, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_bytes(text.encode(encoding))
    return p


def _contacts(path, **kw):
    return load_table(path, "contacts", now=NOW, **kw)


# --- reader variants -----------------------------------------------------------------------
@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_separators(tmp_path, sep):
    p = _write(tmp_path, "c.csv", CANON.replace(",", sep))
    ok, rej, n = _contacts(p)
    assert n == {"file": str(p), "read": 3, "accepted": 3, "rejected": 0}
    assert ok["wait_s"].tolist()[0] == 12.5 and np.isnan(ok["wait_s"][1])
    assert ok["talk_s"].tolist() == [100.0, 0.0, 60.0]  # empty talk_s defaults to 0


def test_decimal_comma_and_clock_durations(tmp_path):
    text = ("contact_id;channel;received_at;answered;wait_s;talk_s\n"
            "c1;phone;01/03/2024 09:00;oui;12,5;1:02:03\n"
            "c2;phone;01/03/2024 09:05:30;non;02:30;\n")
    ok, rej, _ = _contacts(_write(tmp_path, "c.csv", text))
    assert ok["wait_s"].tolist() == [12.5, 150.0]
    assert ok["talk_s"].tolist() == [3723.0, 0.0]
    assert ok["received_at"].tolist() == [pd.Timestamp("2024-03-01 09:00"), pd.Timestamp("2024-03-01 09:05:30")]
    assert ok["answered"].tolist() == [True, False]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings_with_french_accents(tmp_path, encoding):
    text = ("N° appel;Canal;Date d'appel;Décroché;Durée d'attente (s);Motif\n"
            "1;Téléphone;01/03/2024 09:00;Oui;10;Réclamation facturée\n")
    ok, rej, _ = _contacts(_write(tmp_path, "c.csv", text, encoding))
    assert list(ok["reason"]) == ["Réclamation facturée"]
    assert list(ok["channel"]) == ["phone"] and ok["contact_id"].tolist() == ["1"]


def test_canonical_dtypes(tmp_path):
    ok, _, _ = _contacts(_write(tmp_path, "c.csv", CANON))
    assert ok["received_at"].dtype == "datetime64[ns]"
    assert ok["answered"].dtype == bool
    assert ok["wait_s"].dtype == "float64"
    assert isinstance(ok["channel"].dtype, pd.CategoricalDtype)
    assert pd.api.types.is_string_dtype(ok["contact_id"].dtype)


def test_excel_with_title_rows_and_named_sheet(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Synthèse"
    ws["A1"] = "ignored"
    ws2 = wb.create_sheet("Appels")
    ws2["A1"] = "Export des appels — mars 2024"
    ws2.append([])
    ws2.append(["ID appel", "Canal", "Date/heure", "Répondu", "Temps d'attente", "Conseiller"])
    ws2.append(["a1", "tel", pd.Timestamp("2024-03-01 09:00").to_pydatetime(), "oui", 15, "Léa"])
    ws2.append(["a2", "tel", "02/03/2024 10:00", "oui", None, "Léa"])
    p = tmp_path / "export.xlsx"
    wb.save(p)
    ok, rej, n = _contacts(p, sheet="Appels")
    assert n["read"] == 2 and n["accepted"] == 1
    assert rej[["row", "column", "reason"]].values.tolist() == [[5, "wait_s", "answered without wait_s"]]
    assert ok["agent_id"].tolist() == ["Léa"] and ok["wait_s"].tolist() == [15.0]
    with pytest.raises(InputError, match=r"no sheet 'Nope' \(sheets: Synthèse, Appels\)"):
        _contacts(p, sheet="Nope")


def test_parquet(tmp_path):
    df = pd.DataFrame({"contact_id": ["p1", "p2"], "channel": ["phone", "fax"],
                       "received_at": pd.to_datetime(["2024-03-01 09:00", "2024-03-01 09:10"]),
                       "answered": [True, False], "wait_s": [3.0, 40.0]})
    p = tmp_path / "c.parquet"
    df.to_parquet(p)
    ok, rej, n = _contacts(p)
    assert (n["read"], n["accepted"]) == (2, 1)
    assert rej[["row", "column", "value"]].values.tolist() == [[2, "channel", "fax"]]
    assert rej["reason"].iloc[0].startswith("unknown value (allowed: phone, email")


def test_date_and_time_in_two_columns(tmp_path):
    text = "ID;Canal;Date;Heure;Décroché;Attente\nx;tel;05/03/2024;14:05:00;1;20\n"
    ok, _, _ = _contacts(_write(tmp_path, "c.csv", text))
    assert ok["received_at"].tolist() == [pd.Timestamp("2024-03-05 14:05")]


def test_answered_and_wait_derived_from_timestamps(tmp_path):
    text = ("contact_id,channel,received_at,answered_at,abandoned_at\n"
            "a,phone,2024-03-01 09:00:00,2024-03-01 09:00:40,\n"
            "b,phone,2024-03-01 09:10:00,,2024-03-01 09:11:00\n")
    ok, rej, _ = _contacts(_write(tmp_path, "c.csv", text))
    assert ok["answered"].tolist() == [True, False]
    assert ok["wait_s"].tolist() == [40.0, 60.0]


def test_unknown_columns_are_kept(tmp_path):
    ok, _, _ = _contacts(_write(tmp_path, "c.csv", CANON.replace("talk_s\n", "talk_s,Campagne\n")
                                .replace("100\n", "100,printemps\n").replace(",,\n", ",,,x\n")
                                .replace("60\n", "60,\n")))
    assert ok["Campagne"].tolist()[:2] == ["printemps", "x"]


# --- rejects: exact row, column, reason ------------------------------------------------------
REJECT_CASES = [
    # (row text after the header, column, reason)
    ("c9,phone,2024-03-01 09:00:00,true,-3,0", "wait_s", "below minimum 0"),
    ("c9,phone,2024-03-01 09:00:00,true,90000,10", "wait_s", "absurd: above 24 h"),
    ("c9,phone,2024-03-01 09:00:00,true,,10", "wait_s", "answered without wait_s"),
    ("c9,chat,2024-03-01 09:00:00,true,,10", "wait_s", "answered without wait_s"),
    ("c9,phone,2030-03-01 09:00:00,true,5,10", "received_at", "date in the future"),
    ("c9,phone,31/02/2024 09:00,true,5,10", "received_at", "not a date"),
    ("c9,phone,,true,5,10", "received_at", "missing value"),
    ("c9,phone,2024-03-01 09:00:00,peut-être,5,10", "answered", "not a boolean (oui/non, yes/no, 1/0, true/false)"),
    ("c9,pigeon,2024-03-01 09:00:00,true,5,10", "channel", "unknown value (allowed: phone, email, chat, social, messaging)"),
    ("c9,phone,2024-03-01 09:00:00,true,abc,10", "wait_s", "not a duration (seconds or hh:mm:ss)"),
    (",phone,2024-03-01 09:00:00,true,5,10", "contact_id", "missing value"),
    ("c1,phone,2024-03-01 09:00:00,true,5,10", "contact_id", "duplicate contact_id (first at row 2)"),
]


@pytest.mark.parametrize("row,column,reason", REJECT_CASES)
def test_each_reject_reason_has_its_row_and_column(tmp_path, row, column, reason):
    p = _write(tmp_path, "c.csv", CANON + row + "\n")
    ok, rej, n = _contacts(p)
    assert (n["read"], n["accepted"], n["rejected"]) == (4, 3, 1)
    assert rej[["table", "file", "row", "column", "reason"]].values.tolist() == [
        ["contacts", str(p), 5, column, reason]]


def test_an_invalid_optional_cell_is_blanked_not_the_row(tmp_path):
    """talk_s is optional: an absurd talk time empties that cell (reported), the call is kept."""
    from cxtoolkit.io.loader import load_table_detailed

    p = _write(tmp_path, "c.csv", CANON + "c9,phone,2024-03-01 09:00:00,true,5,90000\n")
    ok, rej, n, details = load_table_detailed(p, "contacts", now=pd.Timestamp("2025-01-01"))
    assert (n["read"], n["accepted"], n["rejected"], len(rej)) == (4, 4, 0, 0)
    assert pd.isna(ok["talk_s"].iloc[-1])      # empty, not the default 0
    assert details["blanked_cells"] == [{"table": "contacts", "file": str(p), "row": 5, "column": "talk_s",
                                         "value": "90000", "reason": "absurd: above 24 h"}]
    assert "1 invalid talk_s value(s) blanked, rows kept" in details["warnings"][0]


def test_email_unanswered_without_wait_is_fine_and_email_wait_can_exceed_a_day(tmp_path):
    p = _write(tmp_path, "c.csv", CANON + "e9,email,2024-03-01 09:00:00,true,200000,0\n")
    _, rej, n = _contacts(p)
    assert n["rejected"] == 0


def test_row_numbers_skip_blank_lines_and_title_rows(tmp_path):
    text = "Extraction CRM\n\n" + CANON.replace("c2,email", "\nc2,email").replace("c3,chat,2024-03-02 11:30:00,true,30",
                                                                                   "c3,chat,2024-03-02 11:30:00,true,-1")
    _, rej, n = _contacts(_write(tmp_path, "c.csv", text))
    # line 1 title, 2 blank, 3 header, 4 c1, 5 blank, 6 c2, 7 c3
    assert n["read"] == 3 and rej["row"].tolist() == [7]


def test_several_problems_in_one_row_count_once(tmp_path):
    p = _write(tmp_path, "c.csv", CANON + "c9,pigeon,2030-01-01 00:00:00,true,-1,0\n")
    ok, rej, n = _contacts(p)
    assert n["rejected"] == 1 and len(rej) == 3 and set(rej["row"]) == {5}


def test_responses_rules(tmp_path):
    text = ("ID réponse;Date de réponse;Note;Recommandation;Effort;Commentaire\n"
            "r1;01/03/2024;4;9;;Très bien\n"
            "r2;01/03/2024;;;;rien\n"
            "r3;01/03/2024;0;;;\n"
            "r4;01/03/2024;;11;;\n"
            "r5;01/03/2024;;;6;\n"
            "r6;01/03/2024;4,5;;;\n")
    p = _write(tmp_path, "r.csv", text)
    ok, rej, n = load_table(p, "responses", now=NOW, ces_scale=5)
    assert ok["response_id"].tolist() == ["r1"] and ok["survey_type"].tolist() == ["hot"]
    assert ok["verbatim"].tolist() == ["Très bien"]
    assert rej[["row", "column", "reason"]].values.tolist() == [
        [3, "csat", "no score (csat, nps or ces)"],
        [4, "csat", "below minimum 1"],
        [5, "nps", "above maximum 10"],
        [6, "ces", "above maximum 5"],
        [7, "csat", "not a whole number"],
    ]


# --- InputErrors ------------------------------------------------------------------------------
def test_missing_required_column(tmp_path):
    p = _write(tmp_path, "c.csv", "contact_id,received_at,answered,wait_s\nc1,2024-03-01,1,3\n")
    with pytest.raises(InputError, match=r"c\.csv: missing required column\(s\) channel for contacts"):
        _contacts(p)


@pytest.mark.parametrize("content,message", [
    (b"", "empty file"),
    (b"\r\n \n", "empty file"),
    (b"contact_id,channel,received_at,answered,wait_s\n", "header only, no data rows"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
])
def test_unusable_files(tmp_path, content, message):
    p = _write(tmp_path, "c.csv", content)
    with pytest.raises(InputError, match=message) as exc:
        _contacts(p)
    assert str(p) in str(exc.value) and "\n" not in str(exc.value)


def test_file_not_found(tmp_path):
    with pytest.raises(InputError, match="nope.csv: file not found"):
        _contacts(tmp_path / "nope.csv")


# --- load(): config, paths override, period -----------------------------------------------------
def _cfg(folder: Path, **data) -> ClientConfig:
    return ClientConfig(client="acme", data=data, folder=folder)


def test_load_with_period_and_override(tmp_path):
    _write(tmp_path, "contacts.csv", CANON)
    other = _write(tmp_path, "other.csv", CANON.replace("c1,", "z1,"))
    data = load(_cfg(tmp_path, contacts="contacts.csv"), start="2024-03-02", end="2024-03-02", now=NOW)
    assert data.contacts["contact_id"].tolist() == ["c3"]
    assert data.counts["contacts"] == {"file": "contacts.csv", "read": 3, "accepted": 3, "rejected": 0,
                                       "out_of_period": 2}
    assert data.responses is None and data.clean
    data = load(_cfg(tmp_path, contacts="contacts.csv"), paths={"contacts": other}, end="2024-03-01", now=NOW)
    assert data.contacts["contact_id"].tolist() == ["z1", "c2"]


def test_load_refuses_paths_outside_the_client_folder(tmp_path):
    with pytest.raises(InputError, match="outside"):
        load(_cfg(tmp_path / "acme", contacts="../secret.csv"))


def test_write_rejects_bom_and_formula_neutralised(tmp_path):
    text = CANON + "=HYPERLINK(\"http://x\"),phone,2024-03-01 09:00:00,true,-2,0\n"
    _, rej, _ = _contacts(_write(tmp_path, "c.csv", text))
    path = write_rejects(rej, tmp_path / "out")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    assert back["value"].tolist() == ["-2"]   # a plain number is no formula: never quoted (issue 17)
    assert back.columns.tolist() == ["table", "file", "row", "column", "value", "reason"]
    assert rej["value"].tolist() == ["-2"]  # the frame itself is untouched


def test_write_rejects_neutralises_formula_in_any_text_cell(tmp_path):
    rej = pd.DataFrame({"table": ["contacts"], "file": ["f.csv"], "row": [2], "column": ["agent_id"],
                        "value": ['=HYPERLINK("http://evil","x")'], "reason": ["@reason"]})
    back = pd.read_csv(write_rejects(rej, tmp_path), encoding="utf-8-sig", dtype=str)
    assert back["value"][0] == "'=HYPERLINK(\"http://evil\",\"x\")" and back["reason"][0] == "'@reason"


def test_inputs_never_mutated(tmp_path):
    raw = read_file(_write(tmp_path, "c.csv", CANON), CONTACTS)
    before = raw.df.copy()
    from cxtoolkit.io import validate
    validate(raw, CONTACTS, now=NOW)
    pd.testing.assert_frame_equal(raw.df, before)


# --- property: read == accepted + rejected over messy frames ----------------------------------
MESSY = st.sampled_from(["", " ", "x", "-1", "0", "12,5", "1e9", "01/02/2024 10:00", "2024-13-45",
                         "2024-02-03T04:05:06", "oui", "NON", "tel", "courriel", "=1+1", "3:04", "25:61:99",
                         "\u00e9t\u00e9", "nan", "inf", "c1", "c2"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(MESSY, MESSY, MESSY, MESSY, MESSY, MESSY), min_size=1, max_size=25),
       sep=st.sampled_from([",", ";", "\t"]))
def test_property_read_equals_accepted_plus_rejected(tmp_path, rows, sep):
    df = pd.DataFrame(rows, columns=["contact_id", "channel", "received_at", "answered", "wait_s", "talk_s"])
    p = tmp_path / "messy.csv"
    df.to_csv(p, sep=sep, index=False)
    if all(not "".join(r).strip() for r in rows):
        with pytest.raises(InputError):
            _contacts(p)
        return
    ok, rej, n = _contacts(p)
    nonblank = sum(1 for r in rows if any(c.strip() for c in r))
    assert n["read"] == nonblank == n["accepted"] + n["rejected"]
    assert rej["row"].nunique() == n["rejected"]
    assert set(rej["row"]) <= set(range(2, len(rows) + 2))
