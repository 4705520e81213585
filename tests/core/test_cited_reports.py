"""Which report a visit confirmation answers (issue 18): ``visit_confirmation.report`` cites the
channel report it confirms. S6.7: "报备与来访信息不一致者视为无效" — where the confirmation's details
and that report's disagree, the confirmation is invalid with the disagreement named, not a visit
"never reported" (S6.2). s6@v2 also finds the confirming channel's live report under the
visitor's name when no fact is cited and the phone does not fit it.

王五 of channel 华夏 (hx) reports 王建国 (PHONE_A, male) on 2 March; he visits on 4 March.
"""

from __future__ import annotations

from typing import Any

import pytest

from guishu.core.verdict import Attribution
from tests.builders import PHONE_A, PHONE_B, Record, at

MASK_A = "1380**00001"  # PHONE_A as S6.1 reports it


def invalid_of(att: Attribution, fact_id: str) -> tuple[str, str, tuple[str, ...]] | None:
    for i in att.invalid:
        if i.fact == fact_id:
            return i.rule, i.zh, i.fields
    return None


def owner_kind(att: Attribution, phone: str) -> tuple[str, str | None]:
    v = att.verdict_for(phone)
    assert v is not None
    return v.owner.kind, v.owner.id if v.owner.kind != "pool" else None


@pytest.mark.parametrize("preset", ["s6", "s6@v2"])
def test_s6_7_a_confirmation_citing_its_agreeing_report_is_the_channels(preset: str) -> None:
    """S6.7: details agree with the cited report, three sign-offs: the channel's for 30 days."""
    r = Record()
    rep = r.report(MASK_A)
    c = r.on(4, 10).confirm_visit(PHONE_A, report=rep.id)
    att = r.decide(preset)
    assert invalid_of(att, c.id) is None
    assert owner_kind(att, PHONE_A) == ("channel", "hx")


@pytest.mark.parametrize(
    ("confirm", "fields", "named"),
    [
        ({"name": "王建军"}, ("name",), "姓名(报备 王建国,确认单 王建军)"),
        ({"gender": "F"}, ("gender",), "性别(报备 男,确认单 女)"),
        ({"phone": PHONE_B}, ("phone",), "手机号(报备 1380**00001,确认单 "),
        (
            {"name": "王建军", "gender": "F"},
            ("name", "gender"),
            "姓名(报备 王建国,确认单 王建军)、性别(报备 男,确认单 女)",
        ),
        ({"channel": "jy", "agent": "chenshi"}, ("channel",), "渠道(报备 hx,确认单 jy)"),
    ],
    ids=["name", "gender", "phone", "name-and-gender", "another-channel"],
)
def test_s6_7_a_confirmation_that_disagrees_with_its_cited_report_is_invalid_naming_the_field(
    confirm: dict[str, Any], fields: tuple[str, ...], named: str
) -> None:
    """S6.7: the confirmation cites 王五's report, but a detail differs: invalid, the detail named,
    and the customer is not the channel's (a public customer under S6)."""
    r = Record()
    rep = r.report(MASK_A)
    phone = confirm.pop("phone", PHONE_A)
    c = r.on(4, 10).confirm_visit(phone, report=rep.id, **confirm)
    att = r.decide("s6")
    found = invalid_of(att, c.id)
    assert found is not None
    rule, zh, got_fields = found
    assert rule == "S6.7"
    assert got_fields == fields
    assert zh.startswith("报备信息与来访确认信息不一致,视为无效: ") and named in zh
    assert owner_kind(att, phone) == ("pool", None)


def test_s6_7_before_the_citation_the_same_phone_mistake_read_as_never_reported() -> None:
    """S6.2 vs S6.7: the same visit without a citation (v1) reads as an unreported visit."""
    r = Record()
    r.report(MASK_A)
    c = r.on(4, 10).confirm_visit(PHONE_B)
    att = r.decide("s6")
    assert invalid_of(att, c.id) is None
    v = att.verdict_for(PHONE_B)
    assert v is not None and "S6.2" in {x.rule for x in v.reasons}


def test_s6_7_v2_the_channels_report_under_that_name_with_another_phone_is_a_disagreement() -> None:
    """S6.7 (s6@v2): no report is cited, but 华夏 holds a live report of 王建国 whose phone the
    visitor's does not fit: the confirmation is invalid, the phone named; s6@v1 said S6.2."""
    r = Record()
    rep = r.report(MASK_A)
    c = r.on(4, 10).confirm_visit(PHONE_B)
    v1, v2 = r.decide("s6"), r.decide("s6@v2")
    assert invalid_of(v1, c.id) is None
    found = invalid_of(v2, c.id)
    assert found is not None and found[0] == "S6.7" and found[2] == ("phone",)
    assert "手机号(报备 1380**00001" in found[1]
    verdict = v2.verdict_for(PHONE_B)
    assert verdict is not None
    assert any(x.rule == "S6.7" and rep.id in x.facts for x in verdict.reasons)
    assert owner_kind(v1, PHONE_B) == owner_kind(v2, PHONE_B) == ("pool", None)


def test_s6_7_v2_another_channels_report_under_that_name_is_not_a_disagreement() -> None:
    """S6.7 (s6@v2): only the confirming channel's own reports are its details."""
    r = Record()
    r.report(MASK_A, channel="jy", agent="chenshi")
    c = r.on(4, 10).confirm_visit(PHONE_B)
    assert invalid_of(r.decide("s6@v2"), c.id) is None


def test_s6_7_a_citation_of_a_report_never_received_is_invalid() -> None:
    r = Record()
    c = r.on(4, 10).confirm_visit(PHONE_A, report="no-such-report")
    found = invalid_of(r.decide("s6"), c.id)
    assert found == ("S6.7", "确认单所引报备 no-such-report 本案场未收到,视为无效", ("report",))


def test_s6_7_a_citation_of_a_report_that_claimed_nothing_says_so() -> None:
    """S6.2: a report made after the customer's first visit claims nothing; a confirmation
    citing it is invalid, and says why the report was not taken."""
    r = Record()
    r.confirm_visit(PHONE_A, channel=None, agent=None, signoffs=())  # he came first on his own
    rep = r.on(3, 10).report(MASK_A)
    c = r.on(4, 10).confirm_visit(PHONE_A, report=rep.id)
    found = invalid_of(r.decide("s6"), c.id)
    assert found is not None and found[2] == ("report",)
    assert "未被受理(该客户已是案场登记客户,报备无效 (S6.2))" in found[1]


@pytest.mark.parametrize(("day", "hour", "rule"), [(9, 9, "S6.7"), (9, 10, "S6.3")], ids=["still-live", "lapsed"])
def test_s6_3_a_citation_of_a_lapsed_report_says_it_lapsed(day: int, hour: int, rule: str) -> None:
    """S6.3: the report (2 March 10:00) is valid 7 days; a visit on 9 March at 10:00 finds it
    lapsed, and the reason says so rather than "never reported"."""
    r = Record()
    rep = r.on(2, 10).report(MASK_A)
    c = r.on(day, hour).confirm_visit(PHONE_A, report=rep.id)
    att = r.decide("s6", at=at(day, hour, 1))
    v = att.verdict_for(PHONE_A)
    assert v is not None
    reasons = {x.rule: x.zh for x in v.reasons}
    assert rule in reasons
    if rule == "S6.3":
        assert reasons["S6.3"] == "所引报备已于 03-09 10:00 失效,来访时无有效报备,客户归公共资源"
        assert owner_kind(att, PHONE_A) == ("pool", None)
    else:
        assert owner_kind(att, PHONE_A) == ("channel", "hx")
    assert invalid_of(att, c.id) is None


def test_policy_show_states_what_a_confirmation_is_held_to() -> None:
    """S6.7: `policy show` says, per version, which report a confirmation must agree with."""
    from guishu.core.policy_text import explain_policy
    from guishu.policies import load_preset

    v1, v2 = ("\n".join(explain_policy(load_preset(k))) for k in ("s6", "s6@v2"))
    assert "[S6.7] 确认单与其所引报备信息不一致的,确认无效并写明不一致之处(本版本:未引报备时只按全号码匹配)。" in v1
    assert (
        "[S6.7] 确认单与其所引报备(或确认渠道在该客户姓名下的有效报备)信息不一致的,确认无效并写明不一致之处。"
    ) in v2
