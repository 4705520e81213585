"""Desk actions: each validates against the site's policy, then makes one append to the record."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from guishu.core.events import FactError, Registration, fact_from_dict
from guishu.core.registration_rules import FIELD_ZH, missing_fields
from guishu.record import engines
from guishu.record.actions import Appended, RecordInputError, append_fact
from guishu.record.models import Project


def register_contact(*, project: Project, actor: User, data: dict[str, Any]) -> Appended:
    """Register a call or visit; refuse it when the policy's required fields are missing."""
    try:
        probe = fact_from_dict({**data, "id": "probe", "at": timezone.now().isoformat()})
    except FactError as exc:
        raise RecordInputError(exc.field, exc.message) from None
    assert isinstance(probe, Registration)
    if probe.customer.phone is None:
        raise RecordInputError("customer.phone", "必填: 客户本人联系方式 / the customer's own phone is required")
    policy = engines.live_engine(project).engine.policy_at(probe.at)
    missing = missing_fields(probe, policy)
    if missing:
        rule = policy.validity.visit_rule if probe.mode == "visit" else policy.validity.call_rule
        first = missing[0]
        raise RecordInputError(
            f"customer.{first}" if first != "signature" else "signed",
            f"{rule} 要求填写{FIELD_ZH[first]} / required by {rule}",
        )
    return append_fact(project=project, data=data, actor=actor)


def log_follow_up(*, project: Project, actor: User, phone: str, method: str) -> Appended:
    return append_fact(
        project=project,
        data={"kind": "follow_up", "phone": phone, "consultant": actor.get_username(), "method": method},
        actor=actor,
    )


def claim_pending(*, project: Project, actor: User, pending: str) -> Appended:
    """S8.10: the original consultant claims; the clerk's check of his records is a later fact."""
    return append_fact(
        project=project,
        data={"kind": "claim", "pending": pending, "consultant": actor.get_username(), "verified": True},
        actor=actor,
    )


def approve_complaint(*, project: Project, actor: User, complaint: dict[str, Any]) -> Appended:
    """S8.9, S14.3e: the manager's review is a new fact: the same complaint, approved by him."""
    data: dict[str, Any] = {k: complaint[k] for k in ("phone", "against", "type") if k in complaint}
    return append_fact(
        project=project, data={"kind": "complaint", **data, "approved_by": actor.get_username()}, actor=actor
    )


def rule_owner(*, project: Project, actor: User, phone: str, owner: str | None, rule: str, reason: str) -> Appended:
    """A manager's decision (S18.15, S18.16, S16.13) recorded as a fact with its rule and reason."""
    if not reason.strip():
        raise RecordInputError("reason", "必须写明理由 / a decision needs its reason")
    return append_fact(
        project=project,
        data={
            "kind": "ruling",
            "phone": phone,
            "owner": owner or None,
            "by": actor.get_username(),
            "rule": rule,
            "reason": reason,
        },
        actor=actor,
    )


def change_policy(*, project: Project, actor: User, policy: str, effective_at: str) -> Appended:
    """The site's policy from a time on; earlier verdicts are never rewritten."""
    from guishu.policies import PRESET_IDS

    if policy not in PRESET_IDS:
        raise RecordInputError("policy", f"未知的制度 {policy} / unknown preset")
    return append_fact(
        project=project, data={"kind": "policy_changed", "policy": policy, "effective_at": effective_at}, actor=actor
    )
