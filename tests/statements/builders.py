"""A site under s8 whose 张三 signed a flat last month at ¥1,000,000, with a 0.5 % commission
rate in force: ¥5,000.00 to settle (S8.1, the owner closed), for the statements' tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from guishu.record import engines
from guishu.record.actions import create_project, import_fact
from guishu.record.models import Project
from guishu.sites.templatetags import words
from tests.record.builders import STAFF, visit
from tests.sites.builders import user

PHONE = "+8613800000001"


def last_month_noon() -> datetime:
    """The 10th of last month, 12:00 in the site's zone."""
    first = timezone.localtime(timezone=words.site_zone("Asia/Shanghai")).replace(
        day=1, hour=12, minute=0, second=0, microsecond=0
    )
    return (first - timedelta(days=20)).replace(day=10)


def month_of(at: datetime) -> str:
    return at.astimezone(words.site_zone("Asia/Shanghai")).strftime("%Y-%m")


def signed_site() -> Project:
    engines.forget_all()
    project = create_project(code="demo", name="示范案场", policy="s8")
    when = last_month_noon()
    for staff, (name, role, team) in STAFF.items():
        data = {"kind": "staff_joined", "staff": staff, "name": name, "role": role, "team": team}
        import_fact(project=project, data={**data, "at": (when - timedelta(hours=3)).isoformat()})
    rate = {
        "kind": "commission_rate",
        "by": "qianjiu",
        "payee": "consultant",
        "rate": "0.005",
        "valid_from": (when - timedelta(days=5)).isoformat(),
    }
    import_fact(project=project, data={**rate, "at": (when - timedelta(hours=2)).isoformat()})
    import_fact(
        project=project, data={**visit("zhangsan", PHONE, "王建国"), "at": (when - timedelta(hours=1)).isoformat()}
    )
    deal = {
        "kind": "deal",
        "id": "o-sign",
        "type": "signing",
        "phone": PHONE,
        "closer": "zhangsan",
        "unit": "3-1502",
        "amount": "1000000",
        "at": when.isoformat(),
    }
    import_fact(project=project, data=deal)
    user("zhengshiyi", "finance", "郑十一", project=project)
    user("zhaoliu", "manager", "赵六", project=project)
    user("qianjiu", "marketing_manager", "钱九", project=project)
    user("zhangsan", "consultant", "张三", project=project)
    return project
