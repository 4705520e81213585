"""Printed documents in a real browser (issue 16): the manager looks 王建国 up at the desk and
prints his confirmation letter from the card; finance prints 张三's approved statement from its
screen; each PDF's QR, scanned from the rendered page, opens the no-login verification page on
a phone, which says 有效. Screenshots in test-artifacts/letters/."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, DESKTOP, PHONE, login, shoot
from tests.letters import pdfs
from tests.sites.builders import PASSWORD
from tests.statements.builders import last_month_noon, month_of, signed_site

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CI") != "true",
        reason="Debian chromium is not installed (scripts/setup installs it when run as root)",
    ),
]


def _printed(page: Any, link: str, name: str) -> bytes:
    """Click the print link: a new tab opens the PDF in chromium's viewer;
    the PDF is what that tab's URL serves to this signed-in browser (the viewer itself hands
    the page a shell, not the file)."""
    with page.expect_popup() as opened:
        page.click(link)
    tab = opened.value
    tab.wait_for_load_state()
    response = tab.request.get(tab.url)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf", tab.url
    return bytes(response.body())


def _scan_on_a_phone(browser: Any, data: bytes, name: str) -> None:
    """A phone, signed in nowhere, scans the page's QR and opens what it reads."""
    url = pdfs.qr_text(pdfs.page_image(data, name))
    phone = browser.new_context(viewport=PHONE).new_page()
    phone.goto(url)
    expect(phone.locator(".verdict")).to_contain_text("有效")
    expect(phone.locator(".verdict-invalid")).to_have_count(0)
    shoot(phone, pdfs.SHOTS, f"{name}-verified")


def test_the_manager_prints_a_letter_and_a_phone_verifies_its_qr(live_server: Any, browser: Any) -> None:
    signed_site()
    page = browser.new_context(viewport=DESKTOP, accept_downloads=True).new_page()
    login(page, live_server.url, "zhaoliu", PASSWORD)
    page.goto(f"{live_server.url}/s/demo/desk/")
    page.fill("input[name=q]", "13800000001")
    page.click("form.inline button[type=submit]")
    expect(page.locator("#results .card .print-letter")).to_have_text("打印确认书")
    shoot(page, pdfs.SHOTS, "desk-card-manager")
    data = _printed(page, "#results .card .print-letter", "letter-browser")
    text = pdfs.words(data)
    assert "客户确认书" in text and "王建国" in text and "张三" in text and "138****0001" in text
    _scan_on_a_phone(browser, data, "letter-browser")


def test_finance_prints_an_approved_statement_and_its_qr_verifies(live_server: Any, browser: Any) -> None:
    signed_site()
    month = month_of(last_month_noon())
    page = browser.new_context(viewport=DESKTOP, accept_downloads=True).new_page()
    login(page, live_server.url, "zhengshiyi", PASSWORD)
    page.goto(f"{live_server.url}/s/demo/statements/one/?payee=zhangsan&month={month}")
    page.click("#approve-form button[type=submit]")
    expect(page.locator("#statement-state")).to_contain_text("已审批")
    shoot(page, pdfs.SHOTS, "statement-finance")
    data = _printed(page, "#statement-pdf", "statement-browser")
    text = pdfs.words(data)
    assert "结佣单" in text and "¥5,000.00" in text and "已审批" in text and "郑十一" in text
    _scan_on_a_phone(browser, data, "statement-browser")
