"""Excel out in a real browser (issue 16): the clerk downloads the day's register from 内业, a
consultant his customers from 我的客户 on his phone; each workbook opens with its Chinese
headers and the rows the screen shows. Screenshots in test-artifacts/exports/."""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from guishu.record import engines
from guishu.record.actions import append_fact
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
SHOTS = ARTIFACTS / "exports"


def _download(page: Any, link: str) -> list[tuple[object, ...]]:
    with page.expect_download() as info:
        page.click(link)
    sheet = load_workbook(BytesIO(Path(info.value.path()).read_bytes())).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def test_the_clerk_and_a_consultant_download_their_lists(live_server: Any, browser: Any) -> None:
    engines.forget_all()
    project = make_project(policy="s8")
    user("sunba", "clerk", "孙八", project=project)
    user("zhangsan", "consultant", "张三", project=project)
    append_fact(project=project, data=visit("zhangsan", "13800000001", "王建国"))
    # the clerk, at 内业
    clerk = browser.new_context(viewport=DESKTOP, accept_downloads=True).new_page()
    login(clerk, live_server.url, "sunba", PASSWORD)
    clerk.click("nav.menu a:text-is('内业')")
    shoot(clerk, SHOTS, "register-clerk")
    rows = _download(clerk, "#register-export")
    assert rows[0][3:6] == ("顾问", "客户", "电话") and rows[1][3:6] == ("张三", "王建国", "138****0001")
    # 张三, on his phone at 我的客户
    phone = browser.new_context(viewport=PHONE, accept_downloads=True).new_page()
    login(phone, live_server.url, "zhangsan", PASSWORD)
    phone.click("nav.menu a:text-is('我的客户')")
    shoot(phone, SHOTS, "mine-consultant")
    mine = _download(phone, "#mine-export")
    assert mine[0][:2] == ("客户", "电话") and mine[1][:2] == ("王建国", "13800000001")
