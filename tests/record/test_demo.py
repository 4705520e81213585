"""The demo site the README's run command creates."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from guishu.record import engines
from guishu.record.demo import ensure_demo_site
from guishu.record.models import Entry, GroupRole, GroupVerdict, Membership, Project
from guishu.record.verify import verify_chain

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_site_is_built_once_with_its_people_and_weeks_of_facts() -> None:
    """S8.1, S8.10, S6.7: the demo has two teams, back office, two channels, a collision, a pending claim."""
    engines.forget_all()
    project, logins = ensure_demo_site()
    roles = {role for _staff, _name, _site, role in logins}
    assert {"front_desk", "consultant", "clerk", "manager", "marketing_manager", "finance", "agent"} <= roles
    assert User.objects.get(username="zhangsan").check_password("guishu-demo")
    assert verify_chain(project).ok
    kinds = set(Entry.objects.filter(project=project).values_list("kind", flat=True))
    assert {
        "registration",
        "follow_up",
        "pending_confirmation",
        "claim",
        "complaint",
        "deal",
        "report",
        "visit_confirmation",
        "duty",
        "correction",
    } <= kinds
    assert engines.live_engine(project).engine.collisions  # the demo has a collision to look at
    assert GroupVerdict.objects.filter(project=project).count() >= 8
    # S8.10 (s8@v2): 吴一's claim stands because the clerk 孙八 verified it
    assert project.policy == "s8@v2"
    verified = Entry.objects.get(project=project, kind="claim_verified")
    assert verified.payload["by"] == "sunba"
    claimed = engines.live_engine(project).engine.by_phone["+8613811110006"]
    assert claimed.owner.id == "wuyi"
    # S8.12: the copy of a registration the clerk voided is void in the engine, and 王建国 stays 张三's
    assert "r-dup" in engines.live_engine(project).engine.voided
    assert engines.live_engine(project).engine.by_phone["+8613811110001"].owner.id == "zhangsan"
    # a second site with its own staff, and one person in a role at each
    second = Project.objects.get(code="demo2")
    assert verify_chain(second).ok
    here = {(m.project.code, m.role) for m in Membership.objects.filter(staff="sunba").select_related("project")}
    assert here == {("demo", "clerk"), ("demo2", "manager")}
    assert not Membership.objects.filter(project=second, staff="zhangsan").exists()
    assert GroupRole.objects.filter(user__username="admin", role="group_admin").exists()
    # a second run changes nothing
    count = Entry.objects.count()
    ensure_demo_site()
    assert Entry.objects.count() == count


def test_the_third_site_runs_a_confirmation_desk_with_a_day_of_handins() -> None:
    """S18.5, S18.7, S18.15, S18.21: the demo's confirmation desk (s18@v3) has today's hand-ins
    (three confirmed, one returned as off the sheet, one same-day clash for the manager), each
    consultant's quota, and a confirmation about to lapse."""
    from guishu.handins import selectors

    engines.forget_all()
    ensure_demo_site()
    desk = Project.objects.get(code="demo3")
    assert desk.policy == "s18@v3" and verify_chain(desk).ok
    lines = selectors.handins(desk)
    assert len(lines) == 6
    states = sorted((line.state, line.rule) for line in lines)
    assert states == [("confirmed", "")] * 3 + [("returned", "S18.7")] + [("undecided", "S18.15")] * 2
    quotas = {q.staff: (q.held, q.quota) for q in selectors.quotas(desk)}
    assert quotas["yanxue"][1] == 50 and quotas["luming"][1] == 30
    assert [line.customer for line in selectors.lapsing(desk)] == ["林夕 137****0009 · Y0009"]
    assert len(selectors.visitor_sheet(desk)) >= 2
    # S18.16, S18.17: 陆明's 查询单 decided for 严雪, his appeal rejected; S18.20, S18.22 filings
    kinds = set(Entry.objects.filter(project=desk).values_list("kind", flat=True))
    assert {"dispute_raised", "ruling", "appeal", "pre_filing", "developer_notice"} <= kinds
    engine = engines.live_engine(desk).engine
    assert engine.by_phone["+8613733330001"].owner.id == "yanxue"


def test_the_fourth_site_has_a_leavers_customers_in_the_pool() -> None:
    """S16.3 (s16@v2): 柳杨 left; his deposit customer is the department's, one customer without a
    deposit was assigned to 马晴 by the manager, one still waits in the pool."""
    from guishu.duty.actions import in_pool

    engines.forget_all()
    ensure_demo_site()
    pool = Project.objects.get(code="demo4")
    assert pool.policy == "s16@v2" and verify_chain(pool).ok
    engine = engines.live_engine(pool).engine
    deposit, assigned, waiting = (engine.by_phone[f"+86136444400{n:02d}"] for n in (1, 2, 3))
    assert deposit.owner.kind == "department"
    assert assigned.owner.id == "maqing"
    assert in_pool(engine, waiting.id) and not in_pool(engine, assigned.id)
    here = {m.project.code for m in Membership.objects.filter(staff="qinfeng").select_related("project")}
    assert here == {"demo3", "demo4"}


def test_the_demo_has_a_morning_of_the_rotation_within_the_sites_day() -> None:
    """S7.3, S7.4, S7.6, S16.7: the first site's morning at the front desk: sign-ins (at the desk
    and by code), walk-ins each assigned by the rotation, a skip for an old customer, a break, an
    appointment while its consultant is away, a manager's make-up turn; all on the site's day."""
    from zoneinfo import ZoneInfo

    engines.forget_all()
    project, _logins = ensure_demo_site()
    rows = list(Entry.objects.filter(project=project, kind__in=("queue", "reception")).order_by("seq"))
    actions = {str(e.payload.get("action")) for e in rows if e.kind == "queue"}
    assert {"sign_in", "skip", "break", "back", "make_up"} <= actions
    confirmed = {e.payload.get("confirmed") for e in rows if e.payload.get("action") == "sign_in"}
    assert confirmed == {"desk", "code"}
    receptions = [e.payload for e in rows if e.kind == "reception"]
    assert len(receptions) == 6 and all(r["consultant"] for r in receptions)
    assert any(r.get("route") == "appointment" for r in receptions)
    zone = ZoneInfo(project.timezone or "Asia/Shanghai")
    assert len({e.at.astimezone(zone).date() for e in rows}) == 1  # the queue is the day's (签到 each day)
    queue = engines.live_engine(project).engine.queue
    assert queue.view(max(e.at for e in rows)).lines  # someone is in the queue now
