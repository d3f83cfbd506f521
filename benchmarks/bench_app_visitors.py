"""A room of visitors opening the ROI app (Voila) in Chromium: time to interactive per visitor.

Interactive = the headline figures are shown (``#cx-net-benefit``, checked at every animation
frame, as in ``bench_roi.py``). Scenarios, each on a freshly started server whose pool of
preheated kernels has finished running the notebook:

* ``staggered``: 3 visitors, 5 s apart;
* ``burst``: 5 visitors at once;
* ``cold``: 1 visitor, no preheated kernel (a kernel started for him: imports, data, page);
* ``solo``: 1 visitor, pool warm (what a visitor waits whose browser has the machine's cores
  to itself: the room's laptops each render their own page).

then, on each visitor's page, input → updated headline (3 changes) and → updated waterfall.

Each change is timed twice. The harness's figure (as in earlier stops): from Playwright's
``press("Enter")`` to its ``wait_for_function(polling="raf")`` returning, which includes
Playwright's driver and CDP both ways (they compete for the same cores). What the visitor
feels, in his page: from the keydown event to the first animation frame after the headline's
DOM changed (the frame that paints it), and to the frame where the waterfall shows its new
data. Each change is also traced per hop (:func:`hops`): the WebSocket messages the page
sent and received (decoded: type, the kernel's header date, which widget), so that the time
splits into harness → keydown, keydown → sent, → kernel (its busy status), kernel work →
headline sent, → received (zmq, Voila, WebSocket), → DOM, → frame, → harness; and the
widget messages per change are counted.

Where the time goes is printed with each scenario: the CPU seconds used by the server (Voila
and its kernels) and by the browser(s) from the first visit to the last interactive page, also
by process (Voila, its kernels, each Chromium, and all Chromiums by process type: browser,
renderer, GPU, utility), the page's main-thread long tasks before the headline, and the
JavaScript it parsed; and each visitor's timeline in his page's clock: HTML received (first
byte), scripts loaded, DOMContentLoaded (Voila's main script has run), the kernel's WebSocket
open, the widget states received (the largest message before the headline, and how long after
the page's last request it came: the server's and kernel's part), the headline shown. The
summary separates the server's part (first byte + widget-states reply) from the rest, spent in
the browser. The load average is printed with every figure (browsers and kernels share the
machine's 2 cores).

What is timed: the browsers are launched before the clock starts (a visitor's browser is already
open); each visitor's time runs from ``goto`` (his new tab exists) to the headline on screen;
the CPU window, from just before the visitors' tabs are opened to the last headline.

Options, so that alternatives are compared in one run:

* ``--pool N --delay S``: the preheated pool (defaults: those of ``cxtoolkit.apps.serve``);
* ``--browsers shared|separate``: all visitors in one Chromium (one context each; a room's
  laptops do not share a browser: ``separate`` launches one Chromium per visitor beforehand);
* ``--reference``: the same scenarios on plain Voila (its stock template and extensions)
  serving a trivial notebook (one number, one input), the floor this machine allows;
* ``--pages current,stop19``: the app's page as served now, and as in stop 19 (Voila's
  jupyterlab-plotly with the whole plotly.js instead of the packaged trimmed renderer);
* ``--baseline DIR``: the ROI app also served by the code of checkout DIR (e.g. main's, from
  ``git archive main``), in turn with this checkout's, each round starting with the other one.
* ``--browser-nice N``: each scenario also with the browsers at niceness N (the server and
  kernels get the CPU first: closer to a meeting where each visitor's browser runs on his own
  laptop; both figures are printed, the plain run stays the reference).

A summary (medians per scenario and page, load average) closes the run.

::

    python benchmarks/bench_app_visitors.py                                 # serve.py's defaults
    python benchmarks/bench_app_visitors.py --scenarios burst --browsers separate --reference
    python benchmarks/bench_app_visitors.py --pool 1 --delay 15             # the former settings
    python benchmarks/bench_app_visitors.py --scenarios burst --pages current,stop19 --reference
    python benchmarks/bench_app_visitors.py --scenarios solo burst --rounds 3 --baseline /tmp/main --reference
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_roi import _FIG, _SHOWN, _demo_client  # noqa: E402

from cxtoolkit.apps import serve  # noqa: E402
from cxtoolkit.apps.serve import (POOL_READY, POOL_SIZE, REFILL_DELAY_S, AppServer, free_port,  # noqa: E402
                                  start_app)

#: the app's page variants (``--pages``): settings of ``cxtoolkit.apps.serve`` while the server starts
PAGES = {"current": {},
         "stop19": {"SKIPPED_LAB_EXTENSIONS": ("anywidget", "jupyterlab_pygments"), "PLOTLY_EXTENSION": None}}

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
# In every page, before its scripts: the main thread's long tasks (ms) until the headline shows;
# every WebSocket's creation, opening, and the sizes and times of its messages (the page's clock);
# the first frame at which the headline is shown.
INIT = ("window.__cxLong = 0; new PerformanceObserver(l => { for (const e of l.getEntries())"
        " window.__cxLong += e.duration; }).observe({type: 'longtask', buffered: true});"
        "window.__cxWs = []; const __WS = window.WebSocket;"
        "window.WebSocket = class extends __WS { constructor(...a) { super(...a);"
        " const r = {url: String(a[0]), t0: performance.now(), open: null, rx: [], tx: []}; window.__cxWs.push(r);"
        " this.addEventListener('open', () => { r.open = performance.now(); });"
        " this.addEventListener('message', e => { r.rx.push([performance.now(), e.data.byteLength ?? e.data.size ?? e.data.length]);"
        " if (window.__cxTrace) window.__cxTrace.rx.push([performance.now(), e.data]); });"
        " const send = this.send.bind(this); this.send = d => { r.tx.push([performance.now(), d.byteLength ?? d.size ?? d.length]);"
        " if (window.__cxTrace) window.__cxTrace.tx.push([performance.now(), d]);"
        " return send(d); }; } };"
        "window.__cxShown = null; const __shown = " + _SHOWN + ";"
        "const __poll = () => { if (__shown()) { window.__cxShown = performance.now(); } else { requestAnimationFrame(__poll); } };"
        "requestAnimationFrame(__poll);")
#: A page's timeline (seconds from navigation start, the page's clock), read once the headline shows:
#: HTML received, scripts loaded (the last script fetched before the headline), DOMContentLoaded
#: (Voila's own scripts have run), the kernel's WebSocket open, the widget states received (the
#: largest message before the headline: Voila's reply to the widget manager's request for every
#: widget's state), the headline shown; messages and bytes received before the headline.
PAGE_STATS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const shown = window.__cxShown ?? performance.now();
  const r = performance.getEntriesByType('resource').filter(e => e.initiatorType === 'script' || e.name.endsWith('.js') || e.name.includes('.js?'));
  const ws = window.__cxWs.find(w => w.url.includes('/api/kernels/')) || {rx: [], tx: [], open: null};
  const rx = ws.rx.filter(m => m[0] <= shown);
  const big = rx.reduce((b, m) => (m[1] > b[1] ? m : b), [null, 0]);
  const reqs = ws.tx.filter(m => big[0] !== null && m[0] <= big[0]);
  return {html: nav.responseEnd / 1000, ttfb: (nav.responseStart - nav.requestStart) / 1000,
          html_kb: (nav.decodedBodySize || 0) / 1e3, dcl: nav.domContentLoadedEventEnd / 1000,
          scripts: Math.max(0, ...r.filter(e => e.startTime <= shown).map(e => e.responseEnd)) / 1000,
          n_js: r.length, ws_open: ws.open === null ? null : ws.open / 1000,
          states: big[0] === null ? null : big[0] / 1000, states_kb: big[1] / 1e3,
          states_wait: big[0] === null || !reqs.length ? null : (big[0] - reqs[reqs.length - 1][0]) / 1000,
          rx_n: rx.length, rx_kb: rx.reduce((s, m) => s + m[1], 0) / 1e3, shown: shown / 1000,
          js_mb: r.reduce((s, e) => s + (e.decodedBodySize || 0), 0) / 1e6, long_s: window.__cxLong / 1000};
}"""
#: One input change, traced in the page (armed before Enter is pressed): the keydown's timestamp,
#: every WebSocket message sent and received until the chart changed, the headline's first DOM
#: mutation and the next animation frame after it (the frame that paints it), the waterfall's
#: new data (checked at every frame). All in the page's clock (``performance.now()``), plus
#: ``performance.timeOrigin`` to put the kernel's message dates (wall clock) on the same line.
TRACE_ARM = """(fig) => {
  const T = window.__cxTrace = {rx: [], tx: [], key: null, keyRun: null, mut: null, raf: null, after: null,
                                chart: null, origin: performance.timeOrigin};
  const inp = document.querySelector('.cx-in-acquisition_cost input');
  const onKey = e => { if (e.key === 'Enter' && T.key === null) { T.key = e.timeStamp; T.keyRun = performance.now(); } };
  inp.addEventListener('keydown', onKey, {capture: true});
  // the ROI app's headline tiles; plain Voila's one-number page: the HTML widget holding it
  const head = document.querySelector('.cx-headline')
    || document.querySelector('#cx-net-benefit').closest('.widget-html') || document.body;
  const obs = new MutationObserver(() => { if (T.key === null || T.mut !== null) return;
    T.mut = performance.now(); obs.disconnect();
    requestAnimationFrame(() => { T.raf = performance.now(); setTimeout(() => { T.after = performance.now(); }, 0); }); });
  obs.observe(head, {subtree: true, childList: true, characterData: true});
  const chart = """ + _FIG + """;
  if (fig !== null) { const poll = () => { if (chart('.cx-fig-waterfall') !== fig) { T.chart = performance.now(); }
                                           else { requestAnimationFrame(poll); } }; requestAnimationFrame(poll); }
}"""
#: The traced change's messages, decoded (Jupyter's JSON and binary v1 WebSocket protocols):
#: time in the page, direction, size, channel, type, the sender's header date (epoch ms), the
#: execution state of status messages and, for widget updates, the state keys and what the
#: update is (the headline, a chart, another widget).
TRACE_READ = """() => {
  const T = window.__cxTrace; window.__cxTrace = null;
  const dec = new TextDecoder();
  const parse = (t, d, dir) => {
    let ch, header, content, size;
    try {
      if (typeof d === 'string') { size = d.length; const m = JSON.parse(d); ch = m.channel; header = m.header; content = m.content; }
      else { const b = d instanceof ArrayBuffer ? d : d.buffer; size = b.byteLength; const v = new DataView(b);
        const n = Number(v.getBigUint64(0, true)); const off = [];
        for (let i = 0; i < n; i++) off.push(Number(v.getBigUint64(8 * (i + 1), true)));
        const part = i => dec.decode(new Uint8Array(b, off[i], off[i + 1] - off[i]));
        ch = part(0); header = JSON.parse(part(1)); content = JSON.parse(part(4)); }
    } catch (e) { return {t, dir, size, err: String(e)}; }
    const data = (content && content.data) || {};
    const state = data.state || {};
    const text = JSON.stringify(state);
    const what = text.includes('cx-tiles') ? 'headline' : text.includes('vnd.plotly') ? 'chart' : (content && content.execution_state) || '';
    return {t, dir, size, ch, type: header && header.msg_type, date: header && header.date ? Date.parse(header.date) : null,
            method: data.method || null, keys: Object.keys(state), what};
  };
  return {key: T.key, keyRun: T.keyRun, mut: T.mut, raf: T.raf, after: T.after, chart: T.chart, origin: T.origin,
          now: performance.now(), msgs: T.tx.map(m => parse(m[0], m[1], 'tx')).concat(T.rx.map(m => parse(m[0], m[1], 'rx')))
                                      .sort((a, b) => a.t - b.t)};
}"""


def hops(tr: dict, t_press: float, t_head: float) -> dict:
    """One traced change as hops (ms): ``tr`` from :data:`TRACE_READ`, ``t_press`` / ``t_head``
    the harness's wall clock (``time.time()``) before ``press`` and when its wait for the
    headline returned. Keys (each from the previous point, ``None`` when not seen):

    press->keydown (the harness: Playwright's driver and CDP), keydown->sent (the browser:
    the widget's handler to the WebSocket), sent->kernel (server and zmq, to the kernel's
    first message, its busy status), kernel->headline sent (the kernel's work before the
    headline update), headline sent->received (kernel -> zmq -> server -> WebSocket), received
    ->DOM (the widget manager), DOM->frame (to the next animation frame: what the user
    sees), frame->harness (Playwright's raf polling and CDP back); and the totals, the
    messages received per change by kind, and the chart's own hops."""
    o = tr["origin"]
    key = tr["key"]
    if key is None:
        return {}
    msgs = [m for m in tr["msgs"] if "err" not in m]
    sent = next((m for m in msgs if m["dir"] == "tx" and m["t"] >= key and m.get("type") == "comm_msg"), None)
    rx = [m for m in msgs if m["dir"] == "rx" and (sent is None or m["t"] >= sent["t"])]
    busy = next((m for m in rx if m["what"] == "busy"), None)
    head = next((m for m in rx if m["what"] == "headline"), None)
    chart = next((m for m in rx if m["what"] == "chart"), None)
    idle = next((m for m in rx if m["what"] == "idle"), None)

    def d(a, b):
        return None if a is None or b is None else b - a

    def kt(m):  # a kernel message's date on the page's clock
        return None if m is None or m["date"] is None else m["date"] - o

    comm = [m for m in rx if m.get("type") == "comm_msg"]
    out = {
        "press->keydown": d(t_press * 1000 - o, key),
        "keydown->sent": d(key, sent and sent["t"]),
        "sent->kernel": d(sent and sent["t"], kt(busy)),
        "kernel->headline sent": d(kt(busy), kt(head)),
        "headline sent->received": d(kt(head), head and head["t"]),
        "received->DOM": d(head and head["t"], tr["mut"]),
        "DOM->frame": d(tr["mut"], tr["raf"]),
        "frame->harness": d(tr["raf"], t_head * 1000 - o),
        "keydown->frame": d(key, tr["raf"]),
        "harness": d(t_press * 1000 - o, t_head * 1000 - o),
        "harness - in page": d(d(key, tr["raf"]), d(t_press * 1000 - o, t_head * 1000 - o)),
        "headline sent->chart sent": d(kt(head), kt(chart)),
        "chart sent->received": d(kt(chart), chart and chart["t"]),
        "chart received->drawn": d(chart and chart["t"], tr["chart"]),
        "keydown->chart drawn": d(key, tr["chart"]),
        "kernel busy->idle": d(kt(busy), kt(idle)),
        "chart received before frame": (chart is not None and tr["raf"] is not None and chart["t"] < tr["raf"]),
        "comm messages": len(comm), "comm kB": sum(m["size"] for m in comm) / 1e3,
        "messages": len(rx), "order": [m["what"] or m.get("type") for m in rx if m["t"] <= (tr["chart"] or 1e18)],
    }
    return out


TRIVIAL = {  # the reference: one number and one input, nothing imported but ipywidgets
    "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": [
        "import ipywidgets as W\n",
        "h = W.HTML('<b id=\"cx-net-benefit\">1</b>')\n",
        "x = W.FloatText(1.0)\n",
        "x.add_class('cx-in-acquisition_cost')\n",
        "x.observe(lambda ch: setattr(h, 'value', f'<b id=\"cx-net-benefit\">{2 * ch[\"new\"]}</b>'), names='value')\n",
        "display(W.VBox([h, x]))\n"]}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5}


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def _tree(pid: int) -> list:
    import psutil
    try:
        root = psutil.Process(pid)
        return [root] + root.children(recursive=True)
    except psutil.Error:
        return []


class CpuMeter:
    """CPU seconds used by the server's process tree and by everything else we started (the
    browsers), sampled every 0.2 s so that processes ending (a closed page) keep their share.

    Each process is also put in a finer group (:meth:`groups`): the Voila server itself, its
    kernels, and each Chromium (all its processes: browser, renderer, GPU, utilities) by launch
    order, with a split by Chromium process type over all browsers."""

    def __init__(self, server_pid: int):
        self.server_pid, self.seen, self._stop = server_pid, {}, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.roots: list[int] = []   # each Chromium's main process, in the order first seen

    def _chromium_root(self, p) -> int:
        import psutil
        root = p
        with contextlib.suppress(psutil.Error):
            while (parent := root.parent()) is not None and "chrom" in parent.name():
                root = parent
        if root.pid not in self.roots:
            self.roots.append(root.pid)
        return root.pid

    def _sample(self) -> None:
        import psutil
        server = {p.pid for p in _tree(self.server_pid)}
        for p in _tree(os.getpid())[1:]:
            try:
                cmd = p.cmdline()
                c = p.cpu_times()
                if p.pid in server:
                    kind, group = "server", "voila" if p.pid == self.server_pid else "kernels"
                elif "chrom" in Path(cmd[0]).name:
                    ptype = next((a.split("=", 1)[1] for a in cmd if a.startswith("--type=")), "browser")
                    kind, group = "browser", (self._chromium_root(p), ptype)
                else:
                    kind, group = "driver", "playwright"   # driver: Playwright's
                self.seen[p.pid] = (kind, group, c.user + c.system)
            except (psutil.Error, IndexError):
                pass

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            time.sleep(0.2)

    def totals(self) -> dict[str, float]:
        out = {"server": 0.0, "browser": 0.0, "driver": 0.0}
        for kind, _g, s in self.seen.values():
            out[kind] += s
        return out

    def groups(self) -> dict[str, float]:
        """CPU seconds by group: voila, kernels, chromium 1..n, chromium <process type>."""
        out: dict[str, float] = {}
        for _kind, g, s in self.seen.values():
            keys = [g] if isinstance(g, str) else [f"chromium {self.roots.index(g[0]) + 1}", f"chromium {g[1]}"]
            for k in keys:
                out[k] = out.get(k, 0.0) + s
        return out

    def __enter__(self) -> "CpuMeter":
        self._sample()
        self.start, self.start_groups = self.totals(), self.groups()
        self.thread.start()
        return self

    def mark(self) -> dict[str, float]:
        """CPU seconds used since ``__enter__`` (and by group, under ``"groups"``)."""
        self._sample()
        now, groups = self.totals(), self.groups()
        out = {k: now[k] - self.start[k] for k in now}
        out["groups"] = {k: v - self.start_groups.get(k, 0.0) for k, v in groups.items()}
        return out

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self.thread.join()


class BrowserNice:
    """Runs the browsers (every Chromium process this script started) at niceness ``nice``
    while in effect, checked every 0.1 s (renderers start during the visit; Chromium may set
    its own priorities): the server and its kernels get the CPU first, as when the visitors'
    browsers run on their own laptops. ``nice=0``: nothing done."""

    def __init__(self, nice: int):
        self.nice, self._stop = nice, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil
        while not self._stop.is_set():
            for p in _tree(os.getpid())[1:]:
                with contextlib.suppress(psutil.Error, IndexError):
                    if "chrom" in Path(p.cmdline()[0]).name and p.nice() != self.nice:
                        p.nice(self.nice)
            self._stop.wait(0.1)

    def __enter__(self) -> "BrowserNice":
        if self.nice:
            self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self.thread.is_alive():
            self.thread.join()


def wait_quiet(pid: int, timeout: float = 300, below: float = 0.15) -> float:
    """Wait until the server and its kernels use less than ``below`` of a core over 1 s
    (every preheated kernel has run the notebook); returns the seconds waited."""
    import psutil

    t0 = time.monotonic()

    def cpu() -> float:
        total = 0.0
        for p in _tree(pid):
            try:
                c = p.cpu_times()
                total += c.user + c.system
            except psutil.Error:
                pass
        return total

    time.sleep(2)
    while time.monotonic() - t0 < timeout:
        a = cpu()
        time.sleep(1)
        if cpu() - a < below:
            break
    return time.monotonic() - t0


async def visitor(browser, url: str, start_after: float, changes: int, charts: bool,
                  trace: bool = True) -> dict:
    await asyncio.sleep(start_after)
    ctx = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await ctx.add_init_script(INIT)
    page = await ctx.new_page()
    errors: list[str] = []   # the page's console errors, quoted when it never becomes interactive
    page.on("console", lambda m: errors.append(m.text[:300])
            if m.type == "error" or (m.type == "warning" and "link preload" not in m.text) else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {str(e)[:300]}"))
    t = time.perf_counter()
    await page.goto(url, timeout=300_000, wait_until="commit")
    try:
        await page.wait_for_function(_SHOWN, timeout=120_000, polling="raf")
    except Exception as exc:  # a page that never became interactive: say what it shows
        text = " ".join((await page.inner_text("body")).split())[:300]
        kernel = await page.evaluate("() => { const c = document.getElementById('jupyter-config-data');"
                                     " return c ? JSON.parse(c.textContent).kernelId : null; }")
        await ctx.close()
        return {"at": start_after, "failed": f"{type(exc).__name__}; page: {text!r}; console: {errors[:8]!r}",
                "kernel": kernel, "t_interactive": time.perf_counter()}
    res = {"at": start_after, "interactive_s": time.perf_counter() - t, "load": load(), "heads_ms": [],
           "figs_ms": [], **await page.evaluate(PAGE_STATS)}
    res["t_interactive"] = time.perf_counter()
    inp = page.locator(".cx-in-acquisition_cost input")
    if charts:  # the first chart, then each change's headline and chart
        await page.wait_for_function(f"() => ({_FIG})('.cx-fig-waterfall') !== null", timeout=120_000)
    res["hops"] = []
    for i in range(changes):
        before = await page.inner_text("#cx-net-benefit")
        fig = await page.evaluate(_FIG, ".cx-fig-waterfall") if charts else None
        await inp.fill(str(400 + 37 * (i + 1) + int(start_after)))
        if trace:
            await page.evaluate(TRACE_ARM, fig)
        t, t_press = time.perf_counter(), time.time()
        await inp.press("Enter")
        await page.wait_for_function("(b) => document.querySelector('#cx-net-benefit').innerText !== b",
                                     arg=before, timeout=30_000, polling="raf")
        res["heads_ms"].append((time.perf_counter() - t) * 1000)
        t_head = time.time()
        if charts:
            await page.wait_for_function(f"(b) => ({_FIG})('.cx-fig-waterfall') !== b", arg=fig,
                                         timeout=30_000, polling="raf")
            res["figs_ms"].append((time.perf_counter() - t) * 1000)
        await page.wait_for_timeout(300)
        if trace:
            res["hops"].append(hops(await page.evaluate(TRACE_READ), t_press, t_head))
    res["load_changes"] = load()
    await ctx.close()
    return res


async def scenario(url: str, starts: list[float], changes: int, browsers: str, server_pid: int,
                   charts: bool, nice: int = 0) -> tuple[list[dict], dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        n = len(starts) if browsers == "separate" else 1
        launched = [await p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS) for _ in range(n)]
        try:
            with BrowserNice(nice), CpuMeter(server_pid) as meter:
                t0 = time.perf_counter()
                tasks = [asyncio.ensure_future(visitor(launched[i % n], url, s, changes, charts))
                         for i, s in enumerate(starts)]
                out = await asyncio.gather(*tasks)
                # CPU until the last visitor was interactive ~ the CPU of the page loads
                cpu = meter.mark()
            cpu["until_s"] = max(r["t_interactive"] for r in out) - t0
            return out, cpu
        finally:
            for b in launched:
                await b.close()


def start_plain_voila(nb: Path, port: int, pool: int, delay: float) -> AppServer:
    """Stock Voila (its own template and lab extensions) serving ``nb`` with a pool."""
    log = Path(tempfile.mkstemp(prefix="bench-plain-voila-", suffix=".log")[1])
    with open(log, "wb") as f:
        proc = subprocess.Popen([sys.executable, "-m", "voila", str(nb), f"--port={port}", "--no-browser",
                                 "--Voila.port_retries=0", "--Voila.ip=127.0.0.1",
                                 f"--preheat_kernel={pool > 0}", f"--pool_size={pool}",
                                 f"--VoilaKernelManager.fill_delay={delay}"],
                                cwd=str(nb.parent), stdout=f, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    srv = AppServer(f"http://127.0.0.1:{port}/", proc, port, log)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        text = log.read_text(errors="replace")
        if (POOL_READY in text or pool == 0) and "http://127.0.0.1" in text:
            break
        time.sleep(0.3)
    return srv


@contextlib.contextmanager
def page_settings(page: str):
    """``cxtoolkit.apps.serve`` with the settings of page variant ``page`` (:data:`PAGES`)."""
    saved = {k: getattr(serve, k) for k in PAGES[page]}
    for k, v in PAGES[page].items():
        setattr(serve, k, v)
    try:
        yield
    finally:
        for k, v in saved.items():
            setattr(serve, k, v)


#: Starts the ROI app with the code of another checkout (``--baseline DIR``): run with
#: ``PYTHONPATH=DIR`` (the launcher, Voila and its kernels then import DIR's cxtoolkit); prints
#: the server's URL, process id and log, stops it when its standard input closes.
LAUNCHER = """
import json, sys
from cxtoolkit.apps.serve import free_port, start_app
pool = int(sys.argv[2])
srv = start_app("roi", free_port(), client="demo", client_data=sys.argv[1], timeout=600, pool_size=pool,
                fill_delay=float(sys.argv[3]), wait_preheat=pool > 0)
print(json.dumps({"url": srv.url, "pid": srv.process.pid, "log": str(srv.log_path)}), flush=True)
sys.stdin.read()
srv.stop()
"""


class CheckoutServer:
    """The ROI app served by the code of checkout ``code`` (``AppServer``'s ``url``, ``process.pid``,
    ``log_path``, ``stop()``)."""

    def __init__(self, code: Path, base: Path, pool: int, delay: float):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(code)] + [p for p in os.environ.get(
            "PYTHONPATH", "").split(os.pathsep) if p and Path(p).resolve() != ROOT])}
        self.launcher = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(base), str(pool), str(delay)],
                                         cwd=str(code), env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         text=True)
        info = json.loads(self.launcher.stdout.readline())
        self.url, self.log_path = info["url"], Path(info["log"])
        self.process = type("P", (), {"pid": info["pid"]})()

    def stop(self) -> None:
        self.launcher.stdin.close()
        self.launcher.wait(60)


ROOT = Path(__file__).resolve().parents[1]


def _group_order(k: str) -> tuple:
    """voila, kernels, chromium 1..n, chromium by process type, playwright."""
    tail = k.split()[-1]
    return ({"voila": 0, "kernels": 1}.get(k, 2 if tail.isdigit() else 3 if k.startswith("chromium") else 4),
            int(tail) if tail.isdigit() else 0, k)


def _timeline(r: dict) -> str:
    """One visitor's timeline (page clock, s): HTML, scripts, DOMContentLoaded, WebSocket open,
    widget states, headline; and what the server took of it (first byte, states reply)."""
    def f(v) -> str:
        return "-" if v is None else f"{v:.2f}"
    return (f"HTML {f(r['html'])} (first byte {f(r['ttfb'])}, {r['html_kb']:.0f} kB), scripts {f(r['scripts'])} "
            f"({r['n_js']} files), DOM ready {f(r['dcl'])}, kernel WS open {f(r['ws_open'])}, widget states "
            f"{f(r['states'])} ({r['states_kb']:.0f} kB, reply after {f(r['states_wait'])}), headline {f(r['shown'])}; "
            f"before it {r['rx_n']} messages {r['rx_kb']:.0f} kB")


def run(name: str, starts: list[float], pool: int, delay: float, base: Path, changes: int,
        browsers: str, reference: bool, page: str = "current", code: Path | None = None,
        nice: int = 0) -> tuple[list[dict], dict]:
    t = time.perf_counter()
    if reference:
        nb = Path(tempfile.mkdtemp(prefix="bench-trivial-")) / "trivial.ipynb"
        nb.write_text(json.dumps(TRIVIAL), encoding="utf-8")
        srv = start_plain_voila(nb, free_port(), pool, delay)
    elif code is not None:
        srv = CheckoutServer(code, base, pool, delay)
    else:
        with page_settings(page):
            srv = start_app("roi", free_port(), client="demo", client_data=str(base), timeout=600,
                            pool_size=pool, fill_delay=delay, wait_preheat=pool > 0)
    label = ("plain Voila, trivial notebook" if reference else f"ROI app, code {code}" if code
             else f"ROI app, page {page}")
    try:
        ready = time.perf_counter() - t
        quiet = wait_quiet(srv.process.pid)
        print(f"\n{name} [{label}; browsers: {browsers}{f', at nice {nice}' if nice else ''}]: pool {pool}, refill delay {delay:g} s — server ready "
              f"{ready:.1f} s, pool warm after {ready + quiet:.1f} s (load {load()})", flush=True)
        out, cpu = asyncio.run(scenario(srv.url, starts, changes, browsers, srv.process.pid, not reference, nice))
    finally:
        srv.stop()
    for i, r in enumerate(out, 1):
        if "failed" in r:
            lines = srv.log_path.read_text(errors="replace").splitlines()
            mine = [x for x in lines if r.get("kernel") and r["kernel"] in x]   # its kernel's lines
            print(f"  visitor {i} (at +{r['at']:g} s): NOT interactive after 120 s ({r['failed']}); kernel "
                  f"{r.get('kernel')}; server log: " + " | ".join((mine or lines)[-12:]))
            continue
        heads, figs = r["heads_ms"], r["figs_ms"]
        print(f"  visitor {i} (at +{r['at']:g} s): page received {r['html']:.2f} s, interactive "
              f"{r['interactive_s']:.2f} s (load {r['load']}); main-thread long tasks {r['long_s']:.2f} s, "
              f"JS {r['js_mb']:.1f} MB"
              + (f"; input -> headline median {statistics.median(heads):.0f} ms max {max(heads):.0f} ms"
                 if heads else "")
              + (f", -> chart median {statistics.median(figs):.0f} ms max {max(figs):.0f} ms" if figs else "")
              + (f"; in page (keydown -> next frame): headline {statistics.median(v):.0f} ms"
                 if (v := _in_page([r], "keydown->frame")) else "")
              + (f", chart {statistics.median(v):.0f} ms" if (v := _in_page([r], "keydown->chart drawn")) else "")
              + (f" (load {r['load_changes']})" if "load_changes" in r else ""))
        print(f"      {_timeline(r)}")
        if r.get("hops"):
            print(f"      input hops (medians): {hop_line(r['hops'])}")
    print(f"  CPU from the first visit to the last interactive page ({cpu['until_s']:.1f} s): server "
          f"{cpu['server']:.1f} s, browser(s) {cpu['browser']:.1f} s, Playwright {cpu['driver']:.1f} s (2 cores: {2 * cpu['until_s']:.1f} "
          f"core-seconds available; load {load()})", flush=True)
    g = cpu["groups"]
    print("  CPU by process: " + ", ".join(f"{k} {g[k]:.1f} s" for k in sorted(g, key=_group_order)), flush=True)
    return out, cpu


HOPS = ("press->keydown", "keydown->sent", "sent->kernel", "kernel->headline sent", "headline sent->received",
        "received->DOM", "DOM->frame", "frame->harness")


def hop_line(hs: list[dict]) -> str:
    """Medians (ms) of traced changes ``hs`` (:func:`hops`): the headline's hops, what the user
    sees (keydown -> the frame after the headline's mutation) beside the harness's figure,
    the chart's hops, and the messages per change."""
    hs = [h for h in hs if h]
    if not hs:
        return "no traced change"

    def med(k: str) -> str:
        v = [h[k] for h in hs if h.get(k) is not None]
        return f"{statistics.median(v):.0f}" if v else "-"
    before = sum(bool(h["chart received before frame"]) for h in hs)
    orders = {" ".join(h["order"]) for h in hs}
    return (" | ".join(f"{k} {med(k)}" for k in HOPS) + f" ms; keydown->frame {med('keydown->frame')} ms (harness "
            f"{med('harness')}, the harness's own part {med('harness - in page')}); chart: headline sent->chart sent {med('headline sent->chart sent')}, sent->received "
            f"{med('chart sent->received')}, received->drawn {med('chart received->drawn')}, keydown->drawn "
            f"{med('keydown->chart drawn')} ms; kernel busy->idle {med('kernel busy->idle')} ms; chart received "
            f"before the headline's frame in {before}/{len(hs)}; per change {med('comm messages')} widget messages "
            f"({med('comm kB')} kB), {med('messages')} in all; order: {' / '.join(sorted(orders)[:2])}")


def _in_page(rs: list[dict], key: str) -> list[float]:
    """Hop ``key`` (:func:`hops`) of every traced change of visitors ``rs``."""
    return [h[key] for r in rs for h in r.get("hops", []) if h and h.get(key) is not None]


def summary(rows: list[tuple[str, str, list[dict], dict]]) -> None:
    """Medians per scenario and page, over the visitors of all its rounds."""
    def med(vals: list[float], fmt: str) -> str:
        vals = [v for v in vals if v is not None]
        return format(statistics.median(vals), fmt) if vals else "-"

    print("\nsummary (medians over the visitors of every round; max in brackets):")
    for scen, label in dict.fromkeys((r[0], r[1]) for r in rows):
        runs = [(out, cpu) for s_, l_, out, cpu in rows if (s_, l_) == (scen, label)]
        ok = [r for out, _ in runs for r in out if "failed" not in r]
        inter = [r["interactive_s"] for r in ok]
        failed = sum(len(out) for out, _ in runs) - len(ok)
        groups = [c["groups"] for _, c in runs]
        print(f"  {scen:9s} {label:32s} interactive {med(inter, '.2f')} s [{max(inter, default=float('nan')):.2f}]"
              f"{f' ({failed} NOT interactive)' if failed else ''}; input -> headline "
              f"{med([m for r in ok for m in r['heads_ms']], '.0f')} ms (in page {med(_in_page(ok, 'keydown->frame'), '.0f')}), "
              f"-> chart {med([m for r in ok for m in r['figs_ms']], '.0f')} ms (in page "
              f"{med(_in_page(ok, 'keydown->chart drawn'), '.0f')}), load during the changes "
              f"{med([float(r['load_changes']) for r in ok if 'load_changes' in r], '.1f')}; "
              f"browser CPU {med([c['browser'] for _, c in runs], '.1f')} s, server {med([c['server'] for _, c in runs], '.1f')} s "
              f"(Voila {med([g.get('voila', 0) for g in groups], '.1f')}, kernels {med([g.get('kernels', 0) for g in groups], '.1f')}) "
              f"per round; JS {med([r['js_mb'] for r in ok], '.1f')} MB, long tasks {med([r['long_s'] for r in ok], '.2f')} s "
              f"per page; load {med([float(r['load']) for r in ok], '.1f')}")
        print(f"  {'':9s} {'':32s} timeline: HTML {med([r['html'] for r in ok], '.2f')}, scripts "
              f"{med([r['scripts'] for r in ok], '.2f')}, DOM ready {med([r['dcl'] for r in ok], '.2f')}, WS open "
              f"{med([r['ws_open'] for r in ok], '.2f')}, widget states {med([r['states'] for r in ok], '.2f')} "
              f"({med([r['states_kb'] for r in ok], '.0f')} kB), headline {med([r['shown'] for r in ok], '.2f')} s; "
              f"server's part: first byte {med([r['ttfb'] for r in ok], '.2f')} + states reply "
              f"{med([r['states_wait'] for r in ok], '.2f')} s")
        if any(r.get("hops") for r in ok):
            print(f"  {'':9s} {'':32s} input hops: {hop_line([h for r in ok for h in r.get('hops', [])])}")
            print(f"  {'':9s} {'':32s} per visitor, input -> headline median (ms), harness: "
                  + ", ".join(f"{statistics.median(r['heads_ms']):.0f}" for r in ok if r["heads_ms"])
                  + "; in page (keydown -> frame): " + ", ".join(med(_in_page([r], "keydown->frame"), ".0f") for r in ok)
                  + "; -> chart, harness: " + ", ".join(f"{statistics.median(r['figs_ms']):.0f}" for r in ok if r["figs_ms"])
                  + "; in page: " + ", ".join(med(_in_page([r], "keydown->chart drawn"), ".0f") for r in ok))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pool", type=int, default=POOL_SIZE)
    ap.add_argument("--delay", type=float, default=REFILL_DELAY_S)
    ap.add_argument("--changes", type=int, default=3)
    ap.add_argument("--browsers", choices=("shared", "separate"), default="separate")
    ap.add_argument("--reference", action="store_true", help="also plain Voila serving a trivial notebook")
    ap.add_argument("--baseline", type=Path, default=None, metavar="DIR",
                    help="also the ROI app served by the code of checkout DIR (e.g. main's), alternating with this one")
    ap.add_argument("--scenarios", nargs="*", default=["staggered", "burst", "cold"])
    ap.add_argument("--pages", default="current", help=f"comma-separated, of {', '.join(PAGES)}")
    ap.add_argument("--rounds", type=int, default=1, help="repeat every scenario (medians in the summary)")
    ap.add_argument("--browser-nice", type=int, default=None, metavar="N",
                    help="also run each scenario with the browsers at niceness N (e.g. 10): the server and kernels "
                         "get the CPU first, as when the visitors' browsers run on their own laptops")
    ap.add_argument("--no-bytecode", action="store_true",
                    help="do not compile cxtoolkit's bytecode first (each kernel compiles it, as with PYTHONDONTWRITEBYTECODE=1)")
    args = ap.parse_args()
    pages = args.pages.split(",")
    if unknown := set(pages) - set(PAGES):
        ap.error(f"--pages: unknown {sorted(unknown)}")
    if args.baseline is not None and not (args.baseline / "cxtoolkit" / "apps" / "serve.py").is_file():
        ap.error(f"--baseline {args.baseline}: no cxtoolkit/apps/serve.py there")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from installed import prepare

    prepare([None] + ([args.baseline] if args.baseline is not None else []), not args.no_bytecode)
    base = _demo_client()
    plans = {"staggered": [0.0, 5.0, 10.0], "burst": [0.0] * 5, "cold": [0.0], "solo": [0.0]}
    rows = []
    for i in range(args.rounds):
        for name in args.scenarios:
            pool = 0 if name == "cold" else args.pool
            variants = [(False, p, None) for p in pages]
            if args.baseline is not None:   # this code and the baseline's in turn, first one then the other
                variants = (variants + [(False, "", args.baseline.resolve())])[::1 if i % 2 == 0 else -1]
            variants += [(True, "", None)] if args.reference else []
            nices = [0] + ([args.browser_nice] if args.browser_nice else [])
            for nice in nices if i % 2 == 0 else nices[::-1]:
                for reference, page, code in variants:
                    out, cpu = run(name, plans[name], pool, args.delay, base, args.changes, args.browsers, reference,
                                   page or "current", code, nice)
                    rows.append((name, ("plain Voila (trivial notebook)" if reference else
                                        f"ROI app, baseline {code.name}" if code else f"ROI app, page {page}")
                                 + (f", browsers nice {nice}" if nice else ""), out, cpu))
    summary(rows)


if __name__ == "__main__":
    main()
