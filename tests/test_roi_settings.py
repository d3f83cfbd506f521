"""Issue 14: the audit's deck and its ROI page show the same Monte Carlo figures under the
client's own settings (client.yml ``roi: {draws, seed}``): one producer,
:func:`cxtoolkit.roi.case_monte_carlo`."""
import re
from pathlib import Path

import pytest

from cxtoolkit import roi
from cxtoolkit.config import load_client


@pytest.fixture()
def client_dir(tmp_path, client_folder):
    client_folder("acme", {"name": "Acme SA", "locale": "en",
                           "roi": {"acquisition_cost": 250, "annual_margin": 100, "fixed_cost": 1000,
                                   "draws": 20000, "seed": 7}}, root=tmp_path)
    return tmp_path


def _deck_quantiles(path: Path) -> dict[str, str]:
    from pptx import Presentation

    out = {}
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_table:
                for row in shape.table.rows:
                    cells = [c.text for c in row.cells]
                    if m := re.fullmatch(r"Net benefit (P\d0)", cells[0]):   # as the page says it
                        out[m[1]] = cells[1]
    return out


def _page_quantiles(bc) -> dict[str, str]:
    from cxtoolkit.report.business_case import report_sections

    html = next(c for k, c in report_sections(bc) if k == "html")   # the headline figures
    return {q: v for q, v in re.findall(r"<td>Net benefit (P\d0)</td><td[^>]*>([^<]+)</td>", html)}


def test_deck_and_roi_page_agree_under_client_monte_carlo_settings(client_dir, monkeypatch):
    import IPython.display

    from cxtoolkit.apps.roi_app import show_roi
    from cxtoolkit.audit import collect, runner
    from cxtoolkit.audit.results import deck_results
    from cxtoolkit.report import business_case as bcm

    monkeypatch.setattr(bcm, "figure_images", lambda *a, **k: None)   # native charts: no Chromium
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: None)
    for k in ("VOILA_BASE_URL", "VOILA_KERNEL_ID", "VOILA_APP_PORT"):
        monkeypatch.delenv(k, raising=False)
    cfg = load_client("acme", client_dir)
    # the deck, as the audit runner builds it
    step, name = runner._deck(cfg, deck_results(cfg, collect.KpiViews(), ""), client_dir)
    assert step["status"] == "ok", step
    deck = _deck_quantiles(client_dir / name)
    # the page, as notebooks/roi.ipynb builds it (report mode)
    page_bc = show_roi(client="acme", client_data=str(client_dir), app=False)
    page = _page_quantiles(page_bc)
    assert set(deck) == set(page) == {"P10", "P50", "P90"}
    assert deck == page
    assert (page_bc.monte_carlo.draws, page_bc.monte_carlo.seed) == (20000, 7)
    expected = roi.monte_carlo(page_bc.case.inputs, roi.case_ranges(page_bc.case), 20000, 7)
    assert page_bc.monte_carlo.p50 == expected.p50


def test_app_and_cli_export_use_client_settings_unless_told(client_dir):
    from cxtoolkit.apps.roi_app import build_roi_app

    sim = build_roi_app(client="acme", client_data=str(client_dir)).simulator
    assert (sim.draws, sim.seed) == (20000, 7) and sim._mc.draws == 20000
    assert build_roi_app(client="acme", client_data=str(client_dir), draws=2000).simulator._mc.draws == 2000
    case = roi.prefill(load_client("acme", client_dir))
    assert roi.monte_carlo_settings(case) == (20000, 7)
    assert roi.monte_carlo_settings(case, draws=500) == (500, 7)
    assert roi.monte_carlo_settings(roi.prefill()) == (roi.DEFAULT_DRAWS, roi.DEFAULT_SEED)


def test_roi_cli_export_uses_client_settings(client_dir, tmp_path):
    from typer.testing import CliRunner

    from cxtoolkit.cli.main import app

    page = tmp_path / "case.html"
    res = CliRunner().invoke(app, ["roi", "--config", "acme", "--client-data", str(client_dir),
                                   "--html", str(page), "--no-images", "--json"])
    assert res.exit_code == 0, res.output
    assert "Over 20,000 draws" in page.read_text(encoding="utf-8")
    res = CliRunner().invoke(app, ["roi", "--config", "acme", "--client-data", str(client_dir),
                                   "--html", str(page), "--no-images", "--draws", "500", "--json"])
    assert res.exit_code == 0 and "Over 500 draws" in page.read_text(encoding="utf-8")
