"""One registry of KPI metadata, read by code, JSON output, notebooks and reports.

Each KPI has a key (the name used in code, JSON and reports), a French and an English
label — without its unit: the value says it (:func:`cxtoolkit.rules.format_value`, ``33 s``,
the workbook's number formats, the charts' axes), never both ("DMA (…, s) 33 s") — a unit, a direction (is higher better?), a default target and the group it belongs
to. Targets are the industry defaults (the KPI glossary); ``client.yml`` ``targets`` overrides
them (see :func:`rag`). The table itself is data in :mod:`cxtoolkit.kpi_table` (which the
configuration reads for the codes ``targets:`` may name); this module holds what is computed
over it.

Examples
--------
>>> KPIS["answer_rate"].label("fr")
'Taux de décroché (QS)'
>>> rag("answer_rate", 0.80)
'amber'
>>> rag("asa_s", 75, targets={"asa_s": 30})
'red'
"""
from __future__ import annotations

import math
from collections.abc import Mapping

from cxtoolkit.config import refuse_unknown_keys
from cxtoolkit.kpi_table import INPUTS, KPIS, Direction, Kpi, Unit  # noqa: F401 - the table, re-exported
from cxtoolkit.rules import rests_on


def unmeasured(assumed, keys=None) -> list[str]:
    """The KPIs (of ``keys``, default all) that are not measured when columns are constants a
    mapping made up (``assumed:`` in a preset or client.yml,
    :func:`cxtoolkit.io.mapping.assumed_columns`): those one of whose inputs (:attr:`Kpi.inputs`,
    the columns entering the value) is assumed in the KPI's table (:attr:`Kpi.table`), by
    :func:`cxtoolkit.rules.rests_on`. An answer rate made of ``answered: true`` is 100 % by
    construction; an unhappy share of a guessed csat is the guess.

    ``assumed``: ``{table: columns}`` (``{"contacts": ["answered"], "responses": ["nps"]}``),
    or a list of contact columns.

    >>> unmeasured(["answered"], ["contacts", "inbound", "answer_rate", "abandonment_rate", "resolved_rate"])
    ['answer_rate', 'abandonment_rate']
    >>> unmeasured({"responses": ["csat"]}, ["n", "nps", "csat", "csat_n", "unhappy_share"])
    ['csat', 'csat_n', 'unhappy_share']
    >>> unmeasured([]), unmeasured({"contacts": ["nps"]}, ["nps"])
    ([], [])
    """
    gone = assumed_by_table(assumed)
    if not gone:
        return []
    return [k for k in (KPIS if keys is None else keys)
            if k in KPIS and KPIS[k].inputs and rests_on(KPIS[k].inputs, gone.get(KPIS[k].table, ()))]


def assumed_by_table(assumed) -> dict[str, list[str]]:
    """``{table: columns}`` of the assumed columns given as such a mapping or as a list of
    contact columns (tables without any left out).

    >>> assumed_by_table(["answered"]), assumed_by_table({"contacts": [], "responses": ["nps"]})
    ({'contacts': ['answered']}, {'responses': ['nps']})
    """
    if isinstance(assumed, Mapping):
        return {str(t): list(c) for t, c in assumed.items() if c}
    return {"contacts": list(assumed)} if assumed else {}

#: Denominator column of each rate or mean (the ``n`` a two-proportion test needs).
#: ``service_level`` rests on ``answered`` under ``kpi.service_level_formula: answered_only``
#: and ``unhappy_share`` on ``nps_n`` when there is no csat (:func:`cxtoolkit.audit.collect`).
DENOMINATORS: dict[str, str] = {k.key: k.denominator for k in KPIS.values() if k.denominator}

# -- key lists: which KPIs each producer returns and each artefact shows -------------------

#: Columns of :func:`cxtoolkit.kpis.contacts.aggregate_contacts` (plus ``chat_*_agent`` /
#: ``chat_*_bot`` with a ``handled_by`` column and ``resolved_rate`` with ``resolved``).
CONTACT_KPIS = [
    "contacts", "inbound", "hno_calls", "hno_share", "short_abandons", "offered", "answered",
    "abandoned", "answer_rate", "abandonment_rate", "asa_s", "service_level", "aht_s",
    "email_received", "email_response_h_median", "email_response_h_mean", "email_within_24h",
    "email_within_5h", "chat_received", "chat_first_response_s_mean", "chat_within_60s",
    "repeat_rate", "repeat_censored", "fcr",
]
#: Columns of :func:`cxtoolkit.kpis.surveys.survey_kpis` (``response_rate`` only with sends).
SURVEY_KPIS = ["n", "too_few", "csat", "csat_mean", "csat_n", "nps", "nps_ci95",
               "nps_ci95_adjusted", "nps_n", "ces_mean", "ces_easy", "ces_n", "unhappy_share",
               "response_rate"]
#: KPIs from aggregated daily reports (:func:`cxtoolkit.kpis.engine.daily_kpis`).
DAILY_KPIS = ["offered", "answered", "abandoned", "answer_rate", "abandonment_rate", "asa_s", "service_level", "aht_s"]
#: Headline KPIs of an audit (index page, manifest ``kpi_summary``).
HEADLINE_KPIS = ("inbound", "answer_rate", "abandonment_rate", "asa_s", "service_level", "aht_s",
                 "email_within_24h", "repeat_rate", "csat", "nps", "nps_ci95", "ces_mean", "nps_n", "csat_n")
#: KPIs whose history the index page draws.
TREND_KPIS = ("answer_rate", "abandonment_rate", "asa_s", "service_level", "csat", "nps", "ces_mean")
#: Counts kept in the audit history (other counts are not).
HISTORY_COUNTS = ("inbound", "offered", "answered", "email_received", "chat_received", "nps_n", "csat_n",
                  "repeat_censored")
#: Rates that a count of censored windows makes incomplete: ``{rate: count}``. The last weeks
#: of a file cannot be followed, so such a rate is low by construction and is not tested
#: against another audit while that count is above 0 in either (:func:`cxtoolkit.audit.history.what_changed`).
CENSORED_BY = {"repeat_rate": "repeat_censored", "fcr": "repeat_censored"}
#: Interval half-widths (95 %): shown ``±3,3``, never signed like the NPS they bound
#: (the report tables, the KPI workbook's number format).
HALF_WIDTH_KPIS = ("nps_ci95", "nps_ci95_adjusted")
#: Never kept in the audit history (interval half-widths).
NOT_HISTORY = HALF_WIDTH_KPIS
#: The short KPI summary of ``cxtoolkit demo``.
CLI_SUMMARY_KPIS = ("inbound", "hno_share", "answer_rate", "abandonment_rate", "asa_s", "service_level",
                    "aht_s", "email_within_24h", "chat_within_60s", "repeat_rate", "csat", "nps",
                    "unhappy_share", "response_rate")


def label(key: str, locale: str = "en") -> str:
    """Label of ``key`` in ``locale`` (the key itself when unknown)."""
    k = KPIS.get(key)
    return k.label(locale) if k else key


def check_targets(cfg) -> None:
    """Refuse a ``targets:`` key that is not a KPI code (a typo would leave the KPI on its
    default target without a word): one line naming the file, the key, its line and the
    closest code. A client.yml read is checked on reading (:func:`cxtoolkit.config.unknown_keys`,
    every command); this checks a configuration made in code, where KPIs are computed.

    >>> from cxtoolkit.config import ClientConfig
    >>> check_targets(ClientConfig(client="x", targets={"answer_rate": 0.9}))
    >>> check_targets(ClientConfig(client="x", targets={"servce_level": 0.9}))
    Traceback (most recent call last):
    ...
    cxtoolkit.errors.InputError: client.yml: targets.servce_level: unknown key, did you mean `service_level`?
    """
    refuse_unknown_keys(cfg, ("targets",), KPIS)


def target_of(key: str, targets: dict[str, float] | None = None) -> float | None:
    """Target of ``key``: the client's override if any, else the registry default."""
    if targets and key in targets:
        return targets[key]
    k = KPIS.get(key)
    return k.target if k else None


def has_data(value) -> bool:
    """Whether a KPI has data for this client: its value is a number (an undefined KPI is
    ``None`` / NaN: no contact of its channel, no such column, an empty denominator).

    The one rule of what leadership is shown as a tile (:func:`with_data`).

    >>> has_data(0.0), has_data(None), has_data(float("nan")), has_data("x")
    (True, False, False, False)
    """
    if value is None or isinstance(value, (str, bool)):
        return False
    try:
        return not math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def with_data(keys, values) -> list[str]:
    """The ``keys`` (in their order) whose value in ``values`` (a mapping key -> value) has
    data (:func:`has_data`): the tiles of the index and of the KPI page, never a "–".

    >>> with_data(["answer_rate", "asa_s", "email_within_24h"], {"answer_rate": 0.8, "asa_s": None})
    ['answer_rate']
    """
    return [k for k in keys if k in values and has_data(values[k])]


def measured_in(frame, keys) -> list[str]:
    """The ``keys`` (in their order) with a value in at least one row of ``frame`` (a cut:
    week, month…): a trend to draw, never an empty chart.

    >>> import pandas as pd
    >>> measured_in(pd.DataFrame({"answer_rate": [None, None], "contacts": [3, 4]}), ["answer_rate", "contacts", "nps"])
    ['contacts']
    """
    return [k for k in keys if k in frame.columns and frame[k].notna().any()]


#: KPIs that are the complement of another for the same calls: ``answered`` and ``abandoned``
#: partition ``offered`` (the KPI definitions: answered / offered, abandoned / offered),
#: so abandonment rate = 1 − answer rate (near it on a daily report whose counts do not add
#: up). One fact: :func:`rag` judges the complement as the KPI it complements, and the
#: findings tell it once (:func:`cxtoolkit.kpis.commentary.one_per_fact`).
COMPLEMENTS = {"abandonment_rate": "answer_rate"}


#: Amber ("close"): within this share of the target (a complement: of its complement's target).
AMBER_BAND = 0.10


def amber_limit(key: str, targets: dict[str, float] | None = None) -> float | None:
    """The value where ``key`` turns from amber (close) to red: 10 % below a "higher" target,
    10 % above a "lower" one; a complement (:data:`COMPLEMENTS`) where its complement does,
    so an abandonment rate of target 15 % is close up to 1 − 0.9 × 85 % = 23.5 %, not 16.5 %.
    ``None`` without a target.

    >>> round(amber_limit("answer_rate"), 3), round(amber_limit("abandonment_rate"), 3), amber_limit("aht_s")
    (0.765, 0.235, None)
    """
    k = KPIS.get(key)
    t = target_of(key, targets)
    if k is None or t is None or k.direction == "none":
        return None
    if key in COMPLEMENTS:
        return 1 - amber_limit(COMPLEMENTS[key], {COMPLEMENTS[key]: 1 - t})
    return t * (1 - AMBER_BAND) if k.direction == "higher" else t * (1 + AMBER_BAND)


def rag(key: str, value: float | None, targets: dict[str, float] | None = None) -> str | None:
    """``green`` when ``value`` meets the target, ``amber`` up to :func:`amber_limit` (within
    10 % of it), else ``red``.

    ``None`` when the KPI has no target or the value is undefined. A complement
    (:data:`COMPLEMENTS`) is judged as the KPI it complements: an abandonment rate ``v``
    against its target ``t`` as an answer rate ``1 − v`` against ``1 − t`` (its 10 % band is
    the answer rate's), so one fact never gets two verdicts.

    >>> rag("abandonment_rate", 0.16)
    'amber'
    >>> rag("abandonment_rate", 0.10)
    'green'
    >>> rag("answer_rate", 0.781), rag("abandonment_rate", 0.219)
    ('amber', 'amber')
    >>> rag("aht_s", 300) is None
    True
    """
    k = KPIS.get(key)
    t = target_of(key, targets)
    if k is None or t is None or value is None or k.direction == "none":
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(v):
        return None
    if key in COMPLEMENTS:
        return rag(COMPLEMENTS[key], 1 - v, {COMPLEMENTS[key]: 1 - t})
    limit = amber_limit(key, targets)
    if k.direction == "higher":
        return "green" if v >= t else "amber" if v >= limit else "red"
    return "green" if v <= t else "amber" if v <= limit else "red"


def registry_records(locale: str | None = None) -> list[dict]:
    """The registry as a list of dicts (for JSON and reports)."""
    return [k.to_dict() for k in KPIS.values()]
