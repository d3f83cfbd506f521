"""One registry of KPI metadata, read by code, JSON output, notebooks and reports.

Each KPI has a key (the name used in code, JSON and reports), a French and an English
label — without its unit: the value says it (:func:`cxtoolkit.rules.format_value`, ``33 s``,
the workbook's number formats, the charts' axes), never both ("DMA (…, s) 33 s") — a unit, a direction (is higher better?), a default target and the group it belongs
to. Targets are the industry defaults (the KPI glossary); ``client.yml`` ``targets`` overrides
them (see :func:`rag`).

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
from dataclasses import asdict, dataclass, replace
from typing import Literal

from cxtoolkit.config import refuse_unknown_keys
from cxtoolkit.messages import is_fr
from cxtoolkit.rules import rests_on

Unit = Literal["count", "ratio", "seconds", "hours", "score", "nps", "bool"]   # bool: yes / no
Direction = Literal["higher", "lower", "none"]


@dataclass(frozen=True)
class Kpi:
    key: str
    label_fr: str
    label_en: str
    unit: Unit
    direction: Direction = "none"
    target: float | None = None
    group: str = "phone"
    description: str = ""
    denominator: str | None = None   # count column a rate / mean rests on (the n of a test)
    #: columns of its table (:attr:`table`) whose values decide the KPI (beyond counting rows);
    #: when every one is an assumed constant of the mapping the KPI is not measured (:func:`unmeasured`)
    inputs: tuple[str, ...] = ()

    @property
    def table(self) -> str:
        """The table whose columns :attr:`inputs` names: ``responses`` for the survey KPIs,
        else ``contacts``.

        >>> KPIS["nps"].table, KPIS["answer_rate"].table
        ('responses', 'contacts')
        """
        return "responses" if self.group == "survey" else "contacts"

    def label(self, locale: str = "en") -> str:
        return self.label_fr if is_fr(locale or "en") else self.label_en

    def to_dict(self) -> dict:
        return asdict(self)


_ALL = [
    # phone
    Kpi("inbound", "Appels entrants", "Inbound calls", "count", group="phone",
        description="All phone contacts"),
    Kpi("hno_calls", "Appels en heures non ouvrées (HNO)", "Calls outside opening hours", "count",
        group="phone", description="Phone contacts outside business hours or on a public holiday"),
    Kpi("hno_share", "Part des appels HNO", "Share of calls outside opening hours", "ratio",
        "lower", group="phone",
        description="hno_calls / inbound",
        denominator="inbound"),
    Kpi("short_abandons", "Abandons courts", "Short abandons", "count", group="phone",
        description="Not answered, wait below short_abandon_s"),
    Kpi("offered", "Appels présentés", "Offered calls", "count", group="phone",
        description="In-hours phone contacts minus short abandons"),
    Kpi("answered", "Appels décrochés", "Answered calls", "count", group="phone",
        description="offered calls answered"),
    Kpi("abandoned", "Appels abandonnés", "Abandoned calls", "count", group="phone",
        description="offered calls not answered (wait_s ≥ short_abandon_s)"),
    Kpi("answer_rate", "Taux de décroché (QS)", "Answer rate", "ratio", "higher", 0.85,
        group="phone", description="answered / offered",
        denominator="offered"),
    Kpi("abandonment_rate", "Taux d'abandon", "Abandonment rate", "ratio", "lower", 0.15,
        group="phone", description="abandoned / offered",
        denominator="offered"),
    Kpi("asa_s", "DMA (durée moyenne d'attente)", "ASA (average speed of answer)",
        "seconds", "lower", 60, group="phone", description="mean wait_s of answered calls"),
    Kpi("service_level", "Niveau de service", "Service level", "ratio", "higher", 0.80,
        group="phone", description="answered within service_level_s / offered (variant in kpi.service_level_formula)",
        denominator="offered"),
    Kpi("aht_s", "DMT (durée moyenne de traitement)", "AHT (average handling time)",
        "seconds", "none", group="phone", description="mean talk + hold + wrap of answered calls"),
    # email
    Kpi("email_received", "E-mails reçus", "Emails received", "count", group="email",
        description="all email contacts"),
    Kpi("email_response_h_median", "Délai de réponse e-mail médian", "Median email response time",
        "hours", "lower", group="email",
        description="median wait_s / 3600 of answered emails"),
    Kpi("email_response_h_mean", "Délai de réponse e-mail moyen", "Mean email response time",
        "hours", "lower", group="email",
        description="mean wait_s / 3600 of answered emails"),
    Kpi("email_within_24h", "E-mails traités sous 24 h", "Emails answered within 24 h", "ratio",
        "higher", 0.90, group="email",
        description="emails answered with wait_s ≤ 24 h / emails received (unanswered ones count as misses)",
        denominator="email_received"),
    Kpi("email_within_5h", "E-mails traités sous 5 h", "Emails answered within 5 h", "ratio",
        "higher", group="email",
        description="emails answered with wait_s ≤ 5 h / emails received (unanswered ones count as misses)",
        denominator="email_received"),
    # chat
    Kpi("chat_received", "Chats reçus", "Chats received", "count", group="chat",
        description="all chat contacts"),
    Kpi("chat_first_response_s_mean", "Délai moyen de première réponse chat",
        "Mean chat first response", "seconds", "lower", group="chat",
        description="mean wait_s of answered chats"),
    Kpi("chat_within_60s", "Chats pris sous 60 s", "Chats answered within 60 s", "ratio", "higher",
        group="chat",
        description="chats answered with wait_s ≤ 60 / chats received",
        denominator="chat_received"),
    # chat split by handled_by (present when the contacts carry a handled_by column)
    Kpi("chat_received_agent", "Chats reçus (conseiller)", "Chats received (agent)", "count", group="chat",
        description="chats with handled_by = agent"),
    Kpi("chat_first_response_s_mean_agent", "Délai moyen de première réponse chat, conseiller",
        "Mean chat first response, agent", "seconds", "lower", group="chat",
        description="mean wait_s of answered chats handled by an agent"),
    Kpi("chat_within_60s_agent", "Chats pris sous 60 s (conseiller)", "Chats answered within 60 s (agent)",
        "ratio", "higher", group="chat",
        description="chats handled by an agent answered with wait_s ≤ 60 / their chats received"),
    Kpi("chat_received_bot", "Chats reçus (bot)", "Chats received (bot)", "count", group="chat",
        description="chats with handled_by = bot"),
    Kpi("chat_first_response_s_mean_bot", "Délai moyen de première réponse chat, bot",
        "Mean chat first response, bot", "seconds", "lower", group="chat",
        description="mean wait_s of answered chats handled by a bot"),
    Kpi("chat_within_60s_bot", "Chats pris sous 60 s (bot)", "Chats answered within 60 s (bot)",
        "ratio", "higher", group="chat",
        description="chats handled by a bot answered with wait_s ≤ 60 / their chats received"),
    # every channel
    Kpi("contacts", "Contacts reçus (tous canaux)", "Contacts received (all channels)", "count",
        group="all",
        description="all contacts, every channel"),
    Kpi("repeat_rate", "Taux de réitération", "Repeat-contact rate", "ratio", "lower", group="all",
        description="among answered contacts with a customer_id, the share followed by another contact "
                    "of the same customer (any channel), strictly later and within repeat_window_days",
        denominator="answered"),
    Kpi("repeat_censored", "Contacts à fenêtre incomplète", "Contacts with a censored repeat window",
        "count", group="all",
        description="answered contacts whose repeat window runs past the last contact in the data"),
    Kpi("fcr", "Résolution au premier contact (FCR)", "First-contact resolution (FCR)", "ratio",
        "higher", group="all", description="1 - repeat_rate (proxy)",
        denominator="answered"),
    Kpi("resolved_rate", "Taux de résolution déclaré", "Reported resolution rate", "ratio", "higher",
        group="all",
        description="resolved / answered (when the export has a resolved flag)",
        denominator="answered"),
    # surveys
    Kpi("csat", "Satisfaction (CSAT, top-2)", "Satisfaction (CSAT, top-2 box)", "ratio", "higher",
        group="survey",
        description="csat answers ≥ 4 / csat answers (top-2 box on 1–5)",
        denominator="csat_n"),
    Kpi("csat_mean", "Note de satisfaction moyenne", "Mean CSAT", "score", "higher", group="survey",
        description="mean csat (1–5)",
        denominator="csat_n"),
    Kpi("csat_n", "Réponses CSAT", "CSAT answers", "count", group="survey",
        description="number of csat answers"),
    Kpi("nps", "NPS (recommandation)", "NPS (recommendation)", "nps", "higher", group="survey",
        description="100 × (promoters 9–10 − detractors 0–6) / nps answers",
        denominator="nps_n"),
    Kpi("nps_ci95", "NPS ± IC 95 %", "NPS ± 95% CI", "nps", group="survey",
        description="1.96 × 100 × √((pP + pD − (pP − pD)²) / n): half-width of the NPS 95 % interval"),
    Kpi("nps_ci95_adjusted", "NPS ± IC 95 % (Wald ajusté)", "NPS ± 95% CI (adjusted Wald)", "nps",
        group="survey",
        description="the same with the adjusted-Wald correction (n + 3, promoters and detractors + ¾ each)"),
    Kpi("nps_n", "Réponses NPS", "NPS answers", "count", group="survey",
        description="number of nps answers"),
    Kpi("ces_mean", "Effort client moyen (CES)", "Mean customer effort (CES)", "score", "higher",
        group="survey",
        description="mean ces on the client's scale (kpi.ces_scale, 7 = very easy)",
        denominator="ces_n"),
    Kpi("ces_easy", "Part « facile » (CES)", "Share 'easy' (CES)", "ratio", "higher", group="survey",
        description="ces answers ≥ 5 / ces answers on a 1–7 scale (≥ 4 on 1–5)",
        denominator="ces_n"),
    Kpi("ces_n", "Réponses CES", "CES answers", "count", group="survey",
        description="number of ces answers"),
    Kpi("unhappy_share", "Clients très insatisfaits", "Very unhappy customers", "ratio", "lower",
        group="survey",
        description="csat answers ≤ 2 / csat answers; where csat is absent, nps answers ≤ 6 / nps answers",
        denominator="csat_n"),
    Kpi("n", "Réponses", "Answers", "count", group="survey",
        description="survey answers (rows) the survey KPIs rest on"),
    Kpi("too_few", "Trop peu de réponses (< 30)", "Too few answers (< 30)", "bool", group="survey",
        description="n < kpi.min_answers (default 30): too few answers to conclude"),
    Kpi("response_rate", "Taux de réponse", "Response rate", "ratio", "higher", group="survey",
        description="responses / sends"),
]

#: The columns each KPI rests on (:attr:`Kpi.inputs`): the columns that enter its **value**,
#: not those that only choose the rows it is computed over (:func:`cxtoolkit.rules.rests_on`:
#: any of them assumed, the KPI is not measured). ``answered`` enters the rates that compare
#: answered and not answered contacts (answer rate, service level, email / chat within a
#: window: an unanswered one is a miss) but only chooses the rows of a mean over answered
#: contacts (ASA, response times, repeat and resolution rates): an assumed ``answered: true``
#: (a log of handled contacts only) leaves those measured. A survey KPI rests on the scores
#: its answers are counted by (:func:`cxtoolkit.kpis.surveys.answer_flags`:
#: ``unhappy_share`` reads the csat, else the nps, so either assumed leaves it not measured).
_ANS, _WAIT = "answered", "wait_s"
_CUST = ("customer_id", "received_at")
INPUTS: dict[str, tuple[str, ...]] = {
    "inbound": ("channel",), "hno_calls": ("channel", "received_at"), "hno_share": ("channel", "received_at"),
    "short_abandons": (_ANS, _WAIT), "answered": (_ANS,), "abandoned": (_ANS, _WAIT),
    "answer_rate": (_ANS, _WAIT), "abandonment_rate": (_ANS, _WAIT),
    "asa_s": (_WAIT,), "service_level": (_ANS, _WAIT), "aht_s": ("talk_s", "hold_s", "wrap_s"),
    "email_received": ("channel",), "email_response_h_median": (_WAIT,),
    "email_response_h_mean": (_WAIT,), "email_within_24h": (_ANS, _WAIT), "email_within_5h": (_ANS, _WAIT),
    "chat_received": ("channel",), "chat_first_response_s_mean": (_WAIT,), "chat_within_60s": (_ANS, _WAIT),
    "chat_received_agent": ("channel", "handled_by"), "chat_first_response_s_mean_agent": (_WAIT,),
    "chat_within_60s_agent": (_ANS, _WAIT), "chat_received_bot": ("channel", "handled_by"),
    "chat_first_response_s_mean_bot": (_WAIT,), "chat_within_60s_bot": (_ANS, _WAIT),
    "repeat_rate": _CUST, "repeat_censored": _CUST, "fcr": _CUST, "resolved_rate": ("resolved",),
    # survey answers (responses): n, too_few and response_rate only count rows
    "csat": ("csat",), "csat_mean": ("csat",), "csat_n": ("csat",),
    "nps": ("nps",), "nps_ci95": ("nps",), "nps_ci95_adjusted": ("nps",), "nps_n": ("nps",),
    "ces_mean": ("ces",), "ces_easy": ("ces",), "ces_n": ("ces",), "unhappy_share": ("csat", "nps"),
}
_ALL = [replace(k, inputs=INPUTS.get(k.key, k.inputs)) for k in _ALL]

KPIS: dict[str, Kpi] = {k.key: k for k in _ALL}


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
DENOMINATORS: dict[str, str] = {k.key: k.denominator for k in _ALL if k.denominator}

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
HISTORY_COUNTS = ("inbound", "offered", "answered", "email_received", "chat_received", "nps_n", "csat_n")
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
    """Refuse a ``targets:`` key of client.yml that is not a KPI code (a typo would leave the
    KPI on its default target without a word): one line naming the file, the key, its line and
    the closest code.

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
    return [k.to_dict() for k in _ALL]
