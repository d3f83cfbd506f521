"""What pip installs: the dependencies (runtime vs extras, environment.yml the same), one version
number, and every packaged resource declared as package data."""
import ast
import fnmatch
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import yaml

import cxtoolkit
from cxtoolkit import resources

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
# conda-forge names that differ from PyPI's
CONDA_TO_PYPI = {"python-kaleido": "kaleido", "python-duckdb": "duckdb", "distributed": "dask"}
#: test tools and optional back-ends: never a runtime dependency, never imported by the package
#: (dask only inside ``run_batch(scheduler=...)``, with a message when it is missing; mkdocs only
#: in ``cxtoolkit.docs_gen.on_files``, which mkdocs itself calls when it builds the site)
NOT_RUNTIME = {"pytest", "pytest-timeout", "nbval", "hypothesis", "playwright", "dask", "mkdocs-material"}
OPTIONAL_IMPORTS = {"dask", "mkdocs"}


def _name(spec: str) -> str:
    return re.split(r"[<>=!\[ ;]", spec.strip(), maxsplit=1)[0].lower()


def _runtime() -> set[str]:
    return {_name(d) for d in PYPROJECT["project"]["dependencies"]}


def _extras() -> dict[str, set[str]]:
    return {k: {_name(d) for d in v} for k, v in PYPROJECT["project"]["optional-dependencies"].items()}


def test_environment_yml_lists_the_pyproject_packages_and_extras():
    pypi = _runtime().union(*_extras().values())
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    conda = {CONDA_TO_PYPI.get(c, c) for c in conda}
    assert conda == pypi, f"only in pyproject: {pypi - conda}; only in environment.yml: {conda - pypi}"


def test_test_tools_browser_and_dask_are_extras_not_runtime():
    extras = _extras()
    assert not _runtime() & NOT_RUNTIME, _runtime() & NOT_RUNTIME
    assert {"pytest", "pytest-timeout", "nbval", "hypothesis"} <= extras["test"]
    assert extras["browser"] == {"playwright"} and extras["dask"] == {"dask"}
    assert "mkdocs-material" in extras["docs"]
    make = (ROOT / "Makefile").read_text()
    assert "EXTRAS  = test,browser,dask,docs" in make and '-e ".[$(EXTRAS)]"' in make


def _imported_top_modules() -> dict[str, str]:
    """Top-level module -> first file importing it, over the package's code (not tests)."""
    found: dict[str, str] = {}
    for py in sorted((ROOT / "cxtoolkit").rglob("*.py")):
        for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for n in names:
                found.setdefault(n.split(".")[0], str(py.relative_to(ROOT)))
    return found


def test_every_third_party_import_is_a_runtime_dependency():
    """A module the package imports comes from a runtime dependency or one of its own
    requirements (nbclient via papermill, IPython via ipykernel); test tools are never imported."""
    runtime = _runtime()
    allowed = set(runtime)
    for dist in runtime:
        for req in metadata.requires(dist) or []:
            if "extra ==" not in req:
                allowed.add(_name(req))
    allowed = {a.replace("_", "-") for a in allowed}
    dists = metadata.packages_distributions()
    missing = []
    for mod, where in _imported_top_modules().items():
        if mod == "cxtoolkit" or mod in sys.stdlib_module_names or mod in OPTIONAL_IMPORTS:
            continue
        owners = {d.lower().replace("_", "-") for d in dists.get(mod, [])}
        assert owners, f"{where}: imports {mod!r}, which no installed distribution provides"
        assert not owners & NOT_RUNTIME, f"{where}: imports the test/optional tool {mod!r}"
        if not owners & allowed:
            missing.append(f"{mod} ({where}, from {sorted(owners)})")
    assert not missing, f"imported but not a runtime dependency: {missing}"


def test_one_version_number():
    assert "version" not in PYPROJECT["project"] and "version" in PYPROJECT["project"]["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "cxtoolkit.__version__"}
    out = subprocess.run([sys.executable, "-m", "cxtoolkit.cli.main", "--version"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == f"cxtoolkit {cxtoolkit.__version__}", out
    assert f"## {cxtoolkit.__version__}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_every_resource_file_is_package_data():
    """A file under cxtoolkit/resources/ that no package-data pattern matches would be missing
    from the wheel (the wheel test then fails far later, in a notebook)."""
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["cxtoolkit.resources"]
    base = resources.root()
    files = [p.relative_to(base).as_posix() for p in base.rglob("*")
             if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".py"]
    assert len(files) >= 15
    loose = [f for f in files if not any(fnmatch.fnmatch(f, pat) or fnmatch.fnmatch(f, pat.replace("**/", ""))
                                         for pat in patterns)]
    assert not loose, loose


def test_console_script_declared():
    assert PYPROJECT["project"]["scripts"]["cxtoolkit"] == "cxtoolkit.cli.main:main"
