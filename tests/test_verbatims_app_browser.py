"""``cxtoolkit app verbatims`` in headless Chromium, with script in the customers' comments:
the comments are shown as typed and nothing from them runs (issue 17, item 1)."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from browser import chromium, need_chromium
from cxtoolkit import resources

PAYLOADS = ['<img src=x onerror="window.__xss=1">', "<svg onload=\"window.__xss=2\">",
            "<iframe srcdoc=\"<script>parent.__xss=3</script>\"></iframe>", "[clic](javascript:window.__xss=4)"]

pytestmark = pytest.mark.browser


def test_script_in_comments_never_runs_in_the_app(tmp_path):
    need_chromium()
    from cxtoolkit.apps import serve
    from cxtoolkit.datasets import generate_client

    demo = tmp_path / "client_data" / "demo"
    demo.mkdir(parents=True)
    shutil.copy(resources.demo_client_yml("demo"), demo / "client.yml")
    generate_client(demo, n_contacts=3_000, n_responses=1_200, months=2)
    r = pd.read_csv(demo / "responses.csv", dtype=str, keep_default_na=False)
    with_text = r.index[r["verbatim"] != ""]
    for k, i in enumerate(with_text):                  # every comment carries a payload
        r.loc[i, "verbatim"] = PAYLOADS[k % len(PAYLOADS)] + " " + r.loc[i, "verbatim"]
    r.to_csv(demo / "responses.csv", index=False)

    server = serve.start_app("verbatims", serve.free_port(), client="demo", client_data=str(demo.parent),
                             timeout=240, log_path=tmp_path / "verbatims.log")
    try:
        with chromium() as browser:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(server.url, timeout=180_000, wait_until="commit")
            page.wait_for_selector(".cx-app .jp-RenderedMarkdown blockquote", timeout=180_000)
            page.wait_for_timeout(1_500)                 # let any handler fire
            assert page.evaluate("() => window.__xss") is None
            app = ".cx-app"
            found = page.eval_on_selector_all(f"{app} img:not(.plot-img), {app} iframe, {app} a[href^='javascript'], {app} [onload], "
                                              f"{app} [onerror]", "els => els.map(e => e.outerHTML.slice(0, 200))")
            assert found == []
            quotes = " ".join(page.locator(f"{app} .jp-RenderedMarkdown blockquote").all_inner_texts())
            assert any(p in quotes for p in PAYLOADS), quotes[:500]      # shown as typed
    finally:
        server.stop()
