"""Every projection of a project rebuilt from a fresh replay of its record: verdicts and lookup
indexes (``projections.rebuild``) and memberships (``memberships.rebuild``). Used by
``guishu rebuild``, by ``verify --projections`` (rolled back) and after a restore; the caller
holds the transaction."""

from __future__ import annotations

from dataclasses import dataclass

from guishu.core.events import fact_from_dict
from guishu.record import engines, memberships, projections
from guishu.record.models import Entry, Project


@dataclass(frozen=True)
class Rebuilt:
    groups: int
    people: int
    entries: int  # the entries replayed


def rebuild_all(project: Project) -> Rebuilt:
    engines.forget(project.pk)
    live = engines.live_engine(project)
    groups = projections.rebuild(project, live.engine)
    staff = Entry.objects.filter(project=project, kind__in=sorted(memberships.KINDS)).order_by("seq")
    people = memberships.rebuild(project, (fact_from_dict(e.payload) for e in staff.iterator()))
    return Rebuilt(groups, people, live.seq)
