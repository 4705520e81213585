"""A confirmation desk (S18) seeded from two days ago: the staff, and a consultant holding
``held`` live confirmations, each signed inside the desk's morning hours (S18.1)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from guishu.record import engines
from guishu.record.actions import create_project, import_fact
from guishu.record.models import Project
from tests.sites.builders import user

TZ = ZoneInfo("Asia/Shanghai")
PEOPLE = (
    ("zhangsan", "consultant", "张三"),
    ("lisi", "consultant", "李四"),
    ("sunba", "clerk", "孙八"),
    ("zhaoliu", "manager", "赵六"),
    ("qianqi", "signing_room", "钱七"),
)


def customer_phone(n: int) -> str:
    return f"+86138{n:08d}"


def customer_name(n: int) -> str:
    """A name of his own for each customer: the same name and need is the same customer (S18.11)."""
    return "王" + chr(0x4E00 + n)


def _register(project: Project, n: int, at: datetime) -> None:
    customer = {"name": customer_name(n), "gender": "M", "phone": customer_phone(n), "intent": "三居"}
    data = {"kind": "registration", "at": at.isoformat(), "mode": "visit", "consultant": "zhangsan"}
    import_fact(project=project, data=data | {"customer": customer})


def desk_site(
    held: int, *, registered: int = 0, signed: int = 0, sheet_at: datetime | None = None, policy: str = "s18@v3"
) -> Project:
    """A site under s18@v3 (only live confirmations take a place, S18.5; the sheet is the day's,
    S18.7) where 张三 holds ``held`` confirmations; ``registered`` more customers of his are registered
    (on his 来人来电表) but not yet handed in: customers held+1 ... held+registered; he signed
    ``signed`` contracts last quarter (S18.5: none, a quota of 30; 1-2, 50; 3, 80). The customers
    still to hand in are on the sheet from ``sheet_at`` (a minute before the desk's last hours)."""
    engines.forget_all()
    project = create_project(code="demo", name="示范案场", policy=policy)
    day = (timezone.now() - timedelta(days=2)).astimezone(TZ).date()
    start = datetime.combine(day, time(8, 0), tzinfo=TZ)
    today = timezone.now().astimezone(TZ).date()
    quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    last_quarter = datetime.combine(quarter_start - timedelta(days=30), time(15, 0), tzinfo=TZ)
    for staff, role, name in PEOPLE:
        at = min(last_quarter, start).isoformat()
        import_fact(
            project=project, data={"kind": "staff_joined", "staff": staff, "name": name, "role": role, "at": at}
        )
    for n in range(1, signed + 1):
        deal = {"kind": "deal", "type": "signing", "phone": f"+86139{n:08d}", "closer": "zhangsan"}
        import_fact(project=project, data=deal | {"at": (last_quarter + timedelta(minutes=n)).isoformat()})
    for n in range(1, held + 1):
        _register(project, n, start + timedelta(seconds=n))
    for n in range(1, held + 1):
        signed = datetime.combine(day, time(9, 0), tzinfo=TZ) + timedelta(seconds=30 * n)  # S18.1: 09:00-10:00
        import_fact(
            project=project,
            data={
                "kind": "handin",
                "at": signed.isoformat(),
                "consultant": "zhangsan",
                "customer_no": f"C{n:04d}",
                "name": customer_name(n),
                "phone": customer_phone(n),
                "need": "三居",
                "signed_at": signed.isoformat(),
                "confirmer": "sunba",
            },
        )
    # S18.7 (s18@v3): the customers still to hand in are on today's sheet, before the signature
    for n in range(held + 1, held + registered + 1):
        _register(project, n, (sheet_at or in_hours() - timedelta(minutes=1)) + timedelta(seconds=n))
    for staff, role, name in PEOPLE:
        user(staff, role, name, project=project)
    return project


def in_hours(now: datetime | None = None) -> datetime:
    """The latest moment at or before ``now`` inside the desk's hours (09:30 or 16:30 site time):
    always within the last 24 hours (S18.4)."""
    local = (now or timezone.now()).astimezone(TZ)
    candidates = [
        datetime.combine(local.date() - timedelta(days=d), time(h, 30), tzinfo=TZ) for d in (0, 1) for h in (9, 16)
    ]
    return max(c for c in candidates if c <= local)
