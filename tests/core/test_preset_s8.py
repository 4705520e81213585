"""The S8 preset (客户确认制度): first priority, family groups, pending claims, 7-day contact."""

from __future__ import annotations

from decimal import Decimal

import pytest

from guishu.core.events import Companion, Customer, PendingConfirmation, Registration
from tests.builders import (
    PHONE_A,
    PHONE_B,
    Record,
    at,
    invalid_rules,
    rules_of,
    split_of,
    split_rule,
)

S8 = "s8"
S8_RULES = {f"S8.{n}" for n in range(1, 13)}


def owned_by_zhangsan() -> Record:
    """张三 registers a visit of PHONE_A on Mon 2 March 10:00."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    return r


# --------------------------------------------------------------------------- S8.1


def test_first_valid_confirmation_wins() -> None:
    """S8.1: the first valid confirmation in time order wins over a later one."""
    # given
    r = owned_by_zhangsan()
    r.later(days=1).visit("lisi", PHONE_A)
    # when
    att = r.decide(S8)
    # then
    v = att.verdict_for(PHONE_A)
    assert v is not None
    assert v.owner.id == "zhangsan"
    assert v.state == "owned"
    assert "S8.1" in rules_of(att, PHONE_A)


def test_time_order_not_entry_order_decides() -> None:
    """S8.1: time order decides, even when the earlier registration is entered later."""
    # given: 李四's registration (3 March) is entered before 张三's (2 March)
    r = Record()
    r.later(days=1).visit("lisi", PHONE_A)
    r.add(
        Registration,
        mode="visit",
        consultant="zhangsan",
        at=at(2, 10),
        customer=Customer(name="王建国", gender="M", phone=PHONE_A),
    )
    # when: the engine applies them in the order they were entered
    engine = r.engine(S8)
    # then
    v = engine.attribution().verdict_for(PHONE_A)
    assert v is not None
    assert v.owner.id == "zhangsan"
    assert v.since == at(2, 10)


def test_invalid_earlier_registration_is_not_first() -> None:
    """S8.1, S8.5: only a valid confirmation can be the first; an invalid one is skipped."""
    # given: 张三 forgot the gender, 李四 registers fully the next day
    r = Record()
    bad = r.visit("zhangsan", PHONE_A, gender=None)
    r.later(days=1).visit("lisi", PHONE_A)
    # when
    att = r.decide(S8)
    # then
    assert r.owner(S8, PHONE_A) == "lisi"
    assert invalid_rules(att)[bad.id] == "S8.5"


# --------------------------------------------------------------------------- S8.2


def test_customer_asked_names_original_keeps_original() -> None:
    """S8.2: asked whether he called before, the customer names his original consultant -> his."""
    # given: 张三 took his call; on the visit 李四 asks, he says he called 张三
    r = Record()
    r.call("zhangsan", PHONE_A)
    r.later(days=2).visit("lisi", PHONE_A, first_visit=False, called_before=True, named="zhangsan", asked=True)
    # when
    att = r.decide(S8)
    # then
    assert r.owner(S8, PHONE_A) == "zhangsan"
    rules = rules_of(att, PHONE_A)
    assert "S8.2" in rules
    assert rules <= S8_RULES, f"the S8 verdict cites rules of other policies: {rules - S8_RULES}"


def test_named_consultant_with_record_gets_returning_public_customer() -> None:
    """S8.2: a returning customer naming the consultant who has his record goes to him."""
    # given: 张三's protection lapsed (no contact for over 7 days); he comes back naming 张三
    r = owned_by_zhangsan()
    r.on(20).visit("lisi", PHONE_A, first_visit=False, named="zhangsan")
    # when
    att = r.decide(S8)
    # then
    assert r.owner(S8, PHONE_A) == "zhangsan"
    assert "S8.2" in rules_of(att, PHONE_A)


def test_named_consultant_without_record_is_not_the_original() -> None:
    """S8.2: naming a consultant who never had this customer does not make him the original."""
    # given: first visit; the customer names 吴一, who has no record of him
    r = Record()
    r.visit("lisi", PHONE_A, named="wuyi")
    # then: a first-time customer goes to the receiver in the order
    assert r.owner(S8, PHONE_A) == "lisi"


# --------------------------------------------------------------------------- S8.3


@pytest.mark.parametrize("relation", ["parent", "child", "sibling"])
def test_direct_relatives_by_relationship_are_one_group(relation: str) -> None:
    """S8.3: parents, children, siblings are one group belonging to the first registrant."""
    # given: 张三 registers A, 李四 later registers B; then A and B are found related
    r = owned_by_zhangsan()
    r.later(days=2).visit("lisi", PHONE_B, name="王小明")
    r.later(hours=1).relate(PHONE_A, PHONE_B, relation)
    # when
    att = r.decide(S8)
    # then
    va, vb = att.verdict_for(PHONE_A), att.verdict_for(PHONE_B)
    assert va is not None and vb is not None
    assert va.group == vb.group
    assert set(va.members) == {PHONE_A, PHONE_B}
    assert va.owner.id == "zhangsan"


def test_relative_registered_first_owns_the_whole_family() -> None:
    """S8.3: the first registrant of any family member owns the group, whichever phone."""
    # given: 李四 registered the son (B) first, 张三 the father (A) later
    r = Record()
    r.visit("lisi", PHONE_B, name="王小明")
    r.later(days=1).visit("zhangsan", PHONE_A)
    r.later(days=1).relate(PHONE_A, PHONE_B, "parent")
    # then
    assert r.owner(S8, PHONE_A) == "lisi"
    assert r.owner(S8, PHONE_B) == "lisi"


@pytest.mark.parametrize("relation", ["parent", "child", "sibling"])
def test_direct_relatives_by_companion_are_one_group(relation: str) -> None:
    """S8.3: a relative named as companion on a registration joins the first registrant's group."""
    # given: 张三 registered A; B comes with A and is registered by 李四 with A as companion
    r = owned_by_zhangsan()
    r.later(days=3).visit(
        "lisi", PHONE_B, name="王小明", companions=(Companion(name="王建国", phone=PHONE_A, relation=relation),)
    )
    # when
    att = r.decide(S8)
    # then
    vb = att.verdict_for(PHONE_B)
    assert vb is not None
    assert PHONE_A in vb.members
    assert vb.owner.id == "zhangsan"


def test_spouse_is_not_merged_under_s8() -> None:
    """S8.3: only parents, children and siblings are named; a spouse stays a separate customer."""
    # given
    r = owned_by_zhangsan()
    r.later(days=2).visit("lisi", PHONE_B, name="李红", gender="F")
    r.later(hours=1).relate(PHONE_A, PHONE_B, "spouse")
    # when
    att = r.decide(S8)
    # then
    va, vb = att.verdict_for(PHONE_A), att.verdict_for(PHONE_B)
    assert va is not None and vb is not None
    assert va.group != vb.group
    assert (va.owner.id, vb.owner.id) == ("zhangsan", "lisi")


def test_spouse_companion_is_not_merged_under_s8() -> None:
    """S8.3: a spouse named as companion does not pull the registration into the other group."""
    # given
    r = owned_by_zhangsan()
    r.later(days=3).visit(
        "lisi",
        PHONE_B,
        name="李红",
        gender="F",
        companions=(Companion(name="王建国", phone=PHONE_A, relation="spouse"),),
    )
    # then
    assert r.owner(S8, PHONE_A) == "zhangsan"
    assert r.owner(S8, PHONE_B) == "lisi"


# --------------------------------------------------------------------------- S8.5


@pytest.mark.parametrize(
    ("name", "gender", "phone", "field"),
    [
        (None, "M", PHONE_A, "customer.surname"),
        ("王建国", None, PHONE_A, "customer.gender"),
        ("王建国", "M", None, "customer.phone"),
    ],
    ids=["no-surname", "no-gender", "no-phone"],
)
def test_confirmation_needs_surname_gender_and_contact(
    name: str | None, gender: str | None, phone: str | None, field: str
) -> None:
    """S8.5: a confirmation without surname, gender or a valid contact is invalid."""
    # given
    r = Record()
    bad = r.visit("zhangsan", phone, name=name, gender=gender)
    r.later(days=1).visit("lisi", PHONE_A)
    # when
    att = r.decide(S8)
    # then
    invalid = {i.fact: i for i in att.invalid}
    assert invalid[bad.id].rule == "S8.5"
    assert field in invalid[bad.id].fields
    assert r.owner(S8, PHONE_A) == "lisi"


@pytest.mark.parametrize(
    ("name", "gender"),
    [("王先生", None), ("王", "F"), ("欧阳", "M")],
    ids=["title-gives-gender", "surname-only", "compound-surname"],
)
def test_surname_gender_and_phone_suffice(name: str, gender: str | None) -> None:
    """S8.5: surname, gender and a valid contact are enough; a full name is not required."""
    # given
    r = Record()
    reg = r.call("zhangsan", PHONE_A, name=name, gender=gender)
    # when
    att = r.decide(S8)
    # then
    assert reg.id not in invalid_rules(att)
    assert r.owner(S8, PHONE_A) == "zhangsan"


def test_unreadable_phone_is_not_a_valid_contact() -> None:
    """S8.5: a phone written down but not a valid number (phone_raw only) is invalid."""
    # given
    r = Record()
    bad = r.visit("zhangsan", None, phone_raw="138000")
    # when
    att = r.decide(S8)
    # then
    invalid = {i.fact: i for i in att.invalid}
    assert invalid[bad.id].rule == "S8.5"
    assert "customer.phone" in invalid[bad.id].fields
    assert att.verdicts == []


# --------------------------------------------------------------------------- S8.6


@pytest.mark.parametrize(
    ("first", "second"),
    [("call", "visit"), ("visit", "call"), ("call", "call")],
)
def test_call_and_visit_have_equal_force(first: str, second: str) -> None:
    """S8.6: a call and a visit have equal force: whichever was registered first wins."""
    # given
    r = Record()
    r.register(first, "zhangsan", PHONE_A)
    r.later(days=2).register(second, "lisi", PHONE_A)
    # when
    att = r.decide(S8)
    # then
    assert r.owner(S8, PHONE_A) == "zhangsan"
    assert att.invalid == []


# --------------------------------------------------------------------------- S8.7


def test_proxy_registration_counts_for_the_buyer() -> None:
    """S8.7: a friend viewing on the buyer's behalf registers the buyer: it counts for the buyer."""
    # given: a friend views for 王建国; 张三 registers 王建国's name and phone
    r = Record()
    proxy = r.visit("zhangsan", PHONE_A, proxy=True)
    # when: the buyer himself comes two days later and 李四 registers him
    r.later(days=2).visit("lisi", PHONE_A)
    att = r.decide(S8)
    # then
    assert proxy.id not in invalid_rules(att)
    assert r.owner(S8, PHONE_A) == "zhangsan"


# --------------------------------------------------------------------------- S8.8


@pytest.mark.parametrize(
    ("present", "refuses", "named", "expected"),
    [
        (True, False, None, "zhangsan"),
        (True, True, None, "lisi"),
        (False, False, "zhangsan", "zhangsan"),
        (False, False, None, "lisi"),
    ],
    ids=["brought-in-person", "brought-but-refuses", "alone-names-original", "alone-no-name"],
)
def test_old_customer_brings_new(present: bool, refuses: bool, named: str | None, expected: str) -> None:
    """S8.8: brought in person -> original consultant unless refused; alone -> only if named."""
    # given: A is 张三's customer; B is referred by A and received by 李四
    r = owned_by_zhangsan()
    r.later(days=2).visit(
        "lisi",
        PHONE_B,
        name="赵新",
        referred_by=PHONE_A,
        referrer_present=present,
        refuses_original=refuses,
        named=named,
    )
    # when
    att = r.decide(S8)
    # then
    assert r.owner(S8, PHONE_B) == expected
    assert r.owner(S8, PHONE_A) == "zhangsan"
    if expected == "zhangsan":
        assert "S8.8" in rules_of(att, PHONE_B)


# --------------------------------------------------------------------------- S8.9


@pytest.mark.parametrize("approver", [None, "lisi"], ids=["no-review", "consultant-not-manager"])
def test_refusal_without_manager_review_changes_nothing(approver: str | None) -> None:
    """S8.9: a refusal changes the owner only after the sales manager's review."""
    # given
    r = owned_by_zhangsan()
    r.later(days=2).complaint(PHONE_A, "zhangsan", approved_by=approver, type="refusal")
    r.later(hours=1).visit("lisi", PHONE_A)
    # when
    v = r.verdict(S8, PHONE_A)
    # then
    assert v.owner.id == "zhangsan"
    assert v.state == "owned"


def test_refusal_approved_next_registrant_owns() -> None:
    """S8.9: refusal approved by the manager -> released; the next consultant to register owns."""
    # given
    r = owned_by_zhangsan()
    r.later(days=2).complaint(PHONE_A, "zhangsan", approved_by="zhaoliu", type="refusal")
    # then: nobody owns him until the next consultant receives him
    v = r.verdict(S8, PHONE_A)
    assert v.owner.kind == "pool"
    assert v.state == "public"
    # when
    r.later(minutes=10).visit("lisi", PHONE_A)
    att = r.decide(S8)
    # then
    assert r.owner(S8, PHONE_A) == "lisi"
    assert "S8.9" in rules_of(att, PHONE_A)


def test_refused_consultant_cannot_take_the_customer_back() -> None:
    """S8.9: the refused consultant registering the customer again does not make him the owner."""
    # given
    r = owned_by_zhangsan()
    r.later(days=2).complaint(PHONE_A, "zhangsan", approved_by="zhaoliu", type="refusal")
    # when: 张三 registers him again before 李四 does
    r.later(minutes=5).visit("zhangsan", PHONE_A)
    r.later(minutes=5).visit("lisi", PHONE_A)
    # then
    assert r.owner(S8, PHONE_A) == "lisi"


# --------------------------------------------------------------------------- S8.10


def pending_by_lisi() -> tuple[Record, PendingConfirmation]:
    """张三's customer returns on Wed 4 March, forgets him; 李四 files a pending confirmation."""
    r = owned_by_zhangsan()
    pend = r.on(4, 15).pending("lisi", PHONE_A)
    return r, pend


def test_pending_state_while_open() -> None:
    """S8.10: a filed pending confirmation is 'pending', the filer candidate, with a deadline."""
    # given
    r, _ = pending_by_lisi()
    # when
    v = r.verdict(S8, PHONE_A, at=at(7, 23, 59))
    # then: filed on the 4th, claimable through the 7th (3 days, inclusive)
    assert v.state == "pending"
    assert v.candidate == "lisi"
    assert v.deadline == at(8)
    assert "S8.10" in {x.rule for x in v.reasons}


def test_unclaimed_pending_goes_to_the_filer_after_three_days() -> None:
    """S8.10: unclaimed through the 3rd day inclusive -> the filing consultant's."""
    # given
    r, _ = pending_by_lisi()
    # when
    v = r.verdict(S8, PHONE_A, at=at(8, 0, 1))
    # then
    assert v.owner.id == "lisi"
    assert v.state == "owned"
    assert v.since == at(8)
    assert "S8.10" in {x.rule for x in v.reasons}


def test_asking_about_a_later_moment_leaves_the_pending_confirmation_open() -> None:
    """S8.10: a verdict past the deadline is worked out on a copy; the open confirmation stays."""
    # given
    r, _ = pending_by_lisi()
    engine = r.engine(S8)
    group = engine.by_phone[PHONE_A].id
    # when: first the moment after the deadline, then one before it
    after = engine.verdict(group, at(8, 0, 1))
    before = engine.verdict(group, at(7, 23, 59))
    # then
    assert (after.owner.id, after.state) == ("lisi", "owned")
    assert (before.state, before.candidate, before.deadline) == ("pending", "lisi", at(8))
    assert engine.groups[group].pending is not None


@pytest.mark.parametrize(
    ("day", "hour", "expected"),
    [(5, 9, "zhangsan"), (7, 18, "zhangsan"), (8, 9, "lisi")],
    ids=["day-1", "day-3-inclusive", "day-4-too-late"],
)
def test_verified_claim_within_three_days(day: int, hour: int, expected: str) -> None:
    """S8.10: a verified claim within 3 days (inclusive) -> the original; later -> the filer."""
    # given
    r, pend = pending_by_lisi()
    # when
    r.on(day, hour).claim(pend, "zhangsan", verified=True)
    v = r.verdict(S8, PHONE_A)
    # then
    assert v.owner.id == expected
    assert v.state == "owned"


def test_unverified_claim_keeps_it_pending() -> None:
    """S8.10: a claim not yet verified does not decide: the customer stays pending."""
    # given
    r, pend = pending_by_lisi()
    # when
    r.on(6, 11).claim(pend, "zhangsan", verified=False)
    v = r.verdict(S8, PHONE_A)
    # then
    assert v.state == "pending"
    assert v.candidate == "lisi"
    assert v.deadline == at(8)


# --------------------------------------------------------------------------- S8.11


def test_protected_until_seven_days_after_registration() -> None:
    """S8.11: a valid registration protects through the 7th day after it, inclusive."""
    # given / when
    r = owned_by_zhangsan()
    v = r.verdict(S8, PHONE_A)
    # then: registered Mon 2 March -> protected through Mon 9 March
    assert v.protected_until == at(10)


@pytest.mark.parametrize(
    ("day", "hour", "expected"),
    [(9, 18, "zhangsan"), (10, 9, "lisi")],
    ids=["day-7-inclusive", "day-8-lapsed"],
)
def test_another_registration_against_seven_day_contact(day: int, hour: int, expected: str) -> None:
    """S8.11: contacted within 7 days (inclusive) -> the original keeps; otherwise the other's."""
    # given
    r = owned_by_zhangsan()
    # when
    r.on(day, hour).visit("lisi", PHONE_A)
    att = r.decide(S8)
    # then
    assert r.owner(S8, PHONE_A) == expected
    if expected == "lisi":
        assert "S8.11" in rules_of(att, PHONE_A)


@pytest.mark.parametrize(
    ("day", "expected"),
    [(9, "zhangsan"), (10, "lisi")],
    ids=["signed-day-7", "signed-day-8"],
)
def test_deal_with_another_consultant_against_seven_day_contact(day: int, expected: str) -> None:
    """S8.11: he signs with another: the original wins only if he contacted within 7 days."""
    # given
    r = owned_by_zhangsan()
    # when
    deal = r.on(day, 15).deal(PHONE_A, "lisi", "signing")
    att = r.decide(S8)
    # then
    assert split_of(att, deal) == {expected: Decimal(1)}
    if expected == "zhangsan":
        assert split_rule(att, deal) in {"S8.11", "S8.1"}


def test_each_follow_up_restarts_the_seven_day_cycle() -> None:
    """S8.11: every contact by the original starts a new 7-day cycle."""
    # given
    r = owned_by_zhangsan()
    r.on(8, 16).follow_up("zhangsan", PHONE_A)
    # then: protected through 15 March
    assert r.verdict(S8, PHONE_A).protected_until == at(16)
    # when: 李四 registers on 14 March (day 6 of the new cycle)
    r.on(14, 10).visit("lisi", PHONE_A)
    # then
    assert r.owner(S8, PHONE_A) == "zhangsan"


def test_follow_up_by_another_consultant_does_not_restart_the_cycle() -> None:
    """S8.11: only the original consultant's own contact keeps his customer."""
    # given
    r = owned_by_zhangsan()
    r.on(8, 16).follow_up("lisi", PHONE_A)
    # when
    r.on(11, 10).visit("zhouqi", PHONE_A)
    # then
    assert r.owner(S8, PHONE_A) == "zhouqi"


def test_chain_of_follow_ups_keeps_the_customer() -> None:
    """S8.11: contact every 7 days keeps the customer indefinitely."""
    # given
    r = owned_by_zhangsan()
    for day in (9, 16, 23):
        r.on(day, 20).follow_up("zhangsan", PHONE_A, method="sms")
    # when
    r.on(30, 10).visit("lisi", PHONE_A)
    v = r.verdict(S8, PHONE_A)
    # then
    assert v.owner.id == "zhangsan"
    assert v.protected_until == at(31)


# --------------------------------------------------------------------------- S8.12


def test_consultant_cannot_correct_a_registration() -> None:
    """S8.12: a consultant's correction of a registration is refused and recorded invalid."""
    # given
    r = Record()
    first = r.visit("zhangsan", PHONE_A)
    r.later(days=1).visit("lisi", PHONE_A)
    # when: 李四 tries to void 张三's registration
    fix = r.later(hours=1).correct(first, by="lisi", reason="登记有误")
    att = r.decide(S8)
    # then
    assert invalid_rules(att)[fix.id] == "S8.12"
    assert r.owner(S8, PHONE_A) == "zhangsan"


def test_manager_correction_voids_and_recomputes() -> None:
    """S8.12: a manager's correction voids the fact and the verdict is recomputed from the rest."""
    # given
    r = Record()
    first = r.visit("zhangsan", PHONE_A)
    r.later(days=1).visit("lisi", PHONE_A)
    assert r.owner(S8, PHONE_A) == "zhangsan"
    # when
    fix = r.later(hours=1).correct(first, by="zhaoliu", reason="错录了客户电话")
    att = r.decide(S8)
    # then
    v = att.verdict_for(PHONE_A)
    assert v is not None
    assert v.owner.id == "lisi"
    assert v.since == at(3, 10)
    assert fix.id not in invalid_rules(att)
