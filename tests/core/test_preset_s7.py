"""The s7 preset (房地产客户判定制度, 2013): the first visit registration is the only basis.

Expected results come from the rule text (RULES.md S7, policies-zh.txt), not from
the engine.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from guishu.core.events import Companion
from tests.builders import (
    PHONE_A,
    PHONE_B,
    PHONE_C,
    Record,
    at,
    invalid_rules,
    rules_of,
    split_of,
    split_rule,
)

POLICY = "s7"
ONE = Decimal(1)


# ---------------------------------------------------------------------------
# S7.1 the first visit registration


def test_s7_1_first_visit_registration_makes_the_owner() -> None:
    """S7.1: the consultant who registered the customer's first visit owns him."""
    # given: zhangsan registers the first visit, lisi a later one
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=3).visit("lisi", PHONE_A)
    # when: the customer closes with zhangsan
    deal = r.later(hours=2).deal(PHONE_A, "zhangsan")
    att = r.decide(POLICY)
    # then: zhangsan's, on S7.1
    assert r.owner(POLICY, PHONE_A) == "zhangsan"
    assert split_of(att, deal) == {"zhangsan": ONE}


def test_s7_1_call_registration_does_not_make_an_owner() -> None:
    """S7.1: a call registration is no basis: the first visit registration decides."""
    # given: zhangsan registered the customer's call
    r = Record()
    r.call("zhangsan", PHONE_A)
    after_call = r.owner(POLICY, PHONE_A)
    # when: the customer first visits and lisi registers the visit
    r.later(days=2).visit("lisi", PHONE_A)
    att = r.decide(POLICY)
    # then: nobody owned him after the call; the visit makes him lisi's
    assert after_call is None
    assert r.owner(POLICY, PHONE_A) == "lisi"
    assert "S7.1" in rules_of(att, PHONE_A)


@pytest.mark.parametrize(
    ("name", "phone"),
    [(None, PHONE_A), ("王建国", None)],
    ids=["no-name", "no-phone"],
)
def test_s7_1_visit_registration_needs_name_and_phone(name: str | None, phone: str | None) -> None:
    """S7.1: the registration needs the customer's name and phone; without them it is invalid."""
    # given: zhangsan's visit registration lacks the name or the phone
    r = Record()
    bad = r.visit("zhangsan", phone, name)
    # when: lisi later registers him with name and phone
    r.later(days=1).visit("lisi", PHONE_A)
    att = r.decide(POLICY)
    # then: zhangsan's registration is invalid under S7.1; the customer is lisi's
    assert invalid_rules(att).get(bad.id) == "S7.1"
    assert r.owner(POLICY, PHONE_A) == "lisi"


# ---------------------------------------------------------------------------
# S7.2 the front-desk questions, S7.3 first-time visitors


def test_s7_2_customer_who_has_been_here_goes_to_the_original_consultant() -> None:
    """S7.2: a visitor who has been here before goes to his original consultant."""
    # given: zhangsan registered the customer's first visit
    r = Record()
    r.visit("zhangsan", PHONE_A)
    # when: he returns, says he has been here, and lisi at the front desk registers him
    r.later(days=6).visit("lisi", PHONE_A, first_visit=False)
    # then: zhangsan's
    assert r.owner(POLICY, PHONE_A) == "zhangsan"


@pytest.mark.parametrize("relation", ["spouse", "parent", "child", "sibling"])
def test_s7_2_family_member_visited_before_goes_to_the_original_consultant(relation: str) -> None:
    """S7.2: a visitor whose family member was here before goes to that member's consultant."""
    # given: a family member visited and registered with zhangsan
    r = Record()
    r.visit("zhangsan", PHONE_A)
    # when: the relative comes for the first time and lisi registers him, naming the member
    r.later(days=4).visit(
        "lisi",
        PHONE_B,
        "王丽",
        gender="F",
        family_visited=True,
        companions=(Companion(name="王建国", phone=PHONE_A, relation=relation),),
    )
    deal = r.later(hours=2).deal(PHONE_B, "lisi")
    att = r.decide(POLICY)
    # then: one group, zhangsan's; the deal is zhangsan's
    assert r.owner(POLICY, PHONE_B) == "zhangsan"
    assert split_of(att, deal) == {"zhangsan": ONE}


def test_s7_2_a_friend_is_not_family() -> None:
    """S7.2: only he or his family count as "has been here": a friend's consultant does not."""
    # given: a friend visited and registered with zhangsan
    r = Record()
    r.visit("zhangsan", PHONE_A)
    # when: the newcomer, who came with the friend, is received by lisi in rotation
    r.later(days=4).visit("lisi", PHONE_B, "李明", companions=(Companion(phone=PHONE_A, relation="friend"),))
    # then: lisi's
    assert r.owner(POLICY, PHONE_B) == "lisi"
    assert r.owner(POLICY, PHONE_A) == "zhangsan"


def test_s7_2_customer_who_names_a_consultant_goes_to_that_one() -> None:
    """S7.2: a new visitor who asks for a consultant by name is that consultant's."""
    # given: a new customer at the front desk asks for zhouqi
    r = Record()
    # when: lisi at the front desk registers the visit with the named consultant
    r.visit("lisi", PHONE_C, named="zhouqi")
    att = r.decide(POLICY)
    # then: zhouqi's, on S7.2
    assert r.owner(POLICY, PHONE_C) == "zhouqi"
    assert "S7.2" in rules_of(att, PHONE_C)


def test_s7_3_first_time_visitor_goes_to_the_rotation_receiver() -> None:
    """S7.3: a first-time visitor belongs to the rotation consultant who received him."""
    # given: a customer who has never been here and names nobody
    r = Record()
    # when: lisi, on rotation, receives and registers him
    r.visit("lisi", PHONE_A, first_visit=True, family_visited=False)
    # then: lisi's
    assert r.owner(POLICY, PHONE_A) == "lisi"


# ---------------------------------------------------------------------------
# S7.4 appointment customers, S7.5 deposit or signing only


@pytest.mark.parametrize("status", ["busy", "sick", "day_off", "out"])
def test_s7_4_appointment_customer_of_x_while_x_away_stays_x_s(status: str) -> None:
    """S7.4: X's appointment customer, X away: the last in rotation helps, X keeps him."""
    # given: zhangsan's customer (first visit registered) booked a second visit
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.on(4, 18).follow_up("zhangsan", PHONE_A)
    r.on(6, 9).duty("zhangsan", status, until=at(7, 0))
    # when: the customer arrives asking for zhangsan; lisi, last in rotation, helps him
    r.on(6, 10).visit("lisi", PHONE_A, named="zhangsan")
    deal = r.later(hours=1).deal(PHONE_A, "lisi")
    att = r.decide(POLICY)
    # then: still zhangsan's, on S7.4, and so is the deal
    assert r.owner(POLICY, PHONE_A) == "zhangsan"
    assert "S7.4" in rules_of(att, PHONE_A)
    assert split_of(att, deal) == {"zhangsan": ONE}


def test_s7_4_appointment_booked_by_phone_while_x_away_stays_x_s() -> None:
    """S7.4: X booked the visit by phone; he is out when the customer comes: X keeps him."""
    # given: zhangsan registered the call and booked the visit
    r = Record()
    r.call("zhangsan", PHONE_A)
    r.on(6, 9).duty("zhangsan", "out", until=at(7, 0))
    # when: the customer arrives for his appointment; lisi helps and registers the visit
    r.on(6, 10).visit("lisi", PHONE_A, named="zhangsan")
    # then: zhangsan's, not lisi's
    assert r.owner(POLICY, PHONE_A) == "zhangsan"


@pytest.mark.parametrize(
    ("purpose", "deal_type"),
    [("deposit_only", "deposit"), ("signing_only", "signing")],
)
def test_s7_5_visitor_only_paying_or_signing_receiver_only_helps(purpose: str, deal_type: str) -> None:
    """S7.5: a visitor only paying a deposit or signing: the receiver only helps."""
    # given: zhangsan's customer
    r = Record()
    r.visit("zhangsan", PHONE_A)
    # when: he comes only to pay the deposit (or sign); lisi receives him and closes
    r.later(days=7).visit("lisi", PHONE_A, purpose=purpose)
    deal = r.later(minutes=30).deal(PHONE_A, "lisi", deal_type)
    att = r.decide(POLICY)
    # then: ownership unchanged and the whole deal is zhangsan's
    assert r.owner(POLICY, PHONE_A) == "zhangsan"
    assert "S7.5" in rules_of(att, PHONE_A)
    assert split_of(att, deal) == {"zhangsan": ONE}
    assert split_rule(att, deal) == "S7.5"
