"""The early read of CSV files (``cxtoolkit.io.prefetch``): ``cxtoolkit validate`` starts
parsing its files in a thread before pandas is imported, and the reader takes that table only
when it is the one it would have parsed itself (same bytes, same options): same cells, row
numbers, warnings and errors as a read without it, whatever the guess was.
"""
from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import textwrap

import pandas as pd
import pyarrow.csv as pacsv
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxtoolkit.io import prefetch
from cxtoolkit.io.readers import read_file
from cxtoolkit.schemas import CONTACTS

readers = importlib.import_module("cxtoolkit.io.readers")


@pytest.fixture(autouse=True)
def no_reads_left():
    yield
    assert prefetch.pending() == 0   # every test takes (or drops) what it started


@pytest.fixture
def parses(monkeypatch):
    """The threads pyarrow's CSV reader is called from, in order."""
    import threading

    calls = []
    real = pacsv.read_csv

    def spy(*args, **kwargs):
        calls.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(pacsv, "read_csv", spy)
    return calls


def read_both(path):
    """The RawTable read without a prefetch, then with one (and what the prefetch left)."""
    plain = read_file(path, CONTACTS)
    started = prefetch.start(path)
    early = read_file(path, CONTACTS)
    return plain, early, started, prefetch.pending()


def assert_same(a, b):
    pd.testing.assert_frame_equal(a.df, b.df)
    assert a.rows.tolist() == b.rows.tolist()
    assert (a.sep, a.encoding, a.warnings, a.file) == (b.sep, b.encoding, b.warnings, b.file)
    assert [(m.tolist(), c, r) for m, c, r in a.problems] == [(m.tolist(), c, r) for m, c, r in b.problems]


def test_the_reader_takes_the_table_parsed_in_the_thread(tmp_path, parses):
    p = tmp_path / "contacts.csv"
    p.write_text("contact_id;channel;wait_s\nc1;tel;12,5\n\nc2;mail;\n", encoding="utf-8")
    plain, early, started, left = read_both(p)
    assert started and left == 0
    assert_same(plain, early)
    assert early.rows.tolist() == [2, 4]
    # one parse for the plain read (main thread), one for the prefetched (its thread), none after
    assert parses[0] == "MainThread" and parses[1:] == [f"cxtoolkit prefetch {p}"]


def test_a_wrong_guess_is_parsed_again_by_the_reader(tmp_path, parses):
    """A title line above the header: the guess (header on line 1) is not what the reader
    decides, the reader parses with its own options: same result as without the thread."""
    p = tmp_path / "export.csv"
    p.write_text("Rapport du 01/03/2024\ncontact_id,channel,wait_s\nc1,tel,12\n", encoding="utf-8")
    plain, early, started, left = read_both(p)
    assert started and left == 0
    assert_same(plain, early)
    assert early.rows.tolist() == [3] and list(early.df.columns) == ["contact_id", "channel", "wait_s"]
    assert parses[-1] == "MainThread"


def test_a_file_changed_after_the_early_read_is_read_again(tmp_path):
    p = tmp_path / "c.csv"
    p.write_text("contact_id,wait_s\nc1,1\n", encoding="utf-8")
    assert prefetch.start(p)
    assert prefetch.file_bytes(p) is not None   # waits for the bytes
    p.write_text("contact_id,wait_s\nc1,1\nc2,2\n", encoding="utf-8")
    os.utime(p, ns=(1, 1))
    assert prefetch.file_bytes(p) is None        # dropped: the caller reads the file
    assert read_file(p, CONTACTS).df["contact_id"].tolist() == ["c1", "c2"]


def test_an_error_of_the_early_parse_is_the_readers(tmp_path):
    """A record with more fields than the header: pyarrow refuses it (in the thread); the
    reader gets that error and goes the general way, keeping the surplus as ``_extra_1``."""
    p = tmp_path / "c.csv"
    p.write_text("contact_id;wait_s\nc1;1\nc2;2;oops\n", encoding="utf-8")
    plain, early, started, left = read_both(p)
    assert started
    assert_same(plain, early)
    assert "_extra_1" in early.df.columns


@pytest.mark.parametrize("content", [b"a,b\x00c\n1,2\n", b"\xff\xfea,b\n", b"PK\x03\x04,x\n1\n", b"", b"\n\n",
                                     b"a;b\n\xe9t\xe9;1\n"])
def test_an_odd_file_reads_the_same_and_the_thread_says_nothing(tmp_path, monkeypatch, content):
    """Binary, UTF-16, zip, empty, cp1252: the reader's table or one-line error, as without
    the early read; nothing printed by the thread."""
    import threading

    hooked = []
    monkeypatch.setattr(threading, "excepthook", hooked.append)
    p = tmp_path / "c.csv"
    p.write_bytes(content)
    outcomes = []
    for early in (False, True):
        if early:
            prefetch.start(p)
        try:
            raw = read_file(p, CONTACTS)
            outcomes.append(("read", raw.df.to_dict("list"), raw.rows.tolist(), raw.encoding))
        except Exception as exc:  # noqa: BLE001
            outcomes.append((type(exc), str(exc)))
    prefetch.pending()
    assert outcomes[0] == outcomes[1] and not hooked


def test_only_regular_csv_files_are_read_early(tmp_path):
    (tmp_path / "book.xlsx").write_bytes(b"PK\x03\x04")
    assert not prefetch.start(tmp_path / "book.xlsx")
    assert not prefetch.start(tmp_path / "missing.csv")
    assert not prefetch.start(tmp_path)
    p = tmp_path / "c.csv"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    assert prefetch.start(p) and not prefetch.start(str(p))   # once per file
    assert prefetch.pending() == 1


_cell = st.text(alphabet="abc 12,;|\té\r", max_size=4)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sep=st.sampled_from([",", ";", "\t", "|"]),
       header=st.lists(st.sampled_from(["contact_id", "channel", "wait_s", "x", "", "Attente"]), min_size=1,
                       max_size=4),
       rows=st.lists(st.lists(_cell, min_size=0, max_size=5), max_size=6),
       title=st.booleans(), bom=st.booleans(), crlf=st.booleans())
def test_same_table_with_or_without_the_early_read(tmp_path_factory, sep, header, rows, title, bom, crlf):
    """Whatever the file (separators in cells, title line, BOM, CRLF, ragged or blank
    records, duplicate names), the prefetched read gives what the plain read gives, or the
    same error."""
    lines = (["Rapport"] if title else []) + [sep.join(header)] + [sep.join(r) for r in rows]
    body = ("\r\n" if crlf else "\n").join(lines) + "\n"
    p = tmp_path_factory.mktemp("pf") / "c.csv"
    p.write_bytes((b"\xef\xbb\xbf" if bom else b"") + body.encode("utf-8"))
    try:
        plain = read_file(p, CONTACTS)
    except Exception as exc:  # noqa: BLE001 - the same error is expected with the thread
        prefetch.start(p)
        with pytest.raises(type(exc)) as again:
            read_file(p, CONTACTS)
        assert str(again.value) == str(exc)
        prefetch.pending()
        return
    prefetch.start(p)
    assert_same(plain, read_file(p, CONTACTS))
    prefetch.pending()


# --- the command ---------------------------------------------------------------------------

CODE = textwrap.dedent("""
    import gc, json, sys, threading
    import pyarrow.csv as pacsv
    from cxtoolkit.io import prefetch
    seen = {"start": [], "parse": [], "gc": [], "early": [], "typer": []}
    real_start, real_parse = prefetch.start, pacsv.read_csv
    def start(path, *a, **k):
        seen["start"].append("pandas" in sys.modules)
        seen["gc"].append(gc.isenabled())
        seen["early"].append(not {"pydantic", "typer._adapters", "cxtoolkit.cli.data_cmd"} & set(sys.modules))
        seen["typer"].append("typer" in sys.modules)
        return real_start(path, *a, **k)
    def parse(*a, **k):
        seen["parse"].append(threading.current_thread().name)
        return real_parse(*a, **k)
    prefetch.start, pacsv.read_csv = start, parse
    import atexit
    atexit.register(lambda: print("SEEN", json.dumps({**seen, "gc_at_exit": gc.isenabled(), "frozen": gc.get_freeze_count()}), file=sys.__stderr__))
    sys.argv[0] = "cxtoolkit"
    from cxtoolkit.cli.main import main
    main()
""")


@pytest.fixture
def tiny_validate(client_folder, tmp_path):
    yml = client_folder("tiny", {"name": "Tiny", "country": "FR", "data": {"contacts": "contacts.csv"}}, {
        "contacts.csv": "contact_id,customer_id,channel,received_at,answered,wait_s\n"
                        "c1,k1,phone,2026-05-05 10:00:00,true,10\nc2,k1,phone,2026-05-05 10:00:00,maybe,10\n"})
    return ["validate", "--config", str(yml), "--out", str(tmp_path / "v"), "--json"]


@pytest.mark.parametrize("given_on_command_line", [True, False])
def test_validate_parses_its_csv_before_pandas_is_imported(client_folder, tmp_path, given_on_command_line):
    """The command starts the read before pandas is imported, and the parse it uses is the
    thread's (fails if the early read is removed: the parse runs in the main thread, or if
    ``cxtoolkit.io`` imports pandas again before the read starts); the garbage collector is
    paused while the command imports, on again afterwards. A file given on the command line
    is read before typer, pydantic and the command's module are imported
    (``cxtoolkit.cli.early``, started as ``cxtoolkit.cli.main`` is imported by the console
    script), then started again by the command (a no-op)."""
    rows = "".join(f"c{i},k{i},phone,2026-05-05 10:00:00,true,{i % 50},100,0,0,FR\n" for i in range(3000))
    yml = client_folder("big", {"name": "Big", "country": "FR", "data": {"contacts": "contacts.csv"}}, {
        "contacts.csv": "contact_id,customer_id,channel,received_at,answered,wait_s,talk_s,hold_s,wrap_s,country\n"
                        + rows + "c9,k9,phone,2026-05-05 10:00:00,maybe,1,1,0,0,FR\n"})
    args = ["validate", "--config", str(yml), "--out", str(tmp_path / "v"), "--json"]
    if given_on_command_line:
        args += ["--contacts", str(yml.parent / "contacts.csv")]
    res = subprocess.run([sys.executable, "-c", CODE, *args], capture_output=True, text=True, timeout=120)
    assert res.returncode == 1, res.stderr
    assert json.loads(res.stdout)["counts"]["contacts"]["rejected"] == 1
    seen = json.loads([x for x in res.stderr.splitlines() if x.startswith("SEEN ")][-1][5:])
    assert seen["start"] == [False] * (1 + given_on_command_line)
    assert seen["early"] == ([True, False] if given_on_command_line else [False])
    assert seen["typer"][:1] == [not given_on_command_line]   # (typer: ~0.05 s of imports after the start)
    assert seen["gc"][-1] is False and seen["gc_at_exit"]   # paused while importing only (_speedups)
    assert seen["frozen"] > 10_000                           # what the imports created: not scanned again
    assert seen["parse"] == [f"cxtoolkit prefetch {yml.parent / 'contacts.csv'}"]


def test_validate_in_process_freezes_nothing(tiny_validate):
    """A test runner (or a notebook) invoking the command: the collector is on again after
    the imports and nothing is frozen (objects of the caller may become garbage later)."""
    import gc

    from typer.testing import CliRunner

    from cxtoolkit.cli.main import app

    before = gc.get_freeze_count()
    res = CliRunner().invoke(app, tiny_validate)
    assert res.exit_code == 1, res.output
    assert gc.isenabled() and gc.get_freeze_count() == before


def test_the_early_read_imports_no_pandas():
    code = ("import sys; import cxtoolkit.io; from cxtoolkit.io import prefetch; "
            "print(sorted(m for m in ('pandas', 'numpy') if m in sys.modules))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.stdout.strip() == "[]", res.stderr


def test_the_package_names_are_those_imported_before():
    """``cxtoolkit.io`` imports its public names on first use: each is the object of its
    module; ``validate`` stays the function, also once its module is imported."""
    import cxtoolkit.io as cio
    from cxtoolkit.io import loader, validate as v

    assert v is sys.modules["cxtoolkit.io.validate"].validate and cio.validate is v
    assert cio.load is loader.load and cio.write_rejects is loader.write_rejects
    assert set(cio.__all__) <= set(dir(cio))
    with pytest.raises(AttributeError):
        cio.no_such_name  # noqa: B018


def test_setup_runs_in_the_thread_before_the_parse(tmp_path, parses):
    """``start(path, setup=...)``: the command's memory pool is set by the thread, before its
    parse (the command need not import pyarrow first)."""
    import threading

    p = tmp_path / "c.csv"
    p.write_text("contact_id;wait_s\nc1;12,5\n", encoding="utf-8")
    calls = []
    assert prefetch.start(p, setup=lambda: calls.append((threading.current_thread().name, len(parses))))
    prefetch.pending()
    assert calls == [(f"cxtoolkit prefetch {p}", 0)] and len(parses) == 1


def test_early_reads_are_the_validate_commands_file_options(tmp_path, monkeypatch):
    """``cxtoolkit.cli.early`` names exactly the file options of ``cxtoolkit validate`` (one
    per table), and starts their reads unless a cache is set or help is asked for."""
    import typer

    from cxtoolkit.cli import early
    from cxtoolkit.cli.data_cmd import register
    from cxtoolkit.config import TABLES

    app = typer.Typer()
    register(app)
    cmd = typer.main.get_command(app)
    files = {o for p in cmd.params if p.name in TABLES for o in p.opts}
    assert set(early.FILE_OPTIONS["validate"]) == files and len(files) == len(TABLES)

    p = tmp_path / "c.csv"
    p.write_text("contact_id;wait_s\nc1;12,5\n", encoding="utf-8")
    monkeypatch.setenv("CXTOOLKIT_CACHE_DIR", str(tmp_path / "cache"))
    assert early.start_reads(["validate", "--contacts", str(p)]) == 0
    monkeypatch.delenv("CXTOOLKIT_CACHE_DIR")
    assert early.start_reads(["validate", "--contacts", str(p), "--help"]) == 0
    assert early.start_reads(["validate", "--config", "c.yml", f"--contacts={p}"]) == 1
    assert prefetch.pending() == 1


BLAS_CODE = textwrap.dedent("""
    import json, os, sys
    import cxtoolkit.cli.early as E
    seen = {}
    real = E.one_blas_thread
    def one(args):
        seen["numpy_before"] = "numpy" in sys.modules
        return real(args)
    E.one_blas_thread = one
    import atexit
    def report():
        from threadpoolctl import threadpool_info
        blas = [i["num_threads"] for i in threadpool_info() if i.get("internal_api") == "openblas"]
        print("SEEN", json.dumps({**seen, "var": os.environ.get("OPENBLAS_NUM_THREADS"), "blas": blas[:1]}),
              file=sys.__stderr__)
    atexit.register(report)
    sys.argv[0] = "cxtoolkit"
    from cxtoolkit.cli.main import main
    main()
""")


@pytest.mark.parametrize("preset, args_of, expected, blas", [(None, "validate", "1", [1]), ("2", "validate", "2", [2]),
                                                              (None, "version", None, [])])
def test_validate_runs_openblas_with_one_thread(tiny_validate, preset, args_of, expected, blas):
    """``cxtoolkit validate`` (no linear algebra) sets ``OPENBLAS_NUM_THREADS=1`` before NumPy
    is imported: OpenBLAS's worker threads spun on the two cores the read and the validation
    need (~50 ms of CPU on 1M rows). A value the user set is kept; another command is left alone."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if preset:
        env["OPENBLAS_NUM_THREADS"] = preset
    args = tiny_validate if args_of == "validate" else ["--version"]
    res = subprocess.run([sys.executable, "-c", BLAS_CODE, *args], capture_output=True, text=True, timeout=120,
                         env=env)
    assert res.returncode in (0, 1), res.stderr
    seen = json.loads([x for x in res.stderr.splitlines() if x.startswith("SEEN ")][-1][5:])
    assert seen == {"numpy_before": False, "var": expected, "blas": blas}


@pytest.mark.parametrize("args, set_here", [(["kpis", "--config", "c.yml"], True), (["validate"], True),
                                            (["audit", "demo"], False), (["kpis", "--help"], True)])
def test_the_commands_without_linear_algebra_run_one_blas_thread(monkeypatch, args, set_here):
    """``kpis`` as ``validate`` (OpenBLAS's idle threads cost ``kpis`` ~0.09 s of CPU on 1M rows);
    the audit keeps OpenBLAS's threads (its verbatim themes factorise a matrix)."""
    from cxtoolkit.cli import early

    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    assert early.one_blas_thread(args) is set_here
    assert os.environ.get("OPENBLAS_NUM_THREADS") == ("1" if set_here else None)
