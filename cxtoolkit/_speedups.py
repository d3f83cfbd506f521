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

Examples
--------
>>> import subprocess, sys
>>> code = "from cxtoolkit._speedups import skip_slow_optional_imports as s; s(); import jsonschema; print('ok')"
>>> subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
'ok\\n'
"""
from __future__ import annotations

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
