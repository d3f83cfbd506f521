"""Parsed-table cache shared by the notebooks of one audit.

An audit parses each client file once (in the runner) and its notebooks, each in its own
kernel, read the validated tables back from Parquet instead of parsing the same
200k-row French CSV again (2 s → 0.2 s each). The cache is only used when
``$CXTOOLKIT_CACHE_DIR`` names a folder — the audit runner creates a private temporary one
(:func:`create_private`: mode 0700, it holds the raw data) when one of its notebooks computes
live (:func:`cxtoolkit.audit.runner.computes_live`; the standard pages render the audit's
results set and read no file) and deletes it when the audit ends; ``cxtoolkit app`` does the same for its kernels (:func:`cxtoolkit.apps.serve.kernel_cache`,
deleted when the app stops); nothing else sets it.

An audit that is killed cannot delete its cache. Each cache folder therefore holds a lock
file (``.alive``) that its run keeps locked while it lives (the OS releases it when the
process dies, even on ``kill -9``); every audit first removes the caches whose lock is free
(:func:`clean_stale`), so raw client data never stays behind after the next run.

An entry is keyed by the SHA-256 of the file's bytes, the table, the reading options and
the day used as "now" by the validation (dates in the future), so an edited file, another
sheet or another day is a miss, never a stale hit. A damaged entry is a miss too.

Examples
--------
>>> import pandas as pd, tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> f = d / "x.csv"; _ = f.write_text("a\\n1\\n")
>>> key = entry_key(f, "contacts", ces_scale=7, sheet=None, now=None)
>>> get(d, key) is None
True
>>> acc = pd.DataFrame({"a": [1]}); rej = pd.DataFrame({"row": [2]})
>>> put(d, key, acc, rej, {"read": 2, "accepted": 1, "rejected": 1})
>>> got = get(d, key); got[2]["accepted"], got[0].equals(acc)
(1, True)
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import pandas as pd

from cxtoolkit.envvars import ENV_CACHE_DIR
from cxtoolkit.io.locks import release, try_lock

VERSION = "4"   # bump when the parsed frames change shape for the same file
PREFIX = "cxtoolkit-cache-"
ALIVE = ".alive"
#: a cache folder of an older version (no ``.alive`` lock) is removed once this old
LEGACY_AGE_S = 3600
log = logging.getLogger(__name__)


def create_private(parent: Path | str | None = None) -> tuple[Path, int]:
    """A new private cache folder ``$TMPDIR/cxtoolkit-cache-<pid>-<random>`` (mode 0700)
    and the descriptor of its held ``.alive`` lock (release it, then delete the folder,
    when the run ends).

    The folder is prepared under another name and renamed once locked, so
    :func:`clean_stale` never sees it unlocked while its run lives.

    >>> d = Path(tempfile.mkdtemp())
    >>> folder, fd = create_private(d)
    >>> clean_stale(d), folder.is_dir()          # its run is alive: kept
    (0, True)
    >>> release(fd); clean_stale(d), folder.exists()   # its run is over: removed
    (1, False)
    """
    tmp = Path(tempfile.mkdtemp(prefix=".cxtoolkit-init-", dir=parent))
    fd = try_lock(tmp / ALIVE)
    final = tmp.with_name(f"{PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}")
    os.rename(tmp, final)
    return final, fd


def clean_stale(folder: Path | str | None = None) -> int:
    """Remove the cache folders of runs that are over (killed before cleaning up) from
    ``folder`` (default the temporary folder); returns how many were removed.

    A folder is stale when nobody holds its ``.alive`` lock; one without that file (an
    older version's) when untouched for :data:`LEGACY_AGE_S`. Only this user's real
    folders are considered (no symlinks).
    """
    removed = 0
    try:
        entries = list(os.scandir(folder or tempfile.gettempdir()))
    except OSError:
        return 0
    for e in entries:
        try:
            if not e.name.startswith(PREFIX) or not e.is_dir(follow_symlinks=False) \
                    or e.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
            alive = Path(e.path) / ALIVE
            if alive.exists():
                fd = try_lock(alive)
                if fd is None:
                    continue                      # its run is still going
                try:
                    shutil.rmtree(e.path)
                finally:
                    release(fd)
            elif time.time() - e.stat(follow_symlinks=False).st_mtime > LEGACY_AGE_S:
                shutil.rmtree(e.path)
            else:
                continue
            removed += 1
        except OSError as exc:
            log.warning("stale cache %s not removed (%s)", e.path, exc)
    return removed


def cache_dir() -> Path | None:
    """The folder named by ``$CXTOOLKIT_CACHE_DIR`` when it exists, else None (no cache)."""
    value = os.environ.get(ENV_CACHE_DIR, "").strip()
    if not value:
        return None
    p = Path(value)
    return p if p.is_dir() else None


def file_digest(path: Path | str, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file's bytes (hex)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def entry_key(path: Path | str, table: str, *, ces_scale: int, sheet, now, extra: str | None = None,
              tz: str | None = None, locale: str = "en") -> str:
    """Cache key of reading ``path`` as ``table`` with these options (hex digest); ``extra``:
    the client.yml mapping's text form, so an edited mapping is a miss; ``tz``: the client's
    time zone (timestamps with an offset are converted to it); ``locale``: the language of the
    reject reasons and warnings kept in the entry."""
    day = (pd.Timestamp.now() if now is None else pd.Timestamp(now)).normalize().isoformat()
    ident = json.dumps([VERSION, file_digest(path), table, ces_scale, None if sheet is None else str(sheet),
                        day] + ([extra] if extra is not None else []) + ([tz] if tz else [])
                       + ([locale] if locale != "en" else []))
    return hashlib.sha256(ident.encode()).hexdigest()[:32]


def get(folder: Path, key: str) -> tuple[pd.DataFrame, pd.DataFrame, dict] | None:
    """``(accepted, rejects, counts)`` stored under ``key``, or None (missing or unreadable)."""
    base = folder / key
    try:
        counts = json.loads((base.with_suffix(".json")).read_text(encoding="utf-8"))
        accepted = pd.read_parquet(base.with_suffix(".accepted.parquet"))
        rejects = pd.read_parquet(base.with_suffix(".rejects.parquet"))
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - a damaged entry is re-parsed, never trusted
        log.warning("parsed-table cache entry %s unreadable (%s); parsing the file again", key, exc)
        return None
    return accepted, rejects, counts


def put(folder: Path, key: str, accepted: pd.DataFrame, rejects: pd.DataFrame, counts: dict) -> None:
    """Store an entry atomically (the counts file, written last, marks it complete).

    Failing to write (disk full...) only costs the next reader a parse."""
    base = folder / key
    tag = uuid.uuid4().hex[:8]
    try:
        for frame, suffix in ((accepted, ".accepted.parquet"), (rejects, ".rejects.parquet")):
            tmp = folder / f".{key}.{tag}{suffix}"
            frame.to_parquet(tmp)
            os.replace(tmp, base.with_suffix(suffix))
        tmp = folder / f".{key}.{tag}.json"
        tmp.write_text(json.dumps(counts), encoding="utf-8")
        os.replace(tmp, base.with_suffix(".json"))
    except Exception as exc:  # noqa: BLE001
        log.warning("parsed-table cache entry %s not written (%s)", key, exc)
        for p in folder.glob(f".{key}.{tag}*"):
            p.unlink(missing_ok=True)
