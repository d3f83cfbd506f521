"""The audit runner on tiny notebooks (tests/data/): manifest, reports, atomic re-run,
failures and time limits, workbook, CLI errors."""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from cxtoolkit.audit.export import check_self_contained, clean_html_output, has_plotly_chart
from cxtoolkit.audit.runner import run_audit
from cxtoolkit.audit.workbook import write_workbook
from cxtoolkit.errors import InputError

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.notebook


def _client(root: Path, slug: str = "acme") -> Path:
    from conftest import write_client

    write_client(root / "client_data", slug, {"name": f"{slug.title()} SA"})
    return root / "client_data"


@pytest.fixture(scope="module")
def first_audit(tmp_path_factory):
    root = tmp_path_factory.mktemp("audit")
    cd = _client(root)
    res = run_audit("acme", period="2026-10", client_data=cd, out=root / "reports", timeout=120,
                    notebooks=[DATA / "tiny_ok.ipynb", DATA / "tiny_chart.ipynb", DATA / "tiny_noparams.ipynb"])
    return root, res


def test_manifest_contents(first_audit):
    root, res = first_audit
    folder = root / "reports" / "acme" / "2026-10"
    assert res.status == "ok" and res.folder == folder.resolve()
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert m == json.loads(json.dumps(res.manifest, default=str)) or m["status"] == res.manifest["status"]
    assert m["status"] == "ok" and m["client"] == "acme" and m["period"] == "2026-10"
    assert m["period_start"] == "2026-10-01" and m["period_end"] == "2026-10-31"
    assert m["package_version"] and re.fullmatch(r"3\.\d+\.\d+", m["python_version"])
    assert m["started_at"] <= m["finished_at"] and m["duration_s"] > 0
    assert m["meta"] == {"tables": {}, "warnings": []}        # no data declared: nothing loaded
    # inputs: checksums and sizes of what was read
    yml = root / "client_data" / "acme" / "client.yml"
    entry = next(i for i in m["inputs"] if i["role"] == "client.yml")
    assert entry["sha256"] == hashlib.sha256(yml.read_bytes()).hexdigest() and entry["size"] == yml.stat().st_size
    nb_in = next(i for i in m["inputs"] if i["role"] == "notebook:tiny_ok")
    assert nb_in["sha256"] == hashlib.sha256((DATA / "tiny_ok.ipynb").read_bytes()).hexdigest()
    # per-notebook status and duration, relative output paths that exist
    assert [n["name"] for n in m["notebooks"]] == ["tiny_ok", "tiny_chart", "tiny_noparams"]
    for n in m["notebooks"]:
        assert n["status"] == "ok" and n["duration_s"] > 0 and n["error"] is None
        assert not Path(n["executed"]).is_absolute() and (folder / n["executed"]).is_file()
        assert (folder / n["html"]).is_file()
    outs = {o["path"]: o for o in m["outputs"]}
    assert {"index.html", "tiny_ok.html", "notebooks/tiny_ok.ipynb"} <= set(outs)
    assert "manifest.json" not in outs
    for p, o in outs.items():
        assert o["sha256"] == hashlib.sha256((folder / p).read_bytes()).hexdigest()
    # parameters: only declared names were passed, values validated
    assert m["notebooks"][0]["parameters"]["client"] == "acme"
    assert m["notebooks"][2]["parameters"] == {}
    assert m["parameters"]["timeout_s"] == 120


def test_parameters_injected_only_where_declared(first_audit):
    root, res = first_audit
    folder = res.folder
    nb = nbformat.read(folder / "notebooks" / "tiny_ok.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "client = \"acme\"" in injected[0].source
    assert "period_start = \"2026-10-01\"" in injected[0].source
    nb = nbformat.read(folder / "notebooks" / "tiny_noparams.ipynb", as_version=4)
    assert not any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)


def test_html_reports_are_code_free_and_self_contained(first_audit):
    _, res = first_audit
    chart = (res.folder / "tiny_chart.html").read_text(encoding="utf-8")
    assert has_plotly_chart(chart) and chart.count("plotly.js v") == 1
    assert "https://cdn" not in chart and not re.search(r"<script[^>]*src=[\"']?https?:", chart)
    assert "go.Figure(" not in chart and "import plotly" not in chart          # no code
    assert "jp-InputPrompt" not in chart.split("</style>")[-1]                  # no prompts
    assert "jp-OutputPrompt" not in chart.split("</style>")[-1]
    ok = (res.folder / "tiny_ok.html").read_text(encoding="utf-8")
    assert "tiny report for acme" in ok and "Acme SA" in ok and "marker =" not in ok
    index = (res.folder / "index.html").read_text(encoding="utf-8")
    for name in ("tiny_ok.html", "tiny_chart.html", "notebooks/tiny_ok.ipynb", "manifest.json"):
        assert f'href="{name}"' in index
    check_self_contained(index)


def test_rerun_replaces_atomically(first_audit):
    root, first = first_audit
    old_manifest = first.manifest
    res = run_audit("acme", period="2026-10", client_data=root / "client_data", out=root / "reports",
                    notebooks=[DATA / "tiny_noparams.ipynb"], warehouse=False)
    folder = root / "reports" / "acme" / "2026-10"
    assert res.status == "ok"
    assert not (folder / "tiny_chart.html").exists() and not (folder / "notebooks" / "tiny_ok.ipynb").exists()
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert m["started_at"] >= old_manifest["started_at"] and [n["name"] for n in m["notebooks"]] == ["tiny_noparams"]
    assert sorted(p.name for p in folder.parent.iterdir()) == ["2026-10"]    # no .tmp-/.old- leftovers


def test_failure_and_time_limit_are_published(tmp_path):
    cd = _client(tmp_path)
    res = run_audit("acme", start="2026-10-01", end="2026-10-15", client_data=cd, out=tmp_path / "r", timeout=5,
                    notebooks=[DATA / "tiny_fail.ipynb", DATA / "tiny_slow.ipynb", "missing_one"],
                    notebook_dir=tmp_path, warehouse=False)
    assert res.status == "failed" and res.period == "2026-10-01_2026-10-15"
    by = {n.name: n for n in res.notebooks}
    assert by["tiny_fail"].status == "failed"
    assert by["tiny_fail"].error == "RuntimeError: tiny notebook failed on purpose"   # first line only
    assert by["tiny_slow"].status == "failed" and "5 s" in by["tiny_slow"].error
    assert by["tiny_slow"].duration_s < 25
    assert by["missing_one"].status == "skipped"
    assert res.error.startswith("tiny_fail: RuntimeError")
    m = json.loads((res.folder / "manifest.json").read_text(encoding="utf-8"))
    assert m["status"] == "failed"
    # the failed notebook is kept with its error
    nb = nbformat.read(res.folder / "notebooks" / "tiny_fail.ipynb", as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors and errors[0]["ename"] == "RuntimeError"
    assert not any(p.name.startswith(".") for p in res.folder.parent.iterdir())


def test_unusable_arguments_raise_input_error(tmp_path):
    cd = _client(tmp_path)
    with pytest.raises(InputError, match="slug"):
        run_audit("../acme", client_data=cd, out=tmp_path / "r")
    with pytest.raises(InputError, match="not found"):
        run_audit("nobody", client_data=cd, out=tmp_path / "r")
    with pytest.raises(InputError, match="--period"):
        run_audit("acme", period="octobre", client_data=cd, out=tmp_path / "r")
    with pytest.raises(InputError, match="notebook name"):
        run_audit("acme", client_data=cd, out=tmp_path / "r", notebooks=["../../etc/x"])
    assert not (tmp_path / "r" / "acme").exists() or not any((tmp_path / "r" / "acme").iterdir())


def test_cli_reports_input_error_in_one_line(tmp_path):
    cd = _client(tmp_path)
    p = subprocess.run([sys.executable, "-m", "cxtoolkit.cli.main", "audit", "nobody", "--client-data", str(cd),
                        "--out", str(tmp_path / "r")], capture_output=True, text=True, timeout=120)
    assert p.returncode == 2
    assert p.stderr.strip().count("\n") == 0 and "client.yml" in p.stderr and "Traceback" not in p.stderr


def test_workbook_headers_rag_and_injection(tmp_path):
    from openpyxl import load_workbook

    views = {"overall": pd.DataFrame({"answer_rate": [0.9], "abandonment_rate": [0.3], "aht_s": [300.0]},
                                     index=pd.Index(["overall"], name="overall")),
             "channel": pd.DataFrame({"answer_rate": [0.8, float("nan")]},
                                     index=pd.Index(["=cmd|' /C calc'!A0", "chat"], name="channel"))}
    p = write_workbook(views, tmp_path / "k.xlsx", targets={"answer_rate": 0.95},
                       about={"client": "acme", "note": "+33 1 23"})
    wb = load_workbook(p)
    assert wb.sheetnames == ["Lisez-moi - About", "Global - Overall", "Par canal - By channel"]
    ws = wb["Global - Overall"]
    assert ws["B1"].value == "Taux de décroché (QS)" and ws["B2"].value == "Answer rate" and ws["B3"].value == "answer_rate"
    assert ws["B4"].value == 0.9 and ws["B4"].number_format == "0.0 %"     # 78,1 % as the pages (French)
    assert ws["B4"].fill.start_color.rgb.endswith("FFEB9C")      # 0.9 vs client target 0.95 → amber
    assert ws["C4"].fill.start_color.rgb.endswith("FFC7CE")      # abandonment 0.3 → red
    assert ws["D4"].fill.fill_type is None                        # AHT has no target
    ch = wb["Par canal - By channel"]
    assert ch["A4"].value == "'=cmd|' /C calc'!A0" and ch["A4"].data_type == "s"
    assert ch["B5"].value is None                                 # NaN → empty, never 0
    about = wb["Lisez-moi - About"]
    assert [r[1].value for r in about.iter_rows(min_row=2, max_row=3)] == ["acme", "'+33 1 23"]


def test_workbook_numbers_and_cut_names_as_the_pages_show_them(tmp_path):
    """Counts grouped (23 015), seconds with their unit, the NPS signed: format_value's rule
    in Excel formats; the cut by its label in each header row, not its code."""
    from openpyxl import load_workbook

    views = {"week": pd.DataFrame({"inbound": [23015], "asa_s": [32.6], "nps": [1.1]},
                                  index=pd.Index(["2026-W40"], name="week"))}
    ws = load_workbook(write_workbook(views, tmp_path / "k.xlsx"))["Par semaine - By week"]
    assert [ws["A1"].value, ws["A2"].value] == ["Semaine", "Week"]
    assert [ws[c].number_format for c in ("B4", "C4", "D4")] == ["#,##0", '0" s"', "+0.0;-0.0;0.0"]
    about = load_workbook(write_workbook(views, tmp_path / "a.xlsx", about={"period": "2026-10", "other": 1}))
    assert [r[0] for r in about["Lisez-moi - About"].iter_rows(min_row=2, max_row=3, values_only=True)] == [
        "Période / Period", "other"]


def test_cdn_checks():
    with pytest.raises(ValueError, match="not self-contained"):
        check_self_contained('<script src="https://cdn.jsdelivr.net/npm/x.js"></script>')
    with pytest.raises(ValueError):
        check_self_contained("<script src='//unpkg.com/require.js'></script>")
    html = clean_html_output('<script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/3.2.2/es5/tex-svg.min.js">'
                             '</script><script>x={topojsonURL:"https://cdn.plot.ly/un/"}</script>')
    check_self_contained(html)
    assert 'topojson/' in html


def test_declared_parameters_reads_the_cell_even_where_papermill_cannot(tmp_path):
    from cxtoolkit.audit.runner import declared_parameters

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('client: str = "demo"  # slug\nlocale: str = ""  # fr | en (empty = client.yml)\n'
                                          'n = 3\nif n:\n    hidden = 1', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("later = 2")]
    nbformat.write(nb, tmp_path / "p.ipynb")
    assert declared_parameters(tmp_path / "p.ipynb") == {"client", "locale", "n"}


def _spy_caches(monkeypatch, parent: Path) -> list[Path]:
    """The parsed-table cache folders the audits of a test create (made in ``parent``)."""
    import cxtoolkit.audit.runner as runner

    made, real = [], runner.create_cache

    def create_cache(_parent=None):
        folder, fd = real(parent)
        made.append(folder)
        return folder, fd

    monkeypatch.setattr(runner, "create_cache", create_cache)
    return made


def test_notebooks_run_side_by_side_and_the_cache_is_removed(tmp_path, monkeypatch):
    """jobs=2: two notebook processes overlap in time; the private parsed-table cache the
    kernels shared is deleted when the audit ends."""
    made = _spy_caches(monkeypatch, tmp_path)
    cd = _client(tmp_path)
    nbs = []
    for name in ("nap_a", "nap_b"):   # 3 s of work each: two at once must overlap
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import time\ntime.sleep(3)")])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, str(tmp_path / f"{name}.ipynb"))
        nbs.append(tmp_path / f"{name}.ipynb")
    res = run_audit("acme", client_data=cd, out=tmp_path / "reports", timeout=120, jobs=2, notebooks=nbs)
    assert res.status == "ok" and res.manifest["notebook_jobs"] == 2
    a, b = res.manifest["notebooks"]
    assert max(a["started_at"], b["started_at"]) < min(a["finished_at"], b["finished_at"])
    assert made and not made[0].exists()
    assert [n["status"] for n in res.manifest["notebooks"]] == ["ok", "ok"]


def test_a_notebook_listed_twice_is_refused(tmp_path):
    with pytest.raises(InputError, match="listed twice"):
        run_audit("acme", client_data=_client(tmp_path), out=tmp_path / "r", notebooks=["kpis", "kpis"])


def test_no_parsed_table_cache_when_every_page_renders_the_results_set(tmp_path, monkeypatch):
    """A page of the results set (here a notebook named ``roi`` declaring ``results_dir``)
    reads no client file: the audit writes no parsed raw data to a cache folder and its
    kernel sees none (not even an outer one); a house notebook in the audit gets one."""
    made = _spy_caches(monkeypatch, tmp_path)
    monkeypatch.setenv("CXTOOLKIT_CACHE_DIR", str(tmp_path))
    cd = _client(tmp_path)

    def page(path):
        nb = nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_code_cell('out_dir = ""\nresults_dir = ""', metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell(f"import os, pathlib\npathlib.Path(out_dir, 'seen-{path.stem}').write_text("
                                      "os.environ.get('CXTOOLKIT_CACHE_DIR', '<unset>'))")])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(path))
        return path

    roi, house = page(tmp_path / "pages" / "roi.ipynb"), page(tmp_path / "house" / "mine.ipynb")
    res = run_audit("acme", period="2026-10", client_data=cd, out=tmp_path / "reports", jobs=1, warehouse=False,
                    notebooks=[roi])
    assert res.status == "ok", res.error
    assert made == [] and (res.folder / "seen-roi").read_text() == ""
    res = run_audit("acme", period="2026-10", client_data=cd, out=tmp_path / "reports", jobs=1, warehouse=False,
                    notebooks=[roi, house])
    assert res.status == "ok", res.error
    assert len(made) == 1 and (res.folder / "seen-mine").read_text() == str(made[0]) and not made[0].exists()
