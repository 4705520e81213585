"""The reception rotation (轮序, ``core.rotation``): the front desk's queue replayed from queue and
reception facts over the duty record, and who receives the next walk-in, and why.

A desk on 5 March 2026 from 08:30 (Asia/Shanghai): consultants 张三 zhangsan, 李四 lisi (team A),
周七 zhouqi, 吴一 wuyi, 郑五 zhengwu (team B), manager 赵六 zhaoliu. Each change the desk makes is
checked (``Rotation.check``) and then recorded through the engine, a minute after the last.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from guishu.core.attribution import Attributor, decide
from guishu.core.events import Duty, Fact, QueueFact, Reception, Role, StaffJoined, fact_from_dict
from guishu.core.policy import Policy
from guishu.core.rotation import Assignment, NobodyEligible, QueueRefused, QueueView, Rotation, Route, Walkin
from guishu.core.rotation_view import NoRotation
from guishu.policies import load_preset, presets
from tests.builders import PHONE_A, PHONE_B, Record, at, split_of

PEOPLE: dict[str, tuple[str, Role, str | None]] = {
    "zhangsan": ("张三", "consultant", "A"),
    "lisi": ("李四", "consultant", "A"),
    "zhouqi": ("周七", "consultant", "B"),
    "wuyi": ("吴一", "consultant", "B"),
    "zhengwu": ("郑五", "consultant", "B"),
    "zhaoliu": ("赵六", "manager", None),
}
NAMES = {sid: name for sid, (name, _, _) in PEOPLE.items()}
OPEN = at(5, 8, 30)
HALF = Decimal("0.5")
ONE = Decimal(1)


class Desk:
    """One site's front desk under a preset: an engine fed fact by fact (the engine's ``queue`` is
    the rotation under test), a clock that moves a minute before each change or walk-in."""

    def __init__(self, preset: str | Policy = "s7", start: datetime = OPEN) -> None:
        self.policy = load_preset(preset) if isinstance(preset, str) else preset
        self.engine = Attributor(self.policy, catalogue=presets())
        self.facts: list[Fact] = []
        self.now = start
        self._n = 0
        for sid, (name, role, team) in PEOPLE.items():
            self.record(
                StaffJoined(id=f"j-{sid}", at=start - timedelta(days=30), staff=sid, name=name, role=role, team=team)
            )

    @property
    def queue(self) -> Rotation:
        return self.engine.queue

    def record(self, fact: Fact) -> Fact:
        self.engine.apply(fact)
        self.facts.append(fact)
        return fact

    def tick(self, minutes: float = 1) -> Desk:
        self.now += timedelta(minutes=minutes)
        return self

    def _id(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}{self._n}"

    # -- queue changes, checked as the desk checks them, then recorded
    def change(self, action: str, staff: str | None = None, **kw: Any) -> QueueFact:
        self.tick()
        f = QueueFact(id=self._id("q"), at=self.now, action=action, staff=staff, **kw)  # type: ignore[arg-type]
        self.queue.check(f)
        self.record(f)
        return f

    def sign_in(self, *staff: str) -> Desk:
        for s in staff:
            self.change("sign_in", s, confirmed="desk")
        return self

    def skip(self, staff: str, reason: str) -> QueueFact:
        return self.change("skip", staff, reason=reason)

    def duty(self, staff: str, status: str, until: datetime | None = None) -> Duty:
        self.tick()
        f = Duty(id=self._id("d"), at=self.now, staff=staff, status=status, until=until)  # type: ignore[arg-type]
        self.record(f)
        return f

    # -- walk-ins
    def assign(self, route: Route = "new", named: str | None = None) -> Assignment:
        self.tick()
        return self.queue.assign(Walkin(route, named), self.now)

    def receive(self, a: Assignment) -> Reception:
        """The desk appends the assignment as a ``reception`` fact, at the moment it was made."""
        f = fact_from_dict({**a.fact(), "id": self._id("r"), "at": self.now.isoformat()})
        assert isinstance(f, Reception)
        self.record(f)
        return f

    def next(self, route: Route = "new", named: str | None = None) -> Assignment:
        a = self.assign(route, named)
        self.receive(a)
        return a

    # -- reading
    def view(self) -> QueueView:
        return self.queue.view(self.now)

    def order(self) -> list[str]:
        return [x.staff for x in self.view().lines]

    def status(self, staff: str) -> str:
        line = self.view().line(staff)
        assert line is not None, f"{staff} is not in the queue"
        return line.status

    def counted(self) -> dict[str, int]:
        return {x.staff: x.counted for x in self.view().lines}

    def credits(self, staff: str) -> int:
        """The make-up turns owed to him (补接, S7.6)."""
        line = self.view().line(staff)
        assert line is not None, f"{staff} is not in the queue"
        return line.credits


def desk(preset: str = "s7", *signed_in: str) -> Desk:
    """A desk whose consultants ``signed_in`` (default 张三, 李四, 周七) signed in, in that order."""
    return Desk(preset).sign_in(*(signed_in or ("zhangsan", "lisi", "zhouqi")))


# --------------------------------------------------------------------------- S7.3, S11.1


@pytest.mark.parametrize(
    ("preset", "rule"),
    [("s7", "S7.3"), ("s11", "S11.1"), ("s10", "S10.2"), ("s16", "S7.3"), ("s8", "S7.3")],
)
def test_s7_3_first_visitors_go_round_the_queue_in_sign_in_order(preset: str, rule: str) -> None:
    """S7.3, S11.1: a first-time visitor goes to the first ready consultant in sign-in
    order, counted one; the receiver goes to the back, and the next visitor goes to the next."""
    # given: 张三, 李四, 周七 signed in, in that order
    d = desk(preset)
    assert d.order() == ["zhangsan", "lisi", "zhouqi"]
    assert d.view().up == "zhangsan" and d.view().on_deck == "lisi"
    # when: a first-time visitor arrives
    first = d.next()
    # then: 张三's, counted one, on the preset's rotation rule; 张三 goes to the back
    assert (first.consultant, first.counted, first.rule, first.route) == ("zhangsan", True, rule, "new")
    assert first.skipped == () and first.eligible == ("zhangsan", "lisi", "zhouqi")
    assert d.order() == ["lisi", "zhouqi", "zhangsan"]
    assert d.status("zhangsan") == "with_customer"
    assert d.counted() == {"lisi": 0, "zhouqi": 0, "zhangsan": 1}
    # when: two more arrive while 张三 is still with his; then he is back and a fourth arrives
    assert [d.next().consultant, d.next().consultant] == ["lisi", "zhouqi"]
    d.change("back", "zhangsan")
    fourth = d.next()
    # then: each in turn, each counted one, and the fourth is 张三's again (nobody passed over)
    assert fourth.consultant == "zhangsan" and fourth.skipped == ()
    assert d.counted() == {"lisi": 1, "zhouqi": 1, "zhangsan": 2}


def test_s11_1_a_roster_order_replaces_the_sign_in_order() -> None:
    """S11.1 strict rotation on a manager's fixed roster: the day's ``roster`` orders the
    queue whatever the sign-in order, where the policy orders by roster."""
    # given: a policy whose queue follows the manager's roster, 周七 first
    p = load_preset("s11")
    d = Desk(p.model_copy(update={"rotation": p.rotation.model_copy(update={"order": "roster"})}))
    d.change("roster", order=("zhouqi", "zhangsan", "lisi"))
    # when: they sign in 李四, 张三, 周七
    d.sign_in("lisi", "zhangsan", "zhouqi")
    # then: the queue follows the roster, and the first visitor is 周七's
    assert d.order() == ["zhouqi", "zhangsan", "lisi"]
    a = d.next()
    assert (a.consultant, a.rule) == ("zhouqi", "S11.1")


# --------------------------------------------------------------------------- S16.7


@pytest.mark.parametrize("preset", ["s16", "s7", "s8"])
def test_s16_7_passed_over_with_a_customer_he_keeps_his_turn(preset: str) -> None:
    """S16.7 累计: the turn comes round to 张三 while he is still receiving his last customer:
    the next receives, the pass is recorded on the reception with its reason, and he keeps his
    place, so when he is back the next walk-in is his."""
    # given: three first visitors went round 张三, 李四, 周七; 李四 is back, 张三 is not
    d = desk(preset)
    assert [d.next().consultant for _ in range(3)] == ["zhangsan", "lisi", "zhouqi"]
    d.change("back", "lisi")
    assert d.order() == ["zhangsan", "lisi", "zhouqi"] and d.status("zhangsan") == "with_customer"
    # when: a fourth arrives
    a = d.next()
    # then: 李四 receives; 张三 is passed over "with a customer" and keeps his turn, first in order
    assert a.consultant == "lisi"
    assert a.skipped == (("zhangsan", "with_customer"),)
    assert "跳过 张三(正在接待客户,保留轮次) [S16.7]" in a.zh
    assert "passed over 张三 (receiving a customer, keeps his turn) [S16.7]" in a.en
    reception = d.queue.receptions[d.facts[-1].id]
    assert [(x.staff, x.reason) for x in reception.skipped] == [("zhangsan", "with_customer")]
    assert d.order() == ["zhangsan", "zhouqi", "lisi"]
    assert d.queue.tallies[OPEN.date()]["zhangsan"].kept == 1
    # when: he is back, and so is 周七, and another arrives
    d.change("back", "zhangsan")
    d.change("back", "zhouqi")
    # then: the kept turn is his, before 周七
    assert d.next().consultant == "zhangsan"


@pytest.mark.parametrize(
    ("reason", "status"),
    [("with_customer", "with_customer"), ("sales_work", "sales_work"), ("old_customer", "with_customer")],
)
def test_s16_7_a_manual_skip_for_sales_business_keeps_the_turn(reason: str, status: str) -> None:
    """S16.7 累计: the desk skips the one up for a customer or sales work: he keeps his place
    (first in order), the next walk-in passes him with that reason, and when back he is next."""
    # given
    d = desk("s16")
    # when: the desk skips 张三 with a reason that keeps the turn
    d.skip("zhangsan", reason)
    # then: he keeps his place; the next visitor goes to 李四, passing him, recorded
    assert d.order() == ["zhangsan", "lisi", "zhouqi"] and d.status("zhangsan") == status
    a = d.next()
    assert a.consultant == "lisi" and [s for s, _ in a.skipped] == ["zhangsan"]
    d.change("back", "zhangsan")
    assert d.next().consultant == "zhangsan"


@pytest.mark.parametrize("reason", ["absent", "non_sales", "on_break", "duty_away"])
def test_s16_7_a_manual_skip_for_anything_else_loses_the_turn(reason: str) -> None:
    """S16.7 轮空: skipped while absent, on non-sales business, on a break or recorded away,
    he goes to the back at once: the turn is lost and does not come back when he does."""
    # given
    d = desk("s16")
    # when
    d.skip("zhangsan", reason)
    # then: last in order, one lost turn; the next two visitors go to 李四 and 周七, passing nobody
    assert d.order() == ["lisi", "zhouqi", "zhangsan"]
    tally = d.queue.tallies[OPEN.date()]["zhangsan"]
    assert (tally.offered, tally.lost, tally.kept) == (1, 1, 0)
    d.change("back", "zhangsan")
    first, second = d.next(), d.next()
    assert (first.consultant, first.skipped, second.consultant) == ("lisi", (), "zhouqi")


@pytest.mark.parametrize("preset", ["s16", "s7", "s8"])
def test_s16_7_on_a_break_when_his_turn_comes_he_loses_it(preset: str) -> None:
    """S16.7 轮空: the one up is on a break when a walk-in comes: the next receives, the pass
    is recorded ("on_break"), and he goes to the back: back from the break, he waits his turn."""
    # given: 张三 up, on a break
    d = desk(preset)
    d.change("break", "zhangsan")
    # when
    a = d.next()
    # then: 李四's; 张三 lost his turn: behind 周七, ahead only of 李四 who just received
    assert (a.consultant, a.skipped) == ("lisi", (("zhangsan", "on_break"),))
    assert "跳过 张三(休息中,轮空) [S16.7]" in a.zh and "loses his turn" in a.en
    assert d.order() == ["zhouqi", "zhangsan", "lisi"]
    d.change("back", "zhangsan")
    assert d.next().consultant == "zhouqi"
    assert d.next().consultant == "zhangsan"


# --------------------------------------------------------------------------- S7.6


def test_s7_6_passed_over_for_an_old_customer_he_gets_one_make_up_turn() -> None:
    """S7.6 补接一次 (s7, make_up_for old_customer): the one up with an old customer present
    is skipped; the next receives and he is owed a make-up turn, which he takes with the next
    counted walk-in once he is back, before the order, once."""
    # given: 张三 up, skipped for an old customer of his; then, still busy, he takes a break and
    # a visitor passes him while he is on it (the place is lost, the make-up is still owed)
    d = desk("s7", "zhangsan", "lisi", "zhouqi", "wuyi")
    d.skip("zhangsan", "old_customer")
    assert d.credits("zhangsan") == 1
    d.change("break", "zhangsan")
    passed = d.next()
    assert passed.consultant == "lisi" and passed.skipped == (("zhangsan", "on_break"),)
    assert d.order() == ["zhouqi", "wuyi", "zhangsan", "lisi"]
    # when: he is back and a first-time visitor comes
    d.change("back", "zhangsan")
    assert d.view().up == "zhangsan"
    make_up = d.next()
    # then: his make-up turn, before 周七 and 吴一 who are ahead of him, counted, on S7.6
    assert (make_up.consultant, make_up.make_up, make_up.counted, make_up.rule) == ("zhangsan", True, True, "S7.6")
    assert make_up.skipped == ()
    assert "[S7.6] 张三 补接一次" in make_up.zh
    assert d.credits("zhangsan") == 0
    assert d.queue.tallies[OPEN.date()]["zhangsan"].make_ups == 1
    # when: he is back again: the credit was used once, the order goes on
    d.change("back", "zhangsan")
    after = d.next()
    assert (after.consultant, after.make_up) == ("zhouqi", False)


def test_s7_6_a_make_up_turn_skips_nobody_and_counts_once() -> None:
    """S7.6: the make-up goes first, so nobody ahead of him is passed over on it."""
    d = desk("s7")
    d.skip("lisi", "old_customer")  # not up: 张三 is; 李四 had an old customer
    d.change("back", "lisi")
    a = d.next()
    assert (a.consultant, a.make_up, a.skipped) == ("lisi", True, ())
    assert d.counted() == {"zhangsan": 0, "zhouqi": 0, "lisi": 1}
    assert d.order() == ["zhangsan", "zhouqi", "lisi"]


@pytest.mark.parametrize("preset", ["s8", "s16"])
def test_s7_6_no_make_up_where_the_policy_grants_none(preset: str) -> None:
    """S7.6 is s7's: under a policy without ``make_up_for`` a skip for an old customer owes
    nothing; back, he waits for his place in the order."""
    d = desk(preset)
    d.skip("lisi", "old_customer")
    assert d.credits("lisi") == 0
    d.change("back", "lisi")
    a = d.next()
    assert (a.consultant, a.make_up) == ("zhangsan", False)


def test_s7_6_a_manager_may_grant_a_make_up_turn() -> None:
    """S7.6: the manager grants 补接一次 (``make_up`` with his note): the next counted walk-in
    is that consultant's."""
    d = desk("s8")
    d.change("make_up", "zhouqi", note="昨日漏接,经理补接")
    a = d.next()
    assert (a.consultant, a.make_up, a.rule) == ("zhouqi", True, "S7.6")


def test_s7_6_passed_over_while_receiving_his_own_old_customer_is_owed_a_make_up() -> None:
    """S7.6 "如有老客户在场…由下一位销售代表接待,待接待完老客户以后,再补接一次": 张三 is up
    and receiving a returning customer of his when a first-time visitor comes: the pass is for an
    old customer of his, and s7 owes him a make-up turn."""
    # given: 张三 up, receiving his own returning customer (the desk assigned him, not a turn)
    d = desk("s7")
    d.next("returning", "zhangsan")
    # when
    a = d.next()
    # then: 李四 receives; 张三 passed over for his old customer, owed a make-up
    assert a.consultant == "lisi"
    assert a.skipped == (("zhangsan", "old_customer"),)
    assert d.credits("zhangsan") == 1


# --------------------------------------------------------------------------- S7.4, S16.6, S4.9, S10.8


def _away(d: Desk, how: str) -> None:
    """Make 张三 (signed in first) unavailable: receiving a customer, or recorded busy / away."""
    if how == "with_customer":
        d.next("returning", "zhangsan")
    else:
        d.duty("zhangsan", how, until=at(6))


@pytest.mark.parametrize("preset", ["s7", "s16"])
def test_s7_4_an_appointment_with_a_ready_consultant_is_his_not_a_turn(preset: str) -> None:
    """S7.4: an appointment customer of X arrives and X is ready: X receives; not a turn, the
    order and the counts stay as they were."""
    d = desk(preset, "lisi", "zhangsan", "zhouqi")
    a = d.next("appointment", "zhangsan")
    assert (a.consultant, a.counted, a.stand_in, a.named, a.rule) == ("zhangsan", False, False, "zhangsan", "S7.4")
    assert d.order() == ["lisi", "zhangsan", "zhouqi"]
    assert set(d.counted().values()) == {0}
    assert d.queue.tallies[OPEN.date()]["zhangsan"].helped == 1


@pytest.mark.parametrize(
    ("preset", "route", "rule"),
    [("s7", "appointment", "S7.4"), ("s16", "returning", "S16.6"), ("s16", "appointment", "S16.6")],
)
@pytest.mark.parametrize("how", ["with_customer", "busy", "sick", "day_off", "out"])
def test_s7_4_s16_6_the_last_in_rotation_stands_in_for_an_unavailable_consultant(
    preset: str, route: Route, rule: str, how: str
) -> None:
    """S7.4 "由轮序最后一位协助,不做轮空", S16.6 "轮序最后一位协助": X is receiving a customer,
    busy, sick, off or out: the last ready in rotation helps, not counted, the order unchanged; the
    customer stays X's (named) and the reception says so."""
    # given: 张三, 李四, 周七, 吴一 signed in; 张三 then unavailable
    d = desk(preset, "zhangsan", "lisi", "zhouqi", "wuyi")
    _away(d, how)
    before = d.order()
    # when: his customer arrives
    a = d.next(route, "zhangsan")
    # then: 吴一, last in rotation, helps for 张三; not a turn
    assert (a.consultant, a.counted, a.stand_in, a.named, a.rule) == ("wuyi", False, True, "zhangsan", rule)
    assert "轮序最后一位 吴一 协助接待,不计轮次,客户仍归 张三" in a.zh
    assert "the last in rotation, 吴一, helps; not a turn, still 张三's" in a.en
    assert d.order() == before
    assert d.counted().get("wuyi") == 0
    rec = d.queue.receptions[d.facts[-1].id]
    assert (rec.stand_in, rec.named, rec.counted) == (True, "zhangsan", False)


def test_s7_4_a_consultant_off_today_is_not_in_the_queue_and_the_last_stands_in() -> None:
    """S7.4: X is recorded on a day off and never signed in: the last in rotation helps, and
    the words say X is off today."""
    d = Desk("s7")
    d.duty("zhangsan", "day_off", until=at(6))
    d.sign_in("lisi", "zhouqi", "wuyi")
    a = d.next("appointment", "zhangsan")
    assert (a.consultant, a.stand_in, a.counted) == ("wuyi", True, False)
    assert "张三今日休息日" in a.zh and "张三 is on a day off" in a.en


def test_s7_4_an_appointment_whose_consultant_is_absent_for_another_reason_is_a_turn() -> None:
    """S7.4 "除上述原因之外,该客户归属轮值销售代表,计轮值销售代表接待客户一次": X recorded
    absent (缺勤, none of the four reasons): the rotation consultant receives, counted one."""
    d = desk("s7", "zhangsan", "lisi", "zhouqi", "wuyi")
    d.duty("zhangsan", "absent", until=at(6))
    a = d.assign("appointment", "zhangsan")
    assert (a.consultant, a.counted, a.stand_in) == ("lisi", True, False)


def test_s4_9_the_fewest_counted_today_stands_in_first_in_order_on_ties() -> None:
    """S4.9 最少制 (s4, stand_in "fewest"): the customer asks for 张三, who is off: of those
    ready, the one with the fewest counted receptions today helps, the first in order on a tie;
    not a turn."""
    # given: 张三 off; 李四 and 周七 received one each; the manager moved 李四 to the front
    d = Desk("s4")
    d.duty("zhangsan", "day_off", until=at(6))
    d.sign_in("lisi", "zhouqi", "wuyi", "zhengwu")
    assert [d.next().consultant, d.next().consultant] == ["lisi", "zhouqi"]
    d.change("back", "lisi")
    d.change("back", "zhouqi")
    d.change("move", "lisi", position=1, note="经理调整")
    assert d.order() == ["lisi", "wuyi", "zhengwu", "zhouqi"]
    # when: 张三's customer arrives
    a = d.next("returning", "zhangsan")
    # then: 吴一 and 郑五 received none; 吴一 is first of them in order (not 李四, first; not 周七, last)
    assert (a.consultant, a.rule, a.stand_in, a.counted) == ("wuyi", "S4.9", True, False)
    assert "接待次数最少者(最少制) 吴一" in a.zh
    assert d.counted() == {"lisi": 1, "wuyi": 0, "zhengwu": 0, "zhouqi": 1}


@pytest.mark.parametrize(("mate_on_break", "expected"), [(False, "lisi"), (True, "zhouqi")])
def test_s10_8_the_next_of_his_team_stands_in_else_another_team(mate_on_break: bool, expected: str) -> None:
    """S10.8 (s10@v2, team_fallback): A (张三, team A) is away: the next ready of A's team
    (李四) receives, though 周七 (team B) is ahead; A's whole team away: the next of another team."""
    # given: 周七, 李四, 吴一 signed in; 张三 out
    d = Desk("s10@v2")
    d.duty("zhangsan", "out", until=at(6))
    d.sign_in("zhouqi", "lisi", "wuyi")
    if mate_on_break:
        d.change("break", "lisi")
    # when
    a = d.next("returning", "zhangsan")
    # then
    assert (a.consultant, a.rule, a.stand_in, a.counted, a.named) == (expected, "S10.8", True, False, "zhangsan")
    assert ("同组下一位" if not mate_on_break else "他组顾问") in a.zh
    assert d.order() == ["zhouqi", "lisi", "wuyi"]


# --------------------------------------------------------------------------- S7.5, S1.C11


@pytest.mark.parametrize("preset", ["s1", "s7", "s16"])
def test_s7_5_a_deposit_only_visitor_is_helped_by_his_consultant_if_ready(preset: str) -> None:
    """S7.5 义务协助: here only to pay a deposit or sign, his consultant ready: his consultant
    receives; not a turn, the order unchanged."""
    d = desk(preset, "lisi", "zhangsan", "zhouqi")
    a = d.next("deposit_only", "zhangsan")
    assert (a.consultant, a.counted, a.rule, a.stand_in) == ("zhangsan", False, "S7.5", False)
    assert d.order() == ["lisi", "zhangsan", "zhouqi"] and set(d.counted().values()) == {0}


@pytest.mark.parametrize("preset", ["s1", "s7", "s16"])
def test_s1_c11_a_deposit_without_asking_for_his_consultant_is_helped_by_the_first_ready(preset: str) -> None:
    """S1.C11 "客户未找置业顾问,直接交定的 -- 其招待置业顾问属于义务招待", S7.5: the first
    ready helps; not a turn, the order and counts unchanged."""
    d = desk(preset)
    d.change("break", "zhangsan")
    a = d.next("deposit_only")
    assert (a.consultant, a.counted, a.rule, a.route) == ("lisi", False, "S7.5", "deposit_only")
    assert a.zh == "[S7.5] 仅来交定金/签约,由 李四 义务协助,不计轮次,归属不变"
    assert d.order() == ["zhangsan", "lisi", "zhouqi"] and set(d.counted().values()) == {0}
    assert d.queue.tallies[OPEN.date()]["lisi"].helped == 1


@pytest.mark.parametrize(
    "preset",
    [
        "s1",
        "s8",
        pytest.param(
            "s7",
        ),
        pytest.param(
            "s16",
        ),
    ],
)
def test_s7_5_a_deposit_only_visitor_whose_consultant_is_away_is_helped_by_the_first_ready(preset: str) -> None:
    """S7.5, S1.C11: his consultant away, the first ready helps (义务协助) on S7.5; not a
    turn, the order unchanged, the customer still his consultant's."""
    d = Desk(preset)
    d.duty("zhangsan", "day_off", until=at(6))
    d.sign_in("lisi", "zhouqi", "wuyi")
    a = d.next("deposit_only", "zhangsan")
    assert (a.consultant, a.counted, a.rule, a.named) == ("lisi", False, "S7.5", "zhangsan")
    assert d.order() == ["lisi", "zhouqi", "wuyi"]


# --------------------------------------------------------------------------- S18.23, S8.9


def test_s18_23_sent_by_staff_goes_to_the_duty_consultant_counted() -> None:
    """S18.23 "以客户到达售楼处时间为准,确定为当时值班业务员的客户": sent by developer or
    non-sales staff: the first ready at arrival receives, counted one; he may not pick."""
    from guishu.core.desk_routing import Answers, route

    d = desk("s18")
    d.change("break", "zhangsan")
    routed = route(d.policy, Answers(sent_by_staff=True, consultant="zhouqi", been_here=True))
    a = d.next(routed.walkin.route, routed.walkin.named)
    assert (a.consultant, a.counted, a.rule, a.route, a.named) == ("lisi", True, "S18.23", "sent_by_staff", None)
    assert "当时轮值顾问 李四 接待,不得挑选" in a.zh
    assert d.order() == ["zhouqi", "zhangsan", "lisi"]
    assert d.counted()["lisi"] == 1


def test_s8_9_a_refused_consultant_is_passed_and_the_next_in_rotation_receives_counted() -> None:
    """S8.9 "经理审核后,由下一位轮序顾问接待": the customer refused 张三 after the manager's
    review: the next ready in rotation other than 张三 receives, counted; 张三 is not passed over
    (he keeps his place) and is not eligible for this one."""
    d = desk("s8")
    a = d.next("refused", "zhangsan")
    assert (a.consultant, a.counted, a.rule, a.named, a.route) == ("lisi", True, "S8.9", "zhangsan", "refused")
    assert a.skipped == () and a.eligible == ("lisi", "zhouqi")
    assert "拒绝 张三" in a.zh and "李四" in a.zh
    assert d.order() == ["zhangsan", "zhouqi", "lisi"]


def test_s8_9_a_refused_consultant_who_holds_a_make_up_is_not_given_the_customer() -> None:
    """S8.9, S7.6: a make-up turn owed to the refused consultant waits; the next receives."""
    d = desk("s7")
    d.change("make_up", "zhangsan", note="补接")
    a = d.next("refused", "zhangsan")
    assert (a.consultant, a.make_up) == ("lisi", False)
    assert d.credits("zhangsan") == 1


def test_a_refused_route_cites_the_policy_s_refusal_rule() -> None:
    """S18.25 (s18 refusal.rule): the assignment cites the site's own refusal rule, as the
    desk's guided route does."""
    from guishu.core.desk_routing import Answers, route

    d = desk("s18")
    routed = route(d.policy, Answers(refused="zhangsan"))
    a = d.assign(routed.walkin.route, routed.walkin.named)
    assert routed.rule == "S18.25"
    assert a.rule == routed.rule


# --------------------------------------------------------------------------- duty wins


@pytest.mark.parametrize("status", ["day_off", "sick", "absent", "out"])
def test_duty_off_cannot_sign_in(status: str) -> None:
    """duty wins (rotation docstring; S7.4, S16.6 read the duty record): recorded off,
    sick, absent or out for the moment, he cannot sign in; the refusal names the field and says
    why in Chinese and English; after the duty ends he can."""
    d = Desk("s7")
    d.duty("zhangsan", status, until=OPEN + timedelta(hours=2))
    with pytest.raises(QueueRefused) as refused:
        d.change("sign_in", "zhangsan", confirmed="desk")
    assert refused.value.field == "staff"
    assert refused.value.zh.startswith("张三 今日排班为") and refused.value.zh.endswith("不能签到")
    assert "cannot sign in" in refused.value.en
    assert refused.value.message == f"{refused.value.zh} / {refused.value.en}"
    d.tick(120)
    d.sign_in("zhangsan")
    assert d.order() == ["zhangsan"]


def test_duty_a_refused_sign_in_in_the_record_changes_nothing_on_replay() -> None:
    """a queue change the queue would refuse (an imported record may hold one) changes
    nothing: the queue stays as it was."""
    d = Desk("s7")
    d.duty("zhangsan", "sick", until=at(6))
    d.sign_in("lisi")
    d.tick()
    d.record(QueueFact(id="imported", at=d.now, action="sign_in", staff="zhangsan", confirmed="code"))
    assert d.order() == ["lisi"]


@pytest.mark.parametrize("status", ["out", "sick", "day_off"])
def test_duty_recorded_away_after_signing_in_is_passed_over_and_loses_the_turn(status: str) -> None:
    """duty wins: signed in, then recorded away: the queue shows him "recorded away"; the next
    walk-in passes him with the reason "duty_away" and he goes to the back (轮空, S16.7)."""
    d = desk("s7")
    d.duty("zhangsan", status, until=at(5, 12))
    assert d.status("zhangsan") == "duty_away" and d.view().up == "lisi"
    a = d.next()
    assert (a.consultant, a.skipped) == ("lisi", (("zhangsan", "duty_away"),))
    assert "跳过 张三(排班记录不在岗,轮空)" in a.zh
    assert d.order() == ["zhouqi", "zhangsan", "lisi"]
    assert d.queue.tallies[OPEN.date()]["zhangsan"].lost == 1


def test_duty_busy_shows_him_on_sales_work_and_he_keeps_the_turn() -> None:
    """duty wins, S16.7 累计: recorded busy (the duty record's busy) after signing in: he is
    on sales work; passed over, he keeps his place."""
    d = desk("s16")
    d.duty("zhangsan", "busy", until=at(5, 12))
    assert d.status("zhangsan") == "sales_work"
    a = d.next()
    assert (a.consultant, a.skipped) == ("lisi", (("zhangsan", "sales_work"),))
    assert d.order() == ["zhangsan", "zhouqi", "lisi"]


# --------------------------------------------------------------------------- the day


def test_the_queue_resets_at_the_site_local_start_of_day() -> None:
    """the queue resets at the site-local start of each day: yesterday's sign-ins are not
    today's queue, today's counts start at nought, and he signs in again."""
    # given: 张三 and 李四 signed in on the 5th; 张三 received one just before midnight
    d = Desk("s7", start=at(5, 23, 50))
    d.sign_in("zhangsan", "lisi")
    d.next()
    assert d.counted() == {"lisi": 0, "zhangsan": 1}
    # when: it is ten past midnight on the 6th
    d.now = at(6, 0, 10)
    # then: nobody is in today's queue; a walk-in finds nobody; 张三 may sign in again, counted nought
    assert d.view().lines == () and d.view().at is None
    assert d.queue.view(at(5, 23, 59)).up == "lisi"  # the 5th's queue is still the 5th's
    with pytest.raises(NobodyEligible):
        d.assign()
    with pytest.raises(QueueRefused):
        d.change("back", "zhangsan")  # not signed in today
    d.sign_in("zhangsan")
    assert d.counted() == {"zhangsan": 0}
    assert d.queue.tallies[at(5).date()]["zhangsan"].taken == 1
    assert at(6).date() not in d.queue.tallies or "zhangsan" not in d.queue.tallies[at(6).date()]


def test_the_day_is_the_site_s_local_day_not_utc() -> None:
    """the day is Asia/Shanghai's: signed in at 07:00 on the 5th (23:00 UTC on the 4th), he is
    still in the queue at 09:00 (01:00 UTC on the 5th), asked in either zone."""
    d = Desk("s7", start=at(5, 6, 59))
    d.sign_in("zhangsan")
    later = at(5, 9)
    assert [x.staff for x in d.queue.view(later).lines] == ["zhangsan"]
    assert d.queue.view(later.astimezone(UTC)).up == "zhangsan"
    assert d.queue.day_of(at(5, 7)) == at(5).date()


# --------------------------------------------------------------------------- refusals


def test_nobody_eligible_when_nobody_is_ready() -> None:
    """NobodyEligible when nobody in the queue can receive: nobody signed in, or all on a
    break, receiving or away; the refusal is a QueueRefused of field "queue", in zh and en."""
    d = Desk("s7")
    with pytest.raises(NobodyEligible) as empty:
        d.assign()
    assert empty.value.field == "queue" and "没有可接待的顾问" in empty.value.zh and "nobody" in empty.value.en
    d.sign_in("zhangsan", "lisi")
    d.change("break", "zhangsan")
    d.next()  # 李四 receives
    for route, named in (("new", None), ("deposit_only", None), ("returning", "zhangsan"), ("refused", "zhangsan")):
        with pytest.raises(NobodyEligible):
            d.assign(route, named)  # type: ignore[arg-type]
    assert isinstance(NobodyEligible("queue", "x", "y"), QueueRefused)


@pytest.mark.parametrize(
    ("steps", "action", "kw", "field", "zh", "en"),
    [
        (
            (),
            "sign_in",
            {"staff": "nobody", "confirmed": "desk"},
            "staff",
            "不是本案场的置业顾问",
            "not a sales consultant",
        ),
        (
            (),
            "sign_in",
            {"staff": "zhaoliu", "confirmed": "desk"},
            "staff",
            "赵六 不是本案场",
            "not a sales consultant",
        ),
        ((), "sign_in", {"staff": "zhangsan", "confirmed": "code"}, "staff", "张三 已签到", "signed in already"),
        ((), "back", {"staff": "zhangsan"}, "action", "张三 已在待接", "ready already"),
        ((("break", "lisi"),), "break", {"staff": "lisi"}, "action", "李四 已在休息", "on a break already"),
        ((), "break", {"staff": "wuyi"}, "staff", "吴一 今日未签到", "has not signed in today"),
        ((), "move", {"staff": "lisi", "position": 4, "note": "调整"}, "position", "1-3", "must be 1-3"),
        ((), "roster", {"order": ("lisi", "zhaoliu")}, "order", "不是本案场的置业顾问", "not a sales consultant"),
    ],
    ids=["unknown", "manager", "twice", "back-when-ready", "break-twice", "not-signed-in", "move-beyond", "roster"],
)
def test_check_refuses_impossible_changes_naming_the_field(
    steps: tuple[tuple[str, str], ...], action: str, kw: dict[str, Any], field: str, zh: str, en: str
) -> None:
    """Rotation.check refuses a change the queue cannot take before it is written, naming
    the field, in Chinese and English; the queue is unchanged."""
    d = desk("s7")
    for step, who in steps:
        d.change(step, who)
    before = d.view()
    with pytest.raises(QueueRefused) as refused:
        d.change(action, **kw)
    assert (refused.value.field, type(refused.value)) == (field, QueueRefused)
    assert zh in refused.value.zh and en in refused.value.en
    assert str(refused.value) == f"{field}: {refused.value.zh} / {refused.value.en}"
    assert d.view().lines == before.lines


def test_check_accepts_a_move_to_the_last_place() -> None:
    """a move to the last place (the queue's length) is accepted and moves him there."""
    d = desk("s7")
    d.change("move", "zhangsan", position=3, note="经理调整")
    assert d.order() == ["lisi", "zhouqi", "zhangsan"]


@pytest.mark.parametrize(
    ("route", "named", "field"),
    [
        ("returning", None, "named"),
        ("appointment", None, "named"),
        ("refused", None, "named"),
        ("returning", "zhaoliu", "named"),
    ],
)
def test_assign_refuses_a_walk_in_without_the_consultant_it_needs(route: Route, named: str | None, field: str) -> None:
    """a returning, appointment or refused walk-in needs a sales consultant named."""
    d = desk("s7")
    with pytest.raises(QueueRefused) as refused:
        d.assign(route, named)
    assert refused.value.field == field and refused.value.zh and refused.value.en


# --------------------------------------------------------------------------- the words


def _on_break(preset: str, who: str, *, skip: str | None = None) -> Desk:
    d = desk(preset)
    if skip is not None:
        d.skip(who, skip)
        d.change("back", who)
    else:
        d.change("break", who)
    return d


def _fewest() -> Assignment:
    d = desk("s4", "zhangsan", "lisi")
    d.duty("zhangsan", "out", until=at(6))
    return d.assign("returning", "zhangsan")


SCENARIOS: dict[str, tuple[Callable[[], Assignment], str]] = {
    "new": (lambda: desk("s7").assign(), "zhangsan"),
    "passed-over": (lambda: _on_break("s7", "zhangsan").assign(), "lisi"),
    "make-up": (lambda: _on_break("s7", "zhouqi", skip="old_customer").assign(), "zhouqi"),
    "appointment": (lambda: desk("s7").assign("appointment", "lisi"), "lisi"),
    "stand-in": (lambda: _on_break("s7", "zhangsan").assign("appointment", "zhangsan"), "zhouqi"),
    "deposit": (lambda: desk("s7").assign("deposit_only"), "zhangsan"),
    "sent-by-staff": (lambda: desk("s18").assign("sent_by_staff"), "zhangsan"),
    "refused": (lambda: desk("s8").assign("refused", "zhangsan"), "lisi"),
    "fewest": (_fewest, "lisi"),
}


@pytest.mark.parametrize("case", list(SCENARIOS))
def test_every_assignment_names_its_rule_and_the_receiver_by_name(case: str) -> None:
    """S7.3, S7.4, S7.5, S7.6, S8.9, S4.9, S16.7, S18.23: every assignment's Chinese and English
    words open with its rule id in brackets and name the receiver (and whom he helps for, and whom
    the turn passed) by display name, never by id."""
    assign, receiver = SCENARIOS[case]
    a = assign()
    assert a.consultant == receiver
    named = [a.named] if a.named else []
    for words in (a.zh, a.en):
        assert words.startswith(f"[{a.rule}] "), words
        for who in [receiver, *named, *(s for s, _ in a.skipped)]:
            assert NAMES[who] in words, words
            assert who not in words, words


# --------------------------------------------------------------------------- fairness


def test_tallies_share_each_counted_turn_among_those_eligible() -> None:
    """S7.3, S16.7, S7.6: the day's tally per consultant: ``expected`` sums 1/len(eligible)
    over counted receptions, ``deviation`` = taken - expected; kept, lost and make-ups counted;
    helping is not a turn."""
    d = desk("s7")  # 张三, 李四, 周七
    d.next()  # 张三, of three eligible
    d.next()  # 李四, of 李四 and 周七 (张三 is with his customer)
    d.change("back", "zhangsan")
    d.change("break", "zhouqi")
    d.next()  # 张三: 周七 passed over on a break (lost); 李四 with his customer: 张三 alone eligible
    d.change("back", "lisi")
    d.skip("lisi", "old_customer")  # kept, a make-up owed
    d.change("back", "lisi")
    d.change("back", "zhouqi")
    d.next()  # 李四's make-up, of 李四 and 周七 (张三 still with his customer)
    d.next("appointment", "zhouqi")  # 周七 receives his own: helped, not counted
    tally = d.queue.tallies[OPEN.date()]
    third = 1 / 3
    assert {s: t.taken for s, t in tally.items()} == {"zhangsan": 2, "lisi": 2, "zhouqi": 0}
    assert tally["zhangsan"].expected == pytest.approx(third + 1)
    assert tally["lisi"].expected == pytest.approx(third + 1 / 2 + 1 / 2)
    assert tally["zhouqi"].expected == pytest.approx(third + 1 / 2 + 1 / 2)
    assert tally["zhouqi"].deviation == pytest.approx(-(third + 1))
    assert tally["zhangsan"].deviation == pytest.approx(2 - (third + 1))
    assert sum(t.expected for t in tally.values()) == pytest.approx(4)  # four counted receptions
    assert sum(t.deviation for t in tally.values()) == pytest.approx(0)
    assert (tally["zhouqi"].offered, tally["zhouqi"].lost, tally["zhouqi"].kept, tally["zhouqi"].helped) == (1, 1, 0, 1)
    assert (tally["lisi"].offered, tally["lisi"].kept, tally["lisi"].make_ups, tally["lisi"].new) == (3, 1, 1, 2)
    assert (tally["zhangsan"].offered, tally["zhangsan"].new, tally["zhangsan"].helped) == (2, 2, 0)


# --------------------------------------------------------------------------- the engine


def _received_by_stand_in(preset: str, registrant: str, *, cite: bool = True) -> tuple[Record, str]:
    """张三 owns 王建国 (PHONE_A, 2 March). On 5 March he is off; 李四, 周七, 吴一 signed in; the
    customer comes back asking for him; the desk assigns the stand-in; ``registrant`` registers the
    visit, citing the reception (or not)."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.on(5, 8, 0).duty("zhangsan", "day_off", until=at(6))
    for s in ("lisi", "zhouqi", "wuyi"):
        r.later(minutes=1).add(QueueFact, action="sign_in", staff=s, confirmed="desk")
    engine = r.engine(preset)
    r.later(minutes=30)
    a = engine.queue.assign(Walkin("returning", "zhangsan"), r.now)
    reception = fact_from_dict({**a.fact(), "id": "r1", "at": r.now.isoformat()})
    r.facts.append(reception)
    r.later(minutes=5).visit(registrant, PHONE_A, named="zhangsan", first_visit=False, reception="r1" if cite else None)
    return r, a.consultant


@pytest.mark.parametrize(("registrant", "by_rotation"), [("wuyi", True), ("lisi", False)])
def test_s7_4_the_engine_reads_the_desk_s_stand_in_from_the_cited_reception(registrant: str, by_rotation: bool) -> None:
    """S7.4 with the queue recorded: the registration cites the desk's reception; the desk
    assigned 吴一 (last in rotation) to help for 张三: 吴一's help is the rotation's; 李四, who
    registered instead, is not the desk's stand-in."""
    r, assigned = _received_by_stand_in("s7", registrant)
    assert assigned == "wuyi"
    v = r.verdict("s7", PHONE_A)
    assert v.owner.id == "zhangsan"
    words = [x.zh for x in v.reasons if x.rule == "S7.4"]
    if by_rotation:
        assert words[-1].endswith(";轮序最后一位(前台轮序指派)")
    else:
        assert words[-1].endswith(";前台轮序指派 吴一 协助,李四 不计辅助接待")


@pytest.mark.parametrize(
    ("registrant", "split"),
    [("wuyi", {"wuyi": HALF, "zhangsan": HALF}), ("lisi", {"zhangsan": ONE})],
    ids=["the-desk-s-stand-in", "another-receiver"],
)
def test_s16_6_s16_9_only_the_desk_s_stand_in_shares_the_deal(registrant: str, split: dict[str, Decimal]) -> None:
    """S16.6, S16.9 with the queue recorded: the desk assigned 吴一, last in rotation, to
    assist 张三's customer; 吴一 closes: 50/50. Another receiver who closes is no assistant: the
    deal is 张三's."""
    r, _ = _received_by_stand_in("s16", registrant)
    deal = r.on(5, 11).deal(PHONE_A, registrant)
    att = decide(r.facts, load_preset("s16"), catalogue=presets())
    assert split_of(att, deal) == split


def test_s16_6_without_the_desk_s_reception_cited_the_queue_at_the_visit_decides() -> None:
    """S16.6: queue facts recorded but the registration cites no reception: the queue's
    standing at the visit decides (李四, 周七 ready; 吴一 with the customer): 周七 is last."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.on(5, 8, 0).duty("zhangsan", "day_off", until=at(6))
    for s in ("lisi", "zhouqi"):
        r.later(minutes=1).add(QueueFact, action="sign_in", staff=s, confirmed="desk")
    r.later(minutes=30).visit("zhouqi", PHONE_A, named="zhangsan", first_visit=False)
    deal = r.on(5, 11).deal(PHONE_A, "zhouqi")
    att = decide(r.facts, load_preset("s16"), catalogue=presets())
    assert split_of(att, deal) == {"zhouqi": HALF, "zhangsan": HALF}


def _no_queue_record() -> Record:
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.on(5, 9).duty("zhangsan", "day_off", until=at(6))
    r.on(5, 10).visit("lisi", PHONE_A, named="zhangsan", first_visit=False)
    r.on(5, 10, 30).visit("zhouqi", PHONE_B, "李明")
    r.on(5, 11).deal(PHONE_A, "lisi")
    r.on(8, 11).deal(PHONE_B, "zhouqi")
    return r


@pytest.mark.parametrize("preset", ["s4", "s7", "s10@v2", "s16", "s8", "s18@v3"])
def test_a_record_without_queue_facts_decides_exactly_as_without_a_rotation(preset: str) -> None:
    """S4.9, S7.4, S16.6: a record holding no queue facts decides exactly as with no rotation
    at all (``NoRotation``): same verdicts, splits and reasons."""
    r = _no_queue_record()
    p = load_preset(preset)
    with_queue = decide(r.facts, p, catalogue=presets())
    without = decide(r.facts, p, catalogue=presets(), rotation=NoRotation())
    assert with_queue == without
    assert with_queue.verdicts  # the comparison is about something


def test_a_queue_change_keeps_the_unchanged_lines_of_the_view_before() -> None:
    """The queue at every moment is kept (the queue at t is a replay); a break changes one line,
    and the views share the others, so a day of changes does not cost a full queue each."""
    d = Desk().sign_in("zhangsan", "lisi", "zhouqi")
    before = d.queue.view(d.now)
    d.change("break", "lisi")
    after = d.queue.view(d.now)
    same = [a is b for a, b in zip(before.lines, after.lines, strict=True)]
    assert same == [True, False, True]
    assert [x.status for x in after.lines] == ["ready", "on_break", "ready"]
    assert before.lines[1].status == "ready"  # the earlier moment is unchanged
