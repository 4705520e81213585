"""Complaints, disputes and appeals through their screens: each one fact by the signed-in
person, each refusal naming its field (S8.9, S18.16, S18.17)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Entry, Project
from tests.record.builders import make_project, visit
from tests.sites.builders import at_site, client_for, user

pytestmark = pytest.mark.django_db(transaction=True)


def _people(project: Project) -> None:
    user("fangxiao", "front_desk", "方晓", project=project)
    user("zhangsan", "consultant", "张三", project=project)
    user("lisi", "consultant", "李四", project=project)
    user("zhaoliu", "manager", "赵六", project=project)
    user("qianjiu", "marketing_manager", "钱九", project=project)


@pytest.fixture
def s8() -> Project:
    engines.forget_all()
    project = make_project(policy="s8")
    _people(project)
    append_fact(project=project, data=visit("zhangsan", "13800000001", "王建国"))
    return project


def _handin(consultant: str, phone: str, name: str) -> dict[str, object]:
    return {
        "kind": "handin",
        "consultant": consultant,
        "phone": phone,
        "name": name,
        "need": "三居",
        "confirmer": "zhaoliu",
    }


@pytest.fixture
def s18() -> Project:
    engines.forget_all()
    project = make_project(policy="s18")
    _people(project)
    append_fact(project=project, data=_handin("lisi", "13800000001", "王建国"))
    return project


def _owner(project: Project, phone: str) -> str | None:
    return engines.live_engine(project).engine.by_phone[phone].owner.id


def test_s8_9_the_desk_records_a_refusal_and_it_counts_after_the_managers_review(s8: Project) -> None:
    """S8.9: the customer refuses 张三 at the desk; the refusal waits for the manager's review,
    and once he approves it the customer is 张三's no more."""
    # when the front desk records it
    response = client_for("fangxiao").post(
        at_site("disputes/complaint/"), {"phone": "13800000001", "against": "zhangsan", "type": "refusal"}
    )
    # then it is a complaint fact, not yet reviewed, and ownership stands
    assert response.status_code == 302
    filed = Entry.objects.get(project=s8, kind="complaint")
    assert filed.payload["against"] == "zhangsan" and "approved_by" not in filed.payload
    assert _owner(s8, "+8613800000001") == "zhangsan"
    # when the manager approves it on his page
    manager = client_for("zhaoliu")
    assert manager.post(at_site("manage/approve/"), {"fact": filed.fact_id}).status_code == 302
    # then the refusal counts
    assert _owner(s8, "+8613800000001") != "zhangsan"


def test_a_managers_own_complaint_is_his_review(s8: Project) -> None:
    """S8.9: the manager recording the refusal himself has reviewed it."""
    response = client_for("zhaoliu").post(
        at_site("disputes/complaint/"), {"phone": "13800000001", "against": "zhangsan", "type": "refusal"}
    )
    assert response.status_code == 302
    assert Entry.objects.get(project=s8, kind="complaint").payload["approved_by"] == "zhaoliu"
    assert _owner(s8, "+8613800000001") != "zhangsan"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phone": "", "against": "zhangsan", "type": "refusal"}, "客户电话: 必填"),
        ({"phone": "13900000000", "against": "zhangsan", "type": "refusal"}, "客户电话: 记录中没有这个客户"),
        ({"phone": "13800000001", "against": "zhaoliu", "type": "refusal"}, "被投诉顾问: 不在可选的范围内"),
        ({"phone": "13800000001", "against": "zhangsan", "type": "praise"}, "类型: 不在可选的范围内"),
    ],
)
def test_a_bad_complaint_names_its_field_and_writes_nothing(s8: Project, data: dict[str, str], message: str) -> None:
    before = Entry.objects.count()
    response = client_for("fangxiao").post(at_site("disputes/complaint/"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Entry.objects.count() == before


def test_s18_16_a_dispute_is_filed_and_the_manager_decides_it(s18: Project) -> None:
    """S18.16: 张三 files a 查询单 with his statement; the manager rules the customer 张三's
    under S18.16, and the dispute is decided."""
    # when
    response = client_for("zhangsan").post(
        at_site("disputes/dispute/"), {"d-phone": "13800000001", "d-note": "客户上周已由我接待,有来电记录"}
    )
    # then
    assert response.status_code == 302
    filed = Entry.objects.get(project=s18, kind="dispute_raised")
    assert filed.payload["consultant"] == "zhangsan" and filed.payload["note"] == "客户上周已由我接待,有来电记录"
    manager = client_for("zhaoliu")
    page = manager.get(at_site("disputes/")).content.decode()
    assert "待裁定" in page and "张三" in page and "138****0001" in page and "13800000001" not in page
    # when the manager decides
    response = manager.post(
        at_site("disputes/decide/"),
        {"dispute": filed.fact_id, "owner": "zhangsan", "rule": "S18.16", "reason": "来电记录在先"},
    )
    # then
    assert response.status_code == 302
    ruling = Entry.objects.get(project=s18, kind="ruling")
    assert ruling.payload["rule"] == "S18.16" and ruling.payload["by"] == "zhaoliu"
    assert _owner(s18, "+8613800000001") == "zhangsan"
    assert "已裁定" in manager.get(at_site("disputes/")).content.decode()
    # and a second decision of the same dispute is refused, naming it
    again = manager.post(
        at_site("disputes/decide/"), {"dispute": filed.fact_id, "owner": "lisi", "rule": "S18.16", "reason": "改"}
    )
    assert again.status_code == 422 and "查询单: 这份查询单已裁定" in again.content.decode()


def test_a_consultant_sees_only_his_own_disputes(s18: Project) -> None:
    client_for("zhangsan").post(at_site("disputes/dispute/"), {"d-phone": "13800000001", "d-note": "我先接待"})
    assert "我先接待" in client_for("zhangsan").get(at_site("disputes/")).content.decode()
    assert "我先接待" not in client_for("lisi").get(at_site("disputes/")).content.decode()


def _ruled(project: Project) -> str:
    return append_fact(
        project=project,
        data={
            "kind": "ruling",
            "phone": "13800000001",
            "owner": "lisi",
            "by": "zhaoliu",
            "rule": "S18.16",
            "reason": "x",
        },
    ).fact.id


def test_s18_17_a_rejected_appeal_fines_the_appellant(s18: Project) -> None:
    """S18.17: 张三's appeal against the ruling is rejected: ¥400 for him, ownership unchanged."""
    ruling = _ruled(s18)
    response = client_for("qianjiu").post(
        at_site("disputes/appeal/"), {"a-ruling": ruling, "a-appellant": "zhangsan", "a-outcome": "rejected"}
    )
    assert response.status_code == 302
    appeal = Entry.objects.get(project=s18, kind="appeal")
    engine = engines.live_engine(s18).engine
    fines = [p for p in engine.penalties.values() if p.facts[0] == appeal.fact_id]
    assert [(p.staff, p.amount, p.rule) for p in fines] == [("zhangsan", Decimal("400"), "S18.17")]
    assert _owner(s18, "+8613800000001") == "lisi"


def test_s18_17_an_overturned_appeal_fines_the_manager_and_gives_the_customer_to_the_appellant(s18: Project) -> None:
    """S18.17: overturned because the manager did not follow the policy: ¥500 for him, and the
    customer is 张三's from the appeal on."""
    ruling = _ruled(s18)
    response = client_for("qianjiu").post(
        at_site("disputes/appeal/"),
        {
            "a-ruling": ruling,
            "a-appellant": "zhangsan",
            "a-outcome": "overturned",
            "a-responsible": ["zhaoliu"],
            "a-owner": "zhangsan",
        },
    )
    assert response.status_code == 302
    appeal = Entry.objects.get(project=s18, kind="appeal")
    engine = engines.live_engine(s18).engine
    fines = [p for p in engine.penalties.values() if p.facts[0] == appeal.fact_id]
    assert [(p.staff, p.amount) for p in fines] == [("zhaoliu", Decimal("500"))]
    assert _owner(s18, "+8613800000001") == "zhangsan"
    page = client_for("qianjiu").get(at_site("disputes/")).content.decode()
    assert "改判" in page and "张三" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"a-ruling": "", "a-appellant": "zhangsan", "a-outcome": "rejected"}, "裁定: 必填"),
        ({"a-ruling": "nope", "a-appellant": "zhangsan", "a-outcome": "rejected"}, "裁定: 没有这项裁定"),
        ({"a-appellant": "qianjiu", "a-outcome": "rejected"}, "申诉人: 不在可选的范围内"),
        ({"a-appellant": "zhangsan", "a-outcome": "won"}, "申诉结果: 不在可选的范围内"),
        ({"a-appellant": "zhangsan", "a-outcome": "overturned"}, "改判后归属: 改判须写明客户归谁"),
        ({"a-appellant": "zhangsan", "a-outcome": "rejected", "a-owner": "zhangsan"}, "申诉结果: 驳回的申诉不改变归属"),
        (
            {"a-appellant": "zhangsan", "a-outcome": "overturned", "a-responsible": ["fangxiao"], "a-owner": "lisi"},
            "未按制度判定的主管/经理: 不在可选的范围内",
        ),
    ],
)
def test_a_bad_appeal_names_its_field_and_writes_nothing(s18: Project, data: dict[str, object], message: str) -> None:
    ruling = _ruled(s18)
    before = Entry.objects.count()
    response = client_for("qianjiu").post(at_site("disputes/appeal/"), {"a-ruling": ruling, **data})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Entry.objects.count() == before


def test_a_bad_dispute_or_decision_names_its_field(s18: Project) -> None:
    before = Entry.objects.count()
    bad = client_for("zhangsan").post(at_site("disputes/dispute/"), {"d-phone": "13800000001", "d-note": " "})
    assert bad.status_code == 422 and "情况说明: 必填" in bad.content.decode()
    unknown = client_for("zhaoliu").post(
        at_site("disputes/decide/"), {"dispute": "nope", "owner": "lisi", "rule": "S18.16", "reason": "x"}
    )
    assert unknown.status_code == 422 and "查询单: 没有这份查询单" in unknown.content.decode()
    assert Entry.objects.count() == before
