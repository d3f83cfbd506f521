"""Display bundles of the apps' outputs: what a widget ``Output`` holds, built without
display capture and without importing ``plotly.io``'s renderers.

A leaf of the ``apps`` layer: the controls, the ROI simulator and the staffing what-if all
import it, it imports none of them.
"""
from __future__ import annotations

import json
import sys
import threading
from typing import Any

PLOTLY_MIME = "application/vnd.plotly.v1+json"
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}

__all__ = ["PLOTLY_MIME", "PLOTLY_CONFIG", "plotly_bundle", "mime_bundle", "send_now"]


def plotly_bundle(fig) -> dict[str, Any]:
    """The Plotly mime bundle of ``fig`` (what ``fig.show()`` sends with the
    ``plotly_mimetype`` renderer), JSON-safe, without importing ``plotly.io``'s renderers.

    >>> import plotly.graph_objects as go
    >>> b = plotly_bundle(go.Figure(go.Bar(x=["a"], y=[1])))
    >>> sorted(b[PLOTLY_MIME]), b[PLOTLY_MIME]["data"][0]["type"]
    (['config', 'data', 'layout'], 'bar')
    """
    d = json.loads(fig.to_json(validate=False))
    return {PLOTLY_MIME: {"data": d.get("data", []), "layout": d.get("layout", {}),
                          "config": dict(PLOTLY_CONFIG)}}


def mime_bundle(obj) -> dict[str, Any]:
    """The display bundle of ``obj``: Plotly figures as the Plotly mime type (drawn by the
    apps' Plotly renderer Voila loads, :data:`cxtoolkit.apps.serve.PLOTLY_EXTENSION`),
    anything else through IPython's formatter.

    >>> from IPython.display import Markdown
    >>> mime_bundle(Markdown("**a**"))["text/markdown"]
    '**a**'
    """
    if hasattr(obj, "to_plotly_json") and hasattr(obj, "layout"):
        return plotly_bundle(obj)
    from IPython.core.formatters import DisplayFormatter
    data, _meta = DisplayFormatter().format(obj)
    return data


def send_now(timeout: float = 0.05) -> bool:
    """Send now the widget updates this kernel has queued for the browser; True when sent.

    A kernel's messages to the browser are sent by its IOPub thread, which needs the GIL:
    while this thread computes (a chart right after the headline), the headline waits in the
    queue until the interpreter switches threads (every 5 ms, later under load). Here this
    thread waits, without the GIL, until the IOPub thread has sent everything queued before
    (at most ``timeout`` seconds). Outside a kernel (tests, papermill's own process) nothing
    is queued: returns False at once.

    >>> send_now()
    False
    """
    kernelbase = sys.modules.get("ipykernel.kernelbase")
    if kernelbase is None or not kernelbase.Kernel.initialized():
        return False
    pub = getattr(kernelbase.Kernel.instance(), "iopub_thread", None)
    thread = getattr(pub, "thread", None)
    if thread is None or not thread.is_alive() or thread.ident == threading.get_ident():
        return False
    sent = threading.Event()
    pub.schedule(sent.set)   # run by the IOPub thread after the sends queued before it
    return sent.wait(timeout)
