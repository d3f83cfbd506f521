"""ROI simulator: widget logic, Voila launcher, the notebook under papermill (static report),
the app in Chromium driven end to end (inputs -> figures -> deck == CLI)."""
import json
import socket
from io import BytesIO
from pathlib import Path

import nbformat
import pytest

from cxtoolkit import resources
from cxtoolkit import roi
from cxtoolkit.apps import serve
from cxtoolkit.apps.roi_app import PLOTLY_MIME, build_roi_app, show_roi
from cxtoolkit.errors import InputError
from conftest import write_client

from browser import chromium, need_chromium

ROOT = Path(__file__).resolve().parents[1]
NB = resources.notebooks_dir() / "roi.ipynb"


@pytest.fixture(scope="module")
def client_dir(tmp_path_factory):
    from conftest import write_client   # module scope: the factory itself, not the fixture

    base = tmp_path_factory.mktemp("client_data")
    sends = ["send_id,customer_id,sent_at,survey_type,channel"]
    sends += [f"s{i},c{i},2026-01-05 10:00,hot,email" for i in range(200)]
    resp = ["response_id,customer_id,responded_at,csat,nps"]
    resp += [f"r{i},c{i},2026-01-05 11:00,{1 if i < 10 else 4},8" for i in range(50)]
    write_client(base, "acme", {"name": "Acme SA", "currency": "EUR", "locale": "en",
                                "data": {"sends": "sends.csv", "responses": "responses.csv"},
                                "roi": {"acquisition_cost": 250, "annual_margin": 100, "fixed_cost": 1000}},
                 {"sends.csv": sends, "responses.csv": resp})
    return base


def test_app_prefills_from_client_and_validates_untrusted_values(client_dir):
    sim = build_roi_app(client="acme", client_data=str(client_dir)).simulator
    assert sim.locale == "en" and sim.currency == "EUR"
    assert sim.case.inputs.customers_surveyed == 200 and sim.case.sources["customers_surveyed"] == "data"
    assert sim.case.inputs.response_rate == 0.25 and sim.case.inputs.unhappy_share == 0.2
    assert sim.case.sources["acquisition_cost"] == "assumption"
    # 200*0.25*0.2*0.4 = 4 kept
    assert sim.outputs["customers_retained"] == pytest.approx(4)
    assert 'id="cx-customers-retained">4<' in sim.headline.value
    y0 = tuple(sim.figs["waterfall"].data[0].y)
    shown0 = sim.fig_boxes["waterfall"].children[0].outputs[0]["data"][PLOTLY_MIME]["data"][0]["y"]
    assert shown0 == [1000.0, 400.0, -1000.0, 400.0]  # 4 kept x 250, 4 x 100 margin, fixed 1000
    sim.set_input("retention_rate", 0.5)
    assert sim.outputs["customers_retained"] == pytest.approx(5)
    assert sim.case.sources["retention_rate"] == "edited"
    assert tuple(sim.figs["waterfall"].data[0].y) != y0  # updated in place
    out = sim.fig_boxes["waterfall"].children[0].outputs
    assert len(out) == 1 and out[0]["data"][PLOTLY_MIME]["data"][0]["y"] == [1250.0, 500.0, -1000.0, 750.0]
    json.dumps(out, allow_nan=False)  # what the widget sends is plain JSON
    for key, bad in (("response_rate", 1.5), ("acquisition_cost", -1), ("fixed_cost", "abc"),
                     ("customers_surveyed", float("nan"))):
        before = dict(sim.outputs)
        sim.set_input(key, bad)
        assert "cx-err" in sim.message.value and "Traceback" not in sim.message.value
        assert sim.outputs == before
    assert sim.inputs["response_rate"].value == 0.25  # refused, not clipped
    sim.set_input("acquisition_cost", 300)
    assert sim.message.value == ""
    sim.save_scenario("<script>")
    assert "cx-err" in sim.message.value
    sim.save_scenario("Plan B")
    assert "★ Plan B" in sim.scenario_table.value and len(sim.figs["scenarios"].data[0].x) == 4
    sim.reset()
    assert sim.case.sources["retention_rate"] == "default" and sim.inputs["retention_rate"].value == 0.4


def test_lazy_app_draws_charts_after_the_page_and_sections_when_opened(client_dir):
    """Under Voila the page is painted before any chart (plotly.js costs seconds in the
    browser): no chart until the browser has the widgets, then the waterfall; the other
    charts when their section is opened, kept up to date while it is open."""
    sim = build_roi_app(client="acme", client_data=str(client_dir), lazy=True, draws=2000).simulator
    areas = {n: sim.fig_boxes[n].children[0] for n in sim.fig_boxes}
    assert all(a.outputs == () for a in areas.values())  # figures built (warm), none sent
    assert 'id="cx-net-benefit"' in sim.headline.value  # the headline is there from the start
    link = sim._page_link  # what the browser runs: copy the source's value into the target
    assert (link.source[0].value, link.target[0].value) == (1, 0)
    sim.set_input("acquisition_cost", 260)  # (no browser yet: figures, no chart)
    assert all(a.outputs == () for a in areas.values())
    assert sim.outputs["avoided_acquisition_cost"] == pytest.approx(1040)
    link.target[0].value = link.source[0].value  # the browser has the widget models
    assert link.source[0].value == 2 and all(a.outputs == () for a in areas.values())
    link.target[0].value = link.source[0].value  # ... and has built the page
    assert [n for n, a in areas.items() if a.outputs] == ["waterfall"]
    assert areas["waterfall"].outputs[0]["data"][PLOTLY_MIME]["data"][0]["y"][0] == 1040.0
    sim.set_input("acquisition_cost", 250)
    assert sim.figs["waterfall"].data[0].y[0] == 1000.0 and areas["tornado"].outputs == ()
    sim.details.selected_index = 0  # the executive opens "sensitivity"
    assert sim.section == "tornado" and len(areas["tornado"].outputs) == 1
    base = sim.figs["tornado"].data[0].base
    sim.set_input("acquisition_cost", 500)
    assert sim.figs["tornado"].data[0].base != base  # updated while open
    sim.open_section("scenarios")
    assert sim.details.selected_index == 2 and len(sim.figs["scenarios"].data[0].x) == 3
    sim.save_scenario("Plan B")
    assert "★ Plan B" in sim.scenario_table.value and len(sim.figs["scenarios"].data[0].x) == 4
    sim.details.selected_index = None
    assert sim.section is None
    drawn = sim.figs["scenarios"].data[0].y
    sim.set_input("acquisition_cost", 900)  # closed: not recomputed
    assert sim.figs["scenarios"].data[0].y == drawn and sim.figs["waterfall"].data[0].y[0] == 3600.0
    sim.set_input("annual_margin", 0)
    sim.open_section("multi_year")
    assert areas["multi_year"].outputs == () and sim.no_margin.layout.display == ""
    sim.open_section("nope")
    assert "unknown section" in sim.message.value


def test_lazy_app_waits_for_the_page_to_be_painted_when_the_kernel_loop_runs(client_dir):
    import asyncio
    sim = build_roi_app(client="acme", client_data=str(client_dir), lazy=True, draws=2000).simulator

    def sent():
        return [n for n, b in sim.fig_boxes.items() if b.children[0].outputs]

    async def browser_arrives():
        sim.page_ready(delay=0.05)
        assert sim.live and sent() == []  # scheduled, not sent yet
        await asyncio.sleep(0.2)
        return sent()

    assert asyncio.run(browser_arrives()) == ["waterfall"]
    sim.page_ready()  # once only
    assert sent() == ["waterfall"]


def test_app_export_native_deck_and_french_labels(client_dir, tmp_path):
    from io import BytesIO

    from pptx import Presentation
    sim = build_roi_app(client="acme", client_data=str(client_dir), locale="fr", out_dir=str(tmp_path),
                        draws=2000).simulator
    assert "Clients conservés" in sim.headline.value
    sim.images = False
    data = sim.export("pptx")
    assert Presentation(BytesIO(data)).slides
    assert 'class="cx-download-pptx"' in sim.download.value
    assert len(list(tmp_path.glob("business_case_acme_*.pptx"))) == 1
    assert b"<html" in sim.export("html")[:300]


def test_app_bad_client_shows_message():
    sim = build_roi_app(client="../etc").simulator
    # the page is French (no locale, no client): its error line too
    assert "identifiant client" in sim.message.value and "must match" not in sim.message.value
    assert sim.outputs["customers_retained"] == pytest.approx(120)
    sim = build_roi_app(client="nobody", client_data="/nonexistent").simulator
    assert "introuvable" in sim.message.value and "not found" not in sim.message.value
    assert "not found" in build_roi_app(client="nobody", client_data="/nonexistent", locale="en").simulator.message.value


def test_voila_command_and_port_checks(tmp_path):
    cmd = serve.voila_command(NB, 9999)
    for flag in ("--port=9999", "--Voila.port_retries=0", "--Voila.ip=127.0.0.1", "--strip_sources=True",
                 "--show_tracebacks=False", "--preheat_kernel=True", f"--pool_size={serve.POOL_SIZE}", "--no-browser"):
        assert flag in cmd
    assert any(f.startswith("--VoilaConfiguration.extension_denylist=") and "anywidget" in f for f in cmd)
    assert "--template=cxtoolkit-lab" in serve.voila_command(NB, 9999, "cxtoolkit-lab")
    name = serve.offline_template(tmp_path / "tpl")
    page = (tmp_path / "tpl" / "voila" / "templates" / name / "index.html.j2").read_text()
    assert "fontawesome" not in page and "{%- extends" in page  # Voila's lab page minus the CDN links
    # ... plus preloads of the lab extensions Voila loads (entry + chunks, deny-list applied)
    assert "federated_extensions" in page and 'rel="preload" as="script"' in page
    chunks = serve.labextension_chunks()
    assert any(c.startswith("static/") and "?v=" in c for c in chunks.get("jupyterlab-plotly", []))
    assert not [c for cs in chunks.values() for c in cs if "remoteEntry" in c]  # entries: ext.load
    import jinja2
    html = jinja2.Environment().from_string(serve.preload_block({"a": ["static/1.abc.js?v=abc"]})).render(
        page_config={"fullLabextensionsUrl": "/voila/labextensions",
                     "federated_extensions": [{"name": "a", "load": "static/remoteEntry.x.js"}]})
    assert html.count("<link") == 2 and 'href="/voila/labextensions/a/static/1.abc.js?v=abc"' in html
    assert 'href="/voila/labextensions/a/static/remoteEntry.x.js"' in html
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        busy = s.getsockname()[1]
        with pytest.raises(InputError, match=f"--port {busy}: already in use"):
            serve.start_app("roi", busy)
    with pytest.raises(InputError, match="app name"):
        serve.app_notebook("../roi")
    with pytest.raises(InputError, match="no "):
        serve.app_notebook("nope")
    with pytest.raises(InputError, match="slug"):
        serve.client_env("../x")
    (tmp_path / "acme").mkdir()
    # no client.yml in the folder: refused
    with pytest.raises(InputError, match="client.yml"):
        serve.client_env("acme", tmp_path)
    write_client(tmp_path, "acme")
    env = serve.client_env("acme", tmp_path)
    assert env["CXTOOLKIT_CLIENT"] == "acme" and env["CXTOOLKIT_CLIENT_DATA"] == str(tmp_path.resolve())


def test_app_title_in_the_clients_language(tmp_path):
    """The app page's title: the client's language only; French when client.yml is broken
    (the launcher still starts: the page says what is wrong)."""
    for slug, yml in (("acme", "client: acme\nname: Acme\nlocale: en\n"), ("broken", "client: broken\nlocale: [\n")):
        (tmp_path / slug).mkdir()
        (tmp_path / slug / "client.yml").write_text(yml, encoding="utf-8")
    assert serve.app_title("kpis", "acme", tmp_path) == ("KPIs", "en")
    assert serve.app_title("staffing", "acme", tmp_path) == ("Staffing", "en")
    assert serve.app_title("kpis", "broken", tmp_path) == ("Indicateurs", "fr")


def test_notebook_shape():
    nb = nbformat.read(NB, as_version=4)
    assert nb.metadata.kernelspec == {"name": "python3", "display_name": "Python 3", "language": "python"}
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert 'client: str = ""' in code[0].source and 'locale: str = ""' in code[0].source
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)


def test_no_figure_widget_and_no_slow_imports(client_dir):
    """FigureWidget state carries plotly.js (~5 MB each) and its import compiles the
    rfc3987 grammar (seconds): the app must use neither."""
    import subprocess
    import sys
    code = ("import sys; from cxtoolkit.apps.roi_app import build_roi_app; "
            f"build_roi_app(client='acme', client_data={str(client_dir)!r}); "
            "print(sorted(m for m in ('rfc3987_syntax', 'jsonschema', 'plotly.basewidget', 'anywidget') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT).stdout.strip()
    assert out == "[]"
    w = build_roi_app(client="acme", client_data=str(client_dir))
    states = [len(json.dumps(c.get_state(), default=str)) for c in _walk(w)]
    assert max(states) < 200_000, max(states)


def _walk(w):
    yield w
    for c in getattr(w, "children", ()):
        yield from _walk(c)


def test_show_roi_app_under_voila_report_otherwise(client_dir, monkeypatch):
    import IPython.display
    import plotly.graph_objects as go
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: shown.extend(objs))
    for k in ("VOILA_BASE_URL", "VOILA_KERNEL_ID", "VOILA_APP_PORT", "VOILA_PREHEAT"):
        monkeypatch.delenv(k, raising=False)
    bc = show_roi(client="acme", client_data=str(client_dir), draws=2000)
    assert bc.outputs["customers_retained"] == pytest.approx(4)
    assert sum(isinstance(o, go.Figure) for o in shown) == 5  # multi-year too (margin 100)
    assert any("Headline figures" in str(getattr(o, "data", "")) for o in shown)
    shown.clear()
    ready = client_dir / "ready-flag"
    monkeypatch.setenv("CXTOOLKIT_APP_READY_FILE", str(ready))
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    w = show_roi(client="acme", client_data=str(client_dir), draws=2000)
    assert w.simulator.outputs["customers_retained"] == pytest.approx(4) and ready.exists()
    assert shown == [w]
    assert hasattr(show_roi(client="acme", client_data=str(client_dir), draws=2000, app=False), "figures")


@pytest.mark.notebook
def test_notebook_under_papermill_is_a_static_report(client_dir, tmp_path):
    import papermill as pm
    out = tmp_path / "roi_out.ipynb"
    pm.execute_notebook(str(NB), str(out), kernel_name="python3", execution_timeout=300,
                        cwd=str(NB.parent), progress_bar=False,
                        parameters={"client": "acme", "client_data": str(client_dir), "locale": "fr"})
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert not any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    figs = [o["data"][PLOTLY_MIME] for o in outputs if PLOTLY_MIME in o.get("data", {})]
    titles = [f["layout"]["title"]["text"] for f in figs]
    assert len(figs) == 5 and titles[0] == "Du coût évité au gain net" and "Vue pluriannuelle" in titles
    assert figs[0]["data"][0]["y"] == [1000.0, 400.0, -1000.0, 400.0]
    text = "".join(str(o.get("data", {}).get("text/markdown", "")) + str(o.get("data", {}).get("text/html", ""))
                   for o in outputs)
    assert "Headline figures" not in text          # one language: the client's (issue 15)
    for expected in ("Chiffres clés", "Hypothèses et sources", "données client",
                     "P10", "P90", "Scénarios", "Sur 200 clients sollicités, 50 répondent et 10 sont très mécontents"):
        assert expected in text, expected
    assert len(out.read_bytes()) < 8_000_000
@pytest.mark.notebook
@pytest.mark.slow
def test_audit_html_shows_the_report_charts_and_stays_small(client_dir, tmp_path):
    """The audit used to save ~25 MB of (unrenderable) widget state and an empty page."""
    from cxtoolkit.audit import run_audit
    from cxtoolkit.audit.export import has_plotly_chart
    run_audit("acme", client_data=str(client_dir), out=str(tmp_path), notebooks=["roi"])
    html_path, = tmp_path.rglob("roi.html")
    text = html_path.read_text(encoding="utf-8")
    assert has_plotly_chart(text) and text.count("Plotly.newPlot(") == 5
    assert "application/vnd.jupyter.widget-state+json" not in text
    assert "Headline figures" in text and "Chiffres clés" not in text   # acme is English (one language)
    assert html_path.stat().st_size < 8_000_000


# ----------------------------------------------------------------------------- browser

@pytest.fixture(scope="module")
def demo_data(tmp_path_factory):
    """A data-backed demo client (sends and responses files), small."""
    from conftest import write_demo_client

    base = tmp_path_factory.mktemp("demo_data")
    write_demo_client(base, n_contacts=5000, n_responses=1500)
    return base


@pytest.fixture(scope="module")
def voila_app(demo_data, tmp_path_factory):
    need_chromium()
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    server = serve.start_app("roi", serve.free_port(), client="demo", client_data=str(demo_data),
                             log_path=log, timeout=240)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def _cli_roi(demo_data, **edited) -> dict:
    from typer.testing import CliRunner

    from cxtoolkit.cli.main import app
    args = ["roi", "--config", "demo", "--client-data", str(demo_data), "--json"]
    for k, v in edited.items():
        args += [f"--{k.replace('_', '-')}", str(v)]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def _deck_tables(data: bytes) -> tuple[dict, dict]:
    """``({input label: (value, source)}, {output label: value})`` from slide 2."""
    from pptx import Presentation
    slide = Presentation(BytesIO(data)).slides[1]
    tables = [sh.table for sh in slide.shapes if sh.has_table]
    rows = [[[c.text for c in r.cells] for r in t.rows][1:] for t in tables]
    return {r[0]: (r[1], r[2]) for r in rows[0]}, {r[0]: r[1] for r in rows[1]}


# the first trace's x and y of the chart drawn in ``sel`` (plotly.js keeps them on the div)
_FIG_Y = ("(sel) => { const g = document.querySelector(sel + ' .js-plotly-plot');"
          " return g && g.data ? JSON.stringify([g.data[0].x, g.data[0].y]) : null; }")


@pytest.mark.browser
def test_executive_moves_inputs_and_takes_away_a_deck_matching_the_cli(voila_app, browser, demo_data):
    from cxtoolkit.viz.roi import fmt_value
    console = []
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    external, scripts = [], []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(
        (voila_app.url, "data:", "blob:", "ws://127.0.0.1")) else None)
    page.on("request", lambda r: scripts.append(r.url)
            if "/labextensions/" in r.url and r.resource_type == "script" else None)
    page.goto(voila_app.url, timeout=180_000)
    page.wait_for_selector("#cx-net-benefit", timeout=180_000)
    page.wait_for_function(f"() => ({_FIG_Y})('.cx-fig-waterfall') !== null", timeout=60_000)
    base = _cli_roi(demo_data)
    assert base["sources"]["customers_surveyed"] == "data" and base["sources"]["unhappy_share"] == "data"
    assert page.inner_text("#cx-customers-retained") == fmt_value("customers_retained", base["customers_retained"], "EUR", "fr")
    assert page.inner_text("#cx-net-benefit") == fmt_value("net_benefit", base["net_benefit"], "EUR", "fr")
    body = page.inner_text("body")
    assert "données client" in body and "show_roi" not in body and "Traceback" not in body
    # the other charts wait in closed sections, drawn when opened
    assert page.evaluate(_FIG_Y, ".cx-fig-tornado") is None
    page.locator(".cx-details .jupyter-widget-Collapse-header").nth(0).click()
    page.wait_for_function(f"() => ({_FIG_Y})('.cx-fig-tornado') !== null", timeout=60_000)

    # 1. retention rate: one keyboard step on the slider (0.400 -> 0.405)
    before, fig_before = page.inner_text("#cx-net-benefit"), page.evaluate(_FIG_Y, ".cx-fig-waterfall")
    page.locator(".cx-in-retention_rate .noUi-handle").first.press("ArrowRight")
    page.wait_for_function("(b) => document.querySelector('#cx-net-benefit').innerText !== b", arg=before, timeout=30_000)
    page.wait_for_function(f"(b) => ({_FIG_Y})('.cx-fig-waterfall') !== b", arg=fig_before, timeout=30_000)
    # 2. acquisition cost: typed
    before = page.inner_text("#cx-net-benefit")
    tornado_before = page.evaluate(_FIG_Y, ".cx-fig-tornado")
    box = page.locator(".cx-in-acquisition_cost input")
    box.fill("450")
    box.press("Enter")
    page.wait_for_function("(b) => document.querySelector('#cx-net-benefit').innerText !== b", arg=before, timeout=30_000)
    page.wait_for_function(f"(b) => ({_FIG_Y})('.cx-fig-tornado') !== b", arg=tornado_before, timeout=30_000)
    cli = _cli_roi(demo_data, retention_rate=0.405, acquisition_cost=450)
    assert page.inner_text("#cx-net-benefit") == fmt_value("net_benefit", cli["net_benefit"], "EUR", "fr")
    wf = json.loads(page.evaluate(_FIG_Y, ".cx-fig-waterfall"))[1]
    assert wf[0] == pytest.approx(cli["avoided_acquisition_cost"]) and wf[-1] == pytest.approx(cli["net_benefit"])

    # 3. export -> download -> python-pptx: the deck's numbers are the CLI's
    page.click(".cx-export-pptx")
    link = page.wait_for_selector("a.cx-download-pptx", timeout=120_000)
    with page.expect_download(timeout=60_000) as dl:
        link.click()
    deck = Path(dl.value.path()).read_bytes()
    inputs, outputs = _deck_tables(deck)
    for k in roi.OUTPUT_KEYS:
        assert outputs[roi.label(k, "fr")] == fmt_value(k, cli[k], "EUR", "fr"), k
    for k in roi.INPUT_KEYS:
        value, source = inputs[roi.label(k, "fr")]
        assert value == fmt_value(k, cli["inputs"][k], "EUR", "fr"), k
        assert source == roi.label(cli["sources"][k], "fr"), k
    assert not [m for m in console if "Failed to initialize model" in m or m.startswith("error")], console
    assert not external, external  # no CDN (Font Awesome) or other outside request
    # every lab-extension script the page used was preloaded from its head (same URL)
    preloaded = set(page.evaluate("() => [...document.querySelectorAll('link[rel=preload]')].map(l => l.href)"))
    used = {u for u in scripts if not u.endswith("style.js")}
    assert used and used <= preloaded, sorted(used - preloaded)
    page.close()


# In the page, before one input change: the waterfall's figure at the first animation frame after
# the headline's text changed (the frame that paints it), and at every frame until the chart
# changed, whether a chart was on screen.
_ARM_PAINT = """(fig) => { const T = window.__cxPaint = {atHeadline: undefined, frames: 0, blank: 0, done: false};
  const now = () => (""" + _FIG_Y + """)('.cx-fig-waterfall');
  const obs = new MutationObserver(() => { obs.disconnect();
    requestAnimationFrame(() => { T.atHeadline = now(); }); });
  obs.observe(document.querySelector('.cx-headline'), {subtree: true, childList: true, characterData: true});
  const poll = () => { T.frames += 1; const f = now(); if (f === null) T.blank += 1;
    if (f !== null && f !== fig) { T.done = true; } else { requestAnimationFrame(poll); } };
  requestAnimationFrame(poll); }"""


@pytest.mark.browser
def test_headline_is_painted_before_the_waterfall_is_redrawn(voila_app, browser):
    """Input -> headline: the headline's new figures are painted in the first frame after they
    arrive, not held back while plotly.js redraws the waterfall (30-140 ms of the page's main
    thread), whose update the kernel sends a few ms later and which used to be drawn in the
    same task as it arrived. And the old waterfall stays on screen until the new one is drawn
    (no frame without a chart)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(voila_app.url, timeout=180_000)
    page.wait_for_selector("#cx-net-benefit", timeout=180_000)
    page.wait_for_function(f"() => ({_FIG_Y})('.cx-fig-waterfall') !== null", timeout=60_000)
    box = page.locator(".cx-in-acquisition_cost input")
    seen = []
    for i in range(4):
        fig = page.evaluate(_FIG_Y, ".cx-fig-waterfall")
        box.fill(str(410 + 25 * i))
        page.evaluate(_ARM_PAINT, fig)
        box.press("Enter")
        page.wait_for_function("() => window.__cxPaint.done && window.__cxPaint.atHeadline !== undefined",
                               timeout=30_000)
        t = page.evaluate("window.__cxPaint")
        seen.append((t["atHeadline"] == fig, t["blank"], t["frames"]))
        page.wait_for_timeout(200)
    page.close()
    assert all(old for old, _, _ in seen), seen      # the headline's frame still shows the old chart
    assert not any(blank for _, blank, _ in seen), seen


def test_roi_report_period_in_the_readers_date_format(client_dir, monkeypatch):
    """The static ROI report (papermill, the audit) titles its period as the reader writes
    days: 05/01/2026 → 31/01/2026 in French (it was the ISO text the notebook was given)."""
    from cxtoolkit.report import business_case as bcm
    seen = []
    monkeypatch.setattr(bcm, "display_report", lambda bc, period="": seen.append(period))
    for k in ("VOILA_BASE_URL", "VOILA_KERNEL_ID", "VOILA_APP_PORT", "VOILA_PREHEAT"):
        monkeypatch.delenv(k, raising=False)
    show_roi(client="acme", client_data=str(client_dir), locale="fr", period_start="2026-01-05",
             period_end="2026-01-31", draws=500, app=False)
    show_roi(client="acme", client_data=str(client_dir), period_start="2026-01-05", draws=500, app=False)
    assert seen == ["05/01/2026 → 31/01/2026", "2026-01-05 → …"]
