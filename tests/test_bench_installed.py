"""The benchmarks time cxtoolkit as an installed package runs: its bytecode compiled first
(``benchmarks/installed.py``), not recompiled by every timed process on a machine that sets
``PYTHONDONTWRITEBYTECODE=1``."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from installed import compile_cxtoolkit, prepare  # noqa: E402


def test_the_checkout_given_is_compiled_even_when_python_writes_no_bytecode(tmp_path, monkeypatch, capsys):
    pkg = tmp_path / "cxtoolkit"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("X = 1\n", encoding="utf-8")
    (pkg / "sub" / "__init__.py").write_text("Y = 2\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    assert compile_cxtoolkit(tmp_path) == str(pkg)   # that checkout's package, not the environment's
    assert list((pkg / "__pycache__").glob("__init__.*.pyc")) and list((pkg / "sub" / "__pycache__").glob("*.pyc"))
    # a process importing it then compiles nothing: it writes no bytecode and needs none
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run([sys.executable, "-P", "-c", "import cxtoolkit.sub, sys; print(cxtoolkit.sub.__cached__)"],
                         env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(out).is_file()
    prepare([tmp_path], enabled=False)   # --no-bytecode: every process compiles, as before stop 23
    assert "removed" in capsys.readouterr().out
    assert not list(pkg.rglob("__pycache__"))
