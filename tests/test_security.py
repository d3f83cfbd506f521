"""Promises of SECURITY.md not covered elsewhere: no client data in git, apps on localhost
without sources nor tracebacks, formula injection neutralised in every spreadsheet-bound
output of an audit (workbook, rejects, notebook CSV exports)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest

from cxtoolkit.apps.serve import HOST, voila_command
from cxtoolkit.audit.runner import _PrivacyGuard
from cxtoolkit.audit.workbook import safe_cell
from cxtoolkit.io import write_rejects

ROOT = Path(__file__).resolve().parents[1]
DATA_SUFFIXES = (".csv", ".xlsx", ".xls", ".parquet", ".duckdb", ".key", ".tsv", ".txt")


def _tracked() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return out.splitlines()


def test_no_client_data_nor_keys_in_git():
    files = _tracked()
    assert files, "git ls-files listed nothing"
    in_client_data = [f for f in files if f.startswith("client_data/")]
    assert all(f.endswith("/client.yml") for f in in_client_data), in_client_data
    assert not [f for f in files if f.startswith("reports/")]
    # data files live only in tests/ fixtures (synthetic) and benchmarks' generated inputs never
    stray = [f for f in files if f.endswith(DATA_SUFFIXES) and not f.startswith(("tests/", "docs/"))
             and Path(f).name not in ("requirements.txt",)]
    assert not stray, stray
    assert not [f for f in files if f.endswith((".key", ".pem", ".duckdb"))]
    ignore = (ROOT / ".gitignore").read_text(encoding="utf-8")
    assert "client_data/*" in ignore and "reports/" in ignore


def test_apps_listen_on_localhost_without_sources_nor_tracebacks():
    cmd = voila_command(Path("notebooks/roi.ipynb"), 8866)
    assert HOST == "127.0.0.1" and f"--Voila.ip={HOST}" in cmd
    for flag in ("--strip_sources=True", "--show_tracebacks=False", "--ServerApp.terminals_enabled=False",
                 "--VoilaConfiguration.file_allowlist=^$", "--Voila.port_retries=0"):
        assert flag in cmd, flag


@pytest.mark.parametrize("payload", ["=HYPERLINK(\"http://x\",\"clic\")", "+cmd|' /C calc'!A0", "-2+3",
                                     "@SUM(A1)", "\t=1"])
def test_formula_injection_neutralised_in_spreadsheet_outputs(tmp_path, payload):
    assert safe_cell(payload) == "'" + payload                      # workbook cells
    rej = pd.DataFrame({"table": ["contacts"], "file": ["c.csv"], "row": [2], "column": ["channel"],
                        "value": [payload], "reason": ["unknown value"]})
    back = pd.read_csv(write_rejects(rej, tmp_path), dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert back["value"].iloc[0] == "'" + payload                   # rejects.csv
    export = tmp_path / "themes.csv"                                # a notebook's CSV export
    pd.DataFrame({"theme": [payload, "ok"], "n": ["-3", "4"]}).to_csv(export, index=False)
    _PrivacyGuard(frozenset()).csv_exports(tmp_path)
    back = pd.read_csv(export, dtype=str, keep_default_na=False)
    assert back["theme"].tolist() == ["'" + payload, "ok"]
    assert back["n"].tolist() == ["-3", "4"]                         # numbers left alone
