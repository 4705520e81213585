"""What follows a deal (S9.1): a refund (退房), a unit change (换房), the payment stages (回款),
under every preset and version: the split changes, the owner does not (unless a policy says so)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from guishu.core.events import Deal
from guishu.core.verdict import Attribution, Split
from guishu.policies import catalogue_ids, load_preset
from tests.builders import PHONE_A, Record

PRESETS = catalogue_ids()


def _split(att: Attribution, deal: str) -> Split:
    return next(s for s in att.splits if s.deal == deal)


def _sold() -> tuple[Record, Deal, Deal]:
    """张三 registers a visitor, takes his deposit, then signs him for unit 1-1201."""
    r = Record()
    r.on(3).visit("zhangsan", PHONE_A)
    r.on(4)
    deposit = r.deal(PHONE_A, "zhangsan", "deposit", unit="1-1201")
    r.on(6)
    signing = r.deal(PHONE_A, "zhangsan", "signing", unit="1-1201", amount=Decimal("1500000"))
    return r, deposit, signing


@pytest.mark.parametrize("preset", PRESETS)
def test_S9_1_a_refund_voids_the_splits_of_its_unit_from_its_time_and_the_owner_stays(preset: str) -> None:
    """S9.1: a refund (退房) voids the deal's and its unit's earlier splits from its time; the owner stays."""
    # given a deposit and a signing of one unit, then a refund of the signing
    r, deposit, signing = _sold()
    r.on(9)
    before = r.decide(preset)
    owner_before = r.owner(preset, PHONE_A)
    r.on(10)
    refund = r.refund(signing)
    # when the record is read after the refund, and at a moment before it
    after = r.decide(preset)
    earlier = r.decide(preset, at=before.at)
    # then both splits of the unit are void from the refund, with the reason in words
    for deal in (deposit, signing):
        s = _split(after, deal.id)
        assert s.refunded_at == refund.at and not s.payable
        assert "已退房(贷款未批)" in s.zh and "refunded" in s.en
        assert s.shares == _split(before, deal.id).shares
        # and the moment before the refund replays unchanged
        assert _split(earlier, deal.id).refunded_at is None
    # and the customer is still whoever owned him
    assert r.owner(preset, PHONE_A) == owner_before
    assert refund.id not in {i.fact for i in after.invalid}


@pytest.mark.parametrize("preset", PRESETS)
def test_S9_1_a_unit_change_moves_the_deal_and_keeps_its_split(preset: str) -> None:
    """S9.1: a unit change (换房) moves the deal to the new unit and price; its split stays."""
    # given a signing for 1-1201
    r, _deposit, signing = _sold()
    r.on(8)
    before = r.decide(preset)
    # when the buyer moves to 2-0801 at a new price
    r.on(9)
    r.change_unit(signing, "2-0801", "1380000")
    after = r.decide(preset)
    # then the split shows the new unit and price, and its shares and rule do not change
    s, old = _split(after, signing.id), _split(before, signing.id)
    assert (old.unit, old.amount) == ("1-1201", Decimal("1500000"))
    assert (s.unit, s.amount) == ("2-0801", Decimal("1380000"))
    assert (s.shares, s.rule) == (old.shares, old.rule)
    # and the history says so
    v = r.verdict(preset, PHONE_A)
    assert any(x.rule == "S9.1" and "换房 1-1201 → 2-0801" in x.zh for x in v.history)


@pytest.mark.parametrize("preset", PRESETS)
def test_S9_1_payment_stages_are_kept_on_the_split_once_each(preset: str) -> None:
    """S9.1: the payment stages (回款) are kept on the split, each once."""
    # given a signing whose down payment is paid, then paid again by mistake, then the loan
    r, _deposit, signing = _sold()
    r.on(8)
    r.pay(signing, "down_payment", "450000")
    twice = r.pay(signing, "down_payment", "450000")
    r.on(20)
    r.pay(signing, "loan_disbursed", "1050000")
    # when the record is read
    att = r.decide(preset)
    # then the split lists each stage once, in order, and the repeat is refused naming the stage
    s = _split(att, signing.id)
    assert [(stage, amount) for stage, _t, amount in s.paid] == [
        ("down_payment", Decimal("450000")),
        ("loan_disbursed", Decimal("1050000")),
    ]
    refused = {i.fact: i for i in att.invalid}
    assert refused[twice.id].rule == "S9.1" and refused[twice.id].fields == ("stage",)
    # and a payment changes nobody's ownership or share
    assert s.payable


def test_S9_1_a_refund_of_no_deal_or_a_refunded_one_is_refused() -> None:
    """S9.1: nothing follows a refunded deal, and a refund of no deal is refused."""
    # given a sold customer whose signing is refunded
    r, _deposit, signing = _sold()
    r.on(10)
    r.refund(signing)
    # when it is refunded again, moved to another unit, paid, and a deal of nobody is refunded
    again = r.refund(signing)
    moved = r.change_unit(signing, "2-0801")
    paid = r.pay(signing, "paid_in_full")
    ghost = r.refund(replace(signing, id="nope"))
    att = r.decide("s8")
    # then each is refused, naming the deal, in Chinese and English
    refused = {i.fact: i for i in att.invalid}
    for fact in (again, moved, paid):
        assert refused[fact.id].zh == "该成交已退房" and refused[fact.id].fields == ("deal",)
    assert refused[ghost.id].zh == "该客户没有这笔成交"


def test_S9_1_a_refund_before_another_unit_leaves_that_units_deal_alone() -> None:
    """S9.1: a refund voids its own unit's deals, not another unit's."""
    # given a customer who buys two units, then refunds the second
    r = Record()
    r.on(3).visit("zhangsan", PHONE_A)
    first = r.on(4).deal(PHONE_A, "zhangsan", "signing", unit="1-1201")
    second = r.on(5).deal(PHONE_A, "zhangsan", "signing", unit="1-1202")
    r.on(6).refund(second)
    att = r.decide("s8")
    # then only the refunded unit's split is void
    assert _split(att, second.id).refunded_at is not None
    assert _split(att, first.id).refunded_at is None


def test_S9_1_a_policy_may_release_a_refunded_customer_to_the_pool() -> None:
    """S9.1: a site's policy may release a refunded customer to the pool (deals.refund_releases)."""
    # given a site's own policy (s8 with deals.refund_releases) and a consultant's refunded customer
    own = load_preset("s8").model_copy(
        update={"deals": load_preset("s8").deals.model_copy(update={"refund_releases": True})}
    )
    r, _deposit, signing = _sold()
    assert r.owner(own, PHONE_A) == "zhangsan"
    # when the signing is refunded
    r.on(10).refund(signing)
    # then under that policy he is public from the refund, and under s8 he stays 张三's
    v = r.verdict(own, PHONE_A)
    assert v.owner.kind == "pool" and v.since == r.now
    assert v.reasons[-1].rule == "S9.1" and "客户转为公共客户" in v.reasons[-1].zh
    assert r.owner("s8", PHONE_A) == "zhangsan"
