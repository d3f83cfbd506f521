"""Start-up of the ``cxtoolkit`` command: a process imports only what its command uses.

Each case runs the command in a fresh interpreter and lists ``sys.modules`` at exit, so a
module-level ``import scipy`` anywhere on a command's import path fails here (the timings
themselves are in ``benchmarks/bench_cli.py``, not in tests).
"""
import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cxtoolkit.cli import main as cli_main

# seconds of import each, none of which `kpis` or `--help` needs
HEAVY = ("scipy", "sklearn", "plotly", "nbformat", "nbconvert", "papermill", "matplotlib", "voila",
         "ipywidgets", "statsmodels", "dask", "distributed", "duckdb")

CODE = textwrap.dedent("""
    import atexit, sys
    atexit.register(lambda: print("MODULES", " ".join(sorted(sys.modules)), file=sys.__stderr__))
    sys.argv[0] = "cxtoolkit"
    from cxtoolkit.cli.main import main
    main()
""")


def run_cli(*args, cwd=None):
    res = subprocess.run([sys.executable, "-c", CODE, *map(str, args)], capture_output=True, text=True,
                         cwd=cwd, timeout=120)
    line = [x for x in res.stderr.splitlines() if x.startswith("MODULES ")][-1]
    return res, set(line.split()[1:])


def top_level(modules):
    return {m.split(".")[0] for m in modules}


def test_help_imports_no_command_module_and_no_heavy_library():
    res, mods = run_cli("--help")
    assert res.returncode == 0, res.stderr
    for name in cli_main.COMMANDS:          # every command listed, with its one-line help
        assert name in res.stdout
    assert "Contact-centre and survey KPIs" in res.stdout
    assert not {m for m in mods if m.startswith("cxtoolkit.cli.") and m.endswith("_cmd")}
    assert not top_level(mods) & {*HEAVY, "pandas", "numpy", "pyarrow", "pydantic", "yaml"}


@pytest.fixture()
def tiny_client(client_folder):
    return client_folder("tiny", {"name": "Tiny SA", "country": "FR", "locale": "fr",
                                  "data": {"contacts": "contacts.csv", "responses": "responses.csv"}}, {
        "contacts.csv": "contact_id,customer_id,channel,received_at,answered,wait_s,talk_s,hold_s,wrap_s,country\n"
                        "c1,k1,phone,2026-05-05 10:00:00,true,10,100,20,30,FR\n"
                        "c2,k1,email,2026-05-06 09:00:00,true,3600,0,0,0,FR\n",
        "responses.csv": "response_id,responded_at,csat,nps,country\nr1,2026-05-06 12:00:00,5,10,FR\n"})


def test_kpis_json_imports_no_heavy_library(tiny_client):
    res, mods = run_cli("kpis", "--config", tiny_client, "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["overall"]["contacts"] == 2
    assert not top_level(mods) & set(HEAVY)
    assert not {m for m in mods if m.startswith("cxtoolkit.cli.") and m.endswith("_cmd")} - {
        "cxtoolkit.cli.kpis_cmd"}


def test_validate_imports_no_kpi_engine(tiny_client, tmp_path):
    """``validate`` reads and checks files: the KPI engine (``cxtoolkit.kpis``: its registry
    names the KPIs an assumed column leaves unmeasured) is imported only when such a column
    is there, not at every start-up (0.013 s)."""
    res, mods = run_cli("validate", "--config", tiny_client, "--json", "--out", tmp_path)
    assert res.returncode == 0, res.stderr
    assert not {m for m in mods if m == "cxtoolkit.kpis" or m.startswith("cxtoolkit.kpis.")}
    assert not top_level(mods) & set(HEAVY)
    # typer's rich layer draws help and errors (~0.07 s of imports): not a command's start-up
    assert "typer.rich_utils" not in mods


@pytest.mark.parametrize("name", sorted(cli_main.COMMANDS))
def test_each_command_help_imports_no_heavy_library(name):
    """A command's heavy libraries are imported when it runs, not to show its options."""
    res, mods = run_cli(name, "--help")
    assert res.returncode == 0, res.stderr
    assert not top_level(mods) & set(HEAVY), name


def declared_commands(module: str) -> set[str]:
    """Names passed to ``@app.command("...")`` in a module's source."""
    tree = ast.parse(Path(sys.modules["cxtoolkit.cli.main"].__file__).with_name(
        module.rsplit(".", 1)[1] + ".py").read_text(encoding="utf-8"))
    return {d.args[0].value for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)
            for d in n.decorator_list if isinstance(d, ast.Call) and getattr(d.func, "attr", "") == "command"}


def test_command_table_lists_every_registered_command_with_its_help():
    cli_dir = Path(cli_main.__file__).parent
    modules = {f"cxtoolkit.cli.{p.stem}" for p in cli_dir.glob("*_cmd.py")}
    assert set(cli_main.COMMANDS.values()) == modules       # no module forgotten in the table
    for module in modules:
        assert declared_commands(module) == {c for c, m in cli_main.COMMANDS.items() if m == module}
    from typer.testing import CliRunner

    from cxtoolkit.cli.helptext import first_paragraph, said

    english = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8", "COLUMNS": "400"}
    shown = CliRunner().invoke(cli_main.app, ["--help"], env=english).stdout
    for name in cli_main.COMMANDS:          # each listed with the first paragraph of its help
        assert f" {name} " in shown and first_paragraph(said(f"cli.help.{name}", "en")) in shown, name


def test_validate_whole_process_same_outputs_as_in_process(tiny_client, tmp_path):
    """``validate`` ends its process without interpreter teardown (``_speedups.end_process``):
    the exit status, stdout (piped, so block-buffered), stderr, rejects.csv and the atexit
    functions (run_cli's MODULES line) are those of the same command run in process."""
    from typer.testing import CliRunner

    folder = Path(tiny_client).parent
    (folder / "contacts.csv").write_text(
        (folder / "contacts.csv").read_text() + "c3,k2,phone,2026-05-07 10:00:00,maybe,-4,1,0,0,FR\n")
    args = ["validate", "--config", str(tiny_client), "--json"]
    res, _ = run_cli(*args, "--out", tmp_path / "sub")
    ref = CliRunner().invoke(cli_main.app, [*args, "--out", str(tmp_path / "in")])
    assert (res.returncode, ref.exit_code) == (1, 1), res.stderr
    assert res.stdout == ref.stdout.replace(str(tmp_path / "in"), str(tmp_path / "sub"))
    assert json.loads(res.stdout)["counts"]["contacts"]["rejected"] == 1
    assert [x for x in res.stderr.splitlines() if not x.startswith("MODULES ")] == ref.stderr.splitlines()
    assert (tmp_path / "sub" / "rejects.csv").read_bytes() == (tmp_path / "in" / "rejects.csv").read_bytes()


def test_quick_exit_waits_for_a_running_thread():
    """A non-daemon thread still running: the normal exit (which waits for it) is kept."""
    code = textwrap.dedent("""
        import threading, time
        from cxtoolkit import _speedups as s
        threading.Thread(target=lambda: (time.sleep(0.5), print("thread done", flush=True))).start()
        s.quick_exit_after_command(); s.end_process(4)
        raise SystemExit(5)
    """)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (res.returncode, res.stdout) == (5, "thread done\n")


def test_quick_exit_asked_before_main_is_not_taken():
    """A flag left by an earlier in-process ``validate`` (CliRunner) does not end another command quickly."""
    code = ("import os, sys; from cxtoolkit import _speedups as s; s.quick_exit_after_command(); "
            "os._exit = lambda c: print('QUICK', c) or sys.exit(9); sys.argv = ['cxtoolkit', '--version']; "
            "from cxtoolkit.cli.main import main; main()")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0 and res.stdout.startswith("cxtoolkit ") and "QUICK" not in res.stdout, res


def test_package_yaml_is_parsed_by_libyaml(monkeypatch):
    """The message catalogue (60 kB; every command that shows a text) and the presets (every
    file read) are parsed by libyaml, not by PyYAML's pure-Python parser (10x slower: 0.18 s
    for the catalogue), with the same values."""
    import yaml

    from cxtoolkit import messages, resources
    from cxtoolkit.io import presets

    if not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("PyYAML without libyaml")
    files = sorted(resources.root().rglob("*.yml")) + sorted(presets.PRESET_DIR.glob("*.yml"))
    expected = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in files]
    catalogue = messages._messages.__wrapped__()

    def pure_python(*args, **kwargs):
        raise AssertionError("parsed by the pure-Python YAML parser")

    monkeypatch.setattr(yaml.SafeLoader, "__init__", pure_python)
    monkeypatch.setattr(yaml, "safe_load", pure_python)
    assert [resources.read_yaml(p) for p in files] == expected
    assert messages._messages.__wrapped__() == catalogue
    assert [p["name"] for p in presets._load_all.__wrapped__()] == [p["name"] for p in presets.presets()]
