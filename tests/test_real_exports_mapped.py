"""Real public exports (../shared/data, developers only) loaded through client.yml alone — a
file name, the presets recognise them — and their figures checked against an independent
pandas computation from the raw file. Skipped when ../shared is absent."""
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cxtoolkit.config import load_config
from cxtoolkit.io import load

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
COMCAST = SHARED / "comcast-complaints" / "Comcast_telecom_complaints_data.csv"
DAILY = SHARED / "call-centre-daily" / "call_center_daily.csv"
BANK = SHARED / "anonymous-bank" / "data_anonymous_bank_february.txt"
HOURS = "{" + ", ".join(f'{d}: ["00:00", "24:00"]' for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")) + "}"


def _client(tmp_path, src: Path, table: str, entry: str | None = None):
    from conftest import write_client

    return write_client(tmp_path.parent, tmp_path.name,
                        f"client: real\nlocale: en\ncountry: US\nbusiness_hours: {HOURS}\n"
                        f"data:\n  {table}: {entry or json.dumps(src.name)}\n", {src.name: src.read_bytes()})


@pytest.mark.skipif(not COMCAST.is_file(), reason="real export not present (../shared/data)")
def test_comcast_complaints_through_its_preset(tmp_path):
    yml = _client(tmp_path, COMCAST, "contacts")
    out = subprocess.run([sys.executable, "-m", "cxtoolkit.cli.main", "kpis", "--config", str(yml), "--json"],
                         capture_output=True, text=True, check=True)
    got = json.loads(out.stdout)
    raw = pd.read_csv(COMCAST, encoding="utf-8-sig")
    assert got["meta"]["tables"]["contacts"] == {"file": COMCAST.name, "read": len(raw), "accepted": len(raw),
                                                 "rejected": 0, "ignored_columns": [], "blanked": 0,
                                                 "preset": "comcast_complaints", "assumed": ["answered"],
                                                 "out_of_period": 0}
    k = got["overall"]
    via = raw["Received Via"]
    assert k["contacts"] == len(raw) == 2224
    assert k["inbound"] == (via == "Customer Care Call").sum()
    assert k["email_received"] == (via == "Internet").sum()
    assert k["resolved_rate"] == pytest.approx(raw["Status"].isin(["Solved", "Closed"]).mean())
    assert k["service_level"] is None and k["email_within_24h"] is None      # no wait recorded: undefined
    assert "no waiting time is recorded" in out.stderr
    data = load(load_config(yml))
    first = raw.iloc[0]
    stamp = pd.to_datetime(first["Date"] + " " + first["Time"], format="%d-%m-%Y %I:%M:%S %p")
    assert data.contacts.loc[0, "received_at"] == stamp and data.contacts.loc[0, "contact_id"] == str(first["Ticket #"])


@pytest.mark.skipif(not DAILY.is_file(), reason="real export not present (../shared/data)")
def test_daily_call_centre_report_through_its_preset(tmp_path):
    from cxtoolkit.kpis.daily import daily_report_kpis

    entry = '{file: call_center_daily.csv, columns: {date: {column: Index, day_number_from: "2022-01-03"}}}'
    data = load(load_config(_client(tmp_path, DAILY, "daily_reports", entry)))
    raw = pd.read_csv(DAILY, sep=";")
    assert data.counts["daily_reports"]["accepted"] == len(raw) == 1251
    assert data.details["daily_reports"]["preset"] == "call_centre_daily"
    d = data.daily_reports
    assert d["date"].iloc[0] == pd.Timestamp("2022-01-03") and d["date"].iloc[-1] == pd.Timestamp("2022-01-03") + pd.Timedelta(days=1250)
    got = daily_report_kpis(d).loc["overall"]
    secs = lambda c: pd.to_timedelta(raw[c]).dt.total_seconds()  # noqa: E731
    ans = raw["Answered Calls"]
    assert got["offered"] == raw["Incoming Calls"].sum() and got["answered"] == ans.sum()
    assert got["abandoned"] == raw["Abandoned Calls"].sum()
    assert got["asa_s"] == pytest.approx((secs("Answer Speed (AVG)") * ans).sum() / ans.sum())
    assert got["aht_s"] == pytest.approx((secs("Talk Duration (AVG)") * ans).sum() / ans.sum())


@pytest.mark.skipif(not DAILY.is_file(), reason="real export not present (../shared/data)")
def test_daily_report_service_level_weighted_by_offered_calls(tmp_path):
    """The report's "Service Level (20 Seconds)": calls answered within 20 s over the calls
    offered that day (bar the short abandons the report does not count: its denominator lies
    between answered and incoming calls on 1,250 of 1,251 days), so over days it is weighted by
    the incoming calls, never a mean of the daily percentages (70.9 %) nor weighted by answered
    calls (66.8 %); the threshold the report states is 20 s."""
    from cxtoolkit.io import presets
    from cxtoolkit.kpis.engine import daily_kpis

    data = load(load_config(_client(tmp_path, DAILY, "daily_reports")))
    raw = pd.read_csv(DAILY, sep=";")
    sl = raw["Service Level (20 Seconds)"].str.rstrip("%").astype(float) / 100
    inc = raw["Incoming Calls"]
    got = daily_kpis(data.daily_reports).loc["overall", "service_level"]
    assert got == pytest.approx((sl * inc).sum() / inc.sum(), abs=1e-9)
    assert abs(got - sl.mean()) > 0.05
    assert presets.get("call_centre_daily")["service_level_s"] == 20
    from cxtoolkit.pipeline.produce import service_level_said

    said = service_level_said(load_config(tmp_path / "client.yml"), data, "en")   # the page's and the CLI's line
    assert said == "the report's, answered within 20 s / offered calls, weighted by offered calls"


@pytest.mark.skipif(not BANK.is_file(), reason="real export not present (../shared/data)")
def test_anonymous_bank_named_preset_and_mapping_override(tmp_path):
    """The preset named in client.yml, one column remapped there (queue ← priority)."""
    entry = "{file: data_anonymous_bank_february.txt, preset: anonymous_bank, columns: {queue: priority}}"
    data = load(load_config(_client(tmp_path, BANK, "contacts", entry)))
    raw = pd.read_csv(BANK, sep="\t")
    calls = raw[raw["outcome"].str.strip() != "PHANTOM"]
    assert data.counts["contacts"]["rejected"] == len(raw) - len(calls)
    assert sorted(data.contacts["queue"].unique()) == sorted(calls["priority"].astype(str).unique())
    assert data.contacts["answered"].sum() == (calls["outcome"].str.strip() == "AGENT").sum()


SHIFTS = SHARED / "anonymous-bank" / "data_anonymous_bank_shifts.csv"


@pytest.mark.skipif(not SHIFTS.is_file(), reason="real export not present (../shared/data)")
def test_shift_plan_with_old_mac_line_endings_is_read():
    # lone-CR line endings: `cxtoolkit inspect` stopped with a csv traceback
    out = subprocess.run([sys.executable, "-m", "cxtoolkit.cli.main", "inspect", str(SHIFTS), "--json"],
                         capture_output=True, text=True)
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    cols = json.loads(out.stdout)["columns"]
    raw = pd.read_csv(SHIFTS, lineterminator="\r")
    assert [c["column"] for c in cols] == list(raw.columns) and len(raw.columns) == 10
    assert {c["filled"] for c in cols} == {len(raw)} == {24}


@pytest.mark.skipif(not DAILY.is_file(), reason="real export not present (../shared/data)")
def test_daily_report_by_weekday_in_calendar_order(tmp_path):
    yml = _client(tmp_path, DAILY, "daily_reports")
    out = subprocess.run([sys.executable, "-m", "cxtoolkit.cli.main", "kpis", "--config", str(yml), "--by", "weekday",
                          "--json"], capture_output=True, text=True, check=True)
    seg = json.loads(out.stdout)["segments"]
    assert list(seg) == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]   # was fri, mon, sat, sun, thu…
    raw = pd.read_csv(DAILY, sep=";")
    day = pd.Timestamp("2021-01-01") + pd.to_timedelta(raw["Index"] - 1, unit="D")   # the preset's day 1
    by = raw.groupby(day.dt.day_of_week)[["Incoming Calls", "Answered Calls"]].sum()
    assert [seg[d]["offered"] for d in seg] == by["Incoming Calls"].tolist()
    assert [seg[d]["answered"] for d in seg] == by["Answered Calls"].tolist()


@pytest.mark.skipif(not DAILY.is_file(), reason="real export not present (../shared/data)")
def test_daily_report_audit_results_say_the_reports_service_level(tmp_path):
    """The audit's KPI page results (the page, the workbook's About) say the daily report's own
    service level: the audit path raised KeyError / said the client's contact formula."""
    from cxtoolkit.pipeline.results import compute_results

    cfg = load_config(_client(tmp_path, DAILY, "daily_reports"))
    res = compute_results(cfg, load(cfg), "all", None, locale="fr")
    assert res.pages["kpis"]["service_level_words"].startswith("celui du rapport, décrochés en 20 s")
