"""The channel API: keys, reports with receipts, isolation, clear 4xx for bad input."""

from __future__ import annotations

import json
import re
from datetime import datetime
from html import unescape as html_unescape
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from guishu.api import keys as api_keys
from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Entry, Project
from guishu.record.verify import verify_chain
from tests.api.builders import HX_ONLY, SHARED, firms_site
from tests.record.builders import make_project, visit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site() -> tuple[Project, str, str]:
    engines.forget_all()
    project = make_project()
    _, hx = api_keys.issue(project=project, agent="wangwu", channel="hx")
    _, jy = api_keys.issue(project=project, agent="chenshi", channel="jy")
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
    receipt = data["receipt"]
    assert (receipt["seq"], receipt["hash"]) == (entry.seq, entry.hash)
    assert receipt["proof"]["seq"] == entry.seq and receipt["proof"]["entry_hash"] == entry.hash
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
    data = response.json()
    assert data["status"] == "invalid" and "前4后5" in data["message_zh"] and "first4_last5" in data["message_en"]


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
        ({"name": "李梅", "gender": "F", "phone": "+12025550123"}, "phone"),
        ({"name": "李梅", "gender": "F", "phone": "010-12345678"}, "phone"),
        ({"name": "李梅", "gender": "F", "phone": "١٣٨٠٠٠٠٠٠٠٢"}, "phone"),
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
    assert data["code"] == "invalid" and data["field"] == field
    assert data["message_zh"] and data["message_en"]
    assert Entry.objects.count() == before


@pytest.mark.parametrize("key", [None, "gs_wrong", "revoked"])
def test_missing_wrong_or_revoked_keys_are_refused(site: tuple[Project, str, str], key: str | None) -> None:
    """core: no key, a wrong key or a revoked key gets a 401 in Chinese and English."""
    project, _, _ = site
    if key == "revoked":
        k, key = api_keys.issue(project=project, agent="wangwu", channel="hx")
        api_keys.revoke([k])
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


@pytest.mark.parametrize(
    ("phone", "why"),
    [
        ("+12025550123", "不是中国大陆的号码"),
        ("010-12345678", "需要手机号码"),  # a landline: a report needs a mobile (S6.1)
        ("01012345678", "需要手机号码"),
        ("١٣٨٠٠٠٠٠٠٠٢", "只能有数字"),  # Arabic-Indic digits
        ("1381**0", "遮挡号码至少需要前3位和后4位"),
        ("138 0000 0002", "请写成 13812345678 或 1381**45678"),  # the forms' spaces: not in the API
        ("".join(chr(ord(d) + 0xFEE0) for d in "13800000002"), "请写成 13812345678"),  # full-width digits
    ],
)
def test_a_phone_that_is_not_a_cn_mobile_is_refused_in_words(
    site: tuple[Project, str, str], phone: str, why: str
) -> None:
    """S6.1: a report's phone is a CN mobile, full or masked: a foreign number, a landline or
    digits of another script get 422 invalid naming 客户电话, and nothing is written."""
    before = Entry.objects.count()
    response = post(site[1], {"name": "李梅", "gender": "F", "phone": phone})
    data = response.json()
    assert response.status_code == 422 and data["code"] == "invalid" and data["field"] == "phone"
    assert data["message_zh"].startswith(f"字段不合法: 客户电话: {why}")
    assert Entry.objects.count() == before


@pytest.mark.parametrize("phone", ["13800000002", "+8613800000002", "1380**00002", "138****0002", "1380xx00002"])
def test_full_and_masked_cn_mobiles_are_taken(site: tuple[Project, str, str], phone: str) -> None:
    """S6.1: a full mobile is stored in E.164, a mask as sent (a form the site refuses is kept
    and answered invalid)."""
    project, hx, _ = site
    response = post(hx, {"name": "李梅", "gender": "F", "phone": phone})
    assert response.status_code == 201
    stored = Entry.objects.get(project=project, kind="report").payload["phone"]
    assert stored == ("+8613800000002" if "*" not in phone and "x" not in phone else phone)


@pytest.mark.parametrize("phone", ["1381**00006", "010-12345678", "+12025550123", "1380000000"])
def test_a_group_list_needs_full_cn_mobiles(site: tuple[Project, str, str], phone: str) -> None:
    """S6.4: a same-day list gives full phones: a mask, a landline or a foreign number is
    refused naming the entry's phone."""
    project, hx, _ = site
    response = Client().post(
        "/api/v1/group-lists",
        {"entries": [{"name": "孙丽", "phone": "13800000006"}, {"name": "赵敏", "phone": phone}]},
        content_type="application/json",
        headers={"Authorization": f"Bearer {hx}"},
    )
    data = response.json()
    assert response.status_code == 422 and data["field"] == "entries.1.phone"
    assert data["message_zh"].startswith("字段不合法: 名单第2位的客户电话: ")
    assert not Entry.objects.filter(project=project, kind="group_list").exists()


def test_another_firms_earlier_report_is_never_told() -> None:
    """S6.5: 嘉园 reports a customer 华信 reported first: the answer says only that the customer
    cannot be accepted: no time (in any zone), no firm, no agent, no report id, no deadline;
    the same in 嘉园's list of reports."""
    firms = firms_site()
    answer = post(firms.keys["jy"], HX_ONLY)
    listed = Client().get("/api/v1/reports", headers={"Authorization": f"Bearer {firms.keys['jy']}"})
    data = answer.json()
    assert data["status"] == "duplicate" and data["earlier"] is None and data["valid_until"] is None
    assert data["message_zh"] == "该客户不能受理 (S6.5)"
    for text in (answer.content.decode(), listed.content.decode()):
        told = [m for m in firms.marks_of("hx") if m in text]
        assert told == [], told


def test_his_own_firms_earlier_report_is_named_with_its_time() -> None:
    """S6.5: a duplicate of his own firm's report names it and when it was made, in the site's zone."""
    firms = firms_site()
    data = post(firms.keys["hx"], SHARED).json()
    earlier = firms.reports["hx"][0]
    local = earlier.at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert data["status"] == "duplicate" and data["earlier"] == earlier.fact_id
    assert f"本渠道已于 {local:%Y-%m-%d %H:%M} 报备" in data["message_zh"]


def test_every_time_sent_is_in_the_sites_zone() -> None:
    """S6.3: valid_until, the receipt's time and the times in the messages are the site's
    (Asia/Tokyo here, +09:00), never UTC nor the server's default zone."""
    firms = firms_site(zone="Asia/Tokyo")
    key = firms.keys["hx"]
    data = post(key, {"name": "周敏", "gender": "F", "phone": "1387**00077"}).json()
    assert data["status"] == "accepted"
    until = datetime.fromisoformat(data["valid_until"])
    assert data["valid_until"].endswith("+09:00") and data["receipt"]["at"].endswith("+09:00")
    assert f"{until:%Y-%m-%d %H:%M}" in data["message_zh"] and f"{until:%Y-%m-%d %H:%M}" in data["message_en"]
    listed = Client().get("/api/v1/reports", headers={"Authorization": f"Bearer {key}"}).json()
    times = [r["receipt"]["at"] for r in listed] + [r["valid_until"] for r in listed if r["valid_until"]]
    assert times and all(t.endswith("+09:00") for t in times)
    group = (
        Client()
        .post(
            "/api/v1/group-lists",
            {"entries": [{"name": "孙丽", "phone": "13800000006"}]},
            content_type="application/json",
            headers={"Authorization": f"Bearer {key}"},
        )
        .json()
    )
    assert group["receipt"]["at"].endswith("+09:00")


def test_the_docs_page_uses_only_local_assets_and_no_inline_script() -> None:
    """core: /api/v1/docs works offline: every script and stylesheet is a local static file,
    served, and no script is inline (a CSP of script-src 'self' lets it run)."""
    page = Client().get("/api/v1/docs")
    html = page.content.decode()
    assert page.status_code == 200
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/static/api/") for u in urls), urls
    assert "http" not in html and "cdn" not in html.lower()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)
    for url in urls:
        served = Client().get(url)
        assert served.status_code == 200, url
        assert b"".join(served.streaming_content if served.streaming else [served.content])  # type: ignore[attr-defined]
    settings = json.loads(html_unescape(re.search(r'data-settings="([^"]+)"', html).group(1)))  # type: ignore[union-attr]
    assert settings["url"] == "/api/v1/openapi.json" and settings["validatorUrl"] is None
