"""Locks held by a process while it lives: ``fcntl.flock`` on a lock file.

The operating system releases such a lock when its process ends, however it ends (even
``kill -9``), so a lock never outlives a crashed run. :func:`exclusive` removes its lock
file when done (a process that opened the file meanwhile notices it by the inode and
locks the new file instead); a killed run's file is harmless, removed by the next run.

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
    while True:
        fd = os.open(str(path), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return None
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)     # its holder removed the file meanwhile (see exclusive): lock the new one


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
        try:
            os.unlink(path)   # no lock file left behind; a waiting opener sees it and retries
        except OSError:
            pass
        release(fd)
