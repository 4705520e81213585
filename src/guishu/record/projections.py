"""Write the projections of the groups a fact touched; rebuild them all from the record."""

from __future__ import annotations

import json
from collections.abc import Iterable

from guishu.core.attribution import Attributor
from guishu.core.identity import name_key, national_digits
from guishu.core.verdict import Verdict
from guishu.core.verdict_json import verdict_json
from guishu.record import sql
from guishu.record.models import GroupVerdict, NameIndex, PhoneIndex, Project

# One statement per projection row, upserted: these run inside every append, where the ORM's
# bulk_create costs more than the database itself. Both SQLite and PostgreSQL speak ON CONFLICT.
VERDICT_UPSERT = (
    'INSERT INTO record_groupverdict (project_id, "group", owner_kind, owner_id, state, since, protected_until, '
    "data, last_fact) VALUES (%s, %s, %s, %s, %s, %s, %s, {json}, %s) "
    'ON CONFLICT (project_id, "group") DO UPDATE SET owner_kind = excluded.owner_kind, '
    "owner_id = excluded.owner_id, state = excluded.state, since = excluded.since, "
    "protected_until = excluded.protected_until, data = excluded.data, last_fact = excluded.last_fact"
)
PHONE_UPSERT = (
    'INSERT INTO record_phoneindex (project_id, phone, head3, tail4, "group") VALUES (%s, %s, %s, %s, %s) '
    'ON CONFLICT (project_id, phone) DO UPDATE SET "group" = excluded."group"'
)
NAME_INSERT = (
    'INSERT INTO record_nameindex (project_id, name, pinyin, "group") VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING'
)


def write_groups(
    project: Project,
    engine: Attributor,
    group_ids: Iterable[str],
    written: set[tuple[str, str, str]] | None = None,
    db: sql.Db | None = None,
) -> list[Verdict]:
    """Upsert the verdict and lookup rows of the touched groups (inside the append's transaction).

    A group's row is its verdict as of its own latest fact, so a rebuild from the
    record writes exactly what the live appends wrote; time-driven changes since
    (a lapse) are computed when the verdict is read. ``written``: the lookup rows this
    process knows are already stored, as ("phone"|"name", value, group); they are not
    written again (each rewrite dirties index pages the commit must flush). The caller
    drops the set with its engine when a transaction fails.
    """
    known: set[tuple[str, str, str]] = written if written is not None else set()
    db = db or sql.Db()
    verdicts = []
    pk = project.pk
    for gid in group_ids:
        g = engine.groups.get(gid)
        if g is None or g.last_at is None:
            continue
        v = engine.verdict(gid, g.last_at)
        verdicts.append(v)
        _write_verdict(db, pk, v, g.facts[-1].id, engine)
        if len(g.members) > 1:  # a single phone's group id is its own: nothing can be stale
            stale = set(
                PhoneIndex.objects.filter(project=project, phone__in=g.members)
                .exclude(group=gid)
                .values_list("group", flat=True)
            )
            if stale:  # groups merged into this one (S8.3, S14.3f, S18.11) no longer stand alone
                GroupVerdict.objects.filter(project=project, group__in=stale).delete()
                # their names are this group's now: written again below (an update could collide
                # with a name the kept group already has, the index being unique per group)
                NameIndex.objects.filter(project=project, group__in=stale).delete()
        phones = [p for p in g.members if ("phone", p, gid) not in known]
        if phones:
            db.executemany(PHONE_UPSERT, [(pk, p, national_digits(p)[:3], p[-4:], gid) for p in phones])
            known.update(("phone", p, gid) for p in phones)
        names = [n for n in g.names if ("name", n, gid) not in known]
        if names:
            db.executemany(NAME_INSERT, [(pk, n, name_key(n), gid) for n in names])
            known.update(("name", n, gid) for n in names)
    return verdicts


def _write_verdict(db: sql.Db, project_id: int, v: Verdict, last_fact: str, engine: Attributor) -> None:
    data = json.dumps(verdict_json(v, engine.staff.name), ensure_ascii=False)
    db.execute(
        VERDICT_UPSERT.format(json=db.json),
        (
            project_id,
            v.group,
            v.owner.kind,
            v.owner.id or "",
            v.state,
            db.time(v.since),
            db.time(v.protected_until),
            data,
            last_fact,
        ),
    )


def rebuild(project: Project, engine: Attributor) -> int:
    """Replace every projection row of the project with what a fresh replay answers."""
    GroupVerdict.objects.filter(project=project).delete()
    PhoneIndex.objects.filter(project=project).delete()
    NameIndex.objects.filter(project=project).delete()
    return len(write_groups(project, engine, list(engine.groups)))
