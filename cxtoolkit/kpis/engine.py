"""KPI engine: group keys and time slicers, :func:`compute`, status tables and JSON shaping.

Every KPI of the registry can be cut by any column (``segment``, ``agent_id``,
``team``, ``country``…), by a time slicer — ``hour`` (hour slot 0–23), ``weekday``
(``mon``…``sun``), ``week`` (ISO week, ``2026-W18``), ``month`` (``2026-05``), ``date``
(``2026-05-04``) — or by a list of them for two-way cuts (``["weekday", "hour"]``).
Slicer names take precedence over columns of the same name. Missing segment values are
grouped under ``"(missing)"`` so that segments always add up to the overall figures.

How it stays fast: each contact is classified ONCE into a small integer *state* (channel
× outcome × repeat × resolution, see :mod:`cxtoolkit.kpis.contacts`); a cut is then a
handful of ``np.bincount`` calls over ``group_code × n_states + state``. Several cuts of
the same data (:func:`compute_many`) share the classification.

Examples
--------
>>> import pandas as pd
>>> from cxtoolkit.config import ClientConfig
>>> cfg = ClientConfig(client="acme")
>>> contacts = pd.DataFrame({
...     "contact_id": ["1", "2"], "channel": ["phone", "phone"],
...     "received_at": pd.to_datetime(["2026-05-04 10:00", "2026-05-04 11:00"]),
...     "answered": [True, False], "wait_s": [12.0, 40.0]})
>>> k = compute(contacts, cfg=cfg)
>>> float(k.loc["overall", "answer_rate"])
0.5
>>> compute(contacts, cfg=cfg, by="hour")["offered"].tolist()
[1, 1]
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cxtoolkit.config import ClientConfig
from cxtoolkit.errors import InputError
from cxtoolkit.kpis.contacts import aggregate_contacts, prepare_contacts
from cxtoolkit.kpis.groups import MISSING, SLICERS, Groups, calendar_order, group_codes, normalize_by
from cxtoolkit.kpis.registry import DAILY_KPIS, KPIS, assumed_by_table, check_targets, label, rag, target_of, unmeasured
from cxtoolkit.kpis.surveys import survey_kpis

__all__ = [
    "SLICERS",
    "MISSING",
    "Groups",
    "group_codes",
    "normalize_by",
    "compute",
    "compute_many",
    "daily_kpis",
    "status_table",
    "to_json",
    "to_jsonable",
]


def with_contact_columns(responses: pd.DataFrame, contacts: pd.DataFrame | None,
                         by: str | Sequence[str] | None) -> pd.DataFrame:
    """``responses`` plus the ``by`` columns only the contacts have, taken from the contact
    each answer links to by ``contact_id`` (so survey KPIs follow the contact: ``--by
    reason``). An answer without a known contact gets a missing value (``(missing)``
    group); columns the responses already have and time slicers are left alone.

    >>> r = pd.DataFrame({"contact_id": ["c1", "c2", "c9"], "csat": [5, 1, 4]})
    >>> c = pd.DataFrame({"contact_id": ["c1", "c2"], "reason": ["billing", "delivery"]})
    >>> with_contact_columns(r, c, "reason")["reason"].tolist()
    ['billing', 'delivery', nan]
    """
    keys = [k for k in normalize_by(by) if k not in SLICERS and k not in responses.columns]
    if (contacts is None or not keys or "contact_id" not in responses.columns
            or "contact_id" not in contacts.columns):
        return responses
    cid = contacts["contact_id"].astype("string")
    first = (~cid.duplicated() & cid.notna()).to_numpy()
    pos = pd.Index(cid[first]).get_indexer(responses["contact_id"].astype("string"))
    found = pos >= 0
    added = {}
    for k in keys:
        if k in contacts.columns:
            col = contacts[k][first].reset_index(drop=True)
            vals = col.take(np.where(found, pos, 0)).reset_index(drop=True).where(pd.Series(found))
            vals.index = responses.index
            added[k] = vals
    return responses.assign(**added) if added else responses


def _default_cfg(cfg: ClientConfig | None) -> ClientConfig:
    return cfg if cfg is not None else ClientConfig(client="adhoc")


def daily_kpis(daily_reports: pd.DataFrame, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Contact-centre KPIs from aggregated ``daily_reports`` (no contact-level data), with
    the engine's conventions: :func:`cxtoolkit.kpis.daily.daily_report_kpis` (averages
    weighted by the calls they rest on), counts as integers, missing segment values under
    ``(missing)``, an unknown ``by`` an :class:`InputError`.

    >>> d = pd.DataFrame({"date": pd.to_datetime(["2024-03-04", "2024-03-05"]), "queue": ["a", None],
    ...                   "offered": [100, 10], "answered": [90, 10], "abandoned": [10, 0],
    ...                   "asa_s": [60.0, 10.0], "aht_s": [300.0, 200.0]})
    >>> k = daily_kpis(d)
    >>> k["offered"].tolist(), k["asa_s"].tolist()
    ([110], [55.0])
    >>> daily_kpis(d, "queue").index.tolist()
    ['(missing)', 'a']
    """
    from cxtoolkit.kpis.daily import TIME_SLICERS, daily_report_kpis

    keys = normalize_by(by)
    bad = [k for k in keys if k not in TIME_SLICERS and k not in daily_reports.columns]
    if bad:
        raise InputError("error.kpis.such_column_daily",
                         value=repr(bad[0]),
                         value2=', '.join(map(str, daily_reports.columns)),
                         value3=', '.join(TIME_SLICERS))
    cols = [k for k in keys if k not in TIME_SLICERS]
    frame = daily_reports.assign(**{k: daily_reports[k].astype("string").fillna(MISSING) for k in cols})
    out = daily_report_kpis(frame, by=keys or None).drop(columns="days")
    for c in (k for k in DAILY_KPIS if KPIS[k].unit == "count"):
        if out[c].notna().all():
            out[c] = out[c].astype("int64")
    return out


def compute_many(contacts: pd.DataFrame | None = None, responses: pd.DataFrame | None = None,
                 cfg: ClientConfig | None = None, cuts: Sequence[Any] = (None,),
                 sends: pd.DataFrame | None = None,
                 daily_reports: pd.DataFrame | None = None,
                 assumed: Sequence[str] | Mapping[str, Sequence[str]] = (),
                 contacts_after: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Several cuts of the same data at once, classifying each contact only once.

    Returns ``{name: frame}`` where name is ``"overall"`` for ``None`` and the cut joined
    with ``"×"`` for lists (``"weekday×hour"``). Without contacts, the contact-centre KPIs
    come from ``daily_reports`` when given (:func:`daily_kpis`). ``assumed``: the columns
    the mappings filled with an assumed constant, ``{table: columns}``
    (:meth:`cxtoolkit.io.ClientData.assumed_by_table`; a list: contact columns); the KPIs
    resting on them are NaN, not measured (:func:`cxtoolkit.kpis.registry.unmeasured`:
    the contact KPIs on the contacts', the survey KPIs on the answers'). ``contacts_after``:
    the data's contacts after the period of ``contacts``, which can make one a repeat
    (:attr:`cxtoolkit.io.ClientData.contacts_after`).

    >>> from cxtoolkit.config import ClientConfig
    >>> c = pd.DataFrame({"channel": ["phone"], "received_at": pd.to_datetime(["2026-05-04 10:00"]),
    ...                   "answered": [True], "wait_s": [3.0], "country": ["FR"]})
    >>> sorted(compute_many(c, cfg=ClientConfig(client="x"), cuts=[None, "country", "hour"]))
    ['country', 'hour', 'overall']
    """
    cfg = _default_cfg(cfg)
    check_targets(cfg)
    prep = prepare_contacts(contacts, cfg, contacts_after) if contacts is not None else None
    gone = assumed_by_table(assumed)
    if prep is None:
        gone.pop("contacts", None)      # the daily reports' KPIs are not the contacts'
    out: dict[str, pd.DataFrame] = {}
    for cut in cuts:
        keys = normalize_by(cut)
        name = "×".join(keys) if keys else "overall"
        frames = []
        errors = []
        if prep is not None:
            try:
                g = group_codes(contacts, keys, "received_at", "contacts", ns=prep.ns)
                frames.append(aggregate_contacts(prep, g))
            except InputError as exc:
                errors.append(exc)
        elif daily_reports is not None:
            try:
                frames.append(daily_kpis(daily_reports, keys))
            except InputError as exc:
                errors.append(exc)
        if responses is not None:
            try:
                frames.append(survey_kpis(with_contact_columns(responses, contacts, keys), cfg,
                                          by=keys or None, sends=sends))
            except InputError as exc:
                errors.append(exc)
        if not frames:
            if errors:
                raise errors[0]
            raise InputError("error.kpis.contacts_daily_reports")
        out[name] = not_measured(merge_frames(frames), gone)
    return out


def not_measured(frame: pd.DataFrame, assumed: Sequence[str] | Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """``frame`` with the KPIs resting on an ``assumed`` column undefined (NaN)
    (``{table: columns}``, or a list of contact columns: :func:`~cxtoolkit.kpis.registry.unmeasured`).

    >>> f = pd.DataFrame({"contacts": [3], "answered": [3], "answer_rate": [1.0]}, index=["overall"])
    >>> not_measured(f, ["answered"]).iloc[0].tolist()
    [3.0, nan, nan]
    >>> f = pd.DataFrame({"n": [4], "nps": [100.0], "csat": [0.5]}, index=["overall"])
    >>> not_measured(f, {"responses": ["nps"]}).iloc[0].tolist()
    [4.0, nan, 0.5]
    """
    cols = unmeasured(assumed, list(frame.columns))
    return frame.assign(**{c: np.nan for c in cols}) if cols else frame


def merge_frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The contact and survey KPI frames of one cut joined on their groups (outer: a group in one
    only gets the other's KPIs undefined, its counts 0)."""
    if len(frames) == 1:
        return frames[0]
    a, b = frames
    res = calendar_order(a.join(b, how="outer"))   # the join sorts weekdays alphabetically
    count_cols = [c for c in res.columns if c in KPIS and KPIS[c].unit == "count"]
    for c in count_cols:
        if res[c].isna().any():
            res[c] = res[c].fillna(0).astype("int64")
    return res


def compute(contacts: pd.DataFrame | None = None, responses: pd.DataFrame | None = None,
            cfg: ClientConfig | None = None, by: str | Sequence[str] | None = None,
            sends: pd.DataFrame | None = None, daily_reports: pd.DataFrame | None = None,
            assumed: Sequence[str] | Mapping[str, Sequence[str]] = ()) -> pd.DataFrame:
    """All KPIs (contacts and surveys) per group of ``by``.

    Parameters
    ----------
    contacts, responses, sends, daily_reports : canonical frames (any may be None; daily
        reports are used only without contacts).
    cfg : client configuration (thresholds, hours, targets).
    assumed : columns filled by an assumed constant, ``{table: columns}`` or a list of contact
        columns (their KPIs NaN, :func:`not_measured`).
    by : None (one row ``"overall"``), a column, a time slicer, or a list of them.

    Returns
    -------
    DataFrame, one row per group (index named after ``by``), one column per KPI key.
    ``attrs["service_level_formula"]`` names the service-level variant used.
    A ``by`` column missing from one of the frames only skips that frame; missing from
    all of them raises :class:`InputError` listing the available columns.
    """
    cfg = _default_cfg(cfg)
    res = compute_many(contacts, responses, cfg, cuts=[by], sends=sends, daily_reports=daily_reports,
                       assumed=assumed)
    frame = next(iter(res.values()))
    frame.attrs["service_level_formula"] = cfg.kpi.service_level_formula
    return frame


from cxtoolkit.jsonable import json_safe as to_jsonable  # noqa: E402 - a scalar for JSON


# -- presentation ------------------------------------------------------------------

def _row_dict(row: pd.Series) -> dict[str, Any]:
    return {str(k): to_jsonable(v) for k, v in row.items()}


def _label_key(label_value: Any) -> str:
    if isinstance(label_value, tuple):
        return " | ".join(str(x) for x in label_value)
    return str(label_value)


def to_json(overall: pd.DataFrame | pd.Series, segments: pd.DataFrame | None = None,
            cfg: ClientConfig | None = None) -> dict[str, Any]:
    """The CLI's JSON shape: ``{"overall": {kpi: value}, "segments": {label: {kpi: value}}}``.

    ``segments`` only when given; undefined values are ``None``; two-way labels are
    joined with ``" | "``. A ``"meta"`` entry names the service-level variant used.

    >>> f = pd.DataFrame({"answer_rate": [0.5, float("nan")]}, index=["a", "b"])
    >>> to_json(f.iloc[[0]], f)["segments"]["b"]
    {'answer_rate': None}
    """
    row = overall.iloc[0] if isinstance(overall, pd.DataFrame) else overall
    out: dict[str, Any] = {"overall": _row_dict(row)}
    if segments is not None:
        out["segments"] = {_label_key(idx): _row_dict(r) for idx, r in segments.iterrows()}
    formula = (cfg.kpi.service_level_formula if cfg is not None
               else overall.attrs.get("service_level_formula") if isinstance(overall, pd.DataFrame)
               else None)
    if formula:
        out["meta"] = {"service_level_formula": formula}
    return out


def status_table(kpis_row: pd.Series | pd.DataFrame, cfg: ClientConfig | None = None,
                 locale: str | None = None) -> pd.DataFrame:
    """KPI status for tiles and tables: key, label, value, unit, target, rag.

    Only registry keys are listed, in registry order. ``rag`` is ``green``/``amber``/
    ``red`` against the target (client.yml ``targets`` override the defaults), ``None``
    without a target or value.

    >>> row = pd.Series({"answer_rate": 0.80, "asa_s": 25.0})
    >>> status_table(row, locale="en")[["key", "label", "rag"]].values.tolist()
    [['answer_rate', 'Answer rate', 'amber'], ['asa_s', 'ASA (average speed of answer)', 'green']]
    """
    cfg = _default_cfg(cfg)
    loc = locale or cfg.locale
    row = kpis_row.iloc[0] if isinstance(kpis_row, pd.DataFrame) else kpis_row
    recs = []
    for key in KPIS:
        if key not in row.index:
            continue
        v = to_jsonable(row[key])
        recs.append({
            "key": key, "label": label(key, loc), "value": v, "unit": KPIS[key].unit,
            "target": target_of(key, cfg.targets), "rag": rag(key, v, cfg.targets),
        })
    cols = ["key", "label", "value", "unit", "target", "rag"]
    # object columns: undefined values and statuses stay None (not NaN) for JSON and display
    return pd.DataFrame({c: pd.Series([r[c] for r in recs], dtype=object) for c in cols})
