"""Who works at the site and whether they were there: roles, teams, duty timelines."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime

from guishu.core.events import Duty, StaffJoined, StaffLeft

AWAY = frozenset({"day_off", "absent", "out", "sick"})
UNAVAILABLE = AWAY | {"busy"}  # recorded away or busy: someone stands in for him (S10.8, S14.2, S16.5)
_NOT_FREE = UNAVAILABLE | {"left"}
# Roles that may write a correction (S1.4: anyone else altering a record is fined).
CORRECTORS = frozenset({"manager", "clerk", "admin", "supervisor"})


@dataclass(slots=True)
class Person:
    staff: str
    name: str
    role: str
    team: str | None
    channel: str | None
    joined: datetime
    left: datetime | None = None


@dataclass(slots=True)
class Staff:
    people: dict[str, Person] = field(default_factory=dict)
    # staff -> sorted [(from, until|None, status, fact id)]
    _duty: dict[str, list[tuple[datetime, datetime | None, str, str]]] = field(default_factory=dict)

    def join(self, f: StaffJoined) -> None:
        self.people[f.staff] = Person(f.staff, f.name, f.role, f.team, f.channel, f.at)

    def leave(self, f: StaffLeft) -> None:
        person = self.people.get(f.staff)
        if person is not None:
            person.left = f.at

    def duty(self, f: Duty) -> None:
        timeline = self._duty.setdefault(f.staff, [])
        bisect.insort(timeline, (f.at, f.until, f.status, f.id), key=lambda e: e[0])

    def void_duty(self, fact_id: str) -> bool:
        for timeline in self._duty.values():
            for i, entry in enumerate(timeline):
                if entry[3] == fact_id:
                    del timeline[i]
                    return True
        return False

    def status(self, staff: str, at: datetime) -> str:
        """The duty status at a moment: the latest Duty fact that covers it, else 'on_duty'."""
        person = self.people.get(staff)
        if person is not None and person.left is not None and person.left <= at:
            return "left"
        timeline = self._duty.get(staff)
        if not timeline:
            return "unknown"
        i = bisect.bisect_right(timeline, at, key=lambda e: e[0])
        if i == 0:
            return "unknown"
        _start, until, status, _ = timeline[i - 1]
        if until is not None and at >= until:
            return "on_duty"
        return status

    def status_until(self, staff: str, at: datetime) -> datetime | None:
        """When the status at ``at`` ends, if its entry says (None: until the next entry)."""
        timeline = self._duty.get(staff)
        i = bisect.bisect_right(timeline, at, key=lambda e: e[0]) if timeline else 0
        if not timeline or i == 0:
            return None
        until = timeline[i - 1][1]
        return until if until is not None and at < until else None

    def team(self, staff: str) -> str | None:
        person = self.people.get(staff)
        return person.team if person else None

    def team_free(self, staff: str, at: datetime) -> list[str]:
        """The consultants of ``staff``'s team, himself aside, not recorded away, busy or gone
        at ``at`` (S10.8's "the next of A's team")."""
        team = self.team(staff)
        if team is None:
            return []
        mates = (
            p.staff
            for p in self.people.values()
            if p.team == team and p.staff != staff and p.role == "consultant" and p.joined <= at
        )
        return [m for m in mates if self.status(m, at) not in _NOT_FREE]

    def role(self, staff: str) -> str | None:
        person = self.people.get(staff)
        return person.role if person else None

    def name(self, staff: str) -> str:
        person = self.people.get(staff)
        return person.name if person else staff
