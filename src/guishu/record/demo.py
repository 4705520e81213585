"""The demo: four sites of one developer group, from one deployment.

The first site runs s8@v2: two teams of consultants, a front desk, a clerk, a manager, the
developer's marketing manager, finance, two channel firms with agents, a site administrator,
and a few weeks of realistic facts ending just now. The second runs s14@v2 with its own staff;
孙八 is the first site's clerk and the second's manager. The third runs s18@v3, a confirmation
desk (确认台): hand-ins with the confirmer's signed time, the day's visitor-and-call sheet, quotas,
a returned form, a same-day clash for the manager and a confirmation about to lapse, a dispute
and its appeal, a pre-filing and a developer's notice. The fourth runs s16@v2, where a consultant
has left and his customers went to the department or the pool (S16.3); 秦峰 manages the third
and the fourth. The user ``admin`` is the group admin.

The facts are the bundled s8 example (examples/s8.jsonl: registrations, follow-ups, a
collision, a family, pending confirmations, a refusal, deals) plus the channel side,
shifted in time so that the last one happened an hour ago; they are imported (chained
like any entry, keeping their own times).
"""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from guishu.core.rotation import Walkin
from guishu.record import engines
from guishu.record.actions import create_project, import_fact
from guishu.record.models import GroupRole, Project

DEMO_CODE = "demo"
SECOND_CODE = "demo2"
DESK_CODE = "demo3"
DEMO_PASSWORD = "guishu-demo"  # noqa: S105 - printed on purpose: a local demo only
GROUP_ADMIN = ("admin", "集团管理员")
TIME_KEYS = ("at", "effective_at", "until", "entry_at", "signed_at", "reception_at", "handed_at")

EXTRA_STAFF: list[dict[str, Any]] = [
    {"kind": "staff_joined", "staff": "zhengshiyi", "name": "郑十一", "role": "finance"},
    {"kind": "staff_joined", "staff": "fangxiao", "name": "方晓", "role": "front_desk"},
    {"kind": "channel_joined", "channel": "hx", "name": "华信置业"},
    {"kind": "channel_joined", "channel": "jy", "name": "嘉园房产"},
    {"kind": "staff_joined", "staff": "hanjie", "name": "韩捷", "role": "admin"},
]

# The second site: its own people; 孙八 (the first site's clerk) manages it.
SECOND_STAFF: list[dict[str, Any]] = [
    {"kind": "staff_joined", "staff": "fengyi", "name": "冯一", "role": "consultant", "team": "A"},
    {"kind": "staff_joined", "staff": "chener", "name": "陈二", "role": "consultant", "team": "A"},
    {"kind": "staff_joined", "staff": "chusan", "name": "褚三", "role": "front_desk"},
    {"kind": "staff_joined", "staff": "weisi", "name": "卫四", "role": "clerk"},
    {"kind": "staff_joined", "staff": "sunba", "name": "孙八", "role": "manager"},
    {"kind": "staff_joined", "staff": "shenliu", "name": "沈六", "role": "marketing_manager"},
    {"kind": "channel_joined", "channel": "hx", "name": "华信置业"},
    {"kind": "staff_joined", "staff": "jiangwu", "name": "蒋五", "role": "agent", "channel": "hx"},
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
    # S8.10 under s8@v2: 吴一's claim stands once the clerk 孙八 has verified it
    claim = next(f for f in facts if f["kind"] == "claim")
    verified = {
        "id": "k1",
        "kind": "claim_verified",
        "at": (datetime.fromisoformat(claim["at"]) + timedelta(minutes=30)).isoformat(),
        "pending": claim["pending"],
        "claim": claim["id"],
        "by": "sunba",
    }
    rest = sorted([*facts[staff_end:], *channel, verified, *_office_day(last)], key=lambda f: f["at"])
    return [_shift(f, delta) for f in facts[:staff_end] + extra + rest]


def _office_day(last: datetime) -> list[dict[str, Any]]:
    """The back office's morning before the last fact: 周七 out for an hour (the duty sheet), a
    registration of 王建国 entered twice, the copy voided by the clerk with its reason (S8.12);
    and the signing room's: 王建国 signs with 张三, 李四 assisting, moves to another unit and pays
    his down payment, while 13811110008's deposit is refunded (S9.1)."""

    def at(hours: float) -> str:
        return (last - timedelta(hours=hours)).isoformat()

    return [
        # 佣金标准: the site's 0.5 % since two months, and 华信's channel contract at 1 %
        {
            "id": "rate-site",
            "kind": "commission_rate",
            "at": at(8),
            "by": "qianjiu",
            "payee": "consultant",
            "rate": "0.005",
            "valid_from": at(24 * 60),
        },
        {
            "id": "rate-hx",
            "kind": "commission_rate",
            "at": at(8),
            "by": "qianjiu",
            "payee": "channel",
            "channel": "hx",
            "contract": "HX-2026-01",
            "rate": "0.01",
            "valid_from": at(24 * 60),
        },
        {"id": "d1", "kind": "duty", "at": at(3), "staff": "zhouqi", "status": "out", "until": at(2)},
        {
            "id": "r-dup",
            "kind": "registration",
            "at": at(5),
            "mode": "visit",
            "consultant": "zhangsan",
            "customer": {
                "name": "王建国",
                "gender": "M",
                "phone": "+8613811110001",
                "intent": "三居",
                "source": "路过",
            },
            "answers": {"first_visit": False, "named_consultant": "zhangsan"},
        },
        {
            "id": "v1",
            "kind": "correction",
            "at": at(4.5),
            "target": "r-dup",
            "by": "sunba",
            "reason": "重复登记,与登记簿核对后作废",
        },
        {
            "id": "o-sign",
            "kind": "deal",
            "at": at(7),
            "type": "signing",
            "phone": "+8613811110001",
            "closer": "zhangsan",
            "assistants": [{"staff": "lisi"}],
            "buyer_name": "王建国",
            "unit": "5-1101",
            "amount": "1860000",
            "id_number": "110101199003074258",
        },
        {
            "id": "o-unit",
            "kind": "unit_changed",
            "at": at(6.5),
            "phone": "+8613811110001",
            "deal": "o-sign",
            "unit": "5-1201",
            "amount": "1880000",
            "by": "sunba",
        },
        {
            "id": "o-paid",
            "kind": "payment_milestone",
            "at": at(6),
            "phone": "+8613811110001",
            "deal": "o-sign",
            "stage": "down_payment",
            "amount": "564000",
        },
        {
            "id": "o-refund",
            "kind": "deal_refunded",
            "at": at(5.5),
            "phone": "+8613811110008",
            "deal": "f36",
            "by": "zhaoliu",
            "reason": "客户放弃购买,退还定金",
        },
    ]


def second_site_facts(now: datetime) -> list[dict[str, Any]]:
    """A fortnight at the second site: its staff, a few registrations, a pending confirmation."""
    start = now - timedelta(days=14)

    def visit(days: float, consultant: str, name: str, gender: str, phone: str) -> dict[str, Any]:
        return {
            "kind": "registration",
            "at": (start + timedelta(days=days)).isoformat(),
            "mode": "visit",
            "consultant": consultant,
            "customer": {"name": name, "gender": gender, "phone": phone, "intent": "两居", "source": "路过"},
        }

    staff = [{**f, "at": start.isoformat()} for f in SECOND_STAFF]
    return [
        *staff,
        visit(1, "fengyi", "蒋文", "M", "13922220001"),
        visit(2, "chener", "沈佳", "F", "13922220002"),
        visit(5, "fengyi", "韩梅", "F", "13922220003"),
        {
            "kind": "pending_confirmation",
            "at": (now - timedelta(hours=5)).isoformat(),
            "phone": "+8613922220001",
            "consultant": "chener",
        },
        {
            "id": "o2-deposit",
            "kind": "deal",
            "at": (now - timedelta(hours=3)).isoformat(),
            "type": "deposit",
            "phone": "+8613922220003",
            "closer": "fengyi",
            "buyer_name": "韩梅",
            "unit": "2-0602",
            "amount": "50000",
        },
    ]


# The third site: a confirmation desk (S18) with its own people.
DESK_STAFF: list[dict[str, Any]] = [
    {"kind": "staff_joined", "staff": "yanxue", "name": "严雪", "role": "consultant", "team": "A"},
    {"kind": "staff_joined", "staff": "luming", "name": "陆明", "role": "consultant", "team": "A"},
    {"kind": "staff_joined", "staff": "hexin", "name": "何欣", "role": "clerk"},
    {"kind": "staff_joined", "staff": "tangning", "name": "唐宁", "role": "signing_room"},
    {"kind": "staff_joined", "staff": "qinfeng", "name": "秦峰", "role": "manager"},
    {"kind": "staff_joined", "staff": "peiyun", "name": "裴云", "role": "marketing_manager"},
]
DESK_SLOTS = (time(9, 30), time(16, 30))  # S18.1: inside 09:00-10:00 and 16:00-17:00


def desk_site_facts(now: datetime, zone: ZoneInfo) -> list[dict[str, Any]]:
    """A confirmation desk's fortnight, S18 as s18@v3 reads it: 严雪 signed one contract last
    quarter (S18.5: a quota of 50), 陆明 none (30); the latest desk hours' forms, each customer first
    on its consultant's sheet that day (S18.7), entered in the last minutes (S18.4: within 24 h of
    the signature): three confirmed, one returned as off the sheet, one handed in by both
    consultants the same day (S18.15: the manager decides); 陆明's form of nine days ago lapses
    within a day (S18.21); two walk-ins on today's sheet; a pre-filing (S18.20), a developer's
    notice (S18.22), and 陆明's 查询单 decided by the manager and appealed in vain (S18.16, S18.17)."""
    local = (now - timedelta(minutes=15)).astimezone(zone)
    slots = [datetime.combine(local.date() - timedelta(days=d), t, tzinfo=zone) for d in (0, 1) for t in DESK_SLOTS]
    signed = max(slot for slot in slots if slot <= local)  # the latest desk hours, at least 15 minutes ago
    midnight = now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    entered = max(signed, midnight)  # the forms are entered today, after their signature
    step = (now - entered) / 20
    quarter = ((local.month - 1) // 3) * 3 + 1
    last_quarter = datetime.combine(local.date().replace(month=quarter, day=1), time(15), tzinfo=zone) - timedelta(
        days=30
    )
    start = last_quarter - timedelta(days=10)

    def customer(n: int, name: str) -> dict[str, Any]:
        return {"name": name, "gender": "F" if n % 2 else "M", "phone": f"+86137333300{n:02d}", "intent": "三居"}

    def visit(at: datetime, consultant: str, n: int, name: str) -> dict[str, Any]:
        data = {"kind": "registration", "at": at.isoformat(), "mode": "visit", "consultant": consultant}
        return data | {"customer": customer(n, name)}

    def handin(at: datetime, sign: datetime, consultant: str, n: int, name: str, **extra: Any) -> dict[str, Any]:
        return {
            "kind": "handin",
            "at": at.isoformat(),
            "consultant": consultant,
            "customer_no": f"Y{n:04d}",
            "name": name,
            "phone": f"+86137333300{n:02d}",
            "need": "三居",
            "signed_at": sign.isoformat(),
            "confirmer": "hexin",
        } | extra

    old = signed - timedelta(days=9)
    today = [(1, "yanxue", "苏晴"), (2, "yanxue", "高远"), (3, "luming", "许诺"), (5, "yanxue", "顾城")]
    return [
        *({**f, "at": start.isoformat()} for f in DESK_STAFF),
        {
            "kind": "deal",
            "type": "signing",
            "phone": "+8613733339901",
            "closer": "yanxue",
            "at": last_quarter.isoformat(),
        },
        # 严雪's old customer pre-filed (S18.20); the developer's related customer (S18.22)
        {
            "kind": "pre_filing",
            "at": (old - timedelta(days=1)).isoformat(),
            "consultant": "yanxue",
            "phone": "+8613733330020",
            "name": "钱多多",
        },
        {
            "kind": "developer_notice",
            "at": (old - timedelta(days=1, minutes=-30)).isoformat(),
            "phone": "+8613733330021",
            "name": "周全",
        },
        visit(old - timedelta(minutes=20), "luming", 9, "林夕"),
        handin(old + timedelta(minutes=5), old, "luming", 9, "林夕"),
        *(visit(signed - timedelta(minutes=30 - n), who, n, name) for n, who, name in today),
        visit(signed - timedelta(minutes=20), "luming", 5, "顾城"),  # 顾城 came to both of them that day
        *(handin(entered + step * (n + 1), signed + timedelta(seconds=30 * n), who, n, name) for n, who, name in today),
        handin(entered + step * 8, signed + timedelta(seconds=300), "luming", 5, "顾城"),
        handin(entered + step * 9, signed + timedelta(seconds=330), "yanxue", 4, "田甜"),  # on no sheet: returned
        # 陆明's 查询单 on 苏晴 (S18.16), the manager's decision, and his appeal rejected (S18.17:
        # a ¥400 fine), recorded by the developer's marketing manager
        {
            "kind": "dispute_raised",
            "at": (entered + step * 10).isoformat(),
            "phone": "+8613733330001",
            "consultant": "luming",
            "note": "苏晴上周来电咨询时由我接听,应归我",
        },
        {
            "kind": "ruling",
            "at": (entered + step * 10.5).isoformat(),
            "phone": "+8613733330001",
            "owner": "yanxue",
            "by": "qinfeng",
            "rule": "S18.16",
            "reason": "来人来电表无陆明接听记录,确认单以严雪在先",
        },
        {
            "kind": "appeal",
            "at": (entered + step * 11).isoformat(),
            "phone": "+8613733330001",
            "appellant": "luming",
            "outcome": "rejected",
        },
        visit(entered + step * 12, "luming", 6, "方圆"),
        visit(entered + step * 14, "yanxue", 7, "夏至"),
    ]


# The fourth site: s16@v2, where a leaver's customers go to the department or the pool (S16.3).
POOL_CODE = "demo4"
POOL_STAFF: list[dict[str, Any]] = [
    {"kind": "staff_joined", "staff": "liuyang", "name": "柳杨", "role": "consultant", "team": "A"},
    {"kind": "staff_joined", "staff": "maqing", "name": "马晴", "role": "consultant", "team": "A"},
    {"kind": "staff_joined", "staff": "qinfeng", "name": "秦峰", "role": "manager"},
]


def pool_site_facts(now: datetime) -> list[dict[str, Any]]:
    """A week at a site under s16@v2: 柳杨 registers three customers, one pays a deposit; he
    leaves yesterday: the deposit customer is the department's, the other two count as new and
    wait in the pool; the manager has assigned one of them to 马晴 (S16.3), one still waits."""
    start = now - timedelta(days=7)

    def at(days: float) -> str:
        return (start + timedelta(days=days)).isoformat()

    def visit(days: float, n: int, name: str) -> dict[str, Any]:
        customer = {"name": name, "gender": "M" if n % 2 else "F", "phone": f"+86136444400{n:02d}", "intent": "两居"}
        return {"kind": "registration", "at": at(days), "mode": "visit", "consultant": "liuyang", "customer": customer}

    return [
        *({**f, "at": start.isoformat()} for f in POOL_STAFF),
        visit(1, 1, "彭博"),
        visit(2, 2, "鲁冰"),
        visit(3, 3, "温暖"),
        {
            "kind": "deal",
            "at": at(4),
            "type": "deposit",
            "phone": "+8613644440001",
            "closer": "liuyang",
            "buyer_name": "彭博",
            "unit": "5-1102",
            "amount": "30000",
        },
        {"kind": "staff_left", "at": at(6), "staff": "liuyang"},
        {
            "kind": "ruling",
            "at": at(6.2),
            "phone": "+8613644440002",
            "owner": "maqing",
            "by": "qinfeng",
            "rule": "S16.3",
            "reason": "柳杨离职,鲁冰由马晴跟进",
        },
    ]


def _people(facts: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(f["staff"], f["name"], f["role"]) for f in facts if f["kind"] == "staff_joined"]


def _logins(people: list[tuple[str, str, str]]) -> None:
    for staff, name, _role in people:
        user, created = User.objects.get_or_create(username=staff, defaults={"first_name": name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()


# A morning at the front desk (轮序), in the last hour: sign-ins at the desk and by code, walk-ins,
# a skip for an old customer, a break, an appointment while its consultant is away, a manager's
# make-up turn. Each walk-in is assigned by the rotation itself, as "next customer" does.
MORNING: list[tuple[int, dict[str, Any]]] = [
    (0, {"kind": "queue", "action": "sign_in", "staff": "zhangsan", "confirmed": "desk"}),
    (1, {"kind": "queue", "action": "sign_in", "staff": "lisi", "confirmed": "code"}),
    (2, {"kind": "queue", "action": "sign_in", "staff": "zhouqi", "confirmed": "code"}),
    (3, {"kind": "queue", "action": "sign_in", "staff": "wuyi", "confirmed": "desk"}),
    (5, {"walkin": "new"}),
    (8, {"walkin": "new"}),
    (10, {"kind": "queue", "action": "skip", "staff": "zhouqi", "reason": "old_customer"}),
    (12, {"walkin": "new"}),
    (15, {"kind": "queue", "action": "back", "staff": "zhangsan"}),
    (18, {"kind": "queue", "action": "break", "staff": "lisi"}),
    (20, {"walkin": "appointment", "named": "lisi"}),
    (25, {"kind": "queue", "action": "back", "staff": "zhouqi"}),
    (28, {"kind": "queue", "action": "back", "staff": "zhangsan"}),
    (30, {"kind": "queue", "action": "back", "staff": "wuyi"}),
    (33, {"walkin": "new"}),
    (35, {"kind": "queue", "action": "make_up", "staff": "lisi", "note": "上午休息时预约客户由他人协助,补接一次"}),
    (36, {"kind": "queue", "action": "back", "staff": "lisi"}),
    (38, {"kind": "queue", "action": "back", "staff": "zhouqi"}),
    (40, {"walkin": "new"}),
    (42, {"kind": "queue", "action": "back", "staff": "lisi"}),
]


def rotation_morning(project: Project, now: datetime) -> None:
    """Import the morning's queue facts, ending a few minutes before ``now``. The queue is the
    site's day's (签到 each day), so the morning never reaches back past the local midnight: just
    after it, the same steps are run closer together."""
    local = now.astimezone(ZoneInfo(project.timezone or "Asia/Shanghai"))
    since_midnight = local - local.replace(hour=0, minute=0, second=0, microsecond=0)
    span = max(timedelta(0), min(timedelta(minutes=45), since_midnight - timedelta(seconds=1)))
    scale = span / timedelta(minutes=45)
    start = now - span
    live = engines.live_engine(project)
    for n, (minute, step) in enumerate(MORNING):
        at = start + timedelta(minutes=minute) * scale
        if "walkin" in step:
            with live.lock:
                assignment = live.engine.queue.assign(Walkin(step["walkin"], step.get("named")), at)
            fact = {**assignment.fact(), "id": f"rcp-demo{n:02d}"}
        else:
            fact = dict(step)
        import_fact(project=project, data={**fact, "at": at.isoformat()})
        live = engines.live_engine(project)


def ensure_demo_site() -> tuple[Project, list[tuple[str, str, str, str]]]:
    """Create the demo's four sites, their logins and their records once; return the logins as
    (login, name, site, role)."""
    first = _people(_example_facts() + EXTRA_STAFF)
    second = _people(SECOND_STAFF)
    third = _people(DESK_STAFF)
    with transaction.atomic():
        _logins([*first, *second, *third, *_people(POOL_STAFF), (GROUP_ADMIN[0], GROUP_ADMIN[1], "")])
        admin = User.objects.get(username=GROUP_ADMIN[0])
        GroupRole.objects.get_or_create(user=admin, defaults={"role": "group_admin"})
    project = Project.objects.filter(code=DEMO_CODE).first()
    if project is None:
        project = create_project(code=DEMO_CODE, name="示范案场 · 归属演示", policy="s8@v2")
        for fact in demo_facts(timezone.now()):
            import_fact(project=project, data=fact)
        rotation_morning(project, timezone.now())
    if not Project.objects.filter(code=SECOND_CODE).exists():
        other = create_project(code=SECOND_CODE, name="第二案场 · 滨江府", policy="s14@v2")
        for fact in second_site_facts(timezone.now()):
            import_fact(project=other, data=fact)
    if not Project.objects.filter(code=DESK_CODE).exists():
        desk = create_project(code=DESK_CODE, name="第三案场 · 云栖府 (确认台)", policy="s18@v3")
        for fact in desk_site_facts(timezone.now(), ZoneInfo(desk.timezone or "Asia/Shanghai")):
            import_fact(project=desk, data=fact)
    logins = [(s, n, DEMO_CODE, r) for s, n, r in first] + [(s, n, SECOND_CODE, r) for s, n, r in second]
    if not Project.objects.filter(code=POOL_CODE).exists():
        pool = create_project(code=POOL_CODE, name="第四案场 · 观澜苑", policy="s16@v2")
        for fact in pool_site_facts(timezone.now()):
            import_fact(project=pool, data=fact)
    logins += [(s, n, DESK_CODE, r) for s, n, r in third]
    logins += [(s, n, POOL_CODE, r) for s, n, r in _people(POOL_STAFF)]
    return project, [*logins, (GROUP_ADMIN[0], GROUP_ADMIN[1], "*", "group_admin")]
