"""The penalties ledger in a real browser (issue 16): finance opens this month's ledger, sees
each penalty with its rule and each person's total, looks at last month, and downloads the
month's Excel; the manager sees the same ledger on his phone. Screenshots at a desk's width and
a phone's are kept in test-artifacts/penalties/."""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, CHROMIUM, DESKTOP, PHONE, login, shoot
from tests.penalties.builders import last_month, ledger_site
from tests.sites.builders import PASSWORD

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CI") != "true",
        reason="Debian chromium is not installed (scripts/setup installs it when run as root)",
    ),
]
SHOTS = ARTIFACTS / "penalties"


def test_finance_reads_the_months_ledger_and_exports_it(live_server: Any, browser: Any) -> None:
    site = ledger_site()
    page = browser.new_context(viewport=DESKTOP, accept_downloads=True).new_page()
    login(page, live_server.url, "zhengshiyi", PASSWORD)
    # when finance opens the ledger from the menu
    page.click("nav.menu a:text-is('罚款台账')")
    # then this month's penalties, their rule and the total
    expect(page.locator("#ledger-lines")).to_contain_text("S18.17")
    expect(page.locator("#ledger-lines")).to_contain_text("李四")
    expect(page.locator("#ledger-sum")).to_have_text("¥900.00")
    shoot(page, SHOTS, "month-finance")
    # and a month that is no month is refused naming the field
    page.fill("#period-form input[name=month]", "2026-13")
    page.click("#period-form button[type=submit]")
    expect(page.locator("p.error")).to_contain_text("月份: 应为 年-月")
    # and last month holds 周七's fine
    page.fill("#period-form input[name=month]", last_month(site))
    page.click("#period-form button[type=submit]")
    expect(page.locator("#ledger-lines")).to_contain_text("周七")
    expect(page.locator("#ledger-sum")).to_have_text("¥400.00")
    # when she exports it, the workbook holds the month's line
    with page.expect_download() as info:
        page.click("#ledger-export")
    sheet = load_workbook(BytesIO(Path(info.value.path()).read_bytes())).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "人员" and [r[1] for r in rows[1:]] == ["周七"]
    # and the manager reads the ledger on his phone
    phone = browser.new_context(viewport=PHONE).new_page()
    login(phone, live_server.url, "zhaoliu", PASSWORD)
    phone.click("nav.menu a:text-is('罚款台账')")
    expect(phone.locator("#ledger-totals")).to_contain_text("赵六")
    shoot(phone, SHOTS, "month-manager")
