"""Receipts an agent keeps (回执): where his fact sits in the site's record, provably.

A receipt holds the entry's chain hash, its inclusion proof (RFC 6962) in the tree of a signed
head, and that head. Anyone with the site's public key checks it offline (``check``): the head
is the site's, and the entry is in the tree the site signed. Against a later signed head and a
consistency proof between the two (the API returns both), it also shows the record still holds
the entry: a record cut short or rewritten from before the entry on has no later head that is
consistent with the receipt's.

Pure: no storage, no clock. Problems are returned as ``{zh, en}`` messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from guishu.core import merkle, tree_heads
from guishu.core.tree_heads import TreeHead

FORMAT = "guishu receipt v1"


@dataclass(frozen=True)
class Problem:
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


@dataclass(frozen=True)
class Receipt:
    site: str
    seq: int
    fact_id: str
    at: str  # the entry's time as the site showed it (ISO 8601 with offset)
    entry_hash: str
    inclusion: list[bytes]
    head: TreeHead

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "site": self.site,
            "seq": self.seq,
            "fact_id": self.fact_id,
            "at": self.at,
            "entry_hash": self.entry_hash,
            "inclusion": [p.hex() for p in self.inclusion],
            "tree_head": self.head.to_dict(),
        }

    @classmethod
    def from_dict(cls, d: Any) -> Receipt:
        """Raises ValueError on anything that is not a receipt."""
        try:
            if not isinstance(d, dict) or d.get("format") != FORMAT:
                raise ValueError("not a guishu receipt")
            entry_hash = str(d["entry_hash"])
            if len(bytes.fromhex(entry_hash)) != 32:
                raise ValueError("an entry hash is 32 bytes")
            inclusion = [bytes.fromhex(str(p)) for p in d["inclusion"]]
            if any(len(p) != 32 for p in inclusion):
                raise ValueError("a proof's hashes are 32 bytes")
            seq = int(d["seq"])
            return cls(
                site=str(d["site"]),
                seq=seq,
                fact_id=str(d["fact_id"]),
                at=str(d["at"]),
                entry_hash=entry_hash,
                inclusion=inclusion,
                head=TreeHead.from_dict(d["tree_head"]),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a guishu receipt ({exc})") from None


def proof_hex(proof: list[bytes]) -> list[str]:
    return [p.hex() for p in proof]


def proof_from_hex(items: Any) -> list[bytes]:
    if not isinstance(items, list):
        raise ValueError("a proof is a list of hashes")
    proof = [bytes.fromhex(str(p)) for p in items]
    if any(len(p) != 32 for p in proof):
        raise ValueError("a proof's hashes are 32 bytes")
    return proof


def check(
    receipt: Receipt,
    public: Ed25519PublicKey,
    *,
    later: TreeHead | None = None,
    consistency: list[bytes] | None = None,
) -> list[Problem]:
    """Every reason the receipt does not hold (none: it holds)."""
    head = receipt.head
    if head.site != receipt.site or not tree_heads.verify(head, public):
        return [Problem("回执的签名树头不是本案场签发的", "the receipt's tree head is not signed by this site")]
    leaf = merkle.leaf_hash(bytes.fromhex(receipt.entry_hash))
    if not merkle.verify_inclusion(leaf, receipt.seq - 1, head.size, receipt.inclusion, head.root):
        return [Problem("这条记录不在签名的树中", "the entry is not in the signed tree")]
    if later is None:
        return []
    if later.site != receipt.site or not tree_heads.verify(later, public):
        return [Problem("后来的签名树头不是本案场签发的", "the later tree head is not signed by this site")]
    if later.size < head.size:
        return [
            Problem(
                f"记录被截断: 回执时有 {head.size} 条,现在只有 {later.size} 条",
                f"the record was cut short: {head.size} entries at the receipt, {later.size} now",
            )
        ]
    if not merkle.verify_consistency(head.size, later.size, head.root, later.root, consistency or []):
        return [
            Problem(
                "现在的记录与回执时的记录不一致: 记录被改写",
                "the record now is not a continuation of the record at the receipt: it was rewritten",
            )
        ]
    return []
