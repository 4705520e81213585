"""One live attribution engine per project and process, caught up from the record.

Each process keeps its engine in memory and, before using it, applies the
entries it has not seen (by sequence number), so several processes stay
correct without sharing memory. An engine that may have applied a fact whose
transaction then failed is forgotten and rebuilt from the record.
"""

from __future__ import annotations

import json
import threading
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.utils import timezone

from guishu import collector
from guishu.core.attribution import Attributor
from guishu.core.events import fact_from_dict
from guishu.core.policy import Policy
from guishu.policies import load_preset, presets
from guishu.record import projects, sql
from guishu.record.models import Project


@dataclass
class LiveEngine:
    engine: Attributor
    seq: int = 0
    lock: threading.RLock = field(default_factory=threading.RLock)
    # lookup rows known to be stored (projections.write_groups); dropped with the engine
    written: set[tuple[str, str, str]] = field(default_factory=set)


_engines: dict[int, LiveEngine] = {}
_registry = threading.Lock()


def live_engine(project: Project, *, head_seq: int | None = None) -> LiveEngine:
    """The project's engine, caught up with every committed entry.

    ``head_seq``: the chain head's sequence number when the caller holds the head's lock;
    an engine already there needs no query.
    """
    with _registry:
        live = _engines.get(project.pk)
        if live is None:
            live = LiveEngine(Attributor(load_preset(project.policy), catalogue=presets()))
            _engines[project.pk] = live
    if head_seq is None or live.seq != head_seq:
        catch_up(project, live)
    return live


# After a large catch-up the engine's objects are long-lived: moving them out of the
# collector's generations keeps every later collection from walking them again.
FREEZE_AFTER = 10_000


def policy_now(project: Project) -> Policy:
    """The site's policy at this moment (the one a new fact is decided under)."""
    live = live_engine(project)
    with live.lock:
        return live.engine.policy_at(timezone.now())


def current(project: Project) -> LiveEngine:
    """The engine as this process has it, without a catch-up query: for reading back what this
    process has just appended (the append itself caught the engine up under the chain lock)."""
    with _registry:
        live = _engines.get(project.pk)
    return live if live is not None else live_engine(project)


# Plain SQL: with several worker processes, every append first catches up with the others'
# entries, under the writer lock, where the ORM's query cost more than the facts themselves.
# Read in pages, so a cold start on a large record never holds all of it at once.
NEWER = "SELECT seq, payload FROM record_entry WHERE project_id = %s AND seq > %s ORDER BY seq LIMIT 5000"


def catch_up(project: Project, live: LiveEngine) -> None:
    with live.lock:
        applied = 0
        db = sql.Db()
        # a cold start replays the whole record: without cyclic collections (guishu.collector)
        with collector.paused() if live.seq == 0 else nullcontext():
            while rows := db.fetchall(NEWER, (project.pk, live.seq)):
                for seq, payload in rows:  # SQLite gives the JSON text, PostgreSQL the decoded jsonb
                    live.engine.apply(fact_from_dict(json.loads(payload) if isinstance(payload, str) else payload))
                    live.seq = seq
                    applied += 1
            if applied >= FREEZE_AFTER:
                collector.keep(collect=True)


def forget(project_id: int) -> None:
    with _registry:
        _engines.pop(project_id, None)


def forget_all() -> None:
    with _registry:
        _engines.clear()
    projects.forget_all()
