"""Corrections, never edits (S1.4, S8.12): the clerk voids a wrong registration from the day's
register, the manager a fact from the customer's history; both stay in the record and show."""

from __future__ import annotations

import pytest

from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Entry, Project
from guishu.record.verify import verify_chain
from tests.record.builders import make_project, visit
from tests.sites.builders import at_site, client_for, user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site() -> Project:
    engines.forget_all()
    project = make_project()
    user("zhangsan", "consultant", "张三")
    user("lisi", "consultant", "李四")
    user("sunba", "clerk", "孙八")
    user("zhaoliu", "manager", "赵六")
    return project


def _owner(project: Project, phone: str) -> str | None:
    g = engines.live_engine(project).engine.by_phone.get(phone)
    return g.owner.id if g is not None else None


def test_s8_12_the_clerk_voids_a_wrong_registration_and_the_owner_follows_the_record(site: Project) -> None:
    """S8.12: nobody alters a registration; the clerk voids 张三's mistaken one with its reason,
    李四's later registration becomes the first valid one, and the register shows both."""
    wrong = append_fact(project=site, data=visit("zhangsan", "13800000001", "王建国")).fact.id
    append_fact(project=site, data=visit("lisi", "13800000001", "王建国"))
    assert _owner(site, "+8613800000001") == "zhangsan"
    c = client_for("sunba")
    # when
    response = c.post(at_site("clerk/correct/"), {"target": wrong, "reason": "登记错了顾问,实为李四接待"})
    # then
    assert response.status_code == 302 and "/clerk/?day=" in response["Location"]
    correction = Entry.objects.get(project=site, kind="correction")
    assert correction.payload == {
        "kind": "correction",
        "id": correction.fact_id,
        "at": correction.payload["at"],
        "target": wrong,
        "by": "sunba",
        "reason": "登记错了顾问,实为李四接待",
    }
    assert Entry.objects.filter(project=site, fact_id=wrong).exists()  # the voided fact stays
    assert _owner(site, "+8613800000001") == "lisi"
    page = c.get(response["Location"]).content.decode()
    assert "已作废" in page and "登记错了顾问,实为李四接待" in page and "孙八" in page
    assert page.count('name="target"') == 1  # the voided line offers no second voiding
    assert verify_chain(site).ok


def test_s1_4_a_fact_is_voided_once_and_a_second_try_is_refused_naming_it(site: Project) -> None:
    """S1.4: a voided registration cannot be voided again; nothing more is written."""
    wrong = append_fact(project=site, data=visit("zhangsan", "13800000001")).fact.id
    c = client_for("sunba")
    assert c.post(at_site("clerk/correct/"), {"target": wrong, "reason": "重复登记"}).status_code == 302
    before = Entry.objects.count()
    # when
    response = c.post(at_site("clerk/correct/"), {"target": wrong, "reason": "再次作废"})
    # then
    assert response.status_code == 422
    assert "作废的记录: 这条事实已作废" in response.content.decode()
    assert Entry.objects.count() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"target": "", "reason": "错了"}, "作废的记录: 必填"),
        ({"target": "demo-1", "reason": ""}, "作废理由: 必填"),
        ({"target": "demo-1", "reason": "x" * 501}, "作废理由: 最多500个字"),
        ({"target": "demo-1", "reason": "错\x00了"}, "作废理由: 含有控制字符"),
        ({"target": "nope-999", "reason": "错了"}, "作废的记录: 记录中没有这条事实"),
        ({"target": "demo-1", "reason": "错了"}, "作废的记录: 这类事实不能作废"),  # a staff_joined
    ],
)
def test_a_bad_correction_names_its_field_and_writes_nothing(site: Project, data: dict[str, str], message: str) -> None:
    """S8.12: a correction needs the fact and its reason; a person joining is not voided this way."""
    before = Entry.objects.count()
    response = client_for("sunba").post(at_site("clerk/correct/"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Entry.objects.count() == before


def test_s1_4_only_the_clerk_and_the_manager_may_void(site: Project) -> None:
    """S1.4: anyone else altering a record is refused before anything is written."""
    wrong = append_fact(project=site, data=visit("zhangsan", "13800000001")).fact.id
    before = Entry.objects.count()
    assert client_for("lisi").post(at_site("clerk/correct/"), {"target": wrong, "reason": "x"}).status_code == 403
    assert Entry.objects.count() == before


def test_the_manager_voids_from_the_history_which_shows_the_fact_and_its_correction(site: Project) -> None:
    """S8.12, S18.18: the customer's history keeps the voided follow-up, struck through, and the
    correction beside it, by the manager's name, with its reason."""
    append_fact(project=site, data=visit("zhangsan", "13800000001", "王建国"))
    follow = append_fact(
        project=site, data={"kind": "follow_up", "phone": "13800000001", "consultant": "zhangsan", "method": "call"}
    )
    group = follow.verdicts[0].group
    c = client_for("zhaoliu")
    page = c.get(at_site(f"customer/{group}/")).content.decode()
    assert page.count('name="target"') == 2  # the registration and the follow-up
    # when
    response = c.post(at_site(f"customer/{group}/correct/"), {"target": follow.fact.id, "reason": "未实际回访"})
    # then
    assert response.status_code == 302
    page = c.get(response["Location"]).content.decode()
    assert "<s>" in page and "已作废" in page and "未实际回访" in page
    assert f"作废 #{follow.entry.seq}" in page  # the correction's own line names the voided one
    assert page.count('name="target"') == 1


def test_a_refused_correction_on_the_history_shows_the_history_with_the_error(site: Project) -> None:
    group = append_fact(project=site, data=visit("zhangsan", "13800000001")).verdicts[0].group
    response = client_for("zhaoliu").post(at_site(f"customer/{group}/correct/"), {"target": "demo-1", "reason": ""})
    assert response.status_code == 422
    page = response.content.decode()
    assert "作废理由: 必填" in page and "完整记录" in page
