"""Executed notebook → self-contained HTML report without code.

The report uses nbconvert's ``HTMLExporter`` with inputs and prompts excluded and the
branded template in ``templates/report/`` (the lab template minus every CDN loader:
require.js, MathJax, Mermaid, widget manager). Plotly charts come from the notebook
outputs (renderer ``plotly_mimetype+notebook``): plotly.js is inlined once by the first
chart of the kernel, each chart is a ``<div>`` plus a ``Plotly.newPlot`` call.

Plotly's notebook output still points at two CDN addresses, neutralised here:

* each chart loads MathJax from cdnjs (``<script src="https://cdnjs…mathjax…">``):
  the tag is removed (LaTeX in chart titles then shows as plain text);
* plotly.js fetches two things from CDNs at run time, and only for maps: the
  ``topojsonURL`` default (``https://cdn.plot.ly/un/``, geo charts) and Maki icons
  (``cdn.jsdelivr.net``, map symbol layers). They are pointed at local ``topojson/`` and
  ``maki/`` folders instead, so the page never calls out (geo maps need those files
  next to the report to draw their base map).

:func:`check_self_contained` then refuses any HTML that would still fetch something.

Examples
--------
>>> clean_html_output('<script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/3.2.2/es5/tex-svg.min.js"></script><div>x</div>')
'<div>x</div>'
>>> check_self_contained('<script>Plotly.newPlot("a")</script>') is None
True
"""
from __future__ import annotations

import functools
import hashlib
import re
import uuid
from pathlib import Path

import nbformat

from cxtoolkit import resources
from cxtoolkit.audit.kernels import SAID_KEY
from cxtoolkit.escape import markdown_text
from cxtoolkit.messages import client_locale, text
from cxtoolkit.report.tables import with_page_assets
from cxtoolkit.workspace import NOTES_TAG

#: Folder holding the branded nbconvert template (packaged ``templates/report``).
TEMPLATE_DIR = resources.template("report")
#: the tag of the cells papermill adds to a failed notebook (its English marks)
PAPERMILL_ERROR_TAG = "papermill-error-cell-tag"

_CDN_SCRIPT = re.compile(r"<script[^>]*\ssrc=[\"']https?://[^\"']*[\"'][^>]*>\s*</script>", re.I)
_LOCAL_ASSETS = {
    "https://cdn.plot.ly/un/": "topojson/",
    "https://cdn.jsdelivr.net/npm/@mapbox/maki@8.2.0/icons/": "maki/",
}
_BAD = (re.compile(r"https://cdn", re.I), re.compile(r"<script[^>]*\ssrc=[\"']?\s*(https?:)?//", re.I))
#: an HTML output at least this long (plotly.js inlined by a notebook's first chart, ~4.6 MB)
#: skips nbconvert's passes (deep copies, re-parsing the page): it is spliced into the page
#: at the end, checked on its own once per process
LARGE_OUTPUT = 256 * 1024


def clean_html_output(html: str) -> str:
    """Remove remote ``<script src>`` tags and point plotly.js' map assets at local folders."""
    html = _CDN_SCRIPT.sub("", html)
    for remote, local in _LOCAL_ASSETS.items():
        html = html.replace(remote, local)
    return html


def clean_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` whose HTML outputs no longer reference a CDN."""
    nb = nbformat.from_dict(nb)  # deep copy
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data")
            if data and "text/html" in data:
                html = data["text/html"]
                html = "".join(html) if isinstance(html, list) else html
                data["text/html"] = clean_html_output(html)
    return nb


_CHECKED: set[str] = set()   # digests of large outputs found self-contained


def _check_output(html: str, where: str) -> None:
    """:func:`check_self_contained` of a large output, once per process per content."""
    digest = hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest()
    if digest not in _CHECKED:
        check_self_contained(html, where=f"{where} (output of {len(html)} characters)")
        _CHECKED.add(digest)


def _set_aside_large_outputs(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Replace each HTML output of :data:`LARGE_OUTPUT` characters or more in ``nb`` (a
    copy, changed in place) by a unique token; returns ``{token: html}``."""
    aside = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            html = (out.get("data") or {}).get("text/html")
            if isinstance(html, str) and len(html) >= LARGE_OUTPUT:
                token = f"cxtoolkit-output-{uuid.uuid4().hex}"
                aside[token] = html
                out["data"]["text/html"] = token
    return aside


def check_self_contained(html: str, where: str = "report") -> None:
    """Raise ``ValueError`` when ``html`` references a CDN or a remote script."""
    for pat in _BAD:
        m = pat.search(html)
        if m:
            ctx = html[max(0, m.start() - 40): m.end() + 40].replace("\n", " ")
            raise ValueError(f"{where}: not self-contained, found {m.group(0)!r} in …{ctx}…")


def has_plotly_chart(html: str) -> bool:
    """True when ``html`` holds at least one plotly chart and the inlined plotly.js."""
    return "Plotly.newPlot" in html and "plotly.js v" in html


def mark_incomplete(nb: nbformat.NotebookNode, error: str, locale: str | None = None) -> nbformat.NotebookNode:
    """A copy of a failed notebook for readers: an "incomplete report" banner first, and
    each error output reduced to its type and first line (no traceback in a report), in
    ``locale`` (the audit's: ``report.page.incomplete``, ``report.page.error``).

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1/0", outputs=[
    ...     nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero",
    ...                            traceback=["long", "trace"])])])
    >>> out = mark_incomplete(nb, "ZeroDivisionError: division by zero")
    >>> out.cells[0].source.startswith("**Rapport incomplet**"), out.cells[1].outputs[0]["text"]
    (True, 'Erreur : ZeroDivisionError: division by zero\\n')
    >>> mark_incomplete(nb, "ZeroDivisionError", "en").cells[0].source.startswith("**Incomplete report**")
    True
    """
    loc = client_locale(locale)
    nb = nbformat.from_dict(nb)
    if loc != "en":         # papermill's English marks: the banner says it, then a line in loc
        nb.cells = [_stopped_here(c, loc) for i, c in enumerate(nb.cells)
                    if not (_papermill_mark(c) and i == 0)]
    for cell in nb.cells:
        outs = cell.get("outputs", [])
        said = [o["metadata"][SAID_KEY] for o in outs if SAID_KEY in (o.get("metadata") or {})]
        outs[:] = [o for o in outs if SAID_KEY not in (o.get("metadata") or {})]
        for i, out in enumerate(outs):
            if out.get("output_type") == "error":
                first = (str(out.get("evalue", "")).strip().splitlines() or [""])[0]
                # an input error as the kernel said it in the audit's language (kernels.show_error)
                error = said[-1] if said and loc != "en" else f"{out.get('ename', '')}: {first}"
                outs[i] = nbformat.v4.new_output(
                    "stream", name="stderr", text=text("report.page.error", loc, error=error) + "\n")
    # an error may quote a customer's comment: shown as text, never as markdown
    banner = nbformat.v4.new_markdown_cell(text("report.page.incomplete", loc, error=markdown_text(error)))
    nb.cells.insert(0, banner)
    return nb


def _papermill_mark(cell) -> bool:
    """Whether ``cell`` is one papermill adds to a failed notebook (its English marks)."""
    return PAPERMILL_ERROR_TAG in (cell.get("metadata", {}).get("tags") or ())


def _stopped_here(cell, loc: str):
    """Papermill's mark above the failed cell said in ``loc``; any other cell as it is."""
    if not _papermill_mark(cell):
        return cell
    return nbformat.v4.new_markdown_cell(text("report.page.stopped_here", loc), metadata=dict(cell.metadata))


@functools.lru_cache(maxsize=1)
def _exporter():
    """The HTML exporter, built once per process (its Jinja templates are compiled on first
    use: ~0.3 s per report when each report built its own)."""
    from nbconvert import HTMLExporter

    if TEMPLATE_DIR.is_dir():
        exporter = HTMLExporter(template_name=TEMPLATE_DIR.name,
                                extra_template_basedirs=[str(TEMPLATE_DIR.parent)])
    else:  # installed without the repository's templates: plain lab template
        exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    # a notebook's notes for the consultant (what it does, how to serve it) stay out of the
    # report leadership reads: the cells tagged NOTES_TAG
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={NOTES_TAG}), enabled=True)
    return exporter


def notebook_to_html(nb_path: Path | str | nbformat.NotebookNode, html_path: Path | str, title: str = "",
                     meta: dict | None = None, failed: str | None = None, locale: str | None = None) -> Path:
    """Export the executed notebook at ``nb_path`` (or the notebook itself, already read)
    to a code-free, self-contained HTML file.

    ``title`` and ``meta`` (client_name, period, version) feed the branded header, whose
    words (and the footer's) are in ``locale`` (the audit's; French when None); the
    notebook's notes for the consultant (cells tagged :data:`NOTES_TAG`) are left out. With ``failed``
    (the error's first line) the report opens with an "incomplete" banner and shows no
    traceback (:func:`mark_incomplete`).
    """
    if isinstance(nb_path, dict):
        nb, name = nb_path, Path(html_path).stem
    else:
        nb, name = nbformat.read(str(nb_path), as_version=4), Path(nb_path).stem
    nb = clean_notebook(nb)
    if failed:
        nb = mark_incomplete(nb, failed, locale)
    loc = client_locale(locale)
    nb.metadata["cxtoolkit"] = {"title": title, **(meta or {}), "contents": text("report.page.contents", loc),
                                "footer": text("report.page.footer", loc)}
    exporter = _exporter()
    aside = {} if exporter.sanitize_html else _set_aside_large_outputs(nb)   # rendered verbatim
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title or name}})
    body = body.replace('<html lang="en">', f'<html lang="{loc}">', 1)   # the shared exporter's default
    if not TEMPLATE_DIR.is_dir():
        body = clean_html_output(body)
    body = with_page_assets(body)   # the report tables' style and sorting script (no CDN)
    check_self_contained(body, where=str(html_path))
    for token, html in aside.items():
        _check_output(html, str(html_path))
        if body.count(token) != 1:
            raise ValueError(f"{html_path}: an output of {len(html)} characters was not rendered once")
        body = body.replace(token, html)
    html_path = Path(html_path)
    html_path.write_text(body, encoding="utf-8")
    return html_path
