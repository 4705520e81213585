"""Deals: capture what the commission split depends on, at the moment of the deal.

S4.9b, S16.9-S16.12, S18.13, S18.14, S18.22, S18.24; and what follows a deal (S9.1):
a refund (退房), a unit change (换房), the payment stages (回款).
"""

from __future__ import annotations

from dataclasses import replace

from guishu.core.engine_state import EngineState
from guishu.core.events import (
    Deal,
    DealRefunded,
    PaymentMilestone,
    QualificationCheck,
    UnitChanged,
)
from guishu.core.groups import (
    DealContext,
    GroupState,
    day_end,
    same_local_day,
)
from guishu.core.identity import match_names, normalise_name
from guishu.core.qualification import CHECK_RULES
from guishu.core.verdict import Invalid, Reason


class DealRules(EngineState):
    def _deal(self, g: GroupState, f: Deal) -> None:
        p = self.policy_at(f.at)
        if p.modules.qualification and f.qualified is False:
            # S2.2: a buyer who fails the eligibility check makes no deal to attribute
            self.invalid[f.id] = Invalid(
                f.id, "S2.2", "购房资格审核未通过,成交不计", "the buyer failed the eligibility check", ("qualified",)
            )
            return
        owner = g.owner
        closer_collided = g.collided.get(f.closer)  # None: he never registered this customer
        developer_excluded = False
        if p.deals.developer_notice and g.developer_notice_at is not None:
            first_contact = g.record_of(f.closer)
            developer_excluded = first_contact is None or first_contact >= g.developer_notice_at
        name_owner = None
        if p.deals.name_decides and g.confirmations:
            name_owner = self._name_owner(g, f)
        window = None
        if (
            p.collision.raise_days is not None
            and owner.kind == "consultant"
            and owner.id != f.closer
            and name_owner in (None, owner.id)
        ):
            window = day_end(f.at, p.collision.raise_days, self.tz)
        ctx = DealContext(
            deal=f,
            policy=p,
            owner=owner,
            channel=g.channel.id if g.channel else None,
            assisted=g.assisted,
            closer_collided=closer_collided,
            closer_asked=g.asked.get(f.closer, False),
            refused_original=g.refused_original,
            first_deposit=f.type == "deposit" and not g.has_deposit,
            had_deposit_before=g.has_deposit,
            developer_excluded=developer_excluded,
            raise_deadline=window,
            name_owner=name_owner,
            same_day_assists=frozenset(a.fact for a in g.assisted if same_local_day(a.at, f.at, self.tz)),
        )
        g.deals = (*g.deals, ctx)
        moved = (
            name_owner is not None and p.deals.name_owns and not (owner.kind == "consultant" and owner.id == name_owner)
        )
        if moved:
            assert name_owner is not None
            self._own(
                g,
                name_owner,
                f.at,
                Reason(
                    "S18.14",
                    f"以认购/签约名称为准,归名称一致且确认在先的 {self._who(name_owner)}",
                    "the name on the contract decides: the customer is the matching earlier confirmation's",
                    (f.id,),
                    f.at,
                ),
                "deal",
            )
        if f.type == "signing":
            self.signings.setdefault(f.closer, []).append(f.at)
        g.has_deposit = True  # a subscription or signing implies the deposit (下定) was paid
        if window is not None:
            g.open_window = ctx
        elif owner.kind == "pool" and not moved:
            self._own(
                g,
                f.closer,
                f.at,
                Reason(
                    p.ownership.rule,
                    f"公共客户由 {self._who(f.closer)} 成交",
                    "a public customer closed",
                    (f.id,),
                    f.at,
                ),
                "deal",
            )
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

    # ------------------------------------------------------------------ after the deal (S9.1)

    def _deal_of(self, g: GroupState, f: DealRefunded | UnitChanged | PaymentMilestone) -> int | None:
        """The index of the deal ``f`` names in the group's deals, or None (and ``f`` invalid)."""
        for i, ctx in enumerate(g.deals):
            if ctx.deal.id == f.deal:
                if ctx.refunded is not None:
                    self.invalid[f.id] = Invalid(
                        f.id, "S9.1", "该成交已退房", "the deal was refunded already", ("deal",)
                    )
                    return None
                return i
        self.invalid[f.id] = Invalid(f.id, "S9.1", "该客户没有这笔成交", "no such deal of this customer", ("deal",))
        return None

    def _refund(self, g: GroupState, f: DealRefunded) -> None:
        """退房: the deal and the group's earlier deals of the same unit earn nothing from now.
        The customer stays his owner's unless the policy releases him (deals.refund_releases)."""
        i = self._deal_of(g, f)
        if i is None:
            return
        unit = g.deals[i].unit_at(f.at)[0]
        refunded = (f.at, f.id, f.reason)
        g.deals = tuple(
            replace(c, refunded=refunded)
            if j == i or (j < i and c.refunded is None and c.unit_at(f.at)[0] == unit)
            else c
            for j, c in enumerate(g.deals)
        )
        p = self.policy_at(f.at)
        reason = Reason(
            "S9.1",
            f"退房({f.reason}),该成交此后不计佣金" + (";客户转为公共客户" if p.deals.refund_releases else ""),
            "refunded: the deal earns nothing from now"
            + ("; the customer is public" if p.deals.refund_releases else ""),
            (f.id, f.deal),
            f.at,
        )
        if p.deals.refund_releases and not any(c.refunded is None for c in g.deals):
            g.locked = False
            if g.owner.kind == "consultant":
                g.former_owner = g.owner.id
            self._release(g, f.at, reason)
        else:
            g.note(reason)

    def _unit_changed(self, g: GroupState, f: UnitChanged) -> None:
        """换房: the deal's unit (and price) from now; its split stays with it."""
        i = self._deal_of(g, f)
        if i is None:
            return
        ctx = g.deals[i]
        g.deals = (
            *g.deals[:i],
            replace(ctx, changes=(*ctx.changes, (f.at, f.id, f.unit, f.amount))),
            *g.deals[i + 1 :],
        )
        before = ctx.unit_at(f.at)[0] or "-"
        g.note(Reason("S9.1", f"换房 {before} → {f.unit}", f"unit changed {before} → {f.unit}", (f.id, f.deal), f.at))

    def _payment(self, g: GroupState, f: PaymentMilestone) -> None:
        """回款: a stage of the deal's price paid, once each."""
        i = self._deal_of(g, f)
        if i is None:
            return
        ctx = g.deals[i]
        if any(stage == f.stage for _t, _fact, stage, _a in ctx.payments):
            self.invalid[f.id] = Invalid(
                f.id, "S9.1", "该回款节点已登记", "this payment stage is recorded already", ("stage",)
            )
            return
        g.deals = (
            *g.deals[:i],
            replace(ctx, payments=(*ctx.payments, (f.at, f.id, f.stage, f.amount))),
            *g.deals[i + 1 :],
        )

    # ------------------------------------------------------------------ 资格审核 (S2, S15.4)

    def _qualification_check(self, g: GroupState, f: QualificationCheck) -> None:
        """One item of the customer's checklist; the latest check of an item decides it."""
        if not self.policy_at(f.at).modules.qualification:
            self.invalid[f.id] = Invalid(
                f.id, "S2.2", "本案场制度没有购房资格审核", "the policy has no eligibility check", ("item",)
            )
            return
        g.checks = (*g.checks, f)
        rule, zh, en = CHECK_RULES[f.item]
        who = self._who(f.by)
        g.note(
            Reason(
                rule,
                f"{zh}{'通过' if f.passed else '未通过'}({who})",
                f"{en} {'passed' if f.passed else 'failed'} ({who})",
                (f.id,),
                f.at,
            )
        )
