"""Robustness of the engine over schema-valid but adversarial records.

Random records of every fact kind in docs/events.md, built from JSON-shaped dicts through
``fact_from_dict`` (so each one is a line the CLI would accept), alone or in short scenes about
one customer (a report then his visit, a registration then hand-ins, a deal then a dispute, a
ruling and an appeal ...): a small pool of phones (written with +86/0086, spaces, dashes,
full-width digits; two share their last five digits; one is a landline), names, staff and
channels so that facts collide; staff ids nobody declared and roles changed by a second
``staff_joined``; masked phones in every form, accepted or not; odd sign-offs and odd phones on
visit confirmations; references (claims, amendments, corrections, a channel's follow-up of a
report) to facts of the wrong kind, to later facts, to themselves or to nothing; policy changes
to presets and to unknown policies; times that repeat or go backwards (late facts), written in
several UTC offsets, and rarely a mistyped year at the edge of those a record holds. Whatever the
record, the engine must answer: no exception, each phone in exactly one verdict, every split
summing to exactly 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guishu.core.attribution import Attributor, decide
from guishu.core.events import (
    KINDS,
    Fact,
    FactError,
    HandIn,
    Registration,
    Relation,
    Role,
    fact_from_dict,
)
from guishu.core.identity import normalise_phone, parse_masked_phone
from guishu.core.qualification import CHECK_ITEMS
from guishu.core.verdict import Attribution
from guishu.policies import catalogue_ids, load_preset, presets
from tests.builders import customer_phones

START = datetime(2026, 3, 2, 10, 0, tzinfo=timezone(timedelta(hours=8)))  # a Monday, site time
LATER = timedelta(days=40)

# The same instant is written in the site's offset, in UTC (as the service stores it), and in
# offsets whose midnights fall inside the site's hours.
OFFSETS = (
    timezone(timedelta(hours=8)),
    UTC,
    timezone(timedelta(hours=-5)),
    timezone(timedelta(hours=5, minutes=45)),
    timezone(timedelta(hours=-9, minutes=-30)),
)

# Moments at the edges of the years the codec accepts (a mistyped year: 1900-2999), for the times a
# fact carries besides its own ``at``: until, entry_at, signed_at, effective_at, reception_at, handed_at.
FAR = ("2999-12-31T23:59:00+08:00", "2999-12-31T23:59:00-12:00", "1900-01-01T00:30:00+08:00")
# and beyond them, which the codec refuses (the calendar arithmetic of deadlines would overflow)
BEYOND = ("9999-12-31T23:59:00+08:00", "9999-12-31T23:59:00-12:00", "0001-01-01T00:30:00+08:00")

# Each customer: his stored phone and the ways it is written. +8613800000001 and +8613900000001
# share their last five digits (one masked report fits both); +861012345678 is a Beijing landline.
PHONE_FORMS: dict[str, tuple[str, ...]] = {
    "+8613800000001": (
        "+8613800000001",
        "138 0000 0001",
        "0086-138-0000-0001",
        "１３８００００００01",
        "(138)0000-0001",
    ),
    "+8613900000001": ("13900000001", "+86 139.0000.0001", "86 139 0000 0001"),
    "+8613800000002": ("13800000002", "+86 138-0000-0002"),
    "+8615912345678": ("15912345678", "１５９ １２３４ ５６７８"),
    "+861012345678": ("010-12345678", "+861012345678", "0086 10 1234 5678"),
    # customers a channel brings, new to the site (mostly)
    "+8613700000001": ("13700000001", "137-0000-0001"),
    "+8618612340002": ("18612340002", "+86 186 1234 0002"),
}
PHONES = tuple(PHONE_FORMS)
BROUGHT = PHONES[-2:]
MOBILES = tuple(p for p in PHONES if p[3] == "1" and len(p) == 14)


def _masks(phone: str) -> tuple[str, ...]:
    d = phone[3:]
    return (
        f"{d[:3]}****{d[-4:]}",  # first 3 / last 4
        f"{d[:4]}**{d[-5:]}",  # first 4 / last 5 (S6.1), the form every preset accepts
        f"{d[:4]}***{d[-5:]}",  # one star too many
        f"{d[:3]}***{d[-5:]}",
        f"{d[:4]}****{d[-4:]}",
        f"+86 {d[:3]}xxxx{d[-4:]}",
        f"{d[:3]}××××{d[-4:]}",
        f"{d[:3]}＊＊＊＊{d[-4:]}",
        f"{d[:3]} **** {d[-4:]}",
    )


MASKS = (*(m for p in MOBILES for m in _masks(p)), "159****0000", "1380**99999")  # the last two fit no one
# What a clerk may write in the free "phone_shown" field of a visit confirmation.
SHOWN = ("13800000001", "", "无", "x", "12**3", "**", "138****", "xiaowang", "1381**00001**", "159****0000")

NAMES = ("王建国", "王先生", "王 建国", "李梅", "李女士", "欧阳娜娜", "曾国藩", "先生", "Wang Jianguo", "ｘ", "王")
# Most facts about a customer give his own name and gender, so that reports and visits match.
CUSTOMERS: dict[str, tuple[str, str]] = {
    "+8613800000001": ("王建国", "M"),
    "+8613900000001": ("李梅", "F"),
    "+8613800000002": ("王建国", "M"),
    "+8615912345678": ("欧阳娜娜", "F"),
    "+861012345678": ("曾国藩", "M"),
    "+8613700000001": ("李梅", "F"),
    "+8618612340002": ("Wang Jianguo", "M"),
}
CONSULTANTS = ("zhangsan", "lisi", "zhouqi")
# (staff, name, role, team, channel) declared at the start of most records
ROSTER = (
    ("zhangsan", "张三", "consultant", "A", None),
    ("lisi", "李四", "consultant", "A", None),
    ("zhouqi", "周七", "consultant", "B", None),
    ("zhaoliu", "赵六", "manager", None, None),
    ("sunba", "孙八", "clerk", None, None),
    ("qianjiu", "钱九", "marketing_manager", None, None),
    ("wangwu", "王五", "agent", None, "hx"),
    ("chenshi", "陈十", "agent", None, "jy"),
)
# "ghost" never joins; "hx" is a channel's id used as a person's
STAFF = (*CONSULTANTS, *CONSULTANTS, "zhaoliu", "sunba", "qianjiu", "wangwu", "chenshi", "ghost", "hx")
CHANNELS = ("hx", "jy", "zz")
ROLES = get_args(Role)  # every role the schema knows
RELATIONS = get_args(Relation)
POLICIES = (*catalogue_ids(), "s8", "s99", "S8", "", "s8@v9")
MONEY = ("0", "0.01", "50", "100", "200", "500", "501", "20000", "9999999999.99")

# Weighted: customer facts more often than organisation facts.
FACT_KINDS = (
    *KINDS,
    "registration",
    "registration",
    "registration",
    "deal",
    "deal",
    "handin",
    "handin",
    "report",
    "visit_confirmation",
    "pending_confirmation",
    "claim",
    "correction",
    "follow_up",
    "relationship",
)

# Scenes: facts about one customer in a row, as they happen on a site.
SCENES: dict[str, tuple[str, ...]] = {
    "reported_visit": ("report", "visit_confirmation"),
    "reported_registered_visit": ("report", "registration", "visit_confirmation", "deal"),
    "registered_handin": ("registration", "handin", "handin"),
    "pending_claimed": ("registration", "pending_confirmation", "claim", "claim_verified"),
    "deal_disputed": ("registration", "deal", "dispute_raised", "ruling", "appeal"),
    "deal_refunded": ("registration", "deal", "deal", "payment_milestone", "unit_changed", "deal_refunded"),
    "complaint_and_return": ("registration", "complaint", "registration", "deal"),
    "corrected_registration": ("registration", "correction", "correction"),
    "family": ("registration", "relationship", "registration", "deal"),
}
STEPS = (*FACT_KINDS, *SCENES, *SCENES, "reported_visit", "reported_visit")
# The channel's paperwork (S6) alone, so that reports and visit confirmations meet more often.
CHANNEL_STEPS = (
    "reported_visit",
    "reported_visit",
    "reported_registered_visit",
    "report",
    "visit_confirmation",
    "group_list",
    "follow_up",
    "registration",
    "correction",
)

_staff = st.sampled_from(STAFF)
_channel = st.sampled_from(CHANNELS)
_name = st.sampled_from(NAMES)
_gender = st.sampled_from((None, "M", "F"))
_money = st.sampled_from(MONEY)
_bool3 = st.sampled_from((None, True, False))
# minutes from one fact to the next: the same moment, a little later or earlier, days either way
_step = st.one_of(st.just(0), st.integers(-90, 240), st.integers(-6 * 24 * 60, 14 * 24 * 60))
_offset = st.one_of(st.just(0), st.integers(-180, 180), st.integers(-10 * 24 * 60, 20 * 24 * 60))


def _rarely(draw: st.DrawFn, n: int) -> bool:
    """True once in ``n + 1`` draws; False is the simplest draw, which hypothesis favours and shrinks to."""
    return bool(draw(st.integers(0, n)) == n)


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def _opt(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """None, the empty string, or a value: a field left out, left blank or filled in."""
    return st.one_of(st.none(), st.just(""), value)


@st.composite
def _phone(draw: st.DrawFn) -> str:
    """A phone of the pool, written in one of its forms."""
    return draw(st.sampled_from(PHONE_FORMS[draw(st.sampled_from(PHONES))]))


@st.composite
def _time(draw: st.DrawFn, around: datetime) -> str:
    """A moment near ``around`` (before or after), in one of the offsets, as ISO 8601; rarely one
    at the edge of the years a record holds."""
    if FAR and draw(st.integers(0, 15)) == 0:
        return str(draw(st.sampled_from(FAR)))
    when = around + timedelta(minutes=draw(_offset))
    if draw(st.booleans()):  # in or at the edge of a hand-in window (S18.1: 09:00-10:00, 16:00-17:00), or midnight
        local = when.astimezone(OFFSETS[0])
        hour, minute = draw(st.sampled_from(((9, 0), (9, 15), (10, 0), (16, 15), (17, 0), (17, 1), (0, 0), (23, 59))))
        when = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return when.astimezone(draw(st.sampled_from(OFFSETS))).isoformat()


def _companions(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        c: dict[str, Any] = {"relation": draw(st.sampled_from(RELATIONS))}
        if draw(st.booleans()):
            c["name"] = draw(_opt(_name))
        if not _rarely(draw, 3):
            c["phone"] = draw(_phone())
        out.append(c)
    return out


class _Record:
    """What a fact may refer to: the ids of the record, by kind."""

    def __init__(self, kinds: Sequence[str]) -> None:
        self.ids = [f"f{i}" for i in range(len(kinds))]
        self.scene: list[str] = []  # the ids of the current scene so far
        self.by_kind: dict[str, list[str]] = {}
        for fid, kind in zip(self.ids, kinds, strict=True):
            self.by_kind.setdefault(kind, []).append(fid)

    def ref(self, draw: st.DrawFn, kind: str) -> str:
        """Mostly a fact of ``kind`` (earlier, later or itself) or of the same scene, else any fact,
        else none at all."""
        preferred = self.by_kind.get(kind, [])
        pool = [*preferred, *preferred, *self.scene, *self.scene, *self.ids, "roster0", "nope"]
        return str(draw(st.sampled_from(pool)))


class _Subject:
    """The customer a fact is about: mostly his own phone (in any written form), name and gender.

    The simplest draw (0) picks his own: hypothesis draws it more often and shrinks towards it.
    """

    def __init__(self, draw: st.DrawFn, *, brought: bool = False) -> None:
        self.draw = draw
        self.stored = draw(st.sampled_from(BROUGHT if brought and draw(st.booleans()) else PHONES))

    def phone(self) -> str:
        if self.draw(st.integers(0, 3)) < 3:
            return str(self.draw(st.sampled_from(PHONE_FORMS[self.stored])))
        return self.draw(_phone())

    def mask(self) -> str:
        """His phone masked: mostly in the form the presets accept (first 4 / last 5), else any."""
        own = _masks(self.stored) if self.stored in MOBILES else MASKS
        choice = self.draw(st.integers(0, 3))
        pool = own[1:3] if choice < 2 else own if choice == 2 else MASKS
        return str(self.draw(st.sampled_from(pool)))

    def name(self) -> str | None:
        if self.draw(st.integers(0, 3)) < 3:
            return CUSTOMERS[self.stored][0]
        other: str | None = self.draw(_opt(_name))
        return other

    def gender(self) -> str | None:
        if self.draw(st.integers(0, 3)) < 3:
            return CUSTOMERS[self.stored][1]
        other: str | None = self.draw(_gender)
        return other


def _fields(draw: st.DrawFn, kind: str, at: datetime, record: _Record, who: _Subject) -> dict[str, Any]:
    """The fields of one fact of ``kind`` about ``who``, beyond kind, id and at."""
    if kind == "staff_joined":
        staff = draw(_staff)
        return {
            "staff": staff,
            "name": draw(_name),
            "role": draw(st.sampled_from(ROLES)),
            "team": draw(_maybe(st.sampled_from(("A", "B", "")))),
            "channel": draw(_maybe(_channel)),
        }
    if kind == "staff_left":
        return {"staff": draw(_staff)}
    if kind == "channel_joined":
        return {"channel": draw(_channel), "name": draw(_name)}
    if kind == "duty":
        return {
            "staff": draw(_staff),
            "status": draw(st.sampled_from(("on_duty", "busy", "day_off", "absent", "out", "sick"))),
            "until": draw(_maybe(_time(at))),
        }
    if kind == "registration":
        customer: dict[str, Any] = {"name": who.name(), "gender": who.gender()}
        if not _rarely(draw, 4):
            customer["phone"] = who.phone()
        else:
            customer["phone_raw"] = draw(st.sampled_from(("138000", "无", "138****0001", "")))
        for key, values in (
            ("intent", ("三居", "")),
            ("source", ("路过", "朋友介绍", "分销", "developer_staff")),
            ("company", ("华为", "华为技术有限公司")),
            ("contact_person", ("王建国",)),
            ("id_number", ("110101199001011234",)),
        ):
            if draw(st.booleans()):
                customer[key] = draw(st.sampled_from(values))
        answers = {
            "first_visit": draw(_bool3),
            "called_before": draw(_bool3),
            "family_visited": draw(_bool3),
            "named_consultant": draw(_maybe(_staff)),
            "sms_from": draw(_maybe(_staff)),
            "asked": draw(_bool3),
        }
        data: dict[str, Any] = {
            "mode": draw(st.sampled_from(("call", "visit"))),
            "consultant": draw(_staff),
            "customer": customer,
            "answers": answers,
            "companions": _companions(draw),
            "referrer_present": draw(st.booleans()),
            "refuses_original": draw(st.booleans()),
            "proxy": draw(st.booleans()),
            "purpose": draw(st.sampled_from(("enquiry", "enquiry", "deposit_only", "signing_only"))),
            "onsite_search": draw(st.sampled_from((None, "found", "not_found"))),
            "signed": draw(st.booleans()),
        }
        if draw(st.booleans()):
            data["referred_by"] = draw(_phone())
        for key in ("reception_at", "handed_at"):
            if draw(st.booleans()):
                data[key] = draw(_time(at))
        if draw(st.booleans()):
            data["entered_by"] = draw(_staff)
        return data
    if kind == "follow_up":
        return {
            "phone": who.phone() if draw(st.booleans()) else None,
            "consultant": draw(_maybe(_staff)),
            "channel": draw(_maybe(_channel)),
            "report": record.ref(draw, "report") if draw(st.booleans()) else None,
            "method": draw(st.sampled_from(("call", "sms", "visit", "wechat"))),
            "note": draw(_maybe(st.just("回访"))),
        }
    if kind == "report":
        form = draw(st.sampled_from(("mask", "full", "mask", "full", "mask", "full", "mask", "none")))
        phone = None if form == "none" else who.phone() if form == "full" else who.mask()
        return {
            "channel": draw(_channel),
            "agent": draw(_staff),
            "name": who.name(),
            "gender": who.gender(),
            "phone": phone,
        }
    if kind == "group_list":
        entries = [{"name": draw(_opt(_name)), "phone": draw(_maybe(_phone()))} for _ in range(draw(st.integers(0, 4)))]
        return {"channel": draw(_channel), "agent": draw(_staff), "entries": entries}
    if kind == "visit_confirmation":
        signoffs = [
            {"role": draw(st.sampled_from(("agent", "clerk", "marketing_manager"))), "staff": draw(_staff)}
            for _ in range(draw(st.integers(0, 4)))
        ]
        if not _rarely(draw, 2):  # the complete set, as S6.7 asks
            signoffs = [
                {"role": "agent", "staff": "wangwu"},
                {"role": "clerk", "staff": "sunba"},
                {"role": "marketing_manager", "staff": "qianjiu"},
            ]
        return {
            "name": who.name(),
            "gender": who.gender(),
            "phone": None if _rarely(draw, 5) else who.phone(),
            "phone_shown": {"odd": draw(st.sampled_from(SHOWN)), "own": who.mask(), "none": None}[
                draw(st.sampled_from(("own", "odd", "odd", "none")))
            ],
            "entry_at": None if _rarely(draw, 4) else draw(_time(at)),
            "channel": draw(_maybe(_channel)),
            "agent": draw(_maybe(_staff)),
            "signoffs": signoffs,
            "came_alone": _rarely(draw, 3),
            "named_channel": draw(_maybe(_channel)),
            "contact_records_verified": draw(_bool3),
        }
    if kind == "pending_confirmation":
        return {"phone": who.phone(), "consultant": draw(_staff)}
    if kind == "claim_verified":
        return {
            "pending": record.ref(draw, "pending_confirmation"),
            "claim": record.ref(draw, "claim"),
            "by": draw(_staff),
            "approved": draw(st.booleans()),
        }
    if kind == "claim":
        return {
            "pending": record.ref(draw, "pending_confirmation"),
            "consultant": draw(_staff),
            "verified": draw(st.booleans()),
        }
    if kind == "dispute_raised":
        return {
            "phone": who.phone(),
            "consultant": draw(_staff),
            "against": draw(_maybe(_staff)),
            "note": draw(_maybe(st.just("查询单"))),
        }
    if kind == "complaint":
        return {
            "phone": who.phone(),
            "against": draw(_staff),
            "type": draw(st.sampled_from(("complaint", "refusal"))),
            "approved_by": draw(_maybe(_staff)),
            "fine": draw(_maybe(_money)),
        }
    if kind == "ruling":
        return {
            "phone": who.phone(),
            "owner": draw(_maybe(st.sampled_from((*STAFF, *CHANNELS)))),
            "by": draw(_staff),
            "rule": draw(st.sampled_from(("S18.15", "S14.2", "", "X1"))),
            "reason": draw(st.sampled_from(("日报显示李四先联系", ""))),
            "stealing_by": draw(_maybe(_staff)),
        }
    if kind == "appeal":
        return {
            "phone": who.phone(),
            "appellant": draw(_staff),
            "outcome": draw(st.sampled_from(("rejected", "overturned"))),
            "responsible": draw(st.lists(_staff, max_size=3)),
        }
    if kind == "handin":
        data = {
            "consultant": draw(_staff),
            "customer_no": draw(_opt(st.sampled_from(("C0001", "C0002")))),
            "name": who.name(),
            "phone": None if _rarely(draw, 4) else who.phone(),
            "need": draw(_opt(st.sampled_from(("三居", "两居")))),
            "signed_at": draw(_maybe(_time(at))),
            "confirmer": draw(_maybe(_staff)),
            "signed_by_role": draw(st.sampled_from(("confirmer", "signing_room"))),
            "members": _companions(draw),
        }
        if _rarely(draw, 3):
            data["company"] = draw(st.sampled_from(("华为技术有限公司", "华为", "")))
            data["contact_person"] = draw(_opt(_name))
        if _rarely(draw, 2):
            data["amends"] = record.ref(draw, "handin")
        return data
    if kind == "pre_filing":
        return {"consultant": draw(_staff), "phone": who.phone(), "name": who.name()}
    if kind == "developer_notice":
        return {"phone": who.phone(), "name": who.name()}
    if kind == "milestone":
        return {"name": draw(st.sampled_from(("internal_subscription_opened", "launch")))}
    if kind == "deal":
        assistants = [
            {"staff": draw(_staff), "knew": draw(st.booleans()), "substantial": draw(st.booleans())}
            for _ in range(draw(st.integers(0, 3)))
        ]
        return {
            "type": draw(st.sampled_from(("deposit", "subscription", "signing"))),
            "phone": who.phone(),
            "closer": draw(_staff),
            "closer_knew": draw(st.booleans()),
            "assistants": assistants,
            "buyer_name": who.name(),
            "company": draw(_maybe(st.sampled_from(("华为技术有限公司", "华为", "")))),
            "group_purchase": draw(st.booleans()),
            "qualified": draw(_bool3),
            "unit": draw(_maybe(st.just("1-1201"))),
            "amount": draw(_maybe(_money)),
            "checks_overridden": draw(_maybe(st.just("客户明日出国,先签约后补件"))),
        }
    if kind == "qualification_check":  # S2, S15.4
        return {
            "phone": who.phone(),
            "item": draw(st.sampled_from(CHECK_ITEMS)),
            "passed": draw(st.booleans()),
            "by": draw(_staff),
        }
    if kind in ("deal_refunded", "unit_changed", "payment_milestone"):  # S9.1: after a deal, or of none
        fields = {"phone": who.phone(), "deal": record.ref(draw, "deal")}
        if kind == "deal_refunded":
            return fields | {"by": draw(_staff), "reason": draw(st.sampled_from(("贷款未批", "x")))}
        if kind == "unit_changed":
            return fields | {
                "unit": draw(st.sampled_from(("1-1201", "2-0801"))),
                "amount": draw(_maybe(_money)),
                "by": draw(_staff),
            }
        stage = draw(st.sampled_from(("down_payment", "loan_disbursed", "paid_in_full")))
        return fields | {"stage": stage, "amount": draw(_maybe(_money))}
    if kind == "relationship":
        a = who.phone()
        return {
            "phone_a": a,
            "phone_b": a if _rarely(draw, 3) else draw(_phone()),  # a phone with itself
            "relation": draw(st.sampled_from(RELATIONS)),
        }
    if kind == "policy_changed":
        modules = draw(
            _maybe(st.sampled_from(({"qualification": True}, {"qualification": True, "checks": ["eligibility"]})))
        )
        return {"policy": draw(st.sampled_from(POLICIES)), "effective_at": draw(_time(at)), "modules": modules}
    if kind == "correction":
        return {
            "target": record.ref(draw, draw(st.sampled_from(("correction", "registration", "duty", "handin")))),
            "by": draw(_staff),
            "reason": draw(st.sampled_from(("电话录错", "x"))),
        }
    if kind == "disclosed":  # S3.1: whose full phones a screen showed; no verdict may change
        return {
            "staff": draw(_staff),
            "screen": draw(st.sampled_from(("desk", "registered", "mine", "card", "trail"))),
            "shown": ["phone"],
            "phones": [who.phone()],
        }
    if kind == "queue":  # the reception rotation: any change, taken or refused on replay
        action = draw(st.sampled_from(("sign_in", "break", "back", "skip", "make_up", "move", "roster", "sign_out")))
        if action == "roster":
            return {"action": action, "order": draw(st.lists(_staff, min_size=1, max_size=3, unique=True))}
        return {
            "action": action,
            "staff": draw(_staff),
            "confirmed": draw(st.sampled_from(("desk", "code"))),
            "reason": draw(st.sampled_from(("with_customer", "old_customer", "absent", "on_break", "duty_away"))),
            "note": "经理调整",
            "position": draw(st.integers(1, 4)),
        }
    if kind == "reception":
        skipped = [{"staff": draw(_staff), "reason": "with_customer"} for _ in range(draw(st.integers(0, 2)))]
        return {
            "consultant": draw(_staff),
            "route": draw(st.sampled_from(("new", "returning", "appointment", "deposit_only", "refused"))),
            "counted": draw(st.booleans()),
            "rule": "S7.3",
            "named": draw(_maybe(_staff)),
            "stand_in": draw(st.booleans()),
            "make_up": draw(st.booleans()),
            "skipped": skipped,
            "eligible": draw(st.lists(_staff, max_size=3, unique=True)),
        }
    if kind in ("api_key_issued", "api_key_revoked"):  # the keys' audit record; no verdict may change
        fields = {"staff": draw(_staff), "key": draw(st.sampled_from(("ab" * 32, "0" * 64)))}
        return fields | ({"channel": "hx"} if kind == "api_key_issued" else {})
    if kind == "commission_rate":  # what deals earn in money; no verdict may change
        return {
            "by": draw(_staff),
            "payee": "consultant",
            "rate": draw(st.sampled_from(("0.003", "0.01"))),
            "valid_from": draw(_time(at)),
            "unit_type": draw(_maybe(st.sampled_from(("住宅", "商铺")))),
        }
    if kind == "statement_approved":  # finance's approval of a statement; no verdict may change
        return {
            "by": draw(_staff),
            "month": "2026-03",
            "payee": draw(_staff),
            "as_of": draw(_time(at)),
            "total": "10.00",
            "lines": [{"key": "f1/signing", "amount": "10.00"}],
        }
    raise AssertionError(f"no fields for {kind}")


@st.composite
def records(draw: st.DrawFn, steps: Sequence[str] = STEPS, max_steps: int = 30) -> list[Fact]:
    """A schema-valid adversarial record: a roster (usually), then facts and scenes drawn from ``steps``."""
    facts: list[Fact] = []
    if not _rarely(draw, 5):
        joined = (START - timedelta(days=1)).isoformat()
        for i, (staff, name, role, team, channel) in enumerate(ROSTER):
            data = {"staff": staff, "name": name, "role": role, "team": team, "channel": channel}
            facts.append(fact_from_dict({"kind": "staff_joined", "id": f"roster{i}", "at": joined} | data))
    drawn = draw(st.lists(st.sampled_from(steps), min_size=1, max_size=max_steps))
    scenes = [SCENES.get(step, (step,)) for step in drawn]
    record = _Record([kind for scene in scenes for kind in scene])
    ids = iter(record.ids)
    now = START
    for scene in scenes:
        who = _Subject(draw, brought=scene[0] == "report")  # each step is about one customer
        record.scene = []
        for n, kind in enumerate(scene):
            # a new step comes some time later (or earlier: a late entry); a scene's next fact shortly after
            now += timedelta(minutes=draw(_step if n == 0 else st.integers(-30, 3 * 24 * 60)))
            at = now.astimezone(draw(st.sampled_from(OFFSETS)))
            fid = next(ids)
            data = {"kind": kind, "id": fid, "at": at.isoformat()} | _fields(draw, kind, at, record, who)
            facts.append(fact_from_dict(data))
            record.scene.append(fid)
    return facts


# ---------------------------------------------------------------------------
# checks


def _joined_phones(facts: Sequence[Fact]) -> set[str]:
    """Phones that may join a group without routing a fact: companions and hand-in members."""
    out: set[str] = set()
    for f in facts:
        people = f.companions if isinstance(f, Registration) else f.members if isinstance(f, HandIn) else ()
        out.update(p.phone for p in people if p.phone)
    return out


def _check(att: Attribution, facts: Sequence[Fact]) -> None:
    """Each named phone in exactly one verdict; every split exact."""
    counts = Counter(p for v in att.verdicts for p in v.members)
    assert all(n == 1 for n in counts.values()), counts
    named = customer_phones(facts)
    assert named <= set(counts), named - set(counts)
    assert set(counts) <= named | _joined_phones(facts), set(counts) - named
    assert len({v.group for v in att.verdicts}) == len(att.verdicts)
    for split in att.splits:
        total = sum((share for _, share in split.shares), Decimal(0))
        assert total == Decimal(1), (split.deal, split.rule, split.shares)


_SETTINGS = settings(max_examples=500, deadline=None)


def test_the_pool_is_what_the_codec_accepts() -> None:
    """core: the robustness pool is schema-valid: every written phone normalises to its key and
    every mask parses."""
    # given the pool of written phones and masks
    # when each is read as the codec reads it
    # then the phones normalise to their stored form and the masks parse
    for stored, forms in PHONE_FORMS.items():
        assert {normalise_phone(form) for form in forms} == {stored}
    for mask in MASKS:
        parse_masked_phone(mask)


@_SETTINGS
@given(facts=records())
def test_decide_answers_any_record_under_every_preset(facts: list[Fact]) -> None:
    """core: decide() answers any schema-valid record under every preset, at the last fact's
    time and later, with each phone in exactly one verdict and every split summing to 1."""
    # given an adversarial record and the moments to decide at
    last = max(f.at for f in facts)
    moments = (facts[-1].at, last, last + LATER)
    catalogue = presets()
    for preset in catalogue_ids():
        for at in moments:
            # when it is decided under the preset
            att = decide(facts, load_preset(preset), at=at, catalogue=catalogue)
            # then it answers for every phone, once, and every split is exact
            _check(att, [f for f in facts if f.at <= at])


@_SETTINGS
@given(facts=records())
def test_an_attributor_takes_any_record_fact_by_fact(facts: list[Fact]) -> None:
    """core: an Attributor applies any schema-valid record one fact at a time, in the order
    written (late facts included), under every preset, and then answers."""
    # given an adversarial record, its facts possibly out of time order
    last = max(f.at for f in facts)
    catalogue = presets()
    for preset in catalogue_ids():
        engine = Attributor(load_preset(preset), catalogue=catalogue)
        # when the facts are applied one by one
        for f in facts:
            engine.apply(f)
        # then the engine answers, now and later, for every phone once with exact splits
        for at in (last, last + LATER):
            _check(engine.attribution(at), facts)


@_SETTINGS
@given(facts=records(CHANNEL_STEPS, max_steps=6))
def test_channel_paperwork_of_any_shape_is_answered(facts: list[Fact]) -> None:
    """core: reports in every accepted (and refused) form, group lists and visit confirmations with
    odd sign-offs and odd phones on the form are answered under every preset, in batch and fact by
    fact."""
    # given a short record of a channel's paperwork about a few customers
    last = max(f.at for f in facts)
    catalogue = presets()
    for preset in catalogue_ids():
        # when it is decided, and applied one fact at a time
        att = decide(facts, load_preset(preset), at=last, catalogue=catalogue)
        engine = Attributor(load_preset(preset), catalogue=catalogue)
        for f in facts:
            engine.apply(f)
        # then both answer for every phone once
        _check(att, facts)
        _check(engine.attribution(last), facts)


@pytest.mark.parametrize("moment", BEYOND)
@pytest.mark.parametrize(
    ("fact", "field"),
    [
        ({"kind": "follow_up", "phone": "13800000001", "consultant": "zhangsan"}, "at"),
        ({"kind": "handin", "consultant": "zhangsan", "phone": "13800000001", "signed_at": None}, "signed_at"),
        ({"kind": "registration", "mode": "visit", "consultant": "zhangsan", "reception_at": None}, "reception_at"),
    ],
)
def test_a_year_beyond_the_calendar_is_refused_naming_the_field(moment: str, fact: dict[str, Any], field: str) -> None:
    """core: a mistyped year (0001, 9999) is refused where the fact is read, naming the field, not
    met later as an overflow in a deadline's arithmetic."""
    # given a fact with one of its times far beyond the years a record holds
    data = {"id": "f1", "at": "2026-03-02T10:00:00+08:00", **fact, field: moment}
    if data["kind"] == "registration":
        data["customer"] = {"name": "王建国", "phone": "13800000001"}
    # when it is read
    with pytest.raises(FactError) as info:
        fact_from_dict(data)
    # then the field is named, in Chinese and English
    assert info.value.field == field
    assert "年份" in info.value.message and "year" in info.value.message
