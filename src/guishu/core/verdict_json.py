"""The stable JSON shape of an Attribution (documented in docs/verdicts.md).

Times are ISO 8601 with offset, money and shares are decimal strings (never
floats), owners carry their display name when the staff list knows it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from guishu.core.verdict import (
    Attribution,
    Chase,
    CollisionRecord,
    Invalid,
    Owner,
    Penalty,
    Reason,
    ReportAnswer,
    Split,
    Verdict,
)

SCHEMA_VERSION = 1
Namer = Callable[[str], str]


def _t(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None


def _owner(o: Owner | None, name: Namer) -> dict[str, Any] | None:
    if o is None:
        return None
    return {"kind": o.kind, "id": o.id, "name": name(o.id) if o.id else o.label()}


def _reason(r: Reason) -> dict[str, Any]:
    return {"rule": r.rule, "zh": r.zh, "en": r.en, "facts": list(r.facts), "at": _t(r.at)}


def verdict_json(v: Verdict, name: Namer) -> dict[str, Any]:
    return {
        "group": v.group,
        "members": list(v.members),
        "owner": _owner(v.owner, name),
        "state": v.state,
        "since": _t(v.since),
        "protected_until": _t(v.protected_until),
        "channel": _owner(v.channel, name),
        "channel_until": _t(v.channel_until),
        "candidate": v.candidate,
        "deadline": _t(v.deadline),
        "reasons": [_reason(r) for r in v.reasons],
        "history": [_reason(r) for r in v.history],
        "policy": v.policy,
    }


def _invalid(i: Invalid) -> dict[str, Any]:
    return {"fact": i.fact, "rule": i.rule, "zh": i.zh, "en": i.en, "fields": list(i.fields)}


def _collision(c: CollisionRecord) -> dict[str, Any]:
    return {
        "group": c.group,
        "at": _t(c.at),
        "owner": c.owner,
        "other": c.other,
        "fact": c.fact,
        "knowing": c.knowing,
        "rule": c.rule,
    }


def _penalty(p: Penalty) -> dict[str, Any]:
    return {
        "staff": p.staff,
        "amount": str(p.amount),
        "action": p.action,
        "rule": p.rule,
        "zh": p.zh,
        "en": p.en,
        "facts": list(p.facts),
        "at": _t(p.at),
    }


def _split(s: Split) -> dict[str, Any]:
    return {
        "deal": s.deal,
        "group": s.group,
        "at": _t(s.at),
        "shares": [{"who": w, "share": str(x)} for w, x in s.shares],
        "rule": s.rule,
        "zh": s.zh,
        "en": s.en,
        "provisional_until": _t(s.provisional_until),
        "channel": s.channel,
        "awaiting": s.awaiting,
        "unit": s.unit,
        "amount": None if s.amount is None else str(s.amount),
        "refunded_at": _t(s.refunded_at),
        "paid": [{"stage": st, "at": _t(t), "amount": None if a is None else str(a)} for st, t, a in s.paid],
    }


def _report(r: ReportAnswer) -> dict[str, Any]:
    return {
        "report": r.report,
        "status": r.status,
        "valid_until": _t(r.valid_until),
        "zh": r.zh,
        "en": r.en,
        "earlier": r.earlier,
    }


def _chase(c: Chase) -> dict[str, Any]:
    return {"group": c.group, "who": c.who, "due": _t(c.due), "rule": c.rule, "zh": c.zh, "en": c.en}


def attribution_json(a: Attribution, name: Namer = lambda s: s) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "at": _t(a.at),
        "policy": a.policy,
        "verdicts": [verdict_json(v, name) for v in a.verdicts],
        "invalid": [_invalid(i) for i in a.invalid],
        "collisions": [_collision(c) for c in a.collisions],
        "penalties": [_penalty(p) for p in a.penalties],
        "splits": [_split(s) for s in a.splits],
        "reports": [_report(r) for r in a.reports],
        "chases": [_chase(c) for c in a.chases],
    }
