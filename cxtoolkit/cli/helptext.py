"""``--help`` in the command's language: every text it shows comes from the message catalogue.

The texts are catalogue keys, found by name (no help text in the commands' code):

* ``cli.help.<command>``: what the command does (the first paragraph is its line in
  ``cxtoolkit --help``); ``cli.help.cxtoolkit``: the toolkit's own;
* ``cli.help.<command>.<option>``: an option (its long name without ``--``: ``from``,
  ``memory-limit``) or an argument (its name), else ``cli.help.option.<option>``, the text
  several commands share (``--locale``, ``--help``);
* ``cli.help.panel.*``: the titles and notes of typer's panels (``Options``, ``[required]``).

They are resolved when the help is rendered (:class:`HelpContext`), in the language of
:func:`cxtoolkit.cli.usage.argv_locale` (``--locale`` in the command line, else the
environment: the rule of the usage errors; client.yml is not read for help). The usage line
is the usage errors' (:func:`cxtoolkit.cli.usage.usage_pieces`).

``cxtoolkit --help`` imports no YAML parser (``tests/test_cli_startup.py``; the catalogue
through PyYAML costs 0.04 s): these keys, and those of the usage line (``cli.usage.*``), are
written in the catalogue one per line (``cli.help.x: {fr: "…", en: "…"}``, JSON-style quoted
texts) and read line by line (:func:`help_messages`); ``tests/test_cli_help.py`` checks they
are what :mod:`cxtoolkit.messages` reads, and refuses a key written otherwise.

>>> import click
>>> param_key("kpis", click.Option(["--engine"])), param_key("kpis", click.Option(["--locale"]))
('cli.help.kpis.engine', 'cli.help.option.locale')
"""
from __future__ import annotations

import json
import re
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Iterator

from typer import _click   # the click that typer parses with (its own copy)
from typer.core import TyperGroup

from cxtoolkit import resources
from cxtoolkit.cli import usage
from cxtoolkit.messages import locale_of

PREFIX = "cli.help."
#: the catalogue's sections --help reads: its own keys, and the usage line's (cxtoolkit.cli.usage)
SECTIONS = ("cli.help", "cli.usage")
#: rich_utils' strings -> the catalogue key of each (``cli.help.panel.<key>``)
PANELS = {"ARGUMENTS_PANEL_TITLE": "arguments", "OPTIONS_PANEL_TITLE": "options",
          "COMMANDS_PANEL_TITLE": "commands", "DEFAULT_STRING": "default", "ENVVAR_STRING": "envvar",
          "REQUIRED_LONG_STRING": "required"}
#: ``ctx.meta`` key of the language of the help (set when the command line is parsed)
LOCALE = "cxtoolkit.help_locale"
_QUOTED = r'"(?:[^"\\]|\\.)*"'
_ENTRY = re.compile(rf"( *)([A-Za-z0-9_.-]+): \{{fr: ({_QUOTED}), en: ({_QUOTED})\}}\s*(?:#.*)?")
_SECTION = re.compile(r"([A-Za-z0-9_.-]+):\s*(?:#.*)?")


@lru_cache(maxsize=1)
def help_messages() -> dict[str, dict[str, str]]:
    """``{key: {"fr": text, "en": text}}`` of the catalogue's :data:`SECTIONS`, read without
    a YAML parser: ``cli.help.*`` keys one a line at the top level, ``cli.usage``'s one a
    line under its heading (``key: {fr: "…", en: "…"}``, JSON-style quoted texts).

    >>> help_messages()["cli.help.option.help"]["en"], help_messages()["cli.usage.usage"]["fr"]
    ('Show this message and exit.', 'Utilisation : {usage}')
    """
    out, section = {}, None
    with open(resources.messages_file(), encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if not line.startswith(" "):
                head = _SECTION.fullmatch(line)
                section = head.group(1) if head and head.group(1) in SECTIONS else None
                if not line.startswith(PREFIX):
                    continue
            elif section is None:
                continue
            m = _ENTRY.fullmatch(line)
            if m is None or bool(m.group(1)) != (not line.startswith(PREFIX)):
                raise ValueError(f"catalogue: write {line.split(':')[0].strip()} on one line, "
                                 'as key: {fr: "…", en: "…"}')
            key = m.group(2) if line.startswith(PREFIX) else f"{section}.{m.group(2)}"
            out[key] = {"fr": json.loads(m.group(3)), "en": json.loads(m.group(4))}
    return out


def said(key: str, locale: str, **values: Any) -> str:
    """The text ``key`` (of :func:`help_messages`) in ``locale`` (English for a language other
    than French), its ``{placeholders}`` filled from ``values``."""
    texts = help_messages()[key]
    template = texts.get(locale_of(locale), texts["en"])
    return template.format(**values) if values else template


def param_name(param: Any) -> str:
    """The name of an option in its keys (its first long name without ``--``), of an argument
    (its name).

    >>> import click
    >>> param_name(click.Option(["--from", "--start", "start"])), param_name(click.Argument(["file"]))
    ('from', 'file')
    """
    if param.param_type_name == "argument":
        return param.name
    longs = [o for o in param.opts if o.startswith("--")] or param.opts
    return longs[0].lstrip("-")


def param_key(command: str, param: Any) -> str | None:
    """The catalogue key of ``param``'s help in ``command`` (None: there is none)."""
    name = param_name(param)
    for key in (f"{PREFIX}{command}.{name}", f"{PREFIX}option.{name}"):
        if key in help_messages():
            return key
    return None


def first_paragraph(help_text: str) -> str:
    """A command's line in the list of commands."""
    return help_text.strip().split("\n\n")[0].replace("\n", " ")


def localize(cmd: Any, ctx: Any, locale: str) -> None:
    """Set the help texts of ``cmd`` (its description, its options' and arguments', the
    commands it lists) in ``locale``."""
    name = "cxtoolkit" if ctx.parent is None else ctx.info_name
    if f"{PREFIX}{name}" in help_messages():
        cmd.help = said(f"{PREFIX}{name}", locale)
    for param in cmd.get_params(ctx):
        key = param_key(name, param)
        if key is not None:
            param.help = said(key, locale)
    if isinstance(cmd, TyperGroup):
        for sub, command in cmd.commands.items():
            if f"{PREFIX}{sub}" in help_messages():
                command.short_help = first_paragraph(said(f"{PREFIX}{sub}", locale))


@contextmanager
def panels(locale: str) -> Iterator[None]:
    """typer's panel titles and notes in ``locale`` while the help is rendered (typer's rich
    layer, ~0.07 s of imports, is imported here: only a help needs it)."""
    from typer import rich_utils

    before = {attr: getattr(rich_utils, attr) for attr in PANELS}
    try:
        for attr, key in PANELS.items():
            setattr(rich_utils, attr, said(f"{PREFIX}panel.{key}", locale))
        yield
    finally:
        for attr, value in before.items():
            setattr(rich_utils, attr, value)


class UsageFormatter(_click.HelpFormatter):
    """The usage line of the help in its language (:func:`cxtoolkit.cli.usage.usage_pieces`;
    in English, click's own)."""

    def __init__(self, ctx: Any, locale: str, **kwargs):
        super().__init__(**kwargs)
        self.ctx, self.locale = ctx, locale

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if self.locale != "en" and prefix is None:
            prefix = said("cli.usage.usage", self.locale, usage="")
            args = " ".join(usage.usage_pieces(self.ctx, self.locale, said))
        super().write_usage(prog, args, prefix)


class HelpContext(_click.Context):
    """A command's context whose help is said in the command line's language
    (:data:`LOCALE` in ``meta``, set by :func:`remember_locale`; else the environment's)."""

    @property
    def help_locale(self) -> str:
        return self.meta.get(LOCALE) or usage.argv_locale([])

    def make_formatter(self) -> UsageFormatter:
        return UsageFormatter(self, self.help_locale, width=self.terminal_width, max_width=self.max_content_width)

    def get_help(self) -> str:
        locale = self.help_locale
        localize(self.command, self, locale)
        with panels(locale):
            return super().get_help()


def remember_locale(ctx: Any, args: list[str]) -> None:
    """Note the language of the help of the command line ``args`` (all of it) in ``ctx``."""
    ctx.meta[LOCALE] = usage.argv_locale(args)
