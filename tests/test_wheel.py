"""The wheel works without the repository: built, installed in a fresh virtual environment, then
``cxtoolkit init`` and ``cxtoolkit demo`` in an empty folder.

The fresh venv (``python -m venv --without-pip``) gets the wheel only; its dependencies are
found in the current environment's site-packages through a ``.pth`` file, so that nothing is
downloaded. That folder is added to ``sys.path`` without processing its own ``.pth`` files,
so the editable install of the checkout there stays inactive: ``import cxtoolkit`` is the
wheel's copy (checked). Jupyter data files (nbconvert templates, lab extensions), which pip
would install with each dependency, are linked from the current environment; the ``python3``
kernel is the fresh venv's own, so the audit's notebooks run the wheel too.
"""
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("cxtoolkit", "pyproject.toml", "README.md", "LICENSE")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def _run(cmd, cwd, env=None, timeout=600):
    out = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, f"{' '.join(map(str, cmd))}\nstdout: {out.stdout[-3000:]}\nstderr: {out.stderr[-3000:]}"
    return out


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    pytest.importorskip("setuptools", minversion="77")
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"   # the package's own files only: the wheel cannot pick up anything else
    src.mkdir()
    for name in SOURCES:
        p = ROOT / name
        if p.is_dir():
            shutil.copytree(p, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(p, src / name)
    dist = base / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
          "-q", "-w", dist, src], cwd=base)
    (wheel,) = dist.glob("cxtoolkit-*.whl")

    env_dir = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", env_dir], cwd=base)
    py = env_dir / "bin" / "python"
    site = Path(_run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=base).stdout.strip())
    (site / "_parent_env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([py, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--ignore-installed", wheel], cwd=base)
    share = Path(sys.prefix) / "share" / "jupyter"
    own = env_dir / "share" / "jupyter"
    own.mkdir(parents=True)
    for sub in ("nbconvert", "labextensions", "voila", "lab"):
        if (share / sub).is_dir():
            (own / sub).symlink_to(share / sub)
    _run([py, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3"], cwd=base)
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "CXTOOLKIT_HOME", "CXTOOLKIT_CLIENT_DATA", "JUPYTER_PATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["JUPYTER_DATA_DIR"] = str(base / "jupyter-user")   # no kernel of the user's own
    return {"py": py, "bin": env_dir / "bin", "env": env, "wheel": wheel, "base": base}


def test_wheel_carries_the_resources_and_imports_itself(venv):
    out = _run([venv["py"], "-c", "import cxtoolkit, cxtoolkit.resources as r; print(cxtoolkit.__file__); "
                "print(r.notebook('kpis').is_file(), r.template('report', 'index.html.j2').is_file(), "
                "r.demo_client_yml('demo-small').is_file(), "
                "len(list(r.labextensions_dir().glob('cxtoolkit-plotly/static/*.js')))); "
                "from cxtoolkit.messages import text; print(text('common.yes', 'fr'))"],
               cwd=venv["base"], env=venv["env"])
    file, found, message = out.stdout.splitlines()
    assert file.startswith(str(venv["base"] / "venv")), file   # the wheel's copy, not the checkout
    assert found == "True True True 2"   # + the apps' Plotly renderer: its entry and plotly.js
    assert message == "oui"   # the message catalogue is package data


def test_init_and_demo_in_an_empty_folder(venv, tmp_path):
    work = tmp_path / "consultant"
    work.mkdir()
    cx = venv["bin"] / "cxtoolkit"
    out = _run([cx, "--version"], cwd=work, env=venv["env"])
    assert out.stdout.startswith("cxtoolkit ")

    export = tmp_path / "appels_mars.csv"
    export.write_text("contact_id,channel,received_at,answered,wait_s\nc1,phone,2026-03-02 10:00:00,true,12\n",
                      encoding="utf-8")
    _run([cx, "init", "acme", "--from", export], cwd=work, env=venv["env"])
    yml = (work / "client_data" / "acme" / "client.yml").read_text(encoding="utf-8")
    assert "client: acme" in yml and "contacts: appels_mars.csv" in yml
    assert (work / "client_data" / "acme" / "appels_mars.csv").is_file()
    _run([cx, "validate", "--config", "acme"], cwd=work, env=venv["env"])

    out = _run([cx, "demo", "--client", "demo-small"], cwd=work, env=venv["env"], timeout=800)
    assert (work / "client_data" / "demo-small" / "client.yml").is_file()
    indexes = sorted((work / "reports" / "demo-small").glob("*/index.html"))
    assert len(indexes) == 2   # the demo audits its last two months, so "what changed" shows
    index = indexes[-1]
    assert "audit ok" in out.stdout, out.stdout + out.stderr
    html = {p.name for p in index.parent.glob("*.html")}
    assert {"kpis.html", "roi.html"} <= html, html


def test_suite_runs_against_the_installed_wheel(venv, tmp_path):
    """Tests that read package data pass with the wheel's package, not the checkout's: run from
    a neutral folder, without PYTHONPATH, by the fresh venv's python (checked by the first test)."""
    files = [ROOT / "tests" / f for f in ("test_config.py", "test_workspace.py", "test_quality.py")]
    where = tmp_path / "test_which_package.py"   # in the same run: the package is the wheel's
    where.write_text("import cxtoolkit\n\n\ndef test_which_package():\n"
                     f"    assert cxtoolkit.__file__.startswith({str(venv['base'] / 'venv')!r}), cxtoolkit.__file__\n")
    files.append(where)
    out = _run([venv["py"], "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
                "-W", "ignore::DeprecationWarning", *files], cwd=tmp_path, env=venv["env"], timeout=600)
    assert " passed" in out.stdout and "failed" not in out.stdout, out.stdout[-2000:]
