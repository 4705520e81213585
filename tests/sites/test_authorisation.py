"""Each authorisation rule of a site through its screens: claims and their verification,
rulings and policy changes, leaving, and who sees which site."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from guishu.api import keys as api_keys
from guishu.api.models import ApiKey
from guishu.desk import actions as desk_actions
from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Entry, Membership, Project
from guishu.sites.access import access_for
from tests.record.builders import make_project, visit
from tests.sites.builders import at_site, client_for, user

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+8613800000001"


@pytest.fixture
def site() -> Project:
    """S8.10 under s8@v2: 张三's customer 王建国 returns and forgets him; 李四 files it pending."""
    engines.forget_all()
    project = make_project(policy="s8@v2")
    for name in ("zhangsan", "lisi", "zhouqi", "zhaoliu", "sunba"):
        user(name, Membership.objects.get(project=project, staff=name).role)
    append_fact(project=project, data=visit("zhangsan", "13800000001", "王建国"))
    append_fact(project=project, data={"kind": "pending_confirmation", "phone": PHONE, "consultant": "lisi"})
    return project


def group(project: Project) -> str:
    return engines.live_engine(project).engine.by_phone[PHONE].id


def owner_state(project: Project) -> tuple[str | None, str]:
    """(the owner, the state), or (the candidate, "pending") while a pending confirmation is open."""
    from guishu.desk.selectors import verdict_now

    v = verdict_now(project, group(project))
    assert v is not None
    return (v.candidate if v.state == "pending" else v.owner.id), v.state


def claim_of(project: Project) -> str:
    return Entry.objects.get(project=project, kind="claim").fact_id


def test_the_filer_cannot_claim_his_own_filing(site: Project) -> None:
    """S8.10: the pending confirmation is for the original consultant: its filer may not claim it."""
    # when
    response = client_for("lisi").post(at_site("claim/"), {"group": group(site)})
    # then
    assert response.status_code == 403 and "自己填写" in response.content.decode()
    assert not Entry.objects.filter(kind="claim").exists()


def test_a_claim_takes_its_claimant_from_the_login_and_changes_no_owner_until_verified(site: Project) -> None:
    """S8.10: 张三 claims; the fact names him (not a form field), unverified; the owner is unchanged."""
    # when: a forged consultant field is ignored
    response = client_for("zhangsan").post(at_site("claim/"), {"group": group(site), "consultant": "zhouqi"})
    # then
    assert response.status_code == 200
    claim = Entry.objects.get(project=site, kind="claim")
    assert claim.payload["consultant"] == "zhangsan" and claim.payload.get("verified", False) is False
    assert claim.actor is not None and claim.actor.username == "zhangsan"
    assert owner_state(site) == ("lisi", "pending")  # the filer is still the candidate


def test_a_verification_by_the_clerk_makes_the_claim_stand(site: Project) -> None:
    """S8.10 "经核实": the clerk 孙八 verifies under his own name: the customer is 张三's."""
    client_for("zhangsan").post(at_site("claim/"), {"group": group(site)})
    # when
    response = client_for("sunba").post(
        at_site("clerk/verify/"), {"group": group(site), "claim": claim_of(site), "approved": "yes"}
    )
    # then
    assert response.status_code == 302
    fact = Entry.objects.get(project=site, kind="claim_verified")
    assert fact.payload["by"] == "sunba" and fact.actor is not None and fact.actor.username == "sunba"
    assert owner_state(site) == ("zhangsan", "owned")


def test_a_refused_verification_changes_no_owner(site: Project) -> None:
    """S8.10: the clerk finds the claim groundless: still pending, the filer the candidate."""
    client_for("zhangsan").post(at_site("claim/"), {"group": group(site)})
    client_for("sunba").post(
        at_site("clerk/verify/"), {"group": group(site), "claim": claim_of(site), "approved": "no"}
    )
    assert owner_state(site) == ("lisi", "pending")


@pytest.mark.parametrize("person", ["zhangsan", "lisi", "zhouqi"])
def test_consultants_cannot_verify_a_claim(site: Project, person: str) -> None:
    """S8.10: the claimant, the filer or another consultant verifying: refused, nothing written."""
    client_for("zhangsan").post(at_site("claim/"), {"group": group(site)})
    before = Entry.objects.count()
    response = client_for(person).post(
        at_site("clerk/verify/"), {"group": group(site), "claim": claim_of(site), "approved": "yes"}
    )
    assert response.status_code == 403
    assert Entry.objects.count() == before


def test_a_claimant_promoted_to_manager_cannot_verify_his_own_claim(site: Project) -> None:
    """S8.10: 张三 claims, then becomes the site's manager: his own claim still needs another."""
    client_for("zhangsan").post(at_site("claim/"), {"group": group(site)})
    append_fact(project=site, data={"kind": "staff_joined", "staff": "zhangsan", "name": "张三", "role": "manager"})
    before = Entry.objects.count()
    # when
    response = client_for("zhangsan").post(
        at_site("clerk/verify/"), {"group": group(site), "claim": claim_of(site), "approved": "yes"}
    )
    # then
    assert response.status_code == 403 and "认领人不能核实" in response.content.decode()
    assert Entry.objects.count() == before
    assert owner_state(site) == ("lisi", "pending")


def test_the_engine_refuses_a_claimants_own_verification_however_it_is_written(site: Project) -> None:
    """S8.10: even written past the screens, a claimant's verification makes nothing stand."""
    client_for("zhangsan").post(at_site("claim/"), {"group": group(site)})
    append_fact(
        project=site,
        data={
            "kind": "claim_verified",
            "pending": Entry.objects.get(kind="pending_confirmation").fact_id,
            "claim": claim_of(site),
            "by": "zhangsan",
        },
    )
    assert owner_state(site) == ("lisi", "pending")


def test_only_the_owner_follows_up(site: Project) -> None:
    """S8.11: a follow-up of another's customer is refused."""
    other = append_fact(project=site, data=visit("zhouqi", "13800000005", "赵敏", gender="F")).verdicts[0].group
    assert client_for("lisi").post(at_site("follow-up/"), {"group": other}).status_code == 403
    assert client_for("zhouqi").post(at_site("follow-up/"), {"group": other}).status_code == 200


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"owner": "nobody"}, "归属顾问"),
        ({"owner": "sunba"}, "归属顾问"),  # the clerk is a member, but owns no customers
        ({"rule": "S99.99"}, "依据条款"),
        ({"rule": "<script>alert(1)</script>"}, "依据条款"),
        ({"rule": "S18.15"}, "依据条款"),  # a clause of another policy, not this site's s8
        ({"reason": "理" * 501}, "理由"),
        ({"phone": "13899999999"}, "客户电话"),  # no such customer in the record
    ],
)
def test_a_ruling_names_a_member_a_clause_of_the_sites_policy_and_a_bounded_reason(
    site: Project, data: dict[str, str], field: str
) -> None:
    """S8.12, S18.15: a manager's ruling is refused, the field named, when any part is not real."""
    before = Entry.objects.count()
    body = {"phone": "13800000001", "owner": "zhangsan", "rule": "S8.11", "reason": "原始跟进记录", **data}
    # when
    response = client_for("zhaoliu").post(at_site("manage/ruling/"), body)
    # then
    assert response.status_code == 422
    page = response.content.decode()
    assert field in page and "<script>alert" not in page
    assert Entry.objects.count() == before


def test_a_policy_change_in_the_past_is_refused_not_moved_to_now(site: Project) -> None:
    """A site's verdicts never change under its feet: a change dated yesterday is refused."""
    yesterday = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    before = Entry.objects.count()
    response = client_for("zhaoliu").post(at_site("manage/policy/"), {"policy": "s16@v1", "effective_at": yesterday})
    assert response.status_code == 422
    assert "生效时间" in response.content.decode() and "不能早于现在" in response.content.decode()
    assert Entry.objects.count() == before


def test_a_policy_change_from_now_is_recorded(site: Project) -> None:
    """An empty time means now; the fact carries it."""
    response = client_for("zhaoliu").post(at_site("manage/policy/"), {"policy": "s16@v1", "effective_at": ""})
    assert response.status_code == 302
    fact = Entry.objects.get(project=site, kind="policy_changed")
    assert fact.payload["policy"] == "s16@v1" and fact.payload["effective_at"] >= fact.payload["at"][:16]


def test_a_leavers_session_and_api_key_stop_working_at_once(site: Project) -> None:
    """S16.3: the manager records 李四's leaving: his open session is refused at the next request,
    and so is the API key of an agent who leaves."""
    # given 李四 signed in, and 王五's key working
    lisi = client_for("lisi")
    assert lisi.get(at_site("mine/")).status_code == 200
    user("wangwu", "agent")
    _, key = api_keys.issue(project=site, agent="wangwu", channel="hx")
    api = Client()
    auth = {"Authorization": f"Bearer {key}"}
    assert api.get("/api/v1/reports", headers=auth).status_code == 200
    # when the manager records both leaving
    manager = client_for("zhaoliu")
    assert manager.post(at_site("admin/leave/"), {"staff": "lisi"}).status_code == 200
    assert manager.post(at_site("admin/leave/"), {"staff": "wangwu"}).status_code == 200
    # then
    response = lisi.get(at_site("mine/"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert api.get("/api/v1/reports", headers=auth).status_code == 401
    assert ApiKey.objects.get(agent="wangwu").revoked_at is not None
    assert Entry.objects.filter(project=site, kind="staff_left").count() == 2


def test_a_staff_left_fact_alone_closes_the_door(site: Project) -> None:
    """S16.3: however the staff_left fact was written, the membership ends in its transaction:
    the leaver's session gets 404 at the site and his key 401, before any clean-up runs."""
    lisi = client_for("lisi")
    user("wangwu", "agent")
    _, key = api_keys.issue(project=site, agent="wangwu", channel="hx")
    # when
    append_fact(project=site, data={"kind": "staff_left", "staff": "lisi"})
    append_fact(project=site, data={"kind": "staff_left", "staff": "wangwu"})
    # then
    assert lisi.get(at_site("mine/")).status_code == 404
    assert Client().get("/api/v1/reports", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_a_site_answers_404_to_who_does_not_work_there(site: Project) -> None:
    """A consultant of one site cannot look up, register or read the clerk's register at another."""
    other = make_project(code="other")
    user("fengyi", "consultant", "冯一", project=other)
    c = client_for("fengyi")
    assert c.post(at_site("desk/"), {"q": "13800000001"}).status_code == 404
    assert c.post(at_site("register/"), {"mode": "visit", "name": "王建国", "phone": "13800000001"}).status_code == 404
    assert c.get(at_site("clerk/")).status_code == 404
    assert c.get(at_site("desk/", "other")).status_code == 200
    assert c.get("/s/nosuchsite/desk/").status_code == 404


def test_the_action_asks_the_rules_too(site: Project) -> None:
    """One place decides: an action called past the screens refuses a role that may not."""
    from django.contrib.auth.models import User

    access = access_for(User.objects.get(username="sunba"), "demo")
    assert access is not None and access.role == "clerk"
    with pytest.raises(PermissionDenied):
        desk_actions.log_follow_up(access=access, group=group(site), method="call")
