"""A site under s18@v3 with penalties this month and last (S18.17), for the ledger's tests."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from guishu.record import engines
from guishu.record.actions import append_fact, create_project, import_fact
from guishu.record.models import Project
from guishu.sites.templatetags import words
from tests.record.builders import STAFF, visit
from tests.sites.builders import user


def _people(project: Project) -> None:
    user("zhaoliu", "manager", "赵六", project=project)
    user("zhengshiyi", "finance", "郑十一", project=project)
    user("zhangsan", "consultant", "张三", project=project)


def last_month(project: Project) -> str:
    start = timezone.localtime(timezone=words.site_zone(project)).replace(day=1)
    return (start - timedelta(days=1)).strftime("%Y-%m")


def ledger_site() -> Project:
    """s18: 李四's appeal rejected this month (S18.17: ¥400); another overturned, 赵六 fined
    ¥500; 周七's appeal rejected last month."""
    engines.forget_all()
    project = create_project(code="demo", name="示范案场", policy="s18@v3")
    first = timezone.localtime(timezone=words.site_zone("Asia/Shanghai")).replace(day=1, hour=12, minute=0)
    long_ago = first - timedelta(days=20)  # within last month
    for staff, (name, role, team) in STAFF.items():
        data = {"kind": "staff_joined", "staff": staff, "name": name, "role": role, "team": team}
        import_fact(project=project, data={**data, "at": (long_ago - timedelta(hours=1)).isoformat()})
    import_fact(project=project, data={**visit("zhouqi", "13800000009", "钱多"), "at": long_ago.isoformat()})
    import_fact(
        project=project,
        data={
            "kind": "appeal",
            "phone": "+8613800000009",
            "appellant": "zhouqi",
            "outcome": "rejected",
            "at": (long_ago + timedelta(days=1)).isoformat(),
        },
    )
    _people(project)
    for phone, name in (("13800000001", "王建国"), ("13800000002", "李梅")):
        append_fact(project=project, data=visit("zhangsan", phone, name))
    append_fact(
        project=project,
        data={"kind": "appeal", "phone": "+8613800000001", "appellant": "lisi", "outcome": "rejected"},
    )
    append_fact(
        project=project,
        data={
            "kind": "appeal",
            "phone": "+8613800000002",
            "appellant": "lisi",
            "outcome": "overturned",
            "responsible": ["zhaoliu"],
            "owner": "lisi",
        },
    )
    return project
