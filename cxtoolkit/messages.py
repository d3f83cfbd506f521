"""The message catalogue: every sentence and label the package shows, in French and English
(Spanish where texts exist), kept as data in ``resources/messages/catalogue.yml`` (one entry
per message key, its ``fr``, ``en`` and optional ``es`` texts side by side).

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

from functools import lru_cache
from string import Formatter
from typing import Any

from cxtoolkit import resources

__all__ = ["LOCALES", "DEFAULT_LOCALE", "FALLBACK_LOCALE", "locale_of", "is_fr", "catalogue", "text",
           "has", "placeholders", "pair", "pairs", "section", "quote", "localized_column", "check_locale", "CLIENT_LOCALES", "client_locale"]

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
    template = catalogue(loc).get(key)
    if template is None:
        template = catalogue(FALLBACK_LOCALE).get(key)
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


def check_locale(locale: str | None, what: str = "--locale") -> str | None:
    """``locale`` when it is one a client can choose (``fr``, ``en``) or None, else an
    :class:`~cxtoolkit.errors.InputError` naming ``what``.

    >>> check_locale("en"), check_locale(None)
    ('en', None)
    >>> check_locale("de")
    Traceback (most recent call last):
    ...
    cxtoolkit.errors.InputError: --locale: 'de' is not fr or en
    """
    if locale not in (None, *CLIENT_LOCALES):
        from cxtoolkit.errors import InputError

        raise InputError(f"{what}: {locale!r} is not fr or en")
    return locale


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
