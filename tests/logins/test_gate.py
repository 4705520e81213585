"""The login limit (issue 13): one count per user name as Django authenticates it and client
address, in the database, taken atomically before any password is checked."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.test import Client

from guishu.logins import gate
from guishu.logins.models import LoginGate
from tests.record.builders import make_project
from tests.sites.builders import PASSWORD, user

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT = settings.LOGIN_ATTEMPTS


@pytest.fixture
def wuyi() -> Iterator[None]:
    make_project()
    user("wuyi", "consultant", "吴一")
    yield


def _post(username: str, password: str, client: Client | None = None) -> Any:
    return (client or Client()).post("/accounts/login/", {"username": username, "password": password})


@pytest.fixture
def checked() -> Iterator[list[str]]:
    """Every password Django's ModelBackend actually checked, from any thread."""
    seen: list[str] = []
    lock = threading.Lock()
    original = ModelBackend.authenticate

    def counting(self: ModelBackend, request: Any, username: Any = None, password: Any = None, **kw: Any) -> Any:
        with lock:
            seen.append(str(username))
        return original(self, request, username=username, password=password, **kw)

    ModelBackend.authenticate = counting  # type: ignore[method-assign]
    yield seen
    ModelBackend.authenticate = original  # type: ignore[method-assign]


def test_usernames_are_normalised_as_django_authenticates_them() -> None:
    assert {gate.normalised(v) for v in ("wuyi", " wuyi", "wuyi ", "ｗｕｙｉ", "\u3000wuyi\t")} == {"wuyi"}
    assert gate.normalised("WuYi") == "WuYi"  # Django's lookup is case-sensitive; so is the count
    assert gate.normalised(None) == ""


def test_the_limit_locks_and_says_in_chinese_when_it_ends(wuyi: None, checked: list[str]) -> None:
    codes = [_post("wuyi", "wrong").status_code for _ in range(LIMIT)]
    # the last allowed failure already answers with the lockout (axes records it)
    assert codes == [200] * (LIMIT - 1) + [429]
    locked = _post("wuyi", PASSWORD)  # even the right password is not checked now
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "已锁定" in page and "后可再试" in page
    assert len(checked) == LIMIT


@pytest.mark.parametrize("variant", [" wuyi", "wuyi ", "ｗｕｙｉ", "\u3000wuyi"])
def test_variants_of_the_name_are_locked_with_it(wuyi: None, checked: list[str], variant: str) -> None:
    for _ in range(LIMIT):
        _post("wuyi", "wrong")
    response = _post(variant, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in response.client.session
    assert len(checked) == LIMIT


def test_a_success_clears_the_count(wuyi: None) -> None:
    for _ in range(LIMIT - 1):
        _post("wuyi", "wrong")
    assert _post("wuyi", PASSWORD).status_code == 302
    assert not LoginGate.objects.exists()
    assert [_post("wuyi", "wrong").status_code for _ in range(LIMIT - 1)] == [200] * (LIMIT - 1)


def test_another_address_has_its_own_count(wuyi: None) -> None:
    for _ in range(LIMIT):
        _post("wuyi", "wrong")
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert _post("wuyi", PASSWORD, other).status_code == 302


def test_thirty_parallel_guesses_check_at_most_the_limit(wuyi: None, checked: list[str]) -> None:
    """axes alone is check-then-set (its #592): the gate's ticket is one atomic upsert."""
    codes: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(30)

    def guess(i: int) -> None:
        from django.db import connection

        try:
            start.wait()
            code = _post("wuyi", f"wrong-{i}").status_code
            with lock:
                codes.append(code)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(codes) == 30 and set(codes) <= {200, 429}
    assert 1 <= len(checked) <= LIMIT
    assert LoginGate.objects.get().taken == 30


def test_behind_a_proxy_the_forwarded_address_counts(settings: Any) -> None:
    from django.test import RequestFactory

    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
    assert gate.address_of(request) == "1.2.3.4"  # the address our one proxy saw; the rest is forgeable
    settings.TRUSTED_PROXY_COUNT = 0
    assert gate.address_of(request) == "10.0.0.1"
