"""Preset s16 (客户归属界定制度): the software record, assisted receptions, splits."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from guishu.core.events import Assistant
from guishu.core.verdict import Attribution, CollisionRecord
from tests.builders import (
    PHONE_A,
    PHONE_B,
    Record,
    invalid_rules,
    penalties_of,
    rules_of,
    split_of,
    split_rule,
)

P = "s16"


def collisions_for(att: Attribution, phone: str) -> list[CollisionRecord]:
    """The collisions recorded on the group that holds ``phone``."""
    v = att.verdict_for(phone)
    assert v is not None
    return [c for c in att.collisions if c.group == v.group]


def owned_by_zhangsan_then_away(status: str) -> Record:
    """zhangsan enters A after the first visit, then is away (day off / not on site) for a day."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=3)
    r.duty("zhangsan", status, until=r.now + timedelta(days=1))
    return r


# ---------------------------------------------------------------------------
# S16.1 the software entry of the first visit is the only basis


def test_first_visit_entry_owns() -> None:
    """S16.1: the consultant who entered the first visit owns; a later entry does not."""
    # given
    r = Record()
    first = r.visit("zhangsan", PHONE_A)
    r.later(days=2).visit("lisi", PHONE_A)
    # when
    v = r.verdict(P, PHONE_A)
    # then
    assert v.owner.id == "zhangsan"
    assert v.since == first.at
    assert "S16.1" in rules_of(r.decide(P), PHONE_A)


def test_call_alone_owns_nobody() -> None:
    """S16.1: a call is not a first-visit entry: the customer stays public."""
    # given
    r = Record()
    r.call("zhangsan", PHONE_A)
    # when
    v = r.verdict(P, PHONE_A)
    # then
    assert v.owner.kind == "pool"
    assert r.owner(P, PHONE_A) is None


def test_earlier_call_does_not_beat_the_first_visit_entry() -> None:
    """S16.1: zhangsan took the call, lisi entered the first visit: lisi owns."""
    # given
    r = Record()
    r.call("zhangsan", PHONE_A)
    visit = r.later(days=2).visit("lisi", PHONE_A)
    # when
    v = r.verdict(P, PHONE_A)
    # then
    assert v.owner.id == "lisi"
    assert v.since == visit.at


# ---------------------------------------------------------------------------
# S16.3 consultants who left


def test_departed_consultants_customer_without_deposit_becomes_new() -> None:
    """S16.3: a departed consultant's customer without a deposit is public and counts as new."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=5).leave("zhangsan")
    # when
    v = r.verdict(P, PHONE_A)
    # then
    assert v.owner.kind == "pool"
    assert v.state == "public"
    assert "S16.3" in {reason.rule for reason in v.reasons}
    # and the next consultant who enters him owns him as a new customer
    r.later(days=1).visit("lisi", PHONE_A)
    assert r.owner(P, PHONE_A) == "lisi"


def test_departed_consultants_deposit_customer_goes_to_the_department() -> None:
    """S16.3: a departed consultant's deposit customer is the department's; so is his deal."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=2).deal(PHONE_A, "zhangsan", "deposit")
    r.later(days=5).leave("zhangsan")
    # when
    v = r.verdict(P, PHONE_A)
    # then
    assert v.owner.kind == "department"
    assert v.state == "owned"
    # and the signing closed later by a colleague is credited to the department
    d = r.later(days=3).deal(PHONE_A, "lisi", "signing")
    att = r.decide(P)
    assert split_of(att, d) == {"department": Decimal(1)}
    assert split_rule(att, d) == "S16.3"


def test_departure_leaves_other_consultants_customers_alone() -> None:
    """S16.3: only the departed consultant's customers move."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.visit("lisi", PHONE_B)
    r.later(days=5).leave("zhangsan")
    # when / then
    assert r.owner(P, PHONE_B) == "lisi"
    assert r.owner(P, PHONE_A) is None


# ---------------------------------------------------------------------------
# S16.4 visited but not entered


@pytest.mark.parametrize("earlier_entry", ["none", "incomplete"])
def test_visited_but_not_entered_belongs_to_who_enters(earlier_entry: str) -> None:
    """S16.4: zhangsan received the visit but entered nothing valid: whoever enters him owns."""
    # given
    r = Record()
    if earlier_entry == "incomplete":
        first = r.visit("zhangsan", PHONE_A, name=None)
    r.later(days=3).visit("lisi", PHONE_A)
    # when
    att = r.decide(P)
    # then
    assert r.owner(P, PHONE_A) == "lisi"
    if earlier_entry == "incomplete":
        assert invalid_rules(att)[first.id] == "S16.4"


@pytest.mark.parametrize("earlier_entry", ["none", "incomplete"])
def test_visited_but_not_entered_is_not_his_even_if_named(earlier_entry: str) -> None:
    """S16.4: not entered in the software -> not his, a new customer, even if named."""
    # given
    r = Record()
    if earlier_entry == "incomplete":
        r.visit("zhangsan", PHONE_A, name=None)
    r.later(days=3).visit("lisi", PHONE_A, named="zhangsan")
    # when
    owner = r.owner(P, PHONE_A)
    # then
    assert owner == "lisi"


def test_visited_but_not_entered_consultant_gets_nothing_of_the_deal() -> None:
    """S16.4: the consultant who never entered the customer earns nothing when he closes."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A, name=None)
    r.later(days=3).visit("lisi", PHONE_A)
    d = r.later(days=2).deal(PHONE_A, "zhangsan")
    # when
    att = r.decide(P)
    # then
    assert split_of(att, d) == {"lisi": Decimal(1)}


# ---------------------------------------------------------------------------
# S16.5 owner present but busy


def test_busy_owner_colleague_receives_on_his_behalf() -> None:
    """S16.5: the owner is busy; a colleague receives for him (named): ownership unchanged."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=3).duty("zhangsan", "busy", until=r.now + timedelta(hours=2))
    r.later(minutes=5).visit("lisi", PHONE_A, named="zhangsan")
    # when
    att = r.decide(P)
    # then
    v = att.verdict_for(PHONE_A)
    assert v is not None
    assert v.owner.id == "zhangsan"
    assert v.state == "owned"
    assert collisions_for(att, PHONE_A) == []
    assert "S16.5" in rules_of(att, PHONE_A)


def test_busy_owner_closes_and_keeps_the_whole_deal() -> None:
    """S16.5: a colleague who only received for a busy (present) owner earns no share."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=3).duty("zhangsan", "busy", until=r.now + timedelta(hours=2))
    r.later(minutes=5).visit("lisi", PHONE_A, named="zhangsan")
    d = r.later(hours=3).deal(PHONE_A, "zhangsan")
    # when
    att = r.decide(P)
    # then
    assert split_of(att, d) == {"zhangsan": Decimal(1)}


# ---------------------------------------------------------------------------
# S16.6 + S16.9 owner away, the last in rotation assists


@pytest.mark.parametrize("status", ["day_off", "absent"])
def test_owner_away_assisted_return_visit_keeps_ownership(status: str) -> None:
    """S16.6: the owner is off; the last in rotation assists a return visit: ownership unchanged."""
    # given
    r = owned_by_zhangsan_then_away(status)
    r.later(hours=1).visit("lisi", PHONE_A, named="zhangsan")
    # when
    att = r.decide(P)
    # then
    assert r.owner(P, PHONE_A) == "zhangsan"
    assert collisions_for(att, PHONE_A) == []
    assert "S16.6" in rules_of(att, PHONE_A)


@pytest.mark.parametrize("status", ["day_off", "absent"])
def test_owner_away_assistant_closes_fifty_fifty(status: str) -> None:
    """S16.9: the assistant (last in rotation) closes while the first receiver is off: 50/50."""
    # given
    r = owned_by_zhangsan_then_away(status)
    r.later(hours=1).visit("lisi", PHONE_A, named="zhangsan")
    d = r.later(hours=2).deal(PHONE_A, "lisi")
    # when
    att = r.decide(P)
    # then
    assert split_of(att, d) == {"lisi": Decimal("0.5"), "zhangsan": Decimal("0.5")}
    assert split_rule(att, d) == "S16.9"


@pytest.mark.parametrize("status", ["day_off", "absent"])
def test_owner_away_first_receiver_closes_later_seventy_thirty(status: str) -> None:
    """S16.9: assisted while off, the first receiver closes later: 70 first / 30 assistant."""
    # given
    r = owned_by_zhangsan_then_away(status)
    r.later(hours=1).visit("lisi", PHONE_A, named="zhangsan")
    d = r.later(days=3).deal(PHONE_A, "zhangsan")
    # when
    att = r.decide(P)
    # then
    shares = split_of(att, d)
    assert shares == {"zhangsan": Decimal("0.7"), "lisi": Decimal("0.3")}
    assert sum(shares.values()) == Decimal(1)
    assert split_rule(att, d) == "S16.9"


# ---------------------------------------------------------------------------
# S16.10 group purchase


def test_group_purchase_without_earlier_deposit_is_not_personal() -> None:
    """S16.10: no deposit before moving to a group purchase -> the group-purchase scheme, 100%."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    d = r.later(days=4).deal(PHONE_A, "zhangsan", "subscription", group_purchase=True)
    # when
    att = r.decide(P)
    # then
    assert split_of(att, d) == {"group_purchase": Decimal(1)}
    assert split_rule(att, d) == "S16.10"


def test_group_purchase_after_a_deposit_is_personal() -> None:
    """S16.10: a deposit first, then a group purchase -> personal performance."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=2).deal(PHONE_A, "zhangsan", "deposit")
    d = r.later(days=4).deal(PHONE_A, "zhangsan", "subscription", group_purchase=True)
    # when
    att = r.decide(P)
    # then
    assert split_of(att, d) == {"zhangsan": Decimal(1)}


# ---------------------------------------------------------------------------
# S16.11 deep contact with another's customer


def test_unknowing_collision_closer_splits_fifty_fifty() -> None:
    """S16.11: A unknowingly entered B's customer and closes: 50/50, no fine."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)  # B
    r.later(days=3).visit("lisi", PHONE_A, first_visit=True)  # A, unknowing
    d = r.later(days=2).deal(PHONE_A, "lisi")
    # when
    att = r.decide(P)
    # then
    assert [c.knowing for c in collisions_for(att, PHONE_A)] == [False]
    assert split_of(att, d) == {"lisi": Decimal("0.5"), "zhangsan": Decimal("0.5")}
    assert split_rule(att, d) == "S16.11"
    assert penalties_of(att, "lisi") == []


def test_unknowing_substantial_contributor_owner_closes_thirty_seventy() -> None:
    """S16.11: A contributed substantially without knowing, B closes: A 30 / B 70."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=3).visit("lisi", PHONE_A, first_visit=True)
    d = r.later(days=2).deal(PHONE_A, "zhangsan", assistants=(Assistant(staff="lisi", substantial=True),))
    # when
    att = r.decide(P)
    # then
    assert split_of(att, d) == {"lisi": Decimal("0.3"), "zhangsan": Decimal("0.7")}
    assert split_rule(att, d) == "S16.11"
    assert penalties_of(att, "lisi") == []


def test_minor_helper_owner_closes_keeps_all() -> None:
    """S16.11: without a substantial contribution the owner who closes keeps the whole deal."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    d = r.later(days=2).deal(PHONE_A, "zhangsan", assistants=(Assistant(staff="lisi"),))
    # when
    att = r.decide(P)
    # then
    assert split_of(att, d) == {"zhangsan": Decimal(1)}


KNOWING_CLOSES: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"first_visit": False}, {}),  # told at the desk he had been here
    ({"called_before": True}, {}),
    ({"first_visit": True}, {"closer_knew": True}),  # knew it anyway
]


@pytest.mark.parametrize(("answers", "deal_kw"), KNOWING_CLOSES)
def test_knowing_closer_is_fined_and_the_owner_gets_all(
    answers: dict[str, Any],
    deal_kw: dict[str, Any],
) -> None:
    """S16.11: A knowingly works B's customer and closes: fined ¥1000, the whole deal to B."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=3).visit("lisi", PHONE_A, **answers)
    d = r.later(days=2).deal(PHONE_A, "lisi", **deal_kw)
    # when
    att = r.decide(P)
    # then
    assert split_of(att, d) == {"zhangsan": Decimal(1)}
    assert split_rule(att, d) == "S16.11"
    assert penalties_of(att, "lisi") == [("S16.11", Decimal("1000"), "fine")]
    assert penalties_of(att, "zhangsan") == []


def test_knowing_contributor_owner_closes_fined_and_owner_gets_all() -> None:
    """S16.11: A knowingly worked B's customer, B closes: A fined ¥1000, all to B."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    helper = Assistant(staff="lisi", knew=True, substantial=True)
    d = r.later(days=2).deal(PHONE_A, "zhangsan", assistants=(helper,))
    # when
    att = r.decide(P)
    # then
    assert split_of(att, d) == {"zhangsan": Decimal(1)}
    assert penalties_of(att, "lisi") == [("S16.11", Decimal("1000"), "fine")]


# ---------------------------------------------------------------------------
# S16.12 a deposit customer comes only to sign


@pytest.mark.parametrize("received", [False, True])
def test_deposit_customer_signing_with_a_helper_stays_with_the_first_receiver(
    received: bool,
) -> None:
    """S16.12: a customer with a deposit comes only to sign; the helper closes: owner 100%."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=2).deal(PHONE_A, "zhangsan", "deposit")
    r.later(days=7)
    if received:
        r.visit("lisi", PHONE_A, purpose="signing_only")
    d = r.later(hours=1).deal(PHONE_A, "lisi", "signing")
    # when
    att = r.decide(P)
    # then
    assert r.owner(P, PHONE_A) == "zhangsan"
    assert split_of(att, d) == {"zhangsan": Decimal(1)}
    assert split_rule(att, d) == "S16.12"


def test_deposit_customer_signing_while_owner_off_stays_with_the_first_receiver() -> None:
    """S16.12: deposit paid, comes only to sign while the owner is off: still the owner's 100%."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=2).deal(PHONE_A, "zhangsan", "deposit")
    r.later(days=7).duty("zhangsan", "day_off", until=r.now + timedelta(days=1))
    r.later(hours=1).visit("lisi", PHONE_A, purpose="signing_only")
    d = r.later(hours=1).deal(PHONE_A, "lisi", "signing")
    # when
    att = r.decide(P)
    # then
    assert split_of(att, d) == {"zhangsan": Decimal(1)}
    assert split_rule(att, d) == "S16.12"


# ---------------------------------------------------------------------------
# S16.13 complaint, the customer asks to change


@pytest.mark.parametrize("approved_by", [None, "zhaoliu"])
def test_complaint_change_goes_to_the_later_consultant(approved_by: str | None) -> None:
    """S16.13: complaint and a request to change -> the later consultant's; no approval needed."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=3).complaint(PHONE_A, "zhangsan", approved_by=approved_by)
    r.later(hours=1).visit("lisi", PHONE_A)
    d = r.later(days=2).deal(PHONE_A, "lisi")
    # when
    att = r.decide(P)
    # then
    assert r.owner(P, PHONE_A) == "lisi"
    assert "S16.13" in rules_of(att, PHONE_A)
    assert split_of(att, d) == {"lisi": Decimal(1)}


# ---------------------------------------------------------------------------
# S16.14 referrals (裙带)


@pytest.mark.parametrize(
    ("reg_kw", "expected"),
    [
        ({"referred_by": PHONE_A, "referrer_present": True}, "zhangsan"),  # old one came along
        ({"referred_by": PHONE_A, "named": "zhangsan"}, "zhangsan"),  # absent, names the consultant
        ({"referred_by": PHONE_A}, "zhangsan"),  # absent, mentions the old customer
        ({}, "lisi"),  # mentions nobody: rotation
    ],
    ids=["accompanied", "absent_names_consultant", "absent_mentions_old_customer", "nobody"],
)
def test_referral(reg_kw: dict[str, Any], expected: str) -> None:
    """S16.14: accompanied, or naming the old customer or consultant -> original; else rotation."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)  # the old customer
    r.later(days=10).visit("lisi", PHONE_B, name="李红", gender="F", **reg_kw)
    # when
    att = r.decide(P)
    # then
    assert r.owner(P, PHONE_B) == expected
    if expected == "zhangsan":
        assert "S16.14" in rules_of(att, PHONE_B)


# ---------------------------------------------------------------------------
# S16.1 + S16.6 in s16@v2: the assist is read from the duty record, not from the customer's words


@pytest.mark.parametrize("status", ["day_off", "absent", "sick", "out"])
def test_s16_v2_an_assist_is_read_from_the_duty_record(status: str) -> None:
    """S16.1, S16.6, S16.9: 张三 is recorded off; his customer returns, says he has been here but
    names nobody; 李四 receives him. Under s16@v2 李四 is the assistant: no collision, no fine, and
    his closing splits 50/50. Under s16@v1 the same facts are knowing stealing (S16.11)."""
    # given
    r = owned_by_zhangsan_then_away(status)
    r.later(hours=1).visit("lisi", PHONE_A, first_visit=False)
    d = r.later(hours=2).deal(PHONE_A, "lisi")
    # when
    v1, v2 = r.decide(P), r.decide("s16@v2")
    # then
    assert r.owner("s16@v2", PHONE_A) == "zhangsan"
    assert collisions_for(v2, PHONE_A) == [] and v2.penalties == []
    assert "S16.6" in rules_of(v2, PHONE_A)
    assert split_of(v2, d) == {"lisi": Decimal("0.5"), "zhangsan": Decimal("0.5")}
    assert split_rule(v2, d) == "S16.9"
    assert [c.knowing for c in collisions_for(v1, PHONE_A)] == [True]


def test_s16_v2_the_owner_recorded_busy_is_stood_in_for() -> None:
    """S16.5 (v2): the owner recorded busy; the returning customer names nobody: the colleague
    receives on his behalf (S16.5), the owner keeps him and his whole deal."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=3).duty("zhangsan", "busy", until=r.now + timedelta(hours=2))
    r.later(minutes=5).visit("lisi", PHONE_A, called_before=True)
    d = r.later(hours=3).deal(PHONE_A, "zhangsan")
    att = r.decide("s16@v2")
    assert collisions_for(att, PHONE_A) == [] and "S16.5" in rules_of(att, PHONE_A)
    assert split_of(att, d) == {"zhangsan": Decimal(1)}


@pytest.mark.parametrize(
    ("status", "said"),
    [("on_duty", False), (None, False), ("day_off", None)],
    ids=["owner-at-work", "no-duty-record", "the-question-not-answered"],
)
def test_s16_v2_no_record_of_absence_or_no_word_of_a_visit_is_no_assist(status: str | None, said: bool | None) -> None:
    """S16.1 (v2): with the owner at work (or nothing recorded), or without the customer saying he
    had been here, the record shows no assist: a second registration is a collision as before."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    if status is not None:
        r.later(days=3).duty("zhangsan", status)
    r.later(hours=1).visit("lisi", PHONE_A, **({"first_visit": said} if said is not None else {}))
    att = r.decide("s16@v2")
    assert len(collisions_for(att, PHONE_A)) == 1
    assert "S16.6" not in rules_of(att, PHONE_A)


def test_policy_show_states_that_the_record_decides_an_assist() -> None:
    """S16.1: `policy show s16@v2` says the duty record decides an assist; v1 does not."""
    from guishu.core.policy_text import explain_policy
    from guishu.policies import load_preset

    line = "[S16.1] 是否辅助接待以软件记录为准"
    assert any(x.startswith(line) for x in explain_policy(load_preset("s16@v2")))
    assert not any(x.startswith(line) for x in explain_policy(load_preset("s16")))


def test_s16_v2_a_closer_who_knew_is_fined_even_if_he_never_registered() -> None:
    """S16.11: 李四 closes 张三's customer and the deal records that he knew (closer_knew): under
    s16@v2 he is fined ¥1000 and the whole deal is 张三's, registered or not; s16@v1 let a closer
    who never registered the customer go as a mere helper."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    d = r.later(days=2).deal(PHONE_A, "lisi", closer_knew=True)
    # when
    v1, v2 = r.decide(P), r.decide("s16@v2")
    # then
    assert split_of(v2, d) == {"zhangsan": Decimal(1)} and split_rule(v2, d) == "S16.11"
    assert [(x.staff, x.amount, x.rule) for x in v2.penalties] == [("lisi", Decimal(1000), "S16.11")]
    assert split_of(v1, d) == {"zhangsan": Decimal(1)} and v1.penalties == []


def test_s16_v2_on_behalf_of_a_named_owner_needs_him_recorded_busy_or_away() -> None:
    """S16.5: the customer names 张三, who is not recorded busy or away: 李四's registration is a
    knowing collision under s16@v2 (v1: on behalf of the owner)."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=2).visit("lisi", PHONE_A, named="zhangsan")
    assert [c.knowing for c in collisions_for(r.decide("s16@v2"), PHONE_A)] == [True]
    assert collisions_for(r.decide(P), PHONE_A) == []


def test_policy_show_states_the_knowing_rules_of_v2() -> None:
    """S16.5, S16.11: `policy show s16@v2` states both; v1 neither."""
    from guishu.core.policy_text import explain_policy
    from guishu.policies import load_preset

    lines = (
        "[S16.5] 客户指名原顾问时,仅当原顾问在记录中为忙碌或不在,接待人方为代为接待;否则接待人明知是他人客户。",
        "[S16.11] 成交记录注明成交人知情的,即使其从未登记该客户,也按明知处理。",
    )
    v1, v2 = (explain_policy(load_preset(x)) for x in ("s16", "s16@v2"))
    assert all(x in v2 for x in lines) and not any(x in v1 for x in lines)
