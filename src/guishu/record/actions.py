"""Writes to the record: one durable transaction per action, the chain head locked first.

Every write of history goes through ``append_fact``: it locks the project's
chain head (on SQLite the IMMEDIATE transaction already serialises writers),
stamps the server's time, chains the entry, applies it to the live engine and
writes the projections of the groups it touched, all in one transaction.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, transaction
from django.utils import timezone

from guishu.core.events import Fact, FactError, dump_fact, fact_from_dict
from guishu.core.verdict import Verdict
from guishu.policies import load_preset
from guishu.record import engines, projections
from guishu.record.chain import entry_hash
from guishu.record.models import ChainHead, Entry, Project


class RecordInputError(ValueError):
    """A fact the record refuses; ``field`` names the offending field (dotted)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Appended:
    entry: Entry
    fact: Fact
    verdicts: list[Verdict]


User = AbstractBaseUser | AnonymousUser | None


def create_project(*, code: str, name: str, policy: str, timezone_name: str = "Asia/Shanghai") -> Project:
    load_preset(policy)  # refuses an unknown preset with a PolicyError naming it
    with transaction.atomic():
        project = Project.objects.create(code=code, name=name, policy=policy, timezone=timezone_name)
        ChainHead.objects.create(project=project)
    return project


class FairLock:
    """A first-come, first-served lock: threads.Lock lets a releasing thread barge back in."""

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


# One writer path per process: threads queue here in arrival order instead of in SQLite's
# busy handler, whose growing sleeps make the slowest writer wait seconds (LIBRARY-NOTES).
_WRITER = FairLock()


def append_fact(*, project: Project, data: dict[str, Any], actor: User = None) -> Appended:
    """Append one fact (``kind`` and its fields; ``id`` optional) stamped with the server's time."""
    try:
        with _WRITER, transaction.atomic(durable=True):
            return _append(project, data, actor, None)
    except Exception:
        engines.forget(project.pk)  # it may have applied a fact that did not commit
        raise


def import_fact(*, project: Project, data: dict[str, Any], actor: User = None) -> Appended:
    """Append a fact from an earlier register (paper, Excel, the demo) keeping its own ``at``.

    The entry is chained like any other; its time may not precede the chain's last entry,
    so an import can only continue the record, never slip something into its past.
    """
    if "at" not in data:
        raise RecordInputError("at", "导入的事实必须带时间 / an imported fact needs its time")
    try:
        with _WRITER, transaction.atomic(durable=True):
            return _append(project, data, actor, data["at"])
    except Exception:
        engines.forget(project.pk)  # it may have applied a fact that did not commit
        raise


ENTRY_INSERT = (
    "INSERT INTO record_entry (project_id, seq, fact_id, kind, at, payload, actor_id, prev_hash, hash) "
    "VALUES (%s, %s, %s, %s, %s, {json}, %s, %s, %s)"
)


def _insert_entry(entry: Entry, project: Project) -> None:
    """One INSERT for the hot path (the ORM's create costs more than the database here)."""
    cast = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.execute(
            ENTRY_INSERT.format(json=cast),
            (
                project.pk,
                entry.seq,
                entry.fact_id,
                entry.kind,
                connection.ops.adapt_datetimefield_value(entry.at),
                json.dumps(entry.payload, ensure_ascii=False),
                entry.actor_id,
                entry.prev_hash,
                entry.hash,
            ),
        )


def _nul_path(value: Any, path: str = "") -> str | None:
    """The dotted path of the first string holding a NUL character, if any."""
    if isinstance(value, str):
        return (path or "(fact)") if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _nul_path(item, f"{path}.{key}" if path else str(key))
            if found is not None:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _nul_path(item, f"{path}.{i}")
            if found is not None:
                return found
    return None


def _append(project: Project, data: dict[str, Any], actor: User, given_at: Any) -> Appended:
    head = ChainHead.objects.select_for_update().get(project=project)
    live = engines.live_engine(project, head_seq=head.seq)
    if given_at is None:
        now = timezone.now()
        stamp: Any = (max(now, head.at) if head.at else now).isoformat()  # time never runs backwards
    else:
        stamp = given_at
    seq = head.seq + 1
    fields = {**data, "at": stamp}
    chosen_id = "id" in fields
    fields.setdefault("id", f"{project.code}-{seq}")
    try:
        fact = fact_from_dict(fields)
    except FactError as exc:
        raise RecordInputError(exc.field, exc.message) from None
    at = fact.at
    if head.at is not None and at < head.at:
        raise RecordInputError("at", "早于记录中最后一条事实 / earlier than the record's last fact")
    payload = dump_fact(fact)
    bad = _nul_path(payload)
    if bad is not None:  # PostgreSQL cannot store NUL in text or JSON; it is never meaningful here
        raise RecordInputError(bad, "不能包含空字符 / must not contain NUL characters")
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    digest = entry_hash(head.hash, project=project.code, seq=seq, actor=actor_id, payload=payload)
    if chosen_id:
        # the record numbers its own entries "<project>-<seq>": a chosen id may not take one
        if re.fullmatch(rf"{re.escape(project.code)}-\d+", fact.id):
            raise RecordInputError("id", f"编号 {fact.id} 为记录自动编号保留 / reserved for the record's own numbering")
        if Entry.objects.filter(project=project, fact_id=fact.id).exists():
            raise RecordInputError("id", f"编号 {fact.id} 已存在 / fact id already in the record")
    entry = Entry(
        project=project,
        seq=seq,
        fact_id=fact.id,
        kind=fact.kind,
        at=at,
        payload=payload,
        actor_id=actor_id,
        prev_hash=head.hash,
        hash=digest,
    )
    _insert_entry(entry, project)
    head.seq, head.hash, head.at = seq, digest, at
    with connection.cursor() as cursor:  # the chain head moves with its entry, in this transaction
        cursor.execute(
            "UPDATE record_chainhead SET seq = %s, hash = %s, at = %s WHERE project_id = %s",
            (seq, digest, connection.ops.adapt_datetimefield_value(at), project.pk),
        )
    with live.lock:
        touched = live.engine.apply(fact)
        live.seq = seq
        verdicts = projections.write_groups(project, live.engine, touched)
    return Appended(entry, fact, verdicts)
