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
from cxtoolkit.io import load
from cxtoolkit.io.loader import load_table_detailed

NOW = pd.Timestamp("2030-01-01")


def _load(path: Path, **kw):
    """``(accepted, rejects, counts)`` of a contacts file, the counts with the loading's warnings."""
    acc, rej, counts, details = load_table_detailed(path, "contacts", now=NOW, **kw)
    return acc, rej, {**counts, "warnings": details["warnings"]}


def _aht(accepted: pd.DataFrame) -> float:
    ans = accepted[accepted["answered"]]
    # a part the export does not have is NaN (not measured); the measured parts add up
    return float(ans[["talk_s", "hold_s", "wrap_s"]].sum(axis=1, min_count=1).mean())


# --- 4a: a UTF-8 file with a few cp1252 lines --------------------------------------------------
def test_utf8_file_with_cp1252_lines_decoded_line_by_line(tmp_path):
    head = "N° appel;Canal;Date d'appel;Décroché;Durée d'attente;Durée de communication;Commentaire\n"
    lines = [f"c{i};tel;01/03/2024 09:{i:02d};oui;10;{400 + i};ras\n" for i in range(10)]
    body = "".join(lines).encode("utf-8")
    odd = "c99;tel;01/03/2024 10:00;oui;10;400;réclamé\n".encode("cp1252")  # one Windows line
    p = tmp_path / "appels.csv"
    p.write_bytes(head.encode("utf-8") + body + odd)
    acc, rej, counts = _load(p)
    assert counts["accepted"] == 11
    assert _aht(acc) == pytest.approx((sum(400 + i for i in range(10)) + 400) / 11)
    assert "réclamé" in acc["Commentaire"].tolist()
    (w,) = counts["warnings"]
    assert str(p) in w and "1 line(s)" in w and "cp1252" in w and "12" in w


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_old_mac_line_endings(tmp_path, encoding):
    # lines ended by a lone CR (the real Anonymous Bank shift plan is written so): the reader
    # stopped with a csv traceback ("new-line character seen in unquoted field")
    head = "N° appel;Canal;Date d'appel;Décroché;Durée d'attente\r"
    lines = [f"c{i};tel;01/03/2024 09:{i:02d};oui;{10 + i}\r" for i in range(5)] + ["c9;tel;pas une date;oui;1\r"]
    p = tmp_path / "appels.csv"
    p.write_bytes((head + "".join(lines)).encode(encoding))
    acc, rej, counts = _load(p)
    assert (counts["read"], counts["accepted"], counts["rejected"]) == (6, 5, 1)
    assert acc["wait_s"].tolist() == [10.0, 11.0, 12.0, 13.0, 14.0]
    assert rej["row"].tolist() == [7]   # the file's line, header = line 1


def test_plain_cp1252_file_has_no_warning(tmp_path):
    p = tmp_path / "c.csv"
    p.write_bytes("N° appel;Canal;Date d'appel;Décroché;Durée d'attente\nc1;tel;01/03/2024 09:00;oui;12\n"
                  .encode("cp1252"))
    acc, _, counts = _load(p)
    assert not counts["warnings"] and acc["wait_s"].tolist() == [12.0]


# --- 4b: handling-time aliases -----------------------------------------------------------------
@pytest.mark.parametrize("header", ["Durée de traitement", "Temps de traitement", "DMT", "Handle time",
                                    "Handling time (s)"])
def test_whole_handling_time_gives_the_aht(tmp_path, header):
    p = tmp_path / "c.csv"
    p.write_text(f"ID;Canal;Date d'appel;Décroché;Attente;{header}\n"
                 "c1;tel;01/03/2024 09:00;oui;10;400\nc2;tel;01/03/2024 09:05;oui;10;414,8\n"
                 "c3;tel;01/03/2024 09:10;non;30;\n", encoding="utf-8")
    acc, rej, counts = _load(p)
    assert counts["rejected"] == 0
    assert _aht(acc) == pytest.approx(407.4)


def test_handling_time_minus_hold_and_wrap(tmp_path):
    p = tmp_path / "c.csv"
    p.write_text("ID;Canal;Date d'appel;Décroché;Attente;Durée de traitement;Mise en attente;Temps de clôture\n"
                 "c1;tel;01/03/2024 09:00;oui;10;400;30;50\nc2;tel;01/03/2024 09:05;oui;10;60;40;40\n",
                 encoding="utf-8")
    acc, rej, counts = _load(p)
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


def test_warnings_reach_validate_and_kpis_output(tmp_path, client_folder):
    """A loading warning is printed on stderr (validate, kpis) and listed in validate --json."""
    import json

    from typer.testing import CliRunner

    from cxtoolkit.cli.main import app

    d = client_folder("acme", {"name": "Acme", "locale": "en", "data": {"contacts": "contacts.csv"}}, {
        "contacts.csv": "N° appel;Canal;Date d'appel;Décroché;Attente\nc1;tel;01/03/2024 09:00;oui;10\n".encode()
                        + "c2é;tel;01/03/2024 09:05;oui;12\n".encode("cp1252")}, root=tmp_path).parent
    res = CliRunner().invoke(app, ["validate", "--config", str(d / "client.yml"), "--out", str(tmp_path / "v"),
                                   "--json"])
    payload = json.loads(res.stdout)
    assert any("cp1252" in w and "contacts.csv" in w for w in payload["meta"]["warnings"])
    assert "warning: contacts.csv: 1 line(s)" in res.stderr
    res = CliRunner().invoke(app, ["kpis", "--config", str(d / "client.yml")])
    assert "warning: contacts.csv: 1 line(s)" in res.stderr


# --- Excel: formulas without values, merged date/time header, split sheets, zip bombs ---------
def _book(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
        for rng in (merges or {}).get(title, []):
            ws.merge_cells(rng)
    wb.save(path)
    return path


HEAD = ["ID", "Canal", "Date d'appel", "Décroché", "Attente", "Durée de communication"]


def test_formulas_without_saved_values_are_rejected_with_a_warning(tmp_path):
    p = _book(tmp_path / "appels.xlsx", {"Appels": [
        HEAD,
        ["c1", "tel", "01/03/2024 09:00", "oui", 10, 400],
        ["c2", "tel", "01/03/2024 09:05", "oui", 10, "=400+14.8"],   # openpyxl saves no value
        ["c3", "tel", "01/03/2024 09:10", "oui", 10, 414.8]]})
    acc, rej, counts = _load(p)
    assert acc["contact_id"].tolist() == ["c1", "c3"]          # c2's talk time is unknown, not 0
    assert rej[["row", "column", "reason"]].values.tolist() == [
        [3, "Durée de communication", "formula without a saved value"]]
    (w,) = counts["warnings"]
    assert str(p) in w and "'Appels'" in w and "'Durée de communication'" in w and "(F)" in w


def test_merged_header_over_date_and_time_is_one_timestamp(tmp_path):
    import datetime as dt

    rows = [["ID", "Canal", "Date d'appel", None, "Décroché", "Attente"]]
    rows += [[f"c{i}", "tel", dt.date(2024, 3, 1), dt.time(9 + i, 30), "oui", 10] for i in range(3)]
    p = _book(tmp_path / "appels.xlsx", {"Appels": rows}, {"Appels": ["C1:D1"]})
    acc, rej, counts = _load(p)
    assert acc["received_at"].dt.strftime("%H:%M").tolist() == ["09:30", "10:30", "11:30"]
    assert any("merged" in w and "Date d'appel" in w and "(C, D)" in w for w in counts["warnings"])


def test_other_merged_header_is_warned(tmp_path):
    rows = [["ID", "Canal", "Date d'appel", "Décroché", "Durées", None],
            ["c1", "tel", "01/03/2024 09:00", "oui", 10, 400]]
    p = _book(tmp_path / "appels.xlsx", {"Appels": rows}, {"Appels": ["E1:F1"]})
    with pytest.raises(InputError):  # the wait time is not named: missing column, and said why
        _load(p)
    from cxtoolkit.io.readers import read_file

    from cxtoolkit.findings import render

    raw = read_file(p)   # the reader's warnings are said in the client's language by the mapping
    assert any("'Durées' is merged over columns E to F" in render(w, "en") for w in raw.warnings)
    assert any("l'en-tête 'Durées' est fusionné sur les colonnes E à F" in render(w, "fr") for w in raw.warnings)


def test_workbook_split_over_sheets_reads_them_all(tmp_path):
    p = _book(tmp_path / "appels.xlsx", {
        "Janvier": [HEAD, ["c1", "tel", "01/01/2024 09:00", "oui", 10, 400], ["c2", "tel", "02/01/2024 09:00", "oui", 10, 400]],
        "Février": [HEAD, ["c3", "tel", "01/02/2024 09:00", "oui", 10, 400], ["c4", "tel", "02/02/2024 09:00", "oui", -5, 400]],
        "Synthèse": [["Mois", "Appels"], ["janvier", 2]]})
    acc, rej, counts = _load(p)
    assert counts["read"] == 4 and acc["contact_id"].tolist() == ["c1", "c2", "c3"]
    assert rej[["file", "row", "column"]].values.tolist() == [[f"{p}#Février", 3, "wait_s"]]
    assert any("2 sheets" in w and "'Janvier'" in w and "'Février'" in w for w in counts["warnings"])
    assert any("'Synthèse' not read" in w for w in counts["warnings"])
    # a sheet named explicitly is read alone
    acc, _, counts = _load(p, sheet="Février")
    assert counts["read"] == 2 and not counts["warnings"]


def _crafted(tmp_path: Path, sheet_xml: bytes, name: str = "bomb.xlsx") -> Path:
    """A valid workbook whose sheet XML is replaced by ``sheet_xml``."""
    import zipfile

    src = _book(tmp_path / "src.xlsx", {"Feuil1": [["ID"], ["c1"]]})
    out = tmp_path / name
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = sheet_xml if info.filename == "xl/worksheets/sheet1.xml" else zin.read(info.filename)
            zout.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out


_SHEET = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">%s'
          b'<sheetData>%s</sheetData></worksheet>')


@pytest.mark.parametrize("kind", ["far_cell", "declared", "compressed", "no_refs"])
def test_xlsx_zip_bombs_are_refused_quickly(tmp_path, kind):
    import time

    if kind == "far_cell":      # two cells, A1 and XFD1048576: pandas would pad 17 G cells
        xml = _SHEET % (b"", b'<row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c></row>'
                             b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    elif kind == "declared":    # a dimension padding every row to 16,384 columns
        xml = _SHEET % (b'<dimension ref="A1:XFD1048576"/>', b'<row r="1"><c r="A1"><v>1</v></c></row>')
    elif kind == "compressed":  # 60 MB of XML from a few tens of KB
        xml = _SHEET % (b"", b"<row>" + b"<c><v>0</v></c>" * 4_000_000 + b"</row>")
    else:                       # cells without references, a few million of them
        xml = _SHEET % (b"", b"<row><c/></row>" * 2_000_000)
    p = _crafted(tmp_path, xml)
    assert p.stat().st_size < 300_000
    t = time.perf_counter()
    with pytest.raises(InputError) as exc:
        _load(p)
    assert time.perf_counter() - t < 10
    msg = str(exc.value)
    assert msg.startswith(f"{p}: refused") and "\n" not in msg


def test_xlsx_guard_lets_a_real_export_through(tmp_path):
    from cxtoolkit.io.xlsx import check_workbook

    rows = [HEAD] + [[f"c{i}", "tel", "01/03/2024 09:00", "oui", i % 90, 300 + i % 200] for i in range(5000)]
    p = _book(tmp_path / "appels.xlsx", {"Appels": rows})
    scan = check_workbook(p, "appels.xlsx")["Appels"]
    assert scan.max_row == 5001 and scan.uncached == {} and scan.merges == []
    acc, _, counts = _load(p)
    assert counts["accepted"] == 5000


# --- 4f/4g: time zones ------------------------------------------------------------------------
def _client(tmp_path: Path, text: str, **kw) -> ClientConfig:
    (tmp_path / "contacts.csv").write_text(text, encoding="utf-8")
    return ClientConfig(client="acme", data={"contacts": "contacts.csv"}, folder=tmp_path, **kw)


def test_utc_timestamps_are_converted_to_the_clients_local_time(tmp_path):
    from cxtoolkit.calendar import in_business_hours

    # a GB client open 09:00-18:00; in July, 17:30Z is 18:30 in London: out of hours
    rows = [f"c{i},phone,2026-07-0{1 + i % 3}T{h}Z,true,10" for i, h in
            enumerate(["08:30:00", "12:00:00", "16:59:00", "17:30:00", "17:45:00", "10:00:00"])]
    cfg = _client(tmp_path, "contact_id,channel,received_at,answered,wait_s\n" + "\n".join(rows) + "\n",
                  country="GB")
    data = load(cfg, now=NOW)
    got = data.contacts["received_at"].dt.strftime("%H:%M").tolist()
    assert got == ["09:30", "13:00", "17:59", "18:30", "18:45", "11:00"]
    assert in_business_hours(data.contacts["received_at"], cfg).tolist() == [True, True, True, False, False, True]


def test_offsets_and_configured_timezone(tmp_path):
    text = ("contact_id,channel,received_at,answered,wait_s\n"
            "c1,phone,2024-01-15T09:00:00+01:00,true,10\nc2,phone,2024-07-15T09:00:00+01:00,true,10\n"
            "c3,phone,2024-07-15 09:00:00,true,10\nc4,phone,2024-07-15T07:00:00.250Z,true,10\n")
    data = load(_client(tmp_path, text, country="FR"), now=NOW)
    assert data.contacts["received_at"].dt.strftime("%Y-%m-%d %H:%M:%S.%f").tolist() == [
        "2024-01-15 09:00:00.000000", "2024-07-15 10:00:00.000000", "2024-07-15 09:00:00.000000",
        "2024-07-15 09:00:00.250000"]
    data = load(_client(tmp_path, text, country="FR", timezone="America/New_York"), now=NOW)
    assert data.contacts["received_at"].dt.strftime("%H:%M").tolist() == ["03:00", "04:00", "09:00", "03:00"]


def test_country_without_one_time_zone_is_warned(tmp_path):
    data = load(_client(tmp_path, "contact_id,channel,received_at,answered,wait_s\nc1,phone,2024-07-15T09:00:00Z,"
                                  "true,10\n", country="US"), now=NOW)
    assert any("plusieurs fuseaux horaires" in w and "timezone" in w for w in data.warnings)   # a French client
    data = load(_client(tmp_path, "contact_id,channel,received_at,answered,wait_s\nc1,phone,2024-07-15T09:00:00Z,"
                                  "true,10\n", country="US"), now=NOW, locale="en")
    assert any("several time zones" in w and "timezone" in w for w in data.warnings)
    with pytest.raises(Exception, match="not an IANA time zone"):
        ClientConfig(client="acme", timezone="Europe/Atlantis")


def test_waits_across_a_dst_change_are_elapsed_time(tmp_path):
    text = ("contact_id,channel,received_at,answered_at,abandoned_at\n"
            "c1,phone,31/03/2024 01:59:30,31/03/2024 03:00:00,\n"     # spring forward: 30 s, not 3,630 s
            "c2,phone,27/10/2024 02:50:00,27/10/2024 02:10:00,\n"     # fall back: 20 min, not -40 min
            "c3,phone,27/10/2024 02:10:00,27/10/2024 02:50:00,\n"     # inside the repeated hour: 40 min
            "c4,phone,15/06/2024 10:00:00,,15/06/2024 10:01:05\n")    # an ordinary day
    data = load(_client(tmp_path, text, country="FR"), now=NOW)
    assert data.contacts["wait_s"].tolist() == [30.0, 1200.0, 2400.0, 65.0]
    assert len(data.rejects) == 0


# --- 4h: thousands separators vs decimal commas -------------------------------------------------
def test_thousands_separator_in_an_english_export(tmp_path):
    p = tmp_path / "c.csv"
    p.write_text('contact_id,channel,received_at,answered,wait_s,talk_s\n'
                 'c1,phone,2024-03-01 09:00:00,true,12.5,"1,125"\n'
                 'c2,phone,2024-03-01 09:05:00,true,3.0,"2,340"\n', encoding="utf-8")
    acc, _, counts = _load(p)
    assert acc["talk_s"].tolist() == [1125.0, 2340.0] and not counts["warnings"]


@pytest.mark.parametrize("cells,expected", [
    (('"1,125.5"', '"12"'), [1125.5, 12.0]),           # a decimal point after the comma
    (('"1,000,000.5"', '"12"'), [1000000.5, 12.0]),     # several groups (an e-mail answered in 12 days)
    (('"1,125"', '"12.5"'), [1125.0, 12.5]),            # a decimal point in the same column
    (('"12,5"', '"1,125"'), [12.5, 1.125]),             # a French column: decimal commas
])
def test_comma_decided_by_the_column(tmp_path, cells, expected):
    p = tmp_path / "c.csv"
    p.write_text('contact_id,channel,received_at,answered,talk_s,wait_s\n'
                 f'c1,email,2024-03-01 09:00:00,true,12,{cells[0]}\n'
                 f'c2,email,2024-03-01 09:05:00,true,3,{cells[1]}\n', encoding="utf-8")
    acc, _, counts = _load(p)
    assert acc["wait_s"].tolist() == expected and not counts["warnings"]


def test_french_file_keeps_decimal_commas_and_ambiguity_is_warned(tmp_path):
    p = tmp_path / "c.csv"
    p.write_text("ID;Canal;Date d'appel;Décroché;Attente;Durée de communication\n"
                 "c1;tel;01/03/2024 09:00;oui;12,5;1,125\nc2;tel;01/03/2024 09:05;oui;3;2,25\n", encoding="utf-8")
    acc, _, counts = _load(p)
    assert acc["talk_s"].tolist() == [1.125, 2.25] and not counts["warnings"]
    p.write_text("ID;Canal;Date d'appel;Décroché;Attente;Durée de communication\n"
                 "c1;tel;01/03/2024 09:00;oui;12;1,125\nc2;tel;01/03/2024 09:05;oui;3;2,340\n", encoding="utf-8")
    acc, _, counts = _load(p)
    (w,) = counts["warnings"]
    assert str(p) in w and "'Durée de communication'" in w and "'1,125'" in w and "thousands" in w


@pytest.mark.notebook
def test_audit_manifest_lists_the_loading_warnings(tmp_path, client_folder):
    import json

    from cxtoolkit.audit.runner import run_audit

    client_folder("acme", {"name": "Acme", "country": "FR", "data": {"contacts": "contacts.csv"}}, {
        "contacts.csv": "N° appel;Canal;Date d'appel;Décroché;Attente\nc1;tel;01/03/2024 09:00;oui;10\n".encode()
                        + "c2é;tel;01/03/2024 09:05;oui;12\n".encode("cp1252")})
    data_dir = Path(__file__).parent / "data"
    res = run_audit("acme", period="2024-03", client_data=tmp_path / "client_data", out=tmp_path / "reports",
                    notebooks=[data_dir / "tiny_noparams.ipynb"], warehouse=False)
    m = json.loads((res.folder / "manifest.json").read_text(encoding="utf-8"))
    # a French client: said in French
    assert any("contacts.csv : 1 ligne(s) pas en UTF-8" in w for w in m["steps"]["rejects"]["warnings"])


def test_parquet_aware_timestamps_are_converted(tmp_path):
    df = pd.DataFrame({"contact_id": ["c1", "c2"], "channel": ["phone", "phone"],
                       "received_at": pd.to_datetime(["2026-07-01 17:30", "2026-01-15 17:30"]).tz_localize("UTC"),
                       "answered": [True, True], "wait_s": [10.0, 12.0]})
    df.to_parquet(tmp_path / "contacts.parquet")
    cfg = ClientConfig(client="acme", country="GB", data={"contacts": "contacts.parquet"}, folder=tmp_path)
    got = load(cfg, now=NOW).contacts["received_at"].dt.strftime("%H:%M").tolist()
    assert got == ["18:30", "17:30"]


def test_excel_is_read_by_calamine_and_gives_the_cells_openpyxl_gives(tmp_path, monkeypatch):
    """The fast engine (python-calamine) reads .xlsx; same cells, rows, problems and warnings
    as openpyxl (dates, times, durations over 24 h, numbers, formulas without value, merges)."""
    import datetime as dt

    from cxtoolkit.io import readers
    from cxtoolkit.schemas import CONTACTS

    assert readers._excel_engine() == "calamine"
    rows = [["Rapport"], ["ID", "Canal", "Date d'appel", None, "Décroché", "Attente", "Durée de communication"]]
    rows += [[f"c{i}", "tel", dt.date(2024, 3, 1), dt.time(9 + i, 30), "oui" if i else "non", 10 + i,
              [400, dt.timedelta(hours=25, seconds=3), "=400+14.8", 12.5][i]] for i in range(4)]
    p = _book(tmp_path / "appels.xlsx", {"Appels": rows, "Appels 2": rows}, {"Appels": ["C2:D2"], "Appels 2": ["C2:D2"]})
    fast = readers.read_file(p, CONTACTS)
    monkeypatch.setattr(readers, "_excel_engine", lambda: "openpyxl")
    slow = readers.read_file(p, CONTACTS)
    pd.testing.assert_frame_equal(fast.df, slow.df)
    assert fast.rows.tolist() == slow.rows.tolist() and fast.warnings == slow.warnings
    assert [(m.tolist(), c, r) for m, c, r in fast.problems] == [(m.tolist(), c, r) for m, c, r in slow.problems]
    assert len(fast.problems) == 2 and len(fast.df) == 8 and "Date d'appel" in fast.df.columns
    assert fast.df["Durée de communication"].tolist()[:2] == slow.df["Durée de communication"].tolist()[:2]
