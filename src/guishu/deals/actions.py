"""Deals (S9) and what follows them, each one fact under the signed-in person's name.

- A deposit (定金), subscription (认购) or signing (签约), by the signing room, clerk or manager:
  the customer, the closer and his assistants (whether each knew the customer was another's,
  whether one contributed substantially, S16.11), the buyer (a person or a company, S18.14),
  the unit and price, and the buyer's resident ID where the policy asks it at the deal (S2.1).
- A unit change (换房) and a refund (退房, the clerk or manager, with its reason), decided under
  the chain lock against the record as it stands: a refunded deal takes nothing more.
- A payment stage received (回款), each stage once per deal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from guishu.core import inputs, qualification
from guishu.core.attribution import Attributor
from guishu.core.groups import DealContext
from guishu.core.policy import Policy
from guishu.record import engines
from guishu.record.actions import Appended, RecordInputError, append_decided, append_fact
from guishu.record.models import Entry, Membership
from guishu.sites.access import SiteAccess, require
from guishu.sites.actions import checked
from guishu.sites.roles import SELLERS

DEAL_TYPES = ("deposit", "subscription", "signing")
UNIT_TYPES = ("residence", "apartment", "shop", "office", "parking", "other")  # 业态: which rate applies
STAGES = ("down_payment", "loan_disbursed", "paid_in_full", "online_filing")
REASON_MAX = 200
COMPANY_MAX = 64
MOST_ASSISTANTS = 3


@dataclass(frozen=True)
class AssistantIn:
    staff: str
    knew: bool = False
    substantial: bool = False


def policy_now(access: SiteAccess) -> Policy:
    return engines.policy_now(access.project)


def asks_id(policy: Policy) -> bool:
    """The deal asks the buyer's ID (S2.1) unless the policy asks it at registration (S15.1)."""
    return policy.modules.id_at == "deal"


def _seller(access: SiteAccess, staff: str, field: str) -> str:
    staff = checked(field, inputs.clean_staff, staff)
    member = Membership.objects.filter(project=access.project, staff=staff, left_at__isnull=True).first()
    if member is None or member.role not in SELLERS:
        raise RecordInputError(field, "不是本案场在职的置业顾问 / not a consultant of this site")
    return staff


def _money(field: str, raw: str, *, required: bool = False) -> str | None:
    try:
        amount = inputs.clean_money(raw, required=required)
    except inputs.InputError as exc:
        raise RecordInputError(field, f"{exc.zh} / {exc.en}") from None
    return None if amount is None else str(amount)


def record_deal(
    *,
    access: SiteAccess,
    phone: str,
    type: str,
    closer: str,
    closer_knew: bool = False,
    assistants: list[AssistantIn] | tuple[AssistantIn, ...] = (),
    buyer_name: str = "",
    company: str = "",
    unit: str = "",
    amount: str = "",
    unit_type: str = "",
    id_number: str = "",
    group_purchase: bool = False,
    checks_overridden: str = "",
) -> Appended:
    """A deposit, subscription or signing of a customer. Where the policy checks the buyer
    (S2, S15.4), a signing is refused while a required check is open, unless the site's manager
    gives the reason he records it anyway (``checks_overridden``); its commission stays held."""
    require(access, "record_deal")
    full = checked("phone", inputs.clean_phone, phone)
    if type not in DEAL_TYPES:
        raise RecordInputError("type", "应为定金、认购或签约 / a deposit, subscription or signing")
    closer = _seller(access, closer, "closer")
    if len(assistants) > MOST_ASSISTANTS:
        raise RecordInputError("assistants", f"最多{MOST_ASSISTANTS}位协助人 / at most {MOST_ASSISTANTS} assistants")
    seen = {closer}
    helpers = []
    for n, a in enumerate(assistants, 1):
        field = f"assistant_{n}"
        staff = _seller(access, a.staff, field)
        if staff in seen:
            raise RecordInputError(field, "与成交人或其他协助人重复 / the closer or another assistant already")
        seen.add(staff)
        helpers.append({"staff": staff, "knew": a.knew, "substantial": a.substantial})
    policy = policy_now(access)
    data: dict[str, Any] = {"kind": "deal", "type": type, "phone": full, "closer": closer}
    if closer_knew:
        data["closer_knew"] = True
    if helpers:
        data["assistants"] = helpers
    if name := checked("buyer_name", inputs.clean_name, buyer_name, required=False):
        data["buyer_name"] = name
    if firm := checked("company", inputs.clean_text, company, max_length=COMPANY_MAX):
        data["company"] = firm
    if where := checked("unit", inputs.clean_text, unit, max_length=inputs.UNIT_MAX):
        data["unit"] = where
    if (price := _money("amount", amount)) is not None:
        data["amount"] = price
    if unit_type:
        if unit_type not in UNIT_TYPES:
            raise RecordInputError("unit_type", "不在可选的业态中 / not one of the unit types")
        data["unit_type"] = unit_type
    if asks_id(policy):
        # S2.1: a site that checks eligibility cannot do so without the buyer's ID
        number = checked("id_number", inputs.clean_id_number, id_number, required=policy.modules.qualification)
        if number:
            data["id_number"] = number
    elif id_number:
        raise RecordInputError("id_number", "本案场在登记时采集身份证号 / the ID is taken at registration here")
    if group_purchase:
        if not policy.deals.group_purchase_rule:
            raise RecordInputError("group_purchase", "本案场制度没有团购 / the policy has no group purchase")
        data["group_purchase"] = True
    override = checked("checks_overridden", inputs.clean_text, checks_overridden, max_length=REASON_MAX)
    if override and not access.can("override_checks"):
        raise RecordInputError("checks_overridden", "只有案场经理可以强行签约 / only the site's manager may override")
    if type != "signing" or not policy.modules.qualification:
        if override:
            raise RecordInputError(
                "checks_overridden", "只有资格审核未完成的签约需要 / only for a signing with checks open"
            )
        return append_fact(project=access.project, data=data, actor=access.user)

    def decide(engine: Attributor, at: datetime) -> dict[str, Any]:
        # S2, S15.4: decided on the record as it stands, under the chain lock
        group = engine.by_phone.get(full)
        open_ = qualification.unchecked(engine.policy_at(at).modules.checks, group.checks if group else (), at)
        if open_ and not override:
            zh = "、".join(f"{s.zh}({s.rule})" for s in open_)
            en = ", ".join(s.en for s in open_)
            raise RecordInputError(
                "checks_overridden",
                f"资格审核未完成:{zh};审核通过后再签约,或由案场经理写明理由 / "
                f"checks open: {en}; check them first, or the manager gives the reason",
            )
        return data | ({"checks_overridden": override} if open_ else {})

    return append_decided(project=access.project, decide=decide, actor=access.user)


def record_check(*, access: SiteAccess, phone: str, item: str, passed: bool, note: str = "") -> Appended:
    """资格审核: one item of the customer's checklist (S2.1-S2.5, S15.4), under one's own name."""
    require(access, "check_qualification")
    full = checked("phone", inputs.clean_phone, phone)
    if item not in qualification.CHECK_ITEMS:
        raise RecordInputError("item", "不在可选的审核项中 / not one of the checklist's items")
    note = checked("note", inputs.clean_text, note, max_length=REASON_MAX)

    def decide(engine: Attributor, at: datetime) -> dict[str, Any]:
        modules = engine.policy_at(at).modules
        if not modules.qualification:
            raise RecordInputError("item", "本案场制度没有购房资格审核 / the policy has no eligibility check")
        if item not in modules.checks:
            raise RecordInputError("item", "本案场制度不要求此项审核 / the policy's checklist has no such item")
        if engine.by_phone.get(full) is None:
            raise RecordInputError("phone", "记录中没有这位客户 / no such customer in the record")
        data = {"kind": "qualification_check", "phone": full, "item": item, "passed": passed, "by": access.staff}
        return data | ({"note": note} if note else {})

    return append_decided(project=access.project, decide=decide, actor=access.user)


def check_deal(*, access: SiteAccess, deal: str, item: str, passed: bool, note: str = "") -> Appended:
    """资格审核 from a deal's card: the deal names the customer (the screen never carries his phone)."""
    require(access, "check_qualification")
    _deal, full = _deal_phone(access, deal)
    return record_check(access=access, phone=full, item=item, passed=passed, note=note)


def _standing(engine: Attributor, phone: str, deal: str) -> DealContext:
    """The deal ``deal`` of the customer with ``phone``, not refunded, or the refusal."""
    group = engine.by_phone.get(phone)
    ctx = next((c for c in group.deals if c.deal.id == deal), None) if group is not None else None
    if ctx is None:
        raise RecordInputError("deal", "该客户没有这笔成交 / no such deal of this customer")
    if ctx.refunded is not None:
        raise RecordInputError("deal", "该成交已退房 / the deal was refunded already")
    return ctx


def _deal_phone(access: SiteAccess, deal: str) -> tuple[str, str]:
    """The deal's fact id as typed and its customer's phone, from the record (a screen never
    carries the phone: the deal names him)."""
    deal = checked("deal", inputs.clean_text, deal, max_length=64, required=True)
    entry = Entry.objects.filter(project=access.project, kind="deal", fact_id=deal).only("payload").first()
    phone = entry.payload.get("phone") if entry is not None and isinstance(entry.payload, dict) else None
    if not isinstance(phone, str):
        raise RecordInputError("deal", "记录中没有这笔成交 / no such deal in the record")
    return deal, phone


def refund(*, access: SiteAccess, deal: str, reason: str) -> Appended:
    """退房: the deal's purchase is cancelled, with the reason."""
    require(access, "refund")
    deal, full = _deal_phone(access, deal)
    reason = checked("reason", inputs.clean_text, reason, max_length=REASON_MAX, required=True)

    def decide(engine: Attributor, at: datetime) -> dict[str, Any]:
        _standing(engine, full, deal)
        return {"kind": "deal_refunded", "phone": full, "deal": deal, "by": access.staff, "reason": reason}

    return append_decided(project=access.project, decide=decide, actor=access.user)


def change_unit(*, access: SiteAccess, deal: str, unit: str, amount: str = "") -> Appended:
    """换房: the buyer moves to another unit (at another price, when it changes)."""
    require(access, "record_deal")
    deal, full = _deal_phone(access, deal)
    unit = checked("unit", inputs.clean_text, unit, max_length=inputs.UNIT_MAX, required=True)
    price = _money("amount", amount)

    def decide(engine: Attributor, at: datetime) -> dict[str, Any]:
        ctx = _standing(engine, full, deal)
        if ctx.unit_at(at)[0] == unit:
            raise RecordInputError("unit", "与现在的房号相同 / the deal's unit already")
        data: dict[str, Any] = {"kind": "unit_changed", "phone": full, "deal": deal, "unit": unit, "by": access.staff}
        if price is not None:
            data["amount"] = price
        return data

    return append_decided(project=access.project, decide=decide, actor=access.user)


def record_payment(*, access: SiteAccess, deal: str, stage: str, amount: str = "") -> Appended:
    """回款: a stage of the deal's price received, once each."""
    require(access, "record_payment")
    deal, full = _deal_phone(access, deal)
    if stage not in STAGES:
        raise RecordInputError("stage", "不在可选的范围内 / not one of the payment stages")
    price = _money("amount", amount)
    if stage == "online_filing" and price is not None:
        raise RecordInputError("amount", "网签备案不填金额 / an online filing has no amount")

    def decide(engine: Attributor, at: datetime) -> dict[str, Any]:
        ctx = _standing(engine, full, deal)
        if any(s == stage for _t, _f, s, _a in ctx.payments):
            raise RecordInputError("stage", "该回款节点已登记 / this payment stage is recorded already")
        data: dict[str, Any] = {"kind": "payment_milestone", "phone": full, "deal": deal, "stage": stage}
        if price is not None:
            data["amount"] = price
        return data

    return append_decided(project=access.project, decide=decide, actor=access.user)
