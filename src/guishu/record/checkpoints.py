"""SQLite's WAL checkpoints, taken off the writer's path.

A checkpoint copies the write-ahead log back into the database file. By default SQLite runs
one inside whichever commit takes the log past ``wal_autocheckpoint`` pages (1,000). An append
writes about 14 pages, so every 70th commit or so paid 3–5 ms of checkpoint inside the writer's
critical section (measured: 36 of 2,000 commits, 70 µs per append on average, and the p99 of a
commit 4 ms instead of 0.4 ms).

Here each process that appends keeps one background thread. Shortly after its commits, the
thread runs a PASSIVE checkpoint on its own connection. PASSIVE never waits for, or blocks, a
writer or a reader; it copies what no reader still needs. The connections' own automatic
checkpoint stays as a safety net at 10,000 pages (about 40 MB of log; the settings'
``init_command``), should this thread ever fall behind.
"""

from __future__ import annotations

import sqlite3
import threading
import time

from guishu.record import writer

PAUSE = 0.05  # seconds after a commit before checkpointing: one checkpoint serves many commits


class Checkpointer:
    """Checkpoints one SQLite database file, in a daemon thread started by the first commit."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.runs = 0  # checkpoints taken, and the last one's (log pages, pages checkpointed)
        self.last: tuple[int, int] | None = None
        self._wake = threading.Event()
        self._start = threading.Lock()
        self._thread: threading.Thread | None = None

    def committed(self) -> None:
        if self._thread is None:
            with self._start:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
                    self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        while True:
            self._wake.wait()
            time.sleep(PAUSE)
            self._wake.clear()  # a commit from here on wakes the next round
            try:
                row = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            except sqlite3.Error:  # e.g. another process is checkpointing: that one does the work
                continue
            self.runs += 1
            self.last = (int(row[1]), int(row[2]))


_checkpointers: dict[str, Checkpointer] = {}
_registry = threading.Lock()


def for_database() -> Checkpointer | None:
    """The checkpointer of the default database (None unless it is SQLite on disk)."""
    path = writer.sqlite_file()
    if path is None:
        return None
    with _registry:
        found = _checkpointers.get(path)
        if found is None:
            found = _checkpointers[path] = Checkpointer(path)
    return found


def committed() -> None:
    """An append transaction has committed: checkpoint soon, off the writer's path."""
    found = for_database()
    if found is not None:
        found.committed()
