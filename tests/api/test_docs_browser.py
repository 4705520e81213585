"""/api/v1/docs in a real browser with every request off the site refused: Swagger UI renders
the API from the vendored assets, and nothing on the page breaks the site's CSP."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import ARTIFACTS, CHROMIUM

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CI") != "true",
        reason="Debian chromium is not installed (scripts/setup installs it when run as root)",
    ),
]


@pytest.fixture
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # live_server + Playwright's event loop
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def test_docs_render_offline_under_the_sites_csp(live_server: Any, chromium: Any) -> None:
    """core: the docs page works with no network beyond the site (no CDN) and without a CSP
    violation (no inline script); the operations of the API are listed."""
    page = chromium.new_page()
    own = urlparse(live_server.url).netloc
    off_site: list[str] = []
    problems: list[str] = []

    def route(r: Any) -> None:
        if urlparse(r.request.url).netloc == own:
            r.continue_()
        else:
            off_site.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"), full_page=True)
    assert {"/api/v1/reports", "/api/v1/group-lists", "/api/v1/follow-ups"} <= set(paths)
    assert off_site == []
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
    assert problems == []
