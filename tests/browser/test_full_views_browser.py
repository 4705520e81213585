"""S3.1 in a real browser: lookups by full phone at the front desk and by the owner, then the
manager's screen of full-data views; no request the browser makes carries the phone in its URL.

Screenshots at phone and desktop width are kept in test-artifacts/.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from guishu.record import engines
from guishu.record.actions import append_fact
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
FULL = "13800000001"


@pytest.fixture
def site() -> None:
    """张三's customer 王建国, the front desk 方晓 and the manager 赵六."""
    engines.forget_all()
    project = make_project()
    user("zhangsan", "consultant", "张三")
    user("fangxiao", "front_desk", "方晓")
    user("zhaoliu", "manager", "赵六")
    append_fact(project=project, data=visit("zhangsan", FULL, "王建国"))


class Person:
    """One person's browser, with every URL it requested and every error its pages reported."""

    def __init__(self, browser: Any, viewport: dict[str, int], base: str, username: str) -> None:
        self.page = browser.new_context(viewport=viewport).new_page()
        self.urls: list[str] = []
        self.problems: list[str] = []
        self.page.on("request", lambda r: self.urls.append(r.url))
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on("console", lambda m: self.problems.append(m.text) if m.type == "error" else None)
        login(self.page, base, username, PASSWORD)

    def look_up(self, base: str, query: str) -> str:
        self.page.goto(f"{base}/s/demo/desk/")
        self.page.fill("input[name=q]", query)
        self.page.click("form.inline button[type=submit]")
        self.page.wait_for_selector("#results .card")
        return str(self.page.inner_text("#results .card"))


@pytest.mark.parametrize(("viewport", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_the_manager_sees_who_saw_a_full_phone(
    live_server: Any, browser: Any, site: None, viewport: dict[str, int], label: str
) -> None:
    """S3.1: the front desk types 王建国's full phone and sees it masked (nothing to record); 张三,
    his owner, sees it in full; the manager's 查看记录 lists 张三's view, not the front desk's, and
    no URL of the three browsers holds the phone."""
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)
    # when the front desk looks the full phone up
    desk = Person(browser, viewport, base, "fangxiao")
    card = desk.look_up(base, FULL)
    desk.page.screenshot(path=str(ARTIFACTS / f"full-views-front-desk-{label}.png"), full_page=True)
    # then the card is masked and the address bar still the bare desk
    assert "138****0001" in card and FULL not in card and "张三" in card
    assert desk.page.url == f"{base}/s/demo/desk/"

    # when 张三 looks his own customer up
    owner = Person(browser, viewport, base, "zhangsan")
    card = owner.look_up(base, FULL)
    owner.page.screenshot(path=str(ARTIFACTS / f"full-views-owner-{label}.png"), full_page=True)
    # then he sees the full phone, and his address bar too is the bare desk
    assert FULL in card
    assert owner.page.url == f"{base}/s/demo/desk/"

    # when the manager follows his menu to 查看记录
    manager = Person(browser, viewport, base, "zhaoliu")
    manager.page.goto(f"{base}/s/demo/manage/")
    with manager.page.expect_navigation():
        manager.page.click("header nav a:has-text('查看记录')")
    text = str(manager.page.inner_text("main"))
    manager.page.screenshot(path=str(ARTIFACTS / f"full-views-manager-{label}.png"), full_page=True)
    # then he reads 张三's view of 王建国 at the desk, and nothing of the front desk's
    assert manager.page.url == f"{base}/s/demo/manage/views/"
    rows = [str(r) for r in manager.page.locator("table.views tr").all_inner_texts()[1:]]
    assert len(rows) == 1, rows
    assert "张三" in rows[0] and "王建国 138****0001" in rows[0] and "判客" in rows[0] and "完整电话" in rows[0]
    assert "方晓" not in text and FULL not in text
    # and no request of any of them carried the phone in its URL, in any form
    for person in (desk, owner, manager):
        assert person.urls, "no request seen"
        assert [u for u in person.urls if "13800000001" in u or "0000%200001" in u or "?q=" in u] == []
        assert person.problems == []
