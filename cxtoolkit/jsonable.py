"""The one rule that turns results into strict JSON (every ``--json``, the manifest, results).

Missing values (``None``, NaN, ±inf, ``pd.NA``, ``pd.NaT``) become ``null``; NumPy scalars
become Python numbers and booleans; timestamps ISO text; paths text; mappings get text keys;
lists, tuples and NumPy arrays become lists. Anything else is returned as it is.

Examples
--------
>>> import numpy as np, pandas as pd
>>> json_safe({"a": float("nan"), "b": [1.5, np.int64(3), np.bool_(True)], 1: pd.NA})
{'a': None, 'b': [1.5, 3, True], '1': None}
>>> json_safe(pd.Timestamp("2026-05-04 08:30")), json_safe(np.float32("inf"))
('2026-05-04T08:30:00', None)
>>> to_json({"a": float("nan"), "b": "é"})
'{"a": null, "b": "é"}'
"""
from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

__all__ = ["json_safe", "to_json"]


def json_safe(obj: Any) -> Any:
    """``obj`` with every value JSON can hold strictly (see the module's rule)."""
    if obj is None or isinstance(obj, (str, bool)):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, int):
        return obj
    if isinstance(obj, Mapping):
        return {str(k): json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [json_safe(v) for v in obj]
    if isinstance(obj, PurePath):
        return str(obj)
    if isinstance(obj, (dt.datetime, dt.date)):       # pandas Timestamps included
        return None if _is_missing(obj) else obj.isoformat()
    if _is_missing(obj):
        return None
    if hasattr(obj, "tolist") and callable(obj.tolist):   # NumPy scalars and arrays
        return json_safe(obj.tolist())
    return obj


def _is_missing(obj: Any) -> bool:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        return False
    return obj is pd.NA or obj is pd.NaT


def to_json(obj: Any, **kwargs: Any) -> str:
    """Strict JSON text of :func:`json_safe` ``(obj)``, non-ASCII kept readable."""
    return json.dumps(json_safe(obj), ensure_ascii=False, allow_nan=False, **kwargs)
