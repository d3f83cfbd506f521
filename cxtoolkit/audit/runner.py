"""Run one client audit: the notebook suite with Papermill, then publish the reports.

:func:`run_audit` executes the client's notebooks (default order ``kpis, journey,
verbatims, quality, roi`` — the packaged notebooks or the house ones; client.yml ``notebooks:``
may choose) through Papermill's Python API, passing only the standard parameters each
notebook declares (validated first), with a time limit per notebook and
``PLOTLY_RENDERER=plotly_mimetype+notebook`` in the kernel's environment so charts
reach the HTML. It then writes, into ``reports/<client>/<period>/`` (``reports/`` of the
working folder by default, see :mod:`cxtoolkit.workspace`):

* ``notebooks/<name>.ipynb`` — the executed notebooks (a failed one keeps its error);
* ``<name>.html`` — one code-free, self-contained report per notebook;
* ``index.html`` — links, status per notebook, KPI summary, changes since last audit;
* ``kpis.xlsx`` — the KPI workbook; ``audit_deck.pptx`` — the audit deck (native charts);
* ``rejects.csv`` — rows the ingestion refused; ``manifest.json``.

Publishing is atomic: everything is built in a hidden sibling folder
(``.<period>.tmp-<id>``), then the old audit is renamed away, the new one renamed in and
the old one deleted. A half-written audit is never visible under the final name; a failed
audit is still published, with ``"status": "failed"`` in its manifest.

Examples
--------
>>> resolve_notebooks(["kpis", "roi"], notebook_dir="/nonexistent")[0]["status"]
'skipped'
"""
from __future__ import annotations

import errno
import math
import multiprocessing as mp
import os
import shutil
import time
import uuid
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from cxtoolkit.audit import collect, history as hist, kernels
from cxtoolkit.audit.execute import (  # noqa: F401 - execute_notebook: re-exported
    DEFAULT_TIMEOUT, execute_notebook, kernel_env as _kernel_env, run_notebook as _run_notebook, start_worker,
    warm_up)
from cxtoolkit.audit.export import notebook_to_html
from cxtoolkit.audit.index import period_label, render_index
from cxtoolkit.audit.manifest import environment, file_entry, now_iso, output_entries, write_manifest
from cxtoolkit.audit.params import NotebookParams, Period, parse_period, select_params, validate_params
from cxtoolkit.config import ClientConfig, load_client
from cxtoolkit.envvars import ENV_AUDIT_LOCALE
from cxtoolkit.errors import InputError
from cxtoolkit.io.cache import ENV_CACHE_DIR, clean_stale as clean_stale_caches, create_private as create_cache
from cxtoolkit.io.export import neutralise_formulas, write_csv
from cxtoolkit.io.results import pending_marker
from cxtoolkit.io.locks import exclusive, release
from cxtoolkit.kpis.registry import TREND_KPIS
from cxtoolkit.messages import client_locale, text
from cxtoolkit.report.pages import page_title  # noqa: F401 - re-exported (audit pages, index)
from cxtoolkit.report.tables import skip_reason
from cxtoolkit.workspace import find_notebook, reports_dir

DEFAULT_ORDER = ("kpis", "journey", "verbatims", "quality", "roi")
KERNEL = kernels.KERNEL
KERNEL_ENV = kernels.KERNEL_ENV
#: The audit's results set, in the audit folder (cxtoolkit.pipeline.store)
RESULTS_DIR = "results"


def download_label(what: str, locale: str | None, **values) -> str:
    """The label of a download on the index page (``report.index.download.<what>``).

    >>> download_label("rejects", "fr", n=3)
    'Lignes rejetées (3)'
    """
    return text(f"report.index.download.{what}", client_locale(locale), **values)


Progress = Callable[[dict], None]
#: errors of the disk itself (full, quota, read-only, I/O): the audit cannot be published
DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO})


@dataclass
class NotebookResult:
    """Outcome of one notebook of an audit (paths relative to the audit folder)."""

    name: str
    status: str                      # ok | failed | skipped
    duration_s: float | None = None
    error: str | None = None         # first line of the error
    source: str | None = None
    executed: str | None = None      # notebooks/<name>.ipynb
    html: str | None = None          # <name>.html
    parameters: dict = field(default_factory=dict)
    execute_s: float | None = None   # time inside papermill (kernel start + cells)
    export_s: float | None = None    # time to export the HTML
    started_at: str | None = None    # when its kernel was asked to start (ISO 8601)
    finished_at: str | None = None   # when its HTML report was written
    reason: str | None = None        # why it was skipped (no notebook file, no data)
    #: ``error`` said in the audit's language when it is an input error raised in the kernel
    #: (:func:`cxtoolkit.audit.kernels.show_error`); ``error`` stays the English line
    said: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "said" or v}


@dataclass
class AuditResult:
    """What :func:`run_audit` returns."""

    client: str
    period: str
    status: str                      # ok | failed
    folder: Path
    manifest: dict
    notebooks: list[NotebookResult]
    kpi_summary: dict
    kpi_rows: pd.DataFrame | None = None
    duration_s: float = 0.0

    @property
    def error(self) -> str | None:
        """First line of the first error (notebook or step), None when ok."""
        if self.manifest.get("error"):
            return self.manifest["error"]
        for nb in self.notebooks:
            if nb.status == "failed":
                return f"{nb.name}: {nb.error}"
        for name, st in self.manifest.get("steps", {}).items():
            if st.get("status") == "failed":
                return f"{name}: {st.get('reason')}"
        return None

    def error_said(self, locale: str | None) -> str | None:
        """:attr:`error` said in ``locale`` (:func:`cxtoolkit.audit.collect.failure_said`: what
        failed in the locale, the error's text as it is, an input error of the client's files
        as the audit said it, :func:`said_error`); in English, :attr:`error` but for that."""
        if self.manifest.get("error"):
            return collect.line_said(self.manifest["error"], locale)
        steps = self.manifest.get("steps", {})
        for nb in self.notebooks:
            if nb.status == "failed":
                return collect.failure_said(nb.name, notebook_said(nb, steps, locale), locale, notebook=True)
        for name, st in steps.items():
            if st.get("status") == "failed":
                return collect.failure_said(name, said_error(st.get("reason"), steps), locale)
        return None




@dataclass
class AuditRun:
    """One audit being built: what :func:`run_audit` resolved, and the resources of the build
    (set by :func:`_build`)."""

    cfg: ClientConfig
    period: Period
    params: NotebookParams           # the standard notebook parameters (validated)
    notebooks: list[dict]            # resolve_notebooks(...)
    tmp: Path                        # the hidden build folder
    dest: Path                       # the published folder
    timeout: float
    emit: Progress
    warehouse: Path | None
    history: pd.DataFrame | None
    started_at: str
    t_start: float
    jobs: int = 1
    pool: object = None              # notebook executor (_notebook_pool)
    n_jobs: int = 1
    cache: str = ""                  # the parsed-table cache folder of the kernels


def resolve_notebooks(names=None, notebook_dir: Path | str | None = None) -> list[dict]:
    """Which notebooks to run: ``[{"name", "path", "status", "reason"}]`` in order.

    ``names`` may hold notebook names (looked up in ``notebook_dir``, by default with
    :func:`cxtoolkit.workspace.find_notebook`) or paths to
    ``.ipynb`` files. Without names: :data:`DEFAULT_ORDER`, then any other notebook of
    the folder is *not* added (the suite is explicit). A missing notebook is ``skipped``.
    """
    nb_dir = Path(notebook_dir) if notebook_dir else None
    out = []
    for item in (names or DEFAULT_ORDER):
        item = str(item)
        p = Path(item)
        if p.suffix == ".ipynb":
            name, path = p.stem, p
        else:
            if not all(ch.isalnum() or ch in "_-" for ch in item):
                raise InputError("error.audit.use_letters_digits", item=repr(item))
            name, path = item, (nb_dir / f"{item}.ipynb" if nb_dir else find_notebook(item))
        if any(o["name"] == name for o in out):
            raise InputError("error.audit.notebook_listed_twice", name=repr(name))
        if path.is_file():
            out.append({"name": name, "path": path.resolve(), "status": "pending", "reason": ""})
        else:
            out.append({"name": name, "path": path, "status": "skipped",
                        "reason": f"{path.name} not found in {path.parent}"})
    return out


def skip_without_data(nb_list: list[dict], cfg: ClientConfig, data=None) -> list[dict]:
    """``nb_list`` with the notebooks whose data the client lacks marked ``skipped`` and
    the reason (partial data is normal: an audit of a client with only daily reports runs
    the KPI and ROI notebooks and skips the others).

    The needs of each standard notebook are those of its page
    (:data:`cxtoolkit.needs.PAGE_NEEDS`, read by the apps too); ``data`` is the audit's loaded
    :class:`~cxtoolkit.io.ClientData` (rows in the period), or None when it could not be
    loaded: the tables declared in client.yml then count as present (a notebook on a file
    that cannot be read still runs, and fails).

    >>> from cxtoolkit.config import ClientConfig
    >>> nbs = [{"name": n, "path": None, "status": "pending", "reason": ""} for n in ("kpis", "journey", "roi")]
    >>> [(n["name"], n["status"], n["reason"]) for n in skip_without_data(
    ...     nbs, ClientConfig(client="acme", data={"daily_reports": "daily.csv"}))]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('kpis', 'pending', ''), ('journey', 'skipped', 'no responses data (client.yml data.responses)'),
     ('roi', 'pending', '')]
    """
    from cxtoolkit.config import TABLES
    from cxtoolkit.needs import PAGE_NEEDS

    if data is not None:
        rows = {t: None if getattr(data, t, None) is None else len(getattr(data, t)) for t in TABLES}
    else:
        rows = {t: -1 if t in cfg.data else None for t in TABLES}   # -1: declared, not loaded
    out = []
    for nb in nb_list:
        needs = PAGE_NEEDS.get(nb["name"])
        why = needs.missing_data(rows) if needs is not None and nb["status"] != "skipped" else ""
        out.append({**nb, "status": "skipped", "reason": why} if why else nb)
    return out


def declared_parameters(path: Path | str) -> set[str]:
    """Names the notebook's ``parameters`` cell declares.

    Papermill's ``inspect_notebook`` skips lines it cannot parse (e.g. a ``# help`` comment
    holding ``=``), so the cell is also read with :mod:`ast`: every top-level assigned name
    counts. Nothing is executed.
    """
    import ast

    import nbformat
    import papermill as pm

    names: set[str] = set()
    try:
        names |= set(pm.inspect_notebook(str(path)))
    except Exception:  # noqa: BLE001 - fall back on the AST reading below
        pass
    nb = nbformat.read(str(path), as_version=4)
    cell = next((c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])), None)
    if cell is not None:
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            return names
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
                if isinstance(node, ast.AnnAssign) else []
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def default_jobs() -> int:
    """Notebooks of one audit run side by side: ``$CXTOOLKIT_AUDIT_JOBS``, else 2 on a
    machine with 2 or more CPUs. Always 1 inside a daemonic process (a Dask worker), which
    may not start children."""
    if mp.current_process().daemon:
        return 1
    env = os.environ.get("CXTOOLKIT_AUDIT_JOBS", "").strip()
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            raise InputError("error.audit.expected_whole_number", env=repr(env)) from None
    return max(1, min(2, os.cpu_count() or 1))


class _Inline:
    """An executor that runs each job at once in this process (one notebook at a time),
    in this process' started-ahead kernel."""

    def __init__(self, env: dict[str, str] | None = None):
        kernels.open_kernel(env)

    def submit(self, fn, *args, **kwargs) -> Future:
        fut: Future = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - kept in the future like a pool would
            fut.set_exception(exc)
        return fut

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        kernels.close_kernel()


def _notebook_pool(n: int, env: dict[str, str] | None = None):
    """A spawn process pool of ``n`` notebook workers (papermill's ``cwd`` and the
    kernel environment are process-wide, so two notebooks never run in one process at
    once), or :class:`_Inline` for one. Each worker (or this process) starts its kernel at
    once, with ``env``, and reuses it for its notebooks (:mod:`cxtoolkit.audit.kernels`)."""
    if n <= 1:
        return _Inline(env)
    pool = ProcessPoolExecutor(max_workers=n, mp_context=mp.get_context("spawn"),
                               initializer=start_worker, initargs=(os.getpid(), env or {}))
    for _ in range(n):
        pool.submit(warm_up)
    return pool


def _deck(cfg: ClientConfig, results, folder: Path,
          scrub: Callable[[str], str] | None = None) -> tuple[dict, str | None]:
    """The audit deck (``audit_deck.pptx``, native charts): the audit's results set
    (:class:`cxtoolkit.pipeline.results.AuditResults`) rendered by :mod:`cxtoolkit.report.audit_deck`."""
    try:
        from cxtoolkit.report import audit_deck

        template = cfg.deck_template_path()
        path = audit_deck.export(results, folder / "audit_deck.pptx", template=template, scrub=scrub)
        return {"status": "ok", "reason": ""}, path.name
    except Exception as exc:  # noqa: BLE001
        return {"status": "failed", "reason": collect.first_line(exc)}, None


def _inputs(cfg: ClientConfig, notebooks: list[dict]) -> list[dict]:
    folder = cfg.folder
    entries = [file_entry(folder / "client.yml", folder, role="client.yml")]
    for table in sorted(cfg.data):
        rel = cfg.data_file(table)
        try:
            p = cfg.data_path(table)
        except InputError as exc:
            entries.append({"path": rel, "role": table, "error": str(exc)})
            continue
        entries.append(file_entry(p, folder, role=table) if p.is_relative_to(folder)
                       else {"path": rel, "role": table, **{k: v for k, v in file_entry(p).items() if k != "path"}})
    for nb in notebooks:
        if nb["status"] != "skipped":
            e = file_entry(nb["path"])
            e["role"] = f"notebook:{nb['name']}"
            entries.append(e)
    return entries


def _clean_stale(parent: Path, label: str) -> None:
    """Remove leftovers of interrupted runs of the same audit (``.<label>.tmp-*`` / ``.old-*``)."""
    if not parent.is_dir():
        return
    for p in parent.glob(f".{label}.*"):
        if p.is_dir() and (".tmp-" in p.name or ".old-" in p.name):
            shutil.rmtree(p, ignore_errors=True)


def publish(tmp: Path, dest: Path) -> Path:
    """Swap ``tmp`` in as ``dest``: rename the old audit away, rename the new one in,
    delete the old one. Both live in the same folder, so each rename is atomic."""
    old = None
    if dest.exists():
        old = dest.with_name(f".{dest.name}.old-{uuid.uuid4().hex[:8]}")
        os.rename(dest, old)
    try:
        os.rename(tmp, dest)
    except OSError:
        if old is not None:
            os.rename(old, dest)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return dest


def _history_view(rows: pd.DataFrame, history: pd.DataFrame | None, client: str, period: Period):
    """(previous period, what changed, trend) for the index page."""
    past = history if history is not None else pd.DataFrame(columns=rows.columns)
    if not past.empty:
        past = past[~((past["client"] == client) & (past["period"] == period.label))]
    allrows = pd.concat([d for d in (past, rows) if not d.empty], ignore_index=True) \
        if not (past.empty and rows.empty) else rows
    prev = hist.previous_period(allrows, client, period.label) if not allrows.empty else None
    changes = None
    if prev is not None and not rows.empty:
        changes = hist.what_changed(past[(past["client"] == client) & (past["period"] == prev)], rows)
    tr = hist.trend(allrows, client, TREND_KPIS) if not allrows.empty else None
    return prev, changes, tr


def check_isolation(cfg: ClientConfig, asked: str, client_data: Path | str | None, out: Path | str) -> None:
    """Refuse an audit that could read another client's folder or write among client data.

    * the client folder must be ``<client_data>/<slug>`` itself: its ``client.yml`` names the
      same slug as the folder (and as the slug asked for), and the folder is not a symlink
      to another client's folder;
    * the reports folder must not lie inside the client data folder (reports of one client
      would land among the raw files of another);
    * ``<out>/<slug>`` must not be a symlink to another place (e.g. another client's reports).

    Data files named in ``client.yml`` are kept inside the client folder by
    :meth:`ClientConfig.data_path` (``..``, absolute paths and symlinks pointing elsewhere
    are refused there).

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> check_isolation(ClientConfig(client="acme", folder=d / "beta"), "acme", d, d / "reports")
    Traceback (most recent call last):
    ...
    cxtoolkit.errors.InputError: client 'acme': its client.yml is in folder 'beta'; a client's folder must be named after its slug
    """
    folder = Path(cfg.folder).resolve()
    if folder.name != cfg.client:
        raise InputError("error.audit.client_yml_folder", client=repr(cfg.client), name=repr(folder.name))
    if not str(asked).endswith((".yml", ".yaml")) and Path(str(asked)).name != cfg.client:
        raise InputError("error.audit.folder_found_holds", asked=repr(asked), client=repr(cfg.client))
    if client_data and not str(asked).endswith((".yml", ".yaml")) and \
            folder.parent != Path(client_data).resolve():
        raise InputError("error.audit.folder_directly_under",
                         asked=repr(asked),
                         folder=folder,
                         value=Path(client_data).resolve())
    data_root = folder.parent
    out_r = Path(out).resolve()
    if out_r == data_root or data_root in out_r.parents or out_r == folder:
        raise InputError("error.audit.inside_client_data", out=out, data_root=data_root)
    mine = Path(out) / cfg.client
    if mine.is_symlink() or (mine.exists() and mine.resolve() != out_r / cfg.client):
        raise InputError("error.audit.link_client_reports", out=out, mine=mine, value=mine.resolve())


class _PrivacyGuard:
    """Last check before publication: personal data masked and customer ids pseudonymised
    in notebook outputs, error messages, CSV exports and the rejects file
    (see :mod:`cxtoolkit.privacy`)."""

    def __init__(self, ids: frozenset[str]):
        self.ids = ids
        self._key: bytes | None = None

    @classmethod
    def of(cls, views: collect.KpiViews) -> "_PrivacyGuard":
        from cxtoolkit import privacy

        data = views.data
        frames = [getattr(data, t, None) for t in ("contacts", "responses", "sends")] if data is not None else []
        return cls(privacy.customer_ids(*frames))

    @property
    def key(self) -> bytes:
        if self._key is None:
            from cxtoolkit.privacy import pseudonym_key

            self._key = pseudonym_key()
        return self._key

    def text(self, text: str | None) -> str | None:
        from cxtoolkit.privacy import scrub_text

        return scrub_text(text, self.ids, self.key if self.ids else None) if text else text

    def rejects(self, rejects: pd.DataFrame) -> pd.DataFrame:
        from cxtoolkit.privacy import mask_rejects

        needs_key = rejects is not None and "column" in rejects.columns and \
            bool(rejects["column"].astype("string").isin(["customer_id"]).any())
        return mask_rejects(rejects, key=self.key if needs_key or self.ids else None, ids=self.ids)

    def notebook(self, path: Path):
        """Scrub an executed notebook in place (written back only when something changed);
        returns the scrubbed notebook (read once for the scrub and the HTML export)."""
        import nbformat

        from cxtoolkit.privacy import scrub_notebook

        nb = nbformat.read(str(path), as_version=4)
        clean = scrub_notebook(nb, self.ids, self.key if self.ids else None)
        if clean != nb:
            nbformat.write(clean, str(path))
        return clean

    def frames(self, dfs: list[pd.DataFrame]) -> list[pd.DataFrame]:
        """Results frames safe to publish (:func:`cxtoolkit.privacy.scrub_frames` on their
        text columns, the texts of list cells included: every column of every frame in one
        pass); a column nothing changed in is kept as is."""
        from cxtoolkit.privacy import scrub_frames

        key = self.key if self.ids else None
        cols = [(i, c) for i, df in enumerate(dfs) for c in df.columns
                if df[c].dtype == object or isinstance(df[c].dtype, pd.StringDtype)]
        flags, texts = [], []
        for i, c in cols:
            col = dfs[i][c]
            lists = col.map(lambda v: isinstance(v, (list, tuple))).to_numpy(dtype=bool)
            flat = [x for v in col[lists] for x in v] if lists.any() else col.tolist()
            flags.append(lists)
            texts.append(pd.DataFrame({c: pd.Series(flat, dtype=object)}))
        outs = list(dfs)
        for (i, c), lists, text, clean in zip(cols, flags, texts, scrub_frames(texts, self.ids, key)):
            clean = clean[c]
            if clean.astype("string").equals(text[c].astype("string")):
                continue
            df = dfs[i]
            if lists.any():
                it = iter(clean.tolist())
                new = [[next(it) for _ in v] if is_list else v for v, is_list in zip(df[c], lists)]
            else:
                new = clean.tolist()
            outs[i] = outs[i].copy() if outs[i] is df else outs[i]
            outs[i][c] = pd.Series(new, index=df.index, dtype=object)
        return outs

    def frame(self, df: pd.DataFrame) -> pd.DataFrame:
        """One results frame safe to publish (:meth:`frames`)."""
        return self.frames([df])[0]

    def csv_exports(self, folder: Path) -> None:
        """Scrub the text columns of the CSV files the notebooks exported (numbers untouched):
        personal data masked, ids pseudonymised, formulas neutralised with a leading ``'``
        (see :func:`cxtoolkit.privacy.scrub_frame`; the tables of every file in one pass)."""
        from cxtoolkit import privacy

        tables = []                               # (path, encoding, table as read)
        for p in sorted(folder.glob("*.csv")):
            if p.name == "rejects.csv":
                continue
            raw = p.read_bytes()
            enc = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
            try:
                df = pd.read_csv(p, dtype="string", keep_default_na=False, encoding=enc)
            except Exception:  # noqa: BLE001 - not a table: scrub it as text
                text = raw.decode(enc, errors="replace")
                clean = self.text(text)
                if clean != text:
                    p.write_text(clean, encoding=enc)
                continue
            tables.append((p, enc, df))
        clean = privacy.scrub_frames([df for _, _, df in tables], self.ids, self.key if self.ids else None)
        for (p, enc, df), out in zip(tables, clean):
            out = neutralise_formulas(out)          # formula injection; numbers are never quoted
            if not out.equals(df):
                out.to_csv(p, index=False, encoding=enc)


def _publish_failure(cfg: ClientConfig, per: Period, dest: Path, params, timeout: float, started_at: str,
                     t_start: float, error: str) -> AuditResult:
    """Publish a failed audit holding only its manifest (best effort: when even that cannot
    be written, the previous audit stays in place and the result says ``published: False``)."""
    duration = time.perf_counter() - t_start
    manifest = {"client": cfg.client, "client_name": cfg.name, "period": per.label,
                "period_start": per.start or None, "period_end": per.end or None,
                "status": "failed", "error": error, "published": True,
                "started_at": started_at, "finished_at": now_iso(), "duration_s": round(duration, 3),
                "folder": str(dest), **environment(),
                "parameters": {**params.model_dump(), "out_dir": "<audit folder>",
                               "results_dir": f"<audit folder>/{RESULTS_DIR}", "timeout_s": timeout},
                "notebooks": [], "steps": {}, "kpi_summary": {}, "outputs": []}
    manifest["published"] = publish_manifest_only(dest, manifest)
    return AuditResult(cfg.client, per.label, "failed", dest, manifest, [], {}, None, duration)


def _load_meta(data, guard: "_PrivacyGuard") -> dict:
    """The ``"meta"`` every ``--json`` carries (:meth:`cxtoolkit.io.ClientData.meta`), its
    warnings through the privacy guard; empty when no data was loaded."""
    meta = data.meta() if data is not None else {"tables": {}, "warnings": []}
    return {**meta, "warnings": [guard.text(w) for w in meta.get("warnings", [])]}


def publish_manifest_only(dest: Path, manifest: dict) -> bool:
    """Publish an audit folder holding only ``manifest`` (a failure that produced nothing
    else), atomically like a full audit. False when even that cannot be written (the
    previous audit then stays as it was)."""
    tmp = dest.with_name(f".{dest.name}.tmp-{uuid.uuid4().hex[:8]}")
    try:
        tmp.mkdir(parents=True)
        write_manifest(tmp, manifest)
        publish(tmp, dest)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        return False
    return True


def run_audit(client: str, period: str | None = None, start: str | None = None, end: str | None = None,
              client_data: Path | str | None = None, out: Path | str | None = None,
              timeout: float = DEFAULT_TIMEOUT, notebooks=None, progress: Progress | None = None, *,
              notebook_dir: Path | str | None = None, segment: str = "", locale: str = "",
              warehouse: Path | str | bool | None = None, history: pd.DataFrame | None = None,
              jobs: int | None = None) -> AuditResult:
    """Run the audit of ``client`` for a period and publish it under ``out/<client>/<period>/``.

    Parameters
    ----------
    client : slug of a folder under ``client_data`` (or a path to its client.yml).
    period : ``YYYY-MM``, ``YYYY-Qn`` or ``YYYY``; or ``start``/``end`` ISO dates; none = all data.
    client_data : folder of client folders (default: ``$CXTOOLKIT_CLIENT_DATA`` or ``./client_data``).
    out : reports folder (default ``./reports``).
    timeout : seconds allowed per notebook.
    notebooks : names or .ipynb paths; default client.yml ``notebooks:``, else the standard suite.
    progress : callable receiving event dicts (``audit_start``, ``notebook_start``,
        ``notebook_end``, ``audit_end``).
    notebook_dir : where notebook names are looked up (default: the working folder's house
        notebooks of ``cxtoolkit.yml``, then the packaged ones; see :mod:`cxtoolkit.workspace`).
    warehouse : DuckDB file of the audit history (default ``out/warehouse.duckdb``);
        ``False`` to neither read nor write it (the batch runner writes from the parent).
    history : past KPI rows to compare with, instead of reading the warehouse.
    jobs : notebooks run side by side, each in its own process (default :func:`default_jobs`);
        1 runs them one after the other in this process.

    Returns
    -------
    AuditResult. Raises :class:`InputError` only for unusable arguments (unknown client,
    invalid period or parameters); notebook and data failures are published as ``failed``.

    Examples
    --------
    >>> run_audit("../x")
    Traceback (most recent call last):
    ...
    cxtoolkit.errors.InputError: client slug '../x' must match [a-z0-9-]+
    """
    t_start = time.perf_counter()
    started_at = now_iso()
    cfg = load_client(client, client_data)
    cfg.deck_template_path()          # a bad deck_template is a bad input: said before anything runs
    per = parse_period(period, start, end)
    client_data_dir = cfg.folder.parent
    out = Path(out) if out else reports_dir()
    check_isolation(cfg, str(client), client_data, out)
    wh_path = None if warehouse is False else Path(warehouse) if warehouse not in (None, True) \
        else out / "warehouse.duckdb"
    nb_list = resolve_notebooks(notebooks or cfg.notebooks, notebook_dir)
    dest = (out / cfg.client / per.label).resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    # one audit of a client and period at a time: a second one would delete the first one's
    # build folder (see _clean_stale) and publish over it. The lock dies with its process.
    with exclusive(dest.parent / f".{per.label}.lock", f"the audit of {cfg.client} {per.label}"):
        _clean_stale(dest.parent, per.label)
        tmp = dest.with_name(f".{per.label}.tmp-{uuid.uuid4().hex[:8]}")
        params = validate_params(client=cfg.client, client_data=str(client_data_dir), period_start=per.start,
                                 period_end=per.end, segment=segment or "", locale=locale or "",
                                 out_dir=str(tmp), results_dir=str(tmp / RESULTS_DIR))
        emit = progress or (lambda _e: None)
        emit({"event": "audit_start", "client": cfg.client, "period": per.label,
              "notebooks": [n["name"] for n in nb_list]})
        try:
            tmp.mkdir(parents=True)
            (tmp / "notebooks").mkdir()
            result = _build(AuditRun(cfg, per, params, nb_list, tmp, dest, timeout, emit, wh_path, history,
                                     started_at, t_start, default_jobs() if jobs is None else max(1, int(jobs))))
            publish(tmp, dest)
        except OSError as exc:
            # disk full, permission lost...: nothing half-written is published; a failed
            # manifest replaces the audit when it can still be written, else the previous
            # audit stays untouched under its name.
            shutil.rmtree(tmp, ignore_errors=True)
            result = _publish_failure(cfg, per, dest, params, timeout, started_at, t_start,
                                      f"publication: {collect.first_line(exc)}")
            emit({"event": "audit_end", "client": cfg.client, "period": per.label, "status": "failed",
                  "error": result.error})
            return result
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        if wh_path is not None and result.kpi_rows is not None and not result.kpi_rows.empty:
            from cxtoolkit.audit import warehouse as wh

            step = wh.store(wh_path, result.kpi_rows, audit_status=result.status, audited_at=started_at,
                            locale=locale or cfg.locale)
            if step["status"] != "ok":   # the report is fine; the manifest says where its rows wait
                result.manifest.setdefault("steps", {})["warehouse"] = step
                _rewrite_manifest(dest, result.manifest)
        emit({"event": "audit_end", "client": cfg.client, "period": per.label, "status": result.status,
              "error": result.error})
        return result


def said_error(error: str | None, steps: dict) -> str | None:
    """``error`` (a report's or a step's) as the audit's pages say it: the data step's input
    error in the audit's language (``steps["data"]["said"]``) when ``error`` is that error's
    English line (a report that failed on the same unreadable file); as it is otherwise."""
    data = steps.get("data") or {}
    return data["said"] if error and data.get("said") and error == data.get("reason") else error


def notebook_said(nb: NotebookResult, steps: dict, locale: str | None) -> str | None:
    """A report's error as the audit's pages and progress line say it in ``locale``: as its
    kernel said it (:attr:`NotebookResult.said`), else the audit's input error
    (:func:`said_error`), the part of the run that failed in ``locale``
    (:func:`cxtoolkit.audit.collect.part_said`).

    >>> notebook_said(NotebookResult("kpis", "failed", error="notebook worker: BrokenProcessPool: gone"), {}, "fr")
    'processus du rapport : BrokenProcessPool: gone'
    """
    return nb.said or collect.part_said(said_error(nb.error, steps), locale)


def _steps_said(steps: dict, locale: str | None) -> dict:
    """The audit's steps as its index page says them in ``locale``: an input error as the audit
    said it (:func:`said_error`), a reason for skipping from the catalogue
    (:func:`cxtoolkit.report.tables.skip_reason`); the manifest keeps the English lines.

    >>> _steps_said({"workbook": {"status": "skipped", "reason": "no KPI views"}}, "fr")
    {'workbook': {'status': 'skipped', 'reason': 'aucun KPI calculé'}}
    """
    def reason(st: dict) -> str | None:
        said = said_error(st.get("reason"), steps)
        return skip_reason(said, locale) if said and said == st.get("reason") else said

    return {name: {**st, "reason": reason(st)} if st.get("status") != "ok" else st
            for name, st in steps.items()}


def _rewrite_manifest(folder: Path, manifest: dict) -> None:
    """Replace a published audit's manifest atomically (best effort: the audit stays valid)."""
    tmp = folder / f".manifest-{uuid.uuid4().hex[:8]}"
    try:
        tmp.mkdir()
        os.replace(write_manifest(tmp, manifest), folder / "manifest.json")
    except OSError:
        pass
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def computes_live(nb: dict) -> bool:
    """Whether notebook ``nb`` (a :func:`resolve_notebooks` entry) may read the client files
    itself: every notebook but a page of the results set (a name of
    :data:`cxtoolkit.pipeline.produce.PAGE_PARAMS` whose ``parameters`` cell declares
    ``results_dir``), which renders the audit's ``results/`` and reads no data. A skipped
    notebook reads nothing.

    >>> computes_live({"name": "x", "status": "skipped", "declared": set()})
    False
    >>> computes_live({"name": "kpis", "status": "pending", "declared": {"client", "results_dir"}})
    False
    >>> computes_live({"name": "house", "status": "pending", "declared": {"client", "results_dir"}})
    True
    """
    from cxtoolkit.pipeline.produce import PAGE_PARAMS

    if nb["status"] == "skipped":
        return False
    declared = nb.get("declared")
    if declared is None:
        try:
            declared = declared_parameters(nb["path"])
        except Exception:  # noqa: BLE001 - unreadable: it fails later, reading nothing
            return False
    return nb["name"] not in PAGE_PARAMS or "results_dir" not in declared


def _build(run: AuditRun) -> AuditResult:
    # The client files are parsed once, here; the notebooks render the audit's results set
    # (results/). The parsed-table cache (cxtoolkit.io.cache) is made only for a notebook that
    # computes live (a house notebook: computes_live); without one no parsed raw data is
    # written to the temporary folder (the demo audit: ~0.25 s of digests and Parquet writes).
    # Caches of killed audits (raw client data) are removed first: their lock died with them.
    clean_stale_caches()
    for nb in run.notebooks:      # each parameters cell read once per audit (papermill + nbformat)
        if nb["status"] != "skipped" and "declared" not in nb:
            try:
                nb["declared"] = declared_parameters(nb["path"])
            except Exception:  # noqa: BLE001 - unreadable: read again, and reported, by _build_in
                pass
    alive = None
    if any(computes_live(nb) for nb in run.notebooks):
        cache_path, alive = create_cache()
        run.cache = str(cache_path)
    run.n_jobs = max(1, min(run.jobs, sum(nb["status"] != "skipped" for nb in run.notebooks)))
    try:
        run.pool = _notebook_pool(run.n_jobs)
        try:
            with _kernel_env({ENV_CACHE_DIR: run.cache}):     # "" : no cache, not an outer one
                return _build_in(run)
        finally:
            run.pool.shutdown(wait=True, cancel_futures=True)
    finally:
        if alive is not None:
            shutil.rmtree(run.cache, ignore_errors=True)
            release(alive)


def _build_in(run: AuditRun) -> AuditResult:
    from cxtoolkit import __version__
    from cxtoolkit.pipeline import store
    from cxtoolkit.pipeline.results import compute_results

    cfg, per, params, tmp, emit, pool = run.cfg, run.period, run.params, run.tmp, run.emit, run.pool
    steps: dict[str, dict] = {}
    # 1. data and KPI views (in this process, once)
    t = time.perf_counter()
    views = collect.compute_views(cfg, per.start, per.end, params.segment, locale=params.locale or None)
    guard = _PrivacyGuard.of(views)
    steps["data"] = {"status": views.status, "reason": guard.text(views.reason),
                     "duration_s": round(time.perf_counter() - t, 3),
                     **({"said": guard.text(views.said)} if views.said else {})}   # in the audit's language
    nb_list = skip_without_data(run.notebooks, cfg, views.data)

    # 2. history, then the results set: each result computed once, kept in results/ (with a
    #    pool, after the notebooks are submitted: their kernels start meanwhile and wait for
    #    results/ while results.pending exists, see cxtoolkit.io.results.wait_for_document)
    rows = collect.kpi_rows(views.views, cfg.client, per.label, cfg, per.start, per.end)
    history = run.history
    if history is None and run.warehouse is not None:
        from cxtoolkit.audit import warehouse as wh

        try:
            history = wh.read_history(run.warehouse, cfg.client)
            steps["history"] = {"status": "ok", "reason": ""}
        except Exception as exc:  # noqa: BLE001 - history is a nice-to-have on the index
            steps["history"] = {"status": "failed", "reason": collect.first_line(exc)}
            history = None
    prev, changes, trend = _history_view(rows, history, cfg.client, per)
    pending = pending_marker(tmp / RESULTS_DIR)

    def compute_and_keep():
        t = time.perf_counter()
        try:
            kept: list[str] = []

            def keep(r, name):          # each page as soon as it is ready: its notebook may start
                if not kept or kept[-1] != "failed":
                    try:
                        store.save_page(r, name, tmp / RESULTS_DIR, scrub=guard.frames)
                        kept.append(name)
                    except Exception as exc:  # noqa: BLE001 - reported below
                        if isinstance(exc, OSError) and exc.errno in DISK_ERRNOS:
                            raise
                        kept.append("failed")
                        steps["results"] = {"status": "failed", "reason": guard.text(collect.first_line(exc))}

            results = compute_results(cfg, views.data, per.label, views.views, locale=params.locale,
                                      segment=params.segment, start=per.start, end=per.end, changes=changes,
                                      previous_period=prev, data_reason=views.reason, on_page=keep)
            try:
                if "failed" in kept:
                    raise RuntimeError(steps["results"]["reason"])
                store.save(results, tmp / RESULTS_DIR, scrub=guard.frames, pages=False)
                steps["results"] = {"status": "ok", "reason": ""}
            except Exception as exc:  # noqa: BLE001 - the notebooks then compute live
                if isinstance(exc, OSError) and exc.errno in DISK_ERRNOS:
                    raise
                shutil.rmtree(tmp / RESULTS_DIR, ignore_errors=True)
                steps.setdefault("results", {"status": "failed", "reason": guard.text(collect.first_line(exc))})
        finally:
            pending.unlink(missing_ok=True)
        steps["results"]["duration_s"] = round(time.perf_counter() - t, 3)
        return results

    # 3. notebooks: submitted to the pool (or run at once with one job); each renders the
    #    results set and is scrubbed and exported to HTML here as it finishes
    done: dict[str, NotebookResult] = {}
    loc = params.locale or cfg.locale        # the audit's language (compute_results' rule)
    meta = {"client_name": cfg.name or cfg.client, "period": period_label(per.label, loc), "version": __version__}
    env = {"CXTOOLKIT_CLIENT_DATA": params.client_data, ENV_CACHE_DIR: run.cache,
           # an input error raised in a kernel said in the audit's language too (English: as it is)
           ENV_AUDIT_LOCALE: "" if client_locale(loc) == "en" else client_locale(loc)}
    hidden = {"out_dir": "<audit folder>", "results_dir": f"<audit folder>/{RESULTS_DIR}"}

    def finish(name: str, nb: dict, passed: dict, fut: Future, t0: float) -> None:
        executed = tmp / "notebooks" / f"{name}.ipynb"
        try:
            status, error, exec_s, started_at = fut.result()
        except Exception as exc:  # noqa: BLE001 - a notebook worker that died
            status, error, exec_s, started_at = "failed", f"notebook worker: {collect.first_line(exc)}", None, None
            if not executed.is_file():
                shutil.copyfile(nb["path"], executed)
        error = guard.text(error)
        said_in_kernel = guard.text(kernels.said_of(executed)) if status == "failed" else None
        said = notebook_said(NotebookResult(name, status, error=error, said=said_in_kernel), steps, loc)
        html_rel = None
        t1 = time.perf_counter()
        try:
            notebook_to_html(guard.notebook(executed), tmp / f"{name}.html", title=page_title(name, loc), meta=meta,
                             locale=loc,
                             failed=said if status == "failed" else None)
            html_rel = f"{name}.html"
        except Exception as exc:  # noqa: BLE001
            if isinstance(exc, OSError) and exc.errno in DISK_ERRNOS:
                raise  # the disk, not the notebook: the whole audit is not publishable
            if status == "ok":
                status, error = "failed", f"HTML export: {guard.text(collect.first_line(exc))}"
        export_s = time.perf_counter() - t1
        shown = {k: hidden.get(k, v) for k, v in passed.items()}
        duration = (exec_s or 0.0) + export_s if exec_s is not None else time.perf_counter() - t0
        done[name] = NotebookResult(name, status, duration, error, str(nb["path"]),
                                       f"notebooks/{name}.ipynb", html_rel, shown, exec_s, export_s,
                                       started_at, now_iso("milliseconds"), said=said_in_kernel)
        emit({"event": "notebook_end", "client": cfg.client, "notebook": name, "status": status,
              "error": error, "said": notebook_said(done[name], steps, loc)})   # said: in the audit's language

    running = []
    inline = isinstance(pool, _Inline)
    if inline:                  # one notebook at a time, in this process: the results first
        results = compute_and_keep()
    else:
        pending.touch()
    t_notebooks = time.perf_counter()
    try:          # a waiting kernel is never left waiting: the marker goes with any failure
        for nb in nb_list:
            name = nb["name"]
            if nb["status"] == "skipped":
                done[name] = NotebookResult(name, "skipped", source=str(nb["path"]), reason=nb["reason"])
                emit({"event": "notebook_end", "client": cfg.client, "notebook": name, "status": "skipped",
                      "reason": nb["reason"]})
                continue
            try:
                declared = nb["declared"] if "declared" in nb else declared_parameters(nb["path"])
            except Exception as exc:  # noqa: BLE001 - unreadable notebook
                done[name] = NotebookResult(name, "failed", 0.0, guard.text(collect.first_line(exc)),
                                               str(nb["path"]))
                emit({"event": "notebook_end", "client": cfg.client, "notebook": name, "status": "failed"})
                continue
            passed = select_params(params, declared)
            emit({"event": "notebook_start", "client": cfg.client, "notebook": name})
            t0 = time.perf_counter()
            fut = pool.submit(_run_notebook, nb["path"], tmp / "notebooks" / f"{name}.ipynb", passed,
                              timeout=run.timeout, cwd=nb["path"].parent, env=env)
            if inline:
                finish(name, nb, passed, fut, t0)
            else:
                running.append((name, nb, passed, fut, t0))
    except BaseException:
        pending.unlink(missing_ok=True)
        raise
    if not inline:
        results = compute_and_keep()

    # 4. workbook, rejects, deck (from the results set, while the notebooks run)
    downloads: list[tuple[str, str]] = []
    t = time.perf_counter()
    sheets = {k: v for k, v in results.views.items() if k in collect.VIEWS}
    if sheets:
        try:
            from cxtoolkit.audit.workbook import write_workbook

            about = {"client": cfg.client, "name": cfg.name, "period": per.label,
                     "from": per.start or "—", "to": per.end or "—",
                     # in words, as the KPI page says it (a daily report's own service level too)
                     "service_level_formula": ((results.pages.get("kpis") or {}).get("service_level_words")
                                               or cfg.kpi.service_level_formula),
                     "service_level_s": cfg.kpi.service_level_s, "generated": run.started_at}
            write_workbook(sheets, tmp / "kpis.xlsx", targets=cfg.targets, about=about, locale=loc,
                           counts=results.rows_read)
            steps["workbook"] = {"status": "ok", "reason": ""}
            downloads.append((download_label("workbook", loc), "kpis.xlsx"))
        except Exception as exc:  # noqa: BLE001
            steps["workbook"] = {"status": "failed", "reason": guard.text(collect.first_line(exc))}
    else:
        steps["workbook"] = {"status": "skipped", "reason": views.reason or "no KPI views"}
    if views.rejects is not None:
        io = collect.optional_module("cxtoolkit.io")
        try:
            p = io.write_rejects(guard.rejects(views.rejects), tmp)
            steps["rejects"] = {"status": "ok", "reason": "", "rows": int(len(views.rejects)),
                                "warnings": [guard.text(w) for w in getattr(views.data, "warnings", ())]}
            downloads.append((download_label("rejects", loc, n=len(views.rejects)), Path(p).name))
        except Exception as exc:  # noqa: BLE001
            steps["rejects"] = {"status": "failed", "reason": guard.text(collect.first_line(exc))}
    steps["workbook"]["duration_s"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    steps["deck"], deck = _deck(cfg, results, tmp, scrub=guard.text)
    steps["deck"]["reason"] = guard.text(steps["deck"]["reason"])
    steps["deck"]["duration_s"] = round(time.perf_counter() - t, 3)
    if deck:
        downloads.append((download_label("deck", loc), deck))
    by_future = {item[3]: item for item in running}
    for fut in as_completed(by_future):       # export each notebook as soon as it is done
        finish(*by_future[fut])
    nb_results = [done[nb["name"]] for nb in nb_list]
    notebooks_wall = time.perf_counter() - t_notebooks
    guard.csv_exports(tmp)                    # after every notebook wrote its exports

    # 5. index
    failed = any(r.status == "failed" for r in nb_results) or any(
        s.get("status") == "failed" for k, s in steps.items() if k != "history")
    status = "failed" if failed else "ok"
    summary = collect.summary(results.views, cfg)
    finished_at = now_iso()
    duration = time.perf_counter() - run.t_start
    info = {"client": cfg.client, "client_name": cfg.name, "period": per.label, "status": status,
            "started_at": run.started_at, "duration_s": duration,
            "notebooks": [{**r.to_dict(), "title": page_title(r.name, loc), "error": notebook_said(r, steps, loc)}
                          for r in nb_results],
            "downloads": downloads + [(download_label("manifest", loc), "manifest.json")],
            "steps": _steps_said(steps, loc), "previous_period": prev, "data": results.rows_read}
    (tmp / "index.html").write_text(render_index(info, summary, changes, trend, locale=results.locale,
                                                 targets=cfg.targets), encoding="utf-8")
    if changes is not None and not changes.empty:
        write_csv(changes, tmp / "changes.csv")   # after the guard: neutralised here

    # 6. manifest (last: it lists every other output)
    manifest = {
        "client": cfg.client, "client_name": cfg.name, "period": per.label,
        "period_start": per.start or None, "period_end": per.end or None,
        "status": status, "started_at": run.started_at, "finished_at": finished_at,
        "duration_s": round(duration, 3), "folder": str(run.dest),
        **environment(),
        "parameters": {**params.model_dump(), **hidden, "timeout_s": run.timeout},
        "inputs": _inputs(cfg, nb_list),
        "notebooks": [r.to_dict() for r in nb_results],
        "notebook_jobs": run.n_jobs,
        "notebooks_wall_s": round(notebooks_wall, 3),
        "steps": steps,
        "kpi_summary": summary,
        "previous_period": prev,
        "meta": _load_meta(views.data, guard),
        "results": RESULTS_DIR if steps["results"]["status"] == "ok" else None,
        "outputs": output_entries(tmp),
    }
    write_manifest(tmp, manifest)
    return AuditResult(cfg.client, per.label, status, run.dest, manifest, nb_results, summary, rows, duration)
