"""What an app kernel sends to the browser when something goes wrong: one line, never a
traceback.

Widget values arrive from the page over the websocket and are untrusted. A value the
widget refuses (a dropdown index out of range, text in a number field) makes ipywidgets
raise inside the kernel, and IPython then sends the whole traceback — install paths and
all, several thousand characters — back to the page. :func:`guard_kernel`, called by every
app when it starts under Voila, changes that for the kernel's lifetime:

* an error shown by the kernel reaches the page as ``ExceptionName: first line`` (at most
  :data:`MAX_LINE` characters); the full traceback goes to the server log only;
* a refused widget value is answered with the widget's current, valid state, so the page
  shows again what the kernel holds.

The apps' own callbacks already catch their errors and show a friendly line
(:mod:`cxtoolkit.apps.controls`, :mod:`cxtoolkit.apps.roi_app`); this is the net under them.
"""
from __future__ import annotations

import os
import sys

MAX_LINE = 160


def server_log(message: str) -> None:
    """Write to the server's log (the kernel's real stderr), never to the page.

    ipykernel forwards what is written to file descriptor 2 (``sys.__stderr__`` included)
    to the page as well; it keeps a copy of the original descriptor, which is used here.
    """
    data = (str(message).rstrip("\n") + "\n").encode("utf-8", "replace")
    fd = getattr(sys.stderr, "_original_stdstream_copy", None)
    try:
        if isinstance(fd, int):
            os.write(fd, data)
        else:
            sys.__stderr__.write(data.decode("utf-8"))
            sys.__stderr__.flush()
    except (OSError, ValueError, AttributeError):
        pass


def one_line(etype, evalue) -> str:
    """``Name: first line of the message``, cut to :data:`MAX_LINE` characters.

    >>> one_line(ValueError, ValueError("bad value 'x'\\n  File /usr/lib/x.py"))
    "ValueError: bad value 'x'"
    """
    lines = str(evalue).strip().splitlines()
    text = f"{getattr(etype, '__name__', 'Error')}: {lines[0] if lines else ''}".strip()
    return text if len(text) <= MAX_LINE else text[:MAX_LINE - 1] + "…"


def guard_kernel(shell=None) -> bool:
    """Install the one-line error policy in this kernel (idempotent). False outside IPython."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None or getattr(shell, "_cxtoolkit_guarded", False):
        return shell is not None
    shown = shell._showtraceback

    def _showtraceback(etype, evalue, stb):
        server_log("\n".join(stb) if isinstance(stb, list) else str(stb))
        line = one_line(etype, evalue)
        shown(etype, line.split(": ", 1)[-1], [line])

    shell._showtraceback = _showtraceback
    shell._cxtoolkit_guarded = True
    _resync_refused_widget_values()
    return True


def _resync_refused_widget_values() -> None:
    import ipywidgets as W

    if getattr(W.Widget.set_state, "_cxtoolkit", False):
        return
    set_state = W.Widget.set_state

    def guarded_set_state(self, sync_data):
        try:
            set_state(self, sync_data)
        except Exception:
            try:
                self.send_state(key=[k for k in sync_data if k in self.keys])   # the valid value back
            except Exception:  # noqa: BLE001 - the error below is what matters
                pass
            raise

    guarded_set_state._cxtoolkit = True
    W.Widget.set_state = guarded_set_state
