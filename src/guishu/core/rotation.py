"""The reception rotation (轮序): the front desk's queue, and who receives the next walk-in.

Pure: the queue is a replay of the record's ``queue`` and ``reception`` facts over the site's
``duty`` facts (the planned status, which wins: someone recorded off cannot sign in, someone
recorded away is passed over). The queue resets at the site-local start of each day.

The queue is an order of the signed-in consultants; the one up is the first *ready* in it.
A counted reception (S7.3) moves its receiver to the back. Whoever the turn passed over is
recorded on the reception with the reason: passed over while receiving a customer or on sales
work, he keeps his place and so his turn (累计, S16.7); for any other reason (absent, non-sales
business, a break, recorded away) he goes to the back and the turn is lost (轮空, S16.7). A
consultant passed over for an old customer of his gets a make-up turn (补接一次, S7.6) where
the policy says so: the next counted walk-in is his, before the order. Helping is not a turn:
an appointment's or an owned customer's stand-in (S4.9, S7.4, S10.8, S16.6) and a deposit-only
visitor's helper (S7.5) neither move the order nor count.

``Rotation.assign`` decides one walk-in on the queue as it stands and says why, in Chinese and
English, with the rule and the queue behind it; it refuses (``NobodyEligible``) when nobody can
receive. The shell appends the assignment as a ``reception`` fact; applying it moves the queue.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from guishu.core.events import QueueFact, Reception, SkipReason
from guishu.core.policy import Assist, Policy, in_force
from guishu.core.policy import Rotation as RotationPolicy
from guishu.core.rotation_view import Standing
from guishu.core.staff import AWAY, Staff

Route = Literal["new", "returning", "appointment", "deposit_only", "sent_by_staff", "refused"]
Status = Literal["ready", "with_customer", "sales_work", "on_break", "away", "duty_away"]
SELLER_ROLES = frozenset({"consultant", "supervisor"})

STATUS_WORDS: dict[str, tuple[str, str]] = {
    "ready": ("待接", "ready"),
    "with_customer": ("接待中", "with a customer"),
    "sales_work": ("处理销售事务", "on sales work"),
    "on_break": ("休息", "on a break"),
    "away": ("离岗", "away"),
    "duty_away": ("排班不在岗", "recorded away"),
}
REASON_WORDS: dict[str, tuple[str, str]] = {
    "with_customer": ("正在接待客户", "receiving a customer"),
    "old_customer": ("老客户在场", "with an old customer of his"),
    "sales_work": ("处理销售事务", "on sales work"),
    "absent": ("不在岗", "absent"),
    "non_sales": ("处理非销售事务", "on non-sales business"),
    "on_break": ("休息中", "on a break"),
    "duty_away": ("排班记录不在岗", "recorded away (duty)"),
}
_STATUS_OF_REASON: dict[str, Status] = {
    "with_customer": "with_customer",
    "old_customer": "with_customer",
    "sales_work": "sales_work",
    "absent": "away",
    "non_sales": "away",
    "on_break": "on_break",
    "duty_away": "duty_away",
}


class QueueRefused(ValueError):
    """A queue change or a walk-in the queue cannot take; ``field`` names what is wrong."""

    def __init__(self, field: str, zh: str, en: str) -> None:
        super().__init__(f"{field}: {zh} / {en}")
        self.field = field
        self.zh = zh
        self.en = en

    @property
    def message(self) -> str:
        return f"{self.zh} / {self.en}"


class NobodyEligible(QueueRefused):
    """Nobody in the queue can receive this walk-in now."""


def _nobody() -> NobodyEligible:
    return NobodyEligible(
        "queue",
        "队列中没有可接待的顾问(均在接待、休息、离岗或未签到)",
        "nobody in the queue can receive (all receiving, on a break, away or not signed in)",
    )


@dataclass(frozen=True, slots=True)
class Walkin:
    """A visitor at the desk, as the guided questions routed him (S7.2, S10.2, S11.2, S14.2):
    ``named`` is the consultant he has been with or asked for ("returning", "appointment",
    "deposit_only"), or the one he refused after the manager's review ("refused", S8.9)."""

    route: Route = "new"
    named: str | None = None


@dataclass(frozen=True, slots=True)
class Line:
    """One consultant's line of the queue board."""

    staff: str
    status: Status
    position: int  # 1 = first in the order
    credits: int  # make-up turns owed (补接)
    counted: int  # counted receptions today
    since: datetime
    old_customer: bool = False  # the customer he is with is an old one of his (S7.6)


@dataclass(frozen=True, slots=True)
class QueueView:
    """The queue at one moment: its lines in order, who is up and who is on deck."""

    day: date | None
    at: datetime | None
    lines: tuple[Line, ...] = ()

    @property
    def ready(self) -> tuple[str, ...]:
        return tuple(x.staff for x in self.lines if x.status == "ready")

    @property
    def up(self) -> str | None:
        owed = next((x.staff for x in self.lines if x.status == "ready" and x.credits), None)
        return owed if owed is not None else next((x.staff for x in self.lines if x.status == "ready"), None)

    @property
    def on_deck(self) -> str | None:
        up = self.up
        return next((x.staff for x in self.lines if x.status == "ready" and x.staff != up), None)

    def line(self, staff: str) -> Line | None:
        return next((x for x in self.lines if x.staff == staff), None)


@dataclass(frozen=True, slots=True)
class Assignment:
    """Who receives the walk-in, and why."""

    consultant: str
    route: Route
    counted: bool
    rule: str
    zh: str
    en: str
    named: str | None = None
    stand_in: bool = False
    make_up: bool = False
    skipped: tuple[tuple[str, SkipReason], ...] = ()
    eligible: tuple[str, ...] = ()

    def fact(self) -> dict[str, object]:
        """The ``reception`` fact's fields (without id and time)."""
        data: dict[str, object] = {
            "kind": "reception",
            "consultant": self.consultant,
            "route": self.route,
            "counted": self.counted,
            "rule": self.rule,
            "skipped": [{"staff": s, "reason": r} for s, r in self.skipped],
            "eligible": list(self.eligible),
        }
        if self.named is not None:
            data["named"] = self.named
        if self.stand_in:
            data["stand_in"] = True
        if self.make_up:
            data["make_up"] = True
        return data


@dataclass(slots=True)
class Tally:
    """One consultant's day in the rotation (the fairness figures)."""

    offered: int = 0  # turns that came to him: taken, kept or lost
    taken: int = 0  # counted receptions
    kept: int = 0  # passed over and kept (累计)
    lost: int = 0  # passed over and lost (轮空)
    make_ups: int = 0  # make-up turns used (补接)
    helped: int = 0  # receptions that were not turns (stand-ins, helpers, his own customers)
    new: int = 0  # first-time visitors received
    expected: float = 0.0  # the sum over counted receptions of 1 / (eligible at that moment)

    @property
    def deviation(self) -> float:
        return self.taken - self.expected


@dataclass(slots=True)
class _Member:
    status: Status
    since: datetime
    credits: int = 0
    old_customer: bool = False  # receiving an old customer of his (not a turn): S7.6's pass


@dataclass(slots=True)
class _Day:
    day: date
    order: list[str] = field(default_factory=list)
    members: dict[str, _Member] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    roster: tuple[str, ...] = ()


class Rotation:
    """The site's rotation over the record: applies queue and reception facts in time order,
    answers the queue at any moment, and decides the next walk-in.

    ``policies`` is the site's policy timeline (a site may change its policy; the engine's own
    list, read where it stands), ``staff`` who works there and their duty timelines."""

    def __init__(self, tz: ZoneInfo, policies: list[tuple[datetime | None, Policy]], staff: Staff) -> None:
        self._tz = tz
        self._policies = policies
        self._duty = staff.status
        self._role = staff.role
        self._team = staff.team
        self._name = staff.name
        self._today: _Day | None = None
        self._month: tuple[tuple[int, int], dict[str, int]] | None = None
        self._views: list[QueueView] = []  # after each change, in time order
        self._times: list[datetime] = []
        self.receptions: dict[str, Reception] = {}
        self.tallies: dict[date, dict[str, Tally]] = {}

    def _policy_at(self, at: datetime) -> tuple[RotationPolicy, Assist]:
        p = in_force(self._policies, at)
        return p.rotation, p.assist

    def _refusal_rule(self, at: datetime) -> str:
        return in_force(self._policies, at).refusal.rule

    # ------------------------------------------------------------------ reading

    def day_of(self, at: datetime) -> date:
        return at.astimezone(self._tz).date()

    def view(self, at: datetime) -> QueueView:
        """The queue at ``at``: the latest change on its site-local day at or before it."""
        i = bisect.bisect_right(self._times, at)
        day = self.day_of(at)
        if i and self._views[i - 1].day == day:
            return self._with_duty(self._views[i - 1], at)
        return QueueView(day, None)

    def standing(self, at: datetime) -> Standing | None:
        """The engine's view (``core.rotation_view``): those ready, in order, and the counts S4.9
        reads; None on a day whose queue the record does not hold."""
        v = self.view(at)
        if v.at is None:
            return None
        rotation, _ = self._policy_at(at)
        counts = {x.staff: x.counted for x in v.lines}
        if rotation.counts_over == "month" and self._month is not None:
            counts = {s: self._month[1].get(s, 0) for s in counts}
        return Standing(at, v.ready, counts)

    def _with_duty(self, v: QueueView, at: datetime) -> QueueView:
        """Duty wins: a ready consultant the duty record shows away (or busy) at ``at`` is not."""
        lines = []
        for x in v.lines:
            duty = self._duty(x.staff, at)
            if x.status == "ready" and duty in AWAY | {"left"}:
                x = replace(x, status="duty_away")
            elif x.status == "ready" and duty == "busy":
                x = replace(x, status="sales_work")
            lines.append(x)
        return replace(v, lines=tuple(lines))

    # ------------------------------------------------------------------ checking a change

    def check(self, f: QueueFact) -> None:
        """Refuse a queue change the queue cannot take, naming the field, before it is written."""
        day = self._day(f.at, create=False)
        members = day.members if day is not None else {}
        if f.action == "roster":
            for s in f.order:
                self._seller(s, "order")
            return
        staff = f.staff or ""
        self._seller(staff, "staff")
        member = members.get(staff)
        who = self._name(staff)
        if f.action == "sign_in":
            duty = self._duty(staff, f.at)
            if duty in AWAY or duty == "left":
                zh, en = _DUTY_WORDS.get(duty, ("不在岗", "away"))
                raise QueueRefused(
                    "staff", f"{who} 今日排班为{zh},不能签到", f"{who} is recorded as {en} today: cannot sign in"
                )
            if member is not None:
                raise QueueRefused("staff", f"{who} 已签到", f"{who} has signed in already")
            return
        if member is None:
            raise QueueRefused("staff", f"{who} 今日未签到", f"{who} has not signed in today")
        if f.action == "break" and member.status == "on_break":
            raise QueueRefused("action", f"{who} 已在休息", f"{who} is on a break already")
        if f.action == "back" and member.status == "ready":
            raise QueueRefused("action", f"{who} 已在待接", f"{who} is ready already")
        if f.action == "move" and day is not None and (f.position or 0) > len(day.order):
            raise QueueRefused(
                "position", f"位置应在 1-{len(day.order)} 之间", f"the position must be 1-{len(day.order)}"
            )

    def _seller(self, staff: str, key: str) -> None:
        if self._role(staff) not in SELLER_ROLES:
            who = self._name(staff)
            raise QueueRefused(key, f"{who} 不是本案场的置业顾问", f"{who} is not a sales consultant of this site")

    # ------------------------------------------------------------------ deciding a walk-in

    def assign(self, w: Walkin, at: datetime) -> Assignment:
        """Who receives this walk-in at ``at``, and why; ``NobodyEligible`` when nobody can."""
        rotation, assist = self._policy_at(at)
        v = self.view(at)
        ready = v.ready
        named = w.named
        if w.route in ("returning", "appointment", "refused") and not named:
            raise QueueRefused("named", "须选择顾问", "the consultant is required for this route")
        if named is not None:
            self._seller(named, "named")
        if w.route in ("returning", "appointment", "deposit_only") and named is not None:
            return self._for_named(w, named, at, v, rotation, assist)
        if w.route == "deposit_only":  # S7.5, S1.C11: the receiver only helps, not a turn
            first = self._first(ready)
            return Assignment(
                first,
                "deposit_only",
                False,
                "S7.5",
                f"[S7.5] 仅来交定金/签约,由 {self._name(first)} 义务协助,不计轮次,归属不变",
                f"[S7.5] here only to pay a deposit or sign: {self._name(first)} helps; not a turn, owner unchanged",
            )
        return self._turn(w, at, v, rotation)

    def _first(self, ready: Iterable[str]) -> str:
        """The first of ``ready``; ``NobodyEligible`` when there is none."""
        for s in ready:
            return s
        raise _nobody()

    def _for_named(
        self, w: Walkin, named: str, at: datetime, v: QueueView, rotation: RotationPolicy, assist: Assist
    ) -> Assignment:
        rule = rotation.appointment_rule if w.route == "appointment" else rotation.returning_rule
        if w.route == "deposit_only":
            rule = "S7.5"
        who = self._name(named)
        line = v.line(named)
        if line is not None and line.status == "ready":
            what = {"appointment": "预约客户", "returning": "老客户/指名", "deposit_only": "来交定金/签约的客户"}
            what_en = {"appointment": "an appointment", "returning": "his own customer", "deposit_only": "a deposit"}
            return Assignment(
                named,
                w.route,
                False,
                rule,
                f"[{rule}] {what[w.route]}:由 {who} 接待,不计轮次",
                f"[{rule}] {what_en[w.route]}: {who} receives; not a turn",
                named=named,
            )
        why_zh, why_en = self._absence(named, line, at)
        others = [s for s in v.ready if s != named]
        if w.route == "deposit_only":  # S7.5, S1.C11: his consultant away, whoever is first helps
            first = self._first(others)
            return Assignment(
                first,
                w.route,
                False,
                "S7.5",
                f"[S7.5] 仅来交定金/签约,{who}{why_zh},由 {self._name(first)} 义务协助,不计轮次,客户仍归 {who}",
                f"[S7.5] here only to pay or sign, {who} is {why_en}: {self._name(first)} helps; not a turn",
                named=named,
                stand_in=True,
            )
        if w.route == "appointment" and not self._excused(named, line, at):
            # S7.4 "除上述原因之外": not receiving, sick, off or out: the rotation's, counted one
            return self._turn(w, at, v, rotation, absent=(named, why_zh, why_en))
        if assist.team_fallback:  # S10.8: the next of his team, else another team
            team = self._team(named)
            mates = [s for s in others if team is not None and self._team(s) == team]
            chosen, how_zh, how_en, srule = (
                (mates[0], "同组下一位", "the next of his team", "S10.8")
                if mates
                else (self._first(others), "他组顾问(同组均不在)", "another team (his is all away)", "S10.8")
            )
        elif assist.stand_in == "last_in_rotation":  # S7.4, S16.6
            if not others:
                raise _nobody()
            chosen, how_zh, how_en, srule = others[-1], "轮序最后一位", "the last in rotation", assist.rule or rule
        elif assist.stand_in == "fewest":  # S4.9 最少制
            counts = self.standing(at)
            least = counts.fewest(excluding=(named,)) if counts is not None else ()
            chosen = self._first(least)
            how_zh, how_en, srule = "接待次数最少者(最少制)", "the one who received the fewest (最少制)", "S4.9"
        else:
            chosen, how_zh, how_en, srule = self._first(others), "下一位轮序", "the next in rotation", rule
        return Assignment(
            chosen,
            w.route,
            False,
            srule,
            f"[{srule}] {who}{why_zh},由{how_zh} {self._name(chosen)} 协助接待,不计轮次,客户仍归 {who}",
            f"[{srule}] {who} is {why_en}: {how_en}, {self._name(chosen)}, helps; not a turn, still {who}'s",
            named=named,
            stand_in=True,
        )

    def _excused(self, staff: str, line: Line | None, at: datetime) -> bool:
        """S7.4's four reasons the named consultant cannot receive his appointment: receiving a
        customer (or on sales work, or a break: 休息), sick, off, out on business."""
        if line is not None and line.status in ("with_customer", "sales_work", "on_break"):
            return True
        return self._duty(staff, at) in ("sick", "day_off", "out", "busy")

    def _absence(self, staff: str, line: Line | None, at: datetime) -> tuple[str, str]:
        if line is None:
            duty = self._duty(staff, at)
            if duty in AWAY:
                zh, en = _DUTY_WORDS[duty]
                return f"今日{zh}", en
            return "未签到", "not signed in"
        zh, en = STATUS_WORDS[line.status]
        return zh, en

    def _turn(
        self,
        w: Walkin,
        at: datetime,
        v: QueueView,
        rotation: RotationPolicy,
        absent: tuple[str, str, str] | None = None,
    ) -> Assignment:
        """A counted turn: a make-up owed first, else the first ready in order, recording whom
        the turn passed over on the way. ``absent``: an appointment whose consultant is away
        for none of S7.4's reasons (who, why in Chinese, in English)."""
        refused = w.named if w.route == "refused" else None
        ready = [s for s in v.ready if s != refused]
        owed = [x.staff for x in v.lines if x.status == "ready" and x.credits and x.staff != refused]
        skipped: list[tuple[str, SkipReason]] = []
        make_up = False
        if owed:
            chosen, make_up = owed[0], True
        else:
            chosen = ""
            for x in v.lines:
                if x.staff == refused:
                    continue
                if x.status == "ready":
                    chosen = x.staff
                    break
                skipped.append((x.staff, self._reason(x)))
            if not chosen:
                raise _nobody()
        name = self._name(chosen)
        passed = "".join(
            f";跳过 {self._name(s)}({REASON_WORDS[r][0]},{'保留轮次' if r in rotation.keeps_turn else '轮空'})"
            for s, r in skipped
        )
        passed_en = "".join(
            f"; passed over {self._name(s)} ({REASON_WORDS[r][1]}, {'keeps' if r in rotation.keeps_turn else 'loses'}"
            " his turn)"
            for s, r in skipped
        )
        if skipped:
            passed += f" [{rotation.skip_rule}]"
            passed_en += f" [{rotation.skip_rule}]"
        if absent is not None:
            rule = rotation.appointment_rule
            head_zh = f"预约顾问 {self._name(absent[0])}{absent[1]}(非接待、病假、休息或外出),客户归轮值顾问 {name}"
            head_en = (
                f"the booked {self._name(absent[0])} is {absent[2]} (none of S7.4's reasons): the rotation's {name}"
            )
            if make_up:
                head_zh, head_en = head_zh + ",补接一次", head_en + ", his make-up turn"
        elif make_up:
            rule = rotation.make_up_rule
            head_zh, head_en = f"{name} 补接一次", f"{name}'s make-up turn (补接)"
        elif w.route == "sent_by_staff":
            rule = rotation.staff_sent_rule
            head_zh = f"开发商/非销售人员介绍的客户,由当时轮值顾问 {name} 接待,不得挑选"
            head_en = f"sent by developer or non-sales staff: the duty consultant at arrival, {name}; no picking"
        elif w.route == "refused":
            rule = self._refusal_rule(at)  # S8.9, S18.25: the site's own refusal clause
            head_zh = f"客户经经理复核拒绝 {self._name(refused or '')},由下一位轮序顾问 {name} 接待"
            head_en = f"refused {self._name(refused or '')} after the manager's review: the next in rotation, {name}"
        else:
            rule = rotation.rule
            head_zh, head_en = f"首次来访,按轮序由 {name} 接待", f"first visit: the rotation consultant, {name}"
        position = next((x.position for x in v.lines if x.staff == chosen), 0)
        return Assignment(
            chosen,
            w.route,
            True,
            rule,
            f"[{rule}] {head_zh},计一次接待(队列第 {position} 位){passed}",
            f"[{rule}] {head_en}, counted one (place {position} in the queue){passed_en}",
            named=refused,
            make_up=make_up,
            skipped=tuple(skipped),
            eligible=tuple(ready),
        )

    @staticmethod
    def _reason(x: Line) -> SkipReason:
        if x.status == "with_customer" and x.old_customer:
            return "old_customer"
        return {
            "with_customer": "with_customer",
            "sales_work": "sales_work",
            "on_break": "on_break",
            "away": "absent",
            "duty_away": "duty_away",
        }.get(x.status, "absent")  # type: ignore[return-value]

    # ------------------------------------------------------------------ applying facts

    def apply(self, f: QueueFact | Reception) -> None:
        """Apply one fact in time order; a queue change the queue would refuse changes nothing
        (an imported record may hold one): replays stay deterministic."""
        if isinstance(f, Reception):
            self._receive(f)
        else:
            try:
                self.check(f)
            except QueueRefused:
                return
            self._change(f)
        self._snapshot(f.at)

    def _day(self, at: datetime, *, create: bool = True) -> _Day | None:
        today = self.day_of(at)
        if self._today is None or self._today.day != today:
            if not create:
                return None
            self._today = _Day(today)
        month = (today.year, today.month)
        if create and (self._month is None or self._month[0] != month):
            self._month = (month, {})
        return self._today

    def _tally(self, at: datetime, staff: str) -> Tally:
        return self.tallies.setdefault(self.day_of(at), {}).setdefault(staff, Tally())

    def _to_back(self, day: _Day, staff: str) -> None:
        if staff in day.order:
            day.order.remove(staff)
            day.order.append(staff)

    def _change(self, f: QueueFact) -> None:
        day = self._day(f.at)
        assert day is not None
        rotation, _ = self._policy_at(f.at)
        staff = f.staff or ""
        member = day.members.get(staff)
        if f.action == "roster":
            day.roster = f.order
            if rotation.order == "roster":
                day.order.sort(key=self._roster_key(day))
        elif f.action == "sign_in":
            day.members[staff] = _Member("ready", f.at)
            day.order.append(staff)
            if rotation.order == "roster" and day.roster:
                day.order.sort(key=self._roster_key(day))
        elif member is None:
            return
        elif f.action == "sign_out":
            del day.members[staff]
            day.order.remove(staff)
        elif f.action == "break":
            member.status, member.since = "on_break", f.at
        elif f.action == "back":
            member.status, member.since, member.old_customer = "ready", f.at, False
        elif f.action == "make_up":
            member.credits += 1
        elif f.action == "move":
            day.order.remove(staff)
            day.order.insert((f.position or 1) - 1, staff)
        elif f.action == "skip" and f.reason is not None:
            member.status, member.since = _STATUS_OF_REASON[f.reason], f.at
            member.old_customer = f.reason == "old_customer"
            self._passed(day, staff, f.reason, f.at, rotation)

    def _roster_key(self, day: _Day) -> Callable[[str], int]:
        place = {s: i for i, s in enumerate(day.roster)}
        return lambda s: place.get(s, len(place))

    def _passed(self, day: _Day, staff: str, reason: SkipReason, at: datetime, rotation: RotationPolicy) -> None:
        tally = self._tally(at, staff)
        tally.offered += 1
        if reason in rotation.keeps_turn:
            tally.kept += 1
        else:
            tally.lost += 1
            self._to_back(day, staff)
        if reason in rotation.make_up_for and staff in day.members:
            day.members[staff].credits += 1

    def _receive(self, f: Reception) -> None:
        day = self._day(f.at)
        assert day is not None
        rotation, _ = self._policy_at(f.at)
        self.receptions[f.id] = f
        for s in f.skipped:  # their status passed them over (or the duty record did): it stays
            self._passed(day, s.staff, s.reason, f.at, rotation)
        tally = self._tally(f.at, f.consultant)
        member = day.members.get(f.consultant)
        if member is not None:
            member.status, member.since = "with_customer", f.at
            member.old_customer = f.route == "returning" and not f.stand_in and f.named == f.consultant
        if not f.counted:
            tally.helped += 1
            return
        tally.offered += 1
        tally.taken += 1
        tally.new += f.route == "new"
        for who in f.eligible:
            self._tally(f.at, who).expected += 1 / len(f.eligible)
        day.counts[f.consultant] = day.counts.get(f.consultant, 0) + 1
        if self._month is not None:
            self._month[1][f.consultant] = self._month[1].get(f.consultant, 0) + 1
        if f.make_up and member is not None and member.credits:
            member.credits -= 1
            tally.make_ups += 1
        self._to_back(day, f.consultant)

    def _snapshot(self, at: datetime) -> None:
        day = self._today
        if day is None:
            return
        # a line unchanged since the last snapshot of the day is that snapshot's (frozen) object:
        # a break or a return then costs one new line, not one per consultant signed in
        # (~5.7 KB a change for 60 consultants before, issue 14)
        last = self._views[-1] if self._views and self._views[-1].day == day.day else None
        before = {x.staff: x for x in last.lines} if last is not None else {}
        lines = []
        for i, s in enumerate(day.order):
            m = day.members[s]
            line = Line(
                s,
                m.status,
                i + 1,
                m.credits,
                day.counts.get(s, 0),
                m.since,
                m.status == "with_customer" and m.old_customer,
            )
            lines.append(before[s] if before.get(s) == line else line)
        view = QueueView(day.day, at, tuple(lines))
        if self._times and self._times[-1] == at:
            self._views[-1] = view  # two changes at one instant: the later one stands
        else:
            self._views.append(view)
            self._times.append(at)


_DUTY_WORDS: dict[str, tuple[str, str]] = {
    "day_off": ("休息日", "on a day off"),
    "absent": ("缺勤", "absent"),
    "out": ("外出", "out on business"),
    "sick": ("病假", "sick"),
    "left": ("已离职", "gone from the site"),
}


def replay(facts: Iterable[QueueFact | Reception], rotation: Rotation) -> Rotation:
    """Apply facts in time order (ties in the given order) to a rotation; returns it."""
    for _, f in sorted(enumerate(facts), key=lambda e: (e[1].at, e[0])):
        rotation.apply(f)
    return rotation
