"""The S10 preset (XX案场客户确认制度): first contact decides, team fallback."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import PHONE_A, Record, at, invalid_rules, rules_of

S10 = "s10"


# --------------------------------------------------------------------------- S10.2


def test_first_visit_without_contact_goes_to_the_receiver() -> None:
    """S10.2: first visit, no earlier contact -> the consultant first in line who received him."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A, first_visit=True, called_before=False, asked=True)
    # when
    att = r.decide(S10)
    # then
    v = att.verdict_for(PHONE_A)
    assert v is not None
    assert v.owner.id == "zhangsan"
    assert v.state == "owned"


def test_customer_names_consultant_who_called_him() -> None:
    """S10.2: he called before and names that consultant -> that consultant, not the receiver."""
    # given: 李四 took his call; 张三, first in line, receives the visit
    r = Record()
    r.call("lisi", PHONE_A)
    r.later(days=3).visit("zhangsan", PHONE_A, first_visit=True, called_before=True, named="lisi")
    # then
    assert r.owner(S10, PHONE_A) == "lisi"


def test_customer_names_consultant_who_sent_an_sms() -> None:
    """S10.2: he has an SMS from a consultant on record and names him -> that consultant."""
    # given: 李四's SMS to the customer is in the system
    r = Record()
    r.follow_up("lisi", PHONE_A, method="sms")
    r.later(days=1).visit("zhangsan", PHONE_A, first_visit=True, named="lisi")
    # when
    att = r.decide(S10)
    # then
    assert r.owner(S10, PHONE_A) == "lisi"
    assert "S10.2" in rules_of(att, PHONE_A)


# --------------------------------------------------------------------------- S10.6


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": None}, "customer.name"),
        ({"phone": None}, "customer.phone"),
        ({"intent": None}, "customer.intent"),
        ({"source": None}, "customer.source"),
        ({"signed": False}, "signed"),
    ],
    ids=["no-name", "no-phone", "no-intent", "no-source", "no-signature"],
)
def test_visit_registration_needs_every_field(changes: dict[str, Any], field: str) -> None:
    """S10.6: a first-visit register missing name, phone, intent, source or signature is invalid."""
    # given: 张三's register misses one item; 李四 registers him fully the next day
    r = Record()
    kw: dict[str, Any] = {"name": "王建国", "phone": PHONE_A} | changes
    phone = kw.pop("phone")
    bad = r.visit("zhangsan", phone, **kw)
    r.later(days=1).visit("lisi", PHONE_A)
    # when
    att = r.decide(S10)
    # then
    invalid = {i.fact: i for i in att.invalid}
    assert invalid[bad.id].rule == "S10.6"
    assert field in invalid[bad.id].fields
    assert r.owner(S10, PHONE_A) == "lisi"


def test_wrong_phone_that_cannot_reach_him_is_invalid() -> None:
    """S10.6: a wrong number (cannot reach the customer himself) makes the register invalid."""
    # given
    r = Record()
    bad = r.visit("zhangsan", None, phone_raw="1380000")
    # when
    att = r.decide(S10)
    # then
    assert invalid_rules(att)[bad.id] == "S10.6"


def test_complete_visit_registration_is_first_confirmation() -> None:
    """S10.6: a complete register with no prior contact is the first confirmation."""
    # given
    r = Record()
    reg = r.visit("zhangsan", PHONE_A, first_visit=True, called_before=False)
    # when
    att = r.decide(S10)
    # then
    assert reg.id not in invalid_rules(att)
    assert r.owner(S10, PHONE_A) == "zhangsan"


# --------------------------------------------------------------------------- S10.7, S10.1


def test_first_contact_by_call_wins_over_later_visit() -> None:
    """S10.7: the first contact decides: a call registration first wins over a later visit."""
    # given
    r = Record()
    r.call("lisi", PHONE_A)
    # when: on his visit he does not mention the call
    r.later(days=2).visit("zhangsan", PHONE_A)
    att = r.decide(S10)
    # then
    v = att.verdict_for(PHONE_A)
    assert v is not None
    assert v.owner.id == "lisi"
    assert "S10.7" in rules_of(att, PHONE_A)


def test_entered_call_counts_as_contact() -> None:
    """S10.1: a call entered into the system is a contact: it makes its consultant the owner."""
    # given
    r = Record()
    r.call("zhouqi", PHONE_A, intent=None, source=None)
    # when
    v = r.verdict(S10, PHONE_A)
    # then
    assert v.owner.id == "zhouqi"
    assert v.state == "owned"


# --------------------------------------------------------------------------- S10.8


@pytest.mark.parametrize(
    ("status", "receiver"),
    [("out", "lisi"), ("busy", "lisi"), ("out", "zhouqi")],
    ids=["A-out-own-team", "A-showing-own-team", "A-team-busy-other-team"],
)
def test_customer_asks_for_absent_consultant(status: str, receiver: str) -> None:
    """S10.8: he asks for A while A is away: B (A's team, else another) receives; A keeps him."""
    # given: 张三 (team A) registered him; today 张三 is away
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=3).duty("zhangsan", status)
    # when
    r.later(minutes=30).visit(receiver, PHONE_A, first_visit=False, named="zhangsan")
    att = r.decide(S10)
    # then
    v = att.verdict_for(PHONE_A)
    assert v is not None
    assert v.owner.id == "zhangsan"
    assert "S10.8" in rules_of(att, PHONE_A)
    assert att.collisions == []


# --------------------------------------------------------------------------- S10.8 in s10@v2


def _stand_in(receiver: str, *, away: tuple[str, ...] = ("zhangsan",), preset: str = "s10@v2") -> list[str]:
    """张三 (team A) registered 王建国; on 5 March those in ``away`` are out till noon; at 10:00
    the customer asks for 张三 and ``receiver`` receives him. The S10.8 reasons' Chinese."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.on(5, 9)
    for who in away:
        r.duty(who, "out", until=at(5, 12))
    r.on(5, 10).visit(receiver, PHONE_A, first_visit=False, named="zhangsan")
    v = r.verdict(preset, PHONE_A)
    assert v.owner.id == "zhangsan"  # S10.8: whoever stands in, the customer stays A's
    return [x.zh for x in v.reasons if x.rule == "S10.8"]


def test_s10_8_v2_his_own_team_stands_in() -> None:
    """S10.8: "A 不在 → A 组内顺延 (B)": 李四 of 张三's team receives."""
    assert _stand_in("lisi") == ["李四 代为接待 张三 的客户(外出),归属不变;由 张三 同组顺延接待"]


def test_s10_8_v2_another_team_when_his_whole_team_is_away_hands_him_back() -> None:
    """S10.8: "A 组全忙 → 其他组 (C) … C 交回": 李四 is out too; 周七 of team B receives."""
    assert _stand_in("zhouqi", away=("zhangsan", "lisi")) == [
        "周七 代为接待 张三 的客户(外出),归属不变;张三 全组忙,由另一组接待,待其本人或同组空闲后交回"
    ]


def test_s10_8_v2_another_team_while_his_team_is_free_says_the_order_was_not_kept() -> None:
    """S10.8: 李四 of 张三's team was free; 周七 of team B received: still 张三's, and said."""
    assert _stand_in("zhouqi") == [
        "周七 代为接待 张三 的客户(外出),归属不变;张三 组内尚有空闲的 李四,应先由同组顺延接待"
    ]


def test_s10_8_v1_read_no_team() -> None:
    assert _stand_in("zhouqi", preset="s10") == ["周七 代为接待 张三 的客户(外出),归属不变"]


@pytest.mark.parametrize(("preset", "collided"), [("s10", False), ("s10@v2", True)])
def test_s10_8_v2_the_stand_in_ends_when_he_is_back(preset: str, collided: bool) -> None:
    """S10.8: "A 或 A 组空闲后,C 交回": 张三 is out till noon; at 14:00 周七 receives the customer
    naming 张三 again. s10@v2: no longer a stand-in but a registration of another's customer
    (a collision; the first contact decides, S10.7); s10@v1 took it as a stand-in."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.on(5, 9).duty("zhangsan", "out", until=at(5, 12))
    r.on(5, 14).visit("zhouqi", PHONE_A, first_visit=False, named="zhangsan")
    att = r.decide(preset)
    assert r.owner(preset, PHONE_A) == "zhangsan"
    assert [(c.other, c.knowing) for c in att.collisions] == ([("zhouqi", True)] if collided else [])


def test_policy_show_states_the_team_order() -> None:
    """S10.8: `policy show s10@v2` states the team order and the hand-back; v1 does not."""
    from guishu.core.policy_text import explain_policy
    from guishu.policies import load_preset

    v1, v2 = ("\n".join(explain_policy(load_preset(k))) for k in ("s10", "s10@v2"))
    line = "[S10.8] 原顾问不在或带看时由其同组顺延接待,同组全忙再由其他组接待,客户仍归原顾问,待其本人或同组空闲后交回。"
    assert line in v2 and line not in v1
    assert "[S10.8] 客户指名原顾问时,仅当原顾问在记录中为忙碌或不在,接待人方为代为接待;否则接待人明知是他人客户。" in v2
