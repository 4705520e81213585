"""Receipts (回执) as the API and the agents' phone page hand them out: which entries are an
agent's own, and each one's receipt document (``guishu.record.receipts.issue``: the entry's
hash, its inclusion proof and the latest signed tree head).

An agent gets the receipt of his own entries only: his reports and same-day group lists
(S6.1, S6.4: they name him) and his firm's follow-ups (S6.3: a follow-up names the firm, not the
agent). A firm's manager (``agent=None``) gets his firm's. Any other entry, another firm's or
the site's own, is answered as if it did not exist.
"""

from __future__ import annotations

import json
from typing import Any

from guishu.core import tree_heads
from guishu.record import receipts, signing
from guishu.record.models import Entry, Project

AGENT_KINDS = ("report", "group_list")  # the facts that name the agent who wrote them
CHANNEL_KINDS = ("follow_up",)  # the facts that name only his firm
SEQ_MAX = 2**63 - 1  # the record's seq is a 64-bit integer (a larger one overflows SQLite's)


def own_entry(*, project: Project, seq: int, channel: str, agent: str | None) -> Entry | None:
    """Entry ``seq`` when it is one of this agent's own (``agent=None``: of his firm), else None."""
    if not 1 <= seq <= SEQ_MAX:
        return None
    entry = Entry.objects.filter(
        project=project, seq=seq, kind__in=AGENT_KINDS + CHANNEL_KINDS, payload__channel=channel
    ).first()
    if entry is None:
        return None
    if agent is None or entry.kind in CHANNEL_KINDS or entry.payload.get("agent") == agent:
        return entry
    return None


def document(project: Project, seq: int) -> dict[str, Any]:
    """The receipt of entry ``seq`` as a JSON document (``"format": "guishu receipt v1"``)."""
    return receipts.issue(project, seq).to_dict()


def documents(project: Project, seqs: list[int]) -> dict[int, dict[str, Any]]:
    """``document`` of many entries at once, under one signed head (a list of reports)."""
    return {seq: r.to_dict() for seq, r in receipts.issue_many(project, seqs).items()}


def as_file(doc: dict[str, Any]) -> tuple[str, bytes]:
    """The file an agent downloads: its name and its bytes (UTF-8 JSON, indented to be read)."""
    name = f"guishu-receipt-{doc['site']}-{doc['seq']}.json"
    return name, (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def key_id() -> str:
    """The deployment's signing key id, for an agent to compare with a receipt's ``tree_head.key``."""
    return tree_heads.key_id(signing.public_key())
