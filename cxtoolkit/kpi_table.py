"""The KPI table: each KPI's code, French and English labels, unit, direction, default target,
group and inputs, as data.

Data only, importing nothing of cxtoolkit but :mod:`cxtoolkit.messages` (the labels' locale):
:mod:`cxtoolkit.config` reads the codes from here to refuse an unknown ``targets:`` key of
client.yml where it refuses any unknown setting (:func:`cxtoolkit.config.unknown_keys`: every
command that reads client.yml), without importing the KPI registry
(:mod:`cxtoolkit.kpis.registry`: the functions over this table, which imports the
configuration). Everything else reads the table through the registry.

>>> KPIS["answer_rate"].target, KPIS["nps"].table, "answer_rate" in KPI_CODES
(0.85, 'responses', True)
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Literal

from cxtoolkit.messages import is_fr

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
    #: when one is an assumed constant of the mapping the KPI is not measured
    #: (:func:`cxtoolkit.kpis.registry.unmeasured`)
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
                    "of the same customer (any channel), strictly later and within repeat_window_days; "
                    "for a period, the contacts after it count as followers",
        denominator="answered"),
    Kpi("repeat_censored", "Contacts à fenêtre incomplète", "Contacts with a censored repeat window",
        "count", group="all",
        description="answered contacts whose repeat window runs past the last contact in the data "
                    "(the file's, not the period's)"),
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
KPIS: dict[str, Kpi] = {k.key: replace(k, inputs=INPUTS.get(k.key, k.inputs)) for k in _ALL}

#: every KPI code, in the table's order (the keys ``targets:`` of client.yml may name)
KPI_CODES: tuple[str, ...] = tuple(KPIS)
