"""A site where 华信's agent 王五 reported 李梅 and the clerk, the marketing manager and two
agents have logins: the visit confirmation's three parties (S6.7), and the form the clerk opens."""

from __future__ import annotations

from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Project
from tests.record.builders import make_project
from tests.sites.builders import user

FORM = {
    "name": "李梅",
    "gender": "F",
    "phone": "138 0000 0002",
    "phone_shown": "1380**00002",
    "channel": "hx",
    "agent": "wangwu",
}


def reported_site() -> Project:
    engines.forget_all()
    project = make_project()
    user("sunba", "clerk", "孙八")
    user("qianjiu", "marketing_manager", "钱九")
    user("wangwu", "agent", "王五")
    user("chenshi", "agent", "陈十")
    report = {"kind": "report", "channel": "hx", "agent": "wangwu", "name": "李梅", "gender": "F"}
    append_fact(project=project, data={**report, "phone": FORM["phone_shown"]})
    return project
