"""The state the engine keeps for one customer group (客户组), and calendar arithmetic.

A group is one customer party: a phone, and the relatives the policy counts as
one group. Its state is a projection of its own facts; it is rebuilt by replay
when two groups merge or a correction voids one of its facts.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Generic, TypeVar, overload
from zoneinfo import ZoneInfo

from guishu.core.events import Deal, Fact, QualificationCheck
from guishu.core.policy import Policy
from guishu.core.verdict import POOL, Owner, Reason, State

EMPTY: Mapping[Any, Any] = MappingProxyType({})
T = TypeVar("T")


def _empty() -> Mapping[Any, Any]:
    return EMPTY  # shared: written copy-on-write, never in place


def day_end(at: datetime, days: int, tz: ZoneInfo) -> datetime:
    """The exclusive end of the ``days``-th calendar day after ``at`` (inclusive counting).

    S8.10 "3日(含)": filed on day D, a claim on day D+3 still counts; the window
    closes at midnight starting D+4 in the site's time zone.
    """
    local: date = at.astimezone(tz).date() + timedelta(days=days + 1)
    return datetime.combine(local, time(0), tzinfo=tz)


class LocalDays:
    """day_end with memoised arithmetic: the engine's hot path asks it on every contact.

    The local date of an instant written in the site's own zone is its wall date. One
    written with a fixed offset (``+08:00`` as records are read from JSON, UTC as the
    service stores them) is looked up by its offset, wall date and hour: each such hour
    is one hour of UTC, whose local date is worked out once. Any other is converted.
    """

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self._hours: dict[tuple[timedelta, int, int], int | None] = {}
        self._ends: dict[tuple[int, int], datetime] = {}

    def ordinal(self, at: datetime) -> int:
        """The proleptic ordinal of ``at``'s local date (``date.toordinal``)."""
        zone = at.tzinfo
        if zone is self.tz:  # written in the site's own zone: its wall date is the local date
            return at.toordinal()
        offset = zone.utcoffset(None) if zone is not None else None  # None unless the offset is fixed
        if offset is not None:
            key = (offset, at.toordinal(), at.hour)
            if key in self._hours:
                found = self._hours[key]
            else:
                found = self._hours[key] = self._hour_ordinal(at, offset)
            if found is not None:
                return found
        return at.astimezone(self.tz).toordinal()

    def _hour_ordinal(self, at: datetime, offset: timedelta) -> int | None:
        """The local date of the whole wall hour of ``at`` (a fixed offset), if it has one.

        None when a local midnight falls inside that hour (offsets a half hour apart) or the
        site's offset changes inside it: then each instant is converted on its own.
        """
        start = datetime.combine(at.date(), time(at.hour), tzinfo=timezone(offset))
        first = start.astimezone(self.tz)
        last = (start + timedelta(hours=1, microseconds=-1)).astimezone(self.tz)
        if first.utcoffset() == last.utcoffset() and first.date() == last.date():
            return first.toordinal()
        return None

    def end(self, at: datetime, days: int) -> datetime:
        key = (self.ordinal(at), days)
        found = self._ends.get(key)
        if found is None:
            found = self._ends[key] = day_end(at, days, self.tz)
        return found


def same_local_day(a: datetime, b: datetime, tz: ZoneInfo) -> bool:
    return a.astimezone(tz).date() == b.astimezone(tz).date()


@dataclass(slots=True)
class PendingState:
    fact: str
    filer: str
    original: str | None
    deadline: datetime | None  # exclusive; None: until a claim or ruling (S14.3a)
    claims: tuple[tuple[str, str], ...] = ()  # (claim fact, claimant) awaiting verification


@dataclass(slots=True)
class Confirmation:
    """One valid hand-in at the confirmation desk (S18)."""

    fact: str
    consultant: str
    signed_at: datetime
    name: str | None
    company: str | None
    need: str | None
    until: datetime | None
    prefiled: bool = False


@dataclass(slots=True)
class Assisted:
    """A colleague received an owned customer for his consultant (S4.9, S10.8, S16.6)."""

    assistant: str
    owner: str
    at: datetime
    fact: str
    owner_status: str
    # the rotation chose him (S4.9, S7.4, S16.6): None where the record holds no queue then
    by_rotation: bool | None = None


@dataclass(slots=True)
class DealContext:
    """What the split of one deal depends on, captured when the deal is recorded."""

    deal: Deal
    policy: Policy
    owner: Owner
    channel: str | None
    assisted: tuple[Assisted, ...]
    closer_collided: bool | None  # None: the closer never registered this customer himself
    closer_asked: bool
    refused_original: str | None
    first_deposit: bool
    had_deposit_before: bool
    developer_excluded: bool
    raise_deadline: datetime | None
    name_owner: str | None  # S18.14
    same_day_assists: frozenset[str] = frozenset()  # S4.9b: assisted on the deal's own day
    # what happened to the deal after it (S9.1), each (when, fact id, ...): 退房, 换房, 回款
    refunded: tuple[datetime, str, str] | None = None  # (at, fact, reason)
    changes: tuple[tuple[datetime, str, str, Decimal | None], ...] = ()  # (at, fact, unit, amount)
    payments: tuple[tuple[datetime, str, str, Decimal | None], ...] = ()  # (at, fact, stage, amount)

    def unit_at(self, at: datetime) -> tuple[str | None, Decimal | None]:
        """The deal's unit and price as of ``at``: the latest unit change by then, or the deal's."""
        unit, amount = self.deal.unit, self.deal.amount
        for t, _fact, u, a in self.changes:
            if t <= at:
                unit, amount = u, a if a is not None else amount
        return unit, amount

    def refunded_by(self, at: datetime) -> bool:
        return self.refunded is not None and self.refunded[0] <= at


@dataclass(slots=True)
class RareState:
    """What few groups ever have (a pending confirmation, a channel, a dispute window ...).

    A site has hundreds of thousands of groups; these fields, each set in a few percent of
    them at most, live here, created by the first write of a value other than the default.
    """

    pending: PendingState | None = None
    refused: frozenset[str] = frozenset()
    refused_original: str | None = None
    awaiting_reassignment: bool = False
    assisted: tuple[Assisted, ...] = ()
    collided: Mapping[str, bool] = field(default_factory=_empty)
    asked: Mapping[str, bool] = field(default_factory=_empty)
    raises: tuple[tuple[str, datetime, str], ...] = ()
    open_window: DealContext | None = None
    # confirmation desk (S18)
    confirmations: tuple[Confirmation, ...] = ()
    developer_notice_at: datetime | None = None
    # S18.17: overturning appeals with their consequence: (owner, effective from, appeal at, id)
    appeals: tuple[tuple[str, datetime, datetime, str], ...] = ()
    # channel layer (S6)
    channel: Owner | None = None
    channel_since: datetime | None = None
    channel_until: datetime | None = None
    channel_locked: bool = False
    # 资格审核 (S2, S15.4): the customer's checks, in the record's order
    checks: tuple[QualificationCheck, ...] = ()


_DEFAULTS = RareState()  # what a group without rare state reads; never written


class _Rare(Generic[T]):
    """A GroupState attribute that lives in the group's RareState."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> _Rare[T]: ...
    @overload
    def __get__(self, obj: GroupState, objtype: type | None = None) -> T: ...
    def __get__(self, obj: GroupState | None, objtype: type | None = None) -> T | _Rare[T]:
        if obj is None:
            return self
        value: T = getattr(obj.rare or _DEFAULTS, self.name)
        return value

    def __set__(self, obj: GroupState, value: T) -> None:
        rare = obj.rare
        if rare is None:
            if value == getattr(_DEFAULTS, self.name):
                return  # e.g. ``pending = None`` on every change of owner: nothing to keep
            rare = obj.rare = RareState()
        setattr(rare, self.name, value)


@dataclass(slots=True)
class GroupState:
    id: str
    seq: int
    members: tuple[str, ...]
    facts: list[Fact] = field(default_factory=list)
    last_at: datetime | None = None
    # consultant (or pool) ownership
    owner: Owner = POOL
    state: State = "public"
    since: datetime | None = None
    basis: str | None = None
    last_contact: datetime | None = None
    protected_until: datetime | None = None
    current: tuple[Reason, ...] = ()
    history: tuple[Reason, ...] = ()
    # A site has hundreds of thousands of groups, so per-group containers are kept small:
    # consultants' first records as one flat tuple (who, when, who, when ...): most groups
    # have one, and a pair in a tuple is half of a tuple of pairs and a fifth of a dict;
    # the rare fields below live in RareState.
    records: tuple[str | datetime, ...] = ()
    has_visit: bool = False
    sms_from: tuple[str, ...] = ()  # consultants who sent the customer an SMS, first first
    deals: tuple[DealContext, ...] = ()
    has_deposit: bool = False
    locked: bool = False
    former_owner: str | None = None
    names: tuple[str, ...] = ()  # written names, for masked-phone disambiguation (S6.1)
    rare: RareState | None = None

    # kept in .rare, read and written as if they were fields here
    pending = _Rare[PendingState | None]()
    refused = _Rare[frozenset[str]]()
    refused_original = _Rare[str | None]()
    awaiting_reassignment = _Rare[bool]()
    assisted = _Rare[tuple[Assisted, ...]]()
    collided = _Rare[Mapping[str, bool]]()
    asked = _Rare[Mapping[str, bool]]()
    raises = _Rare[tuple[tuple[str, datetime, str], ...]]()
    open_window = _Rare[DealContext | None]()
    confirmations = _Rare[tuple[Confirmation, ...]]()
    developer_notice_at = _Rare[datetime | None]()
    appeals = _Rare[tuple[tuple[str, datetime, datetime, str], ...]]()
    channel = _Rare[Owner | None]()
    channel_since = _Rare[datetime | None]()
    channel_until = _Rare[datetime | None]()
    channel_locked = _Rare[bool]()
    checks = _Rare[tuple[QualificationCheck, ...]]()

    def __copy__(self) -> GroupState:
        """A copy a verdict may advance (a lapse, a deadline) without touching the live group."""
        twin = GroupState(self.id, self.seq, self.members)
        for name in _FIELDS:
            setattr(twin, name, getattr(self, name))
        if self.rare is not None:
            twin.rare = copy.copy(self.rare)
        return twin

    def set_owner(self, owner: Owner, at: datetime, state: State, reason: Reason, basis: str | None) -> None:
        self.owner = owner
        self.state = state
        self.since = at
        self.basis = basis
        self.current = (reason,)
        # a group's first reason: its history is the same one-reason tuple (one object, not two)
        self.history = (*self.history, reason) if self.history else self.current

    def record(self, consultant: str, at: datetime) -> None:
        """A consultant has a valid record of this customer (registration, follow-up, filing)."""
        if self.record_of(consultant) is None:
            self.records = (*self.records, consultant, at)

    def record_of(self, consultant: str) -> datetime | None:
        """When this consultant first had a valid record of the customer, if ever."""
        records = self.records
        for i in range(0, len(records), 2):
            if records[i] == consultant:
                at = records[i + 1]
                assert isinstance(at, datetime)
                return at
        return None

    def mark(self, field_name: str, key: str, value: object) -> None:
        """Set one entry of a rarely written map (collided, asked) copy-on-write."""
        current: Mapping[str, object] = getattr(self, field_name)
        setattr(self, field_name, {**current, key: value})

    def add_name(self, name: str) -> None:
        if name not in self.names:
            self.names = (*self.names, name)

    def note(self, reason: Reason) -> None:
        """A reason that explains the current state without changing the owner."""
        shared = self.history is self.current
        self.current = (*self.current, reason)
        self.history = self.current if shared else (*self.history, reason)


_FIELDS = tuple(f.name for f in fields(GroupState) if f.name != "rare")
