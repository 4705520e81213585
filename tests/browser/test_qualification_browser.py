"""资格审核 (S2, S15.4) in a real browser: the manager switches the checklist on; the signing
room's signing with the checks open is refused naming them; the clerk, on a phone, checks the
buyer's identity by his phone and his eligibility on the deposit's card; the signing is then
taken; the manager forces another buyer's signing with his reason. Screenshots at a desk's
width and a phone's are kept in test-artifacts/qualification/."""

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
SHOTS = ARTIFACTS / "qualification"


def _record(page: Any, phone: str, type_: str, name: str, reason: str = "") -> None:
    page.fill("#deal-form input[name=phone]", phone)
    page.select_option("#deal-form select[name=type]", type_)
    page.select_option("#deal-form select[name=closer]", "zhangsan")
    page.fill("#deal-form input[name=buyer_name]", name)
    page.fill("#deal-form input[name=amount]", "1500000")
    page.locator("#deal-form details.more").evaluate("d => { d.open = true; }")
    page.fill("#deal-form input[name=id_number]", "110101199003074258")
    if reason:
        page.fill("#deal-form input[name=checks_overridden]", reason)
    page.click("#deal-form button[type=submit]")


def test_the_checklist_from_the_managers_switch_to_a_signing(live_server: Any, browser: Any) -> None:
    engines.forget_all()
    project = make_project(policy="s16")
    for staff, role, name in (
        ("zhangsan", "consultant", "张三"),
        ("qianqi", "signing_room", "钱七"),
        ("sunba", "clerk", "孙八"),
        ("zhaoliu", "manager", "赵六"),
    ):
        user(staff, role, name)
    append_fact(project=project, data=visit("zhangsan", "13800000001", "王建国"))
    append_fact(project=project, data=visit("zhangsan", "13800000002", "李秀英", gender="F"))
    # when the manager switches the checklist on: identity and eligibility
    manager = browser.new_context(viewport=DESKTOP).new_page()
    login(manager, live_server.url, "zhaoliu", PASSWORD)
    manager.goto(f"{live_server.url}/s/{project.code}/manage/")
    form = manager.locator("#policy-form")
    expect(form.locator("select[name=policy]")).to_have_value("s16@v1")  # the current one
    form.locator("input[name=qualification]").check()
    for item in ("funds", "credit", "letter"):
        form.locator(f"input[name=checks][value={item}]").uncheck()
    form.locator("input[name=checks][value=identity]").check()
    form.locator("input[name=checks][value=eligibility]").check()
    form.locator("button[type=submit]").click()
    manager.goto(f"{live_server.url}/s/{project.code}/manage/")
    expect(manager.locator("#policy-history")).to_contain_text("资格审核: 身份证件核验、购房资格审核")
    shoot(manager, SHOTS, "manage-checklist")
    # then the signing room's signing with both open is refused, naming them
    room = browser.new_context(viewport=DESKTOP).new_page()
    login(room, live_server.url, "qianqi", PASSWORD)
    room.click("nav.menu a:text-is('成交')")
    _record(room, "138 0000 0001", "signing", "王建国")
    expect(room.locator("p.error")).to_contain_text("资格审核未完成:身份证件核验(S2.1)、购房资格审核(S2.2)")
    shoot(room, SHOTS, "signing-refused")
    _record(room, "138 0000 0001", "deposit", "王建国")
    expect(room.locator("#deals")).to_contain_text("待资格审核")
    deposit = Entry.objects.get(project=project, kind="deal").fact_id
    # when the clerk, on a phone, checks identity by the buyer's phone, then eligibility on the card
    clerk = browser.new_context(viewport=PHONE).new_page()
    login(clerk, live_server.url, "sunba", PASSWORD)
    clerk.goto(f"{live_server.url}/s/{project.code}/deals/")
    check = clerk.locator("#check-form")
    check.locator("input[name=c-phone]").fill("13800000001")
    check.locator("select[name=c-item]").select_option("identity")
    check.locator("select[name=c-result]").select_option("yes")
    check.locator("input[name=c-note]").fill("原件复印件已核")
    check.locator("button[type=submit]").click()
    clerk.goto(f"{live_server.url}/s/{project.code}/deals/{deposit}/")
    expect(clerk.locator("#check-identity")).to_contain_text("孙八")
    expect(clerk.locator("#check-eligibility")).to_contain_text("待审核")
    clerk.locator("#check-form select[name=k-item]").select_option("eligibility")
    clerk.locator("#check-form select[name=k-result]").select_option("yes")
    clerk.locator("#check-form button[type=submit]").click()
    expect(clerk.locator("#check-eligibility")).to_contain_text("通过")
    shoot(clerk, SHOTS, "deal-card-checked-phone")
    # then the signing is taken
    room.reload()
    _record(room, "138 0000 0001", "signing", "王建国")
    expect(room.locator("p.error")).to_have_count(0)
    expect(room.locator("#deals")).to_contain_text("签约")
    # and the manager forces the other buyer's signing with his reason; its card says so
    manager.click("nav.menu a:text-is('成交')")
    _record(manager, "138 0000 0002", "signing", "李秀英", reason="客户明日出国,先签约后补件")
    forced = Entry.objects.get(project=project, kind="deal", payload__buyer_name="李秀英").fact_id
    manager.goto(f"{live_server.url}/s/{project.code}/deals/{forced}/")
    expect(manager.locator("#overridden")).to_contain_text("客户明日出国,先签约后补件")
    expect(manager.locator("#deal-card")).to_contain_text("待资格审核")
    shoot(manager, SHOTS, "deal-card-forced")
