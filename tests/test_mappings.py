"""Client exports as they come: mappings in client.yml, presets, inspect, nothing silently lost."""
import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner
from conftest import write_client

from cxtoolkit.cli.main import app
from cxtoolkit.config import load_config
from cxtoolkit.errors import InputError
from cxtoolkit.io import load
from cxtoolkit.io import presets as P
from cxtoolkit.io.inspect import propose_mapping

NOW = "2025-01-01"
HOURS = "{" + ", ".join(f'{d}: ["00:00", "24:00"]' for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")) + "}"
runner = CliRunner()

# the issue's call-centre workbook: date and time in two Excel cells, Y/N, seconds, a rating
HEADER = ["Call Id", "Agent", "Date", "Time", "Topic", "Answered (Y/N)", "Resolved",
          "Speed of answer in seconds", "AvgTalkDuration", "Satisfaction rating"]
ROWS = [
    ["ID0001", "Diane", dt.datetime(2021, 1, 1), dt.time(9, 12, 58), "Contract related", "Y", "Y", 109, dt.time(0, 2, 23), 3],
    ["ID0002", "Becky", dt.datetime(2021, 1, 1), dt.time(9, 12, 58), "Technical Support", "Y", "N", 70, dt.time(0, 4, 2), 3],
    ["ID0003", "Stewart", dt.datetime(2021, 1, 1), dt.time(9, 47, 31), "Contract related", "Y", "Y", 10, dt.time(0, 2, 11), 3],
    ["ID0004", "Greg", dt.datetime(2021, 1, 1), dt.time(9, 47, 31), "Contract related", "N", "N", None, None, None],
    ["ID0005", "Becky", dt.datetime(2021, 1, 1), dt.time(10, 0, 29), "Payment related", "Y", "Y", 24, dt.time(0, 0, 37), 5],
]
MAPPING = """
data:
  contacts:
    file: calls.xlsx
    sheet: Sheet1
    columns:
      contact_id: Call Id
      agent_id: Agent
      received_at: [Date, Time]
      answered: Answered (Y/N)
      wait_s: Speed of answer in seconds
      talk_s: AvgTalkDuration
      reason: Topic
    constants: {channel: phone}
    values:
      answered: {Y: true, N: false}
  responses:
    file: calls.xlsx
    columns: {response_id: Call Id, contact_id: Call Id, responded_at: [Date, Time], csat: Satisfaction rating}
"""


def _workbook(path, header=HEADER, rows=ROWS, title=None):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    if title:
        ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)


def _client(tmp_path, data_yaml, extra=""):
    # the client folder is tmp_path itself (the fixtures write the exports there)
    return load_config(write_client(tmp_path.parent, tmp_path.name,
                                    f"client: acme\nlocale: en\nbusiness_hours: {HOURS}\n{extra}{data_yaml}"))


@pytest.fixture
def calls(tmp_path):
    _workbook(tmp_path / "calls.xlsx")
    return _client(tmp_path, MAPPING)


def test_issue_mapping_loads_an_excel_export_into_two_tables(calls):
    data = load(calls, now=NOW)
    c, r = data.contacts, data.responses
    assert data.counts["contacts"]["read"] == 5 and data.counts["contacts"]["rejected"] == 0
    assert c["contact_id"].tolist() == ["ID0001", "ID0002", "ID0003", "ID0004", "ID0005"]
    assert c["received_at"].tolist()[:3] == [pd.Timestamp("2021-01-01 09:12:58")] * 2 + [pd.Timestamp("2021-01-01 09:47:31")]
    assert c["answered"].tolist() == [True, True, True, False, True]
    assert c["wait_s"].tolist()[:3] == [109.0, 70.0, 10.0] and c["talk_s"].tolist()[:3] == [143.0, 242.0, 131.0]
    assert set(c["channel"]) == {"phone"} and c["reason"].iloc[0] == "Contract related"
    # a column not mapped is still found by its alias ("Resolved")
    assert c["resolved"].tolist() == [True, False, True, False, True]
    # the unanswered call has no rating: that answer is rejected, the four others kept
    assert data.counts["responses"] == {"file": "calls.xlsx", "read": 5, "accepted": 4, "rejected": 1,
                                        "out_of_period": 0}
    assert r["csat"].tolist() == [3.0, 3.0, 3.0, 5.0] and r["contact_id"].tolist()[0] == "ID0001"


def test_mapped_column_wins_over_an_alias(tmp_path):
    # "Wait time" is an alias of wait_s; the mapping says the wait is "Speed of answer in seconds"
    _workbook(tmp_path / "calls.xlsx", HEADER + ["Wait time"], [r + [999] for r in ROWS])
    cfg = _client(tmp_path, MAPPING)
    c = load(cfg, tables=["contacts"], now=NOW).contacts
    assert c["wait_s"].tolist()[:3] == [109.0, 70.0, 10.0]


def test_header_found_below_a_title_row_by_the_mapped_names(tmp_path):
    _workbook(tmp_path / "calls.xlsx", title="Call centre export, January")
    c = load(_client(tmp_path, MAPPING), tables=["contacts"], now=NOW)
    assert c.counts["contacts"]["accepted"] == 5


def test_a_missing_mapped_column_names_it_and_every_column_found(tmp_path):
    header = HEADER + [f"Extra {i}" for i in range(20)]          # more than the 15 shown elsewhere
    _workbook(tmp_path / "calls.xlsx", header, [r + [""] * 20 for r in ROWS])
    cfg = _client(tmp_path, MAPPING.replace("talk_s: AvgTalkDuration", "talk_s: Talk time"))
    with pytest.raises(InputError) as err:
        load(cfg, tables=["contacts"], now=NOW)
    msg = str(err.value)
    assert "\n" not in msg and "calls.xlsx: data.contacts.columns.talk_s: no column 'Talk time'" in msg
    assert all(h in msg for h in header)


def test_an_unknown_canonical_key_is_one_line_error(tmp_path):
    _workbook(tmp_path / "calls.xlsx")
    # written in client.yml: refused when the config is read, with its line
    with pytest.raises(InputError, match=r"data\.contacts\.columns\.motive \(line 16\): unknown key \(known: contact_id"):
        _client(tmp_path, MAPPING.replace("reason: Topic", "motive: Topic"))
    # a mapping that reaches the loader otherwise (built in code): refused there, with the file's headers
    cfg = _client(tmp_path, MAPPING)
    src = cfg.data["contacts"]
    cfg.data["contacts"] = src.model_copy(update={"columns": {**src.columns, "motive": "Topic"}})
    with pytest.raises(InputError, match=r"data\.contacts\.columns\.motive: unknown column for contacts .*Call Id"):
        load(cfg, tables=["contacts"], now=NOW)


def test_an_unknown_mapping_key_is_refused_by_the_config(tmp_path):
    yml = write_client(tmp_path, "acme", "client: acme\ndata:\n  contacts: {file: c.csv, colums: {}}\n")
    with pytest.raises(InputError, match="data.contacts"):
        load_config(yml)


def test_plain_form_still_valid_and_data_path(tmp_path):
    cfg = _client(tmp_path, "data: {contacts: c.csv, responses: {file: r.xlsx, sheet: 2}}\n")
    assert cfg.data_file("contacts") == "c.csv" and cfg.data_path("responses").name == "r.xlsx"
    assert cfg.data_source("contacts").file == "c.csv"


def test_no_id_column_numbers_the_rows_and_says_so(tmp_path):
    (tmp_path / "c.csv").write_text("Canal;Date d'appel;Décroché;Attente\ntel;01/03/2024 09:00;oui;12\n"
                                    "tel;01/03/2024 09:05;non;40\n", encoding="utf-8")
    data = load(_client(tmp_path, "data: {contacts: c.csv}\n"), now=NOW)
    assert data.contacts["contact_id"].tolist() == ["2", "3"]
    assert data.warnings == ["c.csv: no contact_id column; each row's number in the file is used as contact_id"]
    res = runner.invoke(app, ["validate", "--config", str(tmp_path / "client.yml"), "--out", str(tmp_path / "v")])
    assert res.exit_code == 0 and "row's number in the file is used as contact_id" in res.stderr


def test_sheet_by_position_counts_from_one(tmp_path):
    from openpyxl import load_workbook

    _workbook(tmp_path / "calls.xlsx")
    wb = load_workbook(tmp_path / "calls.xlsx")
    wb.create_sheet("Notes", 0).append(["nothing here"])
    wb.save(tmp_path / "calls.xlsx")
    cfg = _client(tmp_path, MAPPING.replace("sheet: Sheet1", "sheet: 2"))
    assert load(cfg, tables=["contacts"], now=NOW).counts["contacts"]["accepted"] == 5


# --- nothing silently lost -----------------------------------------------------------------
def test_unknown_channel_in_responses_blanks_the_cell_not_the_answer(tmp_path):
    """Before: an unknown optional channel rejected the answer and changed CSAT silently."""
    (tmp_path / "r.csv").write_text("response_id,responded_at,csat,channel\nr1,2024-03-01,5,phone\n"
                                    "r2,2024-03-01,1,fax\nr3,2024-03-02,4,email\n")
    data = load(_client(tmp_path, "data: {responses: r.csv}\n"), now=NOW)
    assert data.counts["responses"]["accepted"] == 3 and data.responses["csat"].mean() == pytest.approx(10 / 3)
    assert data.responses["channel"].isna().tolist() == [False, True, False]
    assert data.blanked[["row", "column", "value"]].values.tolist() == [[3, "channel", "fax"]]
    assert data.meta()["tables"]["responses"]["blanked"] == 1
    assert "1 invalid channel value(s) blanked, rows kept" in data.warnings[0]


def test_an_answer_whose_only_score_is_invalid_is_still_rejected_with_its_reason(tmp_path):
    (tmp_path / "r.csv").write_text("response_id,responded_at,csat,nps\nr1,2024-03-01,9,\nr2,2024-03-01,9,8\n")
    data = load(_client(tmp_path, "data: {responses: r.csv}\n"), now=NOW)
    assert data.rejects[["row", "column", "reason"]].values.tolist() == [[2, "csat", "above maximum 5"]]
    assert data.responses["nps"].tolist() == [8.0] and data.responses["csat"].isna().all()


def test_free_text_in_a_column_taken_as_resolved_is_ignored_with_a_warning(tmp_path):
    """Before: every row was rejected ('not a boolean')."""
    lines = ["contact_id;canal;date d'appel;décroché;attente;Résolution"]
    notes = ["rappel demandé", "client satisfait", "transféré au N2", "à relancer", "ok vu avec chef", "oui"]
    lines += [f"c{i};tel;01/03/2024 09:0{i};oui;12;{n}" for i, n in enumerate(notes)]
    (tmp_path / "c.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = load(_client(tmp_path, "data: {contacts: c.csv}\n"), now=NOW)
    assert data.counts["contacts"]["accepted"] == 6 and "resolved" not in data.contacts
    assert data.contacts["Résolution"].iloc[1] == "client satisfait"           # kept as it came
    assert data.meta()["tables"]["contacts"]["ignored_columns"] == ["Résolution"]
    assert "column 'Résolution' looked like resolved by its name, but 5 of its 6 values do not fit" in data.warnings[0]


def test_json_meta_and_stderr_in_kpis_and_validate(tmp_path):
    (tmp_path / "c.csv").write_text("contact_id,channel,received_at,answered,wait_s\n"
                                    "c1,phone,2024-03-01 09:00,true,12\nc2,phone,2024-03-01 09:05,true,-5\n")
    _client(tmp_path, "data: {contacts: c.csv}\n")
    cfg = str(tmp_path / "client.yml")
    for args in (["kpis", "--config", cfg, "--json"], ["validate", "--config", cfg, "--json", "--out", str(tmp_path)]):
        res = runner.invoke(app, args)
        meta = json.loads(res.stdout)["meta"]
        assert meta["tables"]["contacts"] == {"file": "c.csv", "read": 2, "accepted": 1, "rejected": 1,
                                              "ignored_columns": [], "blanked": 0, "preset": None,
                                              "assumed": [], "out_of_period": 0}
        assert meta["warnings"] == []
        assert "contacts: 1 of 2 row(s) rejected in c.csv" in res.stderr
    res = runner.invoke(app, ["kpis", "--config", cfg])
    assert res.exit_code == 0 and "contacts: 1 of 2 row(s) rejected" in res.stderr


# --- presets -------------------------------------------------------------------------------
def test_every_preset_is_well_formed_and_cites_its_source():
    names = [p["name"] for p in P.presets()]
    assert {"anonymous_bank", "comcast_complaints", "call_centre_daily"} <= set(names)
    assert len(names) == len(set(names))
    for p in P.presets():
        assert p["source"].startswith("https://") and p["title"]
        from cxtoolkit.io.mapping import from_source
        from cxtoolkit.schemas import SCHEMAS

        m = from_source(p)
        assert set(m.columns) | set(m.constants) | set(m.values) <= set(SCHEMAS[p["table"]].names)


def test_a_preset_is_a_file_not_code(tmp_path, monkeypatch):
    (tmp_path / "presets").mkdir()
    (tmp_path / "presets" / "acme_log.yml").write_text(
        "name: acme_log\ntitle: ACME log\ntable: contacts\nsource: https://example.org/acme\n"
        "detect: [Ref, Quand, Pris]\nheader_rows: 2\n"
        "columns: {contact_id: Ref, received_at: Quand, answered: Pris, wait_s: Délai}\n"
        "constants: {channel: chat}\n")
    monkeypatch.setattr(P, "PRESET_DIR", tmp_path / "presets")
    P._load_all.cache_clear()
    try:
        (tmp_path / "x.csv").write_text("Ref,Quand,Pris,Délai\nreference,when,taken,delay\n"
                                        "a1,2024-03-01 10:00,oui,30\n", encoding="utf-8")
        data = load(_client(tmp_path, "data: {contacts: x.csv}\n"), now=NOW)
        assert data.meta()["tables"]["contacts"]["preset"] == "acme_log"
        assert data.contacts[["contact_id", "channel", "wait_s"]].values.tolist() == [["a1", "chat", 30.0]]
        # client.yml wins over the preset, column by column
        data = load(_client(tmp_path, "data: {contacts: {file: x.csv, constants: {channel: email}}}\n"), now=NOW)
        assert data.contacts["channel"].tolist() == ["email"]
    finally:
        P._load_all.cache_clear()


def test_unknown_preset_named_in_client_yml(tmp_path):
    (tmp_path / "x.csv").write_text("a\n1\n")
    with pytest.raises(InputError, match="unknown preset 'nope' for contacts"):
        load(_client(tmp_path, "data: {contacts: {file: x.csv, preset: nope}}\n"), now=NOW)


# --- inspect ---------------------------------------------------------------------------------
def test_inspect_proposes_a_mapping_that_loads(tmp_path):
    _workbook(tmp_path / "calls.xlsx")
    prop = propose_mapping(tmp_path / "calls.xlsx")
    cols = prop["data"]["contacts"]["columns"]
    assert cols["contact_id"] == "Call Id" and cols["received_at"] == ["Date", "Time"]
    assert cols["wait_s"] == "Speed of answer in seconds" and cols["answered"] == "Answered (Y/N)"
    assert prop["missing"]["contacts"] == ["channel"]
    res = runner.invoke(app, ["inspect", str(tmp_path / "calls.xlsx"), "--locale", "en"])
    assert res.exit_code == 0 and "Speed of answer in seconds" in res.stdout
    text = res.stdout.split("paste it):\n", 1)[1]
    data = yaml.safe_load(text)["data"]
    data["contacts"]["constants"] = {"channel": "phone"}            # the one TODO
    cfg = _client(tmp_path, yaml.safe_dump({"data": data}))
    loaded = load(cfg, now=NOW)
    assert loaded.counts["contacts"]["accepted"] == 5 and loaded.counts["responses"]["accepted"] == 4


def test_inspect_json_and_missing_file(tmp_path):
    (tmp_path / "d.csv").write_text("Jour;Appels entrants;Décrochés\n01/03/2024;10;9\n", encoding="utf-8")
    res = runner.invoke(app, ["inspect", str(tmp_path / "d.csv"), "--json"])
    out = json.loads(res.stdout)
    assert [c["column"] for c in out["columns"]] == ["Jour", "Appels entrants", "Décrochés"]
    assert out["proposal"]["data"]["daily_reports"]["columns"] == {"date": "Jour", "offered": "Appels entrants",
                                                                   "answered": "Décrochés"}
    res = runner.invoke(app, ["inspect", str(tmp_path / "none.csv")])
    assert res.exit_code == 2 and "none.csv: file not found" in res.stderr


def test_inspect_samples_quote_no_customers_details(tmp_path):
    """The samples of `inspect` (table and --json) are masked as the reports are: an
    inspection pasted into a mail quotes no phone, e-mail or IBAN a customer typed."""
    (tmp_path / "r.csv").write_text(
        "response_id,verbatim,email\n"
        "R1,\"rappelez-moi au 06 12 34 56 78\",jean.dupont@gmail.com\n"
        "R2,\"IBAN FR76 3000 6000 0112 3456 7890 189\",marie@durand.fr\n", encoding="utf-8")
    table = runner.invoke(app, ["inspect", str(tmp_path / "r.csv"), "--locale", "fr"], env={"COLUMNS": "250"})
    js = runner.invoke(app, ["inspect", str(tmp_path / "r.csv"), "--json"])
    assert table.exit_code == 0 and js.exit_code == 0, table.output + js.output
    for out in (table.stdout, js.stdout):
        assert "06 12 34 56 78" not in out and "dupont@gmail" not in out and "3000 6000" not in out
        assert "[PHONE]" in out and "[EMAIL]" in out and "[IBAN]" in out and "R1" in out
    samples = {c["column"]: c["samples"] for c in json.loads(js.stdout)["columns"]}
    assert samples["verbatim"] == ["rappelez-moi au [PHONE]", "IBAN [IBAN]"]


def test_inspect_old_mac_file_and_a_reader_failure_are_one_line(tmp_path, monkeypatch):
    # the real Anonymous Bank shift plan (lines ended by a lone CR) gave a csv traceback
    (tmp_path / "shifts.csv").write_bytes(b"Hour,StartTime,Shift1,Shift2\r1,Midnight,1,0\r2,1am,1,0\r")
    res = runner.invoke(app, ["inspect", str(tmp_path / "shifts.csv"), "--json"])
    assert res.exit_code == 0, res.output
    cols = json.loads(res.stdout)["columns"]
    assert [c["column"] for c in cols] == ["Hour", "StartTime", "Shift1", "Shift2"] and cols[0]["filled"] == 2
    # whatever else the reader stops on: one line naming the file, exit 2, as validate says it
    import csv

    import cxtoolkit.io.readers as readers

    def broken(*a, **k):
        raise csv.Error("new-line character seen in unquoted field")

    monkeypatch.setattr(readers, "read_file", broken)
    res = runner.invoke(app, ["inspect", str(tmp_path / "shifts.csv")])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert res.stderr.strip() == f"error: {tmp_path / 'shifts.csv'}: unreadable text file (new-line character seen in unquoted field)"


def test_percent_cells_are_rates():
    from cxtoolkit.io.mapping import _percent

    assert _percent(pd.Series(["94.01%", "91,5 %", "x", None])).tolist() == ["0.9401", "0.915", "x", np.nan]


def test_qualtrics_export_with_its_three_header_rows(tmp_path):
    """Three header rows (ids, question texts, import ids); the scores mapped in client.yml."""
    text = ('StartDate,EndDate,Status,IPAddress,Progress,Duration (in seconds),Finished,RecordedDate,ResponseId,'
            'ExternalReference,DistributionChannel,UserLanguage,Q1,Q2\n'
            'Start Date,End Date,Response Type,IP Address,Progress,Duration (in seconds),Finished,Recorded Date,'
            'Response ID,External Data Reference,Distribution Channel,User Language,'
            '"How satisfied are you? (1-5)",Any comment?\n'
            '"{""ImportId"":""startDate"",""timeZone"":""America/Denver""}","{""ImportId"":""endDate""}",'
            '"{""ImportId"":""status""}","{""ImportId"":""ipAddress""}","{""ImportId"":""progress""}",'
            '"{""ImportId"":""duration""}","{""ImportId"":""finished""}","{""ImportId"":""recordedDate""}",'
            '"{""ImportId"":""_recordId""}","{""ImportId"":""externalDataReference""}",'
            '"{""ImportId"":""distributionChannel""}","{""ImportId"":""userLanguage""}",'
            '"{""ImportId"":""QID1""}","{""ImportId"":""QID2_TEXT""}"\n'
            '2024-03-01 10:00:00,2024-03-01 10:02:00,IP Address,1.2.3.4,100,120,True,2024-03-01 10:02:01,'
            'R_1abc,K001,email,EN,4,fine\n'
            '2024-03-01 11:00:00,2024-03-01 11:01:00,Survey Preview,,100,60,True,2024-03-01 11:01:01,'
            'R_2abc,,preview,EN,1,test\n'
            '2024-03-02 09:00:00,2024-03-02 09:03:00,IP Address,5.6.7.8,100,180,True,2024-03-02 09:03:05,'
            'R_3abc,K002,email,FR,2,slow\n')
    (tmp_path / "q.csv").write_text(text, encoding="utf-8")
    data = load(_client(tmp_path, "data: {responses: {file: q.csv, columns: {csat: Q1, verbatim: Q2}}}\n"), now=NOW)
    r = data.responses
    assert data.counts["responses"] == {"file": "q.csv", "read": 3, "accepted": 2, "rejected": 1, "out_of_period": 0}
    assert data.rejects[["row", "column", "reason"]].values.tolist() == [[5, "Status", "survey preview (not a real answer)"]]
    assert r["response_id"].tolist() == ["R_1abc", "R_3abc"] and r["csat"].tolist() == [4.0, 2.0]
    assert r["customer_id"].tolist() == ["K001", "K002"] and r["verbatim"].tolist() == ["fine", "slow"]
    assert data.details["responses"]["preset"] == "qualtrics_responses"


def test_an_export_without_waits_loads_and_its_speed_kpis_are_undefined_not_zero(tmp_path):
    """An entirely empty wait_s is 'not recorded': rows kept; service level and e-mail reply
    shares are undefined (null), not 0 (before: every answered call rejected)."""
    (tmp_path / "c.csv").write_text("contact_id,channel,received_at,answered,wait_s\n"
                                    "c1,phone,2024-03-01 09:00,true,\nc2,email,2024-03-01 09:05,true,\n"
                                    "c3,phone,2024-03-01 09:10,false,\n")
    _client(tmp_path, "data: {contacts: c.csv}\n")
    res = runner.invoke(app, ["kpis", "--config", str(tmp_path / "client.yml"), "--json"])
    out = json.loads(res.stdout)
    assert out["meta"]["tables"]["contacts"]["accepted"] == 3
    k = out["overall"]
    assert k["answered"] == 1 and k["email_received"] == 1
    assert k["service_level"] is None and k["email_within_24h"] is None and k["asa_s"] is None


COMCAST_HEADER = ("Ticket #,Customer Complaint,Date,Date_month_year,Time,Received Via,City,State,"
                  "Zip code,Status,Filing on Behalf of Someone\n")


def test_a_ticket_export_without_handling_times_has_no_aht_not_zero(tmp_path):
    """The Comcast preset has no talk/hold/wrap column: AHT is not measured (null), not 0 s
    (before: the absent talk_s was filled with 0 and AHT showed 0 s)."""
    (tmp_path / "t.csv").write_text(
        COMCAST_HEADER
        + "250635,Comcast Cable Internet Speeds,22-04-2015,22-Apr-15,3:53:50 PM,Customer Care Call,"
          "Abingdon,Maryland,21009,Closed,No\n"
        + "223441,Payment disappear,04-08-2015,04-Aug-15,10:22:56 AM,Internet,Acworth,Georgia,30102,Open,No\n",
        encoding="utf-8-sig")
    _client(tmp_path, "data: {contacts: t.csv}\n")
    res = runner.invoke(app, ["kpis", "--config", str(tmp_path / "client.yml"), "--json"])
    out = json.loads(res.stdout)
    assert out["meta"]["tables"]["contacts"]["preset"] == "comcast_complaints"
    # the preset's answered is assumed: the answered count is not measured (tests/test_unmeasured.py)
    assert out["overall"]["inbound"] == 1 and out["overall"]["answered"] is None and out["overall"]["aht_s"] is None
    data = load(load_config(tmp_path / "client.yml"), now=NOW)
    assert data.contacts[["talk_s", "hold_s", "wrap_s"]].isna().all().all()


def test_aht_counts_the_parts_an_export_has_and_missing_parts_as_zero(tmp_path):
    """talk_s only (no hold nor wrap column): AHT = mean talk; an empty talk cell is 0 s as
    before; an entirely empty talk column is not measured."""
    (tmp_path / "c.csv").write_text("contact_id,channel,received_at,answered,wait_s,talk_s\n"
                                    "c1,phone,2024-03-01 09:00,true,5,100\n"
                                    "c2,phone,2024-03-01 09:05,true,5,200\n"
                                    "c3,phone,2024-03-01 09:06,true,5,\n")
    cfg = _client(tmp_path, "data: {contacts: c.csv}\n")
    from cxtoolkit.kpis.contacts import contact_kpis

    assert contact_kpis(load(cfg, now=NOW).contacts, cfg).loc["overall", "aht_s"] == pytest.approx(100.0)
    (tmp_path / "c.csv").write_text("contact_id,channel,received_at,answered,wait_s,talk_s\n"
                                    "c1,phone,2024-03-01 09:00,true,5,\n")
    assert np.isnan(contact_kpis(load(cfg, now=NOW).contacts, cfg).loc["overall", "aht_s"])


# the Talkdesk "Calls Report" fields, in the documented order (docs.talkdesk.com/docs/calls-report)
TALKDESK_HEADER = ("call_id,callsid,type,start_at,end_at,talkdesk_phone_number,talkdesk_phone_display_name,"
                   "contact_phone_number,user_id,user_name,user_email,total_time,talk_time,wait_time,hold_time,"
                   "abandon_time,total_ringing_time,disposition_code,notes,user_voice_rating,ring_groups,"
                   "ivr_options,is_in_business_hours,is_callback_from_queue,is_transfer,handling_user_id,"
                   "handling_user_name,handling_user_email,recording_url,is_external_transfer,is_if_no_answer,"
                   "is_call_forwarding,csat_score,csat_survey_time,team_id,team_name,rating_reason,"
                   "agent_disconnected,data_status,disposition_set,nested_disposition\n")


def _talkdesk_row(cid, typ, talk, wait, hold, user="u1"):
    return (f"{cid},CA{cid},{typ},2024-04-23T10:22:{cid[-1]}0Z,2024-04-23T10:30:00Z,+12025550102,support,"
            f"+12025550103,{user},Jordan Smith,j@example.com,{talk + wait + hold},{talk},{wait},{hold},0,0,"
            f"Attempting Contact,,0,agents,,true,false,false,,,,,false,false,false,,,t1,Sales Team A,,No,Valid,,\n")


def test_talkdesk_calls_report_is_recognised_and_gives_the_kpis(tmp_path):
    (tmp_path / "calls.csv").write_text(TALKDESK_HEADER + "".join([
        _talkdesk_row("c1", "inbound", 200, 12, 10), _talkdesk_row("c2", "inbound", 100, 30, 0, "u2"),
        _talkdesk_row("c3", "abandoned", 0, 40, 0, ""), _talkdesk_row("c4", "short_abandoned", 0, 2, 0, ""),
        _talkdesk_row("c5", "missed", 0, 25, 0, ""), _talkdesk_row("c6", "outbound", 60, 0, 0)]), encoding="utf-8")
    _client(tmp_path, "data: {contacts: calls.csv}\n")
    res = runner.invoke(app, ["kpis", "--config", str(tmp_path / "client.yml"), "--json"])
    out = json.loads(res.stdout)
    t = out["meta"]["tables"]["contacts"]
    assert t["preset"] == "talkdesk_calls" and (t["read"], t["accepted"], t["rejected"]) == (6, 5, 1)
    k = out["overall"]
    assert (k["inbound"], k["short_abandons"], k["offered"], k["answered"], k["abandoned"]) == (5, 1, 4, 2, 2)
    assert k["asa_s"] == pytest.approx(21.0) and k["aht_s"] == pytest.approx((210 + 100) / 2)
    data = load(load_config(tmp_path / "client.yml"), now=NOW)
    assert data.rejects["reason"].tolist() == ["outbound call (not a customer contact received)"]
    assert data.contacts["wrap_s"].isna().all()      # not in the report: not measured
