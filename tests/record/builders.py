"""Small builders for the service: a project with named staff, and a registration's data."""

from __future__ import annotations

from typing import Any

from guishu.record.actions import append_fact, create_project
from guishu.record.models import Project

STAFF = {
    "zhangsan": ("张三", "consultant", "A"),
    "lisi": ("李四", "consultant", "A"),
    "zhouqi": ("周七", "consultant", "B"),
    "zhaoliu": ("赵六", "manager", None),
    "sunba": ("孙八", "clerk", None),
    "qianjiu": ("钱九", "marketing_manager", None),
}
CHANNELS = {"hx": "华信置业", "jy": "嘉园房产"}
AGENTS = {"wangwu": ("王五", "hx"), "chenshi": ("陈十", "jy")}


def make_project(code: str = "demo", policy: str = "s8") -> Project:
    """A site with the named staff, two channel firms and an agent of each."""
    project = create_project(code=code, name="示范案场", policy=policy)
    for staff, (name, role, team) in STAFF.items():
        append_fact(
            project=project, data={"kind": "staff_joined", "staff": staff, "name": name, "role": role, "team": team}
        )
    for channel, firm in CHANNELS.items():
        append_fact(project=project, data={"kind": "channel_joined", "channel": channel, "name": firm})
    for staff, (name, channel) in AGENTS.items():
        append_fact(
            project=project,
            data={"kind": "staff_joined", "staff": staff, "name": name, "role": "agent", "channel": channel},
        )
    return project


def join_agent(project: Project, staff: str, channel: str, name: str = "") -> None:
    """An agent of a channel firm joins the site (the firm joins with him if it is new)."""
    append_fact(project=project, data={"kind": "channel_joined", "channel": channel, "name": channel})
    append_fact(
        project=project,
        data={"kind": "staff_joined", "staff": staff, "name": name or staff, "role": "agent", "channel": channel},
    )


def visit(consultant: str, phone: str, name: str = "王建国", gender: str = "M", **extra: Any) -> dict[str, Any]:
    return {
        "kind": "registration",
        "mode": "visit",
        "consultant": consultant,
        "customer": {"name": name, "gender": gender, "phone": phone, "intent": "三居", "source": "路过"},
        **extra,
    }
