"""Pre-filing and a site milestone in a real browser (S18.20, S18.21): a consultant pre-files
his old customer on his phone, the manager records the launch. Screenshots at a desk's width and
a phone's are kept in test-artifacts/filings/."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import expect

from guishu.record import engines
from tests.browser.conftest import ARTIFACTS, CHROMIUM, DESKTOP, PHONE, login
from tests.record.builders import make_project
from tests.sites.builders import PASSWORD, user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CI") != "true",
        reason="Debian chromium is not installed (scripts/setup installs it when run as root)",
    ),
]
SHOTS = ARTIFACTS / "filings"


def test_a_pre_filing_on_a_phone_and_the_launch_at_the_desk(live_server: Any, browser: Any) -> None:
    engines.forget_all()
    project = make_project(policy="s18")
    user("zhangsan", "consultant", "张三")
    user("zhaoliu", "manager", "赵六")
    SHOTS.mkdir(parents=True, exist_ok=True)
    # when 张三 pre-files his old customer on his phone, first without the phone
    phone = browser.new_context(viewport=PHONE).new_page()
    login(phone, live_server.url, "zhangsan", PASSWORD)
    phone.click("nav.menu a:text-is('备案与关系')")
    phone.fill("#pre-file-form input[name=p-name]", "王建国")
    phone.click("#pre-file-form button[type=submit]")
    expect(phone.locator("p.error")).to_contain_text("客户电话: 必填")
    phone.fill("#pre-file-form input[name=p-phone]", "138 0000 0001")
    phone.click("#pre-file-form button[type=submit]")
    # then his filing is listed and the customer is his (S18.20)
    expect(phone.locator("main")).to_contain_text("王建国 138****0001")
    phone.screenshot(path=str(SHOTS / "pre-filed-phone.png"), full_page=True)
    assert engines.live_engine(project).engine.by_phone["+8613800000001"].owner.id == "zhangsan"
    # when the manager records the launch at his desk
    desk = browser.new_context(viewport=DESKTOP).new_page()
    login(desk, live_server.url, "zhaoliu", PASSWORD)
    desk.click("nav.menu a:text-is('备案与关系')")
    desk.select_option("#milestone-form select[name=m-milestone]", "launch")
    desk.click("#milestone-form button[type=submit]")
    expect(desk.locator("main")).to_contain_text("开盘")
    desk.screenshot(path=str(SHOTS / "milestone-desk.png"), full_page=True)
    desk.set_viewport_size(PHONE)
    desk.screenshot(path=str(SHOTS / "milestone-phone.png"), full_page=True)
    assert "launch" in engines.live_engine(project).engine.milestones
