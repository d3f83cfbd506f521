"""Run one notebook of an audit: papermill in the process' started-ahead kernel.

This is all a notebook worker of an audit imports (with papermill and
:mod:`cxtoolkit.audit.kernels`): no pandas, no toolkit domain module, so that a worker
starts in a fraction of a second while the runner loads the client's data. The runner
(:mod:`cxtoolkit.audit.runner`) submits :func:`run_notebook` to its pool of workers, each
started by :func:`start_worker`, or calls it in its own process with one job.

Examples
--------
>>> with kernel_env({"CX_EXAMPLE": "1"}):
...     os.environ["CX_EXAMPLE"]
'1'
>>> "CX_EXAMPLE" in os.environ
False
"""
from __future__ import annotations

import math
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from cxtoolkit._lifeline import die_with_parent
from cxtoolkit._speedups import exit_now, skip_slow_optional_imports
from cxtoolkit.audit import kernels
from cxtoolkit.audit.manifest import now_iso

DEFAULT_TIMEOUT = 600
#: niceness added to a notebook worker and its kernel: the runner's steps (data, results,
#: workbook, deck, HTML exports) are the audit's critical path, the kernels render each page
#: as soon as it is kept and then wait; on a busy processor the runner comes first
WORKER_NICENESS = 5


def _first_line(exc: BaseException) -> str:
    from cxtoolkit.audit.collect import first_line   # only on a failure (collect imports pandas)

    return first_line(exc)


@contextmanager
def kernel_env(extra: dict[str, str]):
    """Set environment variables for kernels started inside the block (process-wide:
    audits run in processes, never in threads)."""
    old = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _papermill_error(exc: BaseException) -> str:
    ename = getattr(exc, "ename", None)
    if ename:
        evalue = str(getattr(exc, "evalue", "") or "").strip().splitlines()
        return f"{ename}: {evalue[0] if evalue else ''}".strip()
    return _first_line(exc)


def execute_notebook(src: Path, dst: Path, params: dict, timeout: float = DEFAULT_TIMEOUT,
                     cwd: Path | None = None, env: dict | None = None,
                     kernel: kernels.Kernel | None = None) -> tuple[str, str | None, float]:
    """Execute ``src`` into ``dst`` with Papermill. Returns (status, error first line, seconds).

    ``timeout`` bounds the whole notebook: each cell may use what is left of it
    (nbclient ``timeout_func``), with ``execution_timeout`` as the per-cell ceiling.
    On failure ``dst`` keeps the executed cells and the error.

    With ``kernel`` (:class:`cxtoolkit.audit.kernels.Kernel`) the notebook runs in that
    started-ahead kernel, reset first; a failed notebook retires it (a successor is started
    for the next notebook). Without, papermill starts a fresh kernel for this notebook.
    """
    import papermill as pm

    deadline = time.monotonic() + timeout

    def remaining(_cell) -> int:
        return max(1, math.ceil(deadline - time.monotonic()))

    t0 = time.perf_counter()
    status, error = "ok", None
    try:
        with kernel_env({**kernels.KERNEL_ENV, **(env or {})}):
            reuse = {} if kernel is None else {"km": kernel.prepare(cwd or src.parent, env)}
            pm.execute_notebook(
                str(src), str(dst), parameters=params, kernel_name=kernels.KERNEL,
                execution_timeout=int(math.ceil(timeout)), timeout_func=remaining,
                progress_bar=False, log_output=False, cwd=str(cwd or src.parent),
                # quiet (plain-TCP loopback warnings are noise), dies with its parent
                extra_arguments=kernels.kernel_arguments(), engine_name=kernels.engine(), **reuse,
            )
    except Exception as exc:  # noqa: BLE001 - any notebook failure is recorded, not raised
        status = "failed"
        if kernel is not None:
            kernel.retire()       # it may still be running the timed-out cell
        if isinstance(exc, TimeoutError) or type(exc).__name__ in ("CellTimeoutError", "DeadKernelError"):
            error = f"{type(exc).__name__}: notebook exceeded its {timeout:g} s time limit" \
                if isinstance(exc, TimeoutError) else _first_line(exc)
        else:
            error = _papermill_error(exc)
        if not dst.is_file():
            shutil.copyfile(src, dst)
    return status, error, time.perf_counter() - t0


def warm_up() -> None:
    """A no-op task: submitting one per worker starts the workers at once (each runs
    :func:`start_worker` while the runner loads the data)."""


def start_worker(parent: int, env: dict[str, str]) -> None:
    """Initializer of a notebook worker: die with the runner, yield the processor to it
    (:data:`WORKER_NICENESS`), start this worker's kernel ahead (it imports what notebooks
    need meanwhile), import papermill."""
    die_with_parent(parent)     # no orphan worker
    try:
        os.nice(WORKER_NICENESS)   # the kernel started below inherits it
    except OSError:
        pass
    skip_slow_optional_imports()
    kernels.open_kernel(env)
    import multiprocessing.util

    multiprocessing.util.Finalize(None, kernels.close_kernel, exitpriority=10)   # when the pool ends
    multiprocessing.util.Finalize(None, end_worker, exitpriority=-100)            # after every other one
    import nbclient  # noqa: F401
    import papermill  # noqa: F401


def end_worker() -> None:
    """The last finalizer of a notebook worker (its kernel shut down, its queues flushed): end
    the process without tearing the interpreter down (papermill, nbclient, zmq: time the
    runner waits for when the pool shuts down at the end of each audit); its ``atexit``
    functions run, as :func:`cxtoolkit._speedups.end_process` does for a command."""
    exit_now(0)


def run_notebook(src: Path, dst: Path, params: dict, timeout: float, cwd: Path, env: dict) -> tuple:
    """One notebook job (in a pool worker or inline): ``(status, error, seconds, started_at)``."""
    started_at = now_iso("milliseconds")
    return (*execute_notebook(src, dst, params, timeout=timeout, cwd=cwd, env=env, kernel=kernels.current()),
            started_at)
