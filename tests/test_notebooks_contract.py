"""Every notebook in notebooks/ follows the contract of docs/architecture.md and runs under
papermill on a small generated demo client. Parametrised over the notebooks found, so a
new notebook is picked up automatically."""
from __future__ import annotations


import nbformat
import pytest
from cxtoolkit import resources

NB_DIR = resources.notebooks_dir()
NOTEBOOKS = sorted(NB_DIR.glob("*.ipynb"))
STANDARD = {"client", "client_data", "period_start", "period_end", "segment", "locale", "out_dir"}
IDS = [p.stem for p in NOTEBOOKS]

pytestmark = pytest.mark.skipif(not NOTEBOOKS, reason="no notebook in notebooks/ yet")


def _first_code_cell(nb):
    return next((c for c in nb.cells if c.cell_type == "code"), None)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_structure(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    ks = nb.metadata.get("kernelspec", {})
    assert ks.get("name") == "python3" and ks.get("language") == "python", f"{path.name}: kernelspec"
    first = _first_code_cell(nb)
    assert first is not None and "parameters" in first.metadata.get("tags", []), \
        f"{path.name}: first code cell must be tagged 'parameters'"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.get("outputs"), f"{path.name}: outputs committed"
            assert cell.get("execution_count") is None, f"{path.name}: execution counts committed"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_declares_client_parameter(path):
    from cxtoolkit.audit.runner import declared_parameters

    declared = declared_parameters(path)
    assert "client" in declared, f"{path.name}: no 'client' parameter"


@pytest.fixture(scope="module")
def demo_client(tmp_path_factory):
    datasets = pytest.importorskip("cxtoolkit.datasets", reason="demo generator not available yet")
    if not hasattr(datasets, "generate_client"):
        pytest.skip("cxtoolkit.datasets.generate_client not available yet")
    from conftest import write_demo_client

    root = tmp_path_factory.mktemp("contract")
    write_demo_client(root / "client_data", n_contacts=5_000, n_responses=800, months=2)
    return root


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_runs_under_papermill(path, demo_client, tmp_path):
    import papermill as pm

    from cxtoolkit.audit.params import select_params, validate_params
    from cxtoolkit.audit.runner import KERNEL_ENV, _kernel_env, declared_parameters

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    params = validate_params(client="demo", client_data=str(demo_client / "client_data"),
                             period_start="", period_end="", out_dir=str(out_dir))
    passed = select_params(params, declared_parameters(path))
    with _kernel_env({**KERNEL_ENV, "CXTOOLKIT_CLIENT_DATA": params.client_data}):
        pm.execute_notebook(str(path), str(tmp_path / path.name), parameters=passed, kernel_name="python3",
                            execution_timeout=300, cwd=str(NB_DIR), progress_bar=False)
    nb = nbformat.read(tmp_path / path.name, as_version=4)
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_papermill_reads_every_declared_parameter(path):
    """Papermill must see each name the parameters cell declares (a help comment holding
    '=' makes it skip the line, warn on every run and report the name as unknown)."""
    import ast
    import json

    import papermill as pm

    nb = json.loads(path.read_text())
    src = next("".join(c["source"]) for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    declared = [n.target.id for n in ast.parse(src).body if isinstance(n, ast.AnnAssign)]
    assert declared, "the parameters cell declares no typed parameter"
    assert list(pm.inspect_notebook(str(path))) == declared
