"""Faults during audits: a hanging notebook, a dying kernel, a worker killed mid-audit, a
full disk. Each ends with a clear status in the manifest and in the batch summary, never
shows a half-written report as complete, and a re-run completes.

All use ``tests/data/tiny_fault.ipynb``, which misbehaves as told by
``<client_data>/<client>/fault.txt`` (hang, die, kill_worker).
"""
from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from cxtoolkit.audit import runner
from cxtoolkit.audit.batch import run_batch, summary_table
from cxtoolkit.audit.runner import run_audit

DATA = Path(__file__).parent / "data"
FAULT_NB = DATA / "tiny_fault.ipynb"
pytestmark = pytest.mark.notebook


def _clients(root: Path, faults: dict[str, str]) -> Path:
    from conftest import write_client

    cd = root / "client_data"
    for slug, fault in faults.items():
        write_client(cd, slug, {"name": slug}, {"fault.txt": fault} if fault else {})
        marker = cd / slug / "fault.txt"
        if not fault and marker.exists():
            marker.unlink()
    return cd


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def _no_leftovers(parent: Path) -> bool:
    return not any(p.name.startswith(".") for p in parent.iterdir())


@pytest.mark.parametrize("fault, expected", [("hang", "time limit"), ("die", "DeadKernelError")])
def test_hanging_notebook_and_dying_kernel_then_rerun(tmp_path, fault, expected):
    cd = _clients(tmp_path, {"acme": fault})
    out = tmp_path / "reports"
    res = run_audit("acme", period="2026-10", client_data=cd, out=out, timeout=6, notebooks=[FAULT_NB],
                    warehouse=False)
    assert res.status == "failed"
    nb = res.notebooks[0]
    assert nb.status == "failed" and expected in nb.error and "\n" not in nb.error
    assert nb.duration_s < 60
    m = _manifest(res.folder)
    assert m["status"] == "failed" and m["notebooks"][0]["status"] == "failed"
    # the partial report says so
    html = (res.folder / "tiny_fault.html").read_text(encoding="utf-8")
    # in the client's language only (French by default), not side by side with English
    assert "Rapport incomplet" in html and "Incomplete report" not in html and "Erreur / Error" not in html
    index = (res.folder / "index.html").read_text(encoding="utf-8")
    assert "Échec" in index          # the client's language (French by default)
    # re-run once the cause is gone: completes and replaces the failed audit
    _clients(tmp_path, {"acme": ""})
    again = run_audit("acme", period="2026-10", client_data=cd, out=out, timeout=60, notebooks=[FAULT_NB],
                      warehouse=False)
    assert again.status == "ok" and _manifest(again.folder)["status"] == "ok"
    assert "Rapport incomplet" not in (again.folder / "tiny_fault.html").read_text(encoding="utf-8")
    assert _no_leftovers(out / "acme")


def _enospc(*_a, **_k):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_disk_full_while_writing_a_report(tmp_path, monkeypatch):
    cd = _clients(tmp_path, {"acme": ""})
    out = tmp_path / "reports"
    good = run_audit("acme", period="2026-10", client_data=cd, out=out, timeout=60, notebooks=[FAULT_NB],
                     warehouse=False)
    assert good.status == "ok"
    # 1. the disk fills while the HTML report is written: nothing half-written is published,
    #    a failed manifest takes the audit's place
    monkeypatch.setattr(runner, "notebook_to_html", _enospc)
    res = run_audit("acme", period="2026-10", client_data=cd, out=out, timeout=60, notebooks=[FAULT_NB],
                    warehouse=False)
    assert res.status == "failed" and "No space left on device" in res.error
    m = _manifest(out / "acme" / "2026-10")
    assert m["status"] == "failed" and m["published"] is True and "Errno 28" in m["error"]
    assert sorted(p.name for p in (out / "acme" / "2026-10").iterdir()) == ["manifest.json"]
    # 2. the disk is so full even the manifest cannot be written: the last audit stays as it was
    monkeypatch.setattr(runner, "write_manifest", _enospc)
    res = run_audit("acme", period="2026-10", client_data=cd, out=out, timeout=60, notebooks=[FAULT_NB],
                    warehouse=False)
    assert res.status == "failed" and res.manifest["published"] is False
    assert _manifest(out / "acme" / "2026-10")["error"] == m["error"]
    assert _no_leftovers(out / "acme")
    # 3. only the workbook writer fails: that step is marked failed, the audit too
    monkeypatch.undo()
    import cxtoolkit.audit.workbook as wb

    monkeypatch.setattr(wb, "write_workbook", _enospc)
    monkeypatch.setattr(runner.collect, "compute_views", lambda *a, **k: runner.collect.KpiViews(
        "ok", views={"overall": __import__("pandas").DataFrame({"offered": [1]}, index=["overall"])}))
    res = run_audit("acme", period="2026-10", client_data=cd, out=out, timeout=60, notebooks=[FAULT_NB],
                    warehouse=False)
    m = _manifest(res.folder)
    assert m["status"] == "failed" and m["steps"]["workbook"]["status"] == "failed"
    assert "No space left" in m["steps"]["workbook"]["reason"] and not (res.folder / "kpis.xlsx").exists()
    # 4. space freed: the re-run completes
    monkeypatch.undo()
    again = run_audit("acme", period="2026-10", client_data=cd, out=out, timeout=60, notebooks=[FAULT_NB],
                      warehouse=False)
    assert again.status == "ok" and (again.folder / "tiny_fault.html").is_file()


def test_disk_full_through_the_cli_is_one_line_and_exit_1(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from cxtoolkit.cli.main import app

    cd = _clients(tmp_path, {"acme": ""})
    monkeypatch.setattr(runner, "notebook_to_html", _enospc)
    res = CliRunner().invoke(app, ["audit", "acme", "--client-data", str(cd), "--out", str(tmp_path / "r"),
                                   "--notebooks", str(FAULT_NB), "--timeout", "60"])
    assert res.exit_code == 1, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert "No space left on device" in res.output and "Traceback" not in res.output


def test_batch_with_a_killed_worker_then_rerun(tmp_path):
    faults = {"good": "", "killer": "kill_worker"}
    cd = _clients(tmp_path, faults)
    out = tmp_path / "reports"
    res = run_batch(list(faults), period="2026-10", client_data=cd, out=out, workers=2, timeout=60,
                    notebooks=[str(FAULT_NB)], progress=False, warehouse=False)
    by = {o.client: o for o in res.outcomes}
    assert [o.client for o in res.outcomes] == list(faults)
    assert by["good"].status == "ok" and by["good"].error is None          # not collateral damage
    assert by["killer"].status == "failed" and by["killer"].error.startswith("worker crashed")
    assert res.exit_code == 1 and len(res.failed) == 1
    # each status is in its manifest (the killed worker's is written by the parent)
    assert _manifest(out / "good" / "2026-10")["status"] == "ok"
    crashed = _manifest(out / "killer" / "2026-10")
    assert crashed["status"] == "failed" and crashed["error"].startswith("worker crashed")
    assert sorted(p.name for p in (out / "killer" / "2026-10").iterdir()) == ["manifest.json"]  # nothing half-written
    # and in the summary table
    from rich.console import Console

    console = Console(record=True, width=250)
    console.print(summary_table(res, "en"))
    text = console.export_text()
    assert "1 ok, 1 failed" in text and "worker crashed" in text
    console = Console(record=True, width=250)
    console.print(summary_table(res))                     # the clients' language (French by default)
    text = console.export_text()
    assert "1 ok, 1 en échec" in text and "processus de l'audit (arrêté net)" in text
    # re-run once the cause is gone: completes, replaces the crash record, no leftovers
    _clients(tmp_path, {"killer": ""})
    again = run_audit("killer", period="2026-10", client_data=cd, out=out, timeout=60, notebooks=[FAULT_NB],
                      warehouse=False)
    assert again.status == "ok" and _manifest(out / "killer" / "2026-10")["status"] == "ok"
    assert _no_leftovers(out / "killer")


@pytest.mark.parametrize("locale, shown, hidden", [("en", "Incomplete report", "Rapport incomplet"),
                                                   ("fr", "Rapport incomplet", "Incomplete report")])
def test_a_failed_page_banner_is_in_the_audit_language(tmp_path, locale, shown, hidden):
    import nbformat

    from cxtoolkit.audit.export import notebook_to_html

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1/0", outputs=[nbformat.v4.new_output(
        "error", ename="ZeroDivisionError", evalue="division by zero", traceback=["Traceback", "line"])])])
    html = notebook_to_html(nb, tmp_path / "p.html", title="KPIs", failed="ZeroDivisionError: division by zero",
                            locale=locale).read_text(encoding="utf-8")
    assert shown in html and hidden not in html and " / Error" not in html and "Erreur / " not in html
    assert ("Error: ZeroDivisionError" if locale == "en" else "Erreur : ZeroDivisionError") in html
