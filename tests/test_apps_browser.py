"""Every notebook of the suite served as a Voila app (``cxtoolkit.apps.serve.start_app``)
renders in headless Chromium without an error, shows no source code, exposes no file
browser / terminal / other client's files, and (kpis) re-renders when the segment and
period widgets change.

Servers are started one after the other and stopped each time (memory, time).
"""
from __future__ import annotations

import shutil
import urllib.error
import urllib.request

import pytest

from browser import chromium, need_chromium
from cxtoolkit import resources

APPS = ("kpis", "journey", "verbatims", "quality", "staffing", "roi")
STDERR = '[data-mime-type="application/vnd.jupyter.stderr"]'
SOURCE_MARKERS = ("app_parameters", "from cxtoolkit", "import ", "show(\"", "build_roi_app")

pytestmark = pytest.mark.browser



@pytest.fixture(scope="module")
def client_data(tmp_path_factory):
    need_chromium()
    from cxtoolkit.datasets import generate_client

    root = tmp_path_factory.mktemp("apps") / "client_data"
    demo = root / "demo"
    demo.mkdir(parents=True)
    shutil.copy(resources.demo_client_yml("demo"), demo / "client.yml")
    generate_client(demo, n_contacts=5_000, n_responses=1_500, months=2)
    other = root / "other"                      # a second client the apps must not expose
    other.mkdir()
    (other / "client.yml").write_text("client: other\nname: Other SA\n", encoding="utf-8")
    (other / "secret.csv").write_text("contact_id\nSECRET-OTHER\n", encoding="utf-8")
    english = root / "demo-en"                  # the demo client, in English
    shutil.copytree(demo, english)
    yml = (demo / "client.yml").read_text(encoding="utf-8")
    assert "client: demo\n" in yml and "locale: fr\n" in yml
    (english / "client.yml").write_text(yml.replace("client: demo\n", "client: demo-en\n")
                                        .replace("locale: fr\n", "locale: en\n"), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            body = r.read()
            assert b"SECRET-OTHER" not in body
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _notes(name: str) -> list[str]:
    """A plain sentence from each of the app notebook's notes for the consultant (the first
    line under the heading, up to its first markdown mark)."""
    import re

    import nbformat

    from cxtoolkit.apps.serve import app_notebook
    from cxtoolkit.workspace import NOTES_TAG
    nb = nbformat.read(app_notebook(name), as_version=4)
    out = []
    for cell in nb.cells:
        if NOTES_TAG in cell.metadata.get("tags", []):
            line = next(x for x in cell.source.splitlines() if x.strip() and not x.startswith("#"))
            out.append(re.split(r"[*_`(\[]", line)[0].strip())
    return out


def _title_line(name: str) -> str:
    """The notebook's own (bilingual) title: the heading of its notes for the consultant
    (a notebook without notes: a line no page holds)."""
    import nbformat

    from cxtoolkit.apps.serve import app_notebook
    from cxtoolkit.workspace import NOTES_TAG
    cell = next((c for c in nbformat.read(app_notebook(name), as_version=4).cells
                if NOTES_TAG in c.metadata.get("tags", [])), None)
    if cell is None:
        return "\0 no notes"
    return cell.source.splitlines()[0].lstrip("# ").strip()


def _open(browser, server):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server.url, timeout=180_000, wait_until="commit")
    page.wait_for_selector(".jupyter-widgets", timeout=180_000)
    page.wait_for_function("() => document.querySelector('.js-plotly-plot svg') !== null", timeout=120_000)
    return page


def _assert_clean(page, name):
    assert page.locator(STDERR).count() == 0, f"{name}: stderr output in the page"
    body = page.inner_text("body")
    assert "Traceback" not in body, f"{name}: traceback shown"
    # (the word "Error" itself appears in customers' verbatims: look for error outputs instead)
    assert page.locator('[data-mime-type*="error"], .jp-OutputArea-output.jp-mod-error, .cx-err').count() == 0, \
        f"{name}: error output shown"
    assert "⚠" not in body, f"{name}: app message {body[:500]}"
    for marker in SOURCE_MARKERS:
        assert marker not in body, f"{name}: source code shown ({marker!r})"
    assert page.locator(".jp-InputArea .jp-Editor, .jp-InputArea-editor").count() == 0, f"{name}: code cell input shown"
    # every figure's traces drawn as their own type (the apps' trimmed plotly.js draws a type
    # it does not have as a scatter)
    wrong = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(g => (g._fullData || [])"
                          ".filter(t => (t._input.type || 'scatter') !== t.type).map(t => t._input.type))")
    assert not wrong, f"{name}: traces not drawn as {wrong}"
    return body


@pytest.mark.parametrize("name", APPS)
def test_app_renders_without_error(name, client_data, browser, tmp_path):
    from cxtoolkit.apps import serve
    from cxtoolkit.report.pages import page_title

    server = serve.start_app(name, serve.free_port(), client="demo", client_data=str(client_data),
                             timeout=240, log_path=tmp_path / f"{name}.log", pool_size=1)
    try:
        page = _open(browser, server)
        body = _assert_clean(page, name)
        assert "Demo Retail SA" in body or name == "roi"
        for sentence in _notes(name):   # the notes for the consultant stay out of the app
            assert len(sentence) > 10 and sentence not in body, f"{name}: notebook notes shown ({sentence!r})"
        assert "cxtoolkit app" not in body, f"{name}: notebook notes shown"
        # the page's title, in the client's language only (the demo client is French): the
        # audit page's title of the notebook, as the tab's title and the page's heading
        title = page_title(name, "fr")
        assert page.title() == title, f"{name}: page title {page.title()!r}"
        assert page.locator(".cx-app-title h1").inner_text().strip() == title
        assert body.lstrip().startswith(title), f"{name}: title not at the top ({body[:80]!r})"
        assert page.get_attribute("html", "lang") == "fr"
        english = page_title(name, "en")
        assert english == title or english not in body, f"{name}: English title shown"
        assert _title_line(name) not in body, f"{name}: the notebook's bilingual title shown"
        if name != "roi":
            assert page.locator(".cx-bar").count() == 1
            assert page.locator(".cx-segment select").count() == 1
        # nothing but the app: no tree, terminals, contents API or another client's files
        for path in ("tree", "terminals/1", "api/terminals", "api/contents", "files/", "voila/tree",
                     f"voila/files/{client_data / 'other' / 'secret.csv'}",
                     "voila/files/../client_data/other/secret.csv", "notebooks/roi.ipynb",
                     f"files{client_data / 'other' / 'secret.csv'}"):
            assert _status(server.url + path) in (403, 404, 405), f"{name}: /{path} is reachable"
        page.close()
    finally:
        server.stop()
    log = (tmp_path / f"{name}.log").read_text(errors="replace")
    assert "SECRET-OTHER" not in log


@pytest.fixture(scope="module")
def english_app(client_data, tmp_path_factory):
    """The kpis app of the English demo client (one preheated kernel), with its page as served."""
    from cxtoolkit.apps import serve

    log = tmp_path_factory.mktemp("english") / "kpis.log"
    server = serve.start_app("kpis", serve.free_port(), client="demo-en", client_data=str(client_data),
                             timeout=240, log_path=log, pool_size=1)
    try:
        with urllib.request.urlopen(server.url, timeout=180) as r:
            html = r.read().decode("utf-8")
        yield server, html
    finally:
        server.stop()


def test_app_title_in_an_english_clients_language(english_app):
    """An English client's app is titled in English only (the served page: its ``<title>``,
    ``<html lang>`` and heading), not with the French title nor the notebook's bilingual one."""
    import re

    from cxtoolkit.report.pages import page_title

    _server, html = english_app
    title = page_title("kpis", "en")
    assert title == "KPIs" and page_title("kpis", "fr") not in html
    assert re.search(r"<title>\s*KPIs\s*</title>", html) and '<html lang="en">' in html
    assert re.search(r'class="[^"]*cx-app-title[^"]*"><h1>KPIs</h1>', html)
    assert _title_line("kpis") not in html


def test_app_kernels_take_no_tcp_port(english_app):
    """Voila talks to the app's kernels over Unix sockets: no TCP port to lose to another
    process while five kernels start (a kernel that lost one died on "Address already in
    use", restarted on the same ports, and its visitor's page stayed on "Running ...")."""
    import json
    import re
    from pathlib import Path

    server, _html = english_app
    folder = re.search(r"Storing connection files in (\S+?)\.?$", server.log_path.read_text(errors="replace"), re.M)
    assert folder, "Voila's connection folder not in its log"
    files = sorted(Path(folder.group(1)).glob("kernel-*.json"))
    assert files, f"no kernel connection file in {folder.group(1)}"
    for f in files:
        info = json.loads(f.read_text())
        assert info["transport"] == "ipc", f"{f.name}: kernel on {info['transport']} ports {info.get('shell_port')}"
    assert "running over TCP" not in server.log_path.read_text(errors="replace")


def test_kpis_widgets_change_the_content(client_data, browser, tmp_path):
    from cxtoolkit.apps import serve

    server = serve.start_app("kpis", serve.free_port(), client="demo", client_data=str(client_data),
                             timeout=240, log_path=tmp_path / "kpis.log", pool_size=1)
    try:
        page = _open(browser, server)
        header = page.locator(".cx-app .jp-RenderedMarkdown").first
        before = header.inner_text()
        assert "Canal = téléphone" not in before
        labels = [x.replace("\xa0", " ") for x in page.locator(".cx-segment select option").all_inner_texts()]
        assert "Canal = téléphone" in labels and not any("agent" in x.lower() for x in labels)
        page.select_option(".cx-segment select", index=labels.index("Canal = téléphone"))
        page.click(".cx-apply button, button.cx-apply")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.cx-app .jp-RenderedMarkdown')].some(e => e.textContent.includes('Canal = téléphone'))",
            timeout=120_000)
        page.wait_for_function("() => document.querySelector('.cx-app .js-plotly-plot svg') !== null",
                               timeout=60_000)
        _assert_clean(page, "kpis segment")

        # a narrower period re-renders; a reversed one is refused with one friendly line
        start, end = page.locator(".cx-start input"), page.locator(".cx-end input")
        lo, hi = start.input_value(), end.input_value()      # days as the French page writes them
        from cxtoolkit.rules import parse_day
        assert parse_day(lo, "fr") < parse_day(hi, "fr") and "/" in lo
        start.fill(hi)
        start.press("Enter")
        page.click(".cx-apply button, button.cx-apply")
        from cxtoolkit.report.tables import day_range
        shown = day_range(hi, hi, "fr")       # the French demo client's header writes days dd/mm/yyyy
        page.wait_for_function(
            f"() => [...document.querySelectorAll('.cx-app .jp-RenderedMarkdown')].some(e => e.textContent.includes('{shown}'))",
            timeout=120_000)
        end.fill(lo)
        end.press("Enter")
        page.click(".cx-apply button, button.cx-apply")
        page.wait_for_selector(".cx-err", timeout=60_000)
        assert "après" in page.inner_text(".cx-err") or "after" in page.inner_text(".cx-err")
        assert page.locator(STDERR).count() == 0 and "Traceback" not in page.inner_text("body")
        page.close()
    finally:
        server.stop()
