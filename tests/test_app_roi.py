"""ROI simulator: widget logic, Voila launcher, the notebook under papermill, the app in Chromium."""
import os
import shutil
import socket
from pathlib import Path

import nbformat
import pytest

from cxtoolkit.apps import serve
from cxtoolkit.apps.roi_app import build_roi_app
from cxtoolkit.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
NB = ROOT / "notebooks" / "roi.ipynb"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def client_dir(tmp_path_factory):
    base = tmp_path_factory.mktemp("client_data")
    d = base / "acme"
    d.mkdir()
    (d / "client.yml").write_text(
        "client: acme\nname: Acme SA\ncurrency: EUR\nlocale: en\n"
        "data: {sends: sends.csv, responses: responses.csv}\n"
        "roi: {acquisition_cost: 250, annual_margin: 100, fixed_cost: 1000}\n", encoding="utf-8")
    sends = ["send_id,customer_id,sent_at,survey_type,channel"]
    sends += [f"s{i},c{i},2026-01-05 10:00,hot,email" for i in range(200)]
    (d / "sends.csv").write_text("\n".join(sends) + "\n", encoding="utf-8")
    resp = ["response_id,customer_id,responded_at,csat,nps"]
    resp += [f"r{i},c{i},2026-01-05 11:00,{1 if i < 10 else 4},8" for i in range(50)]
    (d / "responses.csv").write_text("\n".join(resp) + "\n", encoding="utf-8")
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
    sim.set_input("retention_rate", 0.5)
    assert sim.outputs["customers_retained"] == pytest.approx(5)
    assert sim.case.sources["retention_rate"] == "edited"
    assert tuple(sim.figs["waterfall"].data[0].y) != y0  # updated in place
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
    assert "slug" in sim.message.value and sim.outputs["customers_retained"] == pytest.approx(120)
    sim = build_roi_app(client="nobody", client_data="/nonexistent").simulator
    assert "not found" in sim.message.value


def test_voila_command_and_port_checks(tmp_path):
    cmd = serve.voila_command(NB, 9999)
    for flag in ("--port=9999", "--Voila.port_retries=0", "--Voila.ip=127.0.0.1", "--strip_sources=True",
                 "--show_tracebacks=False", "--preheat_kernel=True", "--pool_size=1", "--no-browser"):
        assert flag in cmd
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
    (tmp_path / "acme" / "client.yml").write_text("client: acme\n")
    env = serve.client_env("acme", tmp_path)
    assert env["CXTOOLKIT_CLIENT"] == "acme" and env["CXTOOLKIT_CLIENT_DATA"] == str(tmp_path.resolve())


def test_notebook_shape():
    nb = nbformat.read(NB, as_version=4)
    assert nb.metadata.kernelspec == {"name": "python3", "display_name": "Python 3", "language": "python"}
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert 'client: str = ""' in code[0].source and 'locale: str = ""' in code[0].source
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)


@pytest.mark.notebook
def test_notebook_runs_under_papermill(client_dir, tmp_path):
    import papermill as pm
    out = tmp_path / "roi_out.ipynb"
    pm.execute_notebook(str(NB), str(out), kernel_name="python3", execution_timeout=300,
                        cwd=str(NB.parent), progress_bar=False,
                        parameters={"client": "acme", "client_data": str(client_dir), "locale": "fr"})
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)


# ----------------------------------------------------------------------------- browser
def _need_chromium():
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("/usr/bin/chromium is missing in CI")
        pytest.skip("/usr/bin/chromium not installed")


@pytest.fixture(scope="module")
def voila_app(client_dir, tmp_path_factory):
    _need_chromium()
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    server = serve.start_app("roi", serve.free_port(), client="acme", client_data=str(client_dir),
                             log_path=log, timeout=240)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    _need_chromium()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


@pytest.mark.browser
def test_app_in_chromium_loads_client_values_and_charts(voila_app, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(voila_app.url, timeout=180_000)
    page.wait_for_selector("#cx-customers-retained", timeout=180_000)
    assert page.inner_text("#cx-customers-retained") == "4"  # from the client's data
    page.wait_for_function("() => document.querySelector('.cx-fig-waterfall .js-plotly-plot svg') !== null",
                           timeout=60_000)
    text = page.evaluate("document.querySelector('.cx-fig-waterfall').textContent")
    assert "Net benefit" in text and "€" in text
    body = page.inner_text("body")
    assert "client data" in body and "build_roi_app" not in body and "Traceback" not in body
    page.close()
