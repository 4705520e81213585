"""Events: the JSON Lines codec of every fact kind, and the errors that name the field."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from guishu.core.events import (
    FACT_TYPES,
    KINDS,
    Answers,
    ApiKeyIssued,
    ApiKeyRevoked,
    Appeal,
    Assistant,
    ChannelJoined,
    ChannelReport,
    Claim,
    ClaimVerified,
    CommissionRate,
    Companion,
    Complaint,
    Correction,
    Customer,
    Deal,
    DealRefunded,
    DeveloperNotice,
    Disclosed,
    DisputeRaised,
    Duty,
    Fact,
    FactError,
    FollowUp,
    GroupList,
    GroupListEntry,
    HandIn,
    Milestone,
    PaymentMilestone,
    PendingConfirmation,
    PolicyChanged,
    PreFiling,
    QualificationCheck,
    QueueFact,
    Reception,
    Registration,
    Relationship,
    Ruling,
    Signoff,
    Skipped,
    StaffJoined,
    StaffLeft,
    StatementApproved,
    StatementLine,
    UnitChanged,
    VisitConfirmation,
    dump_fact,
    parse_fact,
)

TZ = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 3, 2, 10, 0, tzinfo=TZ)
LATER = AT + timedelta(days=3, hours=2)
P1 = "+8613812345678"
P2 = "+8613912345678"


def _examples() -> list[Fact]:
    """One fact of every kind, with non-default values wherever a field has one."""
    return [
        StaffJoined(id="e1", at=AT, staff="zhangsan", name="张三", role="consultant", team="A"),
        StaffJoined(id="e1b", at=AT, staff="wangwu", name="王五", role="agent", channel="hx"),
        StaffLeft(id="e2", at=AT, staff="lisi"),
        ChannelJoined(id="e3", at=AT, channel="hx", name="华信"),
        Duty(id="e4", at=AT, staff="zhangsan", status="day_off", until=LATER),
        Registration(
            id="e5",
            at=AT,
            mode="visit",
            consultant="zhangsan",
            customer=Customer(
                name="王建国",
                gender="M",
                phone=P1,
                id_number="110101199001011234",
                intent="三居",
                source="朋友介绍",
                company="深圳市某某科技有限公司",
                contact_person="李经理",
            ),
            answers=Answers(
                first_visit=False,
                called_before=True,
                family_visited=True,
                named_consultant="lisi",
                sms_from="zhouqi",
                asked=True,
            ),
            companions=(Companion(name="王小明", phone=P2, relation="child"),),
            referred_by="+8613700000001",
            referrer_present=True,
            refuses_original=True,
            proxy=True,
            purpose="deposit_only",
            onsite_search="not_found",
            signed=False,
            reception_at=AT - timedelta(hours=1),
            handed_at=AT + timedelta(hours=8),
            entered_by="sunba",
        ),
        Registration(
            id="e5b",
            at=AT,
            mode="call",
            consultant="lisi",
            customer=Customer(name=None, phone=None, phone_raw="1381234"),
        ),
        FollowUp(
            id="e6",
            at=AT,
            phone=P1,
            consultant="zhangsan",
            channel="hx",
            report="e7",
            method="wechat",
            note="约周末看房",
        ),
        ChannelReport(id="e7", at=AT, channel="hx", agent="wangwu", name="王建国", gender="M", phone="1381**45678"),
        ChannelReport(id="e7b", at=AT, channel="jy", agent="chenshi", phone=P1),
        GroupList(
            id="e8",
            at=AT,
            channel="hx",
            agent="wangwu",
            entries=(GroupListEntry(name="甲", phone=P1), GroupListEntry(name="乙", phone=P2)),
        ),
        VisitConfirmation(
            id="e9",
            at=AT,
            name="王建国",
            gender="M",
            phone=P1,
            phone_shown="1381**45678",
            entry_at=AT,
            channel="hx",
            agent="wangwu",
            signoffs=(
                Signoff(role="agent", staff="wangwu"),
                Signoff(role="clerk", staff="sunba"),
                Signoff(role="marketing_manager", staff="qianjiu"),
            ),
            came_alone=True,
            named_channel="hx",
            contact_records_verified=True,
        ),
        PendingConfirmation(id="e10", at=AT, phone=P1, consultant="lisi"),
        Claim(id="e11", at=AT, pending="e10", consultant="zhangsan", verified=True),
        ClaimVerified(id="e11v", at=AT, pending="e10", claim="e11", by="sunba", approved=False),
        DisputeRaised(id="e12", at=AT, phone=P1, consultant="lisi", against="zhangsan", note="查询单"),
        Complaint(
            id="e13", at=AT, phone=P1, against="zhangsan", type="refusal", approved_by="zhaoliu", fine=Decimal("300.00")
        ),
        Ruling(
            id="e14",
            at=AT,
            phone=P1,
            owner="lisi",
            by="zhaoliu",
            rule="S18.15",
            reason="经理裁定",
            stealing_by="zhouqi",
        ),
        Ruling(id="e14b", at=AT, phone=P1, owner=None, by="zhaoliu", rule="S16.3", reason="转为公共资源"),
        Appeal(id="e15", at=AT, phone=P1, appellant="lisi", outcome="overturned", responsible=("zhaoliu",)),
        HandIn(
            id="e16",
            at=AT,
            consultant="zhangsan",
            customer_no="C0001",
            name="王建国",
            company="深圳市某某科技有限公司",
            contact_person="李经理",
            phone=P1,
            need="三居",
            signed_at=AT + timedelta(minutes=5),
            confirmer="sunba",
            signed_by_role="signing_room",
            amends="e0",
            members=(Companion(name="王太太", phone=P2, relation="spouse"),),
        ),
        PreFiling(id="e17", at=AT, consultant="zhangsan", phone=P1, name="王建国"),
        DeveloperNotice(id="e18", at=AT, phone=P1, name="王建国"),
        Milestone(id="e19", at=AT, name="launch"),
        Deal(
            id="e20",
            at=AT,
            type="signing",
            phone=P1,
            closer="lisi",
            closer_knew=True,
            assistants=(Assistant(staff="zhouqi", knew=True, substantial=True),),
            buyer_name="王建国",
            company="深圳市某某科技有限公司",
            group_purchase=True,
            unit="3-1201",
            amount=Decimal("1234567.89"),
            id_number="110101199003074258",
        ),
        DealRefunded(id="e29", at=LATER, phone=P1, deal="e20", by="zhaoliu", reason="贷款未批"),
        UnitChanged(id="e30", at=AT, phone=P1, deal="e20", unit="3-1202", amount=Decimal("1200000.00"), by="sunba"),
        PaymentMilestone(id="e31", at=AT, phone=P1, deal="e20", stage="down_payment", amount=Decimal("370000")),
        QualificationCheck(id="e32", at=AT, phone=P1, item="eligibility", passed=False, by="sunba", note="限购"),
        Relationship(id="e21", at=AT, phone_a=P1, phone_b=P2, relation="sibling"),
        PolicyChanged(id="e22", at=AT, policy="s14", effective_at=LATER),
        Correction(id="e23", at=AT, target="e5", by="zhaoliu", reason="录入错误"),
        Disclosed(id="e24", at=AT, staff="zhangsan", screen="mine", shown=("phone", "name"), phones=(P1, P2)),
        ApiKeyIssued(id="e25", at=AT, staff="wangwu", channel="hx", key="ab" * 32),
        ApiKeyRevoked(id="e26", at=AT, staff="wangwu", key="ab" * 32),
        QueueFact(id="e27", at=AT, action="sign_in", staff="zhangsan", confirmed="code"),
        Reception(
            id="e28",
            at=AT,
            consultant="lisi",
            route="new",
            counted=True,
            rule="S7.3",
            skipped=(Skipped(staff="zhangsan", reason="with_customer"),),
            eligible=("lisi",),
        ),
        CommissionRate(
            id="e29",
            at=AT,
            by="qianjiu",
            payee="channel",
            rate=Decimal("0.012"),
            valid_from=AT,
            valid_until=AT + timedelta(days=365),
            unit_type="住宅",
            channel="hx",
            contract="HX-2026-01",
        ),
        StatementApproved(
            id="e30",
            at=AT,
            by="qianjiu",
            month="2026-03",
            payee="zhangsan",
            as_of=AT,
            total=Decimal("4200.00"),
            lines=(
                StatementLine(key="f1/signing", amount=Decimal("4500.00")),
                StatementLine(key="fine/S1.4/f2", amount=Decimal("-300.00")),
            ),
        ),
    ]


def test_examples_cover_every_fact_kind() -> None:
    """core: the round-trip examples include one fact of every kind in FACT_TYPES."""
    # given the examples
    kinds = {f.kind for f in _examples()}
    # when / then every kind (and every type) is present
    assert kinds == set(KINDS)
    assert {type(f) for f in _examples()} == set(FACT_TYPES)


@pytest.mark.parametrize("item", _examples(), ids=lambda f: f"{f.kind}-{f.id}")
def test_dump_then_parse_gives_an_equal_fact(item: Fact) -> None:
    """core: dump_fact then parse_fact of any fact kind gives an equal object."""
    # given a fact
    # when dumped to a JSON line and parsed back
    line = json.dumps(dump_fact(item), ensure_ascii=False)
    back = parse_fact(line)
    # then it is the same fact, of the same type
    assert type(back) is type(item)
    assert back == item
    # and dumping again gives the same canonical dict
    assert dump_fact(back) == dump_fact(item)


@pytest.mark.parametrize("item", _examples(), ids=lambda f: f"{f.kind}-{f.id}")
def test_dump_is_plain_json_with_kind(item: Fact) -> None:
    """core: dump_fact gives a JSON-ready dict that always names its kind and id."""
    # given a fact
    # when dumped
    data = dump_fact(item)
    # then it is plain JSON (no Decimal/datetime objects) with kind and id
    assert json.loads(json.dumps(data)) == data
    assert data["kind"] == item.kind
    assert data["id"] == item.id


def test_parse_keeps_the_instant_of_an_aware_datetime() -> None:
    """core: a datetime written with another offset is the same instant after parsing."""
    # given a fact written in UTC
    line = json.dumps({"kind": "milestone", "id": "m1", "at": "2026-03-02T02:00:00Z", "name": "launch"})
    # when parsed
    item = parse_fact(line)
    # then it is 10:00 in Shanghai
    assert item.at == AT


def test_parse_normalises_phones() -> None:
    """core: phones in a JSON line are stored normalised (E.164)."""
    # given a follow-up with a phone written with spaces and 0086
    line = json.dumps(
        {"kind": "follow_up", "id": "u1", "at": "2026-03-02T10:00:00+08:00", "phone": "0086 138 1234 5678"}
    )
    # when parsed
    item = parse_fact(line)
    # then the phone is E.164
    assert item.phone == P1


def _line(**data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


BASE_AT = "2026-03-02T10:00:00+08:00"


@pytest.mark.parametrize(
    ("line", "field"),
    [
        # naive datetimes
        (_line(kind="milestone", id="x", at="2026-03-02T10:00:00", name="launch"), "at"),
        (
            _line(kind="duty", id="x", at=BASE_AT, staff="zhangsan", status="day_off", until="2026-03-03T10:00:00"),
            "until",
        ),
        (_line(kind="handin", id="x", at=BASE_AT, consultant="zhangsan", signed_at="2026-03-02T10:05:00"), "signed_at"),
        # unknown fields, top level and nested
        (_line(kind="staff_left", id="x", at=BASE_AT, staff="lisi", bogus=1), "bogus"),
        (
            _line(
                kind="registration",
                id="x",
                at=BASE_AT,
                mode="visit",
                consultant="zhangsan",
                customer={"phone": P1, "bogus": "x"},
            ),
            "customer.bogus",
        ),
        # unknown or missing kind
        (_line(kind="nope", id="x", at=BASE_AT), "kind"),
        (_line(id="x", at=BASE_AT), "kind"),
        # bad phones, top level and nested
        (_line(kind="pending_confirmation", id="x", at=BASE_AT, phone="12345", consultant="lisi"), "phone"),
        (
            _line(
                kind="registration",
                id="x",
                at=BASE_AT,
                mode="visit",
                consultant="zhangsan",
                customer={"phone": "1381234"},
            ),
            "customer.phone",
        ),
        (
            _line(
                kind="handin",
                id="x",
                at=BASE_AT,
                consultant="zhangsan",
                members=[{"phone": "999", "relation": "spouse"}],
            ),
            "members.0.phone",
        ),
        (_line(kind="deal", id="x", at=BASE_AT, type="deposit", phone="138****5678", closer="lisi"), "phone"),
        # bad masks in a channel report
        (_line(kind="report", id="x", at=BASE_AT, channel="hx", agent="wangwu", phone="13****5678"), "phone"),
        (_line(kind="report", id="x", at=BASE_AT, channel="hx", agent="wangwu", phone="238****5678"), "phone"),
        # missing required fields
        (_line(kind="deal", id="x", at=BASE_AT, type="deposit", phone=P1), "closer"),
        (_line(kind="claim", at=BASE_AT, pending="p", consultant="lisi"), "id"),
        (_line(kind="claim", id="x", pending="p", consultant="lisi"), "at"),
        (_line(kind="correction", id="x", at=BASE_AT, target="e1", by="zhaoliu"), "reason"),
        # wrong types and values
        (_line(kind="registration", id="x", at=BASE_AT, mode="visit", consultant=123, customer={}), "consultant"),
        (
            _line(kind="registration", id="x", at=BASE_AT, mode="visit", consultant="z", customer={}, signed="maybe"),
            "signed",
        ),
        (_line(kind="registration", id="x", at=BASE_AT, mode="fax", consultant="z", customer={}), "mode"),
        (_line(kind="deal", id="x", at=BASE_AT, type="deposit", phone=P1, closer="z", amount="abc"), "amount"),
        (_line(kind="deal", id="x", at=BASE_AT, type="deposit", phone=P1, closer="z", amount="-5"), "amount"),
        (_line(kind="relationship", id="x", at=BASE_AT, phone_a=P1, phone_b=P2, relation="cousin"), "relation"),
        (_line(kind="correction", id="x", at=BASE_AT, target="e1", by="zhaoliu", reason=""), "reason"),
    ],
)
def test_fact_error_names_the_field(line: str, field: str) -> None:
    """core: a fact that cannot be read raises FactError naming the offending field (naive
    datetime, unknown field, unknown kind, bad phone, bad mask, missing field, wrong type)."""
    # given a bad JSON line
    # when parsed
    with pytest.raises(FactError) as info:
        parse_fact(line)
    # then the error names the field and says what is wrong
    assert info.value.field == field
    assert info.value.message
    assert str(info.value).startswith(f"{field}: ")


def test_fact_error_message_is_bilingual_for_a_naive_datetime() -> None:
    """core: the FactError of a naive datetime says, in Chinese and English, that a time zone
    is needed."""
    # given a naive time
    line = _line(kind="milestone", id="x", at="2026-03-02T10:00:00", name="launch")
    # when parsed
    with pytest.raises(FactError) as info:
        parse_fact(line)
    # then both languages explain it
    assert "时区" in info.value.message
    assert "timezone" in info.value.message.lower()


def test_fact_error_is_a_value_error() -> None:
    """core: FactError is a ValueError, so callers can catch bad input generically."""
    # given a line that is not JSON
    # when / then
    with pytest.raises(ValueError, match=r"\S"):
        parse_fact("{not json")
