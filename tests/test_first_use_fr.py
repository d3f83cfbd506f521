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
