"""Error pages (issue 13): Chinese, with the navigation, never Django's English pages; every
server error logged with its traceback to stderr and to the data folder's log file."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings

from tests.record.builders import make_project
from tests.sites.builders import client_for, user
from tests.web.boom_urls import BOOM

pytestmark = pytest.mark.django_db


@pytest.fixture
def zhangsan() -> Client:
    make_project()
    user("zhangsan", "consultant", "张三")
    return client_for("zhangsan")


@override_settings(ROOT_URLCONF="tests.web.boom_urls")
def test_a_server_error_shows_the_chinese_page_and_is_logged(zhangsan: Client) -> None:
    log = settings.LOG_DIR / "guishu.log"
    before = log.stat().st_size if log.exists() else 0
    zhangsan.raise_request_exception = False
    response = zhangsan.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器出错" in page and "回到首页" in page
    assert "Server Error" not in page and BOOM not in page  # no English, no internals
    assert "退出" in page  # the navigation of a signed-in person
    written = log.read_bytes()[before:].decode("utf-8", errors="replace")  # st_size counts bytes
    assert "Traceback" in written and BOOM in written


@override_settings(ROOT_URLCONF="tests.web.boom_urls")
def test_the_500_page_survives_a_broken_context(zhangsan: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the page cannot be rendered either (say the database is what broke), a plain
    Chinese page is still sent."""

    def broken(request: object) -> dict[str, object]:
        raise RuntimeError("the menu cannot be read")

    monkeypatch.setattr("guishu.sites.menu.memberships_of", broken)
    zhangsan.raise_request_exception = False
    response = zhangsan.get("/boom/")
    assert response.status_code == 500 and "服务器出错" in response.content.decode()


def test_an_unknown_host_gets_the_chinese_400_page() -> None:
    response = Client(HTTP_HOST="evil.example").get("/accounts/login/")
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


def test_a_missing_csrf_token_gets_the_chinese_403_page(zhangsan: Client) -> None:
    c = Client(enforce_csrf_checks=True)
    response = c.post("/accounts/login/", {"username": "zhangsan", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "页面已过期" in page and "CSRF verification failed" not in page


def test_a_site_one_is_not_a_member_of_is_the_chinese_404(zhangsan: Client) -> None:
    response = zhangsan.get("/s/nowhere/desk/")
    assert response.status_code == 404 and "找不到页面" in response.content.decode()


def test_logout_lands_on_the_login_page(zhangsan: Client) -> None:
    response = zhangsan.post("/accounts/logout/", follow=True)
    assert response.redirect_chain[-1][0].endswith("/accounts/login/")
    assert response.status_code == 200 and "登录" in response.content.decode()
