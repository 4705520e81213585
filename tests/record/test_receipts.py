"""Receipts from the stored record (issue 12): one by one or many at once, the same documents,
each accepted by the pure check with the site's key."""

from __future__ import annotations

import pytest

from guishu.core import receipts as pure
from guishu.record import receipts, signing
from guishu.record.actions import append_fact
from tests.record.builders import make_project, visit

pytestmark = pytest.mark.django_db(transaction=True)


def test_many_receipts_at_once_are_the_single_ones() -> None:
    project = make_project()
    for i in range(6):
        append_fact(project=project, data=visit("zhangsan", f"1380000040{i}"))
    seqs = [1, 5, 11, 16, 16]
    many = receipts.issue_many(project, seqs)
    assert sorted(many) == [1, 5, 11, 16]
    for seq, r in many.items():
        assert r == receipts.issue(project, seq)
        assert pure.check(r, signing.public_key()) == []
    assert receipts.issue_many(project, []) == {}
    with pytest.raises(receipts.NoReceipt):
        receipts.issue_many(project, [17])


def test_a_head_signed_over_an_imported_future_time_reads_back_signed() -> None:
    """The head is signed in UTC, as it is stored: an imported fact's +08:00 time, later than
    the server's clock, leaves a head whose signature still holds when read back."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from guishu.record.actions import import_fact
    from guishu.record.verify import verify_chain

    project = make_project()
    later = (datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(days=1)).isoformat()
    appended = import_fact(project=project, data={**visit("zhangsan", "13800000500"), "at": later})
    r = receipts.issue(project, appended.entry.seq)
    assert pure.check(r, signing.public_key()) == []
    assert verify_chain(project).ok
