"""The clerk's day register and the manager's decisions, each recorded as a fact."""

from __future__ import annotations

import pytest
from django.test import Client

from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Entry, Project
from guishu.record.verify import verify_chain
from tests.record.builders import make_project, visit
from tests.sites.builders import client_for, user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site() -> Project:
    engines.forget_all()
    project = make_project()
    user("zhangsan", "consultant", "张三")
    user("lisi", "consultant", "李四")
    user("sunba", "clerk", "孙八")
    user("zhaoliu", "manager", "赵六")
    append_fact(project=project, data=visit("zhangsan", "13800000001", "王建国"))
    append_fact(project=project, data=visit("lisi", "13800000001", "王建国", answers={"first_visit": False}))
    append_fact(project=project, data=visit("lisi", "13800000002", "李梅", gender=None))  # S8.5: no gender
    return project


def test_clerk_sees_the_days_registers_and_what_does_not_count(site: Project) -> None:
    """S1.3, S11.3, S8.5: the clerk's day register shows each registration and flags the invalid one."""
    page = client_for("sunba").get("/s/demo/clerk/").content.decode()
    assert page.count("<tr>") >= 4
    assert "S8.5" in page and "有效" in page


def test_consultants_may_not_open_the_back_office(site: Project) -> None:
    """S4.4, S18.18: registers and decisions are not for consultants."""
    c = client_for("lisi")
    assert c.get("/s/demo/clerk/").status_code == 403
    assert c.get("/s/demo/manage/").status_code == 403


def test_manager_sees_the_stealing_and_rules_an_owner(site: Project) -> None:
    """S14.2, S8.11: the manager sees the collision and records a ruling with its reason."""
    c = client_for("zhaoliu")
    page = c.get("/s/demo/manage/").content.decode()
    assert "抢单(明知)" in page  # 李四 registered a customer who said he had been here
    # when
    response = c.post(
        "/s/demo/manage/ruling/",
        {"phone": "13800000001", "owner": "lisi", "rule": "S8.11", "reason": "原始跟进记录显示李四先联系"},
    )
    # then
    assert response.status_code == 302
    ruling = Entry.objects.get(project=site, kind="ruling")
    assert ruling.payload["owner"] == "lisi" and ruling.payload["by"] == "zhaoliu"
    assert engines.live_engine(site).engine.by_phone["+8613800000001"].owner.id == "lisi"
    assert verify_chain(site).ok


def test_a_ruling_without_a_reason_is_refused(site: Project) -> None:
    """S18.16: a manager's decision needs its written reason."""
    before = Entry.objects.count()
    response = client_for("zhaoliu").post(
        "/s/demo/manage/ruling/", {"phone": "13800000001", "owner": "lisi", "rule": "S8.11", "reason": " "}
    )
    assert response.status_code == 422
    assert "理由" in response.content.decode()
    assert Entry.objects.count() == before


def test_manager_approves_a_refusal_as_a_new_fact(site: Project) -> None:
    """S8.9: a refusal takes effect only after the manager's review, recorded as a new fact."""
    # given: the customer refuses 张三; nobody has reviewed it yet
    append_fact(
        project=site, data={"kind": "complaint", "phone": "13800000001", "against": "zhangsan", "type": "refusal"}
    )
    c = client_for("zhaoliu")
    page = c.get("/s/demo/manage/").content.decode()
    assert "审核属实" in page
    complaint = Entry.objects.get(project=site, kind="complaint")
    # when
    c.post("/s/demo/manage/approve/", {"fact": complaint.fact_id})
    # then: the original complaint is untouched, a second fact carries the approval
    approved = Entry.objects.filter(project=site, kind="complaint").order_by("seq")
    assert [e.payload.get("approved_by") for e in approved] == [None, "zhaoliu"]
    assert engines.live_engine(site).engine.by_phone["+8613800000001"].state == "public"
    assert "审核属实" not in c.get("/s/demo/manage/").content.decode()


def test_manager_schedules_a_policy_change(site: Project) -> None:
    """S8.12: the project's policy changes from a time, recorded as a fact; a bad time is refused."""
    c = client_for("zhaoliu")
    assert c.post("/s/demo/manage/policy/", {"policy": "s16", "effective_at": "2099-01-01T00:00"}).status_code == 302
    assert c.post("/s/demo/manage/policy/", {"policy": "s16", "effective_at": "tomorrow"}).status_code == 422
    assert c.post("/s/demo/manage/policy/", {"policy": "s99", "effective_at": "2099-01-01T00:00"}).status_code == 422
    change = Entry.objects.get(project=site, kind="policy_changed")
    assert change.payload["policy"] == "s16"
    assert "s16" in c.get("/s/demo/manage/").content.decode()


def test_anonymous_cannot_decide(site: Project) -> None:
    """core: decisions need a signed-in manager."""
    assert Client().post("/s/demo/manage/ruling/", {}).status_code == 302


def test_clerk_enters_a_consultants_paper_register(site: Project) -> None:
    """S1.3: the clerk enters a consultant's register: the consultant receives, the clerk is recorded."""
    data = {"mode": "visit", "name": "赵敏", "gender": "F", "phone": "13800000005", "intent": "两居", "source": "路过"}
    response = client_for("sunba").post("/s/demo/register/", {**data, "receiver": "zhangsan"})
    assert response.status_code == 200
    entry = Entry.objects.filter(project=site, kind="registration").latest("seq")
    assert entry.payload["consultant"] == "zhangsan" and entry.payload["entered_by"] == "sunba"
    assert engines.live_engine(site).engine.by_phone["+8613800000005"].owner.id == "zhangsan"
