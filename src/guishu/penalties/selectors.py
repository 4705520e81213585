"""The penalties ledger (罚款台账): every fine, warning and dismissal the record proves, per
person, with its rule, the facts it rests on, the amount and what became of any appeal
(S1.2-S1.4, S1.6, S14.2, S16.11, S18.17), for one month of the site or all of it, and each
person's totals for the period."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from guishu.core.identity import PhoneError, normalise_phone
from guishu.core.verdict import Penalty
from guishu.record import engines
from guishu.record.models import Entry, Project
from guishu.sites.templatetags import words

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
ALL = "all"


class PeriodError(ValueError):
    """The period asked is not a month (YYYY-MM) nor the whole record."""


@dataclass(frozen=True)
class Period:
    key: str  # "2026-12", or "all"
    start: datetime | None
    end: datetime | None

    def holds(self, at: datetime) -> bool:
        return (self.start is None or self.start <= at) and (self.end is None or at < self.end)


@dataclass(frozen=True)
class LedgerLine:
    at: datetime
    staff: str
    person: str  # by name
    action: str  # 罚款, 警告, 辞退
    amount: Decimal
    rule: str
    why: str
    facts: tuple[str, ...]
    appeal: str  # what became of an appeal on the customer after it: 驳回, 改判, or ""


@dataclass(frozen=True)
class Total:
    person: str
    fines: Decimal
    count: int
    warnings: int
    dismissals: int


@dataclass(frozen=True)
class Ledger:
    period: Period
    lines: list[LedgerLine]
    totals: list[Total]

    @property
    def sum(self) -> Decimal:
        return sum((t.fines for t in self.totals), Decimal(0))


def period(project: Project, asked: str | None) -> Period:
    """The month asked, in the site's time zone (this month when none is), or the whole record."""
    zone = words.site_zone(project)
    asked = (asked or "").strip()
    if asked in (ALL, "全部"):
        return Period(ALL, None, None)
    if not asked:
        asked = timezone.localtime(timezone=zone).strftime("%Y-%m")
    found = MONTH.match(asked)
    if found is None or not 1 <= int(found.group(2)) <= 12 or not 2000 <= int(found.group(1)) <= 2100:
        raise PeriodError(asked)
    year, month = int(found.group(1)), int(found.group(2))
    start = datetime(year, month, 1, tzinfo=zone)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return Period(asked, start, end)


def _phone(payload: object) -> str:
    """The customer's phone a fact names, as the engine writes it (+86...), or ""."""
    if not isinstance(payload, dict):
        return ""
    customer = payload.get("customer")
    raw = customer.get("phone") if isinstance(customer, dict) else None
    raw = raw or payload.get("phone") or payload.get("phone_a")
    if not raw:
        return ""
    try:
        return normalise_phone(str(raw))
    except PhoneError:
        return ""


def ledger(project: Project, when: Period) -> Ledger:
    """The site's penalties in the period, oldest first, and each person's totals."""
    live = engines.live_engine(project)
    with live.lock:
        every: list[Penalty] = live.engine.penalties_at(timezone.now())
    shown = [p for p in every if when.holds(p.at)]
    people = words.people_of(project)
    # S18.17: an appeal on the penalty's customer after it, and its outcome
    cited = {f.split("#")[0] for p in shown for f in p.facts}
    phones = {e.fact_id: _phone(e.payload) for e in Entry.objects.filter(project=project, fact_id__in=cited)}
    appeals = [
        (e.at, _phone(e.payload), str(e.payload.get("outcome", "")))
        for e in Entry.objects.filter(project=project, kind="appeal").order_by("seq")
        if isinstance(e.payload, dict)
    ]
    english = words.english()
    lines = []
    for p in shown:
        mine = {phones.get(f.split("#")[0], "") for f in p.facts} - {""}
        outcome = (
            "" if p.rule == "S18.17" else next((o for at, ph, o in reversed(appeals) if ph in mine and at >= p.at), "")
        )
        lines.append(
            LedgerLine(
                p.at,
                p.staff,
                people.get(p.staff, p.staff),
                words.word(words.PENALTY_ACTIONS, p.action),
                p.amount,
                p.rule,
                words.with_names(p.en, people) if english else p.zh,
                p.facts,
                words.word(words.APPEAL_OUTCOMES, outcome),
            )
        )
    return Ledger(when, lines, _totals(shown, people))


def _totals(shown: list[Penalty], people: dict[str, str]) -> list[Total]:
    by: dict[str, tuple[Decimal, int, int, int]] = {}
    for p in shown:
        fines, count, warnings, dismissals = by.get(p.staff, (Decimal(0), 0, 0, 0))
        by[p.staff] = (
            fines + (p.amount if p.action == "fine" else Decimal(0)),
            count + (p.action == "fine"),
            warnings + (p.action == "warning"),
            dismissals + (p.action == "dismissal"),
        )
    rows = [Total(people.get(staff, staff), *figures) for staff, figures in by.items()]
    return sorted(rows, key=lambda t: (-t.fines, t.person))
