"""Bulk import of an earlier record (a site's history, a migration, a benchmark site).

Entries are chained exactly as ``append_fact`` chains them, inserted in batches inside one
transaction, then the projections are rebuilt from a fresh replay. The record must be empty
or the facts must continue it (never earlier than its last entry).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from guishu.core.attribution import Attributor
from guishu.core.events import Fact, dump_fact
from guishu.core.identity import name_key, national_digits
from guishu.core.verdict_json import verdict_json
from guishu.record import engines, memberships, signed_heads, sql, tree
from guishu.record.actions import ENTRY_INSERT
from guishu.record.chain import at_text, canonical_text, entry_hash_v2
from guishu.record.models import ChainHead, GroupVerdict, NameIndex, PhoneIndex, Project

BATCH = 5000


def bulk_import(project: Project, facts: Iterable[Fact]) -> int:
    """Append many facts at once; returns how many. Projections are rebuilt at the end; the
    tree takes every new leaf and one head is signed over them, in the same transaction."""
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().get(project=project)
        seq, prev, last_at = head.seq, head.hash, head.at
        db = sql.Db()
        insert = ENTRY_INSERT.format(json=db.json)
        rows: list[tuple[object, ...]] = []
        hashes: list[str] = []
        staff: list[Fact] = []  # the membership projection is rebuilt from these at the end
        for fact in facts:
            if fact.kind in memberships.KINDS:
                staff.append(fact)
            if last_at is not None and fact.at < last_at:
                raise ValueError(f"{fact.id}: 早于记录中最后一条事实 / earlier than the record's last fact")
            seq += 1
            text = canonical_text(dump_fact(fact))
            digest = entry_hash_v2(
                prev,
                project=project.code,
                seq=seq,
                fact_id=fact.id,
                kind=fact.kind,
                at=at_text(fact.at),
                actor=None,
                fact_text=text,
            )
            rows.append((project.pk, seq, fact.id, fact.kind, db.time(fact.at), text, None, prev, digest))
            hashes.append(digest)
            prev, last_at = digest, fact.at
            if len(rows) >= BATCH:
                db.executemany(insert, rows)
                rows = []
        if rows:
            db.executemany(insert, rows)
        count = seq - head.seq
        if count:
            edge = tree.append_leaves(db, project.pk, head.seq, head.hash, hashes)
            signed_heads.store(
                db,
                project.pk,
                project.code,
                seq,
                edge.root(),
                max(timezone.now(), last_at) if last_at else timezone.now(),
            )
        head.seq, head.hash, head.at = seq, prev, last_at
        head.save(update_fields=["seq", "hash", "at"])
        engines.forget(project.pk)
        live = engines.live_engine(project)
        _bulk_projections(project, live.engine)
        for fact in staff:
            memberships.project_fact(project, fact)
    return count


def _bulk_projections(project: Project, engine: Attributor) -> None:
    GroupVerdict.objects.filter(project=project).delete()
    PhoneIndex.objects.filter(project=project).delete()
    NameIndex.objects.filter(project=project).delete()
    verdicts: list[GroupVerdict] = []
    phones: list[PhoneIndex] = []
    names: list[NameIndex] = []
    for gid, g in engine.groups.items():
        if g.last_at is None:
            continue
        v = engine.verdict(gid, g.last_at)
        verdicts.append(
            GroupVerdict(
                project=project,
                group=gid,
                owner_kind=v.owner.kind,
                owner_id=v.owner.id or "",
                state=v.state,
                since=v.since,
                protected_until=v.protected_until,
                data=verdict_json(v, engine.staff.name),
                last_fact=g.facts[-1].id,
            )
        )
        for phone in g.members:
            digits = national_digits(phone)
            phones.append(PhoneIndex(project=project, phone=phone, head3=digits[:3], tail4=digits[-4:], group=gid))
        names.extend(NameIndex(project=project, name=n, pinyin=name_key(n), group=gid) for n in g.names)
        if len(verdicts) >= BATCH:
            _flush(verdicts, phones, names)
    _flush(verdicts, phones, names)


def _flush(verdicts: list[GroupVerdict], phones: list[PhoneIndex], names: list[NameIndex]) -> None:
    GroupVerdict.objects.bulk_create(verdicts)
    PhoneIndex.objects.bulk_create(phones)
    NameIndex.objects.bulk_create(names)
    verdicts.clear()
    phones.clear()
    names.clear()
