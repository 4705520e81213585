"""The duty sheet as the back office reads it, and a leaver's customers awaiting the manager."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.utils import timezone

from guishu.core.identity import mask_phone
from guishu.corrections.selectors import Voiding, voidings
from guishu.duty.actions import POOL_RULE, in_pool
from guishu.record import engines
from guishu.record.models import Entry, GroupVerdict, Membership, Project
from guishu.sites.roles import SELLERS
from guishu.sites.templatetags import words

RECENT_ENTRIES = 200  # the duty entries read back for today's list (a site enters a few a day)
POOL_SHOWN = 100


@dataclass(frozen=True)
class DutyRow:
    """One consultant now: his name, team, status in words and until when."""

    staff: str
    name: str
    team: str
    status: str  # on_duty, busy, day_off ... (unknown: no entry yet)
    until: datetime | None


@dataclass(frozen=True)
class DutyLine:
    """One duty entry of today (or still in force): whose, what, from, until, and its voiding."""

    entry: Entry
    name: str
    status: str
    until: datetime | None
    voided: Voiding | None


def sheet(project: Project) -> list[DutyRow]:
    """Every consultant at work at the site, with his status now as the engine reads the record."""
    at_work = Membership.objects.filter(project=project, role__in=SELLERS, left_at__isnull=True)
    members = list(at_work.order_by("team", "name"))
    live = engines.live_engine(project)
    now = timezone.now()
    with live.lock:
        staff = live.engine.staff
        statuses = {m.staff: staff.status(m.staff, now) for m in members}
        untils = {m.staff: staff.status_until(m.staff, now) for m in members}
    return [DutyRow(m.staff, m.name, m.team, statuses[m.staff], untils[m.staff]) for m in members]


def today(project: Project) -> list[DutyLine]:
    """Today's duty entries and those entered before that are still in force, newest first."""
    zone = words.site_zone(project)
    now = timezone.now()
    start = datetime.combine(now.astimezone(zone).date(), time(0), tzinfo=zone)
    rows = list(Entry.objects.filter(project=project, kind="duty").order_by("-seq")[:RECENT_ENTRIES])
    people = words.people_of(project)
    lines = []
    for e in rows:
        payload = e.payload if isinstance(e.payload, dict) else {}
        until = _moment(payload.get("until"))
        if e.at < start and (until is None or until <= now):
            continue
        staff = str(payload.get("staff", ""))
        lines.append((e, people.get(staff, staff), str(payload.get("status", "")), until))
    void = voidings(project, (e.fact_id for e, *_ in lines))
    return [DutyLine(e, name, status, until, void.get(e.fact_id)) for e, name, status, until in lines]


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class PoolItem:
    """A leaver's customer: the group, its names and masked phones, since when, and why."""

    group: str
    names: str
    phones: str
    since: datetime | None
    reason: str
    assignable: bool  # in the pool (no deposit): the manager assigns him; the department's stay


def pool(project: Project) -> tuple[list[PoolItem], int]:
    """The customers a departure left (S16.3), newest first, at most POOL_SHOWN, and their count:
    read from the verdict projection (its owner index), checked on the live engine."""
    rows = GroupVerdict.objects.filter(
        project=project,
        owner_id="",
        state__in=("public", "owned"),
        owner_kind__in=("pool", "department"),
        data__reasons__0__rule=POOL_RULE,
    )
    count = rows.count()
    shown = list(rows.order_by("-since")[:POOL_SHOWN])
    live = engines.live_engine(project)
    items = []
    with live.lock:
        for r in shown:
            g = live.engine.groups.get(r.group)
            if g is None or g.owner.kind not in ("pool", "department"):
                continue
            reason = g.current[0] if g.current else None
            if reason is None or reason.rule != POOL_RULE:
                continue
            names = "、".join(g.names)
            phones = "、".join(mask_phone(p) for p in g.members)
            said = reason.en if words.english() else reason.zh
            items.append(PoolItem(g.id, names, phones, g.since, said, in_pool(live.engine, g.id)))
    return items, count
