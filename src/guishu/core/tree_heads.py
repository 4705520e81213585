"""Signed tree heads: a site's Merkle root at a size, signed with the site's Ed25519 key.

Pure (no key storage, no clock): the signer passes the key and the server's time; anyone with
the public key checks a head offline. The signed bytes are a fixed text, so a head can be
checked years later by other software:

    guishu tree head v1
    <site code>
    <tree size>
    <root, hex>
    <time, ISO 8601 with offset>
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PREFIX = "guishu tree head v1"


def key_id(public: Ed25519PublicKey) -> str:
    """A short, stable name for a public key: the first 16 hex digits of its SHA-256."""
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_b64(public: Ed25519PublicKey) -> str:
    return base64.b64encode(public.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def public_from_b64(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))


@dataclass(frozen=True, slots=True)
class TreeHead:
    site: str
    size: int
    root: bytes
    at: datetime
    key: str  # key_id of the signing key
    signature: bytes

    def message(self) -> bytes:
        return signed_bytes(self.site, self.size, self.root, self.at)

    def to_dict(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "size": self.size,
            "root": self.root.hex(),
            "at": self.at.isoformat(),
            "key": self.key,
            "signature": base64.b64encode(self.signature).decode(),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TreeHead:
        """Raises ValueError (or KeyError/TypeError) on a malformed head."""
        at = datetime.fromisoformat(str(d["at"]))
        if at.tzinfo is None:
            raise ValueError("a tree head's time needs its offset")
        size = int(d["size"])
        if size < 0:
            raise ValueError("a tree's size is never negative")
        root = bytes.fromhex(str(d["root"]))
        if len(root) != 32:
            raise ValueError("a root is 32 bytes")
        return cls(
            site=str(d["site"]),
            size=size,
            root=root,
            at=at,
            key=str(d["key"]),
            signature=base64.b64decode(str(d["signature"]), validate=True),
        )


def signed_bytes(site: str, size: int, root: bytes, at: datetime) -> bytes:
    if at.tzinfo is None:
        raise ValueError("a tree head's time needs its offset")
    return f"{PREFIX}\n{site}\n{size}\n{root.hex()}\n{at.isoformat()}\n".encode()


def sign(private: Ed25519PrivateKey, *, site: str, size: int, root: bytes, at: datetime) -> TreeHead:
    signature = private.sign(signed_bytes(site, size, root, at))
    return TreeHead(site=site, size=size, root=root, at=at, key=key_id(private.public_key()), signature=signature)


def verify(head: TreeHead, public: Ed25519PublicKey) -> bool:
    """Was this head signed by this key? (Not whether the record still matches it.)"""
    if head.key != key_id(public):
        return False
    try:
        public.verify(head.signature, head.message())
    except InvalidSignature:
        return False
    return True
