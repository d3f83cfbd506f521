"""cxtoolkit: customer-experience KPIs, journey friction, verbatims, quality and ROI for consultants."""
from __future__ import annotations

from cxtoolkit.config import ClientConfig, load_client, load_config
from cxtoolkit.errors import InputError

__version__ = "0.1.0"
__all__ = ["ClientConfig", "InputError", "load_client", "load_config", "__version__"]
