"""A site's day in a real browser: a claim and its verification (S8.10 under s8@v2), the front
desk entering a reception for a consultant, and the manager entering a new person."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest

from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Entry, Membership
from tests.browser.conftest import ARTIFACTS, CHROMIUM, DESKTOP, PHONE, login
from tests.record.builders import make_project, visit
from tests.sites.builders import PASSWORD, user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CI") != "true",
        reason="Debian chromium is not installed (scripts/setup installs it when run as root)",
    ),
]


def person(browser: Any, base: str, username: str, viewport: dict[str, int]) -> Any:
    page = browser.new_context(viewport=viewport).new_page()
    login(page, base, username, PASSWORD)
    return page


def test_a_claim_is_made_on_a_phone_and_verified_at_the_clerks_desk(live_server: Any, browser: Any) -> None:
    """S8.10: 王建国, 张三's customer, forgot him; 李四 filed a pending confirmation. 张三 claims on
    his phone; it stands only when the clerk 孙八 verifies it at her desk."""
    # given
    engines.forget_all()
    project = make_project(policy="s8@v2")
    for name in ("zhangsan", "lisi", "sunba"):
        user(name, Membership.objects.get(project=project, staff=name).role)
    append_fact(project=project, data=visit("zhangsan", "13800000001", "王建国"))
    append_fact(project=project, data={"kind": "pending_confirmation", "phone": "+8613800000001", "consultant": "lisi"})
    base = live_server.url
    # when 张三 claims on his phone
    phone = person(browser, base, "zhangsan", PHONE)
    phone.goto(f"{base}/s/demo/mine/")
    phone.click("#card-" + engines.live_engine(project).engine.by_phone["+8613800000001"].id + " button")
    phone.wait_for_selector("text=认领,待核实")
    phone.screenshot(path=str(ARTIFACTS / "claim-phone.png"), full_page=True)
    assert "待确认" in phone.inner_text("main")
    # and the clerk verifies it
    desk = person(browser, base, "sunba", DESKTOP)
    desk.goto(f"{base}/s/demo/clerk/")
    assert "认领人 张三" in desk.inner_text("main")
    desk.screenshot(path=str(ARTIFACTS / "claim-to-verify.png"), full_page=True)
    desk.click("button[value=yes]")
    desk.wait_for_load_state()
    assert "认领人 张三" not in desk.inner_text("main")
    # then the customer is 张三's again, and the record says who verified
    phone.goto(f"{base}/s/demo/mine/")
    phone.screenshot(path=str(ARTIFACTS / "claim-verified-phone.png"), full_page=True)
    assert "13800000001" in phone.inner_text("main") and "经核实" in phone.inner_text("main")
    assert Entry.objects.get(project=project, kind="claim_verified").payload["by"] == "sunba"


def test_the_front_desk_enters_a_reception_for_a_consultant(live_server: Any, browser: Any) -> None:
    """S4.3, S8.5: the front desk registers a visitor for the consultant who received him, chosen
    by name from the site's consultants; the customer is that consultant's."""
    engines.forget_all()
    project = make_project(policy="s8@v2")
    user("fangxiao", "front_desk", "方晓")
    base = live_server.url
    page = person(browser, base, "fangxiao", PHONE)
    page.goto(f"{base}/s/demo/desk/")
    page.select_option("#registration select[name=receiver]", label="李四 (A)")
    page.fill("#registration input[name=name]", "李梅")
    page.select_option("#registration select[name=gender]", "F")
    page.fill("#registration input[name=phone]", "139 0000 0002")
    page.click("#registration button[type=submit]")
    page.wait_for_selector("#registration .card")
    page.screenshot(path=str(ARTIFACTS / "front-desk-registered.png"), full_page=True)
    fact = Entry.objects.get(project=project, kind="registration")
    assert fact.payload["consultant"] == "lisi" and fact.payload["entered_by"] == "fangxiao"
    assert "李四" in page.inner_text("#registration .card")


def test_the_manager_enters_a_new_consultant_who_then_signs_in(live_server: Any, browser: Any) -> None:
    """The manager enters 吴一 with his team; the first password is shown once; 吴一 signs in
    with it on his phone and lands on his home."""
    engines.forget_all()
    make_project(policy="s8@v2")
    user("zhaoliu", "manager", "赵六")
    base = live_server.url
    page = person(browser, base, "zhaoliu", DESKTOP)
    page.goto(f"{base}/s/demo/admin/")
    page.fill("#join input[name=staff]", "wuyi")
    page.fill("#join input[name=name]", "吴一")
    page.select_option("#join select[name=role]", "consultant")
    page.fill("#join input[name=team]", "B")
    page.click("#join button[type=submit]")
    page.wait_for_selector("#once")
    password = page.inner_text("#once")
    page.screenshot(path=str(ARTIFACTS / "admin-joined.png"), full_page=True)
    assert re.fullmatch(r"[\w-]{8,}", password)
    # then
    new = browser.new_context(viewport=PHONE).new_page()
    login(new, base, "wuyi", password)
    assert new.url == f"{base}/s/demo/"
    assert "吴一" in new.inner_text("header") and "置业顾问" in new.inner_text("header")
    new.screenshot(path=str(ARTIFACTS / "new-consultant-home.png"), full_page=True)
