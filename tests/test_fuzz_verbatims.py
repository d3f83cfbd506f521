"""Fuzzing the verbatim path (issue 17): whatever customers type — arbitrary Unicode, HTML,
Markdown — is shown as typed and never runs in a published page or an app output; planted
identifiers (customer ids, e-mails, phones, IBANs, cards, names after a civility) never
reach a published file (HTML page, executed notebook, CSV exports).

The path is the audit's, without a kernel: ``render_verbatims`` (what the notebook and the
app display) → executed notebook → privacy guard → nbconvert HTML, and the notebook's CSV
exports → privacy guard. ``tests/test_pii_outputs.py`` runs the same on a real audit.
"""
from __future__ import annotations

import json
import string

import nbformat
from hypothesis import HealthCheck, given, settings, strategies as st

from cxtoolkit.audit.runner import _PrivacyGuard
from cxtoolkit.privacy import scrub_notebook
from verbatim_pages import HAPPY, PAYLOADS, UNHAPPY, markdown_pages, notebook_of, published_page, render, \
    responses, unsafe, visible_text

KEY = b"fuzz-verbatims-key"
FRAGMENTS = PAYLOADS + ["<", ">", "&", "&lt;", "&#60;", "&amp;", "](", "javascript:", "\n", "\r\n", "`", "```",
                        "*", "_", "[", "]", "$", "$$", "\\", "<!--", "-->", "<![CDATA[", "\u202e", "|", "#", "> ", "---", "1. "]
comment = st.lists(st.one_of(st.text(max_size=15), st.sampled_from(FRAGMENTS)), min_size=1, max_size=8).map("".join)


def _examples(res) -> list[str]:
    return [q for qs in res.themes.loc[res.themes["label"] != "neutral", "examples"] for q in qs]


def _shown(text: str) -> str:
    """What a page shows of ``text``: whitespace collapsed, NUL replaced (CommonMark)."""
    return " ".join(text.replace("\x00", "\ufffd").split())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(comment, min_size=3, max_size=6))
def test_fuzzed_comments_are_shown_as_typed_and_never_run(comments):
    unhappy = [f"{UNHAPPY} {c} n°{i}" for i, c in enumerate(comments * 2)]
    happy = [f"{HAPPY} {c} n°{i}" for i, c in enumerate(comments * 2)]
    bundles, res = render(responses(unhappy, happy))
    pages = markdown_pages(bundles)
    for html in pages:
        assert unsafe(html) == [], html
    shown = " ".join(visible_text(h) for h in pages)
    for q in _examples(res):
        assert _shown(q) in shown


# -- planted identifiers -------------------------------------------------------------------
def _luhn_complete(body: str) -> str:
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def _iban_fr(bban: str) -> str:
    num = int("".join(str(int(c, 36)) for c in bban + "FR00"))
    return f"FR{98 - num % 97:02d}{bban}"


digits = st.text(alphabet=string.digits, min_size=1, max_size=1)
word = st.text(alphabet=string.ascii_lowercase, min_size=4, max_size=8)


@st.composite
def planted(draw):
    """(comment holding one identifier, the identifier as typed, customer id or None)."""
    kind = draw(st.sampled_from(["email", "email_words", "phone_fr", "phone_gb", "phone_es", "phone_us",
                                 "iban", "card", "civility", "customer_id"]))
    d = [draw(st.integers(0, 9)) for _ in range(20)]
    n = "".join(map(str, d))
    sep = draw(st.sampled_from([" ", ".", "-", ""]))
    a, b = draw(word), draw(word)
    dom = draw(st.sampled_from(["gmail", "orange", "hotmail", "free"]))
    if kind == "email":
        secret = f"{a}.{b}@{dom}.fr"
    elif kind == "email_words":
        secret = draw(st.sampled_from([f"{a} dot {b} at {dom} dot com", f"{a}.{b}(at){dom}(dot)fr",
                                       f"{a} arobase {dom} point fr"]))
    elif kind == "phone_fr":
        secret = "0" + str(draw(st.integers(1, 7))) + "".join(sep + n[2 * i:2 * i + 2] for i in range(4))
    elif kind == "phone_gb":
        secret = draw(st.sampled_from([f"07700 9{n[:5]}", f"(020) 7946 0{n[:3]}", f"+44 20 7946 0{n[:3]}"]))
    elif kind == "phone_es":
        secret = f"6{n[:2]} {n[2:5]} {n[5:8]}"
    elif kind == "phone_us":
        area, exch = f"{draw(st.integers(2, 9))}{n[:2]}", f"{draw(st.integers(2, 9))}{n[2:4]}"
        secret = draw(st.sampled_from([f"({area}) {exch}-{n[4:8]}", f"1-800-{exch}-{n[4:8]}",
                                       f"{area}.{exch}.{n[4:8]}"]))
    elif kind == "iban":
        iban = _iban_fr(n[:20] + "123")
        spaced = " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
        secret = draw(st.sampled_from([iban, spaced, spaced.lower()]))
    elif kind == "card":
        card = _luhn_complete("4" + n[:14])
        secret = sep.join(card[i:i + 4] for i in range(0, 16, 4))
    elif kind == "civility":
        secret = "Zq" + a
        civ = draw(st.sampled_from(["Mme", "M.", "Mr", "Mrs", "Madame", "Monsieur", "Sra.", "Señor"]))
        return f"{civ} {secret} n'a pas aidé", secret, None
    else:
        secret = "K9" + n[:6]
        return f"mon numéro client est {secret}, merci", secret, secret
    lead = draw(st.sampled_from(["contact : ", "call me: ", "datos: ", ""]))
    return f"{lead}{secret} merci", secret, None


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(planted(), min_size=2, max_size=6))
def test_planted_identifiers_never_reach_a_published_file(tmp_path_factory, plants):
    folder = tmp_path_factory.mktemp("pub")
    unhappy = [f"{UNHAPPY}, {text}" for text, _, _ in plants] * 4
    happy = [f"{HAPPY}, {text}" for text, _, _ in plants] * 4
    resp = responses([f"{t} ({i})" for i, t in enumerate(unhappy)], [f"{t} ({i})" for i, t in enumerate(happy)])
    ids = {cid for _, _, cid in plants if cid}
    resp.loc[: len(ids) - 1, "customer_id"] = sorted(ids)
    ids |= set(resp["customer_id"])
    bundles, res = render(resp)
    nb = scrub_notebook(notebook_of(bundles), frozenset(ids), KEY)          # the guard, then the page
    files = {"verbatims.ipynb": json.dumps(nb, ensure_ascii=False),
             "verbatims.html": visible_text(published_page(nb, folder))}
    res.themes.to_csv(folder / "verbatim_themes.csv", index=False)        # the notebook's exports
    res.tagged.to_csv(folder / "verbatims_tagged.csv", index=False)        # a careless one
    guard = _PrivacyGuard(frozenset(ids))
    guard._key = KEY
    guard.csv_exports(folder)
    for p in folder.glob("*.csv"):
        files[p.name] = p.read_text(encoding="utf-8")
    assert "[" in files["verbatim_themes.csv"]                              # examples were exported
    leaks = [(name, secret) for name, text in files.items() for _, secret, _ in plants
             if secret in text or secret.lower() in text.lower()]
    assert not leaks, leaks
    assert not [i for i in ids if i in files["verbatims.html"] or i in files["verbatim_themes.csv"]]


def test_the_published_page_of_fuzzed_comments_holds_no_markup(tmp_path):
    """One full nbconvert export of every fragment at once (the property above checks the
    renderers the page and the app use, much faster)."""
    comments = ["".join(FRAGMENTS[i:i + 4]) for i in range(0, len(FRAGMENTS), 4)]
    unhappy = [f"{UNHAPPY} {c} n°{i}" for i, c in enumerate(comments * 2)]
    happy = [f"{HAPPY} {c} n°{i}" for i, c in enumerate(comments * 2)]
    bundles, res = render(responses(unhappy, happy))
    page = published_page(nbformat.from_dict(notebook_of(bundles)), tmp_path)
    assert unsafe(page) == []
    shown = visible_text(page)
    assert _examples(res) and all(_shown(q) in shown for q in _examples(res))
