"""The channel API: keys, reports with receipts, isolation, clear 4xx for bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from guishu.api.models import ApiKey
from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Entry, Project
from guishu.record.verify import verify_chain
from tests.record.builders import make_project, visit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site() -> tuple[Project, str, str]:
    engines.forget_all()
    project = make_project()
    _, hx = ApiKey.issue(project=project, agent="wangwu", channel="hx")
    _, jy = ApiKey.issue(project=project, agent="chenshi", channel="jy")
    return project, hx, jy


def post(key: str | None, body: dict[str, Any]) -> Any:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return Client().post("/api/v1/reports", body, content_type="application/json", headers=headers)


def test_report_is_accepted_with_a_receipt(site: tuple[Project, str, str]) -> None:
    """S6.1, S6.3: an accepted report is valid 7 days and the agent gets its chain position."""
    project, hx, _ = site
    response = post(hx, {"name": "李梅", "gender": "F", "phone": "1381**00002"})
    data = response.json()
    assert response.status_code == 201
    assert data["status"] == "accepted" and data["valid_until"]
    entry = Entry.objects.get(project=project, kind="report")
    assert data["receipt"] == {"seq": entry.seq, "hash": entry.hash, "at": data["receipt"]["at"]}
    assert entry.payload["channel"] == "hx" and entry.payload["agent"] == "wangwu"
    assert verify_chain(project).ok


def test_the_earlier_report_wins_and_the_other_channel_is_not_named(site: tuple[Project, str, str]) -> None:
    """S6.5: two channels report one customer: the earlier wins; the later is told, without names."""
    _, hx, jy = site
    post(hx, {"name": "李梅", "gender": "F", "phone": "1381**00002"})
    data = post(jy, {"name": "李梅", "gender": "F", "phone": "1381**00002"}).json()
    assert data["status"] == "duplicate"
    assert data["earlier"] is None  # another channel's report id is never shown


def test_a_registered_customer_is_not_the_channels(site: tuple[Project, str, str]) -> None:
    """S6.2: a customer the site already has is answered as such."""
    project, hx, _ = site
    append_fact(project=project, data=visit("zhangsan", "13800000001"))
    data = post(hx, {"name": "王建国", "gender": "M", "phone": "1380**00001"}).json()
    assert data["status"] == "already_customer"


def test_a_refused_mask_form_is_kept_and_answered_invalid(site: tuple[Project, str, str]) -> None:
    """S6.1: a well-formed mask in a form the site refuses is recorded and answered 'invalid'."""
    response = post(site[1], {"name": "李梅", "gender": "F", "phone": "138****0002"})
    assert response.status_code == 201
    assert response.json()["status"] == "invalid" and "first4_last5" in response.json()["message_zh"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "李梅", "gender": "F", "phone": "12345678901"}, "phone"),
        ({"name": "李梅", "gender": "X", "phone": "1381**00002"}, "gender"),
        ({"name": "", "gender": "F", "phone": "1381**00002"}, "name"),
        ({"name": "李" * 5000, "gender": "F", "phone": "1381**00002"}, "name"),
        ({"name": "😀", "gender": "F", "phone": "abc"}, "name"),
        ({"name": "😀😀", "gender": "F", "phone": "1381**00002"}, "name"),
        ({"name": "李梅", "gender": "F", "phone": "1381**"}, "phone"),
        ({"name": "李梅", "gender": "F", "phone": "1381**00002", "extra": 1}, "extra"),
        ({"gender": "F", "phone": "1381**00002"}, "name"),
    ],
)
def test_bad_input_gets_a_clear_4xx(site: tuple[Project, str, str], body: dict[str, Any], field: str) -> None:
    """S6.1: malformed phones, wrong genders, empty or 10 KB names, unknown fields: a 422 naming the field."""
    _, hx, _ = site
    before = Entry.objects.count()
    response = post(hx, body)
    assert response.status_code == 422
    data = response.json()
    assert data["code"] in {"invalid", "refused"} and field in (data["field"] or "")
    assert data["message_zh"] and data["message_en"]
    assert Entry.objects.count() == before


@pytest.mark.parametrize("key", [None, "gs_wrong", "revoked"])
def test_missing_wrong_or_revoked_keys_are_refused(site: tuple[Project, str, str], key: str | None) -> None:
    """core: no key, a wrong key or a revoked key gets a 401 in Chinese and English."""
    project, _, _ = site
    if key == "revoked":
        k, key = ApiKey.issue(project=project, agent="wangwu", channel="hx")
        k.revoke()
    response = post(key, {"name": "李梅", "gender": "F", "phone": "1381**00002"})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorised"


def test_agents_see_only_their_own_reports(site: tuple[Project, str, str]) -> None:
    """S6.5: an agent lists his own reports only, never another channel's."""
    _, hx, jy = site
    post(hx, {"name": "李梅", "gender": "F", "phone": "1381**00002"})
    post(jy, {"name": "赵敏", "gender": "F", "phone": "1390**00003"})
    mine = Client().get("/api/v1/reports", headers={"Authorization": f"Bearer {hx}"}).json()
    assert len(mine) == 1 and "00003" not in str(mine)


def test_openapi_document_is_served_and_declares_errors(site: tuple[Project, str, str]) -> None:
    """core: the OpenAPI document is at /api/v1/openapi.json with 401 and 422 declared."""
    doc = Client().get("/api/v1/openapi.json").json()
    responses = doc["paths"]["/api/v1/reports"]["post"]["responses"]
    assert {"201", "401", "422"} <= set(responses)


def test_same_day_group_list_counts_for_that_day(site: tuple[Project, str, str]) -> None:
    """S6.4: a group's names and phones given the same day count as reports; both are required."""
    project, hx, _ = site
    headers = {"Authorization": f"Bearer {hx}"}
    ok = Client().post(
        "/api/v1/group-lists",
        {"entries": [{"name": "孙丽", "phone": "13800000006"}]},
        content_type="application/json",
        headers=headers,
    )
    assert ok.status_code == 201 and ok.json()["accepted"] == 1
    half = Client().post(
        "/api/v1/group-lists", {"entries": [{"name": "赵敏"}]}, content_type="application/json", headers=headers
    )
    assert half.status_code == 422 and "phone" in half.json()["field"]
    assert Entry.objects.filter(project=project, kind="group_list").count() == 1


def test_follow_ups_keep_a_re_reports_place(site: tuple[Project, str, str]) -> None:
    """S6.3: a channel that follows up at least every 5 days keeps its first report's place."""
    project, hx, jy = site
    headers = {"Authorization": f"Bearer {hx}"}
    first = post(hx, {"name": "李梅", "gender": "F", "phone": "1381**00002"}).json()
    ok = Client().post(
        "/api/v1/follow-ups",
        {"report": first["report"], "method": "wechat"},
        content_type="application/json",
        headers=headers,
    )
    assert ok.status_code == 201
    entry = Entry.objects.get(project=project, kind="follow_up")
    assert entry.payload["report"] == first["report"] and entry.payload["channel"] == "hx"
    # another channel cannot follow up (or learn of) hx's report
    other = Client().post(
        "/api/v1/follow-ups",
        {"report": first["report"]},
        content_type="application/json",
        headers={"Authorization": f"Bearer {jy}"},
    )
    assert other.status_code == 404 and other.json()["code"] == "not_found"


def test_each_key_is_rate_limited(site: tuple[Project, str, str]) -> None:
    """core: a key above 600 requests a minute is answered 429 in the documented error shape."""
    _, hx, jy = site
    client = Client()
    codes = [client.get("/api/v1/reports", headers={"Authorization": f"Bearer {hx}"}).status_code for _ in range(601)]
    assert codes[:600] == [200] * 600
    last = client.get("/api/v1/reports", headers={"Authorization": f"Bearer {hx}"})
    assert last.status_code == 429 and last.json()["code"] == "throttled"
    # another agent's key is not slowed down by it
    assert client.get("/api/v1/reports", headers={"Authorization": f"Bearer {jy}"}).status_code == 200
