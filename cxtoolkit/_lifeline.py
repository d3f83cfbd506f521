"""Child processes that die with their parent: the audit's notebook workers and kernels.

A killed audit (``kill -9``, out of memory) cannot stop its children. Each notebook worker
and each notebook kernel of an audit runs :func:`die_with_parent`: a daemon thread that
checks every :data:`INTERVAL_S` seconds whether its parent process is still the one that
started it, and ends the process otherwise (a dead parent's children are re-parented to
init or a sub-reaper). The chain worker → kernel thus unwinds within a second or two.
Standard library only: it runs first thing in every kernel (:data:`KERNEL_EXEC_LINE`).

Examples
--------
>>> import os, subprocess, sys, time
>>> code = ("import os, subprocess, sys; p = subprocess.Popen([sys.executable, '-c', "
...         "'from cxtoolkit._lifeline import die_with_parent; die_with_parent(%d, 0.1); import time; "
...         "time.sleep(60)' % os.getpid()], stdout=subprocess.DEVNULL); print(p.pid, flush=True)")
>>> child = int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout)
>>> time.sleep(3); os.path.exists(f"/proc/{child}") if os.path.isdir("/proc") else False
False
"""
from __future__ import annotations

import os
import threading
import time

INTERVAL_S = 0.5



def kernel_exec_line() -> str:
    """:func:`die_with_parent` as one line for ``--IPKernelApp.exec_lines`` of a kernel this
    process starts (runs before the first cell)."""
    return f"from cxtoolkit._lifeline import die_with_parent; die_with_parent({os.getpid()})"


def die_with_parent(parent: int | None = None, interval: float = INTERVAL_S) -> None:
    """Start a daemon thread ending this process (exit status 1) once its parent is gone.

    ``parent`` is the pid of the process that started this one (default: the current
    parent); when this process already has another parent, it ends at once.
    """
    parent = os.getppid() if parent is None else int(parent)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="cxtoolkit-lifeline", daemon=True).start()

