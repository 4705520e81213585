"""The membership projection: ``staff_joined`` / ``staff_left`` facts -> ``Membership`` rows.

Written inside the append's transaction, so the moment a ``staff_left`` fact commits, every
check that reads memberships (every screen, the API's key check) refuses the leaver.
"""

from __future__ import annotations

from collections.abc import Iterable

from guishu.core.events import Fact, StaffJoined, StaffLeft
from guishu.record.models import Membership, Project

KINDS = frozenset({"staff_joined", "staff_left"})


def project_fact(project: Project, fact: Fact) -> None:
    if isinstance(fact, StaffJoined):
        Membership.objects.update_or_create(
            project=project,
            staff=fact.staff,
            defaults={
                "name": fact.name,
                "role": fact.role,
                "team": fact.team or "",
                "channel": fact.channel or "",
                "joined_at": fact.at,
                "left_at": None,
                "fact": fact.id,
            },
        )
    elif isinstance(fact, StaffLeft):
        Membership.objects.filter(project=project, staff=fact.staff, left_at__isnull=True).update(
            left_at=fact.at, fact=fact.id
        )


def rebuild(project: Project, facts: Iterable[Fact]) -> int:
    Membership.objects.filter(project=project).delete()
    for fact in facts:
        project_fact(project, fact)
    return Membership.objects.filter(project=project).count()
