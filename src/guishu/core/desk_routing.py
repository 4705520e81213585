"""The front desk's guided questions (S7.2, S10.2, S11.2, S14.2): who a walk-in goes to before
the rotation is asked. Pure: the answers in, a ``Walkin`` route out, with the rule and words.

Been here, or his family has (S7.2, S14.2), or called before: the consultant he names (or the
one the desk's lookup found). A consultant sent him an SMS (S11.2, where the policy asks it):
that one. An appointment: the consultant he booked (S7.4). Only here to pay a deposit or sign
(S7.5, S1.C11): his consultant if he has one, else a helper. Sent by developer or non-sales
staff: the duty consultant, whom he may not pick (S18.23). An old customer brought him: the
policy's referral rule (S1.C8 rotation, S8.8, S14.3d, S16.14). Refused his consultant after the
manager's review: the next in rotation (S8.9). Otherwise a first visit: the rotation (S7.3, S11.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from guishu.core.policy import Policy
from guishu.core.rotation import Walkin

Referral = Literal["accompanied", "named", "introduced"]


@dataclass(frozen=True, slots=True)
class Answers:
    """What the desk asked and heard. ``consultant``: the one he names or was found with."""

    been_here: bool = False  # he, or his family, visited or called before (S7.2, S14.2)
    consultant: str | None = None
    sms_from: str | None = None  # S11.2: "did a consultant send you an SMS?"
    appointment: bool = False  # S7.4: he booked with ``consultant``
    purpose: Literal["enquiry", "deposit_only", "signing_only"] = "enquiry"
    sent_by_staff: bool = False  # S18.23: sent by the developer's or non-sales staff
    referral: Referral | None = None  # an old customer brought him (老带新): how
    referrer_consultant: str | None = None  # the old customer's consultant
    refuses_original: bool = False  # S8.8: he clearly asks not to be served by the original
    refused: str | None = None  # S8.9: the consultant he refused, after the manager's review


@dataclass(frozen=True, slots=True)
class Routed:
    walkin: Walkin
    rule: str
    zh: str
    en: str


def route(p: Policy, a: Answers) -> Routed:
    """The route the guided questions give under policy ``p``."""
    if a.refused:
        return Routed(Walkin("refused", a.refused), p.refusal.rule, "拒绝原顾问(经理已复核)", "refused his consultant")
    if a.sent_by_staff:  # S18.23: no picking, whatever he names
        rule = p.rotation.staff_sent_rule
        return Routed(Walkin("sent_by_staff"), rule, "开发商/非销售人员介绍", "sent by developer or non-sales staff")
    if a.purpose != "enquiry":
        return Routed(
            Walkin("deposit_only", a.consultant), "S7.5", "仅来交定金/签约", "here only to pay a deposit or sign"
        )
    if a.appointment and a.consultant:
        return Routed(Walkin("appointment", a.consultant), p.rotation.appointment_rule, "预约客户", "an appointment")
    if a.consultant and (a.been_here or p.naming.without_record):
        return Routed(Walkin("returning", a.consultant), p.rotation.returning_rule, "来过/指名", "has been here")
    if p.naming.sms and a.sms_from:
        return Routed(Walkin("returning", a.sms_from), "S11.2", "顾问发过短信", "a consultant sent him an SMS")
    if a.referral is not None and a.referrer_consultant:
        return _referral(p, a)
    return Routed(Walkin("new"), p.rotation.rule, "首次来访", "first visit")


def _referral(p: Policy, a: Answers) -> Routed:
    mode, rule = p.referral.mode, p.referral.rule
    if p.rotation.referral_to_original:  # S18.8: brought in person or naming him: the original
        mode, rule = "accompanied_or_named", p.rotation.referral_rule or rule
    to_original = {
        "none": False,  # S1.C1, S1.C8, S1.C10: a referred new customer follows the rotation
        # S8.8: brought in person (unless he clearly asks otherwise), or alone naming the original
        "accompanied_unless_refused": (a.referral == "accompanied" and not a.refuses_original) or a.referral == "named",
        "accompanied_or_named": a.referral in ("accompanied", "named"),  # S16.14, S18.8
        "unregistered_accompanied": a.referral == "accompanied",  # S14.3d
    }[mode]
    if to_original and a.referrer_consultant:
        return Routed(
            Walkin("returning", a.referrer_consultant),
            rule,
            "老带新,归原顾问",
            "brought by an old customer: his consultant",
        )
    return Routed(Walkin("new"), rule, "老带新,按轮序", "brought by an old customer: the rotation")
