"""Customer text shown as typed: the one escaping path every renderer uses.

A survey comment (or anything derived from one: a discovered theme's words) is data, not
markup. Wherever it is shown in an HTML page (nbconvert's ``verbatims.html``, Voila apps)
it goes through :func:`html_text` (inside HTML) or :func:`markdown_text` (inside a
Markdown output, which nbconvert and JupyterLab pass through as raw HTML). Both return
text that renders exactly as the customer typed it, in any language: ``<script>``,
``<img onerror=…>``, ``<iframe srcdoc=…>`` and ``[x](javascript:…)`` are shown, never
run nor turned into a link. Spreadsheets and decks hold text, not markup: they need no
escaping (formulas are neutralised on writing).

Examples
--------
>>> html_text('<img src=x onerror="alert(1)">')
'&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
>>> markdown_text("[x](javascript:alert(1)) *très* <b>bien</b>")
'\\\\[x\\\\](javascript:alert(1)) \\\\*très\\\\* &lt;b&gt;bien&lt;/b&gt;'
"""
from __future__ import annotations

import html
import re

# what Markdown (CommonMark + GFM, MathJax's $) reads as inline markup anywhere in a line;
# '&', '<' and '>' are left to html.escape (quotes kept: they are markup only inside a tag,
# and there is none). Links need '[' ... ']', images '![' ... ']': escaping the brackets
# defuses both, so '(', ':', '=' and '-' stay readable in the raw Markdown.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]~$])")
# what opens a block at the start of a line: a heading, a list item, an ordered item
_MARKDOWN_BLOCK = re.compile(r"^(\s*|\s*\d+)(#|[+\-](?=[\s\-]|$)|(?<=\d)[.)](?=\s|$))")


def html_text(text) -> str:
    """``text`` (any value; ``None`` → ``""``) escaped for HTML: shown as typed.

    >>> html_text("a < b & c"), html_text(None)
    ('a &lt; b &amp; c', '')
    """
    return "" if text is None else html.escape(str(text), quote=True)


def markdown_text(text) -> str:
    """``text`` escaped for a Markdown output: HTML escaped, inline Markdown markers and a
    leading block marker backslash-escaped, line breaks turned into spaces (a quote stays
    one paragraph), so it renders as typed and can open neither a tag nor a link.

    >>> markdown_text("# Titre\\n> citation")
    '\\\\# Titre &gt; citation'
    """
    one_line = " ".join(html.escape("" if text is None else str(text), quote=False).split())
    inline = _MARKDOWN_INLINE.sub(r"\\\1", one_line)
    return _MARKDOWN_BLOCK.sub(lambda m: m.group(1) + "\\" + m.group(2), inline)
