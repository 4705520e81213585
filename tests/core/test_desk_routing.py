"""The front desk's guided questions (``core.desk_routing``): the answers in, a ``Walkin`` route out,
per policy, with the rule and its words; then the rotation decides who receives it.

张三 zhangsan is the old customer's (or the visitor's own) consultant; 李四 lisi sent an SMS.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from guishu.core.desk_routing import Answers, Routed, route
from guishu.core.events import fact_from_dict
from guishu.core.rotation import Route
from guishu.policies import load_preset
from tests.core.test_rotation import desk


def routed(preset: str, **answers: Any) -> Routed:
    return route(load_preset(preset), Answers(**answers))


def assert_route(r: Routed, walkin: tuple[Route, str | None], rule: str) -> None:
    assert (r.walkin.route, r.walkin.named) == walkin
    assert r.rule == rule
    assert r.zh and r.en


# --------------------------------------------------------------------------- S7.2, S14.2, S10.2, S11.2


@pytest.mark.parametrize(("preset", "rule"), [("s7", "S7.2"), ("s14", "S14.2"), ("s10", "S10.2")])
def test_s7_2_s14_2_been_here_with_a_consultant_is_returning_to_him(preset: str, rule: str) -> None:
    """S7.2 "来过…原置业顾问", S14.2's three questions, S10.2: he (or his family) has been
    here, with 张三: returning to 张三, on the preset's returning rule."""
    assert_route(routed(preset, been_here=True, consultant="zhangsan"), ("returning", "zhangsan"), rule)


def test_s7_2_a_consultant_he_names_without_a_visit_is_his_where_the_policy_says_so() -> None:
    """S7.2 "指名找某置业顾问 → that one" (s7 naming.without_record): he names 张三, never here."""
    assert_route(routed("s7", consultant="zhangsan"), ("returning", "zhangsan"), "S7.2")


@pytest.mark.parametrize(("preset", "rule"), [("s7", "S7.3"), ("s11", "S11.1"), ("s8", "S7.3")])
def test_s7_3_s11_1_otherwise_a_first_visit_goes_to_the_rotation(preset: str, rule: str) -> None:
    """S7.3, S11.1: nothing of the above: a first visit, to the rotation."""
    assert_route(routed(preset), ("new", None), rule)


def test_s11_2_a_consultant_who_sent_him_an_sms_gets_him() -> None:
    """S11.2 "did any consultant send you an SMS? Found → him" (s11 naming.sms)."""
    assert_route(routed("s11", sms_from="lisi"), ("returning", "lisi"), "S11.2")


def test_s11_2_the_sms_question_is_s11_s() -> None:
    """S11.2 is s11's: under s7 the SMS answer routes nowhere: a first visit (S7.3)."""
    assert_route(routed("s7", sms_from="lisi"), ("new", None), "S7.3")


def test_s11_2_a_named_consultant_comes_before_the_sms() -> None:
    """S11.2 "Yes → that consultant. Cannot name → SMS": naming 张三 wins over 李四's SMS."""
    assert_route(
        routed("s11", been_here=True, consultant="zhangsan", sms_from="lisi"), ("returning", "zhangsan"), "S11.2"
    )


# --------------------------------------------------------------------------- 老带新


@pytest.mark.parametrize("kind", ["accompanied", "named", "introduced"])
def test_s1_c8_s1_c10_a_referred_new_customer_follows_the_rotation(kind: str) -> None:
    """S1.C8 "经过朋友介绍…仍以正常轮序为准", S1.C10 (his consultant off, an old customer
    brings a new one → rotation): under s1 a referral, however brought, is a first visit."""
    r = routed("s1", referral=kind, referrer_consultant="zhangsan")
    assert_route(r, ("new", None), "S1.C8")


@pytest.mark.parametrize(
    ("answers", "walkin"),
    [
        ({"referral": "accompanied"}, ("returning", "zhangsan")),
        ({"referral": "accompanied", "refuses_original": True}, ("new", None)),
        ({"referral": "introduced"}, ("new", None)),
        pytest.param(
            {"referral": "named"},
            ("returning", "zhangsan"),
        ),
    ],
    ids=["accompanied", "accompanied-refusing", "alone-naming-nobody", "alone-naming-the-original"],
)
def test_s8_8_an_old_customer_s_new_one(answers: dict[str, Any], walkin: tuple[Route, str | None]) -> None:
    """S8.8: brought in person → the original consultant, unless he clearly asks otherwise;
    coming alone: naming the original → his; otherwise a new visitor by rotation."""
    assert_route(routed("s8", referrer_consultant="zhangsan", **answers), walkin, "S8.8")


@pytest.mark.parametrize(
    ("preset", "rule"),
    [("s16", "S16.14"), ("s18", "S18.8"), ("s18@v3", "S18.8")],
)
@pytest.mark.parametrize(
    ("kind", "walkin"),
    [("accompanied", ("returning", "zhangsan")), ("named", ("returning", "zhangsan")), ("introduced", ("new", None))],
)
def test_s16_14_s18_8_accompanied_or_named_is_the_original_s(
    preset: str, rule: str, kind: str, walkin: tuple[Route, str | None]
) -> None:
    """S16.14 裙带原则, S18.8 "老带新 → 原销售人员;老客户未指明接待人员则由当时值班业务员":
    accompanied, or the new one names him: the original consultant; introduced naming nobody: the
    rotation, on the preset's referral rule."""
    assert_route(routed(preset, referral=kind, referrer_consultant="zhangsan"), walkin, rule)


def test_a_referral_without_the_original_consultant_is_a_first_visit() -> None:
    """S16.14: a referral whose old customer has no consultant found: the rotation (S7.3)."""
    assert_route(routed("s16", referral="accompanied"), ("new", None), "S7.3")


# --------------------------------------------------------------------------- S18.23, S7.5, S7.4, S8.9


def test_s18_23_sent_by_staff_ignores_the_consultant_he_names() -> None:
    """S18.23 "发展商员工及销售部非销售执行人员原则上不准制定业务员": sent by staff, he may
    not pick: the duty consultant, whatever he names or has been told."""
    r = routed("s18", sent_by_staff=True, consultant="zhangsan", been_here=True, appointment=True)
    assert_route(r, ("sent_by_staff", None), "S18.23")


@pytest.mark.parametrize("purpose", ["deposit_only", "signing_only"])
@pytest.mark.parametrize("consultant", ["zhangsan", None])
def test_s7_5_here_only_to_pay_or_sign_is_deposit_only(purpose: str, consultant: str | None) -> None:
    """S7.5, S1.C11: only here to pay a deposit or sign: the deposit-only route, with his
    consultant if he has one (even one he booked with)."""
    r = routed("s7", purpose=purpose, consultant=consultant, appointment=consultant is not None)
    assert_route(r, ("deposit_only", consultant), "S7.5")


@pytest.mark.parametrize(("preset", "rule"), [("s7", "S7.4"), ("s16", "S7.4")])
def test_s7_4_an_appointment_is_the_appointment_route(preset: str, rule: str) -> None:
    """S7.4: he booked with 张三: the appointment route, to 张三, before "been here"."""
    assert_route(
        routed(preset, appointment=True, consultant="zhangsan", been_here=True), ("appointment", "zhangsan"), rule
    )


def test_s7_4_an_appointment_without_a_consultant_is_not_one() -> None:
    """S7.4 needs the consultant he booked: without one, a first visit."""
    assert_route(routed("s7", appointment=True), ("new", None), "S7.3")


@pytest.mark.parametrize(("preset", "rule"), [("s8", "S8.9"), ("s16", "S16.13"), ("s18", "S18.25")])
def test_s8_9_a_refused_consultant_is_the_refused_route(preset: str, rule: str) -> None:
    """S8.9 (and each preset's refusal rule): refused after the manager's review: the refused
    route naming him, before every other answer."""
    r = routed(preset, refused="zhangsan", been_here=True, consultant="zhangsan", sent_by_staff=True)
    assert_route(r, ("refused", "zhangsan"), rule)


# --------------------------------------------------------------------------- then the rotation


def test_s18_8_the_routed_referral_is_received_by_the_original_not_a_turn() -> None:
    """S18.8 then the rotation: the new one names the old customer's 张三 (third in the
    queue): 张三 receives, not a turn; the queue is as it was."""
    d = desk("s18", "lisi", "zhouqi", "zhangsan")
    r = route(d.policy, Answers(referral="named", referrer_consultant="zhangsan"))
    a = d.next(r.walkin.route, r.walkin.named)
    assert (a.consultant, a.counted, a.route) == ("zhangsan", False, "returning")
    assert d.order() == ["lisi", "zhouqi", "zhangsan"]


def test_s18_8_an_introduced_referral_goes_to_the_duty_consultant_counted() -> None:
    """S18.8 "老客户未指明接待人员则由当时值班业务员": introduced, naming nobody: the first
    ready, counted one."""
    d = desk("s18", "lisi", "zhouqi", "zhangsan")
    r = route(d.policy, Answers(referral="introduced", referrer_consultant="zhangsan"))
    a = d.next(r.walkin.route, r.walkin.named)
    assert (a.consultant, a.counted) == ("lisi", True)


# --------------------------------------------------------------------------- S1.C1, S1.C5: the rotation decides


def _registered(d: Any, consultant: str, phone: str, name: str, **extra: Any) -> None:
    d.tick()
    customer = {"name": name, "gender": "M", "phone": phone, "intent": "三居"}
    data = {"kind": "registration", "id": f"reg-{phone[-4:]}-{consultant}", "at": d.now.isoformat(), "mode": "visit"}
    d.record(fact_from_dict(data | {"consultant": consultant, "customer": customer, **extra}))


def _deal(d: Any, phone: str, closer: str) -> str:
    d.tick(60)
    deal_id = f"deal-{phone[-4:]}"
    d.record(
        fact_from_dict(
            {
                "kind": "deal",
                "id": deal_id,
                "at": d.now.isoformat(),
                "type": "signing",
                "phone": phone,
                "closer": closer,
            }
        )
    )
    return deal_id


def test_s1_c1_a_friend_two_old_groups_bring_is_the_rotations_and_his_receivers() -> None:
    """S1.C1: the old groups of 张三 and 李四 bring a friend together: the desk routes him as a
    first visit (S1.C8), the rotation gives him to the first ready, 周七, who registers and closes
    him: the friend and the whole deal are 周七's; the old groups stay with their consultants."""
    d = desk("s1", "zhouqi", "zhangsan", "lisi")
    _registered(d, "zhangsan", "+8613800000001", "王建国")
    _registered(d, "lisi", "+8613800000002", "李梅")
    r = routed("s1", referral="accompanied", referrer_consultant="zhangsan")
    a = d.next(r.walkin.route, r.walkin.named)
    assert (a.consultant, a.counted) == ("zhouqi", True)
    _registered(d, a.consultant, "+8613800000003", "李明", referred_by="+8613800000001")
    deal = _deal(d, "+8613800000003", "zhouqi")
    att = d.engine.attribution()
    owners = {p: att.verdict_for(p).owner.id for p in ("+8613800000001", "+8613800000002", "+8613800000003")}  # type: ignore[union-attr]
    assert owners == {"+8613800000001": "zhangsan", "+8613800000002": "lisi", "+8613800000003": "zhouqi"}
    assert next(dict(s.shares) for s in att.splits if s.deal == deal) == {"zhouqi": Decimal(1)}


def test_s1_c5_not_found_on_the_spot_the_rotations_receiver_wins_after_the_deal() -> None:
    """S1.C5: 张三's customer of long ago returns, nobody recognises him and the clerk's search on
    the spot finds nothing: a first visit, the rotation gives him to 李四, who registers him (the
    search noted) and closes: when the old registration turns up, the second registrant wins."""
    d = desk("s1", "lisi", "zhouqi")
    _registered(d, "zhangsan", "+8613800000001", "王建国")
    d.tick(60 * 24 * 90)
    d.sign_in("lisi", "zhouqi")  # a new day's queue
    r = routed("s1", been_here=False)
    a = d.next(r.walkin.route, r.walkin.named)
    assert a.consultant == "lisi"
    _registered(d, "lisi", "+8613800000001", "王建国", onsite_search="not_found")
    deal = _deal(d, "+8613800000001", "lisi")
    att = d.engine.attribution()
    assert att.verdict_for("+8613800000001").owner.id == "lisi"  # type: ignore[union-attr]
    assert next(dict(s.shares) for s in att.splits if s.deal == deal) == {"lisi": Decimal(1)}
