"""`cxtoolkit roi` contract and the business-case exports (PowerPoint, HTML)."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxtoolkit import roi
from cxtoolkit.cli.main import app

EX = ["--customers-surveyed", "12000", "--response-rate", "0.25", "--unhappy-share", "0.1",
      "--retention-rate", "0.4", "--acquisition-cost", "300"]
runner = CliRunner()


def _run(args):
    return runner.invoke(app, ["roi", *args])


def write_client(client_folder, tmp_path: Path) -> Path:
    sends = ["send_id,customer_id,sent_at,survey_type,channel"]
    sends += [f"s{i},c{i % 40},2026-01-05 10:00,hot,email" for i in range(50)]  # 40 customers
    resp = ["response_id,customer_id,responded_at,csat,nps"]
    # 10 of the 40 surveyed customers answer (+2 unknown customers); csat 1 for 3 of 12
    resp += [f"r{i},c{i},2026-01-05 11:00,{1 if i < 3 else 4},8" for i in range(10)]
    resp += ["r98,zz,2026-01-05 11:00,5,9", "r99,yy,2026-01-05 11:00,2,9"]
    return client_folder("acme", {"name": "Acme SA", "currency": "USD", "locale": "en",
                                  "data": {"sends": "sends.csv", "responses": "responses.csv"},
                                  "roi": {"acquisition_cost": 250, "annual_margin": 100, "fixed_cost": 1000}},
                         {"sends.csv": sends, "responses.csv": resp}, root=tmp_path)


def test_json_has_every_output_key_with_known_answers():
    res = _run([*EX, "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert set(roi.OUTPUT_KEYS) <= set(d)
    assert d["respondents"] == 3000 and d["unhappy_detected"] == pytest.approx(300)
    assert d["customers_retained"] == pytest.approx(120)
    assert d["avoided_acquisition_cost"] == pytest.approx(36000)
    assert d["roi"] is None  # program_cost = 0: undefined, not 0
    assert d["sources"]["retention_rate"] == "edited" and d["sources"]["fixed_cost"] == "default"


def test_json_with_margin_and_costs():
    res = _run([*EX, "--annual-margin", "50", "--fixed-cost", "6000", "--cost-per-invite", "0.5",
                "--cost-per-recovery", "10", "--json"])
    d = json.loads(res.stdout)
    # cost 6000 + 12000*0.5 + 300*10 = 15000; gross 120*(300+50) = 42000
    assert d["program_cost"] == pytest.approx(15000)
    assert d["net_benefit"] == pytest.approx(27000)
    assert d["roi"] == pytest.approx(1.8)
    assert d["break_even_retention_rate"] == pytest.approx(15000 / (300 * 350))


@pytest.mark.parametrize("args,fragment", [
    (["--response-rate", "1.5"], "response_rate (Response rate): must be a share between 0 and 1"),
    (["--retention-rate", "-0.1"], "retention_rate"),
    (["--acquisition-cost", "-3"], "acquisition_cost (Customer acquisition cost): must be zero or more"),
    (["--fixed-cost", "nan"], "fixed_cost"),
    (["--customers-surveyed", "-1"], "customers_surveyed"),
])
def test_invalid_input_exit_2_one_line(args, fragment):
    a = list(EX)
    for i in range(0, len(args), 2):
        if args[i] in a:
            a[a.index(args[i]) + 1] = args[i + 1]
        else:
            a += args[i:i + 2]
    res = _run([*a, "--json"])
    assert res.exit_code == 2
    assert fragment in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert res.stdout == ""


def test_missing_core_input_without_config():
    res = _run(["--response-rate", "0.2", "--json"])
    assert res.exit_code == 2 and "--customers-surveyed: required without --config" in res.stderr


def test_console_script_exit_code_and_table():
    res = subprocess.run([sys.executable, "-m", "cxtoolkit.cli.main", "roi", *EX[:-2],
                          "--acquisition-cost", "-5"], capture_output=True, text=True)
    assert res.returncode == 2 and res.stderr.startswith("error: ROI input acquisition_cost")
    assert "Traceback" not in res.stderr
    res = _run([*EX, "--locale", "fr"])
    assert res.exit_code == 0 and "Clients conservés" in res.stdout and "36" in res.stdout
    assert "Hypothèses" in res.stdout and "Valeur" in res.stdout and "Source" in res.stdout
    assert not re.search(r"\b(Inputs|value|source)\b", res.stdout), res.stdout       # no English heading


def test_config_fills_inputs_from_data_and_assumptions(tmp_path, client_folder):
    yml = write_client(client_folder, tmp_path)
    res = _run(["--config", str(yml), "--retention-rate", "0.5", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["inputs"]["customers_surveyed"] == 40
    assert d["inputs"]["response_rate"] == pytest.approx(10 / 40)
    assert d["inputs"]["unhappy_share"] == pytest.approx(4 / 12)  # 3x csat 1 + yy csat 2
    assert d["inputs"]["acquisition_cost"] == 250
    assert d["sources"] == {"customers_surveyed": "data", "response_rate": "data",
                            "unhappy_share": "data", "retention_rate": "edited",
                            "acquisition_cost": "assumption", "annual_margin": "assumption",
                            "fixed_cost": "assumption", "cost_per_invite": "default",
                            "cost_per_recovery": "default"}
    assert d["currency"] == "USD"
    assert set(d["meta"]["tables"]) == {"sends", "responses"} and d["meta"]["warnings"] == []
    # kept = 40 * 0.25 * 1/3 * 0.5 = 1.6667; gross = kept * 350
    assert d["gross_benefit"] == pytest.approx(40 * 0.25 / 3 * 0.5 * 350)
    # by slug + folder, command line wins over data
    res = _run(["--config", "acme", "--client-data", str(tmp_path), "--customers-surveyed", "100", "--json"])
    d = json.loads(res.stdout)
    assert d["inputs"]["customers_surveyed"] == 100 and d["sources"]["customers_surveyed"] == "edited"


def test_bad_config_exit_2(tmp_path, client_folder):
    yml = write_client(client_folder, tmp_path)
    yml.write_text(yml.read_text().replace("acquisition_cost: 250", "acquisition_cost: -250"))
    res = _run(["--config", str(yml), "--json"])
    assert res.exit_code == 2 and "client.yml roi acquisition_cost" in res.stderr
    res = _run(["--config", str(tmp_path / "nope.yml"), "--json"])
    assert res.exit_code == 2 and "not found" in res.stderr


def test_exports_native_pptx_and_self_contained_html(tmp_path):
    from pptx import Presentation
    deck, page = tmp_path / "case.pptx", tmp_path / "case.html"
    res = _run([*EX, "--annual-margin", "50", "--fixed-cost", "6000", "--pptx", str(deck),
                "--html", str(page), "--no-images", "--draws", "2000", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["exported"] == {"pptx": str(deck), "html": str(page)}
    prs = Presentation(str(deck))
    texts = [sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame]
    assert any("120" in t for t in texts)
    charts = [sh for s in prs.slides for sh in s.shapes if sh.has_chart]
    assert len(charts) >= 3  # waterfall, tornado, multi-year as native charts
    tables = [sh.table for s in prs.slides for sh in s.shapes if sh.has_table]
    sources = {tables[0].cell(i, 2).text for i in range(1, 10)}
    assert sources == {"saisi", "valeur par défaut"}  # locale fr by default
    html = page.read_text(encoding="utf-8")
    assert "<script" in html and not re.search(r"<script[^>]*src=", html)
    assert "Clients conservés" in html
    res = _run([*EX, "--pptx", str(tmp_path / "no" / "x.pptx")])
    assert res.exit_code == 2 and "does not exist" in res.stderr


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Chromium for Kaleido")
def test_pptx_with_chart_images():
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    from cxtoolkit.report import business_case as bcm
    import io
    bc = bcm.build_business_case(roi.prefill(edited={"fixed_cost": 5000}), "EUR", "en", "Acme", draws=2000)
    prs = Presentation(io.BytesIO(bcm.to_pptx(bc)))
    pics = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pics) >= 3
