"""The confirmation desk (S18): hand-in windows, required fields, quotas, validity.

``check_handin`` decides whether a hand-in is received, returned or refused,
and when its confirmation lapses. Ownership is then the earliest live
confirmation (S18.12), computed by the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from guishu.core.events import HandIn
from guishu.core.groups import Confirmation
from guishu.core.policy import Policy
from guishu.core.verdict import Invalid

FIELD_ZH = {
    "customer_no": "客户编号",
    "name": "客户名称",
    "contact_person": "联系人",
    "phone": "联系方式",
    "need": "客户需求",
}


def quarter_of(at: datetime, tz: ZoneInfo) -> tuple[int, int]:
    local = at.astimezone(tz)
    return local.year, (local.month - 1) // 3 + 1


def previous_quarter(q: tuple[int, int]) -> tuple[int, int]:
    year, n = q
    return (year - 1, 4) if n == 1 else (year, n - 1)


def quota_for(p: Policy, signings_last_quarter: int) -> int | None:
    """S18.5: 50; 80 after meeting the quarter's signing target; 30 after a quarter with none.

    Judgement call: "当季度" is read as the last completed quarter, so that a new
    quarter does not drop everyone to 30 on its first morning (docs/policies.md).
    """
    h = p.handins
    if h.quota is None:
        return None
    if h.quota_high is not None and signings_last_quarter >= h.quarter_target:
        return h.quota_high
    if h.quota_low is not None and signings_last_quarter == 0:
        return h.quota_low
    return h.quota


def confirmation_until(signed_at: datetime, p: Policy, opened: datetime | None) -> datetime | None:
    """S18.21: valid 10 days; before launch, until 10 days after internal subscription opens."""
    if p.protection.basis != "confirmation" or p.protection.days is None:
        return None
    start = signed_at if opened is None or signed_at >= opened else opened
    return start + timedelta(days=p.protection.days)


@dataclass(frozen=True, slots=True)
class HandInResult:
    confirmation: Confirmation | None
    invalid: Invalid | None


def check_handin(
    f: HandIn,
    p: Policy,
    tz: ZoneInfo,
    *,
    on_visitor_sheet: bool,
    active_count: Callable[[str], int],
    signings_last_quarter: Callable[[str, datetime], int],
    opened: datetime | None,
) -> HandInResult:
    signed = f.signed_at or f.at
    h = p.handins
    missing = tuple(k for k in h.requires if not getattr(f, k))
    if f.company and not f.contact_person:
        missing = (*missing, "contact_person")  # S18.11: a company needs a contact person
    if missing:
        names = "、".join(FIELD_ZH.get(m, m) for m in missing)
        return HandInResult(
            None,
            Invalid(f.id, "S18.2", f"客户确认单缺项: {names}", f"hand-in is missing: {', '.join(missing)}", missing),
        )
    if h.windows and f.signed_by_role != "signing_room":
        local = signed.astimezone(tz).time()
        if not any(w.start <= local <= w.end for w in h.windows):
            spans = "、".join(f"{w.start:%H:%M}-{w.end:%H:%M}" for w in h.windows)
            return HandInResult(
                None,
                Invalid(
                    f.id,
                    "S18.1",
                    f"确认单须在 {spans} 递交(特殊情况由签约室签字)",
                    f"hand-ins are taken {spans} unless the signing room signs",
                    ("signed_at",),
                ),
            )
    if h.visitor_sheet_required and not on_visitor_sheet:
        return HandInResult(
            None,
            Invalid(
                f.id,
                "S18.7",
                "新客户未在当天《来人来电表》上反映,不予确认",
                "the customer is not on that day's visitor-and-call sheet",
                ("phone",),
            ),
        )
    quota = quota_for(p, signings_last_quarter(f.consultant, signed))
    if quota is not None and f.amends is None and active_count(f.consultant) >= quota:
        return HandInResult(
            None,
            Invalid(
                f.id,
                "S18.5",
                f"已达确认限额 {quota} 名,确认单退回(24小时内返还并留存)",
                f"over the quota of {quota} confirmed customers: returned",
                ("consultant",),
            ),
        )
    until = confirmation_until(signed, p, opened)
    return HandInResult(Confirmation(f.id, f.consultant, signed, f.name, f.company, f.need, until), None)
