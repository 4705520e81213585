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

from guishu.core import inputs
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
STAGES = ("down_payment", "loan_disbursed", "paid_in_full")
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
    qualified: bool | None = None,
    group_purchase: bool = False,
) -> Appended:
    """A deposit, subscription or signing of a customer."""
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
    if qualified is not None:
        if not policy.modules.qualification:
            raise RecordInputError("qualified", "本案场制度没有购房资格审核 / the policy has no eligibility check")
        data["qualified"] = qualified
    if group_purchase:
        if not policy.deals.group_purchase_rule:
            raise RecordInputError("group_purchase", "本案场制度没有团购 / the policy has no group purchase")
        data["group_purchase"] = True
    return append_fact(project=access.project, data=data, actor=access.user)


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

    def decide(engine: Attributor, at: datetime) -> dict[str, Any]:
        ctx = _standing(engine, full, deal)
        if any(s == stage for _t, _f, s, _a in ctx.payments):
            raise RecordInputError("stage", "该回款节点已登记 / this payment stage is recorded already")
        data: dict[str, Any] = {"kind": "payment_milestone", "phone": full, "deal": deal, "stage": stage}
        if price is not None:
            data["amount"] = price
        return data

    return append_decided(project=access.project, decide=decide, actor=access.user)
