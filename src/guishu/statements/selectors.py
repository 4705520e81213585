"""结佣单: each payee's commission statement of a month, read from the engine's splits, the
site's commission rates and the statements finance approved (``guishu.core.statements``
decides; this module only gathers the facts and puts names on them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from guishu.core import statements as core
from guishu.core.events import CommissionRate, StatementApproved, fact_from_dict
from guishu.penalties.selectors import Period
from guishu.record import engines
from guishu.record.models import Entry, Project
from guishu.sites.templatetags import words

SPECIAL_PAYEES = words.PAYEE_POTS


def rates(project: Project) -> list[CommissionRate]:
    """The site's commission rates and channel contracts, in record order."""
    rows = Entry.objects.filter(project=project, kind="commission_rate").order_by("seq")
    return [f for f in (fact_from_dict(e.payload) for e in rows) if isinstance(f, CommissionRate)]


def approvals(project: Project) -> list[StatementApproved]:
    rows = Entry.objects.filter(project=project, kind="statement_approved").order_by("seq")
    return [f for f in (fact_from_dict(e.payload) for e in rows) if isinstance(f, StatementApproved)]


def earnings(project: Project, at: datetime, known: list[CommissionRate] | None = None) -> core.Earnings:
    """Everyone's earnings as the record says at ``at``."""
    found = known if known is not None else rates(project)
    live = engines.live_engine(project)
    with live.lock:
        engine = live.engine
        splits = engine.splits(at)
        penalties = engine.penalties_at(at)
        return core.earnings(splits, found, lambda t: engine.policy_at(t).settlement, penalties, at)


def payee_name(project: Project, payee: str, people: dict[str, str], firms: dict[str, str]) -> str:
    if payee in SPECIAL_PAYEES:
        return str(SPECIAL_PAYEES[payee])
    return people.get(payee) or firms.get(payee) or payee


@dataclass(frozen=True)
class Sheet:
    """A statement with the names a screen shows."""

    statement: core.Statement
    name: str
    kind: str  # 顾问, 渠道, 公司
    approved_by: str

    @property
    def state(self) -> str:
        st = self.statement
        if st.approval is not None:
            return "approved"
        if st.superseded_by is not None:
            return "carried"
        return "open"


def _kind(payee: str, firms: dict[str, str]) -> str:
    if payee in SPECIAL_PAYEES:
        return "company"
    return "channel" if payee in firms else "consultant"


def sheets(project: Project, period: Period, now: datetime | None = None) -> list[Sheet]:
    """Every payee's statement of the month: the approved ones as approved, the others as the
    record says now."""
    assert period.start is not None and period.end is not None
    now = now or timezone.now()
    known = rates(project)
    approved = approvals(project)
    found = earnings(project, now, known)
    people, firms = words.people_of(project), words.firms_of(project)
    out = []
    for payee in core.payees(found, approved, period.key, period.end):
        out.append(_sheet(project, payee, period, found, known, approved, people, firms))
    return sorted(out, key=lambda s: (s.kind != "consultant", s.kind, s.name))


def sheet(project: Project, payee: str, period: Period, now: datetime | None = None) -> Sheet:
    assert period.start is not None and period.end is not None
    known = rates(project)
    approved = approvals(project)
    found = earnings(project, now or timezone.now(), known)
    return _sheet(project, payee, period, found, known, approved, words.people_of(project), words.firms_of(project))


def _sheet(
    project: Project,
    payee: str,
    period: Period,
    found: core.Earnings,
    known: list[CommissionRate],
    approved: list[StatementApproved],
    people: dict[str, str],
    firms: dict[str, str],
) -> Sheet:
    assert period.start is not None and period.end is not None
    mine = next((a for a in approved if a.payee == payee and a.month == period.key), None)
    if mine is not None:  # as it read when approved: the record replayed to that moment
        found = earnings(project, mine.as_of, [r for r in known if r.at <= mine.as_of])
    st = core.statement(payee, period.key, period.start, period.end, found, approved)
    by = people.get(mine.by, mine.by) if mine is not None else ""
    return Sheet(st, payee_name(project, payee, people, firms), _kind(payee, firms), by)


def payees_known(project: Project) -> set[str]:
    """Who may have a statement: the site's people, its channel firms and the company's pots."""
    return set(words.people_of(project)) | set(words.firms_of(project)) | set(SPECIAL_PAYEES)


def total(sheets_: list[Sheet]) -> Decimal:
    return sum((s.statement.total for s in sheets_), Decimal(0))


def line_cells(project: Project, sheet_: Sheet) -> list[list[Any]]:
    """A statement's lines as the exports show them (Excel's cells, the PDF's columns): time,
    kind, deal, unit, stage, price, rate, share, amount, rule, what it says."""
    zone = words.site_zone(project)
    people = words.people_of(project)
    english = words.english()
    rows: list[list[Any]] = []
    for line in sheet_.statement.lines:
        e = line.earning
        rows.append(
            [
                line.at.astimezone(zone) if line.at else None,
                words.word(words.STATEMENT_LINE_KINDS, line.kind),
                e.facts[0] if e and e.stage != "fine" else "、".join(e.facts) if e else line.key.rsplit("/", 1)[0],
                e.unit if e else None,
                words.word(words.SETTLEMENT_STAGES, e.stage) if e else "",
                e.price if e else None,
                words.percent(e.rate * e.stage_share) if e and e.rate is not None and e.stage_share else "",
                words.percent(e.share) if e and e.share is not None else "",
                line.amount,
                e.rule if e else "",
                words.with_names(line.en, people) if english else line.zh,
            ]
        )
    return rows
