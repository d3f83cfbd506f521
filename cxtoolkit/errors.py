"""Errors the toolkit reports to a user as one clear line (no traceback), in their language.

An :class:`InputError` is raised with a key of the message catalogue
(``resources/messages/catalogue.yml``, :mod:`cxtoolkit.messages`) and its values (file,
row, column, value…): ``InputError("error.io.empty_file", name=name)``. It is rendered when it
is shown, in the language of the command (:func:`cxtoolkit.messages.command_locale`), so an
error raised before the client's ``client.yml`` is read is still said in the right language.
``str(exc)`` is the English line (logs, tests).

Values are rendered in the same locale: a number through
:func:`cxtoolkit.rules.format_value` (an ``int`` as a count, or a
:class:`cxtoolkit.findings.Num`), a :class:`~cxtoolkit.findings.Msg` or another
:class:`InputError` (an error about a file inside another) as its own text.

>>> e = InputError("error.io.empty_file", name="calls.csv")
>>> str(e), e.render("fr")
('calls.csv: empty file', 'calls.csv : fichier vide')
"""
from __future__ import annotations

from typing import Any

from cxtoolkit.messages import CLIENT_LOCALES, command_locale, has, locale_of, text


class InputError(Exception):
    """Unusable input: a file, a setting or an argument. The message names it and says why.

    ``key`` is a catalogue key, ``values`` its placeholders. The CLI prints the message in the
    command's language and exits with status 2. The message is always one line: line breaks
    coming from the input itself (a quoted header cell spanning two lines, say) are shown
    escaped.

    >>> str(InputError("error.kpis.missing_column", value="a\\nb"))
    'contacts: missing column(s) a\\\\nb'
    """

    def __init__(self, key: object = "", /, **values: Any) -> None:
        self.key = str(key)
        self.values = values
        super().__init__(self.render("en"))

    def render(self, locale: str | None) -> str:
        """The one-line message in ``locale`` (a text that is not a catalogue key, from code
        written before the catalogue, is shown as it is)."""
        if has(self.key):
            said = text(self.key, locale, **{k: _value(v, locale) for k, v in self.values.items()})
        else:
            said = self.key
        return said.strip().replace("\r", "\\r").replace("\n", "\\n")


def _value(v: Any, locale: str | None) -> str:
    if isinstance(v, InputError):
        return v.render(locale)
    if hasattr(v, "render") and callable(v.render):    # findings.Num / Msg / Items / Finding
        return v.render(locale)
    return str(v)


class FieldErrors:
    """A value of a message: the validation errors of a settings file or of parameters
    (pydantic's ``exc.errors()``), ``field: reason; …``, each reason said in the locale by
    its type (catalogue ``error.field.<type>``; pydantic's own English text for a type the
    catalogue does not name, and always in English), with the field's line in the file when
    ``lines`` gives it (``{loc tuple: line}``).

    >>> e = FieldErrors([{"loc": ("colums",), "msg": "Extra inputs are not permitted",
    ...                   "type": "extra_forbidden"}], {("colums",): 7})
    >>> e.render("en"), e.render("fr")
    ('colums (line 7): Extra inputs are not permitted', 'colums (ligne 7) : clé inconnue')
    """

    def __init__(self, errors: Any, lines: dict | None = None) -> None:
        self.errors = tuple(errors)
        self.lines = dict(lines or {})

    def render(self, locale: str | None) -> str:
        parts = []
        for e in self.errors:
            loc = tuple(e.get("loc") or ())
            key = f"error.field.{e.get('type')}"
            if locale_of(locale) == "en" or not has(key):
                reason = e.get("msg", "")
            else:
                ctx = {k: _value(v, locale) for k, v in (e.get("ctx") or {}).items()}
                ctx.setdefault("error", "")
                reason = text(key, locale, **ctx)
            line = self.lines.get(loc)
            field = ".".join(str(x) for x in loc)
            parts.append(text("error.field.at_line" if line else "error.field.item", locale,
                              field=field, line=line, reason=reason))
        return text("common.list_sep", locale).join(parts)


def error_line(exc: InputError, option: str | None = None) -> str:
    """The line the CLI prints on stderr for ``exc`` (then exit status 2): ``error: …`` /
    ``erreur : …`` in the command's language (:func:`cxtoolkit.messages.command_locale` of
    its ``--locale`` ``option``).

    >>> error_line(InputError("error.io.empty_file", name="a.csv"), "fr")
    'erreur : a.csv : fichier vide'
    """
    loc = command_locale(option)
    said = exc.render(loc) if isinstance(exc, InputError) else str(exc)
    return text("error.line", loc, text=said)


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
        raise InputError("error.messages.fr_en", what=what, locale=repr(locale))
    return locale
