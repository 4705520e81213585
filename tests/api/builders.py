"""A site whose two channel firms each reported earlier, at times of their own.

The facts are imported two days in the past, so that a time an answer must never tell (when
the other firm reported) is a minute no answer made now can share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from guishu.api import keys as api_keys
from guishu.record import engines, projects
from guishu.record.actions import create_project, import_fact
from guishu.record.models import Entry, Project
from tests.record.builders import AGENTS, CHANNELS, STAFF

SHARED = {"name": "李梅", "gender": "F", "phone": "1381**45678"}  # the OpenAPI example: hx first, then jy
HX_ONLY = {"name": "孙丽", "gender": "F", "phone": "1385**00033"}
JY_ONLY = {"name": "钱多多", "gender": "F", "phone": "1391**00021"}


@dataclass(frozen=True)
class Firms:
    project: Project
    keys: dict[str, str]  # hx, jy, revoked
    reports: dict[str, list[Entry]]  # each firm's earlier reports

    def marks_of(self, firm: str) -> list[str]:
        """What only ``firm``'s reports hold: their ids, hashes, times in every form, its agent."""
        tz = ZoneInfo(self.project.timezone)
        agent = next(staff for staff, (_name, channel) in AGENTS.items() if channel == firm)
        marks = [agent, AGENTS[agent][0], CHANNELS[firm]]
        for e in self.reports[firm]:
            marks += [f'"{e.fact_id}"', e.hash]
            if e.payload["name"] != SHARED["name"]:  # the shared customer is both firms'
                marks += [e.payload["name"], e.payload["phone"]]
            for at in (e.at, e.at.astimezone(tz)):
                marks += [f"{at:%m-%d %H:%M}", at.isoformat()[:16]]
        return marks


def firms_site(code: str = "demo", zone: str = "Asia/Shanghai") -> Firms:
    """The builders' staff, firms hx (华信置业) and jy (嘉园房产), a key each and a revoked one;
    two days ago hx reported SHARED and HX_ONLY, an hour later jy reported SHARED (a duplicate)
    and JY_ONLY."""
    engines.forget_all()
    projects.forget_all()
    project = create_project(code=code, name="示范案场", policy="s8", timezone_name=zone)
    start = timezone.now() - timedelta(days=2, hours=3)
    clock = iter(start + timedelta(minutes=i) for i in range(1000))

    def add(data: dict[str, Any], at: datetime | None = None) -> Entry:
        appended = import_fact(project=project, data={**data, "at": (at or next(clock)).isoformat()})
        return Entry.objects.get(project=project, seq=appended.entry.seq)

    for staff, (name, role, team) in STAFF.items():
        add({"kind": "staff_joined", "staff": staff, "name": name, "role": role, "team": team})
    for channel, firm in CHANNELS.items():
        add({"kind": "channel_joined", "channel": channel, "name": firm})
    for staff, (name, channel) in AGENTS.items():
        add({"kind": "staff_joined", "staff": staff, "name": name, "role": "agent", "channel": channel})
    report = {"kind": "report"}
    hx = {**report, "channel": "hx", "agent": "wangwu"}
    jy = {**report, "channel": "jy", "agent": "chenshi"}
    hour = timedelta(hours=1)
    reports = {
        "hx": [add({**hx, **SHARED}, start + hour), add({**hx, **HX_ONLY}, start + hour * 1.1)],
        "jy": [add({**jy, **SHARED}, start + hour * 2), add({**jy, **JY_ONLY}, start + hour * 2.1)],
    }
    keys = {
        "hx": api_keys.issue(project=project, agent="wangwu", channel="hx")[1],
        "jy": api_keys.issue(project=project, agent="chenshi", channel="jy")[1],
    }
    revoked, keys["revoked"] = api_keys.issue(project=project, agent="wangwu", channel="hx")
    api_keys.revoke([revoked])
    return Firms(project, keys, reports)
