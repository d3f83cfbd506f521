"""The out-of-core engine (DuckDB SQL over Parquet, ``cxtoolkit kpis --engine duckdb``) gives
the pandas engine's figures to 1e-9 for every KPI it computes (:data:`cxtoolkit.outofcore.CHECK`),
on generated contacts with several countries and holidays, missing customers, waits and
resolutions, bots on chat, and a repeat window reaching past the end of the data."""
import json
import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from cxtoolkit.cli.main import app
from cxtoolkit.config import ClientConfig
from cxtoolkit.datasets import generate_contacts
from cxtoolkit.kpis import compute_many
from cxtoolkit.io.duckdb_source import connect, open_parquet
from cxtoolkit.outofcore import CHECK
from cxtoolkit.outofcore import overall as overall_sql

CFG = ClientConfig(client="t", country="FR", kpi={"repeat_window_days": 3},
                   business_hours_by_country={"GB": {"mon": ["08:00", "20:00"], "sat": ["09:00", "12:30"]}})


def overall(cfg, path, **bounds):
    con = connect(**bounds)
    open_parquet(con, path)
    return overall_sql(cfg, con)


def _close(a, b) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
        return (a is None or math.isnan(a)) and (b is None or math.isnan(b))
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


@pytest.fixture(scope="module")
def contacts():
    df = generate_contacts(6000, CFG, seed=7, bad_share=0)
    rng = np.random.default_rng(1)
    df.loc[rng.random(len(df)) < 0.05, "customer_id"] = None
    df.loc[rng.random(len(df)) < 0.02, "country"] = None
    if "resolved" in df:
        df["resolved"] = df["resolved"].astype("boolean")
        df.loc[rng.random(len(df)) < 0.1, "resolved"] = pd.NA
    return df


def test_duckdb_engine_same_kpis_as_pandas(contacts, tmp_path):
    path = tmp_path / "c.parquet"
    contacts.to_parquet(path, index=False)
    ours = compute_many(contacts, cfg=CFG)["overall"].iloc[0]
    duck = overall(CFG, path, memory_limit="1GB", threads=1)
    assert set(duck) == set(CHECK)
    bad = {k: (float(ours[k]), duck[k]) for k in CHECK if not _close(float(ours[k]), duck[k])}
    assert not bad
    assert duck["repeat_rate"] > 0 and duck["hno_calls"] > 0 and duck["repeat_censored"] > 0


def test_cli_engine_duckdb(contacts, tmp_path):
    path = tmp_path / "c.parquet"
    contacts.to_parquet(path, index=False)
    yml = tmp_path / "client.yml"
    yml.write_text("client: t\ncountry: FR\n", encoding="utf-8")
    runner = CliRunner()
    a = runner.invoke(app, ["kpis", "--config", str(yml), "--contacts", str(path), "--json"])
    b = runner.invoke(app, ["kpis", "--config", str(yml), "--contacts", str(path), "--json", "--engine", "duckdb"])
    assert a.exit_code == 0 and b.exit_code == 0, (a.output, b.output)
    pa_, du = json.loads(a.stdout)["overall"], json.loads(b.stdout)
    assert du["meta"]["engine"] == "duckdb" and du["meta"]["validated"] is True
    assert all(_close(pa_[k], du["overall"][k]) for k in CHECK)


def test_cli_engine_duckdb_input_errors_are_one_line(tmp_path):
    csv = tmp_path / "c.csv"
    csv.write_text("contact_id,channel\n1,phone\n", encoding="utf-8")
    xlsx = tmp_path / "c.xlsx"
    xlsx.write_bytes(b"PK\x03\x04")
    yml = tmp_path / "client.yml"
    yml.write_text("client: t\n", encoding="utf-8")
    for path, says in ((csv, "missing required column(s) received_at, answered, wait_s"), (xlsx, "Parquet or CSV")):
        r = CliRunner().invoke(app, ["kpis", "--config", str(yml), "--contacts", str(path), "--engine", "duckdb",
                                     "--locale", "en"])
        assert r.exit_code == 2 and says in r.output and "Traceback" not in r.output


def test_cli_engine_duckdb_says_the_assumed_columns_and_not_measured_kpis_as_pandas(contacts, tmp_path):
    """client.yml's ``assumed: [answered]`` (with ``constants: {answered: true}``): both engines
    report the column assumed, the same KPIs not measured (null, overall and per segment) and
    the same warning. DuckDB refused the constant and, given ``assumed:`` alone, reported
    ``assumed: []`` with an answer rate of the file's flags."""
    contacts.drop(columns=["answered"]).to_parquet(tmp_path / "c.parquet", index=False)
    yml = tmp_path / "client.yml"
    yml.write_text("client: t\ncountry: FR\nkpi: {repeat_window_days: 3}\ndata:\n  contacts:\n    file: c.parquet\n"
                   "    constants: {answered: true}\n    assumed: [answered]\n", encoding="utf-8")
    runner = CliRunner()
    args = ["kpis", "--config", str(yml), "--json", "--locale", "en", "--by", "channel"]
    a, b = runner.invoke(app, args), runner.invoke(app, [*args, "--engine", "duckdb"])
    assert a.exit_code == 0 and b.exit_code == 0, (a.output, b.output)
    pa_, du = json.loads(a.stdout), json.loads(b.stdout)
    assert pa_["meta"]["tables"]["contacts"]["assumed"] == du["meta"]["tables"]["contacts"]["assumed"] == ["answered"]
    assert pa_["meta"]["warnings"] == du["meta"]["warnings"] and "not measured" in du["meta"]["warnings"][0]
    for part in ("overall", *pa_["segments"]):
        p, d = (pa_["overall"], du["overall"]) if part == "overall" else (pa_["segments"][part], du["segments"][part])
        assert {k for k in CHECK if p[k] is None} == {k for k in CHECK if d[k] is None}, part
        assert all(_close(p[k], d[k]) for k in CHECK), part
    assert du["overall"]["answer_rate"] is None and du["overall"]["service_level"] is None
    assert du["overall"]["asa_s"] is not None     # a mean over answered contacts only chooses its rows by the flag
    # ``assumed:`` naming no constant: refused by both, in the same words
    yml.write_text(yml.read_text(encoding="utf-8").replace("    constants: {answered: true}\n", ""), encoding="utf-8")
    contacts.to_parquet(tmp_path / "c.parquet", index=False)
    a, b = runner.invoke(app, args), runner.invoke(app, [*args, "--engine", "duckdb"])
    assert a.exit_code == b.exit_code == 2 and a.stderr == b.stderr and "not in constants" in b.stderr
