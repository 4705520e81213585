"""What the attribution answers: owners, states, reasons, invalid entries, penalties, splits.

Every answer carries the rule id it rests on, the fact ids behind it and a
sentence in Chinese and English. These shapes are the stable JSON of
``guishu attribute --json`` (docs/verdicts.md).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Literal

OwnerKind = Literal["consultant", "channel", "pool", "department"]
State = Literal["owned", "pending", "disputed", "public"]


@dataclass(frozen=True, slots=True)
class Owner:
    kind: OwnerKind
    id: str | None = None

    def label(self) -> str:
        if self.kind == "pool":
            return "公共资源"
        if self.kind == "department":
            return f"销售部({self.id})" if self.id else "销售部"
        return str(self.id)


POOL = Owner("pool")
DEPARTMENT = Owner("department")


@dataclass(frozen=True, slots=True)
class Reason:
    rule: str
    zh: str
    en: str
    facts: tuple[str, ...] = ()
    at: datetime | None = None

    def __post_init__(self) -> None:
        # A site's reasons repeat ("第一有效来访登记,归接待人 张三" for each of his customers): one
        # copy of each sentence is kept (the engine holds a reason or two per customer group).
        # Interned strings are freed with their last user, so nothing grows without bound.
        object.__setattr__(self, "zh", sys.intern(self.zh))
        object.__setattr__(self, "en", sys.intern(self.en))


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whose customer is this group, since when, until when, and why."""

    group: str
    members: tuple[str, ...]
    owner: Owner
    state: State
    since: datetime | None
    protected_until: datetime | None
    reasons: tuple[Reason, ...]
    channel: Owner | None = None
    channel_until: datetime | None = None
    candidate: str | None = None  # pending: who gets it if nobody claims
    deadline: datetime | None = None  # pending / dispute window deadline
    history: tuple[Reason, ...] = ()
    policy: str = ""


@dataclass(frozen=True, slots=True)
class Invalid:
    """A registration, report or hand-in that does not count, and why."""

    fact: str
    rule: str
    zh: str
    en: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CollisionRecord:
    """Two consultants on one customer: 撞单 (unknowing) or 抢单 (knowing, S14.2)."""

    group: str
    at: datetime
    owner: str
    other: str
    fact: str
    knowing: bool
    rule: str


@dataclass(frozen=True, slots=True)
class Penalty:
    staff: str
    amount: Decimal
    rule: str
    zh: str
    en: str
    facts: tuple[str, ...]
    at: datetime
    action: Literal["fine", "warning", "dismissal"] = "fine"  # a forfeit is the deal's split to `company`


@dataclass(frozen=True, slots=True)
class Split:
    """One deal's commission shares: exact Decimals summing to 1."""

    deal: str
    group: str
    at: datetime
    shares: tuple[tuple[str, Decimal], ...]
    rule: str
    zh: str
    en: str
    provisional_until: datetime | None = None
    channel: str | None = None
    awaiting: Literal["qualification", "signing"] | None = None  # S2 / S9 modules: not yet payable
    unit: str | None = None  # the unit and price as of the answer's moment (after any 换房)
    amount: Decimal | None = None
    refunded_at: datetime | None = None  # 退房: the split earns nothing from then (S9.1)
    paid: tuple[tuple[str, datetime, Decimal | None], ...] = ()  # 回款 stages by then (S9.1)
    type: Literal["deposit", "subscription", "signing"] | None = None  # the deal's
    # the purchase it belongs to: the id of the group's first deal of the same recorded unit (the
    # deposit, subscription and signing of one flat), or its own id when it names no unit
    purchase: str | None = None
    unit_type: str | None = None  # 业态, as the deal recorded it
    closer: str | None = None  # who closed the deal (any remainder of a rounded split is his)

    @property
    def payable(self) -> bool:
        """Earns its shares: not refunded, and nothing it still waits for."""
        return self.refunded_at is None and self.awaiting is None

    def share_of(self, who: str) -> Decimal:
        return sum((s for w, s in self.shares if w == who), Decimal(0))


@dataclass(frozen=True, slots=True)
class Chase:
    """催办 (S13): something that lapses soon unless someone acts."""

    group: str
    who: str | None
    due: datetime
    rule: str
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class ReportAnswer:
    """What a channel agent is told about his report at once (S6.1-S6.5)."""

    report: str
    status: Literal["accepted", "duplicate", "already_customer", "ambiguous", "invalid"]
    valid_until: datetime | None
    # the sentences; an accepted report's are made from valid_until when read (a site keeps
    # an answer per report, and these two are the largest part of it)
    given_zh: str = ""
    given_en: str = ""
    earlier: str | None = None

    @property
    def zh(self) -> str:
        if self.status == "accepted" and self.valid_until is not None:
            return f"报备成功,有效期至 {self.valid_until:%Y-%m-%d %H:%M} (S6.3)"
        return self.given_zh

    @property
    def en(self) -> str:
        if self.status == "accepted" and self.valid_until is not None:
            return f"accepted; valid until {self.valid_until:%Y-%m-%d %H:%M}"
        return self.given_en


@dataclass(slots=True)
class Attribution:
    """The whole answer for a record at one moment."""

    at: datetime
    policy: str
    verdicts: list[Verdict] = field(default_factory=list)
    invalid: list[Invalid] = field(default_factory=list)
    collisions: list[CollisionRecord] = field(default_factory=list)
    penalties: list[Penalty] = field(default_factory=list)
    splits: list[Split] = field(default_factory=list)
    reports: list[ReportAnswer] = field(default_factory=list)
    chases: list[Chase] = field(default_factory=list)

    def verdict_for(self, phone: str) -> Verdict | None:
        for v in self.verdicts:
            if phone in v.members:
                return v
        return None
