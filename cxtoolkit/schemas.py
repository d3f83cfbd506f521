"""Schemas as code: one declarative schema per canonical table of the data contract.

Each :class:`Schema` lists its :class:`Column` s (canonical name, kind, required flag,
allowed values with their synonyms, range, default) and the header aliases under which
client exports name them (French exports included). The checks themselves run in
:mod:`cxtoolkit.io.validate`, vectorised over whole columns.

Column names are matched case-, accent-, punctuation- and spacing-insensitively, and
small French/English words (``de``, ``d'``, ``the``…) and unit suffixes (``(s)``,
``(hh:mm:ss)``) are ignored, so ``Durée d'attente (s)`` and ``duree attente`` both
map to ``wait_s``.

Examples
--------
>>> normalise_header("Durée d'attente (s)")
'duree_attente'
>>> CONTACTS.resolve(["Date d'appel", "Canal", "N° client", "Foo"])
{"Date d'appel": 'received_at', 'Canal': 'channel', 'N° client': 'customer_id'}
>>> CONTACTS["channel"].canonical_value("Téléphone")
'phone'
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

# --- column names ---------------------------------------------------------------------
CONTACT_ID = "contact_id"
CUSTOMER_ID = "customer_id"
RESPONSE_ID = "response_id"
SEND_ID = "send_id"
EVALUATION_ID = "evaluation_id"
AGENT_ID = "agent_id"
EVALUATOR_ID = "evaluator_id"
CHANNEL = "channel"
RECEIVED_AT = "received_at"
ANSWERED = "answered"
ANSWERED_AT = "answered_at"
ABANDONED_AT = "abandoned_at"
WAIT_S = "wait_s"
TALK_S = "talk_s"
HOLD_S = "hold_s"
WRAP_S = "wrap_s"
RESOLVED = "resolved"
HANDLED_BY = "handled_by"
RESPONDED_AT = "responded_at"
RESPONDED = "responded"
SURVEY_TYPE = "survey_type"
TOUCHPOINT = "touchpoint"
CSAT = "csat"
NPS = "nps"
CES = "ces"
VERBATIM = "verbatim"
SENT_AT = "sent_at"
EVALUATED_AT = "evaluated_at"
CRITERION = "criterion"
SCORE = "score"
MAX_SCORE = "max_score"
HIRED_ON = "hired_on"
DATE = "date"
QUEUE = "queue"
OFFERED = "offered"
ABANDONED = "abandoned"
ASA_S = "asa_s"
AHT_S = "aht_s"
SERVICE_LEVEL = "service_level"

#: Headers of a contact's whole handling time (talk + hold + after-call work, "durée de traitement").
HANDLE_S = "handle_s"
HANDLE_ALIASES = ("Durée de traitement", "Temps de traitement", "Durée totale de traitement",
                  "Temps de traitement total", "Durée traitement", "DMT", "Handle time", "Handling time",
                  "Total handle time", "Total handling time", "Handle duration", "AHT")

#: Longest credible call / handling part, in seconds: anything above is rejected as absurd.
MAX_CALL_S = 24 * 3600.0
#: Longest credible wait for an email / social / messaging answer (60 days).
MAX_ASYNC_WAIT_S = 60 * 24 * 3600.0

Kind = Literal["id", "segment", "text", "datetime", "date", "bool", "duration", "number", "int"]

CHANNELS = ("phone", "email", "chat", "social", "messaging")
CHANNEL_SYNONYMS = {
    "phone": "phone", "telephone": "phone", "tel": "phone", "tele": "phone", "voice": "phone",
    "voix": "phone", "call": "phone", "appel": "phone", "appels": "phone", "inbound_call": "phone",
    "email": "email", "e_mail": "email", "mail": "email", "courriel": "email", "mel": "email",
    "chat": "chat", "tchat": "chat", "livechat": "chat", "live_chat": "chat", "webchat": "chat",
    "social": "social", "reseaux_sociaux": "social", "reseau_social": "social", "rs": "social",
    "facebook": "social", "twitter": "social", "x": "social",
    "messaging": "messaging", "messagerie": "messaging", "whatsapp": "messaging", "sms": "messaging",
}
SURVEY_TYPE_SYNONYMS = {
    "hot": "hot", "chaud": "hot", "a_chaud": "hot", "transactional": "hot", "transactionnel": "hot",
    "cold": "cold", "froid": "cold", "a_froid": "cold", "barometre": "cold", "barometer": "cold",
}
HANDLED_BY_SYNONYMS = {
    "agent": "agent", "conseiller": "agent", "humain": "agent", "human": "agent",
    "bot": "bot", "chatbot": "bot", "robot": "bot", "callbot": "bot",
}
TRUE_WORDS = ("oui", "o", "vrai", "v", "1", "yes", "y", "true", "t", "x")
FALSE_WORDS = ("non", "n", "faux", "f", "0", "no", "false")

_STOPWORDS = {"d", "de", "du", "des", "l", "la", "le", "les", "en", "a", "au", "the", "of", "in"}
_UNIT_SUFFIXES = ("s", "sec", "secs", "seconde", "secondes", "seconds", "second",
                  "hh_mm_ss", "hhmmss", "mm_ss", "en_secondes", "in_seconds")


def normalise_token(text: object) -> str:
    """Lower-case, accent-free, ``_``-separated form of a header or a category value.

    >>> normalise_token("  Réseaux  Sociaux ")
    'reseaux_sociaux'
    """
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return "_".join(re.findall(r"[a-z0-9]+", s.lower()))


def normalise_header(text: object) -> str:
    """Header key used for alias matching: :func:`normalise_token` minus small words
    and a trailing unit in brackets.

    >>> normalise_header("Temps de clôture (hh:mm:ss)")
    'temps_cloture'
    """
    raw = str(text).strip().lstrip("\ufeff")
    # a trailing unit in brackets: "(s)", "(sec)", "(hh:mm:ss)"
    raw = re.sub(r"\s*[\(\[]\s*(s|sec|secs|secondes?|seconds?|hh:mm:ss|mm:ss|en secondes)\s*[\)\]]\s*$",
                 "", raw, flags=re.I)
    toks = [t for t in normalise_token(raw).split("_") if t and t not in _STOPWORDS]
    return "_".join(toks)


_ALIAS_CACHE: dict[int, dict[str, str]] = {}


@dataclass(frozen=True)
class Column:
    """One canonical column: its kind, whether it is required, its allowed values or range.

    ``synonyms`` maps normalised raw values (see :func:`normalise_token`) onto allowed
    values; ``min``/``max`` bound numbers and durations (inclusive); ``default`` fills the
    column when it is absent; for durations it fills only the empty cells of a column the
    export has and that is not entirely empty: a duration the export does not have (or
    leaves entirely empty) is not measured (NaN), so the KPIs it feeds are undefined, not 0.
    """

    name: str
    kind: Kind
    required: bool = False
    aliases: tuple[str, ...] = ()
    allowed: tuple[str, ...] | None = None
    synonyms: dict[str, str] = field(default_factory=dict)
    min: float | None = None
    max: float | None = None
    default: object = None
    not_in_future: bool = False

    def canonical_value(self, value: object) -> str | None:
        """Allowed value a raw value stands for, or None when unknown.

        >>> SURVEY_TYPE_COL.canonical_value("À froid")
        'cold'
        """
        key = normalise_token(value)
        if key in self.synonyms:
            return self.synonyms[key]
        if self.allowed and key in self.allowed:
            return key
        return None


@dataclass(frozen=True)
class Schema:
    """A canonical table: its columns, unique key, main timestamp and alias lookup."""

    table: str
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()
    main_ts: str | None = None
    #: alternative ways to obtain a required column: {"answered": ("answered_at",)}
    derivable: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: extra header aliases for helper columns that are not kept as such
    helper_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return any(c.name == name for c in self.columns)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def alias_map(self) -> dict[str, str]:
        """Normalised header → canonical name (canonical names included)."""
        key = id(self)
        if key not in _ALIAS_CACHE:
            _ALIAS_CACHE[key] = self._build_alias_map()
        return _ALIAS_CACHE[key]

    def _build_alias_map(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for c in self.columns:
            for a in c.aliases:
                out.setdefault(normalise_header(a), c.name)
        for name, aliases in self.helper_aliases.items():
            for a in aliases:
                out.setdefault(normalise_header(a), name)
        # canonical names win over any alias
        for c in self.columns:
            out[normalise_header(c.name)] = c.name
        for name in self.helper_aliases:
            out[normalise_header(name)] = name
        return out

    def match(self, header: object) -> str | None:
        """Canonical name for one raw header, or None when unknown."""
        amap = self.alias_map()
        key = normalise_header(header)
        if key in amap:
            return amap[key]
        for suf in _UNIT_SUFFIXES:  # "attente_s", "duree_attente_sec"
            if key.endswith("_" + suf) and key[: -len(suf) - 1] in amap:
                return amap[key[: -len(suf) - 1]]
        return None

    def resolve(self, headers: list[object]) -> dict[object, str]:
        """Map raw headers onto canonical names; the first header claiming a name wins.

        Unknown headers are left out of the result (they are kept as they came).
        """
        out: dict[object, str] = {}
        taken: set[str] = set()
        # exact canonical names first, so "wait_s" beats an alias "Temps d'attente"
        for pass_exact in (True, False):
            for h in headers:
                if h in out:
                    continue
                name = self.match(h)
                if name is None or name in taken:
                    continue
                if pass_exact != (normalise_header(h) == normalise_header(name)):
                    continue
                out[h] = name
                taken.add(name)
        return {h: out[h] for h in headers if h in out}


def _seg(name: str, *aliases: str, required: bool = False) -> Column:
    return Column(name, "segment", required=required, aliases=aliases)


def _dur(name: str, *aliases: str, default: object = None, max: float | None = MAX_CALL_S) -> Column:
    return Column(name, "duration", aliases=aliases, min=0.0, max=max, default=default)


CHANNEL_COL = Column(CHANNEL, "segment", required=True, allowed=CHANNELS, synonyms=CHANNEL_SYNONYMS,
                     aliases=("Canal", "Canal de contact", "Média", "Media", "Channel", "Type de contact"))
SURVEY_TYPE_COL = Column(SURVEY_TYPE, "segment", allowed=("hot", "cold"), synonyms=SURVEY_TYPE_SYNONYMS,
                         default="hot", aliases=("Type d'enquête", "Type enquete", "Survey type", "Type"))
HANDLED_BY_COL = Column(HANDLED_BY, "segment", allowed=("agent", "bot"), synonyms=HANDLED_BY_SYNONYMS,
                        aliases=("Traité par", "Pris en charge par", "Handled by"))

_COMMON_SEGMENTS = (
    _seg(AGENT_ID, "Agent", "Conseiller", "Conseillère", "Téléconseiller", "ID agent", "Matricule",
         "Agent ID", "Nom agent", "Login"),
    _seg("team", "Équipe", "Equipe", "Team", "Groupe"),
    _seg("site", "Site", "Centre", "Plateau"),
    _seg("country", "Pays", "Country", "Code pays"),
    _seg("language", "Langue", "Language", "Lang"),
)

CONTACTS = Schema(
    table="contacts",
    columns=(
        Column(CONTACT_ID, "id", required=True,
               aliases=("ID contact", "Identifiant contact", "N° contact", "N° appel", "ID appel",
                        "Identifiant appel", "Call ID", "Contact ID", "ID interaction", "Ticket",
                        "N° ticket", "ID")),
        CHANNEL_COL,
        Column(RECEIVED_AT, "datetime", required=True, not_in_future=True,
               aliases=("Date d'appel", "Date/heure", "Date heure", "Date et heure", "Horodatage",
                        "Date de réception", "Date reception", "Date du contact", "Date contact",
                        "Date d'entrée", "Received at", "Received", "Timestamp", "Date time",
                        "Datetime", "Start time", "Call date")),
        Column(ANSWERED, "bool", required=True,
               aliases=("Décroché", "Décrochés", "Répondu", "Traité", "Pris", "Answered", "Handled",
                        "Answered (Y/N)")),
        _dur(WAIT_S, "Durée d'attente", "Temps d'attente", "Attente", "Délai de réponse",
             "Délai de prise en charge", "Wait", "Wait time", "Queue time", "Waiting time",
             "Time to answer", "Speed of answer", "Délai d'attente", "Temps en file", "Temps en file d'attente",
             "Durée en file d'attente", "Wait duration", "Time in queue", "Queue wait", max=None),
        _dur(TALK_S, "Durée de communication", "Temps de conversation", "Durée conversation",
             "Durée d'appel", "Durée de l'appel", "Talk time", "Talk", "Conversation", "Talk duration",
             "Temps de communication", "Temps de conversation", "Temps d'appel", "Conversation time",
             "Temps en ligne", default=0.0),
        _dur(HOLD_S, "Mise en attente", "Durée de mise en attente", "Temps de mise en attente",
             "Hold time", "Hold", "Mise en garde", "Durée de mise en garde", "Temps de mise en garde",
             "Hold duration", "Time on hold", "On hold", default=0.0),
        _dur(WRAP_S, "Temps de clôture", "Post-appel", "Temps post-appel", "Durée post-appel",
             "Travail post-appel", "ACW", "Wrap-up", "Wrap up", "Wrap time", "After call work",
             "Durée de clôture", "Post-traitement", "Temps de post-traitement", "Durée post-traitement",
             "ACW time", "After-call work time", "Wrap-up time", default=0.0),
        Column(ANSWERED_AT, "datetime", aliases=("Heure de décroché", "Date de décroché", "Date de réponse agent",
                                                 "Answered at", "Answer time")),
        Column(ABANDONED_AT, "datetime", aliases=("Heure d'abandon", "Date d'abandon", "Abandoned at",
                                                  "Abandon time")),
        _seg(CUSTOMER_ID, "Client", "N° client", "Numéro client", "ID client", "Identifiant client",
             "Réf client", "Customer", "Customer ID", "Caller ID"),
        *_COMMON_SEGMENTS,
        _seg(QUEUE, "File", "File d'attente", "Queue", "Skill", "Compétence", "SDA", "Service"),
        _seg("reason", "Motif", "Motif d'appel", "Motif de contact", "Raison", "Reason", "Call reason",
             "Typologie", "Qualification", "Topic"),
        _seg("product", "Produit", "Offre", "Product", "Gamme"),
        HANDLED_BY_COL,
        Column(RESOLVED, "bool", aliases=("Résolu", "Résolution", "Resolved", "Solved")),
    ),
    unique=(CONTACT_ID,),
    main_ts=RECEIVED_AT,
    derivable={ANSWERED: (ANSWERED_AT, ABANDONED_AT), WAIT_S: (ANSWERED_AT, ABANDONED_AT),
               RECEIVED_AT: ("received_date",)},
    helper_aliases={"received_date": ("Date", "Jour", "Date appel jour", "Day"),
                    "received_time": ("Heure", "Heure d'appel", "Heure de réception", "Time", "Hour"),
                    # a contact's whole handling time (talk + hold + wrap): talk_s is derived from it
                    "handle_s": HANDLE_ALIASES},
)

RESPONSES = Schema(
    table="responses",
    columns=(
        Column(RESPONSE_ID, "id", required=True,
               aliases=("ID réponse", "Identifiant réponse", "N° réponse", "Response ID", "ID")),
        Column(RESPONDED_AT, "datetime", required=True, not_in_future=True,
               aliases=("Date de réponse", "Date réponse", "Date/heure", "Date", "Date de l'enquête",
                        "Responded at", "Response date", "Submitted at", "Horodatage")),
        SURVEY_TYPE_COL,
        _seg(CUSTOMER_ID, "Client", "N° client", "Numéro client", "ID client", "Customer", "Customer ID"),
        _seg(CONTACT_ID, "ID contact", "N° contact", "N° appel", "Contact ID", "Ticket"),
        _seg(TOUCHPOINT, "Point de contact", "Étape", "Étape du parcours", "Touchpoint", "Moment"),
        Column(CHANNEL, "segment", allowed=CHANNELS, synonyms=CHANNEL_SYNONYMS,
               aliases=("Canal", "Channel", "Média")),
        *_COMMON_SEGMENTS,
        _seg("segment", "Segment", "Cible", "Typologie client"),
        Column(CSAT, "int", min=1, max=5,
               aliases=("Note", "Satisfaction", "Note de satisfaction", "Note satisfaction", "CSAT",
                        "Satisfaction score", "Satisfaction rating")),
        Column(NPS, "int", min=0, max=10,
               aliases=("Recommandation", "Note de recommandation", "Probabilité de recommandation",
                        "NPS", "Likelihood to recommend", "Recommend")),
        Column(CES, "int", min=1, max=7,
               aliases=("Effort", "Note d'effort", "Facilité", "CES", "Customer effort")),
        Column(VERBATIM, "text",
               aliases=("Commentaire", "Commentaires", "Verbatim", "Remarque", "Comment", "Comments",
                        "Free text", "Texte libre")),
    ),
    unique=(RESPONSE_ID,),
    main_ts=RESPONDED_AT,
)

SENDS = Schema(
    table="sends",
    columns=(
        Column(SEND_ID, "id", required=True, aliases=("ID envoi", "N° envoi", "Send ID", "Invitation ID", "ID")),
        _seg(CUSTOMER_ID, "Client", "N° client", "ID client", "Customer", "Customer ID"),
        Column(SENT_AT, "datetime", required=True, not_in_future=True,
               aliases=("Date d'envoi", "Date envoi", "Envoyé le", "Sent at", "Send date", "Date")),
        SURVEY_TYPE_COL,
        Column(CHANNEL, "segment", allowed=CHANNELS, synonyms=CHANNEL_SYNONYMS,
               aliases=("Canal", "Channel", "Média")),
        Column(RESPONDED, "bool", aliases=("Répondu", "A répondu", "Réponse", "Responded")),
    ),
    unique=(SEND_ID,),
    main_ts=SENT_AT,
)

EVALUATIONS = Schema(
    table="evaluations",
    columns=(
        Column(EVALUATION_ID, "id", required=True,
               aliases=("ID évaluation", "N° évaluation", "Evaluation ID", "ID grille")),
        _seg(CONTACT_ID, "ID contact", "N° contact", "N° appel", "Contact ID"),
        _seg(AGENT_ID, "Agent", "Conseiller", "Conseillère", "Agent ID", "Évalué"),
        _seg(EVALUATOR_ID, "Évaluateur", "Evaluateur", "Superviseur", "Evaluator", "Reviewer"),
        Column(EVALUATED_AT, "datetime", required=True, not_in_future=True,
               aliases=("Date d'évaluation", "Date évaluation", "Date d'écoute", "Evaluated at", "Date")),
        _seg(CRITERION, "Critère", "Critere", "Item", "Criterion", required=True),
        Column(SCORE, "number", required=True, min=0.0, aliases=("Note", "Score", "Points")),
        Column(MAX_SCORE, "number", min=0.0, aliases=("Note max", "Barème", "Bareme", "Max", "Max score", "Sur")),
        _seg("country", "Pays", "Country"),
        _seg("grid", "Grille", "Grid", "Scorecard"),
    ),
    unique=(),
    main_ts=EVALUATED_AT,
)

AGENTS = Schema(
    table="agents",
    columns=(
        Column(AGENT_ID, "id", required=True,
               aliases=("Agent", "Conseiller", "Conseillère", "ID agent", "Matricule", "Agent ID", "Login")),
        _seg("team", "Équipe", "Equipe", "Team", "Groupe"),
        _seg("site", "Site", "Centre", "Plateau"),
        _seg("country", "Pays", "Country"),
        Column(HIRED_ON, "date", not_in_future=True,
               aliases=("Date d'embauche", "Date d'entrée", "Embauché le", "Arrivée", "Hired on", "Hire date",
                        "Start date")),
        _seg("vendor", "Prestataire", "Outsourcer", "BPO", "Vendor", "Sous-traitant"),
    ),
    unique=(AGENT_ID,),
    main_ts=None,
)

DAILY_REPORTS = Schema(
    table="daily_reports",
    columns=(
        Column(DATE, "date", required=True, not_in_future=True, aliases=("Date", "Jour", "Journée", "Day")),
        _seg(QUEUE, "File", "File d'attente", "Queue", "Skill", "Compétence", "Service", "Activité", "Groupe"),
        Column(OFFERED, "int", required=True, min=0,
               aliases=("Appels présentés", "Présentés", "Appels offerts", "Appels entrants", "Appels reçus",
                        "Offered", "Calls offered", "Offered calls", "Incoming calls")),
        Column(ANSWERED, "int", required=True, min=0,
               aliases=("Appels décrochés", "Décrochés", "Appels traités", "Traités", "Appels répondus",
                        "Answered", "Calls answered", "Handled", "Answered calls")),
        Column(ABANDONED, "int", min=0,
               aliases=("Abandons", "Appels abandonnés", "Abandonnés", "Abandoned", "Calls abandoned", "Abandoned calls")),
        _dur(ASA_S, "DMA", "Durée moyenne d'attente", "Temps moyen d'attente", "ASA",
             "Average speed of answer", "Temps moyen de réponse", "Délai moyen de réponse",
             "Avg speed of answer"),
        _dur(AHT_S, "DMT", "Durée moyenne de traitement", "Temps moyen de traitement", "AHT",
             "Average handling time", "Average handle time", "Temps de traitement moyen",
             "Durée de traitement moyenne", "Avg handle time", "Avg handling time"),
        # the report's own share of offered calls answered within its threshold (0-1; "76.28%" read as 0.7628)
        Column(SERVICE_LEVEL, "number", min=0.0, max=1.0,
               aliases=("Niveau de service", "NS", "Taux de service", "Service level", "SL")),
    ),
    unique=(DATE, QUEUE),
    main_ts=DATE,
)

SCHEMAS: dict[str, Schema] = {s.table: s for s in (CONTACTS, RESPONSES, SENDS, EVALUATIONS, AGENTS, DAILY_REPORTS)}

__all__ = ["Column", "Schema", "SCHEMAS", "CONTACTS", "RESPONSES", "SENDS", "EVALUATIONS", "AGENTS",
           "DAILY_REPORTS", "CHANNELS", "normalise_header", "normalise_token", "TRUE_WORDS", "FALSE_WORDS",
           "MAX_CALL_S", "MAX_ASYNC_WAIT_S"]
