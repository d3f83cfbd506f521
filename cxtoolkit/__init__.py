"""cxtoolkit: customer-experience KPIs, journey friction, verbatims, quality and ROI for consultants."""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["ClientConfig", "InputError", "load_client", "load_config", "__version__"]

# The public names are imported on first use (PEP 562): ``import cxtoolkit.errors`` (every
# command's start-up) must not pay for yaml + pydantic (~0.1 s) through cxtoolkit.config.
_LAZY = {"ClientConfig": "cxtoolkit.config", "load_client": "cxtoolkit.config",
         "load_config": "cxtoolkit.config", "InputError": "cxtoolkit.errors"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'cxtoolkit' has no attribute {name!r}")
