"""The checkpoint log outside the database: each site's signed tree heads, one JSON line each,
in ``settings.CHECKPOINT_LOG_DIR/<site>.jsonl``.

The writer signs a head in every commit, in the database (``record.signed_heads``). Someone
holding only the database could delete the tail of the record together with the heads over it
and leave a shorter record that still verifies. A copy of the latest head outside the database
closes that: ``guishu verify`` refuses a record shorter than, or different from, the head here.

Copies are written by a daemon thread per process, at most ``EVERY`` seconds after the commit
(the latest head of each site that moved; never more than one line a second per site), so the
log grows by at most 86,400 lines a day per site, and a commit never waits for it.
``guishu checkpoints`` exports the heads the database holds, for a witness to keep.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import threading
import time
from pathlib import Path

from django.conf import settings

from guishu.core.tree_heads import TreeHead

EVERY = 1.0  # seconds: the longest a committed head waits before it is copied here
log = logging.getLogger(__name__)


_paths: dict[tuple[object, str], Path] = {}  # (the setting's value, site) -> file: asked per commit


def path_of(site: str) -> Path:
    folder = settings.CHECKPOINT_LOG_DIR
    found = _paths.get((folder, site))
    if found is None:
        if len(_paths) > 1000:  # tests change the folder per test
            _paths.clear()
        found = _paths[(folder, site)] = Path(folder) / f"{site}.jsonl"
    return found


def write(heads: list[TreeHead]) -> None:
    """Append these heads now, each to its site's file."""
    _write([(path_of(h.site), h) for h in heads])


def _write(items: list[tuple[Path, TreeHead]]) -> None:
    by_path: dict[Path, list[TreeHead]] = {}
    for path, head in items:
        by_path.setdefault(path, []).append(head)
    for path, heads in by_path.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "".join(json.dumps(h.to_dict(), sort_keys=True) + "\n" for h in heads)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, text.encode())  # one write per file: lines of two processes never mix
        finally:
            os.close(fd)


def read(site: str) -> list[TreeHead]:
    """The heads copied for a site, as written (unreadable lines are skipped by ``read_file``)."""
    path = path_of(site)
    return read_file(path) if path.exists() else []


def read_file(path: Path) -> list[TreeHead]:
    """Heads from a checkpoint log file (this one or an export); a malformed line raises
    ValueError naming it."""
    heads = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            heads.append(TreeHead.from_dict(json.loads(line)))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: 不是签名树头 / not a signed tree head ({exc})") from None
    return heads


def set_aside(site: str) -> Path | None:
    """A new record under an old site code (the demo made again over a fresh database): the old
    log is kept beside, renamed, and the new record starts its own."""
    path = path_of(site)
    if not path.exists():
        return None
    aside = path.with_name(f"{path.name}.replaced-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}")
    path.rename(aside)
    return aside


class Copier:
    """Copies the latest committed head of each site, at most every ``EVERY`` seconds
    (``settings.CHECKPOINT_LOG_EVERY``; 0 copies in the committing thread, for tests)."""

    def __init__(self) -> None:
        self._pending: dict[Path, TreeHead] = {}  # by file: the path is fixed at commit time
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def committed(self, heads: list[TreeHead]) -> None:
        if not heads:
            return
        every = float(getattr(settings, "CHECKPOINT_LOG_EVERY", EVERY))
        with self._lock:
            for head in heads:
                path = path_of(head.site)
                known = self._pending.get(path)
                if known is None or head.size > known.size:
                    self._pending[path] = head
            if every > 0 and (self._thread is None or not self._thread.is_alive()):  # none yet, or lost in a fork
                self._thread = threading.Thread(target=self._run, args=(every,), name="checkpoint-log", daemon=True)
                self._thread.start()
        if every > 0:
            self._wake.set()
        else:
            self.flush()

    def flush(self) -> None:
        with self._lock:
            items = list(self._pending.items())
            self._pending.clear()
        if items:
            try:
                _write(items)
            except OSError:
                log.exception("the checkpoint log could not be written")

    def _run(self, every: float) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            self.flush()
            time.sleep(every)


COPIER = Copier()
atexit.register(COPIER.flush)  # a short command's last head is copied before it exits
