"""The registration form's people: a family member who came along (S8.3), the old customer who
brought him (老带新), a friend registering on his behalf (S8.7), a company buyer (S18.11)."""

from __future__ import annotations

from typing import Any

import pytest

from guishu.record import engines
from guishu.record.models import Entry, Project
from tests.record.builders import make_project
from tests.sites.builders import at_site, client_for, user

pytestmark = pytest.mark.django_db(transaction=True)
VISIT = {"mode": "visit", "name": "王建国", "gender": "M", "phone": "13800000001", "intent": "三居", "source": "路过"}


@pytest.fixture
def site() -> Project:
    engines.forget_all()
    project = make_project(policy="s8")
    user("zhangsan", "consultant", "张三")
    user("lisi", "consultant", "李四")
    return project


def _register(who: str, **data: Any) -> Any:
    return client_for(who).post(at_site("register/"), {**VISIT, **data})


def test_s8_3_a_parent_who_came_along_is_one_group_with_him_and_the_first_registrants(site: Project) -> None:
    """S8.3: 王建国 came with his father; the father's phone is one group with his, 张三's, and
    李四 registering the father later finds him 张三's."""
    # when
    response = _register("zhangsan", companion_name="王父", companion_phone="13800000009", companion_relation="parent")
    # then the fact carries the companion and the group holds both phones
    assert response.status_code == 200
    fact = Entry.objects.get(project=site, kind="registration")
    assert fact.payload["companions"] == [{"name": "王父", "phone": "+8613800000009", "relation": "parent"}]
    engine = engines.live_engine(site).engine
    assert engine.by_phone["+8613800000009"] is engine.by_phone["+8613800000001"]
    # when 李四 registers the father as a new visitor
    _register("lisi", name="王父", phone="13800000009")
    # then he is 张三's customer (the first registrant of the group)
    assert engines.live_engine(site).engine.by_phone["+8613800000009"].owner.id == "zhangsan"


def test_a_referral_a_proxy_and_a_company_are_written_on_the_fact(site: Project) -> None:
    """老带新 (S8.8): the old customer's phone and how he brought him; S8.7 a friend registers
    for him; S18.11 a company buyer."""
    response = _register(
        "zhangsan", referred_by="139 0000 0007", referral="named", proxy="on", company="华信科技有限公司"
    )
    assert response.status_code == 200
    payload = Entry.objects.get(project=site, kind="registration").payload
    assert payload["referred_by"] == "+8613900000007" and payload["referral"] == "named"
    assert payload["proxy"] is True and payload["customer"]["company"] == "华信科技有限公司"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"companion_name": "王父"}, "与客户关系: 请选择与客户的关系"),
        ({"companion_relation": "parent"}, "同行家人姓名: 请填写同行家人的姓名或电话"),
        ({"companion_phone": "12345", "companion_relation": "parent"}, "同行家人电话: "),
        ({"companion_name": "王父1", "companion_relation": "parent"}, "同行家人姓名: "),
        ({"companion_relation": "cousin", "companion_name": "王某"}, "与客户关系: 不在可选的范围内"),
        ({"referral": "named"}, "介绍人(老客户)电话: 选择了老带新方式,须填写老客户电话"),
        ({"referred_by": "abc"}, "介绍人(老客户)电话: "),
        ({"company": "x" * 201}, "购房单位(公司客户): 最多200个字"),
    ],
)
def test_a_bad_companion_or_referral_names_its_field_and_writes_nothing(
    site: Project, data: dict[str, str], message: str
) -> None:
    before = Entry.objects.count()
    response = _register("zhangsan", **data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Entry.objects.count() == before


def test_a_collision_is_said_before_the_registration_is_sent(site: Project) -> None:
    """S8.1: while 李四 fills in the form, the phone he typed (or the family member's) is 张三's
    customer: whose, since when and under which rule, and nothing is written."""
    _register("zhangsan", companion_phone="13800000009", companion_relation="parent", companion_name="王父")
    before = Entry.objects.count()
    lisi = client_for("lisi")
    # when
    warned = lisi.post(at_site("register/check/"), {"phone": "138 0000 0001"}).content.decode()
    by_family = lisi.post(at_site("register/check/"), {"phone": "", "companion_phone": "13800000009"}).content.decode()
    own = client_for("zhangsan").post(at_site("register/check/"), {"phone": "13800000001"}).content.decode()
    fresh = lisi.post(at_site("register/check/"), {"phone": "13900000000"}).content.decode()
    # then
    assert "138****0001 已是 张三 的客户" in warned and "S8.1" in warned and "撞单" in warned
    assert "13800000001" not in warned and "zhangsan" not in warned
    assert "138****0009 已是 张三 的客户" in by_family
    assert "已是" not in own and "已是" not in fresh
    assert Entry.objects.count() == before


def test_a_phone_tail_finds_the_most_recent_customers_it_ends_and_counts_them(site: Project) -> None:
    """判客 the way staff remember a phone: its last four digits give the customers whose phone
    ends so, masked for another's, the most recent first, at most eight and how many in all."""
    names = ["王一", "王二", "王三", "王四", "王五", "王六", "王七", "王八", "王九", "王十"]
    for i, name in enumerate(names):
        _register("zhangsan", name=name, phone=f"138000{i}0123")  # each ends 0123
    _register("zhangsan", name="李梅", gender="F", phone="13900004567")
    lisi = client_for("lisi")
    # when
    page = lisi.post(at_site("desk/"), {"q": "0123"}, headers={"HX-Request": "true"}).content.decode()
    one = lisi.post(at_site("desk/"), {"q": "4567"}, headers={"HX-Request": "true"}).content.decode()
    none = lisi.post(at_site("desk/"), {"q": "9999"}, headers={"HX-Request": "true"}).content.decode()
    # then
    assert page.count('class="card"') == 8
    assert "尾号 0123 共 10 位客户,显示最近 8 位" in page
    assert "王十" in page and "王三" in page and "王二" not in page and "王一" not in page  # the 8 newest
    assert "138****0123" in page and "13800090123" not in page  # another's customer: masked
    assert one.count('class="card"') == 1 and "李梅" in one and "共" not in one
    assert "记录中没有尾号为 9999 的号码" in none
