"""Pre-filings (S18.20), the developer's notices (S18.22), relations (S8.3) and milestones
(S18.21) through their page: one fact each, by the signed-in person, each refusal naming its field."""

from __future__ import annotations

import pytest

from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Entry, Project
from tests.record.builders import make_project, visit
from tests.sites.builders import at_site, client_for, user

pytestmark = pytest.mark.django_db(transaction=True)


def _site(policy: str) -> Project:
    engines.forget_all()
    project = make_project(policy=policy)
    user("zhangsan", "consultant", "张三", project=project)
    user("lisi", "consultant", "李四", project=project)
    user("sunba", "clerk", "孙八", project=project)
    user("zhaoliu", "manager", "赵六", project=project)
    user("qianjiu", "marketing_manager", "钱九", project=project)
    return project


def test_s18_20_a_pre_filed_old_customer_is_the_consultants(transactional_db: None) -> None:
    """S18.20: 张三 pre-files his old customer 王建国: he is 张三's; the page lists his own filing."""
    site = _site("s18")
    c = client_for("zhangsan")
    response = c.post(at_site("filings/pre-file/"), {"p-phone": "138 0000 0001", "p-name": "王建国"})
    assert response.status_code == 302
    fact = Entry.objects.get(project=site, kind="pre_filing")
    assert fact.payload["consultant"] == "zhangsan" and fact.payload["name"] == "王建国"
    assert engines.live_engine(site).engine.by_phone["+8613800000001"].owner.id == "zhangsan"
    assert "王建国 138****0001" in c.get(at_site("filings/")).content.decode()
    assert "王建国" not in client_for("lisi").get(at_site("filings/")).content.decode()  # his own only


def test_s18_22_the_developers_notice_and_s18_21_a_milestone_once(transactional_db: None) -> None:
    site = _site("s18")
    marketing = client_for("qianjiu")
    response = marketing.post(at_site("filings/developer-notice/"), {"n-phone": "13800000005", "n-name": "赵总"})
    assert response.status_code == 302
    assert Entry.objects.get(project=site, kind="developer_notice").payload["phone"] == "+8613800000005"
    manager = client_for("zhaoliu")
    assert manager.post(at_site("filings/milestone/"), {"m-milestone": "launch"}).status_code == 302
    again = manager.post(at_site("filings/milestone/"), {"m-milestone": "launch"})
    assert again.status_code == 422 and "节点: 该节点已登记" in again.content.decode()
    assert Entry.objects.filter(project=site, kind="milestone").count() == 1


def test_s8_3_a_relation_found_later_joins_the_two_customers(transactional_db: None) -> None:
    """S8.3: 李四's customer turns out to be 张三's customer's son: one group, the first registrant's."""
    site = _site("s8")
    append_fact(project=site, data=visit("zhangsan", "13800000001", "王建国"))
    append_fact(project=site, data=visit("lisi", "13800000002", "王小明"))
    response = client_for("sunba").post(
        at_site("filings/relate/"), {"r-phone_a": "13800000001", "r-phone_b": "13800000002", "r-relation": "child"}
    )
    assert response.status_code == 302
    engine = engines.live_engine(site).engine
    assert engine.by_phone["+8613800000002"] is engine.by_phone["+8613800000001"]
    assert engine.by_phone["+8613800000002"].owner.id == "zhangsan"


@pytest.mark.parametrize(
    ("who", "url", "data", "message"),
    [
        ("zhangsan", "pre-file/", {"p-phone": ""}, "客户电话: 必填"),
        ("zhangsan", "pre-file/", {"p-phone": "13800000001", "p-name": "王1"}, "客户姓名: "),
        ("qianjiu", "developer-notice/", {"n-phone": "abc"}, "客户电话: "),
        (
            "sunba",
            "relate/",
            {"r-phone_a": "13800000001", "r-phone_b": "13800000001", "r-relation": "child"},
            "亲属电话: 与客户电话相同",
        ),
        (
            "sunba",
            "relate/",
            {"r-phone_a": "13800000001", "r-phone_b": "13800000002", "r-relation": "uncle"},
            "关系: 不在可选的范围内",
        ),
        ("zhaoliu", "milestone/", {"m-milestone": "party"}, "节点: 不在可选的范围内"),
    ],
)
def test_a_bad_filing_names_its_field_and_writes_nothing(
    transactional_db: None, who: str, url: str, data: dict[str, str], message: str
) -> None:
    site = _site("s18")
    before = Entry.objects.filter(project=site).count()
    response = client_for(who).post(at_site(f"filings/{url}"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Entry.objects.filter(project=site).count() == before


def test_a_policy_without_pre_filing_offers_no_pre_filing_form(transactional_db: None) -> None:
    """S18.20 is s18's: under s8 the page has no pre-filing form, and a post is refused."""
    _site("s8")
    page = client_for("zhangsan").get(at_site("filings/")).content.decode()
    assert "pre-file-form" not in page
    refused = client_for("zhangsan").post(at_site("filings/pre-file/"), {"p-phone": "13800000001"})
    assert refused.status_code == 422 and "本案场制度没有" in refused.content.decode()
