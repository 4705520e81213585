"""A registration with a family member in a real browser (S8.3): the consultant opens the form's
optional part on his phone, writes the father who came along, and the card shows both phones as
one customer of his; another consultant typing the father's phone is told whose customer he is
before he sends anything. Screenshots are kept in test-artifacts/registration/."""

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
SHOTS = ARTIFACTS / "registration"


def test_a_visit_registered_with_his_father(live_server: Any, browser: Any) -> None:
    # given an s8 site and its consultant 张三 on his phone
    engines.forget_all()
    project = make_project(policy="s8")
    user("zhangsan", "consultant", "张三")
    user("lisi", "consultant", "李四")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_context(viewport=PHONE).new_page()
    login(page, live_server.url, "zhangsan", PASSWORD)
    page.click("nav.menu a:text-is('判客')")
    form = page.locator("#registration")
    form.locator("input[name=name]").fill("王建国")
    form.locator("select[name=gender]").select_option("M")
    form.locator("input[name=phone]").fill("138 0000 0001")
    form.locator("input[name=intent]").fill("三居")
    form.locator("input[name=source]").fill("路过")
    # when he opens the optional part and writes the father who came along, without the relation
    form.locator("details.more summary").click()
    form.locator("input[name=companion_name]").fill("王父")
    form.locator("input[name=companion_phone]").fill("138 0000 0009")
    form.locator("button[type=submit]").click()
    # then the form says which field is missing, with the part still open
    expect(page.locator("#registration")).to_contain_text("与客户关系: 请选择与客户的关系")
    expect(page.locator("#registration details.more")).to_have_attribute("open", "")
    page.screenshot(path=str(SHOTS / "refused-phone.png"), full_page=True)
    # when he chooses 父母 and registers again
    page.locator("#registration select[name=companion_relation]").select_option("parent")
    page.locator("#registration button[type=submit]").click()
    # then the card is his customer, with both phones in full (his own customer)
    card = page.locator("#registration .card")
    expect(card).to_contain_text("13800000001")
    expect(card).to_contain_text("13800000009")
    expect(card).to_contain_text("张三")
    page.screenshot(path=str(SHOTS / "registered-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SHOTS / "registered-desk.png"), full_page=True)
    engine = engines.live_engine(project).engine
    assert engine.by_phone["+8613800000009"].owner.id == "zhangsan"
    # when 李四, at another desk, types the father's phone into a new registration
    other = browser.new_context(viewport=DESKTOP).new_page()
    login(other, live_server.url, "lisi", PASSWORD)
    other.click("nav.menu a:text-is('判客')")
    other.locator("#registration input[name=phone]").fill("13800000009")
    other.locator("#registration input[name=name]").click()  # leaving the field is a change
    # then before anything is sent he reads whose customer it is, since when and under which rule
    warning = other.locator("#collision")
    expect(warning).to_contain_text("138****0009 已是 张三 的客户")
    expect(warning).to_contain_text("S8.1")
    other.screenshot(path=str(SHOTS / "collision-desk.png"), full_page=True)
    other.set_viewport_size(PHONE)
    other.screenshot(path=str(SHOTS / "collision-phone.png"), full_page=True)
