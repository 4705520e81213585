"""Complaints, refusals, disputes and appeals, each one fact under the signed-in person's name.

- A complaint or a refusal of his consultant (S1.6, S8.9, S14.3e, S16.13, S18.25) is what the
  customer says at the desk: the front desk, clerk or manager records it; it counts once the
  manager has reviewed it (his own filing is his review).
- A dispute (查询单, S18.16; within three days of a deal, S18.13) is filed by a consultant with
  his written statement; the manager decides it by a ruling under a clause of the site's policy.
- An appeal against the manager's decision (S18.17) and its outcome are recorded by the
  developer's marketing manager: rejected (the appellant fined) or overturned (the deciders
  fined, and who owns the customer from when).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from guishu.core import inputs
from guishu.core.attribution import Attributor
from guishu.record import engines
from guishu.record.actions import Appended, RecordInputError, append_decided, append_fact
from guishu.record.models import Entry, Membership
from guishu.sites.access import SiteAccess, require
from guishu.sites.actions import checked
from guishu.sites.roles import SELLERS

NOTE_MAX = 500  # a statement, a reason: a paragraph
COMPLAINT_TYPES = ("complaint", "refusal")
OUTCOMES = ("rejected", "overturned")
DECIDERS = (*SELLERS, "manager")  # who an overturned appeal may find did not follow the policy


def _known(access: SiteAccess, phone: str) -> str:
    full = checked("phone", inputs.clean_phone, phone)
    live = engines.live_engine(access.project)
    with live.lock:
        known = full in live.engine.by_phone
    if not known:
        raise RecordInputError("phone", "记录中没有这个客户 / no such customer in the record")
    return full


def _member(access: SiteAccess, staff: str, field: str, roles: tuple[str, ...]) -> str:
    staff = checked(field, inputs.clean_staff, staff)
    member = Membership.objects.filter(project=access.project, staff=staff, left_at__isnull=True).first()
    if member is None or member.role not in roles:
        raise RecordInputError(field, "不是本案场在职的置业顾问 / not a consultant of this site")
    return staff


def file_complaint(*, access: SiteAccess, phone: str, against: str, type: str) -> Appended:
    """The customer's complaint or refusal of a consultant, as heard at the desk."""
    require(access, "complain")
    full = _known(access, phone)
    against = _member(access, against, "against", SELLERS)
    if type not in COMPLAINT_TYPES:
        raise RecordInputError("type", "应为投诉或拒绝该顾问 / a complaint or a refusal")
    data: dict[str, Any] = {"kind": "complaint", "phone": full, "against": against, "type": type}
    if access.can("decide"):  # the manager's own filing is his review (S8.9, S14.3e)
        data["approved_by"] = access.staff
    return append_fact(project=access.project, data=data, actor=access.user)


def raise_dispute(*, access: SiteAccess, phone: str, note: str) -> Appended:
    """查询单 (S18.16): a consultant disputes whose customer this is, with his statement."""
    require(access, "dispute")
    full = _known(access, phone)
    note = checked("note", inputs.clean_text, note, max_length=NOTE_MAX, required=True)
    return append_fact(
        project=access.project,
        data={"kind": "dispute_raised", "phone": full, "consultant": access.staff, "note": note},
        actor=access.user,
    )


def _entry(access: SiteAccess, fact: str, kind: str, field: str, missing: str) -> Entry:
    fact = checked(field, inputs.clean_text, fact, max_length=64, required=True)
    entry = Entry.objects.filter(project=access.project, kind=kind, fact_id=fact).first()
    if entry is None or not isinstance(entry.payload, dict):
        raise RecordInputError(field, missing)
    return entry


def decide_dispute(*, access: SiteAccess, dispute: str, owner: str, rule: str, reason: str) -> Appended:
    """The manager's decision of a dispute: who owns the customer, by which clause, and why."""
    require(access, "decide")
    entry = _entry(access, dispute, "dispute_raised", "dispute", "没有这份查询单 / no such dispute")
    owner = _member(access, owner, "owner", SELLERS)
    rule = checked("rule", inputs.clean_text, rule, max_length=32, required=True)
    reason = checked("reason", inputs.clean_text, reason, max_length=NOTE_MAX, required=True)
    phone = str(entry.payload["phone"])

    def decide(engine: Attributor, at: datetime) -> dict[str, Any]:
        policy = engine.policy_at(at)
        if rule not in set(policy.rules) | set(policy.not_computable):
            raise RecordInputError("rule", f"{rule} 不是本案场制度的条款 / not a clause of the site's policy")
        if decided(engine, entry):
            raise RecordInputError("dispute", "这份查询单已裁定 / this dispute is decided already")
        return {"kind": "ruling", "phone": phone, "owner": owner, "by": access.staff, "rule": rule, "reason": reason}

    return append_decided(project=access.project, decide=decide, actor=access.user)


def decided(engine: Attributor, dispute: Entry) -> bool:
    """A ruling on the dispute's customer came after it (the caller holds the engine's lock)."""
    g = engine.by_phone.get(str(dispute.payload.get("phone", "")))
    if g is None:
        return False
    at = dispute.at
    return any(f.kind == "ruling" and f.at >= at for f in g.facts)


def record_appeal(
    *,
    access: SiteAccess,
    ruling: str,
    appellant: str,
    outcome: str,
    responsible: list[str],
    owner: str,
) -> Appended:
    """S18.17: an appeal against a manager's ruling and its outcome, with what it carries."""
    require(access, "appeal")
    entry = _entry(access, ruling, "ruling", "ruling", "没有这项裁定 / no such ruling")
    appellant = _member(access, appellant, "appellant", SELLERS)
    if outcome not in OUTCOMES:
        raise RecordInputError("outcome", "应为驳回或改判 / rejected or overturned")
    deciders = [_member(access, who, "responsible", DECIDERS) for who in responsible if who]
    new_owner = _member(access, owner, "owner", SELLERS) if owner else None
    if outcome == "rejected" and (deciders or new_owner):
        raise RecordInputError("outcome", "驳回的申诉不改变归属,不追究判定人 / a rejected appeal changes nothing")
    if outcome == "overturned" and new_owner is None:
        raise RecordInputError("owner", "改判须写明客户归谁 / an overturn names the new owner")
    data: dict[str, Any] = {
        "kind": "appeal",
        "phone": str(entry.payload["phone"]),
        "appellant": appellant,
        "outcome": outcome,
        "responsible": deciders,
    }
    if new_owner:
        data["owner"] = new_owner  # from the appeal's own time (its effective_at left out)
    return append_fact(project=access.project, data=data, actor=access.user)
