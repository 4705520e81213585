"""Small builders for records: named people, a moving clock, one method per fact kind.

    r = Record()                       # starts 2026-03-02 10:00 Asia/Shanghai
    r.visit("zhangsan", PHONE_A)       # 张三 registers a visit
    r.later(days=2).visit("lisi", PHONE_A)
    assert r.owner("s8", PHONE_A) == "zhangsan"

Consultants: zhangsan 张三, lisi 李四, zhouqi 周七 (team A/B); agent wangwu 王五 of
channel "hx" 华信; manager zhaoliu 赵六; clerk sunba 孙八; marketing manager qianjiu 钱九.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from guishu.core.attribution import Attributor, decide
from guishu.core.events import (
    Answers,
    Appeal,
    Assistant,
    ChannelReport,
    Claim,
    ClaimVerified,
    Companion,
    Complaint,
    Correction,
    Customer,
    Deal,
    DealRefunded,
    DeveloperNotice,
    DisputeRaised,
    Duty,
    Fact,
    FollowUp,
    GroupList,
    GroupListEntry,
    HandIn,
    Milestone,
    PaymentMilestone,
    PendingConfirmation,
    PolicyChanged,
    PreFiling,
    QualificationCheck,
    Registration,
    Relationship,
    Ruling,
    Signoff,
    StaffJoined,
    StaffLeft,
    UnitChanged,
    VisitConfirmation,
)
from guishu.core.identity import normalise_phone
from guishu.core.policy import Policy
from guishu.core.verdict import Attribution, Verdict
from guishu.policies import load_preset, presets

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 3, 2, 10, 0, tzinfo=TZ)  # a Monday

PHONE_A = "+8613800000001"
PHONE_B = "+8613800000002"
PHONE_C = "+8613800000003"
PHONE_D = "+8613900000004"

STAFF = {
    "zhangsan": ("张三", "consultant", "A"),
    "lisi": ("李四", "consultant", "A"),
    "zhouqi": ("周七", "consultant", "B"),
    "wuyi": ("吴一", "consultant", "B"),
    "zhaoliu": ("赵六", "manager", None),
    "sunba": ("孙八", "clerk", None),
    "qianjiu": ("钱九", "marketing_manager", None),
}


def at(day: int, hour: int = 0, minute: int = 0, month: int = 3) -> datetime:
    """A moment in 2026 (March unless told), site time."""
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


class Record:
    """A record under construction with a clock that only moves forward."""

    def __init__(self, start: datetime = START, *, staff: bool = True) -> None:
        self.facts: list[Fact] = []
        self.now = start
        self._n = 0
        if staff:
            for sid, (name, role, team) in STAFF.items():
                self.add(StaffJoined, staff=sid, name=name, role=role, team=team)
            self.add(StaffJoined, staff="wangwu", name="王五", role="agent", channel="hx")
            self.add(StaffJoined, staff="chenshi", name="陈十", role="agent", channel="jy")

    # -- clock
    def later(self, days: float = 0, hours: float = 0, minutes: float = 0) -> Record:
        self.now = self.now + timedelta(days=days, hours=hours, minutes=minutes)
        return self

    def on(self, day: int, hour: int = 10, minute: int = 0, month: int = 3) -> Record:
        when = datetime(2026, month, day, hour, minute, tzinfo=TZ)
        assert when >= self.now, "the clock only moves forward"
        self.now = when
        return self

    # -- generic
    def add(self, kind: type[Any], **fields: Any) -> Any:
        self._n += 1
        fields.setdefault("id", f"f{self._n}")
        fields.setdefault("at", self.now)
        fact = kind(**fields)
        self.facts.append(fact)
        return fact

    # -- customers
    def register(
        self,
        mode: str,
        consultant: str,
        phone: str | None,
        name: str | None = "王建国",
        gender: str | None = "M",
        *,
        named: str | None = None,
        first_visit: bool | None = None,
        called_before: bool | None = None,
        family_visited: bool | None = None,
        sms_from: str | None = None,
        asked: bool | None = None,
        knows_consultant: bool | None = None,
        intent: str | None = "三居",
        source: str | None = "路过",
        companions: tuple[Companion, ...] = (),
        phone_raw: str | None = None,
        **kw: Any,
    ) -> Registration:
        customer = Customer(name=name, gender=gender, phone=phone, intent=intent, source=source, phone_raw=phone_raw)
        answers = Answers(
            first_visit=first_visit,
            called_before=called_before,
            family_visited=family_visited,
            named_consultant=named,
            sms_from=sms_from,
            asked=asked,
            knows_consultant=knows_consultant,
        )
        result: Registration = self.add(
            Registration,
            mode=mode,
            consultant=consultant,
            customer=customer,
            answers=answers,
            companions=companions,
            **kw,
        )
        return result

    def visit(self, consultant: str, phone: str | None, name: str | None = "王建国", **kw: Any) -> Registration:
        return self.register("visit", consultant, phone, name, **kw)

    def call(self, consultant: str, phone: str | None, name: str | None = "王建国", **kw: Any) -> Registration:
        return self.register("call", consultant, phone, name, **kw)

    def follow_up(self, consultant: str, phone: str, method: str = "call") -> FollowUp:
        return self.add(FollowUp, consultant=consultant, phone=phone, method=method)

    def relate(self, a: str, b: str, relation: str) -> Relationship:
        return self.add(Relationship, phone_a=a, phone_b=b, relation=relation)

    def pending(self, consultant: str, phone: str) -> PendingConfirmation:
        return self.add(PendingConfirmation, consultant=consultant, phone=phone)

    def claim(self, pending: PendingConfirmation, consultant: str, verified: bool = True) -> Claim:
        return self.add(Claim, pending=pending.id, consultant=consultant, verified=verified)

    def verify_claim(self, claim: Claim, by: str = "sunba", approved: bool = True) -> ClaimVerified:
        return self.add(ClaimVerified, pending=claim.pending, claim=claim.id, by=by, approved=approved)

    def complaint(self, phone: str, against: str, approved_by: str | None = "zhaoliu", **kw: Any) -> Complaint:
        return self.add(Complaint, phone=phone, against=against, approved_by=approved_by, **kw)

    def ruling(
        self, phone: str, owner: str | None, rule: str = "S18.15", reason: str = "经理裁定", **kw: Any
    ) -> Ruling:
        return self.add(Ruling, phone=phone, owner=owner, by="zhaoliu", rule=rule, reason=reason, **kw)

    def dispute(self, phone: str, consultant: str, against: str | None = None) -> DisputeRaised:
        return self.add(DisputeRaised, phone=phone, consultant=consultant, against=against)

    def appeal(self, phone: str, appellant: str, outcome: str, responsible: tuple[str, ...] = (), **kw: Any) -> Appeal:
        return self.add(Appeal, phone=phone, appellant=appellant, outcome=outcome, responsible=responsible, **kw)

    def duty(self, staff: str, status: str, until: datetime | None = None) -> Duty:
        return self.add(Duty, staff=staff, status=status, until=until)

    def leave(self, staff: str) -> StaffLeft:
        return self.add(StaffLeft, staff=staff)

    def deal(
        self, phone: str, closer: str, type: str = "deposit", *, assistants: tuple[Assistant, ...] = (), **kw: Any
    ) -> Deal:
        kw.setdefault("amount", Decimal("20000"))
        return self.add(Deal, type=type, phone=phone, closer=closer, assistants=assistants, **kw)

    def refund(self, deal: Deal, by: str = "zhaoliu", reason: str = "贷款未批") -> DealRefunded:
        return self.add(DealRefunded, phone=deal.phone, deal=deal.id, by=by, reason=reason)

    def change_unit(self, deal: Deal, unit: str, amount: str | None = None, by: str = "sunba") -> UnitChanged:
        price = None if amount is None else Decimal(amount)
        return self.add(UnitChanged, phone=deal.phone, deal=deal.id, unit=unit, amount=price, by=by)

    def pay(self, deal: Deal, stage: str, amount: str | None = None) -> PaymentMilestone:
        price = None if amount is None else Decimal(amount)
        return self.add(PaymentMilestone, phone=deal.phone, deal=deal.id, stage=stage, amount=price)

    def check(self, phone: str, item: str, passed: bool = True, by: str = "sunba") -> QualificationCheck:
        return self.add(QualificationCheck, phone=phone, item=item, passed=passed, by=by)

    def correct(self, target: Fact, by: str = "zhaoliu", reason: str = "录入错误") -> Correction:
        return self.add(Correction, target=target.id, by=by, reason=reason)

    def policy_change(self, policy: str, effective_at: datetime) -> PolicyChanged:
        return self.add(PolicyChanged, policy=policy, effective_at=effective_at)

    # -- channels
    def report(
        self, phone: str, name: str = "王建国", gender: str | None = "M", channel: str = "hx", agent: str = "wangwu"
    ) -> ChannelReport:
        return self.add(ChannelReport, channel=channel, agent=agent, name=name, gender=gender, phone=phone)

    def group_list(
        self, entries: list[tuple[str | None, str | None]], channel: str = "hx", agent: str = "wangwu"
    ) -> GroupList:
        return self.add(
            GroupList, channel=channel, agent=agent, entries=tuple(GroupListEntry(name=n, phone=p) for n, p in entries)
        )

    def confirm_visit(
        self,
        phone: str,
        name: str = "王建国",
        gender: str = "M",
        *,
        channel: str | None = "hx",
        agent: str | None = "wangwu",
        shown: str | None = None,
        signoffs: tuple[str, ...] = ("agent", "clerk", "marketing_manager"),
        **kw: Any,
    ) -> VisitConfirmation:
        who = {"agent": agent or "wangwu", "clerk": "sunba", "marketing_manager": "qianjiu"}
        digits = phone[3:]
        return self.add(
            VisitConfirmation,
            name=name,
            gender=gender,
            phone=phone,
            phone_shown=shown or f"{digits[:4]}**{digits[-5:]}",
            entry_at=self.now,
            channel=channel,
            agent=agent,
            signoffs=tuple(Signoff(role=r, staff=who[r]) for r in signoffs),
            **kw,
        )

    # -- confirmation desk
    def handin(
        self,
        consultant: str,
        phone: str | None,
        name: str | None = "王建国",
        *,
        need: str | None = "三居",
        customer_no: str | None = None,
        **kw: Any,
    ) -> HandIn:
        self._n += 0
        kw.setdefault("signed_at", self.now)
        return self.add(
            HandIn,
            consultant=consultant,
            phone=phone,
            name=name,
            need=need,
            customer_no=customer_no or f"C{self._n + 1:04d}",
            confirmer="sunba",
            **kw,
        )

    def prefile(self, consultant: str, phone: str, name: str = "王建国") -> PreFiling:
        return self.add(PreFiling, consultant=consultant, phone=phone, name=name)

    def developer_notice(self, phone: str) -> DeveloperNotice:
        return self.add(DeveloperNotice, phone=phone)

    def milestone(self, name: str = "internal_subscription_opened") -> Milestone:
        return self.add(Milestone, name=name)

    # -- answers
    def decide(self, policy: str | Policy, at: datetime | None = None) -> Attribution:
        p = load_preset(policy) if isinstance(policy, str) else policy
        return decide(self.facts, p, at=at, catalogue=presets())

    def engine(self, policy: str | Policy) -> Attributor:
        p = load_preset(policy) if isinstance(policy, str) else policy
        engine = Attributor(p, catalogue=presets())
        engine.apply_all(self.facts)
        return engine

    def verdict(self, policy: str | Policy, phone: str, at: datetime | None = None) -> Verdict:
        v = self.decide(policy, at).verdict_for(phone)
        assert v is not None, f"no group for {phone}"
        return v

    def owner(self, policy: str | Policy, phone: str, at: datetime | None = None) -> str | None:
        """The owner's id (consultant or channel), or None when the customer is public."""
        v = self.verdict(policy, phone, at)
        return v.owner.id if v.owner.kind in ("consultant", "channel") else None


def phone(raw: str) -> str:
    return normalise_phone(raw)


def customer_phones(facts: Sequence[Fact]) -> set[str]:
    """Every customer phone the facts name, each of which routes to exactly one group.

    A channel's report is not one: it is the channel's claim, kept in the channel book, and the
    customer becomes the site's when he visits (S6.2)."""
    out: set[str] = set()
    for f in facts:
        if isinstance(f, ChannelReport):
            continue
        for name in ("phone", "phone_a", "phone_b"):
            value = getattr(f, name, None)
            if isinstance(value, str):
                out.add(value)
        if isinstance(f, Registration) and f.customer.phone:
            out.add(f.customer.phone)
    return out


def rules_of(att: Attribution, phone_: str) -> set[str]:
    v = att.verdict_for(phone_)
    assert v is not None
    return {r.rule for r in v.reasons}


def invalid_rules(att: Attribution) -> dict[str, str]:
    return {i.fact: i.rule for i in att.invalid}


def split_of(att: Attribution, deal: Deal) -> dict[str, Decimal]:
    for s in att.splits:
        if s.deal == deal.id:
            return dict(s.shares)
    raise AssertionError(f"no split for {deal.id}")


def split_rule(att: Attribution, deal: Deal) -> str:
    return next(s.rule for s in att.splits if s.deal == deal.id)


def penalties_of(att: Attribution, staff: str) -> list[tuple[str, Decimal, str]]:
    return [(p.rule, p.amount, p.action) for p in att.penalties if p.staff == staff]
