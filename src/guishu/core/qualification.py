"""资格审核 (S2, S15.4): the checklist a policy names before a deal proceeds.

Each item is checked by a named person and recorded as a ``qualification_check`` fact about the
customer (his group); the latest check of an item decides it. A policy's ``modules.checks`` says
which items are required; while any is open or failed, the commission of the customer's deals
stays held (the split's ``awaiting`` "qualification"), and the deal screen refuses a signing
unless the site's manager overrides with a reason (the deal's ``checks_overridden``), which
records the signing but pays nothing earlier. A failed check does not undo the purchase: that is
a refund (退房, S9.1) the clerk records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

CheckItem = Literal["identity", "eligibility", "funds", "credit", "letter"]
CHECK_ITEMS: tuple[CheckItem, ...] = ("identity", "eligibility", "funds", "credit", "letter")
CheckState = Literal["open", "passed", "failed"]

# each item, the seed rule that names it, and its name in Chinese and English
CHECK_RULES: dict[CheckItem, tuple[str, str, str]] = {
    "identity": ("S2.1", "身份证件核验", "identity documents"),
    "eligibility": ("S2.2", "购房资格审核", "purchase eligibility"),
    "funds": ("S2.3", "资金实力证明", "financial strength"),
    "credit": ("S2.4", "信用评估", "credit assessment"),
    "letter": ("S2.5", "购房确认书签署", "purchase confirmation letter signed"),
}


class Check(Protocol):
    """What a recorded check says (guishu.core.events.QualificationCheck)."""

    @property
    def id(self) -> str: ...
    @property
    def at(self) -> datetime: ...
    @property
    def item(self) -> str: ...
    @property
    def passed(self) -> bool: ...
    @property
    def by(self) -> str: ...


@dataclass(frozen=True, slots=True)
class ItemState:
    """One item of a customer's checklist as of a moment: the latest check of it, if any."""

    item: CheckItem
    rule: str
    zh: str
    en: str
    required: bool
    state: CheckState
    fact: str | None = None
    at: datetime | None = None
    by: str | None = None


def checklist(required: tuple[CheckItem, ...], checks: tuple[Check, ...], at: datetime | None) -> list[ItemState]:
    """The required items, then any other item checked, each in its latest state by ``at``."""
    latest: dict[str, Check] = {}
    for check in checks:
        if at is None or check.at <= at:
            latest[check.item] = check
    out = []
    for item in (*required, *(i for i in CHECK_ITEMS if i in latest and i not in required)):
        rule, zh, en = CHECK_RULES[item]
        last = latest.get(item)
        if last is None:
            out.append(ItemState(item, rule, zh, en, item in required, "open"))
        else:
            state: CheckState = "passed" if last.passed else "failed"
            out.append(ItemState(item, rule, zh, en, item in required, state, last.id, last.at, last.by))
    return out


def unchecked(required: tuple[CheckItem, ...], checks: tuple[Check, ...], at: datetime | None) -> list[ItemState]:
    """The required items not passed by ``at`` (open or failed), in the policy's order."""
    return [s for s in checklist(required, checks, at) if s.required and s.state != "passed"]
