"""The S18 preset (客户确认制度): the confirmation desk decides; registrations are the sheet.

Under S18 a call or visit registration only puts the customer on the consultant's
visitor-and-call sheet (来人来电表, S18.7); ownership comes from hand-ins at the
confirmation desk, in the order of the confirmer's signed time (S18.3, S18.12).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from guishu.core.events import Companion, HandIn
from guishu.core.handins import quota_for
from guishu.core.policy import Naming, Policy, Protection
from guishu.policies import load_preset
from tests.builders import (
    PHONE_A,
    PHONE_B,
    PHONE_C,
    TZ,
    Record,
    at,
    invalid_rules,
    penalties_of,
    rules_of,
    split_of,
    split_rule,
)

S18 = "s18"


def confirm(
    r: Record,
    consultant: str,
    phone: str,
    day: int,
    hour: int = 9,
    minute: int = 30,
    name: str = "王建国",
    **kw: object,
) -> HandIn:
    """The consultant receives the customer (visit on the sheet) and hands in his form."""
    r.on(day, hour, minute)
    r.visit(consultant, phone, name)
    return r.handin(consultant, phone, name, **kw)


def customer_phone(i: int) -> str:
    return f"+86137{i:08d}"


# --------------------------------------------------------------------------- S18.1


@pytest.mark.parametrize(
    ("hour", "minute", "role", "valid"),
    [
        (9, 0, "confirmer", True),
        (9, 30, "confirmer", True),
        (16, 30, "confirmer", True),
        (8, 59, "confirmer", False),
        (10, 30, "confirmer", False),
        (12, 0, "confirmer", False),
        (15, 59, "confirmer", False),
        (17, 30, "confirmer", False),
        (12, 0, "signing_room", True),
        (20, 0, "signing_room", True),
    ],
)
def test_handin_windows(hour: int, minute: int, role: str, valid: bool) -> None:
    """S18.1: hand-ins are taken 09:00-10:00 and 16:00-17:00; otherwise only the signing room."""
    # given: 张三 has the customer on his sheet and hands in at the given time
    r = Record()
    r.on(3, 8, 0).visit("zhangsan", PHONE_A)
    r.on(3, hour, minute)
    h = r.handin("zhangsan", PHONE_A, signed_by_role=role)
    # when
    att = r.decide(S18)
    # then
    if valid:
        assert h.id not in invalid_rules(att)
        assert r.owner(S18, PHONE_A) == "zhangsan"
    else:
        assert invalid_rules(att)[h.id] == "S18.1"
        assert r.owner(S18, PHONE_A) is None


# --------------------------------------------------------------------------- S18.2


@pytest.mark.parametrize(
    "fields",
    [
        {"customer_no": None, "name": "王建国", "phone": PHONE_A},
        {"customer_no": "C0001", "name": None, "phone": PHONE_A},
        {"customer_no": "C0001", "name": "王建国", "phone": None},
        {"customer_no": "C0001", "name": "华信科技", "phone": PHONE_A, "company": "华信科技"},
    ],
    ids=["no-customer-no", "no-name", "no-phone", "company-without-contact"],
)
def test_incomplete_handin_is_invalid(fields: dict[str, object]) -> None:
    """S18.2: a hand-in needs customer number, name and contact; a company a contact person."""
    # given
    r = Record()
    r.on(3, 9, 10).visit("zhangsan", PHONE_A)
    r.on(3, 9, 30)
    h = r.add(HandIn, consultant="zhangsan", need="三居", signed_at=r.now, confirmer="sunba", **fields)
    # when
    att = r.decide(S18)
    # then
    assert invalid_rules(att).get(h.id) == "S18.2"
    assert r.owner(S18, PHONE_A) is None


def test_company_with_contact_person_is_valid() -> None:
    """S18.2: a company hand-in with company name and contact person is received."""
    # given
    r = Record()
    r.on(3, 9, 10).visit("zhangsan", PHONE_A)
    r.on(3, 9, 30)
    h = r.handin("zhangsan", PHONE_A, "华信科技", company="华信科技", contact_person="王建国")
    # when
    att = r.decide(S18)
    # then
    assert h.id not in invalid_rules(att)
    assert r.owner(S18, PHONE_A) == "zhangsan"


# --------------------------------------------------------------------------- S18.3 / S18.12


def test_earlier_confirmation_wins() -> None:
    """S18.12: the same customer confirmed by two -> the earlier confirmation."""
    # given
    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    confirm(r, "zhangsan", PHONE_A, 4)
    # when
    att = r.decide(S18)
    v = att.verdict_for(PHONE_A)
    # then
    assert v is not None
    assert v.owner.id == "lisi"
    assert v.state == "owned"
    assert v.since == at(3, 9, 30)
    assert "S18.12" in rules_of(att, PHONE_A)


@pytest.mark.parametrize("first", ["entered_first", "entered_second"])
def test_signed_time_decides_not_fact_time(first: str) -> None:
    """S18.3, S18.12: the confirmer's signed time decides, not the time the form was entered."""
    # given: 李四's form is signed 3 Mar 16:30; 张三's is signed 4 Mar 09:30.
    # Both consultants have the customer on their sheet beforehand.
    r = Record()
    r.on(3, 9, 0).visit("lisi", PHONE_A)
    r.on(3, 9, 5).visit("zhangsan", PHONE_A)
    if first == "entered_first":
        # 张三's later-signed form is entered before 李四's earlier-signed one
        r.on(4, 9, 30)
        r.handin("zhangsan", PHONE_A, signed_at=at(4, 9, 30))
        r.on(4, 9, 40)
        r.handin("lisi", PHONE_A, signed_at=at(3, 16, 30))
    else:
        r.on(4, 9, 30)
        r.handin("lisi", PHONE_A, signed_at=at(3, 16, 30))
        r.on(4, 9, 40)
        r.handin("zhangsan", PHONE_A, signed_at=at(4, 9, 30))
    # when
    v = r.verdict(S18, PHONE_A)
    # then
    assert v.owner.id == "lisi"
    assert v.since == at(3, 16, 30)


# --------------------------------------------------------------------------- S18.4


def test_later_conflicting_handin_is_returned_and_collision_recorded() -> None:
    """S18.4: a later hand-in conflicting with another's confirmation is returned; a collision."""
    # given
    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    late = confirm(r, "zhangsan", PHONE_A, 5)
    # when
    att = r.decide(S18)
    # then
    assert invalid_rules(att)[late.id] == "S18.4"
    assert r.owner(S18, PHONE_A) == "lisi"
    hits = [c for c in att.collisions if c.fact == late.id]
    assert len(hits) == 1
    assert (hits[0].owner, hits[0].other) == ("lisi", "zhangsan")


# --------------------------------------------------------------------------- S18.5


def test_s18_preset_quota_values() -> None:
    """S18.5: 50 confirmed customers; 80 after meeting the quarter target; 30 after none."""
    # given
    p = load_preset(S18)
    # then: the preset's numbers
    assert (p.handins.quota, p.handins.quota_high, p.handins.quota_low) == (50, 80, 30)
    assert p.handins.quarter_target == 3
    # and the tier each signing count falls into
    assert quota_for(p, 0) == 30
    assert quota_for(p, 1) == 50
    assert quota_for(p, 2) == 50
    assert quota_for(p, 3) == 80
    assert quota_for(p, 7) == 80


def _signings_then_handins(signings: int, handins: int) -> tuple[Record, list[HandIn]]:
    """张三 signs ``signings`` deals in Q4 2025, then hands in ``handins`` new customers in January."""
    r = Record(datetime(2025, 12, 1, 10, 0, tzinfo=TZ))
    for i in range(signings):
        r.later(days=1)
        r.deal(customer_phone(900 + i), "zhangsan", "signing", buyer_name=f"老客户{i}")
    r.on(5, 9, 0, month=1)
    out: list[HandIn] = []
    for i in range(handins):
        r.later(minutes=0.5)
        r.visit("zhangsan", customer_phone(i), f"客户{i}")
        out.append(r.handin("zhangsan", customer_phone(i), f"客户{i}"))
    return r, out


@pytest.mark.parametrize(
    ("signings", "must_accept", "must_refuse"),
    [
        (0, 30, 31),  # no signing last quarter: 30
        (1, 49, 51),  # normal: 50 (more than 30, no more than 50)
        (3, 77, 81),  # target met: 80 (more than 50, no more than 80)
    ],
)
def test_quota_by_last_quarter_signings(signings: int, must_accept: int, must_refuse: int) -> None:
    """S18.5: the quota tier follows last quarter's signings; over quota -> returned, invalid."""
    # given
    r, hs = _signings_then_handins(signings, must_refuse)
    # when
    att = r.decide(S18)
    bad = invalid_rules(att)
    # then: the must_accept-th new customer is still confirmed, the must_refuse-th is returned
    accepted = hs[must_accept - 1]
    refused = hs[must_refuse - 1]
    assert accepted.id not in bad
    assert r.owner(S18, customer_phone(must_accept - 1)) == "zhangsan"
    assert bad[refused.id] == "S18.5"
    assert r.owner(S18, customer_phone(must_refuse - 1)) is None


def small_quota(quota: int) -> Policy:
    """The S18 preset with a flat quota of ``quota`` (no tiers), to keep loops short."""
    p = load_preset(S18)
    return p.model_copy(
        update={"handins": p.handins.model_copy(update={"quota": quota, "quota_high": None, "quota_low": None})}
    )


@pytest.mark.parametrize(("third_day", "accepted"), [(5, False), (16, True)])
def test_lapsed_confirmations_free_quota(third_day: int, accepted: bool) -> None:
    """S18.5, S18.21: the quota counts live confirmations; lapsed ones (10 days) free a slot."""
    # given: quota 2; 张三 confirms two customers on 3 March
    p = small_quota(2)
    r = Record()
    confirm(r, "zhangsan", PHONE_A, 3, 9, 10, name="甲客户")
    confirm(r, "zhangsan", PHONE_B, 3, 9, 20, name="乙客户")
    # when: a third on 5 March (both live) or on 16 March (both lapsed on 13 March)
    third = confirm(r, "zhangsan", PHONE_C, third_day, name="丙客户")
    att = r.decide(p)
    # then
    if accepted:
        assert third.id not in invalid_rules(att)
        assert r.owner(p, PHONE_C) == "zhangsan"
    else:
        assert invalid_rules(att)[third.id] == "S18.5"
        assert r.owner(p, PHONE_C) is None


def test_amendment_does_not_take_a_quota_slot() -> None:
    """S18.5, S18.6: amending one's own confirmation is not a new confirmation."""
    # given: quota 1, 张三 holds one customer and amends its need
    p = small_quota(1)
    r = Record()
    h = confirm(r, "zhangsan", PHONE_A, 3)
    r.on(4, 9, 30)
    amend = r.handin("zhangsan", PHONE_A, need="四居", amends=h.id)
    # when
    att = r.decide(p)
    # then
    assert amend.id not in invalid_rules(att)
    assert r.owner(p, PHONE_A) == "zhangsan"


# --------------------------------------------------------------------------- S18.6


def test_amended_buyer_takes_second_handin_time() -> None:
    """S18.6: changing the buyer on a form moves its time to the second hand-in."""
    # given: 李四 confirms 王建国 (3 Mar); 张三 confirms 李梅 (4 Mar); 李四 amends his
    # form on 5 Mar to make 李梅 the buyer
    r = Record()
    h = confirm(r, "lisi", PHONE_A, 3)
    confirm(r, "zhangsan", PHONE_B, 4, name="李梅")
    r.on(5, 9, 0).visit("lisi", PHONE_B, "李梅")
    r.on(5, 9, 30)
    r.handin("lisi", PHONE_B, "李梅", amends=h.id)
    # when
    v = r.verdict(S18, PHONE_B)
    # then: 张三's confirmation (4 Mar) is now earlier than 李四's (5 Mar)
    assert v.owner.id == "zhangsan"
    assert v.since == at(4, 9, 30)


def test_amended_need_takes_second_handin_time() -> None:
    """S18.6, S18.11: an amended need dates from the second hand-in; an earlier match wins."""
    # given: 李四 confirms 王建国 wanting 三居 (3 Mar, PHONE_A); 张三 confirms 王建国 wanting
    # 四居 (4 Mar, PHONE_B) - a different need, so a different customer; on 5 Mar 李四
    # changes his form's need to 四居: now the same customer, dated 5 Mar
    r = Record()
    h = confirm(r, "lisi", PHONE_A, 3)
    confirm(r, "zhangsan", PHONE_B, 4, need="四居")
    r.on(5, 9, 30)
    r.handin("lisi", PHONE_A, need="四居", amends=h.id)
    # when
    v = r.verdict(S18, PHONE_B)
    # then
    assert v.owner.id == "zhangsan"


# --------------------------------------------------------------------------- S18.7


@pytest.mark.parametrize(
    "sheet",
    ["none", "other_consultant", "after_handin"],
)
def test_handin_needs_the_visitor_sheet(sheet: str) -> None:
    """S18.7: a new customer not on the consultant's visitor-and-call sheet is not confirmed."""
    # given
    r = Record()
    if sheet == "other_consultant":
        r.on(3, 9, 0).visit("lisi", PHONE_A)
    r.on(3, 9, 30)
    h = r.handin("zhangsan", PHONE_A)
    if sheet == "after_handin":
        r.on(3, 9, 45).visit("zhangsan", PHONE_A)
    # when
    att = r.decide(S18)
    # then
    assert invalid_rules(att)[h.id] == "S18.7"
    assert r.owner(S18, PHONE_A) is None


@pytest.mark.parametrize("mode", ["call", "visit"])
def test_call_or_visit_on_the_sheet_is_enough(mode: str) -> None:
    """S18.7: a call or a visit on that day's sheet lets the hand-in be confirmed."""
    # given
    r = Record()
    r.on(3, 9, 0).register(mode, "zhangsan", PHONE_A)
    r.on(3, 9, 30)
    h = r.handin("zhangsan", PHONE_A)
    # when
    att = r.decide(S18)
    # then
    assert h.id not in invalid_rules(att)
    assert r.owner(S18, PHONE_A) == "zhangsan"


def test_registration_alone_does_not_own() -> None:
    """S18.7, S18.12: a registration is only the sheet; without a hand-in nobody owns."""
    # given
    r = Record()
    r.on(3, 9, 0).visit("zhangsan", PHONE_A)
    # then
    assert r.owner(S18, PHONE_A) is None


# --------------------------------------------------------------------------- S18.11


def test_same_name_same_need_other_phone_is_same_customer() -> None:
    """S18.11: same need and same name, different phone -> the same customer."""
    # given
    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    late = confirm(r, "zhangsan", PHONE_B, 4)  # 王建国, 三居, another phone
    # when
    att = r.decide(S18)
    # then
    v = att.verdict_for(PHONE_B)
    assert v is not None
    assert PHONE_A in v.members
    assert v.owner.id == "lisi"
    assert invalid_rules(att)[late.id] == "S18.4"


def test_same_name_other_need_is_another_customer() -> None:
    """S18.11: the needs must be essentially the same; a different need is another customer."""
    # given
    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    late = confirm(r, "zhangsan", PHONE_B, 4, need="商铺")
    # when
    att = r.decide(S18)
    # then
    assert late.id not in invalid_rules(att)
    assert r.owner(S18, PHONE_A) == "lisi"
    assert r.owner(S18, PHONE_B) == "zhangsan"


@pytest.mark.parametrize(
    ("relation", "one_group"), [("spouse", True), ("parent", True), ("child", True), ("friend", False)]
)
def test_form_covers_one_family_group(relation: str, one_group: bool) -> None:
    """S18.11: a couple or parent and child on one form are one group; anyone else is not."""
    # given: 李四's form names a second person
    r = Record()
    confirm(r, "lisi", PHONE_A, 3, members=(Companion(name="李梅", phone=PHONE_B, relation=relation),))
    # and 张三 later hands in that second person himself
    late = confirm(r, "zhangsan", PHONE_B, 5, name="李梅")
    # when
    att = r.decide(S18)
    # then
    if one_group:
        assert r.owner(S18, PHONE_B) == "lisi"
        assert invalid_rules(att)[late.id] == "S18.4"
    else:
        assert r.owner(S18, PHONE_B) == "zhangsan"
        assert late.id not in invalid_rules(att)


# --------------------------------------------------------------------------- S18.13


def _closed_by_other(raise_day: int | None, *, asked: bool | None = None) -> Record:
    """李四 confirms on 3 Mar; 张三 receives the customer and signs him on 5 Mar 11:00."""
    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    r.on(5, 10, 0).visit("zhangsan", PHONE_A, asked=asked)
    r.on(5, 11, 0).deal(PHONE_A, "zhangsan", "signing")
    if raise_day is not None:
        r.on(raise_day, 12, 0).dispute(PHONE_A, "lisi", against="zhangsan")
    return r


def test_collision_raised_within_three_days_goes_to_confirmer() -> None:
    """S18.13: the earlier confirmer raises the collision within 3 days of signing -> his."""
    # given
    r = _closed_by_other(raise_day=6)
    # when
    att = r.decide(S18, at=at(12))
    deal = next(f for f in r.facts if f.kind == "deal")
    # then
    assert split_of(att, deal) == {"lisi": Decimal(1)}
    assert split_rule(att, deal) == "S18.13"
    assert r.owner(S18, PHONE_A, at=at(12)) == "lisi"


def test_collision_not_raised_goes_to_closer() -> None:
    """S18.13: not raised within 3 days of signing -> the customer and the deal to the closer."""
    # given
    r = _closed_by_other(raise_day=None)
    # when
    att = r.decide(S18, at=at(12))
    deal = next(f for f in r.facts if f.kind == "deal")
    # then
    assert split_of(att, deal) == {"zhangsan": Decimal(1)}
    assert split_rule(att, deal) == "S18.13"
    assert r.owner(S18, PHONE_A, at=at(12)) == "zhangsan"


def test_collision_raised_too_late_goes_to_closer() -> None:
    """S18.13: a collision raised only a week after the signing -> the closer."""
    # given
    r = _closed_by_other(raise_day=12)
    # when
    att = r.decide(S18, at=at(13))
    deal = next(f for f in r.facts if f.kind == "deal")
    # then
    assert split_of(att, deal) == {"zhangsan": Decimal(1)}
    assert r.owner(S18, PHONE_A, at=at(13)) == "zhangsan"


def test_split_is_provisional_inside_the_window() -> None:
    """S18.13: inside the 3 days the split is provisional, held for the confirmer."""
    # given
    r = _closed_by_other(raise_day=None)
    # when: one day after the signing
    att = r.decide(S18, at=at(6, 12))
    deal = next(f for f in r.facts if f.kind == "deal")
    split = next(s for s in att.splits if s.deal == deal.id)
    # then
    assert split.provisional_until is not None
    assert split.provisional_until > at(8)
    assert split_of(att, deal) == {"lisi": Decimal(1)}


# --------------------------------------------------------------------------- S18.14


@pytest.mark.parametrize(
    ("contract", "closer", "winner"),
    [
        ({"company": "华信科技"}, "zhangsan", "zhangsan"),
        ({"buyer_name": "王建国"}, "zhangsan", "lisi"),
        ({"buyer_name": "王建国"}, "lisi", "lisi"),
    ],
    ids=["company-contract", "personal-contract-other-closes", "personal-contract-own"],
)
def test_name_on_contract_decides_company_vs_individual(contract: dict[str, str], closer: str, winner: str) -> None:
    """S18.14: company versus individual -> whose confirmation matches the contract's name."""
    # given: 李四 confirms 王建国 personally (3 Mar); 张三 confirms the company 华信科技
    # with 王建国 as its contact person (4 Mar)
    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    confirm(r, "zhangsan", PHONE_A, 4, name="华信科技", company="华信科技", contact_person="王建国")
    # when: the contract is signed in the given name; the other side raises it at once
    r.on(6, 11, 0)
    deal = r.deal(PHONE_A, closer, "signing", **contract)
    if closer == "zhangsan":
        r.on(6, 12, 0).dispute(PHONE_A, "lisi", against="zhangsan")
    att = r.decide(S18, at=at(12))
    # then
    assert split_of(att, deal) == {winner: Decimal(1)}
    if contract.get("company"):
        assert split_rule(att, deal) == "S18.14"


# --------------------------------------------------------------------------- S18.15


def test_same_day_handins_are_disputed_until_a_ruling() -> None:
    """S18.15: two hand-ins of one customer on the same day -> disputed; the manager rules."""
    # given
    r = Record()
    confirm(r, "lisi", PHONE_A, 3, 9, 30)
    late = confirm(r, "zhangsan", PHONE_A, 3, 16, 30)
    # when
    att = r.decide(S18)
    # then
    v = att.verdict_for(PHONE_A)
    assert v is not None
    assert v.state == "disputed"
    assert "S18.15" in rules_of(att, PHONE_A)
    assert any(c.fact == late.id for c in att.collisions)
    # when: the manager rules from both daily reports
    r.on(4, 11, 0).ruling(PHONE_A, "zhangsan", rule="S18.15")
    v = r.verdict(S18, PHONE_A)
    # then
    assert v.owner.id == "zhangsan"
    assert v.state == "owned"


# --------------------------------------------------------------------------- S18.16


@pytest.mark.parametrize("ruled", ["lisi", "zhangsan"])
def test_query_form_puts_group_in_dispute(ruled: str) -> None:
    """S18.16: a query form (查询单) puts the customer in dispute; the manager's ruling decides."""
    # given: 李四 owns the customer; 张三 files a query form, no deal is open
    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    r.on(5, 11, 0).dispute(PHONE_A, "zhangsan", against="lisi")
    # then
    assert r.verdict(S18, PHONE_A).state == "disputed"
    # when
    r.on(6, 11, 0).ruling(PHONE_A, ruled, rule="S18.16")
    v = r.verdict(S18, PHONE_A)
    # then
    assert v.owner.id == ruled
    assert v.state == "owned"


# --------------------------------------------------------------------------- S18.17


def test_rejected_appeal_fines_appellant() -> None:
    """S18.17: an appeal against the manager's decision that is rejected -> appellant ¥400."""
    # given
    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    r.on(5, 11).ruling(PHONE_A, "lisi", rule="S18.16")
    r.on(6, 11).appeal(PHONE_A, "zhangsan", "rejected", responsible=("zhaoliu",))
    # when
    att = r.decide(S18)
    # then
    assert penalties_of(att, "zhangsan") == [("S18.17", Decimal(400), "fine")]
    assert penalties_of(att, "zhaoliu") == []


def test_overturned_appeal_fines_each_responsible() -> None:
    """S18.17: an appeal that overturns the decision -> each responsible decider ¥500."""
    # given
    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    r.on(5, 11).ruling(PHONE_A, "lisi", rule="S18.16")
    r.on(6, 11).appeal(PHONE_A, "zhangsan", "overturned", responsible=("zhaoliu", "wuyi"))
    # when
    att = r.decide(S18)
    # then
    assert penalties_of(att, "zhaoliu") == [("S18.17", Decimal(500), "fine")]
    assert penalties_of(att, "wuyi") == [("S18.17", Decimal(500), "fine")]
    assert penalties_of(att, "zhangsan") == []


# --------------------------------------------------------------------------- S18.20


def test_prefiled_customer_is_his() -> None:
    """S18.20: a pre-filed old or relationship customer is the filer's, before any hand-in."""
    # given: 李四 pre-files; later 张三 receives the customer and hands in
    r = Record()
    r.on(3, 11, 0).prefile("lisi", PHONE_A)
    late = confirm(r, "zhangsan", PHONE_A, 5)
    # when
    att = r.decide(S18)
    # then
    assert r.owner(S18, PHONE_A) == "lisi"
    assert "S18.20" in rules_of(att, PHONE_A)
    assert invalid_rules(att)[late.id] == "S18.4"


# --------------------------------------------------------------------------- S18.21


@pytest.mark.parametrize(("when", "owner"), [(at(12, 12), "lisi"), (at(13, 12), None)])
def test_confirmation_valid_ten_days(when: datetime, owner: str | None) -> None:
    """S18.21: a confirmation is valid 10 days; not re-confirmed, the customer is new again."""
    # given: 李四 confirms on 3 Mar 09:30
    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    # then
    assert r.owner(S18, PHONE_A, at=when) == owner


def test_lapsed_customer_is_new_for_another() -> None:
    """S18.21: after the 10 days another consultant's hand-in makes him the owner."""
    # given
    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    late = confirm(r, "zhangsan", PHONE_A, 16)
    # when
    att = r.decide(S18)
    v = att.verdict_for(PHONE_A)
    # then
    assert late.id not in invalid_rules(att)
    assert v is not None
    assert v.owner.id == "zhangsan"
    assert v.since == at(16, 9, 30)


def test_reconfirmation_keeps_original_time() -> None:
    """S18.21: re-confirmed within 10 days, the confirmation keeps its original time."""
    # given: 李四 confirms 3 Mar and re-confirms 11 Mar; 张三 hands in 16 Mar
    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    r.on(11, 9, 30)
    r.handin("lisi", PHONE_A)
    late = confirm(r, "zhangsan", PHONE_A, 16)
    # when
    att = r.decide(S18)
    v = att.verdict_for(PHONE_A)
    # then
    assert v is not None
    assert v.owner.id == "lisi"
    assert v.since == at(3, 9, 30)
    assert v.protected_until == at(21, 9, 30)
    assert invalid_rules(att)[late.id] == "S18.4"


@pytest.mark.parametrize(("when", "owner"), [(at(25, 12), "lisi"), (at(31, 12), None)])
def test_before_launch_valid_until_ten_days_after_opening(when: datetime, owner: str | None) -> None:
    """S18.21: a confirmation before launch is valid until 10 days after internal subscription."""
    # given: a site before launch; 李四 confirms on 3 Mar; internal subscription opens on 20 Mar 10:00
    prelaunch = load_preset(S18).model_copy(
        update={"handins": load_preset(S18).handins.model_copy(update={"prelaunch": True})}
    )
    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    r.on(20, 10, 0).milestone("internal_subscription_opened")
    # then: valid until 30 Mar 10:00
    assert r.owner(prelaunch, PHONE_A, at=when) == owner


def test_before_launch_without_opening_does_not_lapse() -> None:
    """S18.21: before the internal subscription opens, a pre-launch confirmation does not lapse."""
    # given: a site before launch; 李四 confirms on 3 Mar and nothing opens yet
    prelaunch = load_preset(S18).model_copy(
        update={"handins": load_preset(S18).handins.model_copy(update={"prelaunch": True})}
    )
    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    # then: still his a month later, while the running-site preset lets it lapse after 10 days
    assert r.owner(prelaunch, PHONE_A, at=at(31, 12)) == "lisi"
    assert r.owner(S18, PHONE_A, at=at(31, 12)) is None


# --------------------------------------------------------------------------- S18.22


@pytest.mark.parametrize(("notice_first", "earner"), [(True, "developer"), (False, "lisi")])
def test_developer_related_customer(notice_first: bool, earner: str) -> None:
    """S18.22: announced before any contact -> the developer's; contact first -> the consultant's."""
    # given
    r = Record()
    if notice_first:
        r.on(3, 8, 0).developer_notice(PHONE_A)
    confirm(r, "lisi", PHONE_A, 3)
    if not notice_first:
        r.on(3, 11, 0).developer_notice(PHONE_A)
    # when: 李四 closes
    r.on(6, 11, 0)
    deal = r.deal(PHONE_A, "lisi", "signing")
    att = r.decide(S18)
    # then
    assert split_of(att, deal) == {earner: Decimal(1)}
    if notice_first:
        assert split_rule(att, deal) == "S18.22"


# --------------------------------------------------------------------------- S18.23


def test_developer_staff_customer_goes_to_duty_consultant() -> None:
    """S18.23: developer staff send a customer naming 李四; the duty consultant 张三 keeps him."""
    # given: 张三 is on duty and receives; the customer names 李四 at the developer's word
    r = Record()
    r.on(3, 9, 0).duty("zhangsan", "on_duty")
    r.on(3, 9, 10).visit("zhangsan", PHONE_A, source="developer_staff", named="lisi")
    r.on(3, 9, 30)
    r.handin("zhangsan", PHONE_A)
    r.on(4, 9, 30)
    other = r.handin("lisi", PHONE_A)
    # when
    att = r.decide(S18)
    # then
    assert r.owner(S18, PHONE_A) == "zhangsan"
    assert other.id in invalid_rules(att)


def registration_basis(to_duty: bool) -> Policy:
    """S18's switches on a registration-based engine, where a named consultant could win."""
    p = load_preset(S18)
    return p.model_copy(
        update={
            "ownership": p.ownership.model_copy(update={"basis": "registration", "developer_staff_to_duty": to_duty}),
            "protection": Protection(),
            "naming": Naming(without_record=True),
        }
    )


@pytest.mark.parametrize(
    ("to_duty", "source", "owner"),
    [
        (True, "developer_staff", "zhangsan"),
        (False, "developer_staff", "lisi"),
        (True, "路过", "lisi"),
    ],
)
def test_developer_staff_cannot_pick_a_consultant(to_duty: bool, source: str, owner: str) -> None:
    """S18.23: with the S18 switch, a developer-staff customer's naming is ignored."""
    # given
    p = registration_basis(to_duty)
    r = Record()
    r.on(3, 9, 10).visit("zhangsan", PHONE_A, source=source, named="lisi")
    # then
    assert load_preset(S18).ownership.developer_staff_to_duty is True
    assert r.owner(p, PHONE_A) == owner


# --------------------------------------------------------------------------- S18.24


def test_filed_customer_served_by_asker_split_when_raised() -> None:
    """S18.24: another who asked whether he had contacted anyone closes; raised -> 50/50."""
    # given
    r = _closed_by_other(raise_day=7, asked=True)
    # when
    att = r.decide(S18, at=at(12))
    deal = next(f for f in r.facts if f.kind == "deal")
    # then
    assert split_of(att, deal) == {"lisi": Decimal("0.5"), "zhangsan": Decimal("0.5")}
    assert split_rule(att, deal) == "S18.24"


def test_filed_customer_served_by_asker_not_raised_all_to_closer() -> None:
    """S18.24: the earliest filer does not raise it within 3 days of signing -> all to the closer."""
    # given
    r = _closed_by_other(raise_day=None, asked=True)
    # when
    att = r.decide(S18, at=at(12))
    deal = next(f for f in r.facts if f.kind == "deal")
    # then
    assert split_of(att, deal) == {"zhangsan": Decimal(1)}


def test_prefiled_customer_served_by_asker_split_when_raised() -> None:
    """S18.24: a pre-filed (备案) customer, another asked and closed, raised in time -> 50/50."""
    # given
    r = Record()
    r.on(3, 11, 0).prefile("lisi", PHONE_A)
    r.on(5, 10, 0).visit("zhangsan", PHONE_A, asked=True)
    r.on(5, 11, 0)
    deal = r.deal(PHONE_A, "zhangsan", "signing")
    r.on(6, 12, 0).dispute(PHONE_A, "lisi", against="zhangsan")
    # when
    att = r.decide(S18, at=at(12))
    # then
    assert split_of(att, deal) == {"lisi": Decimal("0.5"), "zhangsan": Decimal("0.5")}


# --------------------------------------------------------------------------- S18.25


@pytest.mark.parametrize("kind", ["complaint", "refusal"])
def test_reassigned_after_complaint_splits_half(kind: str) -> None:
    """S18.25: complaint or refusal -> another is assigned; if he closes, 50/50 with the original."""
    # given
    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    r.on(4, 11, 0).complaint(PHONE_A, "lisi", type=kind)
    r.on(4, 12, 0).ruling(PHONE_A, "zhangsan", rule="S18.25", reason="销售部指派")
    # then
    assert r.owner(S18, PHONE_A) == "zhangsan"
    # when
    r.on(6, 11, 0)
    deal = r.deal(PHONE_A, "zhangsan", "signing")
    att = r.decide(S18)
    # then
    assert split_of(att, deal) == {"lisi": Decimal("0.5"), "zhangsan": Decimal("0.5")}
    assert split_rule(att, deal) == "S18.25"


# --------------------------------------------------------------------------- S18.9


def test_same_day_deal_is_confirmed_too() -> None:
    """S18.9: a customer who closes on his first day is confirmed the same day; the deal follows it."""
    # given: 张三 receives 王建国 at 09:10, hands in his form at 09:40 and he subscribes at 15:00
    r = Record()
    r.on(3, 9, 10).visit("zhangsan", PHONE_A)
    r.on(3, 9, 40).handin("zhangsan", PHONE_A)
    r.on(3, 15, 0)
    deal = r.deal(PHONE_A, "zhangsan", "subscription")
    # when
    att = r.decide(S18)
    # then
    assert r.owner(S18, PHONE_A) == "zhangsan"
    assert split_of(att, deal) == {"zhangsan": Decimal(1)}


def test_same_day_deal_without_confirmation_is_not_the_consultants_by_confirmation() -> None:
    """S18.9: without the same-day hand-in the customer has no confirmation to decide by."""
    # given: 张三 receives and closes the same day but hands in nothing; 李四 confirmed him earlier
    r = Record()
    r.on(3, 9, 10).visit("lisi", PHONE_A)
    r.on(3, 9, 40).handin("lisi", PHONE_A)
    r.on(4, 9, 10).visit("zhangsan", PHONE_A)
    r.on(4, 15, 0)
    deal = r.deal(PHONE_A, "zhangsan", "subscription")
    # then: the confirmation (李四's) decides while the 3-day window runs (S18.13)
    att = r.decide(S18)
    assert r.owner(S18, PHONE_A) == "lisi"
    assert split_of(att, deal) == {"lisi": Decimal(1)}


# --------------------------------------------------------------------------- S18.7 in s18@v2


@pytest.mark.parametrize(
    ("sheet_day", "sheet_hour", "sheet_minute", "v1", "v2"),
    [
        (4, 9, 0, True, True),  # the same morning
        (4, 0, 0, True, True),  # the first minute of the hand-in's local day
        (3, 23, 59, True, False),  # the last minute of the day before
        (2, 11, 0, True, False),  # a visit two days earlier: v1 took it, the text does not
    ],
    ids=["same-morning", "same-day-at-midnight", "day-before-last-minute", "days-before"],
)
def test_s18_v2_wants_that_days_sheet(sheet_day: int, sheet_hour: int, sheet_minute: int, v1: bool, v2: bool) -> None:
    """S18.7 "当天《来人来电表》": under s18@v2 only a registration of the consultant on the
    hand-in's local date puts the customer on the sheet; s18@v1 keeps its verdicts (any record)."""
    # given 张三's registration, and his hand-in on Wednesday 4 March at 09:30
    r = Record()
    r.on(sheet_day, sheet_hour, sheet_minute).visit("zhangsan", PHONE_A)
    r.on(4, 9, 30)
    h = r.handin("zhangsan", PHONE_A)
    # when / then
    for preset, confirmed in (("s18", v1), ("s18@v1", v1), ("s18@v2", v2)):
        att = r.decide(preset)
        assert (h.id not in invalid_rules(att)) is confirmed, preset
        assert r.owner(preset, PHONE_A) == ("zhangsan" if confirmed else None), preset
        if not confirmed:
            assert invalid_rules(att)[h.id] == "S18.7"


def test_s18_v2_the_sheet_is_the_consultants_own() -> None:
    """S18.7 (v2): 李四's visit that day does not put the customer on 张三's sheet."""
    r = Record()
    r.on(4, 9, 0).visit("lisi", PHONE_A)
    r.on(4, 9, 30)
    h = r.handin("zhangsan", PHONE_A)
    assert invalid_rules(r.decide("s18@v2"))[h.id] == "S18.7"


def test_policy_show_states_which_sheet_counts() -> None:
    """S18.7: `policy show` says what each version takes as that day's sheet."""
    from guishu.core.policy_text import explain_policy

    v1 = "\n".join(explain_policy(load_preset("s18")))
    v2 = "\n".join(explain_policy(load_preset("s18@v2")))
    assert "[S18.7] 新客户须在当天《来人来电表》上有记录(本版本:该顾问此前任一登记即可)。" in v1
    assert "[S18.7] 新客户须在当天《来人来电表》上有记录(递交当日,本案场时区,该顾问的来电或来访登记)。" in v2


# --------------------------------------------------------------------------- S18.14 in s18@v2


@pytest.mark.parametrize(
    ("contract", "v1_owner", "v2_owner"),
    [({"company": "华信科技"}, "lisi", "zhangsan"), ({"buyer_name": "王建国"}, "lisi", "lisi")],
    ids=["company-contract", "personal-contract"],
)
def test_s18_v2_the_contracts_name_decides_who_owns(contract: dict[str, str], v1_owner: str, v2_owner: str) -> None:
    """S18.14: 李四 confirms 王建国 personally (3 Mar), 张三 the company 华信科技 with 王建国 as its
    contact (4 Mar). The contract is signed in the company's name: under s18@v2 the customer is
    张三's from the signing, as well as the commission; s18@v1 keeps 李四 as the owner."""
    # given
    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    confirm(r, "zhangsan", PHONE_A, 4, name="华信科技", company="华信科技", contact_person="王建国")
    r.on(6, 11, 0)
    deal = r.deal(PHONE_A, "zhangsan", "signing", **contract)
    r.on(6, 12, 0).dispute(PHONE_A, "lisi", against="zhangsan")
    # when
    v1, v2 = (r.decide(preset, at=at(12)) for preset in ("s18", "s18@v2"))
    # then: the commission as before in both versions
    assert split_of(v1, deal) == split_of(v2, deal)
    for att, owner in ((v1, v1_owner), (v2, v2_owner)):
        v = att.verdict_for(PHONE_A)
        assert v is not None and v.owner.id == owner
    moved = v2.verdict_for(PHONE_A)
    assert moved is not None
    if v2_owner != v1_owner:
        assert moved.since == at(6, 11)
        assert ("S18.14", "以认购/签约名称为准,归名称一致且确认在先的 张三") in {(x.rule, x.zh) for x in moved.reasons}


def test_policy_show_states_whether_the_contracts_name_moves_the_customer() -> None:
    """S18.14: `policy show` says what each version does with the contract's name."""
    from guishu.core.policy_text import explain_policy

    v1 = "\n".join(explain_policy(load_preset("s18")))
    v2 = "\n".join(explain_policy(load_preset("s18@v2")))
    assert "名称一致且确认在先者得佣金(本版本:归属不随之改变)。" in v1
    assert "名称一致且确认在先者得佣金,客户自成交起归其所有。" in v2
