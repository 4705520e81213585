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


# ---------------------------------------------------------------------------- 资格审核 checklist


def test_S2_1_the_commission_waits_for_every_item_of_the_checklist() -> None:
    """S2.1, S2.2, S2.3: with qualification on, a signing's commission is held until the latest
    check of each required item (identity, eligibility, funds by default) passed."""
    # given a signing, then the three checks a day apart
    policy = with_modules("s8", qualification=True)
    r = Record()
    r.visit("zhangsan", PHONE_A)
    deal = r.later(days=1).deal(PHONE_A, "zhangsan", "signing")
    r.later(days=1).check(PHONE_A, "identity")
    r.later(days=1).check(PHONE_A, "eligibility")
    before_funds = r.now
    last = r.later(days=1).check(PHONE_A, "funds")
    # when decided as of the day before the last check, and as of the end
    engine = r.engine(policy)
    held = {s.deal: s for s in engine.splits(before_funds)}
    paid = {s.deal: s for s in engine.splits(last.at)}
    # then the split is held, then payable, and the same split either way
    assert held[deal.id].awaiting == "qualification"
    assert paid[deal.id].awaiting is None
    assert split_of(r.decide(policy), deal) == {"zhangsan": Decimal(1)}


def test_S2_2_a_failed_check_holds_the_commission_until_it_passes() -> None:
    """S2.2: a failed eligibility check keeps the commission held (the purchase itself is
    undone only by a refund); a later check that passes clears it."""
    # given every item passed except eligibility, which failed
    policy = with_modules("s8", qualification=True)
    r = Record()
    r.visit("zhangsan", PHONE_A)
    deal = r.later(days=1).deal(PHONE_A, "zhangsan", "subscription")
    r.check(PHONE_A, "identity")
    r.check(PHONE_A, "funds")
    failed = r.later(hours=1).check(PHONE_A, "eligibility", passed=False)
    # when decided then
    engine = r.engine(policy)
    assert {s.deal: s.awaiting for s in engine.splits(failed.at)}[deal.id] == "qualification"
    # and after the item is checked again and passes
    r.later(days=2).check(PHONE_A, "eligibility", passed=True)
    # then it is payable, and each check is in the customer's history with its rule
    att = r.decide(policy)
    assert {s.deal: s.awaiting for s in att.splits}[deal.id] is None
    history = att.verdicts[0].history
    assert [h.rule for h in history if "审核" in h.zh or "证" in h.zh][-4:] == ["S2.1", "S2.3", "S2.2", "S2.2"]


def test_S15_4_the_policy_names_its_checklist() -> None:
    """S15.4 ("ID, funds"): a policy whose checklist is identity and funds pays once those two
    passed; an item it does not require is recorded but holds nothing."""
    # given a checklist of two
    policy = with_modules("s8", qualification=True, checks=("identity", "funds"))
    r = Record()
    r.visit("zhangsan", PHONE_A)
    deal = r.later(days=1).deal(PHONE_A, "zhangsan", "signing")
    r.check(PHONE_A, "identity")
    r.check(PHONE_A, "credit", passed=False)  # S2.4, not required here
    r.check(PHONE_A, "funds")
    # when decided
    att = r.decide(policy)
    # then nothing is held
    assert {s.deal: s.awaiting for s in att.splits}[deal.id] is None


def test_S2_checks_of_one_customer_hold_nothing_of_another() -> None:
    """S2.1: the checks are the customer's (his group's); another buyer's deal stays held."""
    policy = with_modules("s8", qualification=True)
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.visit("lisi", PHONE_B)
    mine = r.later(days=1).deal(PHONE_A, "zhangsan", "signing")
    other = r.deal(PHONE_B, "lisi", "signing")
    for item in ("identity", "eligibility", "funds"):
        r.later(hours=1).check(PHONE_A, item)
    awaiting = {s.deal: s.awaiting for s in r.decide(policy).splits}
    assert awaiting == {mine.id: None, other.id: "qualification"}


def test_S2_a_signing_the_manager_forced_through_stays_held() -> None:
    """S2.1: a signing recorded with checks open (the manager's reason on the deal) is still
    held until the checks pass; the override pays nothing earlier."""
    policy = with_modules("s8", qualification=True)
    r = Record()
    r.visit("zhangsan", PHONE_A)
    deal = r.later(days=1).deal(PHONE_A, "zhangsan", "signing", checks_overridden="客户明日出国,先签约后补件")
    assert {s.deal: s.awaiting for s in r.decide(policy).splits}[deal.id] == "qualification"


def test_S2_a_check_without_the_module_is_invalid() -> None:
    """S2.2: a policy without qualification refuses a check, naming the rule and the field."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    check = r.later(days=1).check(PHONE_A, "identity")
    assert invalid_rules(r.decide("s8"))[check.id] == "S2.2"


def test_S2_4_S2_5_a_site_may_require_the_credit_check_and_the_signed_letter() -> None:
    """S2.4, S2.5: a site's checklist of credit assessment and the signed purchase confirmation
    letter holds the commission until both passed; identity alone is not enough there."""
    policy = with_modules("s8", qualification=True, checks=("credit", "letter"))
    r = Record()
    r.visit("zhangsan", PHONE_A)
    deal = r.later(days=1).deal(PHONE_A, "zhangsan", "signing")
    r.check(PHONE_A, "identity")
    credit = r.later(hours=1).check(PHONE_A, "credit")
    r.later(hours=1).check(PHONE_A, "letter")
    engine = r.engine(policy)
    assert {s.deal: s.awaiting for s in engine.splits(credit.at)}[deal.id] == "qualification"
    assert {s.deal: s.awaiting for s in r.decide(policy).splits}[deal.id] is None


def test_S2_policy_show_states_the_checklist_where_the_site_checks_buyers() -> None:
    """S2.2, S15.4: `policy show` names the required items with their rules where the module is
    on, and says nothing of a checklist where it is off."""
    from guishu.core.policy_text import explain_policy

    on = "\n".join(explain_policy(with_modules("s16", qualification=True, checks=("identity", "funds"))))
    off = "\n".join(explain_policy(load_preset("s16")))
    assert "资格审核: 身份证件核验(S2.1)、资金实力证明(S2.3) 均通过前,成交佣金暂缓发放" in on
    assert "资格审核" not in off
