"""The office's day in a real browser: the clerk enters a day off on her phone and voids a
mistaken entry (S8.12), voids a wrong registration from the day's register (S1.4); the manager
lets a consultant leave, assigns the customer he left (S16.3) and voids a follow-up from the
customer's history. Screenshots of every screen at a desk's width and a phone's are kept in
test-artifacts/office/."""

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
SHOTS = ARTIFACTS / "office"


def the_site() -> Project:
    """A site under s16 (a leaver's customers go to the pool, S16.3) with two consultants, a
    clerk and a manager; 张三 has 王建国 (no deposit) and 李梅 (a deposit), 李四 has 周敏."""
    engines.forget_all()
    project = make_project(policy="s16")
    user("zhangsan", "consultant", "张三")
    user("lisi", "consultant", "李四")
    user("sunba", "clerk", "孙八")
    user("zhaoliu", "manager", "赵六")
    append_fact(project=project, data=visit("zhangsan", "13800000001", "王建国"))
    append_fact(project=project, data=visit("zhangsan", "13800000002", "李梅", gender="F"))
    append_fact(
        project=project,
        data={"kind": "deal", "phone": "13800000002", "type": "deposit", "closer": "zhangsan", "unit": "1-101"},
    )
    append_fact(project=project, data=visit("lisi", "13800000003", "周敏", gender="F"))
    append_fact(
        project=project, data={"kind": "follow_up", "phone": "13800000003", "consultant": "lisi", "method": "call"}
    )
    return project


def test_the_clerk_enters_duty_on_her_phone_and_voids_what_was_wrong(live_server: Any, browser: Any) -> None:
    # given the site, and the clerk signed in on her phone
    project = the_site()
    base = live_server.url
    page = browser.new_context(viewport=PHONE).new_page()
    login(page, base, "sunba", PASSWORD)
    # when she opens 考勤 from her menu and enters 张三's day off
    page.click("nav.menu a:text-is('考勤')")
    page.select_option("select[name=staff]", "zhangsan")
    page.select_option("select[name=status]", "day_off")
    page.click("#duty-form button[type=submit]")
    # then the sheet shows him away, by name, and the entry of today
    expect(page.locator("#duty-now tr", has_text="张三")).to_contain_text("休息")
    shoot(page, SHOTS, "duty")
    # when she voids it (it was 李四's day off) with the reason
    row = page.locator("#duty-today tr", has_text="张三")
    row.locator("input[name=reason]").fill("登记错人,应为李四")
    row.locator("button", has_text="作废").click()
    # then the entry stays, struck through, with who voided it and why; 张三 is at work again
    expect(page.locator("#duty-today")).to_contain_text("已作废")
    expect(page.locator("#duty-today")).to_contain_text("登记错人,应为李四")
    expect(page.locator("#duty-now tr", has_text="张三")).not_to_contain_text("休息")
    shoot(page, SHOTS, "duty-voided")
    # when a bad entry is sent (a time already past), the error names the field
    page.select_option("select[name=staff]", "lisi")
    page.select_option("select[name=status]", "out")
    page.fill("input[name=until]", "2020-01-01T10:00")
    page.click("#duty-form button[type=submit]")
    expect(page.locator("p.error")).to_contain_text("截止时间: 应晚于现在")
    shoot(page, SHOTS, "duty-error")
    # when, at her desk, she voids 王建国's registration from the day's register
    page.set_viewport_size(DESKTOP)
    page.click("nav.menu a:text-is('内业')")
    line = page.locator("tr", has_text="王建国")
    line.locator("input[name=reason]").fill("重复登记")
    line.locator("button", has_text="作废").click()
    # then the register shows it voided, and the record holds the correction by her
    expect(page.locator("tr", has_text="王建国")).to_contain_text("已作废")
    expect(page.locator("tr", has_text="王建国")).to_contain_text("孙八")
    shoot(page, SHOTS, "register-voided")
    corrections = Entry.objects.filter(project=project, kind="correction")
    assert [c.payload["by"] for c in corrections] == ["sunba", "sunba"]


def test_the_manager_lets_a_consultant_go_assigns_his_customer_and_voids_a_follow_up(
    live_server: Any, browser: Any
) -> None:
    # given the site, and the manager signed in at his desk
    project = the_site()
    base = live_server.url
    page = browser.new_context(viewport=DESKTOP).new_page()
    login(page, base, "zhaoliu", PASSWORD)
    # when 张三 leaves (site administration)
    page.click("nav.menu a:text-is('案场管理')")
    page.locator("tr", has_text="张三").locator("button", has_text="离职").click()
    page.wait_for_load_state()
    # then his customers are listed: 王建国 waits for the manager, 李梅 (deposit) is the department's
    page.click("main a:text-is('离职顾问的客户')")
    expect(page.locator("main")).to_contain_text("王建国")
    expect(page.locator(".card", has_text="李梅")).to_contain_text("已下定,归销售部")
    shoot(page, SHOTS, "pool")
    # when he gives 王建国 to 李四 with his reason
    card = page.locator(".card", has_text="王建国")
    card.locator("select[name=owner]").select_option("lisi")
    card.locator("input[name=reason]").fill("按轮序由李四接手")
    card.locator("button", has_text="分配").click()
    # then 王建国 is 李四's, by the manager's ruling under S16.3, and no longer waiting
    expect(page.locator(".card", has_text="王建国")).to_have_count(0)
    shoot(page, SHOTS, "pool-assigned")
    live = engines.live_engine(project).engine
    assert live.by_phone["+8613800000001"].owner.id == "lisi"
    # when he voids 李四's follow-up of 周敏 from her history
    group = live.by_phone["+8613800000003"].id
    page.goto(f"{base}/s/demo/customer/{group}/")
    row = page.locator("tr", has_text="跟进")
    row.locator("input[name=reason]").fill("未实际回访")
    row.locator("button", has_text="作废").click()
    # then the history keeps the follow-up, struck through, and the correction's own line
    expect(page.locator("main s")).to_have_count(1)
    expect(page.locator("main")).to_contain_text("未实际回访")
    expect(page.locator("main")).to_contain_text("已作废")
    shoot(page, SHOTS, "history-voided")
