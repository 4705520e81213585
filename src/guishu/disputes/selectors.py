"""The disputes page's lists: disputes and whether decided, rulings and their appeals, in words
(people by name, customers by name and masked phone)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from guishu.core.identity import mask_phone
from guishu.disputes.actions import decided
from guishu.record import engines
from guishu.record.models import Entry, Project
from guishu.sites.templatetags import words

SHOWN = 30  # the newest of each list; older ones are in each customer's history


@dataclass(frozen=True)
class Line:
    """One dispute, complaint, ruling or appeal: when, whose customer, who, what was said."""

    fact: str
    at: datetime
    customer: str  # 王建国 138****0001
    who: str  # the filer, the consultant complained of, the ruler, the appellant: by name
    what: str  # the statement, the reason, the outcome in words
    open: bool = False  # a dispute not yet decided; a complaint not yet reviewed


def _customer(live: engines.LiveEngine, phone: str) -> str:
    g = live.engine.by_phone.get(phone)
    names = "、".join(g.names) if g is not None else ""
    return f"{names} {mask_phone(phone)}".strip()


def _lines(project: Project, kind: str, *, by: str | None = None) -> list[tuple[Entry, dict[str, object]]]:
    rows = Entry.objects.filter(project=project, kind=kind)
    if by is not None:
        rows = rows.filter(payload__consultant=by)
    return [(e, e.payload) for e in rows.order_by("-seq")[:SHOWN] if isinstance(e.payload, dict)]


def disputes(project: Project, *, filer: str | None = None) -> list[Line]:
    """查询单, newest first (a consultant sees his own only), open ones marked."""
    found = _lines(project, "dispute_raised", by=filer)
    people = words.people_of(project)
    live = engines.live_engine(project)
    with live.lock:
        return [
            Line(
                e.fact_id,
                e.at,
                _customer(live, str(p.get("phone", ""))),
                people.get(str(p.get("consultant", "")), str(p.get("consultant", ""))),
                str(p.get("note") or ""),
                not decided(live.engine, e),
            )
            for e, p in found
        ]


def rulings(project: Project) -> list[Line]:
    """The manager's rulings, newest first, each with its clause and reason."""
    found = _lines(project, "ruling")
    people = words.people_of(project)
    live = engines.live_engine(project)
    pool = words.word(words.OWNER_KINDS, "pool")
    with live.lock:
        lines = []
        for e, p in found:
            owner = people.get(str(p.get("owner") or ""), "") or pool
            what = f"{p.get('rule', '')} → {owner}: {p.get('reason', '')}"
            ruler = people.get(str(p.get("by", "")), str(p.get("by", "")))
            lines.append(Line(e.fact_id, e.at, _customer(live, str(p.get("phone", ""))), ruler, what))
        return lines


def appeals(project: Project) -> list[Line]:
    found = _lines(project, "appeal")
    people = words.people_of(project)
    live = engines.live_engine(project)
    with live.lock:
        lines = []
        for e, p in found:
            outcome = words.word(words.APPEAL_OUTCOMES, p.get("outcome"))
            owner = people.get(str(p.get("owner") or ""), "")
            lines.append(
                Line(
                    e.fact_id,
                    e.at,
                    _customer(live, str(p.get("phone", ""))),
                    people.get(str(p.get("appellant", "")), str(p.get("appellant", ""))),
                    f"{outcome} → {owner}" if owner else outcome,
                )
            )
        return lines
