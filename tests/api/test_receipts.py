"""Receipts through the API (issue 12): every answer's receipt carries its inclusion proof and
signed head, checked here offline with the key the API publishes; a receipt fetched again; a
fresh consistency proof to today's head; another firm's entries never given out."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_private_key
from django.conf import settings
from django.test import Client

from guishu.api import keys as api_keys
from guishu.core import merkle, receipts
from guishu.core.receipts import Receipt
from guishu.core.tree_heads import TreeHead, public_from_b64
from guishu.record.actions import append_fact
from guishu.record.models import Entry
from tests.api.builders import Firms, firms_site

pytestmark = pytest.mark.django_db(transaction=True)
NEW = {"name": "周敏", "gender": "F", "phone": "1387**00077"}


def call(key: str | None, path: str, body: dict[str, Any] | None = None) -> Any:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    if body is None:
        return Client().get(path, headers=headers)
    return Client().post(path, body, content_type="application/json", headers=headers)


def the_sites_key() -> bytes:
    """The deployment's public key as its key file holds it (not as the API says it)."""
    private = load_pem_private_key(settings.SIGNING_KEY_PATH.read_bytes(), password=None)
    assert isinstance(private, Ed25519PrivateKey)
    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


@pytest.fixture
def firms() -> Firms:
    return firms_site()


def test_the_signing_key_operation_gives_the_sites_key(firms: Firms) -> None:
    """Issue 12: the public key an agent checks receipts with is the one that signs the heads."""
    # when
    response = call(firms.keys["hx"], "/api/v1/signing-key")
    # then
    data = response.json()
    assert response.status_code == 200
    assert base64.b64decode(data["public_key"]) == the_sites_key()
    assert data["algorithm"] == "Ed25519" and data["site"] == "demo"
    # the key id is the first 16 hex digits of the raw key's SHA-256 (core.tree_heads.key_id)
    assert data["key_id"] == hashlib.sha256(the_sites_key()).hexdigest()[:16]


def test_every_written_receipt_holds_under_the_published_key(firms: Firms) -> None:
    """Issue 12: the receipts of a report, a group list and a follow-up each prove, offline,
    that the entry is in the tree of a head the site signed."""
    # given the key as the API publishes it
    key = firms.keys["hx"]
    public = public_from_b64(call(key, "/api/v1/signing-key").json()["public_key"])
    # when he writes three facts
    report = call(key, "/api/v1/reports", NEW).json()
    group = call(key, "/api/v1/group-lists", {"entries": [{"name": "孙丽", "phone": "13800000006"}]}).json()
    follow = call(key, "/api/v1/follow-ups", {"report": report["report"], "method": "call"}).json()
    # then each receipt is his entry, under a signed head that holds it
    for answer in (report, group, follow):
        got = answer["receipt"]
        entry = Entry.objects.get(project=firms.project, seq=got["seq"])
        doc = Receipt.from_dict(got["proof"])
        assert (doc.seq, doc.entry_hash, doc.fact_id, doc.site) == (entry.seq, entry.hash, entry.fact_id, "demo")
        assert doc.head.size >= entry.seq and doc.head.key == call(key, "/api/v1/signing-key").json()["key_id"]
        assert receipts.check(doc, public) == []
    assert report["receipt"]["proof"]["fact_id"] == report["report"]


def test_a_receipts_time_is_the_sites(firms: Firms) -> None:
    """S6.3: the receipt document's time is the entry's, in the site's zone (+08:00)."""
    got = call(firms.keys["hx"], "/api/v1/reports", NEW).json()["receipt"]
    entry = Entry.objects.get(project=firms.project, seq=got["seq"])
    assert got["proof"]["at"].endswith("+08:00") and got["at"].endswith("+08:00")
    assert datetime.fromisoformat(got["proof"]["at"]) == entry.at  # to the microsecond: the signed text's
    assert abs(datetime.fromisoformat(got["at"]) - entry.at) < timedelta(milliseconds=1)  # JSON's milliseconds


def test_my_reports_carry_receipts_that_hold(firms: Firms) -> None:
    """Issue 12: the list of his reports carries each one's receipt, valid under the key."""
    key = firms.keys["hx"]
    public = public_from_b64(call(key, "/api/v1/signing-key").json()["public_key"])
    listed = call(key, "/api/v1/reports").json()
    assert [r["receipt"]["seq"] for r in listed] == [e.seq for e in reversed(firms.reports["hx"])]
    for r in listed:
        assert receipts.check(Receipt.from_dict(r["receipt"]["proof"]), public) == []


def test_a_receipt_is_fetched_again_under_todays_head(firms: Firms) -> None:
    """Issue 12: GET /receipts/{seq} gives his own entry's receipt under the latest head, which
    covers entries written after the first answer."""
    # given his report two days ago, and the record went on since
    key = firms.keys["hx"]
    mine = firms.reports["hx"][0]
    call(key, "/api/v1/reports", NEW)
    total = Entry.objects.filter(project=firms.project).count()
    # when
    response = call(key, f"/api/v1/receipts/{mine.seq}")
    # then
    got = response.json()
    assert response.status_code == 200
    assert (got["seq"], got["hash"]) == (mine.seq, mine.hash)
    doc = Receipt.from_dict(got["proof"])
    assert doc.head.size == total  # today's head: every entry so far
    assert receipts.check(doc, public_from_b64(base64.b64encode(the_sites_key()).decode())) == []


def test_the_consistency_proof_holds_his_old_receipt_to_todays_head(firms: Firms) -> None:
    """Issue 12: from a receipt's head size, the API proves today's signed head extends it: the
    record still holds his report."""
    # given a receipt, then more entries
    key = firms.keys["hx"]
    old = Receipt.from_dict(call(key, "/api/v1/reports", NEW).json()["receipt"]["proof"])
    call(firms.keys["jy"], "/api/v1/reports", {"name": "赵敏", "gender": "F", "phone": "1390**00003"})
    append_fact(project=firms.project, data={"kind": "channel_joined", "channel": "xy", "name": "新宇"})
    # when
    response = call(key, f"/api/v1/tree-heads/consistency?from_size={old.head.size}")
    # then
    data = response.json()
    assert response.status_code == 200 and set(data) == {"tree_head", "proof"}
    later = TreeHead.from_dict(data["tree_head"])
    proof = receipts.proof_from_hex(data["proof"])
    assert later.size == old.head.size + 2 == Entry.objects.filter(project=firms.project).count()
    assert merkle.verify_consistency(old.head.size, later.size, old.head.root, later.root, proof)
    public = public_from_b64(base64.b64encode(the_sites_key()).decode())
    assert receipts.check(old, public, later=later, consistency=proof) == []
    # a proof with one hash changed proves nothing
    bent = [bytes([proof[0][0] ^ 1]) + proof[0][1:], *proof[1:]]
    assert receipts.check(old, public, later=later, consistency=bent) != []


def test_consistency_from_the_latest_size_and_from_nothing(firms: Firms) -> None:
    """Edges: from today's own size the proof is empty; from 0 too (the empty tree)."""
    key = firms.keys["hx"]
    size = Entry.objects.filter(project=firms.project).count()
    same = call(key, f"/api/v1/tree-heads/consistency?from_size={size}").json()
    assert same["proof"] == [] and same["tree_head"]["size"] == size
    empty = call(key, "/api/v1/tree-heads/consistency?from_size=0")
    assert empty.status_code == 200 and empty.json()["proof"] == []


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("from_size=-1", 422, "from_size"),
        ("from_size=abc", 422, "from_size"),
        ("", 422, "from_size"),
        ("from_size=1.5", 422, "from_size"),
        ("from_size=99999999999999999999", 422, "from_size"),
        ("from_size=1&size=2", 422, "size"),
    ],
)
def test_a_bad_from_size_is_refused_naming_it(firms: Firms, query: str, status: int, field: str) -> None:
    """Negative, not a number, missing, over 64 bits, unknown parameters: 422 naming the field,
    in Chinese and English."""
    response = call(firms.keys["hx"], f"/api/v1/tree-heads/consistency?{query}")
    data = response.json()
    assert response.status_code == status and data["code"] == "invalid" and data["field"] == field
    assert data["message_zh"].startswith("字段不合法: ") and data["message_en"].startswith("invalid field: ")


def test_a_size_past_the_latest_head_is_not_found(firms: Firms) -> None:
    """Edge: one more than the latest head's size is answered 404 naming from_size, in both
    languages; exactly the size is answered (above)."""
    size = Entry.objects.filter(project=firms.project).count()
    response = call(firms.keys["hx"], f"/api/v1/tree-heads/consistency?from_size={size + 1}")
    data = response.json()
    assert response.status_code == 404
    assert data == {
        "code": "not_found",
        "field": "from_size",
        "message_zh": "回执树头的条数: 大于本案场最新签名树头的条数",
        "message_en": "from_size: larger than the size of the site's latest signed tree head",
    }


def test_another_firms_receipt_is_as_good_as_unknown(firms: Firms) -> None:
    """S6.5 isolation: 嘉园's agent asks for 华信's report's seq: 404, the same answer as for a
    seq that does not exist, with nothing of 华信's in it."""
    jy = firms.keys["jy"]
    foreign = [call(jy, f"/api/v1/receipts/{e.seq}") for e in firms.reports["hx"]]
    missing = call(jy, "/api/v1/receipts/100000")
    staff = Entry.objects.filter(project=firms.project, kind="staff_joined").first()
    assert staff is not None
    site_own = call(jy, f"/api/v1/receipts/{staff.seq}")  # a fact of the site, no firm's
    for response in [*foreign, missing, site_own]:
        assert response.status_code == 404
        assert response.json() == {
            "code": "not_found",
            "field": "seq",
            "message_zh": "回执序号: 没有您的这条记录",
            "message_en": "seq: no such entry of yours",
        }
    told = [m for r in foreign for m in firms.marks_of("hx") if m in r.content.decode()]
    assert told == []


def test_a_colleagues_report_is_not_his_but_the_firms_follow_up_is(firms: Firms) -> None:
    """A report and a group list name their agent: another agent of the same firm does not get
    their receipts. A follow-up names only the firm: every agent of the firm gets it."""
    append_fact(
        project=firms.project,
        data={"kind": "staff_joined", "staff": "zhaoxiao", "name": "赵小", "role": "agent", "channel": "hx"},
    )
    _, colleague = api_keys.issue(project=firms.project, agent="zhaoxiao", channel="hx")
    hx = firms.keys["hx"]
    report = call(hx, "/api/v1/reports", NEW).json()
    follow = call(hx, "/api/v1/follow-ups", {"report": report["report"]}).json()
    assert call(colleague, f"/api/v1/receipts/{report['receipt']['seq']}").status_code == 404
    assert call(colleague, f"/api/v1/receipts/{follow['receipt']['seq']}").status_code == 200
    assert call(firms.keys["jy"], f"/api/v1/receipts/{follow['receipt']['seq']}").status_code == 404


@pytest.mark.parametrize("seq", ["0", "-1", "abc", "1.5", str(2**63), "9" * 40])
def test_a_bad_seq_is_refused_naming_it(firms: Firms, seq: str) -> None:
    """Edges: a seq is 1 to 2**63 - 1; anything else is 422 naming seq (never a 5xx)."""
    response = call(firms.keys["hx"], f"/api/v1/receipts/{seq}")
    assert response.status_code == 422 and response.json()["field"] == "seq"


def test_the_largest_seq_is_simply_not_found(firms: Firms) -> None:
    response = call(firms.keys["hx"], f"/api/v1/receipts/{2**63 - 1}")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path", ["/api/v1/receipts/1", "/api/v1/tree-heads/consistency?from_size=0", "/api/v1/signing-key"]
)
def test_the_new_operations_need_a_live_key(firms: Firms, path: str) -> None:
    for key in (None, firms.keys["revoked"], "gs_wrong"):
        response = call(key, path)
        assert response.status_code == 401 and response.json()["field"] == "Authorization"
