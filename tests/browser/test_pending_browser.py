"""A pending confirmation (待确认客户登记, S8.10) in a real browser, as its three people do it:
the receiver files it at the desk, another consultant claims it on his phone with the deadline
counting down, the clerk verifies the claim, and the customer is the claimant's. Screenshots at
a desk's width and a phone's are kept in test-artifacts/pending/."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import expect

from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Entry, Project
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
SHOTS = ARTIFACTS / "pending"


def the_site() -> Project:
    """s8: 李四 registered 王建国 a month ago by phone; today he walks in and remembers nobody."""
    engines.forget_all()
    project = make_project(policy="s8")
    user("zhangsan", "consultant", "张三")
    user("lisi", "consultant", "李四")
    user("sunba", "clerk", "孙八")
    append_fact(project=project, data={**visit("lisi", "13800000001", "王建国"), "mode": "call"})
    return project


def test_a_pending_confirmation_is_filed_claimed_and_verified(live_server: Any, browser: Any) -> None:
    project = the_site()
    base = live_server.url
    # when 张三, who receives him, looks him up at the desk and files the pending confirmation
    desk = browser.new_context(viewport=DESKTOP).new_page()
    login(desk, base, "zhangsan", PASSWORD)
    desk.goto(f"{base}/s/demo/desk/")
    desk.fill("input[name=q]", "13800000001")
    desk.click("form.inline button[type=submit]")
    desk.wait_for_selector("#results .card")
    desk.click("#results .card button:text('客户不记得顾问:填写待确认登记')")
    # then the card says it is pending, with its deadline
    expect(desk.locator("#results .card")).to_contain_text("待确认")
    shoot(desk, SHOTS, "filed")
    assert Entry.objects.filter(project=project, kind="pending_confirmation").count() == 1
    # when 李四 opens his customers on his phone: the pending one with its countdown, and claims it
    phone = browser.new_context(viewport=PHONE).new_page()
    login(phone, base, "lisi", PASSWORD)
    phone.click("nav.menu a:text-is('我的客户')")
    item = phone.locator("main .card", has_text="待确认")
    expect(item).to_have_count(1)  # his own card, not again among the others' to claim
    expect(item).to_contain_text("剩余")
    shoot(phone, SHOTS, "claimable")
    item.locator("button:text('认领')").click()
    expect(phone.locator("main")).to_contain_text("李四")
    shoot(phone, SHOTS, "claimed")
    # when the clerk verifies the claim in her register
    clerk = browser.new_context(viewport=DESKTOP).new_page()
    login(clerk, base, "sunba", PASSWORD)
    clerk.click("nav.menu a:text-is('内业')")
    expect(clerk.locator("main")).to_contain_text("认领人 李四")
    shoot(clerk, SHOTS, "to-verify")
    clerk.click("button:text('核实属实')")
    clerk.wait_for_load_state()
    # then nothing waits any more, and the customer is 李四's by S8.10
    expect(clerk.locator("main")).not_to_contain_text("认领人 李四")
    shoot(clerk, SHOTS, "verified")
    g = engines.live_engine(project).engine.by_phone["+8613800000001"]
    assert g.owner.id == "lisi" and g.state == "owned"
    verified = Entry.objects.get(project=project, kind="claim_verified")
    assert verified.payload["by"] == "sunba"
    assert verified.payload.get("approved", True) is True  # the record leaves the default out
