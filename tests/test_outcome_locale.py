"""What failed in an audit or a batch, said in the consultant's language: the batch summary's
headings, statuses and durations, a failed report's or step's framing (the error's own text,
the technical detail, after it), an input error of a client rendered in its language without
its class name. The manifest and ``--json`` keep their English lines (scripts read them)."""
from __future__ import annotations

import re

import pytest
from rich.console import Console

from cxtoolkit.audit import batch as B
from cxtoolkit.audit.collect import failure_said, line_said
from cxtoolkit.audit.runner import AuditResult, NotebookResult


def _outcomes():
    return [B.ClientOutcome("acme", "ok", 12.25, folder="/r/acme/2026-10"),
            B.ClientOutcome("beta", "failed", 3.5, error="kpis: ValueError: bad data",
                            said="échec du rapport kpis : ValueError: bad data")]


def _table(result, locale=None) -> str:
    console = Console(record=True, width=250)
    console.print(B.summary_table(result, locale))
    return console.export_text()


def test_the_batch_summary_is_in_the_batch_language():
    res = B.BatchResult(_outcomes(), 15.94, 2, "processes", "fr")
    fr = _table(res)
    for said in ("Audits — 1 ok, 1 en échec, 15,9 s (processus locaux)", "Statut", "Durée (s)", "Erreur",
                 "Dossier", "échec", "12,3", "échec du rapport kpis : ValueError: bad data"):
        assert said in fr, said
    assert not re.search(r"\b(Status|Duration|Error|Folder|failed|processes)\b|/ ", fr), fr
    en = _table(res, "en")
    for said in ("Audits — 1 ok, 1 failed, 15.9 s (processes)", "Status", "Duration (s)", "Error", "Folder",
                 "failed", "12.3"):
        assert said in en, said
    assert not re.search(r"Statut|Durée|Erreur|Dossier|échec", en.replace("échec du rapport", "")), en


def test_the_json_of_a_batch_keeps_the_english_lines():
    res = B.BatchResult(_outcomes(), 15.94, 2, "processes", "fr")
    row = res.to_dict()["clients"][1]
    assert row["error"] == "kpis: ValueError: bad data" and "said" not in row and row["status"] == "failed"


def test_what_failed_is_framed_in_the_locale_with_the_technical_detail_after():
    assert failure_said("deck", "OSError: [Errno 28] No space left", "fr") == \
        "échec de l'étape présentation : OSError: [Errno 28] No space left"
    assert failure_said("deck", "OSError: [Errno 28] No space left", "en") == "deck: OSError: [Errno 28] No space left"
    assert line_said("publication: OSError: disk full", "fr") == "échec de l'étape publication : OSError: disk full"
    assert line_said("publication: OSError: disk full", "en") == "publication: OSError: disk full"
    nb = NotebookResult("journey", "failed", error="KeyError: 'stage'")
    res = AuditResult("acme", "2026-10", "failed", None, {"steps": {}}, [nb], {})
    assert res.error == "journey: KeyError: 'stage'"                         # the manifest's line
    assert res.error_said("fr") == "échec du rapport journey : KeyError: 'stage'"
    assert res.error_said("en") == res.error
    step = AuditResult("acme", "2026-10", "failed", None, {"steps": {"workbook": {"status": "failed",
                                                                              "reason": "PermissionError: x"}}}, [], {})
    assert (step.error, step.error_said("fr")) == ("workbook: PermissionError: x",
                                                   "échec de l'étape classeur KPI : PermissionError: x")


def test_a_crashed_worker_is_said_in_the_batch_language_and_kept_in_english():
    r = B._crashed("acme", RuntimeError("killed"), published=False)
    assert r["error"] == "worker crashed: RuntimeError: killed (audit not published; re-run it)"
    said = failure_said("worker crashed", r["crash"], "fr")
    assert said == "échec de l'étape processus de l'audit (arrêté net) : RuntimeError: killed"


def test_a_client_s_input_error_in_a_batch_is_said_in_its_language_without_its_class(tmp_path):
    from conftest import write_client

    cd = tmp_path / "client_data"
    write_client(cd, "badyml", {"locale": "fr", "kpi": {"short_abandon_s": -1}})
    r = B.audit_job({"client": "badyml", "client_data": str(cd), "out": str(tmp_path / "out"), "locale": ""})
    assert r["status"] == "failed"
    assert r["error"].startswith("InputError: ") and "Input should be greater than or equal to 0" in r["error"]
    assert r["said"].endswith("client.yml : kpi.short_abandon_s (ligne 4) : doit être supérieur ou égal à 0")
    r = B.audit_job({"client": "badyml", "client_data": str(cd), "out": str(tmp_path / "out"), "locale": "en"})
    assert r["said"].endswith("client.yml: kpi.short_abandon_s (line 4): Input should be greater than or equal to 0")


@pytest.mark.parametrize("locales, option, env, want", [
    (["fr", "fr"], None, "C", "fr"),          # the clients' language
    (["en", "en"], None, "fr_FR.UTF-8", "en"),
    (["fr", "en"], None, "fr_FR.UTF-8", "fr"),   # mixed: the environment's
    (["fr", "en"], None, "C", "en"),
    (["fr", "fr"], "en", "C", "en"),          # --locale first
])
def test_the_batch_language(tmp_path, monkeypatch, locales, option, env, want):
    from conftest import write_client

    from cxtoolkit import messages as M

    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", env)
    cd = tmp_path / "client_data"
    for i, loc in enumerate(locales):
        write_client(cd, f"c{i}", {"locale": loc})
    write_client(cd, "broken", "client: broken\nname: [\n")     # unreadable: counts for none
    assert B.batch_locale([f"c{i}" for i in range(len(locales))] + ["broken"], cd, option) == want
    assert M._CLIENT_READ == []                                # nothing left for the next error line


def _text_of(html_path) -> str:
    import html as H

    s = re.sub(r"<(script|style).*?</\1>", "", html_path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", H.unescape(re.sub(r"<[^>]+>", " ", s)))


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_an_audit_on_a_missing_file_says_why_in_its_language(tmp_path, locale):
    from conftest import write_client

    from cxtoolkit.audit.runner import run_audit

    cd = tmp_path / "client_data"
    write_client(cd, "acme", {"locale": locale, "data": {"contacts": "nope.csv"}})
    res = run_audit("acme", period="2026-10", client_data=cd, out=tmp_path / "out", notebooks=["house"],
                    warehouse=False, jobs=1)
    data = res.manifest["steps"]["data"]
    assert data["reason"] == "InputError: nope.csv: file not found"        # the manifest's English line
    page = _text_of(res.folder / "index.html")
    if locale == "fr":
        assert data["said"] == "nope.csv : fichier introuvable"
        assert res.error_said("fr") == "échec de l'étape données : nope.csv : fichier introuvable"
        assert "Données : Échec nope.csv : fichier introuvable" in page
        assert "house.ipynb introuvable dans" in page                   # the skipped notebook's reason
        assert not re.search(r"InputError|file not found|not found in", page), page
    else:
        assert res.error == "data: InputError: nope.csv: file not found"      # the manifest's line
        assert res.error_said("en") == "data: nope.csv: file not found"       # said without the class name
        assert "nope.csv: file not found" in page and "house.ipynb not found in" in page


def test_why_the_kpi_history_waits_is_said_in_the_audit_language(tmp_path, monkeypatch):
    import pandas as pd

    from cxtoolkit.audit import warehouse as wh

    rows = pd.DataFrame({"client": ["acme"], "period": ["2026-10"], "period_start": ["2026-10-01"],
                         "period_end": ["2026-10-31"], "segment_by": ["overall"], "segment": ["overall"],
                         "kpi": ["answer_rate"], "value": [0.9], "n": [100.0], "se": [None], "status": [None]})

    def locked(*a, **k):
        raise wh.WarehouseBusy("w.duckdb", " (PID 42)")

    monkeypatch.setattr(wh, "append", locked)
    step = wh.store(tmp_path / "w.duckdb", rows, locale="fr")
    assert step["status"] == "pending"
    assert step["reason"] == ("warehouse w.duckdb is locked by another process (PID 42); this audit's KPI rows are "
                              "kept in w.duckdb.pending/ and will be stored by the next audit")      # as before
    assert step["said"] == ("l'entrepôt w.duckdb est verrouillé par un autre processus (PID 42) ; les lignes KPI de "
                            "cet audit sont gardées dans w.duckdb.pending/ et seront enregistrées par le prochain audit")
    assert "said" not in wh.store(tmp_path / "w.duckdb", rows)


def _raising_notebook(folder, name="house"):
    """A notebook whose kernel raises an input error (a client file it reads itself)."""
    import nbformat

    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "language": "python",
                                                         "display_name": "Python 3"}})
    params = nbformat.v4.new_code_cell('client = ""\nlocale = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(
        'from cxtoolkit.errors import InputError\nraise InputError("error.io.empty_file", name="calls.csv")')]
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")
    return folder


@pytest.mark.parametrize("locale, jobs", [("fr", 1), ("fr", 2), ("en", 1)])   # 2: kernels started ahead
def test_an_input_error_raised_in_a_kernel_is_said_in_the_audit_language(tmp_path, locale, jobs):
    from conftest import write_client

    from cxtoolkit.audit.runner import run_audit

    cd = tmp_path / "client_data"
    write_client(cd, "acme", {"locale": locale})
    events = []
    nbs = _raising_notebook(_raising_notebook(tmp_path / "nbs", "house2"))   # two: a pool with 2 jobs
    res = run_audit("acme", period="2026-10", client_data=cd, out=tmp_path / "out", notebooks=["house", "house2"][:jobs],
                    notebook_dir=nbs, warehouse=False, jobs=jobs,
                    progress=events.append)
    nb = res.manifest["notebooks"][0]
    assert nb["status"] == "failed" and nb["error"] == "InputError: calls.csv: empty file"   # the manifest's English
    end = next(e for e in events if e["event"] == "notebook_end")
    index, page = _text_of(res.folder / "index.html"), _text_of(res.folder / "house.html")
    if locale == "fr":
        assert nb["said"] == "calls.csv : fichier vide"
        assert end["said"] == "calls.csv : fichier vide"                                     # the CLI's line
        assert res.error_said("fr") == "échec du rapport house : calls.csv : fichier vide"
        assert "calls.csv : fichier vide" in index and "calls.csv : fichier vide" in page
        assert "empty file" not in index
    else:                                                                                  # as before
        assert "said" not in nb and end["said"] == "InputError: calls.csv: empty file"
        assert res.error_said("en") == "house: InputError: calls.csv: empty file"
        assert "fichier vide" not in page


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_why_a_step_was_skipped_is_said_in_the_audit_language(tmp_path, locale):
    from conftest import write_client

    from cxtoolkit.audit.runner import run_audit

    cd = tmp_path / "client_data"
    write_client(cd, "acme", {"locale": locale})                 # no data files
    res = run_audit("acme", period="2026-10", client_data=cd, out=tmp_path / "out", notebooks=["house"],
                    warehouse=False, jobs=1)
    steps = res.manifest["steps"]
    assert steps["data"]["reason"] == steps["workbook"]["reason"] == "client.yml declares no data files"
    page = _text_of(res.folder / "index.html")
    if locale == "fr":
        assert "Données : Ignoré client.yml ne déclare aucun fichier de données" in page, page
        assert "declares no data" not in page
    else:
        assert "client.yml declares no data files" in page


@pytest.mark.parametrize("reason", ["no KPI views", "no contacts, daily reports nor responses",
                                    "client.yml declares no data files",
                                    "ingestion or KPI engine not available in this version",
                                    "no responses data (client.yml data.responses)", "no contacts rows in the period",
                                    "no contacts, daily_reports nor responses data", "kpis.ipynb not found in /w"])
def test_every_skip_reason_of_an_audit_is_said_from_the_catalogue(reason):
    from cxtoolkit.report.tables import skip_reason

    assert skip_reason(reason, "en") == reason                               # the manifest's English
    said = skip_reason(reason, "fr")
    assert said != reason and not re.search(r"\b(no|rows|not found|views|declares)\b|\bdata\b(?!\.)", said), said


def test_a_failed_page_says_its_kernel_s_input_error_and_where_it_stopped_in_french():
    import nbformat

    from cxtoolkit.audit.export import PAPERMILL_ERROR_TAG, mark_incomplete
    from cxtoolkit.audit.kernels import SAID_KEY

    mark = {"tags": [PAPERMILL_ERROR_TAG]}
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("An Exception was encountered at 'In [2]'.", metadata=mark),
        nbformat.v4.new_markdown_cell("Execution using papermill encountered an exception here and stopped:",
                                      metadata=mark),
        nbformat.v4.new_code_cell("load()", outputs=[
            nbformat.v4.new_output("error", ename="InputError", evalue="calls.csv: empty file", traceback=["t"]),
            nbformat.v4.new_output("display_data", data={"text/plain": "calls.csv : fichier vide"},
                                   metadata={SAID_KEY: "calls.csv : fichier vide"})])])
    fr = mark_incomplete(nb, "calls.csv : fichier vide", "fr")
    said = [str(c.source) for c in fr.cells] + [o.get("text", "") for c in fr.cells for o in c.get("outputs", [])]
    assert said[1:] == ["**Le carnet s'est arrêté ici, sur l'erreur ci-dessous :**", "load()",
                        "Erreur : calls.csv : fichier vide\n"]
    assert not any(re.search(r"papermill|Exception|empty file", s) for s in said), said
    en = mark_incomplete(nb, "InputError: calls.csv: empty file", "en")                  # as before
    assert [str(c.source) for c in en.cells][1:3] == [str(c.source) for c in nb.cells][:2]
    assert en.cells[3].outputs[0]["text"] == "Error: InputError: calls.csv: empty file\n"


@pytest.mark.parametrize("error, fr", [
    ("HTML export: OSError: disk full", "échec du rapport kpis : export HTML : OSError: disk full"),
    ("notebook worker: BrokenProcessPool: gone", "échec du rapport kpis : processus du rapport : BrokenProcessPool: gone"),
    ("ValueError: bad", "échec du rapport kpis : ValueError: bad")])
def test_the_part_of_a_report_s_run_that_failed_is_said_in_the_audit_language(error, fr):
    res = AuditResult("acme", "2026-10", "failed", None, {}, [NotebookResult("kpis", "failed", error=error)], {})
    assert res.error_said("fr") == fr
    assert res.error_said("en") == res.error == f"kpis: {error}"                        # as before
