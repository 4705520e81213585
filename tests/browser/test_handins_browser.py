"""The confirmation desk up to the quota in a real browser (S18.3, S18.5): 张三 holds 29 of his
30 confirmations (seeded with builders); the clerk signs and records the 30th, then the 31st,
which is returned with its reason; 张三 sees both on his phone. Screenshots at a desk's width and
a phone's are kept in test-artifacts/handins/."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, CHROMIUM, DESKTOP, PHONE, login, shoot
from tests.handins.builders import customer_name, desk_site, in_hours
from tests.sites.builders import PASSWORD

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CI") != "true",
        reason="Debian chromium is not installed (scripts/setup installs it when run as root)",
    ),
]
SHOTS = ARTIFACTS / "handins"


def _hand_in(page: Any, n: int, number: str | None = None) -> None:
    page.select_option("#handin-form select[name=consultant]", "zhangsan")
    page.fill("#handin-form input[name=customer_no]", f"C{n:04d}" if number is None else number)
    page.fill("#handin-form input[name=name]", customer_name(n))
    page.fill("#handin-form input[name=phone]", f"138{n:08d}")
    page.fill("#handin-form input[name=need]", "三居")
    page.fill("#handin-form input[name=signed_at]", in_hours().strftime("%Y-%m-%dT%H:%M"))
    page.click("#handin-form button[type=submit]")


def test_handins_up_to_the_quota_and_the_one_returned(live_server: Any, browser: Any) -> None:
    desk_site(29, registered=2)
    clerk = browser.new_context(viewport=DESKTOP).new_page()
    login(clerk, live_server.url, "sunba", PASSWORD)
    clerk.click("nav.menu a:text-is('确认台')")
    expect(clerk.locator("#quotas")).to_contain_text("张三")
    # when the clerk records the 30th form without its number first, then complete
    _hand_in(clerk, 30, number="")
    expect(clerk.locator("p.error")).to_contain_text("客户编号: 确认单必须填写客户编号")
    _hand_in(clerk, 30)
    # then it is confirmed and 张三's counter is full
    expect(clerk.locator("#handins")).to_contain_text("已确认")
    expect(clerk.locator("#quotas tr.full")).to_contain_text("30")
    # when the 31st is handed in, it is recorded returned with its reason (S18.5)
    _hand_in(clerk, 31)
    expect(clerk.locator("#handins")).to_contain_text("已达确认限额 30 名")
    shoot(clerk, SHOTS, "desk-clerk")
    # and 张三 sees both and his counter on his phone, with no form to record one
    phone = browser.new_context(viewport=PHONE).new_page()
    login(phone, live_server.url, "zhangsan", PASSWORD)
    phone.click("nav.menu a:text-is('确认台')")
    expect(phone.locator("#handins")).to_contain_text("退回")
    expect(phone.locator("#handin-form")).to_have_count(0)
    shoot(phone, SHOTS, "desk-consultant")
