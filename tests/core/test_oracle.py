"""Oracle property tests: decide() against a reference model written from RULES.md, not the engine.

The properties in test_properties.py compare the engine with itself (determinism, locality,
batch against incremental). These compare it with an answer worked out another way:

* a small reference model of S8 (S8.1 first valid confirmation, S8.5 validity, S8.6 calls and
  visits alike, S8.11 the 7-day contact cycle) and of S1 (S1.5 first reception, S1.1 validity,
  S1.C4/S1.C12 a second registration does not overturn the first, S1.C6 a first visit outranks
  an earlier call; in s1@v2 only when the visitor is recorded not remembering his caller),
  written from the rule text below with its own arithmetic on dates; the model uses nothing of
  guishu.core (this file imports it only to call decide() and read its verdicts, and builds the
  facts with tests/builders.py);
* a model of S8.10 (pending confirmation, 3 days inclusive, a verified claim by the original);
* properties whose expected owner comes from how the record is built (the first valid
  registrant keeps the customer because, by construction, nobody can overturn him).

Readings taken where the text leaves a choice (the first two as ``guishu policy show s8`` words
them):

* "within N days (inclusive) after" an event on local date D means through the end of local
  date D+N (Asia/Shanghai): S8.11 ("7(含)日内") and S8.10 ("3日(含)"); 00:00 of D+N+1 is out;
* S8.11 "每七天为一追访周期": each contact by the owner (his follow-up, or his own call or visit
  registration) starts a new 7-day cycle; a contact by anyone else does not; once the cycle
  lapses the customer is a new customer ("超期未跟进视为新客户"): public until the next valid
  registration, which owns him; a registration by another during the cycle does not carry over
  the lapse, and a late follow-up by the lapsed owner does not revive it;
* S8.5 / S1.1: an invalid registration is no registration: it neither owns nor counts as contact.

Records: four consultants, three phones, valid or defective (no name, no gender) calls and
visits, follow-ups, at strictly increasing times drawn to land on day boundaries (00:00, 00:01,
23:59) as often as inside a day. Each verdict is compared at every fact's moment, at each
cycle boundary (and one second before) and long after. Examples: 150 per test and preset for
the two models, 100 for the S8.10 model, 80 for each constructed property (``_MODEL``,
``_PENDING``, ``_BUILT``), derandomized under the CI profile (tests/conftest.py); the whole
file runs in about 13 s.

Docstrings start "oracle:" and cite their rule ids after it, so scripts/rule_map.py does not
list these tests under the rules in docs/policies.md (as test_properties.py's "core:").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guishu.core.attribution import decide
from guishu.core.events import Fact
from guishu.core.verdict import Attribution
from guishu.policies import load_preset, presets
from tests.builders import Record

# --------------------------------------------------------------------------- the world

SITE = ZoneInfo("Asia/Shanghai")  # the presets' time zone (guishu policy show s8)
DAY0 = date(2026, 3, 2)  # the builders' record starts 2026-03-02 10:00 with its staff
CONSULTANTS = ("zhangsan", "lisi", "zhouqi", "wuyi")
PHONES = ("+8613800000201", "+8613800000202", "+8613800000203")
NAMES = ("王建国", "李明", "陈静")

Kind = Literal["visit", "call", "follow_up"]
Defect = Literal["no_name", "no_gender"] | None


@dataclass(frozen=True)
class Event:
    """One thing that happened, in the model's own terms."""

    at: datetime
    kind: Kind
    consultant: str
    phone: int
    defect: Defect = None
    forgot: bool = False  # a visitor recorded not remembering his consultant (S1.C6)


@dataclass(frozen=True)
class Expect:
    owner: str | None
    state: str
    since: datetime | None
    protected_until: datetime | None


def midnight_after(d: date, days: int) -> datetime:
    """The first instant after local date ``d + days``: the end of an inclusive window."""
    return datetime.combine(d + timedelta(days=days + 1), time(0), tzinfo=SITE)


def local_date(t: datetime) -> date:
    return t.astimezone(SITE).date()


# --------------------------------------------------------------------------- the S8 model


@dataclass
class _S8Customer:
    owner: str | None = None
    since: datetime | None = None
    last_day: date | None = None  # the last local date the owner's cycle covers

    def lapse(self, t: datetime) -> None:
        """S8.11: the cycle ended before t without a contact by the owner: a new customer."""
        if self.owner is not None and self.last_day is not None:
            end = midnight_after(self.last_day, 0)
            if t >= end:
                self.owner, self.since, self.last_day = None, end, None

    def contact(self, t: datetime) -> None:
        """S8.11: the owner's own contact starts a new 7-day cycle (7 days inclusive)."""
        day = local_date(t) + timedelta(days=7)
        self.last_day = day if self.last_day is None else max(self.last_day, day)


def s8_model(events: list[Event], at: datetime) -> dict[str, Expect]:
    """S8.1, S8.5, S8.6, S8.11 from the rule text: the expected verdict of each phone at ``at``."""
    customers: dict[int, _S8Customer] = {}
    for e in sorted(events, key=lambda e: e.at):
        if e.at > at:
            break
        c = customers.setdefault(e.phone, _S8Customer())
        c.lapse(e.at)
        if e.kind == "follow_up":
            if c.owner == e.consultant:
                c.contact(e.at)
            continue
        if e.defect is not None:  # S8.5: surname, gender and a valid contact, or invalid
            continue
        if c.owner is None:  # S8.1 (and S8.6: a call and a visit alike): the first valid one owns
            c.owner, c.since, c.last_day = e.consultant, e.at, None
            c.contact(e.at)
        elif c.owner == e.consultant:  # his own call or visit is a contact too
            c.contact(e.at)
        # else: another consultant while the cycle runs: the original keeps him (S8.1, S8.11)
    out: dict[str, Expect] = {}
    for i, c in customers.items():
        c.lapse(at)
        if c.owner is not None:
            assert c.last_day is not None
            out[PHONES[i]] = Expect(c.owner, "owned", c.since, midnight_after(c.last_day, 0))
        else:
            out[PHONES[i]] = Expect(None, "public", c.since, None)
    return out


# --------------------------------------------------------------------------- the S1 model


def s1_model(events: list[Event], at: datetime, *, forgot_needed: bool) -> dict[str, Expect]:
    """S1.1, S1.5, S1.C4, S1.C6, S1.C12 from the rule text: the expected verdict at ``at``.

    First to receive and register wins (S1.5); a later registration by another does not change
    it (S1.C4, S1.C12); S1.1 needs a name and a contact (no gender). S1.C6: when the first
    registration was a call, the first visit registration (by someone else) wins; under s1@v2
    (``forgot_needed``) only if that visit records that he did not remember his caller. No
    protection period: nothing lapses."""
    out: dict[str, Expect] = {}
    for i in sorted({e.phone for e in events if e.at <= at}):
        regs = [e for e in sorted(events, key=lambda e: e.at) if e.phone == i and e.at <= at and e.kind != "follow_up"]
        valid = [e for e in regs if e.defect != "no_name"]
        if not valid:
            out[PHONES[i]] = Expect(None, "public", None, None)
            continue
        first = valid[0]
        winner = first
        if first.kind == "call":
            visits = [e for e in valid if e.kind == "visit"]
            if visits and visits[0].consultant != first.consultant and (visits[0].forgot or not forgot_needed):
                winner = visits[0]
        out[PHONES[i]] = Expect(winner.consultant, "owned", winner.at, None)
    return out


# --------------------------------------------------------------------------- records


def build(events: list[Event]) -> list[Fact]:
    """The events as facts, through the builders (the model never sees these)."""
    r = Record()
    for e in sorted(events, key=lambda e: e.at):
        assert e.at > r.now
        r.later(minutes=(e.at - r.now).total_seconds() / 60)
        phone = PHONES[e.phone]
        if e.kind == "follow_up":
            r.follow_up(e.consultant, phone, "call")
            continue
        name = None if e.defect == "no_name" else NAMES[e.phone]
        gender = None if e.defect == "no_gender" else "M"
        if e.forgot:
            r.register(e.kind, e.consultant, phone, name, gender, first_visit=False, knows_consultant=False)
        else:
            r.register(e.kind, e.consultant, phone, name, gender)
    return r.facts


def attribution(facts: list[Fact], preset: str, at: datetime) -> Attribution:
    return decide(facts, load_preset(preset), at=at, catalogue=presets())


def seen(att: Attribution, phone: str) -> Expect:
    v = att.verdict_for(phone)
    assert v is not None, f"no verdict for {phone}"
    owner = v.owner.id if v.owner.kind == "consultant" else None
    return Expect(owner, v.state, v.since, v.protected_until)


# A clock minute of the day, drawn to hit the day's edges as often as its inside.
_minute = st.one_of(st.sampled_from((0, 1, 600, 1439)), st.integers(0, 1439))
_day_gap = st.one_of(st.integers(0, 2), st.integers(3, 9))


def _times(draw: st.DrawFn, n: int, *, day_gap: st.SearchStrategy[int] = _day_gap) -> list[datetime]:
    """n strictly increasing moments after the record's start, often on day boundaries."""
    out: list[datetime] = []
    day, last = DAY0, datetime.combine(DAY0, time(10, 0), tzinfo=SITE)
    for _ in range(n):
        day = day + timedelta(days=draw(day_gap))
        t = datetime.combine(day, time(0), tzinfo=SITE) + timedelta(minutes=draw(_minute))
        if t <= last:
            t = last + timedelta(minutes=1)
        out.append(t)
        last, day = t, local_date(t)
    return out


@st.composite
def moment_lists(draw: st.DrawFn, least: int, most: int) -> list[datetime]:
    return _times(draw, draw(st.integers(least, most)))


_MODES: tuple[Kind, ...] = ("visit", "call")
_KINDS: tuple[Kind, ...] = ("visit", "call", "follow_up")
_DEFECTS: tuple[Defect, ...] = (None, "no_name", "no_gender")


@st.composite
def records(draw: st.DrawFn, *, forgetting: bool = False) -> list[Event]:
    n = draw(st.integers(1, 12))
    events = []
    for t in _times(draw, n):
        kind = draw(st.sampled_from((*_MODES, *_KINDS)))
        c = draw(st.sampled_from(CONSULTANTS))
        p = draw(st.integers(0, len(PHONES) - 1))
        defect = draw(st.sampled_from((None, None, None, *_DEFECTS)))
        forgot = forgetting and kind == "visit" and draw(st.booleans())
        events.append(Event(t, kind, c, p, None if kind == "follow_up" else defect, forgot))
    return events


def moments(events: list[Event]) -> list[datetime]:
    """Every fact's moment, each S8.11 cycle boundary it can set and one second before, and later."""
    out: set[datetime] = set()
    for e in events:
        end = midnight_after(local_date(e.at), 7)
        out |= {e.at, end, end - timedelta(seconds=1)}
    last = max(e.at for e in events)
    out |= {last + timedelta(days=40)}
    return sorted(out)


_MODEL = settings(max_examples=150, deadline=None)
_PENDING = settings(max_examples=100, deadline=None)
_BUILT = settings(max_examples=80, deadline=None)


# --------------------------------------------------------------------------- model against engine


@pytest.mark.parametrize("preset", ["s8", "s8@v2"])
@_MODEL
@given(events=records())
def test_s8_engine_agrees_with_the_reference_model(preset: str, events: list[Event]) -> None:
    """oracle: S8.1, S8.5, S8.6, S8.11: at every moment, each customer's owner, state, since and
    protected-until are what the reference model works out from the rule text (s8@v2 changes
    only S8.10, which these records do not use)."""
    # given a random record of calls, visits (some invalid) and follow-ups
    facts = build(events)
    for at in moments(events):
        # when the engine and the model answer at that moment
        att = attribution(facts, preset, at)
        expected = s8_model(events, at)
        # then they agree on every customer named so far
        for phone, want in expected.items():
            assert seen(att, phone) == want, (phone, at, events)


@pytest.mark.parametrize(("preset", "forgot_needed"), [("s1", False), ("s1@v2", True)])
@_MODEL
@given(events=records(forgetting=True))
def test_s1_engine_agrees_with_the_reference_model(preset: str, forgot_needed: bool, events: list[Event]) -> None:
    """oracle: S1.1, S1.5, S1.C4, S1.C6, S1.C12: at every moment each customer's owner, state and
    since are the reference model's: the first valid registration, or the first visit over an
    earlier call (s1@v2: only when he does not remember the caller); no protection lapses."""
    # given a random record; some visitors are recorded not remembering their consultant
    facts = build(events)
    for at in moments(events):
        # when
        att = attribution(facts, preset, at)
        expected = s1_model(events, at, forgot_needed=forgot_needed)
        # then
        for phone, want in expected.items():
            assert seen(att, phone) == want, (phone, at, events)


# --------------------------------------------------------------------------- S8.10 model


@dataclass(frozen=True)
class PendingCase:
    original: str
    filer: str
    registered: datetime
    follow_ups: tuple[datetime, ...]
    filed: datetime
    claims: tuple[tuple[datetime, bool], ...] = field(default=())

    @property
    def deadline(self) -> datetime:
        """S8.10: claimable through the 3rd day after filing, inclusive."""
        return midnight_after(local_date(self.filed), 3)


@st.composite
def pending_cases(draw: st.DrawFn) -> PendingCase:
    original, filer = draw(st.permutations(CONSULTANTS))[:2]
    registered, *follow_ups = _times(draw, draw(st.integers(1, 3)), day_gap=st.integers(0, 6))
    last = ([registered, *follow_ups])[-1]
    # filed while the original's cycle covers the whole claim window (filing day + 3 <= last + 7)
    filed = datetime.combine(local_date(last) + timedelta(days=draw(st.integers(0, 4))), time(0), tzinfo=SITE)
    filed += timedelta(minutes=draw(_minute))
    if filed <= last:
        filed = last + timedelta(minutes=1)
    deadline = midnight_after(local_date(filed), 3)
    claims = []
    t = filed
    for _ in range(draw(st.integers(0, 2))):
        nxt = datetime.combine(local_date(t) + timedelta(days=draw(st.integers(0, 3))), time(0), tzinfo=SITE)
        nxt += timedelta(minutes=draw(_minute))
        # sometimes the window's last instant, or its first instant out
        edge = draw(st.sampled_from((None, None, deadline - timedelta(seconds=1), deadline)))
        if edge is not None and edge > t:
            nxt = edge
        t = max(nxt, t + timedelta(minutes=1))
        claims.append((t, draw(st.booleans())))
    return PendingCase(original, filer, registered, tuple(follow_ups), filed, tuple(claims))


def pending_model(case: PendingCase, at: datetime) -> tuple[str, str | None]:
    """S8.10 from the rule text: (state, owner or candidate) at ``at``, from the filing on."""
    for when, verified in case.claims:
        if verified and when < case.deadline and when <= at:
            return ("owned", case.original)  # claimed within 3 days and verified
    if at < case.deadline:
        return ("pending", case.filer)
    return ("owned", case.filer)  # unclaimed for 3 days (inclusive): the filer's


@_PENDING
@given(case=pending_cases())
def test_s8_pending_confirmation_agrees_with_the_reference_model(case: PendingCase) -> None:
    """oracle: S8.10 (with S8.1, S8.11): a pending confirmation filed by another consultant for the
    original's protected customer stays pending, the filer the candidate, through the 3rd day
    after filing (inclusive); a verified claim by the original within it gives him the customer;
    unclaimed, or claimed unverified or late, the filer owns him from the deadline."""
    # given the original's registration and follow-ups, another's pending confirmation, claims
    r = Record()
    phone = PHONES[0]
    r.later(minutes=(case.registered - r.now).total_seconds() / 60)
    r.visit(case.original, phone, NAMES[0])
    for t in case.follow_ups:
        r.later(minutes=(t - r.now).total_seconds() / 60).follow_up(case.original, phone)
    r.later(minutes=(case.filed - r.now).total_seconds() / 60)
    pend = r.pending(case.filer, phone)
    for t, verified in case.claims:
        r.later(minutes=(t - r.now).total_seconds() / 60).claim(pend, case.original, verified=verified)
    checks = {case.filed, case.deadline, case.deadline - timedelta(seconds=1), case.deadline + timedelta(minutes=1)}
    checks |= {t for t, _ in case.claims}
    # before the filing the original owns him
    before = seen(attribution(r.facts, "s8", case.filed - timedelta(seconds=1)), phone)
    assert (before.owner, before.state) == (case.original, "owned")
    for at in sorted(checks):
        # when
        v = attribution(r.facts, "s8", at).verdict_for(phone)
        assert v is not None
        state, who = pending_model(case, at)
        # then
        assert v.state == state, (at, case)
        if state == "pending":
            assert (v.candidate, v.deadline) == (who, case.deadline), (at, case)
        else:
            assert (v.owner.kind, v.owner.id) == ("consultant", who), (at, case)


# --------------------------------------------------------------------------- by construction


@st.composite
def kept_by_contact(draw: st.DrawFn) -> tuple[str, list[Event]]:
    """X registers phone 0 first, validly; each later contact by X falls on or before the 7th day
    after his previous one (so every moment until the last is inside a 7-day cycle), and between
    them anyone else calls, visits (valid or not) or follows up phone 0, and anyone does anything
    to the other phones."""
    x = draw(st.sampled_from(CONSULTANTS))
    others = [c for c in CONSULTANTS if c != x]
    t = datetime.combine(DAY0, time(10), tzinfo=SITE) + timedelta(minutes=draw(st.integers(1, 900)))
    events = [Event(t, draw(st.sampled_from(("visit", "call"))), x, 0)]
    for _ in range(draw(st.integers(1, 10))):
        # the next contact by X: on the 7th day after the previous one at the latest, any minute
        contact_day = local_date(t) + timedelta(days=draw(st.one_of(st.just(7), st.integers(0, 7))))
        contact = datetime.combine(contact_day, time(0), tzinfo=SITE) + timedelta(minutes=draw(_minute))
        contact = max(contact, t + timedelta(minutes=20))
        # meanwhile, at distinct moments strictly between, other people's facts
        between = draw(st.lists(st.integers(1, 19), unique=True, max_size=4))
        span = contact - t
        for k in sorted(between):
            when = t + span * k / 20
            p = draw(st.integers(0, len(PHONES) - 1))
            who = draw(st.sampled_from(others if p == 0 else CONSULTANTS))
            kind = draw(st.sampled_from(_KINDS))
            defect = None if kind == "follow_up" else draw(st.sampled_from(_DEFECTS))
            events.append(Event(when, kind, who, p, defect))
        events.append(Event(contact, draw(st.sampled_from(_KINDS)), x, 0))
        t = contact
    return x, events


@pytest.mark.parametrize("preset", ["s8", "s8@v2"])
@_BUILT
@given(built=kept_by_contact())
def test_s8_first_valid_registrant_in_contact_keeps_the_customer(preset: str, built: tuple[str, list[Event]]) -> None:
    """oracle: S8.1, S8.6, S8.11: by construction X registered the customer first and validly and
    contacted him again each time by the 7th day (inclusive) after the last: whatever others
    register meanwhile, he is X's, owned, since X's registration, at every moment up to X's last
    contact, and protected through the 7th day after it."""
    # given
    x, events = built
    facts = build(events)
    mine = [e for e in events if e.phone == 0]
    first = mine[0]
    for e in mine:
        # when
        v = seen(attribution(facts, preset, e.at), PHONES[0])
        # then
        assert (v.owner, v.state, v.since) == (x, "owned", first.at), (e, events)
    # and a second before the cycle of his last contact ends he is still protected
    end = midnight_after(local_date(events[-1].at), 7)
    assert seen(attribution(facts, preset, end - timedelta(seconds=1)), PHONES[0]).owner == x
    assert seen(attribution(facts, preset, end - timedelta(seconds=1)), PHONES[0]).protected_until == end


@st.composite
def first_reception(draw: st.DrawFn) -> tuple[str, list[Event]]:
    """X registers phone 0 first with a valid visit; then anybody, at any distance in time, calls,
    visits (valid or not, remembering or not) or follows up."""
    x = draw(st.sampled_from(CONSULTANTS))
    times = _times(draw, draw(st.integers(1, 10)), day_gap=st.integers(0, 60))
    events = [Event(times[0], "visit", x, 0, draw(st.sampled_from((None, "no_gender"))))]
    for t in times[1:]:
        kind = draw(st.sampled_from(_KINDS))
        defect = None if kind == "follow_up" else draw(st.sampled_from(_DEFECTS))
        forgot = kind == "visit" and draw(st.booleans())
        events.append(Event(t, kind, draw(st.sampled_from(CONSULTANTS)), draw(st.integers(0, 2)), defect, forgot))
    return x, events


@pytest.mark.parametrize("preset", ["s1", "s1@v2"])
@_BUILT
@given(built=first_reception())
def test_s1_first_receiver_keeps_the_customer_for_good(preset: str, built: tuple[str, list[Event]]) -> None:
    """oracle: S1.5, S1.1, S1.C4, S1.C12: by construction X received and registered the customer
    first, by a visit with a name and phone (a gender is not required): he is X's at every later
    moment, a year on included, whoever else registers him."""
    # given
    x, events = built
    facts = build(events)
    for at in [e.at for e in events] + [events[-1].at + timedelta(days=365)]:
        # when
        v = seen(attribution(facts, preset, at), PHONES[0])
        # then
        assert (v.owner, v.state, v.since) == (x, "owned", events[0].at), (at, events)


@pytest.mark.parametrize(
    ("preset", "forgot", "winner"),
    [("s1", False, "visitor"), ("s1", True, "visitor"), ("s1@v2", True, "visitor"), ("s1@v2", False, "caller")],
)
@_BUILT
@given(
    pair=st.permutations(CONSULTANTS),
    times=moment_lists(2, 8),
    later=st.lists(st.tuples(st.sampled_from(_MODES), st.sampled_from(CONSULTANTS)), max_size=6),
)
def test_s1_first_visit_outranks_an_earlier_call(
    preset: str, forgot: bool, winner: str, pair: list[str], times: list[datetime], later: list[tuple[Kind, str]]
) -> None:
    """oracle: S1.C6: A registered the customer's call, B the first visit: B's under s1; under
    s1@v2 B's only if the visitor is recorded not remembering A, else A's (S1.5); later calls and
    visits by anyone change nothing (S1.C4)."""
    # given: A's call, B's first visit, then anything
    a, b = pair[0], pair[1]
    events = [Event(times[0], "call", a, 0), Event(times[1], "visit", b, 0, forgot=forgot)]
    events += [Event(t, kind, c, 0) for t, (kind, c) in zip(times[2:], later, strict=False)]
    facts = build(events)
    want = (b, times[1]) if winner == "visitor" else (a, times[0])
    for at in [*times[1:], times[-1] + timedelta(days=90)]:
        # when
        v = seen(attribution(facts, preset, at), PHONES[0])
        # then
        assert (v.owner, v.state, v.since) == (want[0], "owned", want[1]), (at, events)


@_BUILT
@given(
    times=moment_lists(1, 6),
    who=st.lists(st.sampled_from(CONSULTANTS), min_size=6, max_size=6),
    modes=st.lists(st.sampled_from(_MODES), min_size=6, max_size=6),
)
def test_without_gender_s8_has_no_owner_but_s1_does(times: list[datetime], who: list[str], modes: list[Kind]) -> None:
    """oracle: S8.5 against S1.1: by construction every registration of the customer has his name
    and phone but no gender: under s8 none is a valid confirmation, so nobody owns him; under s1,
    which asks only for a name and a contact, the first registrant does (S1.5; S1.C6 when he
    first called and another received his first visit)."""
    # given
    events = [Event(t, m, c, 0, "no_gender") for t, m, c in zip(times, modes, who, strict=False)]
    facts = build(events)
    calls_first = events[0].kind == "call"
    visits = [e for e in events if e.kind == "visit"]
    s1_winner = visits[0] if calls_first and visits and visits[0].consultant != events[0].consultant else events[0]
    for at in [e.at for e in events] + [events[-1].at + timedelta(days=30)]:
        # when / then
        s8 = seen(attribution(facts, "s8", at), PHONES[0])
        assert (s8.owner, s8.state) == (None, "public"), (at, events)
        s1 = seen(attribution(facts, "s1", at), PHONES[0])
        if s1_winner.at <= at:
            assert (s1.owner, s1.state) == (s1_winner.consultant, "owned"), (at, events)
        else:
            assert (s1.owner, s1.state) == (events[0].consultant, "owned"), (at, events)
