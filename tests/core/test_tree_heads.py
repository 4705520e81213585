"""Signed tree heads (issue 12): signed by the site's key, checked by anyone with its public key."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from guishu.core import tree_heads

BEIJING = timezone(timedelta(hours=8))
AT = datetime(2026, 12, 1, 10, 0, tzinfo=BEIJING)
ROOT = bytes(range(32))


def test_a_head_verifies_with_its_key_and_survives_its_json() -> None:
    key = Ed25519PrivateKey.generate()
    head = tree_heads.sign(key, site="demo", size=41, root=ROOT, at=AT)
    assert tree_heads.verify(head, key.public_key())
    again = tree_heads.TreeHead.from_dict(head.to_dict())
    assert again == head and tree_heads.verify(again, key.public_key())
    public = tree_heads.public_from_b64(tree_heads.public_b64(key.public_key()))
    assert tree_heads.verify(again, public)


@pytest.mark.parametrize(
    "change",
    [
        {"size": 40},
        {"root": bytes(32)},
        {"site": "demo2"},
        {"at": AT + timedelta(seconds=1)},
    ],
)
def test_any_change_to_a_head_breaks_its_signature(change: dict[str, object]) -> None:
    key = Ed25519PrivateKey.generate()
    head = tree_heads.sign(key, site="demo", size=41, root=ROOT, at=AT)
    fields = {"site": head.site, "size": head.size, "root": head.root, "at": head.at, **change}
    forged = tree_heads.TreeHead(**fields, key=head.key, signature=head.signature)  # type: ignore[arg-type]
    assert not tree_heads.verify(forged, key.public_key())


def test_another_key_cannot_pass_for_the_sites() -> None:
    site_key, attacker = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    forged = tree_heads.sign(attacker, site="demo", size=41, root=ROOT, at=AT)
    assert not tree_heads.verify(forged, site_key.public_key())
    relabelled = tree_heads.TreeHead(
        site="demo", size=41, root=ROOT, at=AT, key=tree_heads.key_id(site_key.public_key()), signature=forged.signature
    )
    assert not tree_heads.verify(relabelled, site_key.public_key())


@pytest.mark.parametrize(
    "bad",
    [
        {"at": "2026-12-01T10:00:00"},  # no offset
        {"size": -1},
        {"root": "abcd"},
        {"signature": "not base64!"},
    ],
)
def test_malformed_heads_are_refused(bad: dict[str, object]) -> None:
    key = Ed25519PrivateKey.generate()
    d = {**tree_heads.sign(key, site="demo", size=1, root=ROOT, at=AT).to_dict(), **bad}
    with pytest.raises(ValueError):
        tree_heads.TreeHead.from_dict(d)
