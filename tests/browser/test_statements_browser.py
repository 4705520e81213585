"""结佣单 in a real browser (issue 16): finance opens last month's statements from the menu, opens
张三's with its line and rule, approves it, sees it approved and exports it; marketing records a
commission rate (a bad one refused naming the field); the manager reads the statements on his
phone. Screenshots at a desk's width and a phone's are kept in test-artifacts/statements/."""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from guishu.record.models import Entry
from tests.browser.conftest import ARTIFACTS, CHROMIUM, DESKTOP, PHONE, login, shoot
from tests.sites.builders import PASSWORD
from tests.statements.builders import last_month_noon, month_of, signed_site

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CI") != "true",
        reason="Debian chromium is not installed (scripts/setup installs it when run as root)",
    ),
]
SHOTS = ARTIFACTS / "statements"


def test_finance_opens_approves_and_exports_a_statement(live_server: Any, browser: Any) -> None:
    site = signed_site()
    month = month_of(last_month_noon())
    page = browser.new_context(viewport=DESKTOP, accept_downloads=True).new_page()
    login(page, live_server.url, "zhengshiyi", PASSWORD)
    # when finance opens last month's statements from the menu
    page.click("nav.menu a:text-is('结佣单')")
    page.fill("#month-form input[name=month]", month)
    page.click("#month-form button[type=submit]")
    expect(page.locator("#statements-sum")).to_have_text("¥5,000.00")
    shoot(page, SHOTS, "month-finance")
    # and 张三's statement: the signing of 3-1502 at 0.5 %, by S8.1
    page.click("#payee-zhangsan a")
    expect(page.locator("#statement-lines")).to_contain_text("3-1502")
    expect(page.locator("#statement-lines")).to_contain_text("S8.1")
    expect(page.locator("#statement-total")).to_have_text("¥5,000.00")
    # when she approves it
    page.click("#approve-form button[type=submit]")
    # then it reads approved, by her, and offers no second approval
    expect(page.locator("#statement-state")).to_contain_text("已审批")
    expect(page.locator("#statement-state")).to_contain_text("郑十一")
    expect(page.locator("#approve-form")).to_have_count(0)
    assert Entry.objects.filter(project=site, kind="statement_approved").count() == 1
    shoot(page, SHOTS, "approved-finance")
    # and its export holds the line
    with page.expect_download() as info:
        page.click("#statement-export")
    sheet = load_workbook(BytesIO(Path(info.value.path()).read_bytes())).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "时间" and rows[1][2] == "o-sign" and rows[1][8] == 5000
    # and the manager reads the statements on his phone
    phone = browser.new_context(viewport=PHONE).new_page()
    login(phone, live_server.url, "zhaoliu", PASSWORD)
    phone.goto(f"{live_server.url}/s/demo/statements/?month={month}")
    expect(phone.locator("#payee-zhangsan")).to_contain_text("已审批")
    shoot(phone, SHOTS, "month-manager-phone")


def test_marketing_records_a_rate(live_server: Any, browser: Any) -> None:
    signed_site()
    page = browser.new_context(viewport=PHONE).new_page()
    login(page, live_server.url, "qianjiu", PASSWORD)
    page.goto(f"{live_server.url}/s/demo/statements/rates/")
    # a rate that is no number is refused naming the field
    page.select_option("#rate-form select[name=payee]", "consultant")
    page.fill("#rate-form input[name=percent]", "abc")
    page.fill("#rate-form input[name=valid_from]", "2026-02-01")
    page.click("#rate-form button[type=submit]")
    expect(page.locator("#rate-form")).to_contain_text("佣金比例(%)")
    # a shop rate of 0.8 % is recorded and listed
    page.fill("#rate-form input[name=percent]", "0.8")
    page.select_option("#rate-form select[name=unit_type]", "shop")
    page.click("#rate-form button[type=submit]")
    expect(page.locator("#rates")).to_contain_text("商铺")
    expect(page.locator("#rates")).to_contain_text("0.8%")
    shoot(page, SHOTS, "rates-marketing-phone")


def test_a_consultant_reads_his_own_statement_on_his_phone(live_server: Any, browser: Any) -> None:
    signed_site()
    month = month_of(last_month_noon())
    page = browser.new_context(viewport=PHONE).new_page()
    login(page, live_server.url, "zhangsan", PASSWORD)
    # when 张三 opens 我的结佣 from his menu and asks for last month
    page.click("nav.menu a:text-is('我的结佣')")
    page.fill("#month-form input[name=month]", month)
    page.click("#month-form button[type=submit]")
    # then his signing of 3-1502 at 0.5 %, by S8.1, and nothing to approve or export
    expect(page.locator("#statement-total")).to_have_text("¥5,000.00")
    expect(page.locator("#statement-lines")).to_contain_text("S8.1")
    expect(page.locator("#approve-form")).to_have_count(0)
    expect(page.locator("#statement-export")).to_have_count(0)
    shoot(page, SHOTS, "mine-consultant")
