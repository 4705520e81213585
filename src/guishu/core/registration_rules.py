"""Is a call or visit registration valid, and did its paperwork run late?

S4.3 / S4.8 / S8.5 / S10.6 / S11.3 list the fields a registration needs; the
policy says which. S1.2 and S1.3 fine late hand-over and late or incomplete
entry by the clerk.
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from guishu.core.events import Registration
from guishu.core.identity import split_surname
from guishu.core.policy import Policy
from guishu.core.verdict import Invalid, Penalty

FIELD_ZH = {
    "name": "客户姓名",
    "surname": "客户姓氏",
    "name_or_surname": "客户姓名或姓氏",
    "gender": "性别",
    "phone": "客户本人联系方式",
    "intent": "购房意向",
    "source": "信息来源",
    "signature": "置业顾问签名",
}


def _gender(f: Registration) -> str | None:
    if f.customer.gender:
        return f.customer.gender
    name = f.customer.name or ""
    if name.endswith("先生"):
        return "M"
    if name.endswith(("女士", "小姐", "太太")):
        return "F"
    return None


_PRESENT: dict[str, Callable[[Registration], bool]] = {
    "name": lambda f: bool(f.customer.name and all(split_surname(f.customer.name))),
    "surname": lambda f: bool(f.customer.name and split_surname(f.customer.name)[0]),
    "name_or_surname": lambda f: bool(f.customer.name and split_surname(f.customer.name)[0]),
    "gender": lambda f: _gender(f) is not None,
    "phone": lambda f: f.customer.phone is not None,
    "intent": lambda f: bool(f.customer.intent),
    "source": lambda f: bool(f.customer.source),
    "signature": lambda f: f.signed,
}


def missing_fields(f: Registration, p: Policy) -> tuple[str, ...]:
    required = p.validity.visit_requires if f.mode == "visit" else p.validity.call_requires
    return tuple(k for k in required if not _PRESENT[k](f))


def registration_problems(f: Registration, p: Policy) -> Invalid | None:
    if f.proxy and p.ownership.proxy == "void":
        return Invalid(
            f.id,
            "S1.C9",
            "朋友代为登记,客户本人未曾来访,代登记无效",
            "registered by a friend on his behalf: void; his own first visit counts",
            ("proxy",),
        )
    missing = missing_fields(f, p)
    if not missing:
        return None
    rule = p.validity.visit_rule if f.mode == "visit" else p.validity.call_rule
    names = "、".join(FIELD_ZH[m] for m in missing)
    detail = f"({f.customer.phone_raw})" if "phone" in missing and f.customer.phone_raw else ""
    return Invalid(
        f.id,
        rule,
        f"登记内容缺项或错误: {names}{detail},视为无效",
        f"registration incomplete or wrong: {', '.join(missing)}: invalid",
        tuple(f"customer.{m}" if m not in ("signature",) else "signed" for m in missing),
    )


def registration_fines(f: Registration, p: Policy, tz: ZoneInfo) -> list[tuple[str, Penalty]]:
    out: list[tuple[str, Penalty]] = []
    fines = p.fines
    if fines.register_late is None and fines.entry_late is None:
        return out
    received = f.reception_at
    handed = f.handed_at or f.at
    # S1.2: the register must reach the clerk the same evening
    late_hand_over = received is not None and handed.astimezone(tz).date() > received.astimezone(tz).date()
    if fines.register_late is not None and late_hand_over:
        out.append(
            (
                "S1.2",
                Penalty(
                    f.consultant,
                    fines.register_late,
                    "S1.2",
                    "登记表未当晚交内业,罚款",
                    "register not handed to the clerk that evening",
                    (f.id,),
                    f.at,
                ),
            )
        )
    if fines.entry_late is not None and f.entered_by:
        late = f.handed_at is not None and (f.at - f.handed_at).total_seconds() > fines.entry_late_hours * 3600
        if late or missing_fields(f, p):
            zh = "内业录入不及时,罚款" if late else "内业录入漏项,罚款"
            out.append(
                (
                    "S1.3",
                    Penalty(
                        f.entered_by,
                        fines.entry_late,
                        "S1.3",
                        zh,
                        "late or incomplete entry by the clerk",
                        (f.id,),
                        f.at,
                    ),
                )
            )
    return out
