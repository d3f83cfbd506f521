"""Serve an app notebook (``notebooks/<name>.ipynb``) with Voila on 127.0.0.1.

Sources stripped, the notebook's notes for the consultant (cells tagged
:data:`cxtoolkit.workspace.NOTES_TAG`) left out, no tracebacks shown to the browser, a pool
of preheated kernels (the notebook has already run when a visitor arrives; :data:`POOL_SIZE`),
no tree / file browser / terminals (a single notebook is served). The client is handed to the kernel
through the environment (``CXTOOLKIT_CLIENT``, ``CXTOOLKIT_CLIENT_DATA``), never through
URL query parameters.
A busy port is an error (Voila would silently take the next one).

Offline: Voila's ``lab`` page template links Font Awesome from a CDN (two ``<link>`` tags;
no Voila setting turns them off). :func:`offline_template` writes, next to the server's
ready file, a ``cxtoolkit-lab`` template — Voila's own ``lab`` ``index.html.j2`` with those
two links removed, everything else inherited — found through ``JUPYTER_PATH``; the page
then makes no external request (the apps use no Font Awesome icon).

Faster start: the same template asks the browser, from the page's head, to preload the lab
extensions' scripts (each ``remoteEntry`` and its chunks, plotly.js among them).
Voila only requests them once its own scripts have run (~1.2 s into the load), one after
the other; preloaded, they are fetched and parsed in parallel meanwhile (~0.3-0.5 s less
to the first widgets on screen).

One script instead of 72: Voila's page loads its own code as 72 small scripts (75 for the
apps with markdown), in two waves; each request costs the browser's main, network and page
processes CPU time (one page alone: 1.6 CPU-s instead of 2.1 until the headline). The same
template serves them concatenated as one script (:func:`voila_chunk_bundle`, the list
recorded in :func:`cxtoolkit.resources.voila_page_chunks`), loaded just before Voila's main
script, which then finds them already registered; a chunk missing from the list loads as
before. The head preloads only the lab extensions' chunks the page runs
(:func:`preloaded_chunks`: not the 0.63 MB of Voila's widget manager it never runs).
No animation while the page loads: Voila's spinner turns at 60 frames a second, ~0.1
CPU-s per second of each browser's compositor while five pages wait for their share of
the cores; it stands still (:data:`STILL_SPINNER`).

Light page: each visitor's browser, not the server, is what a room of visitors waits for
(five at once on a 2-core machine: ~1 CPU-s for the server, ~18-21 for the five browsers).
The page loads only the lab extensions the apps use (:data:`SKIPPED_LAB_EXTENSIONS`), and
draws Plotly figures with the packaged :data:`PLOTLY_EXTENSION` (plotly.js trimmed to the
figures' trace types, fetched once per page) instead of jupyterlab-plotly's whole
plotly.js. No MathJax is loaded (Voila fetches it only for a page with math).

Cheap kernels: the client's files are parsed once, by the launcher, into a private
parsed-table cache (:func:`kernel_cache`, :mod:`cxtoolkit.io.cache`) that every kernel of
the app reads back (the five preheated kernels no longer parse the same files at once); a
kernel started for a visitor who found the pool empty skips the charts' warm-up
(:func:`cxtoolkit.apps.context.preheated`).

Examples
--------
>>> cmd = voila_command(Path("notebooks/roi.ipynb"), 8866)
>>> "--Voila.port_retries=0" in cmd and "--Voila.ip=127.0.0.1" in cmd
True
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from cxtoolkit import resources
from cxtoolkit.config import SLUG_RE, client_folder, load_client
from cxtoolkit.envvars import ENV_APP_LOCALE
from cxtoolkit.errors import InputError, check_locale
from cxtoolkit.messages import client_locale
from cxtoolkit.workspace import NOTES_TAG, available_notebooks, find_notebook

HOST = "127.0.0.1"
#: Preheated kernels (each has run the notebook: a visitor's page needs no kernel start).
#: A room of executives opens the link within seconds: with one kernel refilled after 15 s,
#: visitors 2 and 3 (5 s apart) waited 8.7-13.3 s for a kernel still asleep or starting;
#: with 3 refilled after 5 s, five at once took 13-24 s (two waited for kernels started for
#: them) against 7.8-9.5 s with 5 (load 11-22; ~200 MB each). Five at once are then bound
#: by the five browsers sharing this machine's two cores (~21 CPU-s against ~1.2 CPU-s for
#: the server; plain Voila serving a trivial notebook took 6.4-8.8 s in the same run).
#: Figures: ``benchmarks/bench_app_visitors.py``, the README and docs/apps.md.
POOL_SIZE = 5
#: Seconds before Voila starts a replacement once a preheated kernel is taken. A visitor
#: takes the oldest kernel of the pool; a replacement joins at the end, so with
#: :data:`POOL_SIZE` kernels the delay only matters past that many visitors. Replacements
#: started sooner run the notebook (and Voila renders it) while the room's pages load:
#: five visitors at once took ~22 s each with a 5 s delay, ~15 s with 30 s (same run, load
#: 14-18); with 3 kernels refilled after 5 s, the third of three visitors 5 s apart took 3.4 s.
REFILL_DELAY_S = 30
#: Lab extensions the apps do not use, not loaded by the page (faster start): anywidget
#: (only for plotly's FigureWidget, which the apps avoid), code highlighting (no sources) and
#: jupyterlab-plotly, replaced by :data:`PLOTLY_EXTENSION`.
SKIPPED_LAB_EXTENSIONS = ("anywidget", "jupyterlab_pygments", "jupyterlab-plotly")
#: The apps' Plotly renderer (``cxtoolkit/resources/labextensions/``, built by
#: ``js/plotly-renderer/build.mjs``): plotly.js with the seven trace types the figures use
#: (1.4 MB) instead of jupyterlab-plotly's whole plotly.js (4.8 MB), which each visitor's
#: browser took ~1.5-3 s of CPU to load and start (figures: docs/apps.md).
PLOTLY_EXTENSION = "cxtoolkit-plotly"
#: How Voila talks to its kernels: Unix sockets (files in Voila's connection folder), not
#: TCP. Over TCP each kernel takes five ports that jupyter_client picks free, releases, and
#: hands to the kernel; when another process takes one in between (five kernels starting at
#: once, on a machine where others start kernels too), the kernel dies on "Address already in
#: use" and is restarted on the very same ports (jupyter_client caches them) until it gives
#: up: the pool counts it anyway, and the visitor who takes it gets a page stuck on
#: "Running ..." (seen in a run of ``benchmarks/bench_app_visitors.py --scenarios burst``).
#: Unix sockets have no ports to race for (and are not readable by other users' processes).
KERNEL_TRANSPORT = "ipc"
POOL_READY = "Kernel pool of"  # Voila logs "Kernel pool of <nb> is filled with 1 kernel(s)"
NAME_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
#: Host names the apps answer to; loopback addresses (127.0.0.1, [::1]) always pass. Any other
#: ``Host`` header gets 403 (DNS rebinding: a page on evil.example re-pointed at 127.0.0.1
#: must not read the app). More names: ``$CXTOOLKIT_APP_HOSTNAMES`` (comma-separated).
LOCAL_HOSTNAMES = ("localhost",)
ENV_HOSTNAMES = "CXTOOLKIT_APP_HOSTNAMES"


def app_notebook(name: str, folder: Path | None = None) -> Path:
    """Path of the app ``name`` (in ``folder``, by default the house notebooks of the working
    folder, then the packaged ones: :func:`cxtoolkit.workspace.find_notebook`); the name is
    validated (no paths)."""
    if not NAME_RE.fullmatch(name or ""):
        raise InputError("error.apps.app_name", name=repr(name))
    nb = Path(folder) / f"{name}.ipynb" if folder else find_notebook(name)
    if not nb.is_file():
        if folder:
            known = sorted(p.stem for p in Path(folder).glob("*.ipynb")) if Path(folder).is_dir() else []
        else:
            known = available_notebooks()
        raise InputError("error.apps.no_notebook_available" if known else "error.apps.no_notebook",
                         name=repr(name), nb=nb, known=", ".join(known))
    return nb


def port_free(port: int, host: str = HOST) -> bool:
    """Whether ``host:port`` can be bound right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = HOST) -> int:
    """A port the OS says is free (for tests and benchmarks)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def host_check() -> str:
    """Voila option restoring Jupyter Server's ``Host`` check (Voila turns it off): only
    :data:`LOCAL_HOSTNAMES`, ``$CXTOOLKIT_APP_HOSTNAMES`` and loopback addresses.

    >>> "'allow_remote_access': False" in host_check()
    True
    """
    names = list(LOCAL_HOSTNAMES) + [h.strip().lower() for h in os.environ.get(ENV_HOSTNAMES, "").split(",")
                                     if re.fullmatch(r"[A-Za-z0-9.-]+", h.strip())]
    return "--Voila.tornado_settings=" + repr({"allow_remote_access": False, "local_hostnames": names})


def voila_command(notebook: Path, port: int, template: str | None = None, pool_size: int = POOL_SIZE,
                  fill_delay: float = REFILL_DELAY_S, title: str = "", locale: str | None = None) -> list[str]:
    """The Voila command line (see the module docstring for the choices). ``title``: the
    page's ``<title>`` and, with the ``cxtoolkit-lab`` template, its heading
    (:func:`app_title`); ``locale``: the page's ``<html lang>``.

    >>> [a for a in voila_command(Path("kpis.ipynb"), 8866, title="Indicateurs", locale="fr") if ".resources=" in a]
    ["--VoilaConfiguration.resources={'metadata': {'name': 'Indicateurs'}, 'cx_title': 'Indicateurs'}"]
    """
    page = ([f"--VoilaConfiguration.resources={ {'metadata': {'name': title}, 'cx_title': title}!r}"] if title else []) \
        + ([f"--VoilaExporter.language_code={client_locale(locale)}"] if locale else [])
    return [sys.executable, "-m", "voila", str(notebook),
            f"--port={int(port)}", "--Voila.port_retries=0", f"--Voila.ip={HOST}", "--no-browser",
            "--strip_sources=True", "--show_tracebacks=False",
            "--preheat_kernel=True", f"--pool_size={int(pool_size)}", f"--VoilaKernelManager.fill_delay={fill_delay}",
            "--VoilaConfiguration.file_allowlist=^$", f"--KernelManager.transport={KERNEL_TRANSPORT}",
            "--ServerApp.terminals_enabled=False", host_check(),
            f"--VoilaConfiguration.extension_denylist={list(SKIPPED_LAB_EXTENSIONS)!r}",
            f"--VoilaConfiguration.extra_labextensions_path={packaged_labextensions()!r}",
            # the notebook's notes for the consultant: not shown to executives (nbconvert's
            # TagRemovePreprocessor, which Voila's exporter runs before executing the cells)
            f"--TagRemovePreprocessor.remove_cell_tags={NOTES_TAG}",
            ] + page + ([f"--template={template}"] if template else [])


OFFLINE_TEMPLATE = "cxtoolkit-lab"
_CDN_LINK = re.compile(r"^[ \t]*<link[^>]*https?://[^>]*>[ \t]*\n?", re.M)
_CHUNK = re.compile(r"^[\w-]+\.([0-9a-f]{16,})\.js$")  # webpack/rspack "<id>.<contenthash>.js"
_HEAD_HOOK = "{{ spinner.css() }}"
_MAIN_JS_HOOK = "{{ voila_setup_labextensions("
#: the page's single script of Voila's own chunks (:func:`voila_chunk_bundle`), in the template's static folder
CHUNK_BUNDLE = "cx-voila-chunks.js"
#: Voila's loading spinner without its rotation (an endless animation costs every waiting browser frames)
STILL_SPINNER = "<style>.spinner { animation: none; }</style>"
_BODY_HOOK = re.compile(r'(<div id="rendered_cells"[^>]*>\s*<div>)')
#: the page's heading (the app's title in the client's language, :func:`app_title`), above
#: the cells' outputs; the notebook's own title cell is a note for the consultant, left out
TITLE_HEADING = ('{%- if resources.cx_title %}\n<div class="jp-RenderedHTMLCommon cx-app-title">'
                 '<h1>{{ resources.cx_title | e }}</h1></div>\n{%- endif %}')


def packaged_labextensions() -> list[str]:
    """Extra folders of lab extensions for the apps' page (searched before Jupyter's): the
    packaged ones when :data:`PLOTLY_EXTENSION` is set (a benchmark sets it to None to serve
    the stock jupyterlab-plotly instead)."""
    return [str(resources.labextensions_dir())] if PLOTLY_EXTENSION else []


def labextension_chunks() -> dict[str, list[str]]:
    """``{extension name: ["static/<id>.<hash>.js?v=<hash>", ...]}`` for the lab extensions
    installed where Voila looks (the URLs JupyterLab's loader requests them under).

    >>> all(u.startswith("static/") and "?v=" in u for us in labextension_chunks().values() for u in us)
    True
    """
    from jupyter_core.paths import jupyter_path
    found: dict[str, list[str]] = {}
    for base in packaged_labextensions() + jupyter_path("labextensions") + jupyter_path("voila", "labextensions"):
        root = Path(base)
        if not root.is_dir():
            continue
        for pkg in sorted(root.glob("*/package.json")) + sorted(root.glob("@*/*/package.json")):
            name = pkg.parent.relative_to(root).as_posix()
            if name in found:  # the first path wins, as for Voila
                continue
            files = sorted((pkg.parent / "static").glob("*.js"))
            found[name] = [f"static/{f.name}?v={m.group(1)}" for f in files
                           if (m := _CHUNK.match(f.name)) and not f.name.startswith("remoteEntry.")]
    return found


def _recorded_page() -> dict | None:
    """:func:`cxtoolkit.resources.voila_page_chunks` when recorded for the installed Voila, else None."""
    import json
    from importlib.metadata import version
    recorded = json.loads(resources.voila_page_chunks().read_text(encoding="utf-8"))
    return recorded if version("voila") == recorded["voila"] else None


def preloaded_chunks() -> dict[str, list[str]]:
    """:func:`labextension_chunks` less those the apps' page never runs: of an extension
    listed under ``labextensions`` in :func:`cxtoolkit.resources.voila_page_chunks` (recorded
    for the installed Voila), only the chunks listed (Voila's widget manager ships 0.63 MB of
    chunks the page never asks for: preloaded, each visitor's browser fetched them anyway).

    >>> all(set(us) <= set(labextension_chunks()[n]) for n, us in preloaded_chunks().items())
    True
    """
    used = (_recorded_page() or {}).get("labextensions", {})
    return {name: [u for u in urls if name not in used or u.split("/")[-1].split("?")[0] in used[name]]
            for name, urls in labextension_chunks().items()}


def preload_block(chunks: dict[str, list[str]]) -> str:
    """Jinja for the page head: a ``<link rel="preload">`` for each extension Voila loads
    (``page_config.federated_extensions``, the deny-list already applied): its entry and
    its ``chunks``."""
    import json
    return ("{%- set cx_chunks = " + json.dumps(chunks, sort_keys=True) + " -%}\n"
            "{%- for ext in page_config.get('federated_extensions', []) %}\n"
            "{%- set ext_url = page_config['fullLabextensionsUrl'] ~ '/' ~ ext['name'] ~ '/' %}\n"
            "  <link rel=\"preload\" as=\"script\" href=\"{{ (ext_url ~ ext['load']) | e }}\">\n"
            "{%- for c in cx_chunks.get(ext['name'], []) %}\n"
            "  <link rel=\"preload\" as=\"script\" href=\"{{ (ext_url ~ c) | e }}\">\n"
            "{%- endfor %}\n"
            "{%- endfor %}\n")


def voila_chunk_bundle(dst: Path) -> bool:
    """Write to ``dst`` the chunks of Voila's page the apps load (the list recorded in
    :func:`cxtoolkit.resources.voila_page_chunks`) as one script; False (nothing written)
    when the installed Voila is not the version the list was recorded for, or its chunks
    cannot be read. Each chunk only registers its modules with Voila's main script (webpack's
    ``self.webpackChunk...push``); the main script, loaded after, runs them as before.

    >>> import tempfile
    >>> dst = Path(tempfile.mkdtemp()) / "b.js"
    >>> voila_chunk_bundle(dst) is False or "webpackChunk" in dst.read_text()
    True
    """
    from jupyter_core.paths import jupyter_path
    recorded = _recorded_page()
    if recorded is None:
        return False
    for base in jupyter_path("voila", "templates", "base", "static"):
        src = Path(base)
        if (src / "voila.js").is_file():
            break
    else:
        return False
    try:
        text = "\n".join((src / name).read_text(encoding="utf-8") for name in recorded["chunks"])
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(text, encoding="utf-8")
    except OSError:
        return False
    return True


def offline_template(root: Path) -> str | None:
    """Write the ``cxtoolkit-lab`` Voila template under ``root/voila/templates/`` (put
    ``root`` on ``JUPYTER_PATH``) and return its name; None when Voila's ``lab`` template
    cannot be found (the stock template is then used, Font Awesome request included).
    The page head also preloads the lab extensions' scripts the page runs (:func:`preload_block`,
    :func:`preloaded_chunks`), stills
    the spinner (:data:`STILL_SPINNER`) and holds the report tables' style and sorting script
    (:data:`cxtoolkit.report.tables.PAGE_ASSETS`); the body starts with the app's title
    (:data:`TITLE_HEADING`, given by :func:`voila_command`) and ends with Voila's own chunks
    as one script (:func:`voila_chunk_bundle`) before its main script.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> name = offline_template(root)
    >>> name is None or "fontawesome" not in (root / "voila/templates" / name / "index.html.j2").read_text()
    True
    """
    from jupyter_core.paths import jupyter_path

    from cxtoolkit.report.tables import PAGE_ASSETS
    for base in jupyter_path("voila", "templates", "lab"):
        src = Path(base) / "index.html.j2"
        if src.is_file():
            break
    else:
        return None
    try:
        text = _CDN_LINK.sub("", src.read_text(encoding="utf-8"))
        if _HEAD_HOOK in text:
            text = text.replace(_HEAD_HOOK, _HEAD_HOOK + "\n" + STILL_SPINNER + "\n" + preload_block(preloaded_chunks())
                                + "\n{% raw %}" + PAGE_ASSETS + "{% endraw %}", 1)   # sortable report tables
        text = _BODY_HOOK.sub(lambda m: m.group(1) + "\n" + TITLE_HEADING, text, count=1)
        dst = Path(root) / "voila" / "templates" / OFFLINE_TEMPLATE
        dst.mkdir(parents=True, exist_ok=True)
        if _MAIN_JS_HOOK in text and voila_chunk_bundle(dst / "static" / CHUNK_BUNDLE):
            text = text.replace(_MAIN_JS_HOOK, f"<script src=\"{{{{ page_config['fullStaticUrl'] | e }}}}/{CHUNK_BUNDLE}\">"
                                "</script>\n" + _MAIN_JS_HOOK, 1)
        (dst / "index.html.j2").write_text(text, encoding="utf-8")
        (dst / "conf.json").write_text('{"base_template": "lab"}\n', encoding="utf-8")
    except OSError:
        return None
    return OFFLINE_TEMPLATE


def app_title(name: str, client: str = "", client_data: str | Path = "",
              locale: str | None = None) -> tuple[str, str]:
    """The title of app ``name``'s page in the page's language only: ``locale``
    (``cxtoolkit app --locale``) when given, else the ``locale`` of the client's client.yml,
    else French (no client, or a client.yml that cannot be read: the page then says what is
    wrong with it) — the kernels' order (:func:`cxtoolkit.apps.context.app_locale`). The same
    title as the audit's page of that notebook (:func:`cxtoolkit.report.pages.page_title`).
    Returns ``(title, locale)``.

    >>> app_title("kpis"), app_title("custom"), app_title("kpis", locale="en")
    (('Indicateurs', 'fr'), ('custom', 'fr'), ('KPIs', 'en'))
    """
    from cxtoolkit.report.pages import page_title
    if not locale:
        try:
            locale = load_client(client, client_data or None).locale if client else None
        except InputError:
            locale = None
    return page_title(name, client_locale(locale)), client_locale(locale)


def client_env(client: str = "", client_data: str | Path = "", locale: str | None = None) -> dict[str, str]:
    """Environment for the kernel: validated client slug and absolute data folder, and the
    page's language when ``--locale`` gives one (:data:`~cxtoolkit.envvars.ENV_APP_LOCALE`;
    none inherited: the page then follows client.yml)."""
    env = {k: v for k, v in os.environ.items() if k not in ("CXTOOLKIT_CLIENT", "CXTOOLKIT_CLIENT_DATA",
                                                             ENV_APP_LOCALE)}
    if check_locale(locale or None):
        env[ENV_APP_LOCALE] = locale
    if client:
        if not SLUG_RE.fullmatch(client):
            raise InputError("error.apps.option_slug", client=repr(client))
        env["CXTOOLKIT_CLIENT"] = client
    if client_data:
        p = Path(client_data).resolve()
        if not p.is_dir():
            raise InputError("error.apps.client_data_not_folder", folder=client_data)
        env["CXTOOLKIT_CLIENT_DATA"] = str(p)
        if client and not (client_folder(client, p) / "client.yml").is_file():   # no symlinked folder
            raise InputError("error.apps.no_client_yml", client=repr(client), yml=p / client / "client.yml")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


@dataclass
class AppServer:
    """A running Voila server (``stop()`` it, or use it as a context manager)."""

    url: str
    process: subprocess.Popen
    port: int
    log_path: Path | None = None
    #: the kernels' parsed-table cache (raw client data: removed by :meth:`stop`) and its lock
    cache: Path | None = None
    cache_lock: int | None = None
    #: the server's own temporary folder (offline template, readiness file): removed by :meth:`stop`
    work: Path | None = None

    def stop(self, timeout: float = 10) -> None:
        try:
            if self.process.poll() is None:
                try:
                    os.killpg(self.process.pid, signal.SIGTERM)
                except (ProcessLookupError, PermissionError):
                    self.process.terminate()
                try:
                    self.process.wait(timeout)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait(timeout)
        finally:
            _drop_cache(self.cache, self.cache_lock)
            _drop_cache(self.work, None)
            self.cache = self.cache_lock = self.work = None

    def __enter__(self) -> "AppServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def kernel_cache(client: str, client_data: str | Path = "") -> tuple[Path, int]:
    """A private parsed-table cache for the app's kernels (:mod:`cxtoolkit.io.cache`: a
    0700 temporary folder, locked while the app runs, removed by :meth:`AppServer.stop` or,
    after a crash, by the next audit or app), filled with the client's tables
    (:func:`cxtoolkit.apps.data.warm_cache`). Returns ``(folder, lock)``.

    Every kernel of the app (five preheated, their refills, one started for a visitor who
    found the pool empty) then reads the validated tables from Parquet instead of parsing
    the client's files: they are parsed once, here, instead of five times at once on the
    machine's cores while the pool fills.
    """
    from cxtoolkit.apps.data import warm_cache
    from cxtoolkit.io import cache as cx_cache
    cx_cache.clean_stale()
    folder, lock = cx_cache.create_private()
    if client:
        saved = os.environ.get(cx_cache.ENV_CACHE_DIR)
        os.environ[cx_cache.ENV_CACHE_DIR] = str(folder)
        try:
            warm_cache(client, client_data)
        finally:
            if saved is None:
                os.environ.pop(cx_cache.ENV_CACHE_DIR, None)
            else:
                os.environ[cx_cache.ENV_CACHE_DIR] = saved
    return folder, lock


def _drop_cache(folder: Path | None, lock: int | None) -> None:
    import shutil

    from cxtoolkit.io.locks import release
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    release(lock)


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1)
        return s.connect_ex((HOST, port)) == 0


def start_app(name: str, port: int = 8866, client: str = "", client_data: str | Path = "",
              notebooks: Path | None = None, timeout: float = 120, log_path: Path | None = None,
              wait_preheat: bool = True, ready_timeout: float = 90, pool_size: int = POOL_SIZE,
              fill_delay: float = REFILL_DELAY_S, locale: str | None = None) -> AppServer:
    """Start Voila for app ``name``; return once it is ready.

    ``locale`` (``fr``, ``en``; ``cxtoolkit app --locale``) is the page's language, its kernels
    told through the environment (:func:`client_env`); None: the client.yml's ``locale``.

    Ready means: the port listens, the kernel pool is filled and, with ``wait_preheat``,
    the preheated kernel has built the page (the app calls :func:`cxtoolkit.apps.mark_ready`;
    an app that does not is waited for at most ``ready_timeout`` seconds).

    Raises
    ------
    InputError
        Unknown app, bad client, port busy, or Voila did not come up (its log tail quoted).
    """
    nb = app_notebook(name, notebooks)
    if not 1024 <= int(port) <= 65535:
        raise InputError("error.apps.port_range", port=port)
    if not port_free(port):
        raise InputError("error.apps.port_in_use", port=port, host=HOST)
    env = client_env(client, client_data, locale)
    title, locale = app_title(name, client, env.get("CXTOOLKIT_CLIENT_DATA", ""), locale)
    from cxtoolkit.io.cache import ENV_CACHE_DIR
    cache, cache_lock = kernel_cache(client, env.get("CXTOOLKIT_CLIENT_DATA", ""))
    env[ENV_CACHE_DIR] = str(cache)
    try:
        server = _start(name, nb, port, env, timeout, log_path, wait_preheat, ready_timeout, pool_size, fill_delay,
                        title, locale)
    except BaseException:
        _drop_cache(cache, cache_lock)
        raise
    server.cache, server.cache_lock = cache, cache_lock
    return server


def _start(name: str, nb: Path, port: int, env: dict[str, str], timeout: float, log_path: Path | None,
           wait_preheat: bool, ready_timeout: float, pool_size: int, fill_delay: float, title: str = "",
           locale: str | None = None) -> AppServer:
    import tempfile
    work = Path(tempfile.mkdtemp(prefix="cxtoolkit-app-"))
    server = None
    try:
        ready = work / "ready"
        env["CXTOOLKIT_APP_READY_FILE"] = str(ready)
        template = offline_template(work)
        if template:
            env["JUPYTER_PATH"] = os.pathsep.join([str(work)] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p])
        if log_path is None:
            log_path = Path(tempfile.mkstemp(prefix=f"cxtoolkit-{name}-", suffix=".log")[1])
        log_path = Path(log_path)
        with open(log_path, "wb") as log_f:
            proc = subprocess.Popen(voila_command(nb, port, template, pool_size, fill_delay, title, locale), cwd=str(nb.parent),
                                    env=env, stdout=log_f,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True)
        url = f"http://{HOST}:{port}/"
        server = AppServer(url, proc, int(port), log_path, work=work)
        deadline = time.monotonic() + timeout
        # Ready = the port listens and (preheat) the kernel pool is filled. Polling the page
        # itself would consume the preheated kernel.
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                tail = " | ".join(log_path.read_text(errors="replace").strip().splitlines()[-3:])
                raise InputError("error.apps.voila_exited_tail" if tail else "error.apps.voila_exited",
                                 name=repr(name), status=proc.returncode, tail=tail)
            if _listening(port) and (not wait_preheat or POOL_READY in log_path.read_text(errors="replace")):
                break
            time.sleep(0.3)
        else:
            server.stop()
            raise InputError("error.apps.voila_not_ready", name=repr(name), url=url,
                             timeout=f"{timeout:.0f}", log=log_path)
        if wait_preheat:
            ready_deadline = min(deadline, time.monotonic() + ready_timeout)
            while time.monotonic() < ready_deadline and not ready.exists() and proc.poll() is None:
                time.sleep(0.2)
    except BaseException:   # nothing left running or behind when the server did not come up
        if server is not None:
            server.stop()
        _drop_cache(work, None)
        raise
    return server
