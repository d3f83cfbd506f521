"""Usage errors (a missing argument, an unknown option, a value that is not a number) said in
the command's language.

typer parses the command line with its own copy of click, which has no gettext: there is no
catalogue to hook into its messages. So :func:`cxtoolkit.cli.main.main` runs the command
without typer's standalone error handling and says a usage error with :func:`show`: in English
exactly as typer does (its usage line, "Try … for help." and its error panel); in French from
the catalogue (``cli.usage.*``): the usage line, where the help is, and one line
``erreur : …`` like every other error of the toolkit. A value refused by typer's pydantic
conversion says why in the locale (:func:`cxtoolkit.errors.field_reason`); a message of a kind
not named here keeps click's text after the French framing.
"""
from __future__ import annotations

import re
import sys
from typing import Any

import typer

from cxtoolkit.errors import field_reason
from cxtoolkit.messages import has, locale_of, text

#: the exceptions of the click that typer parses with (its own copy in typer >= 0.2x)
errors = sys.modules[typer.BadParameter.__module__]

#: click's messages without their own exception attributes: a pattern, the catalogue key
#: (``cli.usage.<key>``, ``{value}`` the pattern's group)
MESSAGES = (
    (r"Option '(.+)' requires an argument\.?", "requires_value"),
    (r"Option '(.+)' does not take a value\.?", "takes_no_value"),
    (r"No such command '(.+)'\. Did you mean '(.+)'\?", "no_such_command_hint"),
    (r"No such command '(.+)'\.?", "no_such_command"),
    (r"Got unexpected extra argument(?:s|\(s\))? \((.+)\)", "extra_arguments"),
    (r"'?(.+?)'? is not a valid integer\.?", "not_int"),     # click's own conversions (older typer)
    (r"'?(.+?)'? is not a valid float\.?", "not_number"),
)


def is_usage_error(exc: BaseException) -> bool:
    """Whether ``exc`` is an error of the command line (typer's click)."""
    return isinstance(exc, errors.ClickException)


def show(exc: Any, locale: str | None, file=None) -> int:
    """Say the usage error ``exc`` on ``file`` (stderr) in ``locale``; its exit status."""
    file = file or sys.stderr
    if locale_of(locale) == "en" or type(exc).__name__ == "NoArgsIsHelpError":
        _as_typer_does(exc)
    else:
        print("\n".join(lines(exc, locale)), file=file)
    return exc.exit_code


def _as_typer_does(exc: Any) -> None:
    try:
        from typer import rich_utils
    except ImportError:      # typer without rich
        exc.show()
    else:
        rich_utils.rich_format_error(exc)


def lines(exc: Any, locale: str | None) -> list[str]:
    """The lines saying ``exc`` in ``locale``: the usage line and where the help is (when the
    error knows its command), then ``erreur : …`` (:func:`message`)."""
    ctx = getattr(exc, "ctx", None)
    out = []
    if ctx is not None:
        cmd = ctx.command
        pieces = [text("cli.usage.options", locale) if p == getattr(cmd, "options_metavar", None)
                  else text("cli.usage.command_args", locale) if p == getattr(cmd, "subcommand_metavar", None)
                  else p for p in cmd.collect_usage_pieces(ctx)]
        out.append(text("cli.usage.usage", locale, usage=" ".join([ctx.command_path, *pieces])))
        if cmd.get_help_option(ctx) is not None:
            out.append(text("cli.usage.try_help", locale, command=f"{ctx.command_path} {ctx.help_option_names[0]}"))
    out.append(text("error.line", locale, text=message(exc, locale)))
    return out


def message(exc: Any, locale: str | None) -> str:
    """What is wrong on the command line, in ``locale``; click's text for a kind not named here.

    >>> message(errors.NoSuchOption("--confi", possibilities=["--config"]), "fr")
    'option inconnue : --confi (options possibles : --config)'
    >>> message(errors.UsageError("No such command 'audti'. Did you mean 'audit'?"), "fr")
    "commande inconnue : 'audti' (vouliez-vous dire 'audit' ?)"
    """
    if isinstance(exc, errors.MissingParameter) and not exc.message:
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "parameter")
        key = f"cli.usage.missing_{kind}" if has(f"cli.usage.missing_{kind}") else "cli.usage.missing_parameter"
        return text(key, locale, name=_hint(exc) or "")
    if isinstance(exc, errors.BadParameter):
        cause = exc.__cause__
        reason = (field_reason(cause.errors()[0], locale) if hasattr(cause, "errors") and cause.errors()
                  else _known(exc.message, locale))
        hint = _hint(exc)
        return text("cli.usage.invalid_value", locale, hint=hint, reason=reason) if hint else \
            text("cli.usage.invalid", locale, reason=reason)
    if isinstance(exc, errors.NoSuchOption):
        said = text("cli.usage.no_such_option", locale, name=exc.option_name)
        if exc.possibilities:
            said = text("cli.usage.possible_options", locale, text=said, options=", ".join(sorted(exc.possibilities)))
        return said
    return _known(exc.format_message(), locale)


def _known(said: str, locale: str | None) -> str:
    for pattern, key in MESSAGES:
        m = re.fullmatch(pattern, said or "")
        if m:
            return text(f"cli.usage.{key}", locale, value=m.group(1), **({"value2": m.group(2)} if m.lastindex > 1 else {}))
    return said


def _hint(exc: Any) -> str | None:
    """The option or argument of a BadParameter, as click names it (``'--jobs'``)."""
    hint = exc.param_hint
    if hint is None and exc.param is not None:
        try:
            hint = exc.param.get_error_hint()
        except TypeError:            # click itself (older typer) takes the context
            hint = exc.param.get_error_hint(exc.ctx)
    if hint is None or isinstance(hint, str):
        return hint
    return " / ".join(repr(x) for x in hint)
