"""Quality-programme settings: the optional ``quality:`` block of client.yml."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from cxtoolkit.errors import FieldErrors, InputError


@dataclass(frozen=True)
class QualitySettings:
    """Quality-programme settings; read from the optional ``quality:`` block of client.yml.

    >>> QualitySettings.from_config({"quality": {"reviews_per_agent_week": 4}}).reviews_per_agent_week
    4
    >>> QualitySettings.from_config({"quality": {"qa_target": "high"}})
    Traceback (most recent call last):
    ...
    cxtoolkit.errors.InputError: client.yml quality: qa_target: could not convert string to float: 'high'
    """

    grid: str = "standard"
    reviews_per_agent_week: int = 3      # target: evaluations per agent per week
    new_agent_days: int = 90             # tenure below which an agent is "new"
    new_agent_factor: float = 2.0        # new agents get this many times the target
    complaint_csat_max: float = 2.0      # CSAT at or below this makes a complaint
    complaint_share: float = 1 / 3       # share of an agent's slots kept for complaints
    long_share: float = 1 / 3            # ... and for long conversations
    long_quantile: float = 0.90          # "long" = handling time above the queue's P90
    drift_points: float = 10.0           # practical drift threshold (points on 0–100)
    drift_p: float = 0.05                # significance of the evaluator drift test
    qa_target: float = 80.0              # quadrant threshold on the QA score
    csat_target: float = 0.80            # quadrant threshold on CSAT (top-2 box share)
    quadrant_min_csat: int = 5           # fewer CSAT answers: no quadrant (too few to say)
    n_boot: int = 1000
    seed: int = 0

    @classmethod
    def from_config(cls, cfg: Any = None, **overrides: Any) -> "QualitySettings":
        raw: dict = {}
        if isinstance(cfg, Mapping):
            raw = dict(cfg.get("quality") or {})
        elif cfg is not None:
            raw = dict(getattr(cfg, "quality", None) or {})
        raw.update({k: v for k, v in overrides.items() if v is not None})
        known = set(cls.__dataclass_fields__)
        unknown = set(raw) - known
        if unknown:
            raise InputError("error.quality.unknown_setting_known",
                             value=sorted(unknown),
                             value2=', '.join(sorted(known)))
        values, errors = {}, []
        for k, v in raw.items():
            kind = type(getattr(cls, k))
            try:
                values[k] = kind(v)
            except (TypeError, ValueError) as exc:    # said by its kind, in the command's language
                errors.append({"loc": (k,), "msg": str(exc), "type": _PARSING.get(kind, "value_error")})
        if errors:
            raise InputError("error.quality.settings_invalid", exc=FieldErrors(errors))
        return cls(**values)


#: the pydantic error type (catalogue ``error.field.<type>``) of a setting that is not of its kind
_PARSING = {int: "int_parsing", float: "float_parsing", str: "string_type"}
