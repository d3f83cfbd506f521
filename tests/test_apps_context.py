"""App mode without a browser: where the client comes from, widget-value validation,
in-memory period / segment selection, and the app page on a small generated client."""
from __future__ import annotations

import datetime as dt
import html
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxtoolkit.apps.context import app_parameters, in_voila
from cxtoolkit.apps.controls import (AppPage, run_parameters, segment_options, select, show, validate_period,
                                     validate_segment)
from cxtoolkit.apps.views import VIEWS
from cxtoolkit.errors import InputError

VOILA = {"VOILA_KERNEL_ID": "k1"}


# ----------------------------------------------------------------------------- context
def test_papermill_values_unchanged_even_with_client_env():
    env = {"CXTOOLKIT_CLIENT": "acme", "CXTOOLKIT_CLIENT_DATA": "/data"}
    p = app_parameters(env=env, client="demo", client_data="/x", out_dir="out", segment="team")
    assert p == {"client": "demo", "client_data": "/x", "out_dir": "out", "segment": "team", "app_mode": False}


def test_voila_client_comes_from_environment_only():
    env = {**VOILA, "CXTOOLKIT_CLIENT": "acme", "CXTOOLKIT_CLIENT_DATA": "/data"}
    p = app_parameters(env=env, client="other", client_data="/elsewhere", out_dir="/tmp/out", locale="en")
    assert (p["client"], p["client_data"], p["out_dir"], p["locale"], p["app_mode"]) == \
        ("acme", "/data", "", "en", True)


def test_voila_without_client_env_keeps_committed_default():
    p = app_parameters(env={"VOILA_BASE_URL": "/"}, client="demo", client_data="")
    assert p["client"] == "demo" and p["app_mode"] is True


@pytest.mark.parametrize("bad", ["../other", "Acme", "a/b", "demo;rm"])
def test_voila_rejects_bad_slug(bad):
    with pytest.raises(InputError, match="CXTOOLKIT_CLIENT"):
        app_parameters(env={**VOILA, "CXTOOLKIT_CLIENT": bad}, client="demo")
    with pytest.raises(InputError, match="slug"):
        app_parameters(env=dict(VOILA), client=bad)


def test_in_voila_markers():
    assert not in_voila({"CXTOOLKIT_CLIENT": "acme"})
    assert in_voila({"VOILA_APP_PORT": "8866"})


# ----------------------------------------------------------------------------- validation
LO, HI = dt.date(2026, 4, 1), dt.date(2026, 5, 31)


def test_validate_period_known_answers():
    assert validate_period(dt.date(2026, 4, 2), "2026-04-30", LO, HI) == ("2026-04-02", "2026-04-30")
    assert validate_period(dt.datetime(2026, 3, 15, 10), dt.date(2026, 4, 5), LO, HI) == ("2026-03-15", "2026-04-05")
    for start, end in [(None, HI), ("", HI), ("not a date", HI), (HI, LO), ("2026-06-01", "2026-06-30"),
                       ("2020-01-01", "2020-01-31"), (["2026-04-01"], HI)]:
        with pytest.raises(InputError, match="^period: "):
            validate_period(start, end, LO, HI)


def test_validate_period_french_message():
    with pytest.raises(InputError) as info:         # said in the page's language when shown
        validate_period(HI, LO, LO, HI, loc="fr")
    assert info.value.render("fr") == "période : la date de début est après la date de fin"


@settings(max_examples=60, deadline=None)
@given(st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)), st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)))
def test_validate_period_accepts_exactly_ordered_overlapping_periods(a, b):
    ok = a <= b and not (b < LO or a > HI)
    try:
        out = validate_period(a, b, LO, HI)
    except InputError:
        assert not ok
    else:
        assert ok and out == (a.isoformat(), b.isoformat())


def test_validate_segment_only_allowed_values():
    allowed = ["", "channel=phone", "country=FR"]
    assert validate_segment("", allowed) is None
    assert validate_segment("country=FR", allowed) == ("country", "FR")
    for bad in ["agent_id=a1", "channel=fax", "channel", 3, ["channel=phone"], "../../x"]:
        with pytest.raises(InputError, match="^segment: "):
            validate_segment(bad, allowed)


# ----------------------------------------------------------------------------- selection
def _data():
    contacts = pd.DataFrame({
        "contact_id": ["c1", "c2", "c3", "c4"],
        "received_at": pd.to_datetime(["2026-04-01 08:00", "2026-04-01 23:59", "2026-04-02 00:00", "2026-04-03 12:00"]),
        "channel": pd.Categorical(["phone", "chat", "phone", "phone"]),
        "team": ["t1", "t1", "t2", "t2"],
    })
    responses = pd.DataFrame({"response_id": ["r1", "r2"], "responded_at": pd.to_datetime(["2026-04-01", "2026-04-03"]),
                              "channel": ["phone", "chat"]})
    sends = pd.DataFrame({"send_id": ["s1"], "sent_at": pd.to_datetime(["2026-04-01"])})
    return SimpleNamespace(contacts=contacts, responses=responses, sends=sends)


def test_select_period_and_segment_known_answer():
    d = _data()
    before = d.contacts.copy()
    out = select(d, VIEWS["kpis"], "2026-04-01", "2026-04-01", None)
    assert out.contacts["contact_id"].tolist() == ["c1", "c2"]          # end date includes its whole day
    assert out.responses["response_id"].tolist() == ["r1"]
    out = select(d, VIEWS["kpis"], None, None, ("channel", "phone"))
    assert out.contacts["contact_id"].tolist() == ["c1", "c3", "c4"]
    assert out.responses["response_id"].tolist() == ["r1"]
    assert out.sends is None                                            # cannot be split by channel: left out
    pd.testing.assert_frame_equal(d.contacts, before)                   # input untouched


def test_segment_options_only_columns_every_filter_table_has():
    opts = segment_options(_data(), VIEWS["kpis"], "en")
    values = [v for _, v in opts]
    assert values == ["", "channel=chat", "channel=phone"]              # team is not in responses
    opts = segment_options(_data(), VIEWS["staffing"], "fr")
    assert [v for _, v in opts] == ["", "team=t1", "team=t2"] and opts[1][0] == "Équipe = t1"
    # channel codes by their labels in the client's language (the bar said "Canal = phone")
    fr = segment_options(_data(), VIEWS["kpis"], "fr")
    assert fr[1:] == [("Canal = chat", "channel=chat"), ("Canal = téléphone", "channel=phone")]
    p = run_parameters({}, VIEWS["kpis"], "", "", ("channel", "phone"), "fr")
    assert p["focus"] == "Canal = téléphone"


# ----------------------------------------------------------------------------- app page
@pytest.fixture(scope="module")
def client_data(tmp_path_factory):
    from conftest import write_demo_client

    root = tmp_path_factory.mktemp("apps_ctx") / "client_data"
    write_demo_client(root, n_contacts=2_000, n_responses=400, months=2)
    return root


def _params(root, **kw):
    env = {**VOILA, "CXTOOLKIT_CLIENT": "demo", "CXTOOLKIT_CLIENT_DATA": str(root)}
    base = dict(client="other", client_data="", period_start="", period_end="", segment="", locale="en", out_dir="x")
    return app_parameters(env=env, **{**base, **kw})


def _texts(page):
    return "\n".join(str(o["data"].get("text/markdown", "")) for w in page.out.children for o in w.outputs)


def test_app_page_renders_then_follows_the_widgets(client_data):
    page = AppPage("kpis", _params(client_data))
    assert page.renders == 1 and page.message.value == ""
    lo, hi = page.bounds
    assert (page.start.value, page.end.value) == (lo, hi)
    first = _texts(page)
    assert "Demo Retail SA" in first and "Channel = phone" not in first
    assert any("application/vnd.plotly.v1+json" in o["data"] for w in page.out.children for o in w.outputs)

    page.segment.value = "channel=phone"
    page.start.value = hi - dt.timedelta(days=7)
    assert page.refresh() and page.renders == 2
    text = _texts(page)
    assert "Channel = phone" in text and f"{hi - dt.timedelta(days=7)} → {hi}" in text

    page.start.value, page.end.value = hi, lo                            # reversed: refused, message
    assert not page.refresh() and page.renders == 2
    assert "after" in page.message.value and "Traceback" not in page.message.value


def test_app_page_days_are_typed_as_the_french_page_writes_them(client_data):
    """The period's days are typed in French (« 15/10/2026 », not the browser's own date
    input); the filter's start stays a date; a day that does not exist or is outside the data
    is refused in one French line and the field shows the day in use again."""
    page = AppPage("kpis", _params(client_data, locale="fr"))
    lo, hi = page.bounds
    assert page.start_text.value == lo.strftime("%d/%m/%Y") and page.start_text.description == "Du"
    page.start_text.value = "15/10/2026"
    assert page.start.value == dt.date(2026, 10, 15) and page.message.value == ""
    assert page.refresh() and f"15/10/2026 → {hi:%d/%m/%Y}" in _texts(page)
    for typed, said in (("31/02/2026", "Du : « 31/02/2026 » n'est pas une date (exemple : 31/10/2026)"),
                        ("01/01/2027", f"Du : doit être entre {lo:%d/%m/%Y} et {hi:%d/%m/%Y}, reçu 01/01/2027")):
        page.start_text.value = typed
        assert said in html.unescape(page.message.value) and "cx-err" in page.message.value
        assert page.start.value == dt.date(2026, 10, 15) and page.start_text.value == "15/10/2026"


def test_app_page_failure_is_one_line_never_a_traceback(client_data, capsys):
    def boom(cfg, data, p, emit):
        raise RuntimeError("secret internal detail /srv/clients/other")

    from dataclasses import replace
    page = AppPage(replace(VIEWS["staffing"], render=boom), _params(client_data))
    assert page.renders == 0 and page.out.children == ()
    assert "could not be computed" in page.message.value and "secret" not in page.message.value


def test_app_page_unknown_client_is_a_message(tmp_path):
    page = AppPage("kpis", _params(tmp_path))
    assert page.apply.disabled and "client.yml" in page.message.value


def test_show_under_papermill_returns_frames(client_data):
    res = show("staffing", app_parameters(env={}, client="demo", client_data=str(client_data), period_start="",
                                          period_end="", segment="", locale="en", out_dir="",
                                          target_sl=0.8, shrinkage=0.3))
    assert {"weekday", "hour", "agents_required"} <= set(res["profile"].columns)


def test_a_period_outside_the_data_says_its_days_as_the_page_writes_them():
    """« période hors des données (2026-04-01 → 2026-05-01) » on a French page: the data's days
    said as the French page writes them (the English page keeps ISO days)."""
    import datetime as dt

    from cxtoolkit.apps.controls import validate_period
    from cxtoolkit.errors import InputError

    with pytest.raises(InputError) as err:
        validate_period("2020-01-01", "2020-02-01", dt.date(2026, 4, 1), dt.date(2026, 5, 1))
    assert "(01/04/2026 → 01/05/2026)" in err.value.render("fr")
    assert "(2026-04-01 → 2026-05-01)" in err.value.render("en")
