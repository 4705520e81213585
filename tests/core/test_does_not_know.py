"""The answer "does not know / does not recognise his consultant" recorded at reception
(issue 18): ``answers.knows_consultant = false``, distinct from a question not asked (None).

S1.C6 and S4.7 turn on it in s1@v2 and s4@v2 (``naming.forgot_needs_answer``); S11.4 and S8.10
read it as their text says under every version.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from guishu.core.events import FactError, fact_from_dict
from guishu.core.policy_text import explain_policy
from guishu.policies import load_preset
from tests.builders import PHONE_A, Record, at, rules_of, split_of

ONE = Decimal(1)


def booked_caller() -> Record:
    """张三 took 王建国's call on 2 March and called back to book the visit (S1.C6's facts)."""
    r = Record()
    r.call("zhangsan", PHONE_A)
    r.later(days=1).follow_up("zhangsan", PHONE_A)
    r.later(days=1)
    return r


# --------------------------------------------------------------------------- the fact


def test_the_answer_is_read_and_kept() -> None:
    """The registration keeps the answer; a question not asked is None, not false."""
    asked = Record().visit("lisi", PHONE_A, knows_consultant=False)
    not_asked = Record().visit("lisi", PHONE_A)
    assert asked.answers.knows_consultant is False
    assert not_asked.answers.knows_consultant is None


def test_does_not_know_and_names_a_consultant_is_refused_naming_the_field() -> None:
    """A contradiction is a clear error, not a silent choice between the two answers."""
    data = {
        "kind": "registration",
        "id": "r1",
        "at": "2026-03-02T10:00:00+08:00",
        "mode": "visit",
        "consultant": "lisi",
        "customer": {"name": "王建国", "phone": "13800000001"},
        "answers": {"knows_consultant": False, "named_consultant": "zhangsan"},
    }
    with pytest.raises(FactError) as caught:
        fact_from_dict(data)
    assert caught.value.field == "answers"
    assert "knows_consultant" in caught.value.message and "为否却指名" in caught.value.message


# --------------------------------------------------------------------------- S1.C6 in s1@v2


def test_s1_c6_v2_a_visitor_who_does_not_remember_the_caller_is_the_visit_registrants() -> None:
    """S1.C6 (s1@v2): on the visit he does not remember 张三, who took his call; 李四 receives
    and registers him: the first visit registration wins, and the reason says why."""
    r = booked_caller()
    r.visit("lisi", PHONE_A, knows_consultant=False)
    deal = r.later(hours=2).deal(PHONE_A, "lisi")
    att = r.decide("s1@v2")
    v = att.verdict_for(PHONE_A)
    assert v is not None and v.owner.id == "lisi"
    assert ("S1.C6", "客户不记得来电接待的顾问,首次来访登记优先于来电登记,归来访登记人 李四") in {
        (x.rule, x.zh) for x in v.reasons
    }
    assert split_of(att, deal) == {"lisi": ONE}


@pytest.mark.parametrize(
    ("answers", "v1", "v2"),
    [
        ({}, "lisi", "zhangsan"),  # not asked: the first reception (S1.5, S1.C12)
        ({"named": "zhangsan"}, "lisi", "zhangsan"),  # he names the caller: on his behalf
        ({"knows_consultant": False}, "lisi", "lisi"),  # S1.C6 as written
    ],
    ids=["not-asked", "names-the-caller", "does-not-remember"],
)
def test_s1_c6_v2_only_a_recorded_does_not_remember_lets_the_visit_outrank_the_call(
    answers: dict[str, object], v1: str, v2: str
) -> None:
    """S1.C6: "客户来访不记得电话接听的置业顾问 ... 以第一来访登记为主". s1@v1 let every first
    visit outrank a call; s1@v2 only one whose registration records that he does not remember."""
    r = booked_caller()
    r.visit("lisi", PHONE_A, **answers)  # type: ignore[arg-type]
    assert r.owner("s1", PHONE_A) == v1
    assert r.owner("s1@v2", PHONE_A) == v2


def test_s1_c6_v2_a_visitor_naming_the_caller_is_received_on_his_behalf() -> None:
    """S1.C6, S1.5 (s1@v2): naming 张三 keeps him the first receiver; 李四's deal with him is
    张三's whole."""
    r = booked_caller()
    r.visit("lisi", PHONE_A, named="zhangsan")
    deal = r.later(hours=2).deal(PHONE_A, "lisi")
    att = r.decide("s1@v2")
    assert split_of(att, deal) == {"zhangsan": ONE}
    assert "S1.C6" not in rules_of(att, PHONE_A)


# --------------------------------------------------------------------------- S4.7 in s4@v2


@pytest.mark.parametrize("mode", ["visit", "call"])
@pytest.mark.parametrize(
    ("answers", "v1", "v2"),
    [
        ({"called_before": True}, "lisi", "zhangsan"),  # says he called; who, not asked
        ({"called_before": True, "knows_consultant": False}, "lisi", "lisi"),  # cannot remember
        ({"named": "zhangsan"}, "zhangsan", "zhangsan"),
    ],
    ids=["not-asked", "cannot-remember", "names-a"],
)
def test_s4_7_v2_cannot_remember_is_an_answer_not_a_silence(
    mode: str, answers: dict[str, object], v1: str, v2: str
) -> None:
    """S4.7: "如客户记不清楚是谁接电或接访过,则由当值业务员接待,该客户资源将被视为新客户".
    s4@v1 took a caller naming nobody as not remembering; s4@v2 needs the answer recorded."""
    r = Record()
    r.call("zhangsan", PHONE_A)
    r.later(days=20).register(mode, "lisi", PHONE_A, **answers)  # type: ignore[arg-type]
    assert r.owner("s4", PHONE_A) == v1
    assert r.owner("s4@v2", PHONE_A) == v2


def test_s4_7_v2_the_new_customer_reason_is_s4_7() -> None:
    r = Record()
    r.call("zhangsan", PHONE_A)
    r.later(days=20).visit("lisi", PHONE_A, knows_consultant=False)
    assert "S4.7" in rules_of(r.decide("s4@v2"), PHONE_A)


# --------------------------------------------------------------------------- S11.4, S8.10


@pytest.mark.parametrize(
    ("answers", "owner"),
    [({"knows_consultant": False}, "lisi"), ({"named": "zhangsan"}, "zhangsan")],
    ids=["does-not-recognise", "recognises-and-names"],
)
def test_s11_4_a_lapsed_customer_is_new_only_when_recognition_fails(answers: dict[str, object], owner: str) -> None:
    """S11.4: "超过有效期未追踪的客户到场后,客户与原销售人员不予辩认或辨认无果的情况下,视同为新
    客户,按正常轮序接待". 张三 last followed him up on 2 March; on 10 March (past 4 days) he
    comes back: not recognising 张三, he is 李四's; naming him, 张三's again (S11.2)."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.on(10, 10).visit("lisi", PHONE_A, first_visit=False, **answers)  # type: ignore[arg-type]
    assert r.owner("s11", PHONE_A, at=at(10, 11)) == owner


def test_s11_4_within_the_validity_not_recognising_changes_nothing() -> None:
    """S11.4: within the 4 days the original's follow-up has not lapsed: still 张三's."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.on(4, 10).visit("lisi", PHONE_A, first_visit=False, knows_consultant=False)
    assert r.owner("s11", PHONE_A, at=at(4, 11)) == "zhangsan"


@pytest.mark.parametrize("preset", ["s8", "s8@v2"])
def test_s8_10_a_returning_customer_who_forgot_is_filed_pending_and_claimed(preset: str) -> None:
    """S8.10: "客户第二次联系未找或忘记原销售代表,接待人员应在客户离开后认真填写待确认客户
    登记表": 李四 records that he does not know his consultant, files him pending; 张三 claims
    and the clerk verifies within 3 days: 张三's."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.on(4, 10).visit("lisi", PHONE_A, first_visit=False, knows_consultant=False)
    pending = r.later(hours=1).pending("lisi", PHONE_A)
    claim = r.on(5, 10).claim(pending, "zhangsan")
    r.later(hours=1).verify_claim(claim)
    assert r.verdict(preset, PHONE_A, at=at(4, 12)).state == "pending"
    assert r.owner(preset, PHONE_A, at=at(9)) == "zhangsan"


# --------------------------------------------------------------------------- policy show


def test_policy_show_states_what_counts_as_not_remembering() -> None:
    """S1.C6, S4.7: `policy show` says, per version, whether the answer must be recorded."""
    s1v1, s1v2, s4v1, s4v2 = ("\n".join(explain_policy(load_preset(k))) for k in ("s1", "s1@v2", "s4", "s4@v2"))
    assert "[S1.C6] 首次来访登记优先于他人的来电登记。" in s1v1
    assert (
        "[S1.C6] 登记记录客户不记得来电接待的顾问时,首次来访登记优先于他人的来电登记;"
        "客户指名来电顾问的为代接待,未询问的以第一招待为准。"
    ) in s1v2
    assert "[S4.7] 来电客户记不清接电人员的,由当值顾问接待,视为新客户(本版本:来访时未指名即视为记不清)。" in s4v1
    assert (
        "[S4.7] 来电客户记不清接电人员的,由当值顾问接待,视为新客户"
        "(须登记中记录客户回答“不记得”;未询问的以第一有效登记为准)。"
    ) in s4v2
