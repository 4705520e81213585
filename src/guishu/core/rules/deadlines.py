"""Time-driven changes: what happens at a deadline with no new fact.

A pending confirmation nobody claimed (S8.10), a protection that lapsed (S8.11, S11.4,
S18.21), a deal's window for the earlier filer to object that closed (S18.13), a channel's
visit confirmation that expired (S6.7). They are computed from the deadlines, lazily, when
the group is next touched or read, never from a clock.
"""

from __future__ import annotations

from datetime import datetime

from guishu.core.engine_state import EngineState
from guishu.core.groups import GroupState
from guishu.core.verdict import Reason


class DeadlineRules(EngineState):
    def _advance(self, g: GroupState, t: datetime) -> None:
        """Apply the time-driven changes due by ``t``, earliest first (hot path: one call per fact)."""
        while True:
            until = g.protected_until
            rare = g.rare  # read once: the rare fields' descriptors cost a call each
            if rare is None:  # most groups: only a protection can lapse
                if until is None or t < until or g.locked or g.owner.kind != "consultant":
                    return
                when: datetime | None = until
                what = "lapse"
            else:
                when, what = None, ""
                pend = rare.pending
                if pend is not None and pend.deadline is not None and t >= pend.deadline:
                    when, what = pend.deadline, "pending"
                if (
                    until is not None
                    and t >= until
                    and not g.locked
                    and g.owner.kind == "consultant"
                    and (when is None or until < when)
                ):
                    when, what = until, "lapse"
                w = rare.open_window
                wd = w.raise_deadline if w is not None else None
                if wd is not None and t >= wd and (when is None or wd < when):
                    when, what = wd, "window"
                cu = rare.channel_until
                if (
                    cu is not None
                    and t >= cu
                    and rare.channel is not None
                    and not rare.channel_locked
                    and (when is None or cu < when)
                ):
                    when, what = cu, "channel"
            if when is None:
                return
            p = self.policy_at(when)
            if what == "pending":
                assert g.pending is not None
                filer = g.pending.filer
                days = p.pending.claim_days
                if g.pending.claims and p.pending.verification == "clerk":  # claimed, never verified
                    zh = f"待确认登记{days}日(含)内认领未经内业或经理核实,归登记人 {self._who(filer)}"
                    en = f"claimed but not verified within {days} days: the filing consultant's"
                    facts = (g.pending.fact, *(c for c, _ in g.pending.claims))
                else:
                    zh = f"待确认登记{days}日(含)内无人认领,归登记人 {self._who(filer)}"
                    en = f"unclaimed within {days} days: the filing consultant's"
                    facts = (g.pending.fact,)
                self._own(g, filer, when, Reason(p.pending.rule, zh, en, facts, when), "pending")
            elif what == "lapse":
                # a policy changed since the deadline was set: its own protection governs now
                if p.protection.basis == "none":
                    g.protected_until = None
                    continue
                if p.protection.basis == "follow_up" and p.protection.days is not None and g.last_contact:
                    renewed = self.days.end(g.last_contact, p.protection.days)
                    if renewed > when:
                        g.protected_until = renewed
                        continue
                g.former_owner = g.owner.id
                for_days = p.protection.days
                if p.protection.basis == "confirmation":
                    g.confirmations = tuple(
                        c for c in g.confirmations if (u := self._conf_until(c, p)) is None or u > when
                    )
                self._release(
                    g,
                    when,
                    Reason(
                        p.protection.rule,
                        f"{self._who(g.former_owner)} 超过{for_days}日未跟进/未再次确认,保护失效,视为新客户",
                        f"no contact or re-confirmation within {for_days} days: protection lapsed",
                        (),
                        when,
                    ),
                )
            elif what == "window":
                w = g.open_window
                assert w is not None
                g.open_window = None
                self._own(
                    g,
                    w.deal.closer,
                    when,
                    Reason(
                        "S18.13",
                        "成交后三日内原确认人未提出,归成交人员",
                        "not raised within 3 days of the deal: the closer's",
                        (w.deal.id,),
                        when,
                    ),
                    "deal",
                )
                g.locked = True
            else:
                g.note(
                    Reason(
                        "S6.7",
                        f"渠道 {g.channel.id if g.channel else ''} 到访确认已过{p.channel.visit_days}天有效期",
                        "the channel's visit confirmation expired",
                        (),
                        when,
                    )
                )
                g.channel = None
                g.channel_until = None

    # ------------------------------------------------------------------ global facts
