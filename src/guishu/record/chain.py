"""Canonical JSON and the SHA-256 chain: the tamper evidence of the record."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_text(data: Any) -> str:
    """One text per value: sorted keys, no spaces, characters as themselves (not \\u escapes)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, *, project: str, seq: int, actor: int | None, payload: dict[str, Any]) -> str:
    """The hash of one entry: the previous hash, then the canonical entry."""
    return entry_hash_of_text(prev_hash, project=project, seq=seq, actor=actor, fact_text=canonical_text(payload))


def entry_hash_of_text(prev_hash: str, *, project: str, seq: int, actor: int | None, fact_text: str) -> str:
    """``entry_hash`` given the fact's canonical text, which the append also stores: the entry's
    canonical form is spelled out with its keys in sorted order (actor, fact, project, seq), so
    the text is exactly ``canonical_text({"project": ..., "seq": ..., "actor": ..., "fact": ...})``."""
    body = (
        f'{{"actor":{json.dumps(actor)},"fact":{fact_text},'
        f'"project":{json.dumps(project, ensure_ascii=False)},"seq":{json.dumps(seq)}}}'
    )
    return hashlib.sha256(prev_hash.encode("ascii") + body.encode("utf-8")).hexdigest()
