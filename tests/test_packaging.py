"""environment.yml (for conda users) must list the same packages as pyproject.toml."""
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# conda-forge names that differ from PyPI's
CONDA_TO_PYPI = {"python-kaleido": "kaleido", "python-duckdb": "duckdb", "distributed": "dask"}


def _name(spec: str) -> str:
    return re.split(r"[<>=!\[ ;]", spec.strip(), maxsplit=1)[0].lower()


def test_environment_yml_lists_the_pyproject_packages():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pypi = {_name(d) for d in py["project"]["dependencies"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    conda = {CONDA_TO_PYPI.get(c, c) for c in conda}
    assert conda == pypi, f"only in pyproject: {pypi - conda}; only in environment.yml: {conda - pypi}"


def test_console_script_declared():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert py["project"]["scripts"]["cxtoolkit"] == "cxtoolkit.cli.main:main"
