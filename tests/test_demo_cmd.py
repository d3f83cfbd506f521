"""`make demo` ends with the audit's status, the index page path and the headline KPIs."""
from pathlib import Path
from types import SimpleNamespace

from cxtoolkit.cli.demo_cmd import audit_summary
from cxtoolkit.config import ClientConfig


def test_audit_summary_names_index_and_kpis(tmp_path):
    (tmp_path / "index.html").write_text("<html></html>")
    summary = {"answer_rate": {"value": 0.868, "status": "green"}, "nps": {"value": None, "status": None},
               "inbound": {"value": 130462.0, "status": None}}
    res = SimpleNamespace(status="ok", duration_s=61.2, folder=tmp_path, error=None, kpi_summary=summary)
    lines = audit_summary(res, ClientConfig(client="demo", name="Demo", locale="en"))
    text = "\n".join(lines)
    assert lines[0] == f"audit ok in 61 s: {tmp_path}"
    assert f"Reports: open {Path(tmp_path) / 'index.html'}" in text
    assert "Answer rate" in text and "86.8%" in text and "on target" in text and "green" not in text
    assert "130,462" in text   # the one number format (rules.format_value), English locale
    assert "NPS (recommendation)" in text and "–" in text   # undefined shows as a dash, not 0


def test_failed_audit_shows_its_error(tmp_path):
    res = SimpleNamespace(status="failed", duration_s=3, folder=tmp_path, error="kpis: ValueError: boom",
                          kpi_summary={})
    lines = audit_summary(res, ClientConfig(client="demo"))
    assert lines[1] == "  error: kpis: ValueError: boom"
    assert not any(line.startswith(("Reports:", "Rapports :")) for line in lines)


def test_a_french_clients_progress_lines_are_french(tmp_path):
    """The demo's and the audit's own lines ("audit ok in 61 s", "Reports: open", "KPI
    summary", "rows read") were English for a French client: the catalogue's, in its language."""
    from cxtoolkit.cli.progress import said, status_word

    (tmp_path / "index.html").write_text("<html></html>")
    res = SimpleNamespace(status="failed", duration_s=61.2, folder=tmp_path, error=None,
                          kpi_summary={"answer_rate": {"value": 0.868, "status": "green"}})
    lines = audit_summary(res, ClientConfig(client="demo", name="Démo", locale="fr"))
    assert lines[:3] == [f"audit échec en 61 s : {tmp_path}", f"Rapports : ouvrir {Path(tmp_path) / 'index.html'}",
                         "Synthèse des indicateurs — Démo :"]
    assert said("counts", "fr", table="contacts", read="1\u202f200", accepted="1\u202f198", rejected="2") == \
        "contacts : 1\u202f200 lignes lues, 1\u202f198 acceptées, 2 rejetées"
    assert status_word("skipped", "fr") == "ignoré" and status_word("ok", "en") == "ok"


def test_demo_periods_previous_then_last_month():
    from cxtoolkit.cli.demo_cmd import demo_periods

    assert demo_periods("2026-10-31", 6) == ["2026-09", "2026-10"]
    assert demo_periods("2027-01-31", 2) == ["2026-12", "2027-01"]
    assert demo_periods("2026-10-31", 1) == ["2026-10"]


def test_demo_audits_two_months_and_shows_what_changed(tmp_path):
    """`cxtoolkit demo` audits the month before the last, then the last one: the second
    audit's changes.csv shows the short-staffed last month, significant."""
    import pandas as pd
    from typer.testing import CliRunner

    from cxtoolkit.cli.main import app

    from conftest import write_client

    folder = write_client(tmp_path / "client_data", "mini", {
        "country": "GB", "locale": "en", "notebooks": ["kpis"],
        "data": {"contacts": "contacts.csv", "responses": "responses.csv", "sends": "sends.csv"},
        "demo": {"contacts": 30000, "responses": 3000, "months": 2, "seed": 3}}).parent
    res = CliRunner().invoke(app, ["demo", "--client", "mini", "--client-data", str(tmp_path / "client_data"),
                                   "--out", str(tmp_path / "reports")])
    assert res.exit_code == 0, res.output
    assert "Running the audit of 'mini' for September 2026…" in res.output   # the month as said, not 2026-09
    audits = tmp_path / "reports" / "mini"
    assert (audits / "2026-09" / "index.html").is_file()
    changes = pd.read_csv(audits / "2026-10" / "changes.csv")
    assert len(changes) and changes["significant"].eq(True).any()
    overall = changes[changes["segment_by"] == "overall"].set_index("kpi")
    row = overall.loc["abandonment_rate"]
    assert row["significant"] == True and row["direction"] == "worse" and row["delta"] > 0.03  # noqa: E712
    assert "September 2026" in (audits / "2026-10" / "index.html").read_text(encoding="utf-8")


def test_french_summary_says_the_status_in_french(tmp_path):
    # make demo printed "green" / "red" beside French labels: the status's code, not its label
    summary = {"answer_rate": {"value": 0.868, "status": "green"}, "service_level": {"value": 0.39, "status": "red"}}
    res = SimpleNamespace(status="ok", duration_s=6, folder=tmp_path, error=None, kpi_summary=summary)
    text = "\n".join(audit_summary(res, ClientConfig(client="demo", locale="fr")))
    assert "objectif atteint" in text and "objectif manqué" in text
    assert " green" not in text and " red" not in text
