"""The message catalogue: every sentence and label the package shows, in French and English
(Spanish where texts exist), kept as data in ``resources/messages/catalogue.yml`` (one entry
per message key, its ``fr``, ``en`` and optional ``es`` texts side by side).

The language of a command's messages, its errors included, is decided in one place:
:func:`command_locale` (``--locale``, else the client's, else the environment, else English).

One rule for the locale (:func:`locale_of`: ``fr`` / ``en`` / ``es``, French by default, as
``client.yml``'s ``locale``); one lookup (:func:`text`) with ``{placeholder}`` values; a key
missing in a locale falls back to English; an unknown key is an error. Modules never write
``"…" if fr else "…"``: they ask for a key (``tests/test_messages.py`` greps the package).

>>> text("kpis.commentary.all_on_target", "en")
'Every tracked indicator meets its target.'
>>> text("kpis.commentary.no_trend", "fr", name="DMA")
'DMA : pas assez de périodes pour une tendance.'
>>> locale_of(None), locale_of("fr_FR"), locale_of("EN"), locale_of("es"), locale_of("de")
('fr', 'fr', 'en', 'es', 'en')
"""
from __future__ import annotations

import os
from functools import lru_cache
from string import Formatter
from typing import Any

from cxtoolkit import resources

__all__ = ["LOCALES", "DEFAULT_LOCALE", "FALLBACK_LOCALE", "locale_of", "is_fr", "catalogue", "text",
           "has", "placeholders", "pair", "pairs", "section", "quote", "localized_column", "CLIENT_LOCALES", "client_locale",
           "command_locale", "env_locale", "remember_client_locale", "forget_client_locale"]

LOCALES = ("fr", "en", "es")
DEFAULT_LOCALE = "fr"     # client.yml's default locale
FALLBACK_LOCALE = "en"    # a key missing in a locale is shown in English
CLIENT_LOCALES = ("fr", "en")  # what client.yml's ``locale`` and ``--locale`` accept


def locale_of(locale: str | None) -> str:
    """The catalogue locale of ``locale``: ``fr``, ``en`` or ``es`` by its first letters;
    French when none is given; English for any other language."""
    s = str(locale or DEFAULT_LOCALE).strip().lower()
    for loc in LOCALES:
        if s.startswith(loc):
            return loc
    return FALLBACK_LOCALE


#: the locale of the client.yml this process read last (:func:`remember_client_locale`)
_CLIENT_READ: list[str] = []

#: environment variables naming the user's language, in POSIX precedence
LOCALE_ENV = ("LC_ALL", "LC_MESSAGES", "LANG")


def remember_client_locale(locale: str) -> None:
    """Note the locale of a client.yml just read (:func:`cxtoolkit.config.read_model`): what the
    command says next, an error about that client included, is said in it."""
    _CLIENT_READ[:] = [locale]


def forget_client_locale() -> None:
    """Start a command without a client (:func:`remember_client_locale`)."""
    _CLIENT_READ.clear()


def command_locale(option: str | None = None, client: str | None = None,
                   environ: dict | None = None) -> str:
    """``fr`` or ``en``: the language of a command's messages, its error lines included.

    1. ``option`` (``--locale``) when it is ``fr`` or ``en``;
    2. else the client's: ``client`` (its ``client.yml``'s ``locale``) when given, else the
       locale of the client.yml this process has read (:func:`remember_client_locale`; French
       when the file does not say, as :class:`~cxtoolkit.config.ClientConfig`);
    3. else the environment: the first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set,
       French when it starts with ``fr`` (``fr_FR.UTF-8``);
    4. else English.

    So an error raised before the client is known (a missing file, a bad ``--from``, an
    unreadable client.yml) is said in the language given by ``--locale`` or the environment.

    >>> command_locale("en", "fr"), command_locale(None, "fr"), command_locale("de", "en")
    ('en', 'fr', 'en')
    """
    if option in CLIENT_LOCALES:
        return option
    if client in CLIENT_LOCALES:
        return client
    if client is None and _CLIENT_READ:
        return _CLIENT_READ[-1]
    return env_locale(environ)


def env_locale(environ: dict | None = None) -> str:
    """``fr`` or ``en`` from the environment (``os.environ`` by default): the first of
    ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set, French when it starts with ``fr``;
    English when none is set.

    >>> env_locale({"LANG": "fr_FR.UTF-8"}), env_locale({"LC_ALL": "C", "LANG": "fr_FR"}), env_locale({})
    ('fr', 'en', 'en')
    """
    env = os.environ if environ is None else environ
    for var in LOCALE_ENV:
        if env.get(var):
            return "fr" if env[var].lower().startswith("fr") else "en"
    return "en"


def client_locale(locale: str | None) -> str:
    """``fr`` or ``en``: the locale of the pages, decks and tables that exist in those two
    (English for any other language).

    >>> client_locale(None), client_locale("es")
    ('fr', 'en')
    """
    return "fr" if is_fr(locale) else "en"


def is_fr(locale: str | None) -> bool:
    """The French forms (default when no locale is given)."""
    return locale_of(locale) == "fr"


def _flatten(tree: dict, prefix: str = "") -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for k, v in tree.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict) and v and set(v) <= set(LOCALES):
            out[key] = {loc: str(t) for loc, t in v.items() if t is not None}
        elif isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            raise ValueError(f"message {key!r}: give its texts by locale (fr, en, es)")
    return out


@lru_cache(maxsize=1)
def _messages() -> dict[str, dict[str, str]]:
    return _flatten(resources.read_yaml(resources.messages_file()) or {})


@lru_cache(maxsize=1)
def _blocks() -> dict[str, str]:
    """The catalogue's text cut before each top-level key: ``{key: its lines}`` (comments
    and blank lines between two keys go with the first)."""
    out: dict[str, list[str]] = {}
    lines: list[str] = []
    for line in resources.messages_file().read_text(encoding="utf-8").splitlines(keepends=True):
        if line[:1] not in ("", " ", "\t", "#", "\n", "\r"):   # a top-level key (``io:``, ``report.table:``)
            lines = out.setdefault(line.split(":", 1)[0].strip(), [])
        lines.append(line)
    return {k: "".join(v) for k, v in out.items()}


@lru_cache(maxsize=None)
def _block(name: str) -> dict[str, dict[str, str]]:
    """The messages of the top-level key ``name`` of the catalogue, parsed on their own."""
    return _flatten(resources.parse_yaml(_blocks()[name]) or {})


@lru_cache(maxsize=None)
def _entry(key: str) -> dict[str, str] | None:
    """``{locale: template}`` of ``key`` (None: no such key), from the whole catalogue when it
    is read, else from the top-level keys ``key`` starts with, each parsed on its own: a
    command that shows a few messages (``cxtoolkit validate``: ``io.reason.*``) does not
    parse the 166 kB catalogue (~25 ms of CPU at every start). ``tests/test_messages.py``
    checks that the parts give what the whole gives."""
    if _messages.cache_info().currsize:
        return _messages().get(key)
    found = None
    for name in _blocks():
        if key == name or key.startswith(name + "."):
            found = _block(name).get(key, found)
    return found


def catalogue(locale: str | None) -> dict[str, str]:
    """``{key: template}`` of one locale (nested YAML keys joined with dots).

    >>> catalogue("en")["common.yes"], catalogue("fr")["common.yes"]
    ('yes', 'oui')
    """
    loc = locale_of(locale)
    return _by_locale(loc)


@lru_cache(maxsize=None)
def _by_locale(loc: str) -> dict[str, str]:
    return {k: v[loc] for k, v in _messages().items() if loc in v}


def has(key: str) -> bool:
    """Whether the catalogue defines ``key`` (in English, the fallback)."""
    return key in catalogue(FALLBACK_LOCALE)


def placeholders(template: str) -> set[str]:
    """Names of the ``{placeholders}`` of a template.

    >>> sorted(placeholders("{name} went from {a} to {b}"))
    ['a', 'b', 'name']
    """
    return {f for _, f, _, _ in Formatter().parse(template) if f}


def text(key: str, locale: str | None = None, /, **values: Any) -> str:
    """The message ``key`` in ``locale`` with its ``{placeholders}`` filled from ``values``.

    >>> text("no.such.key", "fr")
    Traceback (most recent call last):
    ...
    KeyError: "unknown message key 'no.such.key'"
    """
    loc = locale_of(locale)
    texts = _entry(key) or {}
    template = texts.get(loc, texts.get(FALLBACK_LOCALE))
    if template is None:
        raise KeyError(f"unknown message key {key!r}")
    return template.format(**values) if values or "{" in template else template


def pair(key: str, /, **values: Any) -> tuple[str, str]:
    """``(French, English)`` of ``key`` (tables that carry both labels)."""
    return text(key, "fr", **values), text(key, "en", **values)


def pairs(prefix: str) -> dict[str, tuple[str, str]]:
    """``{name: (French, English)}`` of the keys under ``prefix`` (label tables).

    >>> pairs("common.weekday")["mon"]
    ('lun', 'Mon')
    """
    start = prefix + "."
    return {k[len(start):]: pair(k) for k in _messages() if k.startswith(start)}


def section(prefix: str, locale: str | None = None) -> dict[str, str]:
    """``{name: template}`` of the keys under ``prefix`` in ``locale`` (English where missing;
    placeholders left for the caller's ``.format``).

    >>> section("common.weekday", "en")["sun"]
    'Sun'
    """
    start = prefix + "."
    own, fallback = catalogue(locale), catalogue(FALLBACK_LOCALE)
    return {k[len(start):]: own.get(k, fallback[k]) for k in _messages() if k.startswith(start)}


def localized_column(prefix: str, locale: str | None = None) -> str:
    """The column of a frame that carries a label in both languages: ``stage_label_fr`` or
    ``stage_label_en`` (English for any other locale).

    >>> localized_column("label", "fr"), localized_column("label", "es")
    ('label_fr', 'label_en')
    """
    return f"{prefix}_{client_locale(locale)}"


def quote(value: Any, locale: str | None = None) -> str:
    """A quoted name: ``« Retard »`` in French, ``"Late"`` in English."""
    return text("common.quote", locale, text=value)
