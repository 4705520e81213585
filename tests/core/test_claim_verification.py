"""S8.10, S14.3a under the v2 presets: a claim stands only once a clerk or manager verifies it.

s8@v1 and s14@v1 trust a claim's own ``verified`` flag (records written before keep their
verdicts); s8@v2 and s14@v2 need a ``claim_verified`` fact naming a clerk or manager who is not
the claimant.
"""

from __future__ import annotations

import pytest

from guishu.core.events import PendingConfirmation
from tests.builders import PHONE_A, Record, at


def pending_by_lisi() -> tuple[Record, PendingConfirmation]:
    """张三 registers 王建国 on Mon 2 March; he returns on Wed 4 March, forgets him; 李四 files."""
    r = Record()
    r.visit("zhangsan", PHONE_A)
    pend = r.on(4, 15).pending("lisi", PHONE_A)
    return r, pend


@pytest.mark.parametrize("preset", ["s8", "s8@v1"])
def test_v1_a_claim_flagged_verified_stands_as_it_always_did(preset: str) -> None:
    """S8.10 (v1): the claim's own verified flag decides, as in every record written before."""
    # given
    r, pend = pending_by_lisi()
    # when
    r.on(5, 9).claim(pend, "zhangsan", verified=True)
    # then
    v = r.verdict(preset, PHONE_A)
    assert (v.owner.id, v.state) == ("zhangsan", "owned")


def test_v2_a_claim_flagged_verified_does_not_stand_by_itself() -> None:
    """S8.10 (v2): "认领并经核实": the claimant's own word that it is verified counts for nothing."""
    # given
    r, pend = pending_by_lisi()
    # when
    r.on(5, 9).claim(pend, "zhangsan", verified=True)
    # then
    v = r.verdict("s8@v2", PHONE_A, at=at(7, 23))
    assert (v.state, v.candidate) == ("pending", "lisi")
    assert r.verdict("s8@v2", PHONE_A, at=at(8, 0, 1)).owner.id == "lisi"


@pytest.mark.parametrize("verifier", ["sunba", "zhaoliu"], ids=["clerk", "manager"])
@pytest.mark.parametrize("preset", ["s8@v1", "s8@v2"])
def test_a_claim_verified_by_the_clerk_or_manager_stands(preset: str, verifier: str) -> None:
    """S8.10: claimed on day 1 and verified on day 3 (inclusive) -> the original consultant's."""
    # given
    r, pend = pending_by_lisi()
    claim = r.on(5, 9).claim(pend, "zhangsan", verified=False)
    # when
    r.on(7, 18).verify_claim(claim, by=verifier)
    # then
    v = r.verdict(preset, PHONE_A)
    assert (v.owner.id, v.state, v.since) == ("zhangsan", "owned", at(7, 18))
    assert any(x.rule == "S8.10" and "经核实" in x.zh for x in v.reasons)


@pytest.mark.parametrize(
    ("day", "hour", "minute", "expected"),
    [(7, 23, 59, "zhangsan"), (8, 0, 0, "lisi")],
    ids=["last-minute-of-day-3", "exactly-day-4"],
)
def test_a_verification_after_the_window_is_too_late(day: int, hour: int, minute: int, expected: str) -> None:
    """S8.10: the claim and its verification both within 3 days (inclusive); at 00:00 of day 4
    the pending confirmation has already gone to the filer."""
    # given
    r, pend = pending_by_lisi()
    claim = r.on(5, 9).claim(pend, "zhangsan", verified=False)
    # when
    r.on(day, hour, minute).verify_claim(claim)
    # then
    assert r.verdict("s8@v2", PHONE_A).owner.id == expected


@pytest.mark.parametrize("verifier", ["zhangsan", "lisi", "zhouqi", "wangwu", "qianjiu"])
def test_only_a_clerk_or_manager_other_than_the_claimant_verifies(verifier: str) -> None:
    """S8.10: the claimant, the filer, another consultant, an agent or the developer's marketing
    manager cannot verify: the claim stays unverified and the verification is invalid."""
    # given
    r, pend = pending_by_lisi()
    claim = r.on(5, 9).claim(pend, "zhangsan", verified=False)
    # when
    check = r.on(6, 9).verify_claim(claim, by=verifier)
    # then
    result = r.decide("s8@v2", at=at(7, 12))
    v = result.verdict_for(PHONE_A)
    assert v is not None and (v.state, v.candidate) == ("pending", "lisi")
    assert [(i.fact, i.fields) for i in result.invalid] == [(check.id, ("by",))]


def test_a_refused_verification_leaves_the_customer_pending() -> None:
    """S8.10: the clerk finds no ground for the claim: it never stands, the filer gets him."""
    # given
    r, pend = pending_by_lisi()
    claim = r.on(5, 9).claim(pend, "zhangsan", verified=False)
    # when
    r.on(6, 9).verify_claim(claim, approved=False)
    # then
    assert r.verdict("s8@v2", PHONE_A, at=at(7, 12)).state == "pending"
    assert r.verdict("s8@v2", PHONE_A, at=at(8, 0, 1)).owner.id == "lisi"


def test_s14_v2_needs_the_verification_too() -> None:
    """S14.3a (v2): the pending confirmation waits for a claim that a clerk or manager verifies."""
    # given
    r, pend = pending_by_lisi()
    claim = r.on(5, 9).claim(pend, "zhangsan", verified=True)
    assert r.verdict("s14@v2", PHONE_A).state == "pending"
    # when
    r.on(5, 10).verify_claim(claim, by="zhaoliu")
    # then
    assert r.verdict("s14@v2", PHONE_A).owner.id == "zhangsan"
    assert r.verdict("s14", PHONE_A).owner.id == "zhangsan"


def test_v2_says_an_unverified_claim_lapsed_not_that_nobody_claimed() -> None:
    """S8.10 (v2): the reason names the claim that was never verified; v1's text is unchanged."""
    # given
    r, pend = pending_by_lisi()
    r.on(5, 9).claim(pend, "zhangsan", verified=False)
    # when
    v2 = r.verdict("s8@v2", PHONE_A, at=at(8, 0, 1))
    v1 = r.verdict("s8", PHONE_A, at=at(8, 0, 1))
    # then
    said = {name: [x.zh for x in v.reasons if x.rule == "S8.10"][-1] for name, v in (("v1", v1), ("v2", v2))}
    assert said["v2"] == "待确认登记3日(含)内认领未经内业或经理核实,归登记人 李四"
    assert said["v1"] == "待确认登记3日(含)内无人认领,归登记人 李四"


@pytest.mark.parametrize(("preset", "said"), [("s8@v1", False), ("s8@v2", True), ("s14@v1", False), ("s14@v2", True)])
def test_policy_show_says_who_verifies_a_claim(preset: str, said: bool) -> None:
    """S8.10, S14.3a: `policy show` of the v2 presets states the clerk's verification."""
    from guishu.core.policy_text import explain_policy
    from guishu.policies import load_preset

    text = "\n".join(explain_policy(load_preset(preset)))
    assert ("认领须由内业或经理(非认领人)核实后方成立。" in text) is said


def test_a_claimant_who_became_a_manager_cannot_verify_his_own_claim() -> None:
    """S8.10: "经核实" is someone else's check: 张三 claims, is made manager, verifies: invalid."""
    from guishu.core.events import StaffJoined

    # given
    r, pend = pending_by_lisi()
    claim = r.on(5, 9).claim(pend, "zhangsan", verified=False)
    r.on(5, 10).add(StaffJoined, staff="zhangsan", name="张三", role="manager")
    # when
    check = r.on(5, 11).verify_claim(claim, by="zhangsan")
    # then
    result = r.decide("s8@v2", at=at(7, 12))
    v = result.verdict_for(PHONE_A)
    assert v is not None and (v.state, v.candidate) == ("pending", "lisi")
    assert [(i.fact, i.fields) for i in result.invalid] == [(check.id, ("by",))]
