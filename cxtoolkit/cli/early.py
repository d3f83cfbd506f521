"""The files a command reads, started at once: before the command's libraries are imported.

``cxtoolkit validate --contacts export.csv`` spends its first ~0.1-0.15 s importing typer,
pydantic (through typer) and its own module on one core while the other has nothing to do.
:func:`start_reads` (called by :func:`cxtoolkit.cli.main.main` before the command line is
parsed) finds the files named by the command's file options in the arguments and starts
reading and parsing them in a thread (:mod:`cxtoolkit.io.prefetch`), pyarrow and its memory
pool included; the command starts them again later (a no-op then) and the reader takes
the table only when it is the one it would have parsed itself. A wrong guess (an option
value that is no file, a file the command does not read) costs CPU time, never a different
result.

The same process runs OpenBLAS with one thread when the command does no linear algebra
(:func:`one_blas_thread`): set before NumPy is imported, so its worker threads never spin on
the cores the command needs.

This module imports only the standard library and :mod:`cxtoolkit.io.prefetch` (no typer,
pydantic, pandas or pyarrow).
"""
from __future__ import annotations

import os

#: command -> its options naming a data file it reads at once (``cxtoolkit.cli.data_cmd``)
FILE_OPTIONS = {"validate": ("--contacts", "--responses", "--sends", "--evaluations", "--agents",
                             "--daily-reports")}
#: options of the ``cxtoolkit`` group taking a value (before the command's name)
ROOT_VALUE_OPTIONS = ("--workdir",)


#: commands that do no linear algebra: their process runs OpenBLAS (NumPy's) with one thread.
#: Its worker threads spin for a while once NumPy is imported (the read thread imports it at
#: once), on the two cores the read, the imports and the validation need: ~50 ms of CPU of
#: ``cxtoolkit validate`` on 1M rows (``perf``: ``blas_thread_server``, 5 % of the samples)
#: ``cxtoolkit kpis`` on 1M rows too (no linear algebra either): ~0.09 s of CPU, 5 interleaved runs
ONE_BLAS_THREAD = ("validate", "kpis")
#: the variable OpenBLAS reads when it starts (a value the user set is kept)
BLAS_THREADS_VAR = "OPENBLAS_NUM_THREADS"


def command_of(args: list[str]) -> str | None:
    """The command's name in ``args`` (the command line after ``cxtoolkit``), after the
    group's options; None when there is none.

    >>> command_of(["--workdir", "w", "validate", "--contacts", "a.csv"]), command_of(["--version"])
    ('validate', None)
    """
    i = _command_index(args)
    return args[i] if i < len(args) else None


def _command_index(args: list[str]) -> int:
    """Where the command's name is in ``args``: after the group's options."""
    i = 0
    while i < len(args) and args[i].startswith("-"):
        i += 2 if args[i] in ROOT_VALUE_OPTIONS else 1
    return i


def one_blas_thread(args: list[str]) -> bool:
    """For a command of :data:`ONE_BLAS_THREAD`, set :data:`BLAS_THREADS_VAR` to 1 unless it is
    set (the command's own process, before NumPy is imported); True when set here."""
    if command_of(args) not in ONE_BLAS_THREAD or os.environ.get(BLAS_THREADS_VAR):
        return False
    os.environ[BLAS_THREADS_VAR] = "1"
    return True


def files_named(args: list[str]) -> list[str]:
    """The files the command of ``args`` (the command line after ``cxtoolkit``) reads at once,
    as given (none for another command or with ``--help``).

    >>> files_named(["validate", "--config", "c.yml", "--contacts", "a.csv", "--agents=b.csv"])
    ['a.csv', 'b.csv']
    >>> files_named(["--workdir", "w", "validate", "--contacts", "a.csv"]), files_named(["kpis", "--contacts", "a"])
    (['a.csv'], [])
    >>> files_named(["validate", "--contacts", "a.csv", "--help"])
    []
    """
    i = _command_index(args)
    if i >= len(args) or args[i] not in FILE_OPTIONS or "--help" in args[i + 1:]:
        return []
    options, rest, out = FILE_OPTIONS[args[i]], args[i + 1:], []
    for k, a in enumerate(rest):
        name, eq, value = a.partition("=")
        if name in options and (eq or k + 1 < len(rest)):
            out.append(value if eq else rest[k + 1])
    return out


#: the command lines whose files were started (``cxtoolkit.cli.main`` starts them as it is
#: imported by the command's process, then again in ``main()``: once is enough)
_started: set[tuple[str, ...]] = set()


def start_reads(args: list[str]) -> int:
    """Start the early read of each file :func:`files_named` finds (none when a cache of
    parsed files is set: a cached file is not read); how many were started (0 for a command
    line already started)."""
    from cxtoolkit.envvars import ENV_CACHE_DIR

    if tuple(args) in _started:
        return 0
    _started.add(tuple(args))
    files = files_named(args)
    if not files or os.environ.get(ENV_CACHE_DIR, "").strip():
        return 0
    from cxtoolkit._speedups import arrow_jemalloc
    from cxtoolkit.io import prefetch

    return sum(prefetch.start(f, setup=arrow_jemalloc) for f in files)
