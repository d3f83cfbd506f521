"""What keeps the audit's wall time down (benchmarks/bench_audit.py): the command and its
notebook workers end without tearing the interpreter down, the workers and kernels yield the
processor to the runner, the audit's tables are scrubbed in one pass, each notebook's
parameters cell is read once. Each test fails when its mechanism
is gone."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from cxtoolkit.audit import runner

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.notebook


def _client(root: Path, slug: str = "acme") -> Path:
    from conftest import write_client

    write_client(root / "client_data", slug, {"name": f"{slug.title()} SA"})
    return root / "client_data"


def test_the_audit_command_ends_without_teardown(tmp_path):
    """``cxtoolkit audit`` ends its process the quick way once the audit is published
    (:func:`cxtoolkit._speedups.end_process`: ~0.5 s of CPU freeing pandas, plotly, nbconvert,
    the tables one by one), with its whole ``--json`` on stdout and the reports in place."""
    cd = _client(tmp_path)
    code = textwrap.dedent("""
        import os, sys
        real = os._exit
        def marked(code):
            sys.stderr.write(f"QUICK {code}\\n"); sys.stderr.flush(); real(code)
        os._exit = marked
        sys.argv = ["cxtoolkit", *sys.argv[1:]]
        from cxtoolkit.cli.main import main
        main()
    """)
    res = subprocess.run([sys.executable, "-c", code, "audit", "acme", "--period", "2026-10", "--client-data", str(cd),
                          "--out", str(tmp_path / "reports"), "--notebooks", str(DATA / "tiny_ok.ipynb"),
                          "--jobs", "1", "--json"], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "QUICK 0" in res.stderr.splitlines()
    manifest = json.loads(res.stdout)
    assert manifest["status"] == "ok" and [n["status"] for n in manifest["notebooks"]] == ["ok"]
    folder = tmp_path / "reports" / "acme" / "2026-10"
    assert (folder / "index.html").is_file() and (folder / "tiny_ok.html").is_file()
    assert json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["status"] == "ok"


def test_a_notebook_worker_yields_to_the_runner_and_ends_without_teardown(tmp_path):
    """A notebook worker and its kernel run :data:`~cxtoolkit.audit.execute.WORKER_NICENESS`
    nicer than the runner (whose steps are the audit's critical path: the kernels wait for
    them); the worker ends with :func:`cxtoolkit.audit.execute.end_worker` once its kernel is
    shut down (the runner waits for its workers at the end of every audit: ~0.4 s with their
    teardown), after its other finalizers, exit status 0."""
    from cxtoolkit.audit.execute import WORKER_NICENESS

    pool = runner._notebook_pool(2)
    mark = "import os, time\nreal = os._exit\n" \
        "def marked(code):\n" \
        f"    open({str(tmp_path)!r} + '/' + str(os.getpid()), 'w').write(str(code)); real(code)\n" \
        "os._exit = marked\ntime.sleep(1)\n"
    niceness = "(__import__('os').nice(0), __import__('os').getpriority(0, " \
        "__import__('cxtoolkit.audit.kernels', fromlist=['k']).current().pid()))"
    try:
        worker, kernel = pool.submit(eval, niceness).result(timeout=120)
        for fut in [pool.submit(exec, mark, {}) for _ in range(2)]:
            fut.result(timeout=120)
        procs = list(pool._processes.values())
    finally:
        pool.shutdown(wait=True)
    assert WORKER_NICENESS > 0 and worker == kernel == min(19, __import__("os").nice(0) + WORKER_NICENESS)
    marks = sorted(p.read_text() for p in tmp_path.iterdir())
    assert marks and set(marks) == {"0"}
    assert all(p.exitcode == 0 for p in procs)


def _frames():
    a = pd.DataFrame({"theme": ["livraison", "appel de jo@x.fr"], "n": [3, 4], "who": ["K0042", None]})
    b = pd.DataFrame({"note": ["rappeler le +33 6 12 34 56 78", "", "0.25"], "tags": [["K0042 ok", "x"], [], None]})
    c = pd.DataFrame({"kpi": ["nps"], "value": ["-0.116"]})
    return [a, b, c]


def test_results_frames_scrubbed_together_as_each_alone(monkeypatch):
    """The privacy guard scrubs all the frames of a results document in one masking pass
    (an audit keeps ~35 frames: one pass each cost ~0.25 s), and the result is each frame's
    own: the same as scrubbing it alone."""
    import cxtoolkit.pii as pii

    guard = runner._PrivacyGuard(frozenset({"K0042"}))
    guard._key = b"k"
    alone = [guard.frame(df) for df in _frames()]
    calls = []
    mask = pii.mask_pii
    monkeypatch.setattr(pii, "mask_pii", lambda *a, **k: calls.append(1) or mask(*a, **k))
    together = guard.frames(_frames())
    assert len(calls) == 1
    for x, y in zip(together, alone):
        pd.testing.assert_frame_equal(x, y)
    assert together[0]["theme"].tolist() == ["livraison", "appel de [EMAIL]"]
    assert together[1]["tags"].iloc[0][0].startswith("p_") and together[2]["value"].tolist() == ["-0.116"]


def test_a_results_page_is_scrubbed_in_one_pass(monkeypatch, tmp_path):
    """:func:`cxtoolkit.pipeline.store.save_page` hands the guard every frame of the page at
    once (and :func:`~cxtoolkit.pipeline.store.save` no empty list), and keeps what it returns."""
    from cxtoolkit.pipeline import store
    from cxtoolkit.pipeline.results import AuditResults

    seen = []

    def scrub(frames):
        seen.append(len(frames))
        return [df.assign(**{c: "X" for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])}) for df in frames]

    a, b, c = _frames()
    res = AuditResults(client="acme", client_name="Acme", period="2026-10", locale="fr", currency="EUR",
                       pages={"kpis": {"a": a, "parts": [b[["note"]], c]}}, params={"kpis": {}})
    store.save(res, tmp_path, scrub=scrub)
    assert seen == [3]
    back = store.load(tmp_path).pages["kpis"]
    assert back["a"]["theme"].tolist() == ["X", "X"] and back["parts"][1]["value"].tolist() == ["X"]


def test_csv_exports_scrubbed_in_one_pass(monkeypatch, tmp_path):
    """The notebooks' CSV exports (~20 files) are scrubbed in one masking pass; each file is
    rewritten only when something changed."""
    import cxtoolkit.pii as pii

    pd.DataFrame({"theme": ["appel de jo@x.fr"], "n": [1]}).to_csv(tmp_path / "a.csv", index=False)
    pd.DataFrame({"kpi": ["nps"], "value": ["-0.116"]}).to_csv(tmp_path / "b.csv", index=False)
    pd.DataFrame({"note": ["tel +33 6 12 34 56 78"]}).to_csv(tmp_path / "c.csv", index=False)
    before = (tmp_path / "b.csv").stat().st_mtime_ns
    calls = []
    mask = pii.mask_pii
    monkeypatch.setattr(pii, "mask_pii", lambda *a, **k: calls.append(1) or mask(*a, **k))
    runner._PrivacyGuard(frozenset()).csv_exports(tmp_path)
    assert len(calls) == 1
    assert pd.read_csv(tmp_path / "a.csv")["theme"].tolist() == ["appel de [EMAIL]"]
    assert pd.read_csv(tmp_path / "c.csv")["note"].tolist() == ["tel [PHONE]"]
    assert (tmp_path / "b.csv").stat().st_mtime_ns == before


def test_each_parameters_cell_is_read_once_per_audit(tmp_path, monkeypatch):
    """A notebook's ``parameters`` cell (papermill's inspection and nbformat) is read once per
    audit: for the parsed-table cache decision and for the parameters passed."""
    read = []
    declared = runner.declared_parameters
    monkeypatch.setattr(runner, "declared_parameters", lambda p: read.append(Path(p).name) or declared(p))
    res = runner.run_audit("acme", period="2026-10", client_data=_client(tmp_path), out=tmp_path / "reports",
                           jobs=1, warehouse=False, notebooks=[DATA / "tiny_ok.ipynb", DATA / "tiny_noparams.ipynb"])
    assert res.status == "ok", res.error
    assert sorted(read) == ["tiny_noparams.ipynb", "tiny_ok.ipynb"]
    assert res.manifest["notebooks"][0]["parameters"]["period_start"] == "2026-10-01"
