"""Group commit: appends that arrive while one is being written share the next transaction.

Each durable commit costs an fsync, several times the work of an append itself. Every
writer queues its job here and then waits for the writer path (``writer.turn``); the
thread that gets it runs every queued job, in arrival order, in one transaction and
one commit, and hands each waiting thread its own result or error. Nobody returns
before the commit that holds his entry, so each append is as durable as before; alone,
an append is a batch of one.

A job refused before it wrote anything (bad input) gets its error and the batch goes
on. Any other failure rolls the whole batch back; then each job runs again in a
transaction of its own, so one bad job never costs the others their appends.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from guishu.record import engines, writer

MAX_BATCH = 64
log = logging.getLogger(__name__)


@dataclass(eq=False)
class _Job:
    work: Callable[[], Any]
    project_id: int
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None


def _nothing() -> None:
    return None


class GroupCommit:
    def __init__(
        self,
        refused: type[Exception],
        *,
        begin: Callable[[], None] = _nothing,
        finish: Callable[[], None] = _nothing,
        committed: Callable[[], None] = _nothing,
    ) -> None:
        self.refused = refused  # raised by a job before it writes: the batch goes on
        self.begin = begin  # called as each transaction starts,
        self.finish = finish  # after its last job, before the commit,
        self.committed = committed  # and once it has committed
        self._queue: list[_Job] = []
        self._lock = threading.Lock()

    def run(self, work: Callable[[], Any], project_id: int) -> Any:
        """Run ``work`` (the append, inside a transaction) and return its result once committed."""
        job = _Job(work, project_id)
        with self._lock:
            self._queue.append(job)
        while not job.done.is_set():
            with writer.turn():
                if job.done.is_set():
                    break
                with self._lock:
                    batch = self._queue[:MAX_BATCH]
                    del self._queue[:MAX_BATCH]
                self._commit(batch)
        if job.error is not None:
            raise job.error
        return job.result

    def _commit(self, batch: list[_Job]) -> None:
        try:
            try:
                with transaction.atomic(durable=True):
                    self.begin()
                    for job in batch:
                        try:
                            job.result = job.work()
                        except self.refused as exc:
                            job.error = exc
                    self.finish()
                self._after_commit()
            except Exception as exc:
                for job in batch:  # their facts may be in an engine but not in the record
                    engines.forget(job.project_id)
                if len(batch) == 1:
                    batch[0].result, batch[0].error = None, exc
                else:
                    self._one_by_one(batch)
        finally:
            for job in batch:
                if job.result is None and job.error is None:
                    job.error = RuntimeError("追加被中断 / the append was interrupted")
                job.done.set()

    def _after_commit(self) -> None:
        try:
            self.committed()
        except Exception:  # the batch is committed: a hook's failure must never make it run again
            log.exception("after-commit hook failed")

    def _one_by_one(self, batch: list[_Job]) -> None:
        for job in batch:
            job.result, job.error = None, None
            try:
                with transaction.atomic(durable=True):
                    self.begin()
                    job.result = job.work()
                    self.finish()
                self._after_commit()
            except Exception as exc:
                engines.forget(job.project_id)
                job.result, job.error = None, exc
