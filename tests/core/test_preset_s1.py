"""The s1 preset (地产公司项目销售案场客户确认制度): first to receive and register wins.

Every worked case S1.C1-S1.C12 of the source is a test here, plus the fines of
S1.2-S1.4 and the complaint rule S1.6. Expected results come from the rule text
(RULES.md, policies-zh.txt), not from the engine.
"""

from __future__ import annotations

from datetime import datetime
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
    penalties_of,
    rules_of,
    split_of,
    split_rule,
)

POLICY = "s1"
ONE = Decimal(1)


# ---------------------------------------------------------------------------
# S1.5 first reception, S1.6 complaint


def test_s1_1_a_consultant_who_did_not_register_bears_the_collision() -> None:
    """S1.1: the register is the basis: zhangsan received the customer first but never registered
    him; lisi registered him, so zhangsan's deal is lisi's commission (the manager's discretion
    afterwards is a ruling, recorded as its own fact)."""
    # given: zhangsan calls the customer back (no registration), lisi registers his visit
    r = Record()
    r.follow_up("zhangsan", PHONE_A)
    r.later(days=1).visit("lisi", PHONE_A)
    # when: zhangsan closes the deal
    deal = r.later(days=2).deal(PHONE_A, "zhangsan")
    att = r.decide(POLICY)
    # then: the registered consultant owns the customer and earns the whole commission
    assert r.owner(POLICY, PHONE_A) == "lisi"
    assert split_of(att, deal) == {"lisi": ONE}


@pytest.mark.parametrize("mode", ["visit", "call"])
def test_s1_5_first_to_receive_and_register_wins(mode: str) -> None:
    """S1.5: on a first call or first visit, the consultant who received and registered wins."""
    # given: zhangsan receives and registers the new customer, lisi registers him later
    r = Record()
    r.register(mode, "zhangsan", PHONE_A)
    r.later(days=3).register(mode, "lisi", PHONE_A)
    # when: the customer pays a deposit with zhangsan
    deal = r.later(days=1).deal(PHONE_A, "zhangsan")
    att = r.decide(POLICY)
    # then: zhangsan is the first receiver and earns the whole commission
    assert r.owner(POLICY, PHONE_A) == "zhangsan"
    assert "S1.5" in rules_of(att, PHONE_A)
    assert split_of(att, deal) == {"zhangsan": ONE}


def test_s1_6_complaint_stops_first_receiver_and_later_consultant_takes_whole_commission() -> None:
    """S1.6: a complaint stops the first receiver, fines him, the later consultant earns it all."""
    # given: zhangsan is the first receiver
    r = Record()
    r.visit("zhangsan", PHONE_A)
    # when: the customer complains about zhangsan, who is fined ¥300
    r.later(days=1).complaint(PHONE_A, "zhangsan", fine=Decimal("300"))
    stopped = r.owner(POLICY, PHONE_A)
    # and lisi serves him afterwards and closes
    r.later(days=1).visit("lisi", PHONE_A)
    deal = r.later(hours=2).deal(PHONE_A, "lisi")
    att = r.decide(POLICY)
    # then: zhangsan no longer serves him, is fined, and lisi earns the whole commission
    assert stopped != "zhangsan"
    assert r.owner(POLICY, PHONE_A) == "lisi"
    assert penalties_of(att, "zhangsan") == [("S1.6", Decimal("300"), "fine")]
    assert split_of(att, deal) == {"lisi": ONE}


def test_s1_6_consultant_stopped_after_complaint_cannot_register_the_customer_back() -> None:
    """S1.6: a receiver stopped by a complaint does not regain him by registering again."""
    # given: zhangsan was stopped from serving after a complaint
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=1).complaint(PHONE_A, "zhangsan", fine=Decimal("200"))
    # when: zhangsan registers the customer again
    r.later(days=1).visit("zhangsan", PHONE_A)
    # then: he is still stopped: the customer is not his
    assert r.owner(POLICY, PHONE_A) != "zhangsan"


@pytest.mark.parametrize("fine", ["100", "500"])
def test_s1_6_complaint_fine_at_the_bounds_is_valid(fine: str) -> None:
    """S1.6: a complaint fine of ¥100 or ¥500 (the bounds) is within the range."""
    # given: zhangsan is the first receiver
    r = Record()
    r.visit("zhangsan", PHONE_A)
    # when: a complaint fines him at the bound
    c = r.later(days=1).complaint(PHONE_A, "zhangsan", fine=Decimal(fine))
    att = r.decide(POLICY)
    # then: the fine stands and the complaint is not invalid
    assert penalties_of(att, "zhangsan") == [("S1.6", Decimal(fine), "fine")]
    assert c.id not in invalid_rules(att)


@pytest.mark.parametrize("fine", ["50", "99.99", "500.01", "600"])
def test_s1_6_complaint_fine_out_of_range_is_invalid(fine: str) -> None:
    """S1.6: a complaint fine outside ¥100-500 is reported invalid and nobody is fined."""
    # given: zhangsan is the first receiver
    r = Record()
    r.visit("zhangsan", PHONE_A)
    # when: the complaint carries a fine outside the range
    c = r.later(days=1).complaint(PHONE_A, "zhangsan", fine=Decimal(fine))
    att = r.decide(POLICY)
    # then: it is invalid under S1.6 and no fine is recorded
    assert invalid_rules(att).get(c.id) == "S1.6"
    assert penalties_of(att, "zhangsan") == []


# ---------------------------------------------------------------------------
# S1.2 - S1.4 fines


@pytest.mark.parametrize(
    ("handed", "fined"),
    [
        (at(3, 9), True),  # next morning: not handed the same evening
        (at(4, 18), True),  # two days later
        (at(2, 20), False),  # the same evening
        (at(2, 23, 59), False),  # just before midnight
    ],
)
def test_s1_2_register_not_handed_to_clerk_same_evening_is_fined_10(handed: datetime, fined: bool) -> None:
    """S1.2: a register not handed to the clerk the same evening costs the consultant ¥10."""
    # given: zhangsan received the visitor on 2 March at 14:00
    r = Record()
    r.on(5, 10)
    # when: the register reaches the clerk at ``handed`` and is entered later
    r.visit("zhangsan", PHONE_A, reception_at=at(2, 14), handed_at=handed)
    att = r.decide(POLICY)
    # then: ¥10 for zhangsan only when it was not handed that evening
    expected = [("S1.2", Decimal("10"), "fine")] if fined else []
    assert penalties_of(att, "zhangsan") == expected
    # and the registration still counts
    assert r.owner(POLICY, PHONE_A) == "zhangsan"


@pytest.mark.parametrize(
    ("entered_day", "entered_hour", "name", "phone", "fined"),
    [
        (4, 10, "王建国", PHONE_A, True),  # entered 38 h after hand-over: late
        (3, 9, "王建国", PHONE_A, False),  # entered next morning: in time, complete
        (3, 9, None, PHONE_A, True),  # in time but the name was left out: incomplete
        (3, 9, "王建国", None, True),  # in time but the phone was left out: incomplete
    ],
    ids=["late", "timely", "no-name", "no-phone"],
)
def test_s1_3_clerk_fined_20_for_late_or_incomplete_entry(
    entered_day: int, entered_hour: int, name: str | None, phone: str | None, fined: bool
) -> None:
    """S1.3: the clerk who enters a register late or incompletely is fined ¥20."""
    # given: the register reached the clerk sunba on 2 March at 20:00
    r = Record()
    r.on(entered_day, entered_hour)
    # when: sunba enters it
    r.visit("zhangsan", phone, name, reception_at=at(2, 14), handed_at=at(2, 20), entered_by="sunba")
    att = r.decide(POLICY)
    # then: ¥20 for sunba when late or incomplete; the consultant is not fined for it
    expected = [("S1.3", Decimal("20"), "fine")] if fined else []
    assert penalties_of(att, "sunba") == expected
    assert all(p[0] != "S1.3" for p in penalties_of(att, "zhangsan"))


def test_s1_4_unauthorised_correction_is_fined_300_and_has_no_effect() -> None:
    """S1.4: a consultant altering a confirmation record is fined ¥300; the record stands."""
    # given: zhangsan registered first, lisi second
    r = Record()
    first = r.visit("zhangsan", PHONE_A)
    r.later(days=1).visit("lisi", PHONE_A)
    # when: lisi (a consultant, not authorised) voids zhangsan's registration
    corr = r.later(hours=1).correct(first, by="lisi", reason="登记有误")
    att = r.decide(POLICY)
    # then: lisi is fined ¥300, the correction is refused under S1.4, zhangsan still owns
    assert penalties_of(att, "lisi") == [("S1.4", Decimal("300"), "fine")]
    assert invalid_rules(att).get(corr.id) == "S1.4"
    assert r.owner(POLICY, PHONE_A) == "zhangsan"


@pytest.mark.parametrize("corrector", ["zhaoliu", "sunba"])
def test_s1_4_manager_or_clerk_correction_takes_effect_without_fine(corrector: str) -> None:
    """S1.4: a manager or clerk may correct a record: no fine, and the correction takes effect."""
    # given: zhangsan's registration was entered by mistake; lisi registered the customer
    r = Record()
    first = r.visit("zhangsan", PHONE_A)
    r.later(days=1).visit("lisi", PHONE_A)
    # when: the manager or the clerk voids zhangsan's registration
    corr = r.later(hours=1).correct(first, by=corrector)
    att = r.decide(POLICY)
    # then: no fine, the correction is valid, and lisi is the first valid registrant
    assert penalties_of(att, corrector) == []
    assert corr.id not in invalid_rules(att)
    assert r.owner(POLICY, PHONE_A) == "lisi"


# ---------------------------------------------------------------------------
# Worked cases S1.C1 - S1.C12


def test_s1_c1_friend_introduced_by_two_old_groups_belongs_to_his_receiver() -> None:
    """S1.C1: a friend brought by old groups of A and B follows the rotation: his receiver."""
    # given: two old groups registered separately with zhangsan and lisi
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=1).visit("lisi", PHONE_B)
    # when: both bring a friend, received by zhouqi in rotation, who closes
    r.later(days=5).visit(
        "zhouqi",
        PHONE_C,
        "李明",
        referred_by=PHONE_A,
        referrer_present=True,
        companions=(Companion(phone=PHONE_A, relation="friend"), Companion(phone=PHONE_B, relation="friend")),
    )
    deal = r.later(hours=2).deal(PHONE_C, "zhouqi")
    att = r.decide(POLICY)
    # then: the friend is zhouqi's; the old groups stay with their consultants
    assert r.owner(POLICY, PHONE_C) == "zhouqi"
    assert split_of(att, deal) == {"zhouqi": ONE}
    assert r.owner(POLICY, PHONE_A) == "zhangsan"
    assert r.owner(POLICY, PHONE_B) == "lisi"


def test_s1_c2_two_groups_coming_together_keep_their_own_consultants() -> None:
    """S1.C2: two groups received by A and B who later come together to A: each keeps his own."""
    # given: the two groups first visited with zhangsan and lisi
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=1).visit("lisi", PHONE_B, "李明")
    # when: they come together and talk only to zhangsan, who registers both
    r.later(days=4).visit("zhangsan", PHONE_A, companions=(Companion(phone=PHONE_B, relation="friend"),))
    r.later(minutes=5).visit("zhangsan", PHONE_B, "李明", companions=(Companion(phone=PHONE_A, relation="friend"),))
    deal = r.later(days=1).deal(PHONE_B, "lisi")
    att = r.decide(POLICY)
    # then: separate groups; zhangsan keeps his, lisi keeps his
    assert att.verdict_for(PHONE_A) is not att.verdict_for(PHONE_B)
    assert r.owner(POLICY, PHONE_A) == "zhangsan"
    assert r.owner(POLICY, PHONE_B) == "lisi"
    assert split_of(att, deal) == {"lisi": ONE}


@pytest.mark.parametrize("relation", ["spouse", "parent", "child", "sibling"])
def test_s1_c3_one_family_registered_with_different_consultants_first_registration_wins(
    relation: str,
) -> None:
    """S1.C3: family members registered with different consultants: the first registration wins."""
    # given: one member registered with zhangsan, another later with lisi
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=3).visit("lisi", PHONE_B, "王丽", gender="F")
    # when: they turn out to be one family and the group closes with lisi
    r.later(days=1).relate(PHONE_A, PHONE_B, relation)
    deal = r.later(hours=1).deal(PHONE_B, "lisi")
    att = r.decide(POLICY)
    # then: one group, zhangsan's, and the commission is zhangsan's
    v = att.verdict_for(PHONE_B)
    assert v is not None
    assert set(v.members) == {PHONE_A, PHONE_B}
    assert r.owner(POLICY, PHONE_B) == "zhangsan"
    assert split_of(att, deal) == {"zhangsan": ONE}


def test_s1_c4_registered_with_several_consultants_first_registrant_wins() -> None:
    """S1.C4: a customer who registered with several consultants belongs to the first registrant."""
    # given: the customer registers with zhangsan, then lisi, then zhouqi
    r = Record()
    r.visit("zhangsan", PHONE_A)
    second = r.later(days=2).visit("lisi", PHONE_A)
    third = r.later(days=2).call("zhouqi", PHONE_A)
    # when: he closes with zhouqi
    deal = r.later(days=1).deal(PHONE_A, "zhouqi")
    att = r.decide(POLICY)
    # then: zhangsan wins; the later registrations are recorded as collisions under S1.C4
    assert r.owner(POLICY, PHONE_A) == "zhangsan"
    assert split_of(att, deal) == {"zhangsan": ONE}
    clashes = {(c.fact, c.owner, c.other, c.rule) for c in att.collisions}
    assert clashes == {(second.id, "zhangsan", "lisi", "S1.C4"), (third.id, "zhangsan", "zhouqi", "S1.C4")}


def test_s1_c5_clerk_finds_the_record_on_the_spot_first_registrant_wins() -> None:
    """S1.C5: not recognised, found by the clerk on the spot: the first registrant."""
    # given: zhangsan registered him long ago
    r = Record()
    r.visit("zhangsan", PHONE_A)
    # when: he returns months later, lisi receives him and the clerk finds the record
    r.later(days=90).visit("lisi", PHONE_A, onsite_search="found")
    deal = r.later(hours=2).deal(PHONE_A, "zhangsan")
    att = r.decide(POLICY)
    # then: zhangsan's
    assert r.owner(POLICY, PHONE_A) == "zhangsan"
    assert split_of(att, deal) == {"zhangsan": ONE}


def test_s1_c5_not_found_on_the_spot_second_registrant_wins() -> None:
    """S1.C5: not found on the spot, received by rotation: the second registrant wins."""
    # given: zhangsan registered him long ago
    r = Record()
    r.visit("zhangsan", PHONE_A)
    # when: he returns, the clerk's search finds nothing, lisi receives, registers and closes
    r.later(days=90).visit("lisi", PHONE_A, onsite_search="not_found")
    deal = r.later(hours=2).deal(PHONE_A, "lisi")
    att = r.decide(POLICY)
    # then: the original registration turning up afterwards changes nothing: lisi's
    assert r.owner(POLICY, PHONE_A) == "lisi"
    assert "S1.C5" in rules_of(att, PHONE_A)
    assert split_of(att, deal) == {"lisi": ONE}


def test_s1_c6_first_visit_registration_outranks_an_earlier_call() -> None:
    """S1.C6: A books a phone customer who, visiting, forgets A and registers with B: B wins."""
    # given: zhangsan took the call and called back to book the visit
    r = Record()
    r.call("zhangsan", PHONE_A)
    r.later(days=1).follow_up("zhangsan", PHONE_A)
    # when: on the visit the customer does not remember zhangsan; lisi receives and registers
    r.later(days=1).visit("lisi", PHONE_A)
    deal = r.later(hours=2).deal(PHONE_A, "lisi")
    att = r.decide(POLICY)
    # then: the first visit registration wins: lisi
    assert r.owner(POLICY, PHONE_A) == "lisi"
    assert "S1.C6" in rules_of(att, PHONE_A)
    assert split_of(att, deal) == {"lisi": ONE}


def test_s1_c7_customer_who_denied_visiting_belongs_to_the_earlier_registrant() -> None:
    """S1.C7: denied visiting, later says he registered: the first registration wins."""
    # given: zhangsan registered him on his first visit
    r = Record()
    r.visit("zhangsan", PHONE_A)
    # when: he comes back saying it is his first visit; lisi receives, registers and closes
    r.later(days=10).visit("lisi", PHONE_A, first_visit=True)
    deal = r.later(hours=2).deal(PHONE_A, "lisi")
    att = r.decide(POLICY)
    # then: the first reception registration is zhangsan's, and so is the commission
    assert r.owner(POLICY, PHONE_A) == "zhangsan"
    assert split_of(att, deal) == {"zhangsan": ONE}


@pytest.mark.parametrize("friend_registered_him", [False, True])
def test_s1_c8_new_customer_introduced_by_a_friend_follows_the_rotation(
    friend_registered_him: bool,
) -> None:
    """S1.C8: a friend's referral follows the rotation, even if the friend registered him."""
    # given: the friend is zhangsan's customer and may have registered the newcomer with zhangsan
    r = Record()
    r.visit("zhangsan", PHONE_A)
    if friend_registered_him:
        r.later(days=1).visit("zhangsan", PHONE_B, "李明", proxy=True, referred_by=PHONE_A)
    # when: the newcomer visits and is received in rotation by lisi
    r.later(days=2).visit("lisi", PHONE_B, "李明", referred_by=PHONE_A, referrer_present=True)
    deal = r.later(hours=2).deal(PHONE_B, "lisi")
    att = r.decide(POLICY)
    # then: lisi's, by the rotation
    assert r.owner(POLICY, PHONE_B) == "lisi"
    assert split_of(att, deal) == {"lisi": ONE}


def test_s1_c9_proxy_registration_by_a_friend_is_void() -> None:
    """S1.C9: a registration made by a friend for a customer who never visited is void."""
    # given: a friend registers the customer with zhangsan; the customer was not there
    r = Record()
    proxy = r.visit("zhangsan", PHONE_B, "李明", proxy=True)
    # when: the customer visits for the first time and registers with lisi
    r.later(days=3).visit("lisi", PHONE_B, "李明")
    att = r.decide(POLICY)
    # then: the proxy registration is void; his own first visit decides: lisi
    assert invalid_rules(att).get(proxy.id) == "S1.C9"
    assert r.owner(POLICY, PHONE_B) == "lisi"


def test_s1_c10_consultant_on_day_off_old_customer_brings_new_one_rotation() -> None:
    """S1.C10: the consultant is off and his old customer brings a new one: the rotation decides."""
    # given: zhangsan's old customer; zhangsan is on a day off
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.on(6, 9).duty("zhangsan", "day_off", until=at(7, 0))
    # when: the old customer brings a new one, received in rotation by lisi
    r.later(hours=2).visit("lisi", PHONE_B, "李明", referred_by=PHONE_A, referrer_present=True)
    att = r.decide(POLICY)
    # then: the newcomer is lisi's; the old customer stays zhangsan's
    assert r.owner(POLICY, PHONE_B) == "lisi"
    assert r.owner(POLICY, PHONE_A) == "zhangsan"
    assert "S1.C8" in rules_of(att, PHONE_B) or "S1.C10" in rules_of(att, PHONE_B)


@pytest.mark.parametrize("helper_registers", [False, True])
def test_s1_c11_deposit_paid_while_consultant_absent_helper_only_helps(
    helper_registers: bool,
) -> None:
    """S1.C11: consultant absent on deposit day: the one on duty only helps."""
    # given: zhangsan's customer; zhangsan is absent on the deposit day
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.on(9, 9).duty("zhangsan", "absent", until=at(10, 0))
    # when: the customer pays the deposit directly with lisi, without asking for zhangsan
    r.later(hours=2)
    if helper_registers:
        r.visit("lisi", PHONE_A, purpose="deposit_only")
    deal = r.later(minutes=30).deal(PHONE_A, "lisi")
    att = r.decide(POLICY)
    # then: ownership unchanged; the whole commission is zhangsan's; lisi only helped
    assert r.owner(POLICY, PHONE_A) == "zhangsan"
    assert split_of(att, deal) == {"zhangsan": ONE}
    assert split_rule(att, deal) == "S1.C11"


def test_s1_c12_received_twice_because_nobody_asked_first_reception_wins() -> None:
    """S1.C12: received twice as nobody asked about a first visit: the first reception wins."""
    # given: zhangsan received and registered the customer
    r = Record()
    r.visit("zhangsan", PHONE_A)
    # when: next time lisi receives him again without asking whether he had been here
    r.later(days=4).visit("lisi", PHONE_A, asked=False)
    deal = r.later(hours=2).deal(PHONE_A, "lisi")
    att = r.decide(POLICY)
    # then: zhangsan's, commission included
    assert r.owner(POLICY, PHONE_A) == "zhangsan"
    assert split_of(att, deal) == {"zhangsan": ONE}
