"""``--help`` in French or English (cxtoolkit.cli.helptext): every help text of the command line
is a catalogue key with both languages, none is written in the code, and the language is the
usage errors' (``--locale`` in the command line, else the environment)."""
import ast
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from cxtoolkit import messages as M
from cxtoolkit.cli import helptext
from cxtoolkit.cli import main as cli_main

CLI = Path(cli_main.__file__).parent
ENV = {"LC_ALL": None, "LC_MESSAGES": None, "COLUMNS": "400"}   # one line per option: no wrapping
FRENCH = {**ENV, "LANG": "fr_FR.UTF-8"}
ENGLISH = {**ENV, "LANG": "C.UTF-8"}


def show(args, env):
    res = CliRunner().invoke(cli_main.app, args, env=env)
    assert res.exit_code == 0, res.output
    return res.stdout


def test_main_help_in_french_from_the_environment():
    out = show(["--help"], FRENCH)
    assert "Utilisation : cxtoolkit [OPTIONS] COMMANDE [ARGUMENTS]..." in out
    assert M.text("cli.help.cxtoolkit", "fr") in out
    assert "─ Commandes ─" in out and "Afficher cette aide et quitter." in out
    assert "Indicateurs du centre de contacts et des enquêtes" in out           # kpis' line
    assert "[variable d'environnement : CXTOOLKIT_HOME]" in out
    assert "Show this message" not in out and "Contact-centre" not in out


def test_main_help_in_english_as_before():
    out = show(["--help"], ENGLISH)
    assert "Usage: cxtoolkit [OPTIONS] COMMAND [ARGS]..." in out
    assert "CX consultant's toolkit: KPIs, journey friction, verbatims, quality, ROI, audits." in out
    assert "─ Commands ─" in out and "Show this message and exit." in out
    assert "kpis       Contact-centre and survey KPIs, overall and per segment, with RAG status." in out


@pytest.mark.parametrize("args, env", [
    (["kpis", "--help"], FRENCH),
    (["kpis", "--help", "--locale", "fr"], ENGLISH),      # --locale read even after --help
    (["roi", "--locale=fr", "--help"], ENGLISH),
    (["staffing", "--help"], FRENCH),
    (["inspect", "--help"], FRENCH),
])
def test_command_help_in_french(args, env):
    out = show(args, env)
    name = args[0]
    assert M.text(f"cli.help.{name}", "fr").split("\n\n")[0].replace("\n", " ") in " ".join(out.split())
    assert "Afficher cette aide et quitter." in out and "─ Options ─" in out
    assert f"Utilisation : cxtoolkit {name} [OPTIONS]" in out
    said = {"kpis": ["--engine", "pandas (tous les indicateurs) ou duckdb", "[par défaut : pandas]", "[obligatoire]"],
            "roi": ["--customers-surveyed", "N : clients invités à l'enquête", "fr ou en (par défaut : client.yml, sinon fr)"],
            "staffing": ["--shrinkage", "temps payé hors téléphone, ex. 0.3"],
            "inspect": ["─ Arguments ─", "un export du client (CSV, TXT, Excel, Parquet)", "[obligatoire]"]}[name]
    for piece in said:
        assert piece in out, piece
    assert "Show this message" not in out


def test_locale_option_wins_over_the_environment():
    out = show(["kpis", "--locale", "en", "--help"], FRENCH)
    assert "contacts file (overrides client.yml data.contacts)" in out and "Usage: cxtoolkit kpis" in out
    assert "fichier des contacts" not in out


def test_client_locale_of_an_earlier_command_is_not_the_help_s():
    """client.yml is not read for help: a French client read earlier in the process (tests,
    notebooks) does not make the next --help French."""
    M.remember_client_locale("fr")
    assert "Show this message and exit." in show(["kpis", "--help"], ENGLISH)


def all_commands():
    group = typer.main.get_command(cli_main.app)
    ctx = group.context_class(group, info_name="cxtoolkit")
    yield "cxtoolkit", group, ctx
    for name in cli_main.COMMANDS:
        cmd = group.load(name)
        yield name, cmd, cmd.context_class(cmd, parent=ctx, info_name=name)


def test_every_command_option_and_argument_help_is_a_catalogue_key_in_french_and_english():
    """A new command, option or argument without its texts in the catalogue fails here."""
    msgs = M._messages()                 # the catalogue as YAML reads it
    missing, seen = [], 0
    for name, cmd, ctx in all_commands():
        keys = [f"cli.help.{name}"]
        for param in cmd.get_params(ctx):           # --help included
            if getattr(param, "hidden", False):
                continue
            key = helptext.param_key(name, param)
            keys.append(key or f"cli.help.{name}.{helptext.param_name(param)}")
        for key in keys:
            seen += 1
            if not {"fr", "en"} <= set(msgs.get(key, {})):
                missing.append(key)
    assert seen > 150
    assert missing == []


def test_the_introspection_catches_an_option_without_its_texts():
    import click

    assert helptext.param_key("kpis", click.Option(["--no-such-option"])) is None
    assert helptext.param_key("kpis", click.Option(["--locale"])) == "cli.help.option.locale"
    assert helptext.param_key("roi", click.Option(["--locale"])) == "cli.help.roi.locale"


def help_in_code(path: Path) -> list[str]:
    """``help=`` of typer's Option / Argument / Typer calls and docstrings of ``@app.command``
    functions in ``path``: help texts written in the code."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and any(k.arg == "help" for k in node.keywords):
            found.append(f"{path.name}:{node.lineno}: help=")
        if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call) and getattr(d.func, "attr", "") in ("command", "callback")
                for d in node.decorator_list) and ast.get_docstring(node):
            found.append(f"{path.name}:{node.lineno}: docstring of {node.name}")
    return found


def test_no_help_text_in_the_code():
    found = [f for p in sorted(CLI.glob("*.py")) for f in help_in_code(p)]
    assert found == []


def test_the_code_scan_finds_a_help_text(tmp_path):
    p = tmp_path / "x_cmd.py"
    p.write_text('import typer\n\ndef register(app):\n    @app.command("x")\n    def x(a: int = typer.Option(1, "--a", '
                 'help="a")):\n        """Does x."""\n', encoding="utf-8")
    assert sorted(f.split(": ", 1)[1] for f in help_in_code(p)) == ["docstring of x", "help="]


def test_help_keys_read_without_yaml_are_the_catalogue_s():
    """``--help`` reads the ``cli.help.*`` and ``cli.usage.*`` lines itself (no YAML parser at
    start-up): the same keys and texts as the catalogue."""
    msgs = M._messages()
    assert helptext.help_messages() == {k: v for k, v in msgs.items() if k.startswith(("cli.help.", "cli.usage."))}
    assert len(helptext.help_messages()) > 100


def test_french_main_help_imports_no_yaml_nor_pandas(monkeypatch):
    from test_cli_startup import run_cli, top_level

    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    res, mods = run_cli("--help")
    assert res.returncode == 0 and "Utilisation : cxtoolkit" in res.stdout, res.stderr
    assert not top_level(mods) & {"yaml", "pandas", "numpy", "pydantic", "scipy", "plotly"}


def test_a_help_key_not_on_one_line_is_refused(tmp_path, monkeypatch):
    bad = tmp_path / "catalogue.yml"
    bad.write_text('cli.help.x:\n  fr: "x"\n  en: "x"\n', encoding="utf-8")
    monkeypatch.setattr(helptext.resources, "messages_file", lambda: bad)
    helptext.help_messages.cache_clear()
    try:
        with pytest.raises(ValueError, match="cli.help.x"):
            helptext.help_messages()
    finally:
        helptext.help_messages.cache_clear()


def test_panels_are_restored_after_the_help():
    from typer import rich_utils

    show(["kpis", "--help"], FRENCH)
    assert (rich_utils.OPTIONS_PANEL_TITLE, rich_utils.REQUIRED_LONG_STRING) == ("Options", "[required]")
    assert rich_utils.COMMANDS_PANEL_TITLE == "Commands"


def test_french_help_texts_are_french():
    """A French text left in English (copied) is seen: the French and English texts of a
    sentence differ (names and codes excepted)."""
    same = {k for k, v in helptext.help_messages().items() if v["fr"] == v["en"] and re.search(r"[a-z]{4} [a-z]{4}", v["en"])}
    assert same == set()
