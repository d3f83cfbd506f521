"""Customer text is data: a comment holding HTML or a Markdown link is shown as typed, in
the published ``verbatims.html`` and in the verbatims app, never run (issue 17, item 1)."""
from __future__ import annotations

import pytest

from verbatim_pages import HAPPY, PAYLOADS, UNHAPPY, markdown_pages, notebook_of, published_page, render, \
    responses, unsafe, visible_text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_comment_is_shown_as_typed_and_never_runs_in_the_published_page(payload, tmp_path):
    unhappy = [f"{UNHAPPY} {payload} n°{i}" for i in range(8)]
    happy = [f"{HAPPY} {payload} n°{i}" for i in range(8)]
    bundles, res = render(responses(unhappy, happy))
    examples = [q for qs in res.themes.loc[res.themes["label"] != "neutral", "examples"] for q in qs]
    assert len(examples) >= 4 and all(payload in q for q in examples)
    page = published_page(notebook_of(bundles), tmp_path)
    assert unsafe(page) == []
    shown = visible_text(page)
    for q in examples:                       # the reader sees what the customer typed
        assert " ".join(q.split()) in shown


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_app_outputs_never_hold_markup_from_a_comment(locale):
    """The app displays the same bundles (``as_widget``); JupyterLab renders their Markdown
    with raw HTML allowed: nothing from a comment may become a tag or a link."""
    unhappy = [f"{UNHAPPY} {p}" for p in PAYLOADS]
    happy = [f"{HAPPY} {p}" for p in PAYLOADS]
    bundles, _ = render(responses(unhappy * 2, happy * 2), locale=locale)
    pages = markdown_pages(bundles)
    assert len(pages) > 10
    for html in pages:
        assert unsafe(html) == [], html
        assert "<script" not in html and "<img" not in html and "<iframe" not in html


def test_escaping_functions_keep_the_text():
    from cxtoolkit.escape import html_text, markdown_text

    assert html_text('<b a="1">&</b>') == "&lt;b a=&quot;1&quot;&gt;&amp;&lt;/b&gt;"
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    for p in PAYLOADS + ["a\\b", "&lt; déjà", "100 % * 2 = 200_000", "1. liste", "- tiret", "---", "## titre", "ligne\nsuivante"]:
        html = markdown2html_mistune(markdown_text(p))
        assert unsafe(html) == []
        assert visible_text(html) == " ".join(p.split())


def test_the_incomplete_report_banner_never_runs_the_error_it_quotes():
    """A failed notebook's error may quote a comment; the banner shows it as text."""
    import nbformat
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from cxtoolkit.audit.export import mark_incomplete

    error = "ValueError: customer p_1 wrote ` <img src=x onerror=alert(1)> ` [x](javascript:alert(2))"
    banner = mark_incomplete(nbformat.v4.new_notebook(cells=[]), error).cells[0].source
    html = markdown2html_mistune(banner)
    assert unsafe(html) == []
    assert error in visible_text(html)
