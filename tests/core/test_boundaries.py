"""Every window at its edges: the minute before, the instant it closes, and the last valid local
day, written from the rule text (issue 18: nine of thirteen surviving mutants sat on these).

Times are Asia/Shanghai. "N days (inclusive)" after an event on day d runs to the end of the
local day d + N; "N days from" a moment runs N x 24 hours from it.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from guishu.core.events import FollowUp
from tests.builders import PHONE_A, Record, at, split_of

MASK_A = "1380**00001"
SECOND = timedelta(seconds=1)


# --------------------------------------------------------------------------- S8.10


@pytest.mark.parametrize(
    ("moment", "state", "who"),
    [(at(8) - SECOND, "pending", "lisi"), (at(8), "owned", "lisi")],
    ids=["last-second-of-day-3", "exactly-00:00-of-day-4"],
)
def test_s8_10_the_pending_confirmation_closes_at_the_start_of_the_fourth_day(
    moment: object, state: str, who: str
) -> None:
    """S8.10: filed Wed 4 March; unclaimed "3 days (inclusive)" -> through Sat 7 March; at
    00:00 of Sun 8 March it is the filer's."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.on(4, 15).pending("lisi", PHONE_A)
    v = r.verdict("s8", PHONE_A, at=moment)  # type: ignore[arg-type]
    assert v.state == state
    assert (v.candidate if state == "pending" else v.owner.id) == who


@pytest.mark.parametrize(
    ("day", "hour", "minute", "owner"),
    [(7, 23, 59, "zhangsan"), (8, 0, 0, "lisi")],
    ids=["claimed-last-minute-of-day-3", "claimed-at-00:00-of-day-4"],
)
def test_s8_10_a_claim_in_the_last_minute_stands_one_at_midnight_does_not(
    day: int, hour: int, minute: int, owner: str
) -> None:
    r = Record()
    r.visit("zhangsan", PHONE_A)
    pend = r.on(4, 15).pending("lisi", PHONE_A)
    r.on(day, hour, minute).claim(pend, "zhangsan", verified=True)
    assert r.owner("s8", PHONE_A) == owner


# --------------------------------------------------------------------------- S8.11


@pytest.mark.parametrize(
    ("moment", "state"),
    [(at(10) - SECOND, "owned"), (at(10), "public")],
    ids=["last-second-of-day-7", "exactly-protected-until"],
)
def test_s8_11_protection_ends_exactly_at_protected_until(moment: object, state: str) -> None:
    """S8.11: registered Mon 2 March, "within 7 days (inclusive)": protected through Mon 9
    March; at protected_until (00:00 of 10 March) he is a new customer."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    v = r.verdict("s8", PHONE_A, at=moment)  # type: ignore[arg-type]
    assert v.state == state


@pytest.mark.parametrize(
    ("day", "hour", "minute", "owner"),
    [(9, 23, 59, "zhangsan"), (10, 0, 0, "lisi")],
    ids=["day-7-last-minute", "day-8-first-minute"],
)
def test_s8_11_another_registration_at_the_edge(day: int, hour: int, minute: int, owner: str) -> None:
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.on(day, hour, minute).visit("lisi", PHONE_A)
    assert r.owner("s8", PHONE_A) == owner


# --------------------------------------------------------------------------- S6.3


@pytest.mark.parametrize(
    ("hour", "minute", "owner"),
    [(9, 59, "hx"), (10, 0, None)],
    ids=["a-minute-before-7-days", "exactly-7-days"],
)
def test_s6_3_a_report_is_valid_seven_days_from_the_report(hour: int, minute: int, owner: str | None) -> None:
    """S6.3: reported Mon 2 March 10:00: "valid 7 days from the first report" -> a first visit
    by 9 March 09:59 is the channel's; at 10:00 the report is void and the visitor public."""
    r = Record()
    r.report(MASK_A)
    r.on(9, hour, minute).confirm_visit(PHONE_A)
    assert r.owner("s6", PHONE_A) == owner


@pytest.mark.parametrize(
    ("day", "hour", "minute", "owner"),
    [(5, 9, 0, "hx"), (5, 8, 59, "jy"), (7, 10, 0, "hx"), (7, 10, 1, "jy")],
    ids=[
        "re-report-exactly-5-days-after-the-follow-up",
        "re-report-5-days-and-a-minute-after",
        "follow-up-exactly-5-days-after-the-report",
        "follow-up-5-days-and-a-minute-after",
    ],
)
def test_s6_3_a_re_report_keeps_its_place_with_a_contact_every_five_days(
    day: int, hour: int, minute: int, owner: str
) -> None:
    """S6.3: "at least one contact every 5 days": hx reports on 2 March 10:00 and follows up
    once; its re-report on 10 March 09:00 keeps the first report's place against jy's report of
    08:00 only when no gap (report -> follow-up -> re-report) is over 5 days."""
    r = Record()
    first = r.report(MASK_A)
    r.on(day, hour, minute).add(FollowUp, report=first.id, channel="hx")
    r.on(10, 8).report(MASK_A, channel="jy", agent="chenshi")
    r.on(10, 9).report(MASK_A)
    r.on(11, 10).confirm_visit(PHONE_A)
    assert r.owner("s6", PHONE_A) == owner


# --------------------------------------------------------------------------- S6.7


@pytest.mark.parametrize(
    ("moment", "owner"),
    [(at(2, 10, month=4) - SECOND, "hx"), (at(2, 10, month=4), None)],
    ids=["a-second-before-30-days", "exactly-30-days"],
)
def test_s6_7_the_channels_customer_for_thirty_days_from_the_first_visit(moment: object, owner: str | None) -> None:
    """S6.7: first visit Tue 3 March 10:00: "valid 30 days from the first visit" -> the
    channel's until 2 April 10:00, then public (a 31-day window fails here)."""
    r = Record()
    r.report(MASK_A)
    r.on(3, 10).confirm_visit(PHONE_A)
    assert r.owner("s6", PHONE_A, at=moment) == owner  # type: ignore[arg-type]


# --------------------------------------------------------------------------- S18.13


@pytest.mark.parametrize(
    ("day", "hour", "minute", "winner"),
    [(8, 23, 59, "lisi"), (9, 0, 0, "zhangsan")],
    ids=["raised-last-minute-of-day-3", "raised-at-00:00-of-day-4"],
)
def test_s18_13_a_collision_raised_within_three_days_of_the_signing(
    day: int, hour: int, minute: int, winner: str
) -> None:
    """S18.13: 李四 confirmed on 3 March; 张三 signs the customer Thu 5 March 11:00. Raised within
    3 days (through Sun 8 March) -> the earlier confirmer; from 00:00 of 9 March -> the closer."""
    from tests.core.test_preset_s18 import confirm

    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    r.on(5, 10, 0).visit("zhangsan", PHONE_A)
    deal = r.on(5, 11, 0).deal(PHONE_A, "zhangsan", "signing")
    r.on(day, hour, minute).dispute(PHONE_A, "lisi", against="zhangsan")
    att = r.decide("s18", at=at(12))
    assert split_of(att, deal) == {winner: Decimal(1)}


# --------------------------------------------------------------------------- S18.21


@pytest.mark.parametrize(
    ("moment", "owner"),
    [(at(13, 9, 30) - SECOND, "lisi"), (at(13, 9, 30), None)],
    ids=["a-second-before-10-days", "exactly-10-days"],
)
def test_s18_21_a_confirmation_is_valid_ten_days_from_its_signing(moment: object, owner: str | None) -> None:
    """S18.21: 李四's form signed Tue 3 March 09:30 is valid 10 days: his until 13 March 09:30."""
    from tests.core.test_preset_s18 import confirm

    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    assert r.owner("s18", PHONE_A, at=moment) == owner  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("minute", "owner"), [(29, "lisi"), (30, "zhangsan")], ids=["while-still-valid", "at-the-instant-it-lapses"]
)
def test_s18_21_a_hand_in_at_the_instant_the_confirmation_lapses_is_new(minute: int, owner: str) -> None:
    """S18.21: 张三's hand-in at the very instant 李四's confirmation lapses is a new customer's."""
    from tests.core.test_preset_s18 import confirm

    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    confirm(r, "zhangsan", PHONE_A, 13, 9, minute)
    assert r.owner("s18", PHONE_A, at=at(13, 9, minute) + 30 * SECOND) == owner


# --------------------------------------------------------------------------- S18.22


@pytest.mark.parametrize(
    ("notice_minute", "notice_first", "earner"),
    [(29, True, "developer"), (30, True, "developer"), (30, False, "developer"), (31, False, "lisi")],
    ids=["notice-a-minute-before", "same-instant-notice-first", "same-instant-contact-first", "notice-after"],
)
def test_s18_22_only_a_contact_before_the_notice_keeps_the_customer(
    notice_minute: int, notice_first: bool, earner: str
) -> None:
    """S18.22: "before the notice, a consultant who built contact and closed keeps him": 李四's
    first contact at 3 March 09:30; a notice at the same instant is not after it."""
    from tests.core.test_preset_s18 import confirm

    r = Record()
    if notice_first:
        r.on(3, 9, notice_minute).developer_notice(PHONE_A)
    confirm(r, "lisi", PHONE_A, 3)
    if not notice_first:
        r.on(3, 9, notice_minute).developer_notice(PHONE_A)
    deal = r.on(6, 11).deal(PHONE_A, "lisi", "signing")
    assert split_of(r.decide("s18"), deal) == {earner: Decimal(1)}


# --------------------------------------------------------------------------- second-order cases


def test_s1_c6_only_the_first_visit_outranks_a_call() -> None:
    """S1.C6: the first visit registration (李四's) outranks 张三's call; a second visit, by 周七,
    outranks nothing: the customer stays 李四's."""
    from tests.core.test_preset_s1 import POLICY

    r = Record()
    r.call("zhangsan", PHONE_A)
    r.later(days=1).visit("lisi", PHONE_A)
    r.later(days=1).visit("zhouqi", PHONE_A)
    assert r.owner(POLICY, PHONE_A) == "lisi"


def test_s1_c6_a_visit_by_the_caller_himself_is_the_first_visit() -> None:
    """S1.C6: 张三 took the call and received the first visit: 李四's later visit outranks nothing."""
    from tests.core.test_preset_s1 import POLICY

    r = Record()
    r.call("zhangsan", PHONE_A)
    r.later(days=1).visit("zhangsan", PHONE_A)
    r.later(days=1).visit("lisi", PHONE_A)
    assert r.owner(POLICY, PHONE_A) == "zhangsan"


@pytest.mark.parametrize(
    ("deposit_first", "split", "rule"),
    [
        (True, {"zhangsan": Decimal(1)}, "S16.12"),
        (False, {"zhangsan": Decimal("0.5"), "lisi": Decimal("0.5")}, "S16.9"),
    ],
    ids=["deposit-paid-comes-to-sign", "no-deposit-the-assistant-signs"],
)
def test_s16_12_is_for_a_customer_with_a_deposit_only(
    deposit_first: bool, split: dict[str, Decimal], rule: str
) -> None:
    """S16.12 vs S16.9: 张三 is off; 李四 assists and signs the customer. With a deposit paid to 张三
    before, the customer came only to sign: 张三's whole (S16.12). With no deposit before, it is an
    assisted first signing: 50/50 (S16.9)."""
    from tests.builders import split_rule

    r = Record()
    r.visit("zhangsan", PHONE_A)
    if deposit_first:
        r.later(days=2).deal(PHONE_A, "zhangsan", "deposit")
    r.later(days=3).duty("zhangsan", "day_off", until=r.now + timedelta(days=1))
    r.later(hours=1).visit("lisi", PHONE_A, named="zhangsan", **({"purpose": "signing_only"} if deposit_first else {}))
    d = r.later(hours=1).deal(PHONE_A, "lisi", "signing")
    att = r.decide("s16")
    assert split_of(att, d) == split
    assert split_rule(att, d) == rule
