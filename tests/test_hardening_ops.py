"""Hardening II (issue 17), operations: audits never clobber each other, killed audits leave
no raw data nor processes behind, a locked warehouse loses nothing, one symlink check at
every entry point, a monstrous client.yml is one line.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from typer.testing import CliRunner

from cxtoolkit.audit import warehouse as wh
from cxtoolkit.audit.runner import run_audit
from cxtoolkit.errors import InputError

REPO = Path(__file__).resolve().parents[1]
CONTACTS = ("contact_id;customer_id;channel;received_at;answered;wait_s;handle_s;country\n"
            "c1;CUST1;phone;2026-10-01 09:00;oui;12;300;FR\n"
            "c2;CUST2;phone;2026-10-02 10:00;non;40;;FR\n")


def _client(root: Path, slug: str = "acme", contacts: str | None = None) -> Path:
    from conftest import write_client

    cd = root / "client_data"
    if contacts is None:
        write_client(cd, slug, {"name": slug})
    else:
        write_client(cd, slug, {"name": slug, "data": {"contacts": "contacts.csv"}}, {"contacts.csv": contacts})
    return cd


def _sleep_notebook(path: Path, seconds: float) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [nbformat.v4.new_code_cell("client = ''", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(f"import time\ntime.sleep({seconds})")]
    nbformat.write(nb, str(path))
    return path


def _env(tmp: Path | None = None) -> dict:
    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH") or str(REPO)}
    if tmp is not None:
        env["TMPDIR"] = str(tmp)
    return env


def _cli(*args: str, env: dict | None = None, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cxtoolkit.cli.main", *args], env=env or _env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


# -- 5. one audit per client and period -------------------------------------------------

def test_second_audit_of_same_client_and_period_is_refused_and_changes_nothing(tmp_path):
    cd = _client(tmp_path)
    out = tmp_path / "reports"
    slow = _sleep_notebook(tmp_path / "slow.ipynb", 25)   # long enough for a loaded machine
    first = run_audit("acme", period="2026-10", client_data=cd, out=out, notebooks=["no_notebook"],
                      warehouse=False)
    assert first.status == "ok"
    folder = out / "acme" / "2026-10"
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    # a long audit of the same client and period is running...
    running = _cli("audit", "acme", "--period", "2026-10", "--client-data", str(cd), "--out", str(out),
                   "--warehouse", str(tmp_path / "w.duckdb"), "--notebooks", str(slow), "--jobs", "1")
    try:
        deadline = time.monotonic() + 60
        while not list((out / "acme").glob(".2026-10.tmp-*")) and time.monotonic() < deadline:
            assert running.poll() is None, running.communicate()
            time.sleep(0.1)
        building = list((out / "acme").glob(".2026-10.tmp-*"))
        assert building
        # ...a second one says so in one line, exit 2, and touches nothing
        second = _cli("audit", "acme", "--period", "2026-10", "--client-data", str(cd), "--out", str(out),
                      "--warehouse", str(tmp_path / "w.duckdb"), "--notebooks", "no_notebook", "--jobs", "1")
        _, err = second.communicate(timeout=120)
        assert second.returncode == 2, err
        assert "already running" in err and len(err.strip().splitlines()) == 1, err
        assert all(p.is_dir() for p in building)                 # the first one's build folder survives
        now = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
        assert now == before                                     # the published report untouched
        # the same lock refuses an in-process audit too
        with pytest.raises(InputError, match="already running"):
            run_audit("acme", period="2026-10", client_data=cd, out=out, notebooks=["no_notebook"],
                      warehouse=False)
        _, err = running.communicate(timeout=180)
        assert running.returncode == 0, err
    finally:
        if running.poll() is None:
            running.kill()
            running.wait()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "ok" and [n["name"] for n in manifest["notebooks"]] == ["slow"]
    # another period of the same client is not blocked
    assert run_audit("acme", period="2026-09", client_data=cd, out=out, notebooks=["no_notebook"],
                     warehouse=False).status == "ok"


def test_audit_lock_does_not_survive_a_killed_audit(tmp_path):
    cd = _client(tmp_path)
    out = tmp_path / "reports"
    slow = _sleep_notebook(tmp_path / "slow.ipynb", 120)
    running = _cli("audit", "acme", "--period", "2026-10", "--client-data", str(cd), "--out", str(out),
                   "--notebooks", str(slow), "--jobs", "1", env=_env(tmp_path))
    deadline = time.monotonic() + 60
    while not list((out / "acme").glob(".2026-10.tmp-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    running.send_signal(signal.SIGKILL)
    running.wait()
    res = run_audit("acme", period="2026-10", client_data=cd, out=out, notebooks=["no_notebook"],
                    warehouse=False)
    assert res.status == "ok"
    assert not list((out / "acme").glob(".2026-10.tmp-*"))       # the dead run's leftovers cleaned


# -- 6. a killed audit leaves no raw data nor processes ---------------------------------

def alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _children(pid: int) -> dict[int, str]:
    """Descendants of ``pid`` (``/proc``): {pid: command line}."""
    parent_of, cmd = {}, {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
                parent_of[int(d.name)] = int(stat.rsplit(")", 1)[1].split()[1])
                cmd[int(d.name)] = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except (OSError, ValueError, IndexError):
                continue
    found, todo = {}, [pid]
    while todo:
        p = todo.pop()
        for c, pp in parent_of.items():
            if pp == p and c not in found:
                found[c] = cmd.get(c, "")
                todo.append(c)
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process tree from /proc")
@pytest.mark.parametrize("jobs", [1, 2])
def test_killed_audit_leaves_no_worker_kernel_nor_cache(tmp_path, jobs):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    cd = _client(tmp_path, contacts=CONTACTS)
    out = tmp_path / "reports"
    nbs = ",".join(str(_sleep_notebook(tmp_path / f"slow{i}.ipynb", 300)) for i in range(jobs))
    audit = _cli("audit", "acme", "--period", "2026-10", "--client-data", str(cd), "--out", str(out),
                 "--warehouse", str(tmp_path / "w.duckdb"), "--notebooks", nbs, "--jobs", str(jobs),
                 env=_env(tmp))
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            kids = _children(audit.pid)
            if sum("ipykernel" in c for c in kids.values()) >= jobs:
                break
            assert audit.poll() is None, audit.communicate()
            time.sleep(0.3)
        else:
            pytest.fail(f"kernels not started: {kids}")
        time.sleep(2)                                  # the kernels are running their cells
        caches = list(tmp.glob("cxtoolkit-cache-*"))
        assert len(caches) == 1 and any(caches[0].glob("*.parquet"))    # parsed raw data
    finally:
        audit.send_signal(signal.SIGKILL)
        audit.wait()
    deadline = time.monotonic() + 15
    while any(alive(p) for p in kids) and time.monotonic() < deadline:
        time.sleep(0.2)
    survivors = {p: c for p, c in kids.items() if alive(p)}
    for p in survivors:                                # do not leave them running after a failure
        os.kill(p, signal.SIGKILL)
    assert not survivors, survivors
    assert caches[0].is_dir()                          # a killed process cannot clean up...
    _client(tmp_path, "beta")                         # any audit (here another client's) cleans up
    res = subprocess.run([sys.executable, "-m", "cxtoolkit.cli.main", "audit", "beta", "--period", "2026-09",
                          "--client-data", str(cd), "--out", str(out), "--notebooks", "no_notebook",
                          "--warehouse", str(tmp_path / "w.duckdb")], env=_env(tmp), capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert not list(tmp.glob("cxtoolkit-cache-*"))    # ...the next audit removes its raw data


def test_live_cache_is_kept_and_legacy_cache_removed_when_old(tmp_path):
    from cxtoolkit.io import cache

    folder, fd = cache.create_private(tmp_path)
    legacy = tmp_path / "cxtoolkit-cache-abcd1234"
    legacy.mkdir()
    fresh_legacy = tmp_path / "cxtoolkit-cache-efgh5678"
    fresh_legacy.mkdir()
    old = time.time() - 2 * cache.LEGACY_AGE_S
    os.utime(legacy, (old, old))
    assert cache.clean_stale(tmp_path) == 1
    assert folder.is_dir() and fresh_legacy.is_dir() and not legacy.exists()
    os.close(fd)


# -- 7. a locked warehouse loses nothing --------------------------------------------------

_HOLD = """
import duckdb, sys, time
con = duckdb.connect(sys.argv[1])
con.execute("CREATE TABLE IF NOT EXISTS other (a INTEGER)")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
"""


def _hold_warehouse(path: Path, seconds: float) -> subprocess.Popen:
    p = subprocess.Popen([sys.executable, "-c", _HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "locked"
    return p


def _rows(period: str, value: float) -> pd.DataFrame:
    return pd.DataFrame({"client": ["acme"], "period": [period], "period_start": [f"{period}-01"],
                         "period_end": [f"{period}-28"], "segment_by": ["overall"], "segment": ["overall"],
                         "kpi": ["answer_rate"], "value": [value], "n": [100.0], "se": [None], "status": [None]})


def test_locked_warehouse_waits_then_stores(tmp_path):
    path = tmp_path / "w.duckdb"
    wh.append(path, _rows("2026-09", 0.8))
    holder = _hold_warehouse(path, 1.5)       # released well within the bounded wait
    try:
        assert wh.append(path, _rows("2026-10", 0.9)) == 1
    finally:
        holder.kill()
        holder.wait()
    assert wh.read_history(path, "acme")["period"].tolist() == ["2026-09", "2026-10"]


def test_audit_with_warehouse_locked_keeps_its_history_for_the_next_comparison(tmp_path, monkeypatch):
    monkeypatch.setattr(wh, "WAIT_S", 0.5, raising=False)
    cd = _client(tmp_path, contacts=CONTACTS)
    out = tmp_path / "reports"
    path = out / "warehouse.duckdb"
    sep = run_audit("acme", period="2026-09", client_data=cd, out=out, notebooks=["no_notebook"])
    assert sep.status == "ok" and set(wh.read_history(path, "acme")["period"]) == {"2026-09"}
    holder = _hold_warehouse(path, 600)        # e.g. a consultant's duckdb shell left open
    try:
        octo = run_audit("acme", period="2026-10", client_data=cd, out=out, notebooks=["no_notebook"])
        assert octo.status == "ok"             # the report itself is complete
        step = octo.manifest["steps"]["warehouse"]
        assert step["status"] == "pending" and "locked by another process" in step["reason"]
        assert "\n" not in step["reason"]
        published = json.loads((out / "acme" / "2026-10" / "manifest.json").read_text())
        assert published["steps"]["warehouse"]["status"] == "pending"
    finally:
        holder.kill()
        holder.wait()
    # nothing lost: the next audit compares with October, and October reaches the warehouse
    nov = run_audit("acme", period="2026-11", client_data=cd, out=out, notebooks=["no_notebook"])
    assert nov.manifest["previous_period"] == "2026-10"
    assert nov.manifest["steps"].get("warehouse") is None
    assert set(wh.read_history(path, "acme")["period"]) == {"2026-09", "2026-10", "2026-11"}
    assert not list(wh.pending_dir(path).glob("*.parquet"))


def test_cli_audit_with_locked_warehouse_exits_cleanly(tmp_path):
    cd = _client(tmp_path, contacts=CONTACTS)
    out = tmp_path / "reports"
    path = out / "warehouse.duckdb"
    wh.append(path, _rows("2026-09", 0.8))
    holder = _hold_warehouse(path, 600)
    try:
        res = subprocess.run([sys.executable, "-c",
                              "import cxtoolkit.audit.warehouse as w; w.WAIT_S = 0.5; "
                              "from cxtoolkit.cli.main import main; main()",
                              "audit", "acme", "--period", "2026-10", "--client-data", str(cd), "--out", str(out),
                              "--notebooks", "no_notebook"], env=_env(), capture_output=True, text=True,
                             timeout=300)
    finally:
        holder.kill()
        holder.wait()
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr and "locked by another process" in res.stderr
    assert set(wh.read_history(path, "acme")["period"]) == {"2026-09", "2026-10"}


# -- 11. a symlinked client folder is refused everywhere -------------------------------------

SECRET = "BETASECRET42"


def _linked(tmp_path: Path) -> Path:
    cd = _client(tmp_path, "beta", contacts=CONTACTS.replace("CUST1", SECRET))
    _client(tmp_path, "acme")
    os.symlink(cd / "beta", cd / "gamma")            # "gamma" is really beta's folder
    return cd


@pytest.mark.parametrize("args", [
    ["validate", "--config", "gamma"], ["kpis", "--config", "gamma"], ["verbatims", "--config", "gamma"],
    ["quality", "--config", "gamma"], ["audit", "gamma"],
])
def test_symlinked_client_folder_is_refused_by_every_command(tmp_path, monkeypatch, args):
    from cxtoolkit.cli.main import app

    cd = _linked(tmp_path)
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(app, [*args, "--client-data", str(cd)])
    # each command turns InputError into one line and exit status 2 (itself, or cli.main.main())
    msg = str(res.exception) if isinstance(res.exception, InputError) else res.output.strip()
    assert isinstance(res.exception, InputError) or res.exit_code == 2, (args, res.output)
    assert "symlink" in msg and "\n" not in msg, msg
    assert SECRET not in res.output
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and "client_data" not in p.parts
                and SECRET in p.read_text(errors="replace")]


def test_symlinked_client_folder_is_refused_by_app_and_kernel(tmp_path, monkeypatch):
    from cxtoolkit.apps.serve import client_env
    from cxtoolkit.config import load_client

    cd = _linked(tmp_path)
    with pytest.raises(InputError, match="symlink"):
        client_env("gamma", cd)                       # cxtoolkit app NAME --client gamma
    with pytest.raises(InputError, match="symlink"):
        load_client("gamma", cd)                      # what an app kernel loads
    assert load_client("beta", cd).client == "beta"


# -- 13. a monstrous client.yml ------------------------------------------------------------

@pytest.mark.parametrize("body", ["roi: " + "[" * 50_000 + "]" * 50_000,
                                  "roi: " + "{a: " * 50_000 + "1" + "}" * 50_000,
                                  "roi:\n" + "".join("  " * i + "k:\n" for i in range(1, 400)) + "  " * 400 + "1\n"])
def test_deeply_nested_client_yml_is_one_line_exit_2(tmp_path, body):
    cd = _client(tmp_path)
    (cd / "acme" / "client.yml").write_text(f"client: acme\n{body}\n", encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "cxtoolkit.cli.main", "validate", "--config", "acme",
                          "--client-data", str(cd)],
                         env=_env(), capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert res.returncode == 2, res.stderr[-500:]
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1, res.stderr[-500:]
    assert "client.yml" in res.stderr and "nested" in res.stderr


# -- 8 and 12. a served app: localhost only, one-line errors over the websocket ---------------

def _get(port: int, path: str, host: str) -> tuple[int, str]:
    import http.client

    con = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        con.putrequest("GET", path, skip_host=True)
        con.putheader("Host", host)
        con.endheaders()
        r = con.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    finally:
        con.close()


def _widget_messages(port: int, kernel_id: str, bad_updates) -> list[dict]:
    """Over the kernel's websocket (as the page would): find the app's widgets, send each
    ``(model name, state)`` of ``bad_updates`` to the first widget of that model, and return
    every message the kernel sends back in the next seconds."""
    import asyncio
    import uuid

    from tornado.websocket import websocket_connect

    async def run() -> list[dict]:
        session = uuid.uuid4().hex
        ws = await websocket_connect(f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels?session_id={session}")

        def msg(msg_type: str, content: dict, channel: str = "shell") -> str:
            return json.dumps({"channel": channel, "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type,
                               "session": session, "username": "", "date": "", "version": "5.3"},
                               "parent_header": {}, "metadata": {}, "content": content, "buffers": []})

        async def collect(seconds: float) -> list[dict]:
            got, end = [], time.monotonic() + seconds
            while time.monotonic() < end:
                try:
                    m = await asyncio.wait_for(ws.read_message(), timeout=max(0.05, end - time.monotonic()))
                except asyncio.TimeoutError:
                    break
                if m is None:
                    break
                if isinstance(m, str):
                    got.append(json.loads(m))
            return got

        await ws.write_message(msg("comm_info_request", {"target_name": "jupyter.widget"}))
        infos = [m for m in await collect(5) if m.get("msg_type") == "comm_info_reply"]
        comms = list(infos[0]["content"]["comms"]) if infos else []
        for cid in comms:
            await ws.write_message(msg("comm_msg", {"comm_id": cid, "data": {"method": "request_state"}}))
        models = {}
        for m in await collect(8):
            data = m.get("content", {}).get("data", {})
            if m.get("msg_type") == "comm_msg" and data.get("method") == "update":
                models.setdefault(data["state"].get("_model_name"), m["content"]["comm_id"])
        sent = []
        for model, state in bad_updates:
            if model in models:
                await ws.write_message(msg("comm_msg", {"comm_id": models[model], "data": {
                    "method": "update", "state": state, "buffer_paths": []}}))
                sent.append(model)
        assert sent, f"no widget of {[m for m, _ in bad_updates]} among {sorted(map(str, models))}"
        out = await collect(6)
        ws.close()
        return out

    return asyncio.run(run())


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="Linux only (Voila subprocess)")
def test_served_app_refuses_foreign_host_and_sends_no_traceback(tmp_path, monkeypatch):
    import tempfile

    from cxtoolkit.apps import serve

    scratch = tmp_path / "tmp"                 # the server's temporary folders go here
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    port = serve.free_port()
    server = serve.start_app("roi", port, log_path=tmp_path / "voila.log", timeout=240)
    assert server.work is not None and server.work.parent == scratch
    try:
        # DNS rebinding: a page of evil.example whose name now points at 127.0.0.1
        for path in ("/", "/api/kernels", "/voila/render/roi.ipynb"):
            status, _ = _get(port, path, "evil.example")
            assert status in (400, 403), (path, status)
        status, _ = _get(port, "/", f"evil.example:{port}")
        assert status in (400, 403)
        status, page = _get(port, "/", f"localhost:{port}")
        assert status == 200 and "kernelId" in page
        import re

        kernel_id = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page).group(1)
        # 12. values out of range / of the wrong type, as a crafted page would send them
        got = _widget_messages(port, kernel_id, [("DropdownModel", {"index": 999}),
                                                 ("FloatTextModel", {"value": "x" * 50}),
                                                 ("BoundedFloatTextModel", {"value": "nan-x"}),
                                                 ("FloatSliderModel", {"value": "abc"}),
                                                 ("AccordionModel", {"selected_index": 10**9})])
        for m in got:
            text = json.dumps(m.get("content", {}))
            if m.get("msg_type") in ("error", "stream"):
                shown = m["content"].get("traceback", []) + [m["content"].get("text", "")]
                assert all("\n" not in s.strip() and len(s) <= 200 for s in shown), text[:500]
            assert "Traceback" not in text and "site-packages" not in text and ".py" not in text, text[:500]
        assert any(m.get("msg_type") == "error" for m in got)        # the refusal itself is said, in a line
        status, _ = _get(port, "/", "127.0.0.1")
        assert status == 200
    finally:
        server.stop()
    assert list(scratch.iterdir()) == []      # template folder and kernel cache removed with the server


def test_app_kernel_errors_are_one_line_and_widget_resynced():
    """The same in a plain kernel (ipykernel forwarding file descriptor 2 to the page, as
    under Voila): ``guard_kernel`` turns a refused widget value into one line and sends
    the widget's valid state back."""
    from jupyter_client.manager import start_new_kernel

    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}   # fd capture on
    km, kc = start_new_kernel(kernel_name="python3", env=env)
    try:
        ids: list[str] = []
        kc.execute_interactive(
            "from cxtoolkit.apps.guard import guard_kernel, server_log\nguard_kernel()\n"
            "import ipywidgets as W\nd = W.Dropdown(options=['a', 'b'])\ns = W.IntSlider(min=0, max=10, value=3)\n"
            "print(d.model_id, s.model_id)\nserver_log('SERVER-ONLY details')",
            output_hook=lambda m: ids.extend(m["content"]["text"].split()) if m["msg_type"] == "stream" else None,
            timeout=120)
        for cid, state in ((ids[0], {"index": 99}), (ids[1], {"value": "abc"})):
            kc.shell_channel.send(kc.session.msg("comm_msg", {"comm_id": cid, "data": {
                "method": "update", "state": state, "buffer_paths": []}}))
        got, end = [], time.monotonic() + 5
        while time.monotonic() < end:
            try:
                got.append(kc.get_iopub_msg(timeout=0.5))
            except Exception:  # noqa: BLE001 - queue empty
                continue
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    errors = [m["content"] for m in got if m["msg_type"] == "error"]
    assert [e["traceback"] for e in errors] == [["TraitError: Invalid selection: index out of bounds"],
                                                ["TraitError: The 'value' trait of an IntSlider instance "
                                                 "expected an int, not the str 'abc'."]]
    streams = "".join(m["content"].get("text", "") for m in got if m["msg_type"] == "stream")
    assert "Traceback" not in streams and "SERVER-ONLY" not in streams
    resync = [m["content"]["data"]["state"] for m in got if m["msg_type"] == "comm_msg"
              and m["content"]["data"].get("method") == "update"]
    assert {"index": 0} in resync and {"value": 3} in resync


# -- 10. every published CSV / XLSX goes through one neutralising path ------------------------

PAYLOAD = '=HYPERLINK("http://evil.example","x")'
_NUM = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"


def _live_formulas(folder: Path) -> list[tuple[str, str]]:
    """Cells of the CSV files under ``folder`` that a spreadsheet would run."""
    import re

    found = []
    for p in sorted(folder.rglob("*.csv")):
        df = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig", index_col=False)
        for v in [*df.columns, *df.to_numpy().ravel().tolist()]:
            if isinstance(v, str) and v.startswith(("=", "+", "-", "@", "\t", "\r")) and not re.fullmatch(_NUM, v):
                found.append((p.name, v))
    return found


def test_changes_csv_and_every_published_csv_have_no_live_formula(tmp_path):
    evil = "=1+2*cmd|' /C calc'!A0"
    rows = [f"c{m}{i};CUST{i};phone;2026-{m}-0{i + 1} 09:00;{'oui' if i % 2 else 'non'};{10 + i};300;"
            f"{evil if i < 3 else 'FR'}" for m in ("09", "10") for i in range(6)]
    cd = _client(tmp_path, contacts=CONTACTS.split("\n", 1)[0] + "\n" + "\n".join(rows) + "\n")
    out = tmp_path / "reports"
    for period in ("2026-09", "2026-10"):
        res = run_audit("acme", period=period, client_data=cd, out=out, notebooks=["no_notebook"])
        assert res.status in ("ok", "failed")
    folder = out / "acme" / "2026-10"
    changes = pd.read_csv(folder / "changes.csv", dtype=str, keep_default_na=False)
    assert "'" + evil in changes["segment"].tolist()                        # the country, shown inert
    assert not _live_formulas(folder)
    assert (pd.to_numeric(changes["current"], errors="coerce").notna() == (changes["current"] != "")).all()


def test_quality_table_export_neutralised(tmp_path):
    from cxtoolkit.cli.quality_cmd import _write_table

    df = pd.DataFrame({"agent_id": [PAYLOAD, "a2"], "score": [-1.5, 2.0]})
    _write_table(df, tmp_path / "q.csv", "quality")
    back = pd.read_csv(tmp_path / "q.csv", dtype=str)
    assert back["agent_id"].tolist() == ["'" + PAYLOAD, "a2"] and back["score"].tolist() == ["-1.5", "2.0"]


def test_batch_with_locked_warehouse_keeps_every_clients_rows(tmp_path, monkeypatch):
    from cxtoolkit.audit.batch import run_batch

    monkeypatch.setattr(wh, "WAIT_S", 0.5, raising=False)
    cd = _client(tmp_path, "acme", contacts=CONTACTS)
    _client(tmp_path, "beta", contacts=CONTACTS)
    out = tmp_path / "reports"
    path = out / "warehouse.duckdb"
    wh.append(path, _rows("2026-09", 0.8))
    holder = _hold_warehouse(path, 600)
    try:
        res = run_batch("acme,beta", period="2026-10", client_data=cd, out=out, workers=1,
                        notebooks=["no_notebook"], progress=False)
    finally:
        holder.kill()
        holder.wait()
    assert res.exit_code == 0 and [o.status for o in res.outcomes] == ["ok", "ok"]
    assert all("locked by another process" in (o.error or "") for o in res.outcomes)
    got = wh.read_history(path)
    assert set(zip(got["client"], got["period"])) == {("acme", "2026-09"), ("acme", "2026-10"), ("beta", "2026-10")}
