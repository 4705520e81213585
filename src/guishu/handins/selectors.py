"""What the confirmation desk shows: today's hand-ins with what became of each (confirmed until
when, or returned and why), each consultant's quota counter (S18.5), the day's visitor-and-call
sheet (S18.7) and the confirmations about to lapse (S18.21)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from guishu.core.identity import mask_phone
from guishu.record import engines
from guishu.record.models import Entry, Membership, Project
from guishu.sites.roles import SELLERS
from guishu.sites.templatetags import words

SHOWN = 50
LAPSING_DAYS = 2


@dataclass(frozen=True)
class HandInLine:
    fact: str
    signed_at: datetime
    consultant: str
    customer: str  # 王建国 138****0001 · C0012
    state: str  # confirmed, returned, undecided (S18.15: the manager decides), voided (S1.4)
    until: datetime | None  # the confirmation's end (S18.21), when confirmed
    why: str  # the reason it was returned, or the clash it is in (S18.15)
    rule: str

    @property
    def confirmed(self) -> bool:
        return self.state == "confirmed"


@dataclass(frozen=True)
class Quota:
    consultant: str
    staff: str
    held: int
    quota: int | None

    @property
    def full(self) -> bool:
        return self.quota is not None and self.held >= self.quota


@dataclass(frozen=True)
class SheetLine:
    at: datetime
    consultant: str
    what: str  # 来访登记 · 王建国 138****0001


def _start_of_day(project: Project) -> datetime:
    return timezone.localtime(timezone=words.site_zone(project)).replace(hour=0, minute=0, second=0, microsecond=0)


def handins(project: Project, *, consultant: str | None = None, since: datetime | None = None) -> list[HandInLine]:
    """The newest hand-ins (today's by default; a consultant's own when he asks)."""
    rows = Entry.objects.filter(project=project, kind="handin", at__gte=since or _start_of_day(project))
    if consultant:
        rows = rows.filter(payload__consultant=consultant)
    entries = list(rows.order_by("-seq")[:SHOWN])
    people = words.people_of(project)
    live = engines.live_engine(project)
    out = []
    with live.lock:
        engine = live.engine
        for e in entries:
            p = e.payload if isinstance(e.payload, dict) else {}
            voided = e.fact_id in engine.voided
            bad = None if voided else engine.invalid.get(e.fact_id)
            clash = engine.collisions.get(e.fact_id)
            phone = str(p.get("phone") or "")
            group = engine.by_phone.get(phone) if phone else None
            state, until, why, rule = "confirmed", None, "", ""
            if voided:
                state = "voided"
            elif bad is not None:
                state, why, rule = "returned", words.reason_words(bad, people), bad.rule
            elif (clash is not None and clash.rule == "S18.15") or (group is not None and group.state == "disputed"):
                # S18.15: the second form of the day raised the clash; the first waits with it
                state, why, rule = "undecided", str(words.word(words.HANDIN_STATES, "same_day")), "S18.15"
            elif group is not None:
                mine = [c for c in group.confirmations if c.consultant == p.get("consultant")]
                until = mine[0].until if mine else group.protected_until
            customer = " · ".join(
                x
                for x in (
                    f"{p.get('company') or p.get('name') or ''} {mask_phone(phone) if phone else ''}".strip(),
                    str(p.get("customer_no") or ""),
                )
                if x
            )
            signed = datetime.fromisoformat(str(p["signed_at"])) if p.get("signed_at") else e.at
            out.append(
                HandInLine(
                    e.fact_id,
                    signed,
                    people.get(str(p.get("consultant", "")), ""),
                    customer,
                    state,
                    until,
                    why,
                    rule,
                )
            )
    return out


def quotas(project: Project, *, consultant: str | None = None) -> list[Quota]:
    """S18.5: each consultant's confirmed customers against his quota now."""
    rows = Membership.objects.filter(project=project, role__in=SELLERS, left_at__isnull=True).order_by("team", "name")
    if consultant:
        rows = rows.filter(staff=consultant)
    live = engines.live_engine(project)
    now = timezone.now()
    with live.lock:
        return [Quota(m.name, m.staff, *live.engine.quota_state(m.staff, now)) for m in rows]


def visitor_sheet(project: Project) -> list[SheetLine]:
    """S18.7: today's 来人来电表, the day's visit and call registrations, newest first."""
    rows = Entry.objects.filter(project=project, kind="registration", at__gte=_start_of_day(project))
    people = words.people_of(project)
    out = []
    for e in rows.order_by("-seq")[:SHOWN]:
        p = e.payload if isinstance(e.payload, dict) else {}
        found = p.get("customer")
        c: dict[str, object] = found if isinstance(found, dict) else {}
        customer = f"{c.get('name') or ''} {mask_phone(str(c['phone'])) if c.get('phone') else ''}".strip()
        out.append(
            SheetLine(e.at, people.get(str(p.get("consultant", "")), ""), f"{words.fact_words(e.kind, p)} · {customer}")
        )
    return out


def lapsing(project: Project) -> list[HandInLine]:
    """S18.21: confirmations that lapse within two days, for re-confirmation."""
    now = timezone.now()
    horizon = now + timedelta(days=LAPSING_DAYS)
    lines = handins(project, since=now - timedelta(days=30))
    seen: set[str] = set()
    out = []
    for line in lines:
        if line.confirmed and line.until is not None and now < line.until <= horizon and line.customer not in seen:
            seen.add(line.customer)
            out.append(line)
    return out
