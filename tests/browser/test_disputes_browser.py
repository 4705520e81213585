"""A dispute and an appeal in a real browser (S18.16, S18.17): a consultant files his 查询单 on
his phone, the manager decides it, the developer's marketing manager records the appeal that
overturns it. Screenshots at a desk's width and a phone's are kept in test-artifacts/disputes/."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import expect

from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Entry, Project
from tests.browser.conftest import ARTIFACTS, CHROMIUM, DESKTOP, PHONE, login, shoot
from tests.record.builders import make_project
from tests.sites.builders import PASSWORD, user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CI") != "true",
        reason="Debian chromium is not installed (scripts/setup installs it when run as root)",
    ),
]
SHOTS = ARTIFACTS / "disputes"


def the_site() -> Project:
    """s18: 李四's confirmation of 王建国 was handed in; 张三 says he received him first."""
    engines.forget_all()
    project = make_project(policy="s18")
    user("zhangsan", "consultant", "张三")
    user("lisi", "consultant", "李四")
    user("zhaoliu", "manager", "赵六")
    user("qianjiu", "marketing_manager", "钱九")
    append_fact(
        project=project,
        data={
            "kind": "handin",
            "consultant": "lisi",
            "phone": "13800000001",
            "name": "王建国",
            "need": "三居",
            "confirmer": "zhaoliu",
        },
    )
    return project


def test_a_dispute_decided_and_an_appeal_that_overturns_it(live_server: Any, browser: Any) -> None:
    project = the_site()
    base = live_server.url
    # when 张三 files his 查询单 on his phone
    phone = browser.new_context(viewport=PHONE).new_page()
    login(phone, base, "zhangsan", PASSWORD)
    phone.click("nav.menu a:text-is('投诉与争议')")
    phone.fill("#dispute-form input[name=d-phone]", "138 0000 0001")
    phone.click("#dispute-form button[type=submit]")
    # then a statement is required, and the error names it
    expect(phone.locator("p.error")).to_contain_text("情况说明: 必填")
    phone.fill("#dispute-form textarea[name=d-note]", "客户3月1日由我接待,有来访登记")
    phone.click("#dispute-form button[type=submit]")
    expect(phone.locator("main .card")).to_contain_text("待裁定")
    shoot(phone, SHOTS, "filed")
    # when the manager decides it for 李四 under S18.16
    desk = browser.new_context(viewport=DESKTOP).new_page()
    login(desk, base, "zhaoliu", PASSWORD)
    desk.click("nav.menu a:text-is('投诉与争议')")
    card = desk.locator(".card", has_text="客户3月1日由我接待")
    card.locator("select[name=owner]").select_option("lisi")
    card.locator("select[name=rule]").select_option("S18.16")
    card.locator("input[name=reason]").fill("确认单在先")
    shoot(desk, SHOTS, "to-decide")
    card.locator("button", has_text="裁定").click()
    expect(desk.locator(".card", has_text="客户3月1日由我接待")).to_contain_text("已裁定")
    shoot(desk, SHOTS, "decided")
    # when the marketing manager records 张三's appeal, overturned: the manager did not follow S18
    marketing = browser.new_context(viewport=DESKTOP).new_page()
    login(marketing, base, "qianjiu", PASSWORD)
    marketing.click("nav.menu a:text-is('投诉与争议')")
    ruling = marketing.locator(".card", has_text="确认单在先")
    ruling.locator("select[name=a-appellant]").select_option("zhangsan")
    ruling.locator("select[name=a-outcome]").select_option("overturned")
    ruling.locator("select[name=a-responsible]").select_option(["zhaoliu"])
    ruling.locator("select[name=a-owner]").select_option("zhangsan")
    ruling.locator("button", has_text="记录申诉结果").click()
    # then the appeal is listed, the customer is 张三's and the manager is fined under S18.17
    expect(marketing.locator("main")).to_contain_text("改判 → 张三")
    shoot(marketing, SHOTS, "appealed")
    engine = engines.live_engine(project).engine
    assert engine.by_phone["+8613800000001"].owner.id == "zhangsan"
    appeal = Entry.objects.get(project=project, kind="appeal")
    assert {p.staff for p in engine.penalties.values() if p.facts[0] == appeal.fact_id} == {"zhaoliu"}
