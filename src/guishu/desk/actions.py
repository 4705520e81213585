"""Desk actions: each asks the site's access rules, validates against the site's policy, then
makes one append to the record. The actor is always the signed-in person's membership."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils import timezone

from guishu.core import inputs
from guishu.core.events import DisclosureScreen, FactError, Registration, fact_from_dict
from guishu.core.qualification import CHECK_ITEMS
from guishu.core.registration_rules import FIELD_ZH, missing_fields
from guishu.desk.cards import CustomerCard
from guishu.desk.selectors import pending_item, verdict_now
from guishu.policies import is_preset, load_preset
from guishu.record import engines
from guishu.record.actions import Appended, RecordInputError, append_fact
from guishu.record.models import Entry, Membership
from guishu.sites.access import NotPermitted, SiteAccess, require
from guishu.sites.actions import checked
from guishu.sites.roles import SELLERS

REASON_MAX = 500  # a ruling's reason: a paragraph, not a file


def register_contact(*, access: SiteAccess, data: dict[str, Any]) -> Appended:
    """Register a call or visit; refuse it when the policy's required fields are missing."""
    require(access, "register_for" if data.get("entered_by") else "register")
    _check_texts(data)
    if data.get("entered_by"):
        _require_seller(access, data.get("consultant", ""), "receiver")
    try:
        probe = fact_from_dict({**data, "id": "probe", "at": timezone.now().isoformat()})
    except FactError as exc:
        raise RecordInputError(exc.field, exc.message) from None
    assert isinstance(probe, Registration)
    if probe.customer.phone is None:
        raise RecordInputError("customer.phone", "必填: 客户本人联系方式 / the customer's own phone is required")
    policy = engines.live_engine(access.project).engine.policy_at(probe.at)
    missing = missing_fields(probe, policy)
    if missing:
        rule = policy.validity.visit_rule if probe.mode == "visit" else policy.validity.call_rule
        first = missing[0]
        raise RecordInputError(
            f"customer.{first}" if first != "signature" else "signed",
            f"{rule} 要求填写{FIELD_ZH[first]} / required by {rule}",
        )
    return append_fact(project=access.project, data=data, actor=access.user)


def _check_texts(data: dict[str, Any]) -> None:
    """The registration's typed texts as every new input is checked (core.inputs), whoever
    calls: a name the columns or PostgreSQL cannot hold never reaches the record."""
    customer = data.get("customer") or {}
    answers = data.get("answers") or {}
    if not isinstance(customer, dict) or not isinstance(answers, dict):
        raise RecordInputError("customer", "格式不对 / malformed")
    texts = (("name", inputs.clean_name), ("intent", inputs.clean_text), ("source", inputs.clean_text))
    for key, clean in (*texts, ("company", inputs.clean_text), ("id_number", inputs.clean_id_number)):
        if isinstance(customer.get(key), str):
            checked(f"customer.{key}", clean, customer[key], required=False)
    for companion in data.get("companions") or ():
        if isinstance(companion, dict) and isinstance(companion.get("name"), str):
            checked("companions", inputs.clean_name, companion["name"], required=False)
    for key in ("named_consultant", "sms_from"):
        if isinstance(answers.get(key), str):
            checked(f"answers.{key}", inputs.clean_staff, answers[key], required=False)


def _require_seller(access: SiteAccess, staff: str, field: str) -> Membership:
    member = Membership.objects.filter(project=access.project, staff=staff, left_at__isnull=True).first()
    if member is None or member.role not in SELLERS:
        raise RecordInputError(field, f"{staff or '(空)'} 不是本案场在职的置业顾问 / not a consultant of this site")
    return member


def log_follow_up(*, access: SiteAccess, group: str, method: str) -> Appended:
    """S8.11: the owner records his follow-up; nobody follows up another's customer."""
    require(access, "own_customers")

    v = verdict_now(access.project, group) if group else None
    if v is None:
        raise RecordInputError("group", "没有这个客户 / no such customer")
    if v.owner.kind != "consultant" or v.owner.id != access.staff:
        raise NotPermitted("group", "只能跟进自己的客户 / only your own customers")
    if method not in ("call", "sms", "visit"):
        raise RecordInputError("method", "跟进方式应为电话、短信或来访 / call, sms or visit")
    return append_fact(
        project=access.project,
        data={"kind": "follow_up", "phone": v.members[0], "consultant": access.staff, "method": method},
        actor=access.user,
    )


def file_pending(*, access: SiteAccess, group: str) -> Appended:
    """S8.10, S14.3a: a returning customer who forgot his consultant; the receiver files it."""
    require(access, "file_pending")

    policy = engines.policy_now(access.project)
    if not policy.pending.enabled:
        raise RecordInputError("group", "本案场制度没有待确认登记 / this site's policy has no pending confirmations")
    v = verdict_now(access.project, group) if group else None
    if v is None:
        raise RecordInputError("group", "没有这个客户 / no such customer")
    if v.state == "pending":
        raise RecordInputError("group", "已有待确认登记 / already pending")
    return append_fact(
        project=access.project,
        data={"kind": "pending_confirmation", "phone": v.members[0], "consultant": access.staff},
        actor=access.user,
    )


def claim_pending(*, access: SiteAccess, group: str) -> Appended:
    """S8.10: a consultant of the site other than the filer claims; the claim waits for a clerk's
    or manager's verification. The claimant is the signed-in person, never a form field."""
    require(access, "claim")

    item = pending_item(access.project, group)
    if item is None:
        raise RecordInputError("group", "没有待确认的登记 / nothing pending")
    if item.filer == access.staff:
        raise NotPermitted("group", "不能认领自己填写的待确认登记 / you filed it: you cannot claim it")
    if any(who == access.staff for _, who, _ in item.claims):
        raise RecordInputError("group", "您已认领,待核实 / already claimed, awaiting verification")
    return append_fact(
        project=access.project,
        data={"kind": "claim", "pending": item.pending, "consultant": access.staff, "verified": False},
        actor=access.user,
    )


def verify_claim(*, access: SiteAccess, group: str, claim: str, approved: bool) -> Appended:
    """S8.10 "经核实": a clerk or manager of the site, not the claimant, checks the claimant's
    records; the fact names him."""
    require(access, "verify_claim")

    item = pending_item(access.project, group)
    found = next((c for c in item.claims if c[0] == claim), None) if item else None
    if item is None or found is None:
        raise RecordInputError("claim", "没有这条待核实的认领 / no such claim awaiting verification")
    if found[1] == access.staff:
        raise NotPermitted("claim", "认领人不能核实自己的认领 / the claimant cannot verify his own claim")
    return append_fact(
        project=access.project,
        data={
            "kind": "claim_verified",
            "pending": item.pending,
            "claim": claim,
            "by": access.staff,
            "approved": approved,
        },
        actor=access.user,
    )


def approve_complaint(*, access: SiteAccess, fact: str) -> Appended:
    """S8.9, S14.3e: the manager's review is a new fact: the same complaint, approved by him."""
    require(access, "decide")
    fact = checked("fact", inputs.clean_staff, fact)  # a fact id: Entry.fact_id, 64
    entry = Entry.objects.filter(project=access.project, kind="complaint", fact_id=fact).first()
    if entry is None:
        raise RecordInputError("fact", "没有这条投诉 / no such complaint")
    data: dict[str, Any] = {k: entry.payload[k] for k in ("phone", "against", "type") if k in entry.payload}
    return append_fact(
        project=access.project, data={"kind": "complaint", **data, "approved_by": access.staff}, actor=access.user
    )


def rule_owner(*, access: SiteAccess, phone: str, owner: str | None, rule: str, reason: str) -> Appended:
    """A manager's decision (S18.15, S18.16, S16.13) recorded as a fact with its rule and reason:
    the customer must be in the record, the owner a consultant of this site, the rule a clause of
    the site's policy."""
    require(access, "decide")
    full = checked("phone", inputs.clean_phone, phone)
    owner = checked("owner", inputs.clean_staff, owner, required=False) or None
    rule = checked("rule", inputs.clean_text, rule, max_length=32, required=False)
    live = engines.live_engine(access.project)
    with live.lock:
        known = full in live.engine.by_phone
    policy = engines.policy_now(access.project)
    if not known:
        raise RecordInputError("phone", "记录中没有这个客户 / no such customer in the record")
    if owner:
        _require_seller(access, owner, "owner")
    clauses = set(policy.rules) | set(policy.not_computable)
    if rule not in clauses:
        raise RecordInputError(
            "rule", f"{rule[:20] or '(空)'} 不是本案场制度 {policy.key} 的条款 / not a clause of the policy"
        )
    if not reason.strip():
        raise RecordInputError("reason", "必须写明理由 / a decision needs its reason")
    reason = checked("reason", inputs.clean_text, reason, max_length=REASON_MAX)
    return append_fact(
        project=access.project,
        data={
            "kind": "ruling",
            "phone": full,
            "owner": owner or None,
            "by": access.staff,
            "rule": rule,
            "reason": reason,
        },
        actor=access.user,
    )


def change_policy(
    *,
    access: SiteAccess,
    policy: str,
    effective_at: datetime | None,
    qualification: bool = False,
    checks: Iterable[str] = (),
) -> Appended:
    """The site's policy from now or a later time on; earlier verdicts are never rewritten, so a
    time in the past is refused, never quietly moved to now. With ``qualification`` the site
    checks its buyers (S2, S15.4) over the preset, by the ``checks`` it names (its modules);
    without it the items are not asked."""
    require(access, "decide")
    if not is_preset(policy):
        raise RecordInputError("policy", f"未知的制度 {policy[:20]} / unknown preset")
    data: dict[str, Any] = {"kind": "policy_changed", "policy": policy}
    if qualification:
        chosen = set(checks)
        items = [c for c in CHECK_ITEMS if c in chosen]
        if not items:
            raise RecordInputError("checks", "至少选择一项审核 / choose at least one item")
        base = load_preset(policy).modules.model_dump(exclude_defaults=True)
        data["modules"] = base | {"qualification": True, "checks": items}
    now = timezone.now()
    when = now if effective_at is None else effective_at
    # a time typed to the minute is "now" during that minute
    if when < now.replace(second=0, microsecond=0):
        raise RecordInputError("effective_at", "生效时间不能早于现在 / the change cannot take effect in the past")
    return append_fact(
        project=access.project,
        data=data | {"effective_at": max(when, now).isoformat()},
        actor=access.user,
    )


def record_full_view(*, access: SiteAccess, cards: Iterable[CustomerCard], screen: DisclosureScreen) -> Appended | None:
    """S3.1: the full phones a screen is about to show, as one ``disclosed`` fact of the site's
    record (chained and signed like any fact), naming the person who sees them; nothing when
    every card is masked. Every view that renders cards calls it before rendering, so a failed
    append fails the screen: full data is never shown without its entry.

    No role is asked: seeing the cards was the view's own action, and who may see a phone in
    full (his own customer's) was decided by the card."""
    phones = tuple(dict.fromkeys(p for c in cards if c.full for p in c.verdict.members))
    if not phones:
        return None
    return append_fact(
        project=access.project,
        data={"kind": "disclosed", "staff": access.staff, "screen": screen, "shown": ["phone"], "phones": list(phones)},
        actor=access.user,
    )
