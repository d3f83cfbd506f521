"""The code as a user's machine runs it: cxtoolkit's bytecode compiled before the timed runs.

``pip install`` compiles every module of a wheel to bytecode at install, and a checkout's first
run writes its ``__pycache__``; a machine with ``PYTHONDONTWRITEBYTECODE=1`` (as the one these
benchmarks were first run on) writes none, so without this each timed process would compile
cxtoolkit's modules again (~0.07 s of CPU for ``cxtoolkit validate``, more for the audit's
processes), which no user waits for. The benchmarks call :func:`compile_cxtoolkit` for this
checkout and the baseline's before timing them (``--no-bytecode``: every run compiles, the old
behaviour); the DuckDB reference scripts import only DuckDB, installed with its bytecode.
"""
from __future__ import annotations

import os
import subprocess
import sys

_COMPILE = ("import compileall, os, cxtoolkit; d = os.path.dirname(cxtoolkit.__file__); "
            "compileall.compile_dir(d, quiet=1, workers=1); print(d)")
#: removes the package's bytecode instead (``--no-bytecode``)
_CLEAR = ("import os, shutil, cxtoolkit; d = os.path.dirname(cxtoolkit.__file__); "
          "[shutil.rmtree(os.path.join(r, '__pycache__')) for r, ds, _ in os.walk(d) if '__pycache__' in ds]; print(d)")


def compile_cxtoolkit(pythonpath: str | os.PathLike | None = None, python: str = sys.executable,
                      clear: bool = False) -> str:
    """Compile the ``cxtoolkit`` package a process with ``PYTHONPATH=pythonpath`` imports (None: the
    environment's) to bytecode in its ``__pycache__`` (``clear``: remove its ``__pycache__``
    folders instead); return its folder.

    >>> import pathlib
    >>> folder = compile_cxtoolkit()
    >>> (pathlib.Path(folder) / "__pycache__").is_dir()
    True
    """
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    out = subprocess.run([python, "-P", "-c", _CLEAR if clear else _COMPILE], env=env, check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def prepare(pythonpaths, enabled: bool = True, python: str = sys.executable) -> None:
    """Compile each of ``pythonpaths`` (None: the environment's cxtoolkit) unless ``enabled`` is
    false, and say so in one line."""
    if not enabled:
        folders = [compile_cxtoolkit(p, python, clear=True) for p in dict.fromkeys(pythonpaths)]
        print(f"bytecode: removed (--no-bytecode; {', '.join(folders)}): every process compiles cxtoolkit's modules"
              + ("" if os.environ.get("PYTHONDONTWRITEBYTECODE") else
                 " (PYTHONDONTWRITEBYTECODE is not set: the first timed process writes them again)"))
        return
    folders = [compile_cxtoolkit(p, python) for p in dict.fromkeys(pythonpaths)]
    print(f"bytecode: compiled before timing, as an installed package has it ({', '.join(folders)})")
