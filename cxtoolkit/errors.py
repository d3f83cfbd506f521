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

import re
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
            reason = field_reason(e, locale)
            line = self.lines.get(loc)
            field = ".".join(str(x) for x in loc)
            parts.append(text("error.field.at_line" if line else "error.field.item", locale,
                              field=field, line=line, reason=reason))
        return text("common.list_sep", locale).join(parts)


def field_reason(error: dict, locale: str | None) -> str:
    """Why pydantic refused a value (one of ``exc.errors()``), said in ``locale`` by its type
    (catalogue ``error.field.<type>``); pydantic's own English text in English and for a type
    the catalogue does not name.

    >>> field_reason({"type": "int_parsing", "msg": "Input should be a valid integer"}, "fr")
    'attendu un nombre entier'
    """
    key = f"error.field.{error.get('type')}"
    if locale_of(locale) == "en" or not has(key):
        return error.get("msg", "")
    ctx = {k: _number(v, locale) for k, v in (error.get("ctx") or {}).items()}
    if "expected" in ctx:                   # pydantic's "'fr' or 'en'": « fr ou en »
        ctx["expected"] = _choices(ctx["expected"], locale)
    ctx.setdefault("error", "")
    return text(key, locale, **ctx)


class FieldValueError(InputError, ValueError):
    """A settings validator's refusal (a ``ValueError`` for pydantic) said from the catalogue:
    :class:`FieldErrors` shows it in the locale, ``str()`` is the English text.

    >>> e = FieldValueError("error.setting.country_iso", value="'FRA'")
    >>> str(e), e.render("fr")
    ("country 'FRA' is not an ISO 3166 alpha-2 code", "pays 'FRA' : pas un code ISO 3166 à deux lettres")
    """


#: PyYAML's problems (``exc.problem``) said in the catalogue (``error.yaml.<kind>``): a
#: pattern, the kind, and the pattern's group that is a value of the message
YAML_PROBLEMS = (
    (r"mapping values are not allowed here", "mapping_values"),
    (r"found character '\\t' that cannot start any token|found a tab character.*", "tab"),
    (r"found character ('.+') that cannot start any token", "reserved_char"),
    (r"found unexpected end of stream", "unclosed_quote"),
    (r"expected ',' or '\]', but got .*", "unclosed_bracket"),
    (r"expected ',' or '\}', but got .*", "unclosed_brace"),
    (r"expected <block end>, but found .*|did not find expected (?:key|'-' indicator)"
     r"|could not find expected ':'", "indentation"),
    (r"but found another document", "several_documents"),
    (r"expected '<document start>', but found .*", "extra_text"),
    (r"found undefined alias ('.+')", "undefined_alias"),
    (r"second occurrence", "duplicate_anchor"),
    (r"could not determine a constructor for the tag ('.+')", "tag"),
    (r"found unhashable key", "unhashable_key"),
    (r"found unknown escape character ('.+')", "escape"),
)


class YamlProblem:
    """A value of a message: why a YAML file could not be read (PyYAML's error, or the text
    decoder's), with its line. In English, PyYAML's (or the decoder's) own first line, as
    before; in French, the common problems from the catalogue (``error.yaml.<kind>``, table
    :data:`YAML_PROBLEMS`), PyYAML's text for another one, the line said in the locale.

    >>> import yaml
    >>> try:
    ...     yaml.safe_load("name: Acme: SA")
    ... except yaml.YAMLError as exc:
    ...     p = YamlProblem(exc)
    >>> p.render("en")
    'mapping values are not allowed here, line 1'
    >>> p.render("fr")
    '« : » inattendu dans une valeur (écrire la valeur entre guillemets) ou clé mal indentée, ligne 1'
    """

    def __init__(self, exc: BaseException) -> None:
        said = str(exc).strip()
        self.first = said.splitlines()[0] if said else type(exc).__name__
        mark = getattr(exc, "problem_mark", None)
        self.line = mark.line + 1 if mark is not None else None
        self.kind, self.values = _yaml_kind(exc)

    def render(self, locale: str | None) -> str:
        if locale_of(locale) == "en" or self.kind is None:
            reason = self.first
        else:
            reason = text(f"error.yaml.{self.kind}", locale, **self.values)
        return text("error.yaml.at_line", locale, reason=reason, line=self.line) if self.line else reason


def _yaml_kind(exc: BaseException) -> tuple[str | None, dict]:
    """``(kind, values)`` of a YAML reading error (:data:`YAML_PROBLEMS`), ``(None, {})`` for
    a problem the catalogue does not name."""
    if isinstance(exc, UnicodeDecodeError):
        return "not_utf8", {}
    if type(exc).__name__ == "ReaderError":      # PyYAML's reader: a control character
        return "control_char", {"char": f"#x{getattr(exc, 'character', 0):04x}"}
    problem = str(getattr(exc, "problem", None) or "")
    for pattern, kind in YAML_PROBLEMS:
        m = re.fullmatch(pattern, problem)
        if m:
            return kind, ({"value": m.group(1)} if m.groups() else {})
    return None, {}


def _number(v: Any, locale: str | None) -> str:
    """A value of a validation error's context said in ``locale``: a bound such as pydantic's
    ``ge=0.0`` as ``0``, ``0,5`` in French (:func:`_value` for anything else).

    >>> _number(0.0, "fr"), _number(0.5, "fr"), _number(1.5, "en"), _number("a", "fr")
    ('0', '0,5', '1.5', 'a')
    """
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        said = f"{v:g}"
        return said.replace(".", text("error.field.decimal_mark", locale))
    return _value(v, locale)


def _choices(expected: str, locale: str | None) -> str:
    """pydantic's list of expected values (``'a', 'b' or 'c'``, ``5 or 7``) said in ``locale``,
    each value as written (``a, b ou c``); any other text as it is.

    >>> _choices("'fr' or 'en'", "fr"), _choices("'a', 'b' or 'c'", "fr"), _choices("a number", "fr")
    ('fr ou en', 'a, b ou c', 'a number')
    >>> _choices("5 or 7", "fr")
    '5 ou 7'
    """
    item = r"'[^']*'|[\w.+-]+"
    m = re.fullmatch(rf"((?:(?:{item}), )*)({item}) or ({item})", expected)
    if not m:
        return expected
    values = [*(v.strip("'") for v in re.findall(item, m.group(1))), m.group(2).strip("'")]
    return text("common.or_list", locale, values=", ".join(values), last=m.group(3).strip("'"))


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
