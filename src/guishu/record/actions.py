"""Writes to the record: every append durable, the chain head locked first.

Every write of history goes through ``append_fact``: it waits for the writer path,
reads the project's chain head under the transaction's lock, stamps the server's time,
chains the entry, applies it to the live engine and writes the projections of the
groups it touched, all in one transaction, shared with the appends that queued
meanwhile (``group_commit``); it returns once that transaction has committed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from guishu.core.attribution import Attributor
from guishu.core.events import Fact, FactError, dump_fact, fact_from_dict
from guishu.core.tree_heads import TreeHead
from guishu.core.verdict import Verdict
from guishu.policies import load_preset
from guishu.record import checkpoint_log, checkpoints, engines, memberships, projections, signed_heads, sql, tree
from guishu.record.chain import at_text, canonical_text, entry_hash_v2
from guishu.record.group_commit import GroupCommit
from guishu.record.models import ChainHead, Entry, Project


class RecordInputError(ValueError):
    """A fact the record refuses; ``field`` names the offending field (dotted).

    ``message`` carries both languages, ``"中文 / English"`` (screens show one half, the API
    returns both); ``zh`` and ``en`` are the halves.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    @property
    def zh(self) -> str:
        return self.message.partition(" / ")[0]

    @property
    def en(self) -> str:
        zh, sep, en = self.message.partition(" / ")
        return en if sep else zh


def bilingual(msgid: str, **values: object) -> str:
    """``"中文 / English"`` for a Chinese msgid (marked with ``gettext_noop``): the Chinese as
    written and its English from the ``en`` catalogue, whatever language is active."""
    with translation.override("en"):
        en = gettext(msgid)
    return f"{msgid % values} / {en % values}" if values else f"{msgid} / {en}"


@dataclass(frozen=True, slots=True)
class Receipt:
    """Where an appended fact sits in the chain: what an agent keeps to prove when he reported."""

    seq: int
    fact_id: str
    at: datetime
    prev_hash: str
    hash: str

    @classmethod
    def of(cls, entry: Entry) -> Receipt:
        return cls(entry.seq, entry.fact_id, entry.at, entry.prev_hash, entry.hash)


@dataclass(frozen=True)
class Appended:
    entry: Receipt
    fact: Fact
    verdicts: list[Verdict]


User = AbstractBaseUser | AnonymousUser | None


def create_project(*, code: str, name: str, policy: str, timezone_name: str = "Asia/Shanghai") -> Project:
    load_preset(policy)  # refuses an unknown preset with a PolicyError naming it
    with transaction.atomic():
        project = Project.objects.create(code=code, name=name, policy=policy, timezone=timezone_name)
        ChainHead.objects.create(project=project)  # every entry in chain format v2 (format_from 1)
    checkpoint_log.set_aside(code)  # a checkpoint log left by an earlier record of this code
    return project


class _Heads:
    """The chain heads a transaction appends to: each read (and locked) once, moved in memory by
    every append, and written once, just before the commit. Every SQLite call releases the GIL,
    and inside the writer's critical section each release can cost a switch interval. The
    connection is bound once per transaction too (``db``), for every append of the batch.

    Before the commit each moved project's Merkle tree takes the batch's leaves and its new head
    is signed, in the same transaction: no committed entry is ever outside a signed head."""

    def __init__(self) -> None:
        self._rows: dict[int, tuple[int, str, datetime | None]] = {}
        self._start: dict[int, tuple[int, str, str]] = {}  # project -> (seq, hash, code) at begin
        self._added: dict[int, list[str]] = {}  # project -> the batch's entry hashes, in order
        self._moved: set[int] = set()
        self._db: sql.Db | None = None
        self.signed: list[TreeHead] = []  # the heads of the last batch that finished

    def begin(self) -> None:
        self._rows.clear()
        self._start.clear()
        self._added.clear()
        self._moved.clear()
        self.signed = []
        self._db = sql.Db()

    @property
    def db(self) -> sql.Db:
        if self._db is None:
            raise RuntimeError("no transaction has begun")
        return self._db

    def get(self, project: Project) -> tuple[int, str, datetime | None]:
        row = self._rows.get(project.pk)
        if row is None:
            row = self._rows[project.pk] = _lock_head(self.db, project)
            self._start[project.pk] = (row[0], row[1], project.code)
            self._added[project.pk] = []
        return row

    def move(self, project_id: int, seq: int, digest: str, at: datetime) -> None:
        self._rows[project_id] = (seq, digest, at)
        self._added[project_id].append(digest)
        self._moved.add(project_id)

    def finish(self) -> None:
        db = self.db
        now = timezone.now()
        for project_id in sorted(self._moved):
            seq, digest, at = self._rows[project_id]
            size, start_hash, code = self._start[project_id]
            edge = tree.append_leaves(db, project_id, size, start_hash, self._added[project_id])
            signed_at = max(now, at) if at is not None else now  # never older than its entries
            head = signed_heads.sign(code, seq, edge.root(), signed_at)
            db.execute(HEAD_UPDATE, (seq, digest, db.time(at), *signed_heads.signature_columns(db, head), project_id))
            signed_heads.keep(db, project_id, head)
            self.signed.append(head)
        self._moved.clear()
        self._db = None

    def committed(self) -> None:
        checkpoints.committed()
        checkpoint_log.COPIER.committed(self.signed)


# Concurrent appends share commits; a RecordInputError is raised before an append writes.
# Only the thread holding the writer path runs a batch, so one _Heads serves them all.
_HEADS = _Heads()
_GROUP = GroupCommit(refused=RecordInputError, begin=_HEADS.begin, finish=_HEADS.finish, committed=_HEADS.committed)


def append_fact(*, project: Project, data: dict[str, Any], actor: User = None) -> Appended:
    """Append one fact (``kind`` and its fields; ``id`` optional) stamped with the server's time."""
    result: Appended = _GROUP.run(lambda: _append(project, data, actor, None), project.pk)
    return result


def import_fact(*, project: Project, data: dict[str, Any], actor: User = None) -> Appended:
    """Append a fact from an earlier register (paper, Excel, the demo) keeping its own ``at``.

    The entry is chained like any other; its time may not precede the chain's last entry,
    so an import can only continue the record, never slip something into its past.
    """
    if "at" not in data:
        raise RecordInputError("at", bilingual(gettext_noop("导入的事实必须带时间")))
    result: Appended = _GROUP.run(lambda: _append(project, data, actor, data["at"]), project.pk)
    return result


# a fact decided on the live engine at the chain head and the entry's time (append_decided)
Decide = Callable[[Attributor, datetime], dict[str, Any]]


def append_decided(*, project: Project, decide: Decide, actor: User = None) -> Appended:
    """Append one fact whose fields are decided on the record as it stands, under the chain lock:
    ``decide(engine, at)`` reads the live engine (caught up to the head) and the entry's time and
    returns the fact; concurrent decisions are serialised with every other append, so none reads
    a state another has already moved (the rotation's "next customer"). A RecordInputError it
    raises refuses the append before anything is written."""
    result: Appended = _GROUP.run(lambda: _append(project, decide, actor, None), project.pk)
    return result


ENTRY_INSERT = (
    "INSERT INTO record_entry (project_id, seq, fact_id, kind, at, payload, actor_id, prev_hash, hash) "
    "VALUES (%s, %s, %s, %s, %s, {json}, %s, %s, %s)"
)
HEAD_SELECT = "SELECT seq, hash, at FROM record_chainhead WHERE project_id = %s"
HEAD_UPDATE = (
    "UPDATE record_chainhead SET seq = %s, hash = %s, at = %s, root = %s, signed_at = %s, key = %s, signature = %s "
    "WHERE project_id = %s"
)


def _lock_head(db: sql.Db, project: Project) -> tuple[int, str, datetime | None]:
    """The chain head, locked until the transaction ends (SQLite: the IMMEDIATE transaction)."""
    row = db.fetchone(HEAD_SELECT + (" FOR UPDATE" if db.postgres else ""), (project.pk,))
    if row is None:
        raise ChainHead.DoesNotExist(f"project {project.code} has no chain head")
    return int(row[0]), str(row[1]), sql.aware(row[2])


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


def _append(project: Project, data: dict[str, Any] | Decide, actor: User, given_at: Any) -> Appended:
    """One append inside the caller's transaction. Every RecordInputError is raised before the
    first write (group commit relies on it: a refused append leaves its batch untouched)."""
    db = _HEADS.db
    head_seq, head_hash, head_at = _HEADS.get(project)
    live = engines.live_engine(project, head_seq=head_seq)
    if given_at is None:
        now = timezone.now()
        stamp: Any = (max(now, head_at) if head_at else now).isoformat()  # time never runs backwards
    else:
        stamp = given_at
    if callable(data):  # append_decided: always stamped by the server
        with live.lock:
            data = data(live.engine, datetime.fromisoformat(stamp))
    seq = head_seq + 1
    fields = {**data, "at": stamp}
    chosen_id = "id" in fields
    fields.setdefault("id", f"{project.code}-{seq}")
    try:
        fact = fact_from_dict(fields)
    except FactError as exc:
        raise RecordInputError(exc.field, exc.message) from None
    at = fact.at
    if head_at is not None and at < head_at:
        raise RecordInputError("at", bilingual(gettext_noop("早于记录中最后一条事实")))
    payload = dump_fact(fact)
    text = canonical_text(payload)  # stored as it is hashed: one serialisation serves both
    # PostgreSQL cannot store NUL in text or JSON; it is never meaningful here. JSON escapes it,
    # so only a payload whose text holds the escape needs the walk that names the field.
    bad = _nul_path(payload) if "\\u0000" in text else None
    if bad is not None:
        raise RecordInputError(bad, bilingual(gettext_noop("不能包含空字符")))
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    digest = entry_hash_v2(
        head_hash,
        project=project.code,
        seq=seq,
        fact_id=fact.id,
        kind=fact.kind,
        at=at_text(at),
        actor=actor_id,
        fact_text=text,
    )
    if chosen_id:
        # the record numbers its own entries "<project>-<seq>": a chosen id may not take one
        if re.fullmatch(rf"{re.escape(project.code)}-\d+", fact.id):
            raise RecordInputError("id", bilingual(gettext_noop("编号 %(id)s 为记录自动编号保留"), id=fact.id))
        if Entry.objects.filter(project=project, fact_id=fact.id).exists():
            raise RecordInputError("id", bilingual(gettext_noop("编号 %(id)s 已存在"), id=fact.id))
    when = db.time(at)
    db.execute(
        ENTRY_INSERT.format(json=db.json),
        (
            project.pk,
            seq,
            fact.id,
            fact.kind,
            when,
            text,
            actor_id,
            head_hash,
            digest,
        ),
    )
    _HEADS.move(project.pk, seq, digest, at)  # written with the batch, before its commit
    with live.lock:
        touched = live.engine.apply(fact)
        live.seq = seq
        verdicts = projections.write_groups(project, live.engine, touched, live.written, db)
    if fact.kind in memberships.KINDS:
        memberships.project_fact(project, fact)
    return Appended(Receipt(seq, fact.id, at, head_hash, digest), fact, verdicts)
