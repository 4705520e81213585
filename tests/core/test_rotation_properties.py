"""Properties of the reception rotation (轮序, ``core.rotation``) over random desk sessions.

A session: 3-5 consultants of one site (s7, s16 or s8) and a random run of desk operations, each
after a random gap (now and then past midnight): sign in, break, back, skip with a reason, a
manager's make-up, sign out, a duty change (busy, out, sick, on duty) and "next customer" by any
route (assign, then the reception appended). Only what ``check`` and ``assign`` accept is
recorded; a refusal (QueueRefused, NobodyEligible) records nothing. 40 examples per test and
preset (``_SETTINGS``), derandomized under the CI profile (tests/conftest.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guishu.core.attribution import Attributor, RecordError
from guishu.core.events import Duty, Fact, QueueFact, Reception, StaffJoined, fact_from_dict
from guishu.core.policy import Policy
from guishu.core.rotation import (
    REASON_WORDS,
    Assignment,
    NobodyEligible,
    QueueRefused,
    QueueView,
    Rotation,
    Route,
    Walkin,
    replay,
)
from guishu.core.staff import Staff
from guishu.policies import load_preset, presets
from tests.builders import TZ
from tests.core.test_rotation import NAMES, OPEN, PEOPLE

PRESETS = ("s7", "s16", "s8")
CONSULTANTS = ("zhangsan", "lisi", "zhouqi", "wuyi", "zhengwu")
REASONS = tuple(REASON_WORDS)
_SETTINGS = settings(max_examples=40, deadline=None)
# the status a consultant's line shows -> the reason the turn records when it passes him
# (with a customer: or "old_customer", his own, S7.6)
STATUS_REASON = {
    "with_customer": {"with_customer", "old_customer"},
    "sales_work": {"sales_work"},
    "on_break": {"on_break"},
    "away": {"absent", "non_sales"},
    "duty_away": {"duty_away"},
}

Op = tuple[Any, ...]
Session_ = tuple[int, list[tuple[int, Op]], list[int]]

_who = st.integers(0, 4)
_route = st.one_of(
    st.just(("new", None)),
    st.tuples(st.sampled_from(("returning", "appointment", "refused")), _who),
    st.tuples(st.just("deposit_only"), st.one_of(st.none(), _who)),
    st.just(("sent_by_staff", None)),
)
# an operation names its consultant by an index among those it applies to (``back``: those not
# ready; ``break``: those ready; ``sign_in``: those not signed in ...), or, "raw", among all of
# them, so that the desk's refusals are tried too
_op = st.one_of(
    st.tuples(st.sampled_from(("next", "next", "next", "next", "back", "back", "back")), _who),
    st.tuples(st.sampled_from(("break", "break", "sign_in", "make_up", "sign_out", "raw_sign_in", "raw_back")), _who),
    st.tuples(st.just("skip"), _who, st.sampled_from(REASONS)),
    st.tuples(st.just("duty"), _who, st.sampled_from(("busy", "out", "sick", "on_duty"))),
    st.tuples(st.just("duty"), _who, st.sampled_from(("busy", "out"))),
    st.tuples(st.just("walkin"), _route),
)
_gap = st.one_of(*([st.integers(0, 15)] * 6), st.just(16 * 60))
sessions = st.tuples(
    st.integers(3, 5), st.lists(st.tuples(_gap, _op), min_size=5, max_size=40), st.permutations(range(5))
)


@dataclass(frozen=True)
class Turn:
    """One "next customer": the queue before, the walk-in, the assignment, the queue after."""

    at: datetime
    before: QueueView
    walkin: Walkin
    assignment: Assignment
    fact: Reception
    after: QueueView


@dataclass(frozen=True)
class Change:
    """One accepted queue change, with the queue before and after it."""

    fact: QueueFact
    before: QueueView
    after: QueueView


@dataclass
class Session:
    policy: Policy
    engine: Attributor
    facts: list[Fact] = field(default_factory=list)
    events: list[Turn | Change] = field(default_factory=list)
    nobody: list[tuple[QueueView, Walkin]] = field(default_factory=list)
    retried: list[bool] = field(default_factory=list)  # a reception's id applied again was refused

    @property
    def queue(self) -> Rotation:
        return self.engine.queue

    @property
    def turns(self) -> list[Turn]:
        return [e for e in self.events if isinstance(e, Turn)]

    @property
    def end(self) -> datetime:
        return self.facts[-1].at


def run(preset: str, n: int, steps: list[tuple[int, Op]], signing: list[int] | None = None) -> Session:
    """Play the steps at a desk of ``n`` consultants, who first sign in in the order ``signing``
    (each day), recording only what the desk accepts."""
    p = load_preset(preset)
    s = Session(p, Attributor(p, catalogue=presets()))
    people = CONSULTANTS[:n]
    joined = OPEN - timedelta(days=30)
    for sid, (name, role, team) in PEOPLE.items():
        f = StaffJoined(id=f"j-{sid}", at=joined, staff=sid, name=name, role=role, team=team)
        s.engine.apply(f)
        s.facts.append(f)
    first = [people[i] for i in (signing or range(n)) if i < n]
    now = OPEN
    day = None
    for i, (gap, op) in enumerate(steps):
        now += timedelta(minutes=gap)
        if s.queue.day_of(now) != day:  # a new day: everyone signs in again
            day = s.queue.day_of(now)
            for k, sid in enumerate(first):
                _change(s, QueueFact(id=f"s{i}-{k}", at=now, action="sign_in", staff=sid, confirmed="desk"))
        kind = op[0]
        if kind in ("next", "walkin"):
            route: Route = "new" if kind == "next" else op[1][0]
            who: int | None = None if kind == "next" else op[1][1]
            _walkin(s, Walkin(route, None if who is None else people[who % n]), now, f"r{i}", retry=i % 5 == 0)
            continue
        view = s.queue.view(now)
        signed = [x.staff for x in view.lines]
        among = {
            "back": [x.staff for x in view.lines if x.status != "ready"],
            "break": list(view.ready),
            "sign_in": [c for c in people if c not in signed],
            "make_up": signed,
            "sign_out": signed,
            "skip": signed,
        }.get(kind) or list(people)
        staff = among[op[1] % len(among)]
        action = kind.removeprefix("raw_")
        if action == "duty":  # alone at its instant: the duty record is planned, not raced
            now += timedelta(seconds=1)
            d = Duty(id=f"d{i}", at=now, staff=staff, status=op[2], until=now + timedelta(minutes=45))
            s.engine.apply(d)
            s.facts.append(d)
            now += timedelta(seconds=1)
            continue
        extras: dict[str, dict[str, Any]] = {
            "sign_in": {"confirmed": "desk"},
            "skip": {"reason": op[2] if len(op) > 2 else None},
            "make_up": {"note": "经理补接"},
        }
        extra = extras.get(action, {})
        _change(s, QueueFact(id=f"q{i}", at=now, action=action, staff=staff, **extra))
    return s


def _change(s: Session, f: QueueFact) -> None:
    try:
        s.queue.check(f)
    except QueueRefused:
        return
    before = s.queue.view(f.at)
    s.engine.apply(f)
    s.facts.append(f)
    s.events.append(Change(f, before, s.queue.view(f.at)))


def _walkin(s: Session, w: Walkin, now: datetime, key: str, *, retry: bool) -> None:
    before = s.queue.view(now)
    try:
        a = s.queue.assign(w, now)
    except NobodyEligible:
        s.nobody.append((before, w))
        return
    rec = fact_from_dict({**a.fact(), "id": key, "at": now.isoformat()})
    assert isinstance(rec, Reception)
    s.engine.apply(rec)
    s.facts.append(rec)
    s.events.append(Turn(now, before, w, a, rec, s.queue.view(now)))
    if retry:  # the desk retries the same press: the record refuses the duplicate
        try:
            s.engine.apply(rec)
        except RecordError:
            s.retried.append(True)
        else:
            s.retried.append(False)


def order(v: QueueView) -> list[str]:
    return [x.staff for x in v.lines]


def counts(v: QueueView) -> dict[str, int]:
    return {x.staff: x.counted for x in v.lines}


# --------------------------------------------------------------------------- (a)


@pytest.mark.parametrize("preset", PRESETS)
@_SETTINGS
@given(session=sessions)
def test_each_reception_is_assigned_once_and_a_counted_one_moves_one_count_by_one(
    preset: str, session: Session_
) -> None:
    """S7.3 "计接待客户一次": every reception id is assigned once (the record refuses the same
    press twice, and the queue holds each id once, as recorded); a counted reception moves exactly
    its receiver's count by one, a help (S7.4, S7.5) moves none; the day's tallies agree."""
    s = run(preset, *session)
    assert all(s.retried)
    turns = s.turns
    assert len({t.fact.id for t in turns}) == len(turns)
    assert {k: r.consultant for k, r in s.queue.receptions.items()} == {
        t.fact.id: t.assignment.consultant for t in turns
    }
    for t in turns:
        before, after = counts(t.before), counts(t.after)
        assert before.keys() == after.keys()
        moved = {c: after[c] - before[c] for c in after if after[c] != before[c]}
        assert moved == ({t.assignment.consultant: 1} if t.assignment.counted else {})
    taken = sum(x.taken for day in s.queue.tallies.values() for x in day.values())
    assert taken == sum(t.assignment.counted for t in turns)
    expected = sum(x.expected for day in s.queue.tallies.values() for x in day.values())
    assert expected == pytest.approx(taken)
    helped = sum(x.helped for day in s.queue.tallies.values() for x in day.values())
    assert helped == sum(not t.assignment.counted for t in turns)


# --------------------------------------------------------------------------- (b)


@pytest.mark.parametrize("preset", PRESETS)
@_SETTINGS
@given(session=sessions)
def test_a_kept_turn_is_honoured_before_any_later_one(preset: str, session: Session_) -> None:
    """S16.7 累计: passed over (by the desk's skip or a reception) for a reason that keeps the
    turn, he keeps his place: nobody new is ahead of him. Then, while he holds it (signed in, not
    since passed over for a losing reason, nor counted a reception), no counted first visit without
    a make-up owed goes to anyone behind him when he is ready: only he, or one ahead of him."""
    s = run(preset, *session)
    keeps = set(s.policy.rotation.keeps_turn)
    holding: set[str] = set()
    day = None
    for e in s.events:
        at = e.at if isinstance(e, Turn) else e.fact.at
        if s.queue.day_of(at) != day:
            day, holding = s.queue.day_of(at), set()
        if isinstance(e, Change):
            who = e.fact.staff or ""
            if e.fact.action == "skip" and e.fact.reason in keeps:
                ahead = order(e.before)[: order(e.before).index(who)]
                assert set(order(e.after)[: order(e.after).index(who)]) <= set(ahead)
                holding.add(who)
            elif e.fact.action in ("skip", "sign_out"):
                holding.discard(who)
            continue
        a = e.assignment
        if a.counted and e.walkin.route == "new" and not a.make_up:
            assert not any(x.credits for x in e.before.lines if x.status == "ready")
            for x in holding:
                line = e.before.line(x)
                if line is not None and line.status == "ready":
                    ahead = order(e.before)[: order(e.before).index(x) + 1]
                    assert a.consultant in ahead, (x, a.consultant, order(e.before))
            assert a.consultant == e.before.ready[0]
        for who, reason in a.skipped:
            if reason in keeps:
                ahead = order(e.before)[: order(e.before).index(who)]
                assert set(order(e.after)[: order(e.after).index(who)]) <= set(ahead) - {a.consultant}
                holding.add(who)
            else:
                holding.discard(who)
        if a.counted:
            holding.discard(a.consultant)


# --------------------------------------------------------------------------- (c)


@pytest.mark.parametrize("preset", PRESETS)
@_SETTINGS
@given(session=sessions)
def test_a_lost_turn_never_comes_back(preset: str, session: Session_) -> None:
    """S16.7 轮空: right after the desk skips him for a losing reason he is last in the order;
    passed over by a reception for a losing reason, he is behind everyone but those passed over
    after him and the receiver (the order ends: the lost, in the order they were passed, then the
    receiver); and a losing pass owes no make-up unless the policy says so (S7.6)."""
    s = run(preset, *session)
    rotation = s.policy.rotation
    for e in s.events:
        if isinstance(e, Change):
            reason = e.fact.reason
            if e.fact.action == "skip" and reason is not None and reason not in rotation.keeps_turn:
                who = e.fact.staff or ""
                assert order(e.after)[-1] == who
                credits = (e.after.line(who).credits, e.before.line(who).credits)  # type: ignore[union-attr]
                assert credits[0] == credits[1] + (reason in rotation.make_up_for)
            continue
        a = e.assignment
        lost = [who for who, reason in a.skipped if reason not in rotation.keeps_turn]
        if a.counted:
            assert order(e.after)[-len(lost) - 1 :] == [*lost, a.consultant]
        for who in lost:
            assert e.after.line(who).credits == e.before.line(who).credits  # type: ignore[union-attr]


# --------------------------------------------------------------------------- (d), (e)


@pytest.mark.parametrize("preset", PRESETS)
@_SETTINGS
@given(session=sessions)
def test_the_queue_at_a_moment_is_unchanged_by_later_facts(preset: str, session: Session_) -> None:
    """the queue is a pure replay: ``view(t)`` after every fact is the same as ``view(t)`` of a
    fresh replay of only the facts up to ``t``, at every fact's moment and just before it."""
    s = run(preset, *session)
    moments = sorted({f.at for f in s.facts[len(PEOPLE) :]})
    for t in moments[:: max(1, len(moments) // 6)] + moments[-1:]:
        fresh = Attributor(s.policy, catalogue=presets())
        for f in s.facts:
            if f.at <= t:
                fresh.apply(f)
        for when in (t, t - timedelta(seconds=1)):
            assert fresh.queue.view(when) == s.queue.view(when), when


def _fresh(s: Session) -> Rotation:
    staff = Staff()
    for f in s.facts:
        if isinstance(f, StaffJoined):
            staff.join(f)
        elif isinstance(f, Duty):
            staff.duty(f)
    return Rotation(TZ, [(None, s.policy)], staff)


@pytest.mark.parametrize("preset", PRESETS)
@_SETTINGS
@given(session=sessions)
def test_replay_equals_live(preset: str, session: Session_) -> None:
    """the queue the desk kept live (each change checked, each walk-in assigned and applied as
    it came) is the queue ``replay`` rebuilds from the queue and reception facts: the same view at
    every turn and at the end, the same receptions and the same tallies."""
    s = run(preset, *session)
    queue_facts = [f for f in s.facts if isinstance(f, QueueFact | Reception)]
    again = replay(queue_facts, _fresh(s))
    assert again.view(s.end) == s.queue.view(s.end)
    for t in s.turns:
        assert again.view(t.at) == s.queue.view(t.at)
    assert again.receptions == s.queue.receptions
    assert again.tallies == s.queue.tallies


# --------------------------------------------------------------------------- (f)


@pytest.mark.parametrize("preset", PRESETS)
@_SETTINGS
@given(session=sessions)
def test_nobody_is_passed_over_without_a_recorded_reason(preset: str, session: Session_) -> None:
    """S16.7: on a counted turn that is not a make-up, everyone ahead of the receiver in the
    order (the refused consultant aside, S8.9) is recorded as passed over, with the reason his line
    showed, and named in the words; the receiver was ready; nobody behind him is recorded."""
    s = run(preset, *session)
    for t in s.turns:
        a = t.assignment
        assert t.before.line(a.consultant) is not None
        assert t.before.line(a.consultant).status == "ready"  # type: ignore[union-attr]
        if not a.counted or a.make_up:
            assert a.skipped == ()
            continue
        refused = t.walkin.named if t.walkin.route == "refused" else None
        lines = t.before.lines
        ahead = [x for x in lines[: [x.staff for x in lines].index(a.consultant)] if x.staff != refused]
        assert [x.staff for x in ahead] == [who for who, _ in a.skipped]
        assert all(reason in STATUS_REASON[x.status] for x, (_, reason) in zip(ahead, a.skipped, strict=True))
        for x in ahead:
            assert f"跳过 {NAMES[x.staff]}(" in a.zh and f"passed over {NAMES[x.staff]} (" in a.en
        assert all(x.status != "ready" for x in ahead)


@pytest.mark.parametrize("preset", PRESETS)
@_SETTINGS
@given(session=sessions)
def test_nobody_eligible_only_when_nobody_can_receive(preset: str, session: Session_) -> None:
    """NobodyEligible only when the queue holds nobody who may receive this walk-in: nobody
    ready (a first visit, S7.3; S18.23; S7.5), nobody ready but the refused one (S8.9), nobody
    ready but the named one when he is not ready himself (S7.4, S16.6 stand-ins)."""
    s = run(preset, *session)
    for view, w in s.nobody:
        ready = set(view.ready)
        if w.route in ("returning", "appointment") or (w.route == "deposit_only" and w.named):
            assert w.named not in ready and not ready - {w.named}
        elif w.route == "refused":
            assert not ready - {w.named}
        else:
            assert not ready
