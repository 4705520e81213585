"""The reception rotation (轮序) in a real browser: the front desk runs a morning's queue while
the wall board and a consultant's phone follow it in their own browsers (S7.3, S7.4, S7.6).

Screenshots are kept in test-artifacts/: rotation-desk.png, rotation-board.png,
rotation-phone.png, rotation-desk-phone.png, rotation-fairness.png.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from guishu.record import engines
from guishu.record.models import Entry, Project
from guishu.rotation import actions
from tests.browser.conftest import ARTIFACTS, CHROMIUM, DESKTOP, PHONE
from tests.browser.conftest import login as sign_in
from tests.record.builders import make_project
from tests.sites.builders import PASSWORD, at_site, client_for, user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CI") != "true",
        reason="Debian chromium is not installed (scripts/setup installs it when run as root)",
    ),
]
SITE = "demo"
CONSULTANTS = {"chenming": "陈明", "linfang": "林芳", "wanglei": "王磊", "liuyang": "刘洋"}
SOON = 3000  # ms: the queue parts poll every second, so a change shows within two


def the_site() -> Project:
    """The site under preset s7, with a front desk 方晓, four consultants and a manager 赵六."""
    engines.forget_all()
    project = make_project(code=SITE, policy="s7")
    user("fangxiao", "front_desk", "方晓", project=project)
    for staff, name in CONSULTANTS.items():
        user(staff, "consultant", name, project=project)
    user("zhaoliu", "manager", "赵六", project=project)
    return project


def person(browser: Any, base: str, username: str | None, viewport: dict[str, int]) -> Any:
    """A browser of one's own (a context: its own cookies), signed in unless ``username`` is None."""
    page = browser.new_context(viewport=viewport).new_page()
    if username:
        sign_in(page, base, username, PASSWORD)
    return page


def line(desk: Any, staff: str) -> Any:
    return desk.locator(f"#queue tr[data-staff={staff}]")


def press_next(desk: Any, *, consultant: str = "", appointment: bool = False) -> str:
    """Ask the guided questions (a first visit unless told), press 下一位客户, read the answer."""
    key = desk.input_value("#next-form input[name=key]")
    desk.select_option("#next-form select[name=been_here]", "no")
    desk.select_option("#next-form select[name=purpose]", "enquiry")
    if consultant:
        desk.select_option("#next-form select[name=consultant]", consultant)
    if appointment:
        desk.check("#next-form input[name=appointment]")
    desk.get_by_role("button", name="下一位客户").click()
    # the answer brings a fresh form with a fresh press key
    expect(desk.locator("#next-form input[name=key]")).not_to_have_value(key)
    return str(desk.inner_text("#assigned .assigned"))


def desk_sign_in(desk: Any, staff: str) -> None:
    desk.get_by_label("签到的顾问").select_option(staff)
    desk.get_by_role("button", name="前台确认签到").click()
    expect(line(desk, staff).locator("td").nth(2)).to_contain_text("待接")


def desk_back(desk: Any, staff: str) -> None:
    line(desk, staff).get_by_role("button", name="回到队列").click()
    expect(line(desk, staff).locator("td").nth(2)).to_contain_text("待接")


def test_a_morning_at_the_desk(live_server: Any, browser: Any) -> None:
    """S7.3, S7.4, S7.6: sign-ins, three walk-ins, an appointment while its consultant is busy, a
    break, a make-up; the wall board and 陈明's phone follow it in their own browsers."""
    # given the site under s7, its desk, a manager, and the wall board by the manager's link
    the_site()
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)
    desk = person(browser, base, "fangxiao", DESKTOP)
    desk.goto(f"{base}/s/{SITE}/rotation/")
    expect(desk.locator("#queue")).to_contain_text("今天还没有顾问签到")
    manager = person(browser, base, "zhaoliu", DESKTOP)
    manager.goto(f"{base}/s/{SITE}/rotation/boards/")
    manager.fill("input[name=label]", "大厅电视")
    manager.get_by_role("button", name="生成链接").click()
    link = manager.inner_text("[data-board-link]").strip()
    assert re.fullmatch(rf"{re.escape(base)}/board/[\w-]+/", link), link
    board = person(browser, base, None, DESKTOP)
    board.goto(link)
    expect(board.locator("#board")).to_contain_text("今天还没有顾问签到")

    # when 陈明 signs in on his phone with the code the desk's screen shows
    phone = person(browser, base, "chenming", PHONE)
    phone.goto(f"{base}/s/{SITE}/rotation/me/")
    code = desk.inner_text("[data-code]").strip()
    assert re.fullmatch(r"\d{6}", code), code
    phone.fill("input[name=code]", code)
    phone.get_by_role("button", name="签到").click()
    # then he is first and ready, and the desk and the board see him
    expect(phone.locator("[data-position]")).to_have_text("1")
    expect(phone.locator("[data-status]")).to_have_text("待接")
    expect(line(desk, "chenming")).to_contain_text("陈明", timeout=SOON)
    expect(board.locator("li[data-staff-name='陈明']")).to_contain_text("待接", timeout=SOON)

    # when the desk signs the others in: 林芳, 王磊, 刘洋
    for staff in ("linfang", "wanglei", "liuyang"):
        desk_sign_in(desk, staff)
    # then the queue is the sign-in order, 陈明 up, 林芳 on deck
    names = desk.locator("#queue tbody tr td:nth-child(2)").all_inner_texts()
    assert [n.replace("▶", "").strip() for n in names] == ["陈明", "林芳", "王磊", "刘洋"]
    expect(desk.locator("#queue [data-up]")).to_have_text("陈明")
    expect(desk.locator("#queue [data-deck]")).to_have_text("林芳")

    # when three first-time visitors arrive: each goes to the next in the sign-in order, counted
    first = press_next(desk)
    assert "由 陈明 接待" in first and "S7.3" in first and "计一次接待" in first
    # and the first one's registration is entered against that reception
    desk.fill("#registration input[name=name]", "王建国")
    desk.select_option("#registration select[name=gender]", "M")
    desk.fill("#registration input[name=phone]", "13800001111")
    desk.fill("#registration input[name=intent]", "三居")
    desk.fill("#registration input[name=source]", "路过")
    desk.click("#registration button[type=submit]")
    expect(desk.locator("#registration .card")).to_contain_text("陈明")
    assert "由 林芳 接待" in press_next(desk)
    assert "由 王磊 接待" in press_next(desk)
    expect(desk.locator("#queue [data-up]")).to_have_text("刘洋")
    expect(phone.locator("[data-status]")).to_have_text("接待中", timeout=SOON)
    expect(board.locator("[data-up]")).to_have_text("刘洋", timeout=SOON)

    # when 陈明 is done and says so on his phone, and the desk brings 王磊 back
    phone.get_by_role("button", name="回到队列").click()
    expect(phone.locator("[data-status]")).to_have_text("待接")
    expect(line(desk, "chenming").locator("td").nth(2)).to_contain_text("待接", timeout=SOON)
    desk_back(desk, "wanglei")
    # and an appointment of 林芳's arrives while she is with a customer
    expect(line(desk, "linfang").locator("td").nth(2)).to_contain_text("接待中")
    helped = press_next(desk, consultant="linfang", appointment=True)
    # then the last ready in rotation (王磊, after 刘洋 and 陈明) helps, and it is not a turn
    assert "由 王磊 接待" in helped, helped
    assert "不计轮次" in helped and "林芳" in helped and "S7.4" in helped, helped
    expect(desk.locator("#queue [data-up]")).to_have_text("刘洋")
    expect(line(desk, "wanglei").locator("td").nth(3)).to_have_text("1")  # still one counted

    # when 陈明 takes a break on his phone
    phone.get_by_role("button", name="休息").click()
    expect(phone.locator("[data-status]")).to_have_text("休息")
    # then the desk's queue and the wall board show it within two seconds
    expect(line(desk, "chenming").locator("td").nth(2)).to_contain_text("休息", timeout=SOON)
    expect(board.locator("li[data-staff-name='陈明'] .what")).to_have_text("休息", timeout=SOON)

    # when 林芳 is back, is passed over for an old customer of hers (老客户在场), and back again
    desk_back(desk, "linfang")
    desk.locator("#skip-form select[name=staff]").select_option("linfang")
    desk.locator("#skip-form select[name=reason]").select_option("old_customer")
    desk.locator("#skip-form").get_by_role("button", name="跳过").click()
    expect(line(desk, "linfang").locator("td").nth(2)).to_contain_text("接待中")
    expect(line(desk, "linfang").locator("td").nth(4)).to_have_text("1")  # 补接 owed
    desk_back(desk, "linfang")
    # then she is up before 刘洋, who is first in the order
    expect(desk.locator("#queue [data-up]")).to_have_text("林芳")
    # and the next walk-in is hers, as her make-up turn (补接一次, S7.6)
    made_up = press_next(desk)
    assert "由 林芳 接待" in made_up and "补接" in made_up and "S7.6" in made_up, made_up
    expect(line(desk, "linfang").locator("td").nth(4)).to_have_text("")
    expect(desk.locator("#queue [data-up]")).to_have_text("刘洋")
    expect(board.locator("[data-up]")).to_have_text("刘洋", timeout=SOON)

    # then the wall board shows the queue and no customer data
    shown = board.inner_text("body")
    assert all(name in shown for name in CONSULTANTS.values())
    assert "138" not in shown and "王建国" not in shown and "三居" not in shown, shown
    assert board.locator("form, button, input").count() == 0
    board.screenshot(path=str(ARTIFACTS / "rotation-board.png"), full_page=True)
    phone.screenshot(path=str(ARTIFACTS / "rotation-phone.png"), full_page=True)
    desk.screenshot(path=str(ARTIFACTS / "rotation-desk.png"), full_page=True)
    desk.set_viewport_size(PHONE)
    desk.screenshot(path=str(ARTIFACTS / "rotation-desk-phone.png"), full_page=True)
    assert desk.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1

    # and the manager's fairness page draws its chart from the morning
    console: list[str] = []
    manager.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    manager.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    manager.goto(f"{base}/s/{SITE}/rotation/fairness/")
    fair = manager.locator("table.fair")
    expect(fair.locator("tr[data-staff=linfang] td").nth(5)).to_have_text("1")  # her make-up
    expect(fair.locator("tr[data-staff=wanglei] td").nth(6)).to_have_text("1")  # his help
    expect(fair.locator("tr[data-staff=linfang] td").nth(2)).to_have_text("2")  # counted
    # (drawn: fairness.js marks it; whether a person can see it is the next test's)
    manager.wait_for_selector("#fairness-chart[data-ready='1'] svg", state="attached", timeout=5000)
    manager.screenshot(path=str(ARTIFACTS / "rotation-fairness.png"), full_page=True)
    blocked = [m for m in console if "Content Security Policy" in m or "Content-Security-Policy" in m]
    assert not blocked, blocked


def test_the_fairness_chart_can_be_seen(live_server: Any, browser: Any) -> None:
    """The manager's fairness chart is drawn at a size a person can see."""
    # given a morning's receptions: 陈明 and 林芳 signed in, two first-time visitors
    the_site()
    front_desk = client_for("fangxiao")
    for staff in ("chenming", "linfang"):
        signed = front_desk.post(at_site("rotation/change/"), {"action": "sign_in", "staff": staff})
        assert signed.status_code == 200
    for key in ("press-fair-1", "press-fair-2"):
        answer = front_desk.post(at_site("rotation/next/"), {"key": key, "been_here": "no", "purpose": "enquiry"})
        assert answer.status_code == 200
    # when the manager opens the fairness page
    manager = person(browser, live_server.url, "zhaoliu", DESKTOP)
    manager.goto(f"{live_server.url}/s/{SITE}/rotation/fairness/")
    manager.wait_for_selector("#fairness-chart[data-ready='1'] svg", state="attached", timeout=5000)
    # then the chart is on the screen, not 0 px high
    box = manager.locator("#fairness-chart").bounding_box()
    assert box is not None and box["height"] >= 200, box
    expect(manager.locator("#fairness-chart")).to_be_visible()


def wrong_code() -> str:
    now = timezone.now()
    current = {actions.desk_code(SITE, now + timedelta(seconds=s)) for s in (-60, -30, 0, 30, 60)}
    return next(c for c in ("000000", "111111", "123456", "654321") if c not in current)


def test_bad_input_changes_nothing(live_server: Any, browser: Any) -> None:
    """A wrong code on the phone, and 下一位客户 with nobody signed in: refused, not a 500, and
    nothing written."""
    # given the site, nobody signed in
    project = the_site()
    base = live_server.url
    phone = person(browser, base, "chenming", PHONE)
    phone.goto(f"{base}/s/{SITE}/rotation/me/")
    desk = person(browser, base, "fangxiao", DESKTOP)
    desk.goto(f"{base}/s/{SITE}/rotation/")

    # when 陈明 types a wrong code on his phone
    phone.fill("input[name=code]", wrong_code())
    with phone.expect_response(lambda r: r.url.endswith("/rotation/me/sign-in/")) as answer:
        phone.get_by_role("button", name="签到").click()
    # then it is refused, he is still not signed in, and nothing was written
    assert 400 <= answer.value.status < 500, answer.value.status
    assert "签到码" in answer.value.text()
    expect(phone.locator("input[name=code]")).to_be_visible()
    assert phone.locator("[data-position]").count() == 0
    assert not Entry.objects.filter(project=project, kind="queue").exists()
    expect(desk.locator("#queue")).to_contain_text("今天还没有顾问签到")

    # when the desk presses 下一位客户 with nobody in the queue
    with desk.expect_response(lambda r: r.url.endswith("/rotation/next/")) as answer:
        desk.get_by_role("button", name="下一位客户").click()
    # then the refusal says why, in Chinese; not a server error, and no reception
    assert 400 <= answer.value.status < 500, answer.value.status
    assert "队列中没有可接待的顾问" in answer.value.text()
    assert desk.locator("#assigned .assigned").count() == 0
    assert not Entry.objects.filter(project=project, kind="reception").exists()


def test_bad_input_is_explained_on_the_screen(live_server: Any, browser: Any) -> None:
    """The refusals above are shown where the person acted, in Chinese."""
    # given the site, nobody signed in
    the_site()
    base = live_server.url
    phone = person(browser, base, "chenming", PHONE)
    phone.goto(f"{base}/s/{SITE}/rotation/me/")
    desk = person(browser, base, "fangxiao", DESKTOP)
    desk.goto(f"{base}/s/{SITE}/rotation/")

    # when 陈明 types a wrong code, and the desk presses 下一位客户 with nobody signed in
    phone.fill("input[name=code]", wrong_code())
    with phone.expect_response(lambda r: r.url.endswith("/rotation/me/sign-in/")):
        phone.get_by_role("button", name="签到").click()
    with desk.expect_response(lambda r: r.url.endswith("/rotation/next/")):
        desk.get_by_role("button", name="下一位客户").click()
    phone.wait_for_timeout(300)  # htmx swaps what it is going to swap
    # then the phone says the 签到码 is wrong, its form still there; the desk says why
    on_phone = phone.locator("#me-error").all_inner_texts()
    on_desk = desk.locator("#next-customer").inner_text()
    expect(phone.locator("input[name=code]")).to_be_visible()
    assert any("签到码" in t for t in on_phone) and "队列中没有可接待的顾问" in on_desk, (on_phone, on_desk)
