"""Locks held by a process while it lives: ``fcntl.flock`` on a lock file.

The operating system releases such a lock when its process ends, however it ends (even
``kill -9``), so a lock never outlives a crashed run and there is no stale lock to clean.
The lock file itself stays (deleting it would race with a process about to lock it).

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "x.lock"
>>> with exclusive(p, "audit x"):
...     try_lock(p) is None                # a second holder is refused
True
>>> fd = try_lock(p); fd is not None       # released at the end of the block
True
>>> release(fd)
"""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from cxtoolkit.errors import InputError


class AlreadyRunning(InputError):
    """Another live process holds the lock: the same work is already running."""


def try_lock(path: Path | str) -> int | None:
    """Take an exclusive lock on ``path`` (created if missing) without waiting.

    Returns the open file descriptor (the lock lasts until :func:`release` or the end of
    the process), or None when another process holds it.
    """
    fd = os.open(str(path), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def release(fd: int | None) -> None:
    """Release a lock taken by :func:`try_lock` (closing its descriptor)."""
    if fd is not None:
        os.close(fd)


@contextmanager
def exclusive(path: Path | str, what: str):
    """Hold the lock on ``path`` for the block; :class:`AlreadyRunning` (one line naming
    ``what``) when another process holds it."""
    fd = try_lock(path)
    if fd is None:
        raise AlreadyRunning(f"{what} is already running in another process; "
                             "nothing was changed (try again when it has finished)")
    try:
        yield
    finally:
        release(fd)
