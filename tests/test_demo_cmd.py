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
    assert "Answer rate" in text and "86.8%" in text and "green" in text
    assert "130,462" in text   # the one number format (rules.format_value), English locale
    assert "NPS (recommendation)" in text and "–" in text   # undefined shows as a dash, not 0


def test_failed_audit_shows_its_error(tmp_path):
    res = SimpleNamespace(status="failed", duration_s=3, folder=tmp_path, error="kpis: ValueError: boom",
                          kpi_summary={})
    lines = audit_summary(res, ClientConfig(client="demo"))
    assert lines[1] == "  error: kpis: ValueError: boom"
    assert not any(line.startswith("Reports:") for line in lines)
