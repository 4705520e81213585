"""What the deals screens show: the site's deals, newest first, each with the split the site's
policy gives now; one deal's card with what followed it (换房, 回款, 退房) and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.utils import timezone

from guishu.core import qualification
from guishu.core.groups import DealContext
from guishu.core.identity import mask_id_number, mask_phone
from guishu.core.verdict import Split
from guishu.record import engines
from guishu.record.models import Entry, Project
from guishu.sites.templatetags import words

PER_PAGE = 50


@dataclass(frozen=True)
class Share:
    who: str  # a consultant's name, or the party in words (公司, 团购 ...)
    share: Decimal


@dataclass(frozen=True)
class DealLine:
    fact: str
    at: datetime
    type: str  # the deal's word: 定金, 认购, 签约
    customer: str  # 王建国 138****0001 (the buyer's name and the masked phone)
    closer: str
    assistants: tuple[str, ...]
    unit: str
    amount: Decimal | None
    shares: tuple[Share, ...]
    rule: str
    state: str  # in words: 可结算, 待签约, 已退房, 暂定 ...
    why: str  # the split's reason, in the person's language


@dataclass(frozen=True)
class Followed:
    at: datetime
    what: str  # 换房 1-1201 → 2-0801 · 1380000 / 回款 · 首付 · 450000 / 退房 · 贷款未批


@dataclass(frozen=True)
class DealCard:
    line: DealLine
    buyer: str
    company: str
    id_number: str  # masked
    followed: tuple[Followed, ...]
    refunded: bool
    paid_stages: tuple[str, ...]  # the stage codes already paid
    invalid: str  # why the deal does not count (S2.2), when it does not
    checks: tuple[CheckLine, ...] = ()  # the customer's checklist now, where the policy has one
    overridden: str = ""  # S2: the manager's reason for a signing with checks open


@dataclass(frozen=True)
class CheckLine:
    """One item of a customer's checklist (资格审核, S2.1-S2.5, S15.4) as the record says now."""

    item: str
    name: str  # the item in words
    rule: str
    required: bool
    state: str  # 待审核, 通过, 未通过
    done: bool  # passed
    by: str  # who checked it, by name
    at: datetime | None


def checklist(project: Project, phone: str) -> tuple[CheckLine, ...]:
    """The checklist of the customer with ``phone`` now: the policy's required items, then any
    other item checked; empty where the policy checks nobody."""
    live = engines.live_engine(project)
    now = timezone.now()
    with live.lock:
        engine = live.engine
        modules = engine.policy_at(now).modules
        if not modules.qualification:
            return ()
        group = engine.by_phone.get(phone)
        states = qualification.checklist(modules.checks, group.checks if group else (), now)
    people = words.people_of(project)
    return tuple(
        CheckLine(
            s.item,
            str(words.word(words.CHECK_ITEMS, s.item)),
            s.rule,
            s.required,
            str(words.word(words.CHECK_STATES, s.state)),
            s.state == "passed",
            people.get(s.by or "", ""),
            s.at,
        )
        for s in states
    )


def _state(split: Split | None, invalid: str) -> str:
    if invalid:
        return str(words.word(words.DEAL_STATES, "invalid"))
    if split is None:
        return str(words.word(words.DEAL_STATES, "voided"))
    if split.refunded_at is not None:
        return str(words.word(words.DEAL_STATES, "refunded"))
    if split.awaiting is not None:
        return str(words.word(words.DEAL_STATES, split.awaiting))
    if split.provisional_until is not None:
        return str(words.word(words.DEAL_STATES, "provisional"))
    return str(words.word(words.DEAL_STATES, "payable"))


def _lines(project: Project, entries: list[Entry]) -> tuple[list[DealLine], dict[str, DealContext]]:
    """Each deal entry as a line, with its split now; and the deals' contexts by fact id."""
    live = engines.live_engine(project)
    now = timezone.now()
    people = words.people_of(project)
    out: list[DealLine] = []
    contexts: dict[str, DealContext] = {}
    with live.lock:
        engine = live.engine
        phones = {str(e.payload.get("phone", "")) for e in entries if isinstance(e.payload, dict)}
        groups = {engine.by_phone[ph].id: engine.by_phone[ph] for ph in phones if ph in engine.by_phone}
        splits = {s.deal: s for s in engine.splits_of(groups, now)}
        for g in groups.values():
            for ctx in g.deals:
                contexts[ctx.deal.id] = ctx
        invalid = {e.fact_id: engine.invalid[e.fact_id] for e in entries if e.fact_id in engine.invalid}
    for e in entries:
        p = e.payload if isinstance(e.payload, dict) else {}
        split = splits.get(e.fact_id)
        bad = invalid.get(e.fact_id)
        why = "" if bad is None else words.reason_words(bad, people)
        shares: tuple[Share, ...] = ()
        if split is not None:
            why = words.reason_words(split, people)
            shares = tuple(Share(people.get(w) or words.word(words.SPLIT_PARTIES, w), s) for w, s in split.shares)
        customer = " ".join(x for x in (str(p.get("buyer_name") or ""), mask_phone(str(p.get("phone", "")))) if x)
        out.append(
            DealLine(
                fact=e.fact_id,
                at=e.at,
                type=words.word(words.DEAL_TYPES, p.get("type")),
                customer=customer,
                closer=people.get(str(p.get("closer", "")), ""),
                assistants=tuple(people.get(str(a.get("staff")), "") for a in p.get("assistants", ())),
                unit=(split.unit if split is not None else p.get("unit")) or "",
                amount=split.amount if split is not None else _decimal(p.get("amount")),
                shares=shares,
                rule=split.rule if split is not None else (bad.rule if bad is not None else ""),
                state=_state(split, why if bad is not None else ""),
                why=why,
            )
        )
    return out, contexts


def _decimal(value: object) -> Decimal | None:
    return Decimal(str(value)) if value not in (None, "") else None


def _takes_part(entry: Entry, staff: str) -> bool:
    p = entry.payload if isinstance(entry.payload, dict) else {}
    return p.get("closer") == staff or any(a.get("staff") == staff for a in p.get("assistants", ()))


def deal_entries(project: Project, *, staff: str | None = None) -> list[Entry]:
    """The site's deal entries, newest first; a consultant's own (closed or assisted) only."""
    rows = list(Entry.objects.filter(project=project, kind="deal").order_by("-seq"))
    return [e for e in rows if _takes_part(e, staff)] if staff else rows


def of_customer(project: Project, group: str) -> list[DealLine]:
    """The deals of one customer group, newest first, with their splits (the engine knows them;
    the record's entries are found by their fact ids)."""
    live = engines.live_engine(project)
    with live.lock:
        g = live.engine.groups.get(group)
        ids = [ctx.deal.id for ctx in g.deals] if g is not None else []
    if not ids:
        return []
    rows = Entry.objects.filter(project=project, fact_id__in=ids, kind="deal").order_by("-seq")
    return _lines(project, list(rows))[0]


def deals_page(project: Project, number: str | None, *, staff: str | None = None) -> tuple[Page[Entry], list[DealLine]]:
    """One page of the site's deals (50 newest first), each with its split now."""
    page = Paginator(deal_entries(project, staff=staff), PER_PAGE).get_page(number)
    lines, _contexts = _lines(project, list(page.object_list))
    return page, lines


def card(project: Project, fact: str, *, staff: str | None = None) -> DealCard | None:
    """One deal with its split now and what followed it; None when there is no such deal (or,
    for a consultant, none he took part in)."""
    entry = Entry.objects.filter(project=project, kind="deal", fact_id=fact).first()
    if entry is None or (staff is not None and not _takes_part(entry, staff)):
        return None
    (line,), contexts = _lines(project, [entry])
    ctx = contexts.get(fact)
    p = entry.payload if isinstance(entry.payload, dict) else {}
    followed: list[Followed] = []
    paid: tuple[str, ...] = ()
    if ctx is not None:
        before = ctx.deal.unit or "-"
        for at, _f, unit, amount in ctx.changes:
            price = f" · {words.money(amount)}" if amount is not None else ""
            followed.append(Followed(at, f"{words.fact_kind('unit_changed')} {before} → {unit}{price}"))
            before = unit
        for at, _f, stage, amount in ctx.payments:
            price = f" · {words.money(amount)}" if amount is not None else ""
            name = words.word(words.PAYMENT_STAGES, stage)
            # 网签备案 is no payment: it stands alone
            what = name if stage == "online_filing" else f"{words.fact_kind('payment_milestone')} · {name}{price}"
            followed.append(Followed(at, what))
        if ctx.refunded is not None:
            at, _f, reason = ctx.refunded
            followed.append(Followed(at, f"{words.fact_kind('deal_refunded')} · {reason}"))
        paid = tuple(stage for _t, _f, stage, _a in ctx.payments)
    invalid = line.why if ctx is None and line.rule else ""
    return DealCard(
        line=line,
        buyer=str(p.get("buyer_name") or ""),
        company=str(p.get("company") or ""),
        id_number=mask_id_number(str(p["id_number"])) if p.get("id_number") else "",
        followed=tuple(sorted(followed, key=lambda f: f.at)),
        refunded=ctx is not None and ctx.refunded is not None,
        paid_stages=paid,
        invalid=invalid,
        checks=checklist(project, str(p.get("phone", ""))),
        overridden=str(p.get("checks_overridden") or ""),
    )
