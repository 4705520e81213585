"""Receipts in a real browser (issue 12): an agent reports on his phone, downloads the receipt,
and anyone, without signing in, pastes it into /verify/ and is told 有效; the same receipt with
one digit changed is 无效. Screenshots at a phone's width and a desk's, in test-artifacts/receipts/;
no page breaks the site's CSP."""

from __future__ import annotations

import json
import os
from pathlib import Path
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
SHOTS = ARTIFACTS / "receipts"


def watch(page: Any) -> list[str]:
    """The page's console errors and script errors (a CSP refusal is one)."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def paste_and_check(browser: Any, base: str, text: str, viewport: dict[str, int], shot: str) -> str:
    """Open /verify/ with no login, paste the text, submit; the verdict's words."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    problems = watch(page)
    page.goto(f"{base}/verify/")
    assert page.locator("nav.menu").count() == 0  # no site, no menu: nobody is signed in
    page.fill("textarea[name=receipt]", text)
    page.click("form.verify button[type=submit]")
    page.wait_for_selector(".verdict strong")
    verdict = str(page.inner_text(".verdict"))
    page.screenshot(path=str(SHOTS / shot), full_page=True)
    assert problems == [], problems
    context.close()
    return verdict


def test_an_agent_downloads_his_receipt_and_the_public_page_says_valid(
    live_server: Any, browser: Any, tmp_path: Path
) -> None:
    # given the demo, and 王五 (an agent of 华信) on his phone
    engines.forget_all()
    ensure_demo_site()
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    problems = watch(page)
    login(page, base, "wangwu", DEMO_PASSWORD)
    page.goto(f"{base}/s/demo/agent/")
    # when he reports a customer and downloads the answer's receipt
    page.fill("input[name=name]", "周敏")
    page.select_option("select[name=gender]", "F")
    page.fill("input[name=phone]", "1387**00077")
    page.click("form.grid button[type=submit]")
    page.wait_for_selector(".card a[download]")
    key_id = page.inner_text("code.key-id")
    page.screenshot(path=str(SHOTS / "agent-phone.png"), full_page=True)
    with page.expect_download() as info:
        page.locator(".card a[download]").first.click()
    download = info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(str(saved))
    assert download.suggested_filename.startswith("guishu-receipt-demo-")
    text = saved.read_text(encoding="utf-8")
    receipt = json.loads(text)
    assert receipt["tree_head"]["key"] == key_id  # the id the page shows is the one that signed
    assert problems == [], problems
    context.close()
    # then, pasted into the public page by anyone: 有效, at a phone's width and a desk's
    assert paste_and_check(browser, base, text, PHONE, "verify-valid-phone.png").startswith("有效")
    assert paste_and_check(browser, base, text, DESKTOP, "verify-valid-desk.png").startswith("有效")
    # and with one hex digit of the entry's hash changed: 无效
    digest = receipt["entry_hash"]
    changed = json.dumps({**receipt, "entry_hash": ("1" if digest[0] == "0" else "0") + digest[1:]})
    verdict = paste_and_check(browser, base, changed, PHONE, "verify-invalid-phone.png")
    assert verdict.startswith("无效") and "周敏" not in verdict
