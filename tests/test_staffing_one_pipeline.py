"""Issue 14 item 4: one staffing pipeline. ``cxtoolkit staffing --config ... --json``, the
staffing page of the app (``apps.views.render_staffing`` on the app's selection of the
period) and the page's one-day what-if (``apps.staffing_app.StaffingWhatIf`` before any
widget moves) give the same numbers for the same client and period: all go through
:func:`cxtoolkit.staffing.client_plan` (the what-if re-plans one day of its profile)."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import write_demo_client

from cxtoolkit.apps import staffing_app
from cxtoolkit.apps.controls import load_view, run_parameters, select
from cxtoolkit.apps.views import VIEWS
from cxtoolkit.cli.main import app

START, END = "2026-09-07", "2026-09-27"    # three whole weeks (Mon–Sun) inside the demo's two months


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("staffing_paths")
    return write_demo_client(root, n_contacts=6_000, n_responses=100, months=2)


@pytest.fixture(scope="module")
def cli_plan(folder):
    res = CliRunner().invoke(app, ["staffing", "--config", str(folder / "client.yml"), "--from", START,
                                   "--to", END, "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["plan"]
    return pd.DataFrame(rows).set_index(["weekday", "interval_start"])


@pytest.fixture(scope="module")
def app_page(folder, monkeypatch_module):
    """The app's path: data loaded whole (as ``AppPage._open``), the period selected, the
    page rendered in app mode; the what-if it builds is kept."""
    made = []

    class Recording(staffing_app.StaffingWhatIf):
        def __init__(self, *a, **k):
            super().__init__(*a, **{**k, "compute_only": True})
            made.append(self)

    monkeypatch_module.setattr(staffing_app, "StaffingWhatIf", Recording)
    view = VIEWS["staffing"]
    params = {"client": str(folder / "client.yml"), "client_data": "", "locale": "en", "app_mode": True}
    cfg, data = load_view(view, params)
    p = run_parameters(params, view, START, END, None, "en")
    items: list = []
    res = view.render(cfg, select(data, view, START, END, None), p, emit=items.append)
    assert len(made) == 1
    return res, made[0]


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_cli_json_and_app_page_agree(cli_plan, app_page):
    res, _ = app_page
    page = res["profile"].assign(weekday=lambda d: d["day"].astype(str)).set_index(["weekday", "interval_start"])
    assert len(cli_plan) == len(page) == 7 * 48
    page = page.loc[cli_plan.index]
    assert cli_plan["agents"].sum() > 0
    assert cli_plan["agents"].tolist() == page["agents_required"].astype(int).tolist()
    for col in ("arrivals_per_hour", "aht_s", "agents_seen"):
        np.testing.assert_allclose(cli_plan[col].astype(float).to_numpy(), page[col].to_numpy(float),
                                   rtol=1e-12, err_msg=col)


def test_whatif_starts_from_the_page_numbers(app_page):
    """Before any widget moves, the what-if's day is the page's day: same agents, same
    predicted answer rate and abandonment (same patience), same cost."""
    res, whatif = app_page
    page = res["profile"]
    day = page.loc[page["weekday"] == int(whatif.day.value)].reset_index(drop=True)
    plan = whatif.plan.reset_index(drop=True)
    assert plan["agents_required"].tolist() == day["agents_required"].tolist()
    for col in ("answer_rate_plan", "abandon_rate_plan", "answer_rate_pred_seen", "plan_cost", "gap"):
        np.testing.assert_allclose(plan[col].to_numpy(float), day[col].to_numpy(float), rtol=1e-12,
                                   equal_nan=True, err_msg=col)
    assert day["answer_rate_plan"].notna().any()
