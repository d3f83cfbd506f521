"""The CLI's progress lines (demo, audit, sample, barometer) in the client's language.

Each line is a catalogue text ``cli.progress.<key>`` (French and English); a command says
them in the locale of the client it works for (``client.yml`` ``locale``, or the audit's).
Error lines are not progress lines: they are :class:`cxtoolkit.errors.InputError`\\ s.

>>> said("reports_open", "fr", index="r/index.html"), status_word("failed", "fr"), status_word("odd", "fr")
('Rapports : ouvrir r/index.html', 'échec', 'odd')
"""
from __future__ import annotations

from typing import Any

from cxtoolkit.messages import has, text


def said(key: str, locale: str | None, /, **values: Any) -> str:
    """The progress line ``cli.progress.<key>`` in ``locale``."""
    return text(f"cli.progress.{key}", locale, **values)


def status_word(status: str | None, locale: str | None) -> str:
    """A notebook's or an audit's status (``ok``, ``failed``, ``skipped``) in ``locale``; an
    unknown status as is."""
    key = f"cli.progress.status.{status}"
    return text(key, locale) if has(key) else str(status)
