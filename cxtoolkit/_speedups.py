"""Start-up time: keep optional modules that cost seconds to import out of our processes.

``rfc3987_syntax`` builds a Lark grammar when imported: 1.6 s on this machine (2.8 s under
load), paid by every process that imports ``nbformat`` (papermill, nbconvert, each
notebook kernel at its first Plotly chart, Voila). ``jsonschema`` imports it only to add
an optional ``iri`` format check, inside ``suppress(ImportError)``; nothing in cxtoolkit,
nbformat or papermill validates that format. Marking the module as absent
(``sys.modules[name] = None``) makes that import fail at once, so jsonschema simply goes
without that one check.

This is applied by the ``cxtoolkit`` command, the audit's worker processes and the audit's
notebook kernels (:data:`KERNEL_EXEC_LINE`), never on ``import cxtoolkit``: a library
import must not change what other code can import.

Arrow's memory: the pyarrow wheels allocate through mimalloc by default. A process that reads
a Parquet file once and exits (``cxtoolkit kpis``) pays mimalloc's first use of fresh memory
in system time: 1M contacts, 0.2-0.4 s of system CPU for the read and ``to_pandas`` against
0.02-0.08 s through jemalloc (also in the wheels), 0.2 s less CPU for the whole process,
same bytes; ``cxtoolkit validate`` on a 1M-row CSV: 0.1-0.25 s less CPU, mostly system time.
:func:`arrow_jemalloc` switches a command's process to jemalloc (again never on
import, and not when ``ARROW_DEFAULT_MEMORY_POOL`` says otherwise).

The end of a process: a normal exit frees every table and tears down every module one by one
(``cxtoolkit validate`` on a 1M-row CSV: 0.1-0.4 s). A command that asks for it
(:func:`quick_exit_after_command`) ends through :func:`end_process` instead: the ``atexit``
functions run, stdout / stderr are flushed, then ``os._exit`` with the same status.

Examples
--------
>>> import subprocess, sys
>>> code = "from cxtoolkit._speedups import skip_slow_optional_imports as s; s(); import jsonschema; print('ok')"
>>> subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
'ok\\n'
"""
from __future__ import annotations

import contextlib
import gc
import os
import sys

#: optional imports that cost more than a second and that nothing here needs
SLOW_OPTIONAL = ("rfc3987_syntax",)

#: the same, as one line for ``--IPKernelApp.exec_lines`` (runs before the first cell)
KERNEL_EXEC_LINE = "import sys; [sys.modules.setdefault(m, None) for m in " + repr(SLOW_OPTIONAL) + "]"


def skip_slow_optional_imports() -> None:
    """Mark :data:`SLOW_OPTIONAL` modules as unavailable in this process (unless already
    imported)."""
    for name in SLOW_OPTIONAL:
        sys.modules.setdefault(name, None)


def arrow_jemalloc() -> bool:
    """Allocate Arrow buffers through jemalloc in this process (when pyarrow has it and
    ``ARROW_DEFAULT_MEMORY_POOL`` is not set); True when switched.

    >>> import os, subprocess, sys
    >>> code = ("from cxtoolkit._speedups import arrow_jemalloc; arrow_jemalloc(); import pyarrow as pa; "
    ...         "print(pa.default_memory_pool().backend_name)")
    >>> env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    >>> subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env).stdout.strip()
    'jemalloc'
    """
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return False
    import pyarrow as pa

    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except (NotImplementedError, AttributeError):   # a pyarrow built without it: its default
        return False
    return True


@contextlib.contextmanager
def imports_without_gc():
    """Pause Python's cyclic garbage collector while a command imports its libraries.

    Importing pandas, pyarrow and pydantic creates a few hundred thousand objects that all
    live until the process ends; the collector scans them again and again while they are
    created: 10 % of the import time (``cxtoolkit validate``: 0.05-0.07 s of CPU). Nothing
    an import creates is garbage worth collecting, so the collector waits until the block
    ends (and stays off if it was off). In the command's own process (:func:`own_process`)
    the objects alive then are frozen (``gc.freeze``: never scanned again; modules, classes
    and functions that live until the process ends): else the first collections afterwards
    scan them all (``cxtoolkit validate`` on a 1M-row CSV: 0.07-0.2 s of collections under
    load, 0.005-0.03 s frozen). Not in a test runner or a notebook calling a command (their
    objects alive then may become garbage later). Used inside a command, never on
    ``import cxtoolkit``.

    >>> import gc
    >>> with imports_without_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            if _own_process:
                gc.freeze()
            gc.enable()


#: set by ``cxtoolkit.cli.main.main``: this process is the command's (see :func:`imports_without_gc`)
_own_process = False


def own_process() -> None:
    """Say that this process runs one ``cxtoolkit`` command and ends (the console script's
    ``main``; a test runner invoking the app in process does not)."""
    global _own_process
    _own_process = True


#: set by a command whose process holds large tables when it ends (``cxtoolkit validate``)
_quick_exit = False


def quick_exit_after_command(wanted: bool = True) -> None:
    """Ask the ``cxtoolkit`` process to end without tearing down the interpreter once the
    running command returns (see :func:`end_process`). Only a flag: harmless in a test
    runner, where no :func:`end_process` follows; ``cxtoolkit.cli.main.main`` clears it
    (``wanted=False``) before it runs a command."""
    global _quick_exit
    _quick_exit = wanted


def end_process(code) -> None:
    """End the command's process with exit status ``code`` (an int or None) the quick way,
    when the command asked for it (:func:`quick_exit_after_command`); else return.

    A normal exit then frees every object and tears down every module one by one: 0.1-0.4 s
    for ``cxtoolkit validate`` on a 1M-row CSV (pandas, pyarrow, the tables), time the
    operating system spends anyway in a moment when it reclaims the process. This does what a
    normal exit does that can be seen: the ``atexit`` functions run and stdout / stderr are
    flushed, then ``os._exit``. It returns (normal exit) when another non-daemon thread
    still runs (a normal exit waits for it) or when flushing fails (a closed pipe: the
    normal exit reports it).

    >>> import subprocess, sys
    >>> code = ("import atexit, sys; from cxtoolkit import _speedups as s; "
    ...         "atexit.register(print, 'atexit ran'); print('out', end=''); "
    ...         "s.quick_exit_after_command(); s.end_process(3)")
    >>> r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    >>> r.returncode, r.stdout
    (3, 'outatexit ran\\n')
    """
    import threading

    if not _quick_exit or not (code is None or isinstance(code, int)):
        return
    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        return
    exit_now(code or 0, unless_flush_fails=True)


def exit_now(code: int = 0, unless_flush_fails: bool = False) -> None:
    """Run the ``atexit`` functions, flush the standard streams and end the process with
    ``code`` without tearing the interpreter down (:func:`end_process`, a notebook worker's
    last finalizer). ``unless_flush_fails``: return instead when flushing fails (a closed pipe,
    which a normal exit reports)."""
    import atexit

    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        if unless_flush_fails:
            return
    os._exit(code)
