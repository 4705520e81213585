"""成交 (S9): a deal recorded on its page with the closer and an assistant, its card with the
split the policy gives now, then a unit change, a payment and a refund, each by the role that
does it on site; each refusal names its field and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Entry, Project
from tests.record.builders import make_project, visit
from tests.sites.builders import at_site, client_for, user

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+8613800000001"


def _site(policy: str = "s16") -> Project:
    engines.forget_all()
    project = make_project(policy=policy)
    user("zhangsan", "consultant", "张三", project=project)
    user("lisi", "consultant", "李四", project=project)
    user("zhouqi", "consultant", "周七", project=project)
    user("sunba", "clerk", "孙八", project=project)
    user("zhaoliu", "manager", "赵六", project=project)
    user("qianqi", "signing_room", "钱七", project=project)
    user("zhengshiyi", "finance", "郑十一", project=project)
    append_fact(project=project, data=visit("zhangsan", "13800000001", "王建国"))
    return project


def _deal(**extra: str) -> dict[str, str]:
    return {
        "phone": "138 0000 0001",
        "type": "deposit",
        "closer": "lisi",
        "assistant_1": "zhangsan",
        "assistant_1_knew": "on",
        "buyer_name": "王建国",
        "unit": "3-1201",
        "amount": "20,000",
    } | extra


def _the_deal(site: Project) -> Entry:
    return Entry.objects.get(project=site, kind="deal")


def test_s16_11_a_deal_with_an_assistant_is_recorded_and_its_card_shows_the_split() -> None:
    """S16.11, S9.1: the signing room records 李四's deposit of 张三's customer, 张三 assisting
    and knowing; the card shows the split the policy gives now, by name, with its rule."""
    site = _site()
    room = client_for("qianqi")
    response = room.post(at_site("deals/new/"), _deal())
    assert response.status_code == 302, response.content.decode()
    entry = _the_deal(site)
    assert entry.payload["closer"] == "lisi" and entry.payload["amount"] == "20000"
    assert "unit_type" not in entry.payload  # none chosen
    assert entry.payload["assistants"] == [{"staff": "zhangsan", "knew": True}]  # defaults are not stored
    split = next(s for s in engines.live_engine(site).engine.splits() if s.deal == entry.fact_id)
    card = room.get(at_site(f"deals/{entry.fact_id}/")).content.decode()
    assert split.rule in card and "3-1201" in card
    for who, share in split.shares:
        name = {"zhangsan": "张三", "lisi": "李四"}[who]
        assert f"{name} {share * 100:.0f}%" in card
    # and the list shows it to finance, and to 张三 (he assisted) but not to 周七
    assert entry.fact_id in client_for("zhengshiyi").get(at_site("deals/")).content.decode()
    assert entry.fact_id in client_for("zhangsan").get(at_site("deals/")).content.decode()
    assert entry.fact_id not in client_for("zhouqi").get(at_site("deals/")).content.decode()
    assert client_for("zhouqi").get(at_site(f"deals/{entry.fact_id}/")).status_code == 404


def test_a_deals_unit_type_is_recorded_for_its_commission_rate() -> None:
    """业态: a shop's deposit records its 业态, which picks the shop's commission rate."""
    site = _site()
    assert client_for("qianqi").post(at_site("deals/new/"), _deal(unit_type="shop")).status_code == 302
    assert _the_deal(site).payload["unit_type"] == "shop"


def test_s9_1_deposit_to_signing_then_unit_change_payment_and_refund() -> None:
    """S9.1: deposit, signing, a unit change, the down payment and a refund, each on the card by
    its role; after the refund the card says so and offers nothing more, the owner unchanged."""
    site = _site()
    room = client_for("qianqi")
    assert room.post(at_site("deals/new/"), _deal()).status_code == 302
    assert room.post(at_site("deals/new/"), _deal(type="signing", amount="1500000")).status_code == 302
    signing = Entry.objects.get(project=site, kind="deal", payload__type="signing").fact_id
    owner = engines.live_engine(site).engine.by_phone[PHONE].owner
    assert room.post(at_site(f"deals/{signing}/unit/"), {"u-unit": "2-0801", "u-amount": "1380000"}).status_code == 302
    finance = client_for("zhengshiyi")
    paid = finance.post(at_site(f"deals/{signing}/payment/"), {"p-stage": "down_payment", "p-amount": "450000"})
    assert paid.status_code == 302
    again = finance.post(at_site(f"deals/{signing}/payment/"), {"p-stage": "down_payment"})
    assert again.status_code == 422 and "回款节点: 该回款节点已登记" in again.content.decode()
    clerk = client_for("sunba")
    assert clerk.post(at_site(f"deals/{signing}/refund/"), {"r-reason": "贷款未批"}).status_code == 302
    card = clerk.get(at_site(f"deals/{signing}/")).content.decode()
    assert "换房 3-1201 → 2-0801 · ¥1,380,000.00" in card and "首付 · ¥450,000.00" in card and "退房 · 贷款未批" in card
    assert "已退房,不计佣金" in card and 'id="refund-form"' not in card
    kinds = list(Entry.objects.filter(project=site).order_by("seq").values_list("kind", flat=True))
    assert kinds[-3:] == ["unit_changed", "payment_milestone", "deal_refunded"]
    refused = clerk.post(at_site(f"deals/{signing}/refund/"), {"r-reason": "再退"})
    assert refused.status_code == 422 and "成交: 该成交已退房" in refused.content.decode()
    assert engines.live_engine(site).engine.by_phone[PHONE].owner == owner


def test_the_contract_filed_online_is_recorded_on_the_card_without_an_amount() -> None:
    """网签备案: the signing room records the signing's online filing on its card, a settlement
    stage and no payment (an amount typed with it is refused naming the field)."""
    site = _site()
    room = client_for("qianqi")
    assert room.post(at_site("deals/new/"), _deal(type="signing", amount="1500000")).status_code == 302
    signing = _the_deal(site).fact_id
    with_amount = room.post(at_site(f"deals/{signing}/payment/"), {"p-stage": "online_filing", "p-amount": "1"})
    assert with_amount.status_code == 422 and "回款金额(元): 网签备案不填金额" in with_amount.content.decode()
    assert room.post(at_site(f"deals/{signing}/payment/"), {"p-stage": "online_filing"}).status_code == 302
    entry = Entry.objects.get(project=site, kind="payment_milestone")
    assert entry.payload["stage"] == "online_filing" and "amount" not in entry.payload
    card = room.get(at_site(f"deals/{signing}/")).content.decode()
    followed = card.split('id="followed"')[1].split("</ul>")[0]
    assert "网签备案" in followed and "回款" not in followed


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phone": ""}, "客户电话: 必填"),
        ({"closer": ""}, "成交顾问: "),
        ({"closer": "zhaoliu"}, "成交顾问: "),
        ({"type": "lease"}, "成交类型: 不在可选的范围内"),
        ({"assistant_1": "lisi"}, "协助顾问 1: 与成交人或其他协助人重复"),
        ({"amount": "两万"}, "成交金额(元): 应为金额(元)"),
        ({"amount": "-5"}, "成交金额(元): 应为金额(元)"),
        ({"buyer_name": "王1"}, "购房人姓名: "),
        ({"id_number": "110101199003074259"}, "购房人身份证号: 校验位不对"),
        ({"unit": "x" * 65}, "房号: "),
        ({"unit_type": "castle"}, "业态: 不在可选的范围内"),
    ],
)
def test_bad_deal_input_names_the_field_and_writes_nothing(data: dict[str, Any], message: str) -> None:
    site = _site()
    before = Entry.objects.filter(project=site).count()
    response = client_for("sunba").post(at_site("deals/new/"), _deal(**data))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Entry.objects.filter(project=site).count() == before


def test_who_may_record_refund_and_pay() -> None:
    """The roles: a consultant cannot record a deal, finance cannot refund, the signing room
    cannot refund; a consultant's card offers him nothing to add."""
    site = _site()
    assert client_for("qianqi").post(at_site("deals/new/"), _deal()).status_code == 302
    fact = _the_deal(site).fact_id
    assert client_for("zhangsan").post(at_site("deals/new/"), _deal()).status_code == 403
    assert client_for("zhengshiyi").post(at_site(f"deals/{fact}/refund/"), {"r-reason": "x"}).status_code == 403
    assert client_for("qianqi").post(at_site(f"deals/{fact}/refund/"), {"r-reason": "x"}).status_code == 403
    card = client_for("zhangsan").get(at_site(f"deals/{fact}/")).content.decode()
    assert "<form" not in card.split('id="followed"')[1]
    assert Entry.objects.filter(project=site, kind="deal").count() == 1


def test_s2_1_the_id_number_is_asked_at_the_deal_and_shown_masked() -> None:
    """S2.1: the buyer's ID is taken with the deal and shown masked on its card."""
    site = _site()
    response = client_for("sunba").post(at_site("deals/new/"), _deal(id_number="110101199003074258"))
    assert response.status_code == 302
    entry = _the_deal(site)
    assert entry.payload["id_number"] == "110101199003074258"
    card = client_for("zhaoliu").get(at_site(f"deals/{entry.fact_id}/")).content.decode()
    assert "110***********4258" in card and "110101199003074258" not in card
