"""Properties of decide() over random small records, under several presets.

Random records: four consultants, two channels, 3-6 customer phones, a mix of
visits, calls, follow-ups, relationships, pending confirmations and claims, deals,
complaints, duty changes, hand-ins, channel reports (full or masked phone, the
right name or another) and visit confirmations, which may cite their report, right or with
a wrong detail, appeals (overturning with a new owner from an earlier time, or not),
referrals of every kind (accompanied, named, introduced, or
unstated) and returning visitors who do not know their consultant, at strictly
increasing times. Each preset and each later version that reads that vocabulary (``LATER``);
60 examples per test and preset (``_SETTINGS``), derandomized under the CI profile.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guishu.core.attribution import Attributor, decide
from guishu.core.events import Assistant, Fact, PendingConfirmation, VisitConfirmation
from guishu.core.verdict import Attribution
from guishu.policies import load_preset, presets
from tests.builders import START, TZ, Record, customer_phones

PRESETS = ("s1", "s4", "s6", "s7", "s8", "s10", "s11", "s14", "s16", "s18")
LATER = ("s1@v2", "s4@v2", "s6@v2", "s10@v2", "s16@v2", "s18@v3")  # versions whose keys read the vocabulary drawn below
CHANNELS = (("hx", "wangwu"), ("jy", "chenshi"))
CONSULTANTS = ("zhangsan", "lisi", "zhouqi", "wuyi")
PHONES = tuple(f"+86138000001{i:02d}" for i in range(6))
NAMES = ("王建国", "李明", "张伟", "陈静", "刘洋", "赵敏")
FRESH = "+8615900000099"
FRESH_NAME = "孙新"
MISTAKEN = "+8615900000098"  # the phone a confirmation got wrong (S6.7)
RELATIONS = ("spouse", "parent", "child", "sibling", "friend")
DUTY = ("on_duty", "busy", "day_off", "absent", "out")

Step = tuple[int, tuple[Any, ...]]  # (minutes since the previous fact, action)

_consultant = st.sampled_from(CONSULTANTS)
# 0-3: that consultant; 4-7: someone who already registered that customer, if anyone did
_pick = st.integers(0, 7)
_assistant = st.one_of(st.none(), st.tuples(_pick, st.booleans(), st.booleans()))
_deal_type = st.sampled_from(("deposit", "subscription", "signing"))
_mask = st.sampled_from(("full", "first4_last5", "first3_last4"))
_citation = st.sampled_from((None, "right", "wrong_name", "wrong_phone"))
_referral = st.sampled_from((None, "accompanied", "named", "introduced"))
_gap = st.one_of(st.integers(1, 240), st.integers(240, 5 * 24 * 60))


def _actions(n_phones: int, *, fresh: bool = False) -> st.SearchStrategy[tuple[Any, ...]]:
    """Actions on customers 0..n_phones-1 (or, when ``fresh``, on the fresh customer only)."""
    ph = st.just(-1) if fresh else st.integers(0, n_phones - 1)
    maybe_named = st.one_of(st.none(), st.none(), _pick)
    maybe_bool = st.sampled_from((None, True, False))
    visit = st.tuples(st.just("visit"), _consultant, ph, maybe_named, maybe_bool, maybe_bool, st.integers(0, 9))
    call = st.tuples(st.just("call"), _consultant, ph, maybe_named, maybe_bool, st.integers(0, 9))
    deal = st.tuples(st.just("deal"), ph, _pick, _deal_type, _assistant, st.booleans())
    options = [
        visit,
        visit,
        visit,
        call,
        call,
        deal,
        deal,
        st.tuples(st.just("follow_up"), _consultant, ph, st.sampled_from(("call", "sms", "visit"))),
        st.tuples(st.just("complaint"), ph, _pick, st.booleans(), st.sampled_from(("complaint", "refusal"))),
        # a returning visitor who does not know his consultant (S1.C6, S4.7, S8.10, S11.4); below,
        # 老带新 of every kind (S1.C8, S8.8, S14.3d, S16.14)
        st.tuples(st.just("forgot"), _consultant, ph, st.sampled_from(("visit", "call"))),
        st.tuples(st.just("pending"), _consultant, ph),
        st.tuples(st.just("claim"), _consultant, st.booleans()),
        st.tuples(st.just("handin"), _consultant, ph, st.booleans()),
        st.tuples(st.just("visit_handin"), _consultant, ph, st.booleans()),
        st.tuples(st.just("dispute"), ph, _consultant),
        # S18.17: an appeal, overturning with its consequence (a new owner from an earlier time) or not
        st.tuples(
            st.just("appeal"),
            ph,
            _pick,
            st.sampled_from(("rejected", "overturned")),
            st.one_of(st.none(), st.tuples(_pick, st.integers(0, 3 * 24 * 60))),
        ),
        # channels (S6): a report, full or masked, under the right name or another; a visit confirmation
        st.tuples(st.just("report"), ph, st.integers(0, 1), _mask, st.booleans()),
        st.tuples(st.just("confirm_visit"), ph, st.integers(0, 1), st.booleans()),
        # a report, then his visit, whose confirmation may cite it (S6.7), with a detail wrong or not
        st.tuples(st.just("reported_visit"), ph, st.integers(0, 1), _mask, _citation),
    ]
    if not fresh:  # facts that mention a second customer
        options += [
            st.tuples(st.just("referred"), _consultant, ph, st.integers(0, n_phones - 1), _referral, maybe_named),
            st.tuples(st.just("relate"), ph, ph, st.sampled_from(RELATIONS)),
            st.tuples(st.just("duty"), _consultant, st.sampled_from(DUTY)),
        ]
    return st.one_of(options)


@st.composite
def scenarios(draw: st.DrawFn, *, min_steps: int = 1, max_steps: int = 16) -> tuple[int, list[Step]]:
    n_phones = draw(st.integers(3, 6))
    steps = draw(st.lists(st.tuples(_gap, _actions(n_phones)), min_size=min_steps, max_size=max_steps))
    return n_phones, steps


def _phone(i: int) -> str:
    return FRESH if i < 0 else PHONES[i]


def _name(i: int) -> str:
    return FRESH_NAME if i < 0 else NAMES[i]


def _shown(phone: str, form: str) -> str:
    """The phone as an agent sends it (S6.1): in full, or masked in one of the forms agents use."""
    digits = phone[3:]
    if form == "first4_last5":
        return f"{digits[:4]}**{digits[-5:]}"
    if form == "first3_last4":
        return f"{digits[:3]}****{digits[-4:]}"
    return phone


def _to_window(r: Record) -> None:
    """Move the clock to the next hand-in window (09:15 or 16:15 local, S18.1)."""
    local = r.now.astimezone(TZ)
    for days in (0, 1):
        for hour in (9, 16):
            when = datetime.combine(local.date() + timedelta(days=days), time(hour, 15), tzinfo=TZ)
            if when >= r.now:
                r.later(minutes=(when - r.now).total_seconds() / 60)
                return


def build(steps: Sequence[Step], *, staff: bool = True, start: datetime = START) -> list[Fact]:
    """Turn drawn steps into facts with the Record builder (times strictly increase)."""
    r = Record(start, staff=staff)
    last_pending: PendingConfirmation | None = None
    seen: dict[int, list[str]] = {}

    def who(pick: int, i: int) -> str:
        known = seen.get(i, [])
        return known[pick % len(known)] if pick >= 4 and known else CONSULTANTS[pick % 4]

    for gap, action in steps:
        r.later(minutes=gap)
        kind = action[0]
        if kind in ("visit", "call"):
            if kind == "visit":
                _, c, i, named, first, asked, incomplete = action
            else:
                _, c, i, named, asked, incomplete = action
                first = None
            name = None if incomplete == 0 else _name(i)
            named_id = None if named is None else who(named, i)
            r.register(kind, c, _phone(i), name, named=named_id, first_visit=first, asked=asked)
            seen.setdefault(i, []).append(c)
        elif kind == "referred":
            _, c, i, j, how, named = action
            referrer = _phone(j)
            if referrer != _phone(i):
                r.visit(
                    c,
                    _phone(i),
                    _name(i),
                    referred_by=referrer,
                    referral=how,
                    named=None if named is None else who(named, i),
                )
                seen.setdefault(i, []).append(c)
        elif kind == "forgot":
            _, c, i, mode = action
            r.register(
                mode, c, _phone(i), _name(i), first_visit=False if mode == "visit" else None, knows_consultant=False
            )
            seen.setdefault(i, []).append(c)
        elif kind == "follow_up":
            _, c, i, method = action
            r.follow_up(c, _phone(i), method)
        elif kind == "deal":
            _, i, closer, type_, helper, closer_knew = action
            helpers = (
                () if helper is None else (Assistant(staff=who(helper[0], i), knew=helper[1], substantial=helper[2]),)
            )
            r.deal(_phone(i), who(closer, i), type_, assistants=helpers, closer_knew=closer_knew)
        elif kind == "complaint":
            _, i, against, approved, type_ = action
            r.complaint(_phone(i), who(against, i), approved_by="zhaoliu" if approved else None, type=type_)
        elif kind == "pending":
            _, c, i = action
            last_pending = r.pending(c, _phone(i))
        elif kind == "claim":
            _, c, verified = action
            if last_pending is not None:
                r.claim(last_pending, c, verified=verified)
        elif kind in ("handin", "visit_handin"):
            _, c, i, in_window = action
            seen.setdefault(i, []).append(c)
            if in_window:
                _to_window(r)
            if kind == "visit_handin":
                r.visit(c, _phone(i), _name(i))
                seen.setdefault(i, []).append(c)
                r.later(minutes=5)
            r.handin(c, _phone(i), _name(i))
        elif kind == "dispute":
            _, i, c = action
            r.dispute(_phone(i), c)
        elif kind == "appeal":
            _, i, appellant, outcome, consequence = action
            if outcome == "overturned" and consequence is not None:
                owner, back = consequence
                since = max(r.now - timedelta(minutes=back), start)
                r.appeal(_phone(i), who(appellant, i), outcome, owner=who(owner, i), effective_at=since)
            else:
                r.appeal(_phone(i), who(appellant, i), outcome)
        elif kind == "relate":
            _, i, j, relation = action
            if i != j:
                r.relate(_phone(i), _phone(j), relation)
        elif kind == "duty":
            _, c, status = action
            r.duty(c, status)
        elif kind == "report":
            _, i, k, form, right_name = action
            channel, agent = CHANNELS[k]
            r.report(_shown(_phone(i), form), _name(i) if right_name else "路人甲", channel=channel, agent=agent)
        elif kind == "confirm_visit":
            _, i, k, right_name = action
            channel, agent = CHANNELS[k]
            r.confirm_visit(_phone(i), _name(i) if right_name else "路人甲", channel=channel, agent=agent)
        elif kind == "reported_visit":
            _, i, k, form, cite = action
            channel, agent = CHANNELS[k]
            rep = r.report(_shown(_phone(i), form), _name(i), channel=channel, agent=agent)
            name = "路人甲" if cite == "wrong_name" else _name(i)
            visitor = MISTAKEN if cite == "wrong_phone" and i >= 0 else _phone(i)  # fresh: one customer
            r.later(hours=2).confirm_visit(
                visitor, name, channel=channel, agent=agent, report=None if cite is None else rep.id
            )
    return r.facts


def _decide(facts: Sequence[Fact], preset: str, at: datetime | None = None) -> Attribution:
    return decide(facts, load_preset(preset), at=at, catalogue=presets())


def _end(facts: Sequence[Fact]) -> datetime:
    return max(f.at for f in facts) + timedelta(days=12)


_SETTINGS = settings(max_examples=60, deadline=None)


# ---------------------------------------------------------------------------
# (1) determinism


@pytest.mark.parametrize("preset", PRESETS + LATER)
@_SETTINGS
@given(scenario=scenarios(), order=st.randoms(use_true_random=False))
def test_decide_is_deterministic(preset: str, scenario: tuple[int, list[Step]], order: random.Random) -> None:
    """core: decide is deterministic: the same record decided twice, or read in another order
    (a file's lines shuffled), gives identical answers: facts are taken in time order."""
    # given a random record
    _, steps = scenario
    facts = build(steps)
    at = _end(facts)
    shuffled = list(facts)
    order.shuffle(shuffled)
    # when it is decided twice from the same list, and once from the shuffled one
    first = _decide(facts, preset, at)
    second = _decide(list(facts), preset, at)
    third = _decide(shuffled, preset, at)
    # then every verdict, split, penalty and invalid entry is equal
    assert first == second == third
    assert first.verdicts == second.verdicts


# ---------------------------------------------------------------------------
# (2) no look-ahead


@pytest.mark.parametrize("preset", PRESETS + LATER)
@_SETTINGS
@given(scenario=scenarios(min_steps=2), cut=st.integers(0, 10_000), offset=st.integers(-60, 3 * 24 * 60))
def test_verdict_at_t_ignores_later_facts(preset: str, scenario: tuple[int, list[Step]], cut: int, offset: int) -> None:
    """core: a verdict at t depends only on facts up to t: decide(facts, at=t) equals
    decide(facts up to t, at=t)."""
    # given a random record and a moment t near one of its facts
    _, steps = scenario
    facts = build(steps)
    t = facts[cut % len(facts)].at + timedelta(minutes=offset)
    t = max(t, facts[0].at)
    # when decided at t with and without the later facts
    with_later = _decide(facts, preset, t)
    without_later = _decide([f for f in facts if f.at <= t], preset, t)
    # then the answers are the same
    assert with_later == without_later


# ---------------------------------------------------------------------------
# (3) locality


def _renamed(f: Fact) -> Fact:
    """A fact of the fresh customer's own record under an id the base record does not use, and
    the facts it cites renamed with it."""
    if isinstance(f, VisitConfirmation) and f.report is not None:
        f = dataclasses.replace(f, report=f"x{f.report}")
    return dataclasses.replace(f, id=f"x{f.id}")


@pytest.mark.parametrize("preset", PRESETS + LATER)
@_SETTINGS
@given(
    scenario=scenarios(),
    fresh=st.lists(st.tuples(_gap, _actions(1, fresh=True)), min_size=1, max_size=6),
    shift=st.integers(0, 3 * 24 * 60),
)
def test_facts_about_a_fresh_customer_leave_other_groups_alone(
    preset: str, scenario: tuple[int, list[Step]], fresh: list[Step], shift: int
) -> None:
    """core: facts about one customer never change an unrelated group: adding facts about a
    fresh phone leaves every other verdict equal."""
    # given a random record and some facts about a customer nobody else mentions
    _, steps = scenario
    base = build(steps)
    extra = [_renamed(f) for f in build(fresh, staff=False, start=START + timedelta(minutes=shift, seconds=30))]
    at = _end(base + extra)
    # when the record is decided with and without them
    before = _decide(base, preset, at)
    after = _decide(base + extra, preset, at)
    # then every group other than the fresh customer's has the same verdict
    others_after = [v for v in after.verdicts if FRESH not in v.members]
    assert others_after == before.verdicts
    fresh_groups = [v for v in after.verdicts if FRESH in v.members]
    assert len(fresh_groups) <= 1
    if fresh_groups:
        assert fresh_groups[0].members == (FRESH,)


# ---------------------------------------------------------------------------
# (4) splits


@pytest.mark.parametrize("preset", PRESETS + LATER)
@_SETTINGS
@given(
    scenario=scenarios(min_steps=3),
    deals=st.lists(st.tuples(st.integers(0, 5), _pick, _deal_type, _assistant, st.booleans()), min_size=1, max_size=3),
)
def test_every_split_sums_to_one_without_negative_shares(
    preset: str, scenario: tuple[int, list[Step]], deals: list[tuple[Any, ...]]
) -> None:
    """core: every deal's commission split has shares summing to exactly Decimal(1), none
    negative."""
    # given a random record with at least one deal, decided at several moments
    n_phones, steps = scenario
    steps = steps + [(60, ("deal", i % n_phones, *rest)) for i, *rest in deals]
    facts = build(steps)
    moments = [facts[-1].at, facts[-1].at + timedelta(days=4), _end(facts)]
    for at in moments:
        # when decided
        att = _decide(facts, preset, at)
        # then each split is exact
        assert att.splits, "every recorded deal has a split"
        for split in att.splits:
            total = sum((share for _, share in split.shares), Decimal(0))
            assert total == Decimal(1), (split.deal, split.rule, split.shares)
            assert all(share >= 0 for _, share in split.shares), (split.rule, split.shares)
            assert all(isinstance(share, Decimal) for _, share in split.shares)
            assert split.rule


# ---------------------------------------------------------------------------
# (5) one group, one owner


@pytest.mark.parametrize("preset", PRESETS + LATER)
@_SETTINGS
@given(scenario=scenarios())
def test_every_phone_in_exactly_one_group_with_one_owner(preset: str, scenario: tuple[int, list[Step]]) -> None:
    """core: no group ever has two owners: each phone is in exactly one verdict's members and
    each verdict names exactly one owner."""
    # given a random record
    _, steps = scenario
    facts = build(steps)
    named = customer_phones(facts)
    for at in (facts[-1].at, _end(facts)):
        # when decided
        att = _decide(facts, preset, at)
        # then each named phone is a member of exactly one verdict
        counts = Counter(p for v in att.verdicts for p in v.members)
        assert set(counts) == named
        assert all(n == 1 for n in counts.values()), counts
        assert len({v.group for v in att.verdicts}) == len(att.verdicts)
        # and each verdict has exactly one owner, consistent with its state
        for v in att.verdicts:
            assert v.owner.kind in ("consultant", "channel", "pool", "department")
            if v.owner.kind in ("consultant", "channel"):
                assert v.owner.id, v
            if v.state == "owned":
                assert v.owner.kind != "pool", v
            if v.state == "public":
                assert v.owner.kind in ("pool", "department"), v
            assert att.verdict_for(v.members[0]) == v


# ---------------------------------------------------------------------------
# (6) incremental == batch


@pytest.mark.parametrize("preset", PRESETS + LATER)
@_SETTINGS
@given(scenario=scenarios())
def test_incremental_apply_equals_batch_decide(preset: str, scenario: tuple[int, list[Step]]) -> None:
    """core: applying facts one at a time to an Attributor gives the same attribution as
    decide() over the whole record."""
    # given a random record
    _, steps = scenario
    facts = build(steps)
    policy = load_preset(preset)
    engine = Attributor(policy, catalogue=presets())
    # when the facts are applied one at a time, checking along the way
    for n, f in enumerate(facts, start=1):
        engine.apply(f)
        if n > len(facts) - 4:
            assert engine.attribution(f.at) == decide(facts[:n], policy, at=f.at, catalogue=presets())
    # then the final answer equals the batch answer, now and later
    for at in (facts[-1].at, _end(facts)):
        assert engine.attribution(at) == decide(facts, policy, at=at, catalogue=presets())
