"""Satisfaction ROI: what listening to customers and calling back the very unhappy returns.

The model of ``roi-model.md``: customers surveyed (N) × response rate (r) × share of very
unhappy respondents (u) × share of them kept thanks to the follow-up (k) × cost of
acquiring a replacement customer (C), plus an optional yearly margin (m) and the programme
costs (fixed F, per invitation s, per follow-up c).

Every input is validated (rates in [0, 1], counts and costs ≥ 0, finite numbers): an
impossible value is refused with a one-line :class:`~cxtoolkit.errors.InputError`, never
clipped. Inputs can be prefilled from a client's canonical frames and ``client.yml``
``roi`` assumptions; each one carries its source (``data`` / ``assumption`` / ``edited`` /
``default``).

Beyond the point estimate: one-at-a-time sensitivity (tornado), a seeded, vectorised
Monte Carlo over triangular ranges, the break-even retention rate, named scenarios and a
multi-year view.

Examples
--------
>>> out = compute(make_inputs(customers_surveyed=12000, response_rate=0.25,
...                           unhappy_share=0.10, retention_rate=0.40, acquisition_cost=300))
>>> out["respondents"], out["unhappy_detected"], out["customers_retained"]
(3000.0, 300.0, 120.0)
>>> out["avoided_acquisition_cost"], out["roi"]
(36000.0, nan)
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cxtoolkit import rules
from cxtoolkit.errors import InputError
from cxtoolkit.findings import Finding, Msg, Num, render
from cxtoolkit.messages import pairs, text

# --------------------------------------------------------------------------- keys & labels
CORE_INPUTS = ("customers_surveyed", "response_rate", "unhappy_share", "retention_rate",
               "acquisition_cost")
OPTIONAL_INPUTS = ("annual_margin", "fixed_cost", "cost_per_invite", "cost_per_recovery")
INPUT_KEYS = CORE_INPUTS + OPTIONAL_INPUTS
RATE_INPUTS = ("response_rate", "unhappy_share", "retention_rate")
#: the inputs describing the client's own survey programme (from its data or client.yml)
CLIENT_INPUTS = ("customers_surveyed", "response_rate", "unhappy_share")
OUTPUT_KEYS = ("respondents", "unhappy_detected", "customers_retained",
               "avoided_acquisition_cost", "retained_margin", "gross_benefit", "program_cost",
               "net_benefit", "roi", "break_even_retention_rate")
MONEY_KEYS = ("acquisition_cost", "annual_margin", "fixed_cost", "cost_per_invite",
              "cost_per_recovery", "avoided_acquisition_cost", "retained_margin",
              "gross_benefit", "program_cost", "net_benefit")
Source = Literal["data", "assumption", "edited", "default"]
SOURCES = ("data", "assumption", "edited", "default")

LABELS: dict[str, tuple[str, str]] = pairs("roi.label")  # key: (fr, en), from the catalogue

#: the example of roi-model.md, used when neither data nor client.yml gives a value
DEFAULTS: dict[str, float] = {
    "customers_surveyed": 12000.0, "response_rate": 0.25, "unhappy_share": 0.10,
    "retention_rate": 0.40, "acquisition_cost": 300.0, "annual_margin": 0.0,
    "fixed_cost": 0.0, "cost_per_invite": 0.0, "cost_per_recovery": 0.0,
}

#: client.yml ``roi`` keys besides the inputs
SETTING_KEYS = ("ranges", "spread", "sensitivity_share", "years", "churn_rate",
                "discount_rate", "seed", "draws")
#: the settings' values when client.yml does not give them (the one place: the business case, the
#: app and the functions' defaults read them here)
SETTING_DEFAULTS: dict[str, float] = {"spread": 0.25, "sensitivity_share": 0.2, "years": 3, "churn_rate": 0.2,
                                      "discount_rate": 0.0, "draws": 100_000, "seed": 0}


def label(key: str, locale: str = "en") -> str:
    """French or English label of an input, output, source or scenario key.

    >>> label("retention_rate", "fr")
    'Taux de rétention après rappel'
    """
    return text(f"roi.label.{key}", locale or "en") if key in LABELS else key


def _said_label(key: str) -> Msg | str:
    """The label of an input in an error line, said in the error's locale."""
    return Msg(f"roi.label.{key}") if key in LABELS else key


#: what an error names when it is not client.yml: an input typed in (CLI, app), a Monte Carlo range
INPUT = Msg("error.roi.what.input")
MC_RANGE = Msg("error.roi.what.mc_range")


# --------------------------------------------------------------------------- inputs
_RATE = dict(ge=0.0, le=1.0, allow_inf_nan=False)
_NONNEG = dict(ge=0.0, allow_inf_nan=False)


class RoiInputs(BaseModel):
    """The nine inputs of the model (five core, four optional), validated.

    Use :func:`make_inputs` for one-line user-facing errors.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    customers_surveyed: float = Field(**_NONNEG)
    response_rate: float = Field(**_RATE)
    unhappy_share: float = Field(**_RATE)
    retention_rate: float = Field(**_RATE)
    acquisition_cost: float = Field(**_NONNEG)
    annual_margin: float = Field(0.0, **_NONNEG)
    fixed_cost: float = Field(0.0, **_NONNEG)
    cost_per_invite: float = Field(0.0, **_NONNEG)
    cost_per_recovery: float = Field(0.0, **_NONNEG)

    def replace(self, **changes: Any) -> "RoiInputs":
        """A validated copy with some inputs changed."""
        return make_inputs(**{**self.model_dump(), **changes})


def _said_value(v: Any) -> Num | str:
    """A refused value as the reader writes numbers (``-5``, ``1,5`` in French), else its repr.

    >>> _said_value(-5.0).render("fr"), _said_value(1.5).render("fr"), _said_value(0.125).render("en"), _said_value("x")
    ('-5', '1,5', '0.125', "'x'")
    """
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)) and math.isfinite(v):
        frac = f"{float(v):.10f}".rstrip("0").partition(".")[2]
        return Num(float(v), "number", {"decimals": min(len(frac), 6)})
    return repr(v)


def _reason(key: str, err: dict) -> Msg:
    """The reason of a pydantic error on ROI input ``key``, said in the error's locale."""
    typ = err.get("type", "")
    val = _said_value(err.get("input"))
    if typ == "missing":
        return Msg("error.roi.reason.required")
    if typ == "extra_forbidden":
        return Msg("error.roi.reason.not_input", {"known": ", ".join(INPUT_KEYS)})
    if typ == "finite_number":
        return Msg("error.roi.reason.finite", {"value": val})
    if typ.startswith("float") or typ in ("bool_type",):
        return Msg("error.roi.reason.number", {"value": val})
    if key in RATE_INPUTS:
        return Msg("error.roi.reason.share", {"value": val})
    return Msg("error.roi.reason.nonneg", {"value": val})


def make_inputs(what: str | Msg = INPUT, **values: Any) -> RoiInputs:
    """Validate ``values`` into :class:`RoiInputs`; refuse (never clip) impossible ones.

    Raises
    ------
    InputError
        One line naming the input, its label and the reason.

    Examples
    --------
    >>> make_inputs(customers_surveyed=10, response_rate=1.5, unhappy_share=0.1,
    ...             retention_rate=0.4, acquisition_cost=300)
    Traceback (most recent call last):
    ...
    cxtoolkit.errors.InputError: ROI input response_rate (Response rate): must be a share between 0 and 1 (0.25 = 25%), got 1.5
    """
    for k, v in values.items():
        if isinstance(v, bool):  # pydantic would take True for 1.0
            raise InputError("error.roi.number_got", what=what, k=k, label=_said_label(k), v=repr(v))
    try:
        return RoiInputs(**values)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = str(err["loc"][0]) if err.get("loc") else "?"
        raise InputError("error.roi.invalid_value", what=what, key=key, label=_said_label(key),
                         reason=_reason(key, err)) from None


# --------------------------------------------------------------------------- the model
def _model(N, r, u, k, C, m, F, s, c) -> dict[str, Any]:
    """Vectorised formulas of roi-model.md (scalars or NumPy arrays)."""
    N, r, u, k, C, m, F, s, c = (np.asarray(x, dtype=float) for x in (N, r, u, k, C, m, F, s, c))
    respondents = N * r
    unhappy = respondents * u
    kept = unhappy * k
    avoided = kept * C
    margin = kept * m
    gross = avoided + margin
    cost = F + N * s + unhappy * c
    net = gross - cost
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        roi = np.where(cost > 0, net / np.where(cost > 0, cost, 1.0), np.nan)
        denom = unhappy * (C + m)
        be = np.where(denom > 0, cost / np.where(denom > 0, denom, 1.0), np.nan)
    return {"respondents": respondents, "unhappy_detected": unhappy, "customers_retained": kept,
            "avoided_acquisition_cost": avoided, "retained_margin": margin,
            "gross_benefit": gross, "program_cost": cost, "net_benefit": net, "roi": roi,
            "break_even_retention_rate": be}


def _args(values: Mapping[str, Any]) -> list:
    return [values[k] for k in INPUT_KEYS]


def compute(inputs: RoiInputs) -> dict[str, float]:
    """Every output of roi-model.md for one set of inputs; undefined ratios are NaN.

    ``roi`` is NaN when the programme costs nothing; ``break_even_retention_rate`` (the
    retention rate at which net benefit is 0) is NaN when no unhappy customer is detected
    or a kept customer is worth nothing. It may exceed 1 (break-even out of reach).

    >>> out = compute(make_inputs(customers_surveyed=1000, response_rate=0.5, unhappy_share=0.2,
    ...     retention_rate=0.5, acquisition_cost=100, fixed_cost=2000, cost_per_recovery=10))
    >>> out["net_benefit"], out["roi"], out["break_even_retention_rate"]
    (2000.0, 0.6666666666666666, 0.3)
    """
    out = _model(*_args(inputs.model_dump()))
    return {k: float(out[k]) for k in OUTPUT_KEYS}


def results_frame(inputs: RoiInputs, locale: str = "en") -> pd.DataFrame:
    """Outputs as a frame (index = output key; columns ``label``, ``value``)."""
    out = compute(inputs)
    return pd.DataFrame({"label": [label(k, locale) for k in OUTPUT_KEYS],
                         "value": [out[k] for k in OUTPUT_KEYS]},
                        index=pd.Index(OUTPUT_KEYS, name="output"))


def break_even_retention_rate(inputs: RoiInputs) -> float:
    """Retention rate at which net benefit is exactly 0 (NaN when undefined)."""
    return compute(inputs)["break_even_retention_rate"]


def to_jsonable(d: Mapping[str, Any]) -> dict[str, Any]:
    """NaN/inf → None, NumPy scalars → Python numbers (for ``json.dumps(allow_nan=False)``)."""
    from cxtoolkit.jsonable import json_safe

    return json_safe(dict(d))


# --------------------------------------------------------------------------- a labelled case
@dataclass(frozen=True)
class RoiCase:
    """Inputs plus where each came from, the simulation settings and explanatory notes.

    ``sources[key]`` is one of ``data``, ``assumption``, ``edited``, ``default``.
    """

    inputs: RoiInputs
    sources: dict[str, str]
    notes: dict[str, Finding] = field(default_factory=dict)   # how a data input was derived
    ranges: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    settings: dict[str, float] = field(default_factory=dict)

    @property
    def illustrative(self) -> bool:
        """True when the customer base, response rate and unhappy share are all the model's
        defaults (no survey data, no client.yml value): an illustration of the model, not the
        client's business case (a client with daily reports only).

        >>> prefill().illustrative, prefill(edited={"customers_surveyed": 5000}).illustrative
        (True, False)
        """
        return all(self.sources.get(k, "default") == "default" for k in CLIENT_INPUTS)

    def setting(self, key: str) -> float:
        """A simulation setting: client.yml ``roi`` (``settings``), else :data:`SETTING_DEFAULTS`.

        >>> prefill().setting("churn_rate"), RoiCase(prefill().inputs, {}, settings={"years": 5}).setting("years")
        (0.2, 5)
        """
        return self.settings.get(key, SETTING_DEFAULTS[key])

    def edit(self, **changes: Any) -> "RoiCase":
        """A copy with some inputs changed by the user (their source becomes ``edited``)."""
        changed = {k: v for k, v in changes.items() if v is not None}
        inputs = self.inputs.replace(**changed) if changed else self.inputs
        sources = {**self.sources, **{k: "edited" for k in changed
                                      if float(changed[k]) != getattr(self.inputs, k)}}
        return RoiCase(inputs, sources, dict(self.notes), dict(self.ranges), dict(self.settings))

    def inputs_frame(self, locale: str = "en") -> pd.DataFrame:
        """One row per input: ``label``, ``value``, ``source``, ``source_label``, ``note`` (how a
        data input was derived, in ``locale``)."""
        vals = self.inputs.model_dump()
        return pd.DataFrame({
            "label": [label(k, locale) for k in INPUT_KEYS],
            "value": [vals[k] for k in INPUT_KEYS],
            "source": [self.sources.get(k, "default") for k in INPUT_KEYS],
            "source_label": [label(self.sources.get(k, "default"), locale) for k in INPUT_KEYS],
            "note": [render(n, locale) if isinstance(n, Finding) else str(n or "")
                     for n in (self.notes.get(k) for k in INPUT_KEYS)],
        }, index=pd.Index(INPUT_KEYS, name="input"))


def explain(case: RoiCase, outputs: Mapping[str, float] | None = None, currency: str = "EUR",
            locale: str = "en") -> list[str]:
    """What the headline figures mean, in sentences (``report.business_case.commentary``):
    a line saying the case rests on the model's defaults when it does; the chain from the
    customers surveyed (response rate, very unhappy share, retention of those called back)
    to the customers kept and the acquisition cost avoided; the net benefit and ROI; the
    break-even retention rate. The one producer of these sentences: the ROI simulator under
    its headline, the business case's commentary, its deck and report.

    >>> lines = explain(prefill(), locale="en")
    >>> lines[1]
    'Of 12,000 customers surveyed, 3,000 answer and 300 are very unhappy; keeping 40.0% of them keeps 120 customers, or €36,000 of acquisition cost avoided.'
    >>> explain(prefill(edited={"fixed_cost": 6000}), locale="fr")[-1]
    'Le programme est rentable dès 6,7 % de très mécontents conservés (hypothèse retenue : 40,0 %).'
    """
    i, o = case.inputs, dict(outputs) if outputs is not None else compute(case.inputs)

    def t(key: str, **values) -> str:
        return text(f"report.business_case.commentary.{key}", locale, **values)

    def fmt(x, unit: str) -> str:
        x = x if x is not None and math.isfinite(x) else None
        return rules.format_value(x, unit, locale, currency=currency)

    margin = t("margin_kept", margin=fmt(o["retained_margin"], "money")) if o["retained_margin"] > 0 else ""
    # the model's own defaults (no survey data, nothing in client.yml): said first, never read as the client's
    lines = [t("illustrative")] if case.illustrative else []
    lines.append(t("funnel", surveyed=fmt(i.customers_surveyed, "count"), respondents=fmt(o["respondents"], "count"),
                   unhappy=fmt(o["unhappy_detected"], "count"), retention=fmt(i.retention_rate, "ratio"),
                   retained=fmt(o["customers_retained"], "count"), avoided=fmt(o["avoided_acquisition_cost"], "money"),
                   margin=margin))
    if o["program_cost"] > 0:
        lines.append(t("net_benefit_with_cost", cost=fmt(o["program_cost"], "money"), net=fmt(o["net_benefit"], "money"),
                       roi=fmt(o["roi"], "ratio")))
    else:
        lines.append(t("net_benefit_no_cost", net=fmt(o["net_benefit"], "money")))
    be = o["break_even_retention_rate"]
    if be is not None and math.isfinite(be) and o["program_cost"] > 0:
        lines.append(t("break_even", rate=fmt(be, "ratio"), retention=fmt(i.retention_rate, "ratio")))
    return lines


def explain_risk(summary: Mapping[str, Any], currency: str = "EUR", locale: str = "en") -> str:
    """The Monte Carlo's range in one sentence (:meth:`MonteCarloResult.summary`): 8 cases in
    10 between P10 and P90, the median, the probability of a positive ROI.

    >>> explain_risk({"p10": 1000, "p50": 5000, "p90": 9000, "prob_roi_positive": 0.93}, locale="en")
    'Allowing for uncertainty, 8 cases in 10 give a net benefit between €1,000 (P10) and €9,000 (P90), median €5,000; probability of a positive ROI: 93%.'
    """
    def t(key: str, **values) -> str:
        return text(f"report.business_case.commentary.{key}", locale, **values)

    def money(x) -> str:
        return rules.format_value(x if x is not None and math.isfinite(x) else None, "money", locale,
                                  currency=currency)

    p = summary.get("prob_roi_positive")
    prob = t("probability", prob=rules.format_value(p, "ratio", locale, decimals=0)) if p is not None else ""
    return t("uncertainty", p10=money(summary["p10"]), p90=money(summary["p90"]), p50=money(summary["p50"]), prob=prob)


def _has_col(df: pd.DataFrame | None, col: str) -> bool:
    return df is not None and col in df.columns and bool(df[col].notna().any())


def inputs_from_data(sends: pd.DataFrame | None = None,
                     responses: pd.DataFrame | None = None) -> tuple[dict[str, float], dict[str, Finding]]:
    """Inputs a client's canonical frames can give, with a note on how each was derived
    (a :class:`~cxtoolkit.findings.Finding` of ``roi.note.*``, rendered in the reader's locale).

    - ``customers_surveyed``: distinct ``customer_id`` in sends (rows when no customer_id);
    - ``response_rate``: share of surveyed customers found in responses (both frames carry
      ``customer_id``), else share of sends flagged ``responded``, else responses / sends
      (only when ≤ 1);
    - ``unhappy_share``: share of responses with csat ≤ 2, or, when csat is empty, nps ≤ 6.

    >>> sends = pd.DataFrame({"customer_id": ["a", "b", "b", "c"]})
    >>> resp = pd.DataFrame({"customer_id": ["a", "x"], "csat": [1.0, 5.0]})
    >>> inputs_from_data(sends, resp)[0]
    {'customers_surveyed': 3.0, 'response_rate': 0.3333333333333333, 'unhappy_share': 0.5}
    """
    vals: dict[str, float] = {}
    notes: dict[str, Finding] = {}
    cust_sent = None

    def note(key: str, **counts) -> Finding:
        return Finding(f"roi.note.{key}", {k: Num(v, "count") for k, v in counts.items()})

    if sends is not None and len(sends):
        if _has_col(sends, "customer_id"):
            cust_sent = pd.Index(sends["customer_id"].dropna().astype(str).unique())
            vals["customers_surveyed"] = float(len(cust_sent))
            notes["customers_surveyed"] = note("customers", customers=len(cust_sent), sends=len(sends))
        else:
            vals["customers_surveyed"] = float(len(sends))
            notes["customers_surveyed"] = note("sends", sends=len(sends))
    if cust_sent is not None and len(cust_sent) and _has_col(responses, "customer_id"):
        answered = cust_sent.intersection(pd.Index(responses["customer_id"].dropna().astype(str).unique()))
        vals["response_rate"] = len(answered) / len(cust_sent)
        notes["response_rate"] = note("customers_answered", answered=len(answered), customers=len(cust_sent))
    elif sends is not None and len(sends) and _has_col(sends, "responded"):
        resp = sends["responded"].dropna().astype(bool)
        if len(resp):
            vals["response_rate"] = float(resp.mean())
            notes["response_rate"] = note("sends_answered", answered=int(resp.sum()), sends=len(resp))
    elif sends is not None and len(sends) and responses is not None and 0 < len(responses) <= len(sends):
        vals["response_rate"] = len(responses) / len(sends)
        notes["response_rate"] = note("responses_per_send", responses=len(responses), sends=len(sends))
    if responses is not None and len(responses):
        csat = responses["csat"].astype(float) if "csat" in responses.columns else pd.Series(np.nan, index=responses.index)
        nps = responses["nps"].astype(float) if "nps" in responses.columns else pd.Series(np.nan, index=responses.index)
        scored = csat.notna() | nps.notna()
        unhappy = rules.very_unhappy(csat, nps) & scored.to_numpy()
        n = int(scored.sum())
        if n:
            vals["unhappy_share"] = float(unhappy.sum()) / n
            notes["unhappy_share"] = note("unhappy", unhappy=int(unhappy.sum()), scored=n)
    return vals, notes


def _check_ranges(raw: Any, what: str) -> dict[str, tuple[float, float, float]]:
    if raw in (None, {}):
        return {}
    if not isinstance(raw, Mapping):
        raise InputError("error.roi.expected_mapping_input", what=what)
    out = {}
    for k, v in raw.items():
        if k not in INPUT_KEYS:
            raise InputError("error.roi.range_not_an_input", what=what, k=k, value=', '.join(INPUT_KEYS))
        if not isinstance(v, (list, tuple)) or len(v) != 3:
            raise InputError("error.roi.expected_low_likely", what=what, k=k, v=repr(v))
        lo, mid, hi = (make_inputs(what=f"{what}.{k}", **{**DEFAULTS, k: x}).model_dump()[k] for x in v)
        if not lo <= mid <= hi:
            raise InputError("error.roi.need_low_likely", what=what, k=k, value=repr(list(v)))
        out[k] = (lo, mid, hi)
    return out


def _check_settings(roi: Mapping[str, Any], what: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for k in ("spread", "sensitivity_share", "churn_rate", "discount_rate"):
        if k in roi:
            v = roi[k]
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1:
                raise InputError("error.roi.setting_share", what=what, k=k, v=repr(v))
            out[k] = float(v)
    for k, hi in (("years", 30), ("seed", 2**32 - 1), ("draws", 10_000_000)):
        if k in roi:
            v = roi[k]
            if isinstance(v, bool) or not isinstance(v, int) or not (1 if k != "seed" else 0) <= v <= hi:
                raise InputError("error.roi.whole_number_up", what=what, k=k, hi=hi, v=repr(v))
            out[k] = int(v)
    return out


def prefill(cfg: Any = None, sends: pd.DataFrame | None = None,
            responses: pd.DataFrame | None = None,
            edited: Mapping[str, Any] | None = None) -> RoiCase:
    """Build a :class:`RoiCase`: edited > client data > client.yml ``roi`` > default.

    Parameters
    ----------
    cfg : ClientConfig, optional
        Its ``roi`` mapping holds assumptions (any input key) and optional settings:
        ``ranges`` ({input: [low, likely, high]}), ``spread``, ``sensitivity_share``,
        ``years``, ``churn_rate``, ``discount_rate``, ``seed``, ``draws``.
    sends, responses : DataFrame, optional
        Canonical frames (see :func:`inputs_from_data`).
    edited : mapping, optional
        Values typed by the user (``None`` entries are ignored).

    Examples
    --------
    >>> case = prefill(edited={"retention_rate": 0.3})
    >>> case.inputs.retention_rate, case.sources["retention_rate"], case.sources["acquisition_cost"]
    (0.3, 'edited', 'default')
    """
    roi = dict(getattr(cfg, "roi", None) or {})
    what = "client.yml roi"
    unknown = set(roi) - set(INPUT_KEYS) - set(SETTING_KEYS)
    if unknown:
        raise InputError("error.roi.unknown_key_known",
                         what=what,
                         value=sorted(unknown),
                         value2=', '.join(INPUT_KEYS + SETTING_KEYS))
    assumed = {k: roi[k] for k in INPUT_KEYS if k in roi and roi[k] is not None}
    if assumed:  # validate each assumption with a message naming client.yml
        make_inputs(what=what, **{**DEFAULTS, **assumed})
    from_data, notes = inputs_from_data(sends, responses)
    edited = {k: v for k, v in (edited or {}).items() if v is not None}
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for k in INPUT_KEYS:
        for src, pool in (("edited", edited), ("data", from_data), ("assumption", assumed),
                          ("default", DEFAULTS)):
            if k in pool:
                values[k], sources[k] = pool[k], src
                break
    unknown = set(edited) - set(INPUT_KEYS)
    if unknown:
        raise InputError("error.roi.input_roi_model", value=sorted(unknown)[0])
    inputs = make_inputs(**values)
    notes = {k: v for k, v in notes.items() if sources.get(k) == "data"}
    return RoiCase(inputs, sources, notes, _check_ranges(roi.get("ranges"), f"{what}.ranges"),
                   _check_settings(roi, what))


# --------------------------------------------------------------------------- sensitivity
def _clip_input(key: str, x: np.ndarray | float):
    return np.clip(x, 0.0, 1.0) if key in RATE_INPUTS else np.maximum(x, 0.0)


def sensitivity(inputs: RoiInputs, share: float = SETTING_DEFAULTS["sensitivity_share"], output: str = "net_benefit",
                keys: tuple[str, ...] | None = None, locale: str = "en") -> pd.DataFrame:
    """One-at-a-time sensitivity: each input × (1 − share) and × (1 + share), the others at base.

    Moved rates stay within [0, 1]. Inputs at 0 do not move and are left out unless named
    in ``keys``. Sorted by swing (|high − low|), widest first — the order of a tornado.

    Returns
    -------
    DataFrame indexed by input with ``label``, ``base_value``, ``low_value``,
    ``high_value``, ``base``, ``low`` (output at low value), ``high``, ``swing``.

    >>> t = sensitivity(make_inputs(**DEFAULTS), share=0.1)
    >>> t.loc["retention_rate", ["low", "base", "high"]].round(1).tolist()
    [32400.0, 36000.0, 39600.0]
    """
    if not 0 <= share <= 1 or not math.isfinite(share):
        raise InputError("error.roi.between_got", share=repr(share))
    if output not in OUTPUT_KEYS:
        raise InputError("error.roi.unknown_known", output=repr(output), value=', '.join(OUTPUT_KEYS))
    base = inputs.model_dump()
    keys = keys or tuple(k for k in INPUT_KEYS if base[k] != 0)
    n = len(keys)
    cols = {k: np.full(2 * n, base[k], dtype=float) for k in INPUT_KEYS}
    lows = np.array([_clip_input(k, base[k] * (1 - share)) for k in keys], dtype=float)
    highs = np.array([_clip_input(k, base[k] * (1 + share)) for k in keys], dtype=float)
    for i, k in enumerate(keys):
        cols[k][i], cols[k][n + i] = lows[i], highs[i]
    res = _model(*_args(cols))[output]
    b = compute(inputs)[output]
    df = pd.DataFrame({"label": [label(k, locale) for k in keys], "base_value": [base[k] for k in keys],
                       "low_value": lows, "high_value": highs, "base": b,
                       "low": res[:n], "high": res[n:]}, index=pd.Index(list(keys), name="input"))
    df["swing"] = (df["high"] - df["low"]).abs()
    return df.sort_values("swing", ascending=False, kind="stable")


# --------------------------------------------------------------------------- Monte Carlo
def default_ranges(inputs: RoiInputs, spread: float = SETTING_DEFAULTS["spread"],
                   keys: tuple[str, ...] = ("response_rate", "unhappy_share", "retention_rate",
                                            "acquisition_cost", "annual_margin",
                                            "cost_per_recovery")) -> dict[str, tuple[float, float, float]]:
    """Symmetric triangular ranges ``(x(1−spread), x, x(1+spread))`` (rates kept in [0, 1]).

    >>> default_ranges(make_inputs(**DEFAULTS), 0.5)["retention_rate"]
    (0.2, 0.4, 0.6000000000000001)
    """
    base = inputs.model_dump()
    return {k: (float(_clip_input(k, base[k] * (1 - spread))), base[k],
                float(_clip_input(k, base[k] * (1 + spread))))
            for k in keys if base[k] != 0}


@dataclass(frozen=True)
class MonteCarloResult:
    """Draws of the net benefit and ROI and their summary."""

    net_benefit: np.ndarray
    roi: np.ndarray
    p10: float
    p50: float
    p90: float
    mean: float
    prob_roi_positive: float
    draws: int
    seed: int

    def histogram(self, bins: int = 40) -> pd.DataFrame:
        """Binned net benefit: ``left``, ``right``, ``mid``, ``count``, ``share`` (for charts)."""
        counts, edges = np.histogram(self.net_benefit, bins=bins)
        return pd.DataFrame({"left": edges[:-1], "right": edges[1:],
                             "mid": (edges[:-1] + edges[1:]) / 2, "count": counts,
                             "share": counts / max(self.draws, 1)})

    def summary(self) -> dict[str, float | None]:
        return to_jsonable({"p10": self.p10, "p50": self.p50, "p90": self.p90, "mean": self.mean,
                            "prob_roi_positive": self.prob_roi_positive, "draws": self.draws,
                            "seed": self.seed})


def monte_carlo(inputs: RoiInputs, ranges: Mapping[str, tuple[float, float, float]] | None = None,
                draws: int = SETTING_DEFAULTS["draws"], seed: int = SETTING_DEFAULTS["seed"]) -> MonteCarloResult:
    """Seeded Monte Carlo over triangular (low, likely, high) ranges; other inputs at base.

    ``prob_roi_positive`` is the share of draws with a positive ROI among those where the
    programme has a cost (NaN when it never has).

    >>> mc = monte_carlo(make_inputs(**{**DEFAULTS, "fixed_cost": 20000}), draws=20000, seed=1)
    >>> round(mc.p50, -3), 0.9 < mc.prob_roi_positive <= 1
    (15000.0, True)
    """
    if isinstance(draws, bool) or int(draws) != draws or draws < 1:
        raise InputError("error.roi.whole_number_got", draws=repr(draws))
    draws = int(draws)
    ranges = default_ranges(inputs) if ranges is None else dict(ranges)
    rng = np.random.default_rng(seed)
    base = inputs.model_dump()
    cols: dict[str, Any] = dict(base)
    for k in INPUT_KEYS:  # fixed order so a seed gives the same draws whatever the dict order
        if k not in ranges:
            continue
        lo, mid, hi = (float(x) for x in ranges[k])
        if not lo <= mid <= hi:
            raise InputError("error.roi.mc_range_order", k=k, value=repr((lo, mid, hi)))
        make_inputs(what=MC_RANGE, **{**base, k: lo})
        make_inputs(what=MC_RANGE, **{**base, k: hi})
        cols[k] = np.full(draws, mid) if hi == lo else rng.triangular(lo, mid, hi, draws)
    out = _model(*_args(cols))
    net = np.broadcast_to(out["net_benefit"], (draws,))
    roi = np.broadcast_to(out["roi"], (draws,))
    cost = np.broadcast_to(out["program_cost"], (draws,))
    p10, p50, p90 = np.percentile(net, [10, 50, 90])
    has_cost = cost > 0
    prob = float(np.mean(roi[has_cost] > 0)) if has_cost.any() else float("nan")
    return MonteCarloResult(np.asarray(net), np.asarray(roi), float(p10), float(p50), float(p90),
                            float(net.mean()), prob, draws, int(seed))


#: Monte Carlo draws and seed when client.yml ``roi`` gives none
DEFAULT_DRAWS, DEFAULT_SEED, DEFAULT_SPREAD = (SETTING_DEFAULTS[k] for k in ("draws", "seed", "spread"))


def monte_carlo_settings(case: "RoiCase", draws: int | None = None,
                         seed: int | None = None) -> tuple[int, int]:
    """``(draws, seed)`` of a case: the values given, else client.yml ``roi``
    (``case.settings``), else :data:`DEFAULT_DRAWS` and :data:`DEFAULT_SEED`.

    >>> monte_carlo_settings(RoiCase(make_inputs(**DEFAULTS), {}, settings={"draws": 20000, "seed": 7}))
    (20000, 7)
    >>> monte_carlo_settings(prefill(), seed=3)
    (100000, 3)
    """
    return (int(case.setting("draws") if draws is None else draws),
            int(case.setting("seed") if seed is None else seed))


def case_ranges(case: "RoiCase", inputs: RoiInputs | None = None) -> dict[str, tuple[float, float, float]]:
    """Monte Carlo ranges of a case: client.yml ``roi.ranges``, else :func:`default_ranges`
    around ``inputs`` (default the case's) with client.yml ``roi.spread``."""
    return dict(case.ranges) or default_ranges(inputs or case.inputs, case.setting("spread"))


def case_monte_carlo(case: "RoiCase", inputs: RoiInputs | None = None, draws: int | None = None,
                     seed: int | None = None, ranges: Mapping[str, tuple[float, float, float]] | None = None
                     ) -> MonteCarloResult:
    """The Monte Carlo of a case with the client's settings (:func:`monte_carlo_settings`,
    :func:`case_ranges`): the one producer the audit's deck, its ROI page, the app and the
    CLI export call, so they show the same P10 / P50 / P90.

    >>> case = RoiCase(make_inputs(**DEFAULTS), {}, settings={"draws": 2000, "seed": 7})
    >>> mc = case_monte_carlo(case)
    >>> (mc.draws, mc.seed), mc.p50 == monte_carlo(case.inputs, case_ranges(case), 2000, 7).p50
    ((2000, 7), True)
    """
    n, s = monte_carlo_settings(case, draws, seed)
    inp = inputs or case.inputs
    return monte_carlo(inp, case_ranges(case, inp) if ranges is None else ranges, n, s)


# --------------------------------------------------------------------------- scenarios
_COSTS = ("fixed_cost", "cost_per_invite", "cost_per_recovery")


def named_scenarios(inputs: RoiInputs, ranges: Mapping[str, tuple[float, float, float]] | None = None,
                    spread: float = SETTING_DEFAULTS["spread"]) -> dict[str, RoiInputs]:
    """``prudent`` / ``central`` / ``ambitious``: every ranged input at its unfavourable /
    likely / favourable end (low benefit drivers and high costs for prudent).

    >>> sc = named_scenarios(make_inputs(**DEFAULTS), spread=0.5)
    >>> [round(s.retention_rate, 2) for s in sc.values()]
    [0.2, 0.4, 0.6]
    """
    ranges = default_ranges(inputs, spread) if ranges is None else dict(ranges)
    base = inputs.model_dump()
    pru, amb, cen = dict(base), dict(base), dict(base)
    for k, (lo, mid, hi) in ranges.items():
        bad, good = (hi, lo) if k in _COSTS else (lo, hi)
        pru[k], cen[k], amb[k] = bad, mid, good
    return {"prudent": make_inputs(**pru), "central": make_inputs(**cen),
            "ambitious": make_inputs(**amb)}


def compare_scenarios(scenarios: Mapping[str, RoiInputs], locale: str = "en") -> pd.DataFrame:
    """Inputs and outputs of named scenarios side by side (rows: keys; columns: scenarios).

    >>> df = compare_scenarios(named_scenarios(make_inputs(**DEFAULTS)))
    >>> list(df.columns), float(df.loc["customers_retained", "central"])
    (['label', 'prudent', 'central', 'ambitious'], 120.0)
    """
    if not scenarios:
        raise InputError("error.roi.none_compare")
    names = list(scenarios)
    cols = {k: np.array([getattr(scenarios[n], k) for n in names], dtype=float) for k in INPUT_KEYS}
    out = _model(*_args(cols))
    keys = INPUT_KEYS + OUTPUT_KEYS
    data = {n: [float(cols[k][i]) if k in cols else float(out[k][i]) for k in keys]
            for i, n in enumerate(names)}
    return pd.DataFrame({"label": [label(k, locale) for k in keys], **data},
                        index=pd.Index(keys, name="key"))


# --------------------------------------------------------------------------- multi-year
def multi_year(inputs: RoiInputs, years: int = SETTING_DEFAULTS["years"],
               churn_rate: float = SETTING_DEFAULTS["churn_rate"],
               discount_rate: float = SETTING_DEFAULTS["discount_rate"]) -> pd.DataFrame:
    """Cumulative view over ``years`` for a one-off follow-up campaign.

    Assumptions: the programme is paid once (year 1); the acquisition cost is avoided once
    (year 1); each kept customer brings ``annual_margin`` every year it stays; a share
    ``churn_rate`` of those still kept leaves each year (so year y keeps
    ``kept·(1−churn)^(y−1)``); year y is discounted by ``(1+discount_rate)^(y−1)``.
    Year 1 equals the single-period model.

    >>> mv = multi_year(make_inputs(**{**DEFAULTS, "annual_margin": 100}), years=2, churn_rate=0.5)
    >>> mv["net_benefit"].tolist(), mv["cumulative_net_benefit"].tolist()
    ([48000.0, 6000.0], [48000.0, 54000.0])
    """
    if isinstance(years, bool) or int(years) != years or not 1 <= years <= 30:
        raise InputError("error.roi.whole_number_between", years=repr(years))
    for name, v in (("churn_rate", churn_rate), ("discount_rate", discount_rate)):
        if not (isinstance(v, (int, float)) and 0 <= v <= 1):
            raise InputError("error.roi.share_between_got", name=name, v=repr(v))
    out = compute(inputs)
    y = np.arange(1, int(years) + 1)
    still = out["customers_retained"] * (1 - churn_rate) ** (y - 1)
    disc = (1 + discount_rate) ** (y - 1.0)
    margin = still * inputs.annual_margin / disc
    avoided = np.where(y == 1, out["avoided_acquisition_cost"], 0.0)
    cost = np.where(y == 1, out["program_cost"], 0.0)
    net = avoided + margin - cost
    return pd.DataFrame({"year": y, "customers_still_kept": still, "retained_margin": margin,
                         "avoided_acquisition_cost": avoided, "program_cost": cost,
                         "net_benefit": net, "cumulative_net_benefit": np.cumsum(net)})
