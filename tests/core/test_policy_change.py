"""A site changes its policy from a time; nothing before it is rewritten."""

from __future__ import annotations

from datetime import datetime

from tests.builders import PHONE_A, PHONE_B, TZ, Record


def test_policy_change_applies_from_its_effective_time() -> None:
    """S1.C6, S8.6: under s8 a call owns; after switching to s1 a first visit outranks another's call."""
    # given: the site runs s8; from 10 Mar it runs s1
    r = Record()
    r.policy_change("s1", effective_at=datetime(2026, 3, 10, 0, 0, tzinfo=TZ))
    r.call("zhangsan", PHONE_A)
    r.later(days=1).visit("lisi", PHONE_A)  # 3 Mar: s8 still rules -> 张三 keeps him
    r.on(10, 9).call("zhouqi", PHONE_B, "李梅", gender="F")
    r.later(days=1).visit("wuyi", PHONE_B, "李梅", gender="F")  # 11 Mar: s1 -> 吴一
    # when
    att = r.decide("s8")
    # then
    assert r.owner("s8", PHONE_A) == "zhangsan"
    assert r.owner("s8", PHONE_B) == "wuyi"
    assert att.policy == "s1@v1"
    assert att.verdict_for(PHONE_B).reasons[0].rule == "S1.C6"  # type: ignore[union-attr]


def test_policy_change_never_rewrites_verdicts_before_it() -> None:
    """S8.1: a verdict as of a moment before the change is the same as if no change were recorded."""
    # given
    with_change = Record()
    with_change.policy_change("s16", effective_at=datetime(2026, 3, 20, 0, 0, tzinfo=TZ))
    plain = Record()
    for r in (with_change, plain):
        r.call("zhangsan", PHONE_A)
        r.later(days=1).visit("lisi", PHONE_A)
        r.on(21).visit("zhouqi", PHONE_B, "李梅", gender="F")
    before = datetime(2026, 3, 15, 12, 0, tzinfo=TZ)

    # when / then
    def shape(r: Record) -> list[tuple[object, ...]]:
        return [
            (v.members, v.owner, v.state, v.since, v.protected_until, [x.rule for x in v.history])
            for v in r.decide("s8", at=before).verdicts
        ]

    assert shape(with_change) == shape(plain)
    # and after the change s16 decides new registrations
    after = with_change.decide("s8")
    assert after.policy == "s16@v1"
    assert after.verdict_for(PHONE_B).reasons[0].rule == "S16.1"  # type: ignore[union-attr]


def test_switching_to_a_policy_without_protection_keeps_owners() -> None:
    """S8.11, S1.5: a deadline set under s8 does not fire once s1 (no expiry) is in force."""
    r = Record()
    r.policy_change("s1", effective_at=datetime(2026, 3, 5, 0, 0, tzinfo=TZ))
    r.call("zhangsan", PHONE_A)  # 2 Mar under s8: protected to the end of 9 Mar
    at = datetime(2026, 3, 20, 12, 0, tzinfo=TZ)
    assert r.owner("s8", PHONE_A, at=at) == "zhangsan"
    # without the switch the s8 protection lapses
    plain = Record()
    plain.call("zhangsan", PHONE_A)
    assert plain.owner("s8", PHONE_A, at=at) is None


def test_policy_change_cannot_take_effect_before_it_was_recorded() -> None:
    """S8.12: a change back-dated before its own entry starts at the entry, not earlier."""
    r = Record()
    r.call("zhangsan", PHONE_A)
    r.later(days=1).visit("lisi", PHONE_A)
    r.later(days=1).policy_change("s1", effective_at=datetime(2026, 3, 1, 0, 0, tzinfo=TZ))
    assert r.owner("s8", PHONE_A) == "zhangsan"  # the s1 rule (visit outranks call) is not applied backwards


def test_unknown_policy_in_a_change_is_reported() -> None:
    """core: a change to a policy the site does not have is an invalid entry, and nothing switches."""
    r = Record()
    change = r.policy_change("s99", effective_at=datetime(2026, 3, 3, 0, 0, tzinfo=TZ))
    r.call("zhangsan", PHONE_A)
    att = r.decide("s8")
    assert {i.fact for i in att.invalid} == {change.id}
    assert att.policy == "s8@v1"
