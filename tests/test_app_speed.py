"""Apps for a room of visitors (issue 16): the preheated pool answers several visitors at
once, each with a working page; a kernel started for a waiting visitor skips the chart
warm-up; every kernel of an app reads the client's tables from the launcher's cache.

Figures (not tested here, the machine is shared): ``benchmarks/bench_app_visitors.py``.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cxtoolkit.apps import serve

ROOT = Path(__file__).resolve().parents[1]
#: modules a cold kernel must not import before the visitor's page is sent (the figures'
#: classes: ~0.6 s of warm-up, worth it only in a preheated kernel), nor at all
NOT_AT_COLD_START = ("plotly.graph_objs._figure", "plotly.graph_objs._bar", "plotly.io", "scipy", "pptx",
                     "nbformat", "jsonschema", "kaleido", "cxtoolkit.report")


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory):
    from conftest import write_demo_client

    base = tmp_path_factory.mktemp("speed_data")
    write_demo_client(base, n_contacts=2000, n_responses=600)
    return base


def _kernel_modules(demo_data: Path, preheat: str) -> list[str]:
    """The watched modules imported by the app notebook's code in a kernel started by Voila
    (``VOILA_PREHEAT`` as Voila sets it)."""
    env = {**os.environ, "VOILA_BASE_URL": "/", "VOILA_KERNEL_ID": "k", "VOILA_PREHEAT": preheat,
           "CXTOOLKIT_CLIENT": "demo", "CXTOOLKIT_CLIENT_DATA": str(demo_data),
           "PYTHONPATH": os.pathsep.join([str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])}
    code = ("import sys; from cxtoolkit.apps.roi_app import show_roi; w = show_roi(); "
            "assert w.simulator.message.value == '', w.simulator.message.value; "
            f"print('|'.join(m for m in {NOT_AT_COLD_START!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    last = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
    return [m for m in last.split("|") if m and m in NOT_AT_COLD_START]


def test_cold_kernel_start_path_skips_the_chart_warm_up(demo_data):
    """A kernel started for a visitor who found the pool empty: headline and inputs only
    (the figures are built once the page is there); a preheated kernel warms them up."""
    assert _kernel_modules(demo_data, "False") == []
    assert "plotly.graph_objs._figure" in _kernel_modules(demo_data, "True")


def test_input_sends_headline_then_waterfall_before_the_monte_carlo():
    """Input -> chart: the waterfall is sent right after the headline, before the Monte Carlo
    risk line (~25 ms of draws the waterfall does not use)."""
    from cxtoolkit.apps.roi_app import build_roi_app

    sim = build_roi_app(locale="en", lazy=True).simulator
    sim.page_ready()
    order = []
    sim.headline.observe(lambda ch: order.append("headline"), names="value")
    sim.fig_boxes["waterfall"].children[0].observe(lambda ch: order.append("waterfall"), names="outputs")
    sim.risk.observe(lambda ch: order.append("risk"), names="value")
    sim.set_input("acquisition_cost", 420)
    assert order == ["headline", "waterfall", "risk"]


def test_preheated_context_flag():
    from cxtoolkit.apps.context import preheated
    assert preheated({"VOILA_PREHEAT": "True"}) and not preheated({"VOILA_PREHEAT": "False"})


def test_kernels_read_the_client_tables_from_the_launchers_cache(demo_data, monkeypatch):
    """``kernel_cache`` parses the client's files once; a kernel's load is then a cache hit
    (no file parsed); the folder is private and removed with its lock released."""
    from cxtoolkit.apps.data import client_roi_data
    from cxtoolkit.io import cache as cx_cache
    from cxtoolkit.io import loader

    folder, lock = serve.kernel_cache("demo", str(demo_data))
    try:
        assert folder.name.startswith(cx_cache.PREFIX) and (folder.stat().st_mode & 0o777) == 0o700
        assert len(list(folder.glob("*.accepted.parquet"))) >= 2          # sends and responses at least
        assert cx_cache.clean_stale(folder.parent) == 0 or folder.is_dir()  # alive: never removed

        def no_parse(*a, **k):
            raise AssertionError("client file parsed although cached")
        monkeypatch.setattr(loader, "read_mapped", no_parse)
        monkeypatch.setenv(cx_cache.ENV_CACHE_DIR, str(folder))
        cfg, data = client_roi_data("demo", str(demo_data))
        assert len(data.sends) > 0 and len(data.responses) > 0
    finally:
        serve._drop_cache(folder, lock)
    assert not folder.exists()


def test_kernel_cache_of_a_broken_client_is_empty_not_an_error(tmp_path):
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "client.yml").write_text("client: bad\ndata:\n  sends: missing.csv\n", encoding="utf-8")
    folder, lock = serve.kernel_cache("bad", str(tmp_path))
    try:
        assert not list(folder.glob("*.parquet"))
    finally:
        serve._drop_cache(folder, lock)


# ----------------------------------------------------------------------------- browser

# In the page: Enter pressed in the acquisition-cost input -> the headline's text changed (ms)
_ARM = """() => { window.__cxLatency = null; let t0 = null;
  const inp = document.querySelector('.cx-in-acquisition_cost input');
  inp.addEventListener('keydown', e => { if (e.key === 'Enter') t0 = performance.now(); }, {capture: true, once: true});
  const head = document.querySelector('.cx-headline');
  new MutationObserver((_, obs) => { if (t0 !== null) { window.__cxLatency = performance.now() - t0; obs.disconnect(); } })
    .observe(head, {subtree: true, childList: true, characterData: true}); }"""
_SHOWN = ("() => { const e = document.querySelector('#cx-net-benefit');"
          " return !!e && e.getClientRects().length > 0; }")
VISITORS = 3


@pytest.mark.browser
def test_pool_answers_simultaneous_visitors_each_with_a_working_page(demo_data, tmp_path):
    """``VISITORS`` open the app at the same moment: each is served by a kernel of the
    preheated pool (no kernel started for anyone), each page shows the headline and
    recomputes it when an input changes, within a generous bound measured in the page; the
    kernels read the launcher's cache, removed when the app stops."""
    import asyncio

    import psutil

    from browser import ARGS, CHROMIUM, need_chromium
    need_chromium()
    from playwright.async_api import async_playwright

    server = serve.start_app("roi", serve.free_port(), client="demo", client_data=str(demo_data),
                             log_path=tmp_path / "voila.log", timeout=300, pool_size=VISITORS, fill_delay=120)
    cache = server.cache
    try:
        async def visit(browser, i: int) -> tuple[str, float]:
            page = await browser.new_page(viewport={"width": 1400, "height": 1000})
            await page.goto(server.url, timeout=180_000, wait_until="commit")
            await page.wait_for_function(_SHOWN, timeout=180_000, polling="raf")
            # the first chart drawn (plotly.js starting holds the page's main thread), then an input
            await page.wait_for_function("() => document.querySelector('.cx-fig-waterfall .js-plotly-plot') !== null",
                                         timeout=120_000)
            before = await page.inner_text("#cx-net-benefit")
            await page.evaluate(_ARM)
            inp = page.locator(".cx-in-acquisition_cost input")
            await inp.fill(str(900 + 50 * i))
            await inp.press("Enter")
            await page.wait_for_function("() => window.__cxLatency !== null", timeout=60_000)
            after, ms = await page.inner_text("#cx-net-benefit"), await page.evaluate("window.__cxLatency")
            assert after != before
            await page.close()
            return after, ms

        async def room():
            async with async_playwright() as p:
                b = await p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
                try:
                    return await asyncio.gather(*(visit(b, i) for i in range(VISITORS)))
                finally:
                    await b.close()

        results = asyncio.run(room())
        assert len({r[0] for r in results}) == VISITORS          # each page its own kernel and inputs
        assert max(ms for _, ms in results) < 3000, results      # target 100 ms; generous on a shared machine
        kernels = [k for k in psutil.Process(server.process.pid).children(recursive=True)
                   if "ipykernel" in " ".join(k.cmdline())]
        envs = [k.environ() for k in kernels]
        assert len(kernels) == VISITORS, "a kernel was started for a visitor: the pool did not serve everyone"
        assert all(e.get("VOILA_PREHEAT") == "True" and e.get("CXTOOLKIT_CACHE_DIR") == str(cache) for e in envs)
        assert cache.is_dir()
    finally:
        server.stop()
    assert not cache.exists()


# In a kernel, ten input changes: in the order they happen, the IOPub thread's sends of the
# headline (what leaves the kernel for the browser) and the starts of the waterfall's figure
_IN_KERNEL = """
import json
from ipykernel.kernelbase import Kernel
from cxtoolkit.apps import roi_app
from cxtoolkit.viz import roi as vz
sim = roi_app.build_roi_app(locale="en", lazy=True).simulator
sim.page_ready()
pub = Kernel.instance().iopub_thread
events = []
send, spec = pub._really_send, vz.waterfall_spec
def sending(msg, *a, **k):
    if any(b"cx-tiles" in bytes(f) for f in msg):
        events.append("headline")
    return send(msg, *a, **k)
def computing(*a, **k):
    events.append("waterfall")
    return spec(*a, **k)
pub._really_send, vz.waterfall_spec = sending, computing
for v in range(420, 620, 20):
    sim.set_input("acquisition_cost", v)
pub._really_send, vz.waterfall_spec = send, spec
print(json.dumps(events))
"""


def test_headline_leaves_the_kernel_before_the_waterfall_is_computed():
    """The kernel's messages go out through its IOPub thread, which needs the GIL: without
    :func:`cxtoolkit.apps.display.send_now`, the headline waited in its queue while the
    waterfall was computed (the strace of a Voila server showed it arriving with the chart,
    5 ms after it was made). Checked in a real kernel: each change's headline is sent before
    its waterfall's figure starts (before the fix: in about one change of three, when the
    IOPub thread happened to get the GIL in between)."""
    assert _events_in_kernel(_IN_KERNEL) == ["headline", "waterfall"] * 10


_STAFFING_IN_KERNEL = """
import json
import pandas as pd
from ipykernel.kernelbase import Kernel
from cxtoolkit.apps.staffing_app import StaffingWhatIf
from cxtoolkit.viz import staffing as V
prof = pd.DataFrame({"weekday": [0, 0], "day": ["mon", "mon"], "interval_start": ["09:00", "10:00"],
                     "hour": [9, 10], "minute": 0, "interval_min": 60, "arrivals_per_hour": [60.0, 20.0],
                     "aht_s": [180.0, 180.0], "agents_seen": [2.0, 1.0], "answer_rate_seen": [0.5, 0.9]})
w = StaffingWhatIf(prof, {"service_level": 0.8, "within_s": 20.0, "max_wait_probability": None,
                          "max_asa_s": None, "max_occupancy": 0.85, "shrinkage": 0.3}, patience_s=60,
                   hourly_cost=30, locale="en")
pub = Kernel.instance().iopub_thread
events = []
send, chart = pub._really_send, V.day_chart
def sending(msg, *a, **k):
    if any(b"---:|---:|" in bytes(f) for f in msg):
        events.append("headline")
    return send(msg, *a, **k)
def computing(*a, **k):
    events.append("chart")
    return chart(*a, **k)
pub._really_send, V.day_chart = sending, computing
for v in [1, 2, 3, 4, 5, -1, -2, -3, -4, 0]:
    w.offset.value = v
pub._really_send, V.day_chart = send, chart
print(json.dumps(events))
"""


def test_staffing_headline_leaves_the_kernel_before_its_charts_are_computed():
    """The staffing what-if as the ROI app: each change's headline (the day's predicted
    KPIs) is sent before its charts are computed (before: the charts first, then the
    headline)."""
    assert _events_in_kernel(_STAFFING_IN_KERNEL) == ["headline", "chart"] * 10


def _events_in_kernel(code: str) -> list[str]:
    """Run ``code`` in a real kernel (this checkout first on its path); the JSON list it prints last."""
    from jupyter_client.manager import start_new_kernel

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT)] + [p for p in os.environ.get(
        "PYTHONPATH", "").split(os.pathsep) if p])}
    km, kc = start_new_kernel(kernel_name="python3", env=env, cwd=str(ROOT))
    try:
        out: list[str] = []
        reply = kc.execute_interactive(code, timeout=120, output_hook=lambda m: out.append(
            m["content"].get("text", "")) if m["msg_type"] == "stream" else None)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return json.loads("".join(out).strip().splitlines()[-1])
