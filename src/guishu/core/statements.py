"""Commission statements (结佣单): what each payee earns from the deals' splits, in money.

Pure: the shell hands in the engine's splits (S4.9b, S16.9, S16.11, S18.13, S18.24, S18.25 ...
decide who shares a deal), the site's commission rates (facts entered by marketing or
finance), the policy's settlement stages, the penalties and the statements already approved.

- A **purchase** is one flat's deals in a customer's group (deposit, subscription, signing):
  its latest deal's split governs, and its price is that deal's after any 换房 (S9.1).
- Each settlement stage the purchase has reached earns ``price × rate × stage share``, rounded
  to the fen (ROUND_HALF_UP); the split's shares divide it, each rounded the same way, and the
  remainder goes to the closer, so a stage's lines sum exactly to its commission. A channel
  firm with a contract earns its own rate of the same stage.
- What a payee is owed is **cumulative**: a statement is everything earned by the end of its
  month, less what approved statements already paid. A refund (退房) or a ruling that moves
  a deal therefore shows as an adjusting line on the next statement, never as an edit of an
  approved one; an approved statement is kept as it was approved.
- Fines (罚款) of the month are deducted on the fined person's statement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from guishu.core.events import CommissionRate, StatementApproved, StatementLine
from guishu.core.policy import Settlement
from guishu.core.verdict import Penalty, Split

FEN = Decimal("0.01")
ZERO = Decimal(0)

STAGE_NAMES: dict[str, tuple[str, str]] = {
    "subscription": ("认购", "subscription"),
    "signing": ("签约", "signing"),
    "online_filing": ("网签备案", "contract filed online"),
    "down_payment": ("首付到账", "down payment received"),
    "loan_disbursed": ("按揭放款", "loan disbursed"),
    "paid_in_full": ("全款到账", "paid in full"),
    "fine": ("罚款", "fine"),
}
LineKind = Literal["current", "carried", "adjusted"]


def fen(x: Decimal) -> Decimal:
    """Rounded to the fen, half up (四舍五入到分)."""
    return x.quantize(FEN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Earning:
    """What one payee earns from one stage of one purchase (or loses to one fine) as of a moment."""

    key: str  # "<purchase>/<stage>", or "fine/<rule>/<facts>"
    payee: str
    at: datetime  # when the stage was reached, or the fine imposed
    amount: Decimal  # fines negative
    stage: str
    rule: str
    zh: str
    en: str
    purchase: str | None = None
    group: str | None = None
    unit: str | None = None
    price: Decimal | None = None
    rate: Decimal | None = None
    stage_share: Decimal | None = None
    share: Decimal | None = None  # the payee's share of the split; None for a channel's contract
    facts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Held:
    """A stage reached that earns nothing yet, and why: no price, no rate, a check still open."""

    key: str
    payees: tuple[str, ...]
    at: datetime
    stage: str
    purchase: str
    group: str
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class Earnings:
    """Every payee's earnings as of one moment, what is held, and each purchase's governing split."""

    at: datetime
    lines: tuple[Earning, ...]
    held: tuple[Held, ...]
    governing: dict[str, Split]  # purchase -> its latest deal's split


def rate_for(
    rates: Sequence[CommissionRate],
    payee: Literal["consultant", "channel"],
    at: datetime,
    unit_type: str | None,
    channel: str | None = None,
) -> CommissionRate | None:
    """The rate that applies to a deal made at ``at``: one for its 业态 before one for every
    业态; of those, the latest recorded (``rates`` in record order)."""
    best: CommissionRate | None = None
    best_rank = -1
    for r in rates:
        if r.payee != payee or (payee == "channel" and r.channel != channel):
            continue
        if not (r.valid_from <= at and (r.valid_until is None or at < r.valid_until)):
            continue
        if r.unit_type is not None and r.unit_type != unit_type:
            continue
        rank = 1 if r.unit_type is not None else 0
        if rank >= best_rank:
            best, best_rank = r, rank
    return best


def divide(commission: Decimal, shares: Sequence[tuple[str, Decimal]], closer: str | None) -> list[tuple[str, Decimal]]:
    """Each payee's part of a stage's commission, rounded to the fen; the remainder to the
    closer (or, when he has no share, to the largest share), so the parts sum exactly."""
    if not shares:
        return []
    rest = (
        closer if closer is not None and any(w == closer for w, _ in shares) else max(shares, key=lambda ws: ws[1])[0]
    )
    parts = [(w, fen(commission * s)) for w, s in shares if w != rest]
    return [*parts, (rest, commission - sum((a for _, a in parts), ZERO))]


def _stage_times(deals: Sequence[Split]) -> dict[str, datetime]:
    """When the purchase reached each stage: its first deposit or subscription (认购), its first
    signing (签约), and the payments received on any of its deals (回款)."""
    times: dict[str, datetime] = {}
    for s in deals:
        if s.type in ("deposit", "subscription"):
            times.setdefault("subscription", s.at)
        if s.type == "signing":
            times.setdefault("signing", s.at)
            times.setdefault("subscription", s.at)
        for stage, t, _amount in s.paid:
            if stage not in times or t < times[stage]:
                times[stage] = t
    return times


def earnings(
    splits: Iterable[Split],
    rates: Sequence[CommissionRate],
    settlement_at: Callable[[datetime], Settlement],
    penalties: Iterable[Penalty],
    at: datetime,
) -> Earnings:
    """What every payee has earned by ``at`` (the splits and penalties as the record says at
    ``at``); a refunded purchase earns nothing, whatever it earned before (S9.1)."""
    purchases: dict[str, list[Split]] = {}
    for s in sorted(splits, key=lambda s: (s.at, s.deal)):
        purchases.setdefault(s.purchase or s.deal, []).append(s)
    lines: list[Earning] = []
    held: list[Held] = []
    governing: dict[str, Split] = {}
    for purchase, deals in purchases.items():
        first, last = deals[0], deals[-1]
        governing[purchase] = last
        if last.refunded_at is not None and last.refunded_at <= at:
            continue
        payees = tuple(w for w, _ in last.shares)
        times = _stage_times(deals)
        for stage, stage_share in settlement_at(first.at).stages:
            reached = times.get(stage)
            if reached is None or reached > at:
                continue
            key = f"{purchase}/{stage}"
            rate = rate_for(rates, "consultant", first.at, last.unit_type)
            why = _held_because(last, rate is not None)
            if why is not None:
                held.append(Held(key, payees, reached, stage, purchase, last.group, *why))
            if last.awaiting is not None or last.amount is None:
                continue  # nor can a channel's contract be paid
            if rate is not None:
                commission = fen(last.amount * rate.rate * stage_share)
                for payee, amount in divide(commission, last.shares, last.closer):
                    lines.append(
                        Earning(
                            key,
                            payee,
                            reached,
                            amount,
                            stage,
                            last.rule,
                            last.zh,
                            last.en,
                            purchase,
                            last.group,
                            last.unit,
                            last.amount,
                            rate.rate,
                            stage_share,
                            last.share_of(payee),
                            (last.deal, rate.id),
                        )
                    )
            if last.channel is not None:
                contract = rate_for(rates, "channel", first.at, last.unit_type, last.channel)
                if contract is not None:
                    lines.append(
                        Earning(
                            key,
                            last.channel,
                            reached,
                            fen(last.amount * contract.rate * stage_share),
                            stage,
                            "S6.7",
                            "渠道客户成交,按分销合同结佣",
                            "a channel's customer closed: paid by the channel contract",
                            purchase,
                            last.group,
                            last.unit,
                            last.amount,
                            contract.rate,
                            stage_share,
                            None,
                            (last.deal, contract.id),
                        )
                    )
    for p in penalties:
        if p.action == "fine" and p.amount > 0 and p.at <= at:
            lines.append(
                Earning(
                    f"fine/{p.rule}/{'+'.join(p.facts)}",
                    p.staff,
                    p.at,
                    -p.amount,
                    "fine",
                    p.rule,
                    p.zh,
                    p.en,
                    facts=p.facts,
                )
            )
    return Earnings(at, tuple(lines), tuple(held), governing)


def _held_because(split: Split, has_rate: bool) -> tuple[str, str] | None:
    if split.awaiting is not None:
        return _AWAITING[split.awaiting]
    if split.amount is None:
        return ("成交未填成交价,无法计佣", "the deal has no price: nothing to compute")
    if not has_rate:
        return ("成交时没有适用的佣金标准", "no commission rate applied when the deal was made")
    return None


_AWAITING = {
    "qualification": ("购房资格未审核,佣金暂缓(S2)", "purchase eligibility not checked yet: held (S2)"),
    "signing": ("未签约,佣金暂缓(S9.1)", "not signed yet: held (S9.1)"),
}


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a statement: what it pays (or takes back), and what it rests on."""

    key: str
    kind: LineKind  # current: earned this month; carried: earned before, never paid; adjusted
    amount: Decimal
    earned: Decimal  # all the key has earned by the statement's moment
    paid_before: Decimal  # what approved statements already paid on it
    earning: Earning | None  # None when the key earns nothing any more (a refund, a ruling)
    zh: str
    en: str
    at: datetime | None


@dataclass(frozen=True, slots=True)
class Statement:
    payee: str
    month: str
    as_of: datetime
    lines: tuple[Line, ...]
    held: tuple[Held, ...]
    approval: StatementApproved | None = None
    superseded_by: str | None = None  # a later month approved with this one's lines carried in

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def approved(self) -> bool:
        return self.approval is not None


def statement(
    payee: str,
    month: str,
    start: datetime,
    end: datetime,
    found: Earnings,
    approvals: Iterable[StatementApproved],
) -> Statement:
    """The payee's statement of the month ``[start, end)``: as approved, if it was (``found`` then
    being the earnings as of its approval's ``as_of``); otherwise everything earned before ``end``
    less what the approved statements of earlier months paid."""
    mine = [a for a in approvals if a.payee == payee]
    approval = next((a for a in mine if a.month == month), None)
    earned: dict[str, Decimal] = {}
    which: dict[str, Earning] = {}
    for e in found.lines:
        if e.payee == payee and e.at < end:
            earned[e.key] = earned.get(e.key, ZERO) + e.amount
            which.setdefault(e.key, e)
    held = tuple(h for h in found.held if payee in h.payees and h.at < end)
    if approval is not None:
        lines = tuple(_line(line.key, line.amount, earned, {}, which, found, start) for line in approval.lines)
        return Statement(payee, month, approval.as_of, lines, held, approval)
    later = sorted(a.month for a in mine if a.month > month)
    paid: dict[str, Decimal] = {}
    for a in mine:
        if a.month < month:
            for line in a.lines:
                paid[line.key] = paid.get(line.key, ZERO) + line.amount
    keys = sorted(set(earned) | set(paid), key=lambda k: (which[k].at if k in which else start, k))
    lines = tuple(
        _line(k, earned.get(k, ZERO) - paid.get(k, ZERO), earned, paid, which, found, start)
        for k in keys
        if earned.get(k, ZERO) != paid.get(k, ZERO)
    )
    return Statement(payee, month, found.at, lines, held, None, later[0] if later else None)


def _line(
    key: str,
    amount: Decimal,
    earned: dict[str, Decimal],
    paid: dict[str, Decimal],
    which: dict[str, Earning],
    found: Earnings,
    start: datetime,
) -> Line:
    e = which.get(key)
    before = paid.get(key, ZERO)
    if e is not None:
        kind: LineKind = "adjusted" if before != 0 else ("current" if e.at >= start else "carried")
        return Line(key, kind, amount, earned.get(key, ZERO), before, e, e.zh, e.en, e.at)
    # paid before, and it earns this payee nothing now: why, from the purchase's split today
    if key.startswith("fine/"):
        return Line(key, "adjusted", amount, ZERO, before, None, "罚款已撤销", "the fine was lifted", None)
    purchase = key.rsplit("/", 1)[0]
    s = found.governing.get(purchase)
    if s is not None and s.refunded_at is not None:
        zh, en, at = "已退房,收回已结佣金", "refunded: the commission paid is taken back", s.refunded_at
    elif s is not None:
        zh, en, at = f"改由他人计佣:{s.zh}", f"now paid to another: {s.en}", None
    else:
        zh, en, at = "该项已不再计佣", "it earns nothing any more", None
    return Line(key, "adjusted", amount, ZERO, before, None, zh, en, at)


def payees(found: Earnings, approvals: Iterable[StatementApproved], month: str, end: datetime) -> list[str]:
    """Everyone with something on a statement of the month: an earning or fine before its end,
    a held stage, or an approval of it or earlier (whose lines may need taking back)."""
    seen: dict[str, None] = {}
    for e in found.lines:
        if e.at < end:
            seen.setdefault(e.payee)
    for h in found.held:
        if h.at < end:
            for p in h.payees:
                seen.setdefault(p)
    for a in approvals:
        if a.month <= month:
            seen.setdefault(a.payee)
    return list(seen)


def approval(st: Statement, *, id: str, at: datetime, by: str) -> StatementApproved:
    """The fact that approves ``st`` as it reads now: its lines and total, kept as they are."""
    if st.approval is not None:
        raise ValueError(f"{st.payee} {st.month}: 已审批 / already approved")
    if st.superseded_by is not None:
        raise ValueError(f"{st.payee} {st.month}: 已并入 {st.superseded_by} / carried into {st.superseded_by}")
    lines = tuple(StatementLine(key=line.key, amount=line.amount) for line in st.lines)
    return StatementApproved(
        id=id, at=at, by=by, month=st.month, payee=st.payee, as_of=st.as_of, total=st.total, lines=lines
    )
