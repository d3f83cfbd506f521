"""Client isolation: no slug, CLI argument, symlink, app parameter or notebook parameter lets
one client's audit or app read another client's folder, or write outside the reports folder.

Reading rule (decided here): files a consultant names on the command line (``--contacts
F``) may be anywhere — it is their own choice; what comes from a client (client.yml data
paths, client names, folder links) is kept inside that client's folder.
"""
from __future__ import annotations

import ast
import os
import uuid
from pathlib import Path

import nbformat
import pytest
from conftest import write_client
from typer.testing import CliRunner

from cxtoolkit.apps.context import app_parameters
from cxtoolkit.apps.serve import client_env
from cxtoolkit.audit.params import validate_params
from cxtoolkit.audit.runner import execute_notebook, run_audit
from cxtoolkit.config import client_folder, load_client
from cxtoolkit.errors import InputError

DATA = Path(__file__).parent / "data"
SECRET = "BETASECRET42"
CONTACTS = ("contact_id;customer_id;channel;received_at;answered;wait_s\n"
            f"c1;{SECRET};phone;2026-10-01 09:00;oui;12\n")


def _two_clients(root: Path) -> Path:
    cd = root / "client_data"
    write_client(cd, "acme", {"name": "acme"})
    write_client(cd, "beta", {"name": "beta"}, {"contacts.csv": CONTACTS})
    return cd


def _audit(cd: Path, out: Path, client: str = "acme"):
    # "no_notebook" is skipped: these tests only need the data step and the publication
    return run_audit(client, client_data=cd, out=out, notebooks=["no_notebook"], warehouse=False)


def _all_text(folder: Path) -> str:
    return "".join(p.read_bytes().decode("utf-8", "replace") for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("slug", ["../beta", "/etc", "acme/../beta", "Acme", "acme beta", "", ".", "..",
                                  "acme\x00", "acme\n"])
def test_client_slugs_are_validated(tmp_path, slug):
    cd = _two_clients(tmp_path)
    with pytest.raises(InputError):
        client_folder(slug, cd)
    with pytest.raises(InputError):
        _audit(cd, tmp_path / "reports", client=slug)
    assert not (tmp_path / "reports").exists()


def test_cli_audit_refuses_traversal_and_absolute_paths(tmp_path):
    from cxtoolkit.cli.main import app

    cd = _two_clients(tmp_path)
    for arg in ("../beta", str(cd / "beta"), "nobody"):
        res = CliRunner().invoke(app, ["audit", arg, "--client-data", str(cd), "--out", str(tmp_path / "r")])
        # cli.main.main() turns InputError into one line on stderr and exit status 2
        assert isinstance(res.exception, InputError), (arg, res.output)
        assert "\n" not in str(res.exception)
    assert not (tmp_path / "r").exists()


def test_symlinked_client_folder_is_refused(tmp_path):
    cd = _two_clients(tmp_path)
    os.symlink(cd / "beta", cd / "gamma")          # "gamma" is really beta's folder
    with pytest.raises(InputError, match="gamma"):
        _audit(cd, tmp_path / "reports", client="gamma")
    assert not (tmp_path / "reports" / "beta").exists()


def test_client_yml_must_name_its_own_folder(tmp_path):
    cd = _two_clients(tmp_path)
    write_client(cd, "acme", {"client": "beta"})
    with pytest.raises(InputError, match="folder"):
        _audit(cd, tmp_path / "reports")
    assert not (tmp_path / "reports").exists()


@pytest.mark.parametrize("how", ["symlink", "dotdot", "absolute"])
def test_data_file_pointing_into_another_client_is_not_read(tmp_path, how):
    cd = _two_clients(tmp_path)
    target = cd / "beta" / "contacts.csv"
    if how == "symlink":
        os.symlink(target, cd / "acme" / "contacts.csv")
        rel = "contacts.csv"
    else:
        rel = "../beta/contacts.csv" if how == "dotdot" else str(target)
    write_client(cd, "acme", {"data": {"contacts": rel}})
    with pytest.raises(InputError):
        load_client("acme", cd).data_path("contacts")
    res = _audit(cd, tmp_path / "reports")
    assert res.status == "failed"
    assert res.manifest["steps"]["data"]["status"] == "failed"
    assert "outside" in res.manifest["steps"]["data"]["reason"] or "absolute" in res.manifest["steps"]["data"]["reason"]
    assert SECRET not in _all_text(res.folder)
    assert not (res.folder / "kpis.xlsx").exists()


def test_reports_cannot_be_written_among_client_data(tmp_path):
    cd = _two_clients(tmp_path)
    for out in (cd, cd / "beta", cd / "acme" / "reports"):
        with pytest.raises(InputError, match="--out"):
            _audit(cd, out)
    assert sorted(p.name for p in (cd / "beta").iterdir()) == ["client.yml", "contacts.csv"]
    assert not (cd / "acme" / "reports").exists()


def test_reports_folder_of_a_client_cannot_be_a_link_to_another(tmp_path):
    cd = _two_clients(tmp_path)
    out = tmp_path / "reports"
    (out / "beta").mkdir(parents=True)
    (out / "beta" / "keep.txt").write_text("beta's report", encoding="utf-8")
    os.symlink(out / "beta", out / "acme")
    with pytest.raises(InputError, match="link"):
        _audit(cd, out)
    assert sorted(p.name for p in (out / "beta").iterdir()) == ["keep.txt"]


def test_each_client_is_published_in_its_own_folder(tmp_path):
    cd = _two_clients(tmp_path)
    write_client(cd, "beta", {"data": {"contacts": "contacts.csv"}})
    out = tmp_path / "reports"
    a, b = _audit(cd, out, "acme"), _audit(cd, out, "beta")
    assert a.folder == (out / "acme" / "all").resolve() and b.folder == (out / "beta" / "all").resolve()
    assert SECRET not in _all_text(a.folder)
    assert b.manifest["steps"]["data"]["status"] == "ok"


# ------------------------------------------------------------------------------ apps
def test_app_kernel_environment_names_one_validated_client(tmp_path, monkeypatch):
    cd = _two_clients(tmp_path)
    monkeypatch.setenv("CXTOOLKIT_CLIENT", "beta")                # left over in the consultant's shell
    monkeypatch.setenv("CXTOOLKIT_CLIENT_DATA", str(tmp_path / "elsewhere"))
    env = client_env("acme", cd)
    assert env["CXTOOLKIT_CLIENT"] == "acme" and env["CXTOOLKIT_CLIENT_DATA"] == str(cd.resolve())
    assert Path(env["CXTOOLKIT_CLIENT_DATA"]).is_absolute()
    no_client = client_env("", "")
    assert "CXTOOLKIT_CLIENT" not in no_client and "CXTOOLKIT_CLIENT_DATA" not in no_client
    for bad in ("../beta", "acme/../beta", "/etc", "ACME"):
        with pytest.raises(InputError):
            client_env(bad, cd)
    with pytest.raises(InputError, match="client.yml"):
        client_env("nobody", cd)
    with pytest.raises(InputError, match="not a folder"):
        client_env("acme", tmp_path / "missing")


def test_app_parameters_under_voila_come_from_the_launcher_only(tmp_path):
    voila = {"VOILA_KERNEL_ID": "k1", "CXTOOLKIT_CLIENT": "acme", "CXTOOLKIT_CLIENT_DATA": "/data/clients"}
    # whatever the notebook or a page asks for, the kernel serves the client it was launched for
    p = app_parameters(env=voila, client="beta", client_data="/other", out_dir="/tmp/x", period_start="2026-01-01")
    assert (p["client"], p["client_data"], p["out_dir"], p["app_mode"]) == ("acme", "/data/clients", "", True)
    assert p["period_start"] == "2026-01-01"
    with pytest.raises(InputError):
        app_parameters(env={**voila, "CXTOOLKIT_CLIENT": "../beta"}, client="acme")
    with pytest.raises(InputError):
        app_parameters(env={"VOILA_BASE_URL": "/"}, client="../beta")
    # outside Voila (papermill, Jupyter) the notebook's own values are used
    assert app_parameters(env={}, client="beta", out_dir="o")["client"] == "beta"


# ------------------------------------------------------------------ papermill parameters
def test_parameters_are_values_never_code(tmp_path):
    marker = tmp_path / f"pwned-{uuid.uuid4().hex[:8]}"
    payload = f"demo\"; import os; os.system('touch {marker}') #"
    # in a slug or a segment it is refused before any notebook runs
    with pytest.raises(InputError, match="client"):
        validate_params(client=payload)
    with pytest.raises(InputError, match="segment"):
        validate_params(client="demo", segment=payload)
    # in a free-text path parameter it is accepted but stays a string literal
    params = validate_params(client="demo", client_data=payload, out_dir=payload + "'''\"\"\"\\")
    dst = tmp_path / "out.ipynb"
    status, error, _ = execute_notebook(DATA / "tiny_ok.ipynb", dst, params.model_dump(
        include={"client", "client_data", "out_dir"}), timeout=120, cwd=tmp_path)
    assert status == "ok", error
    assert not marker.exists()
    nb = nbformat.read(dst, as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    values = {t.targets[0].id: ast.literal_eval(t.value) for t in ast.parse(injected.source).body}
    assert values["client_data"] == payload and values["out_dir"] == payload + "'''\"\"\"\\"
