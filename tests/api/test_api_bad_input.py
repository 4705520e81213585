"""Hostile input to every API operation: a 4xx naming the field, in Chinese, and nothing written.

Table-driven over the operations of the OpenAPI document (a new operation without rows fails
``test_every_operation_has_bad_input_rows``): over-long values, NUL (escaped in JSON and raw),
invalid UTF-8, lone surrogates, emoji, huge numbers, wrong JSON types, unknown fields, masks no
phone can fit. The API has no date field: a time sent with a report is an unknown field (an
agent never sets the time of his report; the server stamps it, S6.1). Run on SQLite and
PostgreSQL (``DATABASE_URL``): PostgreSQL refuses NUL and lone surrogates that SQLite stores.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from guishu.api.api import api
from guishu.record.models import Entry
from tests.api.builders import Firms, firms_site

pytestmark = pytest.mark.django_db(transaction=True)

REPORT = {"name": "李梅", "gender": "F", "phone": "1387**00077"}
GROUP = {"entries": [{"name": "孙丽", "phone": "13800000006"}]}
FOLLOW = {"report": "<own>", "method": "call", "note": "电话联系"}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Bad:
    op: str  # operationId without its prefix
    what: str
    body: bytes | None  # the raw request body (POST), or None
    field: str  # the machine key the answer names
    words: str  # the field in words, in message_zh
    status: int = 422
    query: str = ""  # the raw query string (GET)
    seq: str = ""  # the raw path segment of /receipts/{seq} ("<jy>": 嘉园's report)


def js(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def with_(base: dict[str, Any], **changes: Any) -> bytes:
    return js({**base, **changes})


def entry(**changes: Any) -> bytes:
    return js({"entries": [{"name": "孙丽", "phone": "13800000006", **changes}]})


BAD = [
    # POST /reports
    Bad("report", "name over-long", with_(REPORT, name="李" * 5000), "name", "客户姓名"),
    Bad("report", "phone over-long", with_(REPORT, phone="1" * 5000), "phone", "客户电话"),
    Bad("report", "NUL in name", with_(REPORT, name="李\x00梅"), "name", "客户姓名"),
    Bad("report", "NUL in phone", with_(REPORT, phone="1387\x00**00077"), "phone", "客户电话"),
    Bad("report", "raw NUL byte", js(REPORT).replace("李梅".encode(), b"\x00"), "body", "请求正文", 400),
    Bad("report", "invalid UTF-8", js(REPORT).replace("李梅".encode(), b"\xff\xfe"), "body", "请求正文", 400),
    Bad("report", "lone surrogate", js(REPORT).replace("李梅".encode(), b"\\ud800"), "name", "客户姓名"),
    Bad("report", "emoji name", with_(REPORT, name="李😀"), "name", "客户姓名"),
    Bad("report", "emoji phone", with_(REPORT, phone="1387😀00077"), "phone", "客户电话"),
    Bad(
        "report", "huge number as name", js(REPORT).replace(b'"\xe6\x9d\x8e\xe6\xa2\x85"', b"1e999"), "name", "客户姓名"
    ),
    Bad("report", "number as phone", with_(REPORT, phone=13800000002), "phone", "客户电话"),
    Bad("report", "5000-digit number", js(REPORT).replace(b'"F"', b"9" * 5000), "body", "请求正文", 400),
    Bad("report", "gender out of range", with_(REPORT, gender="MF"), "gender", "性别"),
    Bad("report", "gender null", with_(REPORT, gender=None), "gender", "性别"),
    Bad("report", "mask no mobile fits", with_(REPORT, phone="0001**00000"), "phone", "客户电话"),
    Bad("report", "mask of stars only", with_(REPORT, phone="***********"), "phone", "客户电话"),
    Bad("report", "mask too short", with_(REPORT, phone="1387**0"), "phone", "客户电话"),
    Bad("report", "foreign number", with_(REPORT, phone="+12025550123"), "phone", "客户电话"),
    Bad("report", "landline", with_(REPORT, phone="010-12345678"), "phone", "客户电话"),
    Bad("report", "unknown field", with_(REPORT, extra=1), "extra", "未知字段 extra"),
    Bad("report", "a time of its own", with_(REPORT, at="9999-12-31T25:61:00"), "at", "未知字段 at"),
    Bad("report", "missing name", js({"gender": "F", "phone": "1387**00077"}), "name", "客户姓名"),
    Bad("report", "body a list", js([REPORT]), "body", "请求正文"),
    Bad("report", "body empty", b"", "body", "请求正文"),
    Bad("report", "body not JSON", "name=李梅".encode(), "body", "请求正文", 400),
    Bad("report", "nested 100k deep", b"[" * 100_000 + b"]" * 100_000, "body", "请求正文", 400),
    Bad("report", "body over 2.5 MB", with_(REPORT, name="李" * 1_000_000), "body", "请求正文", 413),
    # POST /group-lists
    Bad("group_list", "no entries", js({"entries": []}), "entries", "名单"),
    Bad("group_list", "201 entries", js({"entries": [GROUP["entries"][0]] * 201}), "entries", "名单"),
    Bad("group_list", "entries a string", js({"entries": "孙丽"}), "entries", "名单"),
    Bad("group_list", "name over-long", entry(name="孙" * 5000), "entries.0.name", "名单第1位的客户姓名"),
    Bad("group_list", "NUL in phone", entry(phone="1380000\x000006"), "entries.0.phone", "名单第1位的客户电话"),
    Bad("group_list", "emoji name", entry(name="😀"), "entries.0.name", "名单第1位的客户姓名"),
    Bad("group_list", "masked phone", entry(phone="1380**00006"), "entries.0.phone", "名单第1位的客户电话"),
    Bad("group_list", "huge number phone", entry(phone=10**30), "entries.0.phone", "名单第1位的客户电话"),
    Bad("group_list", "unknown entry field", entry(extra="x"), "entries.0.extra", "名单第1位的未知字段 extra"),
    Bad("group_list", "unknown field", with_(GROUP, extra=True), "extra", "未知字段 extra"),
    Bad("group_list", "invalid UTF-8", js(GROUP).replace("孙丽".encode(), b"\xc3\x28"), "body", "请求正文", 400),
    # POST /follow-ups
    Bad("follow_up", "report over-long", with_(FOLLOW, report="a" * 5000), "report", "报备编号"),
    Bad("follow_up", "NUL in report", with_(FOLLOW, report="demo-\x001"), "report", "报备编号"),
    Bad("follow_up", "emoji report", with_(FOLLOW, report="😀"), "report", "报备编号"),
    Bad("follow_up", "number report", with_(FOLLOW, report=10**20), "report", "报备编号"),
    Bad("follow_up", "nobody's report", with_(FOLLOW, report="nobody-1"), "report", "报备编号", 404),
    Bad("follow_up", "method unknown", with_(FOLLOW, method="fax"), "method", "跟进方式"),
    Bad("follow_up", "note over-long", with_(FOLLOW, note="记" * 201), "note", "备注"),
    Bad("follow_up", "NUL in note", with_(FOLLOW, note="电话\x00联系"), "note", "备注"),
    Bad("follow_up", "line separator in note", with_(FOLLOW, note="电话\u2028联系"), "note", "备注"),
    Bad("follow_up", "surrogate in note", js(FOLLOW).replace("联系".encode(), b"\\udfff"), "note", "备注"),
    Bad("follow_up", "unknown field", with_(FOLLOW, extra=1), "extra", "未知字段 extra"),
    Bad("follow_up", "a time of its own", with_(FOLLOW, at="2026-02-30T10:00"), "at", "未知字段 at"),
    Bad("follow_up", "invalid UTF-8", js(FOLLOW).replace("电话".encode(), b"\xfe"), "body", "请求正文", 400),
    # an encoded surrogate: Python's JSON decoder lets it through, the field's check does not
    Bad("follow_up", "encoded surrogate", js(FOLLOW).replace("电话".encode(), b"\xed\xa0\x80"), "note", "备注"),
    # GET /reports
    Bad("my_reports", "limit huge", None, "limit", "条数", query="limit=99999999999999999999999999"),
    Bad("my_reports", "limit zero", None, "limit", "条数", query="limit=0"),
    Bad("my_reports", "limit negative", None, "limit", "条数", query="limit=-1"),
    Bad("my_reports", "limit not a number", None, "limit", "条数", query="limit=abc"),
    Bad("my_reports", "limit 1e3", None, "limit", "条数", query="limit=1e3"),
    Bad("my_reports", "NUL in limit", None, "limit", "条数", query="limit=1%00"),
    Bad("my_reports", "invalid UTF-8 in limit", None, "limit", "条数", query="limit=%ff%fe"),
    Bad("my_reports", "emoji limit", None, "limit", "条数", query="limit=%F0%9F%98%80"),
    Bad("my_reports", "unknown parameter", None, "since", "未知字段 since", query="since=0001-01-01"),
    # GET /receipts/{seq}
    Bad("my_receipt", "seq zero", None, "seq", "回执序号", seq="0"),
    Bad("my_receipt", "seq negative", None, "seq", "回执序号", seq="-1"),
    Bad("my_receipt", "seq not a number", None, "seq", "回执序号", seq="abc"),
    Bad("my_receipt", "seq 1e3", None, "seq", "回执序号", seq="1e3"),
    Bad("my_receipt", "seq over 64 bits", None, "seq", "回执序号", seq=str(2**63)),
    Bad("my_receipt", "seq 5000 digits", None, "seq", "回执序号", seq="9" * 5000),
    Bad("my_receipt", "NUL in seq", None, "seq", "回执序号", seq="1%00"),
    Bad("my_receipt", "emoji seq", None, "seq", "回执序号", seq="%F0%9F%98%80"),
    Bad("my_receipt", "another firm's seq", None, "seq", "回执序号", 404, seq="<jy>"),
    Bad("my_receipt", "unknown parameter", None, "since", "未知字段 since", query="since=1", seq="1"),
    # GET /tree-heads/consistency
    Bad("tree_head_consistency", "from_size missing", None, "from_size", "回执树头的条数"),
    Bad("tree_head_consistency", "from_size negative", None, "from_size", "回执树头的条数", query="from_size=-1"),
    Bad("tree_head_consistency", "from_size not a number", None, "from_size", "回执树头的条数", query="from_size=x"),
    Bad("tree_head_consistency", "from_size huge", None, "from_size", "回执树头的条数", query="from_size=" + "9" * 30),
    Bad("tree_head_consistency", "NUL in from_size", None, "from_size", "回执树头的条数", query="from_size=1%00"),
    Bad("tree_head_consistency", "past the latest head", None, "from_size", "回执树头的条数", 404, "from_size=100000"),
    Bad("tree_head_consistency", "unknown parameter", None, "since", "未知字段 since", query="from_size=1&since=1"),
    # GET /signing-key
    Bad("signing_key", "unknown parameter", None, "site", "未知字段 site", query="site=demo2"),
]
PATHS = {"report": "/api/v1/reports", "my_reports": "/api/v1/reports"}
PATHS |= {"group_list": "/api/v1/group-lists", "follow_up": "/api/v1/follow-ups"}
PATHS |= {"my_receipt": "/api/v1/receipts/{seq}", "tree_head_consistency": "/api/v1/tree-heads/consistency"}
PATHS |= {"signing_key": "/api/v1/signing-key"}


@pytest.fixture
def site() -> Firms:
    return firms_site()


def call(site: Firms, bad: Bad, key: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {key or site.keys['hx']}"}
    path = PATHS[bad.op].replace("{seq}", bad.seq.replace("<jy>", str(site.reports["jy"][0].seq)))
    if bad.body is None:
        return Client().get(f"{path}?{bad.query}", headers=headers)
    body = bad.body.replace(b"<own>", site.reports["hx"][0].fact_id.encode())
    return Client().generic("POST", path, body, content_type="application/json", headers=headers)


def refusal_problems(site: Firms, bad: Bad) -> list[str]:
    """What is wrong with the answer to one hostile request (nothing, when it is right)."""
    before = Entry.objects.count()
    response = call(site, bad)
    data = response.json()
    problems = []
    if response.status_code != bad.status:
        problems.append(f"status {response.status_code}, not {bad.status}")
    if data.get("field") != bad.field:
        problems.append(f"field {data.get('field')!r}, not {bad.field!r}")
    zh = str(data.get("message_zh", ""))
    if bad.words not in zh or not CHINESE.search(zh):
        problems.append(f"message_zh does not name {bad.words}")
    if bad.words != bad.field and f": {bad.field}" in zh:  # in words, not by its key
        problems.append("message_zh names the field by its key")
    if not data.get("message_en") or set(data) != {"code", "message_zh", "message_en", "field"}:
        problems.append("not the documented error shape")
    if Entry.objects.count() != before:
        problems.append("something was written to the record")
    return [f"{bad.what}: {p}: {data}" for p in problems]


@pytest.mark.parametrize("op", sorted({b.op for b in BAD}))
def test_bad_input_gets_a_4xx_naming_the_field_in_chinese(site: Firms, op: str) -> None:
    """S6.1, S6.3, S6.4: every hostile value of the operation's rows is answered with a 4xx in
    the documented shape, naming the field by key and, in Chinese, in words; the record is
    untouched. (One site per operation: a PostgreSQL flush per row cost a second each.)"""
    problems = [p for bad in BAD if bad.op == op for p in refusal_problems(site, bad)]
    assert problems == [], "\n".join(problems)


def test_every_operation_has_bad_input_rows() -> None:
    """core: an operation added to the API without hostile rows here fails."""
    ops = {
        op["operationId"].removeprefix("guishu_api_api_")
        for ops in api.get_openapi_schema()["paths"].values()
        for op in ops.values()
    }
    assert ops == {b.op for b in BAD}


@pytest.mark.parametrize("token", ["\x00", "k" * 5000, "😀", "gs_" + "\u0000" * 10, ""])
def test_a_hostile_key_is_refused_as_unauthorised(site: Firms, token: str) -> None:
    """core: NUL, over-long, emoji or empty bearer keys: 401 naming the key, nothing written."""
    before = Entry.objects.count()
    response = Client().post(
        "/api/v1/reports", REPORT, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )
    data = response.json()
    assert response.status_code == 401 and data["field"] == "Authorization" and "接口密钥" in data["message_zh"]
    assert Entry.objects.count() == before


def test_a_mask_that_fits_no_known_customer_is_a_new_report(site: Firms) -> None:
    """S6.1: a well-formed mask that fits no customer the site knows is not an error: it is a
    new customer's report, accepted; emoji in a follow-up's note are text, stored as sent."""
    response = call(site, Bad("report", "new", with_(REPORT, phone="1399**99999"), "", ""))
    assert response.status_code == 201 and response.json()["status"] == "accepted"
    note = "客户说周末来 😀"
    response = call(site, Bad("follow_up", "emoji note", with_(FOLLOW, note=note), "", ""))
    assert response.status_code == 201
    assert Entry.objects.get(kind="follow_up").payload["note"] == note
