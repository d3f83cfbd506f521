"""Issue 15 items 2 and 4: the pages of a real demo audit (``cxtoolkit demo``: two months, so
"what changed" and the history chart show) as people read them — the index page in
headless Chromium (loads without console errors, headline tiles and history chart visible,
a screenshot that is not blank), every table header a label (registry or label table, no
code name, no index column, no float with 3+ decimals in cells), tables sorted by a click.
"""
import io
import re
from html.parser import HTMLParser

import pytest
import yaml

from browser import chromium
from conftest import write_client

SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
LONG_FLOAT = {"en": re.compile(r"\d\.\d{3,}"), "fr": re.compile(r"\d,\d{3,}")}


@pytest.fixture(scope="module")
def demo_audit(tmp_path_factory):
    """The second audit folder of ``cxtoolkit demo`` on a small demo client (English)."""
    from typer.testing import CliRunner

    from cxtoolkit import resources
    from cxtoolkit.cli.main import app

    root = tmp_path_factory.mktemp("pages")
    cfg = yaml.safe_load(resources.demo_client_yml("demo-small").read_text(encoding="utf-8"))
    cfg["demo"] = {"contacts": 12000, "responses": 2000, "months": 2, "seed": 7}
    write_client(root / "client_data", "demo-small", cfg)
    res = CliRunner().invoke(app, ["demo", "--client", "demo-small", "--client-data", str(root / "client_data"),
                                   "--out", str(root / "reports")])
    assert res.exit_code == 0, res.output
    audits = sorted(p for p in (root / "reports" / "demo-small").iterdir() if p.is_dir())
    assert len(audits) == 2, audits
    return audits[-1]


class _Tables(HTMLParser):
    """Headers and body cells of every ``<table>`` of a page (Plotly's JSON is not a table)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._cell = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"class": dict(attrs).get("class") or "", "th": [], "td": []})
        elif tag in ("th", "td") and self.tables:
            self._cell = (tag, [])

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell:
            kind, text = self._cell
            self.tables[-1][kind].append("".join(text).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell:
            self._cell[1].append(data)


def _known_labels(currency: str) -> set[str]:
    """Every label a table header may show: the KPI registry's, the catalogue's table
    columns (``report.table.column``) and the ROI's own labels (``roi.label``)."""
    from cxtoolkit.kpis.registry import KPIS
    from cxtoolkit.messages import catalogue

    labels = {k.label_fr for k in KPIS.values()} | {k.label_en for k in KPIS.values()}
    for loc in ("fr", "en"):
        labels |= {t.replace("{currency}", currency) for k, t in catalogue(loc).items()
                   if k.startswith(("report.table.column.", "roi.label."))}
    return labels


def test_every_table_header_on_the_audit_pages_is_a_label(demo_audit):
    pages = sorted(demo_audit.glob("*.html"))
    names = {p.name for p in pages}
    assert {"index.html", "kpis.html", "journey.html", "verbatims.html", "quality.html", "roi.html"} <= names
    seen, shown = 0, set()
    for page in pages:
        parser = _Tables()
        parser.feed(page.read_text(encoding="utf-8"))
        for t in parser.tables:
            seen += 1
            assert "dataframe" not in t["class"], f"{page.name}: a raw DataFrame table"
            for h in t["th"]:
                assert h and not h.isdigit(), f"{page.name}: an index column ({h!r}) in {t['th']}"
                assert not SNAKE.match(h), f"{page.name}: code name {h!r}"
                shown.add((page.name, h))
            bad = [c for c in t["td"] if LONG_FLOAT["en"].search(c) or "[PHONE]" in c]
            assert not bad, f"{page.name}: unformatted numbers {bad[:5]}"
    known = _known_labels("GBP")
    unknown = sorted(x for x in shown if x[1] not in known)
    assert not unknown, f"headers that are not registry or label-table labels: {unknown}"
    assert seen >= 8


#: the codes of a theme's kind, shown by their labels (Irritant, Enchanteur / Delighter)
KIND_CODE = re.compile(r"\b(?:irritant|delighter)\b")


def _headings(html: str) -> list[str]:
    """The text of every h1–h4 of a page (nbconvert's ``¶`` anchors left out)."""
    return [re.sub(r"<[^>]+>|¶", "", h).strip() for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", html, re.S)]


def _words(loc: str, *prefixes: str) -> set[str]:
    from cxtoolkit.messages import catalogue

    return {t for k, t in catalogue(loc).items() if k.startswith(prefixes)}


def test_the_audit_pages_speak_the_client_language_only(demo_audit):
    """Issue 15: an English client's pages and index are English — no "Synthèse / Overview"
    heading, no French title or download label, no code of a theme's kind shown."""
    from cxtoolkit.audit.runner import download_label, page_title

    prefixes = ("views.heading.", "report.page.", "report.index.", "report.business_case.")
    en, fr = _words("en", *prefixes), _words("fr", *prefixes)
    french = fr - en
    pages = sorted(demo_audit.glob("*.html"))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        heads = _headings(html)
        assert heads, page.name
        assert not [h for h in heads if " / " in h], f"{page.name}: bilingual headings"
        assert not [h for h in heads if KIND_CODE.search(h) or h in french], f"{page.name}: {heads}"
        assert not re.search(r"\((?:irritant|delighter), \d", html), f"{page.name}: a kind's code"
        parser = _Tables()
        parser.feed(html)
        cells = [c for t in parser.tables for c in t["td"]]
        assert not [c for c in cells if KIND_CODE.fullmatch(c)], f"{page.name}: a kind's code in a cell"
        if page.name != "index.html":
            assert heads[0] == page_title(page.stem, "en"), page.name
            assert ">Contents<" in html and ">Sommaire<" not in html and "rapport généré" not in html
            assert '<html lang="en">' in html
            assert len([h for h in heads if h in en]) >= 2, f"{page.name}: {heads}"
    verbatims = (demo_audit / "verbatims.html").read_text(encoding="utf-8")
    assert "Irritant" in verbatims or "Delighter" in verbatims
    index = (demo_audit / "index.html").read_text(encoding="utf-8")
    for name in ("kpis", "journey", "verbatims", "quality", "roi"):
        assert page_title(name, "en") in index
    assert download_label("workbook", "en") in index and download_label("manifest", "en") in index
    for french_word in ("Indicateurs", "Parcours client", "Classeur", "Manifeste", "Présentation d'audit"):
        assert french_word not in index, french_word


def test_a_french_client_gets_french_titles_headings_and_labels(tmp_path):
    """The same words in French for a French client: page titles, downloads, the page's
    header and footer, section headings and a theme's kind (no audit run: the parts)."""
    import nbformat
    from verbatim_pages import HAPPY, UNHAPPY, notebook_of, render, responses

    from cxtoolkit.audit.export import NOTES_TAG, notebook_to_html
    from cxtoolkit.audit.runner import download_label, page_title

    assert [page_title(n, "fr") for n in ("kpis", "quality", "roi")] == ["Indicateurs", "Qualité", "ROI satisfaction"]
    assert download_label("deck", "fr") == "Présentation d'audit (PowerPoint)"
    assert download_label("rejects", "en", n=2) == "Rejected rows (2)"
    bundles, _ = render(responses([UNHAPPY] * 30, [HAPPY] * 30), "fr")
    nb = notebook_of(bundles)
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("# Verbatims : irritants / Verbatims: irritants",
                                                    metadata={"tags": [NOTES_TAG]}))   # the notebook's notes
    html = notebook_to_html(nb, tmp_path / "verbatims.html", title=page_title("verbatims", "fr"),
                            locale="fr").read_text(encoding="utf-8")
    heads = _headings(html)
    assert heads[:3] == ["Verbatims", "Irritants et enchanteurs", "Exemples (masqués)"], heads
    assert not [h for h in heads if " / " in h or KIND_CODE.search(h)], heads
    assert ">Sommaire<" in html and "rapport généré automatiquement" in html and ">Contents<" not in html
    assert '<html lang="fr">' in html
    assert re.search(r"\((?:Irritant|Enchanteur), \d+\)", html)
    assert not re.search(r"\((?:irritant|delighter), \d", html)
    parser = _Tables()
    parser.feed(html)
    cells = [c for t in parser.tables for c in t["td"]]
    assert "Irritant" in cells and not [c for c in cells if KIND_CODE.fullmatch(c)]


def _console(page):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_index_page_in_chromium(demo_audit, tmp_path):
    from PIL import Image

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        errors = _console(page)
        page.goto((demo_audit / "index.html").as_uri())
        page.wait_for_load_state("load")
        tiles = page.locator("#cx-headline .cx-tile")
        assert tiles.count() >= 6 and tiles.first.is_visible()
        assert page.locator("#cx-headline .cx-tile[data-kpi=answer_rate] .val").inner_text().endswith("%")
        assert page.locator("#cx-findings li").count() >= 3
        chart = page.locator("#cx-history svg")
        assert chart.count() >= 4 and chart.first.is_visible()
        box = chart.first.bounding_box()
        assert box["width"] > 100 and box["height"] > 60
        assert "significant deterioration" in page.inner_text("body")
        shot = page.screenshot(full_page=True, path=str(tmp_path / "index.png"))
        assert errors == []
    img = Image.open(io.BytesIO(shot)).convert("L")
    hist = img.histogram()
    non_white = sum(hist[:240]) / sum(hist)
    assert non_white > 0.03, f"screenshot nearly blank ({non_white:.1%} non-white pixels)"


@pytest.mark.parametrize("name", ["index.html", "journey.html"])
def test_a_click_on_a_header_sorts_the_table(demo_audit, name):
    """The published pages sort their tables (the one inline script, no CDN): a click on a
    numeric header orders the rows by the raw values, a second click reverses them."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        errors = _console(page)
        page.goto((demo_audit / name).as_uri())
        page.wait_for_load_state("load")
        assert page.locator("table.cx-sortable").count() > 0, f"{name}: no sortable table"
        table = "table.cx-sortable >> nth=0"
        heads = page.locator(f"{table} >> th")
        col = next(i for i in range(heads.count())
                   if page.eval_on_selector(table, f"t => t.tBodies[0].rows[0].cells[{i}].hasAttribute('data-v')"))
        sel = page.locator(table).element_handle()
        before = sel.evaluate(f"t => Array.from(t.tBodies[0].rows).map(r => r.cells[{col}].getAttribute('data-v'))")
        heads.nth(col).click()
        up = sel.evaluate(f"t => Array.from(t.tBodies[0].rows).map(r => r.cells[{col}].getAttribute('data-v'))")
        heads.nth(col).click()
        down = sel.evaluate(f"t => Array.from(t.tBodies[0].rows).map(r => r.cells[{col}].getAttribute('data-v'))")
        assert errors == []
    nums = lambda xs: [float(x) for x in xs if x]  # noqa: E731
    assert len(before) >= 5 and up != before                               # the rows reordered
    assert nums(up) == sorted(nums(before)) and nums(down) == sorted(nums(before), reverse=True)
    assert up[len(nums(up)):] == [""] * (len(up) - len(nums(up)))          # missing values last


def test_tables_sort_in_the_voila_app_too(tmp_path):
    """The same tables in ``cxtoolkit app journey`` (Voila): the page template holds the
    sorting script; a click on a numeric header reorders the friction map."""
    import shutil

    from cxtoolkit import resources
    from cxtoolkit.apps import serve
    from cxtoolkit.datasets import generate_client

    demo = tmp_path / "client_data" / "demo"
    demo.mkdir(parents=True)
    shutil.copy(resources.demo_client_yml("demo"), demo / "client.yml")
    generate_client(demo, n_contacts=4_000, n_responses=1_500, months=2)
    with chromium() as browser:
        server = serve.start_app("journey", serve.free_port(), client="demo", client_data=str(tmp_path / "client_data"),
                                 timeout=240, log_path=tmp_path / "journey.log", pool_size=1)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(server.url, timeout=180_000, wait_until="commit")
            page.wait_for_selector(".cx-app table.cx-sortable", timeout=180_000)
            table = page.locator(".cx-app table.cx-sortable").first
            head = table.locator("th").nth(2)                  # very unhappy share
            assert head.inner_text().strip().startswith("Clients très insatisfaits")
            read = "t => Array.from(t.tBodies[0].rows).map(r => r.cells[2].getAttribute('data-v'))"
            before = table.evaluate(read)
            head.click()
            up = table.evaluate(read)
        finally:
            server.stop()
    nums = [float(x) for x in up if x]
    assert len(before) >= 5 and up != before and nums == sorted(nums)
