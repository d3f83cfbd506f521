"""End to end on a real export: the Anonymous Bank call-centre log (../shared/data).

KPIs through the CLI must equal the same definitions computed independently from the raw
file with plain pandas (open 24/7 so that opening hours play no part).
"""
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

RAW = Path(__file__).resolve().parents[2] / "shared" / "data" / "anonymous-bank" / "data_anonymous_bank_february.txt"
pytestmark = pytest.mark.skipif(not RAW.is_file(), reason="real export not present (../shared/data)")

CLIENT_YML = """client: bank
name: Anonymous Bank
country: IL
locale: en
business_hours: {%s}
data: {contacts: bank.txt}
""" % ", ".join(f'{d}: ["00:00", "24:00"]' for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))


def test_kpis_match_an_independent_computation(tmp_path):
    from conftest import write_client

    folder = write_client(tmp_path, "bank", CLIENT_YML, {"bank.txt": RAW.read_bytes()}).parent
    out = subprocess.run([sys.executable, "-m", "cxtoolkit.cli.main", "kpis", "--config",
                          str(folder / "client.yml"), "--json"], capture_output=True, text=True, check=True)
    got = json.loads(out.stdout)["overall"]

    raw = pd.read_csv(RAW, sep="\t")
    raw.columns = [c.strip() for c in raw.columns]
    outcome = raw["outcome"].str.strip()
    calls = raw[outcome != "PHANTOM"]
    oc = calls["outcome"].str.strip()
    short = (oc != "AGENT") & (calls["q_time"] < 5)
    offered = calls[~short]
    answered = offered[offered["outcome"].str.strip() == "AGENT"]
    assert got["inbound"] == len(calls) == 33344 - 278
    assert got["hno_calls"] == 0
    assert got["offered"] == len(offered)
    assert got["answered"] == len(answered)
    assert got["answer_rate"] == pytest.approx(len(answered) / len(offered))
    assert got["asa_s"] == pytest.approx(answered["q_time"].mean())
    assert got["aht_s"] == pytest.approx(answered["ser_time"].mean())
    assert got["service_level"] == pytest.approx((answered["q_time"] <= 20).sum() / len(offered))
