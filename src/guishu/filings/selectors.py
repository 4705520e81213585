"""What the filings page lists: the latest pre-filings, notices, relations and milestones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from guishu.core.identity import mask_phone
from guishu.record.models import Entry, Project
from guishu.sites.templatetags import words

SHOWN = 30


@dataclass(frozen=True)
class Line:
    at: datetime
    what: str  # the fact in words: 提前备案 · 张三 · 王建国 138****0001


def latest(project: Project, *, consultant: str | None = None) -> list[Line]:
    """The newest filings of the site (a consultant's own pre-filings only, when he asks)."""
    kinds = ("pre_filing",) if consultant else ("pre_filing", "developer_notice", "relationship", "milestone")
    rows = Entry.objects.filter(project=project, kind__in=kinds)
    if consultant:
        rows = rows.filter(payload__consultant=consultant)
    people = words.people_of(project)
    lines = []
    for e in rows.order_by("-seq")[:SHOWN]:
        p = e.payload if isinstance(e.payload, dict) else {}
        what = words.fact_kind(e.kind)
        if e.kind == "milestone":
            what = f"{what} · {words.word(words.MILESTONES, p.get('name'))}"
        elif e.kind == "relationship":
            relation = words.word(words.RELATIONS, p.get("relation"))
            pair = f"{mask_phone(str(p.get('phone_a', '')))} — {mask_phone(str(p.get('phone_b', '')))}"
            what = f"{what} · {pair} · {relation}"
        else:
            who = people.get(str(p.get("consultant", "")), "")
            customer = f"{p.get('name') or ''} {mask_phone(str(p.get('phone', '')))}".strip()
            what = " · ".join(x for x in (what, who, customer) if x)
        lines.append(Line(e.at, what))
    return lines
