"""Follow-ups, family, pending confirmations and claims, complaints, rulings, disputes, departures.

S8.3, S8.9, S8.10, S8.11, S11.4, S14.3a, S14.3e, S16.3, S16.13, S18.16, S18.17, S18.25.
"""

from __future__ import annotations

from datetime import datetime

from guishu.core.engine_state import EngineState
from guishu.core.events import (
    Appeal,
    Claim,
    ClaimVerified,
    Complaint,
    DisputeRaised,
    FollowUp,
    PendingConfirmation,
    Relationship,
    Ruling,
    StaffLeft,
)
from guishu.core.groups import (
    GroupState,
    PendingState,
    day_end,
)
from guishu.core.identity import joins_group
from guishu.core.verdict import (
    DEPARTMENT,
    CollisionRecord,
    Invalid,
    Penalty,
    Reason,
)

APPROVERS = frozenset({"manager", "admin"})
# S8.10 "经核实": the back office checks a claimant's records (S1.3, S11.3: the clerk keeps them)
VERIFIERS = frozenset({"clerk", "manager", "supervisor", "admin"})


class CustomerFactRules(EngineState):
    def _relationship(self, g: GroupState, f: Relationship) -> None:
        p = self.policy_at(f.at)
        if joins_group(f.relation, p.group.relations):
            g.note(
                Reason(
                    p.group.rule,
                    "亲属视为同一组客户,归第一登记人",
                    "relatives are one group: the first registrant's",
                    (f.id,),
                    f.at,
                )
            )

    def _follow_up(self, g: GroupState, f: FollowUp) -> None:
        if f.consultant is None:
            return
        g.record(f.consultant, f.at)
        if f.method == "sms" and f.consultant not in g.sms_from:
            g.sms_from = (*g.sms_from, f.consultant)
        if g.owner.kind == "consultant" and g.owner.id == f.consultant:
            self._touch(g, f.at, self.policy_at(f.at))

    def _pending(self, g: GroupState, f: PendingConfirmation) -> None:
        p = self.policy_at(f.at)
        if not p.pending.enabled:
            self.invalid[f.id] = Invalid(
                f.id, p.ownership.rule, "本制度没有待确认登记", "this policy has no pending confirmations", ()
            )
            return
        original = g.owner.id if g.owner.kind == "consultant" else None
        days = p.pending.claim_days
        deadline = day_end(f.at, days, self.tz) if days is not None else None
        g.record(f.consultant, f.at)
        g.pending = PendingState(f.id, f.consultant, original, deadline)
        g.state = "pending"
        self.pending_index[f.id] = g.id
        g.note(
            Reason(
                p.pending.rule,
                f"{self._who(f.consultant)} 填写待确认客户登记"
                + (f",{days}日(含)内可认领" if days is not None else ",待经理确认"),
                "pending confirmation filed",
                (f.id,),
                f.at,
            )
        )

    def _claim(self, g: GroupState, f: Claim) -> None:
        p = self.policy_at(f.at)
        pend = g.pending
        if pend is None or pend.fact != f.pending:
            self.invalid[f.id] = Invalid(f.id, p.pending.rule, "该待确认登记已处理", "already decided", ("pending",))
            return
        if not f.verified or p.pending.verification == "clerk":
            # the claim waits for a clerk's or manager's claim_verified fact
            pend.claims = (*pend.claims, (f.id, f.consultant))
            g.note(
                Reason(
                    p.pending.rule, f"{self._who(f.consultant)} 认领,待核实", "claimed, not yet verified", (f.id,), f.at
                )
            )
            return
        self._claim_stands(g, pend, f.consultant, f.at, (pend.fact, f.id), f.id)

    def _claim_verified(self, g: GroupState, f: ClaimVerified) -> None:
        """S8.10: a claim stands once verified by a clerk or manager who is not the claimant."""
        p = self.policy_at(f.at)
        pend = g.pending
        if pend is None or pend.fact != f.pending:
            self.invalid[f.id] = Invalid(f.id, p.pending.rule, "该待确认登记已处理", "already decided", ("pending",))
            return
        claimant = next((who for claim, who in pend.claims if claim == f.claim), None)
        if claimant is None:
            self.invalid[f.id] = Invalid(
                f.id, p.pending.rule, "没有这条待核实的认领", "no such claim awaiting", ("claim",)
            )
            return
        if self.staff.role(f.by) not in VERIFIERS or f.by == claimant:
            self.invalid[f.id] = Invalid(
                f.id,
                p.pending.rule,
                f"{self._who(f.by)} 无权核实该认领(须为内业或经理,且非认领人)",
                "only a clerk or manager other than the claimant verifies a claim",
                ("by",),
            )
            return
        if not f.approved:
            pend.claims = tuple(c for c in pend.claims if c[0] != f.claim)
            g.note(
                Reason(
                    p.pending.rule,
                    f"{self._who(f.by)} 核实: {self._who(claimant)} 的认领不成立",
                    "verification found no ground for the claim",
                    (f.claim, f.id),
                    f.at,
                )
            )
            return
        self._claim_stands(g, pend, claimant, f.at, (pend.fact, f.claim, f.id), f.id)

    def _claim_stands(
        self, g: GroupState, pend: PendingState, claimant: str, at: datetime, facts: tuple[str, ...], fact: str
    ) -> None:
        p = self.policy_at(at)
        if claimant != pend.original and g.record_of(claimant) is None:
            self.invalid[fact] = Invalid(
                fact,
                p.pending.rule,
                f"{self._who(claimant)} 无该客户的原始记录",
                "the claimant has no earlier record of this customer",
                ("consultant",),
            )
            return
        self._own(
            g,
            claimant,
            at,
            Reason(
                p.pending.rule,
                f"{self._who(claimant)} 在期限内认领并经核实,归原销售",
                "claimed in time and verified: the original consultant's",
                facts,
                at,
            ),
            "claim",
        )

    def _complaint(self, g: GroupState, f: Complaint) -> None:
        p = self.policy_at(f.at)
        if g.owner.kind != "consultant" or g.owner.id != f.against:
            g.note(
                Reason(
                    p.refusal.rule,
                    f"投诉对象 {self._who(f.against)} 不是归属人",
                    "not against the owner",
                    (f.id,),
                    f.at,
                )
            )
            return
        if p.refusal.needs_approval and self.staff.role(f.approved_by or "") not in APPROVERS:
            # S8.9 销售经理审核, S14.3e 案场经理调查属实: only a manager's approval counts
            g.note(Reason(p.refusal.rule, "客户拒绝/投诉,待经理审核", "awaiting the manager's review", (f.id,), f.at))
            return
        lo, hi = p.refusal.fine_min, p.refusal.fine_max
        if lo is not None:
            amount = f.fine if f.fine is not None else lo
            if hi is not None and not lo <= amount <= hi:
                self.invalid[f.id] = Invalid(
                    f.id,
                    p.refusal.rule,
                    f"罚款金额须在 {lo}-{hi} 元之间",
                    f"the fine must be within {lo}-{hi}",
                    ("fine",),
                )
            else:
                self.penalties[(f.id, "fine")] = Penalty(
                    f.against,
                    amount,
                    p.refusal.rule,
                    "服务令客户不满/被投诉,停止服务并罚款",
                    "complaint: stopped from serving and fined",
                    (f.id,),
                    f.at,
                )
        g.refused = g.refused | {f.against}
        g.refused_original = f.against
        g.former_owner = None
        self._release(
            g,
            f.at,
            Reason(
                p.refusal.rule,
                f"客户拒绝 {self._who(f.against)},经理确认,另行接待",
                f"the customer refused {f.against}; reassigned",
                (f.id,),
                f.at,
            ),
        )
        g.awaiting_reassignment = True

    def _ruling(self, g: GroupState, f: Ruling) -> None:
        reason = Reason(
            f.rule, f"经理 {self._who(f.by)} 裁定: {f.reason}", f"ruled by {self._who(f.by)}: {f.reason}", (f.id,), f.at
        )
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
            g.raises = (*g.raises, (f.consultant, f.at, f.id))
            g.open_window = None
            g.locked = True
            g.note(
                Reason(
                    "S18.13", f"{self._who(f.consultant)} 在成交后三日内提出撞单", "raised within 3 days", (f.id,), f.at
                )
            )
            return
        g.state = "disputed"
        g.note(
            Reason(
                "S18.16",
                f"{self._who(f.consultant)} 提交查询单,争议待经理判定",
                "a query form was filed; the manager decides",
                (f.id,),
                f.at,
            )
        )

    def _appeal(self, g: GroupState, f: Appeal) -> None:
        p = self.policy_at(f.at)
        if f.outcome == "rejected" and p.fines.appeal_rejected is not None:
            self.penalties[(f.id, f.appellant)] = Penalty(
                f.appellant,
                p.fines.appeal_rejected,
                "S18.17",
                "申诉被驳回,罚款",
                "appeal rejected: fined",
                (f.id,),
                f.at,
            )
        if f.outcome == "overturned" and p.fines.appeal_overturned is not None:
            for who in f.responsible:
                self.penalties[(f.id, who)] = Penalty(
                    who,
                    p.fines.appeal_overturned,
                    "S18.17",
                    "申诉改判,主管/经理未按制度判定,罚款",
                    "appeal overturned: the deciders did not follow the policy",
                    (f.id,),
                    f.at,
                )
        if f.outcome == "overturned" and f.owner is not None:
            effective = f.effective_at or f.at
            local = effective.astimezone(self.tz)
            self._own(
                g,
                f.owner,
                f.at,
                Reason(
                    "S18.17",
                    f"申诉改判: 自 {local:%Y-%m-%d %H:%M} 起归 {self._who(f.owner)}",
                    f"appeal overturned: {f.owner}'s from {local:%Y-%m-%d %H:%M}",
                    (f.id,),
                    f.at,
                ),
                "appeal",
            )
            g.since = effective
            g.appeals = (*g.appeals, (f.owner, effective, f.at, f.id))

    def _staff_left(self, g: GroupState, f: StaffLeft) -> None:
        p = self.policy_at(f.at)
        if p.departure.mode != "department" or g.owner.id != f.staff:
            return
        if g.has_deposit:
            self._unindex(g)
            g.set_owner(
                DEPARTMENT,
                f.at,
                "owned",
                Reason(
                    "S16.3",
                    f"{self._who(f.staff)} 离职,已下定客户归销售部",
                    "left: the deposit customer is the department's",
                    (f.id,),
                    f.at,
                ),
                "departure",
            )
            g.protected_until = None
        else:
            g.former_owner = None
            self._release(
                g,
                f.at,
                Reason(
                    "S16.3",
                    f"{self._who(f.staff)} 离职,未下定客户视作新客户,由经理安排",
                    "left: customers without a deposit count as new",
                    (f.id,),
                    f.at,
                ),
            )
