"""Parsed-table cache shared by the notebooks of one audit.

An audit parses each client file once (in the runner) and its notebooks, each in its own
kernel, read the validated tables back from Parquet instead of parsing the same
200k-row French CSV again (2 s → 0.2 s each). The cache is only used when
``$CXTOOLKIT_CACHE_DIR`` names a folder — the audit runner creates a private temporary one
(mode 0700, it holds the raw data) and deletes it when the audit ends; nothing else sets it.

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
import uuid
from pathlib import Path

import pandas as pd

ENV_CACHE_DIR = "CXTOOLKIT_CACHE_DIR"
VERSION = "3"   # bump when the parsed frames change shape for the same file
log = logging.getLogger(__name__)


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
              tz: str | None = None) -> str:
    """Cache key of reading ``path`` as ``table`` with these options (hex digest); ``extra``:
    the client.yml mapping's text form, so an edited mapping is a miss; ``tz``: the client's
    time zone (timestamps with an offset are converted to it)."""
    day = (pd.Timestamp.now() if now is None else pd.Timestamp(now)).normalize().isoformat()
    ident = json.dumps([VERSION, file_digest(path), table, ces_scale, None if sheet is None else str(sheet),
                        day] + ([extra] if extra is not None else []) + ([tz] if tz else []))
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
