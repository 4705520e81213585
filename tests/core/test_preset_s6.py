"""The S6 preset (公司客户界定确认及归属制度): channels report before the visit, or the pool.

Under S6 the owner is a channel (分销单位) or the public pool (公共资源). A channel
reports its customer by SMS before the visit (name, gender, phone shown as the
first 4 and last 5 digits); each visit is confirmed on a form signed by three.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from guishu.core.events import ChannelReport, FollowUp, VisitConfirmation
from guishu.core.verdict import Attribution
from tests.builders import PHONE_A, Record, at, invalid_rules, rules_of

S6 = "s6"
MASK_A = "1380**00001"  # PHONE_A (13800000001), first 4 and last 5 digits (S6.1)


def status_of(att: Attribution, report: ChannelReport) -> str:
    return next(a.status for a in att.reports if a.report == report.id)


def brought_by_jy(r: Record, phone: str = PHONE_A, **kw: object) -> VisitConfirmation:
    """陈十 of channel jy brings the customer; the form is signed by all three."""
    return r.confirm_visit(phone, channel="jy", agent="chenshi", **kw)


# --------------------------------------------------------------------------- S6.1


def test_reported_customer_belongs_to_the_channel() -> None:
    """S6.1: a report (name, gender, first4/last5 phone) matched by the visit -> the channel's."""
    # given
    r = Record()
    rep = r.report(MASK_A)
    r.on(4, 10).confirm_visit(PHONE_A)
    # when
    att = r.decide(S6)
    v = att.verdict_for(PHONE_A)
    # then
    assert status_of(att, rep) == "accepted"
    assert v is not None
    assert v.owner.kind == "channel"
    assert v.owner.id == "hx"
    assert v.state == "owned"


def test_first3_last4_mask_is_refused() -> None:
    """S6.1: the phone must show the first 4 and last 5 digits; 138****0001 is not accepted."""
    # given
    r = Record()
    rep = r.report("138****0001")
    r.on(4, 10).confirm_visit(PHONE_A, shown="138****0001")
    # when
    att = r.decide(S6)
    # then
    assert status_of(att, rep) == "invalid"
    assert invalid_rules(att)[rep.id] == "S6.1"
    assert r.owner(S6, PHONE_A) is None


@pytest.mark.parametrize(
    "missing",
    ["name", "gender", "phone"],
)
def test_report_missing_a_field_is_invalid(missing: str) -> None:
    """S6.1: a report needs name, gender and phone; missing one -> invalid, not reported."""
    # given
    r = Record()
    fields: dict[str, object] = {"name": "王建国", "gender": "M", "phone": MASK_A}
    fields[missing] = None
    rep = r.add(ChannelReport, channel="hx", agent="wangwu", **fields)
    r.on(4, 10).confirm_visit(PHONE_A)
    # when
    att = r.decide(S6)
    # then
    assert status_of(att, rep) == "invalid"
    assert invalid_rules(att)[rep.id] == "S6.1"
    assert r.owner(S6, PHONE_A) is None


# --------------------------------------------------------------------------- S6.2


def test_no_report_before_visit_is_public() -> None:
    """S6.2: no report before the visit -> a public resource."""
    # given: the channel brings the customer without a report
    r = Record()
    r.on(4, 10).confirm_visit(PHONE_A)
    # when
    att = r.decide(S6)
    v = att.verdict_for(PHONE_A)
    # then
    assert v is not None
    assert v.owner.kind == "pool"
    assert v.state == "public"
    assert "S6.2" in rules_of(att, PHONE_A)


def test_report_after_the_visit_does_not_claim() -> None:
    """S6.2: a report made after the customer's first visit cannot make him the channel's."""
    # given: walks in on 4 Mar unreported; hx reports him on 5 Mar and brings him on 6 Mar
    r = Record()
    r.on(4, 10).confirm_visit(PHONE_A, channel=None, agent=None, signoffs=("clerk",))
    rep = r.on(5, 10).report(MASK_A)
    r.on(6, 10).confirm_visit(PHONE_A)
    # when
    att = r.decide(S6)
    # then
    assert status_of(att, rep) == "already_customer"
    assert r.owner(S6, PHONE_A) is None


# --------------------------------------------------------------------------- S6.3


@pytest.mark.parametrize(("visit_day", "owner"), [(4, "hx"), (8, "hx"), (10, None), (12, None)])
def test_report_valid_seven_days(visit_day: int, owner: str | None) -> None:
    """S6.3: a report is valid 7 days from the first report; a later first visit -> public."""
    # given: reported on 2 Mar 10:00 (valid to 9 Mar 10:00)
    r = Record()
    r.report(MASK_A)
    r.on(visit_day, 11).confirm_visit(PHONE_A)
    # then
    assert r.owner(S6, PHONE_A) == owner


def test_rereport_within_validity_is_duplicate() -> None:
    """S6.3: a channel reporting again while its report is still valid gets 'duplicate'."""
    # given
    r = Record()
    r.report(MASK_A)
    again = r.on(5, 10).report(MASK_A)
    # when
    att = r.decide(S6)
    # then
    assert status_of(att, again) == "duplicate"


@pytest.mark.parametrize(
    ("follow_up_days", "owner"),
    [
        ((6, 9), "hx"),  # every <= 5 days from 2 Mar to the re-report on 10 Mar: keeps 2 Mar
        ((), "jy"),  # no follow-up: the re-report dates from 10 Mar 09:00, after jy's 08:00
        ((9,), "jy"),  # a 7-day gap (2 -> 9 Mar): the chain is broken
    ],
    ids=["followed-up", "no-follow-up", "gap"],
)
def test_rereport_after_expiry_keeps_priority_with_follow_ups(follow_up_days: tuple[int, ...], owner: str) -> None:
    """S6.3, S6.5: re-reporting after expiry, with follow-ups every 5 days, keeps the first time."""
    # given: hx reports on 2 Mar (expires 9 Mar 10:00) and follows up
    r = Record()
    first = r.report(MASK_A)
    for day in follow_up_days:
        r.on(day, 15).add(FollowUp, report=first.id, channel="hx")
    # jy reports the customer on 10 Mar 08:00, hx reports again at 09:00
    r.on(10, 8).report(MASK_A, channel="jy", agent="chenshi")
    r.on(10, 9).report(MASK_A)
    # when: hx brings him on 11 Mar
    r.on(11, 10).confirm_visit(PHONE_A)
    # then
    assert r.owner(S6, PHONE_A) == owner


# --------------------------------------------------------------------------- S6.4


def test_same_day_group_list_counts_as_report() -> None:
    """S6.4: a same-day group list with names and phones counts as reports for that day."""
    # given: hx brings a group on 4 Mar and gives the clerk the list
    r = Record()
    gl = r.on(4, 9).group_list([("王建国", PHONE_A)])
    r.on(4, 10).confirm_visit(PHONE_A)
    # when
    v = r.verdict(S6, PHONE_A)
    # then: the channel's, on the strength of the list entry
    assert v.owner.id == "hx"
    assert any(f"{gl.id}#0" in reason.facts for reason in v.reasons)


@pytest.mark.parametrize("entry", [("王建国", None), (None, PHONE_A)], ids=["name-only", "phone-only"])
def test_group_list_entry_needs_name_and_phone(entry: tuple[str | None, str | None]) -> None:
    """S6.4: an entry with only a name (or only a phone) is not a report: invalid, public."""
    # given
    r = Record()
    gl = r.on(4, 9).group_list([entry])
    r.on(4, 10).confirm_visit(PHONE_A)
    # when
    att = r.decide(S6)
    # then
    assert invalid_rules(att)[f"{gl.id}#0"] == "S6.4"
    assert r.owner(S6, PHONE_A) is None


def test_group_list_only_counts_that_day() -> None:
    """S6.4: the list counts for a visit that same day; the next day it is no report."""
    # given
    r = Record()
    r.on(4, 9).group_list([("王建国", PHONE_A)])
    r.on(5, 10).confirm_visit(PHONE_A)
    # then
    assert r.owner(S6, PHONE_A) is None


# --------------------------------------------------------------------------- S6.5


def test_earlier_report_wins_even_if_later_channel_brings_him() -> None:
    """S6.5: two channels report one customer -> the earlier report wins, whoever brings him."""
    # given: hx reports 2 Mar; jy reports 3 Mar and brings him 4 Mar
    r = Record()
    r.report(MASK_A)
    later = r.on(3, 10).report(MASK_A, channel="jy", agent="chenshi")
    brought_by_jy(r.on(4, 10))
    # when
    att = r.decide(S6)
    # then
    assert status_of(att, later) == "duplicate"
    assert r.owner(S6, PHONE_A) == "hx"
    assert "S6.5" in rules_of(att, PHONE_A)


def test_later_report_wins_once_the_earlier_expired() -> None:
    """S6.5, S6.3: the earlier report counts only while valid; expired, the later one wins."""
    # given: hx reports 2 Mar (valid to 9 Mar); jy reports 8 Mar and brings him 10 Mar
    r = Record()
    r.report(MASK_A)
    r.on(8, 10).report(MASK_A, channel="jy", agent="chenshi")
    brought_by_jy(r.on(10, 11))
    # then
    assert r.owner(S6, PHONE_A) == "jy"


def test_reports_under_other_names_on_the_same_tail_are_not_rivals() -> None:
    """S6.5: only a report of the same customer (name and phone) is an earlier rival; two
    customers whose phones share the shown digits, under different names, are each reported."""
    # given: hx reports 王建国 at 1380**00001; jy reports 李秀英 at the same shown digits
    r = Record()
    first = r.report(MASK_A)
    other = r.on(3, 10).report(MASK_A, name="李秀英", gender="F", channel="jy", agent="chenshi")
    # when 李秀英 comes with jy
    brought_by_jy(r.on(4, 10), name="李秀英", gender="F")
    att = r.decide(S6)
    # then both reports stand, and she is jy's
    assert (status_of(att, first), status_of(att, other)) == ("accepted", "accepted")
    assert r.owner(S6, PHONE_A) == "jy"


def test_a_confirming_channel_whose_report_expired_leaves_a_public_customer() -> None:
    """S6.2, S6.7: the confirming channel's report under another name makes the form invalid
    only while that report is live; once it expired, there is simply no report: public."""
    # given: jy reported 王健国 (a wrong character) on 2 Mar, valid seven days
    r = Record()
    r.report(MASK_A, name="王健国", channel="jy", agent="chenshi")
    # when jy brings 王建国 on 12 Mar
    vc = brought_by_jy(r.on(12, 10))
    att = r.decide(S6)
    # then no S6.7 invalid form: no valid report before the visit (S6.2)
    assert vc.id not in invalid_rules(att)
    assert r.owner(S6, PHONE_A) is None
    assert "S6.2" in rules_of(att, PHONE_A)


# --------------------------------------------------------------------------- S6.6


@pytest.mark.parametrize("missing", ["phone", "entry_at"])
def test_confirmation_needs_full_phone_and_entry_time(missing: str) -> None:
    """S6.6: a visit confirmation without the full phone or the entry time is invalid."""
    # given
    r = Record()
    r.report(MASK_A)
    r.on(4, 10)
    fields: dict[str, object] = {"phone": PHONE_A, "entry_at": r.now}
    fields[missing] = None
    vc = r.add(VisitConfirmation, name="王建国", gender="M", phone_shown=MASK_A, channel="hx", agent="wangwu", **fields)
    # when
    att = r.decide(S6)
    # then
    assert invalid_rules(att)[vc.id] == "S6.6"
    if missing == "entry_at":
        assert r.owner(S6, PHONE_A) is None


# --------------------------------------------------------------------------- S6.7


@pytest.mark.parametrize("absent", ["agent", "clerk", "marketing_manager"])
def test_missing_signoff_is_not_confirmed(absent: str) -> None:
    """S6.7: the agent, the clerk and the marketing manager must all sign; else not confirmed."""
    # given
    r = Record()
    r.report(MASK_A)
    roles = tuple(x for x in ("agent", "clerk", "marketing_manager") if x != absent)
    vc = r.on(4, 10).confirm_visit(PHONE_A, signoffs=roles)
    # when
    att = r.decide(S6)
    # then
    assert invalid_rules(att)[vc.id] == "S6.7"
    assert r.owner(S6, PHONE_A) is None


@pytest.mark.parametrize(("name", "gender"), [("王健国", "M"), ("王建国", "F")], ids=["name", "gender"])
def test_report_and_visit_disagree_is_invalid(name: str, gender: str) -> None:
    """S6.7: report and visit confirmation details that disagree -> invalid, public."""
    # given: reported as 王建国, male
    r = Record()
    r.report(MASK_A)
    vc = r.on(4, 10).confirm_visit(PHONE_A, name=name, gender=gender)
    # when
    att = r.decide(S6)
    # then
    assert invalid_rules(att)[vc.id] == "S6.7"
    assert r.owner(S6, PHONE_A) is None


@pytest.mark.parametrize(
    ("when", "owner"),
    [(at(1, 12, month=4), "hx"), (at(3, 12, month=4), None)],
)
def test_channel_ownership_lasts_thirty_days(when: datetime, owner: str | None) -> None:
    """S6.7: a visit confirmation is valid 30 days from the first visit, then public."""
    # given: first visit 3 Mar 10:00 (valid to 2 Apr 10:00)
    r = Record()
    r.report(MASK_A)
    r.on(3, 10).confirm_visit(PHONE_A)
    # then
    assert r.owner(S6, PHONE_A, at=when) == owner


def test_second_visit_does_not_extend_thirty_days() -> None:
    """S6.7: the 30 days run from the first visit, not from later ones."""
    # given: first visit 3 Mar, second visit 20 Mar
    r = Record()
    r.report(MASK_A)
    r.on(3, 10).confirm_visit(PHONE_A)
    r.on(20, 10).confirm_visit(PHONE_A)
    # then: public after 2 Apr
    assert r.owner(S6, PHONE_A, at=at(5, 12, month=4)) is None


def test_deal_keeps_the_channel_after_thirty_days() -> None:
    """S6.7: a deal within the 30 days keeps the customer the channel's afterwards."""
    # given
    r = Record()
    r.report(MASK_A)
    r.on(3, 10).confirm_visit(PHONE_A)
    r.on(20, 10).deal(PHONE_A, "zhangsan")
    # then
    assert r.owner(S6, PHONE_A, at=at(10, 12, month=4)) == "hx"


# --------------------------------------------------------------------------- S6.8


@pytest.mark.parametrize(
    ("named", "verified", "owner"),
    [("hx", None, "hx"), (None, True, "hx"), (None, False, None), (None, None, None)],
    ids=["names-channel", "records-verified", "records-false", "neither"],
)
def test_reported_customer_comes_alone(named: str | None, verified: bool | None, owner: str | None) -> None:
    """S6.8: alone, naming the channel -> its; not naming but records verified -> its; else public."""
    # given
    r = Record()
    r.report(MASK_A)
    r.on(4, 10).confirm_visit(
        PHONE_A,
        channel=None,
        agent=None,
        signoffs=("clerk",),
        came_alone=True,
        named_channel=named,
        contact_records_verified=verified,
    )
    # then
    assert r.owner(S6, PHONE_A) == owner


# --------------------------------------------------------------------------- agent answers


PHONE_X = "+8613801200001"  # both fit 1380**00001
PHONE_Y = "+8613803400001"


def walk_in(r: Record, phone: str, name: str) -> VisitConfirmation:
    """A walk-in customer confirmed at the desk (no channel): a known, public customer."""
    return r.confirm_visit(phone, name=name, channel=None, agent=None, signoffs=("clerk",))


def test_mask_fitting_two_known_customers_is_ambiguous() -> None:
    """S6.1, S6.2: a mask fitting two known customers, neither by name -> 'ambiguous'."""
    # given
    r = Record()
    walk_in(r, PHONE_X, "李梅")
    walk_in(r, PHONE_Y, "赵强")
    rep = r.on(3, 10).report(MASK_A, name="张伟")
    # when
    att = r.decide(S6)
    # then
    assert status_of(att, rep) == "ambiguous"


def test_mask_fitting_two_known_customers_resolved_by_name() -> None:
    """S6.1, S6.2: two known customers fit the mask, the name picks one -> 'already_customer'."""
    # given
    r = Record()
    walk_in(r, PHONE_X, "李梅")
    walk_in(r, PHONE_Y, "赵强")
    rep = r.on(3, 10).report(MASK_A, name="李梅", gender="F")
    # when
    att = r.decide(S6)
    # then
    assert status_of(att, rep) == "already_customer"


@pytest.mark.parametrize(
    ("scenario", "status"),
    [
        ("fresh", "accepted"),
        ("own_again", "duplicate"),
        ("other_channel_first", "duplicate"),
        ("known_customer", "already_customer"),
        ("bad_mask", "invalid"),
    ],
)
def test_agent_is_answered_at_once(scenario: str, status: str) -> None:
    """S6.1-S6.5: the agent learns at once: accepted, duplicate, already a customer or invalid."""
    # given
    r = Record()
    if scenario == "own_again":
        r.report(MASK_A)
    elif scenario == "other_channel_first":
        r.report(MASK_A, channel="jy", agent="chenshi")
    elif scenario == "known_customer":
        walk_in(r, PHONE_A, "王建国")
    r.on(3, 10)
    rep = r.report("138****0001" if scenario == "bad_mask" else MASK_A)
    # when
    att = r.decide(S6)
    # then
    assert status_of(att, rep) == status
    if status == "accepted":
        answer = next(a for a in att.reports if a.report == rep.id)
        assert answer.valid_until == at(10, 10)


def test_masked_phones_find_customers_by_their_last_four_or_five_digits() -> None:
    """S6.1: a mask shows the last 4 (138****5678) or, in S6's form, the last 5 digits."""
    # given: three customers, two of them sharing their last four digits
    r = Record()
    for consultant, phone in (("zhangsan", "+8613800012345"), ("lisi", "+8613900002345"), ("zhouqi", "+8613700055555")):
        r.visit(consultant, phone)
    engine = r.engine(S6)
    # then
    assert sorted(engine.phones_ending("2345")) == ["+8613800012345", "+8613900002345"]
    assert engine.phones_ending("12345") == ["+8613800012345"]
    assert engine.phones_ending("0012345") == ["+8613800012345"]
    assert engine.phones_ending("345") == []  # no mask shows fewer than four


@pytest.mark.parametrize("shown", ["x", "138****", "12**3", "1380**00009"])
def test_a_phone_on_the_confirmation_that_does_not_fit_the_report_is_invalid(shown: str) -> None:
    """S6.7: the phone written on the confirmation must agree with the report; one that cannot be
    read as a mask ("x", "138****") or fits another number makes the confirmation invalid, and the
    visitor is not the channel's."""
    # given: a valid masked report, then the visit with what the clerk wrote on the form
    r = Record()
    r.report(MASK_A)
    vc = r.on(4, 10).confirm_visit(PHONE_A, shown=shown)
    # when
    att = r.decide(S6)
    # then
    assert invalid_rules(att)[vc.id] == "S6.7"
    assert r.owner(S6, PHONE_A) is None


def test_an_earlier_reports_time_is_said_in_the_sites_zone() -> None:
    """S6.5: the duplicate answer names the first report's time as the site reads it, also when
    the record's times are the service's UTC stamps (02:00 UTC is 10:00 in Beijing)."""
    from datetime import UTC

    r = Record(start=datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    r.report(MASK_A)
    later = r.later(hours=1).report(MASK_A, channel="jy", agent="chenshi")
    again = r.later(hours=1).report(MASK_A)
    att = r.decide(S6)
    answers = {a.report: a for a in att.reports}
    assert "其他渠道已于 03-02 10:00 先报备" in answers[later.id].zh
    assert "本渠道已于 03-02 10:00 报备" in answers[again.id].zh
