"""The penalty book: penalties by (fact, key), dropped per fact when a group is replayed."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from guishu.core.penalties import PenaltyBook
from guishu.core.verdict import Penalty

AT = datetime(2026, 3, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _fine(staff: str, fact: str) -> Penalty:
    return Penalty(staff, Decimal(50), "S1.3", "漏登罚款", "fine for a missing entry", (fact,), AT)


def test_dropping_a_fact_removes_only_its_own_penalties() -> None:
    """S1.3: a replayed fact's fines are dropped (it will fine again); other facts' stay."""
    book = PenaltyBook()
    book[("r1", "phone")] = _fine("zhangsan", "r1")
    book[("r1", "name")] = _fine("zhangsan", "r1")
    book[("r2", "phone")] = _fine("lisi", "r2")
    book[("r1", "phone")] = _fine("zhangsan", "r1")  # set again: still one entry
    book.drop_fact("r1")
    assert list(book) == [("r2", "phone")]
    book.drop_fact("r1")  # nothing left to drop
    book[("r1", "phone")] = _fine("zhangsan", "r1")  # the replay fines again
    assert sorted(book) == [("r1", "phone"), ("r2", "phone")]
