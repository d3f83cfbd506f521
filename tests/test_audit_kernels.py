"""The audit's kernels (cxtoolkit.audit.kernels): started ahead and reused by the notebooks
of a worker, without leaking one notebook's state into the next; a notebook that fails or
runs out of time retires its kernel; papermill saves once; the HTML export splices large
outputs back verbatim."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from cxtoolkit.audit import export, kernels
from cxtoolkit.audit.export import has_plotly_chart
from cxtoolkit.audit.runner import execute_notebook, run_audit

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.notebook


def _client(root: Path, slug: str = "acme") -> Path:
    from conftest import write_client

    write_client(root / "client_data", slug, {"name": slug})
    return root / "client_data"


def _notebook(path: Path, *sources: str) -> Path:
    """A notebook declaring ``out_dir`` whose code cells are ``sources``."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [nbformat.v4.new_code_cell("out_dir = ''", metadata={"tags": ["parameters"]}),
                *(nbformat.v4.new_code_cell(s) for s in sources)]
    nbformat.write(nb, str(path))
    return path


RECORD = ("import json, os, pathlib\n"
          "pathlib.Path(out_dir, pathlib.Path(os.getcwd()).name + '-' + '{name}' + '.json').write_text(json.dumps("
          "{{'pid': os.getpid(), 'leak': 'leaked_value' in globals(), 'cwd': os.getcwd(),"
          " 'renderer': os.environ.get('PLOTLY_RENDERER'), 'cache': os.environ.get('CXTOOLKIT_CACHE_DIR')}}))")


def test_notebooks_share_a_kernel_without_sharing_state(tmp_path):
    cd = _client(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = _notebook(tmp_path / "a" / "first.ipynb", "leaked_value = 42", RECORD.format(name="first"))
    second = _notebook(tmp_path / "b" / "second.ipynb", RECORD.format(name="second"))
    res = run_audit("acme", period="2026-10", client_data=cd, out=tmp_path / "r", jobs=1, warehouse=False,
                    notebooks=[first, second])
    assert res.status == "ok", res.error
    seen = {p.stem.split("-")[1]: json.loads(p.read_text()) for p in res.folder.glob("*.json")
            if p.name != "manifest.json"}
    assert seen["first"]["pid"] == seen["second"]["pid"]           # one kernel for both notebooks
    assert seen["first"]["leak"] is True and seen["second"]["leak"] is False   # a fresh namespace each
    assert Path(seen["first"]["cwd"]).name == "a" and Path(seen["second"]["cwd"]).name == "b"
    assert seen["second"]["renderer"] == "plotly_mimetype+notebook"
    assert seen["second"]["cache"] and seen["second"]["cache"] == seen["first"]["cache"]
    nb = nbformat.read(res.folder / "notebooks" / "second.ipynb", as_version=4)
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts[0] == 1                                          # counts restart in a reused kernel
    assert kernels.current() is None                               # the audit's kernel is shut down


def test_each_report_of_a_reused_kernel_carries_plotly(tmp_path):
    cd = _client(tmp_path)
    src = nbformat.read(DATA / "tiny_chart.ipynb", as_version=4)
    paths = []
    for name in ("chart_a", "chart_b"):
        nbformat.write(src, str(tmp_path / f"{name}.ipynb"))
        paths.append(tmp_path / f"{name}.ipynb")
    res = run_audit("acme", period="2026-10", client_data=cd, out=tmp_path / "r", jobs=1, warehouse=False,
                    notebooks=paths)
    assert res.status == "ok", res.error
    for name in ("chart_a", "chart_b"):                            # plotly.js inlined again after the reset
        assert has_plotly_chart((res.folder / f"{name}.html").read_text(encoding="utf-8")), name


def test_a_timed_out_notebook_retires_its_kernel(tmp_path):
    cd = _client(tmp_path)
    slow = _notebook(tmp_path / "slow.ipynb", "print('before the sleep')", "import time\ntime.sleep(120)")
    after = _notebook(tmp_path / "after.ipynb", "import os\nprint('pid', os.getpid())")
    res = run_audit("acme", period="2026-10", client_data=cd, out=tmp_path / "r", jobs=1, warehouse=False,
                    timeout=5, notebooks=[slow, after])
    by = {n.name: n for n in res.notebooks}
    assert by["slow"].status == "failed" and "5 s" in by["slow"].error and by["slow"].duration_s < 60
    assert by["after"].status == "ok"                              # a new kernel, not one busy sleeping
    nb = nbformat.read(res.folder / "notebooks" / "slow.ipynb", as_version=4)
    outs = [o.get("text", "") for c in nb.cells for o in c.get("outputs", [])]
    assert any("before the sleep" in t for t in outs)              # the cells run before the limit are kept


def test_kernel_prepare_resets_and_retire_replaces(tmp_path):
    k = kernels.Kernel({"CXTOOLKIT_TEST_VAR": "x"}, warm=("no_such_module_cx", "json"))   # a failed warm-up
    # import must not abort the notebook queued behind it
    try:
        k.start()
        first = k.pid()
        assert first and k.prepare(tmp_path) is k.km and k.used == 1
        k.retire()                                                  # a successor is started at once
        assert k.pid() not in (None, first) and k.started == 2
    finally:
        k.close()
    assert k.km is None


def test_papermill_saves_the_output_once(tmp_path, monkeypatch):
    import papermill.engines
    import papermill.execute

    saves = []
    for mod in (papermill.engines, papermill.execute):
        real = mod.write_ipynb
        monkeypatch.setattr(mod, "write_ipynb", lambda nb, path, _r=real, **kw: (saves.append(path), _r(nb, path, **kw)))
    src = _notebook(tmp_path / "n.ipynb", "a = 1", "b = 2", "c = 3")
    status, error, _ = execute_notebook(src, tmp_path / "out.ipynb", {"out_dir": ""}, timeout=120)
    assert status == "ok", error
    assert len(saves) <= 2          # papermill's start and end, not before and after each cell


def test_large_outputs_are_spliced_back_verbatim(tmp_path):
    big = "<script>var x = '" + "ab&<>" * 80_000 + "';</script><div id='cx-marker'>  spaced  </div>"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[
        nbformat.v4.new_output("display_data", data={"text/html": big})])])
    out = export.notebook_to_html(nb, tmp_path / "r.html", title="t")
    html = out.read_text(encoding="utf-8")
    assert html.count(big) == 1 and "cxtoolkit-output-" not in html
    bad = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[
        nbformat.v4.new_output("display_data", data={"text/html": big + "fetch('https://cdn.example.org/x')"})])])
    with pytest.raises(ValueError, match="not self-contained"):
        export.notebook_to_html(bad, tmp_path / "bad.html")


def test_a_kernel_dead_at_start_is_replaced_at_once(tmp_path, monkeypatch):
    """A kernel that dies before answering (one that could not bind its ports when several
    start at once: 'Address already in use') is replaced within seconds, not after the
    prepare time limit (a clean-clone CI run waited 120 s for one)."""
    import os
    import signal
    import time

    monkeypatch.setattr(kernels, "PREPARE_TIMEOUT", 60)
    k = kernels.Kernel(warm=("json",))
    try:
        k.start()
        dead = k.pid()
        os.kill(dead, signal.SIGKILL)
        t0 = time.monotonic()
        assert k.prepare(tmp_path) is k.km
        assert time.monotonic() - t0 < 30 and k.pid() not in (None, dead) and k.started == 2
    finally:
        k.close()
