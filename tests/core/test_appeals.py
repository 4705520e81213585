"""An appeal's outcome carries its consequence (issue 18, S18.17): when an appeal overturns the
manager's decision, the record says who owns the customer and from when (``owner``,
``effective_at``); deals closed from then on split as if he had owned him. The fines stay as
S18.17 gives them.

李四 hands in 王建国 on 3 March; a dispute is ruled for 李四 on 5 March; 张三 appeals.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from guishu.core.events import FactError, fact_from_dict
from tests.builders import PHONE_A, Record, at, penalties_of, split_of
from tests.core.test_preset_s18 import confirm

S18 = "s18"
ONE = Decimal(1)


def ruled_for_lisi() -> Record:
    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    r.on(4, 10).dispute(PHONE_A, "zhangsan", against="lisi")
    r.on(5, 11).ruling(PHONE_A, "lisi", rule="S18.16")
    return r


def test_s18_17_an_overturning_appeal_moves_the_customer_from_its_effective_time() -> None:
    """S18.17: the appeal (6 March) overturns the ruling: 张三's from 5 March 11:00, the ruling's
    time; the deciders are fined ¥500 each as before."""
    r = ruled_for_lisi()
    r.on(6, 11).appeal(
        PHONE_A, "zhangsan", "overturned", responsible=("zhaoliu",), owner="zhangsan", effective_at=at(5, 11)
    )
    att = r.decide(S18, at=at(7))
    v = att.verdict_for(PHONE_A)
    assert v is not None
    assert (v.owner.id, v.state, v.since) == ("zhangsan", "owned", at(5, 11))
    assert ("S18.17", "申诉改判: 自 2026-03-05 11:00 起归 张三") in {(x.rule, x.zh) for x in v.reasons}
    assert penalties_of(att, "zhaoliu") == [("S18.17", Decimal(500), "fine")]
    # and before the appeal, the record still said 李四
    assert r.owner(S18, PHONE_A, at=at(6, 10)) == "lisi"


def test_s18_17_without_its_consequence_an_overturn_only_fines() -> None:
    """S18.17 as recorded before the consequence existed: the owner stays with the ruling."""
    r = ruled_for_lisi()
    r.on(6, 11).appeal(PHONE_A, "zhangsan", "overturned", responsible=("zhaoliu",))
    assert r.owner(S18, PHONE_A, at=at(7)) == "lisi"


@pytest.mark.parametrize(
    ("deal_day", "before_appeal", "after_appeal"),
    [(5, {"lisi": ONE}, {"zhangsan": ONE}), (4, {"lisi": ONE}, {"lisi": ONE})],
    ids=["deal-after-the-effective-time", "deal-before-it"],
)
def test_s18_17_deals_from_the_effective_time_split_as_the_appeal_decided(
    deal_day: int, before_appeal: dict[str, Decimal], after_appeal: dict[str, Decimal]
) -> None:
    """S18.17: 李四's deal with 王建国 is re-split to 张三 when it was closed at or
    after the appeal's effective time (5 March 11:00); a deal closed before keeps its split."""
    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    r.on(4, 10).dispute(PHONE_A, "zhangsan", against="lisi")
    r.on(deal_day, 11, 30)
    deal = r.deal(PHONE_A, "lisi", "signing")
    r.on(5, 12).ruling(PHONE_A, "lisi", rule="S18.16")
    r.on(6, 11).appeal(PHONE_A, "zhangsan", "overturned", owner="zhangsan", effective_at=at(5, 11))
    assert split_of(r.decide(S18, at=at(6, 10)), deal) == before_appeal
    after = r.decide(S18, at=at(7))
    assert split_of(after, deal) == after_appeal
    split = next(s for s in after.splits if s.deal == deal.id)
    assert (split.rule == "S18.17") == (after_appeal != before_appeal)
    if split.rule == "S18.17":
        assert split.zh.startswith("申诉改判,成交按 张三 的客户计;")


def _appeal(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "appeal",
        "id": "a1",
        "at": "2026-03-06T11:00:00+08:00",
        "phone": "13800000001",
        "appellant": "zhangsan",
        "outcome": "overturned",
        **extra,
    }


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"outcome": "rejected", "owner": "zhangsan"}, "只有改判的申诉才能改变归属"),
        ({"effective_at": "2026-03-05T11:00:00+08:00"}, "effective_at 须同时给出 owner"),
        ({"owner": "zhangsan", "effective_at": "2026-03-07T11:00:00+08:00"}, "effective_at 不能晚于申诉时间"),
    ],
    ids=["rejected-with-an-owner", "time-without-owner", "effective-after-the-appeal"],
)
def test_an_appeal_consequence_that_cannot_be_is_refused(extra: dict[str, Any], words: str) -> None:
    with pytest.raises(FactError) as caught:
        fact_from_dict(_appeal(**extra))
    assert words in str(caught.value)
