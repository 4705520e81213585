"""A customer's history as sentences a sales office says: "3月2日 10:00 张三 登记来访 王建国".

Each fact of the record in one sentence of the viewer's language, people and firms by their
names, a customer's phone masked (S3.1); the kinds without a sentence of their own say what
they are (``words.fact_words``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _

from guishu.core.identity import mask_phone
from guishu.record.models import Project
from guishu.sites.templatetags import words

Payload = Mapping[str, Any]
# the person a fact is about, by the first of its fields that names one
PERSON_FIELDS = ("consultant", "staff", "agent", "against", "owner", "by")


class Sentences:
    """The sentences of one site's facts (its people and firms looked up once)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.people = words.people_of(project)

    @cached_property
    def firms(self) -> dict[str, str]:
        """Read when a sentence names a firm (a report, a channel's follow-up): few histories do."""
        return words.firms_of(self.project)

    def who(self, staff: object) -> str:
        return self.people.get(str(staff), str(staff)) if staff else ""

    def say(self, kind: str, p: Payload) -> str:
        """What the fact says, without its time."""
        speak = _SAY.get(kind)
        if speak is not None:
            return speak(self, p)
        what = words.fact_words(kind, p)  # the kinds without a sentence: what they are, and whose
        who = next((str(p[k]) for k in PERSON_FIELDS if p.get(k)), "")
        if who:
            return f"{what} · {self.who(who)}"
        if kind == "channel_joined" and p.get("channel"):
            return f"{what} · {self.firms.get(str(p['channel']), str(p.get('name', '')))}"
        return what


def _customer(p: Payload) -> str:
    found = p.get("customer")
    c: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    name = str(c.get("name") or c.get("company") or "")
    phone = mask_phone(str(c["phone"])) if c.get("phone") else ""
    return " ".join(x for x in (name, phone) if x)


def _registration(s: Sentences, p: Payload) -> str:
    if p.get("mode") == "call":
        return _("%(who)s 登记来电 %(customer)s") % {"who": s.who(p.get("consultant")), "customer": _customer(p)}
    return _("%(who)s 登记来访 %(customer)s") % {"who": s.who(p.get("consultant")), "customer": _customer(p)}


def _follow_up(s: Sentences, p: Payload) -> str:
    how = words.word(words.FOLLOW_UP_METHODS, p.get("method") or "call")  # the default is not stored
    who = s.who(p.get("consultant")) or s.firms.get(str(p.get("channel", "")), "")
    return _("%(who)s %(how)s跟进") % {"who": who, "how": how}


def _deal(s: Sentences, p: Payload) -> str:
    what = words.word(words.DEAL_TYPES, p.get("type"))
    text = _("%(who)s 成交(%(what)s)") % {"who": s.who(p.get("closer")), "what": what}
    helpers = "、".join(s.who(a.get("staff")) for a in p.get("assistants", ()) if isinstance(a, Mapping))
    if helpers:
        text += " " + _("协助: %(names)s") % {"names": helpers}
    extra = " · ".join(x for x in (str(p.get("unit") or ""), words.money(p.get("amount"))) if x)
    return f"{text} {extra}".strip()


def _refund(s: Sentences, p: Payload) -> str:
    return _("%(who)s 办理退房: %(reason)s") % {"who": s.who(p.get("by")), "reason": p.get("reason", "")}


def _unit(s: Sentences, p: Payload) -> str:
    return _("%(who)s 办理换房,改为 %(unit)s") % {"who": s.who(p.get("by")), "unit": p.get("unit", "")}


def _payment(s: Sentences, p: Payload) -> str:
    stage = words.word(words.PAYMENT_STAGES, p.get("stage"))
    return _("回款: %(stage)s %(amount)s") % {"stage": stage, "amount": words.money(p.get("amount"))}


def _pending(s: Sentences, p: Payload) -> str:
    return _("%(who)s 登记待确认客户") % {"who": s.who(p.get("consultant"))}


def _claim(s: Sentences, p: Payload) -> str:
    return _("%(who)s 认领待确认客户") % {"who": s.who(p.get("consultant"))}


def _verified(s: Sentences, p: Payload) -> str:
    if p.get("approved", True):
        return _("%(who)s 核实认领: 属实") % {"who": s.who(p.get("by"))}
    return _("%(who)s 核实认领: 不属实") % {"who": s.who(p.get("by"))}


def _complaint(s: Sentences, p: Payload) -> str:
    what = words.complaint_type(str(p.get("type", "complaint")))
    return _("客户%(what)s %(who)s") % {"what": what, "who": s.who(p.get("against"))}


def _dispute(s: Sentences, p: Payload) -> str:
    return _("%(who)s 提出查询单") % {"who": s.who(p.get("consultant"))}


def _ruling(s: Sentences, p: Payload) -> str:
    owner = s.who(p.get("owner")) or words.word(words.OWNER_KINDS, "pool")
    return _("%(who)s 裁定归 %(owner)s(%(rule)s): %(reason)s") % {
        "who": s.who(p.get("by")),
        "owner": owner,
        "rule": p.get("rule", ""),
        "reason": p.get("reason", ""),
    }


def _handin(s: Sentences, p: Payload) -> str:
    return _("%(who)s 递交客户确认单,%(confirmer)s 签字") % {
        "who": s.who(p.get("consultant")),
        "confirmer": s.who(p.get("confirmer")),
    }


def _report(s: Sentences, p: Payload) -> str:
    firm = s.firms.get(str(p.get("channel", "")), "")
    return _("%(firm)s %(agent)s 报备") % {"firm": firm, "agent": s.who(p.get("agent"))}


def _correction(s: Sentences, p: Payload) -> str:
    return _("%(who)s 作废一条记录: %(reason)s") % {"who": s.who(p.get("by")), "reason": p.get("reason", "")}


_SAY: dict[str, Callable[[Sentences, Payload], str]] = {
    "registration": _registration,
    "follow_up": _follow_up,
    "deal": _deal,
    "deal_refunded": _refund,
    "unit_changed": _unit,
    "payment_milestone": _payment,
    "pending_confirmation": _pending,
    "claim": _claim,
    "claim_verified": _verified,
    "complaint": _complaint,
    "dispute_raised": _dispute,
    "ruling": _ruling,
    "handin": _handin,
    "report": _report,
    "correction": _correction,
}
