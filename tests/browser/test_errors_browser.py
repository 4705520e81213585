"""Signing out, the lockout and the error pages in a real browser (issue 13), and the screens
working under the Content-Security-Policy: no violation reported while a person works."""

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


@pytest.fixture
def site() -> None:
    engines.forget_all()
    project = make_project()
    user("zhangsan", "consultant", "张三")
    user("zhaoliu", "manager", "赵六")
    append_fact(project=project, data=visit("zhangsan", "13800000001", "王建国"))


def watched(browser: Any, viewport: dict[str, int]) -> tuple[Any, list[str]]:
    """A page, and the policy violations and script errors it reports."""
    page = browser.new_context(viewport=viewport).new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return page, problems


@pytest.mark.parametrize(("viewport", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_signing_out_lands_on_the_login_page(
    live_server: Any, browser: Any, site: None, viewport: Any, label: str
) -> None:
    page, problems = watched(browser, viewport)
    login(page, live_server.url, "zhangsan", PASSWORD)
    page.click("header button:has-text('退出')")
    page.wait_for_url("**/accounts/login/")
    assert page.locator("h1").inner_text() == "登录"
    page.screenshot(path=str(ARTIFACTS / f"logged-out-{label}.png"), full_page=True)
    assert not problems


def test_the_desk_works_under_the_policy(live_server: Any, browser: Any, site: None) -> None:
    """htmx looks a customer up, the language menu switches by itself: all with no inline
    script, style or eval, and not one violation reported."""
    page, problems = watched(browser, PHONE)
    login(page, live_server.url, "zhangsan", PASSWORD)
    page.goto(f"{live_server.url}/s/demo/desk/")
    page.fill("input[name=q]", "13800000001")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=王建国")
    page.screenshot(path=str(ARTIFACTS / "desk-under-csp-phone.png"), full_page=True)
    with page.expect_navigation():  # site.js submits the menu's form on change
        page.select_option("select[name=language]", "en")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("html").get_attribute("lang") == "en"
    assert not problems, problems


@pytest.mark.parametrize(("viewport", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_each_error_page_in_chinese(
    live_server: Any, browser: Any, site: None, settings: Any, viewport: Any, label: str
) -> None:
    settings.ROOT_URLCONF = "tests.web.boom_urls"
    page, _problems = watched(browser, viewport)
    login(page, live_server.url, "zhangsan", PASSWORD)
    for path, status, title in (
        ("/s/demo/manage/", 403, "无权操作"),
        ("/s/nowhere/desk/", 404, "找不到页面"),
        ("/boom/", 500, "服务器出错"),
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == status
        assert page.locator("h1").inner_text() == title
        assert page.locator("header button:has-text('退出')").count() == 1  # still his header
        if status == 403:  # inside his site: his site's menu
            assert page.locator("header nav a:has-text('我的客户')").count() == 1
        page.screenshot(path=str(ARTIFACTS / f"error-{status}-{label}.png"), full_page=True)


def test_the_lockout_says_when_it_ends(live_server: Any, browser: Any, site: None) -> None:
    page, _problems = watched(browser, PHONE)
    for _ in range(5):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "zhangsan")
        page.fill("input[name=password]", "wrong")
        page.click("button[type=submit]")
        page.wait_for_load_state()
    alert = page.locator("[role=alert]").inner_text()
    assert "已锁定" in alert and "后可再试" in alert
    page.screenshot(path=str(ARTIFACTS / "login-locked-phone.png"), full_page=True)
