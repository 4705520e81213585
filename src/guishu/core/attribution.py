"""decide(): whose customer is this, since when, until when, and why.

``Attributor`` applies facts one at a time; each fact touches only its own
customer group, so the web service can call ``apply`` on every registration.
``decide`` replays a record up to a moment. A verdict at ``t`` depends only on
facts up to ``t``: time-driven changes (a lapsed protection, an unclaimed
pending confirmation) are computed lazily from deadlines, never from a clock.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from guishu.core import channels as ch
from guishu.core import handins
from guishu.core.commission import split_deal
from guishu.core.events import (
    Appeal, ChannelJoined, ChannelReport, Claim, Complaint, Correction, Deal, DeveloperNotice,
    DisputeRaised, Duty, Fact, FollowUp, GroupList, HandIn, Milestone, PendingConfirmation,
    PolicyChanged, PreFiling, Registration, Relationship, Ruling, StaffJoined, StaffLeft,
    VisitConfirmation,
)
from guishu.core.groups import (
    Assisted, Confirmation, DealContext, GroupState, PendingState, day_end, same_local_day,
)
from guishu.core.identity import joins_group, match_names, national_digits, normalise_name
from guishu.core.penalties import aggregate_penalties
from guishu.core.policy import Policy
from guishu.core.registration_rules import registration_problems, registration_fines
from guishu.core.staff import AWAY, CORRECTORS, Staff
from guishu.core.verdict import (
    DEPARTMENT, POOL, Attribution, CollisionRecord, Invalid, Owner, Penalty, Reason, Split,
    Verdict,
)


class RecordError(ValueError):
    """The record itself is inconsistent (a duplicate fact id)."""


def group_id(phone: str) -> str:
    return "G" + hashlib.sha256(phone.encode()).hexdigest()[:12]


class Attributor:
    """The attribution engine over one site's record."""

    def __init__(
        self,
        policy: Policy,
        *,
        catalogue: Mapping[str, Policy] | None = None,
        follow_policy_changes: bool = True,
    ) -> None:
        self._policies: list[tuple[datetime | None, Policy]] = [(None, policy)]
        self.catalogue = dict(catalogue or {})
        self.follow_policy_changes = follow_policy_changes
        self.tz = ZoneInfo(policy.timezone)
        self.staff = Staff()
        self.groups: dict[str, GroupState] = {}
        self.by_phone: dict[str, GroupState] = {}
        self.by_name: dict[tuple[str, str], GroupState] = {}
        self.owned_by: dict[str, set[str]] = {}
        self.pending_index: dict[str, str] = {}
        self.fact_group: dict[str, str] = {}
        self.order: dict[str, int] = {}
        self.invalid: dict[str, Invalid] = {}
        self.collisions: dict[str, CollisionRecord] = {}
        self.penalties: dict[tuple[str, str], Penalty] = {}
        self.book = ch.ChannelBook()
        self.milestones: dict[str, datetime] = {}
        self.signings: dict[str, list[datetime]] = {}
        self.voided: set[str] = set()
        self.clock: datetime | None = None
        self._seq = 0
        self._routes: dict[type[Any], Callable[[Any], list[GroupState]]] = {
            Registration: self._route_registration,
            Relationship: self._route_relationship,
            HandIn: self._route_handin,
            Claim: self._route_claim,
            VisitConfirmation: self._route_phone,
            FollowUp: self._route_follow_up,
            PendingConfirmation: self._route_phone,
            DisputeRaised: self._route_phone,
            Complaint: self._route_phone,
            Ruling: self._route_phone,
            Appeal: self._route_phone,
            PreFiling: self._route_phone,
            DeveloperNotice: self._route_phone,
            Deal: self._route_phone,
            StaffLeft: self._route_staff_left,
        }
        self._effects: dict[type[Any], Callable[[GroupState, Any], None]] = {
            Registration: self._registration,
            Relationship: self._relationship,
            HandIn: self._handin,
            Claim: self._claim,
            VisitConfirmation: self._visit_confirmation,
            FollowUp: self._follow_up,
            PendingConfirmation: self._pending,
            DisputeRaised: self._dispute,
            Complaint: self._complaint,
            Ruling: self._ruling,
            Appeal: self._appeal,
            PreFiling: self._prefiling,
            DeveloperNotice: self._developer_notice,
            Deal: self._deal,
            StaffLeft: self._staff_left,
        }
        self._globals: dict[type[Any], Callable[[Any], None]] = {
            StaffJoined: self.staff.join,
            StaffLeft: self.staff.leave,
            Duty: self.staff.duty,
            ChannelJoined: lambda f: None,
            ChannelReport: self._report,
            GroupList: self._group_list,
            Milestone: self._milestone,
            PolicyChanged: self._policy_changed,
            Correction: self._correction,
            FollowUp: self.book.follow_up,
        }

    # ------------------------------------------------------------------ applying facts

    @property
    def policy(self) -> Policy:
        return self._policies[-1][1]

    def policy_at(self, at: datetime) -> Policy:
        if len(self._policies) == 1:
            return self._policies[0][1]
        for start, policy in reversed(self._policies):
            if start is None or start <= at:
                return policy
        return self._policies[0][1]

    def apply(self, f: Fact) -> list[str]:
        """Apply one fact; returns the ids of the groups it touched."""
        if f.id in self.order:
            raise RecordError(f"重复的事实编号 {f.id} / duplicate fact id {f.id}")
        self.order[f.id] = len(self.order)
        if self.clock is None or f.at > self.clock:
            self.clock = f.at
        handler = self._globals.get(type(f))
        if handler is not None:
            handler(f)
        route = self._routes.get(type(f))
        if route is None:
            return []
        touched = route(f)
        effect = self._effects[type(f)]
        for g in touched:
            g.facts.append(f)
            self.fact_group[f.id] = g.id
            if g.last_at is not None and f.at < g.last_at:
                self._replay(g)  # a late fact: rebuild the group in time order
                continue
            g.last_at = f.at
            self._advance(g, f.at)
            effect(g, f)
        return [g.id for g in touched]

    def apply_all(self, facts: Iterable[Fact]) -> None:
        for f in facts:
            self.apply(f)

    # ------------------------------------------------------------------ groups

    def _group(self, phone: str) -> GroupState:
        g = self.by_phone.get(phone)
        if g is None:
            self._seq += 1
            g = GroupState(id=group_id(phone), seq=self._seq, members=[phone])
            self.groups[g.id] = g
            self.by_phone[phone] = g
        return g

    def _merge(self, a: GroupState, b: GroupState) -> GroupState:
        if a is b:
            return a
        keep, gone = (a, b) if a.seq < b.seq else (b, a)
        for phone in gone.members:
            self.by_phone[phone] = keep
        keep.members.extend(gone.members)
        keep.facts.extend(gone.facts)
        for f in gone.facts:
            self.fact_group[f.id] = keep.id
        for key, g in list(self.by_name.items()):
            if g is gone:
                self.by_name[key] = keep
        del self.groups[gone.id]
        self._unindex(gone)
        return self._replay(keep)

    def _unindex(self, g: GroupState) -> None:
        if g.owner.kind == "consultant" and g.owner.id is not None:
            self.owned_by.get(g.owner.id, set()).discard(g.id)

    def _replay(self, g: GroupState) -> GroupState:
        """Rebuild one group from its own facts, in time order."""
        facts = sorted(g.facts, key=lambda f: (f.at, self.order[f.id]))
        for f in facts:
            self.invalid.pop(f.id, None)
            self.collisions.pop(f.id, None)
            for key in [k for k in self.penalties if k[0] == f.id]:
                del self.penalties[key]
        self._unindex(g)
        fresh = GroupState(id=g.id, seq=g.seq, members=g.members, facts=facts)
        self.groups[g.id] = fresh
        for phone in fresh.members:
            self.by_phone[phone] = fresh
        for key, other in list(self.by_name.items()):
            if other is g:
                self.by_name[key] = fresh
        for f in facts:
            if f.id in self.voided:
                continue
            fresh.last_at = f.at
            self._advance(fresh, f.at)
            self._effects[type(f)](fresh, f)
        return fresh

    # ------------------------------------------------------------------ routes

    def _route_phone(self, f: Any) -> list[GroupState]:
        return [self._group(f.phone)]

    def _route_follow_up(self, f: FollowUp) -> list[GroupState]:
        return [self._group(f.phone)] if f.phone else []

    def _route_claim(self, f: Claim) -> list[GroupState]:
        gid = self.pending_index.get(f.pending)
        if gid is None or gid not in self.groups:
            self.invalid[f.id] = Invalid(f.id, self.policy.pending.rule, "认领的待确认登记不存在",
                                         "no such pending confirmation", ("pending",))
            return []
        return [self.groups[gid]]

    def _route_registration(self, f: Registration) -> list[GroupState]:
        phone = f.customer.phone
        if phone is None:
            p = self.policy_at(f.at)
            self.invalid[f.id] = Invalid(
                f.id, p.validity.visit_rule if f.mode == "visit" else p.validity.call_rule,
                "未留客户本人有效联系方式,登记无效" + (f"({f.customer.phone_raw})" if f.customer.phone_raw else ""),
                "no valid contact phone of the customer: invalid", ("customer.phone",))
            return []
        g = self._group(phone)
        relations = self.policy_at(f.at).group.relations
        for c in f.companions:
            if c.phone and joins_group(c.relation, relations):
                g = self._merge(g, self._group(c.phone))
        return [g]

    def _route_relationship(self, f: Relationship) -> list[GroupState]:
        a, b = self._group(f.phone_a), self._group(f.phone_b)
        if joins_group(f.relation, self.policy_at(f.at).group.relations):
            return [self._merge(a, b)]
        return [a]

    def _route_handin(self, f: HandIn) -> list[GroupState]:
        p = self.policy_at(f.at)
        g: GroupState | None = self._group(f.phone) if f.phone else None
        if p.group.same_name_same_need and (f.company or f.name):
            # S18.11: same need and same name (or contact) is the same customer
            key = (normalise_name(f.company or f.name or ""), normalise_name(f.need or ""))
            other = self.by_name.get(key)
            if other is not None and other.id in self.groups:
                g = other if g is None else self._merge(other, g)
            elif g is not None:
                self.by_name[key] = g
        if g is None:
            return []
        for m in f.members:
            if m.phone and joins_group(m.relation, p.group.relations):
                g = self._merge(g, self._group(m.phone))
        return [g]

    def _route_staff_left(self, f: StaffLeft) -> list[GroupState]:
        return [self.groups[gid] for gid in sorted(self.owned_by.get(f.staff, ())) if gid in self.groups]

    # ------------------------------------------------------------------ ownership helpers

    def _own(self, g: GroupState, who: str, at: datetime, reason: Reason, basis: str) -> None:
        self._unindex(g)
        g.set_owner(Owner("consultant", who), at, "owned", reason, basis)
        self.owned_by.setdefault(who, set()).add(g.id)
        g.pending = None
        g.awaiting_reassignment = False
        self._touch(g, at, self.policy_at(at))

    def _touch(self, g: GroupState, at: datetime, p: Policy) -> None:
        """The owner contacted the customer: restart the follow-up cycle (S8.11, S11.4)."""
        g.last_contact = at
        if p.protection.basis == "follow_up" and p.protection.days is not None:
            g.protected_until = day_end(at, p.protection.days, self.tz)
        elif p.protection.basis == "none":
            g.protected_until = None

    def _release(self, g: GroupState, at: datetime, reason: Reason) -> None:
        self._unindex(g)
        g.set_owner(POOL, at, "public", reason, None)
        g.protected_until = None

    def _advance(self, g: GroupState, t: datetime) -> None:
        """Apply the time-driven changes due by ``t``, earliest first."""
        while True:
            due: list[tuple[datetime, str]] = []
            if g.pending is not None and g.pending.deadline is not None and t >= g.pending.deadline:
                due.append((g.pending.deadline, "pending"))
            if (g.owner.kind == "consultant" and g.protected_until is not None and not g.locked
                    and t >= g.protected_until):
                due.append((g.protected_until, "lapse"))
            w = g.open_window
            if w is not None and w.raise_deadline is not None and t >= w.raise_deadline:
                due.append((w.raise_deadline, "window"))
            if (g.channel is not None and g.channel_until is not None and not g.channel_locked
                    and t >= g.channel_until):
                due.append((g.channel_until, "channel"))
            if not due:
                return
            when, what = min(due)
            p = self.policy_at(when)
            if what == "pending":
                assert g.pending is not None
                filer = g.pending.filer
                self._own(g, filer, when, Reason(
                    p.pending.rule, f"待确认登记{p.pending.claim_days}日(含)内无人认领,归登记人 {filer}",
                    f"unclaimed within {p.pending.claim_days} days: the filing consultant's",
                    (g.pending.fact,), when), "pending")
            elif what == "lapse":
                g.former_owner = g.owner.id
                for_days = p.protection.days
                if p.protection.basis == "confirmation":
                    g.confirmations = tuple(c for c in g.confirmations
                                            if c.until is None or c.until > when)
                self._release(g, when, Reason(
                    p.protection.rule,
                    f"{g.former_owner} 超过{for_days}日未跟进/未再次确认,保护失效,视为新客户",
                    f"no contact or re-confirmation within {for_days} days: protection lapsed",
                    (), when))
            elif what == "window":
                assert w is not None
                g.open_window = None
                self._own(g, w.deal.closer, when, Reason(
                    "S18.13", "成交后三日内原确认人未提出,归成交人员",
                    "not raised within 3 days of the deal: the closer's", (w.deal.id,), when), "deal")
                g.locked = True
            else:
                g.note(Reason("S6.7",
                              f"渠道 {g.channel.id if g.channel else ''} 到访确认已过{p.channel.visit_days}天有效期",
                              "the channel's visit confirmation expired", (), when))
                g.channel = None
                g.channel_until = None

    # ------------------------------------------------------------------ registrations

    def _registration(self, g: GroupState, f: Registration) -> None:
        p = self.policy_at(f.at)
        x = f.consultant
        for key, penalty in registration_fines(f, p, self.tz):
            self.penalties[(f.id, key)] = penalty
        if f.customer.name:
            g.names.add(normalise_name(f.customer.name))
        problem = registration_problems(f, p)
        if problem is not None:
            self.invalid[f.id] = problem
            g.records.setdefault(x, f.at)
            return
        if f.answers.asked is not None:
            g.asked[x] = f.answers.asked
        g.records.setdefault(x, f.at)
        if p.ownership.basis != "registration":
            return  # S6 / S18: registrations are the visitor sheet, not the basis
        if f.mode not in p.ownership.counts:
            g.note(Reason(p.ownership.rule, "来电登记不作为归属依据,以来访登记为准",
                          "a call registration does not decide ownership here", (f.id,), f.at))
            return
        if g.state in ("pending", "disputed"):
            g.note(Reason(p.pending.rule if g.state == "pending" else "S18.16",
                          "待确认/争议中,登记仅作记录", "pending or in dispute: recorded only",
                          (f.id,), f.at))
            return
        owner = g.owner.id if g.owner.kind == "consultant" else None
        named = f.answers.named_consultant
        if named and p.ownership.developer_staff_to_duty and f.customer.source == "developer_staff":
            named = None  # S18.23: developer staff may not pick a consultant
        if owner is not None:
            self._registration_of_owned(g, f, p, owner, named)
        else:
            who, reason = self._new_owner(g, f, p, named)
            self._own(g, who, f.at, reason, f.mode)
        if f.mode == "visit":
            g.has_visit = True

    def _registration_of_owned(
        self, g: GroupState, f: Registration, p: Policy, owner: str, named: str | None
    ) -> None:
        x = f.consultant
        if x == owner:
            if f.mode == "visit" and g.basis == "call":
                g.basis = "visit"
            self._touch(g, f.at, p)
            return
        if p.ownership.visit_outranks_call and f.mode == "visit" and not g.has_visit and g.basis == "call":
            self._own(g, x, f.at, Reason("S1.C6", f"首次来访登记优先于来电登记,归来访登记人 {x}",
                                         "the first visit registration outranks an earlier call",
                                         (f.id,), f.at), "visit")
            return
        if p.ownership.search_miss_reassigns and f.onsite_search == "not_found":
            self._own(g, x, f.at, Reason("S1.C5", f"现场查找未果按轮序接待,以二次登记并接待的 {x} 为准",
                                         "not found on the spot: the second registrant who served wins",
                                         (f.id,), f.at), "visit")
            return
        if named == owner or f.purpose != "enquiry":
            status = self.staff.status(owner, f.at)
            g.assisted = (*g.assisted, Assisted(x, owner, f.at, f.id, status))
            rule = p.assist.rule if named == owner else p.deals.helper_rule
            g.note(Reason(rule, f"{x} 代为接待 {owner} 的客户({_STATUS_ZH.get(status, status)}),归属不变",
                          f"{x} received {owner}'s customer on his behalf; ownership unchanged",
                          (f.id,), f.at))
            return
        a = f.answers
        knowing = a.first_visit is False or bool(a.called_before) or bool(a.family_visited) or (
            named is not None and named != x)
        g.collided[x] = g.collided.get(x, False) or knowing
        self.collisions[f.id] = CollisionRecord(g.id, f.at, owner, x, f.id, knowing,
                                                "S14.2" if knowing else p.collision.rule or p.ownership.rule)
        g.note(Reason(p.ownership.rule, f"{x} 的登记晚于 {owner},以第一有效登记为准" +
                      (";明知已有接待仍登记,属抢单" if knowing else ""),
                      f"{x} registered after {owner}: the first valid registration wins" +
                      ("; knowingly: stealing" if knowing else ""), (f.id,), f.at))

    def _new_owner(
        self, g: GroupState, f: Registration, p: Policy, named: str | None
    ) -> tuple[str, Reason]:
        x = f.consultant
        facts = (f.id,)
        if named and named != x and named not in g.refused:
            if p.naming.with_record and (named in g.records or named == g.former_owner):
                return named, Reason(p.naming.rule, f"客户指名 {named},且有其接待记录",
                                     f"the customer named {named}, who has a record", facts, f.at)
            if p.naming.without_record:
                return named, Reason(p.naming.without_record_rule, f"客户指名 {named},虽未登记也归其所有",
                                     f"the customer named {named}: his even unregistered", facts, f.at)
        if p.naming.sms:
            sender = f.answers.sms_from
            if sender is None and len(g.sms_from) == 1:
                sender = next(iter(g.sms_from))
            if sender and sender != x and sender in g.sms_from:
                return sender, Reason("S11.2", f"客户收到 {sender} 的短信,转由其接待",
                                      f"the customer had an SMS from {sender}", facts, f.at)
        if f.referred_by:
            referrer = self.by_phone.get(f.referred_by)
            r_owner = referrer.owner.id if referrer and referrer.owner.kind == "consultant" else None
            mode = p.referral.mode
            if r_owner and r_owner != x and r_owner not in g.refused:
                if mode == "accompanied_unless_refused" and (
                        (f.referrer_present and not f.refuses_original) or named == r_owner):
                    return r_owner, Reason(p.referral.rule, f"老客户带新客户,新客户归原销售 {r_owner}",
                                           f"brought by an old customer: {r_owner}'s", facts, f.at)
                if mode == "accompanied_or_named" and (f.referrer_present or named == r_owner):
                    return r_owner, Reason(p.referral.rule, f"老客户介绍(陪同或指名),归原销售 {r_owner}",
                                           f"referred (accompanied or named): {r_owner}'s", facts, f.at)
                if mode == "unregistered_accompanied" and f.referrer_present:
                    return r_owner, Reason(p.referral.rule, f"新客户未登记,老带新成功,归 {r_owner}",
                                           f"unregistered new customer: referral succeeds, {r_owner}'s",
                                           facts, f.at)
            if mode == "none" or r_owner:
                rule = p.referral.rule
                return x, Reason(rule, f"老客户介绍的新客户按轮序,归接待人 {x}",
                                 f"a referred new customer follows the rotation: {x}'s", facts, f.at)
        if g.refused:
            return x, Reason(p.refusal.rule, f"原销售被拒绝/投诉后另行接待登记,归 {x}",
                             f"after the refusal, registered anew: {x}'s", facts, f.at)
        if g.former_owner and g.former_owner != x:
            return x, Reason(p.protection.rule, f"原销售 {g.former_owner} 跟进已过期,客户未指认,按新客户归 {x}",
                             "the original's follow-up lapsed and the customer did not name him",
                             facts, f.at)
        mode_zh = "来访" if f.mode == "visit" else "来电"
        return x, Reason(p.ownership.rule, f"第一有效{mode_zh}登记,归接待人 {x}",
                         f"first valid {f.mode} registration: {x}'s", facts, f.at)

    # ------------------------------------------------------------------ other customer facts

    def _relationship(self, g: GroupState, f: Relationship) -> None:
        p = self.policy_at(f.at)
        if joins_group(f.relation, p.group.relations):
            g.note(Reason(p.group.rule, "亲属视为同一组客户,归第一登记人",
                          "relatives are one group: the first registrant's", (f.id,), f.at))

    def _follow_up(self, g: GroupState, f: FollowUp) -> None:
        if f.consultant is None:
            return
        g.records.setdefault(f.consultant, f.at)
        if f.method == "sms":
            g.sms_from.setdefault(f.consultant, f.at)
        if g.owner.kind == "consultant" and g.owner.id == f.consultant:
            self._touch(g, f.at, self.policy_at(f.at))

    def _pending(self, g: GroupState, f: PendingConfirmation) -> None:
        p = self.policy_at(f.at)
        if not p.pending.enabled:
            self.invalid[f.id] = Invalid(f.id, p.ownership.rule, "本制度没有待确认登记",
                                         "this policy has no pending confirmations", ())
            return
        original = g.owner.id if g.owner.kind == "consultant" else None
        days = p.pending.claim_days
        deadline = day_end(f.at, days, self.tz) if days is not None else None
        g.records.setdefault(f.consultant, f.at)
        g.pending = PendingState(f.id, f.consultant, original, deadline)
        g.state = "pending"
        self.pending_index[f.id] = g.id
        g.note(Reason(p.pending.rule, f"{f.consultant} 填写待确认客户登记" +
                      (f",{days}日(含)内可认领" if days is not None else ",待经理确认"),
                      "pending confirmation filed", (f.id,), f.at))

    def _claim(self, g: GroupState, f: Claim) -> None:
        p = self.policy_at(f.at)
        pend = g.pending
        if pend is None or pend.fact != f.pending:
            self.invalid[f.id] = Invalid(f.id, p.pending.rule, "该待确认登记已处理", "already decided",
                                         ("pending",))
            return
        if not f.verified:
            g.note(Reason(p.pending.rule, f"{f.consultant} 认领,待核实", "claimed, not yet verified",
                          (f.id,), f.at))
            return
        if f.consultant != pend.original and f.consultant not in g.records:
            self.invalid[f.id] = Invalid(f.id, p.pending.rule, f"{f.consultant} 无该客户的原始记录",
                                         "the claimant has no earlier record of this customer",
                                         ("consultant",))
            return
        self._own(g, f.consultant, f.at, Reason(
            p.pending.rule, f"{f.consultant} 在期限内认领并经核实,归原销售",
            "claimed in time and verified: the original consultant's", (pend.fact, f.id), f.at),
            "claim")

    def _complaint(self, g: GroupState, f: Complaint) -> None:
        p = self.policy_at(f.at)
        if g.owner.kind != "consultant" or g.owner.id != f.against:
            g.note(Reason(p.refusal.rule, f"投诉对象 {f.against} 不是归属人", "not against the owner",
                          (f.id,), f.at))
            return
        if p.refusal.needs_approval and not f.approved_by:
            g.note(Reason(p.refusal.rule, "客户拒绝/投诉,待经理审核", "awaiting the manager's review",
                          (f.id,), f.at))
            return
        lo, hi = p.refusal.fine_min, p.refusal.fine_max
        if lo is not None:
            amount = f.fine if f.fine is not None else lo
            if hi is not None and not lo <= amount <= hi:
                self.invalid[f.id] = Invalid(f.id, p.refusal.rule, f"罚款金额须在 {lo}-{hi} 元之间",
                                             f"the fine must be within {lo}-{hi}", ("fine",))
            else:
                self.penalties[(f.id, "fine")] = Penalty(
                    f.against, amount, p.refusal.rule, "服务令客户不满/被投诉,停止服务并罚款",
                    "complaint: stopped from serving and fined", (f.id,), f.at)
        g.refused = g.refused | {f.against}
        g.refused_original = f.against
        g.former_owner = None
        self._release(g, f.at, Reason(p.refusal.rule, f"客户拒绝 {f.against},经理确认,另行接待",
                                      f"the customer refused {f.against}; reassigned", (f.id,), f.at))
        g.awaiting_reassignment = True

    def _ruling(self, g: GroupState, f: Ruling) -> None:
        reason = Reason(f.rule, f"经理 {f.by} 裁定: {f.reason}", f"ruled by {f.by}: {f.reason}",
                        (f.id,), f.at)
        if f.owner is None:
            self._release(g, f.at, reason)
        else:
            self._own(g, f.owner, f.at, reason, "ruling")
        if f.stealing_by:
            owner = f.owner or ""
            self.collisions[f.id] = CollisionRecord(g.id, f.at, owner, f.stealing_by, f.id, True, "S14.2")

    def _dispute(self, g: GroupState, f: DisputeRaised) -> None:
        w = g.open_window
        if w is not None and w.raise_deadline is not None and f.at < w.raise_deadline:
            g.raises.append((f.consultant, f.at, f.id))
            g.open_window = None
            g.locked = True
            g.note(Reason("S18.13", f"{f.consultant} 在成交后三日内提出撞单", "raised within 3 days",
                          (f.id,), f.at))
            return
        g.state = "disputed"
        g.note(Reason("S18.16", f"{f.consultant} 提交查询单,争议待经理判定",
                      "a query form was filed; the manager decides", (f.id,), f.at))

    def _appeal(self, g: GroupState, f: Appeal) -> None:
        p = self.policy_at(f.at)
        if f.outcome == "rejected" and p.fines.appeal_rejected is not None:
            self.penalties[(f.id, f.appellant)] = Penalty(
                f.appellant, p.fines.appeal_rejected, "S18.17", "申诉被驳回,罚款",
                "appeal rejected: fined", (f.id,), f.at)
        if f.outcome == "overturned" and p.fines.appeal_overturned is not None:
            for who in f.responsible:
                self.penalties[(f.id, who)] = Penalty(
                    who, p.fines.appeal_overturned, "S18.17", "申诉改判,主管/经理未按制度判定,罚款",
                    "appeal overturned: the deciders did not follow the policy", (f.id,), f.at)

    def _staff_left(self, g: GroupState, f: StaffLeft) -> None:
        p = self.policy_at(f.at)
        if p.departure.mode != "department" or g.owner.id != f.staff:
            return
        if g.has_deposit:
            self._unindex(g)
            g.set_owner(DEPARTMENT, f.at, "owned", Reason(
                "S16.3", f"{f.staff} 离职,已下定客户归销售部", "left: the deposit customer is the department's",
                (f.id,), f.at), "departure")
            g.protected_until = None
        else:
            g.former_owner = None
            self._release(g, f.at, Reason("S16.3", f"{f.staff} 离职,未下定客户视作新客户,由经理安排",
                                          "left: customers without a deposit count as new", (f.id,), f.at))

    # ------------------------------------------------------------------ deals

    def _deal(self, g: GroupState, f: Deal) -> None:
        p = self.policy_at(f.at)
        owner = g.owner
        closer_collided = g.collided.get(f.closer)  # None: he never registered this customer
        developer_excluded = False
        if p.deals.developer_notice and g.developer_notice_at is not None:
            first_contact = g.records.get(f.closer)
            developer_excluded = first_contact is None or first_contact >= g.developer_notice_at
        name_owner = None
        if p.deals.name_decides and g.confirmations:
            name_owner = self._name_owner(g, f)
        window = None
        if (p.collision.raise_days is not None and owner.kind == "consultant"
                and owner.id != f.closer and name_owner in (None, owner.id)):
            window = day_end(f.at, p.collision.raise_days, self.tz)
        ctx = DealContext(
            deal=f, policy=p, owner=owner, channel=g.channel.id if g.channel else None,
            assisted=g.assisted, closer_collided=closer_collided,
            closer_asked=g.asked.get(f.closer, False), refused_original=g.refused_original,
            first_deposit=f.type == "deposit" and not g.has_deposit,
            had_deposit_before=g.has_deposit, developer_excluded=developer_excluded,
            raise_deadline=window, name_owner=name_owner,
            same_day_assists=frozenset(a.fact for a in g.assisted if same_local_day(a.at, f.at, self.tz)),
        )
        g.deals.append(ctx)
        if f.type == "signing":
            self.signings.setdefault(f.closer, []).append(f.at)
        g.has_deposit = True  # a subscription or signing implies the deposit (下定) was paid
        if window is not None:
            g.open_window = ctx
        elif owner.kind == "pool":
            self._own(g, f.closer, f.at, Reason(p.ownership.rule, f"公共客户由 {f.closer} 成交",
                                                "a public customer closed", (f.id,), f.at), "deal")
        if p.protection.deal_locks:
            g.locked = True
        if g.channel is not None:
            g.channel_locked = True

    def _name_owner(self, g: GroupState, f: Deal) -> str | None:
        """S18.14: the name on the contract decides; the earliest matching confirmation."""
        target = f.company or f.buyer_name
        if not target:
            return None
        for c in sorted(g.confirmations, key=lambda c: c.signed_at):
            written = c.company if f.company else c.name
            if written and match_names(written, target).kind == "exact":
                return c.consultant
            if written and f.company and normalise_name(written) == normalise_name(target):
                return c.consultant
        return None

    # ------------------------------------------------------------------ confirmation desk (S18)

    def _active_count(self, consultant: str) -> int:
        return len(self.owned_by.get(consultant, ()))

    def _signings_last_quarter(self, consultant: str, at: datetime) -> int:
        q = handins.previous_quarter(handins.quarter_of(at, self.tz))
        return sum(1 for t in self.signings.get(consultant, ()) if handins.quarter_of(t, self.tz) == q)

    def _handin(self, g: GroupState, f: HandIn) -> None:
        p = self.policy_at(f.at)
        if f.name:
            g.names.add(normalise_name(f.name))
        result = handins.check_handin(
            f, p, self.tz, on_visitor_sheet=f.consultant in g.records,
            active_count=self._active_count, signings_last_quarter=self._signings_last_quarter,
            opened=self.milestones.get("internal_subscription_opened"),
        )
        if result.invalid is not None:
            self.invalid[f.id] = result.invalid
            return
        conf = result.confirmation
        assert conf is not None
        confs = list(g.confirmations)
        if f.amends:
            # S18.6: a changed confirmation takes the time of the second hand-in
            confs = [c for c in confs if not (c.fact == f.amends and c.consultant == f.consultant)]
        mine = [c for c in confs if c.consultant == f.consultant]
        others = [c for c in confs if c.consultant != f.consultant]
        if others and not f.amends:
            first = min(others, key=lambda c: c.signed_at)
            if same_local_day(first.signed_at, conf.signed_at, self.tz):
                g.state = "disputed"
                g.note(Reason("S18.15", f"{first.consultant} 与 {f.consultant} 同日递交,由经理根据日报判定",
                              "handed in by two on the same day: the manager decides from daily reports",
                              (first.fact, f.id), f.at))
                self.collisions[f.id] = CollisionRecord(g.id, f.at, first.consultant, f.consultant,
                                                        f.id, False, "S18.15")
                return
            self.invalid[f.id] = Invalid(
                f.id, "S18.4", f"与 {first.consultant} 的确认冲突(其确认在先),24小时内退回,不得继续联系",
                "conflicts with an earlier confirmation: returned within 24 h", ("phone",))
            self.collisions[f.id] = CollisionRecord(g.id, f.at, first.consultant, f.consultant,
                                                    f.id, False, "S18.12")
            return
        if mine and not f.amends:
            # re-confirmation within validity keeps the original time (S18.21)
            keep = min(mine, key=lambda c: c.signed_at)
            conf = Confirmation(keep.fact, keep.consultant, keep.signed_at, conf.name, conf.company,
                                conf.need, conf.until)
            confs = [c for c in confs if c.consultant != f.consultant]
        confs.append(conf)
        g.confirmations = tuple(confs)
        self._settle_confirmations(g, f.at, p, (f.id,))

    def _settle_confirmations(self, g: GroupState, at: datetime, p: Policy, facts: tuple[str, ...]) -> None:
        if not g.confirmations or g.state == "disputed" or p.ownership.basis != "handin":
            return
        first = min(g.confirmations, key=lambda c: c.signed_at)
        if g.owner.id != first.consultant:
            rule = "S18.20" if first.prefiled else "S18.12"
            self._own(g, first.consultant, first.signed_at, Reason(
                rule, f"确认时间最早(确认人签字 {first.signed_at.astimezone(self.tz):%m-%d %H:%M}),归 {first.consultant}",
                "the earliest confirmation (the confirmer's signed time) wins", facts, at), "handin")
        g.protected_until = first.until
        g.last_contact = at

    def _prefiling(self, g: GroupState, f: PreFiling) -> None:
        p = self.policy_at(f.at)
        g.records.setdefault(f.consultant, f.at)
        if p.ownership.basis != "handin":
            return
        conf = Confirmation(f.id, f.consultant, f.at, f.name, None, None, None, prefiled=True)
        g.confirmations = (*g.confirmations, conf)
        self._settle_confirmations(g, f.at, p, (f.id,))

    def _developer_notice(self, g: GroupState, f: DeveloperNotice) -> None:
        g.developer_notice_at = f.at
        g.note(Reason("S18.22", "开发商书面通知: 关系客户", "announced as developer-related", (f.id,), f.at))

    # ------------------------------------------------------------------ channels (S6)

    def _known_for_report(self, record: ch.ReportRecord) -> list[str]:
        tail = record.tail()
        phones = [ph for ph in self.by_phone if national_digits(ph).endswith(tail) and record.fits(ph)]
        if len(phones) > 1:
            named = [ph for ph in phones if record.name in self.by_phone[ph].names]
            if named:
                return named
        return phones

    def _report(self, f: ChannelReport) -> None:
        p = self.policy_at(f.at)
        def owned(phone: str) -> str | None:
            g = self.by_phone.get(phone)
            if g is None:
                return None
            if g.owner.kind != "pool" or g.channel is not None or g.has_visit:
                return g.owner.label()
            return None
        _answer, invalid = ch.answer_report(self.book, f, p, self._known_for_report, owned)
        if invalid is not None:
            self.invalid[f.id] = invalid

    def _group_list(self, f: GroupList) -> None:
        for problem in ch.add_group_list(self.book, f, self.tz):
            self.invalid[problem.fact] = problem

    def _visit_confirmation(self, g: GroupState, f: VisitConfirmation) -> None:
        p = self.policy_at(f.at)
        if f.name:
            g.names.add(normalise_name(f.name))
        g.has_visit = True
        if g.channel is not None:
            return  # S6.7: the 30 days run from the first visit
        outcome = ch.match_visit(self.book, f, p)
        if outcome.invalid is not None:
            self.invalid[f.id] = outcome.invalid
        if outcome.channel is None:
            if p.ownership.basis == "channel":
                g.set_owner(POOL, f.at, "public", outcome.reason, None)
            else:
                g.note(outcome.reason)
            return
        channel = Owner("channel", outcome.channel)
        g.channel = channel
        g.channel_since = f.entry_at or f.at
        g.channel_until = g.channel_since + timedelta(days=p.channel.visit_days)
        if p.ownership.basis == "channel":
            g.set_owner(channel, g.channel_since, "owned", outcome.reason, "channel")
        else:
            g.note(outcome.reason)

    # ------------------------------------------------------------------ global facts

    def _milestone(self, f: Milestone) -> None:
        self.milestones.setdefault(f.name, f.at)

    def _policy_changed(self, f: PolicyChanged) -> None:
        if not self.follow_policy_changes:
            return
        new = self.catalogue.get(f.policy)
        if new is None:
            self.invalid[f.id] = Invalid(f.id, "policy", f"未知的制度 {f.policy}", f"unknown policy {f.policy}",
                                         ("policy",))
            return
        start = max(f.effective_at, f.at)  # never rewrites anything before the change was recorded
        self._policies.append((start, new))
        self._policies.sort(key=lambda e: (e[0] is not None, e[0] or start))

    def _correction(self, f: Correction) -> None:
        role = self.staff.role(f.by)
        p = self.policy_at(f.at)
        if role not in CORRECTORS:
            amount = p.fines.unauthorised_correction
            if amount is not None:
                self.penalties[(f.id, "S1.4")] = Penalty(
                    f.by, amount, "S1.4", "擅自改动客户确认记录,罚款", "altered a confirmation record without authority",
                    (f.id, f.target), f.at)
            self.invalid[f.id] = Invalid(f.id, "S8.12", "无权更正记录,原始登记不得涂改",
                                         "not authorised to correct the record", ("by",))
            return
        if f.target in self.voided:
            return
        self.voided.add(f.target)
        if self.staff.void_duty(f.target):
            return
        self.book.voided.add(f.target)
        gid = self.fact_group.get(f.target)
        if gid is not None and gid in self.groups:
            self._replay(self.groups[gid])

    # ------------------------------------------------------------------ answers

    def verdict(self, gid: str, at: datetime | None = None) -> Verdict:
        g = self.groups[gid]
        at = at or self.clock or g.last_at
        assert at is not None
        view = copy.copy(g)
        self._advance_view(view, at)
        p = self.policy_at(at)
        owner, state = view.owner, view.state
        if p.ownership.basis == "channel":
            owner = view.channel or POOL
            state = "owned" if view.channel is not None else "public"
        deadline = view.pending.deadline if view.pending else None
        if view.open_window is not None:
            deadline = view.open_window.raise_deadline
        return Verdict(
            group=g.id, members=tuple(view.members), owner=owner, state=state,
            since=view.channel_since if p.ownership.basis == "channel" and view.channel else view.since,
            protected_until=(view.channel_until if p.ownership.basis == "channel"
                             else None if view.locked else view.protected_until),
            reasons=view.current, channel=view.channel, channel_until=view.channel_until,
            candidate=view.pending.filer if view.pending else None, deadline=deadline,
            history=view.history, policy=p.key,
        )

    def _advance_view(self, view: GroupState, at: datetime) -> None:
        index = dict(self.owned_by)  # _advance may re-index; keep the live index untouched
        self.owned_by = {k: set(v) for k, v in index.items()}
        try:
            self._advance(view, at)
        finally:
            self.owned_by = index

    def splits(self, at: datetime | None = None) -> list[Split]:
        at = at or self.clock
        out: list[Split] = []
        extra: list[Penalty] = []
        for g in self.groups.values():
            for ctx in g.deals:
                raised = any(t <= at for _, t, _ in g.raises) if at else bool(g.raises)
                split, penalties = split_deal(ctx, g.id, at or ctx.deal.at, raised)
                out.append(split)
                extra.extend(penalties)
        self._deal_penalties = extra
        return sorted(out, key=lambda s: (s.at, s.deal))

    def attribution(self, at: datetime | None = None) -> Attribution:
        at = at or self.clock
        if at is None:
            return Attribution(at=datetime.min.replace(tzinfo=self.tz), policy=self.policy.key)
        verdicts = [self.verdict(gid, at) for gid in sorted(self.groups, key=lambda k: self.groups[k].seq)]
        splits = self.splits(at)
        penalties, splits = aggregate_penalties(
            list(self.penalties.values()) + self._deal_penalties,
            sorted(self.collisions.values(), key=lambda c: (c.at, c.fact)),
            splits, self.policy_at,
        )
        return Attribution(
            at=at, policy=self.policy_at(at).key, verdicts=verdicts,
            invalid=sorted(self.invalid.values(), key=lambda i: self.order.get(i.fact.split("#")[0], 0)),
            collisions=sorted(self.collisions.values(), key=lambda c: (c.at, c.fact)),
            penalties=penalties, splits=splits,
            reports=[self.book.answers[k] for k in sorted(self.book.answers, key=lambda k: self.order[k])],
        )

    def lookup(self, phone: str) -> GroupState | None:
        return self.by_phone.get(phone)


_STATUS_ZH = {"day_off": "休息", "absent": "不在案场", "out": "外出", "sick": "病假", "busy": "正在接待",
              "on_duty": "在岗", "unknown": "状态未登记", "left": "已离职"}


def decide(
    facts: Iterable[Fact],
    policy: Policy,
    *,
    at: datetime | None = None,
    catalogue: Mapping[str, Policy] | None = None,
    follow_policy_changes: bool = True,
) -> Attribution:
    """Replay the record up to ``at`` (inclusive) under ``policy`` and answer for every group."""
    engine = Attributor(policy, catalogue=catalogue, follow_policy_changes=follow_policy_changes)
    ordered = sorted(enumerate(facts), key=lambda e: (e[1].at, e[0]))
    for _, f in ordered:
        if at is not None and f.at > at:
            break
        engine.apply(f)
    return engine.attribution(at)
