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
        stale = set(
            PhoneIndex.objects.filter(project=project, phone__in=g.members)
            .exclude(group=gid)
            .values_list("group", flat=True)
        )
        for phone in g.members:
            digits = national_digits(phone)
            PhoneIndex.objects.update_or_create(
                project=project, phone=phone, defaults={"group": gid, "head3": digits[:3], "tail4": digits[-4:]}
            )
        if stale:  # groups merged into this one (S8.3, S14.3f, S18.11) no longer stand alone
            GroupVerdict.objects.filter(project=project, group__in=stale).delete()
            NameIndex.objects.filter(project=project, group__in=stale).update(group=gid)
        for name in g.names:
            NameIndex.objects.get_or_create(
                project=project, name=name, group=gid, defaults={"pinyin": name_pinyin(name)}
            )
    return verdicts


def _write_verdict(project: Project, v: Verdict, last_fact: str, engine: Attributor) -> None:
    GroupVerdict.objects.update_or_create(
        project=project,
        group=v.group,
        defaults={
            "owner_kind": v.owner.kind,
            "owner_id": v.owner.id or "",
            "state": v.state,
            "since": v.since,
            "protected_until": v.protected_until,
            "data": verdict_json(v, engine.staff.name),
            "last_fact": last_fact,
        },
    )


def rebuild(project: Project, engine: Attributor) -> int:
    """Replace every projection row of the project with what a fresh replay answers."""
    GroupVerdict.objects.filter(project=project).delete()
    PhoneIndex.objects.filter(project=project).delete()
    NameIndex.objects.filter(project=project).delete()
    return len(write_groups(project, engine, list(engine.groups)))
