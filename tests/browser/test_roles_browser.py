"""Every role of the demo, at each of its sites, in a real browser: sign in, land on a page that
works for the role, use each item of the menu, sign out. Screenshots at a desk's width and a
phone's (390 x 844) are kept in test-artifacts/roles/."""

from __future__ import annotations

import os
from typing import Any

import pytest

from guishu.record import engines
from guishu.record.demo import DEMO_PASSWORD, ensure_demo_site
from tests.browser.conftest import ARTIFACTS, CHROMIUM, DESKTOP, PHONE, login

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CI") != "true",
        reason="Debian chromium is not installed (scripts/setup installs it when run as root)",
    ),
]
# (login, site, the role's name on the page, a menu item it must have)
PEOPLE = [
    ("fangxiao", "demo", "判客/前台", "判客"),
    ("zhangsan", "demo", "置业顾问", "我的客户"),
    ("sunba", "demo", "内业", "内业"),
    ("zhaoliu", "demo", "案场经理", "经理"),
    ("qianjiu", "demo", "开发商营销经理", "来访确认"),
    ("zhengshiyi", "demo", "财务", "首页"),
    ("wangwu", "demo", "分销个人", "我的报备"),
    ("hanjie", "demo", "案场管理员", "案场管理"),
    ("chusan", "demo2", "判客/前台", "判客"),
    ("fengyi", "demo2", "置业顾问", "我的客户"),
    ("weisi", "demo2", "内业", "内业"),
    ("sunba", "demo2", "案场经理", "经理"),  # the same person, another role at another site
    ("shenliu", "demo2", "开发商营销经理", "来访确认"),
    ("jiangwu", "demo2", "分销个人", "我的报备"),
    ("admin", "demo2", "集团管理员", "案场管理"),
    ("hexin", "demo3", "内业", "确认台"),  # the third site's confirmation desk (S18)
    ("yanxue", "demo3", "置业顾问", "确认台"),
    ("tangning", "demo3", "签约室", "确认台"),
    ("qinfeng", "demo3", "案场经理", "经理"),
    ("qinfeng", "demo4", "案场经理", "离职客户"),  # the fourth site's pool (S16.3), the same manager
    ("maqing", "demo4", "置业顾问", "我的客户"),
]
SITE_NAMES = {"demo": "示范案场", "demo2": "第二案场", "demo3": "第三案场", "demo4": "第四案场"}


def land(page: Any, base: str, username: str, site: str) -> None:
    """Sign in; a person of several sites picks this one from his list."""
    login(page, base, username, DEMO_PASSWORD)
    if page.url.rstrip("/") == base:
        page.click(f"a[href='/s/{site}/']")
        page.wait_for_load_state()
    assert page.url == f"{base}/s/{site}/", page.url


@pytest.mark.parametrize(("username", "site", "role", "item"), PEOPLE, ids=[f"{p[1]}-{p[0]}" for p in PEOPLE])
def test_each_role_lands_uses_its_menu_and_signs_out(
    live_server: Any, browser: Any, username: str, site: str, role: str, item: str
) -> None:
    # given the demo's four sites
    engines.forget_all()
    ensure_demo_site()
    base = live_server.url
    shots = ARTIFACTS / "roles"
    shots.mkdir(parents=True, exist_ok=True)
    for size, viewport in (("desk", DESKTOP), ("phone", PHONE)):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        # when he signs in, he lands on his role's home at the site
        land(page, base, username, site)
        header = page.inner_text("header")
        assert role in header and SITE_NAMES[site] in header
        menu = page.eval_on_selector_all("nav.menu a[data-action]", "els => els.map(e => [e.innerText, e.href])")
        labels = [label for label, _ in menu]
        assert item in labels, labels
        page.screenshot(path=str(shots / f"{site}-{username}-{size}.png"), full_page=True)
        if size == "phone":
            # then every item of his menu opens a working page
            for label, href in menu:
                response = page.goto(href)
                assert response is not None and response.status == 200, (label, href)
                assert page.inner_text("main").strip(), (label, href)
                assert "Forbidden" not in page.content() and "Traceback" not in page.content()
            page.goto(f"{base}/s/{site}/")
        # and signing out lands on the login page; the site is closed to him again
        page.click("header form[action='/accounts/logout/'] button")
        page.wait_for_url(f"{base}/accounts/login/")
        assert page.locator("input[name=username]").count() == 1
        page.goto(f"{base}/s/{site}/")
        assert "/accounts/login/" in page.url
        context.close()
