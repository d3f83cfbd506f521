"""``--engine duckdb`` validates in SQL and cuts like the pandas engine: on generated contacts
with planted bad rows (unparseable and future dates, negative / absurd / clock / decimal-comma
durations, unknown channels and French synonyms, bad booleans, duplicate and missing ids,
answered without a wait, invalid optional cells that are blanked), written as CSV and as
Parquet, both engines give the same counts, the same rejects (row, column, reason) and the same
KPIs, every key, overall and per cut (channel, country, month, week, two-way), to 1e-9."""
import json
import re
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cxtoolkit.cli.main import app
from cxtoolkit.config import ClientConfig
from cxtoolkit.datasets import generate_contacts
from cxtoolkit.io import load
from cxtoolkit.kpis import compute_many, to_json
from cxtoolkit.io.duckdb_source import open_contacts
from cxtoolkit.outofcore import compute as compute_sql
from conftest import write_text_files

NOW = pd.Timestamp("2030-01-01")
CUTS = [["channel"], ["country"], ["month"], ["week"], ["channel", "month"], ["weekday", "hour"], ["team"], ["segment", "date"]]


def compute(cfg, path, by=None, *, name=None, memory_limit=None, threads=None, temp_dir=None, **kw):
    """The engine on a file: opened by the io layer, validated and computed by the domain."""
    source = open_contacts(path, name, memory_limit=memory_limit, threads=threads, temp_dir=temp_dir)
    return compute_sql(cfg, source, by, **kw)


def _cfg(folder, **kw):
    return ClientConfig(client="t", country="FR", kpi={"repeat_window_days": 3}, folder=folder,
                        business_hours_by_country={"GB": {"mon": ["08:00", "20:00"], "sat": ["09:00", "12:30"]}},
                        **kw)


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _diff(a: dict, b: dict) -> dict:
    return {k: (a.get(k, "absent"), b.get(k, "absent")) for k in set(a) | set(b)
            if k not in a or k not in b or not _close(a[k], b[k])}


def planted(n: int = 3000, seed: int = 7) -> pd.DataFrame:
    """Generated contacts as text cells, with bad rows of every kind planted."""
    cfg = _cfg(None)
    df = generate_contacts(n, cfg, seed=seed, bad_share=0.01)
    rng = np.random.default_rng(seed)
    text = pd.DataFrame({c: df[c].astype("object").where(df[c].notna(), None) for c in df.columns})
    text["received_at"] = df["received_at"].dt.strftime("%Y-%m-%d %H:%M:%S")
    for c in ("answered", "resolved"):
        text[c] = df[c].map({True: "true", False: "false"}).astype("object")
    for c in ("wait_s", "talk_s", "hold_s", "wrap_s"):
        text[c] = df[c].map(lambda v: None if pd.isna(v) else repr(float(v))).astype("object")
    pick = rng.choice(n, size=40 * 12, replace=False).reshape(12, 40)
    text.loc[pick[0], "received_at"] = "31/02/2026 10:00"                 # not a date
    text.loc[pick[1], "received_at"] = df.loc[pick[1], "received_at"].dt.strftime("%d/%m/%Y %H:%M")  # day-first: fine
    text.loc[pick[2, :10], "received_at"] = "2031-01-01 10:00:00"         # in the future
    text.loc[pick[2, 10:], "received_at"] = None                          # missing
    text.loc[pick[3], "wait_s"] = ["-3", "abc", "0:01:05", "12,5", "99999999", ""] * 6 + ["1:05"] * 4
    text.loc[pick[4], "channel"] = ["fax", "Téléphone", "tel", "Courriel", " chat ", None, "mail", "pigeon"] * 5
    text.loc[pick[5], "answered"] = ["oui", "non", "peut-être", "1", "0", None, "YES", "x"] * 5
    text.loc[pick[6], "contact_id"] = text.loc[pick[6] - 1, "contact_id"].to_numpy()   # duplicates
    text.loc[pick[7, :20], "contact_id"] = None
    text.loc[pick[7, 20:], "contact_id"] = "  "
    text.loc[pick[8], "talk_s"] = ["-10", "abc", "90000", "1:00:00"] * 10      # soft: blanked, rows kept
    text.loc[pick[9], "resolved"] = ["peut-être", "oui", "non", None] * 10     # soft
    text.loc[pick[10], "handled_by"] = ["robot", "humain", "martian", None] * 10  # soft
    phone = pick[11][(df.loc[pick[11], "channel"] == "phone").to_numpy()]
    text.loc[phone, "answered"] = "true"
    text.loc[phone, "wait_s"] = None                                           # answered without wait_s
    return text


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ooc")
    text = planted()
    paths = write_text_files(folder, "contacts", text)
    typed = generate_contacts(2000, _cfg(None), seed=3, bad_share=0.01)
    typed.loc[typed.index[5:9], "contact_id"] = typed.loc[typed.index[0:4], "contact_id"].to_numpy()
    tq = folder / "typed.parquet"
    typed.to_parquet(tq, index=False)
    return folder, {**paths, "typed": tq}


def _pandas(cfg, path, cut):
    data = load(cfg, paths={"contacts": path}, now=NOW)
    res = compute_many(data.contacts, cfg=cfg, cuts=[None, cut])
    return data, to_json(res["overall"], list(res.values())[1], cfg)


@pytest.mark.parametrize("kind", ["csv", "parquet", "typed"])
def test_same_counts_rejects_and_kpis_as_pandas(files, kind):
    folder, paths = files
    cfg = _cfg(folder)
    data, ref = _pandas(cfg, paths[kind], ["channel", "month"])
    ours = compute(cfg, paths[kind], ["channel", "month"], name=str(paths[kind]), now=NOW.to_pydatetime(),
                   memory_limit="1GB", threads=1)
    c = data.counts["contacts"]
    assert (ours.counts["read"], ours.counts["accepted"], ours.counts["rejected"]) == \
           (c["read"], c["accepted"], c["rejected"])
    assert c["rejected"] > (200 if kind != "typed" else 10)
    key = ["row", "column", "reason"]
    want = data.rejects[key].sort_values(key).values.tolist()
    got = ours.rejects[key].sort_values(key).values.tolist()
    assert got == want
    assert set(ours.rejects["file"]) == {str(paths[kind])}
    assert ours.blanked == data.details["contacts"]["blanked"]
    assert sorted(ours.warnings) == sorted(data.warnings)
    assert not _diff(ref["overall"], ours.overall)
    assert list(ours.overall) == list(ref["overall"])          # every key, in the same order
    assert list(ours.segments) == list(ref["segments"])
    bad = {s: _diff(ref["segments"][s], ours.segments[s]) for s in ref["segments"]}
    assert not {s: d for s, d in bad.items() if d}
    if kind != "typed":
        reasons = set(ours.rejects["reason"])
        for r in ("pas une date", "date dans le futur", "valeur manquante", "inférieur au minimum 0",   # a French client
                  "décroché sans temps d'attente (wait_s)", "pas une durée (secondes ou hh:mm:ss)",
                  "aberrant : plus de 24 h"):
            assert r in reasons
        assert any(r.startswith("contact_id en double (première occurrence à la ligne ") for r in reasons)
        assert any(r.startswith("valeur inconnue") for r in reasons)
        assert ours.blanked >= 40


@pytest.mark.parametrize("cut", CUTS, ids=["×".join(c) for c in CUTS])
def test_every_cut_same_as_pandas(files, cut):
    folder, paths = files
    cfg = _cfg(folder)
    _, ref = _pandas(cfg, paths["parquet"], cut)
    ours = compute(cfg, paths["parquet"], cut, now=NOW.to_pydatetime(), threads=1)
    assert list(ours.segments) == list(ref["segments"])
    bad = {s: _diff(ref["segments"][s], ours.segments[s]) for s in ref["segments"]}
    assert not {s: d for s, d in bad.items() if d}


def test_cli_duckdb_cuts_meta_and_rejects(files):
    folder, paths = files
    yml = folder / "client.yml"
    yml.write_text("client: t\ncountry: FR\n", encoding="utf-8")
    runner = CliRunner()
    args = ["kpis", "--config", str(yml), "--contacts", str(paths["csv"]), "--json", "--by", "channel", "--by", "week"]
    a = runner.invoke(app, args)
    rej = folder / "out" / "rejects.csv"
    b = runner.invoke(app, args + ["--engine", "duckdb", "--rejects", str(rej)])
    assert a.exit_code == 0 and b.exit_code == 0, (a.output, b.output)
    pa_, du = json.loads(a.stdout), json.loads(b.stdout)
    assert du["meta"]["engine"] == "duckdb" and du["meta"]["validated"] is True
    assert du["meta"]["tables"] == pa_["meta"]["tables"]
    assert du["meta"]["service_level_formula"] == pa_["meta"]["service_level_formula"]
    assert not _diff(pa_["overall"], du["overall"])
    assert list(du["segments"]) == list(pa_["segments"]) and "phone | 2026-W19" in du["segments"]
    assert all(not _diff(pa_["segments"][s], du["segments"][s]) for s in pa_["segments"])
    written = pd.read_csv(rej, encoding="utf-8-sig")
    assert list(written.columns) == ["table", "file", "row", "column", "value", "reason"]
    assert len(written) >= du["meta"]["tables"]["contacts"]["rejected"] > 0
    pq = folder / "out" / "rejects.parquet"
    c = runner.invoke(app, args[:-4] + ["--engine", "duckdb", "--rejects", str(pq)])
    assert c.exit_code == 0 and len(pd.read_parquet(pq)) == len(written)


@pytest.mark.parametrize("flags, says", [(["--by", "nope"], "by 'nope': no such column"),
                                         (["--memory-limit", "lots"], "--memory-limit 'lots': not a memory size")])
def test_wrong_flag_is_one_line(files, flags, says):
    folder, paths = files
    yml = folder / "client.yml"
    yml.write_text("client: t\ncountry: FR\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["kpis", "--config", str(yml), "--contacts", str(paths["parquet"]), "--engine",
                                 "duckdb", *flags, "--locale", "en"])   # the client's (fr): test_errors_locale
    assert r.exit_code == 2 and says in r.output and "Traceback" not in r.output


BANK_HEADER = ("vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start"
               "\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver\n")
BANK_ROW = "AA0101\t34536\t0\t0\tPS\t990201\t7:02:47\t7:02:56\t9\t0:00:00\t0:00:00\t0\tPHANTOM\t0:00:00\t0:00:00\t0\tNO_SERVER\n"


def test_presets_and_mappings_are_refused_in_one_line(tmp_path):
    # the README's Anonymous Bank client: the default engine reads it through its preset; DuckDB
    # said "missing required column(s) … reads the header on line 1 (title rows above it…)"
    (tmp_path / "bank").mkdir()
    (tmp_path / "bank" / "calls.txt").write_text(BANK_HEADER + BANK_ROW, encoding="utf-8")
    (tmp_path / "bank" / "client.yml").write_text("client: bank\ncountry: IL\ndata: {contacts: calls.txt}\n",
                                                  encoding="utf-8")
    r = CliRunner().invoke(app, ["kpis", "--config", str(tmp_path / "bank" / "client.yml"), "--engine", "duckdb",
                                 "--locale", "en"])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert "anonymous_bank preset" in r.stderr and "use the default engine" in r.stderr and "title rows" not in r.stderr
    # a client.yml mapping the default engine applies and DuckDB would not
    (tmp_path / "bank" / "client.yml").write_text(
        "client: bank\ncountry: IL\ndata:\n  contacts:\n    file: c.csv\n    columns: {contact_id: Call Id}\n",
        encoding="utf-8")
    (tmp_path / "bank" / "c.csv").write_text("Call Id;channel;received_at;answered;wait_s\n"
                                             "1;phone;2026-05-04 10:00;true;3\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["kpis", "--config", str(tmp_path / "bank" / "client.yml"), "--engine", "duckdb",
                                 "--locale", "en"])
    assert r.exit_code == 2 and "does not apply client.yml's mapping of data.contacts" in r.stderr


def test_rule_not_in_sql_is_a_warning(tmp_path):
    csv = tmp_path / "c.csv"
    csv.write_text("contact_id;channel;received_at;answered;wait_s;Durée de traitement\n"
                   "c1;tel;2026-05-04T10:00:00+02:00;oui;12;300\n"
                   "c2;mail;2026-05-04 11:00:00;non;;\n", encoding="utf-8")
    res = compute(_cfg(tmp_path), csv, now=NOW.to_pydatetime())
    text = " ".join(res.warnings)     # a French client
    assert "décalage UTC" in text and "durée de traitement" in text and res.counts["read"] == 2
    text = " ".join(compute(_cfg(tmp_path, locale="en"), csv, now=NOW.to_pydatetime()).warnings)
    assert "UTC offset" in text and "handling time" in text and "pas fait" not in text


def test_alias_headers_and_misfit_column_like_pandas(tmp_path):
    rows = ["N° appel;Canal;Date d'appel;Décroché;Durée d'attente;Résolu;Équipe"]
    for i in range(12):
        rows.append(f"A{i % 11};{'Téléphone' if i % 3 else 'Courriel'};0{1 + i % 9}/05/2026 10:0{i % 10};"
                    f"{'oui' if i % 2 else 'non'};{i * 7},5;{'peut-être' if i < 9 else 'oui'};eq{i % 2}")
    csv = tmp_path / "c.csv"
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    cfg = _cfg(tmp_path)
    data, ref = _pandas(cfg, csv, ["team"])
    ours = compute(cfg, csv, ["team"], now=NOW.to_pydatetime())
    assert ours.ignored_columns == data.details["contacts"]["ignored_columns"] == ["Résolu"]
    key = ["row", "column", "reason"]
    assert ours.rejects[key].values.tolist() == data.rejects[key].sort_values(key).values.tolist()
    assert not _diff(ref["overall"], ours.overall)
    assert all(not _diff(ref["segments"][s], ours.segments[s]) for s in ref["segments"])


CELLS = {
    "channel": st.sampled_from(["phone", "tel", "email", "chat", "fax", "", "Téléphone"]),
    "received_at": st.sampled_from(["2026-05-04 10:00:00", "2026-05-09 10:30:00", "04/05/2026 19:30",
                                    "31/02/2026", "", "2026-05-01 09:00:00", "2029-12-31 23:00:00"]),
    "answered": st.sampled_from(["oui", "non", "1", "0", "maybe", ""]),
    "wait_s": st.sampled_from(["0", "4,9", "5", "20", "21", "-1", "0:01:00", "abc", "", "90000"]),
    "talk_s": st.sampled_from(["", "60", "-1", "1:00"]),
    "customer_id": st.sampled_from(["K1", "K2", ""]),
}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.fixed_dictionaries(CELLS), min_size=1, max_size=25), st.integers(0, 3))
def test_property_small_frames_same_as_pandas(tmp_path, rows, dup):
    frame = pd.DataFrame(rows)
    frame.insert(0, "contact_id", [f"c{i}" for i in range(len(frame))])
    if dup and len(frame) > dup:
        frame.loc[dup, "contact_id"] = "c0"
    csv = tmp_path / "p.csv"
    frame.to_csv(csv, index=False, sep=";")
    cfg = _cfg(tmp_path)
    data = load(cfg, paths={"contacts": csv}, now=NOW)
    ours = compute(cfg, csv, ["channel"], now=NOW.to_pydatetime(), threads=1)
    assert ours.counts["rejected"] == data.counts["contacts"]["rejected"]
    key = ["row", "column", "reason"]
    assert sorted(ours.rejects[key].values.tolist()) == sorted(data.rejects[key].values.tolist())
    if len(data.contacts):
        res = compute_many(data.contacts, cfg=cfg, cuts=[None, ["channel"]])
        ref = to_json(res["overall"], res["channel"], cfg)
        assert not _diff(ref["overall"], ours.overall)
        assert all(not _diff(ref["segments"][s], ours.segments[s]) for s in ref["segments"])


def test_period_labels_agree_with_the_rule():
    """The cut labels come from rules.period_label on each distinct day (no SQL copy of the
    calendar): ISO weeks across a year end, months, dates."""
    import duckdb

    from cxtoolkit.outofcore import cut_labels
    from cxtoolkit.rules import period_label

    con = duckdb.connect()
    days = pd.date_range("2025-12-25", "2027-01-05", freq="D")
    con.execute("CREATE TABLE f AS SELECT unnest(?::TIMESTAMP[]) AS received_at", [list(days.to_pydatetime())])
    exprs, _, source = cut_labels(con, [("week", None), ("month", None)])
    got = con.execute(f"SELECT received_at, {exprs[0]}, {exprs[1]} FROM {source} ORDER BY 1").fetchall()
    assert [g[1] for g in got] == list(period_label(days, "week"))
    assert [g[2] for g in got] == list(period_label(days, "month"))
    assert math.isclose(len(got), len(days))


def test_kpi_columns_are_the_kpis_columns():
    from cxtoolkit.kpis.contacts import COLUMNS
    from cxtoolkit.outofcore import KPI_COLUMNS

    assert set(KPI_COLUMNS) == set(COLUMNS)


def test_csv_line_numbers_it_cannot_keep_are_a_warning(tmp_path):
    csv = tmp_path / "c.csv"
    csv.write_text("contact_id;channel;received_at;answered;wait_s\nc1;tel;2026-05-04 10:00:00;oui;12\n\n"
                   "c2;fax;2026-05-04 11:00:00;non;\n", encoding="utf-8")
    res = compute(_cfg(tmp_path), csv, now=NOW.to_pydatetime())
    assert "les numéros de ligne d'un CSV avec des lignes vides" in " ".join(res.warnings)   # a French client
    clean = tmp_path / "d.csv"
    clean.write_text(csv.read_text(encoding="utf-8").replace("\n\n", "\n"), encoding="utf-8")
    assert not compute(_cfg(tmp_path), clean, now=NOW.to_pydatetime()).warnings


def test_repeated_by_is_the_two_way_cut_in_both_engines(files):
    folder, paths = files
    yml = folder / "client.yml"
    yml.write_text("client: t\ncountry: FR\n", encoding="utf-8")
    runner = CliRunner()
    base = ["kpis", "--config", str(yml), "--contacts", str(paths["typed"]), "--json"]
    a = json.loads(runner.invoke(app, base + ["--by", "country,week"]).stdout)
    b = json.loads(runner.invoke(app, base + ["--by", "country", "--by", "week"]).stdout)
    c = json.loads(runner.invoke(app, base + ["--by", "country", "--by", "week", "--engine", "duckdb"]).stdout)
    assert a["segments"] == b["segments"] and list(c["segments"]) == list(a["segments"])
    assert all(not _diff(a["segments"][s], c["segments"][s]) for s in a["segments"])


def test_blanked_duration_stays_empty_not_the_default(tmp_path):
    """Found by the property above: a blanked talk_s (-1) is not measured (outside the AHT),
    an empty one is the default 0."""
    csv = tmp_path / "c.csv"
    csv.write_text("contact_id;channel;received_at;answered;wait_s;talk_s\n"
                   "c1;phone;2026-05-04 10:00:00;oui;0;60\nc2;phone;2026-05-04 10:00:00;oui;0;\n"
                   "c3;phone;2026-05-04 10:00:00;oui;0;-1\n", encoding="utf-8")
    res = compute(_cfg(tmp_path), csv, now=NOW.to_pydatetime())
    assert res.overall["aht_s"] == 30.0 and res.blanked == 1 and res.counts["rejected"] == 0


PERIODS = [("2026-06-15", "2026-09-10"), (None, "2026-07-31 12:30"), ("2026-08-01", None)]


@pytest.mark.parametrize("period", PERIODS, ids=["from-to", "to-instant", "from"])
@pytest.mark.parametrize("kind", ["csv", "parquet", "typed"])
def test_period_same_as_pandas(files, kind, period):
    """--from/--to: the accepted rows outside the period are left out of the KPIs (not rejected)
    and counted as out_of_period, by the one rule (rules.period_bounds / in_period): same counts,
    rejects and KPIs as io.load(start, end) + compute_many, overall and per cut, repeats and
    censoring of the period's contacts followed by the contacts after it (io.load's
    contacts_after)."""
    folder, paths = files
    cfg = _cfg(folder)
    start, end = period
    data = load(cfg, paths={"contacts": paths[kind]}, start=start, end=end, now=NOW)
    res = compute_many(data.contacts, cfg=cfg, cuts=[None, ["channel", "week"]], contacts_after=data.contacts_after)
    ref = to_json(res["overall"], list(res.values())[1], cfg)
    ours = compute(cfg, paths[kind], ["channel", "week"], name=str(paths[kind]), now=NOW.to_pydatetime(),
                   threads=1, start=start, end=end)
    assert ours.counts == data.counts["contacts"]
    assert 200 < ours.counts["out_of_period"] < ours.counts["accepted"] - 200
    key = ["row", "column", "reason"]
    assert sorted(ours.rejects[key].values.tolist()) == sorted(data.rejects[key].values.tolist())
    assert ref["overall"]["contacts"] == ours.overall["contacts"] == len(data.contacts)
    assert not _diff(ref["overall"], ours.overall)
    assert list(ours.segments) == list(ref["segments"])
    bad = {s: _diff(ref["segments"][s], ours.segments[s]) for s in ref["segments"]}
    assert not {s: d for s, d in bad.items() if d}


def test_period_bounds_are_the_rule_in_sql():
    """An end date includes its whole day, an end instant is included, the start is included:
    the SQL of outofcore.period_sql keeps the rows rules.in_period keeps, on the edges."""
    import duckdb

    from cxtoolkit.outofcore import period_sql
    from cxtoolkit.rules import in_period, period_bounds

    ts = pd.Series(pd.to_datetime(["2026-05-31 23:59:59.999999", "2026-06-01 00:00:00", "2026-06-30 23:59:59.999999",
                                   "2026-07-01 00:00:00", "2026-06-30 12:00:00", "2026-06-30 12:00:00.000001"], format="ISO8601"))
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT unnest(?::TIMESTAMP[]) AS received_at, unnest(range(?)) AS i",
                [list(ts.dt.to_pydatetime()), len(ts)])
    for start, end in [("2026-06-01", "2026-06-30"), ("2026-06-01", "2026-06-30 12:00"), (None, "2026-06-30"),
                       ("2026-06-30 12:00", None), (None, None)]:
        t0, t1 = period_bounds(start, end)
        want = in_period(ts, t0, t1)
        want = [True] * len(ts) if want is None else want.tolist()
        got = [r[0] for r in con.execute(f"SELECT {period_sql('received_at', t0, t1)} FROM t ORDER BY i").fetchall()]
        assert got == want, (start, end)
    assert period_bounds("2026-06-01", "2026-06-30")[1] == pd.Timestamp("2026-07-01")


def test_cli_duckdb_period_meta_and_bad_date(files):
    folder, paths = files
    yml = folder / "client.yml"
    yml.write_text("client: t\ncountry: FR\n", encoding="utf-8")
    runner = CliRunner()
    args = ["kpis", "--config", str(yml), "--contacts", str(paths["typed"]), "--json", "--by", "month",
            "--from", "2026-06-01", "--to", "2026-08-31"]
    a = runner.invoke(app, args)
    b = runner.invoke(app, args + ["--engine", "duckdb"])
    assert a.exit_code == 0 and b.exit_code == 0, (a.output, b.output)
    pa_, du = json.loads(a.stdout), json.loads(b.stdout)
    assert du["meta"]["tables"] == pa_["meta"]["tables"]
    assert du["meta"]["tables"]["contacts"]["out_of_period"] > 0
    assert list(du["segments"]) == list(pa_["segments"]) == ["2026-06", "2026-07", "2026-08"]
    assert not _diff(pa_["overall"], du["overall"])
    assert all(not _diff(pa_["segments"][s], du["segments"][s]) for s in pa_["segments"])
    for engine in ("pandas", "duckdb"):
        r = runner.invoke(app, args[:-4] + ["--from", "2026-13-45", "--engine", engine, "--locale", "en"])
        assert r.exit_code == 2 and "period start '2026-13-45': not a date" in r.output, r.output
        assert "Traceback" not in r.output and len(r.output.strip().splitlines()) == 1


def test_period_bound_with_utc_offset_is_an_instant_on_the_client_clock():
    """A bound with a UTC offset (or Z) is an instant: converted to the client's time zone and
    compared with the data's naive local times (data contract), as the io layer converts the
    files' offsets; without a time zone it is refused in one line in the client's language."""
    from cxtoolkit.errors import InputError
    from cxtoolkit.rules import period_bounds

    assert period_bounds("2026-03-15T00:00:00+02:00", "2026-03-20T12:00:00Z", tz="Europe/Paris") == \
        (pd.Timestamp("2026-03-14 23:00"), pd.Timestamp("2026-03-20 13:00:00.000001"))
    assert period_bounds("2026-07-01T00:00:00+02:00", None, tz="Europe/Paris")[0] == pd.Timestamp("2026-07-01")
    assert period_bounds(None, "2026-07-01T00:00:00-04:00", tz="America/New_York")[1] == \
        pd.Timestamp("2026-07-01 00:00:00.000001")
    assert period_bounds("2026-07-01", "2026-07-31", tz="Europe/Paris") == period_bounds("2026-07-01", "2026-07-31")
    for loc, says in (("fr", "début de période '2026-07-01T00:00:00Z' : une heure avec décalage UTC"),
                      ("en", "period start '2026-07-01T00:00:00Z': a time with a UTC offset cannot")):
        with pytest.raises(InputError) as err:    # said in the command's language when shown
            period_bounds("2026-07-01T00:00:00Z", None, tz=None, locale=loc)
        assert says in err.value.render(loc)


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_cli_from_with_utc_offset_same_as_the_local_time(files, engine):
    """Reported: ``kpis --from 2026-…T00:00:00+02:00`` raised a TypeError (tz-aware bound vs
    naive timestamps) in the pandas engine. Both engines keep the same rows as with the
    equivalent local time of the client (FR: Europe/Paris, +02:00 in summer)."""
    folder, paths = files
    yml = folder / "client_tz.yml"
    yml.write_text("client: t\ncountry: FR\n", encoding="utf-8")
    runner = CliRunner()
    base = ["kpis", "--config", str(yml), "--contacts", str(paths["typed"]), "--json", "--engine", engine]
    for instant, local in (("2026-08-01T00:00:00+02:00", "2026-08-01"), ("2026-08-01T06:30:00Z", "2026-08-01T08:30")):
        a = runner.invoke(app, base + ["--from", instant, "--to", "2026-08-20T23:59:59+02:00"])
        b = runner.invoke(app, base + ["--from", local, "--to", "2026-08-20T23:59:59"])
        assert a.exit_code == 0 and "Traceback" not in a.output, a.output
        ja, jb = json.loads(a.stdout), json.loads(b.stdout)
        assert ja["meta"]["tables"] == jb["meta"]["tables"]
        assert 0 < ja["overall"]["contacts"] < ja["meta"]["tables"]["contacts"]["accepted"]
        assert not _diff(ja["overall"], jb["overall"])
    us = folder / "client_us.yml"
    us.write_text("client: t\ncountry: US\nlocale: en\n", encoding="utf-8")
    r = runner.invoke(app, ["kpis", "--config", str(us), "--contacts", str(paths["typed"]), "--engine", engine,
                            "--from", "2026-08-01T00:00:00-04:00"])
    assert r.exit_code == 2 and "Traceback" not in r.output and len(r.output.strip().splitlines()) == 1, r.output
    assert "a time with a UTC offset cannot be placed on the centre's local clock" in r.output


def test_windows_1252_csv_same_as_pandas(tmp_path):
    """A French Excel's CSV (Windows-1252: é, œ, ’, € in headers and values) is read as the
    default engine reads it: same counts, rejects (values included) and KPIs per segment label."""
    text = planted(1500, seed=11)
    text = text.rename(columns={"wait_s": "Durée d'attente", "answered": "Décroché"})
    text.loc[text.index[::7], "segment"] = "Cœur de cible"
    text.loc[text.index[3::7], "segment"] = "Client’s — 5 €"
    csv = tmp_path / "appels.csv"
    text.to_csv(csv, index=False, sep=";", encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        csv.read_bytes().decode("utf-8")
    cfg = _cfg(tmp_path)
    data, ref = _pandas(cfg, csv, ["segment"])
    ours = compute(cfg, csv, ["segment"], now=NOW.to_pydatetime(), threads=1, temp_dir=tmp_path)
    assert ours.counts == {**data.counts["contacts"], "out_of_period": 0}
    key = ["row", "column", "value", "reason"]
    assert sorted(ours.rejects[key].values.tolist()) == sorted(data.rejects[key].values.tolist())
    assert "Cœur de cible" in ours.segments and "Client’s — 5 €" in ours.segments
    assert list(ours.segments) == list(ref["segments"])
    assert not _diff(ref["overall"], ours.overall)
    assert all(not _diff(ref["segments"][s], ours.segments[s]) for s in ref["segments"])
    assert not list(tmp_path.glob("cxtoolkit-*"))


def test_mixed_or_unknown_encodings_are_one_line(tmp_path):
    from cxtoolkit.errors import InputError

    head = "contact_id;channel;received_at;answered;wait_s\n"
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes((head + "c1;Téléphone;2026-05-04 10:00:00;oui;12\n").encode("cp1252")
                      + "c2;Téléphone;2026-05-04 11:00:00;non;\n".encode("utf-8"))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(head.encode() + b"c1;T\xe9l\x81;2026-05-04 10:00:00;oui;12\n")
    for path, says in ((mixed, "lines in UTF-8 and in Windows-1252 (cp1252) mixed"),
                       (bad, "unreadable text encoding (neither UTF-8 nor cp1252)")):
        with pytest.raises(InputError, match=re.escape(f"{path.name}: {says}")):
            compute(_cfg(tmp_path), path, name=path.name, temp_dir=tmp_path)
    assert not list(tmp_path.glob("cxtoolkit-*"))


def test_spill_dir_is_where_duckdb_spills(files, tmp_path, monkeypatch):
    # `--spill-dir` reaches the connection (the default, DuckDB's `.tmp` in the working folder,
    # is where a consultant's client folder got a `.tmp` when a run was killed)
    from cxtoolkit.io import duckdb_source

    folder, paths = files
    yml = folder / "client.yml"
    yml.write_text("client: t\ncountry: FR\n", encoding="utf-8")
    spill = tmp_path / "spill"
    spill.mkdir()
    seen = []
    real = duckdb_source.connect

    def connect(*a, **kw):
        con = real(*a, **kw)
        seen.append(con.execute("SELECT current_setting('temp_directory')").fetchone()[0])
        return con

    monkeypatch.setattr(duckdb_source, "connect", connect)
    args = ["kpis", "--config", str(yml), "--contacts", str(paths["parquet"]), "--engine", "duckdb", "--json"]
    r = CliRunner().invoke(app, args + ["--spill-dir", str(spill)])
    assert r.exit_code == 0, r.output
    assert seen == [spill.as_posix()]
    missing = CliRunner().invoke(app, args + ["--spill-dir", str(tmp_path / "nope"), "--locale", "fr"])
    assert missing.exit_code == 2 and "Traceback" not in missing.output
    assert f"--spill-dir {tmp_path / 'nope'} : dossier introuvable" in missing.stderr
    pandas = CliRunner().invoke(app, args[:-3] + ["--json", "--spill-dir", str(spill), "--locale", "en"])
    assert pandas.exit_code == 2 and "--spill-dir: with --engine duckdb only" in pandas.stderr
