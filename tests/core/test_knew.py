"""What "knew" means is one thing (issue 18), checked for the presets whose fines issue 18 names beside
S14.2 and S16.11: S1.2-S1.4 fine registers and entries handed in late and unauthorised
corrections, and S18.17 fines appeals; none of them reads what the receiver knew, so a knowing
registration there carries no fine and moves nothing. S18.24 reads whether the receiver *asked*
(``answers.asked``): recorded as asked, the split is 50/50; not recorded, he did not ask.
docs/versions.md ("What knew reads") gives the table.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.builders import PHONE_A, Record, at, penalties_of, split_of
from tests.core.test_preset_s18 import confirm

KNOWING = {"first_visit": False, "called_before": True, "named": "zhangsan"}


@pytest.mark.parametrize("answers", [KNOWING, {}], ids=["knowing", "not-asked"])
def test_s1_2_to_s1_4_no_fine_reads_what_the_receiver_knew(answers: dict[str, object]) -> None:
    """S1.2, S1.3, S1.4: 李四 registers 张三's customer, knowingly or not, on time and by the
    book: no fine, the first registration stands (S1.5, S1.C4)."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.on(4, 10).visit("lisi", PHONE_A, **answers)  # type: ignore[arg-type]
    att = r.decide("s1@v2")
    assert penalties_of(att, "lisi") == []
    assert r.owner("s1@v2", PHONE_A) == "zhangsan"


def test_s1_2_a_late_register_is_fined_whatever_was_known() -> None:
    """S1.2: lateness is what is fined: a register handed over the next day, knowing or not."""
    for answers in (KNOWING, {}):
        r = Record()
        r.visit("zhangsan", PHONE_A)
        r.on(5, 9).visit("lisi", PHONE_A, reception_at=at(4, 18), **answers)  # type: ignore[arg-type]
        assert penalties_of(r.decide("s1"), "lisi") == [("S1.2", Decimal(10), "fine")]


@pytest.mark.parametrize("answers", [KNOWING, {}], ids=["knowing", "not-asked"])
def test_s18_17_fines_the_appeal_not_the_knowledge(answers: dict[str, object]) -> None:
    """S18.17: a rejected appeal fines the appellant ¥400, whatever his registration said."""
    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    r.on(4, 10).visit("zhangsan", PHONE_A, **answers)  # type: ignore[arg-type]
    r.on(5, 11).ruling(PHONE_A, "lisi", rule="S18.16")
    r.on(6, 11).appeal(PHONE_A, "zhangsan", "rejected")
    assert penalties_of(r.decide("s18"), "zhangsan") == [("S18.17", Decimal(400), "fine")]


@pytest.mark.parametrize(
    ("asked", "split"),
    [
        (True, {"lisi": Decimal("0.5"), "zhangsan": Decimal("0.5")}),
        (False, {"lisi": Decimal(1)}),
        (None, {"lisi": Decimal(1)}),
    ],
    ids=["asked", "did-not-ask", "not-recorded"],
)
def test_s18_24_only_a_recorded_asking_shares_the_deal(asked: bool | None, split: dict[str, Decimal]) -> None:
    """S18.24: 李四 filed 王建国; 张三 receives and signs him, 李四 raises it in time: 50/50 only
    when 张三's registration records that he asked; otherwise the earlier filer's (S18.13)."""
    r = Record()
    confirm(r, "lisi", PHONE_A, 3)
    r.on(5, 10).visit("zhangsan", PHONE_A, asked=asked)
    deal = r.on(5, 11).deal(PHONE_A, "zhangsan", "signing")
    r.on(7, 12).dispute(PHONE_A, "lisi", against="zhangsan")
    assert split_of(r.decide("s18", at=at(12)), deal) == split
