"""The engine's interface to the reception rotation (issue 18; the rotation issue supplies the
queue): the split rules read who was last in rotation (S7.4, S16.6) and who had the fewest
receptions (S4.9 最少制) where the record holds the queue at that moment, and decide as before
where it does not.

张三 (team A) owns 王建国 (PHONE_A); on 5 March he is away; at 10:00 the customer asks for him.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from guishu.core.attribution import decide
from guishu.core.rotation_view import NoRotation, Snapshots, Standing
from guishu.core.verdict import Attribution
from guishu.policies import load_preset
from tests.builders import PHONE_A, Record, at, split_of

TZ = ZoneInfo("Asia/Shanghai")
HALF = Decimal("0.5")
ONE = Decimal(1)


def queue(*order: str, counts: dict[str, int] | None = None, when: datetime | None = None) -> Snapshots:
    """The queue from 5 March 08:30 (or ``when``) on: ``order`` next first, today's counts."""
    return Snapshots([Standing(when or at(5, 8, 30), order, counts or {})], TZ)


def away_and_received(receiver: str, status: str = "day_off") -> Record:
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.on(5, 9).duty("zhangsan", status, until=at(6, 0))
    r.on(5, 10).visit(receiver, PHONE_A, named="zhangsan")
    return r


def decided(r: Record, preset: str, rotation: Snapshots | None) -> Attribution:
    return decide(r.facts, load_preset(preset), rotation=rotation)


# --------------------------------------------------------------------------- the queue


def test_standing_names_the_last_and_the_fewest_in_queue_order() -> None:
    s = Standing(at(5, 9), ("lisi", "zhouqi", "wuyi", "zhangsan"), {"lisi": 3, "zhouqi": 1, "wuyi": 1})
    assert s.last == "zhangsan"
    assert s.fewest() == ("zhangsan",)  # nobody counted yet: zero
    assert s.fewest(excluding=("zhangsan",)) == ("zhouqi", "wuyi")
    assert s.stand_ins("last_in_rotation", excluding=("zhangsan",)) == ("wuyi",)
    assert s.stand_ins("fewest", excluding=("lisi", "zhouqi", "wuyi", "zhangsan")) == ()


def test_snapshots_hold_within_their_local_day_only() -> None:
    """The queue resets at the site-local start of day: yesterday's queue answers nothing today."""
    rotation = queue("lisi", "zhouqi", when=at(4, 9))
    assert rotation.standing(at(4, 8)) is None  # before the first state
    standing = rotation.standing(at(4, 23, 59))
    assert standing is not None and standing.order == ("lisi", "zhouqi")
    assert rotation.standing(at(5, 0)) is None
    assert NoRotation().standing(at(5, 0)) is None


# --------------------------------------------------------------------------- S4.9


@pytest.mark.parametrize(
    ("rotation", "split"),
    [
        (None, {"lisi": HALF, "zhangsan": HALF}),  # no queue recorded: as before
        (queue("zhouqi", "lisi", counts={"zhouqi": 2, "lisi": 1}), {"lisi": HALF, "zhangsan": HALF}),
        (queue("lisi", "zhouqi", counts={"lisi": 2, "zhouqi": 1}), {"zhangsan": ONE}),
    ],
    ids=["no-queue", "lisi-had-the-fewest", "zhouqi-had-the-fewest"],
)
def test_s4_9_the_stand_in_shares_the_first_deposit_only_if_the_least_count_rule_chose_him(
    rotation: Snapshots | None, split: dict[str, Decimal]
) -> None:
    """S4.9: "由老客户轮序中按最少制选出 B 接待 … b) B 促成首笔有效订金,分佣 50%". Where the queue
    shows someone else had received the fewest, 李四 only helped: the deposit is 张三's."""
    r = away_and_received("lisi")
    deposit = r.on(5, 11).deal(PHONE_A, "lisi", "deposit")
    att = decided(r, "s4", rotation)
    assert split_of(att, deposit) == split
    v = att.verdict_for(PHONE_A)
    assert v is not None and v.owner.id == "zhangsan"  # S4.9a: whoever stood in
    words = [x.zh for x in v.reasons if x.rule == "S4.9"]
    if rotation is not None and split == {"zhangsan": ONE}:
        assert words[-1].endswith(";按轮序(最少制,接待次数最少者)应由 周七 协助,李四 不计辅助接待")
    elif rotation is not None:
        assert words[-1].endswith(";最少制,接待次数最少者")


# --------------------------------------------------------------------------- S16.6, S16.9


@pytest.mark.parametrize(
    ("rotation", "assistant_closes", "owner_closes"),
    [
        (None, {"lisi": HALF, "zhangsan": HALF}, {"zhangsan": Decimal("0.7"), "lisi": Decimal("0.3")}),
        (
            queue("zhouqi", "lisi"),
            {"lisi": HALF, "zhangsan": HALF},
            {"zhangsan": Decimal("0.7"), "lisi": Decimal("0.3")},
        ),
        (queue("lisi", "zhouqi"), {"zhangsan": ONE}, {"zhangsan": ONE}),
    ],
    ids=["no-queue", "lisi-last-in-rotation", "zhouqi-last-in-rotation"],
)
def test_s16_6_only_the_last_in_rotation_is_the_assistant_s16_9_splits_with(
    rotation: Snapshots | None, assistant_closes: dict[str, Decimal], owner_closes: dict[str, Decimal]
) -> None:
    """S16.6: "第一接待休息,由轮序最后一位协助"; S16.9 splits 50/50 (assistant closes) or 70/30
    (the first receiver closes) with that assistant only."""
    for closer, expected in (("lisi", assistant_closes), ("zhangsan", owner_closes)):
        r = away_and_received("lisi")
        deal = r.on(5 if closer == "lisi" else 8, 11).deal(PHONE_A, closer)
        att = decided(r, "s16", rotation)
        assert split_of(att, deal) == expected, closer


# --------------------------------------------------------------------------- S7.4


@pytest.mark.parametrize(
    ("rotation", "said"),
    [
        (None, None),
        (queue("zhouqi", "lisi"), ";轮序最后一位"),
        (queue("lisi", "zhouqi"), ";按轮序(轮序最后一位)应由 周七 协助,李四 不计辅助接待"),
    ],
    ids=["no-queue", "lisi-last", "zhouqi-last"],
)
def test_s7_4_the_last_in_rotation_helps_the_appointment_customer(rotation: Snapshots | None, said: str | None) -> None:
    """S7.4: "X 忙于接待、病、休或外出办事,由轮序最后一位协助,不做轮空": X keeps his customer;
    the reason says whether the helper was the last in rotation."""
    r = away_and_received("lisi", status="sick")
    att = decided(r, "s7", rotation)
    v = att.verdict_for(PHONE_A)
    assert v is not None and v.owner.id == "zhangsan"
    words = [x.zh for x in v.reasons if x.rule == "S7.4"]
    assert words
    if said is None:
        assert words[-1].endswith(",归属不变")
    else:
        assert words[-1].endswith(said)


def test_s16_5_a_colleague_for_a_busy_owner_is_not_checked_against_the_rotation() -> None:
    """S16.5: present but busy, a colleague receives on his behalf: not the rotation's choice."""
    r = away_and_received("lisi", status="busy")
    att = decided(r, "s16", queue("lisi", "zhouqi"))
    v = att.verdict_for(PHONE_A)
    assert v is not None and not any("轮序" in x.zh for x in v.reasons if x.rule == "S16.5")


def test_policy_show_states_the_stand_in_choice() -> None:
    """S4.9, S7.4, S16.6: `policy show` states who the rotation makes the stand-in."""
    from guishu.core.policy_text import explain_policy

    s4, s7, s16 = ("\n".join(explain_policy(load_preset(k))) for k in ("s4", "s7", "s16"))
    tail = ";有轮序记录时据此核对,非轮序所选者只属协助,不分辅助接待的佣金。"
    assert "[S4.9] 原顾问不在时由接待次数最少者(最少制)代为接待" + tail in s4
    assert "[S7.4] 原顾问不在时由轮序最后一位代为接待" + tail in s7
    assert "[S16.6] 原顾问不在时由轮序最后一位代为接待" + tail in s16
    assert "代为接待;有轮序记录" not in "\n".join(explain_policy(load_preset("s8")))  # s8 names no choice
