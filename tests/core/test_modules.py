"""The switchable steps where they touch attribution: qualification (S2), pipeline (S9), chasing (S13)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from guishu.core.policy import Policy
from guishu.policies import load_preset
from tests.builders import PHONE_A, PHONE_B, TZ, Record, invalid_rules, split_of


def with_modules(preset: str, **switches: object) -> Policy:
    base = load_preset(preset)
    return base.model_copy(update={"modules": base.modules.model_copy(update=switches)})


def test_S2_unqualified_buyer_makes_no_deal() -> None:
    """S2.2: with qualification on, a buyer who fails the eligibility check makes no deal and no split."""
    # given
    policy = with_modules("s8", qualification=True)
    r = Record()
    r.visit("zhangsan", PHONE_A)
    deal = r.later(days=1).deal(PHONE_A, "zhangsan", "deposit", qualified=False)
    # when
    att = r.decide(policy)
    # then
    assert invalid_rules(att)[deal.id] == "S2.2"
    assert [s for s in att.splits if s.deal == deal.id] == []


def test_S2_unchecked_buyer_holds_the_commission_back() -> None:
    """S2.1: with qualification on, a deal before the check is split but awaits qualification."""
    # given
    policy = with_modules("s8", qualification=True)
    r = Record()
    r.visit("zhangsan", PHONE_A)
    unchecked = r.later(days=1).deal(PHONE_A, "zhangsan", "deposit")
    checked = r.later(days=1).deal(PHONE_A, "zhangsan", "signing", qualified=True)
    # when
    att = r.decide(policy)
    # then
    by_deal = {s.deal: s for s in att.splits}
    assert by_deal[unchecked.id].awaiting == "qualification"
    assert by_deal[checked.id].awaiting is None
    assert split_of(att, checked) == {"zhangsan": Decimal(1)}
    # and without the module nothing is held back
    assert all(s.awaiting is None for s in r.decide("s8").splits)


def test_S9_deposit_awaits_the_signed_contract() -> None:
    """S9.1: with the pipeline on, a deposit's commission waits for the signed contract."""
    # given
    policy = with_modules("s8", pipeline=True)
    r = Record()
    r.visit("zhangsan", PHONE_A)
    deposit = r.later(days=1).deal(PHONE_A, "zhangsan", "deposit")
    before = r.decide(policy)
    r.later(days=5).deal(PHONE_A, "zhangsan", "signing")
    # when
    after = r.decide(policy)
    # then
    assert next(s for s in before.splits if s.deal == deposit.id).awaiting == "signing"
    assert next(s for s in after.splits if s.deal == deposit.id).awaiting is None


def test_S13_chases_protections_about_to_lapse() -> None:
    """S13.2, S8.11: with chasing on, a protection lapsing within 2 days is chased to its owner."""
    # given: 张三 registered on 2 Mar (protected to the end of 9 Mar); 李四 on 5 Mar
    policy = with_modules("s8", chasing=True, chase_days=2)
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.on(5).visit("lisi", PHONE_B, "李梅", gender="F")
    # when: on the morning of 8 Mar
    att = r.decide(policy, at=datetime(2026, 3, 8, 9, 0, tzinfo=TZ))
    # then: only 张三's customer is due (lapses 10 Mar 00:00); 李四's runs to 13 Mar
    assert [(c.who, c.due, c.rule) for c in att.chases] == [
        ("zhangsan", datetime(2026, 3, 10, 0, 0, tzinfo=TZ), "S8.11")
    ]
    assert r.decide("s8", at=datetime(2026, 3, 8, 9, 0, tzinfo=TZ)).chases == []


def test_S13_chases_pending_confirmations_about_to_close() -> None:
    """S13.2, S8.10: with chasing on, a pending confirmation about to close is chased."""
    policy = with_modules("s8", chasing=True, chase_days=1)
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.on(4).pending("lisi", PHONE_A)  # open through 7 Mar
    att = r.decide(policy, at=datetime(2026, 3, 7, 12, 0, tzinfo=TZ))
    pending = [c for c in att.chases if c.rule == "S8.10"]
    assert [(c.who, c.due) for c in pending] == [("lisi", datetime(2026, 3, 8, 0, 0, tzinfo=TZ))]
