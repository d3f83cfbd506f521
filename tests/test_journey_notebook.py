"""notebooks/journey.ipynb and notebooks/verbatims.ipynb run under papermill on a small
generated demo client and comment their findings (FR or EN)."""
import nbformat
import pytest
from cxtoolkit import resources

NB_DIR = resources.notebooks_dir()


@pytest.fixture(scope="module")
def client_data(tmp_path_factory):
    from conftest import write_demo_client

    root = tmp_path_factory.mktemp("journey_nb") / "client_data"
    write_demo_client(root, n_contacts=6_000, n_responses=1_500, months=2)
    return root


def _run(name, client_data, tmp_path, **params):
    import papermill as pm

    out = tmp_path / name
    pm.execute_notebook(str(NB_DIR / name), str(out), kernel_name="python3", execution_timeout=300,
                        cwd=str(NB_DIR), progress_bar=False,
                        parameters={"client": "demo", "client_data": str(client_data), **params})
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "\n".join(str(o.get("data", {}).get("text/markdown", "")) + str(o.get("text", ""))
                     for o in outputs)
    figs = sum("application/vnd.plotly.v1+json" in o.get("data", {}) for o in outputs)
    return text, figs


def test_committed_without_outputs_and_parameters_cell():
    for name in ("journey.ipynb", "verbatims.ipynb"):
        nb = nbformat.read(NB_DIR / name, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert "parameters" in code[0].metadata.get("tags", [])
        assert all(not c.outputs and c.execution_count is None for c in code)
        assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.notebook
@pytest.mark.slow
def test_journey_notebook_comments_in_english(client_data, tmp_path):
    out_dir = tmp_path / "out"
    text, figs = _run("journey.ipynb", client_data, tmp_path, locale="en", out_dir=str(out_dir))
    assert "Main friction point:" in text
    assert "benchmark" in text                          # cross-country section commented
    assert figs >= 4
    assert (out_dir / "friction_map.csv").is_file()


@pytest.mark.notebook
@pytest.mark.slow
def test_verbatims_notebook_comments_in_french(client_data, tmp_path):
    text, figs = _run("verbatims.ipynb", client_data, tmp_path, locale="fr")
    assert "Irritant principal" in text and "Gravité" in text
    assert figs >= 2
    assert "@" not in text                              # examples are masked
