"""Helpers of the verbatim-page tests: render the verbatims view as the audit and the app
do, turn its outputs into the published HTML, and look for anything that would run."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pandas as pd

#: customer comments that must be shown, never run
PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "<iframe srcdoc=\"<script>alert(3)</script>\"></iframe>",
    "[cliquez ici](javascript:alert(4))",
    '<a href="javascript:alert(5)">remboursement</a>',
    "<svg onload=alert(6)>",
    "<details open ontoggle=alert(7)>",
    "**gras** `code` _x_ # titre > citation",
]
UNHAPPY = "Livraison en retard, colis jamais reçu"
HAPPY = "Conseiller très aimable et compétent"


def responses(unhappy: list[str], happy: list[str]) -> pd.DataFrame:
    """Unhappy (csat 1) and happy (csat 5) French answers with these comments."""
    texts = list(unhappy) + list(happy)
    return pd.DataFrame({"verbatim": pd.array(texts, dtype="string"),
                         "csat": [1.0] * len(unhappy) + [5.0] * len(happy),
                         "language": "fr", "customer_id": [f"K{i:07d}" for i in range(len(texts))]})


def render(resp: pd.DataFrame, locale: str = "fr", topics: int = 0):
    """(mime bundles the verbatims view displays, its VerbatimAnalysis), as in the notebook
    and in ``cxtoolkit app verbatims`` (both call ``render_verbatims``)."""
    from cxtoolkit.apps.controls import mime_bundle
    from cxtoolkit.apps.views import render_verbatims

    shown: list = []
    cfg = SimpleNamespace(name="Acme", client="acme", folder=None)
    p = {"loc": locale, "language": "", "topics": topics, "focus": "", "period_start": "", "period_end": ""}
    out = render_verbatims(cfg, SimpleNamespace(responses=resp), p, emit=shown.append)
    return [mime_bundle(o) for o in shown], out["res"]


def notebook_of(bundles) -> nbformat.NotebookNode:
    """An executed notebook holding these outputs (what papermill writes)."""
    cell = nbformat.v4.new_code_cell("res = show('verbatims', params)")
    cell.outputs = [nbformat.v4.new_output("display_data", data=b) for b in bundles]
    return nbformat.v4.new_notebook(cells=[cell])


def published_page(nb, folder: Path) -> str:
    """The HTML report the audit publishes from an executed notebook."""
    from cxtoolkit.audit.export import notebook_to_html

    src = folder / "verbatims.ipynb"
    nbformat.write(nb, str(src))
    return notebook_to_html(src, folder / "verbatims.html", title="Verbatims").read_text(encoding="utf-8")


def markdown_pages(bundles) -> list[str]:
    """Each Markdown output rendered to HTML by nbconvert's renderer (the published page)
    and by a CommonMark renderer with raw HTML allowed (as a JupyterLab / Voila page)."""
    from markdown_it import MarkdownIt
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    md = MarkdownIt("commonmark", {"html": True, "linkify": False})
    out = []
    for b in bundles:
        if "text/markdown" in b:
            out += [markdown2html_mistune(b["text/markdown"]), md.render(b["text/markdown"])]
        if "text/html" in b and "plotly" not in b["text/html"]:
            out.append(b["text/html"])
    return out


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._in.append(tag)
        if tag in ("iframe", "object", "embed", "svg", "details", "form", "base") or \
                (tag == "meta" and any(k == "http-equiv" for k, _ in attrs)):
            self.bad.append(f"<{tag}>")
        for k, v in attrs:
            v = (v or "").strip().lower()
            if k.startswith("on") or k == "srcdoc" or v.startswith(("javascript:", "vbscript:")) \
                    or (k in ("href", "src") and v.startswith("data:text/html")):
                self.bad.append(f"<{tag} {k}={v[:40]!r}>")

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if self._in and self._in[-1] == "script":
            if "alert(" in data:
                self.bad.append(f"<script>{data[:40]}")
        elif not (self._in and self._in[-1] == "style"):
            self.text.append(data)


def unsafe(html: str) -> list[str]:
    """Elements or attributes of ``html`` that would run or navigate: event handlers,
    ``javascript:`` links, iframes / objects / svg, scripts quoting a payload."""
    s = _Scan()
    s.feed(html)
    return s.bad


def visible_text(html: str) -> str:
    """The text a reader sees (tags dropped, entities decoded), whitespace collapsed."""
    s = _Scan()
    s.feed(html)
    return " ".join("".join(s.text).split())
