"""The demo site: one project under s8, two teams, a clerk, a manager, a marketing manager,
finance, two channel firms with agents, and a few weeks of realistic facts ending just now.

The facts are the bundled s8 example (examples/s8.jsonl: registrations, follow-ups, a
collision, a family, pending confirmations, a refusal, deals) plus the channel side,
shifted in time so that the last one happened an hour ago; they are imported (chained
like any entry, keeping their own times).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from guishu.record.actions import create_project, import_fact
from guishu.record.models import Project

DEMO_CODE = "demo"
DEMO_PASSWORD = "guishu-demo"  # noqa: S105 - printed on purpose: a local demo only
ROLES = ("consultant", "clerk", "manager", "marketing_manager", "finance", "agent", "admin")
TIME_KEYS = ("at", "effective_at", "until", "entry_at", "signed_at", "reception_at", "handed_at")

EXTRA_STAFF: list[dict[str, Any]] = [
    {"kind": "staff_joined", "staff": "zhengshiyi", "name": "郑十一", "role": "finance"},
    {"kind": "channel_joined", "channel": "hx", "name": "华信置业"},
    {"kind": "channel_joined", "channel": "jy", "name": "嘉园房产"},
    {"kind": "staff_joined", "staff": "admin", "name": "管理员", "role": "admin"},
]


def _example_facts() -> list[dict[str, Any]]:
    text = resources.files("guishu").joinpath("examples", "s8.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _shift(fact: dict[str, Any], delta: timedelta) -> dict[str, Any]:
    out = dict(fact)
    for key in TIME_KEYS:
        if isinstance(out.get(key), str):
            out[key] = (datetime.fromisoformat(out[key]) + delta).isoformat()
    return out


def demo_facts(now: datetime) -> list[dict[str, Any]]:
    facts = _example_facts()
    first = datetime.fromisoformat(facts[0]["at"])
    last = datetime.fromisoformat(facts[-1]["at"])
    delta = (now - timedelta(hours=1)) - last
    staff_end = next(i for i, f in enumerate(facts) if f["kind"] != "staff_joined")
    extra = [{**f, "id": f"x{i}", "at": first.isoformat()} for i, f in enumerate(EXTRA_STAFF)]
    channel: list[dict[str, Any]] = [
        {
            "id": "c1",
            "kind": "report",
            "at": (last - timedelta(days=2)).isoformat(),
            "channel": "hx",
            "agent": "wangwu",
            "name": "钱多多",
            "gender": "F",
            "phone": "1391**00021",
        },
        {
            "id": "c2",
            "kind": "report",
            "at": (last - timedelta(days=2, hours=-1)).isoformat(),
            "channel": "jy",
            "agent": "chenshi",
            "name": "钱多多",
            "gender": "F",
            "phone": "1391**00021",
        },
        {
            "id": "c3",
            "kind": "visit_confirmation",
            "at": (last - timedelta(days=1)).isoformat(),
            "name": "钱多多",
            "gender": "F",
            "phone": "13910000021",
            "phone_shown": "1391**00021",
            "entry_at": (last - timedelta(days=1)).isoformat(),
            "channel": "hx",
            "agent": "wangwu",
            "signoffs": [
                {"role": "agent", "staff": "wangwu"},
                {"role": "clerk", "staff": "sunba"},
                {"role": "marketing_manager", "staff": "qianjiu"},
            ],
        },
    ]
    ordered = facts[:staff_end] + extra + sorted(facts[staff_end:] + channel, key=lambda f: f["at"])
    return [_shift(f, delta) for f in ordered]


def ensure_demo_site() -> tuple[Project, list[tuple[str, str, str]]]:
    """Create the demo project, its users and its record once; return the logins."""
    project = Project.objects.filter(code=DEMO_CODE).first()
    if project is None:
        project = create_project(code=DEMO_CODE, name="示范案场 · 归属演示", policy="s8")
        for fact in demo_facts(timezone.now()):
            import_fact(project=project, data=fact)
    logins = []
    with transaction.atomic():
        for role in ROLES:
            Group.objects.get_or_create(name=role)
        for fact in _example_facts() + EXTRA_STAFF:
            if fact["kind"] != "staff_joined":
                continue
            user, created = User.objects.get_or_create(username=fact["staff"], defaults={"first_name": fact["name"]})
            if created:
                user.set_password(DEMO_PASSWORD)
                user.is_staff = fact["role"] == "admin"
                user.save()
                user.groups.add(Group.objects.get(name=fact["role"] if fact["role"] in ROLES else "consultant"))
            logins.append((fact["staff"], fact["name"], fact["role"]))
    return project, logins
