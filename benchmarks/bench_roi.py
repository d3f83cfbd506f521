"""ROI benchmarks: Monte Carlo timing; the Voila simulator in headless Chromium.

Run: ``.venv/bin/python benchmarks/bench_roi.py [--no-browser]``. Prints figures only.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from cxtoolkit import roi


def bench_monte_carlo() -> None:
    inp = roi.make_inputs(**{**roi.DEFAULTS, "fixed_cost": 20000, "annual_margin": 80, "cost_per_recovery": 15})
    ranges = roi.default_ranges(inp)
    roi.monte_carlo(inp, ranges, 1000)
    for n in (10_000, 100_000, 1_000_000):
        times = []
        for _ in range(5):
            t = time.perf_counter()
            roi.monte_carlo(inp, ranges, n, seed=1)
            times.append(time.perf_counter() - t)
        print(f"monte_carlo {n:>9,} draws: best {min(times) * 1000:7.1f} ms  median {np.median(times) * 1000:7.1f} ms")


def bench_app_python() -> None:
    from cxtoolkit.apps.roi_app import build_roi_app
    sim = build_roi_app(locale="en").simulator
    times = []
    for k in np.linspace(0.2, 0.6, 10):
        sim.set_input("retention_rate", float(k))
        times.append(sim.last_update_ms)
    print(f"simulator refresh (kernel side, 100k draws): median {np.median(times):.0f} ms, max {max(times):.0f} ms")


def bench_browser() -> None:
    from playwright.sync_api import sync_playwright

    from cxtoolkit.apps.serve import free_port, start_app
    d = Path(tempfile.mkdtemp()) / "acme"
    d.mkdir()
    (d / "client.yml").write_text("client: acme\nname: Acme\nlocale: en\nroi: {acquisition_cost: 250}\n")
    t = time.perf_counter()
    srv = start_app("roi", free_port(), client="acme", client_data=str(d.parent), timeout=300)
    print(f"voila server ready (preheated kernel warm): {time.perf_counter() - t:.1f} s")
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"])
            page = b.new_page(viewport={"width": 1400, "height": 1000})
            t = time.perf_counter()
            page.goto(srv.url, timeout=300_000)
            page.wait_for_selector("#cx-net-benefit", timeout=300_000)
            t_head = time.perf_counter() - t
            page.wait_for_function("() => document.querySelector('.cx-fig-waterfall .js-plotly-plot svg')",
                                   timeout=120_000)
            print(f"page load -> headline figures: {t_head:.2f} s; -> charts drawn: {time.perf_counter() - t:.2f} s (target 3 s)")
            page.wait_for_timeout(3000)
            before = page.inner_text("#cx-net-benefit")
            inp = page.locator(".cx-in-acquisition_cost input")
            t = time.perf_counter()
            inp.fill("600")
            inp.press("Enter")
            try:
                page.wait_for_function("(b) => document.querySelector('#cx-net-benefit').innerText !== b",
                                       arg=before, timeout=20_000)
                print(f"input change -> updated headline: {(time.perf_counter() - t) * 1000:.0f} ms (target 150 ms)")
            except Exception:
                print("input change -> no update within 20 s (see report: browser-to-kernel updates)")
            b.close()
    finally:
        srv.stop()


if __name__ == "__main__":
    bench_monte_carlo()
    bench_app_python()
    if "--no-browser" not in sys.argv and Path("/usr/bin/chromium").exists():
        bench_browser()
