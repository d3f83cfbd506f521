"""Notebook kernels of an audit: started ahead, warmed up, reused from notebook to notebook.

A fresh kernel per notebook costs its start (the ``ipykernel`` process, ~0.6 s) and the
imports every analysis notebook makes (pandas, plotly, the toolkit: ~1 s more), five
times per audit. Instead, each notebook worker of an audit (and the runner itself with
one job) owns one :class:`Kernel`:

* it is **started ahead** — when the worker starts, while the runner still loads the
  client's data — and runs :data:`WARM_IMPORTS` at once (queued on the kernel's shell
  channel, nothing waits for it);
* it is **reused** by the worker's notebooks, one after the other. Before each notebook,
  :meth:`Kernel.prepare` gives it a fresh user namespace (``InteractiveShell.reset``: the
  variables of the previous notebook are gone, execution counts restart at 1), the
  notebook's working folder and environment, and re-arms Plotly's notebook renderer (so
  each report inlines plotly.js again);
* a notebook that **fails** (an error, its time limit, a dead kernel) retires the kernel:
  it is killed (a timed-out cell may still be running) and a new one is started ahead
  for the next notebook. A kernel is never shared by two audits.

Papermill itself saves the whole output notebook before and after every cell: it is
serialised and validated each time, and a report notebook carries plotly.js (~4.6 MB) from
its first chart on. The audit's engine (:data:`ENGINE`, :func:`engine`) saves it once at the
end instead — and still when execution stops on a time limit or a dead kernel, so a failed
notebook keeps the cells it ran.

Every kernel runs :func:`cxtoolkit._lifeline.die_with_parent` first (it dies with the
process that started it, even on ``kill -9``) and :data:`cxtoolkit._speedups.KERNEL_EXEC_LINE`;
its environment holds :data:`KERNEL_ENV` (``PLOTLY_RENDERER``) from its start. Its uncaught
errors go through :func:`show_error`: an :class:`~cxtoolkit.errors.InputError` is also said in
the audit's language (:data:`cxtoolkit.envvars.ENV_AUDIT_LOCALE`), read back by :func:`said_of`.

Examples
--------
>>> print(prepare_code("/tmp", {"A": "1"}).splitlines()[0])
get_ipython().reset(new_session=True)
"""
from __future__ import annotations

import functools
import os
import time

from cxtoolkit._lifeline import kernel_exec_line
from cxtoolkit._speedups import KERNEL_EXEC_LINE
from cxtoolkit.envvars import ENV_AUDIT_LOCALE

KERNEL = "python3"
KERNEL_ENV = {"PLOTLY_RENDERER": "plotly_mimetype+notebook"}
#: imports every analysis notebook makes, done while the runner loads the data
WARM_IMPORTS = ("pandas", "plotly.graph_objects", "plotly.io", "cxtoolkit.apps.context",
                "cxtoolkit.apps.controls", "cxtoolkit.apps.views")
#: papermill engine name of :func:`engine`
ENGINE = "cxtoolkit-audit"
#: seconds allowed to :meth:`Kernel.prepare` (the warm-up imports may still be running)
PREPARE_TIMEOUT = 120
#: how often a kernel being prepared is checked for life (seconds)
ALIVE_CHECK_S = 1.0
#: the metadata key of the output that says a kernel's input error in the audit's language
SAID_KEY = "cxtoolkit_said"
#: the kernel's start-up line that routes its uncaught errors through :func:`show_error`
ERROR_EXEC_LINE = ("import cxtoolkit.audit.kernels as _cx_k, cxtoolkit.errors as _cx_e; "
                   "get_ipython().set_custom_exc((_cx_e.InputError,), _cx_k.show_error); del _cx_k, _cx_e")


def show_error(shell, etype, value, tb, tb_offset=None) -> None:
    """An uncaught :class:`~cxtoolkit.errors.InputError` of an audit kernel (IPython's custom
    exception handler, :data:`ERROR_EXEC_LINE`): its traceback as IPython shows it (the error's
    English line, which the manifest keeps), then, when the audit's language is set
    (:data:`~cxtoolkit.envvars.ENV_AUDIT_LOCALE`), the error said in it: a line of the page,
    marked :data:`SAID_KEY` for :func:`said_of`."""
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset, running_compiled_code=True)
    locale = os.environ.get(ENV_AUDIT_LOCALE)
    if locale:
        said = value.render(locale)
        shell.display_pub.publish(data={"text/plain": said}, metadata={SAID_KEY: said})


def said_of(notebook) -> str | None:
    """The input error an executed notebook's kernel said in the audit's language
    (:func:`show_error`), None when it said none (or the file cannot be read)."""
    import json

    try:
        with open(notebook, encoding="utf-8") as f:
            cells = json.load(f).get("cells", [])
    except (OSError, ValueError):
        return None
    said = [o["metadata"][SAID_KEY] for c in cells for o in c.get("outputs", ())
            if isinstance(o.get("metadata"), dict) and SAID_KEY in o["metadata"]]
    return said[-1] if said else None


def kernel_arguments() -> list[str]:
    """Command-line options of an audit kernel: quiet, no history file, the lifeline and
    the start-up speed-up run before anything else."""
    return ["--IPKernelApp.log_level=ERROR", "--HistoryManager.hist_file=:memory:",
            f"--IPKernelApp.exec_lines={KERNEL_EXEC_LINE}",
            f"--IPKernelApp.exec_lines={kernel_exec_line()}",   # dies with its parent
            f"--IPKernelApp.exec_lines={ERROR_EXEC_LINE}"]


def warm_code(modules) -> str:
    """The warm-up: import ``modules``, each on its own, a missing one ignored.

    >>> exec(warm_code(["json", "no_such_module_cx"])); "json" in globals()
    False
    """
    return ("def _cx_warm():\n    import importlib\n"
            f"    for m in {list(modules)!r}:\n"
            "        try:\n            importlib.import_module(m)\n"
            "        except Exception:\n            pass\n"
            "_cx_warm()\ndel _cx_warm\n")


def prepare_code(cwd: str, env: dict[str, str]) -> str:
    """The code run (silently) in a reused kernel before a notebook: a fresh namespace,
    the notebook's folder and environment, Plotly's renderer re-armed (its notebook
    renderer inlines plotly.js into the first chart after that)."""
    return (
        "get_ipython().reset(new_session=True)\n"
        "import os as _cx_os, sys as _cx_sys\n"
        f"_cx_os.chdir({str(cwd)!r})\n"
        f"_cx_os.environ.update({dict(env)!r})\n"
        "if 'plotly.io' in _cx_sys.modules:\n"
        "    _cx_pio = _cx_sys.modules['plotly.io']\n"
        "    _cx_pio.renderers.default = _cx_os.environ.get('PLOTLY_RENDERER') or _cx_pio.renderers.default\n"
        "    del _cx_pio\n"
        "del _cx_os, _cx_sys\n"
    )


@functools.lru_cache(maxsize=1)
def engine() -> str:
    """Register (once) and name the papermill engine of the audit: papermill's nbclient
    engine, saving the output notebook at the end only (see the module)."""
    from papermill.engines import NBClientEngine, papermill_engines

    class SaveAtEnd(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            path, nb_man.output_path = nb_man.output_path, None     # no save per cell
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            except BaseException:
                nb_man.output_path = path   # stopped: the final save keeps the cells run so far
                raise

    papermill_engines.register(ENGINE, SaveAtEnd)
    return ENGINE


@functools.lru_cache(maxsize=1)
def _classes():
    """The kernel manager and client classes (imported on first use: jupyter_client is
    only needed by a process that runs notebooks)."""
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager

    class ReusedClient(AsyncKernelClient):
        """A client whose channels are started once (nbclient starts them per notebook),
        without the heartbeat thread: whether the kernel lives is asked of its manager."""

        def start_channels(self, *args, **kwargs) -> None:
            if not self.channels_running:
                super().start_channels(*args, **{**kwargs, "hb": False})

    class ReusedKernelManager(AsyncKernelManager):
        """Hands every caller (each notebook's nbclient) the same client."""

        _shared_client = None

        def client(self, **kwargs):
            if self._shared_client is None:
                self._shared_client = super().client(**kwargs)
            return self._shared_client

    return ReusedKernelManager, ReusedClient


async def _execute(kc, code: str, timeout: float, km=None) -> dict:
    """Run ``code`` silently on the kernel, return its reply's content. With ``km``, a kernel
    that died (one that could not bind its ports when several start at once) is reported
    within a second instead of after ``timeout``."""
    from queue import Empty

    msg_id = kc.execute(code, silent=True, store_history=False, allow_stdin=False)
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"kernel did not answer within {timeout:g} s")
        try:
            msg = await kc.get_shell_msg(timeout=min(left, ALIVE_CHECK_S))
        except Empty:
            if km is not None and not await km.is_alive():
                raise RuntimeError("the kernel died before answering") from None
            continue
        if msg.get("parent_header", {}).get("msg_id") == msg_id:
            return msg["content"]


class Kernel:
    """One audit kernel, reused by the notebooks run in this process (see the module).

    Parameters
    ----------
    env : variables added to this process' environment for the kernel (the audit's
        client data and cache folders); :data:`KERNEL_ENV` always.
    warm : modules imported as soon as the kernel is up.
    """

    def __init__(self, env: dict[str, str] | None = None, warm=WARM_IMPORTS):
        self.env = {**KERNEL_ENV, **(env or {})}
        self.warm = tuple(warm)
        self.km = None
        self.used = 0          # notebooks run by the current kernel process
        self.started = 0       # kernel processes started by this object

    def start(self) -> "Kernel":
        """Launch the kernel process and queue the warm-up imports; returns at once."""
        if self.km is not None:
            return self
        from jupyter_core.utils import run_sync

        manager, client = _classes()
        km = manager(kernel_name=KERNEL, client_factory=client)
        run_sync(km.start_kernel)(extra_arguments=kernel_arguments(), env={**os.environ, **self.env},
                                  cwd=os.getcwd())
        self.km, self.used = km, 0
        self.started += 1
        if self.warm:
            kc = km.client()
            kc.start_channels()
            kc.execute(warm_code(self.warm), silent=True, store_history=False, allow_stdin=False,
                       stop_on_error=False)   # never aborts the notebook queued behind it
        return self

    def pid(self) -> int | None:
        """The kernel process id (None when no kernel runs)."""
        prov = getattr(self.km, "provisioner", None)
        proc = getattr(prov, "process", None)
        return getattr(proc, "pid", None)

    def prepare(self, cwd, env: dict[str, str] | None = None):
        """The kernel manager to hand to papermill for the next notebook: the kernel started
        if needed, its namespace reset, ``cwd`` and ``env`` applied. A kernel that cannot
        be prepared is replaced by a new one."""
        from jupyter_core.utils import run_sync

        for attempt in (1, 2):
            self.start()
            try:
                kc = self.km.client()
                kc.start_channels()
                reply = run_sync(_execute)(kc, prepare_code(str(cwd), {**self.env, **(env or {})}),
                                           PREPARE_TIMEOUT, self.km)
                if reply.get("status") != "ok":
                    raise RuntimeError(f"{reply.get('ename')}: {reply.get('evalue')}")
            except Exception:  # noqa: BLE001 - a broken kernel: start another one, once
                self.retire(restart=False)
                if attempt == 2:
                    raise
                continue
            self.used += 1
            return self.km

    def retire(self, restart: bool = True) -> None:
        """Kill the current kernel (after a failed notebook: it may still be running a
        cell); with ``restart``, start its successor ahead for the next notebook."""
        km, self.km = self.km, None
        if km is not None:
            from jupyter_core.utils import run_sync

            try:
                if km._shared_client is not None:
                    km._shared_client.stop_channels()
                run_sync(km.shutdown_kernel)(now=True)
            except Exception:  # noqa: BLE001 - already dead: nothing to stop
                pass
        if restart:
            self.start()

    def close(self) -> None:
        """Shut the kernel down (no successor)."""
        self.retire(restart=False)


#: the kernel of this process (a notebook worker's, or the runner's with one job)
_current: Kernel | None = None


def current() -> Kernel | None:
    """The kernel notebooks run in, in this process (None: a fresh kernel per notebook)."""
    return _current


def open_kernel(env: dict[str, str] | None = None) -> Kernel:
    """Start this process' audit kernel ahead (see :class:`Kernel`)."""
    global _current
    close_kernel()
    _current = Kernel(env)
    try:
        _current.start()
    except Exception:  # noqa: BLE001 - retried by the first notebook, which reports the error
        _current.retire(restart=False)
    return _current


def close_kernel() -> None:
    """Shut this process' audit kernel down (idempotent)."""
    global _current
    k, _current = _current, None
    if k is not None:
        k.close()
