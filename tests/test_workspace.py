"""The working folder (cwd, --workdir, CXTOOLKIT_HOME, cxtoolkit.yml), `cxtoolkit init`, the
demo client created in an empty folder, and Dask as an optional extra."""
import sys

import pytest
import yaml
from typer.testing import CliRunner

from cxtoolkit import resources
from cxtoolkit.audit.runner import resolve_notebooks
from cxtoolkit.cli.main import app
from cxtoolkit.config import default_client_data, load_client
from cxtoolkit.errors import InputError
from cxtoolkit.io import scaffold
from cxtoolkit.workspace import find_notebook, reports_dir

CLI = CliRunner()


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty working folder as the current folder, no CXTOOLKIT_* variables."""
    for var in ("CXTOOLKIT_HOME", "CXTOOLKIT_CLIENT_DATA"):
        monkeypatch.setenv(var, "")   # recorded, so that what --workdir sets is undone afterwards
        monkeypatch.delenv(var)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def test_client_data_and_reports_live_in_the_working_folder(home, tmp_path, monkeypatch):
    assert default_client_data() == home / "client_data" and reports_dir() == home / "reports"
    other = tmp_path / "elsewhere"
    other.mkdir()
    monkeypatch.setenv("CXTOOLKIT_HOME", str(other))
    assert default_client_data() == other / "client_data" and reports_dir() == other / "reports"


def test_init_writes_the_template_for_the_client(home):
    res = CLI.invoke(app, ["init", "acme", "--name", "Acme SA"])
    assert res.exit_code == 0, res.output
    cfg = load_client("acme")
    assert cfg.client == "acme" and cfg.name == "Acme SA" and cfg.folder == home / "client_data" / "acme"
    text = (cfg.folder / "client.yml").read_text(encoding="utf-8")
    assert "# report language: fr | en" in text   # the template's comments are kept
    res = CLI.invoke(app, ["init", "acme"])
    assert isinstance(res.exception, InputError) and "already exists" in str(res.exception)   # kept
    assert CLI.invoke(app, ["init", "acme", "--force"]).exit_code == 0


def test_init_from_copies_the_exports_and_guesses_their_tables(home, tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    for name in ("Appels mars.csv", "enquête_satisfaction.xlsx", "QA grille.csv", "misc.bin"):
        (exports / name).write_text("x\n", encoding="utf-8")
    res = CLI.invoke(app, ["init", "acme"] + [a for n in sorted(exports.iterdir()) for a in ("--from", str(n))])
    assert res.exit_code == 0, res.output
    folder = home / "client_data" / "acme"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["client.yml", "Appels mars.csv", "enquête_satisfaction.xlsx", "QA grille.csv", "misc.bin"])
    data = yaml.safe_load((folder / "client.yml").read_text(encoding="utf-8"))["data"]
    assert data == {"contacts": "Appels mars.csv", "responses": "enquête_satisfaction.xlsx",
                    "evaluations": "QA grille.csv"}
    assert "note : misc.bin : impossible de dire quelle table il contient" in res.output   # a French client (default)
    res = CLI.invoke(app, ["init", "acme2", "--locale", "en", "--from", str(exports / "misc.bin")])
    assert "note: misc.bin: no column mapping found, entered as data.contacts (check with cxtoolkit inspect)" in res.output


def test_init_writes_the_mapping_inspect_proposes(home, tmp_path):
    f = tmp_path / "export.csv"
    f.write_text("Call Id,Agent,Date,Time,Answered (Y/N),Speed of answer in seconds,Topic\n"
                 + "".join(f"{i},A{i % 2},2026-10-0{i},09:0{i}:00,{'Y' if i % 3 else 'N'},{i * 4},Billing\n"
                           for i in range(1, 7)), encoding="utf-8")
    data, notes = scaffold.propose_data([f])
    assert data == {"contacts": {"file": "export.csv", "columns": {
        "contact_id": "Call Id", "agent_id": "Agent", "answered": "Answered (Y/N)",
        "wait_s": "Speed of answer in seconds", "reason": "Topic", "received_at": ["Date", "Time"]}}}
    assert notes == ["export.csv: data.contacts: map by hand (or give as constants): channel"]
    res = CLI.invoke(app, ["init", "acme", "--from", str(f)])
    assert res.exit_code == 0, res.output
    written = yaml.safe_load((home / "client_data" / "acme" / "client.yml").read_text(encoding="utf-8"))
    assert written["data"] == data
    assert "channel" in res.output


def test_workdir_option_and_environment(home, tmp_path, monkeypatch):
    other = tmp_path / "audits"
    other.mkdir()
    assert CLI.invoke(app, ["--workdir", str(other), "init", "acme"]).exit_code == 0
    assert (other / "client_data" / "acme" / "client.yml").is_file()
    assert not (home / "client_data").exists()
    monkeypatch.setenv("CXTOOLKIT_HOME", str(other))
    assert CLI.invoke(app, ["init", "beta"]).exit_code == 0
    assert (other / "client_data" / "beta" / "client.yml").is_file()
    res = CLI.invoke(app, ["--workdir", str(tmp_path / "nope"), "init", "x"])
    assert isinstance(res.exception, InputError) and "no such folder" in str(res.exception)


def test_demo_client_created_in_an_empty_folder(home):
    yml = scaffold.ensure_demo_client("demo-small")
    assert yml == home / "client_data" / "demo-small" / "client.yml"
    assert yml.read_text() == resources.demo_client_yml("demo-small").read_text()
    yml.write_text(yml.read_text().replace("Demo Home Services Ltd", "Mine"))
    assert scaffold.ensure_demo_client("demo-small") is None and "Mine" in yml.read_text()   # kept
    assert scaffold.ensure_demo_client("acme") is None and not (home / "client_data" / "acme").exists()


def test_house_notebooks_replace_the_packaged_ones(home):
    (home / "house").mkdir()
    (home / "house" / "kpis.ipynb").write_text("{}")
    assert find_notebook("kpis") == resources.notebook("kpis")
    (home / "cxtoolkit.yml").write_text("notebooks_dir: house\n")
    by = {n["name"]: n for n in resolve_notebooks(["kpis", "roi"])}
    assert by["kpis"]["path"] == (home / "house" / "kpis.ipynb").resolve()
    assert by["roi"]["path"] == resources.notebook("roi").resolve() and by["roi"]["status"] == "pending"
    (home / "cxtoolkit.yml").write_text("notebooks_dir: missing\n")
    with pytest.raises(InputError, match="notebooks_dir 'missing'"):
        find_notebook("kpis")
    (home / "cxtoolkit.yml").write_text("notebook_dir: house\n")
    with pytest.raises(InputError, match="cxtoolkit.yml: notebook_dir"):
        find_notebook("kpis")


def test_scheduler_without_dask_says_how_to_install_it(home, monkeypatch):
    from cxtoolkit.audit.batch import run_batch

    scaffold.ensure_demo_client("demo-small")
    for name in ("dask", "dask.distributed"):
        monkeypatch.setitem(sys.modules, name, None)   # as if not installed
    with pytest.raises(InputError, match=r"pip install 'cxtoolkit\[dask\]'"):
        run_batch("demo-small", period="2026-10", scheduler="tcp://127.0.0.1:1", progress=False, warehouse=False)


def test_init_writes_the_plain_form_for_canonical_headers_and_one_table_per_header_set(tmp_path):
    from cxtoolkit.io.inspect import propose_mapping

    f = tmp_path / "appels.csv"
    f.write_text("contact_id,channel,received_at,answered,wait_s\nc1,phone,2026-03-02 10:00:00,true,12\n",
                 encoding="utf-8")
    assert list(propose_mapping(f)["data"]) == ["contacts"]   # not also "sends" from the same headers
    assert scaffold.propose_data([f]) == ({"contacts": "appels.csv"}, [])


CALLS_WITHOUT_ANSWERED = ("Call Id,Channel,Date,Time,Speed of answer in seconds,Topic\n"
                          + "".join(f"{i},phone,2026-10-0{i},09:0{i}:00,{i * 4},Billing\n" for i in range(1, 7)))


def test_init_fills_a_missing_answered_flag_as_an_assumed_constant(home, tmp_path):
    """An export without an answered flag: init proposes ``answered: true`` AND ``assumed:
    [answered]`` (a guess, not a fact of the export), explained in client.yml in the client's
    language; the client then loads, its volumes measured and its answer rate not measured
    (not a 100 % made of the constant)."""
    f = tmp_path / "calls.csv"
    f.write_text(CALLS_WITHOUT_ANSWERED, encoding="utf-8")
    data, notes = scaffold.propose_data([f])
    entry = data["contacts"]
    assert entry["constants"] == {"answered": True} and entry["assumed"] == ["answered"]
    assert len(notes) == 1 and "assumed constant (answered: true)" in notes[0] and "map by hand" not in notes[0]
    res = CLI.invoke(app, ["init", "acme", "--from", str(f)])
    assert res.exit_code == 0, res.output
    written = (home / "client_data" / "acme" / "client.yml").read_text(encoding="utf-8")
    lines = written.splitlines()
    at = lines.index("    constants:")
    comment = " ".join(ln.strip().lstrip("#").strip() for ln in lines[at - 4:at] if ln.strip().startswith("#"))
    assert "supposé décroché" in comment and "ne seront pas mesurés" in comment
    assert yaml.safe_load(written)["data"] == data and yaml.safe_load(written)["locale"] == "fr"
    from cxtoolkit.io import load
    from cxtoolkit.pipeline.produce import kpi_views

    cfg = load_client("acme")
    k = kpi_views(cfg, load(cfg, now="2027-01-01"))["overall"].iloc[0]
    assert k["contacts"] == 6 and k["answer_rate"] != k["answer_rate"] and k["abandonment_rate"] != k["abandonment_rate"]
    # in English for an English-speaking client
    res = CLI.invoke(app, ["init", "beta", "--from", str(f), "--locale", "en"])
    written = (home / "client_data" / "beta" / "client.yml").read_text(encoding="utf-8")
    assert res.exit_code == 0 and "# answered: the export has no answered column" in written
    assert "will not be measured" in " ".join(written.split()) and yaml.safe_load(written)["locale"] == "en"
