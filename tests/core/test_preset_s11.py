"""The S11 preset (石家庄公司销售现场客户界定制度): complete first visit, 4-day follow-up."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.builders import PHONE_A, Record, at, invalid_rules, rules_of, split_of

S11 = "s11"


# --------------------------------------------------------------------------- S11.1


def test_first_complete_visit_registration_owns() -> None:
    """S11.1: the first visit with a complete registration makes the receiver the owner."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A, first_visit=True, called_before=False)
    r.later(days=1).visit("lisi", PHONE_A)
    # when
    att = r.decide(S11)
    # then
    v = att.verdict_for(PHONE_A)
    assert v is not None
    assert v.owner.id == "zhangsan"
    assert v.state == "owned"
    assert "S11.1" in rules_of(att, PHONE_A)


def test_call_registration_makes_no_owner() -> None:
    """S11.1: a call registration alone does not make an owner; the first visit does."""
    # given
    r = Record()
    r.call("lisi", PHONE_A)
    # then: after the call nobody owns him
    v = r.verdict(S11, PHONE_A)
    assert v.owner.kind == "pool"
    assert v.state == "public"
    # when: he visits without naming anyone and 张三 receives him
    r.later(days=2).visit("zhangsan", PHONE_A, first_visit=True)
    # then
    assert r.owner(S11, PHONE_A) == "zhangsan"


# --------------------------------------------------------------------------- S11.2


def test_customer_names_the_consultant_he_called() -> None:
    """S11.2: visited or called before -> the consultant he names."""
    # given: 李四 took his call; 张三 is on duty when he visits
    r = Record()
    r.call("lisi", PHONE_A)
    r.later(days=2).visit("zhangsan", PHONE_A, called_before=True, named="lisi", asked=True)
    # when
    att = r.decide(S11)
    # then
    assert r.owner(S11, PHONE_A) == "lisi"
    assert "S11.2" in rules_of(att, PHONE_A)


@pytest.mark.parametrize("answered", [None, "lisi"], ids=["found-in-records", "customer-says"])
def test_cannot_name_but_sms_on_record(answered: str | None) -> None:
    """S11.2: he cannot name anyone, but an SMS from a consultant is found -> that consultant."""
    # given: 李四 took his call and sent an SMS
    r = Record()
    r.call("lisi", PHONE_A)
    r.later(hours=2).follow_up("lisi", PHONE_A, method="sms")
    # when: on the visit he cannot name the consultant
    r.later(days=2).visit("zhangsan", PHONE_A, called_before=True, named=None, sms_from=answered)
    att = r.decide(S11)
    # then
    assert r.owner(S11, PHONE_A) == "lisi"
    assert "S11.2" in rules_of(att, PHONE_A)


def test_cannot_name_and_no_sms_the_receiver_continues() -> None:
    """S11.2: no name and no SMS found -> the duty consultant who received him continues."""
    # given
    r = Record()
    r.call("lisi", PHONE_A)
    # when
    r.later(days=2).visit("zhangsan", PHONE_A, called_before=True, named=None)
    # then
    assert r.owner(S11, PHONE_A) == "zhangsan"


# --------------------------------------------------------------------------- S11.3


@pytest.mark.parametrize(
    ("name", "phone"),
    [(None, PHONE_A), ("王先生", PHONE_A), ("王建国", None)],
    ids=["no-name", "surname-only", "no-phone"],
)
def test_incomplete_earlier_registration_does_not_count(name: str | None, phone: str | None) -> None:
    """S11.3: of two registrations, an earlier one without full name or phone loses."""
    # given
    r = Record()
    bad = r.visit("zhangsan", phone, name=name)
    r.later(hours=3).visit("lisi", PHONE_A)
    # when
    att = r.decide(S11)
    # then
    assert invalid_rules(att)[bad.id] == "S11.3"
    assert r.owner(S11, PHONE_A) == "lisi"


def test_two_complete_registrations_earlier_wins() -> None:
    """S11.3: both complete -> the earlier time wins."""
    # given
    r = Record()
    r.visit("lisi", PHONE_A)
    r.later(hours=3).visit("zhangsan", PHONE_A)
    # then
    assert r.owner(S11, PHONE_A) == "lisi"


# --------------------------------------------------------------------------- S11.4


def test_four_day_validity_values() -> None:
    """S11.4: the validity runs 4 days (inclusive) from the last contact, restarting at each."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    # then: visited Mon 2 March -> valid through Fri 6 March
    assert r.verdict(S11, PHONE_A).protected_until == at(7)
    # when
    r.on(5, 17).follow_up("zhangsan", PHONE_A)
    # then
    assert r.verdict(S11, PHONE_A).protected_until == at(10)


def test_contact_every_four_days_keeps_the_customer() -> None:
    """S11.4: follow-ups at most 4 days apart keep the customer with the original."""
    # given: visit 2 March, follow-ups on 6, 10 and 14 March (each on the 4th day)
    r = Record()
    r.visit("zhangsan", PHONE_A)
    for day in (6, 10, 14):
        r.on(day, 20).follow_up("zhangsan", PHONE_A)
    # when: 18 March, he visits again and 李四 receives him
    r.on(18, 10).visit("lisi", PHONE_A)
    # then
    assert r.owner(S11, PHONE_A) == "zhangsan"


@pytest.mark.parametrize(
    ("named", "expected"),
    [(None, "lisi"), ("zhangsan", "zhangsan")],
    ids=["not-recognised", "names-original"],
)
def test_lapsed_follow_up_makes_a_new_customer(named: str | None, expected: str) -> None:
    """S11.4: follow-up lapsed: a new customer for the receiver, unless he names the original."""
    # given: 张三's only contact was the visit on 2 March
    r = Record()
    r.visit("zhangsan", PHONE_A)
    # when: on 9 March 李四 receives him
    r.on(9, 10).visit("lisi", PHONE_A, first_visit=False, named=named)
    att = r.decide(S11)
    # then
    assert r.owner(S11, PHONE_A) == expected
    if expected == "lisi":
        assert "S11.4" in rules_of(att, PHONE_A)


def test_lapse_happens_after_the_fourth_day() -> None:
    """S11.4: the validity ends after the 4th day: owned on day 4, public on day 5."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    # then
    assert r.verdict(S11, PHONE_A, at=at(6, 23, 59)).owner.id == "zhangsan"
    lapsed = r.verdict(S11, PHONE_A, at=at(7, 0, 1))
    assert lapsed.owner.kind == "pool"
    assert lapsed.state == "public"


# --------------------------------------------------------------------------- S11.5


def test_lapsed_original_gets_no_share() -> None:
    """S11.5: no follow-up records: a new customer; the old consultant gets no commission."""
    # given: 张三 never followed up; 李四 receives him as new on 10 March and closes
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.on(10, 10).visit("lisi", PHONE_A, first_visit=True)
    deal = r.on(12, 15).deal(PHONE_A, "lisi", "signing")
    # when
    att = r.decide(S11)
    # then
    assert split_of(att, deal) == {"lisi": Decimal(1)}


# --------------------------------------------------------------------------- S11.6


def test_customer_asks_for_busy_consultant() -> None:
    """S11.6: he asks for A who is busy: B only helps, A keeps him."""
    # given: 张三 registered him on 2 March and is with another customer on 4 March
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.on(4, 10).duty("zhangsan", "busy")
    # when
    r.later(minutes=5).visit("lisi", PHONE_A, first_visit=False, named="zhangsan")
    att = r.decide(S11)
    # then
    v = att.verdict_for(PHONE_A)
    assert v is not None
    assert v.owner.id == "zhangsan"
    assert "S11.6" in rules_of(att, PHONE_A)
    assert att.collisions == []
