"""Canonical JSON and the SHA-256 chain: the tamper evidence of the record.

Two formats, never mixed within an entry and never re-hashed:

- **v1** (entries before the project's ``ChainHead.format_from``): the previous hash, then
  ``{"actor", "fact", "project", "seq"}``. The ``at``, ``fact_id`` and ``kind`` columns were not
  hashed; the verifier checks them against the hashed payload instead.
- **v2** (from ``format_from`` on): every stored column a screen shows is in the hashed text:
  ``{"actor", "at", "fact", "id", "kind", "prev", "project", "seq", "v": 2}``, ``at`` being the
  entry's stored time in UTC (``at_text``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

FORMAT = 2  # the format every new entry is written in


def canonical_text(data: Any) -> str:
    """One text per value: sorted keys, no spaces, characters as themselves (not \\u escapes)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def at_text(at: datetime) -> str:
    """An entry's time as v2 hashes it: the stored instant in UTC, ISO 8601 (``+00:00``)."""
    if at.tzinfo is None:
        raise ValueError("an entry's time needs its zone")
    return at.astimezone(UTC).isoformat()


def entry_hash(prev_hash: str, *, project: str, seq: int, actor: int | None, payload: dict[str, Any]) -> str:
    """The v1 hash of one entry: the previous hash, then the canonical entry."""
    return entry_hash_of_text(prev_hash, project=project, seq=seq, actor=actor, fact_text=canonical_text(payload))


def entry_hash_of_text(prev_hash: str, *, project: str, seq: int, actor: int | None, fact_text: str) -> str:
    """``entry_hash`` (v1) given the fact's canonical text, which the append also stores: the
    entry's canonical form is spelled out with its keys in sorted order (actor, fact, project,
    seq), so the text is exactly ``canonical_text({"project": ..., "seq": ..., "actor": ..., "fact": ...})``."""
    body = (
        f'{{"actor":{json.dumps(actor)},"fact":{fact_text},'
        f'"project":{json.dumps(project, ensure_ascii=False)},"seq":{json.dumps(seq)}}}'
    )
    return hashlib.sha256(prev_hash.encode("ascii") + body.encode("utf-8")).hexdigest()


def entry_hash_v2(
    prev_hash: str,
    *,
    project: str,
    seq: int,
    fact_id: str,
    kind: str,
    at: str,
    actor: int | None,
    fact_text: str,
) -> str:
    """The v2 hash: ``canonical_text`` of the whole stored entry, spelled out in sorted key
    order (``at`` is ``at_text`` of the stored time; ``fact_text`` the payload's canonical text)."""
    body = (
        f'{{"actor":{"null" if actor is None else int(actor)},"at":{_js(at)},"fact":{fact_text},'
        f'"id":{_js(fact_id)},"kind":{_js(kind)},'
        f'"prev":{_js(prev_hash)},"project":{_js(project)},"seq":{int(seq)},"v":2}}'
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def v2_hasher(project: str) -> Callable[[str, int, str, str, str, int | None, str], str]:
    """``entry_hash_v2`` for one project, for a verifier that runs it for every entry: the
    project's text made once, and ``prev`` and ``at`` taken as given, unescaped — call it only
    with a hash this code computed (hex) and a time ``at_text`` made (ISO 8601): plain ASCII,
    which JSON writes as it is. Anything else goes to ``entry_hash_v2``."""
    project_text = _js(project)
    sha256 = hashlib.sha256

    def digest(prev: str, seq: int, fact_id: str, kind: str, at: str, actor: int | None, fact_text: str) -> str:
        body = (
            f'{{"actor":{"null" if actor is None else int(actor)},"at":"{at}","fact":{fact_text},'
            f'"id":{_js(fact_id)},"kind":{_js(kind)},'
            f'"prev":"{prev}","project":{project_text},"seq":{int(seq)},"v":2}}'
        )
        return sha256(body.encode("utf-8")).hexdigest()

    return digest


def _js(text: str) -> str:
    """``json.dumps(text, ensure_ascii=False)``, without the call for the plain ASCII text that
    ids, kinds, times and hashes are (the verifier runs this for every entry)."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    return json.dumps(text, ensure_ascii=False)
