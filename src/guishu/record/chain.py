"""Canonical JSON and the SHA-256 chain: the tamper evidence of the record."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical(data: Any) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8 (not \\u escapes)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(prev_hash: str, *, project: str, seq: int, actor: int | None, payload: dict[str, Any]) -> str:
    """The hash of one entry: the previous hash, then the canonical entry."""
    body = canonical({"project": project, "seq": seq, "actor": actor, "fact": payload})
    return hashlib.sha256(prev_hash.encode("ascii") + body).hexdigest()
