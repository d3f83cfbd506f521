"""What an app's page makes each visitor's browser load (issue 16: five executives opening
the link at once share a meeting room's network, and on the benchmark machine two cores).

The page loads the packaged Plotly renderer (``cxtoolkit-plotly``: plotly.js with the trace
types the figures use, 1.4 MB) instead of jupyterlab-plotly (the whole plotly.js, 4.8 MB,
~1.5-3 s of a browser's CPU to load and start), and no extension the apps do not use.
Figures: ``benchmarks/bench_app_visitors.py --page stop19``, docs/apps.md.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cxtoolkit import resources
from cxtoolkit.apps import serve

ROOT = Path(__file__).resolve().parents[1]
EXT = resources.labextensions_dir() / serve.PLOTLY_EXTENSION


def _bundle() -> Path:
    (path,) = (EXT / "static").glob("plotly-cx.*.js")
    return path


def test_packaged_renderer_is_complete():
    """The committed build: package.json names an entry that exists, the entry loads the
    bundle that exists (the URL the page preloads), licences listed."""
    pkg = json.loads((EXT / "package.json").read_text(encoding="utf-8"))
    assert pkg["name"] == serve.PLOTLY_EXTENSION and pkg["jupyterlab"]["mimeExtension"] is True
    entry = EXT / pkg["jupyterlab"]["_build"]["load"]
    assert entry.is_file()
    bundle = _bundle()
    digest = bundle.name.split(".")[1]
    assert f'"{bundle.name}?v={digest}"' in entry.read_text(encoding="utf-8")
    assert f"static/{bundle.name}?v={digest}" in serve.labextension_chunks()[serve.PLOTLY_EXTENSION]
    licences = json.loads((EXT / "static" / "third-party-licenses.json").read_text(encoding="utf-8"))
    assert {"plotly.js", "@plotly/d3"} <= {p["name"] for p in licences["packages"]}


def test_bundle_draws_every_trace_type_the_figures_use():
    """A trace type missing from the trimmed plotly.js would be drawn as a scatter (the ROI
    waterfall was, in the first build)."""
    used = set()
    for src in (ROOT / "cxtoolkit").rglob("*.py"):
        text = src.read_text(encoding="utf-8")
        used |= {m.lower() for m in re.findall(r"\bgo\.([A-Z][A-Za-z]+)\(", text)} - {"figure"}
        used |= {m.lower() for m in re.findall(r"""\btype=["']([A-Z][A-Za-z]+)["']""", text)}
    assert {"bar", "scatter", "waterfall"} <= used
    drawn = set(re.findall(r'moduleType:"trace",name:"(\w+)"', _bundle().read_text(encoding="utf-8")))
    assert used <= drawn, f"trace types not in the bundle: {sorted(used - drawn)} (js/plotly-renderer/plotly-traces.js)"


def test_template_bundles_voilas_chunks_and_stills_the_spinner(tmp_path):
    """The apps' template loads Voila's ~70 chunks as one script before Voila's main script
    (each request costs a browser loaded by five pages CPU time), and Voila's spinner does not
    turn (an endless animation: frames drawn in every waiting browser)."""
    from importlib.metadata import version

    recorded = json.loads(resources.voila_page_chunks().read_text(encoding="utf-8"))
    if version("voila") != recorded["voila"]:
        pytest.skip(f"chunks recorded for Voila {recorded['voila']}, Voila {version('voila')} installed")
    name = serve.offline_template(tmp_path)
    folder = tmp_path / "voila" / "templates" / name
    page = (folder / "index.html.j2").read_text(encoding="utf-8")
    bundle = (folder / "static" / serve.CHUNK_BUNDLE).read_text(encoding="utf-8")
    tag = page.index(f"/{serve.CHUNK_BUNDLE}\"></script>")
    assert tag < page.index("{{ voila_setup_labextensions(")   # registered before Voila's main script runs
    assert len(recorded["chunks"]) > 50
    assert bundle.count("webpackChunk") >= len(recorded["chunks"])
    assert serve.STILL_SPINNER in page and page.index(serve.STILL_SPINNER) > page.index("{{ spinner.css() }}")
    # the head preloads only the chunks of Voila's widget manager the page runs (0.63 MB less)
    every, preloaded = serve.labextension_chunks(), serve.preloaded_chunks()
    for name, files in recorded["labextensions"].items():
        assert {u.split("/")[-1].split("?")[0] for u in preloaded[name]} == set(files)
        assert len(every[name]) > len(files)


def test_voila_command_serves_the_packaged_renderer_not_jupyterlab_plotly():
    opts = dict(a[2:].split("=", 1) for a in serve.voila_command(Path("roi.ipynb"), 8866) if "=" in a)
    assert "jupyterlab-plotly" in opts["VoilaConfiguration.extension_denylist"]
    assert str(resources.labextensions_dir()) in opts["VoilaConfiguration.extra_labextensions_path"]


@pytest.mark.browser
def test_app_page_loads_plotly_once_and_no_unused_extension(tmp_path):
    """In Chromium: the ROI app's page requests nothing of jupyterlab-plotly, anywidget,
    jupyterlab_pygments or MathJax, fetches the trimmed plotly.js once, draws the waterfall
    as a waterfall, and parses less than 8 MB of JavaScript (10.2 MB with jupyterlab-plotly);
    none of Voila's chunks one by one (97 scripts before they were bundled), and nothing
    animated endlessly while it loads (Voila's spinner turned)."""
    from browser import chromium
    from conftest import write_demo_client

    from cxtoolkit.apps.serve import free_port, start_app

    write_demo_client(tmp_path / "data", n_contacts=2000, n_responses=600)
    with chromium() as browser:
        server = start_app("roi", free_port(), client="demo", client_data=str(tmp_path / "data"), timeout=240,
                           log_path=tmp_path / "roi.log", pool_size=1)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.add_init_script("document.addEventListener('DOMContentLoaded', () => { window.__cxEndless ="
                                 " document.getAnimations().filter(a => a.effect.getTiming().iterations === Infinity)"
                                 ".length; });")
            urls: list[str] = []
            page.on("request", lambda r: urls.append(r.url))
            page.goto(server.url, timeout=180_000, wait_until="commit")
            page.wait_for_function("() => { const g = document.querySelector('.cx-fig-waterfall .js-plotly-plot');"
                                   " return g && g._fullData && g._fullData.length > 0; }", timeout=120_000)
            types = page.evaluate("() => document.querySelector('.cx-fig-waterfall .js-plotly-plot')"
                                  "._fullData.map(t => t.type)")
            js_mb = page.evaluate("() => performance.getEntriesByType('resource').filter(e => e.name.includes('.js'))"
                                  ".reduce((s, e) => s + (e.decodedBodySize || 0), 0) / 1e6")
            endless = page.evaluate("() => window.__cxEndless")
            preloads = page.evaluate("() => [...document.querySelectorAll('link[rel=preload]')].map(l => l.href)")
            ran = page.evaluate("() => Object.fromEntries(Object.keys(self).filter(k => /^(webpack|rspack)Chunk/.test(k))"
                                ".map(k => [k.replace(/^(webpack|rspack)Chunk_?/, ''), self[k].flatMap(c => c[0])]))")
            page.close()
        finally:
            server.stop()
    chunks = [u for u in urls if re.search(r"/voila/static/\d+\.voila\.js", u)]
    assert not chunks, f"Voila chunks outside the bundle (add to cxtoolkit/resources/voila/page-chunks.json): " + \
        ", ".join(u.rsplit("/", 1)[1] for u in chunks)
    assert len([u for u in urls if ".js" in u]) <= 30
    assert endless == 0
    # every lab-extension chunk the head preloads is run by the page (the plotly.js bundle: drawn above)
    unused = []
    for url in preloads:
        m = re.search(r"/labextensions/(.+)/static/(\d+)\.[0-9a-f]+\.js", url)
        if m and int(m.group(2)) not in ran.get(re.sub(r"[^a-z0-9]+", "_", m.group(1).lower()).strip("_"), []):
            unused.append(url.split("/labextensions/")[1])
    assert not unused, f"preloaded, never run: {unused}"
    for unused in ("labextensions/jupyterlab-plotly/", "labextensions/anywidget/", "labextensions/jupyterlab_pygments/",
                   "mathjax"):
        assert not [u for u in urls if unused in u.lower()], f"the page loads {unused}"
    assert len([u for u in urls if f"{serve.PLOTLY_EXTENSION}/static/plotly-cx." in u]) == 1, urls
    assert types == ["waterfall"]
    assert js_mb < 8, f"{js_mb:.1f} MB of JavaScript"
