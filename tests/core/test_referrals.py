"""How an old customer brought a new one (老带新, 裙带), recorded as ``referral`` (issue 18):
accompanied by him, sent by him and naming him, or introduced by him naming nobody. Each policy
decides its own way (S1.C8, S8.8, S14.3d, S16.14); a referral recorded without its kind reads
as before (``referrer_present``).

张三 owns the old customer 王建国 (PHONE_A); ten days later 李四 receives the new one, 李红 (PHONE_B).
"""

from __future__ import annotations

from typing import Any

import pytest

from guishu.core.events import FactError, fact_from_dict
from tests.builders import PHONE_A, PHONE_B, Record, rules_of

ACCOMPANIED = {"referred_by": PHONE_A, "referral": "accompanied"}
NAMED = {"referred_by": PHONE_A, "referral": "named"}
INTRODUCED = {"referred_by": PHONE_A, "referral": "introduced"}
INTRODUCED_ASKS_FOR_HIM = {**INTRODUCED, "named": "zhangsan"}


def brought(preset: str, **kw: Any) -> tuple[str | None, set[str]]:
    """The new customer's owner and the rules of his verdict."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=10).visit("lisi", PHONE_B, name="李红", gender="F", **kw)
    return r.owner(preset, PHONE_B), rules_of(r.decide(preset), PHONE_B)


@pytest.mark.parametrize(
    ("kw", "owner", "zh"),
    [
        (ACCOMPANIED, "zhangsan", "老客户介绍(老客户陪同),归原销售 张三"),
        (NAMED, "zhangsan", "老客户介绍(新客户提及老客户),归原销售 张三"),
        (INTRODUCED_ASKS_FOR_HIM, "zhangsan", "老客户介绍(新客户指明找原销售),归原销售 张三"),
        (INTRODUCED, "lisi", "老客户介绍的新客户按轮序,归接待人 李四"),
    ],
    ids=["accompanied", "names-the-old-customer", "asks-for-the-consultant", "introduced-naming-nobody"],
)
def test_s16_14_the_first_two_kinds_go_to_the_original_the_third_to_the_rotation(
    kw: dict[str, Any], owner: str, zh: str
) -> None:
    """S16.14: "1.老客户陪同,其客户归属原销售人员;2.老客户未陪同,但新客户提及老客户或指明找某
    销售人员,其归属原销售人员;3.……也未提及老客户或未指明找某销售人员,其归属正常排轮接待人员"."""
    for preset in ("s16", "s16@v2"):
        r = Record()
        r.visit("zhangsan", PHONE_A)
        r.later(days=10).visit("lisi", PHONE_B, name="李红", gender="F", **kw)
        v = r.verdict(preset, PHONE_B)
        assert v.owner.id == owner
        assert ("S16.14", zh) in {(x.rule, x.zh) for x in v.reasons}


def test_s16_14_a_referral_without_its_kind_reads_as_before() -> None:
    """S16.14 (records written before the kind existed): a recorded referral is taken as the new
    customer mentioning the old one, as v1 always did."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=10).visit("lisi", PHONE_B, name="李红", gender="F", referred_by=PHONE_A)
    v = r.verdict("s16", PHONE_B)
    assert v.owner.id == "zhangsan"
    assert ("S16.14", "老客户介绍(陪同或指名),归原销售 张三") in {(x.rule, x.zh) for x in v.reasons}


@pytest.mark.parametrize(
    ("kw", "owner"),
    [(ACCOMPANIED, "zhangsan"), (NAMED, "lisi"), (INTRODUCED_ASKS_FOR_HIM, "zhangsan"), (INTRODUCED, "lisi")],
    ids=["accompanied", "names-the-old-customer", "asks-for-the-consultant", "introduced-naming-nobody"],
)
def test_s8_8_only_in_person_or_naming_the_consultant_goes_to_the_original(kw: dict[str, Any], owner: str) -> None:
    """S8.8: "老客户亲自带新客户来 → 原销售; 新客户独自来访,指名原销售 → 原销售; 否则按新客户轮
    序" — naming the old customer alone is not naming the consultant."""
    who, rules = brought("s8", **kw)
    assert who == owner
    assert "S8.8" in rules  # the original's, or its "otherwise a new visitor by rotation"


def test_s8_8_accompanied_but_refusing_the_original_is_the_receivers() -> None:
    """S8.8: brought in person, but he clearly asks not to be served by the original."""
    assert brought("s8", **ACCOMPANIED, refuses_original=True)[0] == "lisi"


@pytest.mark.parametrize(
    ("kw", "owner"),
    [(ACCOMPANIED, "zhangsan"), (NAMED, "lisi"), (INTRODUCED, "lisi")],
    ids=["accompanied", "names-the-old-customer", "introduced-naming-nobody"],
)
def test_s14_3d_only_an_old_customer_who_brings_him_succeeds(kw: dict[str, Any], owner: str) -> None:
    """S14.3d: "老客户带来新客户 ... 如新客户未登记,则老带新成功,客户归登记老客户信息的置业顾问"."""
    who, rules = brought("s14", **kw)
    assert who == owner
    assert "S14.3d" in rules


@pytest.mark.parametrize("kw", [ACCOMPANIED, NAMED, INTRODUCED], ids=["accompanied", "named", "introduced"])
def test_s1_c8_every_kind_follows_the_rotation(kw: dict[str, Any]) -> None:
    """S1.C8: "新客户来访,经过朋友介绍,即便朋友在别人处已经帮其登记的,仍以正常轮序为准"."""
    who, rules = brought("s1", **kw)
    assert who == "lisi"
    assert "S1.C8" in rules


def _registration(**extra: object) -> dict[str, object]:
    return {
        "kind": "registration",
        "id": "r1",
        "at": "2026-03-02T10:00:00+08:00",
        "mode": "visit",
        "consultant": "lisi",
        "customer": {"name": "李红", "phone": "13800000002"},
        **extra,
    }


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"referral": "named"}, "referred_by"),
        ({"referral": "introduced", "referred_by": "13800000001", "referrer_present": True}, "referrer_present"),
        ({"referral": "brought", "referred_by": "13800000001"}, "取值不在允许范围"),
    ],
    ids=["kind-without-the-old-customer", "absent-yet-present", "unknown-kind"],
)
def test_a_referral_that_cannot_be_so_is_refused(extra: dict[str, object], words: str) -> None:
    with pytest.raises(FactError) as caught:
        fact_from_dict(_registration(**extra))
    assert words in str(caught.value)


def test_s16_14_a_referral_without_its_kind_naming_the_consultant_keeps_v1s_words() -> None:
    """S16.14: a record written before the kind existed, the consultant named: v1's reason."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=10).visit("lisi", PHONE_B, name="李红", gender="F", referred_by=PHONE_A, named="zhangsan")
    v = r.verdict("s16", PHONE_B)
    assert ("S16.14", "老客户介绍(陪同或指名),归原销售 张三") in {(x.rule, x.zh) for x in v.reasons}
