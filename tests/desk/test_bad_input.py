"""Bad input at the desk: always a clear answer, never a 500, nothing half-written."""

from __future__ import annotations

import pytest

from guishu.record import engines
from guishu.record.models import Entry, Project
from tests.record.builders import make_project
from tests.sites.builders import client_for, user

pytestmark = pytest.mark.django_db(transaction=True)

ODD = [
    "*",
    "******",
    "138****",
    "1" * 300,
    "😀😀",
    "<script>alert(1)</script>",
    "'; DROP TABLE x; --",
    "１３８ ００００ ０００１",
    "+86 (0)10 1234 5678",
    "\u0000",
    " ",
    "王" * 70,
]


@pytest.fixture
def site() -> Project:
    engines.forget_all()
    project = make_project()
    user("lisi", "consultant")
    user("zhaoliu", "manager")
    user("sunba", "clerk")
    return project


@pytest.mark.parametrize("query", ODD)
def test_odd_lookups_never_fail(site: Project, query: str) -> None:
    """S4.3: whatever is typed at the front desk gets an answer, never a server error."""
    response = client_for("lisi").get("/s/demo/desk/", {"q": query}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()  # escaped, not executed


@pytest.mark.parametrize(
    "data",
    [
        {"mode": "boat", "name": "李梅", "gender": "F", "phone": "13800000002"},
        {"mode": "visit", "name": "李梅", "gender": "X", "phone": "13800000002"},
        {"mode": "visit", "name": "李" * 100, "gender": "F", "phone": "13800000002"},
        {"mode": "visit", "name": "李梅", "gender": "F", "phone": "138****0002"},
        {"mode": "visit", "name": "李梅", "gender": "F", "phone": "\u0000"},
        {},
    ],
)
def test_bad_registrations_are_refused_cleanly(site: Project, data: dict[str, str]) -> None:
    """S8.5: a malformed registration is refused with a 422 and nothing is written."""
    before = Entry.objects.count()
    response = client_for("lisi").post("/s/demo/register/", data)
    assert response.status_code == 422
    assert Entry.objects.count() == before


@pytest.mark.parametrize(
    ("who", "method", "path"),
    [
        ("zhaoliu", "get", "/customer/Gnothere/"),
        ("lisi", "post", "/follow-up/"),
        ("lisi", "post", "/claim/"),
        ("sunba", "get", "/clerk/?day=yesterday"),
        ("sunba", "post", "/visits/999/sign/"),
        ("zhaoliu", "post", "/manage/approve/"),
    ],
)
def test_missing_or_wrong_targets_are_4xx(site: Project, who: str, method: str, path: str) -> None:
    """core: unknown groups, forms and complaints answer 4xx (or fall back), never 500."""
    response = getattr(client_for(who), method)(path)
    assert response.status_code < 500
