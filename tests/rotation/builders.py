"""Small builders for the rotation screens: a site under a preset with a front desk, three
consultants and a manager, and the queue changes a morning makes."""

from __future__ import annotations

from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Project
from tests.record.builders import make_project
from tests.sites.builders import user

CONSULTANTS = {"zhangsan": "张三", "lisi": "李四", "zhouqi": "周七"}


def rotation_site(policy: str = "s7", code: str = "demo") -> Project:
    """The site, with logins: 前台 qiantai, consultants 张三 李四 周七, manager 赵六."""
    engines.forget_all()
    project = make_project(code=code, policy=policy)
    user("qiantai", "front_desk", "钱台", project=project)
    for staff, name in CONSULTANTS.items():
        user(staff, "consultant", name, project=project)
    user("zhaoliu", "manager", "赵六", project=project)
    return project


def sign_in(project: Project, *staff: str) -> None:
    for s in staff:
        append_fact(project=project, data={"kind": "queue", "action": "sign_in", "staff": s, "confirmed": "desk"})
