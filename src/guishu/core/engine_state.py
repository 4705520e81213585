"""The engine's state and the ownership helpers every fact handler shares."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from guishu.core import channels as ch
from guishu.core import few
from guishu.core.groups import Confirmation, GroupState, LocalDays
from guishu.core.penalties import PenaltyBook
from guishu.core.policy import Policy, in_force
from guishu.core.rotation import Rotation
from guishu.core.rotation_view import RotationView
from guishu.core.staff import Staff
from guishu.core.verdict import POOL, CollisionRecord, Invalid, Owner, Reason


def group_id(phone: str) -> str:
    return "G" + hashlib.sha256(phone.encode()).hexdigest()[:12]


class EngineState:
    """Everything the engine knows, indexed for one-group-at-a-time updates."""

    def __init__(
        self,
        policy: Policy,
        *,
        catalogue: Mapping[str, Policy] | None = None,
        follow_policy_changes: bool = True,
        rotation: RotationView | None = None,
    ) -> None:
        self._policies: list[tuple[datetime | None, Policy]] = [(None, policy)]
        self.catalogue = dict(catalogue or {})
        self.follow_policy_changes = follow_policy_changes
        self.tz = ZoneInfo(policy.timezone)
        self.days = LocalDays(self.tz)
        self.staff = Staff()
        # the reception queue replayed from the record's queue facts (core.rotation); the view a
        # caller gives instead answers for the stand-in rules (tests, what-if)
        self.queue = Rotation(self.tz, self._policies, self.staff)
        self.rotation: RotationView = rotation or self.queue
        self.groups: dict[str, GroupState] = {}
        self.by_phone: dict[str, GroupState] = {}
        self.by_tail: dict[str, few.Few[str]] = {}  # last five digits -> phone(s)
        self.amended: set[str] = set()  # hand-ins replaced by a later amendment (S18.6)
        self._viewing = False  # True while a verdict advances a copy: indexes must not change
        # S18.11 (name, need) -> group id, and each group's keys: a merge moves only its own
        self.by_name: dict[tuple[str, str], str] = {}
        self.name_keys: dict[str, list[tuple[str, str]]] = {}
        self.owned_by: dict[str, set[str]] = {}
        self._consultants: dict[str, Owner] = {}
        self.pending_index: dict[str, str] = {}
        self.order: dict[str, int] = {}
        self.invalid: dict[str, Invalid] = {}
        self.collisions: dict[str, CollisionRecord] = {}
        self.penalties = PenaltyBook()
        self.book = ch.ChannelBook()
        self.milestones: dict[str, datetime] = {}
        self.signings: dict[str, list[datetime]] = {}
        self.voided: set[str] = set()
        self.clock: datetime | None = None
        self._seq = 0

    @property
    def policy(self) -> Policy:
        return self._policies[-1][1]

    def policy_at(self, at: datetime) -> Policy:
        return in_force(self._policies, at)

    def _group(self, phone: str) -> GroupState:
        g = self.by_phone.get(phone)
        if g is None:
            self._seq += 1
            g = GroupState(id=group_id(phone), seq=self._seq, members=(phone,))
            self.groups[g.id] = g
            self.by_phone[phone] = g
            few.add(self.by_tail, phone[-5:], phone)  # masked-phone lookups (phones_ending)
        return g

    def phones_ending(self, digits: str) -> list[str]:
        """Known phones ending in ``digits``: a mask shows at least the last 4, S6.1's form the last 5.

        One index on the last five digits serves both: four digits are ten of its keys.
        """
        if len(digits) >= 5:
            return [p for p in few.each(self.by_tail.get(digits[-5:])) if p.endswith(digits)]
        if len(digits) < 4:
            return []
        return [p for d in "0123456789" for p in few.each(self.by_tail.get(d + digits))]

    def _unindex(self, g: GroupState) -> None:
        if self._viewing:
            return
        if g.owner.kind == "consultant" and g.owner.id is not None:
            self.owned_by.get(g.owner.id, set()).discard(g.id)

    def _own(self, g: GroupState, who: str, at: datetime, reason: Reason, basis: str) -> None:
        self._unindex(g)
        owner = self._consultants.get(who)
        if owner is None:  # one Owner per consultant, shared by all his groups
            owner = self._consultants[who] = Owner("consultant", who)
        g.set_owner(owner, at, "owned", reason, basis)
        if not self._viewing:
            self.owned_by.setdefault(who, set()).add(g.id)
        rare = g.rare
        if rare is not None:  # (g.pending = None through the descriptor costs a call per owner change)
            rare.pending = None
            rare.awaiting_reassignment = False
        self._touch(g, at, self.policy_at(at))

    def _touch(self, g: GroupState, at: datetime, p: Policy) -> None:
        """The owner contacted the customer: restart the follow-up cycle (S8.11, S11.4)."""
        g.last_contact = at
        if p.protection.basis == "follow_up" and p.protection.days is not None:
            g.protected_until = self.days.end(at, p.protection.days)
        elif p.protection.basis == "none":
            g.protected_until = None

    def _release(self, g: GroupState, at: datetime, reason: Reason) -> None:
        self._unindex(g)
        g.set_owner(POOL, at, "public", reason, None)
        g.protected_until = None

    def _who(self, staff: str | None) -> str:
        """A person's display name for reasons: 张三 rather than zhangsan."""
        return self.staff.name(staff) if staff else ""

    def _conf_until(self, c: Confirmation, p: Policy) -> datetime | None:
        """S18.21: 10 days; before the internal subscription opens, until 10 days after it opens."""
        opened = self.milestones.get("internal_subscription_opened")
        if p.handins.prelaunch and p.protection.days is not None and (opened is None or c.signed_at < opened):
            return None if opened is None else opened + timedelta(days=p.protection.days)
        return c.until
