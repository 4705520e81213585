"""Call and visit registrations: first valid registration, naming, referrals, collisions.

S1.5, S1.C5, S1.C6, S4.5, S4.7, S7.2, S8.1, S8.2, S8.8, S10.2, S11.2, S14.2, S14.3b, S14.3d, S14.4, S16.14.
"""

from __future__ import annotations

from datetime import datetime

from guishu.core.engine_state import EngineState
from guishu.core.events import (
    Registration,
)
from guishu.core.groups import (
    Assisted,
    GroupState,
)
from guishu.core.identity import normalise_name
from guishu.core.policy import Policy
from guishu.core.registration_rules import registration_fines, registration_problems
from guishu.core.staff import AWAY, UNAVAILABLE
from guishu.core.verdict import (
    CollisionRecord,
    Reason,
)


class RegistrationRules(EngineState):
    def _registration(self, g: GroupState, f: Registration) -> None:
        p = self.policy_at(f.at)
        x = f.consultant
        for key, penalty in registration_fines(f, p, self.tz):
            self.penalties[(f.id, key)] = penalty
        if f.customer.name:
            g.add_name(normalise_name(f.customer.name))
        problem = registration_problems(f, p)
        if problem is not None:
            self.invalid[f.id] = problem  # an invalid entry is no record (S16.4, S11.5)
            return
        if f.answers.asked is not None:
            g.mark("asked", x, f.answers.asked)
        g.record(x, f.at)
        if p.ownership.basis != "registration":
            return  # S6 / S18: registrations are the visitor sheet, not the basis
        if f.mode not in p.ownership.counts:
            g.note(
                Reason(
                    p.ownership.rule,
                    "来电登记不作为归属依据,以来访登记为准",
                    "a call registration does not decide ownership here",
                    (f.id,),
                    f.at,
                )
            )
            return
        if g.state in ("pending", "disputed"):
            g.note(
                Reason(
                    p.pending.rule if g.state == "pending" else "S18.16",
                    "待确认/争议中,登记仅作记录",
                    "pending or in dispute: recorded only",
                    (f.id,),
                    f.at,
                )
            )
            return
        owner = g.owner.id if g.owner.kind == "consultant" else None
        if owner is None and x in g.refused:
            # S1.6, S8.9, S14.3e: the refused consultant is stopped from serving this customer
            g.note(
                Reason(
                    p.refusal.rule,
                    f"{self._who(x)} 已被客户拒绝/投诉,不得再接待登记",
                    f"{x} was refused by this customer and may not register him again",
                    (f.id,),
                    f.at,
                )
            )
            return
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

    def _registration_of_owned(self, g: GroupState, f: Registration, p: Policy, owner: str, named: str | None) -> None:
        x = f.consultant
        if x == owner:
            if f.mode == "visit" and g.basis == "call":
                g.basis = "visit"
            self._touch(g, f.at, p)
            return
        forgot = f.answers.knows_consultant is False  # asked, he does not remember his consultant
        outranks = forgot or not p.naming.forgot_needs_answer  # v1: whatever he answered
        if p.ownership.visit_outranks_call and outranks and f.mode == "visit" and not g.has_visit and g.basis == "call":
            self._own(
                g,
                x,
                f.at,
                Reason(
                    "S1.C6",
                    ("客户不记得来电接待的顾问," if forgot else "")
                    + f"首次来访登记优先于来电登记,归来访登记人 {self._who(x)}",
                    ("the customer does not remember who took his call; " if forgot else "")
                    + "the first visit registration outranks an earlier call",
                    (f.id,),
                    f.at,
                ),
                "visit",
            )
            return
        if p.ownership.search_miss_reassigns and f.onsite_search == "not_found":
            self._own(
                g,
                x,
                f.at,
                Reason(
                    "S1.C5",
                    f"现场查找未果按轮序接待,以二次登记并接待的 {self._who(x)} 为准",
                    "not found on the spot: the second registrant who served wins",
                    (f.id,),
                    f.at,
                ),
                "visit",
            )
            return
        unnamed = forgot if p.naming.forgot_needs_answer else named is None
        if p.naming.unnamed_caller_is_new and g.basis == "call" and unnamed and f.purpose == "enquiry":
            self._own(
                g,
                x,
                f.at,
                Reason(
                    "S4.7",
                    f"来电客户记不清接电人员,由当值 {self._who(x)} 接待,视为新客户",
                    "the caller could not remember who took his call: a new customer of the receiver",
                    (f.id,),
                    f.at,
                ),
                f.mode,
            )
            return
        by_record = p.assist.from_duty_record and named != owner and self._assists_by_record(f, owner)
        on_behalf = named == owner and (not p.assist.needs_duty_record or self._unavailable(owner, f.at))
        if on_behalf or f.purpose != "enquiry" or by_record:
            status = self.staff.status(owner, f.at)
            # S16.5: a colleague standing in for an owner present but busy is not the rotation's
            chosen, rotation_zh, rotation_en = (
                (None, "", "") if status == "busy" and p.assist.busy_rule else self._by_rotation(x, owner, f, p)
            )
            g.assisted = (*g.assisted, Assisted(x, owner, f.at, f.id, status, chosen))
            if named != owner and not by_record:
                rule = p.deals.helper_rule or p.ownership.rule
            elif status not in AWAY and p.assist.busy_rule is not None:
                rule = p.assist.busy_rule  # S16.5: present but busy, a colleague receives for him
            else:
                rule = p.assist.rule or p.naming.rule
            zh = f"{self._who(x)} 代为接待 {self._who(owner)} 的客户({_STATUS_ZH.get(status, status)}),归属不变"
            en = f"{x} received {owner}'s customer on his behalf; ownership unchanged"
            if p.assist.team_fallback:
                zh, en = self._team_words(x, owner, f.at, zh, en)
            g.note(Reason(rule, zh + rotation_zh, en + rotation_en, (f.id,), f.at))
            return
        a = f.answers
        knowing = (
            a.first_visit is False
            or bool(a.called_before)
            or bool(a.family_visited)
            or (named is not None and named != x)
        )
        g.mark("collided", x, g.collided.get(x, False) or knowing)
        # S14.2 names knowing registration 抢单 and fines it; other policies just keep the first
        stealing_rule = knowing and p.collision.stealing_fine is not None
        rule = "S14.2" if stealing_rule else p.collision.rule or p.ownership.rule
        self.collisions[f.id] = CollisionRecord(g.id, f.at, owner, x, f.id, knowing, rule)
        g.note(
            Reason(
                p.ownership.rule,
                f"{self._who(x)} 的登记晚于 {self._who(owner)},以第一有效登记为准"
                + (";明知已有接待仍登记,属抢单" if knowing else ""),
                f"{x} registered after {owner}: the first valid registration wins"
                + ("; knowingly: stealing" if knowing else ""),
                (f.id,),
                f.at,
            )
        )

    def _by_rotation(self, x: str, owner: str, f: Registration, p: Policy) -> tuple[bool | None, str, str]:
        """S4.9, S7.4, S16.6: was the stand-in the one the rotation chose (None where the record
        holds no queue at that moment, or the policy names no choice), and the words for it.

        A registration that cites its reception is read against the desk's assignment, which
        the rotation decided when he arrived; otherwise against the queue at the reception."""
        how = p.assist.stand_in
        if how == "any":
            return None, "", ""
        rule = _STAND_IN[how]
        reception = self.queue.receptions.get(f.reception) if f.reception else None
        if reception is not None and reception.stand_in and reception.named == owner:
            if reception.consultant == x:
                return True, f";{rule[0]}(前台轮序指派)", f"; {rule[1]} (assigned at the desk)"
            return (
                False,
                f";前台轮序指派 {self._who(reception.consultant)} 协助,{self._who(x)} 不计辅助接待",
                f"; the desk assigned {reception.consultant} to help: no assistant's share",
            )
        standing = self.rotation.standing(f.reception_at or f.at)
        if standing is None:
            return None, "", ""
        expected = standing.stand_ins(how, excluding=(owner,))
        if x in expected:
            return True, f";{rule[0]}", f"; {rule[1]}"
        names = "、".join(self._who(c) for c in expected) or "无人"
        return (
            False,
            f";按轮序({rule[0]})应由 {names} 协助,{self._who(x)} 不计辅助接待",
            f"; by the rotation ({rule[1]}) {', '.join(expected) or 'nobody'} should have helped: no assistant's share",
        )

    def _team_words(self, x: str, owner: str, at: datetime, zh: str, en: str) -> tuple[str, str]:
        """S10.8: whose team stood in, and whether the order was kept (A's team first)."""
        team = self.staff.team(owner)
        if team is not None and self.staff.team(x) == team:
            return f"{zh};由 {self._who(owner)} 同组顺延接待", f"{en}; received by his own team"
        free = self.staff.team_free(owner, at)
        if free:
            names = "、".join(self._who(s) for s in sorted(free))
            return (
                f"{zh};{self._who(owner)} 组内尚有空闲的 {names},应先由同组顺延接待",
                f"{en}; his team had {', '.join(sorted(free))} free, who should have received first",
            )
        return (
            f"{zh};{self._who(owner)} 全组忙,由另一组接待,待其本人或同组空闲后交回",
            f"{en}; his whole team was busy: another team received, to hand him back",
        )

    def _assists_by_record(self, f: Registration, owner: str) -> bool:
        """S16.1, S16.6: the customer says he has been here (first visit: no; called before;
        family visited) and the owner is recorded (duty) as away or busy at that moment: the
        receiver stands in for the owner, named or not."""
        a = f.answers
        if not (a.first_visit is False or a.called_before or a.family_visited):
            return False
        return self._unavailable(owner, f.at)

    def _unavailable(self, owner: str, at: datetime) -> bool:
        """The owner is recorded (duty) as away or busy at this moment."""
        return self.staff.status(owner, at) in UNAVAILABLE

    def _new_owner(self, g: GroupState, f: Registration, p: Policy, named: str | None) -> tuple[str, Reason]:
        x = f.consultant
        facts = (f.id,)
        if named and named != x and named not in g.refused:
            if p.naming.with_record and (g.record_of(named) is not None or named == g.former_owner):
                return named, Reason(
                    p.naming.rule,
                    f"客户指名 {self._who(named)},且有其接待记录",
                    f"the customer named {named}, who has a record",
                    facts,
                    f.at,
                )
            if p.naming.without_record:
                return named, Reason(
                    p.naming.without_record_rule,
                    f"客户指名 {self._who(named)},虽未登记也归其所有",
                    f"the customer named {named}: his even unregistered",
                    facts,
                    f.at,
                )
        if p.naming.sms:
            sender = f.answers.sms_from
            if sender is None and len(g.sms_from) == 1:
                sender = g.sms_from[0]
            if sender and sender != x and sender in g.sms_from:
                return sender, Reason(
                    "S11.2",
                    f"客户收到 {self._who(sender)} 的短信,转由其接待",
                    f"the customer had an SMS from {sender}",
                    facts,
                    f.at,
                )
        if f.referred_by:
            referrer = self.by_phone.get(f.referred_by)
            r_owner = referrer.owner.id if referrer and referrer.owner.kind == "consultant" else None
            mode = p.referral.mode
            if r_owner and r_owner != x and r_owner not in g.refused:
                if mode == "accompanied_unless_refused" and (
                    (f.accompanied and not f.refuses_original) or named == r_owner
                ):
                    return r_owner, Reason(
                        p.referral.rule,
                        f"老客户带新客户,新客户归原销售 {self._who(r_owner)}",
                        f"brought by an old customer: {r_owner}'s",
                        facts,
                        f.at,
                    )
                # S16.14: accompanied, or the new customer mentions the old one or names the
                # consultant; a referral recorded without its kind is taken as mentioned (v1)
                if mode == "accompanied_or_named" and (f.referral != "introduced" or named == r_owner):
                    how = ("consultant" if named == r_owner else f.referral) if f.referral is not None else ""
                    zh, en = _S16_14.get(how, ("陪同或指名", "accompanied or named"))  # kind unstated: v1's words
                    return r_owner, Reason(
                        p.referral.rule,
                        f"老客户介绍({zh}),归原销售 {self._who(r_owner)}",
                        f"referred ({en}): {r_owner}'s",
                        facts,
                        f.at,
                    )
                if mode == "unregistered_accompanied" and f.accompanied:
                    return r_owner, Reason(
                        p.referral.rule,
                        f"新客户未登记,老带新成功,归 {self._who(r_owner)}",
                        f"unregistered new customer: referral succeeds, {r_owner}'s",
                        facts,
                        f.at,
                    )
            if mode == "none" or r_owner:
                rule = p.referral.rule
                return x, Reason(
                    rule,
                    f"老客户介绍的新客户按轮序,归接待人 {self._who(x)}",
                    f"a referred new customer follows the rotation: {x}'s",
                    facts,
                    f.at,
                )
        if g.refused:
            return x, Reason(
                p.refusal.rule,
                f"原销售被拒绝/投诉后另行接待登记,归 {self._who(x)}",
                f"after the refusal, registered anew: {x}'s",
                facts,
                f.at,
            )
        if g.former_owner and g.former_owner != x:
            return x, Reason(
                p.protection.rule,
                f"原销售 {self._who(g.former_owner)} 跟进已过期,客户未指认,按新客户归 {self._who(x)}",
                "the original's follow-up lapsed and the customer did not name him",
                facts,
                f.at,
            )
        mode_zh = "来访" if f.mode == "visit" else "来电"
        return x, Reason(
            p.ownership.rule,
            f"第一有效{mode_zh}登记,归接待人 {self._who(x)}",
            f"first valid {f.mode} registration: {x}'s",
            facts,
            f.at,
        )


_S16_14 = {  # how the referral came (S16.14's first two cases): Chinese, English
    "accompanied": ("老客户陪同", "the old customer came along"),
    "named": ("新客户提及老客户", "the new customer named the old one"),
    "consultant": ("新客户指明找原销售", "the new customer asked for the consultant"),
}

_STAND_IN = {  # the rotation's choice of stand-in: Chinese, English
    "fewest": ("最少制,接待次数最少者", "least-count: the fewest receptions"),
    "last_in_rotation": ("轮序最后一位", "the last in rotation"),
}

_STATUS_ZH = {
    "day_off": "休息",
    "absent": "不在案场",
    "out": "外出",
    "sick": "病假",
    "busy": "正在接待",
    "on_duty": "在岗",
    "unknown": "状态未登记",
    "left": "已离职",
}
