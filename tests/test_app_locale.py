"""``cxtoolkit app --locale``: the page's language, not only the command's line.

Order: ``--locale`` > client.yml's ``locale`` > French (``cxtoolkit.apps.context.app_locale``);
the kernels Voila starts are told through ``CXTOOLKIT_APP_LOCALE``.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cxtoolkit.apps.context import app_locale
from cxtoolkit.envvars import ENV_APP_LOCALE
from cxtoolkit.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
VOILA = {"VOILA_KERNEL_ID": "k"}


def test_app_locale_order():
    """Under Voila the option (the environment) wins over the notebook's value; outside
    Voila (papermill, the audit) the environment is not read; a bad value is one line."""
    assert app_locale("", VOILA) == ""                                  # client.yml decides
    assert app_locale("", {**VOILA, ENV_APP_LOCALE: "en"}) == "en"
    assert app_locale("fr", {**VOILA, ENV_APP_LOCALE: "en"}) == "en"
    assert app_locale("fr", {ENV_APP_LOCALE: "en"}) == "fr"             # papermill: its parameter
    with pytest.raises(InputError, match="CXTOOLKIT_APP_LOCALE: 'de' is not fr or en"):
        app_locale("", {**VOILA, ENV_APP_LOCALE: "de"})


def test_app_parameters_take_the_apps_locale():
    from cxtoolkit.apps.context import app_parameters

    p = app_parameters(env={**VOILA, ENV_APP_LOCALE: "en"}, client="demo", locale="")
    assert p["locale"] == "en"
    assert app_parameters(env=VOILA, client="demo", locale="")["locale"] == ""


def test_kernel_environment_carries_the_option_only(monkeypatch, tmp_path):
    """``client_env``: the option when given; an inherited value is not passed on (the page
    then follows client.yml, as documented)."""
    from cxtoolkit.apps.serve import app_title, client_env

    monkeypatch.setenv(ENV_APP_LOCALE, "en")
    assert ENV_APP_LOCALE not in client_env()
    assert client_env(locale="en")[ENV_APP_LOCALE] == "en"
    with pytest.raises(InputError):
        client_env(locale="de")
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "client.yml").write_text("client: acme\nlocale: en\n", encoding="utf-8")
    assert app_title("kpis", "acme", tmp_path) == ("KPIs", "en")
    assert app_title("kpis", "acme", tmp_path, "fr") == ("Indicateurs", "fr")


def test_roi_app_under_voila_follows_the_option(monkeypatch, tmp_path):
    """The ROI notebook does not go through ``app_parameters``: its page follows the option too."""
    import IPython.display

    from cxtoolkit.apps.roi_app import show_roi
    from conftest import write_client

    write_client(tmp_path, "acme", {"name": "Acme SA", "locale": "en"}, {})
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: None)
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    monkeypatch.setenv("CXTOOLKIT_APP_READY_FILE", str(tmp_path / "ready"))
    monkeypatch.setenv(ENV_APP_LOCALE, "fr")
    w = show_roi(client="acme", client_data=str(tmp_path), draws=200)
    assert w.simulator.locale == "fr"
    monkeypatch.delenv(ENV_APP_LOCALE)
    assert show_roi(client="acme", client_data=str(tmp_path), draws=200).simulator.locale == "en"


@pytest.mark.browser
def test_cxtoolkit_app_locale_sets_the_page_language(tmp_path):
    """``cxtoolkit app kpis --client demo --locale en`` for a French client: the command's
    line, the page's title and ``lang``, and what the kernel draws (the bar's button) are
    English; the French words of the page are not there."""
    from browser import chromium, need_chromium
    from conftest import write_demo_client
    from cxtoolkit.apps.serve import free_port

    need_chromium()
    root = tmp_path / "client_data"
    folder = write_demo_client(root, n_contacts=2_000, n_responses=200, months=1)
    assert "locale: fr\n" in (folder / "client.yml").read_text(encoding="utf-8")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != ENV_APP_LOCALE}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    log = tmp_path / "app.out"
    with open(log, "w") as out:
        proc = subprocess.Popen([str(Path(sys.executable).parent / "cxtoolkit"), "app", "kpis", "--client", "demo",
                                 "--client-data", str(root), "--port", str(port), "--locale", "en"],
                                stdout=out, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 240
        while f":{port}/" not in log.read_text(errors="replace"):
            assert proc.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.5)
        assert "Ctrl-C to stop" in log.read_text(errors="replace")
        with chromium() as b:
            page = b.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"http://127.0.0.1:{port}/", timeout=180_000, wait_until="commit")
            page.wait_for_selector(".cx-apply", timeout=180_000)
            page.wait_for_function("() => document.querySelector('.js-plotly-plot svg') !== null", timeout=120_000)
            body = page.inner_text("body")
            assert page.get_attribute("html", "lang") == "en" and page.title() == "KPIs"
            assert page.locator(".cx-apply").inner_text().strip() == "Apply"
            assert page.locator(".cx-segment select option").first.inner_text().strip() == "All"
            for french in ("Appliquer", "Indicateurs", "Tous"):
                assert french not in body, french
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
