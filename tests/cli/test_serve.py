"""`guishu serve` is the production server (issue 13): gunicorn with several worker processes,
sharing one login limit through the database, logging no query strings."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from guishu.record.demo import DEMO_PASSWORD

LIMIT = 5  # settings.LOGIN_ATTEMPTS default


@dataclass
class Served:
    url: str
    process: subprocess.Popen[bytes]
    data: Path
    log: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    data = tmp_path_factory.mktemp("serve")
    port = _free_port()
    log = data / "stdout.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUISHU_") and k != "DATABASE_URL"}
    env["GUISHU_DATA_DIR"] = str(data)
    guishu = Path(sys.executable).with_name("guishu")
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own command
            [str(guishu), "serve", "--addr", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/accounts/login/", timeout=2).close()  # noqa: S310
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(log.read_text(encoding="utf-8", errors="replace"))
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("guishu serve did not answer within 120 s")
    yield Served(url, process, data, log)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def _token(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(f"{url}/accounts/login/", timeout=10) as r:  # noqa: S310
        page = r.read().decode()
        cookie = r.headers["Set-Cookie"].split(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    return cookie, token.group(1)


def _login(url: str, username: str, password: str) -> int:
    cookie, token = _token(url)
    body = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    request = urllib.request.Request(  # noqa: S310
        f"{url}/accounts/login/", data=body.encode(), headers={"Cookie": cookie, "Referer": f"{url}/accounts/login/"}
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as r:
            return int(r.status)
    except urllib.error.HTTPError as e:
        return int(e.code)


def test_it_is_gunicorn_with_two_worker_processes(served: Served) -> None:
    with urllib.request.urlopen(f"{served.url}/accounts/login/", timeout=10) as r:  # noqa: S310
        assert r.headers["Server"].startswith("gunicorn")
        assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    workers = subprocess.run(  # noqa: S603
        ["/usr/bin/pgrep", "-P", str(served.process.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    assert len(workers) == 2


def test_thirty_parallel_guesses_across_processes_check_at_most_the_limit(served: Served) -> None:
    codes: list[int] = []
    lock = threading.Lock()

    def guess(i: int) -> None:
        code = _login(served.url, "zhangsan", f"wrong-{i}")
        with lock:
            codes.append(code)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(codes) == 30 and set(codes) <= {200, 429}, codes
    db = sqlite3.connect(served.data / "guishu.sqlite3")
    try:
        checked = db.execute("SELECT COALESCE(SUM(failures_since_start), 0) FROM axes_accessattempt").fetchone()[0]
        taken = db.execute("SELECT taken FROM logins_logingate").fetchone()[0]
    finally:
        db.close()
    assert 1 <= checked <= LIMIT  # passwords actually checked (axes records each failure)
    assert taken == 30  # every attempt took its ticket, in whichever process it landed
    # and the variants of the name are the same locked user, even with the right password
    for variant in (" zhangsan", "zhangsan ", "ｚｈａｎｇｓａｎ"):
        assert _login(served.url, variant, DEMO_PASSWORD) == 429
    assert _login(served.url, "lisi", DEMO_PASSWORD) == 302  # another user is untouched


def test_the_access_log_has_no_query_strings(served: Served) -> None:
    urllib.request.urlopen(f"{served.url}/accounts/login/?q=13912345678", timeout=10).close()  # noqa: S310
    time.sleep(0.5)
    text = served.log.read_text(encoding="utf-8", errors="replace")
    assert '"GET /accounts/login/"' in text
    assert "13912345678" not in text


def test_a_desk_lookup_leaves_its_phone_in_no_url_and_no_log_line(served: Served) -> None:
    """S3.1: under gunicorn the lookup is posted (the log names the path), a URL still carrying
    a phone is sent to the bare desk, and the phone is in no Location and no line of the log."""
    # given 李四 signed in, with the desk's CSRF token (zhangsan is locked by the test above)
    phone = "13811110002"  # 李梅, 李四's own customer in the demo: he sees it in full
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def token(path: str) -> str:
        with browser.open(f"{served.url}{path}", timeout=30) as r:
            found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', r.read().decode())
        assert found is not None
        return found.group(1)

    login = {"username": "lisi", "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token("/accounts/login/")}
    browser.open(f"{served.url}/accounts/login/", urllib.parse.urlencode(login).encode(), timeout=30).close()
    # when he looks his customer up, as the desk's form posts it
    body = urllib.parse.urlencode({"q": phone, "csrfmiddlewaretoken": token("/s/demo/desk/")}).encode()
    with browser.open(f"{served.url}/s/demo/desk/", body, timeout=30) as r:
        assert r.status == 200 and phone in r.read().decode()
    # and opens an old bookmark of the GET form

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    bookmark = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as moved:
        bookmark.open(f"{served.url}/s/demo/desk/?q={phone}", timeout=30)
    # then it is sent to the bare desk
    assert moved.value.code == 302 and moved.value.headers["Location"] == "/s/demo/desk/"
    time.sleep(0.5)
    text = served.log.read_text(encoding="utf-8", errors="replace")
    assert '"POST /s/demo/desk/" 200' in text and '"GET /s/demo/desk/" 302' in text
    assert phone not in text and phone[-8:] not in text
