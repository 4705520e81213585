"""Commission statements (结佣单, issue 16) from the engine's splits: figures worked out by hand
from the rule text, rounding that sums exactly, clawbacks, rulings that move a deal, and
approved statements that never change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from guishu.cli.records import read_record
from guishu.core.attribution import Attributor
from guishu.core.events import CommissionRate, StatementApproved
from guishu.core.policy import Settlement
from guishu.core.statements import Earnings, Statement, approval, divide, earnings, fen, payees, rate_for, statement
from guishu.policies import load_preset, presets
from tests.builders import PHONE_A, PHONE_B, TZ, Record, at
from tests.core.test_preset_s18 import confirm

EXAMPLES = {p.stem: p for p in Path(str(resources.files("guishu").joinpath("examples"))).glob("*.jsonl")}
SPLIT_STAGES = Settlement(stages=(("subscription", Decimal("0.3")), ("signing", Decimal("0.7"))))
D = Decimal


def _rate(
    rate: str, *, payee: str = "consultant", start: datetime | None = None, n: int = 1, **kw: object
) -> CommissionRate:
    return CommissionRate(
        id=f"rate{n}",
        at=datetime(2026, 1, 1, 9, tzinfo=TZ),
        by="finance",
        payee=payee,  # type: ignore[arg-type]
        rate=D(rate),
        valid_from=start or datetime(2026, 1, 1, tzinfo=TZ),
        **kw,  # type: ignore[arg-type]
    )


def _month(month: int) -> tuple[str, datetime, datetime]:
    return f"2026-{month:02d}", datetime(2026, month, 1, tzinfo=TZ), datetime(2026, month + 1, 1, tzinfo=TZ)


def _found(
    engine: Attributor,
    rates: list[CommissionRate],
    when: datetime,
    stages: Callable[[datetime], Settlement] | None = None,
) -> Earnings:
    return earnings(
        engine.splits(when),
        rates,
        stages or (lambda t: engine.policy_at(t).settlement),
        engine.penalties_at(when),
        when,
    )


def _st(
    engine: Attributor,
    rates: list[CommissionRate],
    payee: str,
    month: int,
    when: datetime,
    approvals: tuple[StatementApproved, ...] = (),
    stages: Callable[[datetime], Settlement] | None = None,
) -> Statement:
    key, start, end = _month(month)
    return statement(payee, key, start, end, _found(engine, rates, when, stages), approvals)


# what each preset's example earns in March at 0.337 % (¥20,000 deals: ¥67.40 a purchase; 30 % at
# 认购 = ¥20.22, 70 % at 签约 = ¥47.18), worked out from the rule each split cites
HAND_WORKED: dict[str, dict[str, str]] = {
    # S1.C11: 张三 only helped 吴一's customer to a deposit (f18): 吴一 20.22; S1.5: 张三's signing
    # (f21) reaches both stages: 20.22 + 47.18
    "s1": {"wuyi": "20.22", "zhangsan": "67.40"},
    "s11": {"lisi": "20.22"},  # S11.1: 李四's own deposit
    "s14": {"lisi": "20.22"},  # S14.1
    # S16.9: 吴一 and 张三 50/50 on a deposit: 10.11 each; S16.11 (f17, a signing, 50/50): 33.70
    # each; S16.11 (f18) 30/70 of 20.22: 李四 6.066 -> 6.07, 周七 the remainder 14.15
    "s16": {"wuyi": "43.81", "zhangsan": "10.11", "lisi": "39.77", "zhouqi": "14.15"},
    "s18": {"zhouqi": "10.11", "wuyi": "10.11"},  # S18.24: asked, 50/50 on a subscription
    "s4": {"lisi": "10.11", "wuyi": "10.11"},  # S4.9: the stand-in's first deposit, 50 %
    # S6.7: 张三 closes channel hx's customer: his own 67.40; hx by its 1 % contract: 60 + 140
    "s6": {"zhangsan": "67.40", "hx": "200.00"},
    "s7": {"zhouqi": "20.22"},  # S7.5: 李四 only helped 周七's customer
    "s8": {"zhangsan": "40.44"},  # S8.1: two deposits of 张三's own customers
}


@pytest.mark.parametrize("preset", sorted(HAND_WORKED))
def test_each_presets_example_earns_what_its_rule_text_gives(preset: str) -> None:
    """S1.C11, S1.5, S4.9, S6.7, S7.5, S8.1, S11.1, S14.1, S16.9, S16.11, S18.24: each example
    record's March statements against the figures worked out by hand; each stage's lines sum to
    its commission and fines are deducted as the ledger holds them."""
    engine = Attributor(load_preset(preset), catalogue=presets())
    engine.apply_all(read_record(EXAMPLES[preset]))
    rates = [_rate("0.00337"), _rate("0.01", payee="channel", channel="hx", n=2)]
    end = datetime(2026, 4, 1, tzinfo=TZ)
    found = _found(engine, rates, end, lambda t: SPLIT_STAGES)
    fines: dict[str, Decimal] = {}
    for p in engine.penalties_at(end):
        if p.action == "fine":
            fines[p.staff] = fines.get(p.staff, D(0)) - p.amount
    commission = {
        who: statement(who, "2026-03", datetime(2026, 3, 1, tzinfo=TZ), end, found, ()).total - fines.get(who, D(0))
        for who in payees(found, (), "2026-03", end)
    }
    assert {w: str(a) for w, a in commission.items() if a} == HAND_WORKED[preset]
    by_stage: dict[str, Decimal] = {}
    for e in found.lines:
        if e.stage != "fine" and e.share is not None:
            by_stage[e.key] = by_stage.get(e.key, D(0)) + e.amount
    assert set(by_stage.values()) <= {D("20.22"), D("47.18")}


def test_rounding_gives_every_fen_to_someone_and_the_remainder_to_the_closer() -> None:
    """Each part rounded half up to the fen, the closer takes the remainder: the parts always sum."""
    assert divide(D("0.05"), [("a", D("0.3")), ("b", D("0.7"))], "b") == [("a", D("0.02")), ("b", D("0.03"))]
    assert divide(D("100.01"), [("a", D("0.5")), ("b", D("0.5"))], "a") == [("b", D("50.01")), ("a", D("50.00"))]
    # the closer has no share (a channel's customer goes to the department): the largest share
    assert divide(D("10.00"), [("department", D(1))], "zhangsan") == [("department", D("10.00"))]
    for cents in range(1, 400, 7):
        total = D(cents) / 100
        for shares in ([("a", D("0.3")), ("b", D("0.7"))], [("a", D("0.5")), ("b", D("0.5"))]):
            assert sum(a for _w, a in divide(total, shares, "b")) == total
    assert fen(D("6.065")) == D("6.07") and fen(D("6.0649")) == D("6.06")


def test_a_rate_for_the_unit_type_beats_one_for_every_type_and_a_later_one_replaces_it() -> None:
    """佣金标准: the 业态's own rate first; of two, the later recorded; only within its validity."""
    general = _rate("0.003")
    shops = _rate("0.01", unit_type="商铺", n=2)
    replaced = _rate("0.004", n=3, start=datetime(2026, 3, 10, tzinfo=TZ))
    rates = [general, shops, replaced]
    assert rate_for(rates, "consultant", at(5), "商铺") == shops
    assert rate_for(rates, "consultant", at(5), "住宅") == general
    assert rate_for(rates, "consultant", at(12), None) == replaced
    ended = _rate("0.01", payee="channel", channel="hx", n=4, valid_until=datetime(2026, 3, 10, tzinfo=TZ))
    assert rate_for([ended], "channel", at(9), None, "hx") == ended
    assert rate_for([ended], "channel", at(10), None, "hx") is None
    assert rate_for([ended], "channel", at(9), None, "other") is None


def _signed(r: Record, month: int = 3, price: str = "1500000") -> None:
    r.on(3, month=month).visit("zhangsan", PHONE_A)
    r.on(4, month=month).deal(PHONE_A, "zhangsan", "deposit", unit="1-1201", amount=D(price))
    r.on(20, month=month).deal(PHONE_A, "zhangsan", "signing", unit="1-1201", amount=D(price))


def test_stages_are_earned_as_they_are_reached_across_months() -> None:
    """结佣节点: 30 % at the deposit (March), 70 % at the down payment (April, 回款 S9.1): each month's
    statement holds its stage, priced at the purchase's latest deal, and the deposit is not paid twice."""
    r = Record()
    _signed(r)
    r.on(8, month=4)
    signing = next(f for f in reversed(r.facts) if getattr(f, "type", "") == "signing")
    r.pay(signing, "down_payment", "450000")  # type: ignore[arg-type]
    engine = r.engine("s8")
    rates = [_rate("0.003")]
    stages = Settlement(stages=(("subscription", D("0.3")), ("down_payment", D("0.7"))))
    march = _st(engine, rates, "zhangsan", 3, at(31, 23), stages=lambda t: stages)
    assert [(line.kind, line.amount) for line in march.lines] == [("current", D("1350.00"))]
    april = _st(engine, rates, "zhangsan", 4, at(30, 23, month=4), stages=lambda t: stages)
    # not approved in March: the deposit stage is carried; the down payment is April's own
    assert [(line.kind, line.amount) for line in april.lines] == [("carried", D("1350.00")), ("current", D("3150.00"))]
    paid = approval(march, id="ap1", at=at(1, 9, month=4), by="finance")
    april = _st(engine, rates, "zhangsan", 4, at(30, 23, month=4), (paid,), lambda t: stages)
    assert [(line.kind, line.amount) for line in april.lines] == [("current", D("3150.00"))]


def test_half_at_the_signing_and_half_at_the_online_filing() -> None:
    """结佣节点 网签备案: a policy paying half at the signing (March) and half once the contract is
    filed online (April) puts each half on its own month's statement; nothing at the filing is
    earned before it is recorded."""
    r = Record()
    _signed(r)
    signing = next(f for f in reversed(r.facts) if getattr(f, "type", "") == "signing")
    engine_before = r.engine("s8")
    r.on(8, month=4)
    r.pay(signing, "online_filing")  # type: ignore[arg-type]
    engine = r.engine("s8")
    rates = [_rate("0.003")]
    stages = Settlement(stages=(("signing", D("0.5")), ("online_filing", D("0.5"))))
    march = _st(engine, rates, "zhangsan", 3, at(31, 23), stages=lambda t: stages)
    assert [(line.kind, line.key.rsplit("/", 1)[1], line.amount) for line in march.lines] == [
        ("current", "signing", D("2250.00"))
    ]
    paid = approval(march, id="ap1", at=at(1, 9, month=4), by="finance")
    april = _st(engine, rates, "zhangsan", 4, at(30, 23, month=4), (paid,), lambda t: stages)
    assert [(line.kind, line.key.rsplit("/", 1)[1], line.amount) for line in april.lines] == [
        ("current", "online_filing", D("2250.00"))
    ]
    unfiled = _st(engine_before, rates, "zhangsan", 4, at(30, 23, month=4), (paid,), lambda t: stages)
    assert unfiled.lines == ()


def test_a_refund_takes_back_what_an_approved_statement_paid_and_leaves_it_unchanged() -> None:
    """S9.1 退房: March's statement is approved with the signing's ¥4,500; the refund in April
    shows as a −¥4,500 adjusting line on April's statement; March reads as it was approved."""
    r = Record()
    _signed(r)
    engine = r.engine("s8")
    rates = [_rate("0.003")]
    march = _st(engine, rates, "zhangsan", 3, at(31, 23))
    assert march.total == D("4500.00") and march.lines[0].earning is not None
    assert march.lines[0].earning.rule == "S8.1"
    paid = approval(march, id="ap1", at=at(1, 9, month=4), by="finance")
    signing = next(f for f in reversed(r.facts) if getattr(f, "type", "") == "signing")
    r.on(10, month=4).refund(signing)  # type: ignore[arg-type]
    engine = r.engine("s8")
    april = _st(engine, rates, "zhangsan", 4, at(30, 23, month=4), (paid,))
    assert [(line.kind, line.amount, line.paid_before) for line in april.lines] == [
        ("adjusted", D("-4500.00"), D("4500.00"))
    ]
    assert april.lines[0].zh == "已退房,收回已结佣金"
    # the approved March statement, read again after the refund, is the one approved
    again = statement("zhangsan", "2026-03", *_month(3)[1:], _found(engine, rates, paid.as_of), (paid,))
    assert again.approved and again.total == march.total
    assert [(line.key, line.amount) for line in again.lines] == [(line.key, line.amount) for line in march.lines]
    with pytest.raises(ValueError, match="已审批"):
        approval(again, id="ap2", at=at(11, month=4), by="finance")


def test_s18_17_an_appeal_moves_a_paid_deal_to_its_new_owners_next_statement() -> None:
    """S18.17: 李四's signing (5 March) is approved on his March statement; the appeal in April makes
    the customer 张三's from 5 March 11:00: 李四's April statement takes it back, 张三's pays it."""
    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    r.on(4, 10).dispute(PHONE_A, "zhangsan", against="lisi")
    r.on(5, 11, 30).deal(PHONE_A, "lisi", "signing", amount=D("1000000"))
    r.on(5, 12).ruling(PHONE_A, "lisi", rule="S18.16")
    rates = [_rate("0.005")]
    march = _st(r.engine("s18"), rates, "lisi", 3, at(31, 23))
    assert march.total == D("5000.00")
    paid = approval(march, id="ap1", at=at(1, 9, month=4), by="finance")
    r.on(2, 11, month=4).appeal(PHONE_A, "zhangsan", "overturned", owner="zhangsan", effective_at=at(5, 11))
    engine = r.engine("s18")
    lisi = _st(engine, rates, "lisi", 4, at(30, 23, month=4), (paid,))
    zhangsan = _st(engine, rates, "zhangsan", 4, at(30, 23, month=4), (paid,))
    assert [(line.kind, line.amount) for line in lisi.lines] == [("adjusted", D("-5000.00"))]
    assert lisi.lines[0].zh.startswith("改由他人计佣:申诉改判")
    assert [(line.kind, line.amount) for line in zhangsan.lines] == [("carried", D("5000.00"))]
    assert zhangsan.lines[0].earning is not None and zhangsan.lines[0].earning.rule == "S18.17"


def test_a_stage_without_a_rate_or_a_price_or_a_qualification_is_held_not_paid() -> None:
    """What cannot be computed is shown as held with its reason, and pays nothing: no rate for the
    deal's time, no price, or S2's purchase-eligibility check still open (s14's qualification)."""
    r = Record()
    r.on(3).visit("zhangsan", PHONE_A)
    r.on(4).visit("zhangsan", PHONE_B)
    r.on(20).deal(PHONE_A, "zhangsan", "signing", amount=None)
    r.on(21).deal(PHONE_B, "zhangsan", "signing", amount=D("100"))
    engine = r.engine("s8")
    late = _rate("0.003", start=datetime(2026, 3, 21, 12, tzinfo=TZ))
    st = _st(engine, [late], "zhangsan", 3, at(31, 23))
    assert st.lines == () and st.total == 0
    assert sorted(h.zh for h in st.held) == ["成交时没有适用的佣金标准", "成交未填成交价,无法计佣"]
    qualified = [p for p in ("s1", "s14", "s16", "s18") if load_preset(p).modules.qualification]
    if qualified:
        q = Record()
        q.on(3).visit("zhangsan", PHONE_A)
        q.on(20).deal(PHONE_A, "zhangsan", "signing", amount=D("100000"))
        held = _st(q.engine(qualified[0]), [_rate("0.003")], "zhangsan", 3, at(31, 23))
        assert [h.zh for h in held.held] == ["购房资格未审核,佣金暂缓(S2)"] and held.total == 0


def test_approving_a_later_month_carries_an_unapproved_one_into_it() -> None:
    """A month left unapproved is carried into the next approved one, and then reads as carried."""
    r = Record()
    _signed(r)
    engine = r.engine("s8")
    rates = [_rate("0.003")]
    april = _st(engine, rates, "zhangsan", 4, at(30, 23, month=4))
    assert [(line.kind, line.amount) for line in april.lines] == [("carried", D("4500.00"))]
    paid = approval(april, id="ap1", at=at(1, 9, month=5), by="finance")
    march = _st(engine, rates, "zhangsan", 3, at(2, month=5), (paid,))
    assert march.superseded_by == "2026-04"
    with pytest.raises(ValueError, match="已并入 2026-04"):
        approval(march, id="ap2", at=at(2, month=5), by="finance")
    may = _st(engine, rates, "zhangsan", 5, at(31, 23, month=5), (paid,))
    assert may.lines == ()


def test_fines_of_the_month_are_deducted_once() -> None:
    """S1.4: an unauthorised correction fines ¥300, deducted on the month's statement alongside
    what he earned; once approved, the next month does not deduct it again."""
    r = Record()
    _signed(r)
    wrong = r.on(21).visit("lisi", PHONE_B)
    r.on(22).correct(wrong, by="zhangsan")
    engine = r.engine("s1")
    march = _st(engine, [_rate("0.003")], "zhangsan", 3, at(31, 23))
    assert sorted((line.amount, line.earning.rule if line.earning else "") for line in march.lines) == [
        (D("-300"), "S1.4"),
        (D("4500.00"), "S1.5"),
    ]
    assert march.total == D("4200.00")
    paid = approval(march, id="ap1", at=at(1, 9, month=4), by="finance")
    april = _st(r.engine("s1"), [_rate("0.003")], "zhangsan", 4, at(30, 23, month=4), (paid,))
    assert april.lines == ()


@pytest.mark.parametrize(
    ("stages", "words"),
    [
        ('[["signing", 0.5], ["subscription", 0.4]]', "各节点比例之和应为 1"),
        ('[["signing", 0.5], ["signing", 0.5]]', "节点重复"),
        ('[["signing", 1], ["subscription", 0]]', "应大于 0"),
        ("[]", "至少一个节点"),
        ('[["delivery", 1]]', "取值不在允许范围"),
    ],
)
def test_a_policys_settlement_stages_are_validated_naming_the_key(stages: str, words: str) -> None:
    """结佣节点 in a site's own policy: shares that do not sum to 1, a stage twice, a zero share, no
    stage or an unknown one are refused naming settlement.stages."""
    from guishu.core.policy import PolicyError, parse_policy

    base = (Path(str(resources.files("guishu").joinpath("policies"))) / "s8.toml").read_text(encoding="utf-8")
    good = parse_policy(base + '\n[settlement]\nstages = [["subscription", 0.3], ["signing", 0.7]]\n')
    assert good.settlement.stages == (("subscription", D("0.3")), ("signing", D("0.7")))
    with pytest.raises(PolicyError) as refused:
        parse_policy(base + f"\n[settlement]\nstages = {stages}\n")
    assert refused.value.key.startswith("settlement.stages") and words in refused.value.message
