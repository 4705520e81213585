"""Receipts on the web (issue 12): an agent downloads his report's receipt from the phone page;
anyone checks a receipt on the public page /verify/, which answers only valid or invalid."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from guishu.core import receipts
from guishu.core.receipts import Receipt
from guishu.record import signing
from guishu.record.actions import create_project
from guishu.record.models import Entry
from tests.api.builders import HX_ONLY, SHARED, Firms, firms_site
from tests.record.test_tamper import past_the_guards
from tests.sites.builders import client_for, user

pytestmark = pytest.mark.django_db(transaction=True)
PAGE = "/s/demo/agent/"
VERIFY = "/verify/"
VALID, INVALID = "有效</strong>", "无效</strong>"


@pytest.fixture
def firms() -> Firms:
    site = firms_site()
    for staff in ("wangwu", "chenshi"):
        user(staff, "agent", project=site.project)
    user("hxboss", "channel_manager", "华信经理", project=site.project, channel="hx")
    user("lisi", "consultant", project=site.project)
    return site


def download(who: str, seq: int) -> Any:
    return client_for(who).get(f"{PAGE}receipts/{seq}/")


def a_receipt(firms: Firms) -> dict[str, Any]:
    response = download("wangwu", firms.reports["hx"][0].seq)
    assert response.status_code == 200
    doc: dict[str, Any] = json.loads(response.content)
    return doc


def customer_data(firms: Firms) -> list[str]:
    """What the record holds of its customers: names and phones (full and masked) of every report."""
    marks = []
    for e in Entry.objects.filter(project=firms.project, kind="report"):
        marks += [e.payload["name"], e.payload["phone"], e.fact_id]
    return marks


# the phone page


def test_each_report_row_offers_its_receipt_by_seq_and_the_page_shows_the_key_id(firms: Firms) -> None:
    """Issue 12: each of his reports links to its receipt by seq (no phone in the URL); the page
    shows the site's signing key id to compare with a receipt's."""
    page = client_for("wangwu").get(PAGE).content.decode()
    links = re.findall(r'href="(/s/demo/agent/receipts/[^"]*)" download', page)
    assert links == [f"/s/demo/agent/receipts/{e.seq}/" for e in reversed(firms.reports["hx"])]
    assert "下载回执" in page
    raw = signing.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert f'<code class="key-id">{hashlib.sha256(raw).hexdigest()[:16]}</code>' in page


def test_a_fresh_reports_answer_offers_its_receipt(firms: Firms) -> None:
    page = client_for("wangwu").post(PAGE, {"name": "周敏", "gender": "F", "phone": "1387**00077"}).content.decode()
    entry = Entry.objects.filter(project=firms.project, kind="report").order_by("-seq").first()
    assert entry is not None
    card = page.split('<div class="card">')[1]
    assert f'href="/s/demo/agent/receipts/{entry.seq}/" download' in card


def test_the_download_is_a_receipt_file_that_holds(firms: Firms) -> None:
    """Issue 12: a JSON attachment named by site and seq; the receipt holds under the site's key."""
    mine = firms.reports["hx"][0]
    response = download("wangwu", mine.seq)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="guishu-receipt-demo-{mine.seq}.json"'
    doc = Receipt.from_dict(json.loads(response.content))
    assert (doc.seq, doc.entry_hash, doc.fact_id) == (mine.seq, mine.hash, mine.fact_id)
    assert receipts.check(doc, signing.public_key()) == []


def test_another_firms_agent_gets_no_receipt_of_ours(firms: Firms) -> None:
    """S6.5 isolation: 嘉园's agent asking for 华信's seqs is answered 404, as for a seq that does
    not exist, with nothing of 华信's in the answer."""
    answers = [download("chenshi", e.seq) for e in firms.reports["hx"]] + [download("chenshi", 100000)]
    assert [r.status_code for r in answers] == [404, 404, 404]
    told = [m for r in answers for m in firms.marks_of("hx") if m in r.content.decode()]
    assert told == []


def test_a_firms_manager_gets_his_agents_receipts_not_another_firms(firms: Firms) -> None:
    """The firm's manager sees his agents' reports on the page, so he gets their receipts too."""
    assert download("hxboss", firms.reports["hx"][0].seq).status_code == 200
    assert download("hxboss", firms.reports["jy"][0].seq).status_code == 404


def test_the_download_is_for_agents_and_a_get(firms: Firms) -> None:
    seq = firms.reports["hx"][0].seq
    assert download("lisi", seq).status_code == 403  # a consultant
    assert client_for("wangwu").post(f"{PAGE}receipts/{seq}/").status_code == 405
    assert Client().get(f"{PAGE}receipts/{seq}/").status_code == 302  # to the login page
    assert download("wangwu", 2**63).status_code == 404  # never an overflow


# the public page


def verify(text: str, client: Client | None = None) -> Any:
    return (client or Client()).post(VERIFY, {"receipt": text})


def test_the_page_opens_without_login_and_has_no_site_menu(firms: Firms) -> None:
    response = Client().get(VERIFY)
    page = response.content.decode()
    assert response.status_code == 200 and "核验回执" in page and 'name="receipt"' in page
    assert 'class="menu"' not in page and "/accounts/logout/" not in page


def test_a_valid_receipt_is_valid(firms: Firms) -> None:
    """Issue 12: the downloaded receipt, pasted: 有效."""
    response = verify(json.dumps(a_receipt(firms)))
    page = response.content.decode()
    assert response.status_code == 200 and VALID in page and INVALID not in page


def test_a_receipt_with_one_hex_digit_changed_is_invalid(firms: Firms) -> None:
    """Issue 12: one digit of the entry's hash, of a proof hash, of the root, of the seq: 无效."""
    doc = a_receipt(firms)

    def flip(hexdigits: str) -> str:
        return ("1" if hexdigits[0] == "0" else "0") + hexdigits[1:]

    changed = [
        {**doc, "entry_hash": flip(doc["entry_hash"])},
        {**doc, "inclusion": [flip(doc["inclusion"][0]), *doc["inclusion"][1:]]},
        {**doc, "tree_head": {**doc["tree_head"], "root": flip(doc["tree_head"]["root"])}},
        {**doc, "tree_head": {**doc["tree_head"], "size": doc["tree_head"]["size"] + 1}},
        {**doc, "seq": doc["seq"] + 1},
    ]
    for bad in changed:
        page = verify(json.dumps(bad)).content.decode()
        assert INVALID in page and "签名或包含证明不成立" in page and VALID not in page


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '"a receipt"',
        "{}",
        '{"format": "guishu receipt v1"}',
        '{"format": "guishu receipt v2"}',
        "NaN",
        '{"format": "guishu receipt v1", "seq": Infinity}',
        "[" * 50_000 + "]" * 10_000,
        "\x00" * 100,
        "{" * 5,
    ],
    ids=lambda t: t[:20],
)
def test_garbage_is_not_a_receipt(firms: Firms, text: str) -> None:
    page = verify(text).content.decode()
    assert INVALID in page and "不是回执" in page


def test_a_receipts_shape_gone_wrong_is_not_a_receipt(firms: Firms) -> None:
    """Wrong types in every field: 无效, never a 5xx."""
    doc = a_receipt(firms)
    for key, value in [
        ("seq", "x"),
        ("seq", 1e400),
        ("seq", "9" * 5000),
        ("inclusion", "ab"),
        ("inclusion", ["zz"]),
        ("tree_head", []),
        ("tree_head", {**doc["tree_head"], "at": "yesterday"}),
        ("tree_head", {**doc["tree_head"], "signature": "!!"}),
        ("tree_head", {**doc["tree_head"], "size": -1}),
        ("entry_hash", None),
    ]:
        response = verify(json.dumps({**doc, key: value}))
        assert response.status_code == 200 and INVALID in response.content.decode(), (key, value)


def test_a_site_that_cannot_be_signed_is_invalid(firms: Firms) -> None:
    """A lone surrogate in the site's code with this deployment's key id: 无效, not a 5xx."""
    doc = a_receipt(firms)
    text = json.dumps({**doc, "site": "\ud800", "tree_head": {**doc["tree_head"], "site": "\ud800"}})
    assert INVALID in verify(text).content.decode()


def test_a_receipt_the_record_no_longer_holds_is_invalid_without_details(firms: Firms) -> None:
    """Issue 12: someone with the database changes the reported entry (past the append-only
    guards): the genuine receipt is now 无效, with the generic 与现在的记录不符, never the
    record's own words (which entry, how many)."""
    # given his receipt, then the entry rewritten under it
    doc = a_receipt(firms)
    with past_the_guards(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE record_entry SET payload = %s WHERE project_id = %s AND seq = %s",
            [json.dumps({**firms.reports["hx"][0].payload, "name": "冒名"}), firms.project.pk, doc["seq"]],
        )
    # when
    page = verify(json.dumps(doc)).content.decode()
    # then
    assert INVALID in page and "与现在的记录不符" in page
    assert "已不是" not in page and "冒名" not in page and f"第 {doc['seq']} 条" not in page


def test_no_answer_holds_customer_data(firms: Firms) -> None:
    """Issue 12: valid, invalid or garbage, no answer holds a customer's name or phone or a
    fact id, and the pasted text is not shown back."""
    doc = a_receipt(firms)
    pasted = json.dumps(doc)
    bad = json.dumps({**doc, "entry_hash": "0" * 64})
    marks = [*customer_data(firms), SHARED["name"], HX_ONLY["name"], HX_ONLY["phone"]]
    for text in (pasted, bad, "garbage", json.dumps({"format": "guishu receipt v1", "name": "孙丽"})):
        page = verify(text).content.decode()
        assert [m for m in marks if m in page] == []
        assert doc["entry_hash"] not in page and doc["tree_head"]["signature"] not in page


def test_a_receipt_file_can_be_uploaded(firms: Firms) -> None:
    body = json.dumps(a_receipt(firms), indent=2).encode("utf-8")
    for data in (body, b"\xef\xbb\xbf" + body):  # with a BOM, as some editors save it
        upload = SimpleUploadedFile("receipt.json", data, content_type="application/json")
        page = Client().post(VERIFY, {"file": upload}).content.decode()
        assert VALID in page
    latin = SimpleUploadedFile("receipt.json", b"\xff\xfe{", content_type="application/json")
    assert "不是回执" in Client().post(VERIFY, {"file": latin}).content.decode()


def test_an_oversized_receipt_is_refused_clearly(firms: Firms) -> None:
    """Edges: 64 KB is taken; one byte more is 413 with the limit named, pasted or uploaded;
    a body far over the bound is refused before it is read."""
    doc = a_receipt(firms)
    text = json.dumps(doc)
    at_limit = text + " " * (64 * 1024 - len(text))
    assert VALID in verify(at_limit).content.decode()
    over = verify(at_limit + " ")
    assert over.status_code == 413 and "回执过大: 至多 64 KB" in over.content.decode()
    upload = SimpleUploadedFile("r.json", (at_limit + " ").encode(), content_type="application/json")
    assert Client().post(VERIFY, {"file": upload}).status_code == 413
    huge = Client().post(VERIFY, {"receipt": "x" * 300_000})
    assert huge.status_code == 413 and "回执过大" in huge.content.decode()


def test_an_empty_form_asks_for_a_receipt(firms: Firms) -> None:
    response = verify("   ")
    assert response.status_code == 422 and "请粘贴回执,或选择回执文件" in response.content.decode()


def test_the_post_needs_the_csrf_token(firms: Firms) -> None:
    """The form's POST is CSRF-protected like every form of the site."""
    client = Client(enforce_csrf_checks=True)
    assert client.post(VERIFY, {"receipt": "{}"}).status_code == 403
    page = client.get(VERIFY).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    response = client.post(VERIFY, {"receipt": json.dumps(a_receipt(firms)), "csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 200 and VALID in response.content.decode()


def test_the_answer_in_english(firms: Firms) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    page = verify(json.dumps(a_receipt(firms)), client).content.decode()
    assert "Valid</strong>" in page and "still in the record" in page and "有效" not in page
    page = verify("garbage", client).content.decode()
    assert "Invalid</strong>: not a receipt" in page and "Verify a receipt" in page


def test_a_receipt_relabelled_as_another_sites_is_invalid(firms: Firms) -> None:
    """A receipt holds for its own site only: the same document named as another site of the
    deployment is 无效 (the signed head names the site)."""
    create_project(code="demo2", name="第二案场", policy="s8")
    mine = a_receipt(firms)
    relabelled = {**mine, "site": "demo2", "tree_head": {**mine["tree_head"], "site": "demo2"}}
    assert INVALID in verify(json.dumps(relabelled)).content.decode()
