"""Real public exports (../shared/data, developers only; skipped when absent): figures the
existing real-export tests do not cover, recomputed with plain pandas from the raw files and
the written definitions (kpi-definitions.md): opening hours and short abandons on the
Anonymous Bank log, its repeat contacts over a fortnight that the rest of the month follows,
and the daily report's answer and abandonment rates."""
import json
import subprocess
import sys
from pathlib import Path

import holidays
import numpy as np
import pandas as pd
import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
BANK = SHARED / "anonymous-bank" / "data_anonymous_bank_february.txt"
DAILY = SHARED / "call-centre-daily" / "call_center_daily.csv"

# the bank's week starts on Sunday; a made-up timetable with a half day on Friday
HOURS = {"sun": ("07:00", "22:00"), "mon": ("07:00", "22:00"), "tue": ("07:00", "22:00"),
         "wed": ("07:00", "22:00"), "thu": ("07:00", "22:00"), "fri": ("08:00", "13:30")}
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _kpis(tmp_path, src: Path, *args):
    from conftest import write_client

    hours = "{" + ", ".join(f'{d}: ["{a}", "{b}"]' for d, (a, b) in HOURS.items()) + "}"
    yml = write_client(tmp_path, "bank", f"client: bank\nlocale: en\ncountry: IL\nbusiness_hours: {hours}\n"
                       f"kpi: {{short_abandon_s: 3, service_level_s: 15}}\ndata: {{contacts: {src.name}}}\n",
                       {src.name: src.read_bytes()})
    out = subprocess.run([sys.executable, "-m", "cxtoolkit.cli.main", "kpis", "--config", str(yml), "--json", *args],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["overall"]


def _bank():
    raw = pd.read_csv(BANK, sep="\t")
    raw.columns = [c.strip() for c in raw.columns]
    raw = raw[raw["outcome"].str.strip() != "PHANTOM"].copy()
    raw["t"] = pd.to_datetime(raw["date"].astype(str) + " " + raw["vru_entry"].str.strip(), format="%y%m%d %H:%M:%S")
    raw["served"] = raw["outcome"].str.strip() == "AGENT"
    raw["cust"] = raw["customer_id"].where(raw["customer_id"] != 0)
    return raw


@pytest.mark.skipif(not BANK.is_file(), reason="real export not present (../shared/data)")
def test_bank_with_opening_hours_and_its_own_thresholds(tmp_path):
    got = _kpis(tmp_path, BANK)
    raw = _bank()
    minute = raw["t"].dt.hour * 60 + raw["t"].dt.minute + raw["t"].dt.second / 60
    il = holidays.country_holidays("IL", years=1999)

    def is_open(t, m):
        span = HOURS.get(DAYS[t.weekday()])
        if span is None or t.date() in il:
            return False
        (a, b), (c, d) = (map(int, s.split(":")) for s in span)
        return a * 60 + b <= m < c * 60 + d

    open_ = np.array([is_open(t, m) for t, m in zip(raw["t"], minute)])
    ih = raw[open_]
    short = ~ih["served"] & (ih["q_time"] < 3)
    off = ih[~short]
    ans = off[off["served"]]
    assert got["inbound"] == len(raw) and got["hno_calls"] == int((~open_).sum()) > 0
    assert got["short_abandons"] == int(short.sum())
    assert got["offered"] == len(off) and got["answered"] == len(ans)
    assert got["answer_rate"] == pytest.approx(len(ans) / len(off))
    assert got["abandonment_rate"] == pytest.approx((~off["served"]).sum() / len(off))
    assert got["service_level"] == pytest.approx((ans["q_time"] <= 15).sum() / len(off))
    assert got["asa_s"] == pytest.approx(ans["q_time"].mean())
    assert got["aht_s"] == pytest.approx(ans["ser_time"].mean())


def _repeats(raw, start, end):
    """Answered calls of [start, end) with an identified caller followed by another call of
    the same caller (in the whole file) strictly later and within 7 × 24 h; censored: the
    window passes the file's last call."""
    times = raw.dropna(subset=["cust"]).groupby("cust")["t"].agg(lambda s: np.sort(s.to_numpy()))
    base = raw[raw["served"] & raw["cust"].notna() & (raw["t"] >= start) & (raw["t"] < end)]
    w, last = pd.Timedelta(days=7), raw["t"].max()
    rep = cens = 0
    for c, t in zip(base["cust"], base["t"]):
        arr = times[c]
        i = np.searchsorted(arr, t.to_datetime64(), side="right")
        rep += bool(i < len(arr) and arr[i] <= (t + w).to_datetime64())
        cens += bool(t + w > last)
    return rep / len(base), cens


@pytest.mark.skipif(not BANK.is_file(), reason="real export not present (../shared/data)")
def test_bank_repeats_over_a_fortnight_followed_by_the_rest_of_the_month(tmp_path):
    raw = _bank()
    rate, cens = _repeats(raw, pd.Timestamp("1999-02-01"), pd.Timestamp("1999-02-15"))
    got = _kpis(tmp_path, BANK, "--from", "1999-02-01", "--to", "1999-02-14")
    assert cens == 0 and got["repeat_censored"] == 0
    assert got["repeat_rate"] == pytest.approx(rate)
    whole_rate, whole_cens = _repeats(raw, raw["t"].min(), raw["t"].max() + pd.Timedelta(seconds=1))
    whole = _kpis(tmp_path / "all", BANK)
    assert whole["repeat_rate"] == pytest.approx(whole_rate) and whole["repeat_censored"] == whole_cens > 0


@pytest.mark.skipif(not DAILY.is_file(), reason="real export not present (../shared/data)")
def test_daily_report_answer_and_abandonment_rates_weighted_by_calls(tmp_path):
    """Over days: answered / incoming and abandoned / incoming summed over the days (the
    report's own daily "Answer Rate" is answered / incoming), never a mean of daily rates."""
    from conftest import write_client

    yml = write_client(tmp_path, "daily", "client: daily\nlocale: en\ndata: {daily_reports: call_center_daily.csv}\n",
                       {DAILY.name: DAILY.read_bytes()})
    out = subprocess.run([sys.executable, "-m", "cxtoolkit.cli.main", "kpis", "--config", str(yml), "--json"],
                         capture_output=True, text=True, check=True)
    got = json.loads(out.stdout)["overall"]
    raw = pd.read_csv(DAILY, sep=";")
    inc, ans, ab = raw["Incoming Calls"], raw["Answered Calls"], raw["Abandoned Calls"]
    daily_rate = raw["Answer Rate"].str.rstrip("%").astype(float) / 100
    assert daily_rate.to_numpy() == pytest.approx((ans / inc).to_numpy(), abs=5e-5)   # the report's own rate
    assert got["answer_rate"] == pytest.approx(ans.sum() / inc.sum())
    assert got["abandonment_rate"] == pytest.approx(ab.sum() / inc.sum())
    assert abs(got["answer_rate"] - daily_rate.mean()) > 1e-4
