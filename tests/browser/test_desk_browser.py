"""A person at the front desk, in a real browser (Debian's chromium driven by Playwright).

Screenshots of each screen are kept in test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import os

import pytest

from guishu.record import engines
from guishu.record.actions import append_fact
from tests.browser.conftest import ARTIFACTS, CHROMIUM
from tests.browser.conftest import login as sign_in
from tests.record.builders import make_project, visit
from tests.sites.builders import user

PASSWORD = "pw-guishu-1"  # noqa: S105

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CI") != "true",
        reason="Debian chromium is not installed (scripts/setup installs it when run as root)",
    ),
]


def people() -> None:
    for username, role, name in (("zhangsan", "consultant", "张三"), ("lisi", "consultant", "李四")):
        user(username, role, name)


def login(page: object, base: str, username: str) -> None:
    sign_in(page, base, username, PASSWORD)


def test_front_desk_in_a_browser(live_server: object, browser: object) -> None:
    """S8.1, S8.2, S3.1: look a customer up, register one, see the verdict change, see a masked phone."""
    # given: 张三 registered 王建国 before
    engines.forget_all()
    project = make_project()
    people()
    append_fact(project=project, data=visit("zhangsan", "13800000001", "王建国"))
    base = live_server.url  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 420, "height": 900})  # type: ignore[attr-defined]

    # when 李四 looks him up at the front desk: whose, with the reason, and a masked phone
    login(page, base, "lisi")
    page.goto(f"{base}/s/demo/desk/")
    page.fill("input[name=q]", "13800000001")
    page.click("form.inline button[type=submit]")
    page.wait_for_selector("#results .card")
    card = page.inner_text("#results .card")
    page.screenshot(path=str(ARTIFACTS / "desk-lookup-masked.png"), full_page=True)
    assert "138****0001" in card and "13800000001" not in card
    assert "张三" in card and "zhangsan" not in card and "已归属" in card and "S8.1" in card

    # when 李四 registers a new visitor 李梅: the verdict comes back at once
    page.fill("#registration input[name=name]", "李梅")
    page.select_option("#registration select[name=gender]", "F")
    page.fill("#registration input[name=phone]", "139 0000 0002")
    page.fill("#registration input[name=intent]", "两居")
    page.fill("#registration input[name=source]", "路过")
    page.click("#registration button[type=submit]")
    page.wait_for_selector("#registration .card")
    registered = page.inner_text("#registration .card")
    page.screenshot(path=str(ARTIFACTS / "desk-registered.png"), full_page=True)
    assert "13900000002" in registered and "李四" in registered and "lisi" not in registered

    # and a registration missing the gender is refused with the field named
    page.fill("input[name=q]", "")
    page.goto(f"{base}/s/demo/desk/")
    page.fill("#registration input[name=name]", "赵敏")
    page.fill("#registration input[name=phone]", "13900000003")
    page.click("#registration button[type=submit]")
    page.wait_for_selector("#registration .errorlist")
    assert "性别" in page.inner_text("#registration .errorlist")
    page.screenshot(path=str(ARTIFACTS / "desk-refused.png"), full_page=True)

    # then 张三 sees his own customer in full on his list, with the protection countdown
    context = browser.new_context(viewport={"width": 420, "height": 900})  # type: ignore[attr-defined]
    other = context.new_page()
    login(other, base, "zhangsan")
    other.goto(f"{base}/s/demo/mine/")
    mine = other.inner_text("main")
    other.screenshot(path=str(ARTIFACTS / "mine.png"), full_page=True)
    assert "13800000001" in mine and "保护至" in mine
    context.close()


def test_back_office_screens_in_a_browser(live_server: object, browser: object) -> None:
    """S8.9, S18.18, S6.7: the clerk's register, the manager's desk and trail, visit forms, the agent page."""
    # given: a collision, an agent and the back-office people
    engines.forget_all()
    project = make_project()
    people()
    for username, role in (("sunba", "clerk"), ("zhaoliu", "manager"), ("qianjiu", "marketing_manager")):
        user(username, role)
    user("wangwu", "agent")
    append_fact(project=project, data=visit("zhangsan", "13800000001", "王建国"))
    append_fact(project=project, data=visit("lisi", "13800000001", "王建国", answers={"first_visit": False}))
    group = engines.live_engine(project).engine.by_phone["+8613800000001"].id
    base = live_server.url  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(exist_ok=True)

    def screen(username: str, path: str, name: str) -> str:
        context = browser.new_context(viewport={"width": 420, "height": 900})  # type: ignore[attr-defined]
        page = context.new_page()
        login(page, base, username)
        page.goto(f"{base}{path}")
        text = page.inner_text("main")
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        context.close()
        return str(text)

    # then each screen shows what its person needs
    assert "王建国" in screen("sunba", "/s/demo/clerk/", "clerk")
    assert "抢单(明知)" in screen("zhaoliu", "/s/demo/manage/", "manage")
    trail = screen("zhaoliu", f"/s/demo/customer/{group}/", "trail")
    assert "张三 登记来访 王建国" in trail and "李四 登记来访 王建国" in trail
    assert "来访客户确认单" in screen("sunba", "/s/demo/visits/", "visits")
    assert "报备客户" in screen("wangwu", "/s/demo/agent/", "agent")
