"""Preset s14 (售楼处客户确认制度): first-inquiry responsibility, stealing and collisions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from guishu.core.events import Companion
from guishu.core.verdict import Attribution, CollisionRecord
from tests.builders import (
    PHONE_A,
    PHONE_B,
    PHONE_C,
    Record,
    invalid_rules,
    penalties_of,
    rules_of,
    split_of,
    split_rule,
)

P = "s14"


def collisions_for(att: Attribution, phone: str) -> list[CollisionRecord]:
    """The collisions recorded on the group that holds ``phone``."""
    v = att.verdict_for(phone)
    assert v is not None
    return [c for c in att.collisions if c.group == v.group]


def fines_of(att: Attribution, staff: str) -> list[Decimal]:
    return [amount for _, amount, action in penalties_of(att, staff) if action == "fine"]


def actions_of(att: Attribution, staff: str) -> list[str]:
    return [action for _, _, action in penalties_of(att, staff)]


# ---------------------------------------------------------------------------
# S14.1 first-inquiry responsibility: calls and visits alike


@pytest.mark.parametrize(
    ("first_mode", "second_mode"),
    [("call", "call"), ("call", "visit"), ("visit", "call"), ("visit", "visit")],
)
def test_first_receiver_by_call_or_visit_owns(first_mode: str, second_mode: str) -> None:
    """S14.1: the first receiver, by call or by visit, owns; a later receiver does not."""
    # given
    r = Record()
    first = r.register(first_mode, "zhangsan", PHONE_A)
    r.later(days=2).register(second_mode, "lisi", PHONE_A)
    # when
    v = r.verdict(P, PHONE_A)
    # then
    assert v.owner.kind == "consultant"
    assert v.owner.id == "zhangsan"
    assert v.state == "owned"
    assert v.since == first.at
    assert "S14.1" in rules_of(r.decide(P), PHONE_A)


def test_first_call_receiver_is_not_displaced_by_a_visit_registration() -> None:
    """S14.1: a first call counts like a first visit; a later visit does not outrank it."""
    # given
    r = Record()
    r.call("zhangsan", PHONE_A)
    r.later(days=5).visit("lisi", PHONE_A, first_visit=True)
    # when
    owner = r.owner(P, PHONE_A)
    # then
    assert owner == "zhangsan"


def test_first_receiver_closes_and_earns_the_whole_deal() -> None:
    """S14.1: the deal of the first receiver's customer is his."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    d = r.later(days=3).deal(PHONE_A, "zhangsan")
    # when
    att = r.decide(P)
    # then
    assert split_of(att, d) == {"zhangsan": Decimal(1)}


# ---------------------------------------------------------------------------
# S14.2 stealing (抢单)


KNOWING_ANSWERS: list[dict[str, Any]] = [
    {"first_visit": False},
    {"called_before": True},
    {"family_visited": True},
    {"named": "zhouqi"},  # told him another consultant (not lisi himself) received him
]


@pytest.mark.parametrize("answers", KNOWING_ANSWERS)
def test_registering_a_customer_known_to_be_received_is_stealing(answers: dict[str, Any]) -> None:
    """S14.2: registering a customer who said he had been received before is a knowing collision."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    steal = r.later(days=2).visit("lisi", PHONE_A, **answers)
    # when
    att = r.decide(P)
    # then
    assert r.owner(P, PHONE_A) == "zhangsan"
    [c] = collisions_for(att, PHONE_A)
    assert (c.owner, c.other, c.fact, c.knowing) == ("zhangsan", "lisi", steal.id, True)
    assert c.rule == "S14.2"


@pytest.mark.parametrize("answers", KNOWING_ANSWERS)
def test_first_stealing_offence_is_a_warning_and_a_200_fine(answers: dict[str, Any]) -> None:
    """S14.2: first offence: a warning and ¥200, no dismissal; the owner is not fined."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=2).visit("lisi", PHONE_A, **answers)
    # when
    att = r.decide(P)
    # then
    assert sorted(actions_of(att, "lisi")) == ["fine", "warning"]
    assert fines_of(att, "lisi") == [Decimal("200")]
    assert {rule for rule, _, _ in penalties_of(att, "lisi")} == {"S14.2"}
    assert penalties_of(att, "zhangsan") == []


def test_stolen_customer_deal_goes_to_the_first_receiver() -> None:
    """S14.2: when the stealer closes, the deal goes to the first receiver."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=2).visit("lisi", PHONE_A, first_visit=False)
    d = r.later(days=1).deal(PHONE_A, "lisi")
    # when
    att = r.decide(P)
    # then
    assert split_of(att, d) == {"zhangsan": Decimal(1)}
    assert split_rule(att, d) in {"S14.1", "S14.2"}


def _two_offences() -> tuple[Record, Any, Any]:
    """lisi closes his own customer C, then steals A (zhangsan's) and B (zhouqi's)."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.visit("zhouqi", PHONE_B)
    r.visit("lisi", PHONE_C)
    own_deal = r.later(hours=2).deal(PHONE_C, "lisi")
    r.later(days=1).visit("lisi", PHONE_A, first_visit=False)
    first_end = r.now + timedelta(hours=1)
    r.later(days=1).visit("lisi", PHONE_B, called_before=True)
    return r, own_deal, first_end


def test_second_stealing_offence_dismisses_and_forfeits_closed_deals() -> None:
    """S14.2: second offence (another customer): dismissal; his closed deals to the company."""
    # given
    r, own_deal, _ = _two_offences()
    # when
    att = r.decide(P)
    # then
    actions = actions_of(att, "lisi")
    assert actions.count("dismissal") == 1
    assert actions.count("warning") == 1
    assert fines_of(att, "lisi") == [Decimal("200")]  # the second offence: dismissal, no new fine
    assert split_of(att, own_deal) == {"company": Decimal(1)}
    assert split_rule(att, own_deal) == "S14.2"
    assert r.owner(P, PHONE_A) == "zhangsan"
    assert r.owner(P, PHONE_B) == "zhouqi"


def test_after_only_the_first_offence_his_closed_deals_stay_his() -> None:
    """S14.2: before the second offence there is no dismissal and no forfeit."""
    # given
    r, own_deal, first_end = _two_offences()
    # when
    att = r.decide(P, at=first_end)
    # then
    assert "dismissal" not in actions_of(att, "lisi")
    assert split_of(att, own_deal) == {"lisi": Decimal(1)}


# ---------------------------------------------------------------------------
# S14.3 collisions (撞单): unknowing


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"first_visit": True},
        {"first_visit": True, "called_before": False, "family_visited": False},
    ],
)
def test_unknowing_collision_earliest_registration_wins_without_fine(
    answers: dict[str, Any],
) -> None:
    """S14.3: unknowing collision: earliest registration wins; recorded as unknowing; no fine."""
    # given
    r = Record()
    r.call("zhangsan", PHONE_A)
    late = r.later(days=3).visit("lisi", PHONE_A, **answers)
    # when
    att = r.decide(P)
    # then
    assert r.owner(P, PHONE_A) == "zhangsan"
    [c] = collisions_for(att, PHONE_A)
    assert (c.owner, c.other, c.fact, c.knowing) == ("zhangsan", "lisi", late.id, False)
    assert c.rule == "S14.3"
    assert penalties_of(att, "lisi") == []


def test_unknowing_collision_deal_goes_to_the_earliest_registrant() -> None:
    """S14.3: the later unknowing registrant closes: the earliest registrant wins the deal."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=3).visit("lisi", PHONE_A, first_visit=True)
    d = r.later(days=1).deal(PHONE_A, "lisi")
    # when
    att = r.decide(P)
    # then
    assert split_of(att, d) == {"zhangsan": Decimal(1)}
    assert split_rule(att, d) in {"S14.1", "S14.3"}
    assert penalties_of(att, "lisi") == []


# ---------------------------------------------------------------------------
# S14.3a pending confirmation without a deadline


def _pending_record() -> tuple[Record, Any]:
    r = Record()
    r.visit("zhangsan", PHONE_A)
    pend = r.later(days=10).pending("lisi", PHONE_A)
    return r, pend


def test_pending_confirmation_has_no_deadline() -> None:
    """S14.3a: a pending confirmation has no deadline: pending however long nobody claims."""
    # given
    r, _ = _pending_record()
    # when
    v = r.verdict(P, PHONE_A, at=r.now + timedelta(days=120))
    # then
    assert v.state == "pending"
    assert v.deadline is None
    assert "S14.3a" in {reason.rule for reason in v.reasons}


def test_pending_confirmation_unverified_claim_keeps_it_pending() -> None:
    """S14.3a: an unverified claim does not settle a pending confirmation."""
    # given
    r, pend = _pending_record()
    r.later(days=1).claim(pend, "zhangsan", verified=False)
    # when
    v = r.verdict(P, PHONE_A, at=r.now + timedelta(days=30))
    # then
    assert v.state == "pending"


def test_pending_confirmation_verified_claim_decides() -> None:
    """S14.3a: a verified claim by the earlier receiver settles the pending confirmation to him."""
    # given
    r, pend = _pending_record()
    r.later(days=40).claim(pend, "zhangsan", verified=True)
    # when
    v = r.verdict(P, PHONE_A)
    # then
    assert v.state == "owned"
    assert v.owner.id == "zhangsan"


def test_pending_confirmation_claim_without_record_is_invalid() -> None:
    """S14.3a: a claimant with no earlier record of the customer cannot settle it."""
    # given
    r, pend = _pending_record()
    bad = r.later(days=1).claim(pend, "zhouqi", verified=True)
    # when
    att = r.decide(P)
    # then
    assert invalid_rules(att)[bad.id] == "S14.3a"
    assert r.verdict(P, PHONE_A).state == "pending"


def test_pending_confirmation_ruling_decides() -> None:
    """S14.3a: the site leader's ruling settles a pending confirmation."""
    # given
    r, _ = _pending_record()
    r.later(days=2).ruling(PHONE_A, "lisi", rule="S14.3a", reason="核实后归再次接待人")
    # when
    v = r.verdict(P, PHONE_A)
    # then
    assert v.state == "owned"
    assert v.owner.id == "lisi"


# ---------------------------------------------------------------------------
# S14.3b / S14.3c received but not registered


@pytest.mark.parametrize("earlier_entry", ["none", "incomplete"])
def test_unregistered_receiver_named_on_return_owns(earlier_entry: str) -> None:
    """S14.3b: received but not registered; back again he names that consultant -> his."""
    # given
    r = Record()
    if earlier_entry == "incomplete":
        r.visit("zhangsan", PHONE_A, name=None)  # the register lacks the customer's name
    r.later(days=4).visit("lisi", PHONE_A, named="zhangsan")
    # when
    att = r.decide(P)
    # then
    assert r.owner(P, PHONE_A) == "zhangsan"
    assert rules_of(att, PHONE_A) & {"S14.3b", "S14.4"}
    assert collisions_for(att, PHONE_A) == []


@pytest.mark.parametrize("earlier_entry", ["none", "incomplete"])
def test_left_before_registering_returns_without_naming_is_registered_anew(
    earlier_entry: str,
) -> None:
    """S14.3c: left before registering; back without naming anyone -> the new receiver's."""
    # given
    r = Record()
    if earlier_entry == "incomplete":
        first = r.visit("zhangsan", PHONE_A, name=None)
    r.later(days=4).visit("lisi", PHONE_A)
    # when
    att = r.decide(P)
    # then
    assert r.owner(P, PHONE_A) == "lisi"
    assert collisions_for(att, PHONE_A) == []
    if earlier_entry == "incomplete":
        assert invalid_rules(att)[first.id] == "S14.3c"


# ---------------------------------------------------------------------------
# S14.3d old brings new


def test_old_brings_new_already_registered_stays_with_the_registrant() -> None:
    """S14.3d: the new customer was already registered -> referral fails, the registrant's."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)  # the old customer
    r.later(days=1).visit("lisi", PHONE_B)  # the new one registers first with lisi
    r.later(days=3).visit("zhouqi", PHONE_B, referred_by=PHONE_A, referrer_present=True)
    # when
    owner = r.owner(P, PHONE_B)
    # then
    assert owner == "lisi"


def test_old_brings_new_unregistered_goes_to_the_old_customers_consultant() -> None:
    """S14.3d: new customer not registered, the old one brings him -> the old one's consultant."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=3).visit("zhouqi", PHONE_B, referred_by=PHONE_A, referrer_present=True)
    # when
    att = r.decide(P)
    # then
    assert r.owner(P, PHONE_B) == "zhangsan"
    assert "S14.3d" in rules_of(att, PHONE_B)


# ---------------------------------------------------------------------------
# S14.3e refusal confirmed by the manager


def test_refusal_confirmed_by_manager_registers_anew() -> None:
    """S14.3e: the customer refuses his consultant, the manager confirms -> registered anew."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=2).complaint(PHONE_A, "zhangsan", type="refusal", approved_by="zhaoliu")
    released = r.verdict(P, PHONE_A)
    r.later(hours=1).visit("lisi", PHONE_A)
    # when
    att = r.decide(P)
    # then
    assert released.owner.kind == "pool"
    assert r.owner(P, PHONE_A) == "lisi"
    assert "S14.3e" in rules_of(att, PHONE_A)


def test_refusal_without_manager_confirmation_has_no_effect() -> None:
    """S14.3e: a refusal the manager has not confirmed changes nothing."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=2).complaint(PHONE_A, "zhangsan", type="refusal", approved_by=None)
    r.later(hours=1).visit("lisi", PHONE_A)
    # when
    v = r.verdict(P, PHONE_A)
    # then
    assert v.owner.id == "zhangsan"
    assert v.state == "owned"


# ---------------------------------------------------------------------------
# S14.3f relatives are one group


@pytest.mark.parametrize("relation", ["spouse", "child", "parent", "sibling"])
def test_relatives_are_one_group_first_registrant_wins(relation: str) -> None:
    """S14.3f: spouse, children, parents, siblings are one group under the first receiver."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=1).relate(PHONE_A, PHONE_B, relation)
    r.later(days=2).visit("lisi", PHONE_B, name="王小红", gender="F")
    # when
    att = r.decide(P)
    # then
    assert r.owner(P, PHONE_B) == "zhangsan"
    v = att.verdict_for(PHONE_B)
    assert v is not None
    assert PHONE_A in v.members


@pytest.mark.parametrize("relation", ["spouse", "child", "parent", "sibling"])
def test_relatives_learned_after_both_registered_earliest_wins(relation: str) -> None:
    """S14.3f: relatives registered separately then found related -> the earliest registrant."""
    # given
    r = Record()
    r.visit("lisi", PHONE_B, name="王小红", gender="F")
    r.later(days=1).visit("zhangsan", PHONE_A)
    r.later(days=2).relate(PHONE_A, PHONE_B, relation)
    # when / then
    assert r.owner(P, PHONE_A) == "lisi"
    assert r.owner(P, PHONE_B) == "lisi"


def test_relative_companion_joins_the_group() -> None:
    """S14.3f: a spouse who came along (named on the register) is one group with the customer."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    spouse = Companion(name="王太太", phone=PHONE_A, relation="spouse")
    r.later(days=2).visit("lisi", PHONE_B, name="李红", gender="F", companions=(spouse,))
    # when / then
    assert r.owner(P, PHONE_B) == "zhangsan"


@pytest.mark.parametrize("relation", ["friend", "colleague"])
def test_friends_are_not_one_group(relation: str) -> None:
    """S14.3f: only spouse, children, parents and siblings join; a friend is his own group."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=1).relate(PHONE_A, PHONE_B, relation)
    r.later(days=2).visit("lisi", PHONE_B, name="李红", gender="F")
    # when / then
    assert r.owner(P, PHONE_B) == "lisi"
    assert r.owner(P, PHONE_A) == "zhangsan"


# ---------------------------------------------------------------------------
# S14.4 acquaintances


def test_acquaintance_naming_the_consultant_is_his_even_unregistered() -> None:
    """S14.4: an acquaintance who names the consultant is his, even without a registration."""
    # given
    r = Record()
    r.visit("lisi", PHONE_A, named="zhouqi")
    # when
    att = r.decide(P)
    # then
    assert r.owner(P, PHONE_A) == "zhouqi"
    assert "S14.4" in rules_of(att, PHONE_A)


def test_acquaintance_not_naming_the_consultant_is_the_receivers() -> None:
    """S14.4: an acquaintance who does not name the consultant -> the receiver's."""
    # given
    r = Record()
    r.visit("lisi", PHONE_A, source="朋友介绍")
    # when
    att = r.decide(P)
    # then
    assert r.owner(P, PHONE_A) == "lisi"
    assert "S14.1" in rules_of(att, PHONE_A)


# ---------------------------------------------------------------------------
# S14.2 in s14@v2: naming the owner is knowing, unless the record shows him away or busy


@pytest.mark.parametrize(
    ("duty", "v1_stealing", "v2_stealing"),
    [(None, False, True), ("day_off", False, False), ("busy", False, False), ("on_duty", False, True)],
    ids=["no-duty-record", "owner-off", "owner-busy", "owner-at-work"],
)
def test_s14_v2_a_customer_naming_his_owner_is_knowing_unless_the_owner_is_away(
    duty: str | None, v1_stealing: bool, v2_stealing: bool
) -> None:
    """S14.2: the customer tells 李四 he is 张三's; 李四 registers him. Under s14@v2 that is knowing
    stealing (fined) unless 张三 is recorded away or busy then (an on-behalf reception); s14@v1
    took any naming of the owner for an on-behalf reception."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    if duty is not None:
        r.later(days=2).duty("zhangsan", duty)
    r.later(days=2, hours=1).visit("lisi", PHONE_A, named="zhangsan")
    # when / then
    for preset, stealing in (("s14", v1_stealing), ("s14@v2", v2_stealing)):
        att = r.decide(preset)
        assert r.owner(preset, PHONE_A) == "zhangsan", preset
        found = [(c.rule, c.knowing) for c in att.collisions]
        assert found == ([("S14.2", True)] if stealing else []), preset
        assert ({rule for rule, _, _ in penalties_of(att, "lisi")} == {"S14.2"}) is stealing, preset


def test_policy_show_says_when_naming_the_owner_is_on_his_behalf() -> None:
    """S14.2: `policy show s14@v2` states the duty record's part; v1 does not."""
    from guishu.core.policy_text import explain_policy
    from guishu.policies import load_preset

    line = "[S14.2] 客户指名原顾问时,仅当原顾问在记录中为忙碌或不在,接待人方为代为接待;否则接待人明知是他人客户。"
    assert line in explain_policy(load_preset("s14@v2"))
    assert line not in explain_policy(load_preset("s14"))
