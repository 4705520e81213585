"""Write the projections of the groups a fact touched; rebuild them all from the record."""

from __future__ import annotations

from collections.abc import Iterable

from guishu.core.attribution import Attributor
from guishu.core.identity import name_pinyin, national_digits
from guishu.core.verdict import Verdict
from guishu.core.verdict_json import verdict_json
from guishu.record.models import GroupVerdict, NameIndex, PhoneIndex, Project


def write_groups(project: Project, engine: Attributor, group_ids: Iterable[str]) -> list[Verdict]:
    """Upsert the verdict and lookup rows of the touched groups (inside the append's transaction).

    A group's row is its verdict as of its own latest fact, so a rebuild from the
    record writes exactly what the live appends wrote; time-driven changes since
    (a lapse) are computed when the verdict is read.
    """
    verdicts = []
    for gid in group_ids:
        g = engine.groups.get(gid)
        if g is None or g.last_at is None:
            continue
        v = engine.verdict(gid, g.last_at)
        verdicts.append(v)
        _write_verdict(project, v, g.facts[-1].id, engine)
        if len(g.members) > 1:  # a single phone's group id is its own: nothing can be stale
            stale = set(
                PhoneIndex.objects.filter(project=project, phone__in=g.members)
                .exclude(group=gid)
                .values_list("group", flat=True)
            )
            if stale:  # groups merged into this one (S8.3, S14.3f, S18.11) no longer stand alone
                GroupVerdict.objects.filter(project=project, group__in=stale).delete()
                NameIndex.objects.filter(project=project, group__in=stale).update(group=gid)
        PhoneIndex.objects.bulk_create(
            [
                PhoneIndex(project=project, phone=p, group=gid, head3=national_digits(p)[:3], tail4=p[-4:])
                for p in g.members
            ],
            update_conflicts=True,
            unique_fields=["project", "phone"],
            update_fields=["group"],
        )
        NameIndex.objects.bulk_create(
            [NameIndex(project=project, name=n, group=gid, pinyin=name_pinyin(n)) for n in g.names],
            ignore_conflicts=True,
        )
    return verdicts


def _write_verdict(project: Project, v: Verdict, last_fact: str, engine: Attributor) -> None:
    row = GroupVerdict(
        project=project,
        group=v.group,
        owner_kind=v.owner.kind,
        owner_id=v.owner.id or "",
        state=v.state,
        since=v.since,
        protected_until=v.protected_until,
        data=verdict_json(v, engine.staff.name),
        last_fact=last_fact,
    )
    GroupVerdict.objects.bulk_create(
        [row],
        update_conflicts=True,
        unique_fields=["project", "group"],
        update_fields=["owner_kind", "owner_id", "state", "since", "protected_until", "data", "last_fact"],
    )


def rebuild(project: Project, engine: Attributor) -> int:
    """Replace every projection row of the project with what a fresh replay answers."""
    GroupVerdict.objects.filter(project=project).delete()
    PhoneIndex.objects.filter(project=project).delete()
    NameIndex.objects.filter(project=project).delete()
    return len(write_groups(project, engine, list(engine.groups)))
