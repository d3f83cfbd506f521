"""A French consultant's first audit with cxtoolkit, as leadership reads it: defects found by
following the README on the demo and on real exports, each pinned by a test that failed before."""
from __future__ import annotations

import pytest
from conftest import write_demo_client

from cxtoolkit import io
from cxtoolkit.config import load_client
from cxtoolkit.pipeline.produce import PRODUCERS
from cxtoolkit.report import pages


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = write_demo_client(tmp_path_factory.mktemp("demo"), n_contacts=3_000, n_responses=1_500, months=2)
    cfg = load_client(str(folder / "client.yml"))
    return cfg, io.load(cfg)


def _said(name, cfg, data, p) -> list[str]:
    shown = []
    getattr(pages, f"render_{name}")(cfg, PRODUCERS[name](cfg, data, p), p, emit=shown.append)
    return [o.data for o in shown if isinstance(getattr(o, "data", None), str)]


@pytest.mark.parametrize("loc, name", [("fr", "Espagne"), ("en", "Spain")])
def test_quality_page_title_names_the_country_not_its_code(demo, loc, name):
    cfg, data = demo
    p = {"loc": loc, "period_start": "", "period_end": "", "country": "ES", "vendor": ""}
    title = _said("quality", cfg, data, p)[0]
    assert title.endswith(f" · {name}"), title
    assert "· ES" not in title


def test_kpi_page_trend_of_an_unmeasured_rate_is_not_called_short_of_periods(tmp_path):
    """A ticket export (``answered`` assumed by its preset): the answer rate is not measured
    over many weeks; the page said "pas assez de périodes" and drew an empty chart. It now
    draws and comments a KPI that is measured (the volume), and the rate alone is said unmeasured."""
    import pandas as pd
    from test_unmeasured import NOW, _client

    from cxtoolkit.config import load_config
    from cxtoolkit.kpis import commentary as C

    cfg = load_config(_client(tmp_path))
    data = io.load(cfg, now=NOW)
    p = {"loc": "fr", "period_start": "", "period_end": ""}
    shown = []
    pages.render_kpis(cfg, PRODUCERS["kpis"](cfg, data, p), p, emit=shown.append)
    said = [o.data for o in shown if isinstance(getattr(o, "data", None), str)]
    assert not [s for s in said if "pas assez de périodes" in s], said
    assert [s for s in said if s.startswith("Contacts reçus (tous canaux) passe de")], said
    trends = [o for o in shown if hasattr(o, "to_plotly_json") and o.data and o.data[0].type == "scatter"]
    assert trends and all(pd.Series(t.data[0].y, dtype="float64").notna().any() for t in trends)
    # the rule itself: periods without a value are "not measured", not "too few periods"
    weeks = pd.DataFrame({"answer_rate": [float("nan")] * 3}, index=pd.Index(["W1", "W2", "W3"], name="week"))
    assert C.comment_trend(weeks, "answer_rate", "fr") == "Taux de décroché (QS) : non mesuré sur ces périodes."
    assert C.comment_trend(weeks.iloc[:1].fillna(0.8), "answer_rate", "en") == \
        "Answer rate: not enough periods for a trend."


@pytest.mark.parametrize("args", [["validate", "--help"], ["kpis", "--help"], ["audit", "--help"], ["--help"]])
def test_help_shows_no_type_for_a_flag(args):
    """``--json`` takes no value: typer 0.29 showed ``--json <bool>`` (and ``--help <bool>``)."""
    from typer.testing import CliRunner

    from cxtoolkit.cli.main import app

    out = CliRunner().invoke(app, args, env={"COLUMNS": "120", "NO_COLOR": "1"})
    assert out.exit_code == 0, out.output
    assert "<bool>" not in out.output, out.output
    assert "--help" in out.output and "Show this message and exit." in out.output
    if args[0] != "--help":
        assert "--config" in out.output or "client" in out.output
