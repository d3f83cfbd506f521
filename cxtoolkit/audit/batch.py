"""Many client audits at once: a local process pool, or a Dask distributed cluster.

Each client's audit runs in its own worker **process** (Papermill's ``cwd=`` and the
kernel environment are process-wide, so never threads). One client's failure never
stops the others: every audit returns an outcome (status, duration, first line of the
error, published folder) and the batch's exit code is non-zero if any failed.

The history warehouse (DuckDB, a single writer per file) is only touched by the parent:
it reads each client's past KPI rows before submitting the audit (the worker compares
with them for the index page) and appends the new rows when the audit comes back.

Local pool (default)
    ``concurrent.futures.ProcessPoolExecutor`` with long-lived ``spawn`` workers (each
    imports the toolkit once), a rich progress bar per client and per notebook fed by a
    manager queue.

Dask cluster (``--scheduler tcp://host:8786``)
    The same jobs are submitted to ``dask.distributed.Client(address)``. On a real
    cluster:

    1. install the same environment (``pip install 'cxtoolkit[dask]'`` plus the ``python3``
       kernel) on every worker machine;
    2. share the working folder (``client_data/``, the reports folder and any house
       notebooks) at the same path on all machines (NFS or similar) — audits read and
       publish there;
    3. start the scheduler (``dask scheduler``) and the workers with one thread each,
       e.g. ``dask worker tcp://host:8786 --nworkers 4 --nthreads 1``
       (an audit also holds a process-wide lock, so extra threads only wait);
    4. run ``cxtoolkit batch --clients all --period 2026-10 --scheduler tcp://host:8786``.

    Progress is then reported per client (when each audit returns).

Examples
--------
>>> list_clients("/nonexistent")
[]
"""
from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cxtoolkit._lifeline import die_with_parent
from cxtoolkit.audit.collect import failure_said, first_line, line_said
from cxtoolkit.config import SLUG_RE, default_client_data, load_client
from cxtoolkit.errors import InputError
from cxtoolkit.messages import CLIENT_LOCALES, command_locale, forget_client_locale, has, text
from cxtoolkit.workspace import reports_dir

_PROCESS_LOCK = threading.Lock()


@dataclass
class ClientOutcome:
    """One client's line of the batch summary."""

    client: str
    status: str                    # ok | failed
    duration_s: float
    error: str | None = None
    period: str | None = None
    folder: str | None = None
    notebooks: list[dict] = field(default_factory=list)
    #: ``error`` said in the audit's language (``error`` is the English line of the manifest)
    said: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "said"}


@dataclass
class BatchResult:
    outcomes: list[ClientOutcome]
    duration_s: float
    workers: int
    backend: str                   # "processes" | "dask"
    locale: str = "en"             # the language of its summary (batch_locale)

    @property
    def failed(self) -> list[ClientOutcome]:
        return [o for o in self.outcomes if o.status != "ok"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def to_dict(self) -> dict:
        return {"duration_s": round(self.duration_s, 3), "workers": self.workers, "backend": self.backend,
                "ok": len(self.outcomes) - len(self.failed), "failed": len(self.failed),
                "clients": [o.to_dict() for o in self.outcomes]}


def list_clients(client_data: Path | str | None = None) -> list[str]:
    """Slugs of every client folder (with a client.yml) under ``client_data``, sorted."""
    base = Path(client_data) if client_data else default_client_data()
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir()
                  if p.is_dir() and (p / "client.yml").is_file() and SLUG_RE.fullmatch(p.name))


def parse_clients(spec: str | list[str] | None, client_data: Path | str | None = None) -> list[str]:
    """``"a,b"`` / ``["a", "b"]`` / ``"all"`` (or None) → validated, de-duplicated slugs.

    >>> parse_clients("beta, alpha,beta")
    ['beta', 'alpha']
    >>> parse_clients("Bad Name")
    Traceback (most recent call last):
    ...
    cxtoolkit.errors.InputError: --clients: 'Bad Name' is not a client slug ([a-z0-9-]+)
    """
    if spec is None or spec == "all" or spec == ["all"]:
        found = list_clients(client_data)
        if not found:
            raise InputError("error.audit.client_folder_client",
                             value=Path(client_data) if client_data else default_client_data())
        return found
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    out: list[str] = []
    for c in (s.strip() for s in items):
        if not c:
            continue
        if not SLUG_RE.fullmatch(c):
            raise InputError("error.audit.client_slug_z", c=repr(c))
        if c not in out:
            out.append(c)
    if not out:
        raise InputError("error.audit.client_given")
    return out


def audit_job(kwargs: dict, queue=None) -> dict:
    """Run one audit in a worker and return a plain, picklable outcome (never raises)."""
    from cxtoolkit._speedups import skip_slow_optional_imports

    skip_slow_optional_imports()
    from cxtoolkit.audit.runner import run_audit

    t0 = time.perf_counter()
    client = kwargs.get("client")
    progress = queue.put if queue is not None else None
    with _PROCESS_LOCK:
        forget_client_locale()     # a long-lived worker: the previous client's language is not this one's
        try:
            res = run_audit(**kwargs, progress=progress, warehouse=False)
        except BaseException as exc:  # noqa: BLE001 - a failing client never stops the batch
            if progress:
                progress({"event": "audit_end", "client": client, "status": "failed",
                          "error": first_line(exc)})
            # an input error in the audit's language (--locale, else the client's, as its CLI says
            # it), without its class name; any other error as its first line
            loc = command_locale(kwargs.get("locale"))
            return {"client": client, "status": "failed", "duration_s": time.perf_counter() - t0,
                    "error": first_line(exc), "period": None, "folder": None, "notebooks": [],
                    "kpi_rows": None, "audit_status": "failed", "started_at": None,
                    "said": exc.render(loc) if isinstance(exc, InputError) else first_line(exc)}
    rows = res.kpi_rows
    return {"client": res.client, "status": res.status, "duration_s": time.perf_counter() - t0,
            "error": res.error, "said": res.error_said(command_locale(kwargs.get("locale"))),
            "period": res.period, "folder": str(res.folder),
            "notebooks": [n.to_dict() for n in res.notebooks],
            "kpi_rows": None if rows is None or rows.empty else rows.to_dict("records"),
            "started_at": res.manifest.get("started_at")}


class _Bars:
    """Rich progress: one bar for the batch, one per running client (notebooks done)."""

    def __init__(self, n_clients: int, enabled: bool, console=None, locale: str | None = None):
        self.enabled = enabled
        self.locale = locale
        self.tasks: dict[str, int] = {}
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=console or Console(stderr=True),
                                 transient=False)
        self.total = self.progress.add_task(text("audit.outcome.batch.clients", locale), total=n_clients)

    def __enter__(self):
        if self.enabled:
            self.progress.__enter__()
        return self

    def __exit__(self, *exc):
        if self.enabled:
            self.progress.__exit__(*exc)

    def event(self, e: dict) -> None:
        if not self.enabled:
            return
        client, kind = e.get("client"), e.get("event")
        if kind == "audit_start":
            n = len(e.get("notebooks") or []) or 1
            self.tasks[client] = self.progress.add_task(f"  {client}", total=n)
        elif kind == "notebook_start" and client in self.tasks:
            self.progress.update(self.tasks[client], description=f"  {client} · {e.get('notebook')}")
        elif kind == "notebook_end" and client in self.tasks:
            self.progress.advance(self.tasks[client])

    def client_done(self, outcome: ClientOutcome) -> None:
        if not self.enabled:
            return
        mark = "✓" if outcome.status == "ok" else "✗"
        if outcome.client in self.tasks:
            t = self.tasks[outcome.client]
            self.progress.update(t, description=f"  {outcome.client} {mark} {_status(outcome.status, self.locale)}",
                                 completed=self.progress.tasks[t].total)
        self.progress.advance(self.total)


def _pump(queue, bars: _Bars, stop: threading.Event) -> None:
    import queue as _q

    while not stop.is_set() or not queue.empty():
        try:
            e = queue.get(timeout=0.2)
        except (_q.Empty, EOFError, OSError):
            continue
        bars.event(e)


def run_batch(clients=None, period: str | None = None, start: str | None = None, end: str | None = None,
              client_data: Path | str | None = None, out: Path | str | None = None, workers: int | None = None,
              scheduler: str | None = None, timeout: float = 600, *, notebooks=None,
              notebook_dir: Path | str | None = None, warehouse: Path | str | bool | None = None,
              progress: bool = True, console=None, jobs: int = 1, locale: str | None = None) -> BatchResult:
    """Audit several clients for one period; see the module docstring.

    Parameters
    ----------
    clients : ``"a,b"``, a list of slugs, or ``"all"``/None (every client folder).
    workers : local processes (default: min(clients, CPUs)); ignored with ``scheduler``.
    scheduler : address of a Dask scheduler (``tcp://host:8786``) or a
        ``dask.distributed`` Client / LocalCluster object.
    warehouse : DuckDB history file (default ``out/warehouse.duckdb``), ``False`` for none.
    jobs : notebooks run side by side inside each audit (default 1: in a batch the workers
        are the parallelism, one core each; always 1 on Dask workers).
    locale : ``fr`` / ``en``: the language of every audit (as ``cxtoolkit audit --locale``) and
        of the batch's progress and summary; None: each audit in its client's, the summary in
        :func:`batch_locale`'s.

    Returns
    -------
    BatchResult with one :class:`ClientOutcome` per client (in the order given).
    """
    from cxtoolkit.audit import warehouse as wh
    from cxtoolkit.audit.params import parse_period

    cd = Path(client_data).resolve() if client_data else default_client_data().resolve()
    names = parse_clients(clients, cd)
    parse_period(period, start, end)  # fail fast on a bad period, before any worker starts
    said_in = batch_locale(names, cd, locale)
    out = Path(out).resolve() if out else reports_dir().resolve()
    wh_path = None if warehouse is False else (Path(warehouse) if warehouse not in (None, True)
                                               else out / "warehouse.duckdb")
    base = {"period": period, "start": start, "end": end, "client_data": str(cd), "out": str(out),
            "timeout": timeout, "notebooks": notebooks, "jobs": 1 if scheduler is not None else max(1, jobs),
            "notebook_dir": str(notebook_dir) if notebook_dir else None, "locale": locale or ""}
    history = None
    if wh_path is not None:
        try:
            history = wh.read_history(wh_path)   # once: a locked warehouse is waited for once
        except Exception:  # noqa: BLE001 - history only feeds the index page
            history = None
    jobs = [{**base, "client": c,
             "history": None if history is None else history[history["client"] == c].reset_index(drop=True)}
            for c in names]
    busy = []   # after one wait for a locked warehouse, the next clients' rows go pending at once

    t0 = time.perf_counter()
    results: dict[str, dict] = {}

    def collect_one(r: dict) -> ClientOutcome:
        if str(r.get("error") or "").startswith("worker crashed") and r.get("folder") is None:
            r = {**r, **_publish_crash(out, r["client"], period, start, end, r["error"])}
        said = r.get("said")
        if "crash" in r:         # the worker died: said in the batch's language
            said = failure_said("worker crashed", r["crash"], said_in)
            said = said if r["published"] else text("audit.outcome.not_published", said_in, error=said)
        o = ClientOutcome(r["client"], r["status"], r["duration_s"], r.get("error"), r.get("period"),
                          r.get("folder"), r.get("notebooks") or [], said or line_said(r.get("error"), said_in))
        if wh_path is not None and r.get("kpi_rows"):
            step = wh.store(wh_path, pd.DataFrame.from_records(r["kpi_rows"]), audit_status=r["status"],
                            audited_at=r.get("started_at"), wait_s=0 if busy else None, locale=said_in)
            if step["status"] == "pending":
                busy.append(o.client)
            if step["status"] != "ok":   # rows kept in <warehouse>.pending/ (or lost: failed)
                o.error = o.error or f"warehouse: {step['reason']}"
                o.said = o.said or failure_said("warehouse", step.get("said") or step["reason"], said_in)
                if step["status"] == "failed":
                    o.status = "failed"
        results[o.client] = r
        return o

    outcomes: dict[str, ClientOutcome] = {}
    if scheduler is not None:
        n_workers, backend = 0, "dask"
        outcomes = _run_dask(jobs, scheduler, collect_one, progress, console, said_in)
    else:
        n_workers = max(1, min(workers or (os.cpu_count() or 1), len(jobs)))
        backend = "processes"
        ctx = mp.get_context("spawn")
        with _Bars(len(jobs), progress, console, said_in) as bars:
            manager = ctx.Manager() if progress else None
            queue = manager.Queue() if manager else None
            stop = threading.Event()
            pump = threading.Thread(target=_pump, args=(queue, bars, stop), daemon=True) if queue else None
            if pump:
                pump.start()
            try:
                broken = _run_pool(jobs, n_workers, ctx, queue, collect_one, outcomes, bars)
                # A worker that dies (killed, out of memory) breaks the whole pool: every audit
                # still running or queued gets BrokenProcessPool. Those are re-run, each in a fresh
                # single-worker pool of its own, so only the culprit ends as "worker crashed".
                if broken:
                    from concurrent.futures import ThreadPoolExecutor

                    with ThreadPoolExecutor(max_workers=n_workers) as threads:
                        list(threads.map(lambda job: _run_pool([job], 1, ctx, queue, collect_one, outcomes,
                                                               bars, retry=True), broken))
            finally:
                stop.set()
                if pump:
                    pump.join(timeout=5)
                if manager:
                    manager.shutdown()
    ordered = [outcomes[c] for c in names if c in outcomes]
    return BatchResult(ordered, time.perf_counter() - t0, n_workers, backend, said_in)


def _publish_crash(out: Path, client: str, period, start, end, error: str) -> dict:
    """From the parent, publish a failed audit (manifest only) for a client whose worker died,
    so the reports folder says what happened instead of showing an older audit as current.
    Best effort: returns ``{"period", "folder"}`` when published, ``{}`` otherwise."""
    from cxtoolkit.audit.manifest import environment, now_iso
    from cxtoolkit.audit.params import parse_period
    from cxtoolkit.audit.runner import publish_manifest_only

    per = parse_period(period, start, end)
    dest = Path(out) / client / per.label
    manifest = {"client": client, "period": per.label, "period_start": per.start or None,
                "period_end": per.end or None, "status": "failed", "error": error, "published": True,
                "finished_at": now_iso(), "folder": str(dest), **environment(),
                "notebooks": [], "steps": {}, "kpi_summary": {}, "outputs": []}
    if not publish_manifest_only(dest, manifest):
        return {}
    return {"period": per.label, "folder": str(dest)}


def _run_pool(jobs: list[dict], n_workers: int, ctx, queue, collect_one, outcomes: dict, bars,
              retry: bool = False) -> list[dict]:
    """Run ``jobs`` on a process pool; return the jobs lost to a broken pool (not retried
    when ``retry``: they are then recorded as ``worker crashed``)."""
    from concurrent.futures.process import BrokenProcessPool

    broken: list[dict] = []
    with ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx, initializer=die_with_parent,
                             initargs=(os.getpid(),)) as pool:   # workers die with the batch
        futs = {pool.submit(audit_job, j, queue): j for j in jobs}
        for fut in as_completed(futs):
            job = futs[fut]
            client = job["client"]
            try:
                r = fut.result()
            except BrokenProcessPool as exc:
                if not retry and len(jobs) > 1:
                    broken.append(job)
                    continue
                r = _crashed(client, exc, published=False)
            except BaseException as exc:  # noqa: BLE001 - a worker died
                r = _crashed(client, exc)
            o = collect_one(r)
            outcomes[client] = o
            bars.client_done(o)
    return broken


def _crashed(client: str, exc: BaseException, published: bool = True) -> dict:
    """The outcome of an audit whose worker died (the parent publishes its failure, unless
    ``published`` is False: the audit is to be re-run)."""
    note = "" if published else " (audit not published; re-run it)"
    return {"client": client, "status": "failed", "duration_s": 0.0,
            "error": f"worker crashed: {first_line(exc)}{note}", "crash": first_line(exc), "published": published}


def _run_dask(jobs: list[dict], scheduler, collect_one, progress: bool, console,
              locale: str | None = None) -> dict[str, ClientOutcome]:
    try:
        from dask.distributed import Client
        from dask.distributed import as_completed as dask_completed
    except ImportError:
        raise InputError("error.audit.dask_installed_install") from None

    own = isinstance(scheduler, str)
    client = Client(scheduler) if own else (scheduler if isinstance(scheduler, Client) else Client(scheduler))
    outcomes: dict[str, ClientOutcome] = {}
    try:
        with _Bars(len(jobs), progress, console, locale) as bars:
            futs = {}
            for j in jobs:
                f = client.submit(audit_job, j, None, pure=False, key=f"audit-{j['client']}-{time.time_ns()}")
                futs[f.key] = (f, j["client"])
            for fut in dask_completed([f for f, _ in futs.values()]):
                name = futs[fut.key][1]
                try:
                    r = fut.result()
                except BaseException as exc:  # noqa: BLE001 - a worker died
                    r = _crashed(name, exc)
                o = collect_one(r)
                outcomes[name] = o
                bars.client_done(o)
    finally:
        if own or not isinstance(scheduler, Client):
            client.close()
    return outcomes


def batch_locale(names: list[str], client_data: Path | str | None = None, option: str | None = None) -> str:
    """``fr`` or ``en``: the language of a batch's progress and summary: ``option``
    (``--locale``), else the clients' when they all say the same in their client.yml, else the
    environment's (:func:`cxtoolkit.messages.command_locale`). A client.yml that cannot be
    read counts for none (its audit says why).
    """
    if option in CLIENT_LOCALES:
        return option
    seen = set()
    for c in names:
        try:
            seen.add(load_client(c, client_data).locale)
        except InputError:
            continue
    forget_client_locale()       # read for the summary only: the next error follows the rule
    return command_locale(None, client=seen.pop() if len(seen) == 1 else "")


def _status(status: str, locale: str | None) -> str:
    key = f"cli.progress.status.{status}"
    return text(key, locale) if has(key) else status


def summary_table(result: BatchResult, locale: str | None = None):
    """A rich Table: client, status, duration, error's first line, folder; in ``locale``
    (default: the batch's, :func:`batch_locale`), each error as its audit said it (in another
    locale than the batch's, the manifest's English line)."""
    from rich.markup import escape
    from rich.table import Table

    from cxtoolkit.rules import format_value

    loc = locale or result.locale
    t = Table(title=text("audit.outcome.batch.title", loc, ok=len(result.outcomes) - len(result.failed),
                         failed=len(result.failed), duration=format_value(result.duration_s, "number", loc),
                         backend=text(f"audit.outcome.batch.backend.{result.backend}", loc)))
    for col in ("client", "status", "duration", "error", "folder"):
        t.add_column(text(f"audit.outcome.batch.{col}", loc))
    for o in result.outcomes:
        style = "green" if o.status == "ok" else "red"
        t.add_row(o.client, f"[{style}]{_status(o.status, loc)}[/{style}]", format_value(o.duration_s, "number", loc),
                  escape((o.said if loc == result.locale else None) or o.error or ""), o.folder or "")
    return t
