"""A deal from deposit to signing with an assistant, then a refund, in a real browser (S9.1,
S16.11): the signing room records 李四's deposit of 张三's customer with 张三 assisting, then
the signing; finance records the down payment; the clerk refunds it. Screenshots of each screen
at a desk's width and a phone's are kept in test-artifacts/deals/."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import expect

from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Entry
from tests.browser.conftest import ARTIFACTS, CHROMIUM, DESKTOP, PHONE, login, shoot
from tests.record.builders import make_project, visit
from tests.sites.builders import PASSWORD, user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CI") != "true",
        reason="Debian chromium is not installed (scripts/setup installs it when run as root)",
    ),
]
SHOTS = ARTIFACTS / "deals"


def _record(page: Any, type_: str, amount: str) -> None:
    page.fill("#deal-form input[name=phone]", "138 0000 0001")
    page.select_option("#deal-form select[name=type]", type_)
    page.select_option("#deal-form select[name=closer]", "lisi")
    page.select_option("#deal-form select[name=assistant_1]", "zhangsan")
    page.fill("#deal-form input[name=buyer_name]", "王建国")
    page.fill("#deal-form input[name=unit]", "3-1201")
    page.fill("#deal-form input[name=amount]", amount)
    page.click("#deal-form button[type=submit]")


def test_a_deal_from_deposit_to_signing_with_an_assistant_and_a_refund(live_server: Any, browser: Any) -> None:
    engines.forget_all()
    project = make_project(policy="s16")
    for staff, role, name in (
        ("zhangsan", "consultant", "张三"),
        ("lisi", "consultant", "李四"),
        ("qianqi", "signing_room", "钱七"),
        ("zhengshiyi", "finance", "郑十一"),
        ("sunba", "clerk", "孙八"),
    ):
        user(staff, role, name)
    append_fact(project=project, data=visit("zhangsan", "13800000001", "王建国"))
    # when the signing room records the deposit, first with a price in words
    room = browser.new_context(viewport=DESKTOP).new_page()
    login(room, live_server.url, "qianqi", PASSWORD)
    room.click("nav.menu a:text-is('成交')")
    _record(room, "deposit", "两万")
    expect(room.locator("p.error")).to_contain_text("成交金额(元): 应为金额(元)")
    _record(room, "deposit", "20000")
    # then the deposit is listed with its split by name (S16.11: 张三 assisted his own customer)
    expect(room.locator("#deals")).to_contain_text("定金")
    expect(room.locator("#deals")).to_contain_text("张三")
    _record(room, "signing", "1500000")
    expect(room.locator("#deals")).to_contain_text("签约")
    shoot(room, SHOTS, "deals-signing-room")
    signing = Entry.objects.get(project=project, kind="deal", payload__type="signing").fact_id
    # when finance records the down payment on the signing's card, on a phone
    money = browser.new_context(viewport=PHONE).new_page()
    login(money, live_server.url, "zhengshiyi", PASSWORD)
    money.goto(f"{live_server.url}/s/{project.code}/deals/{signing}/")
    money.select_option("#payment-form select[name=p-stage]", "down_payment")
    money.fill("#payment-form input[name=p-amount]", "450000")
    money.click("#payment-form button[type=submit]")
    expect(money.locator("#followed")).to_contain_text("首付 · ¥450,000.00")
    expect(money.locator("#refund-form")).to_have_count(0)  # finance does not refund
    shoot(money, SHOTS, "deal-card-finance")
    # when the clerk refunds it, first without a reason
    clerk = browser.new_context(viewport=DESKTOP).new_page()
    login(clerk, live_server.url, "sunba", PASSWORD)
    clerk.goto(f"{live_server.url}/s/{project.code}/deals/{signing}/")
    clerk.click("#refund-form button[type=submit]")
    expect(clerk.locator("p.error")).to_contain_text("退房原因: 必填")
    clerk.fill("#refund-form input[name=r-reason]", "贷款未批")
    clerk.click("#refund-form button[type=submit]")
    # then the card says the deal is refunded, earns nothing, and offers nothing more
    expect(clerk.locator("#deal-card")).to_contain_text("已退房,不计佣金")
    expect(clerk.locator("#followed")).to_contain_text("退房 · 贷款未批")
    expect(clerk.locator("#refund-form")).to_have_count(0)
    shoot(clerk, SHOTS, "deal-card-refunded")
    kinds = set(Entry.objects.filter(project=project).values_list("kind", flat=True))
    assert {"deal", "payment_milestone", "deal_refunded"} <= kinds
    assert engines.live_engine(project).engine.by_phone["+8613800000001"].owner.id == "zhangsan"
