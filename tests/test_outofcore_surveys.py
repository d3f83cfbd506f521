"""``--engine duckdb`` on survey answers: validated in SQL like the io layer (planted bad rows:
unparseable, missing and future dates, scores out of range / not whole / not numbers, an answer
with no score, an answer whose only scores are invalid, duplicate and missing ids, unknown
channels and French synonyms, day-first dates, decimal commas), written as CSV and Parquet:
same counts, rejects (row, column, value, reason) and blanked cells as ``io.load``; the counts
in SQL from ``kpis.surveys.answer_flags``, the KPIs by the one ``survey_figures``, equal to the
pandas engine's ``survey_kpis`` overall and per cut."""
import json
import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from cxtoolkit.cli.main import app

from cxtoolkit.config import ClientConfig
from cxtoolkit.datasets import generate_contacts, generate_responses
from cxtoolkit.io import load
from cxtoolkit.io.duckdb_source import open_contacts
from cxtoolkit.kpis import survey_kpis, to_json
from cxtoolkit.outofcore import compute as compute_sql
from cxtoolkit.outofcore import survey_results
from conftest import write_text_files

NOW = pd.Timestamp("2030-01-01")
CUTS = [None, ["channel"], ["month"], ["week"], ["channel", "month"], ["weekday", "hour"], ["touchpoint"],
        ["segment", "date"]]


def _cfg(folder, **kpi):
    return ClientConfig(client="t", country="FR", folder=folder, kpi=kpi)


def planted(n: int = 2500, seed: int = 4) -> pd.DataFrame:
    """Generated answers as text cells, with bad rows of every kind planted."""
    cfg = _cfg(None)
    r = generate_responses(generate_contacts(6000, cfg, seed=seed), cfg, n, seed=seed).reset_index(drop=True)
    n = len(r)
    rng = np.random.default_rng(seed)
    text = pd.DataFrame({c: r[c].astype("object").where(r[c].notna(), None) for c in r.columns})
    text["responded_at"] = r["responded_at"].dt.strftime("%Y-%m-%d %H:%M:%S")
    for c in ("csat", "nps", "ces"):
        text[c] = r[c].map(lambda v: None if pd.isna(v) else str(int(v))).astype("object")
    pick = rng.choice(n, size=30 * 12, replace=False).reshape(12, 30)
    text.loc[pick[0], "responded_at"] = "31/02/2026 10:00"                     # not a date
    text.loc[pick[1], "responded_at"] = r.loc[pick[1], "responded_at"].dt.strftime("%d/%m/%Y %H:%M")  # fine
    text.loc[pick[2, :10], "responded_at"] = "2031-01-01 10:00:00"             # in the future
    text.loc[pick[2, 10:], "responded_at"] = None                              # missing
    text.loc[pick[3], "csat"] = ["0", "6", "4,0", "4.5", "abc", "3", " 5 ", "-1", "2,5", "5.0"] * 3
    text.loc[pick[4], "nps"] = ["11", "-1", "7,0", "8.5", "x", "10", "0", "", "9", "6"] * 3
    text.loc[pick[5], "ces"] = ["8", "0", "5,5", "7", "?", "1", "6", "3", "7.0", "2"] * 3
    text.loc[pick[6], ["csat", "nps", "ces"]] = None                           # no score at all
    text.loc[pick[7], ["csat", "nps", "ces"]] = [["9", None, None], ["abc", "12", None], [None, None, "0"]] * 10
    text.loc[pick[8], "response_id"] = text.loc[pick[8] - 1, "response_id"].to_numpy()   # duplicates
    text.loc[pick[9, :15], "response_id"] = None
    text.loc[pick[9, 15:], "response_id"] = "  "
    text.loc[pick[10], "channel"] = ["fax", "Téléphone", "tel", "Courriel", " chat ", None] * 5   # soft
    text.loc[pick[11], "segment"] = None
    return text


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oocs")
    text = planted()
    paths = write_text_files(folder, "answers", text)
    return folder, paths


def _close(a, b, tol: float = 1e-12) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
        return (a is None or a != a) and (b is None or b != b)
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def _diff(a: dict, b: dict, tol: float = 1e-12) -> dict:
    return {k: (a.get(k, "absent"), b.get(k, "absent")) for k in set(a) | set(b)
            if k not in a or k not in b or not _close(a[k], b[k], tol)}


@pytest.mark.parametrize("kind", ["csv", "parquet"])
@pytest.mark.parametrize("scale", [7, 5])
def test_answers_same_counts_rejects_and_kpis_as_pandas(files, kind, scale):
    folder, paths = files
    cfg = _cfg(folder, ces_scale=scale)
    data = load(cfg, paths={"responses": paths[kind]}, now=NOW)
    c = data.counts["responses"]
    assert c["rejected"] > 150
    for cut in CUTS:
        ours = compute_sql(cfg, open_contacts(paths[kind], str(paths[kind])), cut, now=NOW.to_pydatetime(),
                           table="responses")
        assert ours.counts == {**c, "out_of_period": 0}
        key = ["row", "column", "value", "reason"]
        assert sorted(ours.rejects[key].values.tolist()) == sorted(data.rejects[key].values.tolist())
        assert set(ours.rejects["table"]) == {"responses"}
        assert ours.blanked == data.details["responses"]["blanked"] > 0
        assert set(data.details["responses"]["warnings"]) <= set(ours.warnings)
        want = to_json(survey_kpis(data.responses, cfg), survey_kpis(data.responses, cfg, by=cut) if cut else None,
                       cfg)
        assert not _diff(want["overall"], ours.overall), cut
        if cut:
            assert list(ours.segments) == list(want["segments"]), cut
            assert not {s: d for s in want["segments"] if (d := _diff(want["segments"][s], ours.segments[s]))}


def test_answers_period(files):
    folder, paths = files
    cfg = _cfg(folder)
    start, end = "2026-06-10", "2026-08-20T12:00"
    data = load(cfg, paths={"responses": paths["csv"]}, now=NOW, start=start, end=end)
    ours = compute_sql(cfg, open_contacts(paths["csv"]), ["week"], now=NOW.to_pydatetime(), table="responses",
                       start=start, end=end)
    assert ours.counts == data.counts["responses"] and ours.counts["out_of_period"] > 100
    want = to_json(survey_kpis(data.responses, cfg), survey_kpis(data.responses, cfg, by="week"), cfg)
    assert not _diff(want["overall"], ours.overall) and list(ours.segments) == list(want["segments"])


@pytest.mark.parametrize("cut", [None, ["channel"], ["month"], ["segment"], ["channel", "week"]],
                         ids=lambda c: "x".join(c) if c else "overall")
def test_sends_response_rate_same_as_pandas(tmp_path, cut):
    """The sends validated in SQL (planted bad rows) give the response rate of the pandas engine,
    per segment too; a cut the sends do not carry (segment) leaves it undefined, as pandas does."""
    cfg = _cfg(tmp_path)
    answers = planted(1200, seed=9)
    sends = pd.DataFrame({"send_id": [f"S{i:05d}" for i in range(4000)],
                          "sent_at": pd.date_range("2026-05-01", "2026-10-30", periods=4000).strftime("%Y-%m-%d %H:%M"),
                          "channel": (["phone", "email", "chat", "tel", "fax"] * 800), "responded": "non"})
    sends.loc[::97, "sent_at"] = "not a date"
    sends.loc[5::101, "send_id"] = sends.loc[4::101, "send_id"].to_numpy()
    sends.loc[7::89, "responded"] = "peut-être"
    ra, sa = tmp_path / "answers.csv", tmp_path / "sends.csv"
    answers.to_csv(ra, index=False, sep=";")
    sends.to_csv(sa, index=False, sep=";")
    data = load(cfg, paths={"responses": ra, "sends": sa}, now=NOW)
    kw = dict(now=NOW.to_pydatetime())
    r = compute_sql(cfg, open_contacts(ra), cut, table="responses", **kw)
    s = compute_sql(cfg, open_contacts(sa), cut, table="sends", **kw)
    assert s.counts == {**data.counts["sends"], "out_of_period": 0} and s.counts["rejected"] > 40
    key = ["row", "column", "value", "reason"]
    want_rej = data.rejects.loc[data.rejects["table"] == "sends", key].values.tolist()
    assert sorted(s.rejects[key].values.tolist()) == sorted(want_rej)
    overall, segments = survey_results(cfg, r, s)
    want = to_json(survey_kpis(data.responses, cfg, sends=data.sends),
                   survey_kpis(data.responses, cfg, by=cut, sends=data.sends) if cut else None, cfg)
    assert overall["response_rate"] is not None and not _diff(want["overall"], overall)
    if cut:
        assert list(segments) == list(want["segments"])
        assert not {k: d for k in want["segments"] if (d := _diff(want["segments"][k], segments[k]))}
        assert all(v["response_rate"] is None for v in segments.values()) == (cut == ["segment"])


@pytest.mark.parametrize("by", [None, "channel", "month", "reason"])
def test_cli_duckdb_with_surveys_same_json_as_pandas(tmp_path, by):
    """``kpis --engine duckdb --responses F --sends F`` (and client.yml's data): the same KPIs,
    segments and meta tables as the default engine; a cut by a column of the contacts only
    (``reason``) gives each answer its contact's label, joined in SQL as the pandas engine joins
    it (answers of contacts not in the file: ``(missing)``), without a warning."""
    cfg = _cfg(tmp_path)
    contacts = generate_contacts(3000, cfg, seed=4)
    contacts.to_parquet(tmp_path / "contacts.parquet", index=False)
    planted(1200, seed=8).to_csv(tmp_path / "answers.csv", index=False, sep=";")
    pd.DataFrame({"send_id": [f"S{i}" for i in range(3000)], "channel": ["phone", "email", "chat"] * 1000,
                  "sent_at": pd.date_range("2026-05-01", "2026-10-30", periods=3000)}).to_csv(
        tmp_path / "sends.csv", index=False)
    yml = tmp_path / "client.yml"
    yml.write_text("client: t\ncountry: FR\nlocale: en\ndata:\n  contacts: contacts.parquet\n  sends: sends.csv\n",
                   encoding="utf-8")
    args = ["kpis", "--config", str(yml), "--json", "--responses", str(tmp_path / "answers.csv")]
    args += ["--by", by] if by else []
    runner = CliRunner()
    a, b = runner.invoke(app, args), runner.invoke(app, args + ["--engine", "duckdb"])
    assert a.exit_code == 0 and b.exit_code == 0, (a.output, b.output)
    pa_, du = json.loads(a.stdout), json.loads(b.stdout)
    want = {t: {**m, "preset": None} for t, m in pa_["meta"]["tables"].items()}
    assert du["meta"]["tables"] == want
    assert not [w for w in du["meta"]["warnings"] if "survey KPIs" in w]
    if by == "reason":      # the answers' contacts: some in the file, some not
        labels = {s: v for s, v in pa_["segments"].items() if v.get("n")}
        assert "(missing)" in labels and len(labels) > 2
    assert du["overall"]["response_rate"] is not None and du["overall"]["csat"] is not None
    assert not _diff(pa_["overall"], du["overall"], tol=1e-9)
    if by:
        assert list(du["segments"]) == list(pa_["segments"])
        assert not {s: d for s in pa_["segments"] if (d := _diff(pa_["segments"][s], du["segments"][s], tol=1e-9))}


def test_cli_duckdb_answers_only_and_sends_without_answers(tmp_path):
    """Survey answers alone (no contacts) give the survey KPIs; sends without answers are read
    and validated (meta) as by the default engine, with no survey KPI."""
    cfg = _cfg(tmp_path)
    planted(800, seed=3).to_csv(tmp_path / "answers.csv", index=False, sep=";")
    generate_contacts(1500, cfg, seed=3).to_parquet(tmp_path / "contacts.parquet", index=False)
    pd.DataFrame({"send_id": ["S1", "S2", "S2"], "sent_at": ["2026-05-04", "2026-05-05", "x"]}).to_csv(
        tmp_path / "sends.csv", index=False)
    yml = tmp_path / "client.yml"
    yml.write_text("client: t\ncountry: FR\n", encoding="utf-8")
    runner = CliRunner()
    for extra in (["--responses", str(tmp_path / "answers.csv"), "--by", "week"],
                  ["--contacts", str(tmp_path / "contacts.parquet"), "--sends", str(tmp_path / "sends.csv")]):
        args = ["kpis", "--config", str(yml), "--json", *extra]
        a, b = runner.invoke(app, args), runner.invoke(app, args + ["--engine", "duckdb"])
        assert a.exit_code == 0 and b.exit_code == 0, (a.output, b.output)
        pa_, du = json.loads(a.stdout), json.loads(b.stdout)
        assert du["meta"]["tables"] == {t: {**m, "preset": None} for t, m in pa_["meta"]["tables"].items()}
        assert set(du["overall"]) == set(pa_["overall"]) and not _diff(pa_["overall"], du["overall"], tol=1e-9)
        assert list(du.get("segments", {})) == list(pa_.get("segments", {}))


def _engines_agree(args: list[str]) -> dict:
    """``args`` run by both engines: the same overall figures and segments (names, order,
    figures) to 1e-9; returns the DuckDB engine's JSON."""
    runner = CliRunner()
    a, b = runner.invoke(app, args), runner.invoke(app, args + ["--engine", "duckdb"])
    assert a.exit_code == 0 and b.exit_code == 0, (a.output, b.output)
    pa_, du = json.loads(a.stdout), json.loads(b.stdout)
    assert not _diff(pa_["overall"], du["overall"], tol=1e-9)
    assert list(du["segments"]) == list(pa_["segments"])
    assert not {s: d for s in pa_["segments"] if (d := _diff(pa_["segments"][s], du["segments"][s], tol=1e-9))}
    return du


@pytest.mark.parametrize("by,period", [("reason", ()), ("queue,month", ()), ("team,weekday", ()),
                                       ("reason", ("2026-06-01", "2026-08-31"))])
def test_cli_duckdb_answers_take_their_contacts_labels_as_pandas(tmp_path, by, period):
    """Answers of the contacts in the file (planted bad rows, ids with a contact and without),
    cut by columns only the contacts have (one- and two-way, with a period that leaves some
    contacts out): the DuckDB join of each answer to its contact gives the pandas engine's
    segments and figures, each answer counted once."""
    cfg = _cfg(tmp_path)
    contacts = generate_contacts(4000, cfg, seed=11)
    contacts.to_parquet(tmp_path / "contacts.parquet", index=False)
    answers = generate_responses(contacts, cfg, 1500, seed=11).reset_index(drop=True)
    answers.loc[::7, "contact_id"] = "C-UNKNOWN"          # no such contact: (missing)
    answers.loc[3::11, "contact_id"] = None                # no contact id
    write_text_files(tmp_path, "answers", answers.astype("object").where(answers.notna(), None))
    yml = tmp_path / "client.yml"
    yml.write_text("client: t\ncountry: FR\nlocale: fr\ndata:\n  contacts: contacts.parquet\n", encoding="utf-8")
    args = ["kpis", "--config", str(yml), "--json", "--responses", str(tmp_path / "answers.csv"), "--by", by]
    if period:
        args += ["--from", period[0], "--to", period[1]]
    du = _engines_agree(args)
    n = sum(v["n"] for v in du["segments"].values())
    assert n == du["overall"]["n"] > (500 if period else 1000)       # every answer in one segment
    missing = sum(v["n"] for k, v in du["segments"].items() if "(missing)" in k)
    assert missing >= len(answers) // 7 * 0.8


def test_cli_duckdb_answers_without_contact_id_are_not_cut(tmp_path):
    """Answers with no ``contact_id`` column cut by a contacts' column: overall survey KPIs,
    segments of the contacts only, as the pandas engine."""
    cfg = _cfg(tmp_path)
    contacts = generate_contacts(2000, cfg, seed=5)
    contacts.to_parquet(tmp_path / "contacts.parquet", index=False)
    generate_responses(contacts, cfg, 600, seed=5).drop(columns="contact_id").to_csv(tmp_path / "answers.csv",
                                                                                     index=False)
    yml = tmp_path / "client.yml"
    yml.write_text("client: t\ncountry: FR\ndata:\n  contacts: contacts.parquet\n", encoding="utf-8")
    args = ["kpis", "--config", str(yml), "--json", "--responses", str(tmp_path / "answers.csv"), "--by", "reason"]
    du = _engines_agree(args)
    assert du["overall"]["csat"] is not None and all("csat" not in v for v in du["segments"].values())


@pytest.mark.parametrize("by", ["reason", "queue,weekday"])
def test_cli_duckdb_demo_client_surveys_by_a_contacts_column_as_pandas(tmp_path, by):
    """The demo client (its contacts, answers and sends from client.yml), cut by columns of
    the contacts only: the same survey figures per segment as the pandas engine."""
    from conftest import write_demo_client

    folder = write_demo_client(tmp_path, n_contacts=3000, n_responses=700, months=2)
    args = ["kpis", "--config", str(folder / "client.yml"), "--json", "--by", by]
    du = _engines_agree(args)
    assert du["overall"]["csat"] is not None
    assert sum(v["n"] for v in du["segments"].values()) == du["overall"]["n"]
