"""A room of visitors opening the ROI app (Voila) in Chromium: time to interactive per visitor.

Interactive = the headline figures are shown (``#cx-net-benefit``, checked at every animation
frame, as in ``bench_roi.py``). Scenarios, each on a freshly started server whose pool of
preheated kernels has finished running the notebook:

* ``staggered``: 3 visitors, 5 s apart (each in its own browser context);
* ``burst``: 5 visitors at once;
* ``cold``: 1 visitor, no preheated kernel (a kernel started for him: imports, data, page).

then, on each visitor's page, input → updated headline (3 changes). Pool settings are given
on the command line so options can be compared in one run; the load average is printed with
every figure (the browser and the kernels share the machine's 2 cores)::

    python benchmarks/bench_app_visitors.py                       # the defaults of serve.py
    python benchmarks/bench_app_visitors.py --pool 1 --delay 15   # the former settings
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_roi import _SHOWN, _demo_client  # noqa: E402

from cxtoolkit.apps.serve import POOL_SIZE, REFILL_DELAY_S, free_port, start_app  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def wait_quiet(pid: int, timeout: float = 300, below: float = 0.15) -> float:
    """Wait until the server and its kernels use less than ``below`` of a core over 1 s
    (every preheated kernel has run the notebook); returns the seconds waited."""
    import psutil

    t0 = time.monotonic()
    root = psutil.Process(pid)

    def cpu() -> float:
        procs = [root] + root.children(recursive=True)
        total = 0.0
        for p in procs:
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


async def visitor(browser, url: str, start_after: float, changes: int) -> dict:
    await asyncio.sleep(start_after)
    ctx = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await ctx.new_page()
    t = time.perf_counter()
    await page.goto(url, timeout=300_000, wait_until="commit")
    await page.wait_for_function(_SHOWN, timeout=300_000, polling="raf")
    res = {"at": start_after, "interactive_s": time.perf_counter() - t, "load": load(), "heads_ms": [],
           # the server's part: the pre-rendered page received (navigation timing, s)
           "html_s": await page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd / 1000")}
    inp = page.locator(".cx-in-acquisition_cost input")
    for i in range(changes):
        before = await page.inner_text("#cx-net-benefit")
        await inp.fill(str(400 + 37 * (i + 1) + int(start_after)))
        t = time.perf_counter()
        await inp.press("Enter")
        await page.wait_for_function("(b) => document.querySelector('#cx-net-benefit').innerText !== b",
                                     arg=before, timeout=30_000, polling="raf")
        res["heads_ms"].append((time.perf_counter() - t) * 1000)
        await page.wait_for_timeout(300)
    await ctx.close()
    return res


async def scenario(url: str, starts: list[float], changes: int) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            return await asyncio.gather(*(visitor(browser, url, s, changes) for s in starts))
        finally:
            await browser.close()


def run(name: str, starts: list[float], pool: int, delay: float, base: Path, changes: int) -> list[dict]:
    t = time.perf_counter()
    srv = start_app("roi", free_port(), client="demo", client_data=str(base), timeout=600,
                    pool_size=pool, fill_delay=delay, wait_preheat=pool > 0)
    try:
        ready = time.perf_counter() - t
        quiet = wait_quiet(srv.process.pid)
        print(f"\n{name}: pool {pool}, refill delay {delay:g} s — server ready {ready:.1f} s, pool warm after "
              f"{ready + quiet:.1f} s (load {load()})")
        out = asyncio.run(scenario(srv.url, starts, changes))
    finally:
        srv.stop()
    for i, r in enumerate(out, 1):
        heads = r["heads_ms"]
        print(f"  visitor {i} (at +{r['at']:g} s): page received {r['html_s']:.2f} s, interactive "
              f"{r['interactive_s']:.2f} s (load {r['load']})"
              + (f", input -> headline median {statistics.median(heads):.0f} ms max {max(heads):.0f} ms"
                 if heads else ""))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pool", type=int, default=POOL_SIZE)
    ap.add_argument("--delay", type=float, default=REFILL_DELAY_S)
    ap.add_argument("--changes", type=int, default=3)
    ap.add_argument("--scenarios", nargs="*", default=["staggered", "burst", "cold"])
    args = ap.parse_args()
    base = _demo_client()
    plans = {"staggered": [0.0, 5.0, 10.0], "burst": [0.0] * 5, "cold": [0.0]}
    for name in args.scenarios:
        pool = 0 if name == "cold" else args.pool
        run(name, plans[name], pool, args.delay, base, args.changes)


if __name__ == "__main__":
    main()
