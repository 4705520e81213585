"""The duty sheet and a leaver's customers: the back office records who is away, the engine
reads it (S16.6), a mistaken entry is voided (S8.12); the manager assigns what a leaver left
(S16.3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Entry, Project
from tests.record.builders import make_project, visit
from tests.sites.builders import at_site, client_for, user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site() -> Project:
    engines.forget_all()
    project = make_project(policy="s16")
    user("zhangsan", "consultant", "张三")
    user("lisi", "consultant", "李四")
    user("sunba", "clerk", "孙八")
    user("zhaoliu", "manager", "赵六")
    return project


def _status(project: Project, staff: str) -> str:
    return engines.live_engine(project).engine.staff.status(staff, timezone.now())


def test_the_clerk_records_a_day_off_the_engine_reads_it_and_the_sheet_shows_it(site: Project) -> None:
    """S16.6: who is recorded away decides who stands in; the clerk enters 张三's day off until
    tomorrow 09:00, and the sheet shows his status by name, in words."""
    until = (timezone.localtime() + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    c = client_for("sunba")
    # when
    response = c.post(
        at_site("duty/"), {"staff": "zhangsan", "status": "day_off", "until": until.strftime("%Y-%m-%dT%H:%M")}
    )
    # then
    assert response.status_code == 302
    fact = Entry.objects.get(project=site, kind="duty")
    assert fact.payload["staff"] == "zhangsan" and fact.payload["status"] == "day_off"
    assert fact.payload["until"] == until.isoformat()
    assert _status(site, "zhangsan") == "day_off"
    page = c.get(at_site("duty/")).content.decode()
    now_table = page.split('id="duty-now"')[1].split("</table>")[0]
    assert "张三" in now_table and "休息" in now_table and "zhangsan" not in now_table
    assert f"{until:%Y-%m-%d %H:%M}" in now_table


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"staff": "", "status": "busy"}, "置业顾问: 这个字段是必填项"),
        ({"staff": "sunba", "status": "busy"}, "置业顾问: 不在可选的范围内"),  # a clerk is no consultant
        ({"staff": "zhangsan", "status": "asleep"}, "状态: 不在可选的范围内"),
        ({"staff": "zhangsan", "status": "out", "until": "2020-01-01T10:00"}, "截止时间: 应晚于现在"),
        ({"staff": "zhangsan", "status": "out", "until": "2999-01-01T10:00"}, "截止时间: 最多 60 天以后"),
        ({"staff": "zhangsan", "status": "out", "until": "明天"}, "截止时间: 应为日期和时间"),
    ],
)
def test_a_bad_duty_entry_names_its_field_and_writes_nothing(site: Project, data: dict[str, str], message: str) -> None:
    before = Entry.objects.count()
    response = client_for("sunba").post(at_site("duty/"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Entry.objects.count() == before


def test_a_mistaken_duty_entry_is_voided_and_the_status_returns(site: Project) -> None:
    """S8.12: 李四 was entered sick by mistake; the clerk voids it and he is at work again."""
    c = client_for("sunba")
    assert c.post(at_site("duty/"), {"staff": "lisi", "status": "sick"}).status_code == 302
    entry = Entry.objects.get(project=site, kind="duty")
    assert _status(site, "lisi") == "sick"
    # when
    response = c.post(at_site("duty/correct/"), {"target": entry.fact_id, "reason": "登记错人"})
    # then
    assert response.status_code == 302
    assert _status(site, "lisi") != "sick"
    page = c.get(at_site("duty/")).content.decode()
    assert "已作废" in page and "登记错人" in page


def test_consultants_may_not_enter_duty(site: Project) -> None:
    assert client_for("lisi").post(at_site("duty/"), {"staff": "lisi", "status": "day_off"}).status_code == 403
    assert not Entry.objects.filter(project=site, kind="duty").exists()


def test_s16_3_a_leavers_customers_go_to_the_pool_and_the_manager_assigns_one(site: Project) -> None:
    """S16.3: 张三 leaves; his customer without a deposit counts as new and waits for the manager,
    his deposit customer stays with the department; the manager gives the first to 李四."""
    append_fact(project=site, data=visit("zhangsan", "13800000001", "王建国"))
    append_fact(project=site, data=visit("zhangsan", "13800000002", "李梅"))
    append_fact(
        project=site,
        data={"kind": "deal", "phone": "13800000002", "type": "deposit", "closer": "zhangsan", "unit": "1-101"},
    )
    manager = client_for("zhaoliu")
    assert manager.post(at_site("admin/leave/"), {"staff": "zhangsan"}).status_code in (200, 302)
    page = manager.get(at_site("duty/pool/")).content.decode()
    assert "王建国" in page and "李梅" in page and "138****0001" in page
    assert page.count('action="/s/demo/duty/pool/assign/"') == 1  # only the one without a deposit
    assert "已下定,归销售部" in page
    group = engines.live_engine(site).engine.by_phone["+8613800000001"].id
    # when
    response = manager.post(at_site("duty/pool/assign/"), {"group": group, "owner": "lisi", "reason": "按轮序分配"})
    # then
    assert response.status_code == 302
    ruling = Entry.objects.get(project=site, kind="ruling")
    assert ruling.payload["rule"] == "S16.3" and ruling.payload["owner"] == "lisi" and ruling.payload["by"] == "zhaoliu"
    assert engines.live_engine(site).engine.by_phone["+8613800000001"].owner.id == "lisi"
    # and he is no longer waiting; a second assignment is refused, naming the customer
    again = manager.post(at_site("duty/pool/assign/"), {"group": group, "owner": "lisi", "reason": "再分"})
    assert again.status_code == 422 and "客户: 不在离职顾问的待分配客户中" in again.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"group": "G0", "owner": "", "reason": "x"}, "分配给: 这个字段是必填项"),
        ({"group": "G0", "owner": "sunba", "reason": "x"}, "分配给: 不在可选的范围内"),
        ({"group": "G0", "owner": "lisi", "reason": ""}, "理由: 必填"),
        ({"group": "G0", "owner": "lisi", "reason": "x"}, "客户: 不在离职顾问的待分配客户中"),
    ],
)
def test_a_bad_assignment_names_its_field_and_writes_nothing(site: Project, data: dict[str, str], message: str) -> None:
    before = Entry.objects.count()
    response = client_for("zhaoliu").post(at_site("duty/pool/assign/"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Entry.objects.count() == before
