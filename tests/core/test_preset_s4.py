"""The s4 preset (外接待中心客户确认制度): a collective pool until a valid registration.

Expected results come from the rule text (RULES.md S4, policies-zh.txt), not from
the engine.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.builders import (
    PHONE_A,
    Record,
    at,
    invalid_rules,
    rules_of,
    split_of,
    split_rule,
)

POLICY = "s4"
ONE = Decimal(1)
HALF = Decimal("0.5")


# ---------------------------------------------------------------------------
# S4.1 the collective pool


@pytest.mark.parametrize("how", ["follow_up_only", "invalid_call"])
def test_s4_1_customer_without_valid_registration_belongs_to_the_pool(how: str) -> None:
    """S4.1: until a valid registration assigns him, a customer is the unit's (public pool)."""
    # given: zhangsan has contact with the customer but no valid registration
    r = Record()
    if how == "follow_up_only":
        r.follow_up("zhangsan", PHONE_A)
    else:
        r.call("zhangsan", PHONE_A, source=None)
    # when: the record is decided
    v = r.verdict(POLICY, PHONE_A)
    # then: nobody owns him: he is a collective (public) customer
    assert v.owner.kind == "pool"
    assert v.state == "public"
    assert r.owner(POLICY, PHONE_A) is None


# ---------------------------------------------------------------------------
# S4.3 call registration, S4.8 visit registration


CALL_MISSING: dict[str, dict[str, Any]] = {
    "name": {"name": None},
    "gender": {"name": "王建国", "gender": None},
    "intent": {"intent": None},
    "source": {"source": None},
    "signature": {"signed": False},
}


@pytest.mark.parametrize("missing", sorted(CALL_MISSING))
def test_s4_3_call_registration_missing_a_field_is_invalid(missing: str) -> None:
    """S4.3: a call registration lacking name, gender, intent, source or signature: invalid."""
    # given: zhangsan's call registration lacks one required item
    r = Record()
    bad = r.call("zhangsan", PHONE_A, **CALL_MISSING[missing])
    # when: lisi later takes a complete call registration of the same customer
    r.later(days=1).call("lisi", PHONE_A)
    att = r.decide(POLICY)
    # then: zhangsan's registration is invalid under S4.3 and does not count: lisi's
    assert invalid_rules(att).get(bad.id) == "S4.3"
    problem = next(i for i in att.invalid if i.fact == bad.id)
    key = "sign" if missing == "signature" else missing
    assert any(key in f for f in problem.fields)
    assert r.owner(POLICY, PHONE_A) == "lisi"


def test_s4_3_call_registration_with_a_wrong_number_is_invalid() -> None:
    """S4.3: a number that cannot reach the customer himself does not count."""
    # given: zhangsan wrote down a wrong, unreachable number
    r = Record()
    bad = r.call("zhangsan", None, phone_raw="1380013")
    # when: lisi later registers the customer's real number
    r.later(days=1).call("lisi", PHONE_A)
    att = r.decide(POLICY)
    # then: zhangsan's registration is invalid under S4.3; the customer is lisi's
    assert invalid_rules(att).get(bad.id) == "S4.3"
    assert r.owner(POLICY, PHONE_A) == "lisi"


@pytest.mark.parametrize(
    ("name", "gender"),
    [("王先生", None), ("王女士", None), ("王", "M"), ("王建国", "M")],
)
def test_s4_3_surname_and_gender_is_enough_for_a_call(name: str, gender: str | None) -> None:
    """S4.3: a call registration may give surname + gender (王先生) instead of the full name."""
    # given: zhangsan's call registration with surname + gender (or the full name)
    r = Record()
    reg = r.call("zhangsan", PHONE_A, name, gender=gender)
    # when: the record is decided
    att = r.decide(POLICY)
    # then: it is valid and the customer is zhangsan's
    assert reg.id not in invalid_rules(att)
    assert r.owner(POLICY, PHONE_A) == "zhangsan"


VISIT_MISSING: dict[str, dict[str, Any]] = {
    "name": {"name": None},
    "surname_only": {"name": "王先生", "gender": "M"},
    "intent": {"intent": None},
    "source": {"source": None},
    "signature": {"signed": False},
}


@pytest.mark.parametrize("missing", sorted(VISIT_MISSING))
def test_s4_8_visit_registration_missing_a_field_is_invalid(missing: str) -> None:
    """S4.8: a visit registration lacking full name, intent, source or signature: invalid."""
    # given: zhangsan's visit registration lacks one required item
    r = Record()
    bad = r.visit("zhangsan", PHONE_A, **VISIT_MISSING[missing])
    # when: lisi later registers the same customer completely
    r.later(days=1).visit("lisi", PHONE_A)
    att = r.decide(POLICY)
    # then: zhangsan's registration is invalid under S4.8: the customer is lisi's
    assert invalid_rules(att).get(bad.id) == "S4.8"
    assert r.owner(POLICY, PHONE_A) == "lisi"


def test_s4_8_visit_registration_with_a_wrong_number_is_invalid() -> None:
    """S4.8: a first-visit registration whose number cannot reach the customer is invalid."""
    # given: zhangsan wrote a wrong number on the visit register
    r = Record()
    bad = r.visit("zhangsan", None, phone_raw="1380013")
    # when: lisi later registers the real number
    r.later(days=1).visit("lisi", PHONE_A)
    att = r.decide(POLICY)
    # then: invalid under S4.8; lisi's
    assert invalid_rules(att).get(bad.id) == "S4.8"
    assert r.owner(POLICY, PHONE_A) == "lisi"


def test_s4_8_complete_visit_registration_without_gender_is_valid() -> None:
    """S4.8: date, name, own phone, intent, source and signature suffice; gender is not required."""
    # given: a complete visit registration that leaves gender blank
    r = Record()
    reg = r.visit("zhangsan", PHONE_A, gender=None)
    # when: the record is decided
    att = r.decide(POLICY)
    # then: valid: zhangsan's
    assert reg.id not in invalid_rules(att)
    assert r.owner(POLICY, PHONE_A) == "zhangsan"


# ---------------------------------------------------------------------------
# S4.5, S4.7 naming the call-taker


def test_s4_5_no_record_of_the_call_but_customer_names_the_call_taker() -> None:
    """S4.5: no record was left on the call, but the visitor names the call-taker: he is his."""
    # given: zhangsan took the call and left no record
    r = Record()
    # when: the customer visits, lisi on duty registers him, and he names zhangsan
    r.visit("lisi", PHONE_A, named="zhangsan")
    att = r.decide(POLICY)
    # then: zhangsan's, under S4.5
    assert r.owner(POLICY, PHONE_A) == "zhangsan"
    assert "S4.5" in rules_of(att, PHONE_A)


@pytest.mark.parametrize("mode", ["visit", "call"])
def test_s4_7_caller_who_later_names_a_belongs_to_a(mode: str) -> None:
    """S4.7: a caller who later visits or calls naming A (the call-taker) is A's."""
    # given: zhangsan took and registered the call
    r = Record()
    r.call("zhangsan", PHONE_A)
    # when: weeks later he visits or calls again, lisi takes it, and he names zhangsan
    r.later(days=20).register(mode, "lisi", PHONE_A, named="zhangsan")
    # then: still zhangsan's
    assert r.owner(POLICY, PHONE_A) == "zhangsan"


@pytest.mark.parametrize("mode", ["visit", "call"])
def test_s4_7_caller_who_cannot_remember_is_a_new_customer_of_the_receiver(mode: str) -> None:
    """S4.7: a caller who cannot remember who took his call is received as a new customer."""
    # given: zhangsan took and registered the call
    r = Record()
    r.call("zhangsan", PHONE_A)
    # when: he visits or calls again, says he called before but cannot remember who;
    # lisi on duty receives and registers him
    r.later(days=20).register(mode, "lisi", PHONE_A, called_before=True)
    # then: he counts as a new customer: lisi's
    assert r.owner(POLICY, PHONE_A) == "lisi"


# ---------------------------------------------------------------------------
# S4.9 A away: B receives; the first deposit in that reception is shared


def away_reception(status: str = "day_off") -> Record:
    """zhangsan's customer (2 March) asks for him on 5 March while he is away; lisi receives."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.on(5, 9).duty("zhangsan", status, until=at(6, 0))
    r.on(5, 10).visit("lisi", PHONE_A, named="zhangsan")
    return r


@pytest.mark.parametrize("status", ["day_off", "out"])
def test_s4_9_customer_asking_for_absent_a_stays_a_s(status: str) -> None:
    """S4.9a: the customer asks for A, who is off or out; B receives; the customer stays A's."""
    # given / when: lisi receives zhangsan's customer while zhangsan is away
    r = away_reception(status)
    att = r.decide(POLICY)
    # then: still zhangsan's, under S4.9
    assert r.owner(POLICY, PHONE_A) == "zhangsan"
    assert "S4.9" in rules_of(att, PHONE_A)


@pytest.mark.parametrize("status", ["day_off", "out"])
def test_s4_9b_stand_in_securing_first_deposit_in_that_reception_gets_half(status: str) -> None:
    """S4.9b: B secures the first valid deposit during that reception: B 50%, A 50%; A goes on."""
    # given: lisi receives zhangsan's customer while zhangsan is away
    r = away_reception(status)
    # when: the customer pays his first deposit with lisi the same day
    deposit = r.on(5, 11).deal(PHONE_A, "lisi", "deposit")
    # and later signs with zhangsan
    signing = r.on(9, 10).deal(PHONE_A, "zhangsan", "signing")
    att = r.decide(POLICY)
    # then: the deposit's unit is shared half and half; the rest is zhangsan's
    assert split_of(att, deposit) == {"lisi": HALF, "zhangsan": HALF}
    assert split_rule(att, deposit) == "S4.9"
    assert split_of(att, signing) == {"zhangsan": ONE}
    assert r.owner(POLICY, PHONE_A) == "zhangsan"


def test_s4_9b_deposit_on_another_day_is_all_a_s() -> None:
    """S4.9b: a deposit B takes on another day than the reception is not shared: A 100%."""
    # given: lisi received zhangsan's customer on 5 March while zhangsan was off
    r = away_reception()
    # when: the first deposit is paid with lisi on 6 March
    deposit = r.on(6, 11).deal(PHONE_A, "lisi", "deposit")
    att = r.decide(POLICY)
    # then: all zhangsan's
    assert split_of(att, deposit) == {"zhangsan": ONE}


def test_s4_9b_later_deposit_in_that_reception_is_all_a_s() -> None:
    """S4.9b: only the first valid deposit is shared; a later one B takes is A's alone."""
    # given: the customer already paid a first deposit with zhangsan
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.on(3, 15).deal(PHONE_A, "zhangsan", "deposit", unit="1-101")
    # and on 5 March, zhangsan off, lisi receives him
    r.on(5, 9).duty("zhangsan", "day_off", until=at(6, 0))
    r.on(5, 10).visit("lisi", PHONE_A, named="zhangsan")
    # when: he pays a second deposit, for another unit, with lisi that day
    second = r.on(5, 11).deal(PHONE_A, "lisi", "deposit", unit="1-102")
    att = r.decide(POLICY)
    # then: not the first deposit: all zhangsan's
    assert split_of(att, second) == {"zhangsan": ONE}


# ---------------------------------------------------------------------------
# S4.2 the registers are the evidence


def test_s4_2_the_register_decides_not_who_served_longer() -> None:
    """S4.2: the call and visit registers are the evidence: the first valid entry owns the customer."""
    # given: 张三 registers the call; 李四 later serves him at length and logs follow-ups
    r = Record()
    r.call("zhangsan", PHONE_A, "王先生")
    r.later(days=1).visit("lisi", PHONE_A, "王建国", named="zhangsan")
    r.later(hours=2).follow_up("lisi", PHONE_A)
    r.later(days=1).follow_up("lisi", PHONE_A)
    # when
    v = r.verdict(POLICY, PHONE_A)
    # then: the register's first valid entry is 张三's
    assert v.owner.id == "zhangsan"
    assert v.since == at(2, 10)
    assert "S4.2" in {reason.rule for reason in v.history}
