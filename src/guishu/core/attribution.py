"""decide(): whose customer is this, since when, until when, and why.

``Attributor`` applies facts one at a time; each fact touches only its own
customer group, so the web service can call ``apply`` on every registration.
``decide`` replays a record up to a moment. A verdict at ``t`` depends only on
facts up to ``t``: time-driven changes (a lapsed protection, an unclaimed
pending confirmation) are computed lazily from deadlines, never from a clock.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from guishu.core.commission import split_deal
from guishu.core.engine_state import group_id
from guishu.core.events import (
    ApiKeyIssued,
    ApiKeyRevoked,
    Appeal,
    ChannelJoined,
    ChannelReport,
    Claim,
    ClaimVerified,
    CommissionRate,
    Complaint,
    Correction,
    Deal,
    DealRefunded,
    DeveloperNotice,
    Disclosed,
    DisputeRaised,
    Duty,
    Fact,
    FollowUp,
    GroupList,
    HandIn,
    Milestone,
    PaymentMilestone,
    PendingConfirmation,
    PolicyChanged,
    PreFiling,
    QualificationCheck,
    QueueFact,
    Reception,
    Registration,
    Relationship,
    Ruling,
    StaffJoined,
    StaffLeft,
    StatementApproved,
    UnitChanged,
    VisitConfirmation,
)
from guishu.core.groups import DealContext, GroupState
from guishu.core.identity import joins_group, normalise_name
from guishu.core.penalties import aggregate_penalties
from guishu.core.policy import Policy
from guishu.core.qualification import unchecked
from guishu.core.registration_rules import registration_fines
from guishu.core.rotation_view import RotationView
from guishu.core.rules.channel_facts import ChannelRules
from guishu.core.rules.customer_facts import CustomerFactRules
from guishu.core.rules.deadlines import DeadlineRules
from guishu.core.rules.deals import DealRules
from guishu.core.rules.desk import DeskRules
from guishu.core.rules.registrations import RegistrationRules
from guishu.core.staff import CORRECTORS
from guishu.core.verdict import POOL, Attribution, Chase, Invalid, Owner, Penalty, Split, Verdict

__all__ = ["Attributor", "RecordError", "decide", "group_id"]


class RecordError(ValueError):
    """The record itself is inconsistent (a duplicate fact id)."""


class Attributor(RegistrationRules, CustomerFactRules, DealRules, DeskRules, ChannelRules, DeadlineRules):
    """The attribution engine over one site's record."""

    # ------------------------------------------------------------------ applying facts

    def apply(self, f: Fact) -> list[str]:
        """Apply one fact; returns the ids of the groups it touched."""
        fid, at, kind = f.id, f.at, type(f)
        order = self.order
        if fid in order:
            raise RecordError(f"重复的事实编号 {fid} / duplicate fact id {fid}")
        order[fid] = len(order)
        if kind in _UNATTRIBUTED:
            return []
        if self.clock is None or at > self.clock:
            self.clock = at
        handler = _GLOBALS.get(kind)
        if handler is not None:
            handler(self, f)
        route = _ROUTES.get(kind)
        if route is None:
            return []
        touched = route(self, f)
        effect = _EFFECTS[kind]
        for g in touched:
            g.facts.append(f)
            if g.last_at is not None and at < g.last_at:
                self._replay(g)  # a late fact: rebuild the group in time order
                continue
            g.last_at = at
            self._advance(g, at)
            effect(self, g, f)
        return [g.id for g in touched]

    def apply_all(self, facts: Iterable[Fact]) -> None:
        for f in facts:
            self.apply(f)

    # ------------------------------------------------------------------ groups

    def _merge(self, a: GroupState, b: GroupState) -> GroupState:
        if a is b:
            return a
        keep, gone = (a, b) if a.seq < b.seq else (b, a)
        for phone in gone.members:
            self.by_phone[phone] = keep
        keep.members = (*keep.members, *gone.members)
        keep.facts.extend(gone.facts)
        for key in self.name_keys.pop(gone.id, ()):  # S18.11: its names now find the kept group
            self.by_name[key] = keep.id
            self.name_keys.setdefault(keep.id, []).append(key)
        del self.groups[gone.id]
        self._unindex(gone)
        return self._replay(keep)

    def _replay(self, g: GroupState) -> GroupState:
        """Rebuild one group from its own facts, in time order."""
        facts = sorted(g.facts, key=lambda f: (f.at, self.order[f.id]))
        for f in facts:
            self.invalid.pop(f.id, None)
            self.collisions.pop(f.id, None)
            self.penalties.drop_fact(f.id)
        self._unindex(g)
        fresh = GroupState(id=g.id, seq=g.seq, members=g.members, facts=facts)
        self.groups[g.id] = fresh
        for phone in fresh.members:
            self.by_phone[phone] = fresh
        for f in facts:
            if f.id in self.voided:
                continue
            fresh.last_at = f.at
            self._advance(fresh, f.at)
            _EFFECTS[type(f)](self, fresh, f)
        return fresh

    # ------------------------------------------------------------------ routes

    def _route_phone(self, f: Any) -> list[GroupState]:
        return [self._group(f.phone)]

    def _route_visit(self, f: VisitConfirmation) -> list[GroupState]:
        if f.phone is None:  # S6.6: the confirmation must carry the full phone
            self.invalid[f.id] = Invalid(
                f.id,
                "S6.6",
                "来访客户确认单须留客户全号码并写明入场时间",
                "a visit confirmation needs the full phone and the entry time",
                ("phone",),
            )
            return []
        return [self._group(f.phone)]

    def _route_follow_up(self, f: FollowUp) -> list[GroupState]:
        return [self._group(f.phone)] if f.phone else []

    def _route_claim(self, f: Claim | ClaimVerified) -> list[GroupState]:
        gid = self.pending_index.get(f.pending)
        if gid is None or gid not in self.groups:
            self.invalid[f.id] = Invalid(
                f.id, self.policy.pending.rule, "认领的待确认登记不存在", "no such pending confirmation", ("pending",)
            )
            return []
        return [self.groups[gid]]

    def _route_registration(self, f: Registration) -> list[GroupState]:
        phone = f.customer.phone
        if phone is None:
            p = self.policy_at(f.at)
            for key, penalty in registration_fines(f, p, self.tz):  # S1.3: an entry without a phone
                self.penalties[(f.id, key)] = penalty
            self.invalid[f.id] = Invalid(
                f.id,
                p.validity.visit_rule if f.mode == "visit" else p.validity.call_rule,
                "未留客户本人有效联系方式,登记无效" + (f"({f.customer.phone_raw})" if f.customer.phone_raw else ""),
                "no valid contact phone of the customer: invalid",
                ("customer.phone",),
            )
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
            named = self.by_name.get(key)
            other = self.groups.get(named) if named is not None else None
            if other is not None:
                g = other if g is None else self._merge(other, g)
            elif g is not None:
                self.by_name[key] = g.id
                self.name_keys.setdefault(g.id, []).append(key)
        if g is None:  # S18.2: no contact and no customer of that name: nothing to confirm
            self.invalid[f.id] = Invalid(
                f.id, "S18.2", "客户确认单缺项: 联系方式", "hand-in is missing: phone", ("phone",)
            )
            return []
        for m in f.members:
            if m.phone and joins_group(m.relation, p.group.relations):
                g = self._merge(g, self._group(m.phone))
        return [g]

    def _route_staff_left(self, f: StaffLeft) -> list[GroupState]:
        return [self.groups[gid] for gid in sorted(self.owned_by.get(f.staff, ())) if gid in self.groups]

    def _milestone(self, f: Milestone) -> None:
        if f.name in self.milestones:
            return
        self.milestones[f.name] = f.at
        if f.name == "internal_subscription_opened":
            # S18.21: pre-launch confirmations now run until 10 days after the opening
            for g in self.groups.values():
                if g.confirmations and g.owner.kind == "consultant":
                    first = min(g.confirmations, key=lambda c: c.signed_at)
                    if first.consultant == g.owner.id:
                        g.protected_until = self._conf_until(first, self.policy_at(f.at))

    def _policy_changed(self, f: PolicyChanged) -> None:
        if not self.follow_policy_changes:
            return
        new = self.catalogue.get(f.policy)
        if new is None:
            self.invalid[f.id] = Invalid(
                f.id, "policy", f"未知的制度 {f.policy}", f"unknown policy {f.policy}", ("policy",)
            )
            return
        if f.modules is not None:
            new = new.model_copy(update={"modules": f.modules})  # the site's steps over the preset
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
                    f.by,
                    amount,
                    "S1.4",
                    "擅自改动客户确认记录,罚款",
                    "altered a confirmation record without authority",
                    (f.id, f.target),
                    f.at,
                )
            self.invalid[f.id] = Invalid(
                f.id,
                "S1.4" if amount is not None else "S8.12",
                "无权更正记录,原始登记不得涂改",
                "not authorised to correct the record",
                ("by",),
            )
            return
        if f.target in self.voided:
            return
        self.voided.add(f.target)
        if self.staff.void_duty(f.target):
            return
        self.book.voided.add(f.target)
        # corrections are rare: find the group holding the target rather than index every fact
        for g in list(self.groups.values()):
            if any(x.id == f.target for x in g.facts):
                self._replay(g)
                break

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
            group=g.id,
            members=view.members,  # a tuple: shared, not copied
            owner=owner,
            state=state,
            since=view.channel_since if p.ownership.basis == "channel" and view.channel else view.since,
            protected_until=(
                view.channel_until if p.ownership.basis == "channel" else None if view.locked else view.protected_until
            ),
            reasons=view.current,
            channel=view.channel,
            channel_until=view.channel_until,
            candidate=view.pending.filer if view.pending else None,
            deadline=deadline,
            history=view.history,
            policy=p.key,
        )

    def _advance_view(self, view: GroupState, at: datetime) -> None:
        """Advance a copy of a group for a verdict; the live indexes stay untouched."""
        self._viewing = True
        try:
            self._advance(view, at)
        finally:
            self._viewing = False

    def splits(self, at: datetime | None = None) -> list[Split]:
        return self._splits(at)[0]

    def splits_of(self, groups: Iterable[str], at: datetime | None = None) -> list[Split]:
        """The splits of these groups' deals only (a screen of the latest deals, not all of them)."""
        return self._splits(at, [self.groups[g] for g in groups if g in self.groups])[0]

    def _splits(
        self, at: datetime | None, groups: Iterable[GroupState] | None = None
    ) -> tuple[list[Split], list[Penalty]]:
        """Every deal's split as of ``at`` (or those of ``groups``), and the penalties the splits
        carry (S16.11)."""
        at = at or self.clock
        out: list[Split] = []
        extra: list[Penalty] = []
        for g in self.groups.values() if groups is None else groups:
            signed = any(c.deal.type == "signing" and (at is None or c.deal.at <= at) for c in g.deals)
            appeals = g.appeals
            first_of_unit: dict[str, str] = {}
            for ctx in g.deals:
                d = ctx.deal
                purchase = d.id if d.unit is None else first_of_unit.setdefault(d.unit, d.id)
                raised = any(t <= at for _, t, _ in g.raises) if at else bool(g.raises)
                ruled = self._appealed(ctx, appeals, at) if appeals else None
                split, penalties = split_deal(ctx if ruled is None else ruled[0], g.id, at or ctx.deal.at, raised)
                if ruled is not None:
                    split = replace(split, rule="S18.17", zh=f"{ruled[1]};{split.zh}", en=f"{ruled[2]}; {split.en}")
                modules = ctx.policy.modules
                if modules.qualification and ctx.deal.qualified is None and unchecked(modules.checks, g.checks, at):
                    split = replace(split, awaiting="qualification")  # S2.1-S2.5, S15.4: a check open
                elif modules.pipeline and ctx.deal.type != "signing" and not signed:
                    split = replace(split, awaiting="signing")  # S9.1: payable once the contract is signed
                if ctx.changes or ctx.payments or ctx.refunded:
                    split = _after_deal(split, ctx, at or ctx.deal.at)
                out.append(replace(split, type=d.type, purchase=purchase, unit_type=d.unit_type, closer=d.closer))
                extra.extend(penalties)
        return sorted(out, key=lambda s: (s.at, s.deal)), extra

    def _appealed(
        self, ctx: DealContext, appeals: tuple[tuple[str, datetime, datetime, str], ...], at: datetime | None
    ) -> tuple[DealContext, str, str] | None:
        """S18.17: the deal as the latest overturning appeal known at ``at`` decided it, if one
        took effect at or before the deal: his customer then, with the reason's words."""
        for owner, effective, appealed_at, _fact in reversed(appeals):
            if (at is None or appealed_at <= at) and ctx.deal.at >= effective:
                ruled = replace(ctx, owner=Owner("consultant", owner), name_owner=None)
                return (
                    ruled,
                    f"申诉改判,成交按 {self._who(owner)} 的客户计",
                    f"after the overturning appeal: {owner}'s customer",
                )
        return None

    def chases(self, verdicts: list[Verdict], at: datetime) -> list[Chase]:
        """S13: protections and pending claims that lapse within ``chase_days`` (催办)."""
        p = self.policy_at(at)
        if not p.modules.chasing:
            return []
        horizon = at + timedelta(days=p.modules.chase_days)
        out: list[Chase] = []
        for v in verdicts:
            if v.state == "owned" and v.protected_until is not None and at < v.protected_until <= horizon:
                out.append(
                    Chase(
                        v.group,
                        v.owner.id,
                        v.protected_until,
                        p.protection.rule,
                        f"请在 {v.protected_until.astimezone(self.tz):%m-%d %H:%M} 前跟进,否则保护失效",
                        "follow up before the protection lapses",
                    )
                )
            if v.state == "pending" and v.deadline is not None and at < v.deadline <= horizon:
                out.append(
                    Chase(
                        v.group,
                        v.candidate,
                        v.deadline,
                        p.pending.rule,
                        f"待确认登记将于 {v.deadline.astimezone(self.tz):%m-%d %H:%M} 到期,原顾问请及时认领",
                        "the pending confirmation closes soon: the original consultant should claim it",
                    )
                )
        return sorted(out, key=lambda c: (c.due, c.group))

    def penalties_at(self, at: datetime | None = None) -> list[Penalty]:
        """Every fine, warning and dismissal the record proves by ``at``, in time order: the
        facts' own (S1.4, S1.6, S8.9, S18.17), those the deals' splits carry (S16.11) and the
        stealing counted over the site (S14.2) — ``attribution(at).penalties`` without
        deciding every group's verdict (the penalties ledger, 罚款台账)."""
        at = at or self.clock
        if at is None:
            return []
        with_deals = [g for g in self.groups.values() if g.deals]
        splits, deal_penalties = self._splits(at, with_deals)
        collisions = sorted((c for c in self.collisions.values() if c.at <= at), key=lambda c: (c.at, c.fact))
        base = [p for p in self.penalties.values() if p.at <= at] + [p for p in deal_penalties if p.at <= at]
        penalties, _splits = aggregate_penalties(base, collisions, splits, self.policy_at)
        return penalties

    def attribution(self, at: datetime | None = None) -> Attribution:
        at = at or self.clock
        if at is None:
            return Attribution(at=datetime.min.replace(tzinfo=self.tz), policy=self.policy.key)
        verdicts = [self.verdict(gid, at) for gid in sorted(self.groups, key=lambda k: self.groups[k].seq)]
        splits, deal_penalties = self._splits(at)
        penalties, splits = aggregate_penalties(
            list(self.penalties.values()) + deal_penalties,
            sorted(self.collisions.values(), key=lambda c: (c.at, c.fact)),
            splits,
            self.policy_at,
        )
        return Attribution(
            at=at,
            policy=self.policy_at(at).key,
            verdicts=verdicts,
            invalid=sorted(self.invalid.values(), key=lambda i: self.order.get(i.fact.split("#")[0], 0)),
            collisions=sorted(self.collisions.values(), key=lambda c: (c.at, c.fact)),
            penalties=penalties,
            splits=splits,
            reports=[self.book.answers[k] for k in sorted(self.book.answers, key=lambda k: self.order[k])],
            chases=self.chases(verdicts, at),
        )


def _after_deal(split: Split, ctx: DealContext, at: datetime) -> Split:
    """A split as what followed its deal by ``at`` leaves it (S9.1): the unit and price after
    any 换房, the 回款 stages paid, and a 退房 that voids it from its time."""
    unit, amount = ctx.unit_at(at)
    paid = tuple((stage, t, a) for t, _fact, stage, a in ctx.payments if t <= at)
    split = replace(split, unit=unit, amount=amount, paid=paid)
    if ctx.refunded is not None and ctx.refunded_by(at):
        when, _fact, reason = ctx.refunded
        split = replace(
            split,
            refunded_at=when,
            zh=f"{split.zh};已退房({reason}),此后不计佣金",
            en=f"{split.en}; refunded ({reason}): it earns nothing from then",
        )
    return split


# What each kind of fact does: the group(s) it routes to, its effect on each, and what it changes
# beyond groups. The tables hold plain functions, called with the engine: bound methods kept on
# the engine would make every engine a reference cycle, which reference counting cannot free
# (and which, frozen out of the collector's reach by guishu.collector, would never be freed).
_ROUTES: dict[type[Any], Callable[[Attributor, Any], list[GroupState]]] = {
    Registration: Attributor._route_registration,
    Relationship: Attributor._route_relationship,
    HandIn: Attributor._route_handin,
    Claim: Attributor._route_claim,
    ClaimVerified: Attributor._route_claim,
    VisitConfirmation: Attributor._route_visit,
    FollowUp: Attributor._route_follow_up,
    PendingConfirmation: Attributor._route_phone,
    DisputeRaised: Attributor._route_phone,
    Complaint: Attributor._route_phone,
    Ruling: Attributor._route_phone,
    Appeal: Attributor._route_phone,
    PreFiling: Attributor._route_phone,
    DeveloperNotice: Attributor._route_phone,
    Deal: Attributor._route_phone,
    DealRefunded: Attributor._route_phone,
    UnitChanged: Attributor._route_phone,
    PaymentMilestone: Attributor._route_phone,
    QualificationCheck: Attributor._route_phone,
    StaffLeft: Attributor._route_staff_left,
}
_EFFECTS: dict[type[Any], Callable[[Attributor, GroupState, Any], None]] = {
    Registration: Attributor._registration,
    Relationship: Attributor._relationship,
    HandIn: Attributor._handin,
    Claim: Attributor._claim,
    ClaimVerified: Attributor._claim_verified,
    VisitConfirmation: Attributor._visit_confirmation,
    FollowUp: Attributor._follow_up,
    PendingConfirmation: Attributor._pending,
    DisputeRaised: Attributor._dispute,
    Complaint: Attributor._complaint,
    Ruling: Attributor._ruling,
    Appeal: Attributor._appeal,
    PreFiling: Attributor._prefiling,
    DeveloperNotice: Attributor._developer_notice,
    Deal: Attributor._deal,
    DealRefunded: Attributor._refund,
    UnitChanged: Attributor._unit_changed,
    PaymentMilestone: Attributor._payment,
    QualificationCheck: Attributor._qualification_check,
    StaffLeft: Attributor._staff_left,
}
# S3.1: who saw whose full data is in the record for the manager, not for the engine; so are the
# agents' API keys, for the audit. Such a fact neither routes nor moves the clock, so a record
# answers the same with or without them (at any moment, and at the default one, its last fact's)
_UNATTRIBUTED: frozenset[type[Any]] = frozenset(
    {Disclosed, ApiKeyIssued, ApiKeyRevoked, CommissionRate, StatementApproved}
)
_GLOBALS: dict[type[Any], Callable[[Attributor, Any], None]] = {
    StaffJoined: lambda e, f: e.staff.join(f),
    StaffLeft: lambda e, f: e.staff.leave(f),
    Duty: lambda e, f: e.staff.duty(f),
    QueueFact: lambda e, f: e.queue.apply(f),
    Reception: lambda e, f: e.queue.apply(f),
    ChannelJoined: lambda e, f: None,
    ChannelReport: Attributor._report,
    GroupList: Attributor._group_list,
    Milestone: Attributor._milestone,
    PolicyChanged: Attributor._policy_changed,
    Correction: Attributor._correction,
    HandIn: Attributor._note_amendment,
    FollowUp: lambda e, f: e.book.follow_up(f),
}


def decide(
    facts: Iterable[Fact],
    policy: Policy,
    *,
    at: datetime | None = None,
    catalogue: Mapping[str, Policy] | None = None,
    follow_policy_changes: bool = True,
    rotation: RotationView | None = None,
) -> Attribution:
    """Replay the record up to ``at`` (inclusive) under ``policy`` and answer for every group;
    ``rotation``: the reception queue where the record holds it (``core.rotation_view``)."""
    engine = Attributor(policy, catalogue=catalogue, follow_policy_changes=follow_policy_changes, rotation=rotation)
    ordered = sorted(enumerate(facts), key=lambda e: (e[1].at, e[0]))
    for _, f in ordered:
        if at is not None and f.at > at:
            break
        engine.apply(f)
    return engine.attribution(at)
