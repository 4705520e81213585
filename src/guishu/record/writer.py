"""The one writer path: appends queue here, in arrival order, before their transaction.

Within a process, threads take a first-come, first-served ticket (``threading.Lock``
lets a releasing thread barge back in). Across processes on SQLite, the holder also
takes an exclusive ``flock`` on a file beside the database, so worker processes wait in
the kernel rather than in SQLite's busy handler, whose growing sleeps make the slowest
writer wait seconds (LIBRARY-NOTES). PostgreSQL needs no file: the chain head's row lock
(``SELECT ... FOR UPDATE``) queues writers there.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections


class FairLock:
    """A first-come, first-served lock."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next = 0
        self._serving = 0

    def __enter__(self) -> None:
        with self._cond:
            ticket = self._next
            self._next += 1
            self._cond.wait_for(lambda: self._serving == ticket)

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self._serving += 1
            self._cond.notify_all()


_THREADS = FairLock()
_files: dict[tuple[int, str], int] = {}  # (process, lock file path) -> descriptor, opened once per process


def sqlite_file() -> str | None:
    """The default database's file when it is SQLite on disk; None for PostgreSQL or memory."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "sqlite":
        return None
    name = str(db.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        return None
    return name


def _lock_file() -> int | None:
    """The descriptor of the SQLite database's writer lock file, or None (PostgreSQL, memory)."""
    name = sqlite_file()
    if name is None:
        return None
    path = f"{name}.writer-lock"
    # per process: a descriptor inherited across fork (gunicorn's workers) shares its open file
    # description, and flock() does not exclude processes that share one
    key = (os.getpid(), path)
    fd = _files.get(key)
    if fd is None:
        fd = _files[key] = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    return fd


@contextmanager
def turn() -> Iterator[None]:
    """Hold the writer path: this process's threads, then (SQLite) the other processes."""
    with _THREADS:
        fd = _lock_file()
        if fd is None:
            yield
            return
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
