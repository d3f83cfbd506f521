"""Structured findings and the one layer that renders them as sentences.

Domain functions (KPI commentary, verbatims, journey, staffing) return :class:`Finding`
objects — a message key of the catalogue (:mod:`cxtoolkit.messages`), its values and a
severity — instead of sentences. :func:`render` writes one in the client's locale: numbers
through :func:`cxtoolkit.rules.format_value` (wrapped in :class:`Num`), nested findings and
lists (:class:`Items`) rendered in the same locale.

>>> f = Finding("kpis.commentary.status_item", {"label": "Answer rate", "value": Num(0.853, "ratio"),
...             "target": Num(0.9, "ratio")}, severity="red")
>>> render(f, "fr"), render(f, "en")
('Answer rate 85,3 % (objectif 90,0 %)', 'Answer rate 85.3% (target 90.0%)')
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cxtoolkit.messages import text
from cxtoolkit.rules import format_value

__all__ = ["Finding", "Num", "Items", "Msg", "render", "render_all"]


@dataclass(frozen=True)
class Num:
    """A number shown by its unit (:func:`cxtoolkit.rules.format_value`) in the locale."""
    value: Any
    unit: str
    options: Mapping[str, Any] = field(default_factory=dict)

    def render(self, locale: str | None) -> str:
        return format_value(self.value, self.unit, locale, **self.options)


@dataclass(frozen=True)
class Msg:
    """A catalogue text used as a value (``Msg("common.calls")``)."""
    key: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def render(self, locale: str | None) -> str:
        return text(self.key, locale, **{k: _value(v, locale) for k, v in self.values.items()})


@dataclass(frozen=True)
class Items:
    """Values joined by ``sep`` (each rendered in the locale); by default the locale's list
    separator (``common.list_sep``: `` ; `` in French, ``; `` in English).

    >>> Items(("a", "b")).render("fr"), Items(("a", "b")).render("en"), Items(("a", "b"), ", ").render("fr")
    ('a ; b', 'a; b', 'a, b')
    """
    items: tuple
    sep: str | None = None

    def render(self, locale: str | None) -> str:
        sep = text("common.list_sep", locale) if self.sep is None else self.sep
        return sep.join(_value(v, locale) for v in self.items)


@dataclass(frozen=True)
class Finding:
    """One finding: ``key`` of the catalogue, its ``values`` and a ``severity``
    (``"red"``, ``"amber"``, ``"green"``, ``"info"``, ``"priority"``, ``"caveat"`` …)."""
    key: str
    values: Mapping[str, Any] = field(default_factory=dict)
    severity: str = "info"

    def render(self, locale: str | None) -> str:
        return text(self.key, locale, **{k: _value(v, locale) for k, v in self.values.items()})


def _value(v: Any, locale: str | None) -> str:
    if isinstance(v, (Finding, Num, Items, Msg)) or callable(getattr(v, "render", None)):
        return v.render(locale)   # and the rules' values said in a locale: DaySpan, Day, AuditPeriod
    return str(v)


def render(finding: Finding | Msg | str, locale: str | None = None) -> str:
    """The sentence of ``finding`` in ``locale`` (a text already written, such as a note a
    client.yml gives, is shown as it is).

    >>> render(Msg("common.yes"), "fr"), render("as written", "fr")
    ('oui', 'as written')
    """
    return _value(finding, locale)


def render_all(findings: Iterable[Finding], locale: str | None = None) -> list[str]:
    """The sentences of ``findings`` in ``locale``, in order."""
    return [render(f, locale) for f in findings]
